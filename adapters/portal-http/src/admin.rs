//! The staff side under `/admin` (issue 6): staff login (separate from customer logins, the
//! same session and CSRF rules), the inbox behind the portal (U1), answering tickets with
//! public replies and internal notes, and explain-access (N3, A6). Staff pages speak the
//! visitor's language like the portal.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::ports::{InboxQuery, OwnerFilter};
use portal_core::usecases::inbox::{AnswerInput, StaffMember};
use portal_core::visibility::{Admission, CompanyGrant, Denial, Verdict};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::errors::StaffError;
use crate::format;
use crate::handlers::{discard, read_multipart, store_files};
use crate::i18n;
use crate::web::{CsrfToken, Snapshot, display_name, same_token};
use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::{FromRequest, HttpMessage};
use futures_util::future::LocalBoxFuture;
use portal_core::permissions::StaffAction;
use std::marker::PhantomData;
use std::rc::Rc;

type St = web::Data<AppState>;

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(home))
        .route("/", web::get().to(home))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/inbox", web::get().to(inbox))
        .route("/tickets/{id}", web::get().to(ticket))
        .route("/tickets/{id}/answer", web::post().to(answer))
        .route("/tickets/{id}/stage", web::post().to(set_stage))
        .route("/tickets/{id}/owner", web::post().to(set_owner))
        .route("/attachments/{id}", web::get().to(download))
        .route("/explain", web::get().to(explain))
        .route("/preview", web::post().to(start_preview))
        .route("/preview/end", web::get().to(end_preview))
        .route("/lists", web::get().to(lists))
        .route("/lists", web::post().to(create_list))
        .route("/lists/{id}", web::get().to(list_page))
        .route("/lists/{id}/members", web::post().to(add_member))
        .route(
            "/lists/{id}/members/{contact}/remove",
            web::post().to(remove_member),
        )
        .route(
            "/lists/{id}/members/{contact}/invite",
            web::post().to(resend_invite),
        )
        .route("/outbox", web::get().to(outbox))
        .route("/outbox/{id}/resend", web::post().to(resend));
    crate::admin_settings::register(cfg);
    crate::admin_settings::register_setup(cfg);
    crate::admin_templates::register(cfg);
    crate::admin_records::register(cfg);
}

/// A staff page's context: language, the staff member (when signed in), the CSRF token.
pub(crate) struct StaffPage {
    pub snap: Arc<Snapshot>,
    pub lang: &'static str,
    pub member: Option<StaffMember>,
    pub csrf: String,
    pub cookies: Vec<Cookie<'static>>,
}

impl AppState {
    pub(crate) fn staff_cookie_name(&self) -> &'static str {
        if self.config.secure {
            "__Host-portal_staff"
        } else {
            "portal_staff"
        }
    }

    fn staff_csrf_cookie_name(&self) -> &'static str {
        if self.config.secure {
            "__Host-portal_staff_csrf"
        } else {
            "portal_staff_csrf"
        }
    }
}

async fn staff_page(req: &HttpRequest, st: &AppState) -> Result<StaffPage, HttpResponse> {
    let snap = st.snapshot().await.map_err(|e| plain_error(&e))?;
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let cookie_lang = req.cookie("portal_lang").map(|c| c.value().to_string());
    let lang = i18n::choose(None, cookie_lang.as_deref(), accept, None);
    let mut cookies = Vec::new();
    let mut member = None;
    let mut csrf = None;
    if let Some(token) = req.cookie(st.staff_cookie_name()) {
        match st.staff.resume(token.value()).await {
            Ok(Some((session, m))) => {
                csrf = Some(session.csrf_secret);
                member = Some(m);
            }
            Ok(None) => {
                let mut c = st.cookie(st.staff_cookie_name(), String::new(), None);
                c.make_removal();
                cookies.push(c);
            }
            Err(e) => return Err(plain_error(&e)),
        }
    }
    let csrf = match csrf {
        Some(c) => c,
        None => match req
            .cookie(st.staff_csrf_cookie_name())
            .map(|c| c.value().to_string())
            .filter(|v| v.len() == 64)
        {
            Some(v) => v,
            None => {
                let v = st.accounts.new_token();
                let mut c = st.cookie(st.staff_csrf_cookie_name(), v.clone(), None);
                c.set_same_site(SameSite::Strict);
                cookies.push(c);
                v
            }
        },
    };
    Ok(StaffPage {
        snap,
        lang,
        member,
        csrf,
        cookies,
    })
}

/// A staff page for anyone (the login page), as an actix extractor: language, session and
/// CSRF token, built once per request and kept in its extensions.
pub(crate) struct StaffVisitor(pub Rc<StaffPage>);

/// A signed-in staff member, as an actix extractor; anyone else is sent to the staff login.
pub(crate) struct Staff(pub Rc<StaffPage>, pub StaffMember);

/// A signed-in staff member whose role the core allows `G`'s action
/// (`portal_core::permissions::may`), as an actix extractor; others get the forbidden page.
pub(crate) struct Allowed<G>(pub Rc<StaffPage>, pub StaffMember, pub PhantomData<G>);

/// The staff action an [`Allowed`] page needs.
pub(crate) trait Gate {
    const ACTION: StaffAction;
}

/// The settings pages and the set-up wizard.
pub(crate) struct Settings;
impl Gate for Settings {
    const ACTION: StaffAction = StaffAction::EditSettings;
}

/// The template editor.
pub(crate) struct Templates;
impl Gate for Templates {
    const ACTION: StaffAction = StaffAction::EditTemplates;
}

/// A staff form whose CSRF token matched (SECURITY rule 8), as an actix extractor.
pub(crate) struct StaffChecked<T>(pub T);

impl FromRequest for StaffVisitor {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<StaffVisitor, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { staff_visitor(&req).await.map(StaffVisitor) })
    }
}

impl FromRequest for Staff {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Staff, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (p, m) = staff_member(&req).await?;
            Ok(Staff(p, m))
        })
    }
}

impl<G: Gate + 'static> FromRequest for Allowed<G> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Allowed<G>, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (p, m) = staff_member(&req).await?;
            if !m.may(G::ACTION) {
                return Err(StaffError::Core(Error::PermissionDenied).into());
            }
            Ok(Allowed(p, m, PhantomData))
        })
    }
}

impl<T: serde::de::DeserializeOwned + CsrfToken + 'static> FromRequest for StaffChecked<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<StaffChecked<T>, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<T>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let form = form.await?.into_inner();
            let p = staff_visitor(&req).await?;
            check(&p, form.csrf_token())?;
            Ok(StaffChecked(form))
        })
    }
}

crate::csrf_forms!(
    LoginForm,
    CsrfForm,
    StageForm,
    OwnerForm,
    PreviewForm,
    NameForm,
    EmailForm,
    crate::admin_templates::TemplateForm,
);

/// A form of name-value pairs carries its token as `csrf`.
impl CsrfToken for Vec<(String, String)> {
    fn csrf_token(&self) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
    }
}

/// The request's staff page, built on first use.
async fn staff_visitor(req: &HttpRequest) -> Result<Rc<StaffPage>, actix_web::Error> {
    let built = req.extensions().get::<Rc<StaffPage>>().cloned();
    if let Some(p) = built {
        return Ok(p);
    }
    let Some(st) = req.app_data::<St>() else {
        return Err(actix_web::error::ErrorInternalServerError("no state"));
    };
    match staff_page(req, st).await {
        Ok(p) => {
            let p = Rc::new(p);
            req.extensions_mut().insert(p.clone());
            Ok(p)
        }
        Err(r) => Err(InternalError::from_response("staff page refused", r).into()),
    }
}

/// The signed-in staff member, or a redirect to the staff login.
async fn staff_member(req: &HttpRequest) -> Result<(Rc<StaffPage>, StaffMember), actix_web::Error> {
    let p = staff_visitor(req).await?;
    match p.member.clone() {
        Some(m) => Ok((p, m)),
        None => {
            let mut r = HttpResponse::SeeOther();
            r.insert_header((header::LOCATION, "/admin/login"));
            for c in &p.cookies {
                r.cookie(c.clone());
            }
            Err(InternalError::from_response("not signed in", r.finish()).into())
        }
    }
}

/// The staff scope's last step: a [`StaffError`] a handler or an extractor answered with
/// becomes the page in the staff member's language.
pub(crate) async fn render_staff_errors(
    res: actix_web::dev::ServiceResponse,
) -> Result<actix_web::dev::ServiceResponse, actix_web::Error> {
    let Some(err) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<StaffError>())
    else {
        return Ok(res);
    };
    let req = res.request().clone();
    let Some(st) = req.app_data::<St>() else {
        return Ok(res);
    };
    let answer = match staff_visitor(&req).await {
        Ok(p) => match err {
            StaffError::Core(e) => error_page(st, &p, e),
            StaffError::Csrf => {
                message(st, &p, err.status(), "error.csrf.title", "error.csrf.body")
            }
        },
        Err(early) => early.error_response(),
    };
    Ok(res.into_response(answer))
}

fn plain_error(e: &Error) -> HttpResponse {
    tracing::warn!(error = %e, "staff page failed");
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain; charset=utf-8")
        .body("unavailable")
}

/// Checks a staff form's CSRF token (SECURITY rule 8).
pub(crate) fn check(p: &StaffPage, token: Option<&str>) -> Result<(), StaffError> {
    if token.is_some_and(|t| same_token(t, &p.csrf)) {
        Ok(())
    } else {
        Err(StaffError::Csrf)
    }
}

pub(crate) fn render(
    st: &AppState,
    p: &StaffPage,
    status: StatusCode,
    template: &str,
    data: J,
) -> HttpResponse {
    let mut ctx = json!({
        "lang": p.lang,
        "title": null,
        "notice": null,
        "csrf": p.csrf,
        "portal": { "name": p.snap.settings.name, "base": format!("/{}", p.snap.settings.slug) },
        "staff": p.member.as_ref().map(|m| json!({
            "name": format!("{} {}", m.agent.first_name, m.agent.last_name).trim().to_string(),
            "admin": m.may(portal_core::permissions::StaffAction::EditSettings),
        })),
    });
    if let (Some(o), J::Object(d)) = (ctx.as_object_mut(), data) {
        o.extend(d);
    }
    match st.views.render(template, ctx) {
        Ok(html) => {
            let mut r = HttpResponse::build(status);
            r.content_type("text/html; charset=utf-8");
            r.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
            for c in &p.cookies {
                r.cookie(c.clone());
            }
            r.body(html)
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("internal error")
        }
    }
}

fn message(
    st: &AppState,
    p: &StaffPage,
    status: StatusCode,
    title: &str,
    body: &str,
) -> HttpResponse {
    let t = |k: &str| st.i18n.get(p.lang, k).to_string();
    render(
        st,
        p,
        status,
        "admin_message",
        json!({ "title": t(title), "heading": t(title), "body": t(body), "problems": [] }),
    )
}

fn problems(st: &AppState, p: &StaffPage, status: StatusCode, list: Vec<String>) -> HttpResponse {
    let title = st.i18n.get(p.lang, "error.invalid.title").to_string();
    render(
        st,
        p,
        status,
        "admin_message",
        json!({ "title": title, "heading": title, "body": "", "problems": list }),
    )
}

/// The staff page for a refusal of the core, its status from the staff table
/// ([`crate::errors::staff_status`]).
pub(crate) fn error_page(st: &AppState, p: &StaffPage, e: &Error) -> HttpResponse {
    let status = crate::errors::staff_status(e);
    let t = |k: &str| st.i18n.get(p.lang, k).to_string();
    match e {
        Error::NotFound => message(
            st,
            p,
            status,
            "error.not_found.title",
            "error.not_found.body",
        ),
        Error::PermissionDenied | Error::EntryDenied(_) | Error::SsoRefused(_) => message(
            st,
            p,
            status,
            "admin.forbidden.title",
            "admin.forbidden.body",
        ),
        Error::Invalid(errs) => {
            let list = errs
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}",
                        field_name(&f.field),
                        t(&format!("field.{}", f.code))
                    )
                })
                .collect();
            problems(st, p, status, list)
        }
        Error::UploadRefused(u) => {
            let page = portal_texts(p);
            problems(
                st,
                p,
                status,
                vec![crate::web::upload_problem(st, &page, u)],
            )
        }
        Error::ActionDenied(a) => {
            let page = portal_texts(p);
            problems(
                st,
                p,
                status,
                vec![crate::web::action_problem(st, &page, a)],
            )
        }
        Error::BadCredentials => problems(st, p, status, vec![t("login.failed")]),
        Error::Throttled(s) => problems(
            st,
            p,
            status,
            vec![
                st.i18n
                    .fill(p.lang, "login.throttled", &[("n", s.to_string())]),
            ],
        ),
        Error::Conflict(_) => message(st, p, status, "admin.conflict.title", "admin.conflict.body"),
        Error::PortalOff | Error::Unavailable(_) => {
            tracing::warn!(error = %e, "staff request could not be served now");
            message(
                st,
                p,
                status,
                "error.unavailable.title",
                "error.unavailable.body",
            )
        }
        Error::Internal(_) => {
            tracing::error!(error = %e, "staff request failed");
            message(st, p, status, "error.internal.title", "error.internal.body")
        }
    }
}

/// A portal page context in the staff member's language, for the portal's texts of a
/// refusal (upload limits, ticket actions).
fn portal_texts(p: &StaffPage) -> crate::web::Page {
    crate::web::Page {
        snap: p.snap.clone(),
        lang: p.lang,
        customer: None,
        session: None,
        csrf: p.csrf.clone(),
        expired: false,
        cookies: vec![],
        path: "/admin".into(),
        preview: None,
    }
}

/// A field as a person reads it rather than its path in the core's error: its last named
/// part, spaced and capitalised (`properties.contract_end` → "Contract end").
pub(crate) fn field_name(path: &str) -> String {
    let last = path
        .split('.')
        .rfind(|p| !p.is_empty() && !p.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(path);
    let spaced = last.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

pub(crate) fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

// ------------------------------------------------------------------------ login

/// Staff land in the inbox; an admin whose portal is off lands in the set-up wizard.
async fn home(Staff(p, m): Staff) -> HttpResponse {
    see_other(start_path(m.start(&p.snap.settings)))
}

fn start_path(start: portal_core::usecases::inbox::StaffStart) -> &'static str {
    match start {
        portal_core::usecases::inbox::StaffStart::SetUp => "/admin/setup",
        portal_core::usecases::inbox::StaffStart::Inbox => "/admin/inbox",
    }
}

async fn login_form(st: St, StaffVisitor(p): StaffVisitor) -> HttpResponse {
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
struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
}

async fn login(
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
    match st
        .throttle
        .guard(&attempt, st.staff.login(&form.email, &form.password))
        .await
    {
        Err(Error::Throttled(wait)) => {
            let text = st
                .i18n
                .fill(p.lang, "login.throttled", &[("n", wait.to_string())]);
            render(
                &st,
                &p,
                StatusCode::TOO_MANY_REQUESTS,
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
        Err(Error::BadCredentials) => {
            let text = st.i18n.get(p.lang, "login.failed");
            render(
                &st,
                &p,
                StatusCode::UNAUTHORIZED,
                "admin_login",
                json!({ "title": title, "error": text, "email": form.email }),
            )
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(req: HttpRequest, st: St, _: StaffChecked<CsrfForm>) -> HttpResponse {
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

fn agent_name(snap: &Snapshot, id: Option<AgentId>) -> Option<String> {
    let a = snap.agents.iter().find(|a| Some(a.id) == id)?;
    Some(
        format!("{} {}", a.first_name, a.last_name)
            .trim()
            .to_string(),
    )
}

fn stage_label(snap: &Snapshot, t: &Ticket) -> String {
    snap.pipelines
        .iter()
        .find(|p| p.id == t.pipeline)
        .and_then(|p| p.stage(t.stage))
        .map(|s| s.label.clone())
        .unwrap_or_default()
}

fn parse_id(v: Option<&String>) -> Option<i64> {
    v.and_then(|s| s.parse().ok())
}

async fn inbox(req: HttpRequest, st: St, Staff(p, member): Staff) -> HttpResponse {
    let q = crate::web::params(&req);
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
            json!({
                "id": t.id.0,
                "subject": t.subject,
                "requester": t.requester.and_then(|c| names.get(&c).cloned()).unwrap_or_default(),
                "stage": stage_label(snap, t),
                "closed": t.status == TicketStatus::Closed,
                "owner": agent_name(snap, t.owner).unwrap_or_default(),
                "activity": format::datetime(t.last_activity_at, p.lang),
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

pub(crate) fn encode_query(pairs: &[(String, String)]) -> String {
    let enc = format::component_encode;
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

// ------------------------------------------------------------------------ a ticket

pub(crate) async fn ticket_page(
    st: &AppState,
    p: &StaffPage,
    id: TicketId,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
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
    let activity: Vec<J> = match st.inbox.activity(id).await {
        Ok(events) => events
            .iter()
            .map(|e| {
                json!({
                    "at": format::datetime(e.at, p.lang),
                    "who": people.get(&e.contact).cloned().unwrap_or_else(|| format!("#{}", e.contact.0)),
                    "what": crate::admin_records::timeline_text(st, p, &e.kind),
                })
            })
            .collect(),
        Err(e) => return error_page(st, p, &e),
    };
    let threads: Vec<J> = threads
        .iter()
        .map(|th| {
            json!({ "id": th.id.0, "customer": Some(th.id) == customer_thread, "messages": th.messages.iter().map(|m| json!({
                "author": author(&m.author),
                "staff": matches!(m.author, Author::Agent(_)),
                "internal": m.visibility == MessageVisibility::Internal,
                "at": format::datetime(m.created_at, p.lang),
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
            "companies": companies,
            "created": format::datetime(t.created_at, p.lang),
            "activity": format::datetime(t.last_activity_at, p.lang),
            "properties": t.properties.iter().map(|(k, v)| json!({ "name": k, "value": v.to_string() })).collect::<Vec<_>>(),
        },
        "threads": threads,
        "activity": activity,
        "stages": stages,
        "agents": agents,
        "errors": [],
        "draft": "",
        "done": null,
        "form": crate::admin_records::ticket_form(snap, &t),
        "prop_errors": [],
    });
    if let (Some(o), J::Object(e)) = (data.as_object_mut(), extra) {
        o.extend(e);
    }
    render(st, p, status, "admin_ticket", data)
}

async fn ticket(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    let done = crate::web::params(&req)
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

async fn answer(
    st: St,
    Staff(p, member): Staff,
    path: web::Path<i64>,
    mp: Multipart,
) -> HttpResponse {
    let id = TicketId(*path);
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(Ok(refused)) => return error_page(&st, &p, &Error::UploadRefused(refused.reason)),
        Err(Err(e)) => {
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
struct StageForm {
    stage: i64,
    csrf: Option<String>,
}

async fn set_stage(
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
struct OwnerForm {
    owner: String,
    csrf: Option<String>,
}

async fn set_owner(
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

async fn download(st: St, Staff(p, _): Staff, path: web::Path<i64>) -> HttpResponse {
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

// ------------------------------------------------------------------------ explain access

fn verdict_text(st: &AppState, lang: &str, v: Verdict) -> (bool, String) {
    let t = |k: &str| st.i18n.get(lang, k).to_string();
    match v {
        Verdict::Admitted {
            by: Admission::OwnTicket,
        } => (true, t("admin.explain.own")),
        Verdict::Admitted {
            by: Admission::CompanyTicket,
        } => (true, t("admin.explain.company")),
        Verdict::Admitted {
            by: Admission::CompanyTicketByGroup(n),
        } => (
            true,
            st.i18n
                .fill(lang, "admin.explain.group", &[("n", (n + 1).to_string())]),
        ),
        Verdict::Denied {
            by: Denial::NotAssociated,
        } => (false, t("admin.explain.not_associated")),
        Verdict::Denied {
            by: Denial::CompanyAccessOff,
        } => (false, t("admin.explain.company_off")),
        Verdict::Denied {
            by: Denial::NoGroupMatched,
        } => (false, t("admin.explain.no_group")),
        Verdict::Denied {
            by: Denial::VisibilityFilter,
        } => (false, t("admin.explain.filtered")),
    }
}

#[derive(serde::Deserialize)]
struct PreviewForm {
    contact: i64,
    csrf: Option<String>,
}

/// Opens the real portal as a contact, read-only (A6, N3): audited by the core, then the
/// preview cookie names the contact for this staff session's browser.
async fn start_preview(
    st: St,
    Staff(p, member): Staff,
    StaffChecked(form): StaffChecked<PreviewForm>,
) -> HttpResponse {
    match st
        .staff
        .start_preview(&member, ContactId(form.contact))
        .await
    {
        Ok(c) => {
            let mut r = see_other(&format!("/{}/tickets", p.snap.settings.slug));
            let _ = r.add_cookie(&st.cookie(crate::web::PREVIEW_COOKIE, c.id.0.to_string(), None));
            r
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Ends a preview: the cookie goes (nothing else was changed by it).
async fn end_preview(req: HttpRequest, st: St) -> HttpResponse {
    let back = req
        .cookie(crate::web::PREVIEW_COOKIE)
        .and_then(|c| c.value().parse::<i64>().ok())
        .map_or_else(
            || "/admin/inbox".to_string(),
            |id| format!("/admin/contacts/{id}"),
        );
    let mut r = see_other(&back);
    let _ = r.add_removal_cookie(&st.cookie(crate::web::PREVIEW_COOKIE, String::new(), None));
    r
}

async fn explain(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    let q = crate::web::params(&req);
    let email = q.get("contact").cloned().unwrap_or_default();
    let title = st.i18n.get(p.lang, "admin.explain.title");
    if email.trim().is_empty() {
        return render(
            &st,
            &p,
            StatusCode::OK,
            "admin_explain",
            json!({ "title": title, "email": "", "result": null, "missing": false }),
        );
    }
    let contact = match st.records.contact_by_email(&email).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return render(
                &st,
                &p,
                StatusCode::NOT_FOUND,
                "admin_explain",
                json!({ "title": title, "email": email, "result": null, "missing": true }),
            );
        }
        Err(e) => return error_page(&st, &p, &e),
    };
    let ex = match st.admin.explain_access(contact.id, 500).await {
        Ok(x) => x,
        Err(e) => return error_page(&st, &p, &e),
    };
    let grant = match ex.grant {
        CompanyGrant::Granted(None) => st.i18n.get(p.lang, "admin.explain.grant_all").to_string(),
        CompanyGrant::Granted(Some(n)) => st.i18n.fill(
            p.lang,
            "admin.explain.grant_group",
            &[("n", (n + 1).to_string())],
        ),
        CompanyGrant::Off => st.i18n.get(p.lang, "admin.explain.grant_off").to_string(),
        CompanyGrant::NoGroupMatched => st.i18n.get(p.lang, "admin.explain.grant_none").to_string(),
        CompanyGrant::NoCompany => st
            .i18n
            .get(p.lang, "admin.explain.grant_no_company")
            .to_string(),
    };
    let rows: Vec<J> = ex
        .tickets
        .iter()
        .map(|e| {
            let (visible, why) = verdict_text(&st, p.lang, e.verdict);
            json!({ "id": e.ticket.id.0, "subject": e.ticket.subject, "visible": visible, "why": why,
                    "stage": stage_label(&p.snap, &e.ticket) })
        })
        .collect();
    let visible = rows
        .iter()
        .filter(|r| r["visible"] == J::Bool(true))
        .count();
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_explain",
        json!({
            "title": title,
            "email": email,
            "missing": false,
            "result": {
                "id": ex.contact.id.0,
                "name": display_name(&ex.contact),
                "grant": grant,
                "rows": rows,
                "visible": visible,
                "total": ex.tickets.len(),
            },
        }),
    )
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

// ------------------------------------------------------------------------ dead letters

async fn outbox(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    let dead = match st.inbox.dead_letters(200).await {
        Ok(d) => d,
        Err(e) => return error_page(&st, &p, &e),
    };
    let rows: Vec<J> = dead
        .iter()
        .map(|d| json!({ "id": d.id, "to": d.mail.to, "template": d.mail.template,
                         "language": d.mail.language, "attempts": d.attempts, "error": d.last_error }))
        .collect();
    let title = st.i18n.get(p.lang, "admin.outbox.title");
    let done = crate::web::params(&req)
        .contains_key("resent")
        .then(|| st.i18n.get(p.lang, "admin.outbox.resent").to_string());
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_outbox",
        json!({ "title": title, "rows": rows, "done": done }),
    )
}

async fn resend(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    match st.inbox.resend(*path).await {
        Ok(()) => see_other("/admin/outbox?resent=1"),
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ lists (U3, A1)

async fn lists(st: St, Staff(p, _): Staff) -> HttpResponse {
    lists_page(&st, &p, StatusCode::OK, None).await
}

async fn lists_page(
    st: &AppState,
    p: &StaffPage,
    status: StatusCode,
    error: Option<String>,
) -> HttpResponse {
    let all = match st.records.lists().await {
        Ok(l) => l,
        Err(e) => return error_page(st, p, &e),
    };
    let rows: Vec<J> = all
        .iter()
        .map(|l| json!({ "id": l.list.id.0, "name": l.list.name, "members": l.members, "group": l.access_group }))
        .collect();
    let title = st.i18n.get(p.lang, "admin.lists.title");
    render(
        st,
        p,
        status,
        "admin_lists",
        json!({ "title": title, "rows": rows, "error": error, "list": null }),
    )
}

#[derive(serde::Deserialize)]
struct NameForm {
    name: String,
    csrf: Option<String>,
}

async fn create_list(
    st: St,
    Staff(p, _): Staff,
    StaffChecked(form): StaffChecked<NameForm>,
) -> HttpResponse {
    match st.records.create_list(&form.name).await {
        Ok(l) => see_other(&format!("/admin/lists/{}", l.id.0)),
        Err(Error::Invalid(errs)) => {
            let text = errs
                .iter()
                .map(|f| {
                    st.i18n
                        .get(p.lang, &format!("field.{}", f.code))
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(" ");
            lists_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

async fn members_page(
    st: &AppState,
    p: &StaffPage,
    id: ListId,
    status: StatusCode,
    note: J,
) -> HttpResponse {
    let (summary, members) = match st.records.members(id).await {
        Ok(x) => x,
        Err(e) => return error_page(st, p, &e),
    };
    let rows: Vec<J> = members
        .iter()
        .map(|m| json!({ "id": m.contact.id.0, "email": m.contact.email, "name": display_name(&m.contact),
                         "has_login": m.has_login }))
        .collect();
    let mut data = json!({
        "title": summary.list.name,
        "rows": [],
        "error": null,
        "done": null,
        "list": { "id": summary.list.id.0, "name": summary.list.name, "group": summary.access_group, "members": rows },
    });
    if let (Some(o), J::Object(n)) = (data.as_object_mut(), note) {
        o.extend(n);
    }
    render(st, p, status, "admin_lists", data)
}

async fn list_page(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    let q = crate::web::params(&req);
    let done = q.get("done").map(|d| {
        st.i18n
            .get(p.lang, &format!("admin.lists.done_{d}"))
            .to_string()
    });
    members_page(
        &st,
        &p,
        ListId(*path),
        StatusCode::OK,
        json!({ "done": done }),
    )
    .await
}

#[derive(serde::Deserialize)]
struct EmailForm {
    email: String,
    csrf: Option<String>,
}

async fn add_member(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<EmailForm>,
) -> HttpResponse {
    let portal_url = st.portal_url(&p.snap);
    match st
        .records
        .add_member(ListId(*path), &form.email, &portal_url)
        .await
    {
        Ok(portal_core::usecases::records::Added::Invited) => {
            see_other(&format!("/admin/lists/{}?done=invited", *path))
        }
        Ok(portal_core::usecases::records::Added::Added) => {
            see_other(&format!("/admin/lists/{}?done=added", *path))
        }
        Err(Error::Invalid(_)) => {
            let text = st.i18n.get(p.lang, "admin.lists.no_contact").to_string();
            members_page(
                &st,
                &p,
                ListId(*path),
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": text }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

async fn remove_member(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<(i64, i64)>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let (list, contact) = path.into_inner();
    match st
        .records
        .remove_member(ListId(list), ContactId(contact))
        .await
    {
        Ok(()) => see_other(&format!("/admin/lists/{list}?done=removed")),
        Err(e) => error_page(&st, &p, &e),
    }
}

async fn resend_invite(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<(i64, i64)>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let (list, contact) = path.into_inner();
    let portal_url = st.portal_url(&p.snap);
    match st.accounts.invite(ContactId(contact), &portal_url).await {
        Ok(()) => see_other(&format!("/admin/lists/{list}?done=invited")),
        Err(Error::EntryDenied(_)) => {
            let text = st.i18n.get(p.lang, "admin.lists.not_group").to_string();
            members_page(
                &st,
                &p,
                ListId(list),
                StatusCode::CONFLICT,
                json!({ "error": text }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn field_names_are_read_as_words_not_paths() {
        assert_eq!(super::field_name("properties.contract_end"), "Contract end");
        assert_eq!(super::field_name("actions.close_stages.3"), "Close stages");
        assert_eq!(super::field_name("email"), "Email");
    }
}
