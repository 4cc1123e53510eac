//! Password reset (issue 5, SECURITY rules 2, 3, 7, 9): request, emailed single-use link,
//! new password, no enumeration.

use actix_web::http::StatusCode;
use portal_core::ports::{Clock, QueuedMail};

use crate::harness::{Portal, client, portal};

async fn mails(p: &Portal) -> Vec<QueuedMail> {
    let now = p.clock.now();
    p.ports
        .outbox
        .claim(now.plus_seconds(1), now.plus_seconds(60), 100)
        .await
        .unwrap()
}

fn token_of(m: &QueuedMail) -> String {
    let link = &m.mail.vars["link"];
    assert!(
        link.starts_with("http://portal.test/portal/reset/"),
        "links come from the configured address: {link}"
    );
    link.rsplit('/').next().unwrap().to_string()
}

#[actix_web::test]
async fn a_reset_link_arrives_works_once_and_sets_the_password() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    let login = c.get("/portal/login").await;
    assert!(
        login.body.contains("href=\"/portal/reset\""),
        "the login page offers the reset"
    );
    let form = c.get("/portal/reset").await;
    let csrf = form.csrf();
    let known = c
        .post(
            "/portal/reset",
            &[("email", "ALICE@acme.test"), ("csrf", &csrf)],
        )
        .await;
    let unknown = c
        .post(
            "/portal/reset",
            &[("email", "nobody@acme.test"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(
        (unknown.status, unknown.body.clone()),
        (known.status, known.body.clone()),
        "no enumeration"
    );
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1, "only the existing account gets a mail");
    let m = &sent[0];
    assert_eq!(
        m.mail.to, "member.alice@acme.test",
        "A4: the membership email"
    );
    assert_eq!(m.mail.template, "password_reset");
    let token = token_of(m);
    let page = c.get(&format!("/portal/reset/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert_eq!(page.header("cache-control"), "no-store");
    let csrf = page.csrf();
    // Rule 2: too short and too common are refused, and the link stays usable.
    for (pw, text) in [
        ("short", "Use at least 8 characters."),
        ("Password123", "This password is too common."),
    ] {
        let r = c
            .post(
                &format!("/portal/reset/{token}"),
                &[("password", pw), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(text), "{}", r.body);
        assert!(
            r.body.contains("id=\"error-summary\"") && r.body.contains("<a href=\"#password\">")
        );
        assert!(r.body.contains("aria-invalid=\"true\""));
    }
    let new_password = "a long and new passphrase";
    let r = c
        .post(
            &format!("/portal/reset/{token}"),
            &[("password", new_password), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/portal/login?reset=1");
    assert!(
        !c.cookies.contains_key("portal_session"),
        "a reset does not log in by itself"
    );
    // Used once: the link is spent.
    let again = c
        .post(
            &format!("/portal/reset/{token}"),
            &[("password", "another passphrase"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("used up or has expired"));
    // The old password no longer works, the new one does.
    let mut d = client(&p).await;
    assert_eq!(
        d.login("alice@acme.test").await.status,
        StatusCode::UNAUTHORIZED
    );
    let csrf = d.get("/portal/login").await.csrf();
    let ok = d
        .post(
            "/portal/login",
            &[
                ("email", "alice@acme.test"),
                ("password", new_password),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn reset_links_expire_after_15_minutes_and_can_end_other_sessions() {
    let p = portal(|_, _| {}).await;
    let mut other = client(&p).await;
    other.login("bob@acme.test").await;
    assert_eq!(other.get("/portal/tickets").await.status, StatusCode::OK);
    let mut c = client(&p).await;
    let csrf = c.get("/portal/reset").await.csrf();
    c.post(
        "/portal/reset",
        &[("email", "bob@acme.test"), ("csrf", &csrf)],
    )
    .await;
    let first = token_of(&mails(&p).await[0]);
    // A second request replaces the first link.
    c.post(
        "/portal/reset",
        &[("email", "bob@acme.test"), ("csrf", &csrf)],
    )
    .await;
    let second = token_of(&mails(&p).await[0]);
    let r = c
        .post(
            &format!("/portal/reset/{first}"),
            &[("password", "first link passphrase"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "the earlier link stopped working"
    );
    p.clock.advance_seconds(15 * 60);
    let r = c
        .post(
            &format!("/portal/reset/{second}"),
            &[("password", "too late passphrase"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "expired after 15 minutes"
    );
    p.clock.advance_seconds(-15 * 60);
    c.post(
        "/portal/reset",
        &[("email", "bob@acme.test"), ("csrf", &csrf)],
    )
    .await;
    let third = token_of(&mails(&p).await[0]);
    let r = c
        .post(
            &format!("/portal/reset/{third}"),
            &[
                ("password", "fresh passphrase here"),
                ("end_sessions", "1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = other.get("/portal/tickets").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "other sessions ended");
    // Forged form tokens are refused.
    let r = c
        .post(
            "/portal/reset",
            &[("email", "bob@acme.test"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(mails(&p).await.is_empty());
}

#[actix_web::test]
async fn a_logged_in_customer_changes_the_password_and_may_end_other_sessions() {
    let p = portal(|_, _| {}).await;
    let mut phone = client(&p).await;
    phone.login("alice@acme.test").await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let page = c.get("/portal/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("alice@acme.test"));
    let csrf = page.csrf();
    let wrong = c
        .post(
            "/portal/account",
            &[
                ("current_password", "not it at all"),
                ("password", "a fine new passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Current password: The current password is not correct."),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("<a href=\"#current_password\">"));
    assert!(
        wrong
            .body
            .contains("aria-invalid=\"true\" aria-describedby=\"current_password-error\"")
    );
    let weak = c
        .post(
            "/portal/account",
            &[
                ("current_password", crate::harness::PASSWORD),
                ("password", "qwerty123"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert!(weak.body.contains("This password is too common."));
    let ok = c
        .post(
            "/portal/account",
            &[
                ("current_password", crate::harness::PASSWORD),
                ("password", "a fine new passphrase"),
                ("end_others", "1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("Your password was changed."));
    assert_eq!(
        c.get("/portal/tickets").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        phone.get("/portal/tickets").await.status,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    assert_eq!(
        client(&p).await.login("alice@acme.test").await.status,
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );
    // Only logged-in customers reach the page.
    assert_eq!(
        client(&p).await.get("/portal/account").await.status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn an_emailed_login_link_logs_in_once_within_15_minutes_and_only_when_offered() {
    // Off by default: no link on the login page, the pages are not there.
    let off = portal(|_, _| {}).await;
    let mut c = client(&off).await;
    assert!(
        !c.get("/portal/login")
            .await
            .body
            .contains("/portal/login/link")
    );
    assert_eq!(
        c.get("/portal/login/link").await.status,
        StatusCode::NOT_FOUND
    );

    let p = portal(|_, s| s.access.login_link = true).await;
    let mut c = client(&p).await;
    assert!(
        c.get("/portal/login")
            .await
            .body
            .contains("href=\"/portal/login/link\"")
    );
    let csrf = c.get("/portal/login/link").await.csrf();
    let known = c
        .post(
            "/portal/login/link",
            &[("email", "alice@acme.test"), ("csrf", &csrf)],
        )
        .await;
    let unknown = c
        .post(
            "/portal/login/link",
            &[("email", "nobody@acme.test"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(
        (unknown.status, unknown.body.clone()),
        (known.status, known.body.clone()),
        "no enumeration"
    );
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mail.template, "login_link");
    let link = sent[0].mail.vars["link"].clone();
    assert!(
        link.starts_with("http://portal.test/portal/login/link/"),
        "{link}"
    );
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        p.ports
            .tokens
            .consume(
                &token,
                portal_core::ports::TokenPurpose::LoginLink,
                p.clock.now()
            )
            .await
            .unwrap(),
        None,
        "the token itself is not stored, only its hash"
    );
    // Opening the link does not use it (mail scanners fetch links); the button does.
    let mut visitor = client(&p).await;
    let page = visitor.get(&format!("/portal/login/link/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert_eq!(page.header("cache-control"), "no-store");
    let csrf = page.csrf();
    let r = visitor
        .post(&format!("/portal/login/link/{token}"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/portal/tickets");
    assert_eq!(visitor.get("/portal/tickets").await.status, StatusCode::OK);
    // Once only.
    let mut again = client(&p).await;
    let csrf = again
        .get(&format!("/portal/login/link/{token}"))
        .await
        .csrf();
    let r = again
        .post(&format!("/portal/login/link/{token}"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(!again.cookies.contains_key("portal_session"));
    // Not after 15 minutes.
    let csrf = c.get("/portal/login/link").await.csrf();
    c.post(
        "/portal/login/link",
        &[("email", "alice@acme.test"), ("csrf", &csrf)],
    )
    .await;
    let token = mails(&p).await[0].mail.vars["link"]
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    p.clock.advance_seconds(15 * 60 + 1);
    let mut late = client(&p).await;
    let csrf = late
        .get(&format!("/portal/login/link/{token}"))
        .await
        .csrf();
    let r = late
        .post(&format!("/portal/login/link/{token}"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::GONE);
}
