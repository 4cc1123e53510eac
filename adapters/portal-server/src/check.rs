//! `portal check-config` and `portal migrate --status`: what a configuration and its database
//! look like, read only (nothing is created or migrated) and with every secret redacted.

use portal_store::{DbUrl, MigrationStatus};

use crate::Config;

/// `scheme://user:***@host…` for a URL with a password; other URLs unchanged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}{tail}")
            } else {
                url.to_string()
            }
        }
        None => url.to_string(),
    }
}

/// The database's migration status, read only.
pub async fn migrations(config: &Config) -> Result<MigrationStatus, String> {
    let url = DbUrl::parse(&config.database_url).map_err(|e| format!("database_url: {e}"))?;
    tokio::task::spawn_blocking(move || portal_store::migration_status(&url))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("database {}: {e}", redact_url(&config.database_url)))
}

/// The effective configuration as `(setting, value)` rows, secrets redacted.
pub fn rows(config: &Config) -> Vec<(&'static str, String)> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut rows = vec![
        ("database_url", redact_url(&config.database_url)),
        (
            "database_read_url",
            config
                .database_read_url
                .as_deref()
                .map_or_else(|| "-".into(), redact_url),
        ),
        (
            "read_replica_max_lag",
            format!("{} s", config.read_replica_max_lag),
        ),
        ("listen", config.listen.clone()),
        ("data_dir", config.data_dir.display().to_string()),
        ("base_url", opt(&config.base_url)),
        (
            "template_dir",
            config
                .template_dir
                .as_ref()
                .map_or_else(|| "-".into(), |p| p.display().to_string()),
        ),
        (
            "catalogue_dir",
            config.catalogue_dir.as_ref().map_or_else(
                || "- (languages: built in)".into(),
                |p| {
                    let tags = config
                        .catalogues()
                        .map(|c| c.tags().collect::<Vec<_>>().join(", "))
                        .unwrap_or_else(|e| e);
                    format!("{} (languages: {tags})", p.display())
                },
            ),
        ),
        ("pool_size", config.pool_size.to_string()),
        ("workers", config.workers.to_string()),
        ("demo", config.demo.to_string()),
        (
            "smtp_url",
            config
                .smtp_url
                .as_deref()
                .map_or_else(|| "- (mails written as .eml files)".into(), redact_url),
        ),
        ("mail_from", config.mail_from.clone()),
        (
            "mail_reply_to",
            config
                .mail_reply_to
                .clone()
                .unwrap_or_else(|| "- (mail_from)".into()),
        ),
        (
            "trusted_proxies",
            config
                .trusted_proxies
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "log_format",
            format!("{:?}", config.log_format).to_lowercase(),
        ),
        (
            "metrics_token",
            match &config.metrics_token {
                Some(_) => "*** (set)".into(),
                None => "- (/metrics open on a loopback listener only)".into(),
            },
        ),
        (
            "secret_key",
            match &config.secret_key {
                Some(_) => "*** (set)".into(),
                None => {
                    let file = crate::system::secret_key_file(&config.data_dir);
                    if file.exists() {
                        format!("- ({})", file.display())
                    } else {
                        format!("- ({}, made on first start)", file.display())
                    }
                }
            },
        ),
    ];
    for a in &config.mail_inbound {
        let x = &a.account;
        rows.push((
            "mail.inbound",
            format!(
                "inbox {} <- imap{}://{}@{}:{}/{} every {} s{} (password ***)",
                x.inbox,
                if x.security == portal_mail::imap::ImapSecurity::Tls {
                    "s"
                } else {
                    ""
                },
                x.user,
                x.host,
                x.port,
                x.folder,
                a.every_seconds,
                if x.delete_taken {
                    ", deleting taken mail"
                } else {
                    ""
                }
            ),
        ));
    }
    if let Some(sso) = &config.sso {
        rows.push((
            "sso.saml.idp_metadata",
            sso.saml
                .as_ref()
                .map_or_else(|| "-".into(), |s| s.idp_metadata.clone()),
        ));
        rows.push((
            "sso.jwt.secret",
            sso.jwt.as_ref().map_or_else(
                || "-".into(),
                |j| portal_sso::mask_secret(&j.secret).to_string(),
            ),
        ));
    }
    rows
}

/// One check of `check-config`: what was checked, and what it found or what is wrong.
pub type Check = (&'static str, Result<String, String>);

/// Checks what the server would only find out at start or at the first login or mail:
/// the mail settings and the single sign-on providers (metadata read and verified, its
/// signing certificates parsed and not expired, the HTTP-Redirect binding present; the
/// JWT secret long enough). Nothing is written; metadata given as a URL is fetched.
pub async fn checks(config: &Config) -> Vec<Check> {
    let mut out = Vec::new();
    let mail = match &config.smtp_url {
        Some(u) => portal_mail::Transport::parse_smtp_url(u).map_err(|e| e.to_string()),
        None => Ok(portal_mail::Transport::Files(config.data_dir.join("mail"))),
    }
    .and_then(|t| {
        portal_mail::MailConfig::new(t, &config.mail_from)
            .reply_to(config.mail_reply_to.clone())
            .check()
            .map_err(|e| e.to_string())
    });
    out.push(("mail", mail));
    let Some(sso) = &config.sso else {
        return out;
    };
    if let Some(file) = &sso.saml {
        let base = config.base_url.as_deref().unwrap_or("http://localhost");
        let saml = crate::sso::saml_provider(file, &format!("{base}/portal"))
            .await
            .map(|sp| {
                let until = sp.certificates_valid_until();
                let latest = until.last().copied();
                let mut text = format!(
                    "identity provider {}, sign-on at {}, {} signing certificate(s)",
                    sp.idp_entity_id(),
                    sp.idp_sso_url(),
                    until.len()
                );
                if let Some(latest) = latest {
                    text.push_str(&format!(", valid until {}", latest.format("%Y-%m-%d")));
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs() as i64);
                    let days_left = (latest.timestamp() - now) / 86_400;
                    if days_left < 30 {
                        text.push_str(&format!(
                            " (WARNING: {days_left} days left; fetch the new metadata before then)"
                        ));
                    }
                }
                text
            });
        out.push(("sso.saml", saml));
    }
    if let Some(j) = &sso.jwt {
        let jwt = portal_sso::parse_secret(&j.secret)
            .map_err(|e| format!("secret: {e}"))
            .map(|s| format!("HS256 with a {}-bit secret", s.len() * 8));
        out.push(("sso.jwt", jwt));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://portal:s3cret@db.internal:5432/portal"),
            "postgres://portal:***@db.internal:5432/portal"
        );
        assert_eq!(
            redact_url("smtp://mailer:p%40ss@smtp.example.com:587?tls=starttls"),
            "smtp://mailer:***@smtp.example.com:587?tls=starttls"
        );
        assert_eq!(
            redact_url("sqlite://data/portal.db"),
            "sqlite://data/portal.db"
        );
        assert_eq!(
            redact_url("postgres://portal@db/portal"),
            "postgres://portal@db/portal"
        );
    }
}
