//! Single sign-on (A3; SECURITY rules 10–17). The adapters check what their libraries can
//! (signatures, algorithms, audience, claim types, time windows); this use case adds what
//! needs state or policy: outstanding SAML requests used once, the replay caches for
//! assertion ids and `jti`s, the return address limited to the portal, the way from an
//! identity to a contact, the access rules, and a fresh session.

use std::sync::Arc;

use crate::access::{EntryDenied, EntryRequest, LoginMethod, SsoAccess, may_enter};
use crate::error::Error;
use crate::model::{AccountId, Contact};
use crate::ports::{
    Account, JwtVerifier, NewContact, PendingSsoRequest, Ports, Principal, SamlServiceProvider,
    SsoIdentity, SsoKind, SsoRefusal,
};
use crate::usecases::accounts::{Accounts, Customer, NewSession, hex};

/// How long a SAML login request waits for its response.
pub const SAML_REQUEST_LIFETIME_SECONDS: i64 = 600;
/// Clock skew allowed between portal and identity provider; the replay caches keep ids
/// this much longer than their validity.
pub const CLOCK_SKEW_SECONDS: i64 = 180;

/// A single sign-on that let someone in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoLogin {
    /// Who.
    pub customer: Customer,
    /// Their new session (rule 5: always fresh).
    pub session: NewSession,
    /// Where in the portal to go next, when a safe address was given.
    pub return_to: Option<String>,
}

/// Single sign-on use cases.
#[derive(Clone)]
pub struct SingleSignOn {
    ports: Ports,
    saml: Option<Arc<dyn SamlServiceProvider>>,
    jwt: Option<Arc<dyn JwtVerifier>>,
}

impl SingleSignOn {
    /// Use cases over these ports and the configured identity providers.
    pub fn new(
        ports: Ports,
        saml: Option<Arc<dyn SamlServiceProvider>>,
        jwt: Option<Arc<dyn JwtVerifier>>,
    ) -> SingleSignOn {
        SingleSignOn { ports, saml, jwt }
    }

    /// Whether a SAML identity provider is configured.
    pub fn has_saml(&self) -> bool {
        self.saml.is_some()
    }

    /// Whether a JWT secret is configured.
    pub fn has_jwt(&self) -> bool {
        self.jwt.is_some()
    }

    /// Where the JWT login button sends visitors, when configured.
    pub fn jwt_login_url(&self) -> Option<String> {
        self.jwt.as_ref().and_then(|j| j.remote_login_url())
    }

    fn saml(&self) -> Result<&Arc<dyn SamlServiceProvider>, Error> {
        self.saml.as_ref().ok_or(Error::NotFound)
    }

    /// The service provider metadata (rule 17). `NotFound` without SAML.
    pub fn saml_metadata(&self) -> Result<String, Error> {
        Ok(self.saml()?.metadata_xml()?)
    }

    /// Starts an SP-initiated login: stores a fresh request id (256 random bits, used once,
    /// rule 15) with the return address and answers the identity provider URL to send the
    /// browser to.
    pub async fn saml_start(&self, return_to: Option<String>) -> Result<String, Error> {
        let saml = self.saml()?;
        self.sso_open().await?;
        let now = self.ports.clock.now();
        let id = format!("_{}", hex(&self.ports.random.token_bytes()));
        self.ports
            .sso
            .insert_request(PendingSsoRequest {
                id: id.clone(),
                return_to,
                expires_at: now.plus_seconds(SAML_REQUEST_LIFETIME_SECONDS),
            })
            .await?;
        Ok(saml.login_url(&id, "", now)?)
    }

    /// The assertion consumer service (rules 14–17). `relay_state` is used only for
    /// unsolicited responses and only when [`inside_portal`] accepted it; an SP-initiated
    /// login returns to the address stored with its request.
    pub async fn saml_acs(
        &self,
        saml_response: &str,
        relay_state: Option<String>,
    ) -> Result<SsoLogin, Error> {
        let saml = self.saml()?;
        let now = self.ports.clock.now();
        let (request_id, return_to) = match saml.in_response_to(saml_response)? {
            Some(id) => {
                let request = self.ports.sso.take_request(&id, now).await?.ok_or_else(|| {
                    SsoRefusal(format!(
                        "InResponseTo {id:?} is not an outstanding request (unknown, expired or already answered)"
                    ))
                })?;
                (Some(id), request.return_to)
            }
            None if saml.idp_initiated() => (None, relay_state),
            None => {
                return Err(SsoRefusal::new(
                    "unsolicited response (no InResponseTo) while IdP-initiated login is off",
                )
                .into());
            }
        };
        let assertion = saml.verify(saml_response, request_id.as_deref(), now)?;
        let keep_until = assertion.valid_until.plus_seconds(CLOCK_SKEW_SECONDS);
        if !self
            .ports
            .replay
            .first_use("saml-assertion", &assertion.assertion_id, keep_until)
            .await?
        {
            return Err(SsoRefusal(format!(
                "assertion {:?} was already used (replay)",
                assertion.assertion_id
            ))
            .into());
        }
        let (customer, session) = self.enter(SsoKind::Saml, assertion.identity).await?;
        Ok(SsoLogin {
            customer,
            session,
            return_to,
        })
    }

    /// The JWT endpoint (rules 10–13): a verified token whose `jti` is used for the first
    /// time lets its identity in.
    pub async fn jwt_login(
        &self,
        token: &str,
        return_to: Option<String>,
    ) -> Result<SsoLogin, Error> {
        let jwt = self.jwt.as_ref().ok_or(Error::NotFound)?;
        let now = self.ports.clock.now();
        let verified = jwt.verify(token, now)?;
        if !self
            .ports
            .replay
            .first_use("jwt", &verified.jti, verified.keep_until)
            .await?
        {
            return Err(
                SsoRefusal(format!("jti {:?} was already used (replay)", verified.jti)).into(),
            );
        }
        let (customer, session) = self.enter(SsoKind::Jwt, verified.identity).await?;
        Ok(SsoLogin {
            customer,
            session,
            return_to,
        })
    }

    async fn sso_open(&self) -> Result<crate::settings::PortalSettings, Error> {
        let settings = self.ports.settings.load().await?;
        if !settings.enabled {
            return Err(Error::PortalOff);
        }
        if settings.access.sso == SsoAccess::Off {
            return Err(EntryDenied::SsoOff.into());
        }
        Ok(settings)
    }

    /// From a vouched-for identity to a session: the contact linked to the provider's user
    /// id, else the contact with the email, else a new contact when the admin allows it;
    /// the organisation sets the primary company when the admin allows it; then the A3
    /// access rule; then the account (created without a password) and a fresh session.
    async fn enter(
        &self,
        kind: SsoKind,
        identity: SsoIdentity,
    ) -> Result<(Customer, NewSession), Error> {
        let settings = self.sso_open().await?;
        let email = identity.email.trim().to_lowercase();
        if !plausible_email(&email) {
            return Err(
                SsoRefusal(format!("the identity's email {email:?} is not an address")).into(),
            );
        }
        let external_id = identity
            .external_id
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        let directory = &self.ports.directory;
        let mut contact: Option<Contact> = None;
        if let Some(ext) = external_id
            && let Some(id) = self.ports.sso.linked_contact(kind, ext).await?
        {
            contact = directory.contact(id).await?;
        }
        if contact.is_none() {
            contact = directory.contact_by_email(&email).await?;
        }
        let company = match identity.organization.as_deref().map(str::trim) {
            Some(org) if settings.access.sso_sets_company && !org.is_empty() => {
                directory.company_by_name_or_domain(org).await?
            }
            _ => None,
        };
        let language = identity.locale.as_deref().and_then(language_tag);
        // Every check before any write: a refused identity changes nothing.
        let (contact, account) = match contact {
            Some(c) => {
                let memberships = directory.memberships(c.id).await?;
                let account = self.ports.accounts.by_contact(c.id).await?;
                may_enter(
                    &settings.access,
                    &EntryRequest {
                        method: LoginMethod::Sso,
                        memberships: &memberships,
                        account_enabled: account.as_ref().is_none_or(|a| a.enabled),
                    },
                )?;
                (Some(c), account)
            }
            None if !settings.access.sso_create_contacts => {
                return Err(EntryDenied::UnknownSsoUser.into());
            }
            None => {
                // A new contact is on no list yet.
                may_enter(
                    &settings.access,
                    &EntryRequest {
                        method: LoginMethod::Sso,
                        memberships: &Default::default(),
                        account_enabled: true,
                    },
                )?;
                (None, None)
            }
        };
        let contact = match contact {
            Some(mut c) => {
                if let Some(company) = &company
                    && c.primary_company != Some(company.id)
                {
                    c.primary_company = Some(company.id);
                    directory.update_contact(&c).await?;
                }
                c
            }
            None => {
                let (first_name, last_name) = split_name(&identity.name, &email);
                directory
                    .create_contact(NewContact {
                        email: email.clone(),
                        membership_email: None,
                        first_name,
                        last_name,
                        primary_company: company.as_ref().map(|c| c.id),
                        language: language.clone(),
                        properties: Default::default(),
                    })
                    .await?
            }
        };
        let account = match account {
            Some(a) => a,
            None => {
                let now = self.ports.clock.now();
                self.ports
                    .accounts
                    .create(Account {
                        id: AccountId(0),
                        contact: contact.id,
                        email: contact.email.to_lowercase(),
                        password_hash: None,
                        enabled: true,
                        email_confirmed: true,
                        language,
                        time_zone: None,
                        consent: None,
                        created_at: now,
                    })
                    .await?
            }
        };
        if let Some(ext) = external_id {
            self.ports.sso.link(kind, ext, contact.id).await?;
        }
        let session = Accounts::new(self.ports.clone())
            .start_session(Principal::Customer(account.id))
            .await?;
        Ok((Customer { account, contact }, session))
    }
}

fn plausible_email(email: &str) -> bool {
    let at = email.find('@');
    email.len() <= 254
        && at.is_some_and(|i| i > 0 && i + 1 < email.len())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `de-DE`, `de_DE`, `DE` → `de`; anything that is not a language tag → `None`.
pub fn language_tag(locale: &str) -> Option<String> {
    let primary = locale.trim().split(['-', '_']).next()?;
    (2..=3).contains(&primary.len()).then_some(())?;
    primary
        .chars()
        .all(|c| c.is_ascii_alphabetic())
        .then(|| primary.to_ascii_lowercase())
}

/// "Ada Lovelace" → ("Ada", "Lovelace"); an empty name → the email's local part.
fn split_name(name: &str, email: &str) -> (String, String) {
    let name: String = name.trim().chars().take(200).collect();
    if name.is_empty() {
        return (
            email.split('@').next().unwrap_or(email).to_string(),
            String::new(),
        );
    }
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (first.to_string(), last.trim().to_string()),
        None => (name, String::new()),
    }
}

/// A return address accepted only inside the portal (rules 10, 16): a path under
/// `portal_path` (e.g. `/acme`), or the same behind the configured `origin` (e.g.
/// `https://help.example.com`). Anything that could leave the portal (another host, a
/// scheme, `//`, a backslash, `..`, control characters) is refused.
pub fn inside_portal(candidate: &str, origin: &str, portal_path: &str) -> Option<String> {
    let origin = origin.trim_end_matches('/');
    let path = match candidate.strip_prefix(origin) {
        Some(rest) if !origin.is_empty() && (rest.is_empty() || rest.starts_with('/')) => rest,
        _ => candidate,
    };
    let bad_char = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    let under = path == portal_path
        || path
            .strip_prefix(portal_path)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'));
    let route = path.split(['?', '#']).next().unwrap_or("");
    let ok = under
        && !path.contains("//")
        && !path.chars().any(bad_char)
        && !route.split('/').any(|seg| seg == ".." || seg == ".")
        && !route.to_ascii_lowercase().contains("%2e")
        && !route.to_ascii_lowercase().contains("%2f")
        && !route.to_ascii_lowercase().contains("%5c");
    ok.then(|| path.to_string())
}
