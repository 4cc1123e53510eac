//! The JSON API under `/api/v1` (issue 6): companies, contacts, lists, tickets and their
//! messages for programs, with staff API tokens (`Authorization: Bearer`). Sessions of any
//! kind are never accepted here, so no CSRF token is needed; a customer's cookie gets 401
//! like no credentials at all. Every answer is JSON; errors are
//! `{"error": {"code", "message", "fields"?}}` with stable codes (one table:
//! [`crate::errors::api_status`]). The OpenAPI document describing all of it is served at
//! `/api/v1/openapi.json`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::usecases::inbox::StaffMember;
use portal_core::usecases::records::value_input;
use serde::Deserialize;
use serde_json::{Map, Value as J, json};

use crate::AppState;
use crate::errors::{ApiError, api_answer};
use actix_web::FromRequest;
use actix_web::dev::Payload;
use futures_util::future::LocalBoxFuture;
use portal_core::property::{ObjectKind, PropertyDef};

type St = web::Data<AppState>;

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("../../openapi.json");

pub(crate) mod files;
pub(crate) mod records;
pub(crate) mod tickets;

/// A resource whose other methods answer 405 with `Allow`.
pub(crate) fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(|req: HttpRequest| async move {
        let allow = allowed_methods(req.match_pattern().as_deref().unwrap_or(""));
        let mut r = api_answer(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this method is not allowed here",
            Vec::new(),
        );
        if let Ok(v) = HeaderValue::from_str(allow) {
            r.headers_mut().insert(header::ALLOW, v);
        }
        r
    }))
}

pub(crate) fn allowed_methods(pattern: &str) -> &'static str {
    let p = pattern.trim_start_matches("/api/v1");
    match p {
        "/openapi.json" | "/attachments/{id}" => "GET",
        "/lists/{id}/members/{contact}" => "PUT, DELETE",
        "/contacts/{id}/login" | "/agents/{id}/login" => "PUT",
        "/companies/{id}"
        | "/contacts/{id}"
        | "/lists/{id}"
        | "/tickets/{id}"
        | "/tickets/{id}/messages/{message}" => "GET, PATCH",
        _ => "GET, POST",
    }
}

// ------------------------------------------------------------------------ errors

pub(crate) type Answer = Result<HttpResponse, ApiError>;

/// A refusal of one field, in the API's words.
pub(crate) fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Core(Error::invalid(field, code, message))
}

/// The staff member behind the bearer token (`Authorization: Bearer`), as an actix
/// extractor; no token or a wrong one is 401.
pub(crate) struct ApiMember(pub StaffMember);

impl FromRequest for ApiMember {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<ApiMember, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string());
        let st = req.app_data::<St>().cloned();
        Box::pin(async move {
            let (Some(token), Some(st)) = (token, st) else {
                return Err(ApiError::Unauthorized);
            };
            st.staff
                .api_member(&token)
                .await?
                .map(ApiMember)
                .ok_or(ApiError::Unauthorized)
        })
    }
}

// ------------------------------------------------------------------------ JSON shapes

/// RFC 3339 in UTC, e.g. `2026-11-21T09:30:00Z`.
pub fn rfc3339(t: Timestamp) -> String {
    let c = t.civil();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

pub(crate) fn props_json(p: &Properties) -> J {
    J::Object(
        p.iter()
            .map(|(k, v)| {
                let j = match v {
                    Value::Number(n) => json!(n),
                    other => json!(value_input(other)),
                };
                (k.clone(), j)
            })
            .collect(),
    )
}

pub(crate) fn company_json(c: &Company) -> J {
    json!({ "id": c.id.0, "name": c.name, "domain": c.domain })
}

pub(crate) fn contact_json(c: &Contact) -> J {
    json!({
        "id": c.id.0,
        "email": c.email,
        "membership_email": c.membership_email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "company_id": c.primary_company.map(|k| k.0),
        "language": c.language,
        "properties": props_json(&c.properties),
        "memberships": c.companies().iter().map(|m| {
            let rights = |r: Option<portal_core::model::CompanyRights>| {
                r.map(|r| json!({ "see": r.see, "reply": r.reply, "close": r.close }))
            };
            json!({
                "company_id": m.company.0,
                "granted": rights(m.granted),
                "limited": rights(m.limited),
            })
        }).collect::<Vec<_>>(),
    })
}

pub(crate) fn ticket_json(t: &Ticket) -> J {
    json!({
        "id": t.id.0,
        "subject": t.subject,
        "pipeline_id": t.pipeline.0,
        "stage_id": t.stage.0,
        "status": t.status.as_str(),
        "owner_id": t.owner.map(|a| a.0),
        "inbox_id": t.inbox.map(|i| i.0),
        "requester_id": t.requester.map(|c| c.0),
        "contact_ids": t.contacts.iter().map(|c| c.0).collect::<Vec<_>>(),
        "company_ids": t.companies.iter().map(|c| c.0).collect::<Vec<_>>(),
        "private": t.private,
        "properties": props_json(&t.properties),
        "created_at": rfc3339(t.created_at),
        "last_activity_at": rfc3339(t.last_activity_at),
    })
}

pub(crate) fn message_json(m: &Message) -> J {
    let (kind, id) = match m.author {
        Author::Contact(c) => ("contact", Some(c.0)),
        Author::Agent(a) => ("agent", Some(a.0)),
        Author::System => ("system", None),
    };
    json!({
        "id": m.id.0,
        "thread_id": m.thread.0,
        "author": { "kind": kind, "id": id },
        "internal": m.visibility == MessageVisibility::Internal,
        "body_html": m.body,
        "created_at": rfc3339(m.created_at),
        "channel": m.channel.as_str(),
        "attachments": m.attachments.iter().map(|a| json!({
            "id": a.id.0, "file_name": a.file_name, "content_type": a.content_type, "size": a.size,
            "url": format!("/api/v1/attachments/{}", a.id.0),
        })).collect::<Vec<_>>(),
    })
}

pub(crate) fn page(data: Vec<J>, next: Option<J>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({ "data": data, "next": next }))
}

pub(crate) fn one(status: StatusCode, body: J) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Custom properties from JSON, by the kinds of their definitions: integers for number
/// properties, strings for text and date ones (`YYYY-MM-DD`), `null` unsets. Names that are
/// not defined are left for the use case to refuse with their field.
pub(crate) async fn props_input(
    st: &AppState,
    object: ObjectKind,
    v: Option<&Map<String, J>>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let Some(v) = v else {
        return Ok(BTreeMap::new());
    };
    let catalog = st.records.catalog(object).await?;
    let mut out = BTreeMap::new();
    for (k, v) in v {
        let number = catalog
            .get(k)
            .is_some_and(|d| !d.builtin && d.kind == ValueKind::Number);
        let text = match v {
            J::Null => String::new(),
            J::Number(n) if number && n.is_i64() => n.to_string(),
            J::String(s) if !number => s.clone(),
            _ => {
                return Err(invalid(
                    &format!("properties.{k}"),
                    "invalid",
                    "number properties take an integer, others a string; null unsets",
                ));
            }
        };
        out.insert(k.clone(), text);
    }
    Ok(out)
}

/// A request body: a JSON object (an array or a scalar is refused, even where every field is
/// optional), read into `T` with its own rules (unknown fields, `null`).
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(
    raw: web::Json<Map<String, J>>,
) -> Result<T, ApiError> {
    serde_json::from_value(J::Object(raw.into_inner())).map_err(|e| {
        ApiError::Request(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("the body does not fit: {e}"),
        )
    })
}

// ------------------------------------------------------------------------ paging

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    limit: Option<usize>,
    after: Option<i64>,
    q: Option<String>,
    company_id: Option<i64>,
}

/// For optional fields that may be left out but not be `null`.
pub(crate) fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// For optional fields where `null` means "clear it": `Some(None)`.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

pub(crate) fn limit_of(limit: Option<usize>) -> Result<usize, ApiError> {
    Ok(portal_core::query::page_size(limit)?)
}

pub(crate) fn next_id(len: usize, limit: usize, last: Option<i64>) -> Option<J> {
    (len >= limit).then_some(()).and(last.map(|id| json!(id)))
}

// ------------------------------------------------------------------------ openapi

/// The OpenAPI document with this server's custom property definitions filled in, so that
/// property names, kinds and options are part of the contract.
pub(crate) async fn openapi(st: St) -> Answer {
    let mut doc: J = serde_json::from_str(OPENAPI).map_err(|e| Error::Internal(e.to_string()))?;
    for (object, name) in [
        (ObjectKind::Contact, "Contact"),
        (ObjectKind::Ticket, "Ticket"),
    ] {
        let catalog = st.records.catalog(object).await?;
        let defs: Vec<&PropertyDef> = catalog.defs.iter().collect();
        let schemas = &mut doc["components"]["schemas"];
        schemas[format!("{name}Properties")]["properties"] = property_schemas(&defs, false);
        schemas[format!("{name}PropertiesInput")]["properties"] = property_schemas(&defs, true);
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(doc))
}

pub(crate) fn property_schemas(defs: &[&PropertyDef], input: bool) -> J {
    let mut out = Map::new();
    for d in defs.iter().filter(|d| !d.builtin) {
        let mut s = match d.kind {
            ValueKind::Number => json!({ "type": "integer", "format": "int64",
                "minimum": i64::MIN, "maximum": i64::MAX }),
            ValueKind::Date => json!({ "type": "string", "format": "date",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
            ValueKind::Text if !d.options.is_empty() => {
                let mut options: Vec<J> = d.options.iter().map(|o| json!(o)).collect();
                if input {
                    // An empty text unsets the property, like null.
                    options.push(json!(""));
                }
                json!({ "type": "string", "enum": options })
            }
            ValueKind::Text => json!({ "type": "string", "maxLength": 1000 }),
        };
        s["description"] = json!(d.label);
        if input {
            s["nullable"] = json!(true);
            if let Some(e) = s.get_mut("enum").and_then(J::as_array_mut) {
                e.push(J::Null);
            }
        }
        out.insert(d.name.clone(), s);
    }
    J::Object(out)
}

#[cfg(test)]
mod tests {
    use super::tickets::parse_cursor;
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(Timestamp(0)), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(Timestamp(1_795_777_230_000)),
            "2026-11-27T11:00:30Z"
        );
    }

    #[test]
    fn cursors_round_trip() {
        assert_eq!(
            parse_cursor("1700000000000.42"),
            Some((Timestamp(1_700_000_000_000), TicketId(42)))
        );
        assert_eq!(parse_cursor("x.1"), None);
        assert_eq!(parse_cursor("12"), None);
    }

    #[test]
    fn the_openapi_document_is_json_and_names_every_route() {
        let doc: J = serde_json::from_str(OPENAPI).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/companies",
            "/companies/{id}",
            "/contacts",
            "/contacts/{id}",
            "/lists",
            "/lists/{id}",
            "/lists/{id}/members/{contact}",
            "/tickets",
            "/tickets/{id}",
            "/tickets/{id}/messages",
            "/tickets/{id}/messages/{message}",
            "/contacts/{id}/login",
            "/agents/{id}/login",
            "/attachments/{id}",
        ] {
            assert!(paths.contains_key(p), "{p} documented");
            let methods: Vec<&str> = paths[p]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "parameters")
                .collect();
            let allowed = allowed_methods(&format!("/api/v1{p}")).to_lowercase();
            for m in &methods {
                assert!(allowed.contains(m), "{p} {m} is routed");
            }
            assert_eq!(
                methods.len(),
                allowed.split(", ").count(),
                "{p}: every routed method documented"
            );
        }
    }
}
