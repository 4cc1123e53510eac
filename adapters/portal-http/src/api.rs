//! The JSON API under `/api/v1` (issue 6): companies, contacts, lists, tickets and their
//! messages for programs, with staff API tokens (`Authorization: Bearer`). Sessions of any
//! kind are never accepted here, so no CSRF token is needed; a customer's cookie gets 401
//! like no credentials at all. Every answer is JSON; errors are
//! `{"error": {"code", "message", "fields"?}}` with stable codes (see `api_error`). The
//! OpenAPI document describing all of it is served at `/api/v1/openapi.json`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::ports::{InboxQuery, RecordQuery};
use portal_core::usecases::inbox::{AnswerInput, NewTicketInput, StaffMember, TicketChanges};
use portal_core::usecases::records::{ContactInput, value_input};
use serde::Deserialize;
use serde_json::{Map, Value as J, json};

use crate::AppState;
use crate::errors::{ApiError, api_answer};
use crate::format;
use actix_web::FromRequest;
use actix_web::dev::Payload;
use futures_util::future::LocalBoxFuture;
use portal_core::property::{ObjectKind, PropertyDef};

type St = web::Data<AppState>;

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub fn register(cfg: &mut web::ServiceConfig) {
    let json_cfg = web::JsonConfig::default()
        .limit(256 * 1024)
        .error_handler(|e, _| {
            let (status, code) = match &e {
                actix_web::error::JsonPayloadError::ContentType => {
                    (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
                }
                actix_web::error::JsonPayloadError::Overflow { .. }
                | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                    (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
                }
                _ => (StatusCode::BAD_REQUEST, "bad_request"),
            };
            let detail = e.to_string();
            actix_web::error::InternalError::from_response(
                e,
                api_answer(status, code, &detail, Vec::new()),
            )
            .into()
        });
    let query_cfg = web::QueryConfig::default().error_handler(|e, _| {
        let detail = e.to_string();
        actix_web::error::InternalError::from_response(
            e,
            api_answer(StatusCode::BAD_REQUEST, "bad_request", &detail, Vec::new()),
        )
        .into()
    });
    let path_cfg = web::PathConfig::default().error_handler(|e, _| {
        actix_web::error::InternalError::from_response(
            e,
            api_answer(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such resource",
                Vec::new(),
            ),
        )
        .into()
    });
    cfg.service(
        web::scope("/api/v1")
            .app_data(json_cfg)
            .app_data(query_cfg)
            .app_data(path_cfg)
            .service(resource("/openapi.json").route(web::get().to(openapi)))
            .service(
                resource("/companies")
                    .route(web::get().to(list_companies))
                    .route(web::post().to(create_company)),
            )
            .service(
                resource("/companies/{id}")
                    .route(web::get().to(get_company))
                    .route(web::patch().to(update_company)),
            )
            .service(
                resource("/contacts")
                    .route(web::get().to(list_contacts))
                    .route(web::post().to(create_contact)),
            )
            .service(
                resource("/contacts/{id}")
                    .route(web::get().to(get_contact))
                    .route(web::patch().to(update_contact)),
            )
            .service(resource("/contacts/{id}/login").route(web::put().to(set_contact_login)))
            .service(resource("/agents/{id}/login").route(web::put().to(set_agent_login)))
            .service(
                resource("/lists")
                    .route(web::get().to(list_lists))
                    .route(web::post().to(create_list)),
            )
            .service(
                resource("/lists/{id}")
                    .route(web::get().to(get_list))
                    .route(web::patch().to(update_list)),
            )
            .service(
                resource("/lists/{id}/members/{contact}")
                    .route(web::put().to(add_member))
                    .route(web::delete().to(remove_member)),
            )
            .service(
                resource("/tickets")
                    .route(web::get().to(list_tickets))
                    .route(web::post().to(create_ticket)),
            )
            .service(
                resource("/tickets/{id}")
                    .route(web::get().to(get_ticket))
                    .route(web::patch().to(update_ticket)),
            )
            .service(
                resource("/tickets/{id}/messages")
                    .route(web::get().to(list_messages))
                    .route(web::post().to(create_message)),
            )
            .service(
                resource("/tickets/{id}/messages/{message}")
                    .route(web::get().to(get_message))
                    .route(web::patch().to(update_message)),
            )
            .default_service(web::to(|| async {
                api_answer(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "no such resource",
                    Vec::new(),
                )
            })),
    );
}

/// A resource whose other methods answer 405 with `Allow`.
fn resource(path: &str) -> actix_web::Resource {
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

fn allowed_methods(pattern: &str) -> &'static str {
    let p = pattern.trim_start_matches("/api/v1");
    match p {
        "/openapi.json" => "GET",
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

type Answer = Result<HttpResponse, ApiError>;

/// A refusal of one field, in the API's words.
fn invalid(field: &str, code: &str, message: &str) -> ApiError {
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
    let secs = t.0.div_euclid(1000);
    let day = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        portal_core::filter::date_text(t),
        day / 3600,
        day % 3600 / 60,
        day % 60
    )
}

fn props_json(p: &Properties) -> J {
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

fn company_json(c: &Company) -> J {
    json!({ "id": c.id.0, "name": c.name, "domain": c.domain })
}

fn contact_json(c: &Contact) -> J {
    json!({
        "id": c.id.0,
        "email": c.email,
        "membership_email": c.membership_email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "company_id": c.primary_company.map(|k| k.0),
        "language": c.language,
        "properties": props_json(&c.properties),
    })
}

fn ticket_json(t: &Ticket) -> J {
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
        "properties": props_json(&t.properties),
        "created_at": rfc3339(t.created_at),
        "last_activity_at": rfc3339(t.last_activity_at),
    })
}

fn message_json(m: &Message) -> J {
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
        "attachments": m.attachments.iter().map(|a| json!({
            "id": a.id.0, "file_name": a.file_name, "content_type": a.content_type, "size": a.size,
        })).collect::<Vec<_>>(),
    })
}

fn page(data: Vec<J>, next: Option<J>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({ "data": data, "next": next }))
}

fn one(status: StatusCode, body: J) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Custom properties from JSON, by the kinds of their definitions: integers for number
/// properties, strings for text and date ones (`YYYY-MM-DD`), `null` unsets. Names that are
/// not defined are left for the use case to refuse with their field.
async fn props_input(
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
fn json_body<T: serde::de::DeserializeOwned>(
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
struct PageQuery {
    limit: Option<usize>,
    after: Option<i64>,
    q: Option<String>,
    company_id: Option<i64>,
}

/// For optional fields that may be left out but not be `null`.
fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// For optional fields where `null` means "clear it": `Some(None)`.
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn limit_of(limit: Option<usize>) -> Result<usize, ApiError> {
    Ok(portal_core::query::page_size(limit)?)
}

fn next_id(len: usize, limit: usize, last: Option<i64>) -> Option<J> {
    (len >= limit).then_some(()).and(last.map(|id| json!(id)))
}

// ------------------------------------------------------------------------ openapi

/// The OpenAPI document with this server's custom property definitions filled in, so that
/// property names, kinds and options are part of the contract.
async fn openapi(st: St) -> Answer {
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

fn property_schemas(defs: &[&PropertyDef], input: bool) -> J {
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

// ------------------------------------------------------------------------ companies

async fn list_companies(st: St, q: web::Query<PageQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let query = RecordQuery {
        search: q.q.clone(),
        company: None,
        after: q.after,
        limit,
    };
    let rows = st.records.companies(&query).await?;
    Ok(page(
        rows.iter().map(company_json).collect(),
        next_id(rows.len(), limit, rows.last().map(|c| c.id.0)),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyBody {
    #[serde(default, deserialize_with = "not_null")]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    domain: Option<Option<String>>,
}

async fn create_company(st: St, raw: web::Json<Map<String, J>>, ApiMember(m): ApiMember) -> Answer {
    let body: CompanyBody = json_body(raw)?;
    let name = body.name.clone().unwrap_or_default();
    let domain = body.domain.clone().flatten().unwrap_or_default();
    let c = st
        .records
        .create_company(m.agent.id, &name, &domain)
        .await?;
    Ok(one(StatusCode::CREATED, company_json(&c)))
}

async fn get_company(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let (c, _) = st.records.company(CompanyId(*path)).await?;
    Ok(one(StatusCode::OK, company_json(&c)))
}

async fn update_company(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: CompanyBody = json_body(raw)?;
    let id = CompanyId(*path);
    let (old, _) = st.records.company(id).await?;
    let name = body.name.clone().unwrap_or(old.name);
    let domain = match &body.domain {
        Some(d) => d.clone().unwrap_or_default(),
        None => old.domain.unwrap_or_default(),
    };
    let c = st
        .records
        .update_company(m.agent.id, id, &name, &domain)
        .await?;
    Ok(one(StatusCode::OK, company_json(&c)))
}

// ------------------------------------------------------------------------ contacts

async fn list_contacts(st: St, q: web::Query<PageQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let query = RecordQuery {
        search: q.q.clone(),
        company: q.company_id.map(CompanyId),
        after: q.after,
        limit,
    };
    let rows = st.records.contacts(&query).await?;
    Ok(page(
        rows.iter().map(contact_json).collect(),
        next_id(rows.len(), limit, rows.last().map(|c| c.id.0)),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactBody {
    #[serde(default, deserialize_with = "not_null")]
    email: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    membership_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    first_name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    last_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    company_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    language: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    properties: Option<Map<String, J>>,
}

impl ContactBody {
    /// `base` with this body's fields laid over it.
    async fn over(&self, st: &AppState, mut base: ContactInput) -> Result<ContactInput, ApiError> {
        if let Some(v) = &self.email {
            base.email = v.clone();
        }
        if let Some(v) = &self.membership_email {
            if v.as_deref().is_some_and(|m| m.trim().is_empty()) {
                return Err(invalid(
                    "membership_email",
                    "invalid_email",
                    "an email address, or null for none",
                ));
            }
            base.membership_email = v.clone().unwrap_or_default();
        }
        if let Some(v) = &self.first_name {
            base.first_name = v.clone();
        }
        if let Some(v) = &self.last_name {
            base.last_name = v.clone();
        }
        if let Some(v) = self.company_id {
            base.company = v.map(CompanyId);
        }
        if let Some(v) = &self.language {
            base.language = v.clone().unwrap_or_default();
        }
        let props = props_input(st, ObjectKind::Contact, self.properties.as_ref()).await?;
        base.properties.extend(props);
        Ok(base)
    }
}

async fn create_contact(st: St, raw: web::Json<Map<String, J>>, ApiMember(m): ApiMember) -> Answer {
    let body: ContactBody = json_body(raw)?;
    let input = body.over(&st, ContactInput::default()).await?;
    let c = st.records.create_contact(m.agent.id, &input).await?;
    Ok(one(StatusCode::CREATED, contact_json(&c)))
}

async fn get_contact(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let c = st.records.find_contact(ContactId(*path)).await?;
    Ok(one(StatusCode::OK, contact_json(&c)))
}

async fn update_contact(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: ContactBody = json_body(raw)?;
    let id = ContactId(*path);
    let old = st.records.find_contact(id).await?;
    let input = body.over(&st, ContactInput::of(&old)).await?;
    let c = st.records.update_contact(m.agent.id, id, &input).await?;
    st.invalidate();
    Ok(one(StatusCode::OK, contact_json(&c)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    enabled: bool,
}

/// Disables or enables a contact's portal login (any staff member); disabling ends its
/// sessions at once.
async fn set_contact_login(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: LoginBody = json_body(raw)?;
    let id = ContactId(*path);
    st.records
        .set_portal_login(m.agent.id, id, body.enabled)
        .await?;
    Ok(one(
        StatusCode::OK,
        json!({ "contact_id": id.0, "enabled": body.enabled }),
    ))
}

/// Disables or enables another staff member's login (admins only, never one's own);
/// disabling ends their sessions and stops their API tokens.
async fn set_agent_login(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: LoginBody = json_body(raw)?;
    let id = AgentId(*path);
    st.staff.set_login_enabled(&m, id, body.enabled).await?;
    Ok(one(
        StatusCode::OK,
        json!({ "agent_id": id.0, "enabled": body.enabled }),
    ))
}

// ------------------------------------------------------------------------ lists

async fn list_lists(st: St, q: web::Query<PageQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let rows = st.records.lists_page(q.after, limit).await?;
    Ok(page(
        rows.iter()
            .map(|l| json!({ "id": l.list.id.0, "name": l.list.name, "member_count": l.members, "access_group": l.access_group }))
            .collect(),
        next_id(rows.len(), limit, rows.last().map(|l| l.list.id.0)),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListBody {
    #[serde(default, deserialize_with = "not_null")]
    name: Option<String>,
}

async fn create_list(st: St, raw: web::Json<Map<String, J>>, _: ApiMember) -> Answer {
    let body: ListBody = json_body(raw)?;
    let l = st
        .records
        .create_list(body.name.as_deref().unwrap_or(""))
        .await?;
    Ok(one(
        StatusCode::CREATED,
        json!({ "id": l.id.0, "name": l.name, "access_group": false, "member_ids": [] }),
    ))
}

async fn list_json(st: &AppState, id: ListId) -> Answer {
    let (summary, members) = st.records.members(id).await?;
    Ok(one(
        StatusCode::OK,
        json!({
            "id": summary.list.id.0,
            "name": summary.list.name,
            "access_group": summary.access_group,
            "member_ids": members.iter().map(|m| m.contact.id.0).collect::<Vec<_>>(),
        }),
    ))
}

async fn get_list(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    list_json(&st, ListId(*path)).await
}

async fn update_list(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: ListBody = json_body(raw)?;
    let id = ListId(*path);
    if let Some(name) = &body.name {
        st.records.rename_list(m.agent.id, id, name).await?;
    }
    list_json(&st, id).await
}

async fn add_member(st: St, path: web::Path<(i64, i64)>, _: ApiMember) -> Answer {
    let (list, contact) = path.into_inner();
    let email = st.records.find_contact(ContactId(contact)).await?.email;
    st.records.members(ListId(list)).await?;
    let portal_url = st.portal_url(&*st.snapshot().await?);
    st.records
        .add_member(ListId(list), &email, &portal_url)
        .await?;
    list_json(&st, ListId(list)).await
}

async fn remove_member(st: St, path: web::Path<(i64, i64)>, _: ApiMember) -> Answer {
    let (list, contact) = path.into_inner();
    st.records.members(ListId(list)).await?;
    st.records
        .remove_member(ListId(list), ContactId(contact))
        .await?;
    list_json(&st, ListId(list)).await
}

// ------------------------------------------------------------------------ tickets

#[derive(Deserialize)]
struct TicketListQuery {
    limit: Option<usize>,
    cursor: Option<String>,
    inbox_id: Option<i64>,
    pipeline_id: Option<i64>,
    stage_id: Option<i64>,
    owner_id: Option<i64>,
    unassigned: Option<bool>,
    status: Option<String>,
    q: Option<String>,
}

fn cursor_of(t: &Ticket) -> String {
    format!("{}.{}", t.last_activity_at.0, t.id.0)
}

fn parse_cursor(s: &str) -> Option<(Timestamp, TicketId)> {
    let (at, id) = s.split_once('.')?;
    Some((Timestamp(at.parse().ok()?), TicketId(id.parse().ok()?)))
}

async fn list_tickets(st: St, q: web::Query<TicketListQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let before = match q.cursor.as_deref() {
        Some(c) => Some(
            parse_cursor(c)
                .ok_or_else(|| invalid("cursor", "invalid", "not a cursor from a `next` field"))?,
        ),
        None => None,
    };
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some("open") => Some(TicketStatus::Open),
        Some("closed") => Some(TicketStatus::Closed),
        Some(_) => return Err(invalid("status", "invalid_option", "open or closed")),
    };
    let owner = match (q.unassigned, q.owner_id) {
        (Some(true), _) => Some(portal_core::ports::OwnerFilter::Unassigned),
        (_, Some(a)) => Some(portal_core::ports::OwnerFilter::Agent(AgentId(a))),
        _ => None,
    };
    let query = InboxQuery {
        inbox: q.inbox_id.map(InboxId),
        pipeline: q.pipeline_id.map(PipelineId),
        stage: q.stage_id.map(StageId),
        owner,
        status,
        search: q.q.clone().unwrap_or_default(),
        before,
        limit,
    };
    let rows = st.inbox.list(&query).await?;
    Ok(page(
        rows.iter().map(ticket_json).collect(),
        (rows.len() >= limit)
            .then(|| rows.last().map(|t| json!(cursor_of(t))))
            .flatten(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTicketBody {
    subject: String,
    body: String,
    requester_id: i64,
    #[serde(default)]
    inbox_id: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    properties: Option<Map<String, J>>,
}

async fn create_ticket(st: St, raw: web::Json<Map<String, J>>, ApiMember(m): ApiMember) -> Answer {
    let body: NewTicketBody = json_body(raw)?;
    let properties = props_input(&st, ObjectKind::Ticket, body.properties.as_ref()).await?;
    let input = NewTicketInput {
        subject: body.subject.clone(),
        body_html: format::markdown(&body.body),
        requester: ContactId(body.requester_id),
        inbox: body.inbox_id.map(InboxId),
        properties,
    };
    let t = st.inbox.create_ticket(&m, input).await?;
    Ok(one(StatusCode::CREATED, ticket_json(&t)))
}

async fn get_ticket(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let (t, _) = st.inbox.ticket(TicketId(*path)).await?;
    Ok(one(StatusCode::OK, ticket_json(&t)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TicketBody {
    #[serde(default, deserialize_with = "not_null")]
    subject: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    stage_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    owner_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "not_null")]
    properties: Option<Map<String, J>>,
}

async fn update_ticket(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: TicketBody = json_body(raw)?;
    let properties = props_input(&st, ObjectKind::Ticket, body.properties.as_ref()).await?;
    let changes = TicketChanges {
        subject: body.subject.clone(),
        properties,
        stage: body.stage_id.map(StageId),
        owner: body.owner_id.map(|o| o.map(AgentId)),
    };
    match st.inbox.update_ticket(&m, TicketId(*path), &changes).await {
        Ok(t) => Ok(one(StatusCode::OK, ticket_json(&t))),
        // The API names the fields as its body does.
        Err(Error::Invalid(mut list)) => {
            for f in &mut list {
                if f.field == "stage" || f.field == "owner" {
                    f.field.push_str("_id");
                }
            }
            Err(Error::Invalid(list).into())
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------ messages

async fn list_messages(
    st: St,
    path: web::Path<i64>,
    q: web::Query<PageQuery>,
    _: ApiMember,
) -> Answer {
    let limit = limit_of(q.limit)?;
    let rows = st.inbox.messages(TicketId(*path), q.after, limit).await?;
    Ok(page(
        rows.iter().map(message_json).collect(),
        next_id(rows.len(), limit, rows.last().map(|m| m.id.0)),
    ))
}

async fn get_message(st: St, path: web::Path<(i64, i64)>, _: ApiMember) -> Answer {
    let (ticket, message) = path.into_inner();
    let m = st
        .inbox
        .message(TicketId(ticket), MessageId(message))
        .await?;
    Ok(one(StatusCode::OK, message_json(&m)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    body: String,
}

async fn update_message(
    st: St,
    path: web::Path<(i64, i64)>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: NoteBody = json_body(raw)?;
    let (ticket, message) = path.into_inner();
    let msg = st
        .inbox
        .edit_note(
            &m,
            TicketId(ticket),
            MessageId(message),
            &format::markdown(&body.body),
        )
        .await?;
    Ok(one(StatusCode::OK, message_json(&msg)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageBody {
    body: String,
    #[serde(default, deserialize_with = "not_null")]
    internal: Option<bool>,
    #[serde(default, deserialize_with = "not_null")]
    new_conversation: Option<bool>,
}

async fn create_message(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: MessageBody = json_body(raw)?;
    let portal_url = st.portal_url(&*st.snapshot().await?);
    let input = AnswerInput {
        body_html: format::markdown(&body.body),
        attachments: Vec::new(),
        internal: body.internal.unwrap_or(false),
        new_conversation: body.new_conversation.unwrap_or(false),
    };
    let msg = st
        .inbox
        .answer(&m, TicketId(*path), input, &portal_url)
        .await?;
    Ok(one(StatusCode::CREATED, message_json(&msg)))
}

#[cfg(test)]
mod tests {
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
