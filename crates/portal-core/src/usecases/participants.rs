//! Who is on a ticket besides its requester (C1): the requester copies colleagues (or, when
//! the settings allow, anyone the help desk knows) in by address; a participant sees and
//! answers the ticket while on it (V1: a participant is an associated contact), and leaves
//! or is taken off at once. A requester hands a ticket over to a colleague (C3), staying on
//! it or not. The rules are in [`crate::actions`]; these use cases check visibility first
//! (V7), then the rule, then write and record it on the timeline (U2), a hand-over also in
//! the audit log and in a mail to both. A requester makes a ticket private or shares it with
//! the company (C5).

use crate::actions::{
    ActionDenied, may_add_cc, may_add_ccs, may_hand_over, may_hand_over_any, may_remove_cc,
    may_set_private, participants,
};
use crate::error::Error;
use crate::model::{Contact, ContactId, Ticket, TicketId, TimelineEvent, TimelineKind};
use crate::ports::{AuditEntry, OutgoingMail};
use crate::settings::PortalSettings;
use crate::usecases::portal::{Participant, People, PortalTickets};

/// The trimmed address a person is added or handed a ticket by, or the field's problem.
pub(crate) fn address(email: &str) -> Result<&str, Error> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') || email.chars().count() > 254 {
        return Err(Error::invalid(
            "email",
            "invalid",
            "an email address is needed",
        ));
    }
    Ok(email)
}

/// A contact known by its address alone, made when someone copies that address in and the
/// ticket's inbox makes contacts of unknown senders (issue 17).
pub(crate) fn bare_contact(email: &str) -> crate::ports::NewContact {
    crate::ports::NewContact {
        email: email.to_string(),
        membership_email: None,
        first_name: String::new(),
        last_name: String::new(),
        primary_company: None,
        language: None,
        properties: Default::default(),
    }
}

impl PortalTickets {
    /// Writes a ticket's new requester and contacts and records the viewer's change on the
    /// timeline; returns when.
    async fn change_people(
        &self,
        viewer: &Contact,
        ticket: &Ticket,
        requester: Option<ContactId>,
        contacts: std::collections::BTreeSet<ContactId>,
        kind: TimelineKind,
    ) -> Result<crate::model::Timestamp, Error> {
        let now = self.ports.clock.now();
        self.ports
            .tickets
            .set_people(ticket.id, requester, contacts, now)
            .await?;
        self.ports
            .timeline
            .append(TimelineEvent {
                contact: viewer.id,
                ticket: ticket.id,
                kind,
                at: now,
            })
            .await?;
        Ok(now)
    }

    /// The participants of a ticket the viewer sees (V7 first), with what the viewer may do.
    pub async fn people(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
    ) -> Result<People, Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        self.people_of(settings, viewer, &ticket).await
    }

    /// The companies `viewer` is a portal admin of, asked only when that can matter for
    /// this ticket (a colleague's ticket shared with the viewer's company): a hand-over by a
    /// company's portal admin (C3).
    async fn admin_of_for(
        &self,
        viewer: &Contact,
        ticket: &Ticket,
    ) -> Result<Vec<crate::model::CompanyId>, Error> {
        let may_matter = ticket.requester != Some(viewer.id)
            && !ticket.private
            && ticket.companies.iter().any(|c| viewer.belongs_to(*c));
        if may_matter {
            Ok(self.ports.access_log.admin_of(viewer.id).await?)
        } else {
            Ok(Vec::new())
        }
    }

    /// [`PortalTickets::people`] of a ticket already found visible.
    pub async fn people_of(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        ticket: &Ticket,
    ) -> Result<People, Error> {
        let mut out = Vec::new();
        for id in participants(ticket) {
            if let Some(contact) = self.ports.directory.contact(id).await? {
                out.push(Participant {
                    may_remove: may_remove_cc(viewer, ticket, id).is_ok(),
                    contact,
                });
            }
        }
        let admin_of = self.admin_of_for(viewer, ticket).await?;
        Ok(People {
            participants: out,
            may_add: may_add_ccs(&settings.actions, viewer, ticket).is_ok(),
            may_hand_over: may_hand_over_any(viewer, ticket, &admin_of).is_ok(),
            private: ticket.private,
            may_set_private: may_set_private(&settings.actions, viewer, ticket).is_ok(),
        })
    }

    /// Copies the contact with address `email` in on a ticket the viewer requested (C1).
    /// An address nobody may be added with is refused with one answer, known or not.
    pub async fn add_participant(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
        email: &str,
    ) -> Result<Contact, Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        may_add_ccs(&settings.actions, viewer, &ticket)?;
        let email = address(email)?;
        let mut target = self.ports.directory.contact_by_email(email).await?;
        if target.is_none() && settings.cc_creates_contact(&ticket) {
            if !crate::usecases::records::is_email(email) {
                return Err(Error::invalid(
                    "email",
                    "invalid_email",
                    "this is not an email address",
                ));
            }
            // A new contact, as the person's first emailed answer would make (issue 17).
            target = Some(
                self.ports
                    .directory
                    .create_contact(bare_contact(email))
                    .await?,
            );
        }
        may_add_cc(&settings.actions, viewer, &ticket, target.as_ref())?;
        let target = target.ok_or(ActionDenied::CcAddressRefused)?;
        let mut contacts = ticket.contacts.clone();
        contacts.insert(target.id);
        let kind = TimelineKind::CcAdded {
            participant: target.id,
        };
        self.change_people(viewer, &ticket, ticket.requester, contacts, kind)
            .await?;
        Ok(target)
    }

    /// Takes a participant off a ticket: the requester takes anyone off, a participant
    /// leaves (C1). From then on the ticket does not exist for them (V7), unless another
    /// rule shows it (their company's access).
    pub async fn remove_participant(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
        participant: ContactId,
    ) -> Result<(), Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        may_remove_cc(viewer, &ticket, participant)?;
        let mut contacts = ticket.contacts.clone();
        contacts.remove(&participant);
        let kind = TimelineKind::CcRemoved { participant };
        self.change_people(viewer, &ticket, ticket.requester, contacts, kind)
            .await?;
        Ok(())
    }

    /// Makes a ticket the viewer requested private, or shares it with the company again
    /// (C5). From then on company access reaches it exactly when it is shared; its people
    /// keep it either way. Recorded on the timeline; setting what is already set changes
    /// nothing.
    pub async fn set_private(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
        private: bool,
    ) -> Result<(), Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        may_set_private(&settings.actions, viewer, &ticket)?;
        if ticket.private == private {
            return Ok(());
        }
        let now = self.ports.clock.now();
        self.ports.tickets.set_private(id, private, now).await?;
        self.ports
            .timeline
            .append(TimelineEvent {
                contact: viewer.id,
                ticket: id,
                kind: TimelineKind::PrivacyChanged { private },
                at: now,
            })
            .await?;
        Ok(())
    }

    /// The colleague a ticket is filed for (C5): the contact with address `email` when
    /// [`crate::actions::may_file_for`] allows it; `None` for anyone else, known or not (one
    /// answer, so the form tells nobody which addresses the help desk knows).
    pub(crate) async fn colleague_for(
        &self,
        viewer: &Contact,
        email: &str,
    ) -> Result<Option<Contact>, Error> {
        let target = self.ports.directory.contact_by_email(email).await?;
        Ok(crate::actions::may_file_for(viewer, target.as_ref())
            .ok()
            .and(target))
    }

    /// Tells the colleague a ticket was filed for (C5) by mail, when they have a login, and
    /// records it in the audit log.
    pub(crate) async fn tell_filed_for(
        &self,
        settings: &PortalSettings,
        filer: &Contact,
        colleague: &Contact,
        ticket: &Ticket,
        link: &str,
        at: crate::model::Timestamp,
    ) -> Result<(), Error> {
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("contact:{}", filer.id.0),
                action: "ticket.filed_on_behalf".into(),
                detail: format!(
                    "ticket {}: filed for contact {}",
                    ticket.id.0, colleague.id.0
                ),
                at,
            })
            .await?;
        let Some(account) = self.ports.accounts.by_contact(colleague.id).await? else {
            return Ok(());
        };
        if !account.enabled {
            return Ok(());
        }
        let domain_language = super::domain_language(&self.ports, settings).await?;
        let language = crate::settings::mail_language(
            account.language.as_deref(),
            colleague.language.as_deref(),
            domain_language.as_deref(),
        );
        let name = |c: &Contact, first: bool| {
            if c.first_name.is_empty() {
                c.email.clone()
            } else if first {
                c.first_name.clone()
            } else {
                c.full_name()
            }
        };
        let mail = OutgoingMail::new(
            account.email.clone(),
            language,
            "filed_for_you",
            std::collections::BTreeMap::from([
                ("name".to_string(), name(colleague, true)),
                ("from".to_string(), name(filer, false)),
                ("subject".to_string(), ticket.subject.clone()),
                ("link".to_string(), link.to_string()),
                ("portal".to_string(), settings.name.clone()),
            ]),
        );
        self.ports.outbox.enqueue(mail, at).await?;
        Ok(())
    }

    /// Hands a ticket over to the colleague with address `email` (C3): the viewer is its
    /// requester, or a portal admin of the company it is shared with. The colleague becomes
    /// its requester; the previous requester stays on it as a participant when `stay`, and
    /// is taken off otherwise. Recorded on the timeline and in the audit log; the new and
    /// the previous requester (and an admin who did it) are told by mail when they have a
    /// login (links to `portal_url`).
    pub async fn hand_over(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
        email: &str,
        stay: bool,
        portal_url: &str,
    ) -> Result<Contact, Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        let admin_of = self.admin_of_for(viewer, &ticket).await?;
        may_hand_over_any(viewer, &ticket, &admin_of)?;
        let email = address(email)?;
        let target = self.ports.directory.contact_by_email(email).await?;
        may_hand_over(viewer, &ticket, &admin_of, target.as_ref())?;
        let target = target.ok_or(ActionDenied::HandOverRefused)?;
        let previous = match ticket.requester {
            Some(r) if r != viewer.id => self.ports.directory.contact(r).await?,
            _ => None,
        };
        let mut contacts = ticket.contacts.clone();
        contacts.insert(target.id);
        if !stay {
            contacts.remove(&ticket.requester.unwrap_or(viewer.id));
        }
        let kind = TimelineKind::HandedOver {
            to: target.id,
            stayed: stay,
        };
        let now = self
            .change_people(viewer, &ticket, Some(target.id), contacts, kind)
            .await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("contact:{}", viewer.id.0),
                action: "ticket.hand_over".into(),
                detail: format!(
                    "ticket {}: requester contact {} -> contact {}{}",
                    id.0,
                    ticket.requester.map_or(0, |r| r.0),
                    target.id.0,
                    if stay { ", stays a participant" } else { "" }
                ),
                at: now,
            })
            .await?;
        super::organisation::log_action(
            &self.ports,
            viewer,
            &ticket,
            crate::organisation::AccessAction::HandedOver,
        )
        .await?;
        let link = format!("{}/tickets/{}", portal_url.trim_end_matches('/'), id.0);
        let domain_language = super::domain_language(&self.ports, settings).await?;
        // A portal admin's hand-over is also told to the requester it was taken from.
        let mut told = vec![(&target, "handed_to_you"), (viewer, "handed_over")];
        if let Some(p) = &previous {
            told.push((p, "handed_away"));
        }
        for (who, template) in told {
            let Some(account) = self.ports.accounts.by_contact(who.id).await? else {
                continue;
            };
            if !account.enabled {
                continue;
            }
            let language = crate::settings::mail_language(
                account.language.as_deref(),
                who.language.as_deref(),
                domain_language.as_deref(),
            );
            let first = |c: &Contact| {
                if c.first_name.is_empty() {
                    c.email.clone()
                } else {
                    c.full_name()
                }
            };
            let first_name = |c: &Contact| {
                if c.first_name.is_empty() {
                    c.email.clone()
                } else {
                    c.first_name.clone()
                }
            };
            let mail = OutgoingMail::new(
                account.email.clone(),
                language,
                template,
                std::collections::BTreeMap::from([
                    ("name".to_string(), first_name(who)),
                    ("from".to_string(), first(viewer)),
                    ("to".to_string(), first(&target)),
                    ("subject".to_string(), ticket.subject.clone()),
                    ("link".to_string(), link.clone()),
                    ("portal".to_string(), settings.name.clone()),
                ]),
            );
            self.ports.outbox.enqueue(mail, now).await?;
        }
        Ok(target)
    }
}
