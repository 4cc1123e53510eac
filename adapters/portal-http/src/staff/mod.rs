//! The staff side under `/admin`: its request context (language, staff member, CSRF token)
//! and the actix extractors that hand it to handlers ([`StaffVisitor`], [`Staff`],
//! [`Allowed`] for an action the core's permission table must allow, [`StaffChecked`] forms),
//! rendering, and the page for every refusal of the core (its status from
//! [`crate::errors::staff_status`]). Staff pages speak the visitor's language like the portal.

pub(crate) mod access;
pub(crate) mod catalog;
pub(crate) mod inbox;
pub(crate) mod mailboxes;
pub(crate) mod memberships;
pub(crate) mod people;
pub(crate) mod records;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod templates;

use std::sync::Arc;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::usecases::inbox::StaffMember;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::context::{CsrfToken, same_token};
use crate::errors::StaffError;
use crate::format;
use crate::render::Snapshot;
use crate::staff::records::prop_inputs;
use crate::staff::records::t;
use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::{FromRequest, HttpMessage};
use futures_util::future::LocalBoxFuture;
use portal_core::model::{Ticket, TimelineKind};
use portal_core::permissions::StaffAction;
use portal_core::usecases::records::value_input;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::rc::Rc;

type St = web::Data<AppState>;

/// A staff page's context: language, the staff member (when signed in), the CSRF token.
pub(crate) struct StaffPage {
    pub snap: Arc<Snapshot>,
    pub lang: &'static str,
    pub member: Option<StaffMember>,
    pub csrf: String,
    pub cookies: Vec<Cookie<'static>>,
}

impl StaffPage {
    /// The zone staff read times in: the portal's (issue 18).
    pub(crate) fn zone(&self) -> portal_core::zone::Zone {
        portal_core::zone::visitor_zone(None, &self.snap.settings.time_zone)
    }
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

pub(crate) async fn staff_page(
    req: &HttpRequest,
    st: &AppState,
) -> Result<StaffPage, HttpResponse> {
    let snap = st.snapshot().await.map_err(|e| plain_error(&e))?;
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let cookie_lang = req.cookie("portal_lang").map(|c| c.value().to_string());
    let lang = st.i18n.choose(None, cookie_lang.as_deref(), accept, None);
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
        None => {
            // The cookie holds a pre-session id; the token is signed from it (rule 8).
            let id = match req
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
            };
            st.accounts
                .anonymous_csrf(&id)
                .await
                .map_err(|e| plain_error(&e))?
        }
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

crate::csrf_forms!(CsrfForm);

/// A form of name-value pairs carries its token as `csrf`.
impl CsrfToken for Vec<(String, String)> {
    fn csrf_token(&self) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
    }
}

/// The request's staff page, built on first use.
pub(crate) async fn staff_visitor(req: &HttpRequest) -> Result<Rc<StaffPage>, actix_web::Error> {
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
pub(crate) async fn staff_member(
    req: &HttpRequest,
) -> Result<(Rc<StaffPage>, StaffMember), actix_web::Error> {
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
            StaffError::BadInput(status, detail) => {
                tracing::debug!(%detail, "staff request refused by an extractor");
                if *status == StatusCode::PAYLOAD_TOO_LARGE {
                    message(st, &p, *status, "error.invalid.title", "error.too_large")
                } else {
                    message(
                        st,
                        &p,
                        *status,
                        "error.bad_request.title",
                        "error.bad_request.body",
                    )
                }
            }
        },
        Err(early) => early.error_response(),
    };
    Ok(res.into_response(answer))
}

pub(crate) fn plain_error(e: &Error) -> HttpResponse {
    tracing::warn!(error = %e, "staff page failed");
    let r = HttpResponse::build(crate::errors::staff_status(e))
        .content_type("text/plain; charset=utf-8")
        .body("unavailable");
    crate::errors::with_retry_after(r, e)
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

pub(crate) fn message(
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

pub(crate) fn problems(
    st: &AppState,
    p: &StaffPage,
    status: StatusCode,
    list: Vec<String>,
) -> HttpResponse {
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
    crate::errors::with_retry_after(staff_refusal_body(st, p, e), e)
}

fn staff_refusal_body(st: &AppState, p: &StaffPage, e: &Error) -> HttpResponse {
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
                vec![crate::render::upload_problem(st, &page, u)],
            )
        }
        Error::ActionDenied(a) => {
            let page = portal_texts(p);
            problems(
                st,
                p,
                status,
                vec![crate::render::action_problem(st, &page, a)],
            )
        }
        Error::BadCredentials => problems(st, p, status, vec![t("login.failed")]),
        Error::Throttled(s) => problems(
            st,
            p,
            status,
            vec![
                st.i18n
                    .fill(p.lang, "login.throttled", &[("n", (*s).into())]),
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
pub(crate) fn portal_texts(p: &StaffPage) -> crate::render::Page {
    crate::render::Page {
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

pub(crate) fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

pub(crate) fn encode_query(pairs: &[(String, String)]) -> String {
    let enc = format::component_encode;
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(crate) fn stage_label(snap: &Snapshot, t: &Ticket) -> String {
    snap.pipelines
        .iter()
        .find(|p| p.id == t.pipeline)
        .and_then(|p| p.stage(t.stage))
        .map(|s| s.label.clone())
        .unwrap_or_default()
}

#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    csrf: Option<String>,
}

pub(crate) fn timeline_text(st: &AppState, p: &StaffPage, k: &TimelineKind) -> String {
    t(
        st,
        p,
        match k {
            TimelineKind::TicketSubmitted => "admin.contact.event.submitted",
            TimelineKind::PortalReply { .. } => "admin.contact.event.replied",
            TimelineKind::TicketClosed => "admin.contact.event.closed",
            TimelineKind::MailTicket => "admin.contact.event.mail_ticket",
            TimelineKind::MailReply { .. } => "admin.contact.event.mail_reply",
            TimelineKind::CcAdded { .. } => "admin.contact.event.cc_added",
            TimelineKind::CcRemoved { .. } => "admin.contact.event.cc_removed",
            TimelineKind::HandedOver { .. } => "admin.contact.event.handed_over",
            TimelineKind::PrivacyChanged { private: true } => "admin.contact.event.made_private",
            TimelineKind::PrivacyChanged { private: false } => "admin.contact.event.made_shared",
        },
    )
}

/// The ticket page's form for the subject and custom properties.
pub(crate) fn ticket_form(snap: &crate::render::Snapshot, ticket: &Ticket) -> J {
    let values: BTreeMap<String, String> = ticket
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), value_input(v)))
        .collect();
    json!({ "subject": ticket.subject, "props": prop_inputs(&snap.ticket_props, &values) })
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
