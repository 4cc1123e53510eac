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
    ];
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
