//! The routes of the customer portal. Each handler builds the page context, calls one use
//! case and renders or redirects.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use actix_multipart::Multipart;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use portal_core::Error;
use portal_core::actions::{UploadLimits, UploadRefused};
use portal_core::filter::{Criterion, Operator};
use portal_core::model::*;
use portal_core::ports::NewAttachment;
use portal_core::property::ticket_props;
use portal_core::query::{Cursor, Direction, Sort, TicketQuery};
use portal_core::settings::{RESERVED_SLUGS, StatusLabel, owner_name, status_label};
use portal_core::usecases::portal::{FormInput, ReplyInput, parse_date};
use portal_core::visibility::View;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::errors::PageError;
use crate::format::{self, datetime};
use crate::web::{
    Checked, Page, SignedIn, Visitor, check_csrf, display_name, error_response, local_path, params,
    problems_page, redirect, refusal_page, removal, render, tickets_label, token_page,
    upload_problem,
};

type St = web::Data<AppState>;

pub fn register(cfg: &mut web::ServiceConfig) {
    // The customer portal first, in one scope under its slug: a request is matched against
    // the scope's one pattern and then, inside, against short paths (the hot ones first)
    // instead of trying every admin and API pattern before it. Reserved first segments
    // (`/admin`, `/api`, `/static`, …) skip the scope and reach their own routes.
    cfg.service(
        web::scope("/{slug}")
            .guard(actix_web::guard::fn_guard(|ctx| {
                let path = ctx.head().uri.path().trim_start_matches('/');
                let first = path.split('/').next().unwrap_or("");
                !RESERVED_SLUGS.contains(&first)
            }))
            .route("/tickets", web::get().to(list))
            .route("/tickets/export.csv", web::get().to(export))
            .route("/tickets/{id}", web::get().to(detail))
            .route("/tickets/{id}/reply", web::post().to(reply))
            .route("/tickets/{id}/close", web::post().to(close))
            .route("/attachments/{id}", web::get().to(download))
            .route("/new", web::get().to(new_form))
            .route("/new", web::post().to(new_ticket))
            .route("", web::get().to(home))
            .route("/", web::get().to(home))
            .route("/theme.css", web::get().to(theme))
            .route("/branding/{which}", web::get().to(branding))
            .route("/login", web::get().to(login_form))
            .route("/login", web::post().to(login))
            .route("/logout", web::post().to(logout))
            .route("/register", web::get().to(register_form))
            .route("/register", web::post().to(register_account))
            .route("/confirm/{token}", web::get().to(confirm_form))
            .route("/confirm/{token}", web::post().to(confirm))
            .route("/welcome/{token}", web::get().to(welcome_form))
            .route("/welcome/{token}", web::post().to(welcome))
            .route("/account", web::get().to(account_form))
            .route("/account", web::post().to(change_password))
            .route("/login/link", web::get().to(link_form))
            .route("/login/link", web::post().to(link_request))
            .route("/login/link/{token}", web::get().to(link_confirm_form))
            .route("/login/link/{token}", web::post().to(link_login))
            .route("/reset", web::get().to(reset_form))
            .route("/reset", web::post().to(reset_request))
            .route("/reset/{token}", web::get().to(reset_set_form))
            .route("/reset/{token}", web::post().to(reset_set))
            .route("/sso/saml/metadata", web::get().to(saml_metadata))
            .route("/sso/saml/login", web::get().to(saml_login))
            .service(
                // Responses carry signed XML (up to 256 KiB decoded); cross-site POST by
                // design, so no CSRF token: the signature, request id and replay checks
                // protect it (rule 8).
                web::resource("/sso/saml/acs")
                    .app_data(web::FormConfig::default().limit(512 * 1024))
                    .route(web::post().to(saml_acs)),
            )
            .route("/sso/jwt", web::get().to(jwt_get))
            .route("/sso/jwt", web::post().to(jwt_post))
            .route("/sso/jwt/login", web::get().to(jwt_login_redirect))
            .route("/language", web::post().to(language))
            // N1: an unknown portal path, an id that is not a number or a malformed form is
            // a page in the visitor's language with the right status, never a bare text.
            .default_service(web::to(unknown_path))
            .app_data(web::PathConfig::default().error_handler(|e, _| {
                PageError::BadInput(StatusCode::NOT_FOUND, e.to_string()).into()
            }))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                PageError::BadInput(StatusCode::BAD_REQUEST, e.to_string()).into()
            }))
            .app_data(
                web::FormConfig::default()
                    .limit(64 * 1024)
                    .error_handler(|e, _| {
                        let status = match e {
                            actix_web::error::UrlencodedError::Overflow { .. } => {
                                StatusCode::PAYLOAD_TOO_LARGE
                            }
                            _ => StatusCode::BAD_REQUEST,
                        };
                        PageError::BadInput(status, e.to_string()).into()
                    }),
            )
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service as _;
                let fut = srv.call(req);
                async move { crate::web::render_page_errors(fut.await?).await }
            }),
    );
    crate::api::register(cfg);
    cfg.service(
        web::scope("/admin")
            .configure(crate::admin::register)
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service as _;
                let fut = srv.call(req);
                async move { crate::admin::render_staff_errors(fut.await?).await }
            }),
    );
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/static/portal.css", web::get().to(css))
        .route("/static/portal.js", web::get().to(js))
        .route("/static/admin.js", web::get().to(admin_js))
        .route("/", web::get().to(root));
}

/// Any other path under the portal: the not-found page in the visitor's language.
async fn unknown_path() -> Result<HttpResponse, PageError> {
    Err(Error::NotFound.into())
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

async fn readyz(st: St) -> HttpResponse {
    match st.admin.ready().await {
        Ok(_) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../assets/portal.css"))
}

async fn admin_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../assets/admin.js"))
}

async fn js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../assets/portal.js"))
}

async fn root(st: St) -> HttpResponse {
    match st.snapshot().await {
        Ok(s) => redirect(None, &format!("/{}/tickets", s.settings.slug)),
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}

async fn theme(Visitor(p): Visitor) -> HttpResponse {
    let b = &p.snap.settings.branding;
    let safe = |c: &str, d: &str| {
        if portal_core::settings::is_hex_color(c) {
            c.to_string()
        } else {
            d.to_string()
        }
    };
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(format!(
            ":root {{ --primary: {}; --bg: {}; --fg: {}; }}\n",
            safe(&b.primary_color, "#1d4ed8"),
            safe(&b.background_color, "#ffffff"),
            safe(&b.text_color, "#111827")
        ))
}

/// The logo or favicon the admin uploaded (P10), public like the login page.
async fn branding(st: St, Visitor(p): Visitor, path: web::Path<(String, String)>) -> HttpResponse {
    let (_, which) = path.into_inner();
    let b = &p.snap.settings.branding;
    let key = match which.as_str() {
        "logo" => b.logo.as_deref(),
        "favicon" => b.favicon.as_deref(),
        _ => None,
    };
    let Some(key) = key else {
        return error_response(&st, &p, &Error::NotFound);
    };
    match st.files.read(key).await {
        Ok(bytes) => HttpResponse::Ok()
            .content_type(format::sniff(&bytes))
            .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
            .body(bytes),
        Err(e) => error_response(&st, &p, &e),
    }
}

async fn home(Visitor(p): Visitor) -> HttpResponse {
    redirect(Some(&p), &format!("{}/tickets", p.base()))
}

// ---------------------------------------------------------------- login, logout, language

async fn login_form(req: HttpRequest, st: St, Visitor(p): Visitor) -> HttpResponse {
    if p.customer.is_some() {
        return redirect(Some(&p), &format!("{}/tickets", p.base()));
    }
    let q = params(&req);
    let notice = if q.contains_key("out") {
        Some(st.i18n.get(p.lang, "login.logged_out"))
    } else if q.contains_key("reset") {
        Some(st.i18n.get(p.lang, "login.reset_done"))
    } else if q.contains_key("welcome") {
        Some(st.i18n.get(p.lang, "login.welcome_done"))
    } else if q.contains_key("confirmed") {
        Some(st.i18n.get(p.lang, "login.confirmed"))
    } else if q.contains_key("expired") || p.expired {
        Some(st.i18n.get(p.lang, "login.expired"))
    } else {
        None
    };
    let next = q
        .get("next")
        .filter(|n| local_path(&p, n))
        .cloned()
        .unwrap_or_default();
    render(
        &st,
        &p,
        StatusCode::OK,
        "login",
        json!({ "title": st.i18n.get(p.lang, "login.title"), "notice": notice, "error": null, "email": "", "next": next,
                "register": p.snap.settings.access.registration_open(),
                "password": p.snap.settings.access.password_login,
                "login_link": p.snap.settings.access.login_link_open(),
                "sso": sso_buttons(&st, &p, &next) }),
    )
}

#[derive(serde::Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
    next: Option<String>,
}

async fn login(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<LoginForm>,
) -> HttpResponse {
    let client = st.client_address(&req);
    let attempt = portal_core::usecases::throttle::LoginTry {
        realm: "customer",
        email: &form.email,
        client: &client,
    };
    let fail = |status: StatusCode, text: String| {
        render(
            &st,
            &p,
            status,
            "login",
            json!({ "title": st.i18n.get(p.lang, "login.title"), "error": text, "email": form.email, "next": form.next.clone().unwrap_or_default() }),
        )
    };
    match st
        .throttle
        .guard(&attempt, st.accounts.login(&form.email, &form.password))
        .await
    {
        Err(Error::Throttled(wait)) => fail(
            StatusCode::TOO_MANY_REQUESTS,
            st.i18n
                .fill(p.lang, "login.throttled", &[("n", wait.to_string())]),
        ),
        Ok((_, new)) => {
            if let Some(old) = req.cookie(st.session_cookie_name()) {
                let _ = st.accounts.logout(old.value()).await;
            }
            let next = form
                .next
                .as_deref()
                .filter(|n| local_path(&p, n))
                .map_or_else(|| format!("{}/tickets", p.base()), str::to_string);
            let mut r = redirect(None, &next);
            let _ = r.add_cookie(&st.cookie(st.session_cookie_name(), new.token, None));
            r
        }
        Err(Error::BadCredentials) => fail(
            StatusCode::UNAUTHORIZED,
            st.i18n.get(p.lang, "login.failed").to_string(),
        ),
        Err(e) => error_response(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

crate::csrf_forms!(
    LoginForm,
    CsrfForm,
    RegisterForm,
    ChangePasswordForm,
    ResetRequestForm,
    ResetSetForm,
    LanguageForm,
);

async fn logout(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if p.session.is_some() {
        if let Err(e) = check_csrf(&p, form.csrf.as_deref()) {
            return refusal_page(&st, &p, &e);
        }
        if let Some(c) = req.cookie(st.session_cookie_name()) {
            let _ = st.accounts.logout(c.value()).await;
        }
    }
    let mut r = redirect(None, &format!("{}/login?out=1", p.base()));
    let _ = r.add_cookie(&removal(&st, st.session_cookie_name()));
    r
}

// ---------------------------------------------------------------- registration (A2)

fn register_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    sent: bool,
    values: J,
    errors: Vec<String>,
) -> HttpResponse {
    let s = &p.snap.settings;
    let c = &s.consent;
    let title = st.i18n.get(p.lang, "register.title");
    render(
        st,
        p,
        status,
        "register",
        json!({
            "title": title, "sent": sent, "values": values, "errors": errors,
            "consent": { "text": s.text("consent.text", p.lang, &c.text), "checkbox": s.text("consent.checkbox_label", p.lang, &c.checkbox_label),
                         "links": c.links.iter().map(|l| json!({ "label": l.label, "url": l.url })).collect::<Vec<_>>() },
        }),
    )
}

async fn register_form(st: St, Visitor(p): Visitor) -> HttpResponse {
    if !p.snap.settings.access.registration_open() {
        return error_response(&st, &p, &Error::NotFound);
    }
    register_page(
        &st,
        &p,
        StatusCode::OK,
        false,
        json!({ "first_name": "", "last_name": "", "email": "" }),
        Vec::new(),
    )
}

#[derive(serde::Deserialize)]
struct RegisterForm {
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    consent: Option<String>,
    csrf: Option<String>,
}

async fn register_account(
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<RegisterForm>,
) -> HttpResponse {
    let input = portal_core::usecases::accounts::RegistrationInput {
        email: form.email.clone(),
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        password: form.password.clone(),
        consent: form.consent.is_some(),
        language: p.lang.to_string(),
    };
    let values =
        json!({ "first_name": form.first_name, "last_name": form.last_name, "email": form.email });
    let portal_url = st.portal_url(&p.snap);
    match st.accounts.register(input, &portal_url).await {
        Ok(()) => register_page(&st, &p, StatusCode::OK, true, values, Vec::new()),
        Err(Error::Invalid(errs)) => {
            let label = |f: &str| match f {
                "first_name" => st.i18n.get(p.lang, "register.first_name").to_string(),
                "last_name" => st.i18n.get(p.lang, "register.last_name").to_string(),
                "email" => st.i18n.get(p.lang, "login.email").to_string(),
                "password" => st.i18n.get(p.lang, "login.password").to_string(),
                _ => p
                    .snap
                    .settings
                    .text(
                        "consent.checkbox_label",
                        p.lang,
                        &p.snap.settings.consent.checkbox_label,
                    )
                    .to_string(),
            };
            let texts = errs
                .iter()
                .map(|e| crate::web::field_problem(&st, &p, e, &label(&e.field)))
                .collect();
            register_page(
                &st,
                &p,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
                values,
                texts,
            )
        }
        Err(e) => error_response(&st, &p, &e),
    }
}

async fn confirm_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(crate::web::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "confirm.title",
            "reset.invalid_link",
        ));
    }
    // No state change on GET (rule 8): the page asks for one click.
    let title = st.i18n.get(p.lang, "confirm.title");
    token_page(render(
        &st,
        &p,
        StatusCode::OK,
        "confirm",
        json!({ "title": title, "token": token }),
    ))
}

async fn confirm(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
    _: Checked<CsrfForm>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    match st.accounts.confirm_email(&token).await {
        Ok(()) => token_page(redirect(
            Some(&p),
            &format!("{}/login?confirmed=1", p.base()),
        )),
        Err(Error::Invalid(_)) => token_page(crate::web::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "confirm.title",
            "reset.invalid_link",
        )),
        Err(e) => token_page(error_response(&st, &p, &e)),
    }
}

// ---------------------------------------------------------------- invitations (A1)

fn welcome_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    token: &str,
    error: Option<String>,
) -> HttpResponse {
    let title = st.i18n.get(p.lang, "welcome.title");
    let action = format!("{}/welcome/{token}", p.base());
    token_page(render(
        st,
        p,
        status,
        "reset_set",
        json!({ "title": title, "heading": title, "action": action, "end_sessions": false, "error": error }),
    ))
}

async fn welcome_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(crate::web::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "welcome.title",
            "reset.invalid_link",
        ));
    }
    welcome_page(&st, &p, StatusCode::OK, &token, None)
}

async fn welcome(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
    Checked(form): Checked<ResetSetForm>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    match st.accounts.accept_invitation(&token, &form.password).await {
        Ok(()) => token_page(redirect(Some(&p), &format!("{}/login?welcome=1", p.base()))),
        Err(Error::Invalid(errs)) if errs.iter().any(|e| e.field == "password") => {
            let text =
                crate::web::field_problem(&st, &p, &errs[0], st.i18n.get(p.lang, "login.password"));
            welcome_page(
                &st,
                &p,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                Some(text),
            )
        }
        Err(Error::Invalid(_)) => token_page(crate::web::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "welcome.title",
            "reset.invalid_link",
        )),
        Err(e) => token_page(error_response(&st, &p, &e)),
    }
}

// ---------------------------------------------------------------- the account page

fn account_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    errors: Vec<String>,
    notice: Option<&str>,
) -> HttpResponse {
    let title = st.i18n.get(p.lang, "account.title");
    let email = p
        .customer
        .as_ref()
        .map(|c| c.account.email.clone())
        .unwrap_or_default();
    render(
        st,
        p,
        status,
        "account",
        json!({ "title": title, "email": email, "errors": errors, "notice": notice }),
    )
}

async fn account_form(st: St, SignedIn(p, _): SignedIn) -> HttpResponse {
    account_page(&st, &p, StatusCode::OK, Vec::new(), None)
}

#[derive(serde::Deserialize)]
struct ChangePasswordForm {
    current_password: String,
    password: String,
    end_others: Option<String>,
    csrf: Option<String>,
}

async fn change_password(
    st: St,
    SignedIn(p, _): SignedIn,
    Checked(form): Checked<ChangePasswordForm>,
) -> HttpResponse {
    let (Some(customer), Some(session)) = (&p.customer, &p.session) else {
        return error_response(&st, &p, &Error::NotFound);
    };
    let result = st
        .accounts
        .change_password(
            customer,
            &session.token_hash,
            &form.current_password,
            &form.password,
            form.end_others.is_some(),
        )
        .await;
    match result {
        Ok(()) => account_page(
            &st,
            &p,
            StatusCode::OK,
            Vec::new(),
            Some(st.i18n.get(p.lang, "account.changed")),
        ),
        Err(Error::Invalid(errs)) => {
            let texts = errs
                .iter()
                .map(|e| {
                    let label = if e.field == "current_password" {
                        "account.current_password"
                    } else {
                        "reset.new_password"
                    };
                    crate::web::field_problem(&st, &p, e, st.i18n.get(p.lang, label))
                })
                .collect();
            account_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, texts, None)
        }
        Err(e) => error_response(&st, &p, &e),
    }
}

// ---------------------------------------------------------------- password reset

async fn reset_form(st: St, Visitor(p): Visitor) -> HttpResponse {
    let title = st.i18n.get(p.lang, "reset.title");
    render(
        &st,
        &p,
        StatusCode::OK,
        "reset_request",
        json!({ "title": title, "sent": false }),
    )
}

#[derive(serde::Deserialize)]
struct ResetRequestForm {
    email: String,
    csrf: Option<String>,
}

/// Always the same answer, whether or not the email has an account (SECURITY rule 3).
async fn reset_request(
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<ResetRequestForm>,
) -> HttpResponse {
    // Links are built from the configured address, never from the Host header (rule 9).
    let portal_url = st.portal_url(&p.snap);
    if let Err(e) = st.accounts.request_reset(&form.email, &portal_url).await {
        return error_response(&st, &p, &e);
    }
    let title = st.i18n.get(p.lang, "reset.title");
    render(
        &st,
        &p,
        StatusCode::OK,
        "reset_request",
        json!({ "title": title, "sent": true }),
    )
}

// ------------------------------------------------------------ emailed login link (rule 9)

fn link_page(st: &AppState, p: &Page, status: StatusCode, data: J) -> HttpResponse {
    let mut d = json!({ "title": st.i18n.get(p.lang, "link.title"), "sent": false, "token": null, "error": null });
    if let (Some(o), J::Object(extra)) = (d.as_object_mut(), data) {
        o.extend(extra);
    }
    render(st, p, status, "login_link", d)
}

fn link_enabled(p: &Page) -> bool {
    p.snap.settings.access.login_link_open()
}

async fn link_form(st: St, Visitor(p): Visitor) -> HttpResponse {
    if !link_enabled(&p) {
        return error_response(&st, &p, &Error::NotFound);
    }
    link_page(&st, &p, StatusCode::OK, json!({}))
}

/// The same answer whether or not the address has a login (rule 3).
async fn link_request(
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<ResetRequestForm>,
) -> HttpResponse {
    let portal_url = st.portal_url(&p.snap);
    match st
        .accounts
        .request_login_link(&form.email, &portal_url)
        .await
    {
        Ok(()) => link_page(&st, &p, StatusCode::OK, json!({ "sent": true })),
        Err(e) => error_response(&st, &p, &e),
    }
}

/// The link opens a page with a button; only the POST uses the token, so mail scanners
/// that fetch links do not use it up.
async fn link_confirm_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !link_enabled(&p) || !plausible_token(&token) {
        return token_page(error_response(&st, &p, &Error::NotFound));
    }
    token_page(link_page(
        &st,
        &p,
        StatusCode::OK,
        json!({ "token": token }),
    ))
}

async fn link_login(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
    _: Checked<CsrfForm>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(error_response(&st, &p, &Error::NotFound));
    }
    match st.accounts.login_with_link(&token).await {
        Ok((_, new)) => {
            if let Some(old) = req.cookie(st.session_cookie_name()) {
                let _ = st.accounts.logout(old.value()).await;
            }
            let mut r = redirect(None, &format!("{}/tickets", p.base()));
            let _ = r.add_cookie(&st.cookie(st.session_cookie_name(), new.token, None));
            token_page(r)
        }
        Err(Error::Invalid(_)) => {
            let text = st.i18n.get(p.lang, "link.used").to_string();
            token_page(link_page(
                &st,
                &p,
                StatusCode::GONE,
                json!({ "error": text }),
            ))
        }
        Err(e) => token_page(error_response(&st, &p, &e)),
    }
}

fn plausible_token(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn reset_set_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(crate::web::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "reset.title",
            "reset.invalid_link",
        ));
    }
    let title = st.i18n.get(p.lang, "reset.new_title");
    let action = format!("{}/reset/{token}", p.base());
    token_page(render(
        &st,
        &p,
        StatusCode::OK,
        "reset_set",
        json!({ "title": title, "heading": title, "action": action, "end_sessions": true, "error": null }),
    ))
}

#[derive(serde::Deserialize)]
struct ResetSetForm {
    password: String,
    end_sessions: Option<String>,
    csrf: Option<String>,
}

async fn reset_set(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
    Checked(form): Checked<ResetSetForm>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    match st
        .accounts
        .reset_password(&token, &form.password, form.end_sessions.is_some())
        .await
    {
        Ok(()) => token_page(redirect(Some(&p), &format!("{}/login?reset=1", p.base()))),
        Err(Error::Invalid(errs)) if errs.iter().any(|e| e.field == "password") => {
            let label = st.i18n.get(p.lang, "reset.new_password");
            let text = crate::web::field_problem(&st, &p, &errs[0], label);
            let title = st.i18n.get(p.lang, "reset.new_title");
            let action = format!("{}/reset/{token}", p.base());
            token_page(render(
                &st,
                &p,
                StatusCode::UNPROCESSABLE_ENTITY,
                "reset_set",
                json!({ "title": title, "heading": title, "action": action, "end_sessions": true, "error": text }),
            ))
        }
        Err(Error::Invalid(_)) => token_page(crate::web::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "reset.title",
            "reset.invalid_link",
        )),
        Err(e) => token_page(error_response(&st, &p, &e)),
    }
}

#[derive(serde::Deserialize)]
struct LanguageForm {
    csrf: Option<String>,
    lang: String,
    back: Option<String>,
}

async fn language(
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<LanguageForm>,
) -> HttpResponse {
    let Some(lang) = crate::i18n::supported(&form.lang) else {
        return error_response(
            &st,
            &p,
            &Error::invalid("lang", "invalid", "unsupported language"),
        );
    };
    if let Some(c) = &p.customer
        && let Err(e) = st.accounts.set_language(c, lang).await
    {
        return error_response(&st, &p, &e);
    }
    let back = form
        .back
        .as_deref()
        .filter(|b| local_path(&p, b))
        .map_or_else(|| format!("{}/tickets", p.base()), str::to_string);
    let mut r = redirect(Some(&p), &back);
    let _ = r.add_cookie(&st.cookie(
        "portal_lang",
        lang.to_string(),
        Some(CookieDuration::days(365)),
    ));
    r
}

// ---------------------------------------------------------------- the list

/// Display helpers shared by the list, the detail page and the export.
struct Show<'a> {
    st: &'a AppState,
    page: &'a Page,
    names: HashMap<ContactId, String>,
}

impl<'a> Show<'a> {
    fn new(st: &'a AppState, page: &'a Page) -> Show<'a> {
        Show {
            st,
            page,
            names: HashMap::new(),
        }
    }

    fn t(&self, key: &str) -> String {
        self.st.i18n.get(self.page.lang, key).to_string()
    }

    /// A ticket property's label as the admin entered it, in the visitor's language when
    /// the admin gave one (N1).
    fn property_label(&self, property: &str, entered: &str) -> String {
        let s = &self.page.snap.settings;
        if s.translations.is_empty() {
            return entered.to_string();
        }
        s.text(&format!("property.{property}"), self.page.lang, entered)
            .to_string()
    }

    fn column_label(&self, property: &str, custom: Option<&str>) -> String {
        if let Some(l) = custom {
            let s = &self.page.snap.settings;
            if s.translations.is_empty() {
                return l.to_string();
            }
            return s
                .text(&format!("column.{property}"), self.page.lang, l)
                .to_string();
        }
        if !self.page.snap.settings.translations.is_empty()
            && self
                .page
                .snap
                .settings
                .has_text(&format!("column.{property}"), self.page.lang)
        {
            return self
                .page
                .snap
                .settings
                .text(&format!("column.{property}"), self.page.lang, "")
                .to_string();
        }
        if crate::format::is_builtin(property) {
            return crate::web::ticket_text(self.st, self.page, &format!("col.{property}"), &[]);
        }
        self.page.snap.ticket_props.get(property).map_or_else(
            || property.to_string(),
            |d| self.property_label(property, &d.label),
        )
    }

    fn status(&self, t: &Ticket) -> Cow<'a, str> {
        match status_label(
            t,
            &self.page.snap.pipelines,
            self.page.snap.settings.status_display,
        ) {
            StatusLabel::Status(TicketStatus::Open) => self.text("status.open"),
            StatusLabel::Status(TicketStatus::Closed) => self.text("status.closed"),
            StatusLabel::Stage(s) => Cow::Owned(s),
        }
    }

    /// A translation borrowed from the catalogue.
    fn text(&self, key: &'static str) -> Cow<'a, str> {
        Cow::Borrowed(self.st.i18n.get(self.page.lang, key))
    }

    fn agent(&self, id: AgentId) -> Cow<'a, str> {
        self.page
            .snap
            .agents
            .iter()
            .find(|a| a.id == id)
            .map_or_else(
                || self.text("detail.support"),
                |a| Cow::Owned(owner_name(a, self.page.snap.settings.owner_display)),
            )
    }

    fn cell(&self, t: &Ticket, property: &str) -> String {
        self.cell_text(t, property).into_owned()
    }

    /// A cell's text appended to `out`, HTML-escaped.
    fn write_cell_html(&self, out: &mut String, t: &Ticket, property: &str) {
        match property {
            ticket_props::CREATED_AT => format::write_datetime(out, t.created_at, self.page.lang),
            ticket_props::LAST_ACTIVITY_AT => {
                format::write_datetime(out, t.last_activity_at, self.page.lang)
            }
            _ => format::escape_into(out, &self.cell_text(t, property)),
        }
    }

    /// A cell's text, borrowed where it already exists (the list writes it straight into
    /// the page).
    fn cell_text<'s>(&'s self, t: &'s Ticket, property: &str) -> Cow<'s, str> {
        let snap = &self.page.snap;
        match property {
            ticket_props::SUBJECT => Cow::Borrowed(&t.subject),
            ticket_props::ID => Cow::Owned(format!("#{}", t.id)),
            ticket_props::STATUS => self.status(t),
            ticket_props::OWNER => t.owner.map(|a| self.agent(a)).unwrap_or_default(),
            ticket_props::REQUESTED_BY => t
                .requester
                .and_then(|c| self.names.get(&c))
                .map(|n| Cow::Borrowed(n.as_str()))
                .unwrap_or_default(),
            ticket_props::CREATED_AT => Cow::Owned(datetime(t.created_at, self.page.lang)),
            ticket_props::LAST_ACTIVITY_AT => {
                Cow::Owned(datetime(t.last_activity_at, self.page.lang))
            }
            ticket_props::PIPELINE => snap
                .pipelines
                .iter()
                .find(|p| p.id == t.pipeline)
                .map(|p| Cow::Borrowed(p.label.as_str()))
                .unwrap_or_default(),
            ticket_props::STAGE => snap
                .pipelines
                .iter()
                .find_map(|p| p.stage(t.stage))
                .map(|s| Cow::Borrowed(s.label.as_str()))
                .unwrap_or_default(),
            ticket_props::INBOX => t
                .inbox
                .and_then(|i| snap.inboxes.iter().find(|x| x.id == i))
                .map(|i| Cow::Borrowed(i.name.as_str()))
                .unwrap_or_default(),
            other => match t.properties.get(other) {
                Some(Value::Text(s)) => Cow::Borrowed(s.as_str()),
                Some(Value::Number(n)) => Cow::Owned(n.to_string()),
                Some(Value::Date(d)) => Cow::Owned(format::iso_date(*d)),
                None => Cow::Borrowed(""),
            },
        }
    }

    /// Loads the names of the viewer's company in one query (requesters are mostly there),
    /// for the rows' "Requested by" cells; only rows in scope ever show one.
    async fn prime(&mut self, viewer: &Contact) {
        self.names.insert(viewer.id, display_name(viewer));
        if let Some(co) = viewer.primary_company
            && let Ok(cs) = self.st.company_people(co).await
        {
            self.names.extend(cs.iter().cloned());
        }
    }

    async fn load_names(&mut self, tickets: &[Ticket]) {
        let ids: std::collections::BTreeSet<ContactId> = tickets
            .iter()
            .filter_map(|t| t.requester)
            .filter(|c| !self.names.contains_key(c))
            .collect();
        for id in ids {
            if let Ok(c) = self.st.records.find_contact(id).await {
                self.names.insert(id, display_name(&c));
            }
        }
    }
}

/// The list query a request asks for.
fn list_query(p: &Page, q: &HashMap<String, String>) -> TicketQuery {
    let s = &p.snap.settings;
    let visible = |prop: &str| s.columns.iter().any(|c| c.property == prop);
    let sort_prop = q
        .get("sort")
        .filter(|v| visible(v))
        .cloned()
        .unwrap_or_else(|| ticket_props::LAST_ACTIVITY_AT.into());
    let direction = match q.get("dir").map(String::as_str) {
        Some("asc") => Direction::Asc,
        _ => Direction::Desc,
    };
    let mut filters = Vec::new();
    for c in &s.columns {
        // Dates are a range, both ends optional and inclusive: `f.{column}.from` and
        // `f.{column}.to` (a bare `f.{column}` is read as "from").
        if p.snap
            .ticket_props
            .get(&c.property)
            .is_some_and(|d| d.kind == ValueKind::Date)
        {
            let day = |key: String| {
                q.get(&key)
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .and_then(parse_date)
            };
            let from =
                day(format!("f.{}.from", c.property)).or_else(|| day(format!("f.{}", c.property)));
            if let Some(d) = from {
                filters.push(Criterion::new(
                    c.property.clone(),
                    Operator::GreaterThan(Value::Date(Timestamp(d.0 - 1))),
                ));
            }
            if let Some(d) = day(format!("f.{}.to", c.property)) {
                filters.push(Criterion::new(
                    c.property.clone(),
                    Operator::LessThan(Value::Date(Timestamp(d.0 + 86_400_000))),
                ));
            }
            continue;
        }
        let Some(raw) = q
            .get(&format!("f.{}", c.property))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        if c.property == ticket_props::STATUS {
            continue;
        }
        let Some(def) = p.snap.ticket_props.get(&c.property) else {
            continue;
        };
        let op = match def.kind {
            ValueKind::Text if !def.options.is_empty() => Operator::Equals(Value::text(raw)),
            ValueKind::Text => Operator::Contains(raw.to_string()),
            ValueKind::Number => match raw.parse() {
                Ok(n) => Operator::Equals(Value::Number(n)),
                Err(_) => continue,
            },
            ValueKind::Date => match parse_date(raw) {
                Some(d) => Operator::GreaterThan(Value::Date(Timestamp(d.0 - 1))),
                None => continue,
            },
        };
        filters.push(Criterion::new(c.property.clone(), op));
    }
    TicketQuery {
        view: q
            .get("view")
            .and_then(|v| View::parse(v))
            .unwrap_or_default(),
        search: q
            .get("q")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()),
        status: match q.get("status").map(String::as_str) {
            Some("open") => Some(TicketStatus::Open),
            Some("closed") => Some(TicketStatus::Closed),
            _ => None,
        },
        filters,
        sort: Sort {
            property: sort_prop,
            direction,
        },
        after: q
            .get("after")
            .and_then(|a| serde_json::from_str::<Cursor>(a).ok()),
        limit: 25,
    }
}

fn query_string(pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(128);
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if !out.is_empty() {
            out.push('&');
        }
        format::url_encode_into(&mut out, k);
        out.push('=');
        format::url_encode_into(&mut out, v);
    }
    out
}

/// The URL parameters that reproduce a query (without its cursor).
fn query_pairs(q: &TicketQuery, raw: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("view".to_string(), q.view.as_str().to_string()),
        ("q".to_string(), q.search.clone().unwrap_or_default()),
        (
            "status".to_string(),
            q.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        ),
        ("sort".to_string(), q.sort.property.clone()),
        (
            "dir".to_string(),
            if q.sort.direction == Direction::Asc {
                "asc".into()
            } else {
                "desc".into()
            },
        ),
    ];
    let mut fs: Vec<_> = raw.iter().filter(|(k, _)| k.starts_with("f.")).collect();
    fs.sort();
    for (k, v) in fs {
        pairs.push((k.clone(), v.clone()));
    }
    pairs
}

async fn list(req: HttpRequest, st: St, SignedIn(p, viewer): SignedIn) -> HttpResponse {
    match list_view(&st, &p, &viewer, &params(&req)).await {
        Ok(data) => render(&st, &p, StatusCode::OK, "list", data),
        Err(r) => r,
    }
}

/// The list page's data for `viewer` (the page itself, and the template editor's preview).
pub(crate) async fn list_view(
    st: &AppState,
    p: &Page,
    viewer: &Contact,
    raw: &HashMap<String, String>,
) -> Result<J, HttpResponse> {
    let query = list_query(p, raw);
    let result = match st
        .portal
        .list_with(&p.snap.settings, &p.snap.ticket_props, viewer, &query)
        .await
    {
        Ok(r) => r,
        Err(e) => return Err(error_response(st, p, &e)),
    };
    let mut show = Show::new(st, p);
    show.prime(viewer).await;
    show.load_names(&result.page.tickets).await;
    let people = match st.requester_menu(&result.scope, viewer).await {
        Ok(m) => m,
        Err(e) => return Err(error_response(st, p, &e)),
    };
    let base = p.base();
    let pairs = query_pairs(&query, raw);
    // The header row is built here too: a sort link per column.
    let mut columns_html = String::new();
    for c in &p.snap.settings.columns {
        let sorted = query.sort.property == c.property;
        let asc = query.sort.direction == Direction::Asc;
        let next_dir = if sorted && asc { "desc" } else { "asc" };
        let mut ps: Vec<_> = pairs
            .iter()
            .filter(|(k, _)| k != "sort" && k != "dir")
            .cloned()
            .collect();
        ps.push(("sort".into(), c.property.clone()));
        ps.push(("dir".into(), next_dir.into()));
        let label = show.column_label(&c.property, c.label.as_deref());
        let title = st
            .i18n
            .fill(p.lang, "list.sort_by", &[("column", label.clone())]);
        columns_html.push_str("<th scope=\"col\"");
        if sorted {
            columns_html.push_str(if asc {
                " aria-sort=\"ascending\""
            } else {
                " aria-sort=\"descending\""
            });
        }
        columns_html.push_str("><a href=\"");
        format::escape_into(
            &mut columns_html,
            &format!("{base}/tickets?{}", query_string(&ps)),
        );
        columns_html.push_str("\" title=\"");
        format::escape_into(&mut columns_html, &title);
        columns_html.push_str("\">");
        format::escape_into(&mut columns_html, &label);
        if sorted {
            columns_html.push_str(if asc {
                " <span aria-hidden=\"true\">▲</span>"
            } else {
                " <span aria-hidden=\"true\">▼</span>"
            });
        }
        columns_html.push_str("</a></th>\n");
    }
    // The table body is built here, escaped like handlebars escapes, in one string.
    let mut rows_html = String::with_capacity(result.page.tickets.len() * 600);
    for t in &result.page.tickets {
        rows_html.push_str("<tr>");
        for c in &p.snap.settings.columns {
            if c.property == ticket_props::SUBJECT {
                let _ = write!(rows_html, "<td><a href=\"{base}/tickets/{}\">", t.id);
                format::escape_into(&mut rows_html, &t.subject);
                rows_html.push_str("</a></td>");
            } else {
                rows_html.push_str("<td>");
                show.write_cell_html(&mut rows_html, t, &c.property);
                rows_html.push_str("</td>");
            }
        }
        rows_html.push_str("</tr>\n");
    }
    let views: Option<Vec<J>> = (result.views.len() > 1).then(|| {
        result
            .views
            .iter()
            .map(|v| {
                let key = if *v == View::Mine {
                    "list.view_mine"
                } else {
                    "list.view_organization"
                };
                json!({ "value": v.as_str(), "label": crate::web::ticket_text(st, p, key, &[]), "selected": *v == result.view })
            })
            .collect()
    });
    let statuses: Vec<J> = [("", "list.status_any"), ("open", "status.open"), ("closed", "status.closed")]
        .iter()
        .map(|(v, k)| json!({ "value": v, "label": show.t(k), "selected": query.status.map_or("", |s| s.as_str()) == *v }))
        .collect();
    let filters = filter_controls(&show, raw, &people);
    let next_url = result.page.next.as_ref().map(|c| {
        let mut ps = pairs.clone();
        ps.push(("after".into(), serde_json::to_string(c).unwrap_or_default()));
        format!("{base}/tickets?{}", query_string(&ps))
    });
    let first_url = query
        .after
        .is_some()
        .then(|| format!("{base}/tickets?{}", query_string(&pairs)));
    Ok(json!({
        "title": tickets_label(st, p).1,
        "query": { "q": query.search.clone().unwrap_or_default(), "sort": query.sort.property, "dir": if query.sort.direction == Direction::Asc { "asc" } else { "desc" } },
        "views": views,
        "statuses": statuses,
        "filters": filters,
        "columns_html": columns_html,
        "rows": !result.page.tickets.is_empty(),
        "rows_html": rows_html,
        "total": result.total,
        "more": result.more,
        "count_text": crate::web::ticket_text(st, p, if result.more { "list.count_more" } else { "list.count" }, &[("n", result.total.to_string())]),
        "empty_text": crate::web::ticket_text(st, p, "list.empty", &[]),
        // A customer without any ticket yet is welcomed and shown the next step.
        "welcome": (result.total == 0
            && query.search.is_none()
            && query.status.is_none()
            && query.filters.is_empty()
            && query.after.is_none())
            .then(|| crate::web::ticket_text(st, p, "list.welcome", &[])),
        "next_url": next_url,
        "first_url": first_url,
        "export_url": format!("{base}/tickets/export.csv?{}", query_string(&pairs)),
        "export_excel_url": format!("{base}/tickets/export.csv?{}&excel=1", query_string(&pairs)),
    }))
}

/// Filter controls for the visible columns (T1): a select for owners, requesters,
/// pipelines, stages and enumerations; a text box for text; a date box for dates.
fn filter_controls(
    show: &Show<'_>,
    raw: &HashMap<String, String>,
    people: &[(ContactId, String)],
) -> Vec<J> {
    let snap = &show.page.snap;
    let mut out = Vec::new();
    for c in &snap.settings.columns {
        if c.property == ticket_props::STATUS || c.property == ticket_props::ID {
            continue;
        }
        let Some(def) = snap.ticket_props.get(&c.property) else {
            continue;
        };
        let value = raw
            .get(&format!("f.{}", c.property))
            .cloned()
            .unwrap_or_default();
        // The <option> lists are built here (escaped), like the table body.
        let mut html = String::new();
        let mut opt = |v: &str, label: &str| {
            html.push_str("<option value=\"");
            format::escape_into(&mut html, v);
            html.push_str(if v == value { "\" selected>" } else { "\">" });
            format::escape_into(&mut html, label);
            html.push_str("</option>");
        };
        let select = match c.property.as_str() {
            ticket_props::OWNER => {
                for a in &snap.agents {
                    opt(
                        &a.id.to_string(),
                        &owner_name(a, snap.settings.owner_display),
                    );
                }
                true
            }
            ticket_props::PIPELINE => {
                for p in &snap.pipelines {
                    opt(&p.id.to_string(), &p.label);
                }
                true
            }
            ticket_props::STAGE => {
                for p in &snap.pipelines {
                    for st in &p.stages {
                        opt(&st.id.to_string(), &format!("{} – {}", p.label, st.label));
                    }
                }
                true
            }
            ticket_props::INBOX => {
                for i in &snap.inboxes {
                    opt(&i.id.to_string(), &i.name);
                }
                true
            }
            ticket_props::REQUESTED_BY => {
                for (id, n) in people {
                    opt(&id.to_string(), n);
                }
                true
            }
            _ if !def.options.is_empty() => {
                for o in &def.options {
                    opt(o, o);
                }
                true
            }
            _ => false,
        };
        if def.kind == ValueKind::Date {
            // From and to, both days included.
            let label = show.column_label(&c.property, c.label.as_deref());
            let mut control = String::with_capacity(320);
            for (end, key) in [("from", "list.date_from"), ("to", "list.date_to")] {
                let name = format!("f.{}.{end}", c.property);
                let v = raw.get(&name).cloned().unwrap_or_else(|| {
                    if end == "from" {
                        value.clone()
                    } else {
                        String::new()
                    }
                });
                let text = show.t(key);
                control.push_str("<label class=\"range\">");
                format::escape_into(&mut control, &text);
                control.push_str(" <input");
                if end == "from" {
                    control.push_str(" id=\"f-");
                    format::escape_into(&mut control, &c.property);
                    control.push('"');
                }
                control.push_str(" name=\"");
                format::escape_into(&mut control, &name);
                control.push_str("\" type=\"date\" value=\"");
                format::escape_into(&mut control, &v);
                control.push_str("\" aria-label=\"");
                format::escape_into(&mut control, &format!("{label} {text}"));
                control.push_str("\"></label> ");
            }
            out.push(json!({
                "property": c.property,
                "label": label,
                "control_html": control,
            }));
            continue;
        }
        let input = "text";
        // The control itself (a select with its options, or an input), escaped here.
        let mut control = String::with_capacity(html.len() + 160);
        let id = |out: &mut String| {
            out.push_str(" id=\"f-");
            format::escape_into(out, &c.property);
            out.push_str("\" name=\"f.");
            format::escape_into(out, &c.property);
            out.push('"');
        };
        if select {
            control.push_str("<select");
            id(&mut control);
            control.push_str(">\n    <option value=\"\">");
            format::escape_into(&mut control, &show.t("list.filter_any"));
            control.push_str("</option>\n    ");
            control.push_str(&html);
            control.push_str("\n  </select>");
        } else {
            control.push_str("<input");
            id(&mut control);
            control.push_str(" type=\"");
            control.push_str(input);
            control.push_str("\" value=\"");
            format::escape_into(&mut control, &value);
            control.push_str("\">");
        }
        out.push(json!({
            "property": c.property,
            "label": show.column_label(&c.property, c.label.as_deref()),
            "control_html": control,
        }));
    }
    out
}

async fn export(req: HttpRequest, st: St, SignedIn(p, viewer): SignedIn) -> HttpResponse {
    let raw = params(&req);
    let query = list_query(&p, &raw);
    let exporter = match st
        .portal
        .export_with(&p.snap.settings, &p.snap.ticket_props, &viewer, &query)
        .await
    {
        Ok(e) => e,
        Err(e) => return error_response(&st, &p, &e),
    };
    let mut show = Show::new(&st, &p);
    show.prime(&viewer).await;
    let header: Vec<String> = p
        .snap
        .settings
        .columns
        .iter()
        .map(|c| show.column_label(&c.property, c.label.as_deref()))
        .collect();
    let columns: Vec<String> = p
        .snap
        .settings
        .columns
        .iter()
        .map(|c| c.property.clone())
        .collect();
    let file = format!(
        "{}.csv",
        tickets_label(&st, &p).1.to_lowercase().replace(' ', "-")
    );
    // "For Excel": a UTF-8 byte order mark (Excel otherwise reads UTF-8 as the system's
    // code page and garbles ä, ø, ü) and the list separator of the visitor's language
    // (`;` where decimals are written with a comma, as Excel expects there).
    let excel = raw.get("excel").is_some_and(|v| v == "1");
    let sep = if excel {
        st.i18n
            .get(p.lang, "format.list_separator")
            .chars()
            .next()
            .unwrap_or(',')
    } else {
        ','
    };
    let mut first = if excel {
        String::from("\u{feff}")
    } else {
        String::new()
    };
    first.push_str(&format::csv_row_with(&header, sep));
    let file = if excel {
        file.replace(".csv", "-excel.csv")
    } else {
        file
    };
    let names = std::mem::take(&mut show.names);
    let state = ExportState {
        st: st.get_ref().clone(),
        page: p,
        exporter,
        columns,
        names,
        first: Some(first),
        sep,
    };
    let body = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(h) = s.first.take() {
            return Some((Ok::<_, actix_web::Error>(web::Bytes::from(h)), s));
        }
        match s.exporter.next_batch().await {
            Ok(Some(rows)) => {
                let mut show = Show {
                    st: &s.st,
                    page: &s.page,
                    names: std::mem::take(&mut s.names),
                };
                show.load_names(&rows).await;
                let mut chunk = String::new();
                for t in &rows {
                    let cells: Vec<String> = s.columns.iter().map(|c| show.cell(t, c)).collect();
                    chunk.push_str(&format::csv_row_with(&cells, s.sep));
                }
                let names = show.names;
                s.names = names;
                Some((Ok(web::Bytes::from(chunk)), s))
            }
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "export failed midway");
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export failed")),
                    s,
                ))
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format::content_disposition(&file),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body)
}

struct ExportState {
    st: AppState,
    page: std::rc::Rc<Page>,
    exporter: portal_core::usecases::portal::Export,
    columns: Vec<String>,
    names: HashMap<ContactId, String>,
    first: Option<String>,
    sep: char,
}

// ---------------------------------------------------------------- detail, reply, close, download

fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.0} KB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

fn limits_text(st: &AppState, p: &Page, l: UploadLimits) -> String {
    st.i18n.fill(
        p.lang,
        "detail.attach_help",
        &[
            ("files", l.max_files.to_string()),
            ("file_mb", (l.max_file_bytes / (1024 * 1024)).to_string()),
            ("total_mb", (l.max_total_bytes / (1024 * 1024)).to_string()),
        ],
    )
}

async fn detail_page(
    st: &AppState,
    p: &Page,
    viewer: &Contact,
    id: TicketId,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
    match detail_view(st, p, viewer, id, extra).await {
        Ok(data) => render(st, p, status, "detail", data),
        Err(r) => r,
    }
}

/// A ticket page's data for `viewer` (the page itself, and the template editor's preview).
pub(crate) async fn detail_view(
    st: &AppState,
    p: &Page,
    viewer: &Contact,
    id: TicketId,
    extra: J,
) -> Result<J, HttpResponse> {
    let writable = p
        .preview
        .as_ref()
        .is_none_or(|pv| pv.permits(portal_core::usecases::inbox::PortalAccess::Write));
    let d = match st
        .portal
        .detail_with(&p.snap.settings, &p.snap.pipelines, viewer, id)
        .await
    {
        Ok(d) => d,
        Err(e) => return Err(error_response(st, p, &e)),
    };
    let mut show = Show::new(st, p);
    let mut authors: Vec<Ticket> = Vec::new();
    if let Some(thread) = &d.thread {
        for m in &thread.messages {
            if let Author::Contact(c) = m.author {
                authors.push(Ticket {
                    requester: Some(c),
                    ..d.ticket.clone()
                });
            }
        }
    }
    show.load_names(&authors).await;
    show.load_names(std::slice::from_ref(&d.ticket)).await;
    let base = p.base();
    let properties: Vec<J> = p
        .snap
        .settings
        .columns
        .iter()
        .filter(|c| c.property != ticket_props::SUBJECT)
        .map(|c| json!({ "label": show.column_label(&c.property, c.label.as_deref()), "text": show.cell(&d.ticket, &c.property) }))
        .collect();
    let messages: Vec<J> = d
        .thread
        .iter()
        .flat_map(|t| t.messages.iter())
        .map(|m| {
            let (author, side) = match m.author {
                Author::Contact(c) if c == viewer.id => (show.t("detail.you"), "mine"),
                Author::Contact(c) => (show.names.get(&c).cloned().unwrap_or_default(), "theirs"),
                Author::Agent(a) => (show.agent(a).into_owned(), "support"),
                Author::System => (show.t("detail.support"), "support"),
            };
            json!({
                "author": author,
                "side": side,
                "at": datetime(m.created_at, p.lang),
                "body": m.body,
                "attachments": m.attachments.iter().map(|a| json!({
                    "url": format!("{base}/attachments/{}", a.id), "name": a.file_name, "size": human_size(a.size)
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut data = json!({
        "title": d.ticket.subject,
        "ticket": { "id": d.ticket.id.0, "subject": d.ticket.subject },
        "properties": properties,
        "messages": messages,
        "attachments_label": show.t("detail.attachments"),
        "may_reply": d.may_reply && writable,
        "may_close": d.may_close && writable,
        "close_text": crate::web::ticket_text(st, p, "detail.close", &[]),
        "closed_text": crate::web::ticket_text(st, p, "detail.closed_no_reply", &[]),
        "limits": limits_text(st, p, st.portal.limits()),
        "errors": null,
        "draft": "",
    });
    if let (J::Object(a), J::Object(b)) = (&mut data, extra) {
        a.extend(b);
    }
    Ok(data)
}

async fn detail(
    req: HttpRequest,
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let notice = match params(&req).get("done").map(String::as_str) {
        Some("replied") => Some(st.i18n.get(p.lang, "detail.replied").to_string()),
        Some("closed") => Some(crate::web::ticket_text(&st, &p, "detail.closed", &[])),
        Some("created") => Some(crate::web::ticket_text(&st, &p, "new.created", &[])),
        _ => None,
    };
    detail_page(
        &st,
        &p,
        &viewer,
        TicketId(id),
        StatusCode::OK,
        json!({ "notice": notice }),
    )
    .await
}

/// A parsed multipart form: text fields and uploaded files (within the limits).
pub(crate) struct Upload {
    pub(crate) fields: HashMap<String, String>,
    pub(crate) files: Vec<(String, Vec<u8>)>,
}

const MAX_FIELD_BYTES: usize = 256 * 1024;

/// Reads a multipart form, refusing as soon as a limit is crossed (SECURITY rule 19).
/// An upload refused while it streamed, with the text fields read before the refusal (the
/// page shows them again, so a refused file never throws away what was typed).
pub(crate) struct Refused {
    pub reason: UploadRefused,
    pub fields: HashMap<String, String>,
}

pub(crate) async fn read_multipart(
    mp: Multipart,
    limits: UploadLimits,
) -> Result<Upload, Result<Refused, String>> {
    let mut fields = HashMap::new();
    match read_multipart_into(mp, limits, &mut fields).await {
        Ok(files) => Ok(Upload { fields, files }),
        Err(Ok(reason)) => Err(Ok(Refused { reason, fields })),
        Err(Err(e)) => Err(Err(e)),
    }
}

async fn read_multipart_into(
    mut mp: Multipart,
    limits: UploadLimits,
    fields: &mut HashMap<String, String>,
) -> Result<Vec<(String, Vec<u8>)>, Result<UploadRefused, String>> {
    let mut files = Vec::new();
    let mut total: u64 = 0;
    // After a refusal the rest is still read (the request body is bounded by the payload
    // limit), keeping text fields that come after the files and dropping file bytes.
    let mut refused: Option<UploadRefused> = None;
    while let Some(item) = mp.next().await {
        let mut field = item.map_err(|e| Err(e.to_string()))?;
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        match file_name {
            Some(file_name) => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| Err(e.to_string()))?;
                    if refused.is_some() {
                        continue;
                    }
                    bytes.extend_from_slice(&chunk);
                    total += chunk.len() as u64;
                    if bytes.len() as u64 > limits.max_file_bytes {
                        refused = Some(UploadRefused::FileTooLarge {
                            max: limits.max_file_bytes,
                        });
                    } else if total > limits.max_total_bytes {
                        refused = Some(UploadRefused::TotalTooLarge {
                            max: limits.max_total_bytes,
                        });
                    }
                }
                if refused.is_some() || (file_name.is_empty() && bytes.is_empty()) {
                    continue; // refused, or an empty file input
                }
                if files.len() >= limits.max_files {
                    refused = Some(UploadRefused::TooManyFiles {
                        max: limits.max_files,
                    });
                    continue;
                }
                files.push((file_name, bytes));
            }
            None => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| Err(e.to_string()))?;
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_FIELD_BYTES {
                        return Err(Err(format!("field {name} too large")));
                    }
                }
                fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    match refused {
        Some(r) => Err(Ok(r)),
        None => Ok(files),
    }
}

/// Stores the uploaded files, each named by its cleaned name and typed by its bytes; on a
/// failure nothing stays stored.
pub(crate) async fn store_files(
    st: &AppState,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Vec<NewAttachment>, Error> {
    let uploads = files
        .into_iter()
        .map(|(name, bytes)| portal_core::usecases::files::Upload {
            file_name: clean_file_name(&name),
            content_type: format::sniff(&bytes).to_string(),
            bytes,
        })
        .collect();
    st.files.store(uploads).await
}

pub(crate) async fn discard(st: &AppState, files: &[NewAttachment]) {
    st.files.discard(files).await;
}

/// The last path segment of an uploaded name, without control characters.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "file".into()
    } else {
        clean
    }
}

async fn reply(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    mp: Multipart,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(Ok(refused)) => {
            let text = upload_problem(&st, &p, &refused.reason);
            let draft = refused.fields.get("body").cloned().unwrap_or_default();
            return detail_page(
                &st,
                &p,
                &viewer,
                TicketId(id),
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({ "errors": [text], "draft": draft }),
            )
            .await;
        }
        Err(Err(e)) => {
            tracing::info!(error = %e, "malformed upload");
            return problems_page(
                &st,
                &p,
                StatusCode::BAD_REQUEST,
                vec![st.i18n.get(p.lang, "error.too_large").into()],
            );
        }
    };
    if let Err(e) = check_csrf(&p, up.fields.get("csrf").map(String::as_str)) {
        return refusal_page(&st, &p, &e);
    }
    let draft = up.fields.get("body").cloned().unwrap_or_default();
    let files = match store_files(&st, up.files).await {
        Ok(f) => f,
        Err(e) => return error_response(&st, &p, &e),
    };
    let input = ReplyInput {
        body_html: format::markdown(&draft),
        attachments: files.clone(),
    };
    match st
        .portal
        .reply(&p.snap.settings, &viewer, TicketId(id), input)
        .await
    {
        Ok(_) => redirect(Some(&p), &format!("{}/tickets/{id}?done=replied", p.base())),
        Err(e) => {
            discard(&st, &files).await;
            let problem = match &e {
                Error::Invalid(errs) => errs
                    .iter()
                    .map(|f| {
                        crate::web::field_problem(&st, &p, f, st.i18n.get(p.lang, "detail.reply"))
                    })
                    .collect(),
                Error::UploadRefused(u) => vec![upload_problem(&st, &p, u)],
                Error::ActionDenied(a) => vec![crate::web::action_problem(&st, &p, a)],
                _ => return error_response(&st, &p, &e),
            };
            let status = match e {
                Error::UploadRefused(_) => StatusCode::PAYLOAD_TOO_LARGE,
                Error::ActionDenied(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            detail_page(
                &st,
                &p,
                &viewer,
                TicketId(id),
                status,
                json!({ "errors": problem, "draft": draft }),
            )
            .await
        }
    }
}

async fn close(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    _: Checked<CsrfForm>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    match st
        .portal
        .close(&p.snap.settings, &viewer, TicketId(id))
        .await
    {
        Ok(()) => redirect(Some(&p), &format!("{}/tickets/{id}?done=closed", p.base())),
        Err(e) => error_response(&st, &p, &e),
    }
}

async fn download(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    match st
        .portal
        .download(&p.snap.settings, &viewer, AttachmentId(id))
        .await
    {
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
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(bytes),
        Err(e) => error_response(&st, &p, &e),
    }
}

// ---------------------------------------------------------------- the support form

fn form_fields(show: &Show<'_>, values: &BTreeMap<String, String>) -> Vec<J> {
    let snap = &show.page.snap;
    snap.settings
        .support_form
        .fields
        .iter()
        .filter_map(|f| {
            let def = snap.ticket_props.get(&f.property)?;
            let value = values.get(&f.property).cloned().unwrap_or_default();
            let options: Option<Vec<J>> = (!def.options.is_empty())
                .then(|| def.options.iter().map(|o| json!({ "value": o, "selected": *o == value })).collect());
            Some(json!({
                "name": f.property,
                "label": show.property_label(&f.property, f.label.as_deref().unwrap_or(&def.label)),
                "required": f.required,
                "options": options,
                "input": match def.kind { ValueKind::Number => "number", ValueKind::Date => "date", ValueKind::Text => "text" },
                "value": value,
            }))
        })
        .collect()
}

fn form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    values: &BTreeMap<String, String>,
    subject: &str,
    description: &str,
    errors: Vec<String>,
) -> HttpResponse {
    let show = Show::new(st, p);
    let f = &p.snap.settings.support_form;
    let default = portal_core::settings::SupportForm::default();
    let settings = &p.snap.settings;
    let menu = if settings.has_text("support_form.menu_text", p.lang) {
        settings
            .text("support_form.menu_text", p.lang, &f.menu_text)
            .to_string()
    } else if f.menu_text == default.menu_text {
        crate::web::ticket_text(st, p, "new.title", &[])
    } else {
        f.menu_text.clone()
    };
    let header = if settings.has_text("support_form.header_text", p.lang) {
        settings
            .text("support_form.header_text", p.lang, &f.header_text)
            .to_string()
    } else if f.header_text == default.header_text {
        show.t("new.header")
    } else {
        f.header_text.clone()
    };
    render(
        st,
        p,
        status,
        "new",
        json!({
            "title": menu,
            "form": { "menu": menu, "header": header },
            "fields": form_fields(&show, values),
            "values": { "subject": subject, "description": description },
            "limits": limits_text(st, p, st.portal.limits()),
            "errors": if errors.is_empty() { J::Null } else { json!(errors) },
        }),
    )
}

async fn new_form(st: St, SignedIn(p, _): SignedIn) -> HttpResponse {
    if !p.snap.settings.support_form_open() {
        return error_response(&st, &p, &Error::NotFound);
    }
    form_page(
        &st,
        &p,
        StatusCode::OK,
        &BTreeMap::new(),
        "",
        "",
        Vec::new(),
    )
}

async fn new_ticket(st: St, SignedIn(p, viewer): SignedIn, mp: Multipart) -> HttpResponse {
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(Ok(refused)) => {
            let text = upload_problem(&st, &p, &refused.reason);
            let f = &refused.fields;
            let values: BTreeMap<String, String> = f
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("field.").map(|n| (n.to_string(), v.clone())))
                .collect();
            return form_page(
                &st,
                &p,
                StatusCode::PAYLOAD_TOO_LARGE,
                &values,
                f.get("subject").map_or("", String::as_str),
                f.get("description").map_or("", String::as_str),
                vec![text],
            );
        }
        Err(Err(_)) => {
            return problems_page(
                &st,
                &p,
                StatusCode::BAD_REQUEST,
                vec![st.i18n.get(p.lang, "error.too_large").into()],
            );
        }
    };
    if let Err(e) = check_csrf(&p, up.fields.get("csrf").map(String::as_str)) {
        return refusal_page(&st, &p, &e);
    }
    let values: BTreeMap<String, String> = up
        .fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("field.").map(|n| (n.to_string(), v.clone())))
        .collect();
    let subject = up.fields.get("subject").cloned().unwrap_or_default();
    let description = up.fields.get("description").cloned().unwrap_or_default();
    let files = match store_files(&st, up.files).await {
        Ok(f) => f,
        Err(e) => return error_response(&st, &p, &e),
    };
    let input = FormInput {
        subject: subject.clone(),
        description_html: format::markdown(&description),
        fields: values.clone(),
        attachments: files.clone(),
    };
    match st
        .portal
        .submit_form(&p.snap.settings, &viewer, input)
        .await
    {
        Ok(t) => redirect(
            Some(&p),
            &format!("{}/tickets/{}?done=created", p.base(), t.id),
        ),
        Err(e) => {
            discard(&st, &files).await;
            let show = Show::new(&st, &p);
            let label = |field: &str| match field {
                "subject" => show.t("new.subject"),
                "description" => show.t("new.description"),
                "form" => show.t("new.title"),
                other => p
                    .snap
                    .ticket_props
                    .get(other)
                    .map_or_else(|| other.to_string(), |d| d.label.clone()),
            };
            let problems = match &e {
                Error::Invalid(errs) => errs
                    .iter()
                    .map(|f| crate::web::field_problem(&st, &p, f, &label(&f.field)))
                    .collect(),
                Error::UploadRefused(u) => vec![upload_problem(&st, &p, u)],
                _ => return error_response(&st, &p, &e),
            };
            // One status per outcome on every page: a refused upload is 413, a form with
            // problems 422.
            let status = if matches!(e, Error::UploadRefused(_)) {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            form_page(&st, &p, status, &values, &subject, &description, problems)
        }
    }
}

// ------------------------------------------------------------------ single sign-on (A3)

/// The login page's single sign-on buttons: only when the admin turned SSO on and a
/// provider is configured.
fn sso_buttons(st: &AppState, p: &Page, next: &str) -> J {
    if p.snap.settings.access.sso == portal_core::access::SsoAccess::Off {
        return json!({ "any": false });
    }
    let return_to = if next.is_empty() {
        String::new()
    } else {
        format!("?return_to={}", format::component_encode(next))
    };
    let saml = st
        .sso
        .has_saml()
        .then(|| format!("{}/sso/saml/login{return_to}", p.base()));
    let jwt = st
        .sso
        .jwt_login_url()
        .map(|_| format!("{}/sso/jwt/login{return_to}", p.base()));
    json!({ "any": saml.is_some() || jwt.is_some(), "saml": saml, "jwt": jwt })
}

/// A return address from the identity provider's side, accepted only inside the portal
/// (rules 10, 16); anything else is logged and dropped.
fn safe_return(st: &AppState, p: &Page, candidate: Option<&str>) -> Option<String> {
    let candidate = candidate.filter(|c| !c.is_empty())?;
    let safe = portal_core::usecases::sso::inside_portal(candidate, &st.config.base_url, &p.base());
    if safe.is_none() {
        tracing::warn!(return_to = %candidate, "single sign-on return address outside the portal ignored");
    }
    safe
}

/// Ends the visitor's old session, starts the new one and goes on (rules 5, 17).
async fn signed_on(
    req: &HttpRequest,
    st: &AppState,
    p: &Page,
    login: portal_core::usecases::sso::SsoLogin,
) -> HttpResponse {
    if let Some(old) = req.cookie(st.session_cookie_name()) {
        let _ = st.accounts.logout(old.value()).await;
    }
    tracing::info!(contact = login.customer.contact.id.0, "single sign-on");
    let next = login
        .return_to
        .unwrap_or_else(|| format!("{}/tickets", p.base()));
    let mut r = redirect(None, &next);
    let _ = r.add_cookie(&st.cookie(st.session_cookie_name(), login.session.token, None));
    r
}

async fn saml_metadata(st: St, Visitor(p): Visitor) -> HttpResponse {
    match st.sso.saml_metadata() {
        Ok(xml) => HttpResponse::Ok()
            .content_type("application/samlmetadata+xml")
            .body(xml),
        Err(e) => error_response(&st, &p, &e),
    }
}

async fn saml_login(req: HttpRequest, st: St, Visitor(p): Visitor) -> HttpResponse {
    let q = params(&req);
    let return_to = safe_return(&st, &p, q.get("return_to").map(String::as_str));
    match st.sso.saml_start(return_to).await {
        Ok(url) => {
            let mut r = HttpResponse::SeeOther();
            r.insert_header((header::LOCATION, url));
            r.insert_header((header::CACHE_CONTROL, "no-store"));
            r.finish()
        }
        Err(e) => error_response(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

async fn saml_acs(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    form: web::Form<AcsForm>,
) -> HttpResponse {
    let relay = safe_return(&st, &p, form.relay_state.as_deref());
    match st.sso.saml_acs(&form.saml_response, relay).await {
        Ok(login) => signed_on(&req, &st, &p, login).await,
        Err(e) => error_response(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
struct JwtForm {
    jwt: String,
    return_to: Option<String>,
}

async fn jwt_get(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    q: web::Query<JwtForm>,
) -> HttpResponse {
    jwt_enter(&req, &st, &p, q.into_inner()).await
}

async fn jwt_post(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    form: web::Form<JwtForm>,
) -> HttpResponse {
    jwt_enter(&req, &st, &p, form.into_inner()).await
}

async fn jwt_enter(req: &HttpRequest, st: &AppState, p: &Page, form: JwtForm) -> HttpResponse {
    let return_to = safe_return(st, p, form.return_to.as_deref());
    match st.sso.jwt_login(&form.jwt, return_to).await {
        Ok(login) => signed_on(req, st, p, login).await,
        Err(e) => error_response(st, p, &e),
    }
}

/// The JWT login button: off to the vendor's login page, which signs a token and sends the
/// visitor back to `/{slug}/sso/jwt` with it.
async fn jwt_login_redirect(req: HttpRequest, st: St, Visitor(p): Visitor) -> HttpResponse {
    let Some(remote) = st.sso.jwt_login_url() else {
        return error_response(&st, &p, &Error::NotFound);
    };
    let q = params(&req);
    let return_to = safe_return(&st, &p, q.get("return_to").map(String::as_str))
        .unwrap_or_else(|| format!("{}/tickets", p.base()));
    let absolute = format!("{}{return_to}", st.config.base_url);
    let sep = if remote.contains('?') { '&' } else { '?' };
    let mut r = HttpResponse::SeeOther();
    r.insert_header((
        header::LOCATION,
        format!(
            "{remote}{sep}return_to={}",
            format::component_encode(&absolute)
        ),
    ));
    r.finish()
}
