//! Configuration: defaults, then `portal.toml`, then `PORTAL_*` environment variables
//! (docs/configuration.md lists them all).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The settings in `portal.toml` (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: Option<String>,
    /// A PostgreSQL read replica for lists, counts, searches and exports.
    pub database_read_url: Option<String>,
    /// Seconds the replica may lag before the primary answers its reads too.
    pub read_replica_max_lag: Option<u64>,
    /// `host:port` to listen on (port 0 picks a free port).
    pub listen: Option<String>,
    /// Where the SQLite file and other data live.
    pub data_dir: Option<PathBuf>,
    /// The public address used in links, e.g. `https://support.example.com`.
    pub base_url: Option<String>,
    /// A directory of `*.hbs` files overriding the built-in templates.
    pub template_dir: Option<PathBuf>,
    /// A directory of extra translation catalogues: `{tag}/*.ftl` (issue 18).
    pub catalogue_dir: Option<PathBuf>,
    /// Database connections per server.
    pub pool_size: Option<u32>,
    /// HTTP worker threads.
    pub workers: Option<usize>,
    /// Write the demo world into an empty database at start.
    pub demo: Option<bool>,
    /// `smtp://[user:pass@]host[:port][?tls=starttls|tls|none]`; unset: mails become
    /// `.eml` files in `{data_dir}/mail`.
    pub smtp_url: Option<String>,
    /// The sender of portal mails.
    pub mail_from: Option<String>,
    /// Where answers to ticket mails go (a plus address per ticket mail is made from it);
    /// unset: `mail_from`.
    pub mail_reply_to: Option<String>,
    /// Single sign-on (docs/sso.md).
    pub sso: Option<SsoConfig>,
    /// Mail in: `[[mail.inbound]]` mailboxes read over IMAP (docs/email.md).
    pub mail: Option<MailFile>,
    /// Reverse proxies whose `X-Forwarded-For` is believed, as addresses or CIDRs
    /// (login throttling counts per client address, SECURITY rule 4).
    pub trusted_proxies: Option<Vec<String>>,
    pub log_format: Option<String>,
    /// The bearer token `/metrics` asks for (unset: open when listening on loopback only,
    /// closed otherwise).
    pub metrics_token: Option<String>,
    /// The key (at least 64 hex digits) sealing the secrets kept in the database (the
    /// staff side's mailbox passwords); unset: `{data_dir}/secret.key`, made on first start.
    /// Servers sharing one database need the same key.
    pub secret_key: Option<String>,
}

/// `[mail]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailFile {
    /// `[[mail.inbound]]`: one mailbox each.
    pub inbound: Vec<InboundFile>,
}

/// `[[mail.inbound]]`: a mailbox portal reads over IMAP for an inbox.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InboundFile {
    /// The inbox its mails go to (its id, as on the staff side).
    pub inbox: i64,
    /// IMAP server host.
    pub host: String,
    /// Port (default 993, or 143 without TLS).
    pub port: Option<u16>,
    /// TLS from the first byte (default true; false only for a server on this machine or
    /// a private network).
    pub tls: Option<bool>,
    /// Login name.
    pub user: String,
    /// Password.
    pub password: String,
    /// Folder (default `INBOX`).
    pub folder: Option<String>,
    /// Delete taken mails from the server (default false: they stay, marked `$PortalTaken`
    /// and seen).
    pub delete_taken: Option<bool>,
    /// Seconds between rounds (default 30, at least 5).
    pub poll_seconds: Option<u64>,
}

impl std::fmt::Debug for InboundFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundFile")
            .field("inbox", &self.inbox)
            .field("host", &self.host)
            .field("user", &self.user)
            .field("password", &"(set)")
            .finish_non_exhaustive()
    }
}

/// A mailbox read over IMAP, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAccount {
    /// The mailbox.
    pub account: portal_mail::imap::ImapAccount,
    /// Seconds between rounds.
    pub every_seconds: u64,
}

fn inbound_accounts(file: Option<MailFile>) -> Result<Vec<InboundAccount>, String> {
    use portal_mail::imap::{ImapAccount, ImapSecurity};
    let mut out = Vec::new();
    for (i, f) in file
        .map(|m| m.inbound)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let at = format!("mail.inbound[{i}]");
        if f.host.trim().is_empty() || f.user.trim().is_empty() {
            return Err(format!("{at}: host and user are required"));
        }
        if f.inbox <= 0 {
            return Err(format!("{at}: inbox must be an inbox id"));
        }
        let tls = f.tls.unwrap_or(true);
        let every = f.poll_seconds.unwrap_or(30);
        if every < 5 {
            return Err(format!("{at}: poll_seconds must be at least 5"));
        }
        out.push(InboundAccount {
            account: ImapAccount {
                inbox: portal_core::model::InboxId(f.inbox),
                host: f.host.trim().to_string(),
                port: f.port.unwrap_or(if tls { 993 } else { 143 }),
                security: if tls {
                    ImapSecurity::Tls
                } else {
                    ImapSecurity::Plain
                },
                user: f.user,
                password: f.password,
                folder: f.folder.unwrap_or_else(|| "INBOX".into()),
                delete_taken: f.delete_taken.unwrap_or(false),
            },
            every_seconds: every,
        });
    }
    Ok(out)
}

/// `[sso]`: who may sign on, and the identity providers.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SsoConfig {
    /// `"all"`: every user an identity provider vouches for; `"lists"`: only contacts on
    /// `allow_lists`.
    pub allow: Option<String>,
    /// Names of contact lists whose members may sign on (with `allow = "lists"`).
    pub allow_lists: Vec<String>,
    /// Create a contact for an unknown user (unset: the settings page decides; default off).
    pub create_contacts: Option<bool>,
    /// The provider's `organization` sets the primary company (matched by name or domain;
    /// unset: the settings page decides; default off).
    pub organization_sets_company: Option<bool>,
    /// Offer email + password login besides SSO (default true).
    pub password_login: Option<bool>,
    /// A SAML identity provider.
    pub saml: Option<SamlFile>,
    /// A JWT-signing application.
    pub jwt: Option<JwtFile>,
}

/// `[sso.saml]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SamlFile {
    /// The identity provider's metadata: a file path, or an `https://` URL fetched at start.
    pub idp_metadata: String,
    /// Accept unsolicited (IdP-initiated) responses; off by default (SECURITY rule 16).
    pub idp_initiated: bool,
}

/// `[sso.jwt]`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwtFile {
    /// The shared secret, hex, at least 256 bits (`portal sso-secret` makes one).
    pub secret: String,
    /// The vendor's remote login URL for the portal's sign-in button.
    pub login_url: Option<String>,
}

impl std::fmt::Debug for JwtFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets are never shown back in full.
        f.debug_struct("JwtFile")
            .field("secret", &portal_sso::mask_secret(&self.secret))
            .field("login_url", &self.login_url)
            .finish()
    }
}

impl std::fmt::Debug for SsoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoConfig")
            .field("allow", &self.allow)
            .field("allow_lists", &self.allow_lists)
            .field("create_contacts", &self.create_contacts)
            .field("organization_sets_company", &self.organization_sets_company)
            .field("password_login", &self.password_login)
            .field("saml", &self.saml)
            .field("jwt", &self.jwt)
            .finish()
    }
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Database URL.
    pub database_url: String,
    /// Read replica URL (PostgreSQL), when reads may go there.
    pub database_read_url: Option<String>,
    /// Seconds the replica may lag; also how long a writer reads from the primary.
    pub read_replica_max_lag: u64,
    /// Listen address.
    pub listen: String,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Public address; `None`: derived from the bound address.
    pub base_url: Option<String>,
    /// Template overrides.
    pub template_dir: Option<PathBuf>,
    /// Extra translation catalogues (`{tag}/*.ftl`): a new tag adds a language, a built-in
    /// one overrides its messages.
    pub catalogue_dir: Option<PathBuf>,
    /// Database connections.
    pub pool_size: u32,
    /// HTTP workers.
    pub workers: usize,
    /// Demo world on first start.
    pub demo: bool,
    /// SMTP server, when mails are sent.
    pub smtp_url: Option<String>,
    /// Sender address.
    pub mail_from: String,
    /// The address answers go to, when not the sender's.
    pub mail_reply_to: Option<String>,
    /// Single sign-on, when configured.
    pub sso: Option<SsoConfig>,
    /// Mailboxes read over IMAP.
    pub mail_inbound: Vec<InboundAccount>,
    /// Trusted reverse proxies (empty: the client is the connection's peer).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// The bearer token for `/metrics`.
    pub metrics_token: Option<String>,
    /// The secret key, when configured (else the data directory's `secret.key`).
    pub secret_key: Option<SecretKey>,
}

/// The server's secret key as configured (shown masked).
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(pub Vec<u8>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(set)")
    }
}

/// How log lines are written: readable text, or one JSON object per line for log shippers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// `2026-12-05T08:00:00Z INFO portal::request: request id=… status=200 …`.
    #[default]
    Text,
    /// `{"timestamp":…,"level":"INFO","fields":{…},"target":"portal::request"}`.
    Json,
}

/// A boolean setting from the environment: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`
/// in any case; anything else is refused with the variable's name.
pub fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!(
            "{name} must be true or false (1/0, yes/no, on/off), not `{other}`"
        )),
    }
}

/// Reads the configuration: `path` (or `./portal.toml` when it exists), then the
/// environment through `env` (a function so tests need not touch the process environment).
pub fn load(path: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
    let file = match path {
        Some(p) => Some(p.to_path_buf()),
        None => Some(PathBuf::from("portal.toml")).filter(|p| p.exists()),
    };
    let f: FileConfig = match file {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            toml::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => FileConfig::default(),
    };
    let data_dir = env("PORTAL_DATA_DIR")
        .map(PathBuf::from)
        .or(f.data_dir)
        .unwrap_or_else(|| PathBuf::from("data"));
    let database_url = env("PORTAL_DATABASE_URL")
        .or(f.database_url)
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("portal.db").display()));
    let parse_num = |name: &str, v: Option<String>| -> Result<Option<u64>, String> {
        v.map(|s| {
            s.parse::<u64>()
                .map_err(|_| format!("{name} must be a number, not `{s}`"))
        })
        .transpose()
    };
    let database_read_url = env("PORTAL_DATABASE_READ_URL")
        .or(f.database_read_url)
        .filter(|u| !u.is_empty());
    let read_replica_max_lag = parse_num(
        "PORTAL_READ_REPLICA_MAX_LAG",
        env("PORTAL_READ_REPLICA_MAX_LAG"),
    )?
    .or(f.read_replica_max_lag)
    .unwrap_or(5);
    let pool_size = parse_num("PORTAL_POOL_SIZE", env("PORTAL_POOL_SIZE"))?
        .map(|n| n as u32)
        .or(f.pool_size)
        .unwrap_or(8);
    let workers = parse_num("PORTAL_WORKERS", env("PORTAL_WORKERS"))?
        .map(|n| n as usize)
        .or(f.workers)
        .unwrap_or(2);
    let demo = match env("PORTAL_DEMO") {
        Some(v) => parse_bool("PORTAL_DEMO", &v)?,
        None => f.demo.unwrap_or(true),
    };
    let log_format = match env("PORTAL_LOG_FORMAT")
        .or(f.log_format)
        .as_deref()
        .map(str::trim)
    {
        None | Some("text") => LogFormat::Text,
        Some("json") => LogFormat::Json,
        Some(other) => return Err(format!("log_format must be text or json, not `{other}`")),
    };
    let config = Config {
        database_url,
        database_read_url,
        read_replica_max_lag,
        listen: env("PORTAL_LISTEN")
            .or(f.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into()),
        base_url: env("PORTAL_BASE_URL")
            .or(f.base_url)
            .map(|s| s.trim_end_matches('/').to_string()),
        template_dir: env("PORTAL_TEMPLATE_DIR")
            .map(PathBuf::from)
            .or(f.template_dir),
        catalogue_dir: env("PORTAL_CATALOGUE_DIR")
            .map(PathBuf::from)
            .or(f.catalogue_dir),
        smtp_url: env("PORTAL_SMTP_URL").or(f.smtp_url),
        mail_from: env("PORTAL_MAIL_FROM")
            .or(f.mail_from)
            .unwrap_or_else(|| "Customer portal <portal@localhost>".into()),
        mail_reply_to: env("PORTAL_MAIL_REPLY_TO").or(f.mail_reply_to),
        sso: sso_config(f.sso, &env),
        mail_inbound: inbound_accounts(f.mail)?,
        trusted_proxies: trusted_proxies(
            env("PORTAL_TRUSTED_PROXIES")
                .map(|v| {
                    v.split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .or(f.trusted_proxies)
                .unwrap_or_default(),
        )?,
        data_dir,
        pool_size,
        workers,
        demo,
        log_format,
        metrics_token: env("PORTAL_METRICS_TOKEN")
            .or(f.metrics_token)
            .filter(|t| !t.trim().is_empty()),
        secret_key: env("PORTAL_SECRET_KEY")
            .or(f.secret_key)
            .filter(|k| !k.trim().is_empty())
            .map(|k| {
                portal_sso::parse_secret(&k)
                    .map(SecretKey)
                    .map_err(|e| format!("secret_key: {e} (`openssl rand -hex 32` makes one)"))
            })
            .transpose()?,
    };
    config.check()?;
    Ok(config)
}

/// Addresses or CIDRs (`10.0.0.0/8`, `192.0.2.7`, `::1`) of trusted proxies.
fn trusted_proxies(list: Vec<String>) -> Result<Vec<ipnet::IpNet>, String> {
    list.iter()
        .map(|x| {
            x.parse::<ipnet::IpNet>()
                .or_else(|_| x.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("trusted_proxies: `{x}` is not an address or a CIDR"))
        })
        .collect()
}

/// `[sso]` with `PORTAL_SSO_JWT_SECRET` and `PORTAL_SSO_SAML_METADATA` over it (either one
/// alone also turns SSO on, open to every user).
fn sso_config(file: Option<SsoConfig>, env: &impl Fn(&str) -> Option<String>) -> Option<SsoConfig> {
    let secret = env("PORTAL_SSO_JWT_SECRET");
    let metadata = env("PORTAL_SSO_SAML_METADATA");
    if file.is_none() && secret.is_none() && metadata.is_none() {
        return None;
    }
    let mut sso = file.unwrap_or_default();
    if let Some(secret) = secret {
        sso.jwt.get_or_insert_with(JwtFile::default).secret = secret;
    }
    if let Some(m) = metadata {
        sso.saml.get_or_insert_with(SamlFile::default).idp_metadata = m;
    }
    Some(sso)
}

impl Config {
    /// The translation catalogues: the built-in ones and `catalogue_dir`'s, or what is wrong
    /// with a file there (its path and line).
    pub fn catalogues(&self) -> Result<portal_i18n::Catalogues, String> {
        portal_i18n::Catalogues::load(self.catalogue_dir.as_deref())
            .map_err(|e| format!("catalogue_dir: {e}"))
    }

    /// Checks the values; the message names the setting.
    pub fn check(&self) -> Result<(), String> {
        self.listen
            .parse::<SocketAddr>()
            .map_err(|_| format!("listen: `{}` is not host:port", self.listen))?;
        portal_store::DbUrl::parse(&self.database_url).map_err(|e| format!("database_url: {e}"))?;
        if let Some(u) = &self.database_read_url {
            let read =
                portal_store::DbUrl::parse(u).map_err(|e| format!("database_read_url: {e}"))?;
            if read.backend != portal_store::Backend::Postgres
                || !self.database_url.starts_with("postgres")
            {
                return Err(
                    "database_read_url: a read replica needs PostgreSQL for both database_url and database_read_url"
                        .into(),
                );
            }
        }
        if self.read_replica_max_lag == 0 {
            return Err("read_replica_max_lag must be at least 1 (seconds)".into());
        }
        if let Some(b) = &self.base_url
            && !(b.starts_with("http://") || b.starts_with("https://"))
        {
            return Err(format!(
                "base_url: `{b}` must start with http:// or https://"
            ));
        }
        if let Some(u) = &self.smtp_url {
            portal_mail::Transport::parse_smtp_url(u).map_err(|e| format!("smtp_url: {e}"))?;
        }
        if let Some(sso) = &self.sso {
            match sso.allow.as_deref() {
                None | Some("all") => {}
                Some("lists") if !sso.allow_lists.is_empty() => {}
                Some("lists") => return Err("sso.allow = \"lists\" needs sso.allow_lists".into()),
                Some(other) => {
                    return Err(format!("sso.allow: `{other}` is not \"all\" or \"lists\""));
                }
            }
            if let Some(j) = &sso.jwt {
                portal_sso::parse_secret(&j.secret).map_err(|e| format!("sso.jwt.secret: {e}"))?;
            }
            if let Some(s) = &sso.saml
                && s.idp_metadata.trim().is_empty()
            {
                return Err("sso.saml.idp_metadata: a file path or https:// URL is needed".into());
            }
            if sso.saml.is_none() && sso.jwt.is_none() {
                return Err("sso: configure [sso.saml] or [sso.jwt]".into());
            }
        }
        if self.pool_size == 0 || self.workers == 0 {
            return Err("pool_size and workers must be at least 1".into());
        }
        if let Some(t) = &self.template_dir
            && !t.is_dir()
        {
            return Err(format!("template_dir: {} is not a directory", t.display()));
        }
        if self.catalogue_dir.is_some() {
            self.catalogues()?;
        }
        Ok(())
    }
}
