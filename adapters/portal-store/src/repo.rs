//! Every port of `portal-core` on [`Store`]. Each method is one closure on one pooled
//! connection (see [`Store::run`]); writes that touch several rows run in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::query::{Cursor, TicketPage, TicketQuery, searchable_text, words};
use portal_core::settings::PortalSettings;
use portal_core::visibility::Scope;
use portal_core::{PortError, PortResult};

use crate::db::{Db, port_error, with_conn};
use crate::schema::*;
use crate::sql::{self, Bind, Sql, kind_name};
use crate::{Backend, Store};

type QResult<T> = Result<T, DieselError>;

diesel::define_sql_function! {
    #[sql_name = "lower"]
    fn sql_lower(x: Text) -> Text;
}

diesel::define_sql_function! {
    #[sql_name = "lower"]
    fn sql_lower_nullable(x: diesel::sql_types::Nullable<Text>) -> diesel::sql_types::Nullable<Text>;
}

fn json<T: serde::Serialize>(v: &T) -> QResult<String> {
    serde_json::to_string(v).map_err(|e| DieselError::SerializationError(Box::new(e)))
}

fn unjson<T: serde::de::DeserializeOwned>(s: &str) -> QResult<T> {
    serde_json::from_str(s).map_err(|e| DieselError::DeserializationError(Box::new(e)))
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite, so concurrent writers wait
/// on the busy timeout instead of failing a lock upgrade; a plain transaction on PostgreSQL.
pub(crate) fn write<T>(conn: &mut Db, f: impl FnOnce(&mut Db) -> QResult<T>) -> QResult<T> {
    match conn {
        Db::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(v) => {
                    conn.batch_execute("COMMIT")?;
                    Ok(v)
                }
                Err(e) => {
                    // The original error matters more than a failed rollback.
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
        Db::Pg(_) => conn.transaction(f),
    }
}

impl Store {
    async fn q<T, F>(&self, f: F) -> PortResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> QResult<T> + Send + 'static,
    {
        self.run(move |c| f(c).map_err(port_error)).await
    }
}

/// A built statement that the connection may keep prepared: diesel's `sql_query` never
/// is, so hot statements pay their parse (and on PostgreSQL their planning round trip) every
/// time. The SQL is handed to diesel piece by piece between its placeholders, which diesel
/// writes itself; the statement cache keys on the resulting text and the bind types.
struct Prepared<'a> {
    pieces: Vec<&'a str>,
    binds: &'a [Bind],
}

impl diesel::query_builder::QueryId for Prepared<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Prepared<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<C> RunQueryDsl<C> for Prepared<'_> {}

impl<DB> diesel::query_builder::QueryFragment<DB> for Prepared<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<BigInt>
        + diesel::sql_types::HasSqlType<Text>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
    String: diesel::serialize::ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QResult<()> {
        for (i, piece) in self.pieces.iter().enumerate() {
            out.push_sql(piece);
            match self.binds.get(i) {
                Some(Bind::Int(v)) => out.push_bind_param::<BigInt, i64>(v)?,
                Some(Bind::Text(v)) => out.push_bind_param::<Text, String>(v)?,
                None => {}
            }
        }
        Ok(())
    }
}

/// Loads rows of `R` for a built statement.
pub(crate) fn load_raw<R>(conn: &mut Db, sql: Sql) -> QResult<Vec<R>>
where
    R: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    if sql.cacheable
        && let Some(pieces) = sql.pieces()
    {
        let q = Prepared {
            pieces,
            binds: &sql.binds,
        };
        return with_conn!(conn, c => q.load::<R>(c));
    }
    with_conn!(conn, c => {
        let mut q = diesel::sql_query(sql.text).into_boxed::<DB>();
        for b in sql.binds {
            q = match b {
                Bind::Int(v) => q.bind::<BigInt, _>(v),
                Bind::Text(s) => q.bind::<Text, _>(s),
            };
        }
        q.load::<R>(c)
    })
}

/// A session joined to its customer's account and contact (`sql::session_customer_sql`);
/// the account and contact columns are null for a staff session or a missing account.
#[derive(QueryableByName, Debug)]
struct SessionCustomerRow {
    #[diesel(sql_type = Text)]
    token_hash: String,
    #[diesel(sql_type = Text)]
    principal_kind: String,
    #[diesel(sql_type = BigInt)]
    principal_id: i64,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
    #[diesel(sql_type = BigInt)]
    last_seen: i64,
    #[diesel(sql_type = Text)]
    csrf_secret: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    a_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    a_contact: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    a_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    a_password_hash: Option<String>,
    #[diesel(sql_type = Nullable<Bool>)]
    a_enabled: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    a_email_confirmed: Option<bool>,
    #[diesel(sql_type = Nullable<Text>)]
    a_language: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    a_consent_text: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    a_consent_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    a_created_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    c_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    c_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    c_membership_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    c_first_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    c_last_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    c_company: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    c_language: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    c_properties: Option<String>,
}

/// A ticket as read by the list, find and get queries.
#[derive(QueryableByName, Queryable, Debug)]
pub(crate) struct TicketRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    subject: String,
    #[diesel(sql_type = BigInt)]
    pipeline_id: i64,
    #[diesel(sql_type = BigInt)]
    stage_id: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    owner_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    inbox_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    requester_id: Option<i64>,
    #[diesel(sql_type = Text)]
    contact_ids: String,
    #[diesel(sql_type = Text)]
    company_ids: String,
    #[diesel(sql_type = Text)]
    properties: String,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
    #[diesel(sql_type = BigInt)]
    last_activity_at: i64,
}

impl TicketRow {
    fn into_ticket(self) -> QResult<Ticket> {
        Ok(Ticket {
            id: TicketId(self.id),
            subject: self.subject,
            pipeline: PipelineId(self.pipeline_id),
            stage: StageId(self.stage_id),
            status: if self.status == "closed" {
                TicketStatus::Closed
            } else {
                TicketStatus::Open
            },
            owner: self.owner_id.map(AgentId),
            inbox: self.inbox_id.map(InboxId),
            requester: self.requester_id.map(ContactId),
            contacts: unjson::<BTreeSet<ContactId>>(&self.contact_ids)?,
            companies: unjson::<BTreeSet<CompanyId>>(&self.company_ids)?,
            properties: unjson(&self.properties)?,
            created_at: Timestamp(self.created_at),
            last_activity_at: Timestamp(self.last_activity_at),
        })
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

type TicketColumns = (
    tickets::id,
    tickets::subject,
    tickets::pipeline_id,
    tickets::stage_id,
    tickets::status,
    tickets::owner_id,
    tickets::inbox_id,
    tickets::requester_id,
    tickets::contact_ids,
    tickets::company_ids,
    tickets::properties,
    tickets::created_at,
    tickets::last_activity_at,
);

fn ticket_columns() -> TicketColumns {
    use tickets::*;
    (
        id,
        subject,
        pipeline_id,
        stage_id,
        status,
        owner_id,
        inbox_id,
        requester_id,
        contact_ids,
        company_ids,
        properties,
        created_at,
        last_activity_at,
    )
}

fn get_ticket(c: &mut Db, id: TicketId) -> QResult<Option<Ticket>> {
    tickets::table
        .find(id.0)
        .select(ticket_columns())
        .first::<TicketRow>(c)
        .optional()?
        .map(TicketRow::into_ticket)
        .transpose()
}

fn author_parts(a: Author) -> (&'static str, Option<i64>) {
    match a {
        Author::Contact(c) => ("contact", Some(c.0)),
        Author::Agent(a) => ("agent", Some(a.0)),
        Author::System => ("system", None),
    }
}

fn author(kind: &str, id: Option<i64>) -> Author {
    match (kind, id) {
        ("contact", Some(i)) => Author::Contact(ContactId(i)),
        ("agent", Some(i)) => Author::Agent(AgentId(i)),
        _ => Author::System,
    }
}

fn load_threads(c: &mut Db, ticket: TicketId) -> QResult<Vec<Thread>> {
    let ts: Vec<(i64, i64, i64)> = threads::table
        .filter(threads::ticket_id.eq(ticket.0))
        .select((threads::id, threads::inbox_id, threads::created_at))
        .order((threads::created_at, threads::id))
        .load(c)?;
    if ts.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = ts.iter().map(|t| t.0).collect();
    type MsgRow = (i64, i64, String, Option<i64>, bool, String, i64);
    let ms: Vec<MsgRow> = messages::table
        .filter(messages::thread_id.eq_any(&ids))
        .select((
            messages::id,
            messages::thread_id,
            messages::author_kind,
            messages::author_id,
            messages::public,
            messages::body,
            messages::created_at,
        ))
        .order(messages::id)
        .load(c)?;
    let mids: Vec<i64> = ms.iter().map(|m| m.0).collect();
    let mut atts: BTreeMap<i64, Vec<Attachment>> = BTreeMap::new();
    if !mids.is_empty() {
        let rows: Vec<(i64, i64, String, String, i64, String)> = attachments::table
            .filter(attachments::message_id.eq_any(&mids))
            .select((
                attachments::id,
                attachments::message_id,
                attachments::file_name,
                attachments::content_type,
                attachments::size,
                attachments::blob_key,
            ))
            .order(attachments::id)
            .load(c)?;
        for (id, mid, file_name, content_type, size, blob_key) in rows {
            atts.entry(mid).or_default().push(Attachment {
                id: AttachmentId(id),
                file_name,
                content_type,
                size: size as u64,
                blob_key,
            });
        }
    }
    let mut out: Vec<Thread> = ts
        .into_iter()
        .map(|(id, inbox, at)| Thread {
            id: ThreadId(id),
            ticket,
            inbox: InboxId(inbox),
            created_at: Timestamp(at),
            messages: Vec::new(),
        })
        .collect();
    for (id, thread, kind, author_id, public, body, at) in ms {
        if let Some(t) = out.iter_mut().find(|t| t.id.0 == thread) {
            t.messages.push(Message {
                id: MessageId(id),
                thread: ThreadId(thread),
                author: author(&kind, author_id),
                visibility: if public {
                    MessageVisibility::Public
                } else {
                    MessageVisibility::Internal
                },
                body,
                created_at: Timestamp(at),
                attachments: atts.remove(&id).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// The document full-text search indexes for a ticket: the distinct words of the core's
/// searchable text, normalised, in order of first appearance. Search asks whether every
/// query word starts some word of the ticket, so each word is needed once; a ticket with
/// thousands of replies keeps a document the size of its vocabulary.
pub fn search_doc(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    words(text)
        .filter(|w| seen.insert(w.clone()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Queues a mail in the outbox, due at `due` (ms), on the caller's connection (and so in
/// its transaction); returns its id.
fn queue_mail(c: &mut Db, mail: &OutgoingMail, due: i64) -> QResult<i64> {
    with_conn!(c, c => diesel::insert_into(outbox::table)
        .values((
            outbox::mail.eq(json(mail)?),
            outbox::attempts.eq(0i64),
            outbox::due_at.eq(due),
            outbox::lease_until.eq(i64::MIN),
            outbox::state.eq("queued"),
        ))
        .returning(outbox::id)
        .get_result(c))
}

/// Writes a ticket's search document (and, on SQLite, its FTS row).
fn write_search_doc(c: &mut Db, ticket: TicketId, doc: &str) -> QResult<()> {
    diesel::update(tickets::table.find(ticket.0))
        .set(tickets::search_doc.eq(doc))
        .execute(c)?;
    if let Db::Sqlite(s) = c {
        diesel::sql_query("DELETE FROM ticket_fts WHERE rowid = ?")
            .bind::<BigInt, _>(ticket.0)
            .execute(s)?;
        diesel::sql_query("INSERT INTO ticket_fts (rowid, doc) VALUES (?, ?)")
            .bind::<BigInt, _>(ticket.0)
            .bind::<Text, _>(doc)
            .execute(s)?;
    }
    Ok(())
}

/// A public message in the customer's conversation adds its new words to the ticket's
/// document; nothing else changes what search sees (V6), so nothing else re-indexes, and no
/// reply reads the ticket's whole history.
fn index_new_message(c: &mut Db, ticket: TicketId, thread: i64, message: &Message) -> QResult<()> {
    if message.visibility != MessageVisibility::Public {
        return Ok(());
    }
    let oldest: Option<i64> = threads::table
        .filter(threads::ticket_id.eq(ticket.0))
        .order((threads::created_at.asc(), threads::id.asc()))
        .select(threads::id)
        .first(c)
        .optional()?;
    if oldest != Some(thread) {
        return Ok(());
    }
    let doc: String = tickets::table
        .find(ticket.0)
        .select(tickets::search_doc)
        .first(c)?;
    let added = search_doc(&format!(
        "{doc} {}",
        portal_core::query::html_to_text(&message.body)
    ));
    if added != doc {
        write_search_doc(c, ticket, &added)?;
    }
    Ok(())
}

fn reindex(c: &mut Db, ticket: &Ticket) -> QResult<()> {
    let threads = load_threads(c, ticket.id)?;
    let doc = search_doc(&searchable_text(ticket, &threads));
    write_search_doc(c, ticket.id, &doc)
}

fn insert_message(
    c: &mut Db,
    thread: i64,
    content: NewMessageBody,
    at: Timestamp,
) -> QResult<Message> {
    let (kind, author_id) = author_parts(content.author);
    let public = content.visibility == MessageVisibility::Public;
    let id: i64 = with_conn!(c, c => diesel::insert_into(messages::table)
        .values((
            messages::thread_id.eq(thread),
            messages::author_kind.eq(kind),
            messages::author_id.eq(author_id),
            messages::public.eq(public),
            messages::body.eq(&content.body),
            messages::created_at.eq(at.0),
        ))
        .returning(messages::id)
        .get_result(c))?;
    let mut attachments = Vec::new();
    for a in content.attachments {
        let aid: i64 = with_conn!(c, c => diesel::insert_into(attachments::table)
            .values((
                attachments::message_id.eq(id),
                attachments::file_name.eq(&a.file_name),
                attachments::content_type.eq(&a.content_type),
                attachments::size.eq(a.size as i64),
                attachments::blob_key.eq(&a.blob_key),
            ))
            .returning(attachments::id)
            .get_result(c))?;
        attachments.push(Attachment {
            id: AttachmentId(aid),
            file_name: a.file_name,
            content_type: a.content_type,
            size: a.size,
            blob_key: a.blob_key,
        });
    }
    Ok(Message {
        id: MessageId(id),
        thread: ThreadId(thread),
        author: content.author,
        visibility: content.visibility,
        body: content.body,
        created_at: at,
        attachments,
    })
}

fn touch_activity(c: &mut Db, ticket: TicketId, at: Timestamp) -> QResult<usize> {
    let n = diesel::update(tickets::table.find(ticket.0))
        .set(tickets::last_activity_at.eq(at.0))
        .execute(c)?;
    diesel::update(ticket_contacts::table.filter(ticket_contacts::ticket_id.eq(ticket.0)))
        .set(ticket_contacts::last_activity_at.eq(at.0))
        .execute(c)?;
    diesel::update(ticket_companies::table.filter(ticket_companies::ticket_id.eq(ticket.0)))
        .set(ticket_companies::last_activity_at.eq(at.0))
        .execute(c)?;
    Ok(n)
}

/// The row values of a custom property.
pub(crate) fn prop_columns(v: &Value) -> (&'static str, Option<String>, Option<i64>) {
    match v {
        Value::Text(s) => (kind_name(ValueKind::Text), Some(s.clone()), None),
        Value::Number(n) => (kind_name(ValueKind::Number), None, Some(*n)),
        Value::Date(t) => (kind_name(ValueKind::Date), None, Some(t.0)),
    }
}

/// Writes a ticket with its associations and properties (no messages, no search document).
pub(crate) fn insert_ticket(c: &mut Db, new: &NewTicket) -> QResult<Ticket> {
    let id: i64 = with_conn!(c, c => diesel::insert_into(tickets::table)
        .values((
            tickets::subject.eq(&new.subject),
            tickets::pipeline_id.eq(new.pipeline.0),
            tickets::stage_id.eq(new.stage.0),
            tickets::status.eq(new.status.as_str()),
            tickets::owner_id.eq(new.owner.map(|a| a.0)),
            tickets::inbox_id.eq(new.inbox.map(|i| i.0)),
            tickets::requester_id.eq(new.requester.map(|r| r.0)),
            tickets::contact_ids.eq(json(&new.contacts)?),
            tickets::company_ids.eq(json(&new.companies)?),
            tickets::properties.eq(json(&new.properties)?),
            tickets::created_at.eq(new.created_at.0),
            tickets::last_activity_at.eq(new.created_at.0),
            tickets::search_doc.eq(""),
        ))
        .returning(tickets::id)
        .get_result(c))?;
    for contact in &new.contacts {
        diesel::insert_into(ticket_contacts::table)
            .values((
                ticket_contacts::contact_id.eq(contact.0),
                ticket_contacts::ticket_id.eq(id),
                ticket_contacts::last_activity_at.eq(new.created_at.0),
            ))
            .execute(c)?;
    }
    for company in &new.companies {
        diesel::insert_into(ticket_companies::table)
            .values((
                ticket_companies::company_id.eq(company.0),
                ticket_companies::ticket_id.eq(id),
                ticket_companies::last_activity_at.eq(new.created_at.0),
            ))
            .execute(c)?;
    }
    for (name, value) in &new.properties {
        let (kind, text, num) = prop_columns(value);
        diesel::insert_into(ticket_props::table)
            .values((
                ticket_props::ticket_id.eq(id),
                ticket_props::name.eq(name),
                ticket_props::kind.eq(kind),
                ticket_props::text_value.eq(text),
                ticket_props::num_value.eq(num),
            ))
            .execute(c)?;
    }
    Ok(Ticket {
        id: TicketId(id),
        subject: new.subject.clone(),
        pipeline: new.pipeline,
        stage: new.stage,
        status: new.status,
        owner: new.owner,
        inbox: new.inbox,
        requester: new.requester,
        contacts: new.contacts.clone(),
        companies: new.companies.clone(),
        properties: new.properties.clone(),
        created_at: new.created_at,
        last_activity_at: new.created_at,
    })
}

fn custom_kind(c: &mut Db, property: &str) -> QResult<Option<ValueKind>> {
    let kind: Option<String> = property_defs::table
        .filter(property_defs::object.eq("ticket"))
        .filter(property_defs::name.eq(property))
        .select(property_defs::kind)
        .first(c)
        .optional()?;
    Ok(kind.and_then(|k| match k.as_str() {
        "text" => Some(ValueKind::Text),
        "number" => Some(ValueKind::Number),
        "date" => Some(ValueKind::Date),
        _ => None,
    }))
}

fn backend_of(c: &Db) -> Backend {
    match c {
        Db::Sqlite(_) => Backend::Sqlite,
        Db::Pg(_) => Backend::Postgres,
    }
}

/// One page of the list (shared by `list` and the benchmarks).
#[derive(diesel::QueryableByName)]
struct WalkRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    last_activity_at: i64,
    #[diesel(sql_type = Text)]
    search_doc: String,
}

/// The rows a search walk looks at before it gives way to the text index.
pub const SEARCH_WALK_ROWS: usize = 4096;

/// Whether a search document (distinct normalised words) has every query word as the start
/// of one of its words: the core's search semantics.
fn doc_matches(doc: &str, wanted: &[String]) -> bool {
    portal_core::query::words_match(wanted, doc.split(' '))
}

/// Walks the scope in the list's order from `after`, checking the search words on each
/// row's document, in chunks that grow (64, 256, 1024, …) until `want` matches are found,
/// the scope ends, or `max_rows` rows were read. Returns the matches (id, activity) in
/// order and whether the scope was read to its end.
fn scan(
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
        // Column filters write their values into the text; the other shapes are few.
        let rows: Vec<WalkRow> = load_raw(
            c,
            sql::walk_sql(backend_of(c), scope, query, after, chunk as i64)
                .cached(query.filters.is_empty()),
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

/// The first page of a search and its capped count from one walk, when the walk settles
/// both (a page from the top: the count walks the same rows).
fn walked_page_and_count(
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
    let want = limit.max(cap as usize);
    let (found, exhausted) = scan(c, scope, query, None, want, 2 * walk_rows)?;
    if !(exhausted || found.len() >= want) {
        return Ok(None);
    }
    let count = (found.len() as u64).min(cap);
    let page = page_of(c, query, &found[..found.len().min(limit)])?;
    Ok(Some((page, count)))
}

/// The page of the matched ids (in order), with its next cursor.
fn page_of(c: &mut Db, query: &TicketQuery, found: &[(i64, i64)]) -> QResult<TicketPage> {
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
fn into_page(query: &TicketQuery, mut tickets: Vec<Ticket>) -> TicketPage {
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
fn walked_page(
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
    let plain = kind.is_none() && query.filters.is_empty() && query.search_words().is_empty();
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

/// `min(count, cap)` of a scope and query (see `sql::count_capped_sql`). A search first
/// walks the scope (see [`scan`]): common words reach the cap within a few thousand rows.
fn capped_count(
    c: &mut Db,
    scope: &Scope,
    query: &TicketQuery,
    cap: u64,
    walk_rows: usize,
) -> QResult<u64> {
    let backend = backend_of(c);
    if !query.search_words().is_empty() {
        let (found, exhausted) = scan(c, scope, query, None, cap as usize, 2 * walk_rows)?;
        if found.len() as u64 >= cap || exhausted {
            return Ok((found.len() as u64).min(cap));
        }
    }
    let plain = query.filters.is_empty() && query.search_words().is_empty();
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

#[async_trait]
impl TicketRepository for Store {
    async fn list(&self, scope: &Scope, query: &TicketQuery) -> PortResult<TicketPage> {
        let (scope, query) = (scope.clone(), query.clone());
        let walk = self.walk_rows();
        self.q(move |c| list_page(c, &scope, &query, walk)).await
    }

    async fn count(&self, scope: &Scope, query: &TicketQuery) -> PortResult<u64> {
        let (scope, query) = (scope.clone(), query.clone());
        self.q(move |c| {
            let rows: Vec<CountRow> = load_raw(c, sql::count_sql(backend_of(c), &scope, &query))?;
            Ok(rows.first().map_or(0, |r| r.n as u64))
        })
        .await
    }

    async fn requesters_within(
        &self,
        scope: &Scope,
        among: &[ContactId],
    ) -> PortResult<BTreeSet<ContactId>> {
        let (scope, among) = (scope.clone(), among.to_vec());
        self.q(move |c| {
            let mut out = BTreeSet::new();
            // Bounded statements: a company may have thousands of contacts.
            for chunk in among.chunks(500) {
                let rows: Vec<IdRow> =
                    load_raw(c, sql::requesters_within_sql(backend_of(c), &scope, chunk))?;
                out.extend(rows.into_iter().map(|r| ContactId(r.id)));
            }
            Ok(out)
        })
        .await
    }

    async fn list_counted(
        &self,
        scope: &Scope,
        query: &TicketQuery,
        cap: u64,
    ) -> PortResult<(TicketPage, u64)> {
        let (scope, query) = (scope.clone(), query.clone());
        let walk = self.walk_rows();
        self.q(move |c| {
            if let Some(both) = walked_page_and_count(c, &scope, &query, cap, walk)? {
                return Ok(both);
            }
            Ok((
                list_page(c, &scope, &query, walk)?,
                capped_count(c, &scope, &query, cap, walk)?,
            ))
        })
        .await
    }

    async fn count_up_to(&self, scope: &Scope, query: &TicketQuery, cap: u64) -> PortResult<u64> {
        let (scope, query) = (scope.clone(), query.clone());
        let walk = self.walk_rows();
        self.q(move |c| capped_count(c, &scope, &query, cap, walk))
            .await
    }

    async fn find(&self, scope: &Scope, id: TicketId) -> PortResult<Option<Ticket>> {
        let scope = scope.clone();
        self.q(move |c| {
            let rows: Vec<TicketRow> =
                load_raw(c, sql::find_sql(backend_of(c), &scope, id).cached(true))?;
            rows.into_iter()
                .next()
                .map(TicketRow::into_ticket)
                .transpose()
        })
        .await
    }

    async fn get(&self, id: TicketId) -> PortResult<Option<Ticket>> {
        self.q(move |c| get_ticket(c, id)).await
    }

    async fn inbox(&self, query: &InboxQuery) -> PortResult<Vec<Ticket>> {
        let q = query.clone();
        self.q(move |c| {
            let backend = backend_of(c);
            let mut sql = Sql::new(backend);
            sql.push("SELECT ")
                .push(sql::TICKET_COLUMNS)
                .push(" FROM tickets t WHERE 1=1");
            if let Some(i) = q.inbox {
                sql.push(" AND t.inbox_id = ").bind(Bind::Int(i.0));
            }
            if let Some(p) = q.pipeline {
                sql.push(" AND t.pipeline_id = ").bind(Bind::Int(p.0));
            }
            if let Some(st) = q.stage {
                sql.push(" AND t.stage_id = ").bind(Bind::Int(st.0));
            }
            if let Some(st) = q.status {
                sql.push(" AND t.status = ")
                    .bind(Bind::Text(st.as_str().into()));
            }
            match q.owner {
                None => {}
                Some(OwnerFilter::Unassigned) => {
                    sql.push(" AND t.owner_id IS NULL");
                }
                Some(OwnerFilter::Agent(a)) => {
                    sql.push(" AND t.owner_id = ").bind(Bind::Int(a.0));
                }
            }
            if let Some((at, id)) = q.before {
                sql.push(" AND (t.last_activity_at < ")
                    .bind(Bind::Int(at.0))
                    .push(" OR (t.last_activity_at = ")
                    .bind(Bind::Int(at.0))
                    .push(" AND t.id < ")
                    .bind(Bind::Int(id.0))
                    .push("))");
            }
            let w: Vec<String> = words(&q.search).collect();
            if !w.is_empty() {
                let fts = sql::fts_query(backend, &w);
                match backend {
                    Backend::Postgres => sql
                        .push(" AND t.search_vec @@ to_tsquery('simple', ")
                        .bind(Bind::Text(fts))
                        .push(")"),
                    Backend::Sqlite => sql
                        .push(" AND t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ")
                        .bind(Bind::Text(fts))
                        .push(")"),
                };
            }
            sql.push(" ORDER BY t.last_activity_at DESC, t.id DESC LIMIT ")
                .bind(Bind::Int(q.limit as i64));
            let rows: Vec<TicketRow> = load_raw(c, sql)?;
            rows.into_iter().map(TicketRow::into_ticket).collect()
        })
        .await
    }

    async fn set_owner(
        &self,
        id: TicketId,
        owner: Option<AgentId>,
        at: Timestamp,
    ) -> PortResult<()> {
        self.q(move |c| {
            write(c, |c| {
                let n = diesel::update(tickets::table.find(id.0))
                    .set(tickets::owner_id.eq(owner.map(|a| a.0)))
                    .execute(c)?;
                if n == 0 {
                    return Err(DieselError::NotFound);
                }
                touch_activity(c, id, at)?;
                Ok(())
            })
        })
        .await
    }

    async fn related(
        &self,
        contact: ContactId,
        company: Option<CompanyId>,
        limit: usize,
    ) -> PortResult<Vec<Ticket>> {
        self.q(move |c| {
            let mut sql = Sql::new(backend_of(c));
            sql.push("SELECT ").push(sql::TICKET_COLUMNS).push(" FROM tickets t WHERE t.id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ");
            sql.bind(Bind::Int(contact.0));
            if let Some(co) = company {
                sql.push(" UNION SELECT ticket_id FROM ticket_companies WHERE company_id = ").bind(Bind::Int(co.0));
            }
            sql.push(") ORDER BY t.last_activity_at DESC, t.id DESC LIMIT ").bind(Bind::Int(limit as i64));
            let rows: Vec<TicketRow> = load_raw(c, sql)?;
            rows.into_iter().map(TicketRow::into_ticket).collect()
        })
        .await
    }

    async fn threads(&self, ticket: TicketId) -> PortResult<Vec<Thread>> {
        self.q(move |c| load_threads(c, ticket)).await
    }

    async fn oldest_thread(&self, ticket: TicketId) -> PortResult<Option<ThreadId>> {
        self.q(move |c| {
            let id: Option<i64> = threads::table
                .filter(threads::ticket_id.eq(ticket.0))
                .order((threads::created_at.asc(), threads::id.asc()))
                .select(threads::id)
                .first(c)
                .optional()?;
            Ok(id.map(ThreadId))
        })
        .await
    }

    async fn create(&self, new: NewTicket) -> PortResult<Ticket> {
        self.q(move |c| {
            write(c, |c| {
                let ticket = insert_ticket(c, &new)?;
                if let Some(first) = new.first_message {
                    let inbox = new.inbox.ok_or(DieselError::RollbackTransaction)?;
                    let thread: i64 = with_conn!(c, c => diesel::insert_into(threads::table)
                        .values((
                            threads::ticket_id.eq(ticket.id.0),
                            threads::inbox_id.eq(inbox.0),
                            threads::created_at.eq(new.created_at.0),
                        ))
                        .returning(threads::id)
                        .get_result(c))?;
                    insert_message(c, thread, first, new.created_at)?;
                }
                reindex(c, &ticket)?;
                Ok(ticket)
            })
        })
        .await
    }

    async fn add_message(&self, new: NewMessage) -> PortResult<Message> {
        self.q(move |c| {
            write(c, |c| {
                let ticket = get_ticket(c, new.ticket)?.ok_or(DieselError::NotFound)?;
                let thread = match new.thread {
                    ThreadTarget::Existing(id) => {
                        let owner: i64 = threads::table
                            .find(id.0)
                            .select(threads::ticket_id)
                            .first(c)?;
                        if owner != ticket.id.0 {
                            return Err(DieselError::NotFound);
                        }
                        id.0
                    }
                    ThreadTarget::New(inbox) => {
                        // A ticket without an inbox joins the inbox its conversation
                        // opened in (P4), so that inbox's filter lists it.
                        with_conn!(c, c => diesel::update(
                            tickets::table
                                .filter(tickets::id.eq(ticket.id.0))
                                .filter(tickets::inbox_id.is_null()),
                        )
                        .set(tickets::inbox_id.eq(inbox.0))
                        .execute(c))?;
                        with_conn!(c, c => diesel::insert_into(threads::table)
                        .values((
                            threads::ticket_id.eq(ticket.id.0),
                            threads::inbox_id.eq(inbox.0),
                            threads::created_at.eq(new.at.0),
                        ))
                        .returning(threads::id)
                        .get_result(c))?
                    }
                };
                let message = insert_message(c, thread, new.content, new.at)?;
                touch_activity(c, ticket.id, new.at)?;
                index_new_message(c, ticket.id, thread, &message)?;
                for mail in &new.mails {
                    queue_mail(c, mail, new.at.0)?;
                }
                Ok(message)
            })
        })
        .await
    }

    async fn move_to_stage(
        &self,
        id: TicketId,
        stage: StageId,
        status: TicketStatus,
        at: Timestamp,
    ) -> PortResult<()> {
        self.q(move |c| {
            write(c, |c| {
                let n = diesel::update(tickets::table.find(id.0))
                    .set((
                        tickets::stage_id.eq(stage.0),
                        tickets::status.eq(status.as_str()),
                    ))
                    .execute(c)?;
                if n == 0 {
                    return Err(DieselError::NotFound);
                }
                touch_activity(c, id, at)?;
                Ok(())
            })
        })
        .await
    }

    async fn attachment(&self, id: AttachmentId) -> PortResult<Option<(TicketId, Attachment)>> {
        self.q(move |c| {
            let row: Option<(i64, String, String, i64, String, i64)> = attachments::table
                .inner_join(messages::table.on(messages::id.eq(attachments::message_id)))
                .inner_join(threads::table.on(threads::id.eq(messages::thread_id)))
                .filter(attachments::id.eq(id.0))
                .select((
                    attachments::id,
                    attachments::file_name,
                    attachments::content_type,
                    attachments::size,
                    attachments::blob_key,
                    threads::ticket_id,
                ))
                .first(c)
                .optional()?;
            Ok(
                row.map(|(id, file_name, content_type, size, blob_key, ticket)| {
                    (
                        TicketId(ticket),
                        Attachment {
                            id: AttachmentId(id),
                            file_name,
                            content_type,
                            size: size as u64,
                            blob_key,
                        },
                    )
                }),
            )
        })
        .await
    }

    async fn update_ticket(
        &self,
        id: TicketId,
        subject: &str,
        properties: &Properties,
        at: Timestamp,
    ) -> PortResult<()> {
        let (subject, properties) = (subject.to_string(), properties.clone());
        self.q(move |c| {
            write(c, |c| {
                let n = diesel::update(tickets::table.find(id.0))
                    .set((
                        tickets::subject.eq(&subject),
                        tickets::properties.eq(json(&properties)?),
                    ))
                    .execute(c)?;
                if n == 0 {
                    return Err(DieselError::NotFound);
                }
                diesel::delete(ticket_props::table.filter(ticket_props::ticket_id.eq(id.0)))
                    .execute(c)?;
                for (name, value) in &properties {
                    let (kind, text, num) = prop_columns(value);
                    diesel::insert_into(ticket_props::table)
                        .values((
                            ticket_props::ticket_id.eq(id.0),
                            ticket_props::name.eq(name),
                            ticket_props::kind.eq(kind),
                            ticket_props::text_value.eq(text),
                            ticket_props::num_value.eq(num),
                        ))
                        .execute(c)?;
                }
                touch_activity(c, id, at)?;
                let ticket = get_ticket(c, id)?.ok_or(DieselError::NotFound)?;
                reindex(c, &ticket)
            })
        })
        .await
    }

    async fn update_message(
        &self,
        ticket: TicketId,
        message: MessageId,
        body: &str,
    ) -> PortResult<()> {
        let body = body.to_string();
        self.q(move |c| {
            write(c, |c| {
                let threads_of_ticket = threads::table
                    .filter(threads::ticket_id.eq(ticket.0))
                    .select(threads::id);
                let n = diesel::update(
                    messages::table
                        .filter(messages::id.eq(message.0))
                        .filter(messages::thread_id.eq_any(threads_of_ticket)),
                )
                .set(messages::body.eq(&body))
                .execute(c)?;
                if n == 0 {
                    return Err(DieselError::NotFound);
                }
                let t = get_ticket(c, ticket)?.ok_or(DieselError::NotFound)?;
                reindex(c, &t)
            })
        })
        .await
    }
}

type ContactRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
);

type ContactColumns = (
    contacts::id,
    contacts::email,
    contacts::membership_email,
    contacts::first_name,
    contacts::last_name,
    contacts::primary_company_id,
    contacts::language,
    contacts::properties,
);

fn contact_columns() -> ContactColumns {
    use contacts::*;
    (
        id,
        email,
        membership_email,
        first_name,
        last_name,
        primary_company_id,
        language,
        properties,
    )
}

fn to_contact(r: ContactRow) -> QResult<Contact> {
    Ok(Contact {
        id: ContactId(r.0),
        email: r.1,
        membership_email: r.2,
        first_name: r.3,
        last_name: r.4,
        primary_company: r.5.map(CompanyId),
        language: r.6,
        properties: unjson(&r.7)?,
    })
}

fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `%text%` for LIKE, lower-cased, with `\`, `%` and `_` escaped by `\`.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[async_trait]
impl Directory for Store {
    async fn contact(&self, id: ContactId) -> PortResult<Option<Contact>> {
        self.q(move |c| {
            contacts::table
                .find(id.0)
                .select(contact_columns())
                .first::<ContactRow>(c)
                .optional()?
                .map(to_contact)
                .transpose()
        })
        .await
    }

    async fn contact_by_email(&self, email: &str) -> PortResult<Option<Contact>> {
        let email = lower(email);
        self.q(move |c| {
            contacts::table
                .filter(contacts::email_lower.eq(&email))
                .select(contact_columns())
                .first::<ContactRow>(c)
                .optional()?
                .map(to_contact)
                .transpose()
        })
        .await
    }

    async fn create_contact(&self, new: NewContact) -> PortResult<Contact> {
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(contacts::table)
                .values((
                    contacts::email.eq(&new.email),
                    contacts::email_lower.eq(lower(&new.email)),
                    contacts::membership_email.eq(&new.membership_email),
                    contacts::first_name.eq(&new.first_name),
                    contacts::last_name.eq(&new.last_name),
                    contacts::primary_company_id.eq(new.primary_company.map(|x| x.0)),
                    contacts::language.eq(&new.language),
                    contacts::properties.eq(json(&new.properties)?),
                ))
                .returning(contacts::id)
                .get_result(c))?;
            Ok(Contact {
                id: ContactId(id),
                email: new.email,
                membership_email: new.membership_email,
                first_name: new.first_name,
                last_name: new.last_name,
                primary_company: new.primary_company,
                language: new.language,
                properties: new.properties,
            })
        })
        .await
    }

    async fn update_contact(&self, contact: &Contact) -> PortResult<()> {
        let k = contact.clone();
        self.q(move |c| {
            let n = diesel::update(contacts::table.find(k.id.0))
                .set((
                    contacts::email.eq(&k.email),
                    contacts::email_lower.eq(lower(&k.email)),
                    contacts::membership_email.eq(&k.membership_email),
                    contacts::first_name.eq(&k.first_name),
                    contacts::last_name.eq(&k.last_name),
                    contacts::primary_company_id.eq(k.primary_company.map(|x| x.0)),
                    contacts::language.eq(&k.language),
                    contacts::properties.eq(json(&k.properties)?),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn company_contacts(&self, company: CompanyId) -> PortResult<Vec<Contact>> {
        self.q(move |c| {
            contacts::table
                .filter(contacts::primary_company_id.eq(company.0))
                .select(contact_columns())
                .order(contacts::id)
                .load::<ContactRow>(c)?
                .into_iter()
                .map(to_contact)
                .collect()
        })
        .await
    }

    async fn company(&self, id: CompanyId) -> PortResult<Option<Company>> {
        self.q(move |c| {
            let row: Option<(i64, String, Option<String>)> =
                companies::table.find(id.0).first(c).optional()?;
            Ok(row.map(|(id, name, domain)| Company {
                id: CompanyId(id),
                name,
                domain,
            }))
        })
        .await
    }

    async fn company_by_name_or_domain(&self, key: &str) -> PortResult<Option<Company>> {
        let key = lower(key);
        if key.is_empty() {
            return Ok(None);
        }
        self.q(move |c| {
            let row: Option<(i64, String, Option<String>)> = companies::table
                .filter(
                    sql_lower(companies::name)
                        .eq(&key)
                        .or(sql_lower_nullable(companies::domain).eq(&key)),
                )
                .order(companies::id)
                .first(c)
                .optional()?;
            Ok(row.map(|(id, name, domain)| Company {
                id: CompanyId(id),
                name,
                domain,
            }))
        })
        .await
    }

    async fn create_company(&self, name: &str, domain: Option<&str>) -> PortResult<Company> {
        let (name, domain) = (name.to_string(), domain.map(str::to_string));
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(companies::table)
                .values((companies::name.eq(&name), companies::domain.eq(&domain)))
                .returning(companies::id)
                .get_result(c))?;
            Ok(Company {
                id: CompanyId(id),
                name,
                domain,
            })
        })
        .await
    }

    async fn lists(&self) -> PortResult<Vec<ContactList>> {
        self.q(|c| {
            let rows: Vec<(i64, String)> = lists::table.order(lists::id).load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| ContactList {
                    id: ListId(id),
                    name,
                })
                .collect())
        })
        .await
    }

    async fn create_list(&self, name: &str) -> PortResult<ContactList> {
        let name = name.to_string();
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(lists::table)
                .values(lists::name.eq(&name))
                .returning(lists::id)
                .get_result(c))?;
            Ok(ContactList {
                id: ListId(id),
                name,
            })
        })
        .await
    }

    async fn add_member(&self, list: ListId, contact: ContactId) -> PortResult<()> {
        self.q(move |c| {
            let exists: i64 = list_members::table
                .filter(list_members::list_id.eq(list.0))
                .filter(list_members::contact_id.eq(contact.0))
                .count()
                .get_result(c)?;
            if exists > 0 {
                return Ok(());
            }
            diesel::insert_into(list_members::table)
                .values((
                    list_members::list_id.eq(list.0),
                    list_members::contact_id.eq(contact.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn remove_member(&self, list: ListId, contact: ContactId) -> PortResult<()> {
        self.q(move |c| {
            diesel::delete(
                list_members::table
                    .filter(list_members::list_id.eq(list.0))
                    .filter(list_members::contact_id.eq(contact.0)),
            )
            .execute(c)
            .map(|_| ())
        })
        .await
    }

    async fn members(&self, list: ListId) -> PortResult<Vec<ContactId>> {
        self.q(move |c| {
            let ids: Vec<i64> = list_members::table
                .filter(list_members::list_id.eq(list.0))
                .select(list_members::contact_id)
                .order(list_members::contact_id)
                .load(c)?;
            Ok(ids.into_iter().map(ContactId).collect())
        })
        .await
    }

    async fn contacts(&self, query: &RecordQuery) -> PortResult<Vec<Contact>> {
        let q = query.clone();
        self.q(move |c| {
            let pattern = q.search.as_deref().map(like_pattern);
            let rows: Vec<ContactRow> = with_conn!(c, c => {
                let mut sel = contacts::table
                    .select(contact_columns())
                    .order(contacts::id)
                    .limit(q.limit as i64)
                    .into_boxed();
                if let Some(after) = q.after {
                    sel = sel.filter(contacts::id.gt(after));
                }
                if let Some(company) = q.company {
                    sel = sel.filter(contacts::primary_company_id.eq(company.0));
                }
                if let Some(p) = &pattern {
                    sel = sel.filter(
                        contacts::email_lower
                            .like(p.clone())
                            .escape('\\')
                            .or(sql_lower(contacts::first_name).like(p.clone()).escape('\\'))
                            .or(sql_lower(contacts::last_name).like(p.clone()).escape('\\')),
                    );
                }
                sel.load(c)
            })?;
            rows.into_iter().map(to_contact).collect()
        })
        .await
    }

    async fn companies(&self, query: &RecordQuery) -> PortResult<Vec<Company>> {
        let q = query.clone();
        self.q(move |c| {
            let pattern = q.search.as_deref().map(like_pattern);
            let rows: Vec<(i64, String, Option<String>)> = with_conn!(c, c => {
                let mut sel = companies::table
                    .order(companies::id)
                    .limit(q.limit as i64)
                    .into_boxed();
                if let Some(after) = q.after {
                    sel = sel.filter(companies::id.gt(after));
                }
                if let Some(p) = &pattern {
                    sel = sel.filter(
                        sql_lower(companies::name)
                            .like(p.clone())
                            .escape('\\')
                            .or(sql_lower_nullable(companies::domain).like(p.clone()).escape('\\')),
                    );
                }
                sel.load(c)
            })?;
            Ok(rows
                .into_iter()
                .map(|(id, name, domain)| Company {
                    id: CompanyId(id),
                    name,
                    domain,
                })
                .collect())
        })
        .await
    }

    async fn update_company(&self, company: &Company) -> PortResult<()> {
        let k = company.clone();
        self.q(move |c| {
            let n = diesel::update(companies::table.find(k.id.0))
                .set((companies::name.eq(&k.name), companies::domain.eq(&k.domain)))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn rename_list(&self, list: ListId, name: &str) -> PortResult<()> {
        let name = name.to_string();
        self.q(move |c| {
            let n = diesel::update(lists::table.find(list.0))
                .set(lists::name.eq(&name))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn memberships(&self, contact: ContactId) -> PortResult<BTreeSet<ListId>> {
        self.q(move |c| {
            let ids: Vec<i64> = list_members::table
                .filter(list_members::contact_id.eq(contact.0))
                .select(list_members::list_id)
                .load(c)?;
            Ok(ids.into_iter().map(ListId).collect())
        })
        .await
    }
}

fn object_name(o: ObjectKind) -> &'static str {
    match o {
        ObjectKind::Contact => "contact",
        ObjectKind::Ticket => "ticket",
    }
}

#[async_trait]
impl HelpDeskCatalog for Store {
    async fn pipelines(&self) -> PortResult<Vec<Pipeline>> {
        self.q(|c| {
            let ps: Vec<(i64, String)> = pipelines::table.order(pipelines::id).load(c)?;
            let ss: Vec<(i64, i64, String, bool)> = stages::table
                .select((
                    stages::id,
                    stages::pipeline_id,
                    stages::label,
                    stages::closed,
                ))
                .order((stages::pipeline_id, stages::position))
                .load(c)?;
            Ok(ps
                .into_iter()
                .map(|(id, label)| Pipeline {
                    id: PipelineId(id),
                    label,
                    stages: ss
                        .iter()
                        .filter(|s| s.1 == id)
                        .map(|s| Stage {
                            id: StageId(s.0),
                            label: s.2.clone(),
                            closed: s.3,
                        })
                        .collect(),
                })
                .collect())
        })
        .await
    }

    async fn create_pipeline(
        &self,
        label: &str,
        new_stages: Vec<NewStage>,
    ) -> PortResult<Pipeline> {
        let label = label.to_string();
        self.q(move |c| {
            write(c, |c| {
                let id: i64 = with_conn!(c, c => diesel::insert_into(pipelines::table)
                    .values(pipelines::label.eq(&label))
                    .returning(pipelines::id)
                    .get_result(c))?;
                let mut out = Vec::new();
                for (pos, s) in new_stages.into_iter().enumerate() {
                    let sid: i64 = with_conn!(c, c => diesel::insert_into(stages::table)
                        .values((
                            stages::pipeline_id.eq(id),
                            stages::position.eq(pos as i64),
                            stages::label.eq(&s.label),
                            stages::closed.eq(s.closed),
                        ))
                        .returning(stages::id)
                        .get_result(c))?;
                    out.push(Stage {
                        id: StageId(sid),
                        label: s.label,
                        closed: s.closed,
                    });
                }
                Ok(Pipeline {
                    id: PipelineId(id),
                    label,
                    stages: out,
                })
            })
        })
        .await
    }

    async fn inboxes(&self) -> PortResult<Vec<Inbox>> {
        self.q(|c| {
            let rows: Vec<(i64, String, i64)> = inboxes::table.order(inboxes::id).load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, name, p)| Inbox {
                    id: InboxId(id),
                    name,
                    pipeline: PipelineId(p),
                })
                .collect())
        })
        .await
    }

    async fn create_inbox(&self, name: &str, pipeline: PipelineId) -> PortResult<Inbox> {
        let name = name.to_string();
        self.q(move |c| {
            let exists: i64 = pipelines::table
                .filter(pipelines::id.eq(pipeline.0))
                .count()
                .get_result(c)?;
            if exists == 0 {
                return Err(DieselError::NotFound);
            }
            let id: i64 = with_conn!(c, c => diesel::insert_into(inboxes::table)
                .values((inboxes::name.eq(&name), inboxes::pipeline_id.eq(pipeline.0)))
                .returning(inboxes::id)
                .get_result(c))?;
            Ok(Inbox {
                id: InboxId(id),
                name,
                pipeline,
            })
        })
        .await
    }

    async fn agents(&self) -> PortResult<Vec<Agent>> {
        self.q(|c| {
            let rows: Vec<(i64, String, String, Option<String>, String)> = agents::table
                .select((
                    agents::id,
                    agents::first_name,
                    agents::last_name,
                    agents::alias,
                    agents::email,
                ))
                .order(agents::id)
                .load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, first_name, last_name, alias, email)| Agent {
                    id: AgentId(id),
                    first_name,
                    last_name,
                    alias,
                    email,
                })
                .collect())
        })
        .await
    }

    async fn create_agent(&self, agent: Agent) -> PortResult<Agent> {
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(agents::table)
                .values((
                    agents::first_name.eq(&agent.first_name),
                    agents::last_name.eq(&agent.last_name),
                    agents::alias.eq(&agent.alias),
                    agents::email.eq(&agent.email),
                    agents::email_lower.eq(lower(&agent.email)),
                ))
                .returning(agents::id)
                .get_result(c))?;
            Ok(Agent {
                id: AgentId(id),
                ..agent
            })
        })
        .await
    }

    async fn domains(&self) -> PortResult<Vec<Domain>> {
        self.q(|c| {
            let rows: Vec<(i64, String, String)> = domains::table
                .select((domains::id, domains::host, domains::language))
                .order(domains::id)
                .load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, host, language)| Domain {
                    id: DomainId(id),
                    host,
                    language,
                })
                .collect())
        })
        .await
    }

    async fn create_domain(&self, host: &str, language: &str) -> PortResult<Domain> {
        let (host, language) = (host.to_string(), language.to_string());
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(domains::table)
                .values((domains::host.eq(&host), domains::host_lower.eq(lower(&host)), domains::language.eq(&language)))
                .returning(domains::id)
                .get_result(c))?;
            Ok(Domain { id: DomainId(id), host, language })
        })
        .await
    }

    async fn update_domain(&self, domain: &Domain) -> PortResult<()> {
        let d = domain.clone();
        self.q(move |c| {
            let n = diesel::update(domains::table.find(d.id.0))
                .set((
                    domains::host.eq(&d.host),
                    domains::host_lower.eq(lower(&d.host)),
                    domains::language.eq(&d.language),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn property_defs(&self, object: ObjectKind) -> PortResult<Vec<PropertyDef>> {
        self.q(move |c| {
            let rows: Vec<String> = property_defs::table
                .filter(property_defs::object.eq(object_name(object)))
                .select(property_defs::definition)
                .order(property_defs::position)
                .load(c)?;
            rows.iter().map(|r| unjson(r)).collect()
        })
        .await
    }

    async fn define_property(&self, object: ObjectKind, def: PropertyDef) -> PortResult<()> {
        self.q(move |c| {
            write(c, |c| {
                let position: i64 = property_defs::table
                    .filter(property_defs::object.eq(object_name(object)))
                    .count()
                    .get_result(c)?;
                diesel::insert_into(property_defs::table)
                    .values((
                        property_defs::object.eq(object_name(object)),
                        property_defs::name.eq(&def.name),
                        property_defs::definition.eq(json(&def)?),
                        property_defs::kind.eq(kind_name(def.kind)),
                        property_defs::position.eq(position),
                    ))
                    .execute(c)
                    .map(|_| ())
            })
        })
        .await
    }

    async fn add_stage(&self, pipeline: PipelineId, stage: NewStage) -> PortResult<Stage> {
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = pipelines::table
                    .filter(pipelines::id.eq(pipeline.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                let last: Option<i64> = stages::table
                    .filter(stages::pipeline_id.eq(pipeline.0))
                    .select(diesel::dsl::max(stages::position))
                    .first(c)?;
                let sid: i64 = with_conn!(c, c => diesel::insert_into(stages::table)
                    .values((
                        stages::pipeline_id.eq(pipeline.0),
                        stages::position.eq(last.map_or(0, |p| p + 1)),
                        stages::label.eq(&stage.label),
                        stages::closed.eq(stage.closed),
                    ))
                    .returning(stages::id)
                    .get_result(c))?;
                Ok(Stage {
                    id: StageId(sid),
                    label: stage.label,
                    closed: stage.closed,
                })
            })
        })
        .await
    }

    async fn update_agent(&self, agent: &Agent) -> PortResult<()> {
        let a = agent.clone();
        self.q(move |c| {
            let n = diesel::update(agents::table.find(a.id.0))
                .set((
                    agents::first_name.eq(&a.first_name),
                    agents::last_name.eq(&a.last_name),
                    agents::alias.eq(&a.alias),
                    agents::email.eq(&a.email),
                    agents::email_lower.eq(lower(&a.email)),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }
}

#[async_trait]
impl SettingsRepository for Store {
    async fn load(&self) -> PortResult<PortalSettings> {
        self.q(|c| {
            let row: Option<String> = settings::table
                .find(1i64)
                .select(settings::body)
                .first(c)
                .optional()?;
            row.map_or_else(|| Ok(PortalSettings::default()), |b| unjson(&b))
        })
        .await
    }

    async fn save(&self, s: &PortalSettings) -> PortResult<PortalSettings> {
        let s = s.clone();
        self.run(move |c| {
            write(c, |c| {
                let stored: Option<i64> = settings::table
                    .find(1i64)
                    .select(settings::version)
                    .first(c)
                    .optional()?;
                if stored.unwrap_or(0) != s.version as i64 {
                    return Ok(Err(PortError::Conflict(format!(
                        "settings changed meanwhile (version {})",
                        stored.unwrap_or(0)
                    ))));
                }
                let saved = PortalSettings {
                    version: s.version + 1,
                    ..s
                };
                let body = json(&saved)?;
                if stored.is_some() {
                    diesel::update(settings::table.find(1i64))
                        .set((
                            settings::version.eq(saved.version as i64),
                            settings::body.eq(&body),
                        ))
                        .execute(c)?;
                } else {
                    diesel::insert_into(settings::table)
                        .values((
                            settings::id.eq(1i64),
                            settings::version.eq(saved.version as i64),
                            settings::body.eq(&body),
                        ))
                        .execute(c)?;
                }
                Ok(Ok(saved))
            })
            .map_err(port_error)?
        })
        .await
    }
}

type AccountRow = (
    i64,
    i64,
    String,
    Option<String>,
    bool,
    bool,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
);

fn to_account(r: AccountRow) -> Account {
    Account {
        id: AccountId(r.0),
        contact: ContactId(r.1),
        email: r.2,
        password_hash: r.3,
        enabled: r.4,
        email_confirmed: r.5,
        language: r.6,
        consent: match (r.7, r.8) {
            (Some(text), Some(at)) => Some(Consent {
                text,
                at: Timestamp(at),
            }),
            _ => None,
        },
        created_at: Timestamp(r.9),
    }
}

#[async_trait]
impl AccountRepository for Store {
    async fn create(&self, a: Account) -> PortResult<Account> {
        self.q(move |c| {
            let email = lower(&a.email);
            let id: i64 = with_conn!(c, c => diesel::insert_into(accounts::table)
                .values((
                    accounts::contact_id.eq(a.contact.0),
                    accounts::email.eq(&email),
                    accounts::password_hash.eq(&a.password_hash),
                    accounts::enabled.eq(a.enabled),
                    accounts::email_confirmed.eq(a.email_confirmed),
                    accounts::language.eq(&a.language),
                    accounts::consent_text.eq(a.consent.as_ref().map(|x| x.text.clone())),
                    accounts::consent_at.eq(a.consent.as_ref().map(|x| x.at.0)),
                    accounts::created_at.eq(a.created_at.0),
                ))
                .returning(accounts::id)
                .get_result(c))?;
            Ok(Account {
                id: AccountId(id),
                email,
                ..a
            })
        })
        .await
    }

    async fn by_email(&self, email: &str) -> PortResult<Option<Account>> {
        let email = lower(email);
        self.q(move |c| {
            Ok(accounts::table
                .filter(accounts::email.eq(&email))
                .first::<AccountRow>(c)
                .optional()?
                .map(to_account))
        })
        .await
    }

    async fn by_id(&self, id: AccountId) -> PortResult<Option<Account>> {
        self.q(move |c| {
            Ok(accounts::table
                .find(id.0)
                .first::<AccountRow>(c)
                .optional()?
                .map(to_account))
        })
        .await
    }

    async fn by_contact(&self, contact: ContactId) -> PortResult<Option<Account>> {
        self.q(move |c| {
            Ok(accounts::table
                .filter(accounts::contact_id.eq(contact.0))
                .first::<AccountRow>(c)
                .optional()?
                .map(to_account))
        })
        .await
    }

    async fn update(&self, a: &Account) -> PortResult<()> {
        let a = a.clone();
        self.q(move |c| {
            let n = diesel::update(accounts::table.find(a.id.0))
                .set((
                    accounts::email.eq(lower(&a.email)),
                    accounts::password_hash.eq(&a.password_hash),
                    accounts::enabled.eq(a.enabled),
                    accounts::email_confirmed.eq(a.email_confirmed),
                    accounts::language.eq(&a.language),
                    accounts::consent_text.eq(a.consent.as_ref().map(|x| x.text.clone())),
                    accounts::consent_at.eq(a.consent.as_ref().map(|x| x.at.0)),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }
}

fn principal_parts(p: Principal) -> (&'static str, i64) {
    match p {
        Principal::Customer(a) => ("customer", a.0),
        Principal::Staff(a) => ("staff", a.0),
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn insert(&self, s: Session) -> PortResult<()> {
        self.q(move |c| {
            let (kind, id) = principal_parts(s.principal);
            diesel::insert_into(sessions::table)
                .values((
                    sessions::token_hash.eq(&s.token_hash),
                    sessions::principal_kind.eq(kind),
                    sessions::principal_id.eq(id),
                    sessions::created_at.eq(s.created_at.0),
                    sessions::last_seen.eq(s.last_seen.0),
                    sessions::csrf_secret.eq(&s.csrf_secret),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn get(&self, token_hash: &str) -> PortResult<Option<Session>> {
        let h = token_hash.to_string();
        self.q(move |c| {
            let row: Option<(String, String, i64, i64, i64, String)> =
                sessions::table.find(&h).first(c).optional()?;
            Ok(row.map(
                |(token_hash, kind, id, created, seen, csrf_secret)| Session {
                    token_hash,
                    principal: if kind == "staff" {
                        Principal::Staff(AgentId(id))
                    } else {
                        Principal::Customer(AccountId(id))
                    },
                    created_at: Timestamp(created),
                    last_seen: Timestamp(seen),
                    csrf_secret,
                },
            ))
        })
        .await
    }

    async fn get_with_customer(
        &self,
        token_hash: &str,
    ) -> PortResult<Option<(Session, Option<(Account, Contact)>)>> {
        let h = token_hash.to_string();
        self.q(move |c| {
            let sql = sql::session_customer_sql(backend_of(c), &h).cached(true);
            let rows: Vec<SessionCustomerRow> = load_raw(c, sql)?;
            let Some(r) = rows.into_iter().next() else {
                return Ok(None);
            };
            let session = Session {
                token_hash: r.token_hash,
                principal: if r.principal_kind == "staff" {
                    Principal::Staff(AgentId(r.principal_id))
                } else {
                    Principal::Customer(AccountId(r.principal_id))
                },
                created_at: Timestamp(r.created_at),
                last_seen: Timestamp(r.last_seen),
                csrf_secret: r.csrf_secret,
            };
            let account = match (r.a_id, r.a_contact, r.a_email, r.a_enabled) {
                (Some(id), Some(contact), Some(email), Some(enabled)) => to_account((
                    id,
                    contact,
                    email,
                    r.a_password_hash,
                    enabled,
                    r.a_email_confirmed.unwrap_or(false),
                    r.a_language,
                    r.a_consent_text,
                    r.a_consent_at,
                    r.a_created_at.unwrap_or(0),
                )),
                _ => return Ok(Some((session, None))),
            };
            let contact = match (r.c_id, r.c_email, r.c_first_name, r.c_last_name) {
                (Some(id), Some(email), Some(first), Some(last)) => Some(to_contact((
                    id,
                    email,
                    r.c_membership_email,
                    first,
                    last,
                    r.c_company,
                    r.c_language,
                    r.c_properties.unwrap_or_else(|| "{}".into()),
                ))?),
                _ => None,
            };
            Ok(Some((session, contact.map(|k| (account, k)))))
        })
        .await
    }

    async fn touch(&self, token_hash: &str, at: Timestamp) -> PortResult<()> {
        let h = token_hash.to_string();
        self.q(move |c| {
            diesel::update(
                sessions::table
                    .find(&h)
                    .filter(sessions::last_seen.lt(at.0)),
            )
            .set(sessions::last_seen.eq(at.0))
            .execute(c)
            .map(|_| ())
        })
        .await
    }

    async fn delete(&self, token_hash: &str) -> PortResult<()> {
        let h = token_hash.to_string();
        self.q(move |c| {
            diesel::delete(sessions::table.find(&h))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn delete_all(&self, principal: Principal, keep: Option<&str>) -> PortResult<u64> {
        let keep = keep.unwrap_or("").to_string();
        self.q(move |c| {
            let (kind, id) = principal_parts(principal);
            diesel::delete(
                sessions::table
                    .filter(sessions::principal_kind.eq(kind))
                    .filter(sessions::principal_id.eq(id))
                    .filter(sessions::token_hash.ne(&keep)),
            )
            .execute(c)
            .map(|n| n as u64)
        })
        .await
    }
}

fn purpose_name(p: TokenPurpose) -> &'static str {
    match p {
        TokenPurpose::Registration => "registration",
        TokenPurpose::EmailConfirmation => "email_confirmation",
        TokenPurpose::PasswordReset => "password_reset",
        TokenPurpose::LoginLink => "login_link",
    }
}

#[async_trait]
impl TokenStore for Store {
    async fn insert(&self, t: OneTimeToken) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(one_time_tokens::table)
                .values((
                    one_time_tokens::token_hash.eq(&t.token_hash),
                    one_time_tokens::purpose.eq(purpose_name(t.purpose)),
                    one_time_tokens::contact_id.eq(t.contact.0),
                    one_time_tokens::expires_at.eq(t.expires_at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn consume(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> PortResult<Option<OneTimeToken>> {
        let h = token_hash.to_string();
        self.q(move |c| {
            write(c, |c| {
                let target = one_time_tokens::table
                    .filter(one_time_tokens::token_hash.eq(&h))
                    .filter(one_time_tokens::purpose.eq(purpose_name(purpose)))
                    .filter(one_time_tokens::expires_at.gt(now.0));
                let row: Option<(String, String, i64, i64)> = target.first(c).optional()?;
                let Some((token_hash, _, contact, expires)) = row else {
                    return Ok(None);
                };
                // The delete decides: of two racing uses only one deletes the row.
                let n = diesel::delete(target).execute(c)?;
                Ok((n == 1).then_some(OneTimeToken {
                    token_hash,
                    purpose,
                    contact: ContactId(contact),
                    expires_at: Timestamp(expires),
                }))
            })
        })
        .await
    }

    async fn issue(&self, t: OneTimeToken, mail: OutgoingMail, now: Timestamp) -> PortResult<i64> {
        self.q(move |c| {
            write(c, |c| {
                diesel::delete(
                    one_time_tokens::table
                        .filter(one_time_tokens::contact_id.eq(t.contact.0))
                        .filter(one_time_tokens::purpose.eq(purpose_name(t.purpose))),
                )
                .execute(c)?;
                diesel::insert_into(one_time_tokens::table)
                    .values((
                        one_time_tokens::token_hash.eq(&t.token_hash),
                        one_time_tokens::purpose.eq(purpose_name(t.purpose)),
                        one_time_tokens::contact_id.eq(t.contact.0),
                        one_time_tokens::expires_at.eq(t.expires_at.0),
                    ))
                    .execute(c)?;
                queue_mail(c, &mail, now.0)
            })
        })
        .await
    }

    async fn revoke(&self, contact: ContactId, purpose: TokenPurpose) -> PortResult<()> {
        self.q(move |c| {
            diesel::delete(
                one_time_tokens::table
                    .filter(one_time_tokens::contact_id.eq(contact.0))
                    .filter(one_time_tokens::purpose.eq(purpose_name(purpose))),
            )
            .execute(c)
            .map(|_| ())
        })
        .await
    }
}

/// Blob keys are `blob-{id}`; anything else names no blob.
fn blob_id(key: &str) -> Option<i64> {
    key.strip_prefix("blob-")?.parse().ok()
}

#[async_trait]
impl BlobStore for Store {
    async fn put(&self, bytes: Vec<u8>) -> PortResult<String> {
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(blobs::table)
                .values(blobs::bytes.eq(&bytes))
                .returning(blobs::id)
                .get_result(c))?;
            Ok(format!("blob-{id}"))
        })
        .await
    }

    async fn get(&self, key: &str) -> PortResult<Option<Vec<u8>>> {
        let Some(id) = blob_id(key) else {
            return Ok(None);
        };
        self.q(move |c| {
            blobs::table
                .find(id)
                .select(blobs::bytes)
                .first(c)
                .optional()
        })
        .await
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        let Some(id) = blob_id(key) else {
            return Ok(());
        };
        self.q(move |c| diesel::delete(blobs::table.find(id)).execute(c).map(|_| ()))
            .await
    }
}

#[async_trait]
impl Outbox for Store {
    async fn enqueue(&self, mail: OutgoingMail, now: Timestamp) -> PortResult<i64> {
        self.q(move |c| queue_mail(c, &mail, now.0)).await
    }

    async fn claim(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> PortResult<Vec<QueuedMail>> {
        self.q(move |c| {
            write(c, |c| {
                let due = outbox::table
                    .filter(outbox::state.eq("queued"))
                    .filter(outbox::due_at.le(now.0))
                    .filter(outbox::lease_until.le(now.0))
                    .select((outbox::id, outbox::mail, outbox::attempts))
                    .order(outbox::id)
                    .limit(limit as i64);
                let rows: Vec<(i64, String, i64)> = match c {
                    // Concurrent senders take different rows instead of queueing on one.
                    Db::Pg(pg) => due.for_update().skip_locked().load(pg)?,
                    Db::Sqlite(_) => due.load(c)?,
                };
                let mut out = Vec::new();
                for (id, mail, attempts) in rows {
                    // Conditional on the lease still being free: a concurrent claimer that
                    // took it first makes this update touch nothing.
                    let n = diesel::update(
                        outbox::table.find(id).filter(outbox::lease_until.le(now.0)),
                    )
                    .set(outbox::lease_until.eq(lease_until.0))
                    .execute(c)?;
                    if n == 1 {
                        out.push(QueuedMail {
                            id,
                            mail: unjson(&mail)?,
                            attempts: attempts as u32,
                        });
                    }
                }
                Ok(out)
            })
        })
        .await
    }

    async fn mark_sent(&self, id: i64, _at: Timestamp) -> PortResult<()> {
        self.q(move |c| {
            let n = diesel::update(outbox::table.find(id))
                .set(outbox::state.eq("sent"))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
        dead: bool,
    ) -> PortResult<()> {
        let error = error.to_string();
        self.q(move |c| {
            let n = diesel::update(outbox::table.find(id))
                .set((
                    outbox::attempts.eq(outbox::attempts + 1),
                    outbox::due_at.eq(retry_at.0),
                    outbox::lease_until.eq(i64::MIN),
                    outbox::state.eq(if dead { "dead" } else { "queued" }),
                    outbox::last_error.eq(&error),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn dead(&self, limit: usize) -> PortResult<Vec<DeadMail>> {
        self.q(move |c| {
            let rows: Vec<(i64, String, i64, Option<String>)> = outbox::table
                .filter(outbox::state.eq("dead"))
                .order(outbox::id.desc())
                .limit(limit as i64)
                .select((
                    outbox::id,
                    outbox::mail,
                    outbox::attempts,
                    outbox::last_error,
                ))
                .load(c)?;
            rows.into_iter()
                .map(|(id, mail, attempts, err)| {
                    Ok(DeadMail {
                        id,
                        mail: unjson(&mail)?,
                        attempts: attempts as u32,
                        last_error: err.unwrap_or_default(),
                    })
                })
                .collect()
        })
        .await
    }

    async fn retry(&self, id: i64, now: Timestamp) -> PortResult<()> {
        self.q(move |c| {
            let n = diesel::update(outbox::table.find(id).filter(outbox::state.eq("dead")))
                .set((
                    outbox::state.eq("queued"),
                    outbox::attempts.eq(0i64),
                    outbox::due_at.eq(now.0),
                    outbox::lease_until.eq(i64::MIN),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }
}

fn to_events(rows: Vec<(i64, i64, String, i64)>) -> QResult<Vec<TimelineEvent>> {
    rows.into_iter()
        .map(|(contact, ticket, event, at)| {
            Ok(TimelineEvent {
                contact: ContactId(contact),
                ticket: TicketId(ticket),
                kind: unjson(&event)?,
                at: Timestamp(at),
            })
        })
        .collect()
}

#[async_trait]
impl Timeline for Store {
    async fn append(&self, e: TimelineEvent) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(timeline::table)
                .values((
                    timeline::contact_id.eq(e.contact.0),
                    timeline::ticket_id.eq(e.ticket.0),
                    timeline::event.eq(json(&e.kind)?),
                    timeline::at.eq(e.at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn for_contact(
        &self,
        contact: ContactId,
        limit: usize,
    ) -> PortResult<Vec<TimelineEvent>> {
        self.q(move |c| {
            to_events(
                timeline::table
                    .filter(timeline::contact_id.eq(contact.0))
                    .select((
                        timeline::contact_id,
                        timeline::ticket_id,
                        timeline::event,
                        timeline::at,
                    ))
                    .order(timeline::id.desc())
                    .limit(limit as i64)
                    .load(c)?,
            )
        })
        .await
    }

    async fn for_ticket(&self, ticket: TicketId, limit: usize) -> PortResult<Vec<TimelineEvent>> {
        self.q(move |c| {
            to_events(
                timeline::table
                    .filter(timeline::ticket_id.eq(ticket.0))
                    .select((
                        timeline::contact_id,
                        timeline::ticket_id,
                        timeline::event,
                        timeline::at,
                    ))
                    .order(timeline::id.desc())
                    .limit(limit as i64)
                    .load(c)?,
            )
        })
        .await
    }
}

#[async_trait]
impl AuditLog for Store {
    async fn record(&self, e: AuditEntry) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(audit_log::table)
                .values((
                    audit_log::actor.eq(&e.actor),
                    audit_log::action.eq(&e.action),
                    audit_log::detail.eq(&e.detail),
                    audit_log::at.eq(e.at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn recent(&self, limit: usize) -> PortResult<Vec<AuditEntry>> {
        self.q(move |c| {
            let rows: Vec<(String, String, String, i64)> = audit_log::table
                .select((
                    audit_log::actor,
                    audit_log::action,
                    audit_log::detail,
                    audit_log::at,
                ))
                .order(audit_log::id.desc())
                .limit(limit as i64)
                .load(c)?;
            Ok(rows
                .into_iter()
                .map(|(actor, action, detail, at)| AuditEntry {
                    actor,
                    action,
                    detail,
                    at: Timestamp(at),
                })
                .collect())
        })
        .await
    }
}

#[async_trait]
impl LoginAttempts for Store {
    async fn record_failure(&self, key: &str, at: Timestamp) -> PortResult<()> {
        let key = key.to_string();
        self.q(move |c| {
            // Failures older than a day are never asked about again: removed as we go.
            with_conn!(c, c => diesel::delete(login_failures::table.filter(login_failures::at.lt(at.0 - 86_400_000)))
                .execute(c))?;
            with_conn!(c, c => diesel::insert_into(login_failures::table)
                .values((login_failures::key.eq(&key), login_failures::at.eq(at.0)))
                .execute(c))?;
            Ok(())
        })
        .await
    }

    async fn failures_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> PortResult<(u32, Option<Timestamp>)> {
        let key = key.to_string();
        self.q(move |c| {
            let rows: Vec<i64> = with_conn!(c, c => login_failures::table
                .filter(login_failures::key.eq(&key))
                .filter(login_failures::at.ge(since.0))
                .select(login_failures::at)
                .load(c))?;
            Ok((rows.len() as u32, rows.iter().copied().max().map(Timestamp)))
        })
        .await
    }

    async fn clear(&self, key: &str) -> PortResult<()> {
        let key = key.to_string();
        self.q(move |c| {
            with_conn!(c, c => diesel::delete(login_failures::table.filter(login_failures::key.eq(&key)))
                .execute(c))?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl ReplayGuard for Store {
    async fn first_use(
        &self,
        namespace: &str,
        id: &str,
        keep_until: Timestamp,
    ) -> PortResult<bool> {
        let (ns, id) = (namespace.to_string(), id.to_string());
        self.q(move |c| {
            // The primary key makes the insert the atomic test: a second use conflicts.
            let n = with_conn!(c, c => diesel::insert_into(replay_ids::table)
                .values((replay_ids::namespace.eq(&ns), replay_ids::id.eq(&id), replay_ids::keep_until.eq(keep_until.0)))
                .on_conflict_do_nothing()
                .execute(c))?;
            Ok(n == 1)
        })
        .await
    }
}

#[async_trait]
impl SsoStore for Store {
    async fn insert_request(&self, r: PendingSsoRequest) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(sso_requests::table)
                .values((
                    sso_requests::id.eq(&r.id),
                    sso_requests::return_to.eq(&r.return_to),
                    sso_requests::expires_at.eq(r.expires_at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn take_request(
        &self,
        id: &str,
        now: Timestamp,
    ) -> PortResult<Option<PendingSsoRequest>> {
        let id = id.to_string();
        self.q(move |c| {
            write(c, |c| {
                let target = sso_requests::table.filter(sso_requests::id.eq(&id));
                let row: Option<(String, Option<String>, i64)> = target.first(c).optional()?;
                let Some((id, return_to, expires)) = row else {
                    return Ok(None);
                };
                // The delete decides: of two racing takes only one deletes the row; an
                // expired request is deleted too, and answers nothing.
                let n = diesel::delete(target).execute(c)?;
                Ok((n == 1 && now.0 < expires).then_some(PendingSsoRequest {
                    id,
                    return_to,
                    expires_at: Timestamp(expires),
                }))
            })
        })
        .await
    }

    async fn link(&self, kind: SsoKind, external_id: &str, contact: ContactId) -> PortResult<()> {
        let ext = external_id.to_string();
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = contacts::table
                    .filter(contacts::id.eq(contact.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                diesel::delete(
                    sso_links::table
                        .filter(sso_links::kind.eq(kind.as_str()))
                        .filter(sso_links::external_id.eq(&ext)),
                )
                .execute(c)?;
                diesel::insert_into(sso_links::table)
                    .values((
                        sso_links::kind.eq(kind.as_str()),
                        sso_links::external_id.eq(&ext),
                        sso_links::contact_id.eq(contact.0),
                    ))
                    .execute(c)?;
                Ok(())
            })
        })
        .await
    }

    async fn linked_contact(
        &self,
        kind: SsoKind,
        external_id: &str,
    ) -> PortResult<Option<ContactId>> {
        let ext = external_id.to_string();
        self.q(move |c| {
            let id: Option<i64> = sso_links::table
                .filter(sso_links::kind.eq(kind.as_str()))
                .filter(sso_links::external_id.eq(&ext))
                .select(sso_links::contact_id)
                .first(c)
                .optional()?;
            Ok(id.map(ContactId))
        })
        .await
    }
}

type StaffRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    bool,
);

fn staff_login_of(
    c: &mut Db,
    filter_email: Option<String>,
    agent: Option<AgentId>,
) -> QResult<Option<StaffLogin>> {
    let joined =
        agents::table.inner_join(staff_logins::table.on(staff_logins::agent_id.eq(agents::id)));
    let columns = (
        agents::id,
        agents::first_name,
        agents::last_name,
        agents::alias,
        agents::email,
        staff_logins::role,
        staff_logins::password_hash,
        staff_logins::enabled,
    );
    let row: Option<StaffRow> = match (filter_email, agent) {
        (Some(e), _) => joined
            .filter(agents::email_lower.eq(e))
            .select(columns)
            .first(c)
            .optional()?,
        (None, Some(a)) => joined
            .filter(agents::id.eq(a.0))
            .select(columns)
            .first(c)
            .optional()?,
        (None, None) => None,
    };
    Ok(row.map(
        |(id, first_name, last_name, alias, email, role, password_hash, enabled)| StaffLogin {
            agent: Agent {
                id: AgentId(id),
                first_name,
                last_name,
                alias,
                email,
            },
            role: StaffRole::parse(&role).unwrap_or(StaffRole::Agent),
            password_hash,
            enabled,
        },
    ))
}

#[async_trait]
impl StaffStore for Store {
    async fn staff_by_email(&self, email: &str) -> PortResult<Option<StaffLogin>> {
        let e = lower(email);
        self.q(move |c| staff_login_of(c, Some(e), None)).await
    }

    async fn staff_by_agent(&self, agent: AgentId) -> PortResult<Option<StaffLogin>> {
        self.q(move |c| staff_login_of(c, None, Some(agent))).await
    }

    async fn set_staff_login(
        &self,
        agent: AgentId,
        role: StaffRole,
        password_hash: &str,
        enabled: bool,
    ) -> PortResult<()> {
        let hash = password_hash.to_string();
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = agents::table
                    .filter(agents::id.eq(agent.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                diesel::delete(staff_logins::table.find(agent.0)).execute(c)?;
                diesel::insert_into(staff_logins::table)
                    .values((
                        staff_logins::agent_id.eq(agent.0),
                        staff_logins::role.eq(role.as_str()),
                        staff_logins::password_hash.eq(&hash),
                        staff_logins::enabled.eq(enabled),
                    ))
                    .execute(c)?;
                Ok(())
            })
        })
        .await
    }

    async fn create_api_token(&self, token: ApiToken) -> PortResult<ApiToken> {
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = agents::table
                    .filter(agents::id.eq(token.agent.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                let id: i64 = with_conn!(c, c => diesel::insert_into(api_tokens::table)
                    .values((
                        api_tokens::agent_id.eq(token.agent.0),
                        api_tokens::name.eq(&token.name),
                        api_tokens::token_hash.eq(&token.token_hash),
                        api_tokens::created_at.eq(token.created_at.0),
                    ))
                    .returning(api_tokens::id)
                    .get_result(c))?;
                Ok(ApiToken { id, ..token })
            })
        })
        .await
    }

    async fn api_token(&self, token_hash: &str) -> PortResult<Option<ApiToken>> {
        let hash = token_hash.to_string();
        self.q(move |c| {
            let row: Option<ApiTokenRow> = api_tokens::table
                .filter(api_tokens::token_hash.eq(&hash))
                .first(c)
                .optional()?;
            Ok(row.map(to_api_token))
        })
        .await
    }

    async fn api_tokens(&self, agent: AgentId) -> PortResult<Vec<ApiToken>> {
        self.q(move |c| {
            let rows: Vec<ApiTokenRow> = api_tokens::table
                .filter(api_tokens::agent_id.eq(agent.0))
                .order(api_tokens::id)
                .load(c)?;
            Ok(rows.into_iter().map(to_api_token).collect())
        })
        .await
    }

    async fn revoke_api_token(&self, agent: AgentId, id: i64) -> PortResult<()> {
        self.q(move |c| {
            let n = diesel::delete(
                api_tokens::table
                    .filter(api_tokens::id.eq(id))
                    .filter(api_tokens::agent_id.eq(agent.0)),
            )
            .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }
}

type ApiTokenRow = (i64, i64, String, String, i64);

fn to_api_token((id, agent, name, token_hash, created_at): ApiTokenRow) -> ApiToken {
    ApiToken {
        id,
        agent: AgentId(agent),
        name,
        token_hash,
        created_at: Timestamp(created_at),
    }
}
