//! The organisation's access log (C4) for a company's portal admins: `GET
//! /company/access-log` (filtered by person, action and dates, older pages by cursor) and
//! the same entries as CSV; the company's people and their rights (C5). An admin of more
//! than one company names it with `company=` (none: the first they administer). Who may read it and what it holds are the core's
//! (`usecases::organisation`); anyone else gets 404, as for a page that does not exist.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::{Company, CompanyId, ContactId, TicketId};
use portal_core::organisation::{AccessAction, AccessLogQuery, MAX_LOG_PAGE};
use portal_core::usecases::organisation::LogEntry;
use portal_core::usecases::portal::parse_date;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::context::SignedIn;
use crate::format;
use crate::render::{Page, error_response, params, render, ticket_text};

type St = web::Data<AppState>;

/// The most entries one CSV download holds.
const MAX_CSV_ENTRIES: usize = 100_000;

/// The log's filters read from the address; a date that cannot be read is named in
/// `bad` (the filter is then left out, and the page says so).
fn log_query(raw: &HashMap<String, String>) -> (AccessLogQuery, Vec<&'static str>) {
    let mut bad = Vec::new();
    let mut q = AccessLogQuery {
        limit: 50,
        ..AccessLogQuery::default()
    };
    let get = |k: &str| raw.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    q.contact = get("who").and_then(|v| v.parse().ok()).map(ContactId);
    q.action = get("action").and_then(AccessAction::parse);
    q.ticket = get("ticket").and_then(|v| v.parse().ok()).map(TicketId);
    q.before = get("before").and_then(|v| v.parse().ok());
    if let Some(v) = get("from") {
        match parse_date(v) {
            Some(t) => q.from = Some(t),
            None => bad.push("from"),
        }
    }
    if let Some(v) = get("to") {
        // The whole last day counts.
        match parse_date(v) {
            Some(t) => q.until = Some(t.plus_seconds(86_400)),
            None => bad.push("to"),
        }
    }
    (q, bad)
}

/// The company asked for (`company`, in the address or the form): `None` when none is named (the first the visitor
/// administers); `Err` when the value is no company id (answered 404 like any company the
/// visitor does not administer).
fn chosen(value: Option<&String>) -> Result<Option<CompanyId>, Error> {
    match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(|id| Some(CompanyId(id)))
            .map_err(|_| Error::NotFound),
    }
}

/// The links between the companies a portal admin administers (none for one company):
/// name, address, and whether it is the one shown.
fn switch(p: &Page, path: &str, companies: &[Company], shown: CompanyId) -> Vec<J> {
    if companies.len() < 2 {
        return Vec::new();
    }
    companies
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "url": format!("{}/{path}?company={}", p.base(), c.id.0),
                "current": c.id == shown,
            })
        })
        .collect()
}

/// What an entry says was done, in the visitor's language.
fn action_text(st: &AppState, p: &Page, e: &LogEntry) -> String {
    match e.event.action {
        AccessAction::Viewed => st.i18n.get(p.lang, "log.viewed").to_string(),
        AccessAction::Exported => ticket_text(
            st,
            p,
            "log.exported",
            &[("count", (e.event.count as i64).into())],
        ),
        AccessAction::Replied => st.i18n.get(p.lang, "log.replied").to_string(),
        AccessAction::Closed => st.i18n.get(p.lang, "log.closed").to_string(),
        AccessAction::HandedOver => st.i18n.get(p.lang, "log.handed_over").to_string(),
    }
}

/// The address of this page with `raw`'s filters and `more` changed.
fn link(p: &Page, raw: &HashMap<String, String>, path: &str, more: &[(&str, String)]) -> String {
    let mut pairs: Vec<(String, String)> = ["company", "who", "action", "ticket", "from", "to"]
        .iter()
        .filter_map(|k| raw.get(*k).map(|v| (k.to_string(), v.clone())))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    for (k, v) in more {
        pairs.push((k.to_string(), v.clone()));
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", format::component_encode(v)))
        .collect();
    if query.is_empty() {
        format!("{}/{path}", p.base())
    } else {
        format!("{}/{path}?{}", p.base(), query.join("&"))
    }
}

/// `GET /company/access-log`.
pub(crate) async fn log_page(
    req: HttpRequest,
    st: St,
    SignedIn(p, viewer): SignedIn,
) -> HttpResponse {
    let raw = params(&req);
    let (query, bad) = log_query(&raw);
    let company = match chosen(raw.get("company")) {
        Ok(c) => c,
        Err(e) => return error_response(&st, &p, &e),
    };
    let page = match st
        .portal
        .access_log(&p.snap.settings, &viewer, company, &query)
        .await
    {
        Ok(l) => l,
        Err(e) => return error_response(&st, &p, &e),
    };
    let zone = p.zone();
    let entries: Vec<J> = page
        .entries
        .iter()
        .map(|e| {
            let mut at = String::new();
            format::write_time(&mut at, e.event.at, p.lang, &zone, false);
            json!({
                "at_html": at,
                "who": e.who,
                "what": action_text(&st, &p, e),
                "ticket": e.event.ticket.map(|t| t.0),
                "subject": e.subject,
            })
        })
        .collect();
    let who: Vec<J> = page
        .colleagues
        .iter()
        .map(|(id, name)| json!({ "id": id.0, "name": name, "selected": query.contact == Some(*id) }))
        .collect();
    let actions: Vec<J> = AccessAction::ALL
        .iter()
        .map(|a| {
            json!({
                "value": a.as_str(),
                "label": st.i18n.get(p.lang, &format!("log.action_{}", a.as_str())),
                "selected": query.action == Some(*a),
            })
        })
        .collect();
    let problem = (!bad.is_empty()).then(|| st.i18n.get(p.lang, "log.bad_date").to_string());
    let status = if bad.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = st.i18n.fill(
        p.lang,
        "log.title",
        &[("company", page.company.name.as_str().into())],
    );
    render(
        &st,
        &p,
        status,
        "company_log",
        json!({
            "title": title,
            "company": company.map(|c| c.0),
            "companies": switch(&p, "company/access-log", &page.companies, page.company.id),
            "intro": ticket_text(&st, &p, "log.intro", &[]),
            "ticket_header": ticket_text(&st, &p, "log.ticket", &[]),
            "entries": entries,
            "who": who,
            "actions": actions,
            "from": raw.get("from").cloned().unwrap_or_default(),
            "to": raw.get("to").cloned().unwrap_or_default(),
            "problem": problem,
            "older": page.next.map(|n| link(&p, &raw, "company/access-log", &[("before", n.to_string())])),
            "newest": query.before.map(|_| link(&p, &raw, "company/access-log", &[])),
            "csv": link(&p, &raw, "company/access-log.csv", &[]),
        }),
    )
}

/// `GET /company/access-log.csv`: every entry the filters select (newest first, up to
/// [`MAX_CSV_ENTRIES`]), with the ticket's subject where the reader may see the ticket.
pub(crate) async fn log_csv(
    req: HttpRequest,
    st: St,
    SignedIn(p, viewer): SignedIn,
) -> HttpResponse {
    let raw = params(&req);
    let (mut query, bad) = log_query(&raw);
    let company = match chosen(raw.get("company")) {
        Ok(c) => c,
        Err(e) => return error_response(&st, &p, &e),
    };
    if !bad.is_empty() {
        let e = Error::invalid("from", "invalid_date", "dates are written YYYY-MM-DD");
        return error_response(&st, &p, &e);
    }
    query.limit = MAX_LOG_PAGE;
    let zone = p.zone();
    let header = [
        st.i18n.get(p.lang, "log.when").to_string(),
        st.i18n.get(p.lang, "log.who").to_string(),
        st.i18n.get(p.lang, "log.what").to_string(),
        ticket_text(&st, &p, "log.ticket", &[]),
        st.i18n.get(p.lang, "log.subject").to_string(),
    ];
    let mut out = format::csv_row_with(&header, ',');
    let mut written = 0;
    loop {
        let page = match st
            .portal
            .access_log(&p.snap.settings, &viewer, company, &query)
            .await
        {
            Ok(l) => l,
            Err(e) => return error_response(&st, &p, &e),
        };
        for e in &page.entries {
            let cells = [
                zone.local(e.event.at).iso8601(),
                e.who.clone(),
                action_text(&st, &p, e),
                e.event.ticket.map(|t| t.0.to_string()).unwrap_or_default(),
                e.subject.clone().unwrap_or_default(),
            ];
            out.push_str(&format::csv_row_with(&cells, ','));
            written += 1;
        }
        match page.next {
            Some(n) if written < MAX_CSV_ENTRIES => query.before = Some(n),
            _ => break,
        }
    }
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format::content_disposition("access-log.csv"),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(out)
}

/// `GET /company/people`: the company's portal admin sees what each colleague may do with
/// the company's tickets and limits it (C5).
pub(crate) async fn people_page(
    req: HttpRequest,
    st: St,
    SignedIn(p, viewer): SignedIn,
) -> HttpResponse {
    let raw = params(&req);
    let company = match chosen(raw.get("company")) {
        Ok(c) => c,
        Err(e) => return error_response(&st, &p, &e),
    };
    let people = match st
        .portal
        .company_people(&p.snap.settings, &viewer, company)
        .await
    {
        Ok(x) => x,
        Err(e) => return error_response(&st, &p, &e),
    };
    let notice = raw
        .get("done")
        .filter(|d| *d == "limited")
        .map(|_| st.i18n.get(p.lang, "people.saved").to_string());
    let rows: Vec<J> = people
        .colleagues
        .iter()
        .map(|c| {
            json!({
                "id": c.contact.id.0,
                "name": crate::render::display_name(&c.contact),
                "allowed": { "see": c.allowed.see, "reply": c.allowed.reply, "close": c.allowed.close },
                "rights": { "see": c.rights.see, "reply": c.rights.reply, "close": c.rights.close },
                "limited": c.limited.is_some(),
            })
        })
        .collect();
    let title = st.i18n.fill(
        p.lang,
        "people.title",
        &[("company", people.company.name.as_str().into())],
    );
    render(
        &st,
        &p,
        StatusCode::OK,
        "company_people",
        json!({
            "title": title,
            "company": people.company.id.0,
            "companies": switch(&p, "company/people", &people.companies, people.company.id),
            "intro": ticket_text(&st, &p, "people.intro", &[]),
            "people": rows,
            "notice": notice,
        }),
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct LimitForm {
    csrf: Option<String>,
    company: Option<String>,
    see: Option<String>,
    reply: Option<String>,
    close: Option<String>,
}

crate::csrf_forms!(LimitForm);

/// `POST /company/people/{contact}`: the rights the admin leaves the colleague (boxes
/// ticked); everything the support team allows ticked lifts the limit.
pub(crate) async fn limit(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    crate::context::Checked(form): crate::context::Checked<LimitForm>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let on = |v: &Option<String>| v.as_deref() == Some("1");
    let rights = portal_core::model::CompanyRights {
        see: on(&form.see),
        reply: on(&form.reply),
        close: on(&form.close),
    };
    let company = match chosen(form.company.as_ref()) {
        Ok(c) => c,
        Err(e) => return error_response(&st, &p, &e),
    };
    match st
        .portal
        .limit_colleague(
            &p.snap.settings,
            &viewer,
            company,
            ContactId(id),
            Some(rights),
        )
        .await
    {
        Ok(_) => crate::render::redirect(
            Some(&p),
            &format!(
                "{}/company/people?{}done=limited",
                p.base(),
                company
                    .map(|c| format!("company={}&", c.0))
                    .unwrap_or_default()
            ),
        ),
        Err(e) => error_response(&st, &p, &e),
    }
}
