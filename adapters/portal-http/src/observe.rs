//! What every request goes through first: `HEAD` answered like `GET` (without the body),
//! a request id (`X-Request-Id`: a trusted proxy's, else a fresh one; echoed on the
//! answer), and one log line per request at its end: method, route pattern, status,
//! duration and id. The line never holds a session token, a password or an emailed token:
//! it names the route pattern (`/{slug}/reset/{token}`), not the path.

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
    tracing::info!(
        target: "portal::request",
        id = %started.id,
        method = %started.method,
        route = route.as_deref().unwrap_or("-"),
        status = res.status().as_u16(),
        ms = started.at.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    res
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
