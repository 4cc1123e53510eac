//! The organisation's access log (C4): the portal records its customers' views, exports,
//! replies, closes and hand-overs of their company's tickets, and the company's portal
//! admins read them, filtered and paged, and download them as CSV. The rules are in
//! [`crate::organisation`]; staff make a contact a portal admin of their company
//! ([`crate::usecases::records::Records::set_company_admin`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::model::{CompanyId, Contact, ContactId, Ticket, TicketId};
use crate::organisation::{
    AccessAction, AccessEvent, AccessLogQuery, MAX_LOG_PAGE, NewAccessEvent, log_of,
    logged_companies, logs_of, retention_cutoff,
};
use crate::ports::Ports;
use crate::settings::PortalSettings;
use crate::usecases::portal::PortalTickets;
use crate::visibility::{Scope, View};

/// One entry as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The entry.
    pub event: AccessEvent,
    /// Who acted, by name (or address).
    pub who: String,
    /// The ticket's subject, when the reader may see the ticket; `None` shows its number
    /// only (a ticket outside the reader's own view is not described to them).
    pub subject: Option<String>,
}

/// One page of a company's access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage {
    /// The company.
    pub company: crate::model::Company,
    /// Every company whose log the reader may read (this one among them), primary first.
    pub companies: Vec<crate::model::Company>,
    /// The entries, newest first.
    pub entries: Vec<LogEntry>,
    /// The cursor of the next (older) page, when there is one.
    pub next: Option<i64>,
    /// The company's contacts, for the "who" filter: id and name.
    pub colleagues: Vec<(ContactId, String)>,
}

/// A contact's name as the log shows it.
fn name(c: &Contact) -> String {
    let full = c.full_name();
    if full.is_empty() {
        c.email.clone()
    } else {
        full
    }
}

/// Writes an entry for `actor`'s action on `ticket` in each of their companies' logs it
/// belongs in ([`logged_companies`]).
pub(crate) async fn log_action(
    ports: &Ports,
    actor: &Contact,
    ticket: &Ticket,
    action: AccessAction,
) -> Result<(), Error> {
    for company in logged_companies(actor, ticket) {
        ports
            .access_log
            .record(NewAccessEvent {
                company,
                contact: actor.id,
                ticket: Some(ticket.id),
                action,
                count: 0,
                at: ports.clock.now(),
            })
            .await?;
    }
    Ok(())
}

/// The contacts who belong to `company`, as their primary company or a further one (C2).
pub(crate) async fn company_contacts(
    ports: &Ports,
    company: CompanyId,
) -> Result<Vec<Contact>, Error> {
    Ok(ports.directory.company_contacts(company).await?)
}

impl PortalTickets {
    /// The company `viewer` is a portal admin of and asks for (`chosen`; `None`: the first
    /// of theirs, C4, C5), with every company they administer; `NotFound` for anyone else
    /// and for a company they do not administer: for them its pages do not exist.
    pub(crate) async fn administered(
        &self,
        viewer: &Contact,
        chosen: Option<CompanyId>,
    ) -> Result<(crate::model::Company, Vec<crate::model::Company>), Error> {
        let companies = self.access_log_companies(viewer).await?;
        let ids: Vec<CompanyId> = companies.iter().map(|c| c.id).collect();
        let id = log_of(viewer, &ids, chosen).ok_or(Error::NotFound)?;
        let company = companies
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or(Error::NotFound)?;
        Ok((company, companies))
    }

    /// The companies whose access logs `viewer` may read (C4), primary first; none for
    /// anyone who is no portal admin.
    pub async fn access_log_companies(
        &self,
        viewer: &Contact,
    ) -> Result<Vec<crate::model::Company>, Error> {
        if viewer.primary_company.is_none() && viewer.memberships.is_empty() {
            return Ok(Vec::new());
        }
        let admin_of = self.ports.access_log.admin_of(viewer.id).await?;
        let mut out = Vec::new();
        for id in logs_of(viewer, &admin_of) {
            if let Some(c) = self.ports.directory.company(id).await? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// One page of the access log of the viewer's company `chosen` (`None`: the first they
    /// administer, C4), newest first. `NotFound` for anyone who is not one of its portal
    /// admins: for them the page does not exist.
    pub async fn access_log(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        chosen: Option<CompanyId>,
        query: &AccessLogQuery,
    ) -> Result<LogPage, Error> {
        let (company, companies) = self.administered(viewer, chosen).await?;
        let company_id = company.id;
        let mut q = query.clone();
        q.limit = query.limit.clamp(1, MAX_LOG_PAGE);
        // One more than the page says whether an older page exists.
        let want = q.limit;
        q.limit = want + 1;
        let mut events = self.ports.access_log.page(company_id, &q).await?;
        let next = (events.len() > want).then(|| {
            events.truncate(want);
            events.last().map(|e| e.id)
        });
        let colleagues = company_contacts(&self.ports, company_id).await?;
        let mut names: BTreeMap<ContactId, String> =
            colleagues.iter().map(|c| (c.id, name(c))).collect();
        // Someone who has left the company since still shows by name.
        for e in &events {
            if !names.contains_key(&e.contact)
                && let Some(c) = self.ports.directory.contact(e.contact).await?
            {
                names.insert(c.id, name(&c));
            }
        }
        // A subject only for a ticket the reader's own widest view admits.
        let scope = Scope::for_viewer(&settings.visibility, viewer, View::Organization);
        let ids: BTreeSet<TicketId> = events.iter().filter_map(|e| e.ticket).collect();
        let mut subjects = BTreeMap::new();
        for id in ids {
            if let Some(t) = self.ports.tickets.find(&scope, id).await? {
                subjects.insert(id, t.subject);
            }
        }
        let entries = events
            .into_iter()
            .map(|event| LogEntry {
                who: names
                    .get(&event.contact)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", event.contact.0)),
                subject: event.ticket.and_then(|t| subjects.get(&t).cloned()),
                event,
            })
            .collect();
        Ok(LogPage {
            company,
            companies,
            entries,
            next: next.flatten(),
            colleagues: colleagues.iter().map(|c| (c.id, name(c))).collect(),
        })
    }

    /// Records an export of the viewer's list (C4) in the logs of `companies` (those the
    /// exported view may show, [`crate::organisation::export_companies`]), with how many tickets it holds.
    pub(crate) async fn log_export(
        &self,
        viewer: &Contact,
        companies: &[CompanyId],
        count: u64,
    ) -> Result<(), Error> {
        for company in companies {
            self.ports
                .access_log
                .record(NewAccessEvent {
                    company: *company,
                    contact: viewer.id,
                    ticket: None,
                    action: AccessAction::Exported,
                    count,
                    at: self.ports.clock.now(),
                })
                .await?;
        }
        Ok(())
    }

    /// Deletes the entries older than the portal's retention (C4); returns how many.
    pub async fn purge_access_log(&self) -> Result<u64, Error> {
        let settings = self.ports.settings.load().await?;
        let cutoff = retention_cutoff(settings.access_log_days, self.ports.clock.now());
        Ok(self.ports.access_log.purge(cutoff).await?)
    }
}
