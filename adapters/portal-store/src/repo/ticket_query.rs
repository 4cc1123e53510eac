//! Ticket lists: the prepared walk over the association indexes, pages, capped counts.

use std::collections::BTreeMap;

use diesel::sql_types::{BigInt, Text};
use portal_core::model::*;
use portal_core::query::{Cursor, TicketPage, TicketQuery};
use portal_core::visibility::Scope;

use crate::Backend;
use crate::db::Db;
use crate::repo::QResult;
use crate::repo::load_raw;
use crate::repo::ticket_data::CountRow;
use crate::repo::ticket_data::TicketRow;
use crate::repo::ticket_data::custom_kind;
use crate::sql::{self, Bind, Sql};

pub(crate) fn backend_of(c: &Db) -> Backend {
    match c {
        Db::Sqlite(_) => Backend::Sqlite,
        Db::Pg(_) => Backend::Postgres,
    }
}

/// One page of the list (shared by `list` and the benchmarks).
#[derive(diesel::QueryableByName)]
pub(crate) struct WalkRow {
    #[diesel(sql_type = BigInt)]
    pub(crate) id: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) last_activity_at: i64,
    #[diesel(sql_type = Text)]
    pub(crate) search_doc: String,
}

/// The rows a search walk looks at before it gives way to the text index.
pub const SEARCH_WALK_ROWS: usize = 4096;

/// Whether a search document (distinct normalised words) has every query word as the start
/// of one of its words: the core's search semantics.
pub(crate) fn doc_matches(doc: &str, wanted: &[String]) -> bool {
    portal_core::query::words_match(wanted, doc.split(' '))
}

/// Walks the scope in the list's order from `after`, checking the search words on each
/// row's document, in chunks that grow (64, 256, 1024, …) until `want` matches are found,
/// the scope ends, or `max_rows` rows were read. Returns the matches (id, activity) in
/// order and whether the scope was read to its end.
pub(crate) fn scan(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    mut after: Option<(i64, i64)>,
    want: usize,
    max_rows: usize,
) -> QResult<(Vec<(i64, i64)>, bool)> {
    let wanted = query.search_words();
    let mut found = Vec::new();
    let mut read = 0usize;
    let mut chunk = 64usize.min(max_rows).max(1);
    loop {
        let rows: Vec<WalkRow> = load_raw(
            c,
            sql::walk_sql(backend_of(c), scope, query, after, chunk as i64)
                .cached(sql::few_shapes(query)),
        )?;
        let n = rows.len();
        read += n;
        for r in &rows {
            if doc_matches(&r.search_doc, &wanted) {
                found.push((r.id, r.last_activity_at));
                if found.len() >= want {
                    return Ok((found, false));
                }
            }
        }
        if n < chunk {
            return Ok((found, true));
        }
        if read >= max_rows {
            return Ok((found, false));
        }
        after = rows.last().map(|r| (r.last_activity_at, r.id));
        // Size the next chunk from the match rate so far (at least 1 in 64 assumed), with a
        // quarter to spare: common words stop within one more chunk.
        let rate = (found.len() as f64 / read as f64).max(1.0 / 64.0);
        let need = ((want - found.len()) as f64 / rate * 1.25).ceil() as usize;
        chunk = need.clamp(64, 4096).min(max_rows - read).max(1);
    }
}

/// The first page of a search, walked (see [`scan`]), and its capped count: known from the
/// page's walk when that read the whole scope, otherwise counted ([`capped_count`]).
pub(crate) fn walked_page_and_count(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    cap: u64,
    walk_rows: usize,
) -> QResult<Option<(TicketPage, u64)>> {
    if query.search_words().is_empty()
        || query.after.is_some()
        || query.sort.property != portal_core::property::ticket_props::LAST_ACTIVITY_AT
    {
        return Ok(None);
    }
    let limit = sql::fetch_limit(query) as usize;
    let (found, exhausted) = scan(c, scope, query, None, limit, walk_rows)?;
    if !(exhausted || found.len() >= limit) {
        return Ok(None);
    }
    let count = if exhausted {
        (found.len() as u64).min(cap)
    } else {
        capped_count(c, scope, query, cap, walk_rows)?
    };
    Ok(Some((page_of(c, query, &found)?, count)))
}

/// `min(count, cap)` of a search counted by the database on the documents of a bounded
/// walk of each disjoint branch of the scope, the company's first (see
/// `sql::search_count_sql`), when that settles it.
fn walked_search_count(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    cap: u64,
    max_rows: u64,
) -> QResult<Option<u64>> {
    let backend = backend_of(c);
    let plain = sql::few_shapes(query);
    let mut n = 0u64;
    for branch in sql::disjoint_branches(scope) {
        let rows: Vec<CountRow> = load_raw(
            c,
            sql::search_count_sql(backend, scope, query, &branch, cap - n, max_rows).cached(plain),
        )?;
        n += rows.first().map_or(0, |r| r.n as u64);
        if n >= cap {
            return Ok(Some(cap));
        }
        let size: Vec<CountRow> = load_raw(
            c,
            sql::branch_size_sql(backend, scope, query, &branch, max_rows).cached(plain),
        )?;
        if size.first().map_or(0, |r| r.n as u64) >= max_rows {
            return Ok(None);
        }
    }
    Ok(Some(n))
}

/// The page of the matched ids (in order), with its next cursor.
pub(crate) fn page_of(
    c: &mut Db,
    query: &TicketQuery,
    found: &[(i64, i64)],
) -> QResult<TicketPage> {
    let mut tickets = Vec::with_capacity(found.len());
    if !found.is_empty() {
        let mut sql = Sql::new(backend_of(c));
        sql.push("SELECT ")
            .push(sql::TICKET_COLUMNS)
            .push(" FROM tickets t WHERE t.id IN (");
        for (i, (id, _)) in found.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Bind::Int(*id));
        }
        sql.push(")");
        let rows: Vec<TicketRow> = load_raw(c, sql)?;
        let mut by_id: BTreeMap<i64, Ticket> = rows
            .into_iter()
            .map(|r| r.into_ticket().map(|t| (t.id.0, t)))
            .collect::<QResult<_>>()?;
        for (id, _) in found {
            if let Some(t) = by_id.remove(id) {
                tickets.push(t);
            }
        }
    }
    Ok(into_page(query, tickets))
}

/// The page of the rows fetched for `query` (one more than a page when there is more): the
/// extra row becomes the next cursor.
pub(crate) fn into_page(query: &TicketQuery, mut tickets: Vec<Ticket>) -> TicketPage {
    let page_size = (sql::fetch_limit(query) - 1) as usize;
    let next = if tickets.len() > page_size {
        tickets.truncate(page_size);
        tickets.last().map(|t| Cursor {
            key: query.key(t),
            id: t.id,
        })
    } else {
        None
    };
    TicketPage { tickets, next }
}

/// A search page answered by walking the scope (see [`scan`]), when that settles it.
pub(crate) fn walked_page(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    walk_rows: usize,
) -> QResult<Option<TicketPage>> {
    if query.search_words().is_empty()
        || query.sort.property != portal_core::property::ticket_props::LAST_ACTIVITY_AT
    {
        return Ok(None);
    }
    let after = match &query.after {
        None => None,
        Some(Cursor {
            key: Some(Value::Date(at)),
            id,
        }) => Some((at.0, id.0)),
        Some(_) => return Ok(None),
    };
    let limit = sql::fetch_limit(query) as usize;
    let (found, exhausted) = scan(c, scope, query, after, limit, walk_rows)?;
    if found.len() < limit && !exhausted {
        return Ok(None);
    }
    Ok(Some(page_of(c, query, &found)?))
}

pub(crate) fn list_page(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    walk_rows: usize,
) -> QResult<TicketPage> {
    if let Some(page) = walked_page(c, scope, query, walk_rows)? {
        return Ok(page);
    }
    let kind = if sql::builtin_property(&query.sort.property) {
        None
    } else {
        custom_kind(c, &query.sort.property)?
    };
    let plain = kind.is_none() && sql::few_shapes(query) && query.search_words().is_empty();
    let rows: Vec<TicketRow> = load_raw(
        c,
        sql::list_sql(backend_of(c), scope, query, kind).cached(plain),
    )?;
    let tickets = rows
        .into_iter()
        .map(TicketRow::into_ticket)
        .collect::<QResult<Vec<_>>>()?;
    Ok(into_page(query, tickets))
}

/// `min(count, cap)` of a scope and query (see `sql::count_capped_sql`). A search is first
/// counted on a bounded walk of the scope (see [`walked_search_count`]): common words reach
/// the cap within a few thousand rows; rare ones take the text index.
pub(crate) fn capped_count(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    cap: u64,
    walk_rows: usize,
) -> QResult<u64> {
    let backend = backend_of(c);
    if !query.search_words().is_empty() {
        let max_rows = 2 * walk_rows as u64;
        if let Some(n) = walked_search_count(c, scope, query, cap, max_rows)? {
            return Ok(n);
        }
    }
    let plain = sql::few_shapes(query) && query.search_words().is_empty();
    if let Some(probe) = sql::company_reaches_cap_sql(backend, scope, query, cap) {
        // A large company reaches the cap on its own branch.
        let rows: Vec<CountRow> = load_raw(c, probe.cached(plain))?;
        if !rows.is_empty() {
            return Ok(cap);
        }
    }
    let rows: Vec<CountRow> = load_raw(
        c,
        sql::count_capped_sql(backend, scope, query, cap).cached(plain),
    )?;
    Ok(rows.first().map_or(0, |r| r.n as u64).min(cap))
}
