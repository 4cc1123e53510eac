//! Staff login, the inbox behind the portal (U1), and one ticket: answering with public
//! replies and internal notes, stage and owner, attachments.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::{self};
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::ports::{InboxQuery, OwnerFilter};
use portal_core::usecases::inbox::AnswerInput;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::format;
use crate::render::{Snapshot, display_name};
use crate::staff::CsrfForm;
use crate::staff::Staff;
use crate::staff::StaffChecked;
use crate::staff::StaffPage;
use crate::staff::StaffVisitor;
use crate::staff::check;
use crate::staff::encode_query;
use crate::staff::error_page;
use crate::staff::human_size;
use crate::staff::problems;
use crate::staff::render;
use crate::staff::see_other;
use crate::staff::stage_label;
use crate::upload::{discard, read_multipart, store_files};

type St = web::Data<AppState>;

// ------------------------------------------------------------------------ login

/// Staff land in the inbox; an admin whose portal is off lands in the set-up wizard.
pub(crate) async fn home(Staff(p, m): Staff) -> HttpResponse {
    see_other(start_path(m.start(&p.snap.settings)))
}

pub(crate) fn start_path(start: portal_core::usecases::inbox::StaffStart) -> &'static str {
    match start {
        portal_core::usecases::inbox::StaffStart::SetUp => "/admin/setup",
        portal_core::usecases::inbox::StaffStart::Inbox => "/admin/inbox",
    }
}

pub(crate) async fn login_form(st: St, StaffVisitor(p): StaffVisitor) -> HttpResponse {
    if p.member.is_some() {
        return see_other("/admin/inbox");
    }
    let title = st.i18n.get(p.lang, "admin.login.title");
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_login",
        json!({ "title": title, "error": null, "email": "" }),
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
}

pub(crate) async fn login(
    req: HttpRequest,
    st: St,
    StaffVisitor(p): StaffVisitor,
    StaffChecked(form): StaffChecked<LoginForm>,
) -> HttpResponse {
    let client = st.client_address(&req);
    let attempt = portal_core::usecases::throttle::LoginTry {
        realm: "staff",
        email: &form.email,
        client: &client,
    };
    let title = st.i18n.get(p.lang, "admin.login.title");
    let outcome = st
        .throttle
        .guard(&attempt, st.staff.login(&form.email, &form.password))
        .await;
    crate::observe::login("staff", &outcome);
    match outcome {
        Err(e @ Error::Throttled(wait)) => {
            let text = st
                .i18n
                .fill(p.lang, "login.throttled", &[("n", wait.into())]);
            render(
                &st,
                &p,
                crate::errors::staff_status(&e),
                "admin_login",
                json!({ "title": title, "error": text, "email": form.email }),
            )
        }
        Ok((member, new)) => {
            if let Some(old) = req.cookie(st.staff_cookie_name()) {
                let _ = st.accounts.logout(old.value()).await;
            }
            let mut r = see_other(start_path(member.start(&p.snap.settings)));
            let _ = r.add_cookie(&st.cookie(st.staff_cookie_name(), new.token, None));
            r
        }
        Err(e @ Error::BadCredentials) => {
            let text = st.i18n.get(p.lang, "login.failed");
            render(
                &st,
                &p,
                crate::errors::staff_status(&e),
                "admin_login",
                json!({ "title": title, "error": text, "email": form.email }),
            )
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn logout(req: HttpRequest, st: St, _: StaffChecked<CsrfForm>) -> HttpResponse {
    if let Some(c) = req.cookie(st.staff_cookie_name()) {
        let _ = st.accounts.logout(c.value()).await;
    }
    let mut r = see_other("/admin/login");
    let mut c = st.cookie(st.staff_cookie_name(), String::new(), None);
    c.make_removal();
    let _ = r.add_cookie(&c);
    r
}

// ------------------------------------------------------------------------ the inbox

pub(crate) fn agent_name(snap: &Snapshot, id: Option<AgentId>) -> Option<String> {
    let a = snap.agents.iter().find(|a| Some(a.id) == id)?;
    Some(
        format!("{} {}", a.first_name, a.last_name)
            .trim()
            .to_string(),
    )
}

pub(crate) fn parse_id(v: Option<&String>) -> Option<i64> {
    v.and_then(|s| s.parse().ok())
}

pub(crate) async fn inbox(req: HttpRequest, st: St, Staff(p, member): Staff) -> HttpResponse {
    // Looked up once for the page, not once per row.
    let zone = p.zone();
    let q = crate::render::params(&req);
    let owner = match q.get("owner").map(String::as_str) {
        Some("none") => Some(OwnerFilter::Unassigned),
        Some("me") => Some(OwnerFilter::Agent(member.agent.id)),
        Some(other) => other.parse().ok().map(|n| OwnerFilter::Agent(AgentId(n))),
        None => None,
    };
    let before = q.get("before").and_then(|b| {
        let (at, id) = b.split_once(':')?;
        Some((Timestamp(at.parse().ok()?), TicketId(id.parse().ok()?)))
    });
    let query = InboxQuery {
        inbox: parse_id(q.get("inbox")).map(InboxId),
        pipeline: parse_id(q.get("pipeline")).map(PipelineId),
        stage: parse_id(q.get("stage")).map(StageId),
        owner,
        status: match q.get("status").map(String::as_str) {
            Some("open") => Some(TicketStatus::Open),
            Some("closed") => Some(TicketStatus::Closed),
            _ => None,
        },
        search: q.get("q").cloned().unwrap_or_default(),
        before,
        limit: portal_core::usecases::inbox::INBOX_PAGE,
    };
    let tickets = match st.inbox.list(&query).await {
        Ok(t) => t,
        Err(e) => return error_page(&st, &p, &e),
    };
    let ids: Vec<TicketId> = tickets.iter().map(|t| t.id).collect();
    let channels = match st.inbox.channels(&ids).await {
        Ok(c) => c,
        Err(e) => return error_page(&st, &p, &e),
    };
    let mut names: BTreeMap<ContactId, String> = BTreeMap::new();
    for t in &tickets {
        if let Some(c) = t.requester
            && !names.contains_key(&c)
            && let Ok(contact) = st.records.find_contact(c).await
        {
            names.insert(c, display_name(&contact));
        }
    }
    let snap = &p.snap;
    let rows: Vec<J> = tickets
        .iter()
        .map(|t| {
            let mut activity_html = String::new();
            format::write_time(&mut activity_html, t.last_activity_at, p.lang, &zone, true);
            json!({
                "id": t.id.0,
                "subject": t.subject,
                "requester": t.requester.and_then(|c| names.get(&c).cloned()).unwrap_or_default(),
                "stage": stage_label(snap, t),
                "closed": t.status == TicketStatus::Closed,
                "place": crate::render::stage_place(&snap.pipelines, t),
                "owner": agent_name(snap, t.owner).unwrap_or_default(),
                "activity": format::datetime(t.last_activity_at, p.lang, &zone),
                "activity_html": activity_html,
                "channel": channel_label(&st, &p, channels.get(&t.id).copied().unwrap_or_default()),
            })
        })
        .collect();
    let more = (tickets.len() == query.limit).then(|| {
        let last = tickets
            .last()
            .map(|t| (t.last_activity_at.0, t.id.0))
            .unwrap_or_default();
        let mut keep: Vec<(String, String)> = q
            .iter()
            .filter(|(k, _)| k.as_str() != "before")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        keep.push(("before".into(), format!("{}:{}", last.0, last.1)));
        format!("/admin/inbox?{}", encode_query(&keep))
    });
    let sel = |k: &str| q.get(k).cloned().unwrap_or_default();
    let inboxes: Vec<J> = snap
        .inboxes
        .iter()
        .map(|i| json!({ "id": i.id.0, "name": i.name, "selected": sel("inbox") == i.id.0.to_string() }))
        .collect();
    let stages: Vec<J> = snap
        .pipelines
        .iter()
        .map(|pl| {
            json!({ "label": pl.label, "stages": pl.stages.iter().map(|s| json!({
                "id": s.id.0, "label": s.label, "selected": sel("stage") == s.id.0.to_string() })).collect::<Vec<_>>() })
        })
        .collect();
    let agents: Vec<J> = snap
        .agents
        .iter()
        .map(|a| json!({ "id": a.id.0, "name": format!("{} {}", a.first_name, a.last_name).trim(), "selected": sel("owner") == a.id.0.to_string() }))
        .collect();
    let title = st.i18n.get(p.lang, "admin.inbox.title");
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_inbox",
        json!({
            "title": title,
            "rows": rows,
            "more": more,
            "q": sel("q"),
            "inboxes": inboxes,
            "pipelines": stages,
            "agents": agents,
            "owner_none": sel("owner") == "none",
            "owner_me": sel("owner") == "me",
            "status_open": sel("status") == "open",
            "status_closed": sel("status") == "closed",
        }),
    )
}

// ------------------------------------------------------------------------ a ticket

pub(crate) async fn ticket_page(
    st: &AppState,
    p: &StaffPage,
    id: TicketId,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
    // Looked up once for the page, not once per row.
    let zone = p.zone();
    let (t, threads) = match st.inbox.ticket(id).await {
        Ok(x) => x,
        Err(e) => return error_page(st, p, &e),
    };
    let snap = &p.snap;
    let mut people: BTreeMap<ContactId, String> = BTreeMap::new();
    for c in t.contacts.iter().chain(t.requester.iter()) {
        if let Ok(contact) = st.records.find_contact(*c).await {
            people.insert(
                *c,
                format!("{} <{}>", display_name(&contact), contact.email),
            );
        }
    }
    let mut companies = Vec::new();
    for c in &t.companies {
        if let Ok(co) = st.records.find_company(*c).await {
            companies.push(co.name);
        }
    }
    let author = |a: &Author| match a {
        Author::Contact(c) => people
            .get(c)
            .cloned()
            .unwrap_or_else(|| format!("#{}", c.0)),
        Author::Agent(a) => agent_name(snap, Some(*a)).unwrap_or_else(|| format!("#{}", a.0)),
        Author::System => "system".into(),
    };
    let customer_thread = portal_core::visibility::customer_thread(&threads).map(|th| th.id);
    let by_mail = match st.inbox.mail_sources(id).await {
        Ok(m) => m,
        Err(e) => return error_page(st, p, &e),
    };
    let activity: Vec<J> = match st.inbox.activity(id).await {
        Ok(events) => events
            .iter()
            .map(|e| {
                json!({
                    "at": format::datetime(e.at, p.lang, &zone),
                    "who": people.get(&e.contact).cloned().unwrap_or_else(|| format!("#{}", e.contact.0)),
                    "what": crate::staff::timeline_text(st, p, &e.kind),
                })
            })
            .collect(),
        Err(e) => return error_page(st, p, &e),
    };
    let filed_by = portal_core::model::first_channel(&threads);
    let threads: Vec<J> = threads
        .iter()
        .map(|th| {
            json!({ "id": th.id.0, "customer": Some(th.id) == customer_thread, "messages": th.messages.iter().map(|m| json!({
                "author": author(&m.author),
                "staff": matches!(m.author, Author::Agent(_)),
                "internal": m.visibility == MessageVisibility::Internal,
                "channel": channel_label(st, p, m.channel),
                "mail": by_mail.get(&m.id),
                "at": format::datetime(m.created_at, p.lang, &zone),
                "body": m.body,
                "attachments": m.attachments.iter().map(|a| json!({
                    "id": a.id.0, "name": a.file_name, "size": human_size(a.size) })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>() })
        })
        .collect();
    let pipeline = snap.pipelines.iter().find(|pl| pl.id == t.pipeline);
    let stages: Vec<J> = pipeline
        .map(|pl| {
            pl.stages
                .iter()
                .map(|s| json!({ "id": s.id.0, "label": s.label, "closed": s.closed, "selected": s.id == t.stage }))
                .collect()
        })
        .unwrap_or_default();
    let agents: Vec<J> = snap
        .agents
        .iter()
        .map(|a| json!({ "id": a.id.0, "name": format!("{} {}", a.first_name, a.last_name).trim(), "selected": Some(a.id) == t.owner }))
        .collect();
    let inbox = snap
        .inboxes
        .iter()
        .find(|i| Some(i.id) == t.inbox)
        .map(|i| i.name.clone());
    let mut data = json!({
        "title": t.subject,
        "ticket": {
            "id": t.id.0,
            "subject": t.subject,
            "pipeline": pipeline.map(|pl| pl.label.clone()).unwrap_or_default(),
            "stage": stage_label(snap, &t),
            "closed": t.status == TicketStatus::Closed,
            "inbox": inbox,
            "owner": agent_name(snap, t.owner),
            "requester": t.requester.and_then(|c| people.get(&c).cloned()),
            "contacts": t.contacts.iter().filter_map(|c| people.get(c).cloned()).collect::<Vec<_>>(),
            "participants": portal_core::actions::participants(&t)
                .map(|c| json!({ "id": c.0, "name": people.get(&c).cloned().unwrap_or_else(|| format!("#{}", c.0)) }))
                .collect::<Vec<_>>(),
            "companies": companies,
            "created": format::datetime(t.created_at, p.lang, &zone),
            "activity": format::datetime(t.last_activity_at, p.lang, &zone),
            "channel": channel_label(st, p, filed_by),
            "properties": t.properties.iter().map(|(k, v)| json!({ "name": k, "value": v.to_string() })).collect::<Vec<_>>(),
        },
        "threads": threads,
        "activity": activity,
        "stages": stages,
        "agents": agents,
        "errors": [],
        "draft": "",
        "done": null,
        "form": crate::staff::ticket_form(snap, &t),
        "prop_errors": [],
    });
    if let (Some(o), J::Object(e)) = (data.as_object_mut(), extra) {
        o.extend(e);
    }
    render(st, p, status, "admin_ticket", data)
}

pub(crate) async fn ticket(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    let done = crate::render::params(&req)
        .get("done")
        .map(|d| st.i18n.get(p.lang, &format!("admin.done.{d}")).to_string());
    ticket_page(
        &st,
        &p,
        TicketId(*path),
        StatusCode::OK,
        json!({ "done": done }),
    )
    .await
}

pub(crate) async fn answer(
    st: St,
    Staff(p, member): Staff,
    path: web::Path<i64>,
    mp: Multipart,
) -> HttpResponse {
    let id = TicketId(*path);
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(crate::upload::UploadError::Refused(refused)) => {
            return error_page(&st, &p, &Error::UploadRefused(refused.reason));
        }
        Err(crate::upload::UploadError::Invalid(e)) => return error_page(&st, &p, &e),
        Err(crate::upload::UploadError::Malformed(e)) => {
            tracing::info!(error = %e, "malformed upload");
            return problems(
                &st,
                &p,
                StatusCode::BAD_REQUEST,
                vec![st.i18n.get(p.lang, "error.too_large").into()],
            );
        }
    };
    if let Err(e) = check(&p, up.fields.get("csrf").map(String::as_str)) {
        return HttpResponse::from_error(e);
    }
    let draft = up.fields.get("body").cloned().unwrap_or_default();
    let internal = up
        .fields
        .get("internal")
        .is_some_and(|v| v == "1" || v == "on");
    let new_conversation = up
        .fields
        .get("new_conversation")
        .is_some_and(|v| v == "1" || v == "on");
    let files = match store_files(&st, up.files).await {
        Ok(f) => f,
        Err(e) => return error_page(&st, &p, &e),
    };
    let portal_url = st.portal_url(&p.snap);
    let input = AnswerInput {
        body_html: format::markdown(&draft),
        attachments: files.clone(),
        internal,
        new_conversation,
        channel: portal_core::model::Channel::Inbox,
    };
    match st.inbox.answer(&member, id, input, &portal_url).await {
        Ok(_) => see_other(&format!(
            "/admin/tickets/{}?done={}",
            id.0,
            if internal { "noted" } else { "replied" }
        )),
        Err(e) => {
            discard(&st, &files).await;
            match &e {
                Error::Invalid(_) => {
                    let text = st.i18n.get(p.lang, "admin.answer.empty").to_string();
                    ticket_page(
                        &st,
                        &p,
                        id,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        json!({ "errors": [text], "draft": draft }),
                    )
                    .await
                }
                _ => error_page(&st, &p, &e),
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct StageForm {
    stage: i64,
    csrf: Option<String>,
}

pub(crate) async fn set_stage(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<StageForm>,
) -> HttpResponse {
    match st
        .inbox
        .set_stage(TicketId(*path), StageId(form.stage))
        .await
    {
        Ok(()) => see_other(&format!("/admin/tickets/{}?done=stage", *path)),
        Err(e) => error_page(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct OwnerForm {
    owner: String,
    csrf: Option<String>,
}

pub(crate) async fn set_owner(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<OwnerForm>,
) -> HttpResponse {
    let owner = form.owner.parse::<i64>().ok().map(AgentId);
    match st.inbox.set_owner(TicketId(*path), owner).await {
        Ok(()) => {
            st.invalidate();
            see_other(&format!("/admin/tickets/{}?done=owner", *path))
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn download(st: St, Staff(p, _): Staff, path: web::Path<i64>) -> HttpResponse {
    match st.inbox.download(AttachmentId(*path)).await {
        Ok(portal_core::usecases::files::Download {
            attachment: att,
            bytes,
        }) => HttpResponse::Ok()
            .content_type(att.content_type.as_str())
            .insert_header((
                header::CONTENT_DISPOSITION,
                format::content_disposition(&att.file_name),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(bytes),
        Err(e) => error_page(&st, &p, &e),
    }
}

crate::csrf_forms!(LoginForm, StageForm, OwnerForm);

/// How a ticket or message came in, in the visitor's language (issue 17).
fn channel_label(st: &AppState, p: &StaffPage, c: portal_core::model::Channel) -> String {
    st.i18n
        .get(p.lang, &format!("admin.channel.{}", c.as_str()))
        .to_string()
}
