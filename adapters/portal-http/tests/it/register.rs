//! Self-registration (A2): consent, confirmation email, first login; no enumeration.

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

#[actix_web::test]
async fn a2_register_with_consent_confirm_by_email_then_log_in() {
    let p = portal(|_, s| {
        s.consent.text = "We keep your tickets for 2 years.".into();
        s.consent.checkbox_label = "I agree".into();
    })
    .await;
    let mut c = client(&p).await;
    let login = c.get("/portal/login").await;
    assert!(login.body.contains("href=\"/portal/register\""));
    let form = c.get("/portal/register").await;
    assert!(
        form.body.contains("We keep your tickets for 2 years.") && form.body.contains("I agree")
    );
    let csrf = form.csrf();
    let fields = |consent: bool| {
        let mut f = vec![
            ("first_name", "Eva"),
            ("last_name", "Nieminen"),
            ("email", "eva@new.test"),
            ("password", "a brand new passphrase"),
            ("csrf", csrf.as_str()),
        ];
        if consent {
            f.push(("consent", "1"));
        }
        f
    };
    let refused = c.post("/portal/register", &fields(false)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("I agree: This field is required."),
        "{}",
        refused.body
    );
    // The summary takes focus and links to the field, which says what is wrong (issue 18).
    assert!(refused.body.contains("id=\"error-summary\""));
    assert!(
        refused
            .body
            .contains("<a href=\"#consent\">I agree: This field is required.</a>")
    );
    assert!(
        refused
            .body
            .contains("aria-invalid=\"true\" aria-describedby=\"consent-error\"")
    );
    assert!(
        refused
            .body
            .contains("<span class=\"error\" id=\"consent-error\">")
    );
    assert!(!refused.body.contains("aria-describedby=\"email-error\""));
    assert!(
        p.ports
            .accounts
            .by_email("eva@new.test")
            .await
            .unwrap()
            .is_none(),
        "nothing half-written"
    );
    let ok = c.post("/portal/register", &fields(true)).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("Almost done"));
    let account = p
        .ports
        .accounts
        .by_email("eva@new.test")
        .await
        .unwrap()
        .unwrap();
    assert!(!account.email_confirmed);
    assert_eq!(
        account.consent.as_ref().map(|c| c.text.as_str()),
        Some("We keep your tickets for 2 years."),
        "the consent and its text are stored"
    );
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].mail.to.as_str(), sent[0].mail.template.as_str()),
        ("eva@new.test", "email_confirmation")
    );
    let link = sent[0].mail.vars["link"].clone();
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(link, format!("http://portal.test/portal/confirm/{token}"));
    // Not before the address is confirmed.
    let early = c
        .post(
            "/portal/login",
            &[
                ("email", "eva@new.test"),
                ("password", "a brand new passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::FORBIDDEN);
    // The link's page changes nothing by itself (no state change on GET).
    let page = c.get(&format!("/portal/confirm/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert!(
        !p.ports
            .accounts
            .by_email("eva@new.test")
            .await
            .unwrap()
            .unwrap()
            .email_confirmed
    );
    let r = c
        .post(
            &format!("/portal/confirm/{token}"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.location(), "/portal/login?confirmed=1");
    assert_eq!(
        c.post(
            &format!("/portal/confirm/{token}"),
            &[("csrf", &page.csrf())]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST,
        "single use"
    );
    let first = c
        .post(
            "/portal/login",
            &[
                ("email", "eva@new.test"),
                ("password", "a brand new passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("0 tickets"));
}

#[actix_web::test]
async fn a2_an_existing_address_gets_the_same_answer_and_no_change() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    let csrf = c.get("/portal/register").await.csrf();
    let r = c
        .post(
            "/portal/register",
            &[
                ("first_name", "X"),
                ("last_name", "Y"),
                ("email", "ALICE@acme.test"),
                ("password", "another passphrase"),
                ("consent", "1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Almost done"));
    assert!(mails(&p).await.is_empty());
    let mut alice = client(&p).await;
    assert_eq!(
        alice.login("alice@acme.test").await.status,
        StatusCode::SEE_OTHER,
        "the old password still works"
    );
}

#[actix_web::test]
async fn a1_without_self_registration_there_is_no_register_page() {
    let p = portal(|_, s| s.access.self_registration = false).await;
    let mut c = client(&p).await;
    assert!(
        !c.get("/portal/login")
            .await
            .body
            .contains("/portal/register")
    );
    assert_eq!(
        c.get("/portal/register").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a2_registering_again_before_confirming_sends_the_confirmation_link_again() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    let csrf = c.get("/portal/register").await.csrf();
    let form = [
        ("first_name", "Eva"),
        ("last_name", "Nieminen"),
        ("email", "eva@new.test"),
        ("password", "a brand new passphrase"),
        ("consent", "1"),
        ("csrf", csrf.as_str()),
    ];
    let first = c.post("/portal/register", &form).await;
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1);
    let again = c.post("/portal/register", &form).await;
    assert_eq!(
        (again.status, again.body.clone()),
        (first.status, first.body.clone()),
        "the same answer"
    );
    let resent = mails(&p).await;
    assert_eq!(resent.len(), 1, "a fresh confirmation link");
    assert_eq!(resent[0].mail.template, "email_confirmation");
    assert_ne!(resent[0].mail.vars["link"], sent[0].mail.vars["link"]);
    // The newest link confirms; the account was not changed by the second registration.
    let token = resent[0].mail.vars["link"]
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let page = c.get(&format!("/portal/confirm/{token}")).await;
    let r = c
        .post(
            &format!("/portal/confirm/{token}"),
            &[("csrf", page.csrf().as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
