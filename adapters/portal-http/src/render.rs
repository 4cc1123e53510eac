//! Rendering a portal page: what a page knows ([`Page`]), the context every template gets,
//! the texts of refusals in the visitor's language, and the page for every refusal of the
//! core (its status from [`crate::errors::page_status`]).

use std::collections::HashMap;
use std::sync::Arc;

use crate::i18n::Arg;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use portal_core::Error;
use portal_core::actions::{ActionDenied, UploadRefused};
use portal_core::model::Contact;
use portal_core::ports::Session;
use portal_core::settings::{FieldError, TicketLabel};
use portal_core::usecases::accounts::Customer;
use serde_json::{Value, json};

use crate::AppState;
use crate::errors::{PageError, page_status};

/// Settings and catalog data, cached per process for a short time.
pub use portal_core::usecases::portal::PortalSnapshot as Snapshot;

/// The contacts of a company as `(id, display name)`, by id.
pub type People = Vec<(portal_core::model::ContactId, String)>;

/// The name of `id` among `people` (sorted by id, as the cache keeps them).
pub fn name_in(people: &People, id: portal_core::model::ContactId) -> Option<&str> {
    let i = people.binary_search_by_key(&id, |(c, _)| *c).ok()?;
    Some(people[i].1.as_str())
}

/// One request's view of the portal.
pub struct Page {
    /// Settings and catalog.
    pub snap: Arc<Snapshot>,
    /// The visitor's language.
    pub lang: &'static str,
    /// The logged-in customer.
    pub customer: Option<Customer>,
    /// Their session.
    pub session: Option<Session>,
    /// The token every form of this page carries.
    pub csrf: String,
    /// Whether a session cookie came that is no longer valid.
    pub expired: bool,
    /// Cookies to set on the response.
    pub cookies: Vec<Cookie<'static>>,
    /// The request path (for "back" links).
    pub path: String,
    /// A staff member looking at the portal as `customer` (A6): read-only.
    pub preview: Option<portal_core::usecases::inbox::Preview>,
}

impl Page {
    /// The portal's path prefix, `/{slug}`.
    pub fn base(&self) -> String {
        format!("/{}", self.snap.settings.slug)
    }

    /// The zone this visitor reads times in: their own, else the portal's (issue 18).
    pub fn zone(&self) -> portal_core::zone::Zone {
        portal_core::zone::visitor_zone(
            self.customer
                .as_ref()
                .and_then(|c| c.account.time_zone.as_deref()),
            &self.snap.settings.time_zone,
        )
    }

    /// The logged-in contact.
    pub fn contact(&self) -> Option<&Contact> {
        self.customer.as_ref().map(|c| &c.contact)
    }
}

/// The portal's ticket label in the visitor's language (P6): the admin's label when set,
/// the translated default otherwise.
pub fn tickets_label(st: &AppState, page: &Page) -> (String, String) {
    let l = &page.snap.settings.ticket_label;
    if *l == TicketLabel::default() {
        (
            st.i18n.get(page.lang, "label.ticket").into(),
            st.i18n.get(page.lang, "label.tickets").into(),
        )
    } else {
        (l.singular.clone(), l.plural.clone())
    }
}

/// A catalogue text that names tickets, in the portal's own words when the admin renamed
/// them (P6): `key` for the default label, `{key}_custom` with `{singular}` and `{plural}`
/// filled otherwise.
pub fn ticket_text(st: &AppState, page: &Page, key: &str, args: &[(&str, Arg)]) -> String {
    static DEFAULT: std::sync::LazyLock<TicketLabel> =
        std::sync::LazyLock::new(TicketLabel::default);
    let l = &page.snap.settings.ticket_label;
    if *l == *DEFAULT {
        return st.i18n.fill(page.lang, key, args);
    }
    let custom = format!("{key}_custom");
    if !st.i18n.has(page.lang, &custom) {
        st.i18n.fill(page.lang, key, args)
    } else {
        let mut all = args.to_vec();
        all.push(("singular", l.singular.as_str().into()));
        all.push(("plural", l.plural.as_str().into()));
        st.i18n.fill(page.lang, &custom, &all)
    }
}

/// The context every template gets.
pub fn base_context(st: &AppState, page: &Page) -> Value {
    let s = &page.snap.settings;
    let form = &s.support_form;
    let default_menu = portal_core::settings::SupportForm::default().menu_text;
    // A preview writes nothing (A6): no link to the support form.
    let form_menu = (s.support_form_open()
        && page
            .preview
            .as_ref()
            .is_none_or(|pv| pv.permits(portal_core::usecases::inbox::PortalAccess::Write)))
    .then(|| {
        if s.has_text("support_form.menu_text", page.lang) {
            s.text("support_form.menu_text", page.lang, &form.menu_text)
                .to_string()
        } else if form.menu_text == default_menu {
            ticket_text(st, page, "nav.new_ticket", &[])
        } else {
            form.menu_text.clone()
        }
    });
    // The language menu's options, built and escaped here (every page shows them).
    let mut languages = String::with_capacity(320);
    for l in st.i18n.tags() {
        crate::format::option_into(
            &mut languages,
            l,
            st.i18n.get(l, "lang.name"),
            l == page.lang,
        );
    }
    json!({
        "lang": page.lang,
        "title": null,
        "notice": null,
        "csrf": page.csrf,
        "back": page.path,
        "languages_html": languages,
        "user": page.customer.as_ref().map(|c| json!({ "name": display_name(&c.contact) })),
        "preview": page.preview.as_ref().map(|pv| json!({
            "text": st.i18n.fill(page.lang, "preview.banner", &[("name", format!("{} <{}>", display_name(&pv.customer.contact), pv.customer.contact.email).into())]),
            "end": "/admin/preview/end",
            "end_text": st.i18n.get(page.lang, "preview.end"),
        })),
        "portal": {
            "name": s.name,
            "base": page.base(),
            "tickets_label": tickets_label(st, page).1,
            "form_menu": form_menu,
            "knowledge_base": (s.knowledge_base_link && !s.knowledge_base_url.is_empty())
                .then_some(s.knowledge_base_url.as_str()),
            "nav": s.branding.nav.iter().map(|l| json!({ "label": l.label, "url": l.url })).collect::<Vec<_>>(),
            "logo": s.branding.logo.as_ref().map(|_| format!("{}/branding/logo", page.base())),
            "favicon": s.branding.favicon.as_ref().map(|_| format!("{}/branding/favicon", page.base())),
        },
    })
}

/// A contact's name as shown: full name, or the email when no name is known.
pub fn display_name(c: &Contact) -> String {
    let n = c.full_name();
    if n.is_empty() { c.email.clone() } else { n }
}

pub(crate) fn merge(base: &mut Value, extra: Value) {
    if let (Value::Object(b), Value::Object(e)) = (base, extra) {
        for (k, v) in e {
            b.insert(k, v);
        }
    }
}

/// Renders a page with the base context plus `data`.
pub fn render(
    st: &AppState,
    page: &Page,
    status: StatusCode,
    template: &str,
    data: Value,
) -> HttpResponse {
    let mut ctx = base_context(st, page);
    merge(&mut ctx, data);
    let key = page_key(st, page, template, &ctx);
    let rendered = match key.and_then(|k| page.snap.settings.templates.get(k)) {
        // The admin's own template for this page (P10, P11); the built-in when it fails.
        Some(source) => st.views.render_source(source, ctx.clone()).or_else(|e| {
            tracing::warn!(page = key.unwrap_or(""), error = %e, "admin template failed; built-in used");
            st.views.render(template, ctx)
        }),
        None => st.views.render(template, ctx),
    };
    match rendered {
        Ok(html) => {
            let mut r = HttpResponse::build(status);
            r.content_type("text/html; charset=utf-8");
            if page.customer.is_some() {
                r.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
            }
            for c in &page.cookies {
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

/// The settings key of the page a render shows, when the admin may override it.
pub(crate) fn page_key(
    st: &AppState,
    page: &Page,
    template: &str,
    ctx: &Value,
) -> Option<&'static str> {
    Some(match template {
        "list" => "ticket_list",
        "detail" => "ticket_detail",
        "register" => "register",
        "reset_request" => "reset_request",
        "reset_set" => "reset_set",
        "login" if ctx["notice"].as_str() == Some(st.i18n.get(page.lang, "login.logged_out")) => {
            "logout"
        }
        "login" => "login",
        "message" if ctx["heading"].as_str() == Some(st.i18n.get(page.lang, "denied.title")) => {
            "access_denied"
        }
        _ => return None,
    })
}

/// A message page (errors, unavailable, access denied).
pub fn message(
    st: &AppState,
    page: &Page,
    status: StatusCode,
    title: &str,
    body: &str,
) -> HttpResponse {
    let t = |k: &str| st.i18n.get(page.lang, k).to_string();
    render(
        st,
        page,
        status,
        "message",
        json!({ "title": t(title), "heading": t(title), "body": t(body), "problems": [], "link": null }),
    )
}

pub(crate) fn plain_message(
    st: &AppState,
    snap: &Arc<Snapshot>,
    lang: &'static str,
    status: StatusCode,
    title: &str,
    body: &str,
) -> HttpResponse {
    let page = Page {
        snap: snap.clone(),
        lang,
        customer: None,
        session: None,
        csrf: String::new(),
        expired: false,
        cookies: Vec::new(),
        path: "/".into(),
        preview: None,
    };
    message(st, &page, status, title, body)
}

/// An error page when even the settings could not be read.
pub fn bare_error(st: &AppState, e: &Error, lang: &str) -> HttpResponse {
    tracing::error!(error = %e, "request failed before the page could be built");
    let status = page_status(e);
    let key = match e {
        Error::Unavailable(_) => "error.unavailable.body",
        _ => "error.internal.body",
    };
    let r = HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(st.i18n.get(lang, key).to_string());
    crate::errors::with_retry_after(r, e)
}

/// A ticket's stage's place in its pipeline, 0 to 5 repeating: the colour of its status
/// badge (P9), the same on customer and staff pages.
pub fn stage_place(
    pipelines: &[portal_core::model::Pipeline],
    t: &portal_core::model::Ticket,
) -> usize {
    pipelines
        .iter()
        .find(|p| p.id == t.pipeline)
        .and_then(|p| p.stages.iter().position(|s| s.id == t.stage))
        .unwrap_or(0)
        % 6
}

/// A form's problems as its template shows them (issue 18): `problems`, the summary (each
/// text with the id of the field it links to), and `field_errors`, each of `fields` with
/// its problem or null (the text next to the field, which `aria-describedby` names).
/// `problems` are (field, text); a field not in `fields` is in the summary only.
pub fn form_problems(fields: &[&str], problems: &[(String, String)]) -> Value {
    let errors: Vec<Value> = problems
        .iter()
        .map(|(f, text)| json!({ "text": text, "anchor": fields.contains(&f.as_str()).then_some(f) }))
        .collect();
    let mut by_field = serde_json::Map::new();
    for f in fields {
        let text = problems
            .iter()
            .find(|(x, _)| x == f)
            .map(|(_, t)| t.clone());
        by_field.insert((*f).to_string(), json!(text));
    }
    json!({ "problems": errors, "field_errors": by_field })
}

/// The text of one field problem in the visitor's language.
pub fn field_problem(st: &AppState, page: &Page, e: &FieldError, label: &str) -> String {
    let key = format!("field.{}", e.code);
    let text = st.i18n.get(page.lang, &key);
    let text = if text == key {
        st.i18n.get(page.lang, "field.invalid")
    } else {
        text
    };
    format!("{label}: {text}")
}

/// The visitor-language text of an upload refusal.
pub fn upload_problem(st: &AppState, page: &Page, u: &UploadRefused) -> String {
    let mb = |b: u64| Arg::from(b / (1024 * 1024));
    match u {
        UploadRefused::TooManyFiles { max } => {
            st.i18n
                .fill(page.lang, "error.upload.too_many", &[("n", (*max).into())])
        }
        UploadRefused::FileTooLarge { max } => {
            st.i18n
                .fill(page.lang, "error.upload.file_too_large", &[("n", mb(*max))])
        }
        UploadRefused::TotalTooLarge { max } => st.i18n.fill(
            page.lang,
            "error.upload.total_too_large",
            &[("n", mb(*max))],
        ),
        UploadRefused::EmptyFile => st.i18n.get(page.lang, "error.upload.empty").to_string(),
    }
}

/// The visitor-language text of a refused ticket action.
pub fn action_problem(st: &AppState, page: &Page, a: &ActionDenied) -> String {
    let key = match a {
        ActionDenied::ClosedTicketReply => "error.reply_closed",
        ActionDenied::CloseDisabled => "error.close_disabled",
        ActionDenied::AlreadyClosed => "error.already_closed",
        ActionDenied::NoClosedStage => "error.no_closed_stage",
        ActionDenied::CcDisabled => "error.cc_disabled",
        ActionDenied::CcNotRequester => "error.cc_not_requester",
        ActionDenied::CcAddressRefused => "error.cc_address_refused",
        ActionDenied::CcAlreadyOnTicket => "error.cc_already",
        ActionDenied::CcNotParticipant => "error.cc_not_participant",
        ActionDenied::HandOverRefused => "error.hand_over_refused",
        ActionDenied::PrivacyChoiceOff => "error.privacy_choice_off",
        ActionDenied::PrivacyNotRequester => "error.privacy_not_requester",
        ActionDenied::OnBehalfRefused => "error.on_behalf_refused",
        ActionDenied::CompanyReplyRight => "error.company_reply_right",
        ActionDenied::CompanyCloseRight => "error.company_close_right",
    };
    ticket_text(st, page, key, &[])
}

/// The page for a refusal of the core, its status from the portal's one table
/// ([`crate::errors::page_status`]; V7: a hidden ticket is 404 like a missing one).
pub fn error_response(st: &AppState, page: &Page, e: &Error) -> HttpResponse {
    crate::errors::with_retry_after(refusal_body(st, page, e), e)
}

fn refusal_body(st: &AppState, page: &Page, e: &Error) -> HttpResponse {
    let status = page_status(e);
    match e {
        Error::NotFound => message(
            st,
            page,
            status,
            "error.not_found.title",
            "error.not_found.body",
        ),
        Error::PortalOff => message(st, page, status, "unavailable.title", "unavailable.body"),
        Error::SsoRefused(reason) => {
            // The precise reason is for the operator's log, never for the visitor.
            tracing::warn!(%reason, "single sign-on refused");
            message(st, page, status, "sso.failed.title", "sso.failed.body")
        }
        Error::EntryDenied(denied) => {
            tracing::info!(%denied, "entry denied");
            message(st, page, status, "denied.title", "denied.body")
        }
        Error::PermissionDenied => message(st, page, status, "denied.title", "denied.body"),
        Error::ActionDenied(a) => {
            problems_page(st, page, status, vec![action_problem(st, page, a)])
        }
        Error::UploadRefused(u) => {
            problems_page(st, page, status, vec![upload_problem(st, page, u)])
        }
        Error::Invalid(errors) => {
            let texts = errors
                .iter()
                .map(|f| field_problem(st, page, f, &f.field))
                .collect();
            problems_page(st, page, status, texts)
        }
        Error::Throttled(s) => problems_page(
            st,
            page,
            status,
            vec![
                st.i18n
                    .fill(page.lang, "login.throttled", &[("n", (*s).into())]),
            ],
        ),
        Error::BadCredentials => problems_page(
            st,
            page,
            status,
            vec![st.i18n.get(page.lang, "login.failed").into()],
        ),
        Error::Conflict(_) => {
            tracing::info!(error = %e, "a concurrent change won");
            message(
                st,
                page,
                status,
                "error.conflict.title",
                "error.conflict.body",
            )
        }
        Error::Unavailable(_) => {
            tracing::warn!(error = %e, "request could not be served now");
            message(
                st,
                page,
                status,
                "error.unavailable.title",
                "error.unavailable.body",
            )
        }
        Error::Internal(_) => {
            tracing::error!(error = %e, "request failed");
            message(
                st,
                page,
                status,
                "error.internal.title",
                "error.internal.body",
            )
        }
    }
}

/// The page for any refusal a portal handler or extractor returned.
pub fn refusal_page(st: &AppState, page: &Page, e: &PageError) -> HttpResponse {
    let status = e.status();
    match e {
        PageError::Core(e) => error_response(st, page, e),
        PageError::Csrf => message(st, page, status, "error.csrf.title", "error.csrf.body"),
        PageError::PreviewReadOnly => message(
            st,
            page,
            status,
            "preview.read_only.title",
            "preview.read_only.body",
        ),
        PageError::BadInput(s, detail) => {
            tracing::debug!(%detail, "request refused by an extractor");
            if *s == StatusCode::NOT_FOUND {
                error_response(st, page, &Error::NotFound)
            } else if *s == StatusCode::PAYLOAD_TOO_LARGE {
                message(st, page, status, "error.invalid.title", "error.too_large")
            } else {
                message(
                    st,
                    page,
                    status,
                    "error.bad_request.title",
                    "error.bad_request.body",
                )
            }
        }
    }
}

/// A page listing problems under "Please check your input".
pub fn problems_page(
    st: &AppState,
    page: &Page,
    status: StatusCode,
    problems: Vec<String>,
) -> HttpResponse {
    let title = st.i18n.get(page.lang, "error.invalid.title");
    let back = page.path.clone();
    render(
        st,
        page,
        status,
        "message",
        json!({ "title": title, "heading": title, "body": "", "problems": problems,
                "link": { "url": back, "label": st.i18n.get(page.lang, "detail.back") } }),
    )
}

/// A redirect (303 See Other) carrying the page's cookies.
pub fn redirect(page: Option<&Page>, to: &str) -> HttpResponse {
    let mut r = HttpResponse::SeeOther();
    r.insert_header((header::LOCATION, to.to_string()));
    if let Some(p) = page {
        for c in &p.cookies {
            r.cookie(c.clone());
        }
    }
    r.finish()
}

/// Whether `to` is a path inside the portal (open-redirect guard): the core's rule.
pub fn local_path(page: &Page, to: &str) -> bool {
    portal_core::usecases::sso::inside_portal(to, "", &page.base()).as_deref() == Some(to)
}

/// Query parameters of a request as a map.
pub fn params(req: &HttpRequest) -> HashMap<String, String> {
    actix_web::web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}
