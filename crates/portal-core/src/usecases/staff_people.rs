//! The people on a ticket from the staff side (C1, C3): staff copy any known contact in,
//! take participants off and change the requester. Staff decide who a ticket concerns, so
//! the customers' limits (the CC switches, the same company) do not apply; every change is
//! in the audit log with the agent who made it.

use crate::actions::{ActionDenied, participants};
use crate::error::Error;
use crate::model::{Contact, ContactId, Ticket, TicketId};
use crate::ports::AuditEntry;
use crate::usecases::inbox::{StaffInbox, StaffMember};

impl StaffInbox {
    async fn ticket_for_people(&self, id: TicketId) -> Result<Ticket, Error> {
        self.ports.tickets.get(id).await?.ok_or(Error::NotFound)
    }

    async fn contact_at(&self, email: &str) -> Result<Contact, Error> {
        let email = crate::usecases::participants::address(email)?;
        self.ports
            .directory
            .contact_by_email(email)
            .await?
            .ok_or_else(|| Error::invalid("email", "unknown", "no contact has this address"))
    }

    async fn audit_people(
        &self,
        member: &StaffMember,
        action: &str,
        detail: String,
    ) -> Result<(), Error> {
        Ok(self
            .ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", member.agent.id),
                action: action.into(),
                detail,
                at: self.ports.clock.now(),
            })
            .await?)
    }

    /// Copies the contact with address `email` in on a ticket (C1, staff side).
    pub async fn add_participant(
        &self,
        member: &StaffMember,
        id: TicketId,
        email: &str,
    ) -> Result<Contact, Error> {
        let ticket = self.ticket_for_people(id).await?;
        let contact = match self.contact_at(email).await {
            Ok(c) => c,
            // An address nobody has becomes a contact when the ticket's inbox makes contacts
            // of unknown senders (issue 17), as the person's first emailed answer would.
            Err(Error::Invalid(e)) => {
                let settings = self.ports.settings.load().await?;
                let email = email.trim();
                if !(ticket
                    .inbox
                    .is_some_and(|i| settings.mail_creates_contact(i))
                    && crate::usecases::records::is_email(email))
                {
                    return Err(Error::Invalid(e));
                }
                self.ports
                    .directory
                    .create_contact(crate::usecases::participants::bare_contact(email))
                    .await?
            }
            Err(e) => return Err(e),
        };
        if ticket.contacts.contains(&contact.id) || ticket.requester == Some(contact.id) {
            return Err(ActionDenied::CcAlreadyOnTicket.into());
        }
        let mut contacts = ticket.contacts.clone();
        contacts.insert(contact.id);
        let now = self.ports.clock.now();
        self.ports
            .tickets
            .set_people(id, ticket.requester, contacts, now)
            .await?;
        self.audit_people(
            member,
            "ticket.participant_add",
            format!("ticket {}: contact {} added", id.0, contact.id.0),
        )
        .await?;
        Ok(contact)
    }

    /// Takes a participant off a ticket (C1, staff side); the requester is changed instead.
    pub async fn remove_participant(
        &self,
        member: &StaffMember,
        id: TicketId,
        contact: ContactId,
    ) -> Result<(), Error> {
        let ticket = self.ticket_for_people(id).await?;
        if !participants(&ticket).any(|c| c == contact) {
            return Err(ActionDenied::CcNotParticipant.into());
        }
        let mut contacts = ticket.contacts.clone();
        contacts.remove(&contact);
        let now = self.ports.clock.now();
        self.ports
            .tickets
            .set_people(id, ticket.requester, contacts, now)
            .await?;
        self.audit_people(
            member,
            "ticket.participant_remove",
            format!("ticket {}: contact {} removed", id.0, contact.0),
        )
        .await
    }

    /// Makes the contact with address `email` the ticket's requester (C3, staff side); the
    /// previous requester stays on as a participant when `keep_previous`.
    pub async fn set_requester(
        &self,
        member: &StaffMember,
        id: TicketId,
        email: &str,
        keep_previous: bool,
    ) -> Result<Contact, Error> {
        let ticket = self.ticket_for_people(id).await?;
        let contact = self.contact_at(email).await?;
        if ticket.requester == Some(contact.id) {
            return Err(Error::invalid(
                "email",
                "same",
                "this contact is the requester already",
            ));
        }
        let mut contacts = ticket.contacts.clone();
        contacts.insert(contact.id);
        if let (Some(previous), false) = (ticket.requester, keep_previous) {
            contacts.remove(&previous);
        }
        let now = self.ports.clock.now();
        self.ports
            .tickets
            .set_people(id, Some(contact.id), contacts, now)
            .await?;
        self.audit_people(
            member,
            "ticket.requester_change",
            format!(
                "ticket {}: requester {} -> contact {}{}",
                id.0,
                ticket
                    .requester
                    .map_or_else(|| "none".to_string(), |c| format!("contact {}", c.0)),
                contact.id.0,
                if keep_previous {
                    ", previous stays a participant"
                } else {
                    ""
                }
            ),
        )
        .await?;
        Ok(contact)
    }
}
