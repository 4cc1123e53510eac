//! The staff's records (U2, U3) under `/admin`: contacts with their timeline, companies,
//! pipelines with their stages, inboxes, custom property definitions, agents' aliases,
//! editing a ticket's subject and properties, and each agent's API tokens. Every form is
//! CSRF-checked; problems are shown next to their field in the visitor's language.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::ports::RecordQuery;
use portal_core::property::{ObjectKind, PropertyCatalog, PropertyDef};
use portal_core::settings::{FieldError, LANGUAGES};
use portal_core::usecases::inbox::TicketChanges;
use portal_core::usecases::records::{ContactInput, PropertyInput, RECORD_PAGE, value_input};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::admin::{Staff, StaffChecked, StaffPage, error_page, render, see_other};
use crate::format;

type St = web::Data<AppState>;
/// A form as its fields in order (repeated names kept).
/// A staff form of name-value pairs whose CSRF token matched.
type Fields = StaffChecked<Vec<(String, String)>>;

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/contacts", web::get().to(contacts))
        .route("/contacts", web::post().to(create_contact))
        .route("/contacts/{id}", web::get().to(contact))
        .route("/contacts/{id}", web::post().to(update_contact))
        .route("/companies", web::get().to(companies))
        .route("/companies", web::post().to(create_company))
        .route("/companies/{id}", web::get().to(company))
        .route("/companies/{id}", web::post().to(update_company))
        .route("/pipelines", web::get().to(pipelines))
        .route("/pipelines", web::post().to(create_pipeline))
        .route("/pipelines/{id}/stages", web::post().to(add_stage))
        .route("/inboxes", web::post().to(create_inbox))
        .route("/properties", web::get().to(properties))
        .route("/properties", web::post().to(define_property))
        .route("/agents", web::get().to(agents))
        .route("/agents/{id}/alias", web::post().to(set_alias))
        .route("/agents/{id}/login", web::post().to(set_staff_login))
        .route("/contacts/{id}/login", web::post().to(set_portal_login))
        .route("/tickets/{id}/properties", web::post().to(edit_ticket))
        .route("/api-tokens", web::get().to(tokens))
        .route("/api-tokens", web::post().to(create_token))
        .route("/api-tokens/{id}/revoke", web::post().to(revoke_token));
}

/// The first value of a field.
fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `prop.{name}` fields as custom property texts.
fn prop_fields(f: &[(String, String)]) -> BTreeMap<String, String> {
    f.iter()
        .filter_map(|(k, v)| k.strip_prefix("prop.").map(|n| (n.to_string(), v.clone())))
        .collect()
}

/// Field problems by field name, translated; `general` holds the rest.
fn field_errors(st: &AppState, lang: &str, names: &[&str], errs: &[FieldError]) -> J {
    let mut out: BTreeMap<String, Vec<String>> = names
        .iter()
        .map(|n| (n.to_string(), Vec::new()))
        .chain([("general".to_string(), Vec::new())])
        .collect();
    for e in errs {
        let key = if out.contains_key(&e.field) {
            e.field.clone()
        } else if e.field.starts_with("properties.") || e.field.starts_with("stages") {
            e.field.split('.').next().unwrap_or("general").to_string()
        } else {
            "general".into()
        };
        let text = st.i18n.get(lang, &format!("field.{}", e.code)).to_string();
        let text = if key == "properties" || key == "general" {
            format!("{}: {text}", e.field)
        } else {
            text
        };
        out.entry(key).or_default().push(text);
    }
    json!(out)
}

fn t(st: &AppState, p: &StaffPage, key: &str) -> String {
    st.i18n.get(p.lang, key).to_string()
}

/// Inputs for custom properties: one per definition, with its current text and options.
fn prop_inputs(defs: &PropertyCatalog, values: &BTreeMap<String, String>) -> Vec<J> {
    defs.defs
        .iter()
        .filter(|d| !d.builtin)
        .map(|d| {
            let value = values.get(&d.name).cloned().unwrap_or_default();
            json!({
                "name": d.name,
                "label": d.label,
                "kind": kind_name(d.kind),
                "value": value,
                "options": d.options.iter().map(|o| json!({ "value": o, "selected": *o == value })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn kind_name(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Text => "text",
        ValueKind::Number => "number",
        ValueKind::Date => "date",
    }
}

fn done_text(st: &AppState, p: &StaffPage, req: &HttpRequest) -> Option<String> {
    crate::web::params(req)
        .get("done")
        .filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|d| t(st, p, &format!("admin.done.{d}")))
}

// ------------------------------------------------------------------------ contacts

const CONTACT_FIELDS: &[&str] = &[
    "email",
    "membership_email",
    "first_name",
    "last_name",
    "company",
    "language",
    "properties",
];

async fn company_label(st: &AppState, id: Option<CompanyId>) -> String {
    match id {
        Some(c) => match st.records.find_company(c).await {
            Ok(co) => co.name,
            _ => String::new(),
        },
        None => String::new(),
    }
}

/// The form as typed (the company left to [`contact_input`]), to show it again.
fn as_typed(f: &[(String, String)]) -> ContactInput {
    ContactInput {
        email: field(f, "email").into(),
        membership_email: field(f, "membership_email").into(),
        first_name: field(f, "first_name").into(),
        last_name: field(f, "last_name").into(),
        company: None,
        language: field(f, "language").into(),
        properties: prop_fields(f),
    }
}

async fn contact_input(st: &AppState, f: &[(String, String)]) -> Result<ContactInput, Error> {
    Ok(ContactInput {
        company: st.records.company_named(field(f, "company")).await?,
        ..as_typed(f)
    })
}

fn form_of(input: &ContactInput, company: &str, defs: &PropertyCatalog) -> J {
    json!({
        "email": input.email,
        "membership_email": input.membership_email,
        "first_name": input.first_name,
        "last_name": input.last_name,
        "company": company,
        "languages": LANGUAGES.iter().map(|l| json!({ "tag": l, "selected": *l == input.language })).collect::<Vec<_>>(),
        "props": prop_inputs(defs, &input.properties),
    })
}

fn next_after(len: usize, last: Option<i64>) -> Option<i64> {
    if len >= RECORD_PAGE { last } else { None }
}

async fn contacts_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let params = crate::web::params(req);
    let q = params.get("q").cloned().unwrap_or_default();
    let company = params
        .get("company")
        .and_then(|v| v.parse().ok())
        .map(CompanyId);
    let query = RecordQuery {
        search: Some(q.clone()),
        company,
        after: params.get("after").and_then(|v| v.parse().ok()),
        limit: RECORD_PAGE,
    };
    let rows = match st.records.contacts(&query).await {
        Ok(r) => r,
        Err(e) => return error_page(st, p, &e),
    };
    let defs = match st.records.catalog(ObjectKind::Contact).await {
        Ok(d) => d,
        Err(e) => return error_page(st, p, &e),
    };
    let mut names: BTreeMap<CompanyId, String> = BTreeMap::new();
    for c in rows.iter().filter_map(|c| c.primary_company) {
        if let std::collections::btree_map::Entry::Vacant(v) = names.entry(c) {
            v.insert(company_label(st, Some(c)).await);
        }
    }
    let next = next_after(rows.len(), rows.last().map(|c| c.id.0)).map(|after| {
        let mut qs = vec![("after".to_string(), after.to_string())];
        if !q.is_empty() {
            qs.push(("q".into(), q.clone()));
        }
        if let Some(c) = company {
            qs.push(("company".into(), c.0.to_string()));
        }
        format!("/admin/contacts?{}", crate::admin::encode_query(&qs))
    });
    let (form, errors) = form.unwrap_or_else(|| {
        (
            form_of(&ContactInput::default(), "", &defs),
            field_errors(st, p.lang, CONTACT_FIELDS, &[]),
        )
    });
    let rows: Vec<J> = rows
        .iter()
        .map(|c| {
            json!({
                "id": c.id.0,
                "email": c.email,
                "name": c.full_name(),
                "company": c.primary_company.and_then(|k| names.get(&k).cloned()),
            })
        })
        .collect();
    render(
        st,
        p,
        status,
        "admin_contacts",
        json!({
            "title": t(st, p, "admin.contacts.title"),
            "rows": rows,
            "q": q,
            "company_filter": company.map(|c| c.0),
            "next": next,
            "form": form,
            "errors": errors,
        }),
    )
}

async fn contacts(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    contacts_page(&st, &p, &req, StatusCode::OK, None).await
}

async fn create_contact(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let result = match contact_input(&st, &form).await {
        Ok(input) => st
            .records
            .create_contact(m.agent.id, &input)
            .await
            .map_err(|e| (e, Some(input))),
        Err(e) => Err((e, None)),
    };
    match result {
        Ok(c) => see_other(&format!("/admin/contacts/{}?done=contact_saved", c.id.0)),
        Err((Error::Invalid(errs), input)) => {
            let defs = st
                .records
                .catalog(ObjectKind::Contact)
                .await
                .unwrap_or_default();
            let input = input.unwrap_or_else(|| as_typed(&form));
            let data = (
                form_of(&input, field(&form, "company"), &defs),
                field_errors(&st, p.lang, CONTACT_FIELDS, &errs),
            );
            contacts_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, Some(data)).await
        }
        Err((e, _)) => error_page(&st, &p, &e),
    }
}

pub(crate) fn timeline_text(st: &AppState, p: &StaffPage, k: &TimelineKind) -> String {
    t(
        st,
        p,
        match k {
            TimelineKind::TicketSubmitted => "admin.contact.event.submitted",
            TimelineKind::PortalReply { .. } => "admin.contact.event.replied",
            TimelineKind::TicketClosed => "admin.contact.event.closed",
        },
    )
}

async fn contact_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    id: ContactId,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let record = match st.records.contact(id).await {
        Ok(r) => r,
        Err(e) => return error_page(st, p, &e),
    };
    let defs = match st.records.catalog(ObjectKind::Contact).await {
        Ok(d) => d,
        Err(e) => return error_page(st, p, &e),
    };
    let c = &record.contact;
    let company = record
        .company
        .as_ref()
        .map(|k| k.name.clone())
        .unwrap_or_default();
    let (form, errors) = form.unwrap_or_else(|| {
        (
            form_of(&ContactInput::of(c), &company, &defs),
            field_errors(st, p.lang, CONTACT_FIELDS, &[]),
        )
    });
    let subjects: BTreeMap<TicketId, String> = record
        .tickets
        .iter()
        .map(|t| (t.id, t.subject.clone()))
        .collect();
    let timeline: Vec<J> = record
        .timeline
        .iter()
        .map(|e| {
            json!({
                "at": format::datetime(e.at, p.lang),
                "what": timeline_text(st, p, &e.kind),
                "ticket": e.ticket.0,
                "subject": subjects.get(&e.ticket).cloned().unwrap_or_else(|| format!("#{}", e.ticket.0)),
            })
        })
        .collect();
    let tickets: Vec<J> = record
        .tickets
        .iter()
        .map(|tk| {
            json!({
                "id": tk.id.0,
                "subject": tk.subject,
                "own": tk.contacts.contains(&c.id),
                "closed": tk.status == TicketStatus::Closed,
                "activity": format::datetime(tk.last_activity_at, p.lang),
            })
        })
        .collect();
    render(
        st,
        p,
        status,
        "admin_contact",
        json!({
            "title": c.full_name(),
            "contact": {
                "id": c.id.0,
                "name": c.full_name(),
                "email": c.email,
                "company_id": c.primary_company.map(|k| k.0),
                "company": company,
                "has_login": record.has_login,
                "login_enabled": record.login_enabled,
                "login_disabled": record.login_enabled == Some(false),
                "lists": record.lists.iter().map(|l| json!({ "id": l.id.0, "name": l.name })).collect::<Vec<_>>(),
            },
            "timeline": timeline,
            "tickets": tickets,
            "form": form,
            "errors": errors,
            "done": done_text(st, p, req),
        }),
    )
}

async fn contact(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    contact_page(&st, &p, &req, ContactId(*path), StatusCode::OK, None).await
}

async fn update_contact(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let id = ContactId(*path);
    let result = match contact_input(&st, &form).await {
        Ok(input) => st.records.update_contact(m.agent.id, id, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            st.invalidate();
            see_other(&format!("/admin/contacts/{}?done=contact_saved", id.0))
        }
        Err(Error::Invalid(errs)) => {
            let defs = st
                .records
                .catalog(ObjectKind::Contact)
                .await
                .unwrap_or_default();
            let input = as_typed(&form);
            let data = (
                form_of(&input, field(&form, "company"), &defs),
                field_errors(&st, p.lang, CONTACT_FIELDS, &errs),
            );
            contact_page(
                &st,
                &p,
                &req,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(data),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ companies

const COMPANY_FIELDS: &[&str] = &["name", "domain"];

async fn companies_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let params = crate::web::params(req);
    let q = params.get("q").cloned().unwrap_or_default();
    let query = RecordQuery {
        search: Some(q.clone()),
        company: None,
        after: params.get("after").and_then(|v| v.parse().ok()),
        limit: RECORD_PAGE,
    };
    let rows = match st.records.companies(&query).await {
        Ok(r) => r,
        Err(e) => return error_page(st, p, &e),
    };
    let next = next_after(rows.len(), rows.last().map(|c| c.id.0)).map(|after| {
        let mut qs = vec![("after".to_string(), after.to_string())];
        if !q.is_empty() {
            qs.push(("q".into(), q.clone()));
        }
        format!("/admin/companies?{}", crate::admin::encode_query(&qs))
    });
    let (form, errors) = form.unwrap_or_else(|| {
        (
            json!({ "name": "", "domain": "" }),
            field_errors(st, p.lang, COMPANY_FIELDS, &[]),
        )
    });
    render(
        st,
        p,
        status,
        "admin_companies",
        json!({
            "title": t(st, p, "admin.companies.title"),
            "rows": rows.iter().map(|c| json!({ "id": c.id.0, "name": c.name, "domain": c.domain })).collect::<Vec<_>>(),
            "q": q,
            "next": next,
            "form": form,
            "errors": errors,
            "company": null,
        }),
    )
}

async fn companies(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    companies_page(&st, &p, &req, StatusCode::OK, None).await
}

async fn create_company(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let (name, domain) = (field(&form, "name"), field(&form, "domain"));
    match st.records.create_company(m.agent.id, name, domain).await {
        Ok(c) => see_other(&format!("/admin/companies/{}?done=company_saved", c.id.0)),
        Err(Error::Invalid(errs)) => {
            let data = (
                json!({ "name": name, "domain": domain }),
                field_errors(&st, p.lang, COMPANY_FIELDS, &errs),
            );
            companies_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, Some(data)).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

async fn company_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    id: CompanyId,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let (company, people) = match st.records.company(id).await {
        Ok(x) => x,
        Err(e) => return error_page(st, p, &e),
    };
    let (form, errors) = form.unwrap_or_else(|| {
        (
            json!({ "name": company.name, "domain": company.domain.clone().unwrap_or_default() }),
            field_errors(st, p.lang, COMPANY_FIELDS, &[]),
        )
    });
    render(
        st,
        p,
        status,
        "admin_companies",
        json!({
            "title": company.name,
            "company": {
                "id": company.id.0,
                "name": company.name,
                "contacts": people.iter().map(|c| json!({ "id": c.id.0, "name": c.full_name(), "email": c.email })).collect::<Vec<_>>(),
            },
            "rows": [],
            "q": "",
            "next": null,
            "form": form,
            "errors": errors,
            "done": done_text(st, p, req),
        }),
    )
}

async fn company(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    company_page(&st, &p, &req, CompanyId(*path), StatusCode::OK, None).await
}

async fn update_company(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let id = CompanyId(*path);
    let (name, domain) = (field(&form, "name"), field(&form, "domain"));
    match st
        .records
        .update_company(m.agent.id, id, name, domain)
        .await
    {
        Ok(_) => see_other(&format!("/admin/companies/{}?done=company_saved", id.0)),
        Err(Error::Invalid(errs)) => {
            let data = (
                json!({ "name": name, "domain": domain }),
                field_errors(&st, p.lang, COMPANY_FIELDS, &errs),
            );
            company_page(
                &st,
                &p,
                &req,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(data),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ pipelines, inboxes

async fn pipelines_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    errors: &[FieldError],
) -> HttpResponse {
    let (pipelines, inboxes) = match st.records.pipelines().await {
        Ok(x) => x,
        Err(e) => return error_page(st, p, &e),
    };
    let label_of = |id: PipelineId| {
        pipelines
            .iter()
            .find(|pl| pl.id == id)
            .map(|pl| pl.label.clone())
            .unwrap_or_default()
    };
    render(
        st,
        p,
        status,
        "admin_pipelines",
        json!({
            "title": t(st, p, "admin.pipelines.title"),
            "pipelines": pipelines.iter().map(|pl| json!({
                "id": pl.id.0,
                "label": pl.label,
                "stages": pl.stages.iter().map(|s| json!({ "id": s.id.0, "label": s.label, "closed": s.closed })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "inboxes": inboxes.iter().map(|i| json!({
                "id": i.id.0,
                "name": i.name,
                "pipeline": label_of(i.pipeline),
                "default": Some(i.id) == p.snap.settings.default_inbox,
            })).collect::<Vec<_>>(),
            "errors": field_errors(st, p.lang, &["label", "stages", "name", "pipeline"], errors),
            "done": done_text(st, p, req),
        }),
    )
}

async fn pipelines(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    pipelines_page(&st, &p, &req, StatusCode::OK, &[]).await
}

/// Answers a records form: back to `to` when it worked, the page with the problems when not.
async fn after_pipeline_change<T>(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    result: Result<T, Error>,
    done: &str,
) -> HttpResponse {
    match result {
        Ok(_) => {
            st.invalidate();
            see_other(&format!("/admin/pipelines?done={done}"))
        }
        Err(Error::Invalid(errs)) => {
            pipelines_page(st, p, req, StatusCode::UNPROCESSABLE_ENTITY, &errs).await
        }
        Err(e) => error_page(st, p, &e),
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

async fn create_pipeline(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let stages: Vec<(String, bool)> = lines(field(&form, "open"))
        .into_iter()
        .map(|l| (l, false))
        .chain(lines(field(&form, "closed")).into_iter().map(|l| (l, true)))
        .collect();
    let result = st
        .records
        .create_pipeline(m.agent.id, field(&form, "label"), &stages)
        .await;
    after_pipeline_change(&st, &p, &req, result, "pipeline_saved").await
}

async fn add_stage(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let closed = matches!(field(&form, "closed"), "1" | "on");
    let result = st
        .records
        .add_stage(m.agent.id, PipelineId(*path), field(&form, "label"), closed)
        .await;
    after_pipeline_change(&st, &p, &req, result, "pipeline_saved").await
}

async fn create_inbox(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let pipeline = PipelineId(field(&form, "pipeline").parse().unwrap_or(0));
    let result = st
        .records
        .create_inbox(m.agent.id, field(&form, "name"), pipeline)
        .await;
    after_pipeline_change(&st, &p, &req, result, "inbox_saved").await
}

// ------------------------------------------------------------------------ properties

fn def_row(d: &PropertyDef) -> J {
    json!({
        "name": d.name,
        "label": d.label,
        "kind": kind_name(d.kind),
        "options": d.options.join(", "),
        "builtin": d.builtin,
    })
}

async fn properties_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let (contacts, tickets) = match (
        st.records.catalog(ObjectKind::Contact).await,
        st.records.catalog(ObjectKind::Ticket).await,
    ) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => return error_page(st, p, &e),
    };
    let (form, errors) = form.unwrap_or_else(|| {
        (
            json!({ "object": "ticket", "name": "", "label": "", "kind": "text", "options": "" }),
            field_errors(st, p.lang, &["name", "label", "kind", "options"], &[]),
        )
    });
    render(
        st,
        p,
        status,
        "admin_properties",
        json!({
            "title": t(st, p, "admin.properties.title"),
            "contact_defs": contacts.defs.iter().map(def_row).collect::<Vec<_>>(),
            "ticket_defs": tickets.defs.iter().map(def_row).collect::<Vec<_>>(),
            "form": form,
            "errors": errors,
            "done": done_text(st, p, req),
        }),
    )
}

async fn properties(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    properties_page(&st, &p, &req, StatusCode::OK, None).await
}

async fn define_property(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let object = match field(&form, "object") {
        "contact" => ObjectKind::Contact,
        _ => ObjectKind::Ticket,
    };
    let input = PropertyInput {
        name: field(&form, "name").into(),
        label: field(&form, "label").into(),
        kind: field(&form, "kind").into(),
        options: lines(field(&form, "options")),
    };
    match st.records.define_property(m.agent.id, object, &input).await {
        Ok(_) => {
            st.invalidate();
            see_other("/admin/properties?done=property_saved")
        }
        Err(Error::Invalid(errs)) => {
            let data = (
                json!({
                    "object": field(&form, "object"),
                    "name": input.name,
                    "label": input.label,
                    "kind": input.kind,
                    "options": field(&form, "options"),
                }),
                field_errors(&st, p.lang, &["name", "label", "kind", "options"], &errs),
            );
            properties_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, Some(data)).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ agents

async fn agents_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    errors: &[FieldError],
) -> HttpResponse {
    let with_logins = match st.inbox.agents().await {
        Ok(a) => a,
        Err(e) => return error_page(st, p, &e),
    };
    let logins: BTreeMap<AgentId, bool> = with_logins
        .iter()
        .filter_map(|(a, enabled)| enabled.map(|e| (a.id, e)))
        .collect();
    let agents: Vec<Agent> = with_logins.into_iter().map(|(a, _)| a).collect();
    render(
        st,
        p,
        status,
        "admin_agents",
        json!({
            "title": t(st, p, "admin.agents.title"),
            "agents": agents.iter().map(|a| json!({
                "id": a.id.0,
                "name": format!("{} {}", a.first_name, a.last_name).trim().to_string(),
                "email": a.email,
                "alias": a.alias.clone().unwrap_or_default(),
                "active": logins.get(&a.id) == Some(&true),
                "disabled": logins.get(&a.id) == Some(&false),
            })).collect::<Vec<_>>(),
            "display": format!("{:?}", p.snap.settings.owner_display).to_lowercase(),
            "errors": field_errors(st, p.lang, &["alias"], errors),
            "done": done_text(st, p, req),
        }),
    )
}

async fn agents(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    agents_page(&st, &p, &req, StatusCode::OK, &[]).await
}

/// Disables or enables another staff member's login (admins; the core decides).
async fn set_staff_login(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let enabled = field(&form, "enabled") == "1";
    match st
        .staff
        .set_login_enabled(&m, AgentId(*path), enabled)
        .await
    {
        Ok(()) => see_other(if enabled {
            "/admin/agents?done=login_enabled"
        } else {
            "/admin/agents?done=login_disabled"
        }),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Disables or enables a contact's portal login (audited; disabling ends its sessions).
async fn set_portal_login(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let enabled = field(&form, "enabled") == "1";
    match st
        .records
        .set_portal_login(m.agent.id, ContactId(*path), enabled)
        .await
    {
        Ok(()) => see_other(&format!(
            "/admin/contacts/{}?done={}",
            *path,
            if enabled {
                "login_enabled"
            } else {
                "login_disabled"
            }
        )),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Aliases are what customers see as the ticket owner (P8): a portal setting, admins only.
async fn set_alias(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    match st
        .records
        .set_alias(&m, AgentId(*path), field(&form, "alias"))
        .await
    {
        Ok(_) => {
            st.invalidate();
            see_other("/admin/agents?done=alias_saved")
        }
        Err(Error::Invalid(errs)) => {
            agents_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, &errs).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ ticket properties

/// The ticket page's form for the subject and custom properties.
pub(crate) fn ticket_form(snap: &crate::web::Snapshot, ticket: &Ticket) -> J {
    let values: BTreeMap<String, String> = ticket
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), value_input(v)))
        .collect();
    json!({ "subject": ticket.subject, "props": prop_inputs(&snap.ticket_props, &values) })
}

async fn edit_ticket(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let id = TicketId(*path);
    let changes = TicketChanges {
        subject: Some(field(&form, "subject").to_string()),
        properties: prop_fields(&form),
        ..TicketChanges::default()
    };
    match st.inbox.update_ticket(&m, id, &changes).await {
        Ok(_) => see_other(&format!("/admin/tickets/{}?done=properties", id.0)),
        Err(Error::Invalid(errs)) => {
            let list: Vec<String> = errs
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e.field,
                        st.i18n.get(p.lang, &format!("field.{}", e.code))
                    )
                })
                .collect();
            crate::admin::ticket_page(
                &st,
                &p,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "prop_errors": list }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ API tokens

async fn tokens_page(
    st: &AppState,
    p: &StaffPage,
    agent: AgentId,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
    let list = match st.staff.api_tokens(agent).await {
        Ok(l) => l,
        Err(e) => return error_page(st, p, &e),
    };
    let mut data = json!({
        "title": t(st, p, "admin.tokens.title"),
        "tokens": list.iter().map(|k| json!({
            "id": k.id,
            "name": k.name,
            "created": format::datetime(k.created_at, p.lang),
        })).collect::<Vec<_>>(),
        "new_token": null,
        "errors": field_errors(st, p.lang, &["name"], &[]),
        "done": null,
    });
    if let (Some(o), J::Object(e)) = (data.as_object_mut(), extra) {
        o.extend(e);
    }
    render(st, p, status, "admin_tokens", data)
}

async fn tokens(req: HttpRequest, st: St, Staff(p, m): Staff) -> HttpResponse {
    let done = done_text(&st, &p, &req);
    tokens_page(&st, &p, m.agent.id, StatusCode::OK, json!({ "done": done })).await
}

async fn create_token(st: St, Staff(p, m): Staff, StaffChecked(form): Fields) -> HttpResponse {
    match st
        .staff
        .create_api_token(m.agent.id, field(&form, "name"))
        .await
    {
        // Shown once, on this answer only (no redirect that could be replayed from history).
        Ok((_, token)) => {
            tokens_page(
                &st,
                &p,
                m.agent.id,
                StatusCode::OK,
                json!({ "new_token": token }),
            )
            .await
        }
        Err(Error::Invalid(errs)) => {
            let errors = field_errors(&st, p.lang, &["name"], &errs);
            tokens_page(
                &st,
                &p,
                m.agent.id,
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "errors": errors }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

async fn revoke_token(st: St, Staff(p, m): Staff, path: web::Path<i64>, _: Fields) -> HttpResponse {
    match st.staff.revoke_api_token(m.agent.id, *path).await {
        Ok(()) => see_other("/admin/api-tokens?done=token_revoked"),
        Err(e) => error_page(&st, &p, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_keep_repeats_and_properties() {
        let f = vec![
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
            ("prop.tier".to_string(), "gold".to_string()),
        ];
        assert_eq!(field(&f, "a"), "1");
        assert_eq!(field(&f, "missing"), "");
        assert_eq!(
            prop_fields(&f),
            BTreeMap::from([("tier".to_string(), "gold".to_string())])
        );
        assert_eq!(lines(" x \n\n y"), vec!["x", "y"]);
    }
}
