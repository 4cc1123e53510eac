//! The `TicketRepository` port.

use std::collections::BTreeSet;

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::query::{TicketPage, TicketQuery, words};
use portal_core::visibility::Scope;

use crate::db::with_conn;
use crate::repo::json;
use crate::repo::load_raw;
use crate::repo::ticket_data::CountRow;
use crate::repo::ticket_data::IdRow;
use crate::repo::ticket_data::TicketRow;
use crate::repo::ticket_data::get_ticket;
use crate::repo::ticket_data::index_new_message;
use crate::repo::ticket_data::insert_message;
use crate::repo::ticket_data::insert_ticket;
use crate::repo::ticket_data::load_threads;
use crate::repo::ticket_data::prop_columns;
use crate::repo::ticket_data::queue_mail;
use crate::repo::ticket_data::reindex;
use crate::repo::ticket_data::touch_activity;
use crate::repo::ticket_query::backend_of;
use crate::repo::ticket_query::capped_count;
use crate::repo::ticket_query::list_page;
use crate::repo::ticket_query::walked_page_and_count;
use crate::repo::unjson;
use crate::repo::write;
use crate::schema::*;
use crate::sql::{self, Bind, Sql};
use crate::{Backend, Store};

#[async_trait]
impl TicketRepository for Store {
    async fn list(&self, scope: &Scope, query: &TicketQuery) -> PortResult<TicketPage> {
        let (scope, query) = (scope.clone(), query.clone());
        let walk = self.walk_rows();
        self.q_read(move |c| list_page(c, &scope, &query, walk))
            .await
    }

    async fn count(&self, scope: &Scope, query: &TicketQuery) -> PortResult<u64> {
        let (scope, query) = (scope.clone(), query.clone());
        self.q_read(move |c| {
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
        self.q_read(move |c| {
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
        self.q_read(move |c| {
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
        self.q_read(move |c| capped_count(c, &scope, &query, cap, walk))
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
                // A private ticket (C5) has no company keys: its JSON list of companies,
                // through the partial index of private tickets.
                sql.push(" UNION SELECT id FROM tickets WHERE private AND replace(replace(company_ids, '[', ','), ']', ',') LIKE ")
                    .bind(Bind::Text(format!("%,{},%", co.0)));
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

    async fn channels(
        &self,
        tickets: &[TicketId],
    ) -> PortResult<std::collections::BTreeMap<TicketId, Channel>> {
        let ids: Vec<i64> = tickets.iter().map(|t| t.0).collect();
        self.q(move |c| {
            // Each ticket's first message: the lowest message id over its threads.
            let firsts: Vec<(i64, Option<i64>)> = threads::table
                .inner_join(messages::table.on(messages::thread_id.eq(threads::id)))
                .filter(threads::ticket_id.eq_any(&ids))
                .group_by(threads::ticket_id)
                .select((threads::ticket_id, diesel::dsl::min(messages::id)))
                .load(c)?;
            let first_ids: Vec<i64> = firsts.iter().filter_map(|f| f.1).collect();
            let names: std::collections::BTreeMap<i64, String> = messages::table
                .filter(messages::id.eq_any(&first_ids))
                .select((messages::id, messages::channel))
                .load::<(i64, String)>(c)?
                .into_iter()
                .collect();
            let existing: Vec<i64> = tickets::table
                .filter(tickets::id.eq_any(&ids))
                .select(tickets::id)
                .load(c)?;
            Ok(existing
                .into_iter()
                .map(|t| {
                    let channel = firsts
                        .iter()
                        .find(|f| f.0 == t)
                        .and_then(|f| f.1)
                        .and_then(|m| names.get(&m))
                        .map_or(Channel::Inbox, |s| Channel::parse(s));
                    (TicketId(t), channel)
                })
                .collect())
        })
        .await
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
                    insert_message(c, ticket.id, thread, first, new.created_at)?;
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
                let message = insert_message(c, ticket.id, thread, new.content, new.at)?;
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
                diesel::update(ticket_contacts::table.filter(ticket_contacts::ticket_id.eq(id.0)))
                    .set(ticket_contacts::status.eq(status.as_str()))
                    .execute(c)?;
                diesel::update(
                    ticket_companies::table.filter(ticket_companies::ticket_id.eq(id.0)),
                )
                .set(ticket_companies::status.eq(status.as_str()))
                .execute(c)?;
                touch_activity(c, id, at)?;
                Ok(())
            })
        })
        .await
    }

    async fn set_people(
        &self,
        id: TicketId,
        requester: Option<ContactId>,
        contacts: BTreeSet<ContactId>,
        at: Timestamp,
    ) -> PortResult<()> {
        self.q(move |c| {
            write(c, |c| {
                let row: Option<(String, i64)> = tickets::table
                    .find(id.0)
                    .select((tickets::status, tickets::created_at))
                    .first(c)
                    .optional()?;
                let Some((status, created_at)) = row else {
                    return Err(DieselError::NotFound);
                };
                diesel::update(tickets::table.find(id.0))
                    .set((
                        tickets::requester_id.eq(requester.map(|r| r.0)),
                        tickets::contact_ids.eq(json(&contacts)?),
                    ))
                    .execute(c)?;
                diesel::delete(ticket_contacts::table.filter(ticket_contacts::ticket_id.eq(id.0)))
                    .execute(c)?;
                for contact in &contacts {
                    diesel::insert_into(ticket_contacts::table)
                        .values((
                            ticket_contacts::contact_id.eq(contact.0),
                            ticket_contacts::ticket_id.eq(id.0),
                            ticket_contacts::last_activity_at.eq(at.0),
                            ticket_contacts::status.eq(&status),
                            ticket_contacts::created_at.eq(created_at),
                            ticket_contacts::requester_id.eq(requester.map(|r| r.0)),
                        ))
                        .execute(c)?;
                }
                diesel::update(
                    ticket_companies::table.filter(ticket_companies::ticket_id.eq(id.0)),
                )
                .set(ticket_companies::requester_id.eq(requester.map(|r| r.0)))
                .execute(c)?;
                touch_activity(c, id, at)?;
                Ok(())
            })
        })
        .await
    }

    async fn set_private(&self, id: TicketId, private: bool, at: Timestamp) -> PortResult<()> {
        self.q(move |c| {
            write(c, |c| {
                let row: Option<(String, i64, Option<i64>, String)> = tickets::table
                    .find(id.0)
                    .select((
                        tickets::status,
                        tickets::created_at,
                        tickets::requester_id,
                        tickets::company_ids,
                    ))
                    .first(c)
                    .optional()?;
                let Some((status, created_at, requester, company_ids)) = row else {
                    return Err(DieselError::NotFound);
                };
                diesel::update(tickets::table.find(id.0))
                    .set(tickets::private.eq(private))
                    .execute(c)?;
                // The company keys exist exactly while the ticket is shared (C5).
                diesel::delete(
                    ticket_companies::table.filter(ticket_companies::ticket_id.eq(id.0)),
                )
                .execute(c)?;
                if !private {
                    for company in unjson::<BTreeSet<CompanyId>>(&company_ids)? {
                        diesel::insert_into(ticket_companies::table)
                            .values((
                                ticket_companies::company_id.eq(company.0),
                                ticket_companies::ticket_id.eq(id.0),
                                ticket_companies::last_activity_at.eq(at.0),
                                ticket_companies::status.eq(&status),
                                ticket_companies::created_at.eq(created_at),
                                ticket_companies::requester_id.eq(requester),
                            ))
                            .execute(c)?;
                    }
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
