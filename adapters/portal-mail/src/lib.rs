//! # portal-mail
//!
//! The email side of the outbox: mails are rows written by the core's use cases (through the
//! `Outbox` port, in the same transaction as the change that causes them); this crate
//! renders them in the recipient's language and delivers them.
//!
//! - [`render`]: subject and plain-text body from the embedded catalogues
//!   (`locales/{en,de,nl,da,fi}.txt`), falling back to English.
//! - [`Transport`]: SMTP (plain, STARTTLS or TLS, with credentials) through lettre, or
//!   `.eml` files in a directory when no SMTP server is configured (the offline demo).
//! - [`Sender`]: claims due mails with a lease (so several servers never send one twice),
//!   delivers them, marks them sent, or schedules a retry with exponential back-off and
//!   gives up after `max_attempts` (the mail stays in the outbox as dead, visible to staff).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use portal_core::PortResult;
use portal_core::model::Timestamp;
use portal_core::ports::{Clock, Outbox, OutgoingMail, QueuedMail};

const SOURCES: [(&str, &str); 5] = [
    ("en", include_str!("../locales/en.txt")),
    ("de", include_str!("../locales/de.txt")),
    ("nl", include_str!("../locales/nl.txt")),
    ("da", include_str!("../locales/da.txt")),
    ("fi", include_str!("../locales/fi.txt")),
];

/// The mail templates every language has.
pub const TEMPLATES: [&str; 5] = [
    "reply_notification",
    "registration",
    "email_confirmation",
    "password_reset",
    "login_link",
];

/// The mail catalogues.
pub struct Catalog {
    tables: HashMap<&'static str, HashMap<&'static str, &'static str>>,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog {
            tables: SOURCES
                .iter()
                .map(|(l, src)| (*l, portal_core::settings::catalogue_entries(src).collect()))
                .collect(),
        }
    }
}

impl Catalog {
    fn get(&self, lang: &str, key: &str) -> Option<&'static str> {
        self.tables
            .get(lang)
            .and_then(|t| t.get(key))
            .or_else(|| self.tables.get("en").and_then(|t| t.get(key)))
            .copied()
    }

    /// Every key of a language.
    pub fn keys(&self, lang: &str) -> Vec<&'static str> {
        let mut k: Vec<_> = self
            .tables
            .get(lang)
            .map(|t| t.keys().copied().collect())
            .unwrap_or_default();
        k.sort_unstable();
        k
    }
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// What can go wrong with a mail, from its text to its delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The catalogue has no text for this key.
    #[error("no mail template `{0}`")]
    NoText(String),
    /// An admin's mail template does not render.
    #[error("mail template {key}: {detail}")]
    Template {
        /// Its settings key, `mail.{kind}.{language}`.
        key: String,
        /// What handlebars said.
        detail: String,
    },
    /// An admin's mail template without its `Subject:` line.
    #[error("a mail template starts with `Subject: …`")]
    NoSubject,
    /// The SMTP URL or the sender address in the configuration is wrong.
    #[error("{0}")]
    Config(String),
    /// The mail cannot be built (a recipient that is not an address).
    #[error("{0}")]
    Message(String),
    /// Writing or sending it failed.
    #[error("{0}")]
    Delivery(String),
}

/// Renders a mail in its language: `{name}` placeholders filled from its variables.
/// Unknown templates are an error (the mail is then retried and dead-lettered, never sent
/// half-formed).
pub fn render(catalog: &Catalog, mail: &OutgoingMail) -> Result<Rendered, MailError> {
    let fill = |key: &str| -> Result<String, MailError> {
        let mut text = catalog
            .get(&mail.language, key)
            .ok_or_else(|| MailError::NoText(key.to_string()))?
            .replace("\\n", "\n");
        for (k, v) in &mail.vars {
            text = text.replace(&format!("{{{k}}}"), v);
        }
        Ok(text)
    };
    Ok(Rendered {
        subject: fill(&format!("{}.subject", mail.template))?.replace(['\r', '\n'], " "),
        body: fill(&format!("{}.body", mail.template))?,
    })
}

/// Renders a mail with the admin's override when one exists for its kind and language
/// (settings key `mail.{kind}.{language}`): a handlebars template whose first line is
/// `Subject: …`, then a blank line and the body; the mail's variables (`{{name}}`,
/// `{{link}}`, `{{portal}}`, …) fill it, unescaped (plain text). Without an override, the
/// built-in translated text.
pub fn render_with(
    catalog: &Catalog,
    overrides: &std::collections::BTreeMap<String, String>,
    mail: &OutgoingMail,
) -> Result<Rendered, MailError> {
    match overrides.get(&format!("mail.{}.{}", mail.template, mail.language)) {
        Some(source) => render_override(source, mail),
        None => render(catalog, mail),
    }
}

/// Renders an override template (see [`render_with`]).
pub fn render_override(source: &str, mail: &OutgoingMail) -> Result<Rendered, MailError> {
    let mut hb = handlebars::Handlebars::new();
    hb.register_escape_fn(handlebars::no_escape);
    let text = hb
        .render_template(source, &mail.vars)
        .map_err(|e| MailError::Template {
            key: format!("mail.{}.{}", mail.template, mail.language),
            detail: e.to_string(),
        })?;
    let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    let subject = first
        .strip_prefix("Subject:")
        .ok_or(MailError::NoSubject)?
        .trim()
        .replace(['\r', '\n'], " ");
    Ok(Rendered {
        subject,
        body: rest.trim_start_matches(['\r', '\n']).to_string(),
    })
}

/// The built-in text of a mail kind in a language, as an override template (what the
/// admin starts editing from): `{name}` placeholders become `{{name}}`.
pub fn builtin_source(catalog: &Catalog, kind: &str, language: &str) -> Option<String> {
    let conv = |s: &str| {
        let mut out = s.replace("\\n", "\n");
        for var in ["name", "link", "portal", "author", "subject", "reply"] {
            out = out.replace(&format!("{{{var}}}"), &format!("{{{{{var}}}}}"));
        }
        out
    };
    let subject = catalog.get(language, &format!("{kind}.subject"))?;
    let body = catalog.get(language, &format!("{kind}.body"))?;
    Some(format!("Subject: {}\n\n{}", conv(subject), conv(body)))
}

/// How SMTP connections are secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS (a relay on the local network or loopback).
    Plain,
    /// Plain connection upgraded with STARTTLS (port 587).
    StartTls,
    /// TLS from the start (port 465).
    Tls,
}

/// Where mails go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// `.eml` files in this directory (no SMTP configured).
    Files(PathBuf),
    /// An SMTP server.
    Smtp {
        /// Host name.
        host: String,
        /// Port.
        port: u16,
        /// Security.
        security: Security,
        /// User and password.
        credentials: Option<(String, String)>,
    },
}

impl Transport {
    /// Parses `smtp://[user:pass@]host[:port][?tls=starttls|tls|none]`; STARTTLS is the
    /// default for port 587, TLS for 465, none otherwise.
    pub fn parse_smtp_url(url: &str) -> Result<Transport, MailError> {
        let bad = |s: String| MailError::Config(s);
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| bad("the SMTP URL must start with smtp://".into()))?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| bad(format!("bad SMTP port `{p}`")))?,
            ),
            None => (hostport, 25),
        };
        if host.is_empty() {
            return Err(bad("the SMTP URL has no host".into()));
        }
        let security = match query.strip_prefix("tls=") {
            Some("starttls") => Security::StartTls,
            Some("tls") => Security::Tls,
            Some("none") => Security::Plain,
            Some(other) => return Err(bad(format!("unknown tls mode `{other}`"))),
            None if port == 587 => Security::StartTls,
            None if port == 465 => Security::Tls,
            None => Security::Plain,
        };
        let credentials = auth.map(|a| {
            let (u, p) = a.split_once(':').unwrap_or((a, ""));
            (u.to_string(), p.to_string())
        });
        Ok(Transport::Smtp {
            host: host.into(),
            port,
            security,
            credentials,
        })
    }
}

/// Sender settings.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// Where mails go.
    pub transport: Transport,
    /// The sender, e.g. `Acme Support <support@acme.example>`.
    pub from: String,
    /// Attempts before a mail is given up (dead).
    pub max_attempts: u32,
    /// Mails claimed per round.
    pub batch: usize,
    /// How long a claim is leased to this sender.
    pub lease_seconds: i64,
}

impl MailConfig {
    /// Defaults: 6 attempts, 20 mails a round, 2-minute leases.
    pub fn new(transport: Transport, from: &str) -> MailConfig {
        MailConfig {
            transport,
            from: from.into(),
            max_attempts: 6,
            batch: 20,
            lease_seconds: 120,
        }
    }
}

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most 6 hours.
pub fn backoff_seconds(attempts: u32) -> i64 {
    (30i64 << attempts.min(10)).min(6 * 3600)
}

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    /// Delivered.
    pub sent: usize,
    /// Failed, to be retried.
    pub retried: usize,
    /// Failed for the last time.
    pub dead: usize,
}

/// The SMTP transport for these settings (none for `.eml` files), built without connecting.
fn smtp_transport(
    transport: &Transport,
) -> Result<Option<AsyncSmtpTransport<Tokio1Executor>>, MailError> {
    Ok(match transport {
        Transport::Files(_) => None,
        Transport::Smtp {
            host,
            port,
            security,
            credentials,
        } => {
            let builder = match security {
                Security::Plain => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                    .map_err(|e| MailError::Config(e.to_string()))?,
                Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                    .map_err(|e| MailError::Config(e.to_string()))?,
            };
            let mut builder = builder.port(*port).timeout(Some(Duration::from_secs(20)));
            if let Some((u, p)) = credentials {
                builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
            }
            Some(builder.build())
        }
    })
}

impl MailConfig {
    /// Checks the settings without connecting or sending (`portal check-config`): the
    /// sender address parses and the SMTP transport can be built. Says where mails go.
    pub fn check(&self) -> Result<String, MailError> {
        smtp_transport(&self.transport)?;
        self.from
            .parse::<Mailbox>()
            .map_err(|e| MailError::Config(format!("mail from `{}`: {e}", self.from)))?;
        Ok(match &self.transport {
            Transport::Files(dir) => format!(
                "from {}; no SMTP server: mails are written as .eml files into {}",
                self.from,
                dir.display()
            ),
            Transport::Smtp {
                host,
                port,
                security,
                credentials,
            } => format!(
                "from {}; SMTP {host}:{port} ({security:?}){}",
                self.from,
                credentials
                    .as_ref()
                    .map_or_else(String::new, |(u, _)| format!(", as {u}"))
            ),
        })
    }
}

/// Delivery attempts, by `result`: `sent`, `failed` (retried later) or `dead` (given up).
pub const MAILS: &str = "portal_mails_total";

/// Delivers the outbox.
pub struct Sender {
    outbox: Arc<dyn Outbox>,
    clock: Arc<dyn Clock>,
    settings: Option<Arc<dyn portal_core::ports::SettingsRepository>>,
    config: MailConfig,
    catalog: Catalog,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
}

impl Sender {
    /// A sender over these ports.
    pub fn new(
        outbox: Arc<dyn Outbox>,
        clock: Arc<dyn Clock>,
        config: MailConfig,
    ) -> Result<Sender, MailError> {
        let smtp = smtp_transport(&config.transport)?;
        config
            .from
            .parse::<Mailbox>()
            .map_err(|e| MailError::Config(format!("mail from `{}`: {e}", config.from)))?;
        Ok(Sender {
            outbox,
            clock,
            settings: None,
            config,
            catalog: Catalog::default(),
            smtp,
        })
    }

    /// Renders with the admin's mail templates from these settings (read each round).
    pub fn with_templates(
        mut self,
        settings: Arc<dyn portal_core::ports::SettingsRepository>,
    ) -> Sender {
        self.settings = Some(settings);
        self
    }

    fn message(
        &self,
        q: &QueuedMail,
        overrides: &std::collections::BTreeMap<String, String>,
    ) -> Result<Message, MailError> {
        let r = render_with(&self.catalog, overrides, &q.mail)?;
        let from: Mailbox = self
            .config
            .from
            .parse()
            .map_err(|e| MailError::Config(format!("mail from: {e}")))?;
        let to: Mailbox = q
            .mail
            .to
            .parse()
            .map_err(|e| MailError::Message(format!("recipient `{}`: {e}", q.mail.to)))?;
        Message::builder()
            .from(from)
            .to(to)
            .subject(r.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(r.body)
            .map_err(|e| MailError::Message(e.to_string()))
    }

    async fn deliver(
        &self,
        q: &QueuedMail,
        overrides: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), MailError> {
        let message = self.message(q, overrides)?;
        let failed = |e: std::io::Error| MailError::Delivery(e.to_string());
        match (&self.config.transport, &self.smtp) {
            (Transport::Files(dir), _) => {
                tokio::fs::create_dir_all(dir).await.map_err(failed)?;
                let path = dir.join(format!("{:08}.eml", q.id));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(failed)?;
                tracing::info!(to = %q.mail.to, template = %q.mail.template, path = %path.display(), "mail written");
                Ok(())
            }
            (Transport::Smtp { .. }, Some(smtp)) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Delivery(e.to_string())),
            (Transport::Smtp { .. }, None) => {
                Err(MailError::Config("SMTP transport missing".into()))
            }
        }
    }

    /// Claims due mails and delivers them once.
    pub async fn run_once(&self) -> PortResult<Round> {
        let now: Timestamp = self.clock.now();
        let claimed = self
            .outbox
            .claim(
                now,
                now.plus_seconds(self.config.lease_seconds),
                self.config.batch,
            )
            .await?;
        let mut round = Round::default();
        let overrides = match (&self.settings, claimed.is_empty()) {
            (Some(s), false) => s.load().await?.templates,
            _ => Default::default(),
        };
        for q in claimed {
            match self.deliver(&q, &overrides).await {
                Ok(()) => {
                    self.outbox.mark_sent(q.id, self.clock.now()).await?;
                    metrics::counter!(MAILS, "result" => "sent").increment(1);
                    round.sent += 1;
                }
                Err(e) => {
                    let dead = q.attempts + 1 >= self.config.max_attempts;
                    let retry = self.clock.now().plus_seconds(backoff_seconds(q.attempts));
                    tracing::warn!(id = q.id, attempt = q.attempts + 1, dead, error = %e, "mail not delivered");
                    metrics::counter!(MAILS, "result" => if dead { "dead" } else { "failed" })
                        .increment(1);
                    self.outbox
                        .mark_failed(q.id, &e.to_string(), retry, dead)
                        .await?;
                    if dead {
                        round.dead += 1
                    } else {
                        round.retried += 1
                    }
                }
            }
        }
        Ok(round)
    }

    /// Delivers forever, a round every `interval`.
    pub async fn run(self, interval: Duration) {
        loop {
            if let Err(e) = self.run_once().await {
                tracing::warn!(error = %e, "outbox round failed");
            }
            tokio::time::sleep(interval).await;
        }
    }
}

/// The mail templates for the staff's editor (the core's `MailTemplates` port).
#[derive(Default)]
pub struct Templates {
    catalog: Catalog,
}

impl portal_core::ports::MailTemplates for Templates {
    fn builtin(&self, kind: &str, language: &str) -> Option<String> {
        builtin_source(&self.catalog, kind, language)
    }

    fn preview(&self, source: &str, mail: &OutgoingMail) -> Result<(String, String), String> {
        render_override(source, mail)
            .map(|r| (r.subject, r.body))
            .map_err(|e| e.to_string())
    }
}
