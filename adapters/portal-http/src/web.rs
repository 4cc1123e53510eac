//! The request context every portal page needs (settings, visitor, language, CSRF token),
//! rendering, and the one place where `portal_core::Error` becomes an HTTP status.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::Method;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use portal_core::Error;
use portal_core::actions::{ActionDenied, UploadRefused};
use portal_core::model::Contact;
use portal_core::ports::Session;
use portal_core::settings::{FieldError, TicketLabel};
use portal_core::usecases::accounts::Customer;
use portal_core::usecases::inbox::PortalAccess;
use serde_json::{Value, json};
use std::rc::Rc;

use crate::AppState;
use crate::errors::{PageError, page_status};
use crate::i18n::{self, LANGUAGES};

/// Settings and catalog data, cached per process for a short time.
pub use portal_core::usecases::portal::PortalSnapshot as Snapshot;

/// The contacts of a company as `(id, display name)`, by id.
pub type People = Vec<(portal_core::model::ContactId, String)>;

impl AppState {
    /// The contacts of a company, cached for the cache TTL like the settings (names in the
    /// list, the "Requested by" filter).
    pub async fn company_people(
        &self,
        company: portal_core::model::CompanyId,
    ) -> Result<Arc<People>, Error> {
        if let Ok(c) = self.people.lock()
            && let Some((at, people)) = c.get(&company)
            && at.elapsed() < self.config.cache_ttl
        {
            return Ok(people.clone());
        }
        let contacts = self.records.company_contacts(company).await?;
        let people: Arc<People> =
            Arc::new(contacts.iter().map(|c| (c.id, display_name(c))).collect());
        if let Ok(mut c) = self.people.lock() {
            if c.len() > 10_000 {
                c.clear();
            }
            c.insert(company, (Instant::now(), people.clone()));
        }
        Ok(people)
    }

    /// The "Requested by" menu of a list read in `scope`: the viewer and their company's
    /// contacts, narrowed by the core to those who requested a ticket the scope admits;
    /// cached per scope for the cache TTL.
    pub async fn requester_menu(
        &self,
        scope: &portal_core::visibility::Scope,
        viewer: &Contact,
    ) -> Result<Arc<People>, Error> {
        if let Ok(c) = self.requesters.lock()
            && let Some((at, people)) = c.get(scope)
            && at.elapsed() < self.config.cache_ttl
        {
            return Ok(people.clone());
        }
        let mut candidates = vec![(viewer.id, display_name(viewer))];
        if let Some(co) = viewer.primary_company {
            let cs = self.company_people(co).await?;
            candidates.extend(cs.iter().filter(|(id, _)| *id != viewer.id).cloned());
        }
        let menu = Arc::new(self.portal.requester_choices(scope, &candidates).await?);
        if let Ok(mut c) = self.requesters.lock() {
            if c.len() > 10_000 {
                c.clear();
            }
            c.insert(scope.clone(), (Instant::now(), menu.clone()));
        }
        Ok(menu)
    }

    /// The cached snapshot, reloaded when older than the cache TTL.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, Error> {
        if let Ok(c) = self.cache.lock()
            && let Some((at, snap)) = c.as_ref()
            && at.elapsed() < self.config.cache_ttl
        {
            return Ok(snap.clone());
        }
        let snap = Arc::new(self.portal.snapshot().await?);
        if let Ok(mut c) = self.cache.lock() {
            *c = Some((Instant::now(), snap.clone()));
        }
        Ok(snap)
    }

    /// The name of the session cookie (`__Host-` prefixed behind TLS, SECURITY rule 5).
    pub fn session_cookie_name(&self) -> &'static str {
        if self.config.secure {
            "__Host-portal_session"
        } else {
            "portal_session"
        }
    }

    fn csrf_cookie_name(&self) -> &'static str {
        if self.config.secure {
            "__Host-portal_csrf"
        } else {
            "portal_csrf"
        }
    }

    /// A cookie with the attributes of rule 5.
    pub fn cookie(
        &self,
        name: &'static str,
        value: String,
        max_age: Option<CookieDuration>,
    ) -> Cookie<'static> {
        let mut c = Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .secure(self.config.secure)
            .same_site(SameSite::Lax)
            .finish();
        if let Some(age) = max_age {
            c.set_max_age(age);
        }
        c
    }

    /// The client's address for throttling (SECURITY rule 4): the peer, or behind a
    /// configured trusted proxy the hop the core picks from `X-Forwarded-For`.
    pub fn client_address(&self, req: &HttpRequest) -> String {
        let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
            return "unknown".into();
        };
        let forwarded: Vec<std::net::IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        portal_core::access::client_address(peer, &forwarded, &self.config.trusted_proxies)
            .to_string()
    }
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

    /// The logged-in contact.
    pub fn contact(&self) -> Option<&Contact> {
        self.customer.as_ref().map(|c| &c.contact)
    }
}

/// A portal page for any visitor, as an actix extractor: the slug checked, the portal on
/// (P5), the session resumed and re-checked (A1–A3), the language and the CSRF token. Built
/// once per request and kept in its extensions, so the page an error renders is the same.
pub struct Visitor(pub Rc<Page>);

/// A signed-in customer (or a staff preview, read-only, A6), as an actix extractor; anyone
/// else is sent to the login page and back.
pub struct SignedIn(pub Rc<Page>, pub Contact);

impl FromRequest for Visitor {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Visitor, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { visitor(&req).await.map(Visitor) })
    }
}

impl FromRequest for SignedIn {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<SignedIn, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let p = visitor(&req).await?;
            let reading = req.method() == Method::GET || req.method() == Method::HEAD;
            // A staff preview (A6) reads and never writes in the contact's name.
            let access = if reading {
                PortalAccess::Read
            } else {
                PortalAccess::Write
            };
            if p.preview.as_ref().is_some_and(|pv| !pv.permits(access)) {
                return Err(PageError::PreviewReadOnly.into());
            }
            match p.contact().cloned() {
                Some(c) => Ok(SignedIn(p, c)),
                None => {
                    let to = login_path(&p, reading);
                    let r = redirect(Some(&p), &to);
                    Err(InternalError::from_response("not signed in", r).into())
                }
            }
        })
    }
}

/// A form whose CSRF token matched the page's (SECURITY rule 8), as an extractor: a form
/// without the right token never reaches its handler.
pub struct Checked<T>(pub T);

/// A form that carries the page's CSRF token.
pub trait CsrfToken {
    /// The token the form sent.
    fn csrf_token(&self) -> Option<&str>;
}

impl<T: serde::de::DeserializeOwned + CsrfToken + 'static> FromRequest for Checked<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Checked<T>, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = actix_web::web::Form::<T>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let form = form.await?.into_inner();
            let p = visitor(&req).await?;
            check_csrf(&p, form.csrf_token())?;
            Ok(Checked(form))
        })
    }
}

/// Forms whose `csrf` field is the token.
#[macro_export]
macro_rules! csrf_forms {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::web::CsrfToken for $t {
            fn csrf_token(&self) -> Option<&str> {
                self.csrf.as_deref()
            }
        })*
    };
}

/// The login page that brings the visitor back to this page after signing in.
fn login_path(p: &Page, reading: bool) -> String {
    let mut to = format!("{}/login", p.base());
    let mut sep = '?';
    if p.expired {
        to.push_str("?expired=1");
        sep = '&';
    }
    if reading {
        to.push(sep);
        to.push_str("next=");
        crate::format::url_encode_into(&mut to, &p.path);
    }
    to
}

/// The request's page, built on first use.
async fn visitor(req: &HttpRequest) -> Result<Rc<Page>, actix_web::Error> {
    let built = req.extensions().get::<Rc<Page>>().cloned();
    if let Some(p) = built {
        return Ok(p);
    }
    let Some(st) = req.app_data::<actix_web::web::Data<AppState>>() else {
        return Err(actix_web::error::ErrorInternalServerError("no state"));
    };
    let slug = req.match_info().get("slug").unwrap_or("");
    match page(req, st, slug).await {
        Ok(p) => {
            let p = Rc::new(p);
            req.extensions_mut().insert(p.clone());
            Ok(p)
        }
        Err(r) => Err(InternalError::from_response("page refused", r).into()),
    }
}

fn cookie_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name).map(|c| c.value().to_string())
}

/// Builds the page context: checks the slug (404) and the on/off switch (P5), resumes the
/// session, picks the language (N1) and the CSRF token.
pub async fn page(req: &HttpRequest, st: &AppState, slug: &str) -> Result<Page, HttpResponse> {
    let snap = match st.snapshot().await {
        Ok(s) => s,
        Err(e) => return Err(bare_error(st, &e, "en")),
    };
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let domain_lang = snap
        .settings
        .domain
        .and_then(|d| snap.domains.iter().find(|x| x.id == d))
        .map(|d| d.language.clone());
    let cookie_lang = cookie_value(req, "portal_lang");
    if slug != snap.settings.slug {
        let lang = i18n::choose(None, cookie_lang.as_deref(), accept, domain_lang.as_deref());
        return Err(plain_message(
            st,
            &snap,
            lang,
            StatusCode::NOT_FOUND,
            "error.not_found.title",
            "error.not_found.body",
        ));
    }
    if !snap.settings.enabled {
        let lang = i18n::choose(None, cookie_lang.as_deref(), accept, domain_lang.as_deref());
        return Err(plain_message(
            st,
            &snap,
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable.title",
            "unavailable.body",
        ));
    }
    let mut session = None;
    let mut customer = None;
    let mut expired = false;
    if let Some(token) = cookie_value(req, st.session_cookie_name()) {
        match st.accounts.resume_customer(&token, &snap.settings).await {
            Ok(Some((s, c))) => {
                session = Some(s);
                customer = Some(c);
            }
            Ok(None) => expired = true,
            Err(e) => return Err(bare_error(st, &e, "en")),
        }
    }
    // A staff preview (A6): the staff session and the contact the preview cookie names; it
    // takes the place of any customer session of the same browser.
    let mut preview = None;
    if let Some(contact) = cookie_value(req, PREVIEW_COOKIE).and_then(|v| v.parse::<i64>().ok())
        && let Some(token) = cookie_value(req, st.staff_cookie_name())
    {
        match st
            .staff
            .resume_preview(&token, portal_core::model::ContactId(contact))
            .await
        {
            Ok(Some(pv)) => {
                customer = Some(pv.customer.clone());
                session = None;
                expired = false;
                preview = Some(pv);
            }
            Ok(None) => {}
            Err(e) => return Err(bare_error(st, &e, "en")),
        }
    }
    let lang = i18n::choose(
        customer
            .as_ref()
            .and_then(|c| c.account.language.as_deref()),
        cookie_lang.as_deref(),
        accept,
        domain_lang.as_deref(),
    );
    let mut cookies = Vec::new();
    let csrf = match &session {
        Some(s) => s.csrf_secret.clone(),
        None => match cookie_value(req, st.csrf_cookie_name()).filter(|v| v.len() == 64) {
            Some(v) => v,
            None => {
                let v = st.accounts.new_token();
                let mut c = st.cookie(st.csrf_cookie_name(), v.clone(), None);
                c.set_same_site(SameSite::Strict);
                cookies.push(c);
                v
            }
        },
    };
    if expired {
        cookies.push(removal(st, st.session_cookie_name()));
    }
    Ok(Page {
        snap,
        lang,
        customer,
        session,
        csrf,
        expired,
        cookies,
        path: req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string(),
        preview,
    })
}

/// A page with a token in its URL leaks nothing through referrers or caches (rule 9).
pub fn token_page(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A cookie that deletes `name`.
pub fn removal(st: &AppState, name: &'static str) -> Cookie<'static> {
    let mut c = st.cookie(name, String::new(), Some(CookieDuration::ZERO));
    c.make_removal();
    c
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the CSRF token of a form (SECURITY rule 8).
pub fn check_csrf(page: &Page, form_token: Option<&str>) -> Result<(), PageError> {
    if form_token.is_some_and(|t| same_token(t, &page.csrf)) {
        Ok(())
    } else {
        Err(PageError::Csrf)
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

/// A page as `contact` sees it, for a staff member's preview (the template editor).
pub fn preview_page(
    snap: Arc<Snapshot>,
    lang: &'static str,
    member: &portal_core::usecases::inbox::StaffMember,
    contact: Contact,
) -> Page {
    let preview = portal_core::usecases::inbox::Preview::new(member.agent.id, contact);
    let path = format!("/{}/tickets", snap.settings.slug);
    Page {
        snap,
        lang,
        customer: Some(preview.customer.clone()),
        session: None,
        csrf: String::new(),
        expired: false,
        cookies: Vec::new(),
        path,
        preview: Some(preview),
    }
}

/// The cookie naming the contact a staff member previews the portal as (A6); honoured only
/// with a valid staff session.
pub const PREVIEW_COOKIE: &str = "portal_preview";

/// A catalogue text that names tickets, in the portal's own words when the admin renamed
/// them (P6): `key` for the default label, `{key}_custom` with `{singular}` and `{plural}`
/// filled otherwise.
pub fn ticket_text(st: &AppState, page: &Page, key: &str, args: &[(&str, String)]) -> String {
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
        all.push(("singular", l.singular.clone()));
        all.push(("plural", l.plural.clone()));
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
    for l in LANGUAGES {
        languages.push_str("<option value=\"");
        languages.push_str(l);
        languages.push_str(if l == page.lang {
            "\" selected>"
        } else {
            "\">"
        });
        crate::format::escape_into(&mut languages, st.i18n.get(l, "lang.name"));
        languages.push_str("</option>");
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
            "text": st.i18n.fill(page.lang, "preview.banner", &[("name", format!("{} <{}>", display_name(&pv.customer.contact), pv.customer.contact.email))]),
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

fn merge(base: &mut Value, extra: Value) {
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
fn page_key(st: &AppState, page: &Page, template: &str, ctx: &Value) -> Option<&'static str> {
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

fn plain_message(
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
    let (status, key) = match e {
        Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "error.unavailable.body"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "error.internal.body"),
    };
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(st.i18n.get(lang, key).to_string())
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
    let mb = |b: u64| (b / (1024 * 1024)).to_string();
    match u {
        UploadRefused::TooManyFiles { max } => st.i18n.fill(
            page.lang,
            "error.upload.too_many",
            &[("n", max.to_string())],
        ),
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
    };
    st.i18n.get(page.lang, key).to_string()
}

/// The page for a refusal of the core, its status from the portal's one table
/// ([`crate::errors::page_status`]; V7: a hidden ticket is 404 like a missing one).
pub fn error_response(st: &AppState, page: &Page, e: &Error) -> HttpResponse {
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
                    .fill(page.lang, "login.throttled", &[("n", s.to_string())]),
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

/// The portal scope's last step: a [`PageError`] a handler or an extractor answered with
/// becomes the page in the visitor's language, keeping the headers the route added (a
/// token page's `Referrer-Policy`).
pub async fn render_page_errors(
    res: actix_web::dev::ServiceResponse,
) -> Result<actix_web::dev::ServiceResponse, actix_web::Error> {
    let Some(err) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
    else {
        return Ok(res);
    };
    let req = res.request().clone();
    let Some(st) = req.app_data::<actix_web::web::Data<AppState>>() else {
        return Ok(res);
    };
    let mut answer = match visitor(&req).await {
        Ok(p) => refusal_page(st, &p, err),
        Err(early) => early.error_response(),
    };
    if req.match_pattern().is_some_and(|m| m.contains("{token}")) {
        answer = token_page(answer);
    }
    for (name, value) in res.response().headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::SET_COOKIE
        {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(res.into_response(answer))
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
