//! What every request goes through first: `HEAD` answered like `GET` (without the body),
//! a request id (`X-Request-Id`: a trusted proxy's, else a fresh one; echoed on the
//! answer), and one log line per request at its end: method, route pattern, status,
//! duration and id. The line never holds a session token, a password or an emailed token:
//! it names the route pattern (`/{slug}/reset/{token}`), not the path.
//!
//! The same step counts the request for `/metrics` (by route pattern, method and status,
//! with its duration in a histogram); the login and single sign-on pages count their
//! outcomes here too. Reading the metrics is decided by `access::metrics_access`.

use std::time::Instant;

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};

use crate::AppState;

const HEADER: &str = "x-request-id";

/// An id a proxy sent that is safe to log and echo: 1–64 letters, digits, `-`, `_`, `.`.
fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn request_id(req: &ServiceRequest) -> String {
    let st = req.app_data::<actix_web::web::Data<AppState>>();
    let trusted = match (st, req.peer_addr()) {
        (Some(st), Some(peer)) => {
            portal_core::access::is_trusted_proxy(peer.ip(), &st.config.trusted_proxies)
        }
        _ => false,
    };
    if trusted
        && let Some(id) = req
            .headers()
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| acceptable(v))
    {
        return id.to_string();
    }
    match st {
        Some(st) => st.accounts.new_token()[..16].to_string(),
        None => "-".into(),
    }
}

/// What the end of a request needs from its start.
pub struct Started {
    at: Instant,
    method: Method,
    id: String,
}

/// The first step (see the module documentation): before routing.
pub fn start(req: &mut ServiceRequest) -> Started {
    let method = req.method().clone();
    if method == Method::HEAD {
        // Routed as GET; the HTTP layer sends no body for a HEAD request.
        req.head_mut().method = Method::GET;
    }
    let id = request_id(req);
    Started {
        at: Instant::now(),
        method,
        id,
    }
}

/// The last step: the id on the answer, and the request's log line.
pub fn finish(started: Started, mut res: ServiceResponse) -> ServiceResponse {
    if let Ok(v) = HeaderValue::from_str(&started.id) {
        res.headers_mut().insert(HeaderName::from_static(HEADER), v);
    }
    let route = res.request().match_pattern();
    let seconds = started.at.elapsed().as_secs_f64();
    let status = res.status().as_u16();
    count_request(route.as_deref(), &started.method, status, seconds);
    tracing::info!(
        target: "portal::request",
        id = %started.id,
        method = %started.method,
        route = route.as_deref().unwrap_or("-"),
        status,
        ms = seconds * 1000.0,
        "request"
    );
    res
}

/// The metric names (docs/operations.md lists them with their labels).
pub mod names {
    /// Requests answered, by `route`, `method` and `status`.
    pub const REQUESTS: &str = "portal_http_requests_total";
    /// Seconds from the first step to the last, by `route`.
    pub const DURATION: &str = "portal_http_request_duration_seconds";
    /// Login attempts by `surface` (`portal`, `staff`, `sso`) and `result` (`ok`,
    /// `refused`, `throttled`).
    pub const LOGINS: &str = "portal_logins_total";
    /// Single sign-on responses refused, by `reason` (`SsoRefusal::kind`).
    pub const SSO_REFUSALS: &str = "portal_sso_refusals_total";
}

fn count_request(route: Option<&str>, method: &Method, status: u16, seconds: f64) {
    // Unrouted requests share one label, so a scan of random paths adds no series.
    let route = route.unwrap_or("unmatched").to_string();
    metrics::counter!(names::REQUESTS, "route" => route.clone(), "method" => method.as_str().to_string(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!(names::DURATION, "route" => route).record(seconds);
}

/// Counts a login attempt's outcome on a surface.
pub(crate) fn login<T>(surface: &'static str, outcome: &Result<T, portal_core::Error>) {
    let result = match outcome {
        Ok(_) => "ok",
        Err(portal_core::Error::Throttled(_)) => "throttled",
        Err(portal_core::Error::BadCredentials)
        | Err(portal_core::Error::SsoRefused(_))
        | Err(portal_core::Error::EntryDenied(_)) => "refused",
        // The database or a bug, not the visitor: counted with the requests' statuses.
        Err(_) => return,
    };
    metrics::counter!(names::LOGINS, "surface" => surface, "result" => result).increment(1);
    if let Err(portal_core::Error::SsoRefused(r)) = outcome {
        metrics::counter!(names::SSO_REFUSALS, "reason" => r.kind()).increment(1);
    }
}

/// Renders the metrics in Prometheus' text format (the server wires the exporter).
pub type MetricsRender =
    std::sync::Arc<dyn Fn() -> futures_util::future::BoxFuture<'static, String> + Send + Sync>;

/// `GET /metrics`: open, asking for the bearer token, or closed, as the core decides.
pub(crate) async fn metrics_page(
    req: actix_web::HttpRequest,
    st: actix_web::web::Data<AppState>,
) -> actix_web::HttpResponse {
    use actix_web::HttpResponse;
    use portal_core::access::{MetricsAccess, metrics_access};
    let presented = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let m = &st.config.metrics;
    match (
        metrics_access(m.loopback, m.token.as_deref(), presented),
        &m.render,
    ) {
        (MetricsAccess::Open, Some(render)) => HttpResponse::Ok()
            .content_type("text/plain; version=0.0.4; charset=utf-8")
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .body(render().await),
        (MetricsAccess::Open, None) => HttpResponse::NotFound()
            .content_type("text/plain")
            .body("metrics are not collected by this server"),
        (MetricsAccess::TokenRequired, _) => HttpResponse::Unauthorized()
            .insert_header((
                actix_web::http::header::WWW_AUTHENTICATE,
                "Bearer realm=\"metrics\"",
            ))
            .content_type("text/plain")
            .body("metrics need the bearer token (metrics_token)"),
        (MetricsAccess::Closed, _) => HttpResponse::Forbidden().content_type("text/plain").body(
            "metrics are closed: this server listens beyond loopback and no metrics_token is set",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn only_plain_ids_are_taken_from_a_proxy() {
        assert!(acceptable("3f2a-19.b_7"));
        assert!(!acceptable(""));
        assert!(!acceptable(&"a".repeat(65)));
        assert!(!acceptable("id with spaces"));
        assert!(!acceptable("id\r\nSet-Cookie: x"));
    }
}
