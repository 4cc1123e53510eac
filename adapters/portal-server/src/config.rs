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
    /// `host:port` to listen on (port 0 picks a free port).
    pub listen: Option<String>,
    /// Where the SQLite file and other data live.
    pub data_dir: Option<PathBuf>,
    /// The public address used in links, e.g. `https://support.example.com`.
    pub base_url: Option<String>,
    /// A directory of `*.hbs` files overriding the built-in templates.
    pub template_dir: Option<PathBuf>,
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
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Database URL.
    pub database_url: String,
    /// Listen address.
    pub listen: String,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Public address; `None`: derived from the bound address.
    pub base_url: Option<String>,
    /// Template overrides.
    pub template_dir: Option<PathBuf>,
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
    let pool_size = parse_num("PORTAL_POOL_SIZE", env("PORTAL_POOL_SIZE"))?
        .map(|n| n as u32)
        .or(f.pool_size)
        .unwrap_or(8);
    let workers = parse_num("PORTAL_WORKERS", env("PORTAL_WORKERS"))?
        .map(|n| n as usize)
        .or(f.workers)
        .unwrap_or(2);
    let demo = match env("PORTAL_DEMO") {
        Some(v) => matches!(v.as_str(), "1" | "true" | "yes" | "on"),
        None => f.demo.unwrap_or(true),
    };
    let config = Config {
        database_url,
        listen: env("PORTAL_LISTEN")
            .or(f.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into()),
        base_url: env("PORTAL_BASE_URL")
            .or(f.base_url)
            .map(|s| s.trim_end_matches('/').to_string()),
        template_dir: env("PORTAL_TEMPLATE_DIR")
            .map(PathBuf::from)
            .or(f.template_dir),
        smtp_url: env("PORTAL_SMTP_URL").or(f.smtp_url),
        mail_from: env("PORTAL_MAIL_FROM")
            .or(f.mail_from)
            .unwrap_or_else(|| "Customer portal <portal@localhost>".into()),
        data_dir,
        pool_size,
        workers,
        demo,
    };
    config.check()?;
    Ok(config)
}

impl Config {
    /// Checks the values; the message names the setting.
    pub fn check(&self) -> Result<(), String> {
        self.listen
            .parse::<SocketAddr>()
            .map_err(|_| format!("listen: `{}` is not host:port", self.listen))?;
        portal_store::DbUrl::parse(&self.database_url).map_err(|e| format!("database_url: {e}"))?;
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
        if self.pool_size == 0 || self.workers == 0 {
            return Err("pool_size and workers must be at least 1".into());
        }
        if let Some(t) = &self.template_dir
            && !t.is_dir()
        {
            return Err(format!("template_dir: {} is not a directory", t.display()));
        }
        Ok(())
    }
}
