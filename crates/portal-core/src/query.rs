//! The ticket list query (T1, T6): view, search, status and column filters, sort and
//! keyset paging, with a pure reference implementation.
//!
//! Storage adapters answer the same [`TicketQuery`] in their query language; the reference
//! functions here ([`TicketQuery::matches`], [`order`], [`reference_page`]) define what the
//! answer must be, and the in-memory adapter of the testkit is built on them.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::filter::Criterion;
use crate::model::{
    AgentId, InboxId, PipelineId, StageId, Thread, Ticket, TicketId, TicketStatus, Timestamp, Value,
};
use crate::property::{PropertySource, ticket_props};
use crate::visibility::{Scope, View, customer_thread};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Smallest first; unknown values first.
    Asc,
    /// Largest first; unknown values last.
    #[default]
    Desc,
}

/// The sort order of the list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sort {
    /// The ticket property sorted on.
    pub property: String,
    /// The direction; ties are broken by ticket id in the same direction.
    pub direction: Direction,
}

impl Default for Sort {
    /// Most recent activity first.
    fn default() -> Self {
        Sort {
            property: ticket_props::LAST_ACTIVITY_AT.into(),
            direction: Direction::Desc,
        }
    }
}

/// Where the next page starts: the sort key and id of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    /// The sort property's value on the last row (`None`: unknown).
    pub key: Option<Value>,
    /// The id of the last row.
    pub id: TicketId,
}

/// Most rows a page may ask for.
pub const MAX_PAGE_SIZE: usize = 200;

/// Records on one page of a staff list or of the API unless the caller asks otherwise.
pub const PAGE_DEFAULT: usize = 50;
/// The most records one page of a staff list or of the API holds. A use case refuses a
/// larger page rather than silently shortening it: a client that asked for more and got
/// fewer would believe it has everything.
pub const PAGE_MAX: usize = 100;

/// The page size asked for, checked: [`PAGE_DEFAULT`] when not given, else 1..=[`PAGE_MAX`].
pub fn page_size(asked: Option<usize>) -> Result<usize, crate::Error> {
    match asked {
        None => Ok(PAGE_DEFAULT),
        Some(n) => check_page_size(n),
    }
}

/// `n` when it is 1..=[`PAGE_MAX`], else `Invalid` on `limit` (`out_of_range`).
pub fn check_page_size(n: usize) -> Result<usize, crate::Error> {
    if (1..=PAGE_MAX).contains(&n) {
        Ok(n)
    } else {
        Err(crate::Error::invalid(
            "limit",
            "out_of_range",
            format!("1..={PAGE_MAX}"),
        ))
    }
}

/// A ticket list query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketQuery {
    /// The requested view (V4).
    pub view: View,
    /// Search text: every word must begin a word of the subject or of a public message.
    pub search: Option<String>,
    /// Only open or only closed tickets.
    pub status: Option<TicketStatus>,
    /// Column filters, all of which must hold.
    pub filters: Vec<Criterion>,
    /// Sort order.
    pub sort: Sort,
    /// Start after this row.
    pub after: Option<Cursor>,
    /// Page size (1..=[`MAX_PAGE_SIZE`]).
    pub limit: usize,
}

impl Default for TicketQuery {
    fn default() -> Self {
        TicketQuery {
            view: View::default(),
            search: None,
            status: None,
            filters: Vec::new(),
            sort: Sort::default(),
            after: None,
            limit: 25,
        }
    }
}

/// One page of tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPage {
    /// The rows, in order.
    pub tickets: Vec<Ticket>,
    /// The cursor of the next page, when there are more rows.
    pub next: Option<Cursor>,
}

/// The words of a text as search sees them: maximal runs of alphanumeric characters,
/// lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
}

/// Plain text of a sanitized HTML body: tags dropped, the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The text search looks at for a ticket: its subject and the public messages of the
/// conversation the customer sees (V6; internal notes are never searched).
pub fn searchable_text(ticket: &Ticket, threads: &[Thread]) -> String {
    let mut text = ticket.subject.clone();
    if let Some(thread) = customer_thread(threads) {
        for m in &thread.messages {
            text.push('\n');
            text.push_str(&html_to_text(&m.body));
        }
    }
    text
}

impl TicketQuery {
    /// The search words, when there are any.
    pub fn search_words(&self) -> Vec<String> {
        self.search
            .as_deref()
            .map(|s| words(s).collect())
            .unwrap_or_default()
    }

    /// Whether a ticket (already in scope) meets the search, status and column filters.
    /// `text` is its [`searchable_text`].
    pub fn matches(&self, ticket: &Ticket, text: &str) -> bool {
        if self.status.is_some_and(|s| s != ticket.status) {
            return false;
        }
        if !self.filters.iter().all(|c| c.matches(ticket)) {
            return false;
        }
        let have: Vec<String> = words(text).collect();
        words_match(&self.search_words(), have.iter().map(String::as_str))
    }

    /// The sort key of a ticket.
    pub fn key(&self, ticket: &Ticket) -> Option<Value> {
        ticket.property(&self.sort.property)
    }
}

/// Compares two rows `(key, id)` in the order of `direction`: unknown keys first when
/// ascending and last when descending; ties broken by id in the same direction.
pub fn order(
    direction: Direction,
    a: (&Option<Value>, TicketId),
    b: (&Option<Value>, TicketId),
) -> Ordering {
    let asc = a.0.cmp(b.0).then(a.1.cmp(&b.1));
    match direction {
        Direction::Asc => asc,
        Direction::Desc => asc.reverse(),
    }
}

/// The reference answer to a list query over `tickets` (each with its searchable text):
/// what every storage adapter must return.
pub fn reference_page<'a>(
    scope: &Scope,
    query: &TicketQuery,
    tickets: impl IntoIterator<Item = (&'a Ticket, &'a str)>,
) -> TicketPage {
    let mut rows: Vec<(Option<Value>, &Ticket)> = tickets
        .into_iter()
        .filter(|(t, text)| scope.admits(t) && query.matches(t, text))
        .map(|(t, _)| (query.key(t), t))
        .filter(|(k, t)| {
            query.after.as_ref().is_none_or(|c| {
                order(query.sort.direction, (k, t.id), (&c.key, c.id)) == Ordering::Greater
            })
        })
        .collect();
    rows.sort_by(|a, b| order(query.sort.direction, (&a.0, a.1.id), (&b.0, b.1.id)));
    let limit = query.limit.clamp(1, MAX_PAGE_SIZE);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|(k, t)| Cursor {
            key: k.clone(),
            id: t.id,
        })
    } else {
        None
    };
    TicketPage {
        tickets: rows.into_iter().map(|(_, t)| t.clone()).collect(),
        next,
    }
}

/// Whether every search word is a prefix of a word of `text` (the search semantics every
/// backend reproduces).
pub fn text_matches(search: &str, text: &str) -> bool {
    let wanted: Vec<String> = words(search).collect();
    let have: Vec<String> = words(text).collect();
    words_match(&wanted, have.iter().map(String::as_str))
}

/// The search rule on normalised words: every wanted word starts one of `have`.
pub fn words_match<'a>(wanted: &[String], have: impl Iterator<Item = &'a str> + Clone) -> bool {
    wanted
        .iter()
        .all(|w| have.clone().any(|h| h.starts_with(w.as_str())))
}

impl InboxQuery {
    /// Whether a ticket meets the inbox query (the keyset and limit aside). `text` is its
    /// [`searchable_text`].
    pub fn matches(&self, t: &Ticket, text: &str) -> bool {
        self.inbox.is_none_or(|i| t.inbox == Some(i))
            && self.pipeline.is_none_or(|p| t.pipeline == p)
            && self.stage.is_none_or(|s| t.stage == s)
            && self.status.is_none_or(|s| t.status == s)
            && match self.owner {
                None => true,
                Some(OwnerFilter::Unassigned) => t.owner.is_none(),
                Some(OwnerFilter::Agent(a)) => t.owner == Some(a),
            }
            && self.before.is_none_or(|b| (t.last_activity_at, t.id) < b)
            && text_matches(&self.search, text)
    }
}

/// Whose tickets the inbox shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    /// Tickets without an owner.
    Unassigned,
    /// Tickets this agent owns.
    Agent(AgentId),
}

/// The staff inbox's question (U1): every condition optional, newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InboxQuery {
    /// Only tickets that arrived in this inbox.
    pub inbox: Option<InboxId>,
    /// Only tickets of this pipeline.
    pub pipeline: Option<PipelineId>,
    /// Only tickets in this stage.
    pub stage: Option<StageId>,
    /// Only tickets with this owner (or none).
    pub owner: Option<OwnerFilter>,
    /// Only open or only closed tickets.
    pub status: Option<TicketStatus>,
    /// Words that must all occur (as prefixes) in the ticket's customer-visible text.
    pub search: String,
    /// Keyset: only tickets before this `(last_activity_at, id)` in the order.
    pub before: Option<(Timestamp, TicketId)>,
    /// At most this many (the page size).
    pub limit: usize,
}
