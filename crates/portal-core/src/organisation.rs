//! The organisation's access log (C4): which of a company's contacts viewed, exported,
//! replied to, closed and handed over which of the company's tickets, and when, for the
//! contacts the support team made their company's portal admins.
//!
//! The rules, all pure:
//! - [`logged_company`]: an action on a ticket is logged for the first of the actor's
//!   companies (primary, then further ones) the ticket is and is shared with. A private ticket (C5) is its
//!   people's business, so nothing about it enters the company's log; a CC of another
//!   company acting on the ticket is not "in the company" and is not logged there.
//! - [`log_of`]: the company whose log a contact may read: their primary company, when they
//!   are one of its portal admins.
//! - [`retention_cutoff`]: entries older than the portal's retention are deleted.
//!
//! Only customers' own actions are recorded: staff-internal events never enter this log.

use serde::{Deserialize, Serialize};

use crate::model::{CompanyId, Contact, ContactId, Ticket, TicketId, Timestamp};

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

/// The company whose log records `actor`'s action on `ticket`: the first of the actor's
/// companies (the primary first, then the further ones, C2) the ticket belongs to, when it
/// is shared with it (not private, C5).
pub fn logged_company(actor: &Contact, ticket: &Ticket) -> Option<CompanyId> {
    if ticket.private {
        return None;
    }
    actor
        .companies()
        .into_iter()
        .map(|m| m.company)
        .find(|c| ticket.companies.contains(c))
}

/// The company whose access log `viewer` may read: their primary company, when they are
/// among its portal admins (`admin_of`: the companies the support team made them an admin
/// of).
pub fn log_of(viewer: &Contact, admin_of: &[CompanyId]) -> Option<CompanyId> {
    viewer.primary_company.filter(|c| admin_of.contains(c))
}

/// Entries before this time are deleted (`days` of retention before `now`).
pub fn retention_cutoff(days: u32, now: Timestamp) -> Timestamp {
    now.plus_seconds(-i64::from(days) * 86_400)
}
