//! The visibility scope and the list query as SQL.
//!
//! [`list_sql`], [`count_sql`] and [`find_sql`] translate a `portal_core` [`Scope`] and
//! [`TicketQuery`] into one statement with bind values. The semantics are those of
//! `portal_core::filter` and `portal_core::query` to the letter (unknown values, kinds,
//! ASCII case folding, byte-wise text order, NULLs first ascending); the contract suites
//! and the differential property test hold the two together.
//!
//! Two plans:
//! - sorted by last activity (the default), each association (the contact's, the
//!   company's) is walked on its `(id, last_activity_at, ticket_id)` index from the cursor
//!   and stops after one page, so a page costs the same for a company with a hundred tickets
//!   or a million;
//! - any other sort collects the scope's ticket ids from the association indexes and sorts
//!   them: the cost grows with the size of the scope, not of the table.

use portal_core::filter::{Criterion, Operator, fold};
use portal_core::model::{CompanyId, ContactId, TicketId, Value, ValueKind};
use portal_core::property::ticket_props;
use portal_core::query::{Cursor, Direction, MAX_PAGE_SIZE, TicketQuery};
use portal_core::visibility::Scope;

use crate::db::Backend;

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bind {
    /// A BIGINT.
    Int(i64),
    /// A TEXT.
    Text(String),
}

/// SQL text with its bind values, for one backend.
#[derive(Debug, Clone)]
pub struct Sql {
    /// The statement.
    pub text: String,
    /// The values, in placeholder order.
    pub binds: Vec<Bind>,
    /// Where each placeholder sits in `text` (byte range), in order, when every placeholder
    /// was written by [`Sql::bind`] into this statement.
    pub marks: Vec<(usize, usize)>,
    /// Whether the connection may keep the statement prepared for the next use (only for
    /// the few statement shapes of the hot paths, so each connection's cache stays small).
    pub cacheable: bool,
    backend: Backend,
}

impl Sql {
    /// An empty statement for `backend`.
    pub fn new(backend: Backend) -> Sql {
        Sql {
            text: String::with_capacity(512),
            binds: Vec::new(),
            marks: Vec::new(),
            cacheable: false,
            backend,
        }
    }

    /// Marks the statement for the connection's prepared-statement cache.
    pub fn cached(mut self, yes: bool) -> Sql {
        self.cacheable = yes;
        self
    }

    /// The text between and around the placeholders, when the marks describe every
    /// placeholder of the text exactly (a statement assembled from parts does not qualify).
    pub fn pieces(&self) -> Option<Vec<&str>> {
        if self.marks.len() != self.binds.len() {
            return None;
        }
        let mut out = Vec::with_capacity(self.marks.len() + 1);
        let mut last = 0;
        for (i, (start, end)) in self.marks.iter().enumerate() {
            let mark = self.text.get(*start..*end)?;
            let expected = match self.backend {
                Backend::Sqlite => "?".to_string(),
                Backend::Postgres => format!("${}", i + 1),
            };
            if *start < last || mark != expected {
                return None;
            }
            out.push(self.text.get(last..*start)?);
            last = *end;
        }
        out.push(self.text.get(last..)?);
        Some(out)
    }

    /// Appends SQL text.
    pub fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder bound to `b`.
    pub fn bind(&mut self, b: Bind) -> &mut Sql {
        self.binds.push(b);
        let start = self.text.len();
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.binds.len().to_string());
            }
        }
        self.marks.push((start, self.text.len()));
        self
    }

    fn int(&mut self, v: i64) -> &mut Sql {
        self.bind(Bind::Int(v))
    }

    fn str(&mut self, v: &str) -> &mut Sql {
        self.bind(Bind::Text(v.to_string()))
    }

    fn value(&mut self, v: &Value) -> &mut Sql {
        match v {
            Value::Text(s) => self.bind(Bind::Text(s.clone())),
            Value::Number(n) => self.bind(Bind::Int(*n)),
            Value::Date(t) => self.bind(Bind::Int(t.0)),
        }
    }

    fn pg(&self) -> bool {
        self.backend == Backend::Postgres
    }
}

/// The columns a ticket row is read from, in the order the row type reads them.
pub const TICKET_COLUMNS: &str = "t.id, t.subject, t.pipeline_id, t.stage_id, t.status, \
     t.owner_id, t.inbox_id, t.requester_id, t.contact_ids, t.company_ids, t.properties, \
     t.created_at, t.last_activity_at, t.private";

/// The kind stored in `ticket_props.kind`.
pub fn kind_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Text => "text",
        ValueKind::Number => "number",
        ValueKind::Date => "date",
    }
}

/// A built-in ticket property: its column and kind.
fn builtin(name: &str) -> Option<(&'static str, ValueKind)> {
    use ticket_props::*;
    Some(match name {
        ID => ("t.id", ValueKind::Number),
        SUBJECT => ("t.subject", ValueKind::Text),
        REQUESTED_BY => ("t.requester_id", ValueKind::Number),
        CREATED_AT => ("t.created_at", ValueKind::Date),
        OWNER => ("t.owner_id", ValueKind::Number),
        LAST_ACTIVITY_AT => ("t.last_activity_at", ValueKind::Date),
        STATUS => ("t.status", ValueKind::Text),
        PIPELINE => ("t.pipeline_id", ValueKind::Number),
        STAGE => ("t.stage_id", ValueKind::Number),
        INBOX => ("t.inbox_id", ValueKind::Number),
        _ => return None,
    })
}

/// Whether the statements of `query` come in few enough shapes for each connection to keep
/// them prepared: no column filter, or one that sets a property equal to one value (what a
/// list's column filter offers: one text per built-in column or value kind, the value
/// bound). Other filters are prepared for each use, so that no visitor fills the
/// connection's statement cache with shapes of their own making.
pub fn few_shapes(query: &TicketQuery) -> bool {
    match query.filters.as_slice() {
        [] => true,
        [c] => matches!(c.op, Operator::Equals(_)),
        _ => false,
    }
}

/// Whether `name` is a built-in ticket property (a column of `tickets`).
pub fn builtin_property(name: &str) -> bool {
    builtin(name).is_some()
}

/// `expr` lower-cased for ASCII letters only (the filter language's folding).
fn folded(sql: &Sql, expr: &str) -> String {
    if sql.pg() {
        format!("lower({expr} COLLATE \"C\")")
    } else {
        // SQLite's lower() folds ASCII only (no ICU).
        format!("lower({expr})")
    }
}

/// A condition that is true when the value in `expr` (of kind `kind`, NULL when unknown)
/// meets the positive form of `op`; `None` for the negative operators, which are built as
/// `NOT` of their positive twin.
fn value_condition(
    sql: &mut Sql,
    expr: &str,
    kind_cond: &dyn Fn(ValueKind) -> String,
    op: &Operator,
) {
    let eq = |sql: &mut Sql, v: &Value| {
        sql.push("(")
            .push(&kind_cond(v.kind()))
            .push(" AND ")
            .push(expr)
            .push(" = ");
        sql.value(v).push(")");
    };
    match op {
        Operator::Equals(v) | Operator::NotEquals(v) => eq(sql, v),
        Operator::IsAnyOf(vs) | Operator::IsNoneOf(vs) => {
            if vs.is_empty() {
                sql.push("1=0");
            }
            for (i, v) in vs.iter().enumerate() {
                if i > 0 {
                    sql.push(" OR ");
                }
                eq(sql, v);
            }
        }
        Operator::Contains(needle) => {
            let f = folded(sql, expr);
            sql.push("(")
                .push(&kind_cond(ValueKind::Text))
                .push(" AND ");
            if sql.pg() {
                sql.push("strpos(")
                    .push(&f)
                    .push(", ")
                    .str(&fold(needle))
                    .push(") > 0)");
            } else {
                sql.push("instr(")
                    .push(&f)
                    .push(", ")
                    .str(&fold(needle))
                    .push(") > 0)");
            }
        }
        Operator::StartsWith(prefix) => {
            let f = folded(sql, expr);
            sql.push("(")
                .push(&kind_cond(ValueKind::Text))
                .push(" AND ");
            if sql.pg() {
                sql.push("starts_with(")
                    .push(&f)
                    .push(", ")
                    .str(&fold(prefix))
                    .push("))");
            } else {
                let p = fold(prefix);
                sql.push("substr(")
                    .push(&f)
                    .push(", 1, ")
                    .int(p.chars().count() as i64);
                sql.push(") = ").str(&p).push(")");
            }
        }
        Operator::IsKnown | Operator::IsUnknown => {
            sql.push(expr).push(" IS NOT NULL");
        }
        Operator::GreaterThan(v) | Operator::LessThan(v) => {
            if v.kind() == ValueKind::Text {
                sql.push("1=0");
            } else {
                let cmp = if matches!(op, Operator::GreaterThan(_)) {
                    " > "
                } else {
                    " < "
                };
                sql.push("(")
                    .push(&kind_cond(v.kind()))
                    .push(" AND ")
                    .push(expr)
                    .push(cmp);
                sql.value(v).push(")");
            }
        }
    }
}

fn negative(op: &Operator) -> bool {
    matches!(
        op,
        Operator::NotEquals(_) | Operator::IsNoneOf(_) | Operator::IsUnknown
    )
}

/// One criterion on the ticket row `t`.
pub fn criterion(sql: &mut Sql, c: &Criterion) {
    criterion_keyed(sql, c, "t.id")
}

/// [`criterion`] with a custom property's rows looked up by `id` (`t.id`, or an
/// association's `a.ticket_id`, which holds the same ticket and spares the walk a read of
/// the ticket row).
fn criterion_keyed(sql: &mut Sql, c: &Criterion, id: &str) {
    let not = if negative(&c.op) { "NOT " } else { "" };
    match builtin(&c.property) {
        Some((col, kind)) => {
            let kind_cond = move |k: ValueKind| {
                if k == kind {
                    format!("{col} IS NOT NULL")
                } else {
                    "1=0".into()
                }
            };
            sql.push(not).push("(");
            value_condition(sql, col, &kind_cond, &c.op);
            sql.push(")");
        }
        None => {
            sql.push(not)
                .push("EXISTS (SELECT 1 FROM ticket_props p WHERE p.ticket_id = ")
                .push(id)
                .push(" AND p.name = ");
            sql.str(&c.property);
            if !matches!(c.op, Operator::IsKnown | Operator::IsUnknown) {
                sql.push(" AND (");
                let kind_cond = |k: ValueKind| format!("p.kind = '{}'", kind_name(k));
                let expr = match &c.op {
                    Operator::Contains(_) | Operator::StartsWith(_) => "p.text_value",
                    Operator::Equals(v)
                    | Operator::NotEquals(v)
                    | Operator::GreaterThan(v)
                    | Operator::LessThan(v) => value_column(v.kind()),
                    _ => "",
                };
                match &c.op {
                    Operator::IsAnyOf(vs) | Operator::IsNoneOf(vs) => {
                        if vs.is_empty() {
                            sql.push("1=0");
                        }
                        for (i, v) in vs.iter().enumerate() {
                            if i > 0 {
                                sql.push(" OR ");
                            }
                            sql.push("(").push(&kind_cond(v.kind())).push(" AND ");
                            sql.push(value_column(v.kind())).push(" = ");
                            sql.value(v).push(")");
                        }
                    }
                    op => value_condition(sql, expr, &kind_cond, op),
                }
                sql.push(")");
            }
            sql.push(")");
        }
    }
}

fn value_column(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Text => "p.text_value",
        ValueKind::Number | ValueKind::Date => "p.num_value",
    }
}

/// The normalised search words as a backend full-text query: every word as a prefix, all
/// required. Words are alphanumeric (`portal_core::query::words`), so nothing needs quoting.
pub fn fts_query(backend: Backend, words: &[String]) -> String {
    match backend {
        Backend::Sqlite => words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
        Backend::Postgres => words
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

/// Search, status, column filters and the V5 filter on `t` (each prefixed by ` AND `).
fn ticket_conditions(sql: &mut Sql, scope: &Scope, query: &TicketQuery) {
    conditions(sql, scope, query, true, "t")
}

/// The conditions, the status read from the row aliased `status_of` (`t`, or `a` for an
/// association, which carries it in its index).
fn conditions(
    sql: &mut Sql,
    scope: &Scope,
    query: &TicketQuery,
    with_search: bool,
    status_of: &str,
) {
    let id = if status_of == "t" {
        "t.id"
    } else {
        "a.ticket_id"
    };
    if let Some(f) = &scope.ticket_filter {
        sql.push(" AND (");
        if f.groups.is_empty() {
            sql.push("1=0");
        }
        for (i, g) in f.groups.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("(1=1");
            for c in &g.criteria {
                sql.push(" AND ");
                criterion_keyed(sql, c, id);
            }
            sql.push(")");
        }
        sql.push(")");
    }
    if let Some(status) = query.status {
        sql.push(" AND ")
            .push(status_of)
            .push(".status = ")
            .str(status.as_str());
    }
    if scope.shared_only {
        // C1 "Shared with me": requested by someone else (both rows carry the requester).
        // On the contact's association rows, `contact_id` is the viewer: written so, the
        // condition is the partial index's own (`ticket_contacts_shared`), and the walk
        // reads only the shared rows, not all of the viewer's tickets.
        if status_of == "t" {
            sql.push(" AND (t.requester_id IS NULL OR t.requester_id <> ")
                .int(scope.contact.0)
                .push(")");
        } else {
            sql.push(" AND (")
                .push(status_of)
                .push(".requester_id IS NULL OR ")
                .push(status_of)
                .push(".requester_id <> ")
                .push(status_of)
                .push(".contact_id)");
        }
    }
    for c in &query.filters {
        sql.push(" AND ");
        criterion_keyed(sql, c, id);
    }
    let words = if with_search {
        query.search_words()
    } else {
        Vec::new()
    };
    if !words.is_empty() {
        let q = fts_query(sql.backend, &words);
        if sql.pg() {
            sql.push(" AND t.search_vec @@ to_tsquery('simple', ")
                .str(&q)
                .push(")");
        } else {
            sql.push(" AND t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ")
                .str(&q)
                .push(")");
        }
    }
}

/// Whether the scope or the query has conditions on the ticket row itself (the status is
/// on the association too).
fn needs_ticket(scope: &Scope, query: &TicketQuery) -> bool {
    needs_ticket_without_search(scope, query) || !query.search_words().is_empty()
}

/// [`needs_ticket`] for the walk, which checks the search itself: a criterion on a ticket
/// column does; one on a custom property reads `ticket_props` by the association's ticket
/// id instead.
fn needs_ticket_without_search(scope: &Scope, query: &TicketQuery) -> bool {
    let on_ticket = |c: &Criterion| builtin(&c.property).is_some();
    scope
        .ticket_filter
        .iter()
        .flat_map(|f| &f.groups)
        .flat_map(|g| &g.criteria)
        .any(on_ticket)
        || query.filters.iter().any(on_ticket)
}

/// The association column that keys a sort walked on the association indexes, when the
/// sort is one of those.
fn walked_key(property: &str) -> Option<&'static str> {
    match property {
        ticket_props::LAST_ACTIVITY_AT => Some("last_activity_at"),
        ticket_props::CREATED_AT => Some("created_at"),
        _ => None,
    }
}

/// The ids of the tickets associated with the scope's contact or companies.
fn scope_ids(sql: &mut Sql, scope: &Scope) {
    sql.push("t.id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ")
        .int(scope.contact.0);
    if !scope.companies.is_empty() {
        sql.push(" UNION SELECT ticket_id FROM ticket_companies WHERE company_id");
        in_list(sql, &scope.companies);
    }
    sql.push(")");
}

/// ` = x` for one company, ` IN (x, y, …)` for several (C2).
fn in_list(sql: &mut Sql, companies: &[CompanyId]) {
    if let [one] = companies {
        sql.push(" = ").int(one.0);
        return;
    }
    sql.push(" IN (");
    for (i, c) in companies.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.int(c.0);
    }
    sql.push(")");
}

/// The sort key of the query: an SQL expression, the join it needs, and its kind.
struct SortKey {
    expr: String,
    join: Option<String>,
}

fn sort_key(sql: &mut Sql, property: &str, custom_kind: Option<ValueKind>) -> SortKey {
    let collate = |sql: &Sql, e: &str, kind: ValueKind| {
        if sql.pg() && kind == ValueKind::Text {
            format!("{e} COLLATE \"C\"")
        } else {
            e.to_string()
        }
    };
    if let Some((col, kind)) = builtin(property) {
        return SortKey {
            expr: collate(sql, col, kind),
            join: None,
        };
    }
    match custom_kind {
        Some(kind) => {
            let mut join = Sql::new(sql.backend);
            // Placeholders are numbered in text order: the join comes before WHERE.
            join.binds = std::mem::take(&mut sql.binds);
            // The join's text goes elsewhere in the statement: its marks would not hold.
            sql.marks.clear();
            join.push(" LEFT JOIN ticket_props sp ON sp.ticket_id = t.id AND sp.name = ")
                .str(property);
            join.push(" AND sp.kind = '")
                .push(kind_name(kind))
                .push("'");
            sql.binds = join.binds;
            let col = match kind {
                ValueKind::Text => "sp.text_value",
                _ => "sp.num_value",
            };
            SortKey {
                expr: collate(sql, col, kind),
                join: Some(join.text),
            }
        }
        None => SortKey {
            expr: "NULL".into(),
            join: None,
        },
    }
}

fn keyset(
    sql: &mut Sql,
    key: &str,
    direction: Direction,
    cursor: &Cursor,
    key_kind: Option<ValueKind>,
    id: &str,
) {
    let kind_ok = match (&cursor.key, key_kind) {
        (Some(v), Some(k)) => v.kind() == k,
        (Some(_), None) => false,
        (None, _) => true,
    };
    if !kind_ok {
        // A cursor from another sort: nothing comes after it.
        sql.push(" AND 1=0");
        return;
    }
    let cid = cursor.id.0;
    match (direction, &cursor.key) {
        (Direction::Asc, None) => {
            sql.push(" AND (")
                .push(key)
                .push(" IS NOT NULL OR ")
                .push(id)
                .push(" > ")
                .int(cid)
                .push(")");
        }
        (Direction::Asc, Some(v)) => {
            sql.push(" AND (").push(key).push(" > ").value(v);
            sql.push(" OR (")
                .push(key)
                .push(" = ")
                .value(v)
                .push(" AND ")
                .push(id)
                .push(" > ")
                .int(cid)
                .push("))");
        }
        (Direction::Desc, None) => {
            sql.push(" AND (")
                .push(key)
                .push(" IS NULL AND ")
                .push(id)
                .push(" < ")
                .int(cid)
                .push(")");
        }
        (Direction::Desc, Some(v)) => {
            sql.push(" AND (")
                .push(key)
                .push(" < ")
                .value(v)
                .push(" OR ")
                .push(key)
                .push(" IS NULL");
            sql.push(" OR (")
                .push(key)
                .push(" = ")
                .value(v)
                .push(" AND ")
                .push(id)
                .push(" < ")
                .int(cid)
                .push("))");
        }
    }
}

fn order(direction: Direction, key: &str, id: &str) -> String {
    match direction {
        Direction::Asc => format!(" ORDER BY {key} ASC NULLS FIRST, {id} ASC"),
        Direction::Desc => format!(" ORDER BY {key} DESC NULLS LAST, {id} DESC"),
    }
}

/// The page size asked for, plus one row that tells whether a next page exists.
pub fn fetch_limit(query: &TicketQuery) -> i64 {
    query.limit.clamp(1, MAX_PAGE_SIZE) as i64 + 1
}

/// One page of the list. `custom_kind` is the kind of the sort property when it is a custom
/// property (`None` when it is built in or undefined). Reads `fetch_limit` rows.
pub fn list_sql(
    backend: Backend,
    scope: &Scope,
    query: &TicketQuery,
    custom_kind: Option<ValueKind>,
) -> Sql {
    let mut sql = Sql::new(backend);
    let limit = fetch_limit(query);
    if let Some(key) = walked_key(&query.sort.property) {
        // The flat plan: one index walk per association, merged.
        let after = query.after.as_ref().map(|c| match &c.key {
            Some(Value::Date(at)) => Some((at.0, c.id.0)),
            _ => None,
        });
        keys_then_tickets(
            &mut sql,
            TICKET_COLUMNS,
            scope,
            query,
            key,
            after,
            true,
            limit,
        );
        return sql;
    }
    let key = sort_key(&mut sql, &query.sort.property, custom_kind);
    let key_kind = builtin(&query.sort.property)
        .map(|(_, k)| k)
        .or(custom_kind);
    sql.push("SELECT ")
        .push(TICKET_COLUMNS)
        .push(" FROM tickets t");
    if let Some(join) = &key.join {
        sql.push(join);
    }
    sql.push(" WHERE ");
    scope_ids(&mut sql, scope);
    ticket_conditions(&mut sql, scope, query);
    if let Some(c) = &query.after {
        keyset(
            &mut sql,
            &key.expr,
            query.sort.direction,
            c,
            key_kind,
            "t.id",
        );
    }
    sql.push(&order(query.sort.direction, &key.expr, "t.id"));
    sql.push(" LIMIT ").int(limit);
    sql
}

/// The scope walked in last-activity order from `after` (exclusive), at most `limit` rows,
/// with every condition but the search: `t.id, t.last_activity_at, t.search_doc`. The
/// search is then checked row by row on the document (see `repo::scan`), which stops as
/// soon as a page is full: common words cost a few rows instead of the whole text index.
pub fn walk_sql(
    backend: Backend,
    scope: &Scope,
    query: &TicketQuery,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Sql {
    let mut sql = Sql::new(backend);
    keys_then_tickets(
        &mut sql,
        "t.id, k.la AS last_activity_at, t.search_doc",
        scope,
        query,
        "last_activity_at",
        after.map(Some),
        false,
        limit,
    );
    sql
}

/// `SELECT columns FROM (keys) k JOIN tickets t …` in the order of `key` (an association
/// column: last activity or creation): each association's covering index is walked from
/// the cursor (`after`: `(key, id)`; `Some(None)` for a cursor of another sort, which
/// matches nothing), the narrow `(id, la)` keys of both are merged and de-duplicated, and
/// only the chosen `limit` tickets are read in full. A status filter is checked on the
/// association's own index. `with_search` adds the text search to the conditions.
#[allow(clippy::too_many_arguments)]
fn keys_then_tickets(
    sql: &mut Sql,
    columns: &str,
    scope: &Scope,
    query: &TicketQuery,
    key: &str,
    after: Option<Option<(i64, i64)>>,
    with_search: bool,
    limit: i64,
) {
    let (cmp, ord) = match query.sort.direction {
        Direction::Asc => (">", "ASC"),
        Direction::Desc => ("<", "DESC"),
    };
    let mut branches = vec![("ticket_contacts", "contact_id", scope.contact.0)];
    for c in &scope.companies {
        branches.push(("ticket_companies", "company_id", c.0));
    }
    let join = if with_search {
        needs_ticket(scope, query)
    } else {
        needs_ticket_without_search(scope, query)
    };
    // SQLite merges the arms of an ordered compound lazily when each arm is a plain walk of
    // its index: rows are pulled from the arms until the page is full, so a branch whose
    // newest rows are older than the page costs one row. Giving each arm its own `ORDER BY …
    // LIMIT` makes SQLite run it to its limit and sort it again first (a column filter that
    // matches one row in three walked three times the page per company: 162 against 104 µs
    // for two companies, measured on the 100k collaboration world). PostgreSQL plans the
    // union as a whole, and each arm's limit keeps its walk to a page's worth of keys.
    let wrapped = sql.pg();
    sql.push("SELECT ").push(columns).push(" FROM (");
    for (i, (table, col, id)) in branches.into_iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ");
        }
        if wrapped {
            sql.push("SELECT id, la FROM (");
        }
        sql.push("SELECT a.ticket_id AS id, a.")
            .push(key)
            .push(" AS la FROM ")
            .push(table)
            .push(" a");
        if join {
            sql.push(" JOIN tickets t ON t.id = a.ticket_id");
        }
        sql.push(" WHERE a.").push(col).push(" = ").int(id);
        match after {
            Some(Some((at, tid))) => {
                sql.push(" AND (a.")
                    .push(key)
                    .push(", a.ticket_id) ")
                    .push(cmp)
                    .push(" (");
                sql.int(at).push(", ").int(tid).push(")");
            }
            Some(None) => {
                sql.push(" AND 1=0");
            }
            None => {}
        }
        conditions(sql, scope, query, with_search, "a");
        if wrapped {
            sql.push(" ORDER BY a.")
                .push(key)
                .push(" ")
                .push(ord)
                .push(", a.ticket_id ")
                .push(ord)
                .push(" LIMIT ")
                .int(limit)
                .push(") b")
                .push(&i.to_string());
        }
    }
    sql.push(" ORDER BY la ")
        .push(ord)
        .push(", id ")
        .push(ord)
        .push(" LIMIT ")
        .int(limit);
    sql.push(") k JOIN tickets t ON t.id = k.id ORDER BY k.la ")
        .push(ord)
        .push(", k.id ")
        .push(ord);
}

/// How many tickets of the scope meet the query (cursor and limit ignored).
pub fn count_sql(backend: Backend, scope: &Scope, query: &TicketQuery) -> Sql {
    let mut sql = Sql::new(backend);
    sql.push("SELECT COUNT(*) AS n FROM tickets t WHERE ");
    scope_ids(&mut sql, scope);
    ticket_conditions(&mut sql, scope, query);
    sql
}

/// `min(count, cap)` in time proportional to `cap`: each association's index is walked for
/// at most `cap` matching rows. With companies the sets are made disjoint (each company's
/// tickets outside the companies before it, the contact's outside every company, each
/// checked with one probe of the companies' index) and their sizes added: no union to
/// de-duplicate. When the true count reaches `cap`, one term alone, or the terms together,
/// reach it; otherwise every term is exact.
pub fn count_capped_sql(backend: Backend, scope: &Scope, query: &TicketQuery, cap: u64) -> Sql {
    let mut sql = Sql::new(backend);
    sql.push("SELECT ");
    for (i, b) in disjoint_branches(scope).into_iter().enumerate() {
        if i > 0 {
            sql.push(" + ");
        }
        sql.push("(SELECT COUNT(*) FROM (");
        capped_branch(&mut sql, &b, scope, query, cap);
        let n = i.to_string();
        sql.push(" c").push(&n).push(") x").push(&n).push(")");
    }
    sql.push(" AS n");
    sql
}

/// A row when the company's branch alone holds at least `cap` matching tickets (then the
/// capped count of the whole scope is `cap`, with no union to de-duplicate): the index is
/// stepped over with `OFFSET`, about half the work of counting the rows one by one.
pub fn company_reaches_cap_sql(
    backend: Backend,
    scope: &Scope,
    query: &TicketQuery,
    cap: u64,
) -> Option<Sql> {
    // The first company alone reaching the cap settles it.
    let company = *scope.companies.first()?;
    let mut sql = Sql::new(backend);
    sql.push("SELECT a.ticket_id AS n FROM ticket_companies a");
    if needs_ticket(scope, query) {
        sql.push(" JOIN tickets t ON t.id = a.ticket_id");
    }
    sql.push(" WHERE a.company_id = ").int(company.0);
    conditions(&mut sql, scope, query, true, "a");
    sql.push(" LIMIT 1 OFFSET ")
        .int(cap.saturating_sub(1) as i64);
    Some(sql)
}

/// `SELECT id FROM (… at most cap ids of one branch …)`, the alias left to the caller.
fn capped_branch(sql: &mut Sql, branch: &Branch, scope: &Scope, query: &TicketQuery, cap: u64) {
    sql.push("SELECT id FROM (SELECT a.ticket_id AS id");
    // With nothing to check on the ticket, the association's covering index answers.
    let join = needs_ticket(scope, query);
    branch_rows(
        sql,
        (branch.table, branch.col, branch.id),
        scope,
        query,
        true,
        join,
        &branch.outside,
    );
    sql.push(" LIMIT ").int(cap as i64).push(")");
}

/// ` FROM table a [JOIN tickets t] WHERE a.col = id AND conditions [AND outside the
/// companies]`: the rows of one association that meet the scope and query (the search only
/// `with_search`), in the association index's order.
fn branch_rows(
    sql: &mut Sql,
    (table, col, id): (&str, &str, i64),
    scope: &Scope,
    query: &TicketQuery,
    with_search: bool,
    join: bool,
    outside: &[CompanyId],
) {
    sql.push(" FROM ").push(table).push(" a");
    if join {
        sql.push(" JOIN tickets t ON t.id = a.ticket_id");
    }
    sql.push(" WHERE a.").push(col).push(" = ").int(id);
    conditions(sql, scope, query, with_search, "a");
    if !outside.is_empty() {
        sql.push(" AND NOT EXISTS (SELECT 1 FROM ticket_companies o WHERE o.company_id");
        in_list(sql, outside);
        sql.push(" AND o.ticket_id = a.ticket_id)");
    }
}

/// One association of a scope, disjoint from the others: a company's tickets (outside the
/// companies before it) or the contact's (outside every company of the scope).
#[derive(Debug, Clone)]
pub struct Branch {
    table: &'static str,
    col: &'static str,
    id: i64,
    outside: Vec<CompanyId>,
}

impl Branch {
    /// [`branch_rows`] of this branch, without the search.
    fn rows(&self, sql: &mut Sql, scope: &Scope, query: &TicketQuery, join: bool) {
        branch_rows(
            sql,
            (self.table, self.col, self.id),
            scope,
            query,
            false,
            join,
            &self.outside,
        );
    }
}

/// The scope's disjoint branches, the companies' first (a large company settles a capped
/// count on its own).
pub fn disjoint_branches(scope: &Scope) -> Vec<Branch> {
    let mut out = Vec::with_capacity(scope.companies.len() + 1);
    for (i, c) in scope.companies.iter().enumerate() {
        out.push(Branch {
            table: "ticket_companies",
            col: "company_id",
            id: c.0,
            outside: scope.companies[..i].to_vec(),
        });
    }
    out.push(Branch {
        table: "ticket_contacts",
        col: "contact_id",
        id: scope.contact.0,
        outside: scope.companies.clone(),
    });
    out
}

/// `min(count, cap)` of a search in one branch of the scope, the database checking the words
/// on the documents of the branch's first `max_rows` rows (no order, no union, nothing read
/// back but the count): `n`. Settled when `n` reaches `cap` or the branch has fewer than
/// `max_rows` rows ([`branch_size_sql`]). A word starts one of the document's
/// space-separated words exactly when `' ' || doc` contains `' ' || word` (the core's
/// `words_match`).
///
/// The text index is not intersected with the scope's keys instead: a prefix query
/// (`printer*`) makes FTS5 merge the whole posting list of every word with that prefix
/// before its first row, whatever the `LIMIT` (12 ms at a million documents, measured), and
/// PostgreSQL's GIN index answers with a bitmap of every match; this walk is bounded.
pub fn search_count_sql(
    backend: Backend,
    scope: &Scope,
    query: &TicketQuery,
    branch: &Branch,
    cap: u64,
    max_rows: u64,
) -> Sql {
    let mut sql = Sql::new(backend);
    let find = if sql.pg() { "strpos" } else { "instr" };
    sql.push("SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM (SELECT t.search_doc AS doc");
    branch.rows(&mut sql, scope, query, true);
    sql.push(" LIMIT ")
        .int(max_rows as i64)
        .push(") d WHERE 1=1");
    for w in query.search_words() {
        sql.push(" AND ")
            .push(find)
            .push("(' ' || d.doc, ")
            .str(&format!(" {w}"))
            .push(") > 0");
    }
    sql.push(" LIMIT ").int(cap as i64).push(") found");
    sql
}

/// `min(rows, max_rows)` of one branch of the scope under the query without its search:
/// whether [`search_count_sql`] read the branch to its end.
pub fn branch_size_sql(
    backend: Backend,
    scope: &Scope,
    query: &TicketQuery,
    branch: &Branch,
    max_rows: u64,
) -> Sql {
    let mut sql = Sql::new(backend);
    let join = needs_ticket_without_search(scope, query);
    sql.push("SELECT COUNT(*) AS n FROM (SELECT 1 AS one");
    branch.rows(&mut sql, scope, query, join);
    sql.push(" LIMIT ").int(max_rows as i64).push(") s");
    sql
}

/// A session with, for a customer's session, its account and contact: one statement (on
/// PostgreSQL one round trip) for what every logged-in page needs first.
pub fn session_customer_sql(backend: Backend, token_hash: &str) -> Sql {
    let mut sql = Sql::new(backend);
    sql.push(
        "SELECT s.token_hash, s.principal_kind, s.principal_id, s.created_at, s.last_seen, \
         s.csrf_secret, a.id AS a_id, a.contact_id AS a_contact, a.email AS a_email, \
         a.password_hash AS a_password_hash, a.enabled AS a_enabled, \
         a.email_confirmed AS a_email_confirmed, a.language AS a_language, \
         a.consent_text AS a_consent_text, a.consent_at AS a_consent_at, \
         a.created_at AS a_created_at, a.time_zone AS a_time_zone, c.id AS c_id, \
         c.email AS c_email, \
         c.membership_email AS c_membership_email, c.first_name AS c_first_name, \
         c.last_name AS c_last_name, c.primary_company_id AS c_company, \
         c.language AS c_language, c.properties AS c_properties, \
         c.memberships AS c_memberships \
         FROM sessions s \
         LEFT JOIN accounts a ON s.principal_kind = 'customer' AND a.id = s.principal_id \
         LEFT JOIN contacts c ON c.id = a.contact_id \
         WHERE s.token_hash = ",
    )
    .str(token_hash);
    sql
}

/// Those of `among` who requested a ticket the scope admits: one probe of the requester
/// index per candidate, stopping at its first admitted ticket.
pub fn requesters_within_sql(backend: Backend, scope: &Scope, among: &[ContactId]) -> Sql {
    let mut sql = Sql::new(backend);
    sql.push("SELECT c.id AS id FROM contacts c WHERE c.id IN (");
    for (i, id) in among.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.int(id.0);
    }
    sql.push(")");
    if scope.ticket_filter.is_some() {
        // The V5 filter reads the ticket rows.
        sql.push(" AND EXISTS (SELECT 1 FROM tickets t WHERE t.requester_id = c.id AND ");
        scope_ids(&mut sql, scope);
        ticket_conditions(&mut sql, scope, &TicketQuery::default());
        sql.push(")");
        return sql;
    }
    // The associations carry the requester: one index probe per candidate and branch.
    sql.push(" AND (EXISTS (SELECT 1 FROM ticket_contacts a WHERE a.contact_id = ")
        .int(scope.contact.0)
        .push(" AND a.requester_id = c.id)");
    if !scope.companies.is_empty() {
        sql.push(" OR EXISTS (SELECT 1 FROM ticket_companies a WHERE a.company_id");
        in_list(&mut sql, &scope.companies);
        sql.push(" AND a.requester_id = c.id)");
    }
    sql.push(")");
    sql
}

/// The ticket `id` when the scope admits it.
pub fn find_sql(backend: Backend, scope: &Scope, id: TicketId) -> Sql {
    let mut sql = Sql::new(backend);
    sql.push("SELECT ")
        .push(TICKET_COLUMNS)
        .push(" FROM tickets t WHERE t.id = ")
        .int(id.0);
    sql.push(" AND (EXISTS (SELECT 1 FROM ticket_contacts a WHERE a.ticket_id = t.id AND a.contact_id = ");
    sql.int(scope.contact.0).push(")");
    if !scope.companies.is_empty() {
        sql.push(" OR EXISTS (SELECT 1 FROM ticket_companies b WHERE b.ticket_id = t.id AND b.company_id");
        in_list(&mut sql, &scope.companies);
        sql.push(")");
    }
    sql.push(")");
    ticket_conditions(&mut sql, scope, &TicketQuery::default());
    sql
}

#[cfg(test)]
mod prepared_tests {
    use super::*;

    #[test]
    fn only_a_single_equality_filter_is_kept_prepared() {
        let with = |filters: Vec<Criterion>| TicketQuery {
            filters,
            ..TicketQuery::default()
        };
        let eq = |p: &str, v: &str| Criterion::new(p, Operator::Equals(Value::text(v)));
        assert!(few_shapes(&with(vec![])));
        assert!(few_shapes(&with(vec![eq("priority", "high")])));
        assert!(!few_shapes(&with(vec![
            eq("priority", "high"),
            eq("tier", "gold")
        ])));
        assert!(!few_shapes(&with(vec![Criterion::new(
            "priority",
            Operator::Contains("hi".into())
        )])));
        assert!(!few_shapes(&with(vec![Criterion::new(
            "priority",
            Operator::IsAnyOf(vec![Value::text("high"), Value::text("low")])
        )])));
    }

    #[test]
    fn pieces_split_the_text_at_its_own_placeholders_only() {
        for (backend, first, second) in
            [(Backend::Sqlite, "?", "?"), (Backend::Postgres, "$1", "$2")]
        {
            let mut sql = Sql::new(backend);
            sql.push("SELECT a FROM t WHERE x = ")
                .int(1)
                .push(" AND y = ")
                .str("two")
                .push(" LIMIT 5");
            assert_eq!(
                sql.text,
                format!("SELECT a FROM t WHERE x = {first} AND y = {second} LIMIT 5")
            );
            assert_eq!(
                sql.pieces().unwrap(),
                vec!["SELECT a FROM t WHERE x = ", " AND y = ", " LIMIT 5"]
            );
            // Text moved around after binding: the marks no longer describe it.
            sql.text.insert_str(0, "/* moved */ ");
            assert_eq!(sql.pieces(), None);
        }
    }
}
