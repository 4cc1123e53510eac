//! The IMAP mailboxes staff keep on the staff side (issue 17): which mailbox feeds which
//! inbox, checked here before anything is written. The password is sealed with the
//! server's key ([`SecretBox`]) before it reaches the store and never leaves this use case
//! except to the poller; staff see only whether one is set and whether it can be read.

use std::sync::Arc;

use crate::error::{Error, check_text_inputs};
use crate::mail_in::{Mailbox, MailboxPlace};
use crate::model::{InboxId, Timestamp};
use crate::permissions::{StaffAction, StaffMember};
use crate::ports::{AuditEntry, Ports, SecretBox};
use crate::usecases::portal::field_error;

/// Seconds between rounds when the form leaves it empty.
pub const DEFAULT_POLL_SECONDS: u32 = 30;
/// The fewest and most seconds between rounds.
pub const POLL_SECONDS: std::ops::RangeInclusive<u32> = 5..=3600;

/// A mailbox as the staff form sends it: text as typed, checked by [`MailboxSettings::save`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailboxInput {
    /// The inbox its mails go to.
    pub inbox: Option<InboxId>,
    /// IMAP server host name or address.
    pub host: String,
    /// Port; empty: 993 with TLS, 143 without.
    pub port: String,
    /// TLS from the first byte.
    pub tls: bool,
    /// Login name.
    pub user: String,
    /// Password; empty when editing keeps the stored one.
    pub password: String,
    /// Folder; empty: `INBOX`.
    pub folder: String,
    /// Delete taken mails from the server.
    pub delete_taken: bool,
    /// Seconds between rounds; empty: [`DEFAULT_POLL_SECONDS`].
    pub poll_seconds: String,
    /// Read at all.
    pub enabled: bool,
}

/// How the last round with a mailbox went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxStatus {
    /// No round since it was saved.
    Unchecked,
    /// The last round worked.
    Working(Timestamp),
    /// The last round failed, with the error.
    Failing(Timestamp, String),
}

/// A mailbox as staff see it: everything but the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxView {
    /// Its id.
    pub id: i64,
    /// Where and how it is read.
    pub place: MailboxPlace,
    /// `false` when this server's key cannot open the stored password (it was sealed with
    /// another key): staff enter it again.
    pub password_readable: bool,
    /// The last round.
    pub status: MailboxStatus,
}

/// A mailbox to read, with its password opened: for the poller only.
#[derive(Clone, PartialEq, Eq)]
pub struct MailboxAccount {
    /// The mailbox's id (rounds are recorded against it).
    pub id: i64,
    /// Where and how it is read.
    pub place: MailboxPlace,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for MailboxAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailboxAccount")
            .field("id", &self.id)
            .field("place", &self.place)
            .field("password", &"(set)")
            .finish()
    }
}

/// The error a round records for a password this server cannot open.
pub const UNREADABLE_PASSWORD: &str =
    "the stored password cannot be opened with this server's secret key; enter it again";

/// The mailboxes on the staff side.
#[derive(Clone)]
pub struct MailboxSettings {
    ports: Ports,
    secrets: Arc<dyn SecretBox>,
}

fn view(m: Mailbox, readable: bool) -> MailboxView {
    MailboxView {
        id: m.id,
        place: m.place,
        password_readable: readable,
        status: match (m.checked_at, m.last_error) {
            (None, _) => MailboxStatus::Unchecked,
            (Some(at), None) => MailboxStatus::Working(at),
            (Some(at), Some(e)) => MailboxStatus::Failing(at, e),
        },
    }
}

/// A host name (letters, digits, hyphens, dots) or an IPv4/IPv6 address.
pub fn valid_host(host: &str) -> bool {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl MailboxSettings {
    /// The use case over `ports`, sealing passwords with `secrets`.
    pub fn new(ports: Ports, secrets: Arc<dyn SecretBox>) -> MailboxSettings {
        MailboxSettings { ports, secrets }
    }

    fn allowed(member: &StaffMember) -> Result<(), Error> {
        // Mailbox passwords open a company's mail: settings, admins only (P14).
        if member.may(StaffAction::EditSettings) {
            Ok(())
        } else {
            Err(Error::PermissionDenied)
        }
    }

    /// Every mailbox, as staff see it.
    pub async fn list(&self, member: &StaffMember) -> Result<Vec<MailboxView>, Error> {
        Self::allowed(member)?;
        Ok(self
            .ports
            .inbound
            .mailboxes()
            .await?
            .into_iter()
            .map(|m| {
                let readable = self.secrets.open(&m.sealed_password).is_ok();
                view(m, readable)
            })
            .collect())
    }

    /// One mailbox.
    pub async fn get(&self, member: &StaffMember, id: i64) -> Result<MailboxView, Error> {
        self.list(member)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(Error::NotFound)
    }

    /// Checks and writes a new mailbox (`id` `None`) or changes one; returns its id. Every
    /// problem is reported at once and nothing is written while there is one.
    pub async fn save(
        &self,
        member: &StaffMember,
        id: Option<i64>,
        input: MailboxInput,
    ) -> Result<i64, Error> {
        Self::allowed(member)?;
        let current = match id {
            Some(id) => Some(
                self.ports
                    .inbound
                    .mailboxes()
                    .await?
                    .into_iter()
                    .find(|m| m.id == id)
                    .ok_or(Error::NotFound)?,
            ),
            None => None,
        };
        check_text_inputs([
            ("host", input.host.as_str()),
            ("port", input.port.as_str()),
            ("user", input.user.as_str()),
            ("password", input.password.as_str()),
            ("folder", input.folder.as_str()),
            ("poll_seconds", input.poll_seconds.as_str()),
        ])?;
        let mut problems = Vec::new();
        let inboxes = self.ports.catalog.inboxes().await?;
        let inbox = input.inbox.filter(|i| inboxes.iter().any(|x| x.id == *i));
        if inbox.is_none() {
            problems.push(field_error("inbox", "unknown_inbox"));
        }
        let host = input.host.trim();
        if host.is_empty() {
            problems.push(field_error("host", "required"));
        } else if !valid_host(host) {
            problems.push(field_error("host", "invalid_host"));
        }
        let port = match input.port.trim() {
            "" => Some(if input.tls { 993 } else { 143 }),
            p => match p.parse::<u32>() {
                Ok(n) if (1..=65535).contains(&n) => u16::try_from(n).ok(),
                Ok(_) => {
                    problems.push(field_error("port", "out_of_range"));
                    None
                }
                Err(_) => {
                    problems.push(field_error("port", "invalid_number"));
                    None
                }
            },
        };
        let user = input.user.trim();
        if user.is_empty() {
            problems.push(field_error("user", "required"));
        } else if user.chars().count() > 255 {
            problems.push(field_error("user", "too_long"));
        }
        let folder = match input.folder.trim() {
            "" => "INBOX",
            f => f,
        };
        if folder.chars().count() > 255 {
            problems.push(field_error("folder", "too_long"));
        }
        let poll_seconds = match input.poll_seconds.trim() {
            "" => Some(DEFAULT_POLL_SECONDS),
            s => match s.parse::<u32>() {
                Ok(n) if POLL_SECONDS.contains(&n) => Some(n),
                Ok(_) => {
                    problems.push(field_error("poll_seconds", "out_of_range"));
                    None
                }
                Err(_) => {
                    problems.push(field_error("poll_seconds", "invalid_number"));
                    None
                }
            },
        };
        // Empty keeps the stored password when editing; a new mailbox needs one.
        let sealed = if input.password.is_empty() {
            match &current {
                Some(c) => Some(c.sealed_password.clone()),
                None => {
                    problems.push(field_error("password", "required"));
                    None
                }
            }
        } else if input.password.chars().count() > 1024 {
            problems.push(field_error("password", "too_long"));
            None
        } else {
            Some(
                self.secrets
                    .seal(&input.password)
                    .map_err(|e| Error::Unavailable(format!("sealing the password: {e}")))?,
            )
        };
        let (Some(inbox), Some(port), Some(poll_seconds), Some(sealed), true) =
            (inbox, port, poll_seconds, sealed, problems.is_empty())
        else {
            return Err(Error::Invalid(problems));
        };
        let mailbox = Mailbox {
            id: id.unwrap_or(0),
            place: MailboxPlace {
                inbox,
                host: host.to_string(),
                port,
                tls: input.tls,
                user: user.to_string(),
                folder: folder.to_string(),
                delete_taken: input.delete_taken,
                poll_seconds,
                enabled: input.enabled,
            },
            sealed_password: sealed,
            checked_at: None,
            last_error: None,
        };
        let saved = self.ports.inbound.save_mailbox(&mailbox).await?;
        self.audit(
            member,
            if id.is_some() {
                "mailbox.update"
            } else {
                "mailbox.create"
            },
            &format!(
                "mailbox {saved}: {}@{}/{} for inbox {}",
                mailbox.place.user, mailbox.place.host, mailbox.place.folder, mailbox.place.inbox.0
            ),
        )
        .await?;
        Ok(saved)
    }

    /// Removes a mailbox (its mails already taken stay).
    pub async fn delete(&self, member: &StaffMember, id: i64) -> Result<(), Error> {
        Self::allowed(member)?;
        self.ports.inbound.delete_mailbox(id).await?;
        self.audit(member, "mailbox.delete", &format!("mailbox {id}"))
            .await
    }

    async fn audit(&self, member: &StaffMember, action: &str, detail: &str) -> Result<(), Error> {
        Ok(self
            .ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", member.agent.id.0),
                action: action.into(),
                detail: detail.into(),
                at: self.ports.clock.now(),
            })
            .await?)
    }

    /// The mailboxes to read now, with their passwords opened; a mailbox whose password
    /// this server cannot open is recorded as failing and left out.
    pub async fn accounts(&self) -> Result<Vec<MailboxAccount>, Error> {
        let mut out = Vec::new();
        for m in self.ports.inbound.mailboxes().await? {
            if !m.place.enabled {
                continue;
            }
            match self.secrets.open(&m.sealed_password) {
                Ok(password) => out.push(MailboxAccount {
                    id: m.id,
                    place: m.place,
                    password,
                }),
                Err(_) => {
                    if m.last_error.as_deref() != Some(UNREADABLE_PASSWORD) {
                        self.checked(m.id, Err(UNREADABLE_PASSWORD.into())).await?;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Records how a round with mailbox `id` went (staff see it on the mailbox list).
    pub async fn checked(&self, id: i64, result: Result<(), String>) -> Result<(), Error> {
        let error = result
            .err()
            .map(|e| e.chars().take(500).collect::<String>());
        Ok(self
            .ports
            .inbound
            .mailbox_checked(id, self.ports.clock.now(), error.as_deref())
            .await?)
    }
}
