//! The `InboundMails` port: every fetched mail, raw, with what became of it (issue 17).

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use portal_core::PortResult;
use portal_core::mail_in::*;
use portal_core::model::*;

use crate::Store;
use crate::db::{Db, with_conn};
use crate::repo::{QResult, one_row};
use crate::schema::*;

type Row = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

macro_rules! columns {
    () => {
        (
            inbound_mails::id,
            inbound_mails::inbox_id,
            inbound_mails::source,
            inbound_mails::blob_key,
            inbound_mails::size,
            inbound_mails::received_at,
            inbound_mails::state,
            inbound_mails::reason,
            inbound_mails::sender,
            inbound_mails::subject,
            inbound_mails::ticket_id,
            inbound_mails::message_id,
        )
    };
}

fn to_mail(r: Row) -> QResult<InboundMail> {
    let state = InboundState::from_code(&r.6).ok_or_else(|| {
        DieselError::DeserializationError(format!("unknown inbound state {}", r.6).into())
    })?;
    Ok(InboundMail {
        id: r.0,
        inbox: InboxId(r.1),
        source: r.2,
        blob_key: r.3,
        size: r.4 as u64,
        received_at: Timestamp(r.5),
        state,
        reason: r.7,
        sender: r.8,
        subject: r.9,
        ticket: r.10.map(TicketId),
        message: r.11.map(MessageId),
    })
}

type MailboxRow = (
    i64,
    i64,
    String,
    i32,
    bool,
    String,
    String,
    String,
    bool,
    i32,
    bool,
    Option<i64>,
    Option<String>,
);

macro_rules! mailbox_columns {
    () => {
        (
            mailboxes::id,
            mailboxes::inbox_id,
            mailboxes::host,
            mailboxes::port,
            mailboxes::tls,
            mailboxes::user_name,
            mailboxes::sealed_password,
            mailboxes::folder,
            mailboxes::delete_taken,
            mailboxes::poll_seconds,
            mailboxes::enabled,
            mailboxes::checked_at,
            mailboxes::last_error,
        )
    };
}

fn to_mailbox(r: MailboxRow) -> Mailbox {
    Mailbox {
        id: r.0,
        place: MailboxPlace {
            inbox: InboxId(r.1),
            host: r.2,
            port: u16::try_from(r.3).unwrap_or(0),
            tls: r.4,
            user: r.5,
            folder: r.7,
            delete_taken: r.8,
            poll_seconds: u32::try_from(r.9).unwrap_or(0),
            enabled: r.10,
        },
        sealed_password: r.6,
        checked_at: r.11.map(Timestamp),
        last_error: r.12,
    }
}

const PENDING: &str = "pending";
const QUARANTINED: &str = "quarantined";

/// Marks the inbound mail a message is made from taken, in the transaction that writes
/// the message; `NotFound` (and so a rollback) when it is no longer pending.
pub(crate) fn take_mail_in(
    c: &mut Db,
    mail: i64,
    ticket: TicketId,
    message: MessageId,
) -> QResult<()> {
    let n = diesel::update(
        inbound_mails::table
            .find(mail)
            .filter(inbound_mails::state.eq(PENDING)),
    )
    .set((
        inbound_mails::state.eq(InboundState::Taken.code()),
        inbound_mails::reason.eq(None::<String>),
        inbound_mails::ticket_id.eq(ticket.0),
        inbound_mails::message_id.eq(message.0),
    ))
    .execute(c)?;
    one_row(n)
}

fn existing(c: &mut Db, inbox: i64, digest: &str) -> QResult<Option<i64>> {
    inbound_mails::table
        .filter(inbound_mails::inbox_id.eq(inbox))
        .filter(inbound_mails::digest.eq(digest))
        .select(inbound_mails::id)
        .first(c)
        .optional()
}

#[async_trait]
impl InboundMails for Store {
    async fn store(&self, new: NewInboundMail) -> PortResult<(i64, bool)> {
        self.q(move |c| {
            if let Some(id) = existing(c, new.inbox.0, &new.digest)? {
                return Ok((id, false));
            }
            let inserted: QResult<i64> = with_conn!(c, c => diesel::insert_into(inbound_mails::table)
                .values((
                    inbound_mails::inbox_id.eq(new.inbox.0),
                    inbound_mails::source.eq(&new.source),
                    inbound_mails::digest.eq(&new.digest),
                    inbound_mails::blob_key.eq(&new.blob_key),
                    inbound_mails::size.eq(new.size as i64),
                    inbound_mails::received_at.eq(new.at.0),
                    inbound_mails::state.eq(PENDING),
                    inbound_mails::lease_until.eq(i64::MIN),
                ))
                .returning(inbound_mails::id)
                .get_result(c));
            match inserted {
                Ok(id) => Ok((id, true)),
                // Stored by a concurrent caller between the look and the insert.
                Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                    existing(c, new.inbox.0, &new.digest)?
                        .map(|id| (id, false))
                        .ok_or(DieselError::NotFound)
                }
                Err(e) => Err(e),
            }
        })
        .await
    }

    async fn get(&self, id: i64) -> PortResult<Option<InboundMail>> {
        self.q(move |c| {
            let row: Option<Row> = inbound_mails::table
                .find(id)
                .select(columns!())
                .first(c)
                .optional()?;
            row.map(to_mail).transpose()
        })
        .await
    }

    async fn lease(&self, id: i64, now: Timestamp, until: Timestamp) -> PortResult<bool> {
        self.q(move |c| {
            // One conditional update: of two holders racing, only one changes the row.
            let n = diesel::update(
                inbound_mails::table
                    .find(id)
                    .filter(inbound_mails::state.eq(PENDING))
                    .filter(inbound_mails::lease_until.le(now.0)),
            )
            .set(inbound_mails::lease_until.eq(until.0))
            .execute(c)?;
            Ok(n == 1)
        })
        .await
    }

    async fn pending(&self, now: Timestamp, limit: usize) -> PortResult<Vec<i64>> {
        self.q(move |c| {
            inbound_mails::table
                .filter(inbound_mails::state.eq(PENDING))
                .filter(inbound_mails::lease_until.le(now.0))
                .order(inbound_mails::id)
                .limit(limit as i64)
                .select(inbound_mails::id)
                .load(c)
        })
        .await
    }

    async fn describe(&self, id: i64, sender: Option<&str>, subject: &str) -> PortResult<()> {
        let sender = sender.map(str::to_string);
        let subject = subject.to_string();
        self.q(move |c| {
            let n = diesel::update(inbound_mails::table.find(id))
                .set((
                    inbound_mails::sender.eq(&sender),
                    inbound_mails::subject.eq(&subject),
                ))
                .execute(c)?;
            one_row(n)
        })
        .await
    }

    async fn settle(&self, id: i64, state: InboundState, reason: &str) -> PortResult<()> {
        let reason = reason.to_string();
        self.q(move |c| {
            let n = diesel::update(
                inbound_mails::table
                    .find(id)
                    .filter(inbound_mails::state.eq(PENDING)),
            )
            .set((
                inbound_mails::state.eq(state.code()),
                inbound_mails::reason.eq(&reason),
            ))
            .execute(c)?;
            one_row(n)
        })
        .await
    }

    async fn quarantined(&self, limit: usize) -> PortResult<Vec<InboundMail>> {
        self.q(move |c| {
            let rows: Vec<Row> = inbound_mails::table
                .filter(inbound_mails::state.eq(QUARANTINED))
                .order(inbound_mails::id.desc())
                .limit(limit as i64)
                .select(columns!())
                .load(c)?;
            rows.into_iter().map(to_mail).collect()
        })
        .await
    }

    async fn of_ticket(&self, ticket: TicketId) -> PortResult<Vec<InboundMail>> {
        self.q(move |c| {
            let rows: Vec<Row> = inbound_mails::table
                .filter(inbound_mails::ticket_id.eq(ticket.0))
                .order(inbound_mails::id)
                .select(columns!())
                .load(c)?;
            rows.into_iter().map(to_mail).collect()
        })
        .await
    }

    async fn requeue(&self, id: i64) -> PortResult<()> {
        self.q(move |c| {
            let n = diesel::update(
                inbound_mails::table
                    .find(id)
                    .filter(inbound_mails::state.eq(QUARANTINED)),
            )
            .set((
                inbound_mails::state.eq(PENDING),
                inbound_mails::reason.eq(None::<String>),
                inbound_mails::lease_until.eq(i64::MIN),
            ))
            .execute(c)?;
            one_row(n)
        })
        .await
    }

    async fn delete(&self, id: i64) -> PortResult<String> {
        self.q(move |c| {
            let key: Option<String> = with_conn!(c, c => diesel::delete(
                inbound_mails::table
                    .find(id)
                    .filter(inbound_mails::state.eq(QUARANTINED)),
            )
            .returning(inbound_mails::blob_key)
            .get_result(c)
            .optional())?;
            key.ok_or(DieselError::NotFound)
        })
        .await
    }

    async fn mailboxes(&self) -> PortResult<Vec<Mailbox>> {
        self.q(|c| {
            let rows: Vec<MailboxRow> = mailboxes::table
                .order(mailboxes::id)
                .select(mailbox_columns!())
                .load(c)?;
            Ok(rows.into_iter().map(to_mailbox).collect())
        })
        .await
    }

    async fn save_mailbox(&self, mailbox: &Mailbox) -> PortResult<i64> {
        let m = mailbox.clone();
        self.q(move |c| {
            let values = (
                mailboxes::inbox_id.eq(m.place.inbox.0),
                mailboxes::host.eq(&m.place.host),
                mailboxes::port.eq(i32::from(m.place.port)),
                mailboxes::tls.eq(m.place.tls),
                mailboxes::user_name.eq(&m.place.user),
                mailboxes::sealed_password.eq(&m.sealed_password),
                mailboxes::folder.eq(&m.place.folder),
                mailboxes::delete_taken.eq(m.place.delete_taken),
                mailboxes::poll_seconds.eq(m.place.poll_seconds as i32),
                mailboxes::enabled.eq(m.place.enabled),
                mailboxes::checked_at.eq(None::<i64>),
                mailboxes::last_error.eq(None::<String>),
            );
            if m.id == 0 {
                with_conn!(c, c => diesel::insert_into(mailboxes::table)
                    .values(values)
                    .returning(mailboxes::id)
                    .get_result(c))
            } else {
                let n = diesel::update(mailboxes::table.find(m.id))
                    .set(values)
                    .execute(c)?;
                one_row(n).map(|()| m.id)
            }
        })
        .await
    }

    async fn delete_mailbox(&self, id: i64) -> PortResult<()> {
        self.q(move |c| {
            let n = diesel::delete(mailboxes::table.find(id)).execute(c)?;
            one_row(n)
        })
        .await
    }

    async fn mailbox_checked(&self, id: i64, at: Timestamp, error: Option<&str>) -> PortResult<()> {
        let error = error.map(str::to_string);
        self.q(move |c| {
            diesel::update(mailboxes::table.find(id))
                .set((
                    mailboxes::checked_at.eq(Some(at.0)),
                    mailboxes::last_error.eq(&error),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
    }
}
