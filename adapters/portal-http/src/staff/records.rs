//! Records (U2, U3): contacts and companies, their pages and forms, and the helpers the
//! other record pages share.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::ports::RecordQuery;
use portal_core::property::{ObjectKind, PropertyCatalog};
use portal_core::settings::FieldError;
use portal_core::usecases::records::{ContactInput, RECORD_PAGE};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::format;
use crate::staff::render;
use crate::staff::timeline_text;
use crate::staff::{Staff, StaffChecked, StaffPage, error_page, see_other};

type St = web::Data<AppState>;
/// A staff form of name-value pairs whose CSRF token matched.
type Fields = StaffChecked<Vec<(String, String)>>;

/// The first value of a field.
pub(crate) fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `prop.{name}` fields as custom property texts.
pub(crate) fn prop_fields(f: &[(String, String)]) -> BTreeMap<String, String> {
    f.iter()
        .filter_map(|(k, v)| k.strip_prefix("prop.").map(|n| (n.to_string(), v.clone())))
        .collect()
}

/// Field problems by field name, translated; `general` holds the rest.
pub(crate) fn field_errors(st: &AppState, lang: &str, names: &[&str], errs: &[FieldError]) -> J {
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

pub(crate) fn t(st: &AppState, p: &StaffPage, key: &str) -> String {
    st.i18n.get(p.lang, key).to_string()
}

/// Inputs for custom properties: one per definition, with its current text and options.
pub(crate) fn prop_inputs(defs: &PropertyCatalog, values: &BTreeMap<String, String>) -> Vec<J> {
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

pub(crate) fn kind_name(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Text => "text",
        ValueKind::Number => "number",
        ValueKind::Date => "date",
    }
}

pub(crate) fn done_text(st: &AppState, p: &StaffPage, req: &HttpRequest) -> Option<String> {
    crate::render::params(req)
        .get("done")
        .filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|d| t(st, p, &format!("admin.done.{d}")))
}

// ------------------------------------------------------------------------ contacts

pub(crate) const CONTACT_FIELDS: &[&str] = &[
    "email",
    "membership_email",
    "first_name",
    "last_name",
    "company",
    "language",
    "properties",
];

pub(crate) async fn company_label(st: &AppState, id: Option<CompanyId>) -> String {
    match id {
        Some(c) => match st.records.find_company(c).await {
            Ok(co) => co.name,
            _ => String::new(),
        },
        None => String::new(),
    }
}

/// The form as typed (the company left to [`contact_input`]), to show it again.
pub(crate) fn as_typed(f: &[(String, String)]) -> ContactInput {
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

pub(crate) async fn contact_input(
    st: &AppState,
    f: &[(String, String)],
) -> Result<ContactInput, Error> {
    Ok(ContactInput {
        company: st.records.company_named(field(f, "company")).await?,
        ..as_typed(f)
    })
}

pub(crate) fn form_of(
    i18n: &crate::i18n::I18n,
    input: &ContactInput,
    company: &str,
    defs: &PropertyCatalog,
) -> J {
    json!({
        "email": input.email,
        "membership_email": input.membership_email,
        "first_name": input.first_name,
        "last_name": input.last_name,
        "company": company,
        "languages": i18n.tags().map(|l| json!({ "tag": l, "selected": l == input.language })).collect::<Vec<_>>(),
        "props": prop_inputs(defs, &input.properties),
    })
}

pub(crate) fn next_after(len: usize, last: Option<i64>) -> Option<i64> {
    if len >= RECORD_PAGE { last } else { None }
}

pub(crate) async fn contacts_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let params = crate::render::params(req);
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
        format!("/admin/contacts?{}", crate::staff::encode_query(&qs))
    });
    let (form, errors) = form.unwrap_or_else(|| {
        (
            form_of(&st.i18n, &ContactInput::default(), "", &defs),
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

pub(crate) async fn contacts(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    contacts_page(&st, &p, &req, StatusCode::OK, None).await
}

pub(crate) async fn create_contact(
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
                form_of(&st.i18n, &input, field(&form, "company"), &defs),
                field_errors(&st, p.lang, CONTACT_FIELDS, &errs),
            );
            contacts_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, Some(data)).await
        }
        Err((e, _)) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn contact_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    id: ContactId,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    // Looked up once for the page, not once per row.
    let zone = p.zone();
    let record = match st.records.contact(id).await {
        Ok(r) => r,
        Err(e) => return error_page(st, p, &e),
    };
    let memberships =
        match crate::staff::memberships::memberships_json(st, &record.contact, &record.admin_of)
            .await
        {
            Ok(m) => m,
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
            form_of(&st.i18n, &ContactInput::of(c), &company, &defs),
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
                "at": format::datetime(e.at, p.lang, &zone),
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
                "activity": format::datetime(tk.last_activity_at, p.lang, &zone),
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
                "memberships": memberships,
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

pub(crate) async fn contact(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    contact_page(&st, &p, &req, ContactId(*path), StatusCode::OK, None).await
}

pub(crate) async fn update_contact(
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
                form_of(&st.i18n, &input, field(&form, "company"), &defs),
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

pub(crate) const COMPANY_FIELDS: &[&str] = &["name", "domain"];

pub(crate) async fn companies_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let params = crate::render::params(req);
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
        format!("/admin/companies?{}", crate::staff::encode_query(&qs))
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

pub(crate) async fn companies(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    companies_page(&st, &p, &req, StatusCode::OK, None).await
}

pub(crate) async fn create_company(
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

pub(crate) async fn company_page(
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

pub(crate) async fn company(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    company_page(&st, &p, &req, CompanyId(*path), StatusCode::OK, None).await
}

pub(crate) async fn update_company(
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
