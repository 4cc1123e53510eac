//! Single sign-on (A3): SAML and JWT logins, their buttons and their return addresses.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::context::Visitor;
use crate::format::{self};
use crate::render::{Page, error_response, params, redirect};

type St = web::Data<AppState>;

// ------------------------------------------------------------------ single sign-on (A3)

/// The login page's single sign-on buttons: only when the admin turned SSO on and a
/// provider is configured.
pub(crate) fn sso_buttons(st: &AppState, p: &Page, next: &str) -> J {
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
pub(crate) fn safe_return(st: &AppState, p: &Page, candidate: Option<&str>) -> Option<String> {
    let candidate = candidate.filter(|c| !c.is_empty())?;
    let safe = portal_core::usecases::sso::inside_portal(candidate, &st.config.base_url, &p.base());
    if safe.is_none() {
        tracing::warn!(return_to = %candidate, "single sign-on return address outside the portal ignored");
    }
    safe
}

/// Ends the visitor's old session, starts the new one and goes on (rules 5, 17).
pub(crate) async fn signed_on(
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

pub(crate) async fn saml_metadata(st: St, Visitor(p): Visitor) -> HttpResponse {
    match st.sso.saml_metadata() {
        Ok(xml) => HttpResponse::Ok()
            .content_type("application/samlmetadata+xml")
            .body(xml),
        Err(e) => error_response(&st, &p, &e),
    }
}

pub(crate) async fn saml_login(req: HttpRequest, st: St, Visitor(p): Visitor) -> HttpResponse {
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
pub(crate) struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

pub(crate) async fn saml_acs(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    form: web::Form<AcsForm>,
) -> HttpResponse {
    let relay = safe_return(&st, &p, form.relay_state.as_deref());
    let outcome = st.sso.saml_acs(&form.saml_response, relay).await;
    crate::observe::login("sso", &outcome);
    match outcome {
        Ok(login) => signed_on(&req, &st, &p, login).await,
        Err(e) => error_response(&st, &p, &e),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct JwtForm {
    jwt: String,
    return_to: Option<String>,
}

pub(crate) async fn jwt_get(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    q: web::Query<JwtForm>,
) -> HttpResponse {
    jwt_enter(&req, &st, &p, q.into_inner()).await
}

pub(crate) async fn jwt_post(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
    form: web::Form<JwtForm>,
) -> HttpResponse {
    jwt_enter(&req, &st, &p, form.into_inner()).await
}

pub(crate) async fn jwt_enter(
    req: &HttpRequest,
    st: &AppState,
    p: &Page,
    form: JwtForm,
) -> HttpResponse {
    let return_to = safe_return(st, p, form.return_to.as_deref());
    let outcome = st.sso.jwt_login(&form.jwt, return_to).await;
    crate::observe::login("sso", &outcome);
    match outcome {
        Ok(login) => signed_on(req, st, p, login).await,
        Err(e) => error_response(st, p, &e),
    }
}

/// The JWT login button: off to the vendor's login page, which signs a token and sends the
/// visitor back to `/{slug}/sso/jwt` with it.
pub(crate) async fn jwt_login_redirect(
    req: HttpRequest,
    st: St,
    Visitor(p): Visitor,
) -> HttpResponse {
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
