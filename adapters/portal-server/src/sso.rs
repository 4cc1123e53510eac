//! Single sign-on from the configuration (`[sso]` in portal.toml, docs/sso.md): the admin's
//! policy goes into the portal settings, the identity providers are built for the HTTP
//! adapter. Policy keys set in portal.toml win at start; unset ones leave what the staff
//! settings page chose. The providers (metadata, secrets) live only in portal.toml.

use std::collections::BTreeSet;
use std::sync::Arc;

use portal_core::access::SsoAccess;
use portal_core::ports::{JwtVerifier, Ports, SamlServiceProvider};
use portal_sso::{HsJwt, SamlConfig, SamlSp, parse_secret};

use crate::config::{SamlFile, SsoConfig};

/// The configured providers.
pub type Providers = (
    Option<Arc<dyn SamlServiceProvider>>,
    Option<Arc<dyn JwtVerifier>>,
);

/// Applies `[sso]` to the portal settings and builds the providers; `(None, None)` without
/// SSO configured.
pub async fn setup(
    sso: Option<&SsoConfig>,
    ports: &Ports,
    base_url: &str,
) -> Result<Providers, String> {
    let Some(sso) = sso else {
        return Ok((None, None));
    };
    let mut settings = ports.settings.load().await.map_err(|e| e.to_string())?;
    let before = settings.clone();
    // Keys set in portal.toml win at start; unset ones leave what the settings page chose.
    // A configured provider turns single sign-on on when it was off.
    settings.access.sso = match sso.allow.as_deref() {
        None if settings.access.sso != SsoAccess::Off => settings.access.sso.clone(),
        Some("lists") => {
            let lists = ports.directory.lists().await.map_err(|e| e.to_string())?;
            let mut ids = BTreeSet::new();
            for name in &sso.allow_lists {
                let list = lists
                    .iter()
                    .find(|l| l.name.eq_ignore_ascii_case(name))
                    .ok_or_else(|| format!("sso.allow_lists: no contact list named `{name}`"))?;
                ids.insert(list.id);
            }
            SsoAccess::Lists(ids)
        }
        _ => SsoAccess::AllUsers,
    };
    if let Some(v) = sso.create_contacts {
        settings.access.sso_create_contacts = v;
    }
    if let Some(v) = sso.organization_sets_company {
        settings.access.sso_sets_company = v;
    }
    if let Some(v) = sso.password_login {
        settings.access.password_login = v;
    }
    if settings != before {
        ports
            .settings
            .save(&settings)
            .await
            .map_err(|e| format!("saving the SSO settings: {e}"))?;
    }
    let portal = format!("{}/{}", base_url.trim_end_matches('/'), settings.slug);
    let saml: Option<Arc<dyn SamlServiceProvider>> = match &sso.saml {
        Some(file) => Some(Arc::new(saml_provider(file, &portal).await?)),
        None => None,
    };
    let jwt: Option<Arc<dyn JwtVerifier>> = match &sso.jwt {
        Some(j) => {
            let secret = parse_secret(&j.secret).map_err(|e| format!("sso.jwt.secret: {e}"))?;
            Some(Arc::new(
                HsJwt::new(&secret, j.login_url.clone())
                    .map_err(|e| format!("sso.jwt.secret: {e}"))?,
            ))
        }
        None => None,
    };
    Ok((saml, jwt))
}

/// The SAML service provider for `[sso.saml]`, its metadata read (or fetched) and checked.
pub async fn saml_provider(file: &SamlFile, portal: &str) -> Result<SamlSp, String> {
    let source = file.idp_metadata.trim();
    let xml = if source.starts_with("https://") || source.starts_with("http://") {
        crate::fetch::get(source)
            .await
            .map_err(|e| format!("sso.saml.idp_metadata: {source}: {e}"))?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| format!("sso.saml.idp_metadata: cannot read {source}: {e}"))?
    };
    let metadata_url = format!("{portal}/sso/saml/metadata");
    SamlSp::new(SamlConfig {
        idp_metadata_xml: xml,
        entity_id: metadata_url.clone(),
        acs_url: format!("{portal}/sso/saml/acs"),
        metadata_url,
        idp_initiated: file.idp_initiated,
    })
    .map_err(|e| format!("sso.saml: {e}"))
}
