//! # portal-mail
//!
//! The email side of the outbox: mails are rows written by the core's use cases (through the
//! `Outbox` port, in the same transaction as the change that causes them); this crate
//! renders them in the recipient's language and delivers them.
//!
//! - [`render`]: subject and plain-text body from the Fluent catalogues the pages share
//!   (`portal-i18n`: built in, plus the operator's directory), falling back to English; [`compose`]: the text and
//!   the branded HTML part of a mail ([`body`]).
//! - Every mail is `multipart/alternative` with `Message-ID`, `Date`, `MIME-Version` and
//!   `Auto-Submitted: auto-generated`; a mail about a ticket carries its thread token in
//!   `Message-ID` and in a `Reply-To` plus address, and `In-Reply-To`/`References` to the
//!   ticket's thread (issue 17).
//! - [`Transport`]: SMTP (plain, STARTTLS or TLS, with credentials) through lettre, or
//!   `.eml` files in a directory when no SMTP server is configured (the offline demo).
//! - [`Sender`]: claims due mails with a lease (so several servers never send one twice),
//!   delivers them, marks them sent, or schedules a retry with exponential back-off and
//!   gives up after `max_attempts` (the mail stays in the outbox as dead, visible to staff).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub mod body;
pub mod imap;
pub mod inbound;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use portal_core::PortResult;
use portal_core::model::Timestamp;
use portal_core::ports::{Clock, Outbox, OutgoingMail, QueuedMail};

/// The mail templates every language has.
pub const TEMPLATES: [&str; 9] = [
    "reply_notification",
    "handed_to_you",
    "handed_over",
    "handed_away",
    "filed_for_you",
    "registration",
    "email_confirmation",
    "password_reset",
    "login_link",
];

/// The mail catalogues: the same Fluent catalogues the pages read (`portal-i18n`, built in
/// plus the operator's directory), where each mail kind has `{kind}.subject` and
/// `{kind}.body`.
#[derive(Debug, Clone)]
pub struct Catalog(Arc<portal_i18n::Catalogues>);

impl Default for Catalog {
    fn default() -> Self {
        Catalog(Arc::new(portal_i18n::Catalogues::built_in()))
    }
}

impl From<Arc<portal_i18n::Catalogues>> for Catalog {
    fn from(c: Arc<portal_i18n::Catalogues>) -> Catalog {
        Catalog(c)
    }
}

impl Catalog {
    /// `key` in `lang` (or English) with these variables, if a catalogue has it.
    fn fill(&self, lang: &str, key: &str, vars: &[(&str, portal_i18n::Arg)]) -> Option<String> {
        self.0.has(lang, key).then(|| self.0.fill(lang, key, vars))
    }

    /// The mail keys of a language (each template's subject and body).
    pub fn keys(&self, lang: &str) -> Vec<&str> {
        self.0
            .keys(lang)
            .into_iter()
            .filter(|k| {
                k.split_once('.').is_some_and(|(kind, part)| {
                    TEMPLATES.contains(&kind) && matches!(part, "subject" | "body")
                })
            })
            .collect()
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
    let vars: Vec<(&str, portal_i18n::Arg)> = mail
        .vars
        .iter()
        .map(|(k, v)| (k.as_str(), portal_i18n::Arg::from(v.as_str())))
        .collect();
    let fill = |key: &str| -> Result<String, MailError> {
        catalog
            .fill(&mail.language, key, &vars)
            .ok_or_else(|| MailError::NoText(key.to_string()))
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

/// Stands where the reply goes while the HTML part is built from the text template.
const REPLY_MARK: &str = "\u{e000}reply\u{e000}";

/// A mail's subject and its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Subject line.
    pub subject: String,
    /// The `text/plain` part.
    pub text: String,
    /// The `text/html` part.
    pub html: String,
}

/// The subject, text and HTML of a mail: rendered as [`render_with`] does, the reply (the
/// `reply_html` variable, the stored body) written as faithful text in the text part and as
/// allow-listed HTML in the HTML part, the HTML in the portal's colours ([`body::page`]).
pub fn compose(
    catalog: &Catalog,
    overrides: &std::collections::BTreeMap<String, String>,
    mail: &OutgoingMail,
    look: &body::Look,
) -> Result<Composed, MailError> {
    let reply_html = mail.vars.get("reply_html").filter(|h| !h.trim().is_empty());
    let with_reply = |reply: String| {
        let mut m = mail.clone();
        if reply_html.is_some() {
            m.vars.insert("reply".into(), reply);
        }
        m
    };
    let text_reply = reply_html.map_or_else(String::new, |h| body::html_to_text(h) + "\n\n");
    let text = render_with(catalog, overrides, &with_reply(text_reply))?;
    let mut text_body = text.body;
    while text_body.contains("\n\n\n") {
        text_body = text_body.replace("\n\n\n", "\n\n");
    }
    let marked = render_with(
        catalog,
        overrides,
        &with_reply(format!("\n\n{REPLY_MARK}\n\n")),
    )?;
    let primary = body::colour(&look.primary, "#1d4ed8");
    let mut content = body::text_to_html(&marked.body, primary);
    if let Some(h) = reply_html {
        content = content.replace(
            &format!("<p style=\"margin:0 0 1em\">{REPLY_MARK}</p>"),
            &format!(
                "<div style=\"border-left:3px solid {primary};padding-left:12px;margin:0 0 1em\">{}</div>",
                body::safe_html(h, primary)
            ),
        );
    }
    let portal = mail.vars.get("portal").map_or("", String::as_str);
    Ok(Composed {
        html: body::page(look, &mail.language, portal, &text.subject, &content),
        subject: text.subject,
        text: text_body,
    })
}

/// The built-in text of a mail kind in a language, as an override template (what the
/// admin starts editing from): `{name}` placeholders become `{{name}}`.
pub fn builtin_source(catalog: &Catalog, kind: &str, language: &str) -> Option<String> {
    let vars: Vec<(&str, portal_i18n::Arg)> =
        ["name", "link", "portal", "author", "subject", "reply"]
            .into_iter()
            .map(|v| (v, portal_i18n::Arg::from(format!("{{{{{v}}}}}"))))
            .collect();
    let subject = catalog.fill(language, &format!("{kind}.subject"), &vars)?;
    let body = catalog.fill(language, &format!("{kind}.body"), &vars)?;
    Some(format!("Subject: {subject}\n\n{body}"))
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
    /// Where answers to mails about a ticket go (`Reply-To`), with `+t-<token>` added to its
    /// local part; `None`: the sender's address. Its mailbox must accept plus addresses.
    pub reply_to: Option<String>,
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
            reply_to: None,
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
        self.reply_mailbox()?;
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

impl MailConfig {
    /// Sets where answers to ticket mails go (`None`: the sender's address).
    pub fn reply_to(mut self, address: Option<String>) -> MailConfig {
        self.reply_to = address.filter(|a| !a.trim().is_empty());
        self
    }

    /// portal's own addresses, sender and reply mailbox: a mail that comes in from one of
    /// them is a loop (issue 17). Addresses that do not parse are left out (`check` reports
    /// them).
    pub fn own_addresses(&self) -> Vec<String> {
        let mut out: Vec<String> = [Some(self.from.as_str()), self.reply_to.as_deref()]
            .into_iter()
            .flatten()
            .filter_map(|raw| raw.parse::<Mailbox>().ok())
            .map(|m| m.email.to_string().to_lowercase())
            .collect();
        out.dedup();
        out
    }

    /// The mailbox answers go to, before its token is added.
    fn reply_mailbox(&self) -> Result<Mailbox, MailError> {
        let raw = self.reply_to.as_deref().unwrap_or(&self.from);
        raw.parse::<Mailbox>()
            .map_err(|e| MailError::Config(format!("mail reply-to `{raw}`: {e}")))
    }
}

/// The `Reply-To` of a mail about a ticket: the reply mailbox with `+t-<token>` added to
/// its local part (`support+t-3f…@acme.example`).
pub fn reply_address(mailbox: &Mailbox, token: &str) -> Result<Mailbox, MailError> {
    let user = format!("{}+t-{token}", mailbox.email.user());
    let address = lettre::Address::new(user, mailbox.email.domain())
        .map_err(|e| MailError::Message(format!("reply address: {e}")))?;
    Ok(Mailbox::new(mailbox.name.clone(), address))
}

/// The most a mail carries in files; larger sets are reached through the ticket link.
pub const MAX_ATTACHED_BYTES: u64 = 10 << 20;

/// Whether a thread token is what the core makes: 32 lower-case hex digits.
fn valid_token(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Delivery attempts, by `result`: `sent`, `failed` (retried later) or `dead` (given up).
pub const MAILS: &str = "portal_mails_total";

/// Delivers the outbox.
pub struct Sender {
    outbox: Arc<dyn Outbox>,
    clock: Arc<dyn Clock>,
    settings: Option<Arc<dyn portal_core::ports::SettingsRepository>>,
    blobs: Option<Arc<dyn portal_core::ports::BlobStore>>,
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
        config.reply_mailbox()?;
        Ok(Sender {
            outbox,
            clock,
            settings: None,
            blobs: None,
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

    /// Writes mails from these catalogues (the built-in ones by default).
    pub fn with_catalog(mut self, catalog: Catalog) -> Sender {
        self.catalog = catalog;
        self
    }

    /// Puts the portal's logo (when it has one) into the HTML parts, read from these blobs.
    pub fn with_logo(mut self, blobs: Arc<dyn portal_core::ports::BlobStore>) -> Sender {
        self.blobs = Some(blobs);
        self
    }

    /// What every mail of a round shares: the admin's templates and branding.
    async fn round_look(&self) -> PortResult<RoundLook> {
        let Some(settings) = &self.settings else {
            return Ok(RoundLook::default());
        };
        let s = settings.load().await?;
        let logo = match (&self.blobs, &s.branding.logo) {
            (Some(blobs), Some(key)) => blobs
                .get(key)
                .await?
                .and_then(|bytes| logo_type(&bytes).map(|t| (bytes, t))),
            _ => None,
        };
        Ok(RoundLook {
            look: body::Look {
                primary: s.branding.primary_color.clone(),
                background: s.branding.background_color.clone(),
                text: s.branding.text_color.clone(),
                logo: logo.is_some(),
            },
            overrides: s.templates,
            logo,
        })
    }

    /// The mail as it is sent, without the files it carries.
    pub fn message(&self, q: &QueuedMail, round: &RoundLook) -> Result<Message, MailError> {
        self.message_with(q, round, &[])
    }

    /// The files a mail carries, read from the blob store: in their order while together
    /// they stay within [`MAX_ATTACHED_BYTES`]; the rest are reached through the mail's
    /// link to the ticket. A file gone from the store is left out.
    pub async fn files(&self, q: &QueuedMail) -> PortResult<Vec<(String, String, Vec<u8>)>> {
        let mut out = Vec::new();
        let Some(blobs) = &self.blobs else {
            return Ok(out);
        };
        let mut total = 0u64;
        for f in &q.mail.files {
            if total + f.size > MAX_ATTACHED_BYTES {
                continue;
            }
            if let Some(bytes) = blobs.get(&f.blob_key).await? {
                total += bytes.len() as u64;
                out.push((f.file_name.clone(), f.content_type.clone(), bytes));
            }
        }
        Ok(out)
    }

    /// The mail as it is sent, with `files` (name, content type, bytes) attached.
    pub fn message_with(
        &self,
        q: &QueuedMail,
        round: &RoundLook,
        files: &[(String, String, Vec<u8>)],
    ) -> Result<Message, MailError> {
        let parts = compose(&self.catalog, &round.overrides, &q.mail, &round.look)?;
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
        let domain = from.email.domain().to_string();
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(parts.subject)
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".into(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("X-Auto-Response-Suppress"),
                "All".into(),
            ));
        builder = match &q.mail.thread {
            Some(t) if valid_token(&t.token) => {
                let root = format!("<ticket-{}@{domain}>", t.ticket.0);
                builder
                    .message_id(Some(format!("<t-{}@{domain}>", t.token)))
                    .in_reply_to(root.clone())
                    .references(root)
                    .reply_to(reply_address(&self.config.reply_mailbox()?, &t.token)?)
            }
            Some(_) => return Err(MailError::Message("a malformed thread token".into())),
            None => {
                builder.message_id(Some(format!("<m{}.{}@{domain}>", q.id, self.clock.now().0)))
            }
        };
        let html = SinglePart::html(parts.html);
        let alternative = MultiPart::alternative().singlepart(SinglePart::plain(parts.text));
        let alternative = match &round.logo {
            Some((bytes, content_type)) => {
                alternative.multipart(MultiPart::related().singlepart(html).singlepart(
                    Attachment::new_inline("logo".into()).body(bytes.clone(), content_type.clone()),
                ))
            }
            None => alternative.singlepart(html),
        };
        if files.is_empty() {
            return builder
                .multipart(alternative)
                .map_err(|e| MailError::Message(e.to_string()));
        }
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for (name, content_type, bytes) in files {
            use lettre::message::header::ContentType;
            let content_type = ContentType::parse(content_type)
                .or_else(|_| ContentType::parse("application/octet-stream"))
                .map_err(|e| MailError::Message(e.to_string()))?;
            mixed =
                mixed.singlepart(Attachment::new(name.clone()).body(bytes.clone(), content_type));
        }
        builder
            .multipart(mixed)
            .map_err(|e| MailError::Message(e.to_string()))
    }

    async fn deliver(&self, q: &QueuedMail, round: &RoundLook) -> Result<(), MailError> {
        let files = self
            .files(q)
            .await
            .map_err(|e| MailError::Delivery(format!("reading the mail's files: {e}")))?;
        let message = self.message_with(q, round, &files)?;
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
        let round_look = if claimed.is_empty() {
            RoundLook::default()
        } else {
            self.round_look().await?
        };
        for q in claimed {
            match self.deliver(&q, &round_look).await {
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

/// What the mails of one round share: the admin's templates, colours and logo.
#[derive(Debug, Clone, Default)]
pub struct RoundLook {
    /// The admin's mail templates (settings key `mail.{kind}.{language}`).
    pub overrides: std::collections::BTreeMap<String, String>,
    /// Colours of the HTML part.
    pub look: body::Look,
    /// The logo's bytes and type, when the portal has one a mail client shows.
    pub logo: Option<(Vec<u8>, ContentType)>,
}

/// The type of a logo mail clients show inline (PNG, JPEG or GIF), from its first bytes.
fn logo_type(bytes: &[u8]) -> Option<ContentType> {
    let t = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF8") {
        "image/gif"
    } else {
        return None;
    };
    ContentType::parse(t).ok()
}

/// The mail templates for the staff's editor (the core's `MailTemplates` port).
#[derive(Default)]
pub struct Templates {
    catalog: Catalog,
}

impl Templates {
    /// The editor's templates from these catalogues.
    pub fn new(catalog: Catalog) -> Templates {
        Templates { catalog }
    }
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
