//! The metrics: one Prometheus recorder per process (the `metrics` facade; the HTTP, mail
//! and server code record through it), and the gauges read at each scrape (the database
//! pool, the outbox). docs/operations.md lists every series.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use portal_store::Store;

/// Latency buckets, in seconds: portal answers most pages in well under a millisecond, a
/// slow export or a database that hangs takes seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder, installed on first use (a second server in the same process,
/// as in the tests, shares it).
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(BUCKETS)
                .expect("the bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
            }
            describe();
            // Histogram samples are folded into their buckets by the upkeep; without it
            // they would pile up between scrapes.
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(Duration::from_secs(5));
                        upkeep.run_upkeep();
                    }
                })
                .expect("a thread can be started");
            handle
        })
        .clone()
}

/// The `# HELP` lines.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "portal_http_requests_total",
        "Requests answered, by route pattern, method and status."
    );
    describe_histogram!(
        "portal_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time to answer a request, by route pattern."
    );
    describe_counter!(
        "portal_logins_total",
        "Login attempts by surface (portal, staff, sso) and result (ok, refused, throttled)."
    );
    describe_counter!(
        "portal_sso_refusals_total",
        "Single sign-on responses refused, by kind of reason."
    );
    describe_counter!(
        "portal_mails_total",
        "Mail delivery attempts by result (sent, failed, dead)."
    );
    describe_gauge!(
        "portal_db_pool_connections",
        "Database connections open, by state (in_use, idle)."
    );
    describe_gauge!(
        "portal_db_pool_max",
        "Most database connections this server opens."
    );
    describe_gauge!(
        "portal_db_pool_waiting",
        "Database calls waiting for a connection."
    );
    describe_gauge!(
        "portal_outbox_queued",
        "Mails waiting to be sent (first tries and retries)."
    );
    describe_gauge!(
        "portal_outbox_dead",
        "Mails given up on, listed to staff as undelivered."
    );
    describe_gauge!(
        "portal_outbox_oldest_due_seconds",
        metrics::Unit::Seconds,
        "How long the longest-waiting mail has been due."
    );
    describe_gauge!(
        "portal_mail_in_pending",
        "Mails that came in and wait to be handled (a handler was interrupted)."
    );
    describe_gauge!(
        "portal_mail_in_on_hold",
        "Mails that came in and wait on hold for staff, with a reason."
    );
    describe_counter!(
        "portal_mail_in_total",
        "Mails taken from IMAP mailboxes by this server, by what became of them (taken, dropped, quarantined, pending, error)."
    );
    describe_gauge!(
        "portal_database_up",
        "1 when the last scrape could read the database, else 0."
    );
}

/// The text `/metrics` answers: the gauges read now, then everything recorded.
pub async fn render(store: Store, handle: PrometheusHandle) -> String {
    let pool = store.pool_stats();
    metrics::gauge!("portal_db_pool_connections", "state" => "in_use")
        .set(f64::from(pool.open.saturating_sub(pool.idle)));
    metrics::gauge!("portal_db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    metrics::gauge!("portal_db_pool_max").set(f64::from(pool.max));
    metrics::gauge!("portal_db_pool_waiting").set(pool.waiting as f64);
    // A database that hangs must not hang the scrape.
    let outbox = actix_web::rt::time::timeout(Duration::from_secs(1), store.outbox_stats()).await;
    match outbox {
        Ok(Ok(o)) => {
            metrics::gauge!("portal_outbox_queued").set(o.queued as f64);
            metrics::gauge!("portal_outbox_dead").set(o.dead as f64);
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            let age_ms = o.oldest_due.map_or(0, |due| (now_ms - due).max(0));
            metrics::gauge!("portal_outbox_oldest_due_seconds").set(age_ms as f64 / 1000.0);
            metrics::gauge!("portal_mail_in_pending").set(o.mail_in_pending as f64);
            metrics::gauge!("portal_mail_in_on_hold").set(o.mail_in_on_hold as f64);
            metrics::gauge!("portal_database_up").set(1.0);
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics: the outbox could not be read");
            metrics::gauge!("portal_database_up").set(0.0);
        }
        Err(_) => {
            tracing::warn!("metrics: the outbox did not answer within 1 s");
            metrics::gauge!("portal_database_up").set(0.0);
        }
    }
    handle.render()
}
