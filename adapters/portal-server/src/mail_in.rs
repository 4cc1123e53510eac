//! Mail in for the server (issue 17): `portal mail-in`, the pipe mail servers hand a message
//! to, and the loop that takes up mails whose handling was interrupted.

use std::sync::Arc;

use portal_core::mail_in::InboundState;
use portal_core::model::InboxId;
use portal_core::ports::Ports;
use portal_core::usecases::mail_in::MailIn;

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
