//! The organisation's access log (C4): which of a company's contacts viewed, exported,
//! replied to, closed and handed over which of the company's tickets, and when, for the
//! contacts the support team made their company's portal admins.
//!
//! The rules, all pure:
//! - [`logged_companies`]: an action on a ticket is logged in the log of each of the
//!   actor's companies (primary and further ones) the ticket belongs to and is shared with.
//!   A private ticket (C5) is its people's business, so nothing about it enters a company's
//!   log; a CC of another company acting on the ticket is not "in the company" and is not
//!   logged there. An export is logged in each company the exported view may show
//!   ([`export_companies`]).
//! - [`logs_of`], [`log_of`]: the companies whose logs a contact may read: those of their
//!   companies (primary or further) they are a portal admin of, each on its own.
//! - [`retention_cutoff`]: entries older than the portal's retention are deleted.
//!
//! Only customers' own actions are recorded: staff-internal events never enter this log.

use serde::{Deserialize, Serialize};

use crate::model::{CompanyId, Contact, ContactId, Ticket, TicketId, Timestamp};
use crate::visibility::View;

/// What a contact did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    /// Opened the ticket's page.
    Viewed,
    /// Exported the ticket list as CSV (no one ticket).
    Exported,
    /// Answered the ticket, in the portal or by email.
    Replied,
    /// Closed the ticket.
    Closed,
    /// Handed the ticket over to a colleague.
    HandedOver,
}

impl AccessAction {
    /// Every action, in the order the filter offers them.
    pub const ALL: [AccessAction; 5] = [
        AccessAction::Viewed,
        AccessAction::Exported,
        AccessAction::Replied,
        AccessAction::Closed,
        AccessAction::HandedOver,
    ];

    /// Stable name for storage, URLs and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessAction::Viewed => "viewed",
            AccessAction::Exported => "exported",
            AccessAction::Replied => "replied",
            AccessAction::Closed => "closed",
            AccessAction::HandedOver => "handed_over",
        }
    }

    /// Parses [`AccessAction::as_str`].
    pub fn parse(s: &str) -> Option<AccessAction> {
        AccessAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One entry of a company's access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    /// Its id: entries are read newest first by id.
    pub id: i64,
    /// The company whose log it is in.
    pub company: CompanyId,
    /// Who acted.
    pub contact: ContactId,
    /// On which ticket (`None` for an export).
    pub ticket: Option<TicketId>,
    /// What they did.
    pub action: AccessAction,
    /// For an export, how many tickets it held; otherwise 0.
    pub count: u64,
    /// When.
    pub at: Timestamp,
}

/// An entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccessEvent {
    /// The company whose log it goes in.
    pub company: CompanyId,
    /// Who acted.
    pub contact: ContactId,
    /// On which ticket.
    pub ticket: Option<TicketId>,
    /// What they did.
    pub action: AccessAction,
    /// For an export, how many tickets it held.
    pub count: u64,
    /// When.
    pub at: Timestamp,
}

/// The entries of one company's log a page asks for, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessLogQuery {
    /// Only this contact's actions.
    pub contact: Option<ContactId>,
    /// Only this action.
    pub action: Option<AccessAction>,
    /// Only this ticket's entries.
    pub ticket: Option<TicketId>,
    /// Only entries at or after this time.
    pub from: Option<Timestamp>,
    /// Only entries before this time.
    pub until: Option<Timestamp>,
    /// Only entries older than this id (the next page).
    pub before: Option<i64>,
    /// At most this many (capped at [`MAX_LOG_PAGE`]).
    pub limit: usize,
}

/// The most entries one page of the log shows.
pub const MAX_LOG_PAGE: usize = 100;

/// How long entries are kept when the portal says nothing (days).
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// The longest retention the settings accept (days): ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// Whether `entry` passes `query`'s filters (the reference the stores agree with).
pub fn matches(query: &AccessLogQuery, entry: &AccessEvent) -> bool {
    query.contact.is_none_or(|c| c == entry.contact)
        && query.action.is_none_or(|a| a == entry.action)
        && query.ticket.is_none_or(|t| Some(t) == entry.ticket)
        && query.from.is_none_or(|f| entry.at >= f)
        && query.until.is_none_or(|u| entry.at < u)
        && query.before.is_none_or(|b| entry.id < b)
}

/// The companies whose logs record `actor`'s action on `ticket`: each of the actor's
/// companies (the primary first, then the further ones, C2) the ticket belongs to, when it
/// is shared with them (not private, C5).
pub fn logged_companies(actor: &Contact, ticket: &Ticket) -> Vec<CompanyId> {
    if ticket.private {
        return Vec::new();
    }
    actor
        .companies()
        .into_iter()
        .map(|m| m.company)
        .filter(|c| ticket.companies.contains(c))
        .collect()
}

/// The companies whose logs record `actor`'s export of the list in `view`: the company of
/// a one-company view, when the actor belongs to it; otherwise each of the actor's
/// companies, whose tickets the other views may hold.
pub fn export_companies(actor: &Contact, view: View) -> Vec<CompanyId> {
    match view {
        View::Company(c) => actor.belongs_to(c).then_some(c).into_iter().collect(),
        View::Organization | View::Mine | View::Shared => {
            actor.companies().into_iter().map(|m| m.company).collect()
        }
    }
}

/// The companies whose access logs `viewer` may read, primary first: those they belong to
/// (primary or further, C2) and are a portal admin of (`admin_of`: the companies the
/// support team made them an admin of). Leaving a company ends its admin's reading at once.
pub fn logs_of(viewer: &Contact, admin_of: &[CompanyId]) -> Vec<CompanyId> {
    viewer
        .companies()
        .into_iter()
        .map(|m| m.company)
        .filter(|c| admin_of.contains(c))
        .collect()
}

/// The company whose log (and people, C5) `viewer` opens when asking for `chosen`: that
/// company when they may read its log, the first of [`logs_of`] when they name none, and
/// none otherwise.
pub fn log_of(
    viewer: &Contact,
    admin_of: &[CompanyId],
    chosen: Option<CompanyId>,
) -> Option<CompanyId> {
    let logs = logs_of(viewer, admin_of);
    match chosen {
        Some(c) => logs.contains(&c).then_some(c),
        None => logs.first().copied(),
    }
}

/// Entries before this time are deleted (`days` of retention before `now`).
pub fn retention_cutoff(days: u32, now: Timestamp) -> Timestamp {
    now.plus_seconds(-i64::from(days) * 86_400)
}
