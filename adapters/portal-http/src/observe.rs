//! What every request goes through first: `HEAD` answered like `GET` (without the body),
//! a request id (`X-Request-Id`: a trusted proxy's, else a fresh one; echoed on the
//! answer), and one log line per request at its end: method, route pattern, status,
//! duration and id. The line never holds a session token, a password or an emailed token:
//! it names the route pattern (`/{slug}/reset/{token}`), not the path.
//!
//! The same step counts the request for `/metrics` (by route pattern, method and status,
//! with its duration in a histogram); the login and single sign-on pages count their
//! outcomes here too. Reading the metrics is decided by `access::metrics_access`.

use std::cell::Cell;
use std::future::Future as _;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

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
    body_too_slow: Rc<Cell<bool>>,
}

/// A request body must keep coming: at most this long without a byte…
pub const BODY_IDLE: Duration = Duration::from_secs(10);
/// …and all of it within this long plus its length at [`BODY_MIN_RATE`].
pub const BODY_TIME: Duration = Duration::from_secs(30);
/// The slowest upload accepted, in bytes a second (a 20 MiB file: 30 s + 10 min).
pub const BODY_MIN_RATE: u64 = 32 * 1024;

/// The request body, cut off with an error when it stalls for [`BODY_IDLE`] or is not
/// complete by its deadline; the request is then answered 408 by [`finish`], whatever the
/// handler made of the error. Slow headers are actix's own `client_request_timeout`.
struct Deadline {
    inner: actix_web::dev::Payload,
    idle: Pin<Box<actix_web::rt::time::Sleep>>,
    total: Pin<Box<actix_web::rt::time::Sleep>>,
    tripped: Rc<Cell<bool>>,
    done: bool,
}

impl futures_util::Stream for Deadline {
    type Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(chunk)) => {
                let next = actix_web::rt::time::Instant::now() + BODY_IDLE;
                self.idle.as_mut().reset(next);
                Poll::Ready(Some(chunk))
            }
            Poll::Pending => {
                let late = self.total.as_mut().poll(cx).is_ready();
                let idle = self.idle.as_mut().poll(cx).is_ready();
                if late || idle {
                    self.done = true;
                    self.tripped.set(true);
                    Poll::Ready(Some(Err(actix_web::error::PayloadError::Io(
                        std::io::Error::new(std::io::ErrorKind::TimedOut, "request body too slow"),
                    ))))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

/// Puts the body behind its deadlines (requests that may carry one).
fn guard_body(req: &mut ServiceRequest) -> Rc<Cell<bool>> {
    let tripped = Rc::new(Cell::new(false));
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return tripped;
    }
    let length = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // Without a length (chunked), as for the largest upload.
    let length = length.unwrap_or(64 * 1024 * 1024);
    let total = BODY_TIME + Duration::from_secs(length / BODY_MIN_RATE);
    let now = actix_web::rt::time::Instant::now();
    let inner = actix_web::HttpMessage::take_payload(req);
    let stream = Deadline {
        inner,
        idle: Box::pin(actix_web::rt::time::sleep_until(now + BODY_IDLE)),
        total: Box::pin(actix_web::rt::time::sleep_until(now + total)),
        tripped: tripped.clone(),
        done: false,
    };
    req.set_payload(actix_web::dev::Payload::Stream {
        payload: Box::pin(stream),
    });
    tripped
}

/// The first step (see the module documentation): before routing.
pub fn start(req: &mut ServiceRequest) -> Started {
    let method = req.method().clone();
    if method == Method::HEAD {
        // Routed as GET; the HTTP layer sends no body for a HEAD request.
        req.head_mut().method = Method::GET;
    }
    let id = request_id(req);
    let body_too_slow = guard_body(req);
    Started {
        at: Instant::now(),
        method,
        id,
        body_too_slow,
    }
}

/// The last step: the id on the answer, and the request's log line.
pub fn finish(started: Started, mut res: ServiceResponse) -> ServiceResponse {
    if started.body_too_slow.get() {
        // Whatever the handler made of the cut-off body, the answer is 408, and the
        // connection is not kept for another request.
        res = res.into_response(
            actix_web::HttpResponse::RequestTimeout()
                .insert_header((actix_web::http::header::CONNECTION, "close"))
                .content_type("text/plain; charset=utf-8")
                .body("the request body did not arrive in time"),
        );
    }
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
