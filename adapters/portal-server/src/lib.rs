//! # portal-server
//!
//! The composition root: the only crate that knows every adapter. [`build`] wires the
//! storage, the HTTP adapter, the mail sender and the system ports (argon2 hashing, the clock, the OS random
//! generator) and is shared by `main` and the tests. `anyhow`-style string errors are fine
//! here; the libraries keep typed errors.

pub mod check;
pub mod config;
pub mod demo;
pub mod fetch;
pub mod import;
pub mod mail_in;
pub mod moving;
mod replica_reads;
pub mod sso;
pub mod system;
pub mod telemetry;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::{App, HttpServer, dev::Server};
use portal_core::ports::Ports;
use portal_http::{AppState, HttpConfig};
use portal_store::{Store, StoreConfig};

pub use config::Config;

/// A built, not yet awaited, server.
pub struct Application {
    /// The server future (await it to serve).
    pub server: Server,
    /// The address it listens on.
    pub addr: std::net::SocketAddr,
    /// The public base URL.
    pub base_url: String,
    /// The wired ports.
    pub ports: Ports,
    /// The store.
    pub store: Store,
    /// The demo world, when one was written at this start.
    pub demo: Option<demo::DemoWorld>,
}

/// Opens the store (applying migrations).
pub async fn open_store(config: &Config) -> Result<Store, String> {
    connect(config, 1).await
}

/// [`open_store`] for a command that runs and exits (`check-config`, `migrate`, `mail-in`,
/// imports, …): no connection is kept idle, so none is being opened in the background
/// when the process ends (a PostgreSQL connection opening while the process exits crashed
/// it with SIGSEGV).
pub async fn open_store_once(config: &Config) -> Result<Store, String> {
    connect(config, 0).await
}

async fn connect(config: &Config, min_idle: u32) -> Result<Store, String> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("data_dir {}: {e}", config.data_dir.display()))?;
    }
    let mut sc = StoreConfig::new(config.database_url.clone());
    sc.pool_size = config.pool_size;
    sc.read_url = config.database_read_url.clone();
    sc.replica_max_lag = std::time::Duration::from_secs(config.read_replica_max_lag);
    sc.min_idle = min_idle;
    Store::connect(&sc)
        .await
        .map_err(|e| format!("database: {e}"))
}

/// The system ports over a store.
pub fn system_ports(store: &Store) -> Ports {
    store.ports(
        Arc::new(system::Argon2Hasher::default()),
        Arc::new(system::SystemClock),
        Arc::new(system::OsRandom),
    )
}

/// Wires everything and binds the server to `listener`; writes the demo world into an
/// empty database when the configuration asks for it.
pub async fn build(config: &Config, listener: TcpListener) -> Result<Application, String> {
    let store = open_store(config).await?;
    let catalogues = Arc::new(config.catalogues()?);
    let mut ports = system_ports(&store);
    ports.languages = portal_core::settings::Languages::new(catalogues.tags());
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let demo = if config.demo && demo::is_empty(&ports).await? {
        Some(demo::write(&ports).await?)
    } else {
        None
    };
    let base_url = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let mut http = HttpConfig::new(&base_url);
    http.template_dir = config.template_dir.clone();
    http.catalogues = portal_http::i18n::I18n::from(catalogues.clone());
    http.trusted_proxies = config.trusted_proxies.clone();
    http.metrics = portal_http::MetricsConfig {
        loopback: addr.ip().is_loopback(),
        token: config.metrics_token.clone(),
        render: Some({
            let (store, handle) = (store.clone(), telemetry::handle());
            std::sync::Arc::new(move || {
                Box::pin(telemetry::render(store.clone(), handle.clone()))
                    as std::pin::Pin<Box<dyn std::future::Future<Output = String> + Send>>
            })
        }),
    };
    let (saml, jwt) = sso::setup(config.sso.as_ref(), &ports, &base_url).await?;
    let state = AppState::with_sso(ports.clone(), http.clone(), saml, jwt)
        .map_err(|e| e.to_string())?
        .with_mail_templates(Arc::new(portal_mail::Templates::new(
            portal_mail::Catalog::from(catalogues.clone()),
        )))
        .with_mail_in(mail_in::service(config, ports.clone()));
    let mailboxes = mail_in::mailboxes(config, ports.clone())?;
    let state = state.with_mailboxes(mailboxes.clone());
    let secure = http.secure;
    let transport = match &config.smtp_url {
        Some(u) => portal_mail::Transport::parse_smtp_url(u).map_err(|e| e.to_string())?,
        None => portal_mail::Transport::Files(config.data_dir.join("mail")),
    };
    let sender = portal_mail::Sender::new(
        ports.outbox.clone(),
        ports.clock.clone(),
        portal_mail::MailConfig::new(transport, &config.mail_from)
            .reply_to(config.mail_reply_to.clone()),
    )
    .map_err(|e| e.to_string())?
    .with_templates(ports.settings.clone())
    .with_logo(ports.blobs.clone())
    .with_catalog(portal_mail::Catalog::from(catalogues));
    // Every server delivers the outbox; leases keep two from sending one mail twice.
    actix_web::rt::spawn(sender.run(std::time::Duration::from_secs(2)));
    // Reads the configured mailboxes; the store takes each mail once however many servers
    // poll one mailbox.
    for a in &config.mail_inbound {
        actix_web::rt::spawn(portal_mail::imap::run(
            a.account.clone(),
            mail_in::service(config, ports.clone()),
            std::time::Duration::from_secs(a.every_seconds),
            |_| async {},
        ));
    }
    // And the mailboxes kept on the staff side, picking up changes within seconds.
    actix_web::rt::spawn(mail_in::run_mailboxes(
        mailboxes,
        mail_in::service(config, ports.clone()),
        std::time::Duration::from_secs(5),
    ));
    // And takes up stored mails whose handling was interrupted.
    actix_web::rt::spawn(mail_in::run_pending(
        mail_in::service(config, ports.clone()),
        std::time::Duration::from_secs(30),
    ));
    // Deletes access-log entries past the portal's retention (C4), hourly.
    actix_web::rt::spawn(purge_access_log(
        portal_core::usecases::portal::PortalTickets::new(ports.clone()),
        std::time::Duration::from_secs(3600),
    ));
    let fresh_for = config
        .database_read_url
        .is_some()
        .then_some(config.read_replica_max_lag);
    let server = HttpServer::new(move || {
        App::new()
            .wrap_fn(move |req, srv| {
                use actix_web::dev::Service;
                let (primary, wrote) = replica_reads::routing(&req, fresh_for);
                let answer = srv.call(req);
                async move {
                    let mut res = portal_store::on_primary(primary, answer).await?;
                    replica_reads::mark(&mut res, wrote, secure);
                    Ok(res)
                }
            })
            .wrap(portal_http::security_headers(secure))
            .configure(portal_http::routes(state.clone()))
    })
    .workers(config.workers)
    // Every database call runs on a blocking thread and waits for one of `pool_size`
    // connections; threads beyond that only wait (and each thread's malloc arena and stack
    // stay in the resident set). A few spare for file and hashing work.
    .worker_max_blocking_threads(config.pool_size as usize + 4)
    .listen(listener)
    .map_err(|e| format!("listen: {e}"))?
    .run();
    Ok(Application {
        server,
        addr,
        base_url,
        ports,
        store,
        demo,
    })
}

/// Every `every`, deletes the organisation's access-log entries older than the portal's
/// retention (C4); the first pass runs at start.
pub async fn purge_access_log(
    portal: portal_core::usecases::portal::PortalTickets,
    every: std::time::Duration,
) {
    loop {
        match portal.purge_access_log().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                deleted = n,
                "access log entries past their retention deleted"
            ),
            Err(e) => tracing::warn!(error = %e, "purging the access log failed; retrying later"),
        }
        tokio::time::sleep(every).await;
    }
}
