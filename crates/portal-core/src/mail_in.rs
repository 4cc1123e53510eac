//! Mail that comes in (issue 17): what a parsed mail is, the store that keeps every fetched
//! mail raw before it is parsed, and the pure rules that decide what becomes of a mail:
//! dropped as noise (auto-replies, bulk, bounces, loops), joined to a ticket by the thread
//! token portal gave out, filed as a new ticket, or kept in quarantine with its reason.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::PortResult;
use crate::model::{InboxId, MessageId, TicketId, Timestamp};

/// A mail as the MIME adapter read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IncomingMail {
    /// `Message-ID`, without angle brackets.
    pub message_id: Option<String>,
    /// The `From` address, lower-cased.
    pub from: Option<String>,
    /// The display name of `From`.
    pub from_name: Option<String>,
    /// `Return-Path`: `None` when the header is absent, `Some("")` for the null path `<>`.
    pub return_path: Option<String>,
    /// The addresses the mail was sent to: `To`, `Cc`, `Delivered-To`, `X-Original-To`.
    pub recipients: Vec<String>,
    /// The ids of `In-Reply-To` and `References`, without angle brackets.
    pub references: Vec<String>,
    /// Subject, decoded.
    pub subject: String,
    /// `Auto-Submitted`, when present.
    pub auto_submitted: Option<String>,
    /// `Precedence`, when present.
    pub precedence: Option<String>,
    /// The new text as safe HTML: the quoted earlier mail trimmed off.
    pub body_html: String,
    /// Attached files (inline images included).
    pub attachments: Vec<MailFile>,
    /// For a delivery report: the `Message-ID`s (without angle brackets) of the mails it
    /// reports on, read from the returned message or its headers.
    pub bounced: Vec<String>,
}

/// A file that came with a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    /// The file name the sender gave (cleaned later like any upload).
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Reads raw mail (RFC 5322 with MIME). Implemented by the mail adapter.
pub trait MailParser: Send + Sync {
    /// The mail in `raw`, or why it cannot be read.
    fn parse(&self, raw: &[u8]) -> Result<IncomingMail, String>;
}

/// Why a mail creates nothing and is not kept for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Noise {
    /// `Auto-Submitted` other than `no` (out-of-office replies, other robots).
    AutoSubmitted,
    /// `Precedence: bulk`, `list` or `junk`.
    Bulk,
    /// The null return path: a delivery report (bounce).
    Bounce,
    /// Sent from one of portal's own addresses: a loop.
    OwnAddress,
}

impl Noise {
    /// The code stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            Noise::AutoSubmitted => "auto_submitted",
            Noise::Bulk => "bulk",
            Noise::Bounce => "bounce",
            Noise::OwnAddress => "own_address",
        }
    }
}

/// Whether `mail` is noise that must never create a ticket or a notification (issue 17).
/// `own` are portal's own sending and reply addresses.
pub fn noise(mail: &IncomingMail, own: &[String]) -> Option<Noise> {
    let header = |v: &Option<String>| v.as_deref().map(|s| s.trim().to_ascii_lowercase());
    if header(&mail.auto_submitted).is_some_and(|v| !v.is_empty() && v != "no") {
        return Some(Noise::AutoSubmitted);
    }
    if header(&mail.precedence).is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk")) {
        return Some(Noise::Bulk);
    }
    if is_bounce(mail) {
        return Some(Noise::Bounce);
    }
    if let Some(from) = &mail.from
        && own.iter().any(|o| same_mailbox(from, o))
    {
        return Some(Noise::OwnAddress);
    }
    None
}

/// Whether two addresses name one mailbox, ignoring case and a `+tag` in the local part.
fn same_mailbox(a: &str, b: &str) -> bool {
    fn base(s: &str) -> Option<(String, String)> {
        let (local, domain) = s.trim().rsplit_once('@')?;
        let local = local.split('+').next().unwrap_or(local);
        Some((local.to_ascii_lowercase(), domain.to_ascii_lowercase()))
    }
    match (base(a), base(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Whether the mail has the null return path of a delivery report.
pub fn is_bounce(mail: &IncomingMail) -> bool {
    mail.return_path
        .as_deref()
        .is_some_and(|p| p.trim().trim_matches(['<', '>']).trim().is_empty())
}

/// What a bounced `Message-ID` of portal's names: the thread token of `t-<token>@…`, or
/// the outbox id of `m<id>.<ms>@…` (the ids portal's mails carry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BouncedMail {
    /// A mail about a ticket, by its token.
    Token(String),
    /// Any other mail, by its outbox id.
    Outbox(i64),
}

/// The mails of portal's a delivery report names.
pub fn bounced_mails(mail: &IncomingMail) -> Vec<BouncedMail> {
    let mut out = Vec::new();
    for id in &mail.bounced {
        let id = id.trim().trim_matches(['<', '>']);
        let found = if let Some(rest) = id.strip_prefix("t-") {
            token_at(rest).map(BouncedMail::Token)
        } else {
            id.strip_prefix('m')
                .and_then(|r| r.split_once('.'))
                .and_then(|(n, _)| n.parse().ok())
                .map(BouncedMail::Outbox)
        };
        if let Some(f) = found
            && !out.contains(&f)
        {
            out.push(f);
        }
    }
    out
}

/// Length of a thread token: 32 lower-case hex digits.
const TOKEN_LEN: usize = 32;

fn token_at(s: &str) -> Option<String> {
    let t = s.get(..TOKEN_LEN)?;
    let rest = &s[TOKEN_LEN..];
    (t.bytes().all(|b| b.is_ascii_hexdigit()) && rest.starts_with('@'))
        .then(|| t.to_ascii_lowercase())
}

/// The thread tokens a mail names, in the order to try them: from `+t-TOKEN@` in the
/// addresses it was sent to, then from `t-TOKEN@` ids in `In-Reply-To` and `References`.
/// Each appears once.
pub fn thread_tokens(mail: &IncomingMail) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let from_addresses = mail.recipients.iter().filter_map(|a| {
        let i = a.find("+t-")?;
        token_at(&a[i + 3..])
    });
    let from_ids = mail.references.iter().filter_map(|id| {
        let id = id.trim().trim_matches(['<', '>']);
        token_at(id.strip_prefix("t-")?)
    });
    for t in from_addresses.chain(from_ids) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The subject a ticket filed by mail gets: the mail's, without control characters, at
/// most 255 characters.
pub fn ticket_subject(subject: &str) -> String {
    let s = subject.trim();
    let s: String = s.chars().filter(|c| !c.is_control()).take(255).collect();
    s.trim().to_string()
}

/// Where a stored mail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundState {
    /// Stored, not yet handled (or its handling was interrupted).
    Pending,
    /// Became a ticket or a message of one.
    Taken,
    /// Noise: created nothing.
    Dropped,
    /// Kept for staff with a reason.
    Quarantined,
}

impl InboundState {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            InboundState::Pending => "pending",
            InboundState::Taken => "taken",
            InboundState::Dropped => "dropped",
            InboundState::Quarantined => "quarantined",
        }
    }

    /// The state stored as `code`.
    pub fn from_code(code: &str) -> Option<InboundState> {
        [
            InboundState::Pending,
            InboundState::Taken,
            InboundState::Dropped,
            InboundState::Quarantined,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A mail to store as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInboundMail {
    /// The inbox it came to.
    pub inbox: InboxId,
    /// Where it came from: `pipe`, or `imap:` and the mailbox's name.
    pub source: String,
    /// SHA-256 of the raw bytes, hex: one mail is stored once per inbox.
    pub digest: String,
    /// Where the raw bytes are in the blob store.
    pub blob_key: String,
    /// Size of the raw bytes.
    pub size: u64,
    /// When it was stored.
    pub at: Timestamp,
}

/// A stored mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMail {
    /// Its id.
    pub id: i64,
    /// The inbox it came to.
    pub inbox: InboxId,
    /// Where it came from.
    pub source: String,
    /// Where the raw bytes are.
    pub blob_key: String,
    /// Size of the raw bytes.
    pub size: u64,
    /// When it was stored.
    pub received_at: Timestamp,
    /// Where it is.
    pub state: InboundState,
    /// Why it was dropped or quarantined (a code).
    pub reason: Option<String>,
    /// The sender, once read.
    pub sender: Option<String>,
    /// The subject, once read.
    pub subject: Option<String>,
    /// The ticket it joined or created.
    pub ticket: Option<TicketId>,
    /// The message it became.
    pub message: Option<MessageId>,
}

/// Every mail portal fetched, raw, with what became of it.
#[async_trait]
pub trait InboundMails: Send + Sync {
    /// Stores a new mail as [`InboundState::Pending`]; returns its id and `true`, or, when
    /// the inbox already holds a mail with the same digest, that mail's id and `false`
    /// (storing nothing). MUST be safe against two callers storing one mail at once.
    async fn store(&self, new: NewInboundMail) -> PortResult<(i64, bool)>;
    /// A stored mail.
    async fn get(&self, id: i64) -> PortResult<Option<InboundMail>>;
    /// Leases a pending mail until `until` when it is not leased at `now`; `false` when it
    /// is not pending or another holder's lease runs. MUST never lease one mail to two
    /// holders at once.
    async fn lease(&self, id: i64, now: Timestamp, until: Timestamp) -> PortResult<bool>;
    /// Pending mails whose lease has run out at `now`, oldest first, at most `limit`.
    async fn pending(&self, now: Timestamp, limit: usize) -> PortResult<Vec<i64>>;
    /// Records the sender and subject read from a mail.
    async fn describe(&self, id: i64, sender: Option<&str>, subject: &str) -> PortResult<()>;
    /// Settles a pending mail as dropped or quarantined with `reason`. MUST return
    /// `NotFound` when it is not pending. (A mail becomes [`InboundState::Taken`] only in
    /// the transaction that writes its ticket or message: see
    /// [`crate::ports::NewMessageBody::mail_in`].)
    async fn settle(&self, id: i64, state: InboundState, reason: &str) -> PortResult<()>;
    /// Quarantined mails, newest first, at most `limit`.
    async fn quarantined(&self, limit: usize) -> PortResult<Vec<InboundMail>>;
    /// The mails that became messages of `ticket`, oldest first.
    async fn of_ticket(&self, ticket: TicketId) -> PortResult<Vec<InboundMail>>;
    /// Puts a quarantined mail back to pending. MUST return `NotFound` when it is not
    /// quarantined.
    async fn requeue(&self, id: i64) -> PortResult<()>;
    /// Deletes a quarantined mail, returning its blob key. MUST return `NotFound` when it
    /// is not quarantined.
    async fn delete(&self, id: i64) -> PortResult<String>;
    /// The mailboxes kept on the staff side, by id.
    async fn mailboxes(&self) -> PortResult<Vec<Mailbox>>;
    /// Writes a mailbox: a new one when its id is 0, else the one with its id (MUST return
    /// `NotFound` when there is none); returns the id. Saving clears the last round's
    /// record (`checked_at`, `last_error`): the next round tells how the new settings work.
    async fn save_mailbox(&self, mailbox: &Mailbox) -> PortResult<i64>;
    /// Removes a mailbox; MUST return `NotFound` when there is none.
    async fn delete_mailbox(&self, id: i64) -> PortResult<()>;
    /// Records a round with mailbox `id` (nothing when it was removed meanwhile).
    async fn mailbox_checked(&self, id: i64, at: Timestamp, error: Option<&str>) -> PortResult<()>;
}

/// Where and how a mailbox is read: what the staff side's form sets (issue 17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxPlace {
    /// The inbox its mails go to.
    pub inbox: InboxId,
    /// IMAP server host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS from the first byte.
    pub tls: bool,
    /// Login name.
    pub user: String,
    /// Folder.
    pub folder: String,
    /// Delete taken mails from the server.
    pub delete_taken: bool,
    /// Seconds between rounds.
    pub poll_seconds: u32,
    /// Read at all.
    pub enabled: bool,
}

/// A mailbox portal reads over IMAP for an inbox, kept on the staff side, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// Its id (0 for one not yet stored).
    pub id: i64,
    /// Where and how it is read.
    pub place: MailboxPlace,
    /// The password sealed with the server's key ([`crate::ports::SecretBox`]), never
    /// the password itself.
    pub sealed_password: String,
    /// When the last round ended.
    pub checked_at: Option<Timestamp>,
    /// The last round's error (`None` when it worked).
    pub last_error: Option<String>,
}

impl std::fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailbox")
            .field("id", &self.id)
            .field("place", &self.place)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> IncomingMail {
        IncomingMail {
            from: Some("ann@example.com".into()),
            ..IncomingMail::default()
        }
    }

    #[test]
    fn auto_submitted_other_than_no_is_noise() {
        let own = ["support@portal.test".to_string()];
        let mut m = mail();
        assert_eq!(noise(&m, &own), None);
        m.auto_submitted = Some("No".into());
        assert_eq!(noise(&m, &own), None);
        m.auto_submitted = Some("auto-replied".into());
        assert_eq!(noise(&m, &own), Some(Noise::AutoSubmitted));
    }

    #[test]
    fn bulk_list_junk_bounces_and_own_addresses_are_noise() {
        let own = ["support@portal.test".to_string()];
        for p in ["bulk", "LIST", " junk "] {
            let mut m = mail();
            m.precedence = Some(p.into());
            assert_eq!(noise(&m, &own), Some(Noise::Bulk), "{p}");
        }
        let mut m = mail();
        m.precedence = Some("first-class".into());
        assert_eq!(noise(&m, &own), None);
        m.return_path = Some("<>".into());
        assert_eq!(noise(&m, &own), Some(Noise::Bounce));
        m.return_path = Some("ann@example.com".into());
        assert_eq!(noise(&m, &own), None);
        m.from = Some("Support+t-0123@Portal.test".into());
        assert_eq!(noise(&m, &own), Some(Noise::OwnAddress));
    }

    #[test]
    fn tokens_come_from_plus_addresses_then_references_once_each() {
        let a = "0123456789abcdef0123456789abcdef";
        let b = "fedcba9876543210fedcba9876543210";
        let m = IncomingMail {
            recipients: vec![
                format!("support+t-{a}@portal.test"),
                "other@x.test".into(),
                "support+t-123@portal.test".into(),
            ],
            references: vec![
                format!("t-{b}@portal.test"),
                format!("<t-{a}@portal.test>"),
                "t-nothex-nothex-nothex-nothex-no@portal.test".into(),
                "ticket-7@portal.test".into(),
            ],
            ..IncomingMail::default()
        };
        assert_eq!(thread_tokens(&m), vec![a.to_string(), b.to_string()]);
        let upper = IncomingMail {
            recipients: vec![format!("support+t-{}@portal.test", a.to_uppercase())],
            ..IncomingMail::default()
        };
        assert_eq!(thread_tokens(&upper), vec![a.to_string()]);
    }
}
