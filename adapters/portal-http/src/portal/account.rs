//! Signing in and out, registration (A2), invitations (A1), the account page, password
//! resets, emailed login links (rule 9) and the language switch (N1).

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::context::{Checked, SignedIn, Visitor, check_csrf, removal, token_page};
use crate::portal::sso::sso_buttons;
use crate::render::render;
use crate::render::{Page, error_response, local_path, params, redirect, refusal_page};

type St = web::Data<AppState>;

// ---------------------------------------------------------------- login, logout, language

pub(crate) async fn login_form(req: HttpRequest, st: St, Visitor(p): Visitor) -> HttpResponse {
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
pub(crate) struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
    next: Option<String>,
    /// The browser's time zone (set by the page's script; absent without it).
    tz: Option<String>,
}

pub(crate) async fn login(
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
    let outcome = st
        .throttle
        .guard(&attempt, st.accounts.login(&form.email, &form.password))
        .await;
    crate::observe::login("portal", &outcome);
    match outcome {
        Err(e @ Error::Throttled(wait)) => fail(
            crate::errors::page_status(&e),
            st.i18n
                .fill(p.lang, "login.throttled", &[("n", wait.into())]),
        ),
        Ok((customer, new)) => {
            // A first login takes the browser's zone; a failure here costs only that.
            if let Some(tz) = form.tz.as_deref().filter(|z| !z.is_empty())
                && let Err(e) = st.accounts.adopt_browser_zone(&customer, tz).await
            {
                tracing::warn!(error = %e, "keeping the browser's time zone failed");
            }
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
        Err(e @ Error::BadCredentials) => fail(
            crate::errors::page_status(&e),
            st.i18n.get(p.lang, "login.failed").to_string(),
        ),
        Err(e) => error_response(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
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
    TimeZoneForm,
);

pub(crate) async fn logout(
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

/// The registration form's fields, by their input ids.
pub(crate) const REGISTER_FIELDS: &[&str] =
    &["first_name", "last_name", "email", "password", "consent"];

pub(crate) fn register_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    sent: bool,
    values: J,
    problems: Vec<(String, String)>,
) -> HttpResponse {
    let s = &p.snap.settings;
    let c = &s.consent;
    let title = st.i18n.get(p.lang, "register.title");
    let shown = crate::render::form_problems(REGISTER_FIELDS, &problems);
    // `errors`: the texts alone, for templates written before the summary.
    let errors: Vec<&String> = problems.iter().map(|(_, t)| t).collect();
    render(
        st,
        p,
        status,
        "register",
        json!({
            "title": title, "sent": sent, "values": values, "errors": errors,
            "problems": shown["problems"], "field_errors": shown["field_errors"],
            "consent": { "text": s.text("consent.text", p.lang, &c.text), "checkbox": s.text("consent.checkbox_label", p.lang, &c.checkbox_label),
                         "links": c.links.iter().map(|l| json!({ "label": l.label, "url": l.url })).collect::<Vec<_>>() },
        }),
    )
}

pub(crate) async fn register_form(st: St, Visitor(p): Visitor) -> HttpResponse {
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
pub(crate) struct RegisterForm {
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    consent: Option<String>,
    csrf: Option<String>,
}

pub(crate) async fn register_account(
    req: HttpRequest,
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
        client: st.client_address(&req),
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
                .map(|e| {
                    let field = if REGISTER_FIELDS.contains(&e.field.as_str()) {
                        e.field.clone()
                    } else {
                        "consent".to_string()
                    };
                    (
                        field,
                        crate::render::field_problem(&st, &p, e, &label(&e.field)),
                    )
                })
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

pub(crate) async fn confirm_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(crate::render::message(
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

pub(crate) async fn confirm(
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
        Err(Error::Invalid(_)) => token_page(crate::render::message(
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

pub(crate) fn welcome_page(
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

pub(crate) async fn welcome_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(crate::render::message(
            &st,
            &p,
            StatusCode::BAD_REQUEST,
            "welcome.title",
            "reset.invalid_link",
        ));
    }
    welcome_page(&st, &p, StatusCode::OK, &token, None)
}

pub(crate) async fn welcome(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
    Checked(form): Checked<ResetSetForm>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    match st.accounts.accept_invitation(&token, &form.password).await {
        Ok(()) => token_page(redirect(Some(&p), &format!("{}/login?welcome=1", p.base()))),
        Err(Error::Invalid(errs)) if errs.iter().any(|e| e.field == "password") => {
            let text = crate::render::field_problem(
                &st,
                &p,
                &errs[0],
                st.i18n.get(p.lang, "login.password"),
            );
            welcome_page(
                &st,
                &p,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                Some(text),
            )
        }
        Err(Error::Invalid(_)) => token_page(crate::render::message(
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

pub(crate) async fn account_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    problems: Vec<(String, String)>,
    notice: Option<&str>,
) -> HttpResponse {
    // The company's access log, for its portal admins (C4).
    let company_logs = match p.contact() {
        Some(c) => match st.portal.access_log_companies(c).await {
            Ok(companies) => companies,
            Err(e) => return error_response(st, p, &e),
        },
        None => Vec::new(),
    };
    let title = st.i18n.get(p.lang, "account.title");
    let shown =
        crate::render::form_problems(&["current_password", "password", "time_zone"], &problems);
    let errors: Vec<&String> = problems.iter().map(|(_, t)| t).collect();
    let email = p
        .customer
        .as_ref()
        .map(|c| c.account.email.clone())
        .unwrap_or_default();
    let own = p
        .customer
        .as_ref()
        .and_then(|c| c.account.time_zone.clone())
        .unwrap_or_default();
    let zones: Vec<J> = portal_core::zone::zone_names()
        .into_iter()
        .map(|z| json!({ "name": z, "selected": z == own }))
        .collect();
    let portal_zone = portal_core::zone::visitor_zone(None, &p.snap.settings.time_zone);
    render(
        st,
        p,
        status,
        "account",
        json!({
            "title": title, "email": email, "errors": errors, "notice": notice,
            "problems": shown["problems"], "field_errors": shown["field_errors"],
            "zones": zones, "portal_zone": portal_zone.name(), "zone": p.zone().name(),
            "company_log": !company_logs.is_empty(),
            "several_logs": company_logs.len() > 1,
            "company_logs": company_logs.iter().map(|c| json!({ "id": c.id.0, "name": c.name })).collect::<Vec<_>>(),
        }),
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct TimeZoneForm {
    time_zone: String,
    csrf: Option<String>,
}

pub(crate) async fn set_time_zone(
    st: St,
    SignedIn(p, _): SignedIn,
    Checked(form): Checked<TimeZoneForm>,
) -> HttpResponse {
    // A staff preview has no session of its own and changes nothing.
    let (Some(customer), Some(_)) = (&p.customer, &p.session) else {
        return error_response(&st, &p, &Error::NotFound);
    };
    match st.accounts.set_time_zone(customer, &form.time_zone).await {
        Ok(()) => redirect(Some(&p), &format!("{}/account?zone=1", p.base())),
        Err(Error::Invalid(errs)) => {
            let list = errs
                .iter()
                .map(|f| {
                    let key = format!("field.{}", f.code);
                    (
                        "time_zone".to_string(),
                        st.i18n.get(p.lang, &key).to_string(),
                    )
                })
                .collect();
            account_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, list, None).await
        }
        Err(e) => error_response(&st, &p, &e),
    }
}

pub(crate) async fn account_form(
    req: HttpRequest,
    st: St,
    SignedIn(p, _): SignedIn,
) -> HttpResponse {
    let notice = crate::render::params(&req)
        .contains_key("zone")
        .then(|| st.i18n.get(p.lang, "account.zone_saved"));
    account_page(&st, &p, StatusCode::OK, Vec::new(), notice).await
}

#[derive(serde::Deserialize)]
pub(crate) struct ChangePasswordForm {
    current_password: String,
    password: String,
    end_others: Option<String>,
    csrf: Option<String>,
}

pub(crate) async fn change_password(
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
        Ok(()) => {
            account_page(
                &st,
                &p,
                StatusCode::OK,
                Vec::new(),
                Some(st.i18n.get(p.lang, "account.changed")),
            )
            .await
        }
        Err(Error::Invalid(errs)) => {
            let texts = errs
                .iter()
                .map(|e| {
                    let label = if e.field == "current_password" {
                        "account.current_password"
                    } else {
                        "reset.new_password"
                    };
                    let field = if e.field == "current_password" {
                        "current_password"
                    } else {
                        "password"
                    };
                    let text = crate::render::field_problem(&st, &p, e, st.i18n.get(p.lang, label));
                    (field.to_string(), text)
                })
                .collect();
            account_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, texts, None).await
        }
        Err(e) => error_response(&st, &p, &e),
    }
}

// ---------------------------------------------------------------- password reset

pub(crate) async fn reset_form(st: St, Visitor(p): Visitor) -> HttpResponse {
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
pub(crate) struct ResetRequestForm {
    email: String,
    csrf: Option<String>,
}

/// Always the same answer, whether or not the email has an account (SECURITY rule 3).
pub(crate) async fn reset_request(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<ResetRequestForm>,
) -> HttpResponse {
    // Links are built from the configured address, never from the Host header (rule 9).
    let portal_url = st.portal_url(&p.snap);
    let client = st.client_address(&req);
    if let Err(e) = st
        .accounts
        .request_reset(&form.email, &portal_url, &client)
        .await
    {
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

pub(crate) fn link_page(st: &AppState, p: &Page, status: StatusCode, data: J) -> HttpResponse {
    let mut d = json!({ "title": st.i18n.get(p.lang, "link.title"), "sent": false, "token": null, "error": null });
    if let (Some(o), J::Object(extra)) = (d.as_object_mut(), data) {
        o.extend(extra);
    }
    render(st, p, status, "login_link", d)
}

pub(crate) fn link_enabled(p: &Page) -> bool {
    p.snap.settings.access.login_link_open()
}

pub(crate) async fn link_form(st: St, Visitor(p): Visitor) -> HttpResponse {
    if !link_enabled(&p) {
        return error_response(&st, &p, &Error::NotFound);
    }
    link_page(&st, &p, StatusCode::OK, json!({}))
}

/// The same answer whether or not the address has a login (rule 3).
pub(crate) async fn link_request(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<ResetRequestForm>,
) -> HttpResponse {
    let portal_url = st.portal_url(&p.snap);
    match st
        .accounts
        .request_login_link(&form.email, &portal_url, &st.client_address(&req))
        .await
    {
        Ok(()) => link_page(&st, &p, StatusCode::OK, json!({ "sent": true })),
        Err(e) => error_response(&st, &p, &e),
    }
}

/// The link opens a page with a button; only the POST uses the token, so mail scanners
/// that fetch links do not use it up.
pub(crate) async fn link_confirm_form(
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

pub(crate) async fn link_login(
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

pub(crate) fn plausible_token(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

pub(crate) async fn reset_set_form(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, token) = path.into_inner();
    if !plausible_token(&token) {
        return token_page(crate::render::message(
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
pub(crate) struct ResetSetForm {
    password: String,
    end_sessions: Option<String>,
    csrf: Option<String>,
}

pub(crate) async fn reset_set(
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
            let text = crate::render::field_problem(&st, &p, &errs[0], label);
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
        Err(Error::Invalid(_)) => token_page(crate::render::message(
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
pub(crate) struct LanguageForm {
    csrf: Option<String>,
    lang: String,
    back: Option<String>,
}

pub(crate) async fn language(
    st: St,
    Visitor(p): Visitor,
    Checked(form): Checked<LanguageForm>,
) -> HttpResponse {
    let Some(lang) = st.i18n.supported(&form.lang) else {
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
