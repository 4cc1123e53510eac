//! # portal-http
//!
//! The customer portal over HTTP: server-rendered handlebars pages on actix-web that work
//! without JavaScript, mounted at `/{slug}` (P2), in five languages (N1).
//!
//! Handlers are thin: they parse the request, call a `portal-core` use case and render.
//! This crate is the only one that knows HTTP: it maps `portal_core::Error` to statuses in
//! one table per surface ([`errors`]), keeps sessions in the session port (cookie: a random
//! token, stored hashed), checks CSRF tokens on every state-changing form, escapes output by
//! default, renders Markdown to safe HTML, enforces upload limits and sends the security
//! headers of SECURITY.md rule 21.

// Handlers return a ready `HttpResponse` as the early-exit value of their helpers.
#![allow(clippy::result_large_err)]
// The settings page builds one large JSON context.
#![recursion_limit = "512"]

mod api;
mod context;
pub mod errors;
pub mod format;
pub mod i18n;
pub mod observe;
mod portal;
mod render;
mod routes;
mod screen;
mod staff;
mod upload;
pub mod views;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::middleware::DefaultHeaders;
use portal_core::actions::UploadLimits;
use portal_core::ports::{JwtVerifier, MailTemplates, Ports, SamlServiceProvider};
use portal_core::usecases::accounts::Accounts;
use portal_core::usecases::inbox::{StaffAuth, StaffInbox};
use portal_core::usecases::portal::PortalTickets;
use portal_core::usecases::records::Records;
use portal_core::usecases::sso::SingleSignOn;
use portal_core::usecases::staff::PortalAdmin;

pub use render::Snapshot;
pub use routes::routes;

/// HTTP settings from the server's configuration.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The public address, e.g. `https://support.example.com` (links are built from it,
    /// never from the request's Host header).
    pub base_url: String,
    /// Serve cookies `Secure` and `__Host-` prefixed, send HSTS (behind TLS).
    pub secure: bool,
    /// A directory whose `*.hbs` files replace the built-in templates of the same name.
    pub template_dir: Option<PathBuf>,
    /// The translation catalogues (built in, plus the operator's `catalogue_dir`); the
    /// languages the pages offer and the core accepts are theirs.
    pub catalogues: i18n::I18n,
    /// Upload limits (SECURITY rule 19).
    pub upload: UploadLimits,
    /// How long settings and catalog data are cached per process.
    pub cache_ttl: Duration,
    /// Proxies whose `X-Forwarded-For` is believed (SECURITY rule 4); none by default, so
    /// the client address is the connection's peer.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Who may read `/metrics`, and how they are rendered.
    pub metrics: MetricsConfig,
}

/// The metrics endpoint's configuration.
#[derive(Clone, Default)]
pub struct MetricsConfig {
    /// The server listens on loopback addresses only (then `/metrics` is open without a
    /// token).
    pub loopback: bool,
    /// The bearer token `/metrics` asks for; none: open on loopback, closed otherwise.
    pub token: Option<String>,
    /// Renders the metrics; none: this server collects none (404).
    pub render: Option<observe::MetricsRender>,
}

impl std::fmt::Debug for MetricsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsConfig")
            .field("loopback", &self.loopback)
            .field("token", &self.token.as_ref().map(|_| "(set)"))
            .field("render", &self.render.is_some())
            .finish()
    }
}

impl HttpConfig {
    /// Defaults for a base URL; `secure` follows its scheme.
    pub fn new(base_url: &str) -> HttpConfig {
        HttpConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            secure: base_url.starts_with("https://"),
            template_dir: None,
            catalogues: i18n::I18n::new(),
            upload: UploadLimits::default(),
            cache_ttl: Duration::from_secs(1),
            trusted_proxies: Vec::new(),
            metrics: MetricsConfig::default(),
        }
    }
}

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared state behind [`AppState`].
pub struct Inner {
    /// Customer use cases.
    pub portal: PortalTickets,
    /// Login throttling (SECURITY rule 4), counted through the store.
    pub throttle: portal_core::usecases::throttle::Throttle,
    /// Login and session use cases.
    pub accounts: Accounts,
    /// Single sign-on (A3).
    pub sso: SingleSignOn,
    /// Staff logins.
    pub staff: StaffAuth,
    /// The staff inbox (U1).
    pub inbox: StaffInbox,
    /// Settings and explain-access (P, N3).
    pub admin: PortalAdmin,
    /// Records: lists and members (U3).
    pub records: Records,
    /// Stored files (attachments, branding images).
    pub files: portal_core::usecases::files::Files,
    /// The mail adapter's templates (the editor's built-ins and previews).
    pub mail_templates: std::sync::OnceLock<Arc<dyn MailTemplates>>,
    /// Mail in (issue 17): the quarantine staff see, with the mail adapter's parser.
    pub mail_in: std::sync::OnceLock<portal_core::usecases::mail_in::MailIn>,
    /// The mailboxes kept on the staff side (wired by the server, which holds the key).
    pub mailboxes: std::sync::OnceLock<portal_core::usecases::mailboxes::MailboxSettings>,
    /// Translations.
    pub i18n: i18n::I18n,
    /// Templates.
    pub views: views::Views,
    /// Configuration.
    pub config: HttpConfig,
    cache: Mutex<Option<(Instant, Arc<Snapshot>)>>,
    people: Mutex<HashMap<portal_core::model::CompanyId, (Instant, Arc<render::People>)>>,
    requesters: Mutex<HashMap<portal_core::visibility::Scope, (Instant, Arc<render::People>)>>,
    company_names: Mutex<HashMap<portal_core::model::CompanyId, (Instant, Arc<str>)>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// State over these ports; fails when an override template does not compile.
    pub fn new(ports: Ports, config: HttpConfig) -> Result<AppState, views::ViewError> {
        AppState::with_sso(ports, config, None, None)
    }

    /// The portal with single sign-on through these identity providers (A3).
    pub fn with_sso(
        ports: Ports,
        config: HttpConfig,
        saml: Option<Arc<dyn SamlServiceProvider>>,
        jwt: Option<Arc<dyn JwtVerifier>>,
    ) -> Result<AppState, views::ViewError> {
        let i18n = config.catalogues.clone();
        let mut ports = ports;
        ports.languages = i18n.languages();
        let views = views::Views::new(i18n.clone(), config.template_dir.as_deref())?;
        Ok(AppState(Arc::new(Inner {
            portal: PortalTickets::new(ports.clone()).with_limits(config.upload),
            throttle: portal_core::usecases::throttle::Throttle::new(ports.clone()),
            accounts: Accounts::new(ports.clone()),
            sso: SingleSignOn::new(ports.clone(), saml, jwt),
            staff: StaffAuth::new(ports.clone()),
            inbox: StaffInbox::new(ports.clone(), config.upload),
            admin: PortalAdmin::new(ports.clone()).with_base_url(&config.base_url),
            records: Records::new(ports.clone()),
            files: portal_core::usecases::files::Files::new(ports.clone()),
            mail_templates: std::sync::OnceLock::new(),
            mail_in: std::sync::OnceLock::new(),
            mailboxes: std::sync::OnceLock::new(),
            i18n,
            views,
            config,
            cache: Mutex::new(None),
            people: Mutex::new(HashMap::new()),
            requesters: Mutex::new(HashMap::new()),
            company_names: Mutex::new(HashMap::new()),
        })))
    }

    /// Drops cached settings (after a settings change in this process).
    /// The same state with the mail adapter's templates for the editor.
    pub fn with_mail_templates(self, templates: Arc<dyn MailTemplates>) -> AppState {
        // Set once while wiring; a second call keeps the first.
        let _ = self.0.mail_templates.set(templates);
        self
    }

    /// The same state with mail in (the staff's quarantine page and original mails).
    pub fn with_mail_in(self, mail_in: portal_core::usecases::mail_in::MailIn) -> AppState {
        // Set once while wiring; a second call keeps the first.
        let _ = self.0.mail_in.set(mail_in);
        self
    }

    /// The same state with the staff side's mailboxes.
    pub fn with_mailboxes(
        self,
        mailboxes: portal_core::usecases::mailboxes::MailboxSettings,
    ) -> AppState {
        // Set once while wiring; a second call keeps the first.
        let _ = self.0.mailboxes.set(mailboxes);
        self
    }

    /// The portal's public address for links in mails: the configured base URL (never the
    /// Host header, SECURITY rule 9) and the slug.
    /// The portal's address for mails and absolute links (P2: on its chosen domain).
    pub fn portal_url(&self, snap: &render::Snapshot) -> String {
        snap.settings.address(&snap.domains, &self.config.base_url)
    }

    pub fn invalidate(&self) {
        if let Ok(mut c) = self.cache.lock() {
            *c = None;
        }
    }
}

/// The security headers of SECURITY.md rule 21, for every response.
pub fn security_headers(secure: bool) -> DefaultHeaders {
    let h = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"));
    if secure {
        h.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        h
    }
}
