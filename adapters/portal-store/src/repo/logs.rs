//! The `Timeline`, `AuditLog`, `LoginAttempts` and `ReplayGuard` ports.

use async_trait::async_trait;
use diesel::prelude::*;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;

use crate::Store;
use crate::db::with_conn;
use crate::repo::QResult;
use crate::repo::json;
use crate::repo::unjson;
use crate::schema::*;

pub(crate) fn to_events(rows: Vec<(i64, i64, String, i64)>) -> QResult<Vec<TimelineEvent>> {
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
impl AccessLogStore for Store {
    async fn record(&self, e: portal_core::organisation::NewAccessEvent) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(access_log::table)
                .values((
                    access_log::company_id.eq(e.company.0),
                    access_log::contact_id.eq(e.contact.0),
                    access_log::ticket_id.eq(e.ticket.map(|t| t.0)),
                    access_log::action.eq(e.action.as_str()),
                    access_log::count.eq(i64::try_from(e.count).unwrap_or(i64::MAX)),
                    access_log::at.eq(e.at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn page(
        &self,
        company: CompanyId,
        query: &portal_core::organisation::AccessLogQuery,
    ) -> PortResult<Vec<portal_core::organisation::AccessEvent>> {
        let q = query.clone();
        self.q(move |c| {
            // Newest first on the (company_id, id) index; each filter narrows the walk.
            let limit = q.limit.min(portal_core::organisation::MAX_LOG_PAGE) as i64;
            let rows: Vec<(i64, i64, i64, Option<i64>, String, i64, i64)> = with_conn!(c, c => {
                let mut sel = access_log::table
                    .filter(access_log::company_id.eq(company.0))
                    .into_boxed();
                if let Some(who) = q.contact {
                    sel = sel.filter(access_log::contact_id.eq(who.0));
                }
                if let Some(a) = q.action {
                    sel = sel.filter(access_log::action.eq(a.as_str()));
                }
                if let Some(t) = q.ticket {
                    sel = sel.filter(access_log::ticket_id.eq(t.0));
                }
                if let Some(f) = q.from {
                    sel = sel.filter(access_log::at.ge(f.0));
                }
                if let Some(u) = q.until {
                    sel = sel.filter(access_log::at.lt(u.0));
                }
                if let Some(b) = q.before {
                    sel = sel.filter(access_log::id.lt(b));
                }
                sel.select((
                    access_log::id,
                    access_log::company_id,
                    access_log::contact_id,
                    access_log::ticket_id,
                    access_log::action,
                    access_log::count,
                    access_log::at,
                ))
                .order(access_log::id.desc())
                .limit(limit)
                .load(c)
            })?;
            Ok(rows
                .into_iter()
                .filter_map(|(id, company, contact, ticket, action, count, at)| {
                    Some(portal_core::organisation::AccessEvent {
                        id,
                        company: CompanyId(company),
                        contact: ContactId(contact),
                        ticket: ticket.map(TicketId),
                        action: portal_core::organisation::AccessAction::parse(&action)?,
                        count: u64::try_from(count).unwrap_or(0),
                        at: Timestamp(at),
                    })
                })
                .collect())
        })
        .await
    }

    async fn purge(&self, before: Timestamp) -> PortResult<u64> {
        self.q(move |c| {
            diesel::delete(access_log::table.filter(access_log::at.lt(before.0)))
                .execute(c)
                .map(|n| n as u64)
        })
        .await
    }

    async fn admin_of(&self, contact: ContactId) -> PortResult<Vec<CompanyId>> {
        self.q(move |c| {
            let rows: Vec<i64> = company_admins::table
                .filter(company_admins::contact_id.eq(contact.0))
                .select(company_admins::company_id)
                .order(company_admins::company_id)
                .load(c)?;
            Ok(rows.into_iter().map(CompanyId).collect())
        })
        .await
    }

    async fn set_admin(
        &self,
        company: CompanyId,
        contact: ContactId,
        admin: bool,
    ) -> PortResult<()> {
        self.q(move |c| {
            let key = company_admins::table
                .filter(company_admins::company_id.eq(company.0))
                .filter(company_admins::contact_id.eq(contact.0));
            diesel::delete(key).execute(c)?;
            if admin {
                diesel::insert_into(company_admins::table)
                    .values((
                        company_admins::company_id.eq(company.0),
                        company_admins::contact_id.eq(contact.0),
                    ))
                    .execute(c)?;
            }
            Ok(())
        })
        .await
    }
}
