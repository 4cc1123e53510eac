//! Mail in for the server (issue 17): `portal mail-in`, the pipe mail servers hand a message
//! to, the loop that takes up mails whose handling was interrupted, and the pollers of the
//! mailboxes kept on the staff side.

use std::sync::Arc;

use portal_core::mail_in::InboundState;
use portal_core::model::InboxId;
use portal_core::ports::Ports;
use portal_core::usecases::mail_in::MailIn;
use portal_core::usecases::mailboxes::{MailboxAccount, MailboxSettings};

use crate::Config;

/// Exit statuses a mail server understands (`sysexits.h`).
pub mod status {
    /// Stored: the mail server may forget the message.
    pub const OK: u8 = 0;
    /// The message is not a mail portal can take, ever (the mail server bounces it).
    pub const DATAERR: u8 = 65;
    /// No such inbox (the mail server bounces it).
    pub const NOUSER: u8 = 67;
    /// Configuration or storage trouble: the mail server keeps the message and retries.
    pub const TEMPFAIL: u8 = 75;
}

/// The largest message the pipe reads; larger ones are refused before anything is stored.
pub const MAX_PIPE_BYTES: u64 = 256 << 20;

/// portal's own addresses (sender and reply mailbox), whose mails are loops.
pub fn own_addresses(config: &Config) -> Vec<String> {
    portal_mail::MailConfig::new(
        portal_mail::Transport::Files(config.data_dir.join("mail")),
        &config.mail_from,
    )
    .reply_to(config.mail_reply_to.clone())
    .own_addresses()
}

/// Mail in over these ports, with portal's MIME parser and own addresses.
pub fn service(config: &Config, ports: Ports) -> MailIn {
    MailIn::new(
        ports,
        Arc::new(portal_mail::inbound::Parser),
        own_addresses(config),
    )
}

/// Stores and handles one piped message; returns the exit status and a line for the log.
pub async fn pipe(mail_in: &MailIn, inbox: i64, raw: Vec<u8>) -> (u8, String) {
    match mail_in.receive(InboxId(inbox), "pipe", raw).await {
        Ok(m) => {
            let what = match m.state {
                InboundState::Taken => format!(
                    "became message {} of ticket {}",
                    m.message.map_or(0, |x| x.0),
                    m.ticket.map_or(0, |x| x.0)
                ),
                InboundState::Dropped => {
                    format!("dropped ({})", m.reason.as_deref().unwrap_or(""))
                }
                InboundState::Quarantined => {
                    format!("quarantined ({})", m.reason.as_deref().unwrap_or(""))
                }
                InboundState::Pending => "stored; handled later".into(),
            };
            (status::OK, format!("mail {} {what}", m.id))
        }
        Err(portal_core::Error::Invalid(e)) if e.iter().any(|f| f.field == "inbox") => {
            (status::NOUSER, format!("no inbox {inbox}"))
        }
        // Not stored (the database is down, say): the mail server keeps it and retries.
        Err(e) => (status::TEMPFAIL, format!("not stored: {e}")),
    }
}

/// Every `every`, takes up mails whose handling was interrupted (a crash, a database that
/// was down); their leases keep two servers from handling one mail twice.
pub async fn run_pending(mail_in: MailIn, every: std::time::Duration) {
    loop {
        if let Err(e) = mail_in.handle_pending(50).await {
            tracing::warn!(error = %e, "handling stored mails failed; retrying later");
        }
        tokio::time::sleep(every).await;
    }
}

/// The staff side's mailboxes over these ports, their passwords sealed with the server's
/// secret key (made in the data directory on first start when none is configured).
pub fn mailboxes(config: &Config, ports: Ports) -> Result<MailboxSettings, String> {
    let key = crate::system::secret_key(
        config.secret_key.as_ref().map(|k| k.0.as_slice()),
        &config.data_dir,
    )?;
    Ok(MailboxSettings::new(
        ports,
        Arc::new(crate::system::Sealer::new(&key)),
    ))
}

/// The IMAP account of a staff-side mailbox.
pub fn imap_account(a: &MailboxAccount) -> portal_mail::imap::ImapAccount {
    use portal_mail::imap::{ImapAccount, ImapSecurity};
    ImapAccount {
        inbox: a.place.inbox,
        host: a.place.host.clone(),
        port: a.place.port,
        security: if a.place.tls {
            ImapSecurity::Tls
        } else {
            ImapSecurity::Plain
        },
        user: a.place.user.clone(),
        password: a.password.clone(),
        folder: a.place.folder.clone(),
        delete_taken: a.place.delete_taken,
    }
}

/// Reads the mailboxes kept on the staff side for as long as the server runs: every
/// `every` it reads the list, starts a poller for each new mailbox, and stops (and, when
/// changed, restarts) the ones removed, switched off or edited. Each round is recorded
/// against its mailbox for staff to see. Stopping a poller mid-round loses nothing: a mail
/// is marked taken on the server only after it is stored, and stored once.
pub async fn run_mailboxes(settings: MailboxSettings, mail_in: MailIn, every: std::time::Duration) {
    let mut running: std::collections::BTreeMap<
        i64,
        (MailboxAccount, tokio::task::JoinHandle<()>),
    > = std::collections::BTreeMap::new();
    loop {
        match settings.accounts().await {
            Ok(accounts) => {
                running.retain(|_, (account, poller)| {
                    let same = accounts.contains(account);
                    if !same {
                        poller.abort();
                    }
                    same
                });
                for a in accounts {
                    if running.contains_key(&a.id) {
                        continue;
                    }
                    let (id, s) = (a.id, settings.clone());
                    let poller = actix_web::rt::spawn(portal_mail::imap::run(
                        imap_account(&a),
                        mail_in.clone(),
                        std::time::Duration::from_secs(a.place.poll_seconds.into()),
                        move |round| {
                            let s = s.clone();
                            async move {
                                if let Err(e) = s.checked(id, round.map(|_| ())).await {
                                    tracing::warn!(mailbox = id, error = %e, "recording a mail round failed");
                                }
                            }
                        },
                    ));
                    running.insert(a.id, (a, poller));
                }
            }
            Err(e) => tracing::warn!(error = %e, "reading the mailboxes failed; retrying later"),
        }
        tokio::time::sleep(every).await;
    }
}
