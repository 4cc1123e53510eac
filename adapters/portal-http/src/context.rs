//! The request context of a portal page: the settings snapshot and the caches, the page
//! built from the request (slug, P5 switch, session, language, CSRF token) and the actix
//! extractors that hand it to handlers ([`Visitor`], [`SignedIn`], [`Checked`]).

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
use portal_core::model::Contact;
use portal_core::usecases::inbox::PortalAccess;
use std::rc::Rc;

use crate::AppState;
use crate::errors::PageError;
use crate::render::Page;
use crate::render::People;
use crate::render::Snapshot;
use crate::render::bare_error;
use crate::render::display_name;
use crate::render::plain_message;
use crate::render::redirect;
use crate::render::refusal_page;

/// A cached value: fresh within `ttl`; once stale, the first reader takes it upon itself to
/// reload it (the entry's time restarts) and every other reader keeps the stale value
/// meanwhile, so that a busy server reloads it once and not once per request in flight.
fn cached<T: Clone>(entry: Option<&mut (Instant, T)>, ttl: std::time::Duration) -> Lookup<T> {
    match entry {
        None => Lookup::Load(None),
        Some((at, value)) if at.elapsed() < ttl => Lookup::Fresh(value.clone()),
        Some((at, value)) => {
            *at = Instant::now();
            Lookup::Load(Some(value.clone()))
        }
    }
}

enum Lookup<T> {
    Fresh(T),
    /// This reader reloads; the stale value, if any, answers when the reload fails.
    Load(Option<T>),
}

impl AppState {
    /// The contacts of a company, cached for the cache TTL like the settings (names in the
    /// list, the "Requested by" filter).
    pub async fn company_people(
        &self,
        company: portal_core::model::CompanyId,
    ) -> Result<Arc<People>, Error> {
        let lookup = match self.people.lock() {
            Ok(mut c) => cached(c.get_mut(&company), self.config.cache_ttl),
            Err(_) => Lookup::Load(None),
        };
        let stale = match lookup {
            Lookup::Fresh(people) => return Ok(people),
            Lookup::Load(stale) => stale,
        };
        let contacts = match self.records.company_contacts(company).await {
            Ok(c) => c,
            Err(e) => return stale.ok_or(e),
        };
        let mut people: People = contacts.iter().map(|c| (c.id, display_name(c))).collect();
        // Sorted by id: the list looks its requesters up by binary search.
        people.sort_by_key(|(id, _)| *id);
        let people = Arc::new(people);
        if let Ok(mut c) = self.people.lock() {
            if c.len() > 10_000 {
                c.clear();
            }
            c.insert(company, (Instant::now(), people.clone()));
        }
        Ok(people)
    }

    /// A company's name (the View menu's entry for one company, C2), cached for the cache
    /// TTL; its number when it cannot be read.
    pub async fn company_name(&self, company: portal_core::model::CompanyId) -> Arc<str> {
        let lookup = match self.company_names.lock() {
            Ok(mut c) => cached(c.get_mut(&company), self.config.cache_ttl),
            Err(_) => Lookup::Load(None),
        };
        let stale = match lookup {
            Lookup::Fresh(name) => return name,
            Lookup::Load(stale) => stale,
        };
        let name: Arc<str> = match self.records.find_company(company).await {
            Ok(c) => c.name.into(),
            Err(_) => return stale.unwrap_or_else(|| company.0.to_string().into()),
        };
        if let Ok(mut c) = self.company_names.lock() {
            if c.len() > 10_000 {
                c.clear();
            }
            c.insert(company, (Instant::now(), name.clone()));
        }
        name
    }

    /// The "Requested by" menu of a list read in `scope`: the viewer and the contacts of
    /// their companies in the scope (C2) or of their primary company, narrowed by the core
    /// to those who requested a ticket the scope admits; cached per scope for the cache TTL.
    pub async fn requester_menu(
        &self,
        scope: &portal_core::visibility::Scope,
        viewer: &Contact,
    ) -> Result<Arc<People>, Error> {
        let lookup = match self.requesters.lock() {
            Ok(mut c) => cached(c.get_mut(scope), self.config.cache_ttl),
            Err(_) => Lookup::Load(None),
        };
        let stale = match lookup {
            Lookup::Fresh(menu) => return Ok(menu),
            Lookup::Load(stale) => stale,
        };
        let mut candidates = vec![(viewer.id, display_name(viewer))];
        let mut companies: Vec<portal_core::model::CompanyId> =
            viewer.primary_company.into_iter().collect();
        companies.extend(scope.companies.iter().copied());
        companies.sort();
        companies.dedup();
        for co in companies {
            let cs = self.company_people(co).await?;
            candidates.extend(
                cs.iter()
                    .filter(|(id, _)| candidates.iter().all(|(c, _)| c != id))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        let menu = match self.portal.requester_choices(scope, &candidates).await {
            Ok(m) => Arc::new(m),
            Err(e) => return stale.ok_or(e),
        };
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
        let lookup = match self.cache.lock() {
            Ok(mut c) => cached(c.as_mut(), self.config.cache_ttl),
            Err(_) => Lookup::Load(None),
        };
        let stale = match lookup {
            Lookup::Fresh(snap) => return Ok(snap),
            Lookup::Load(stale) => stale,
        };
        let snap = match self.portal.snapshot().await {
            Ok(s) => Arc::new(s),
            Err(e) => return stale.ok_or(e),
        };
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
        $(impl $crate::context::CsrfToken for $t {
            fn csrf_token(&self) -> Option<&str> {
                self.csrf.as_deref()
            }
        })*
    };
}

/// The login page that brings the visitor back to this page after signing in.
pub(crate) fn login_path(p: &Page, reading: bool) -> String {
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
pub(crate) async fn visitor(req: &HttpRequest) -> Result<Rc<Page>, actix_web::Error> {
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

pub(crate) fn cookie_value(req: &HttpRequest, name: &str) -> Option<String> {
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
        let lang = st
            .i18n
            .choose(None, cookie_lang.as_deref(), accept, domain_lang.as_deref());
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
        let lang = st
            .i18n
            .choose(None, cookie_lang.as_deref(), accept, domain_lang.as_deref());
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
    let lang = st.i18n.choose(
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
        None => {
            // The cookie holds a pre-session id; the token is signed from it (rule 8).
            let id = match cookie_value(req, st.csrf_cookie_name()).filter(|v| v.len() == 64) {
                Some(v) => v,
                None => {
                    let v = st.accounts.new_token();
                    let mut c = st.cookie(st.csrf_cookie_name(), v.clone(), None);
                    c.set_same_site(SameSite::Strict);
                    cookies.push(c);
                    v
                }
            };
            match st.accounts.anonymous_csrf(&id).await {
                Ok(token) => token,
                Err(e) => return Err(crate::render::bare_error(st, &e, lang)),
            }
        }
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

#[cfg(test)]
mod cache_tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_stale_entry_is_reloaded_by_one_reader_while_the_others_keep_the_old_value() {
        let ttl = Duration::from_secs(60);
        let mut missing: Option<(Instant, u32)> = None;
        assert!(matches!(cached(missing.as_mut(), ttl), Lookup::Load(None)));
        let mut entry = Some((Instant::now(), 7));
        assert!(matches!(cached(entry.as_mut(), ttl), Lookup::Fresh(7)));
        // Stale: the first reader reloads (and restarts the entry's time)…
        let old = Instant::now()
            .checked_sub(Duration::from_secs(120))
            .expect("a clock two minutes old");
        let mut stale = Some((old, 7));
        assert!(matches!(cached(stale.as_mut(), ttl), Lookup::Load(Some(7))));
        // …and the readers in flight meanwhile get the old value without reloading.
        assert!(matches!(cached(stale.as_mut(), ttl), Lookup::Fresh(7)));
        assert!(matches!(cached(stale.as_mut(), ttl), Lookup::Fresh(7)));
    }
}
