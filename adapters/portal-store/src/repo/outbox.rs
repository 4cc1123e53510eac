//! The `BlobStore` and `Outbox` ports.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;

use crate::Store;
use crate::db::{Db, LARGE_BLOB, release_cache, with_conn};
use crate::repo::one_row;
use crate::repo::ticket_data::queue_mail;
use crate::repo::unjson;
use crate::repo::write;
use crate::schema::*;

/// Blob keys are `blob-{id}`; anything else names no blob.
pub(crate) fn blob_id(key: &str) -> Option<i64> {
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
            if bytes.len() >= LARGE_BLOB {
                release_cache(c)?;
            }
            Ok(format!("blob-{id}"))
        })
        .await
    }

    async fn get(&self, key: &str) -> PortResult<Option<Vec<u8>>> {
        let Some(id) = blob_id(key) else {
            return Ok(None);
        };
        self.q(move |c| {
            let bytes: Option<Vec<u8>> = blobs::table
                .find(id)
                .select(blobs::bytes)
                .first(c)
                .optional()?;
            if bytes.as_ref().is_some_and(|b| b.len() >= LARGE_BLOB) {
                release_cache(c)?;
            }
            Ok(bytes)
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
        self.q(move |c| write(c, |c| queue_mail(c, &mail, now.0)))
            .await
    }

    async fn thread(&self, token_hash: &str) -> PortResult<Option<ThreadToken>> {
        let key = token_hash.to_string();
        self.q(move |c| {
            let row: Option<(i64, i64, i64, Option<i64>)> = mail_threads::table
                .find(&key)
                .select((
                    mail_threads::ticket_id,
                    mail_threads::contact_id,
                    mail_threads::created_at,
                    mail_threads::outbox_id,
                ))
                .first(c)
                .optional()?;
            Ok(row.map(|(ticket, contact, at, outbox)| ThreadToken {
                ticket: TicketId(ticket),
                contact: ContactId(contact),
                created_at: Timestamp(at),
                outbox,
            }))
        })
        .await
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

    async fn bounce(&self, id: i64, error: &str) -> PortResult<()> {
        let error = error.to_string();
        self.q(move |c| {
            let n = diesel::update(outbox::table.find(id))
                .set((
                    outbox::state.eq("dead"),
                    outbox::lease_until.eq(i64::MIN),
                    outbox::last_error.eq(&error),
                ))
                .execute(c)?;
            one_row(n)
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

/// The outbox now (for the metrics): mails waiting, mails given up, and the earliest time a
/// waiting mail was due (unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxStats {
    /// Mails waiting to be sent (first tries and retries).
    pub queued: i64,
    /// Mails given up on (staff see them as undelivered).
    pub dead: i64,
    /// When the longest-waiting mail was due.
    pub oldest_due: Option<i64>,
    /// Mails that came in and wait to be handled (issue 17).
    pub mail_in_pending: i64,
    /// Mails that came in and wait on hold for staff.
    pub mail_in_on_hold: i64,
}

impl Store {
    /// Counts the outbox by state, and the mails that came in and wait.
    pub async fn outbox_stats(&self) -> PortResult<OutboxStats> {
        self.q(|c| {
            let queued: (i64, Option<i64>) = outbox::table
                .filter(outbox::state.eq("queued"))
                .select((diesel::dsl::count_star(), diesel::dsl::min(outbox::due_at)))
                .first(c)?;
            let dead: i64 = outbox::table
                .filter(outbox::state.eq("dead"))
                .count()
                .get_result(c)?;
            let pending: i64 = inbound_mails::table
                .filter(inbound_mails::state.eq("pending"))
                .count()
                .get_result(c)?;
            let on_hold: i64 = inbound_mails::table
                .filter(inbound_mails::state.eq("quarantined"))
                .count()
                .get_result(c)?;
            Ok(OutboxStats {
                queued: queued.0,
                dead,
                oldest_due: queued.1,
                mail_in_pending: pending,
                mail_in_on_hold: on_hold,
            })
        })
        .await
    }
}
