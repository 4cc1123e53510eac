//! Which tickets, conversations and files a customer sees (V1–V7).
//!
//! From the settings, the viewing contact and the chosen view, [`Scope::for_viewer`]
//! computes a [`Scope`]: plain data with one pure predicate, [`Scope::admits`]. Storage
//! adapters translate the same value into their query language, so the list, search,
//! export and detail all obey one rule; the differential tests of the storage adapter prove
//! that the SQL agrees with `admits`.
//!
//! V7 is a rule about answers: a ticket outside the scope does not exist for the viewer.
//! Every use case answers [`crate::Error::NotFound`] for it, never `Forbidden`.

use serde::{Deserialize, Serialize};

use crate::filter::Filter;
use crate::model::{
    AttachmentId, CompanyId, CompanyRights, Contact, ContactId, Message, MessageVisibility, Thread,
    Ticket,
};

/// Whether contacts see their company's tickets (V2, V3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", content = "filter", rename_all = "snake_case")]
pub enum CompanyAccess {
    /// Contacts see only tickets associated with themselves (V1).
    #[default]
    OwnOnly,
    /// Contacts also see every ticket of their primary company (V2).
    AllContacts,
    /// Only contacts matching the filter see their company's tickets (V3).
    Filtered(Filter),
}

/// The admin's visibility settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisibilitySettings {
    /// Company access (V2, V3): who sees their companies' tickets.
    pub company_access: CompanyAccess,
    /// Who of those may also answer their companies' tickets (C5); `None`: the same
    /// contacts as `company_access`.
    #[serde(default)]
    pub company_reply: Option<CompanyAccess>,
    /// Who of those may also close their companies' tickets (C5); `None`: the same contacts
    /// as `company_access`.
    #[serde(default)]
    pub company_close: Option<CompanyAccess>,
    /// Only tickets meeting this filter show at all (V5); `None` shows every ticket.
    pub ticket_filter: Option<Filter>,
}

/// The View menu of the ticket list (V4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// "Organization tickets": all the company's tickets the viewer may see.
    #[default]
    Organization,
    /// "My tickets": the viewer's own tickets only.
    Mine,
    /// "Shared with me": the viewer's own tickets that someone else requested (C1: the
    /// tickets the viewer was copied in on).
    Shared,
    /// One of the viewer's companies (C2): its tickets the viewer may see, and the viewer's
    /// own.
    Company(CompanyId),
}

impl View {
    /// Stable name for URLs and forms (`company-12` for one company).
    pub fn name(self) -> String {
        match self {
            View::Organization => "organization".into(),
            View::Mine => "mine".into(),
            View::Shared => "shared".into(),
            View::Company(c) => format!("company-{}", c.0),
        }
    }

    /// Parses [`View::name`].
    pub fn parse(s: &str) -> Option<View> {
        match s {
            "organization" => Some(View::Organization),
            "mine" => Some(View::Mine),
            "shared" => Some(View::Shared),
            _ => s
                .strip_prefix("company-")
                .and_then(|n| n.parse().ok())
                .filter(|n: &i64| *n > 0)
                .map(|n| View::Company(CompanyId(n))),
        }
    }
}

/// Why a contact does or does not get its company's tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "grant", content = "group", rename_all = "snake_case")]
pub enum CompanyGrant {
    /// Company access is granted; with a filter, the index of the first group matched.
    Granted(Option<usize>),
    /// Company access is off (own tickets only).
    Off,
    /// Company access is filtered and the contact meets no group.
    NoGroupMatched,
    /// The contact has no primary company.
    NoCompany,
}

impl CompanyGrant {
    /// Whether company tickets are granted.
    pub fn granted(self) -> bool {
        matches!(self, CompanyGrant::Granted(_))
    }
}

/// Decides whether `contact` gets its primary company's tickets (V2, V3; C2 and C5 as
/// [`company_grant_in`]).
pub fn company_grant(settings: &VisibilitySettings, contact: &Contact) -> CompanyGrant {
    match contact.primary_company {
        Some(c) => company_grant_in(settings, contact, c),
        None => CompanyGrant::NoCompany,
    }
}

/// What one rule (V2 or V3) says of `contact`.
fn rule_grant(access: &CompanyAccess, contact: &Contact) -> CompanyGrant {
    match access {
        CompanyAccess::OwnOnly => CompanyGrant::Off,
        CompanyAccess::AllContacts => CompanyGrant::Granted(None),
        CompanyAccess::Filtered(filter) => match filter.matching_group(contact) {
            Some(g) => CompanyGrant::Granted(Some(g)),
            None => CompanyGrant::NoGroupMatched,
        },
    }
}

/// Whether `contact` sees `company`'s tickets, and why (V2, V3 per company, C2): not a
/// member, the staff's grant for the membership, else the portal's rule; then the limit
/// the company's portal admins set (C5).
pub fn company_grant_in(
    settings: &VisibilitySettings,
    contact: &Contact,
    company: CompanyId,
) -> CompanyGrant {
    let Some(m) = contact.membership(company) else {
        return CompanyGrant::NoCompany;
    };
    let grant = match m.granted {
        Some(r) if r.see => CompanyGrant::Granted(None),
        Some(_) => CompanyGrant::Off,
        None => rule_grant(&settings.company_access, contact),
    };
    if m.limited.is_some_and(|l| !l.see) {
        return CompanyGrant::Off;
    }
    grant
}

/// Every right `contact` has on `company`'s tickets (V2, V3 per right and per company; C2,
/// C5): the staff's grant for the membership or the portal's rules, within the company
/// portal admins' limit. No right without membership; replying and closing need seeing.
pub fn company_rights(
    settings: &VisibilitySettings,
    contact: &Contact,
    company: CompanyId,
) -> CompanyRights {
    let Some(m) = contact.membership(company) else {
        return CompanyRights::NONE;
    };
    let by_rule = |a: Option<&CompanyAccess>| {
        rule_grant(a.unwrap_or(&settings.company_access), contact).granted()
    };
    let granted = m.granted.unwrap_or_else(|| CompanyRights {
        see: by_rule(None),
        reply: by_rule(settings.company_reply.as_ref()),
        close: by_rule(settings.company_close.as_ref()),
    });
    granted.and(m.limited.unwrap_or(CompanyRights::ALL))
}

/// The companies whose tickets `contact` sees (C2), the primary first.
pub fn seen_companies(settings: &VisibilitySettings, contact: &Contact) -> Vec<CompanyId> {
    contact
        .companies()
        .into_iter()
        .map(|m| m.company)
        .filter(|c| company_grant_in(settings, contact, *c).granted())
        .collect()
}

/// The views the View menu offers this contact (V4): the organization's tickets with
/// company access (with several companies, "All" and then one entry per company, C2), then
/// "My tickets" and "Shared with me" (C1).
pub fn available_views(settings: &VisibilitySettings, contact: &Contact) -> Vec<View> {
    let companies = seen_companies(settings, contact);
    let mut out = Vec::with_capacity(companies.len() + 3);
    if !companies.is_empty() {
        out.push(View::Organization);
    }
    if companies.len() > 1 {
        out.extend(companies.into_iter().map(View::Company));
    }
    out.extend([View::Mine, View::Shared]);
    out
}

/// The set of tickets one viewer may see in one view: data that a storage adapter can
/// turn into a query, and a pure predicate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scope {
    /// The viewer: tickets associated with this contact are in scope (V1).
    pub contact: ContactId,
    /// Tickets associated with these companies (shared with them, C5) are in scope too
    /// (V2–V4; several companies, C2), in ascending order without repeats.
    pub companies: Vec<CompanyId>,
    /// When set, only tickets meeting this filter are in scope (V5).
    pub ticket_filter: Option<Filter>,
    /// When set, only tickets someone other than the viewer requested ("Shared with me",
    /// C1); the scope then has no companies.
    #[serde(default)]
    pub shared_only: bool,
}

impl Scope {
    /// The scope of `contact` in `view` under `settings`. Asking for the organization view
    /// without company access yields the own-tickets scope.
    pub fn for_viewer(settings: &VisibilitySettings, contact: &Contact, view: View) -> Scope {
        let mut companies = match view {
            View::Organization => seen_companies(settings, contact),
            View::Company(c) if company_grant_in(settings, contact, c).granted() => vec![c],
            _ => Vec::new(),
        };
        companies.sort();
        companies.dedup();
        Scope {
            contact: contact.id,
            companies,
            ticket_filter: settings.ticket_filter.clone(),
            shared_only: view == View::Shared,
        }
    }

    /// The view this scope shows (a scope of one company shows as the organization's
    /// view; the list keeps the view it was asked for).
    pub fn view(&self) -> View {
        if self.shared_only {
            View::Shared
        } else if !self.companies.is_empty() {
            View::Organization
        } else {
            View::Mine
        }
    }

    /// Whether the ticket is associated with the viewer or (when granted) one of its
    /// companies; a private ticket only with its own people (C5).
    pub fn associates(&self, ticket: &Ticket) -> bool {
        ticket.contacts.contains(&self.contact)
            || (!ticket.private && self.companies.iter().any(|c| ticket.companies.contains(c)))
    }

    /// Whether the ticket is visible in this scope (V1–V5; C1 for "Shared with me").
    pub fn admits(&self, ticket: &Ticket) -> bool {
        self.associates(ticket)
            && (!self.shared_only || ticket.requester != Some(self.contact))
            && self
                .ticket_filter
                .as_ref()
                .is_none_or(|f| f.matches(ticket))
    }
}

/// Whether a contact is told about news on a ticket (a reply notification): exactly when
/// the ticket's page, which the mail links to, would show it to them (the widest view, as
/// opening a ticket by URL). A mail is the page by other means, so it obeys the same
/// scope: a ticket hidden by V5 or outside company access is never mailed about.
pub fn may_be_told(settings: &VisibilitySettings, contact: &Contact, ticket: &Ticket) -> bool {
    Scope::for_viewer(settings, contact, View::Organization).admits(ticket)
}

/// Why a ticket is visible to a contact (N3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", content = "group", rename_all = "snake_case")]
pub enum Admission {
    /// The ticket is associated with the contact (V1).
    OwnTicket,
    /// The ticket belongs to the contact's company and company access is on (V2).
    CompanyTicket,
    /// The ticket belongs to the contact's company and the contact meets this filter
    /// group (V3, zero-based).
    CompanyTicketByGroup(usize),
}

/// Why a ticket is hidden from a contact (N3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Denial {
    /// Neither the contact nor its primary company is associated with the ticket.
    NotAssociated,
    /// A company ticket, but company access is off.
    CompanyAccessOff,
    /// A company ticket, but the contact meets no group of the company-access filter.
    NoGroupMatched,
    /// Associated, but the ticket visibility filter (V5) excludes it.
    VisibilityFilter,
    /// A company ticket its requester made private (C5): only its people see it.
    PrivateTicket,
}

/// The explanation of one ticket for one contact (N3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Visible, and why.
    Admitted {
        /// The rule that admits it.
        by: Admission,
    },
    /// Hidden, and why.
    Denied {
        /// The rule that hides it.
        by: Denial,
    },
}

impl Verdict {
    /// Whether the ticket is visible.
    pub fn admitted(self) -> bool {
        matches!(self, Verdict::Admitted { .. })
    }
}

/// Explains whether `contact` sees `ticket` in the widest view (organization), and by
/// which rule. Agrees with `Scope::for_viewer(settings, contact, View::Organization).admits`.
pub fn explain(settings: &VisibilitySettings, contact: &Contact, ticket: &Ticket) -> Verdict {
    let own = ticket.contacts.contains(&contact.id);
    // The ticket's companies the contact belongs to; the first that grants decides.
    let mine: Vec<CompanyId> = contact
        .companies()
        .into_iter()
        .map(|m| m.company)
        .filter(|c| ticket.companies.contains(c))
        .collect();
    let company_ticket = !mine.is_empty();
    let grants: Vec<CompanyGrant> = mine
        .iter()
        .map(|c| company_grant_in(settings, contact, *c))
        .collect();
    let grant = grants
        .iter()
        .copied()
        .find(|g| g.granted())
        .or_else(|| grants.first().copied())
        .unwrap_or(CompanyGrant::NoCompany);
    let by = if own {
        Admission::OwnTicket
    } else if company_ticket && ticket.private {
        return Verdict::Denied {
            by: Denial::PrivateTicket,
        };
    } else if company_ticket {
        match grant {
            CompanyGrant::Granted(None) => Admission::CompanyTicket,
            CompanyGrant::Granted(Some(g)) => Admission::CompanyTicketByGroup(g),
            CompanyGrant::Off => {
                return Verdict::Denied {
                    by: Denial::CompanyAccessOff,
                };
            }
            CompanyGrant::NoGroupMatched | CompanyGrant::NoCompany => {
                return Verdict::Denied {
                    by: Denial::NoGroupMatched,
                };
            }
        }
    } else {
        return Verdict::Denied {
            by: Denial::NotAssociated,
        };
    };
    if settings
        .ticket_filter
        .as_ref()
        .is_some_and(|f| !f.matches(ticket))
    {
        return Verdict::Denied {
            by: Denial::VisibilityFilter,
        };
    }
    Verdict::Admitted { by }
}

/// The conversation a customer sees (V6): only the **oldest** thread of the ticket (by
/// start time, then id), and in it only public messages. `threads` are the threads
/// associated with one ticket.
pub fn customer_thread(threads: &[Thread]) -> Option<Thread> {
    let oldest = threads.iter().min_by_key(|t| (t.created_at, t.id))?;
    Some(Thread {
        messages: oldest
            .messages
            .iter()
            .filter(|m| is_public(m))
            .cloned()
            .collect(),
        ..oldest.clone()
    })
}

/// Whether the customer may ever see this message (V6: internal notes never show).
pub fn is_public(message: &Message) -> bool {
    message.visibility == MessageVisibility::Public
}

/// Whether a customer whose scope admits the ticket may download the attachment: it must
/// belong to a public message of the customer's thread (V6, V7). Callers check the scope
/// first; this checks the conversation.
pub fn attachment_visible(threads: &[Thread], attachment: AttachmentId) -> bool {
    customer_thread(threads).is_some_and(|t| {
        t.messages
            .iter()
            .any(|m| m.attachments.iter().any(|a| a.id == attachment))
    })
}
