//! Single sign-on over HTTP (A3): the login page's buttons, the JWT endpoint without CSRF
//! (SECURITY rule 8) but with a fresh session (rules 5, 17), return addresses kept inside the
//! portal (rule 10), refusals as one generic page in the visitor's language. The token check
//! itself is portal-sso's (tested there); here a stand-in verifier accepts `good:EMAIL:JTI`.

use std::sync::Arc;

use actix_web::http::StatusCode;
use portal_core::access::SsoAccess;
use portal_core::model::Timestamp;
use portal_core::ports::{JwtVerifier, SsoIdentity, SsoRefusal, VerifiedJwt};
use portal_http::{AppState, HttpConfig};

use crate::harness::*;

struct StandIn;

impl JwtVerifier for StandIn {
    fn verify(&self, token: &str, now: Timestamp) -> Result<VerifiedJwt, SsoRefusal> {
        let mut parts = token.split(':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("good"), Some(email), Some(jti)) => Ok(VerifiedJwt {
                identity: SsoIdentity {
                    email: email.into(),
                    name: "Stand In".into(),
                    external_id: None,
                    organization: None,
                    locale: None,
                },
                jti: jti.into(),
                keep_until: now.plus_seconds(360),
            }),
            _ => Err(SsoRefusal::new("stand-in: signature does not match")),
        }
    }

    fn remote_login_url(&self) -> Option<String> {
        Some("https://app.example.test/login".into())
    }
}

async fn sso_portal(sso: SsoAccess, password_login: bool) -> Portal {
    let mut p = portal(|_, s| {
        s.access.sso = sso;
        s.access.password_login = password_login;
    })
    .await;
    let mut config = HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    p.state = AppState::with_sso(p.ports.clone(), config, None, Some(Arc::new(StandIn))).unwrap();
    p
}

#[actix_web::test]
async fn a3_login_page_shows_the_sso_button_only_when_sso_is_on() {
    let p = sso_portal(SsoAccess::Off, true).await;
    let mut c = client(&p).await;
    let page = c.get("/portal/login").await;
    assert!(!page.body.contains("id=\"sso-jwt\""));
    assert!(page.body.contains("name=\"password\""));
    let p = sso_portal(SsoAccess::AllUsers, true).await;
    let mut c = client(&p).await;
    let page = c.get("/portal/login?next=/portal/tickets/5").await;
    // Handlebars writes `=` as `&#x3D;` in attributes; browsers read both alike.
    let body = page.body.replace("&#x3D;", "=");
    assert!(
        body.contains("href=\"/portal/sso/jwt/login?return_to=%2Fportal%2Ftickets%2F5\""),
        "{body}"
    );
    assert!(page.body.contains("name=\"password\""));
    let go = c
        .get("/portal/sso/jwt/login?return_to=/portal/tickets/5")
        .await;
    assert_eq!(go.status, StatusCode::SEE_OTHER);
    assert_eq!(
        go.location(),
        "https://app.example.test/login?return_to=http%3A%2F%2Fportal.test%2Fportal%2Ftickets%2F5"
    );
}

#[actix_web::test]
async fn a3_password_login_can_be_turned_off() {
    let p = sso_portal(SsoAccess::AllUsers, false).await;
    let mut c = client(&p).await;
    let page = c.get("/portal/login").await;
    assert!(page.body.contains("id=\"sso-jwt\""));
    assert!(!page.body.contains("name=\"password\""), "{}", page.body);
    assert!(!page.body.contains("/portal/register"));
    let csrf = page.csrf();
    let r = c
        .post(
            "/portal/login",
            &[
                ("email", &p.world.alice.email),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!c.cookies.contains_key("portal_session"));
}

#[actix_web::test]
async fn a3_jwt_endpoint_needs_no_csrf_and_starts_a_fresh_session() {
    let p = sso_portal(SsoAccess::AllUsers, true).await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    let before = c.cookies.get("portal_session").cloned().expect("logged in");
    let token = format!("good:{}:jti-1", p.world.bob.email);
    let r = c
        .post(
            "/portal/sso/jwt",
            &[("jwt", &token), ("return_to", "/portal/tickets?view=mine")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/portal/tickets?view=mine");
    let after = c.cookies.get("portal_session").cloned().unwrap();
    assert_ne!(before, after, "a fresh session id");
    assert!(
        p.state.accounts.resume(&before).await.unwrap().is_none(),
        "the old session is gone"
    );
    let list = c.get("/portal/tickets").await;
    assert_eq!(list.status, StatusCode::OK);
    // GET works too (rule 10), once per jti.
    let mut other = client(&p).await;
    let r = other
        .get(&format!(
            "/portal/sso/jwt?jwt=good:{}:jti-2",
            p.world.carol.email
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/portal/tickets");
    let r = other
        .get(&format!(
            "/portal/sso/jwt?jwt=good:{}:jti-2",
            p.world.carol.email
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the jti is used");
}

#[actix_web::test]
async fn a3_off_site_return_addresses_land_on_the_ticket_list() {
    let p = sso_portal(SsoAccess::AllUsers, true).await;
    for (i, evil) in [
        "https://evil.example/portal",
        "//evil.example/portal",
        "/portal/../admin",
        "http://portal.test.evil.example/portal",
    ]
    .iter()
    .enumerate()
    {
        let mut c = client(&p).await;
        let token = format!("good:{}:jti-evil-{i}", p.world.alice.email);
        let r = c
            .post("/portal/sso/jwt", &[("jwt", &token), ("return_to", evil)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/portal/tickets", "{evil}");
    }
    let mut c = client(&p).await;
    let token = format!("good:{}:jti-abs", p.world.alice.email);
    let r = c
        .post(
            "/portal/sso/jwt",
            &[
                ("jwt", &token),
                ("return_to", "http://portal.test/portal/tickets/3"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/portal/tickets/3");
}

#[actix_web::test]
async fn a3_a_refused_sign_on_is_one_generic_page_in_the_visitors_language() {
    let p = sso_portal(SsoAccess::AllUsers, true).await;
    let mut c = client(&p).await;
    c.accept_language = Some("de-DE,de;q=0.9".into());
    let r = c.post("/portal/sso/jwt", &[("jwt", "forged")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("Single Sign-on fehlgeschlagen"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("signature"), "the reason stays in the log");
    assert!(!c.cookies.contains_key("portal_session"));
    // Without SAML configured, its endpoints are not there.
    assert_eq!(
        c.get("/portal/sso/saml/metadata").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/portal/sso/saml/login").await.status,
        StatusCode::NOT_FOUND
    );
}
