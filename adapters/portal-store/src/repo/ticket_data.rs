//! Tickets as rows: reading a ticket and its threads, writing messages and tickets with
//! their search documents, queueing their mails.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::query::{searchable_text, words};

use crate::db::{Db, with_conn};
use crate::repo::QResult;
use crate::repo::json;
use crate::repo::unjson;
use crate::schema::*;
use crate::sql::kind_name;

/// A session joined to its customer's account and contact (`sql::session_customer_sql`);
/// the account and contact columns are null for a staff session or a missing account.
#[derive(QueryableByName, Debug)]
pub(crate) struct SessionCustomerRow {
    #[diesel(sql_type = Text)]
    pub(crate) token_hash: String,
    #[diesel(sql_type = Text)]
    pub(crate) principal_kind: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) principal_id: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) created_at: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) last_seen: i64,
    #[diesel(sql_type = Text)]
    pub(crate) csrf_secret: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) a_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) a_contact: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) a_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) a_password_hash: Option<String>,
    #[diesel(sql_type = Nullable<Bool>)]
    pub(crate) a_enabled: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    pub(crate) a_email_confirmed: Option<bool>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) a_language: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) a_consent_text: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) a_consent_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) a_created_at: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub(crate) a_time_zone: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) c_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_membership_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_first_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_last_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) c_company: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_language: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_properties: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) c_memberships: Option<String>,
}

/// A ticket as read by the list, find and get queries.
#[derive(QueryableByName, Queryable, Debug)]
pub(crate) struct TicketRow {
    #[diesel(sql_type = BigInt)]
    pub(crate) id: i64,
    #[diesel(sql_type = Text)]
    pub(crate) subject: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) pipeline_id: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) stage_id: i64,
    #[diesel(sql_type = Text)]
    pub(crate) status: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub(crate) owner_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub(crate) inbox_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub(crate) requester_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub(crate) contact_ids: String,
    #[diesel(sql_type = Text)]
    pub(crate) company_ids: String,
    #[diesel(sql_type = Text)]
    pub(crate) properties: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) created_at: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) last_activity_at: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub(crate) private: bool,
}

impl TicketRow {
    pub(crate) fn into_ticket(self) -> QResult<Ticket> {
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
            private: self.private,
            properties: unjson(&self.properties)?,
            created_at: Timestamp(self.created_at),
            last_activity_at: Timestamp(self.last_activity_at),
        })
    }
}

#[derive(QueryableByName)]
pub(crate) struct IdRow {
    #[diesel(sql_type = BigInt)]
    pub(crate) id: i64,
}

#[derive(QueryableByName)]
pub(crate) struct CountRow {
    #[diesel(sql_type = BigInt)]
    pub(crate) n: i64,
}

pub(crate) type TicketColumns = (
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
    tickets::private,
);

pub(crate) fn ticket_columns() -> TicketColumns {
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
        private,
    )
}

pub(crate) fn get_ticket(c: &mut Db, id: TicketId) -> QResult<Option<Ticket>> {
    tickets::table
        .find(id.0)
        .select(ticket_columns())
        .first::<TicketRow>(c)
        .optional()?
        .map(TicketRow::into_ticket)
        .transpose()
}

pub(crate) fn author_parts(a: Author) -> (&'static str, Option<i64>) {
    match a {
        Author::Contact(c) => ("contact", Some(c.0)),
        Author::Agent(a) => ("agent", Some(a.0)),
        Author::System => ("system", None),
    }
}

pub(crate) fn author(kind: &str, id: Option<i64>) -> Author {
    match (kind, id) {
        ("contact", Some(i)) => Author::Contact(ContactId(i)),
        ("agent", Some(i)) => Author::Agent(AgentId(i)),
        _ => Author::System,
    }
}

pub(crate) fn load_threads(c: &mut Db, ticket: TicketId) -> QResult<Vec<Thread>> {
    let ts: Vec<(i64, i64, i64)> = threads::table
        .filter(threads::ticket_id.eq(ticket.0))
        .select((threads::id, threads::inbox_id, threads::created_at))
        .order((threads::created_at, threads::id))
        .load(c)?;
    if ts.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = ts.iter().map(|t| t.0).collect();
    type MsgRow = (i64, i64, String, Option<i64>, bool, String, i64, String);
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
            messages::channel,
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
    for (id, thread, kind, author_id, public, body, at, channel) in ms {
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
                channel: Channel::parse(&channel),
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
/// A mail about a ticket also records its thread token's hash (never the token).
pub(crate) fn queue_mail(c: &mut Db, mail: &OutgoingMail, due: i64) -> QResult<i64> {
    let id: i64 = with_conn!(c, c => diesel::insert_into(outbox::table)
        .values((
            outbox::mail.eq(json(mail)?),
            outbox::attempts.eq(0i64),
            outbox::due_at.eq(due),
            outbox::lease_until.eq(i64::MIN),
            outbox::state.eq("queued"),
        ))
        .returning(outbox::id)
        .get_result(c))?;
    if let Some(t) = &mail.thread {
        diesel::insert_into(mail_threads::table)
            .values((
                mail_threads::token_hash.eq(portal_core::usecases::accounts::token_hash(&t.token)),
                mail_threads::ticket_id.eq(t.ticket.0),
                mail_threads::contact_id.eq(t.contact.0),
                mail_threads::created_at.eq(due),
                mail_threads::outbox_id.eq(id),
            ))
            .execute(c)?;
    }
    Ok(id)
}

/// Writes a ticket's search document (and, on SQLite, its FTS row).
pub(crate) fn write_search_doc(c: &mut Db, ticket: TicketId, doc: &str) -> QResult<()> {
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
pub(crate) fn index_new_message(
    c: &mut Db,
    ticket: TicketId,
    thread: i64,
    message: &Message,
) -> QResult<()> {
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

pub(crate) fn reindex(c: &mut Db, ticket: &Ticket) -> QResult<()> {
    let threads = load_threads(c, ticket.id)?;
    let doc = search_doc(&searchable_text(ticket, &threads));
    write_search_doc(c, ticket.id, &doc)
}

pub(crate) fn insert_message(
    c: &mut Db,
    ticket: TicketId,
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
            messages::channel.eq(content.channel.as_str()),
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
    if let Some(mail) = content.mail_in {
        crate::repo::inbound::take_mail_in(c, mail, ticket, MessageId(id))?;
    }
    Ok(Message {
        id: MessageId(id),
        thread: ThreadId(thread),
        author: content.author,
        visibility: content.visibility,
        body: content.body,
        created_at: at,
        attachments,
        channel: content.channel,
    })
}

pub(crate) fn touch_activity(c: &mut Db, ticket: TicketId, at: Timestamp) -> QResult<usize> {
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
            tickets::private.eq(new.private),
        ))
        .returning(tickets::id)
        .get_result(c))?;
    for contact in &new.contacts {
        diesel::insert_into(ticket_contacts::table)
            .values((
                ticket_contacts::contact_id.eq(contact.0),
                ticket_contacts::ticket_id.eq(id),
                ticket_contacts::last_activity_at.eq(new.created_at.0),
                ticket_contacts::status.eq(new.status.as_str()),
                ticket_contacts::created_at.eq(new.created_at.0),
                ticket_contacts::requester_id.eq(new.requester.map(|r| r.0)),
            ))
            .execute(c)?;
    }
    // A private ticket gives its companies no key: company access does not reach it (C5).
    for company in new.companies.iter().filter(|_| !new.private) {
        diesel::insert_into(ticket_companies::table)
            .values((
                ticket_companies::company_id.eq(company.0),
                ticket_companies::ticket_id.eq(id),
                ticket_companies::last_activity_at.eq(new.created_at.0),
                ticket_companies::status.eq(new.status.as_str()),
                ticket_companies::created_at.eq(new.created_at.0),
                ticket_companies::requester_id.eq(new.requester.map(|r| r.0)),
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
        private: new.private,
        properties: new.properties.clone(),
        created_at: new.created_at,
        last_activity_at: new.created_at,
    })
}

pub(crate) fn custom_kind(c: &mut Db, property: &str) -> QResult<Option<ValueKind>> {
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
