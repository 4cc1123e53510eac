//! Text input screened before any handler sees it: every query parameter, every field of a
//! URL-encoded form and every string (and key) of a JSON body is put to the core's rule
//! (`portal_core::error::check_text_inputs`: no NUL or other C0 control character but
//! tab, CR and LF). A refusal is 422 on the API (the usual `invalid` answer naming the
//! fields) and a short text in the visitor's language on pages; nothing reaches a use case
//! or the database, so SQLite and PostgreSQL answer alike. Multipart text fields are
//! checked where they are read (`upload`).

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use portal_core::Error;

/// Bodies larger than these are not screened here; their extractors refuse them anyway.
const FORM_LIMIT: usize = 64 * 1024;
const JSON_LIMIT: usize = 1024 * 1024;

/// The middleware.
pub struct Screen;

impl<S> Transform<S, ServiceRequest> for Screen
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>
        + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Transform = ScreenService<S>;
    type InitError = ();
    type Future = Ready<Result<ScreenService<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ScreenService {
            inner: Rc::new(service),
        }))
    }
}

/// The middleware's service.
pub struct ScreenService<S> {
    inner: Rc<S>,
}

#[derive(Clone, Copy)]
enum Body {
    Form,
    Json,
}

impl<S> Service<ServiceRequest> for ScreenService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>
        + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(inner);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let srv = self.inner.clone();
        Box::pin(async move {
            if let Err(e) = check_query(req.query_string()) {
                return Ok(refuse(req, &e));
            }
            let kind = match req.content_type() {
                "application/x-www-form-urlencoded" => Some((Body::Form, FORM_LIMIT)),
                "application/json" => Some((Body::Json, JSON_LIMIT)),
                _ => None,
            };
            if let Some((kind, limit)) = kind {
                let (head, complete) = read_up_to(&mut req, limit).await;
                if complete && let Err(e) = check_body(kind, &head) {
                    return Ok(refuse(req, &e));
                }
            }
            srv.call(req).await
        })
    }
}

/// Reads the body up to `limit` bytes and puts it back (with the unread rest behind it);
/// says whether that was all of it.
async fn read_up_to(req: &mut ServiceRequest, limit: usize) -> (Bytes, bool) {
    let mut payload = req.take_payload();
    let mut buf = BytesMut::new();
    let mut complete = true;
    let mut failed = None;
    while buf.len() <= limit {
        match payload.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(e)) => {
                failed = Some(e);
                complete = false;
                break;
            }
            None => break,
        }
    }
    if buf.len() > limit {
        complete = false;
    }
    let head = buf.freeze();
    let first = futures_util::stream::iter([Ok(head.clone())]);
    let rest: Payload = match failed {
        // The error reaches the extractor as it would have.
        Some(e) => Payload::Stream {
            payload: Box::pin(first.chain(futures_util::stream::iter([Err(e)]))),
        },
        None if complete => Payload::Stream {
            payload: Box::pin(first),
        },
        None => Payload::Stream {
            payload: Box::pin(first.chain(payload)),
        },
    };
    req.set_payload(rest);
    (head, complete)
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

fn pairs(encoded: &str) -> Vec<(String, String)> {
    encoded
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn check_pairs(pairs: &[(String, String)]) -> Result<(), Error> {
    portal_core::error::check_text_inputs(
        pairs
            .iter()
            .flat_map(|(k, v)| [(k.as_str(), k.as_str()), (k.as_str(), v.as_str())]),
    )
}

fn check_query(query: &str) -> Result<(), Error> {
    // Control characters can only arrive percent-encoded (a raw one is not a valid URL).
    if !query.contains('%') && query.bytes().all(|b| b > 0x1f && b != 0x7f) {
        return Ok(());
    }
    check_pairs(&pairs(query))
}

fn check_body(kind: Body, body: &[u8]) -> Result<(), Error> {
    match kind {
        Body::Form => check_pairs(&pairs(&String::from_utf8_lossy(body))),
        Body::Json => {
            // Not JSON: the extractor answers that.
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
                return Ok(());
            };
            let mut strings = Vec::new();
            json_strings(&value, String::new(), &mut strings);
            portal_core::error::check_text_inputs(
                strings.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            )
        }
    }
}

/// Every string and key of a JSON value with its dotted path.
fn json_strings(v: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        serde_json::Value::String(s) => out.push((path, s.clone())),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json_strings(item, join(&i.to_string()), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                out.push((join(k), k.clone()));
                json_strings(item, join(k), out);
            }
        }
        _ => {}
    }
}

fn refuse(req: ServiceRequest, e: &Error) -> ServiceResponse<BoxBody> {
    tracing::info!(error = %e, "input refused");
    let answer = if req.path().starts_with("/api/") {
        crate::errors::ApiError::Core(e.clone()).error_response()
    } else {
        let st = req
            .app_data::<actix_web::web::Data<crate::AppState>>()
            .cloned();
        let cookie = req.cookie("portal_lang").map(|c| c.value().to_string());
        let accept = req
            .headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let text = st.map_or_else(
            || "The input contains a control character.".to_string(),
            |st| {
                let lang = st.i18n.choose(None, cookie.as_deref(), accept, None);
                st.i18n.get(lang, "error.control_character").to_string()
            },
        );
        HttpResponse::build(crate::errors::page_status(e))
            .content_type("text/plain; charset=utf-8")
            .body(text)
    };
    req.into_response(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_forms_and_json_are_screened() {
        assert!(check_query("q=printer&status=open").is_ok());
        assert!(check_query("q=caf%C3%A9+au+lait").is_ok());
        assert!(check_query("q=a%00b").is_err());
        assert!(check_query("a%1Bb=1").is_err());
        assert!(check_body(Body::Form, b"body=line%0D%0Aline%09tab").is_ok());
        assert!(check_body(Body::Form, b"email=x%00%40y").is_err());
        assert!(check_body(Body::Json, br#"{"subject":"ok","tags":["a","b"]}"#).is_ok());
        let Err(Error::Invalid(list)) =
            check_body(Body::Json, br#"{"ticket":{"subject":"a\u0000b"}}"#)
        else {
            panic!("refused");
        };
        assert_eq!(list[0].field, "ticket.subject");
        assert!(check_body(Body::Json, br#"{"a\u0001":1}"#).is_err());
        // Not JSON at all: left to the extractor.
        assert!(check_body(Body::Json, b"{not json").is_ok());
    }
}
