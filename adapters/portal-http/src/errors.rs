//! How each surface answers a refusal of the core: one status table per surface (customer
//! pages, staff pages, the JSON API) and one error type per surface implementing actix's
//! `ResponseError`, so handlers return `Result<HttpResponse, _>` and use `?`.
//!
//! Pages need the visitor's language to say what went wrong, which a `ResponseError` does
//! not have: a page error answers with its status only, and the surface's scope renders
//! that answer as a page from the request's context (see `web::render_page_errors` and
//! `staff::render_staff_errors`). The API answers in JSON straight away.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use portal_core::Error;
use serde_json::{Value as J, json};

/// Seconds a client is asked to wait before retrying when the backend cannot answer now.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// The `Retry-After` an answer with this status carries, if any: every "try again later"
/// (503) does, so clients and monitors back off instead of hammering a database that is down.
pub fn retry_after(e: &Error) -> Option<HeaderValue> {
    matches!(e, Error::Unavailable(_)).then(|| HeaderValue::from(RETRY_AFTER_SECONDS))
}

/// Adds `Retry-After` to an answer for `e` when it asks the client to come back later.
pub fn with_retry_after(mut r: HttpResponse, e: &Error) -> HttpResponse {
    if let Some(v) = retry_after(e) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// The customer portal's status for every refusal (V7: a hidden ticket is 404 like a
/// missing one).
pub fn page_status(e: &Error) -> StatusCode {
    match e {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::PortalOff => StatusCode::SERVICE_UNAVAILABLE,
        Error::BadCredentials => StatusCode::UNAUTHORIZED,
        Error::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::EntryDenied(_) => StatusCode::FORBIDDEN,
        Error::SsoRefused(_) => StatusCode::FORBIDDEN,
        Error::ActionDenied(_) => StatusCode::CONFLICT,
        Error::UploadRefused(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::PermissionDenied => StatusCode::FORBIDDEN,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The staff pages' status for every refusal: the portal's, since both are pages for
/// people (the texts differ, not the statuses).
pub fn staff_status(e: &Error) -> StatusCode {
    page_status(e)
}

/// The API's status and stable error code for every refusal. A field already used by
/// another record is a conflict (409) for programs, which retry differently.
pub fn api_status(e: &Error) -> (StatusCode, &'static str) {
    match e {
        Error::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        Error::PortalOff => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        Error::BadCredentials => (StatusCode::UNAUTHORIZED, "unauthorized"),
        Error::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
        Error::EntryDenied(_) | Error::SsoRefused(_) | Error::PermissionDenied => {
            (StatusCode::FORBIDDEN, "forbidden")
        }
        Error::ActionDenied(_) => (StatusCode::CONFLICT, "action_denied"),
        Error::UploadRefused(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        Error::Invalid(list) if !list.is_empty() && list.iter().all(|f| f.code == "taken") => {
            (StatusCode::CONFLICT, "conflict")
        }
        Error::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        Error::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// A refusal on a customer page: the core's, or a request the adapter could not read.
/// Rendered as a page in the visitor's language by the portal scope.
#[derive(Debug)]
pub enum PageError {
    /// A use case refused.
    Core(Error),
    /// The form's CSRF token is missing or wrong (SECURITY rule 8).
    Csrf,
    /// A staff preview tried to change something in the contact's name (A6).
    PreviewReadOnly,
    /// An extractor refused the request: a path segment that is not an id (404), a
    /// malformed form or query (400), a form over its limit (413). The text is for the log.
    BadInput(StatusCode, String),
}

impl PageError {
    /// Its status: from the portal's table for the core's refusals.
    pub fn status(&self) -> StatusCode {
        match self {
            PageError::Core(e) => page_status(e),
            PageError::Csrf | PageError::PreviewReadOnly => StatusCode::FORBIDDEN,
            PageError::BadInput(s, _) => *s,
        }
    }
}

impl From<Error> for PageError {
    fn from(e: Error) -> PageError {
        PageError::Core(e)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Core(e) => write!(f, "{e}"),
            PageError::Csrf => f.write_str("missing or wrong CSRF token"),
            PageError::PreviewReadOnly => f.write_str("a staff preview is read-only"),
            PageError::BadInput(_, detail) => f.write_str(detail),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }
    fn error_response(&self) -> HttpResponse {
        // The portal scope replaces this with the page in the visitor's language (keeping
        // the headers set here).
        let r = HttpResponse::build(self.status()).finish();
        match self {
            PageError::Core(e) => with_retry_after(r, e),
            _ => r,
        }
    }
}

/// A refusal on a staff page, rendered in the staff member's language by the staff scope.
#[derive(Debug)]
pub enum StaffError {
    /// A use case refused.
    Core(Error),
    /// The form's CSRF token is missing or wrong (SECURITY rule 8).
    Csrf,
    /// A form the framework could not read: too large (413) or malformed (400), with the
    /// framework's detail for the log.
    BadInput(StatusCode, String),
}

impl StaffError {
    /// Its status: from the staff table for the core's refusals.
    pub fn status(&self) -> StatusCode {
        match self {
            StaffError::Core(e) => staff_status(e),
            StaffError::Csrf => StatusCode::FORBIDDEN,
            StaffError::BadInput(s, _) => *s,
        }
    }
}

impl From<Error> for StaffError {
    fn from(e: Error) -> StaffError {
        StaffError::Core(e)
    }
}

impl std::fmt::Display for StaffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StaffError::Core(e) => write!(f, "{e}"),
            StaffError::Csrf => f.write_str("missing or wrong CSRF token"),
            StaffError::BadInput(_, detail) => f.write_str(detail),
        }
    }
}

impl ResponseError for StaffError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }
    fn error_response(&self) -> HttpResponse {
        // The staff scope replaces this with the page in the staff member's language.
        let r = HttpResponse::build(self.status()).finish();
        match self {
            StaffError::Core(e) => with_retry_after(r, e),
            StaffError::Csrf | StaffError::BadInput(..) => r,
        }
    }
}

/// A refusal on the JSON API: `{"error": {"code", "message", "fields"?}}`.
#[derive(Debug)]
pub enum ApiError {
    /// A use case refused.
    Core(Error),
    /// No valid API token (401 with `WWW-Authenticate`).
    Unauthorized,
    /// A request the adapter could not read, with its own status, code and text.
    Request(StatusCode, &'static str, String),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError::Core(e)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Core(e) => write!(f, "{e}"),
            ApiError::Unauthorized => f.write_str("no valid API token"),
            ApiError::Request(_, _, m) => f.write_str(m),
        }
    }
}

/// A JSON error answer.
pub fn api_answer(status: StatusCode, code: &str, message: &str, fields: Vec<J>) -> HttpResponse {
    let mut body = json!({ "error": { "code": code, "message": message } });
    if !fields.is_empty() {
        body["error"]["fields"] = J::Array(fields);
    }
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Core(e) => api_status(e).0,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Request(s, _, _) => *s,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let e = match self {
            ApiError::Core(e) => e,
            ApiError::Unauthorized => {
                let mut r = api_answer(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "send a valid API token as Authorization: Bearer <token>",
                    vec![],
                );
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"portal\""),
                );
                return r;
            }
            ApiError::Request(s, code, m) => return api_answer(*s, code, m, vec![]),
        };
        let (status, code) = api_status(e);
        let fields = match e {
            Error::Invalid(list) => list
                .iter()
                .map(|f| json!({ "field": f.field, "code": f.code, "message": f.detail }))
                .collect(),
            _ => vec![],
        };
        let message = match (e, code) {
            (Error::NotFound, _) => "no such resource",
            (Error::Invalid(_), "conflict") => "already used by another record",
            (Error::Invalid(_), _) => "the request has invalid fields",
            (Error::Conflict(_), _) => "the resource changed or already exists",
            (Error::PermissionDenied, _) => "your role does not allow this",
            (Error::EntryDenied(_) | Error::SsoRefused(_), _) => "not allowed",
            (Error::ActionDenied(_), _) => "the ticket does not allow this now",
            (Error::UploadRefused(_), _) => "too large",
            (Error::Throttled(_), _) => "too many attempts; try again later",
            (Error::BadCredentials, _) => "wrong credentials",
            (Error::PortalOff | Error::Unavailable(_), _) => "try again later",
            (Error::Internal(_), _) => "internal error",
        };
        match e {
            Error::Unavailable(_) => {
                tracing::warn!(error = %e, "API request could not be served now")
            }
            Error::Internal(_) => tracing::error!(error = %e, "API request failed"),
            _ => {}
        }
        with_retry_after(api_answer(status, code, message, fields), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_core::access::EntryDenied;
    use portal_core::actions::{ActionDenied, UploadRefused};
    use portal_core::error::SsoRefusal;

    /// One of every variant; the match below fails to compile when a variant is added, so
    /// the tables and this list grow together.
    fn every_error() -> Vec<Error> {
        let all = vec![
            Error::NotFound,
            Error::PortalOff,
            Error::BadCredentials,
            Error::Throttled(30),
            Error::EntryDenied(EntryDenied::AccountDisabled),
            Error::SsoRefused(SsoRefusal::new("bad signature")),
            Error::ActionDenied(ActionDenied::ClosedTicketReply),
            Error::UploadRefused(UploadRefused::EmptyFile),
            Error::PermissionDenied,
            Error::invalid("email", "required", "missing"),
            Error::Conflict("changed".into()),
            Error::Unavailable("down".into()),
            Error::Internal("bug".into()),
        ];
        for e in &all {
            match e {
                Error::NotFound
                | Error::PortalOff
                | Error::BadCredentials
                | Error::Throttled(_)
                | Error::EntryDenied(_)
                | Error::SsoRefused(_)
                | Error::ActionDenied(_)
                | Error::UploadRefused(_)
                | Error::PermissionDenied
                | Error::Invalid(_)
                | Error::Conflict(_)
                | Error::Unavailable(_)
                | Error::Internal(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_error_has_its_status_on_every_surface() {
        let expected = [
            (404, 404),
            (503, 503),
            (401, 401),
            (429, 429),
            (403, 403),
            (403, 403),
            (409, 409),
            (413, 413),
            (403, 403),
            (422, 422),
            (409, 409),
            (503, 503),
            (500, 500),
        ];
        let all = every_error();
        assert_eq!(all.len(), expected.len());
        for (e, (page, api)) in all.iter().zip(expected) {
            assert_eq!(page_status(e).as_u16(), page, "page status of {e}");
            assert_eq!(staff_status(e).as_u16(), page, "staff status of {e}");
            assert_eq!(api_status(e).0.as_u16(), api, "API status of {e}");
            assert_eq!(PageError::from(clone(e)).status_code().as_u16(), page);
            assert_eq!(StaffError::from(clone(e)).status_code().as_u16(), page);
            let r = ApiError::from(clone(e)).error_response();
            assert_eq!(r.status().as_u16(), api, "API answer of {e}");
        }
        // "Try again later" says when, on every surface.
        let down = Error::Unavailable("pool timeout".into());
        for r in [
            PageError::from(clone(&down)).error_response(),
            StaffError::from(clone(&down)).error_response(),
            ApiError::from(clone(&down)).error_response(),
        ] {
            assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(r.headers().get(header::RETRY_AFTER).unwrap(), "5");
        }
        assert!(
            ApiError::from(Error::NotFound)
                .error_response()
                .headers()
                .get(header::RETRY_AFTER)
                .is_none()
        );
        // A name already taken is a conflict for programs.
        let taken = Error::invalid("email", "taken", "used");
        assert_eq!(api_status(&taken), (StatusCode::CONFLICT, "conflict"));
        assert_eq!(page_status(&taken), StatusCode::UNPROCESSABLE_ENTITY);
    }

    fn clone(e: &Error) -> Error {
        e.clone()
    }
}
