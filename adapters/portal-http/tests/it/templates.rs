//! Templates the admin overrides and previews (P10, P11; issue 5's mails): the system pages
//! and the mails, through the editor, with compile checks, previews, the portal using the
//! saved template, and a way back to the built-in one.

use std::sync::Arc;

use actix_web::http::StatusCode;
use portal_core::model::StaffRole;
use portal_core::ports::{MailTemplates, OutgoingMail};
use portal_http::{AppState, HttpConfig};

use crate::harness::*;

/// A stand-in for the mail adapter's templates: `Subject:` first, `{{name}}` filled.
struct Mails;

impl MailTemplates for Mails {
    fn builtin(&self, kind: &str, language: &str) -> Option<String> {
        Some(format!(
            "Subject: built-in {kind} {language}\n\nHello {{{{name}}}}"
        ))
    }
    fn preview(&self, source: &str, mail: &OutgoingMail) -> Result<(String, String), String> {
        let text = source.replace("{{name}}", &mail.vars["name"]);
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let subject = first.strip_prefix("Subject:").ok_or("no subject line")?;
        Ok((subject.trim().into(), rest.trim().into()))
    }
}

async fn setup(role: StaffRole) -> Portal {
    let mut p = portal(|_, _| {}).await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, role, &hash, true)
        .await
        .unwrap();
    let mut config = HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    p.state = AppState::new(p.ports.clone(), config)
        .unwrap()
        .with_mail_templates(Arc::new(Mails));
    p
}

macro_rules! staff {
    ($p:expr) => {{
        let mut c = client(&$p).await;
        let csrf = c.get("/admin/login").await.csrf();
        c.post(
            "/admin/login",
            &[
                ("email", $p.world.agent.email.as_str()),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
        c
    }};
}

#[actix_web::test]
async fn p11_an_admins_login_page_template_is_previewed_saved_used_and_reset() {
    let p = setup(StaffRole::Admin).await;
    let mut s = staff!(p);
    let index = s.get("/admin/templates").await;
    assert_eq!(index.status, StatusCode::OK);
    for key in [
        "login",
        "register",
        "logout",
        "access_denied",
        "reset_request",
        "reset_set",
        "mail.registration.de",
    ] {
        assert!(
            index.body.contains(&format!("/admin/templates/{key}\"")),
            "{key}"
        );
    }
    let edit = s.get("/admin/templates/login").await;
    assert!(
        edit.body.contains("login.title")
            && edit
                .body
                .contains("autocomplete&#x3D;&quot;current-password&quot;"),
        "starts from the built-in source"
    );
    let csrf = edit.csrf();
    let custom = "{{#> layout}}<h1 id=\"custom\">Welcome to {{portal.name}}</h1><form method=\"post\" action=\"{{portal.base}}/login\"><input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\"></form>{{/layout}}";
    // Broken handlebars: refused, nothing saved.
    let r = s
        .post(
            "/admin/templates/login",
            &[("source", "{{#if}"), ("action", "save"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.ports.settings.load().await.unwrap().templates.is_empty());
    // Preview: the page as a visitor gets it, with the candidate template.
    let r = s
        .post(
            "/admin/templates/login",
            &[("source", custom), ("action", "preview"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("<h1 id=\"custom\">Welcome to Acme Help</h1>"),
        "{}",
        r.body
    );
    assert!(
        p.ports.settings.load().await.unwrap().templates.is_empty(),
        "a preview saves nothing"
    );
    // Save: the portal uses it; audited.
    let r = s
        .post(
            "/admin/templates/login",
            &[("source", custom), ("action", "save"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut visitor = client(&p).await;
    assert!(
        visitor
            .get("/portal/login")
            .await
            .body
            .contains("id=\"custom\"")
    );
    assert!(
        p.ports.audit.recent(1).await.unwrap()[0]
            .detail
            .contains("templates")
    );
    // Back to the built-in template.
    let r = s
        .post(
            "/admin/templates/login",
            &[("source", custom), ("action", "reset"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !visitor
            .get("/portal/login")
            .await
            .body
            .contains("id=\"custom\"")
    );
    // Unknown keys are not there.
    assert_eq!(
        s.get("/admin/templates/not_a_page").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn p11_access_denied_and_register_use_the_admins_templates() {
    let p = setup(StaffRole::Admin).await;
    let mut s = staff!(p);
    let csrf = s.get("/admin/templates/register").await.csrf();
    let r = s
        .post(
            "/admin/templates/register",
            &[
                (
                    "source",
                    "{{#> layout}}<p id=\"reg\">{{consent.text}}</p>{{/layout}}",
                ),
                ("action", "save"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = s
        .post(
            "/admin/templates/access_denied",
            &[
                (
                    "source",
                    "{{#> layout}}<p id=\"denied\">{{heading}}</p>{{/layout}}",
                ),
                ("action", "save"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut visitor = client(&p).await;
    assert!(
        visitor
            .get("/portal/register")
            .await
            .body
            .contains("<p id=\"reg\">")
    );
    // Dave is on no access group and the portal offers self-registration only to others:
    // turning self-registration off makes his login an "access denied".
    let mut settings = p.ports.settings.load().await.unwrap();
    settings.access.self_registration = false;
    p.ports.settings.save(&settings).await.unwrap();
    let denied = visitor.login(&p.world.dave.email).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(denied.body.contains("<p id=\"denied\">"), "{}", denied.body);
}

#[actix_web::test]
async fn n1_an_admins_mail_template_per_language_is_previewed_and_saved() {
    let p = setup(StaffRole::Admin).await;
    let mut s = staff!(p);
    let edit = s.get("/admin/templates/mail.password_reset.de").await;
    assert!(
        edit.body.contains("built-in password_reset de"),
        "starts from the built-in text"
    );
    let csrf = edit.csrf();
    let r = s
        .post(
            "/admin/templates/mail.password_reset.de",
            &[
                ("source", "Subject: Neues Passwort\n\nHallo {{name}}"),
                ("action", "preview"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Neues Passwort") && r.body.contains("Hallo Alex"),
        "{}",
        r.body
    );
    let r = s
        .post(
            "/admin/templates/mail.password_reset.de",
            &[
                ("source", "no subject"),
                ("action", "save"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .post(
            "/admin/templates/mail.password_reset.de",
            &[
                ("source", "Subject: Neues Passwort\n\nHallo {{name}}"),
                ("action", "save"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        p.ports.settings.load().await.unwrap().templates["mail.password_reset.de"],
        "Subject: Neues Passwort\n\nHallo {{name}}"
    );
}

#[actix_web::test]
async fn p14_agents_cannot_edit_templates() {
    let p = setup(StaffRole::Agent).await;
    let mut s = staff!(p);
    assert_eq!(
        s.get("/admin/templates").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = s.get("/admin/inbox").await.csrf();
    let r = s
        .post(
            "/admin/templates/login",
            &[("source", "x"), ("action", "save"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(p.ports.settings.load().await.unwrap().templates.is_empty());
}

#[actix_web::test]
async fn p10_list_and_detail_templates_are_previewed_as_a_chosen_contact() {
    let p = setup(StaffRole::Admin).await;
    let mut s = staff!(p);
    for key in ["ticket_list", "ticket_detail"] {
        let edit = s.get(&format!("/admin/templates/{key}")).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(edit.body.contains("name=\"preview_contact\""), "{key}");
        assert!(
            edit.body.contains("value=\"preview\""),
            "{key}: previewable"
        );
        let csrf = edit.csrf();
        let source = format!(
            "{{{{#> layout}}}}<p id=\"draft\">DRAFT {key}</p>{{{{#if rows_html}}}}{{{{{{rows_html}}}}}}{{{{/if}}}}{{{{#if ticket}}}}<h1>{{{{ticket.subject}}}}</h1>{{{{/if}}}}{{{{/layout}}}}"
        );
        let r = s
            .post(
                &format!("/admin/templates/{key}"),
                &[
                    ("csrf", &csrf),
                    ("action", "preview"),
                    ("source", &source),
                    ("preview_contact", &p.world.bob.email),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{key}: {}", r.body);
        assert!(r.body.contains(&format!("DRAFT {key}")), "{}", r.body);
        assert!(r.body.contains("You are viewing the portal as Bob Example"));
        if key == "ticket_list" {
            // Bob's own view of the list (company access: Acme's tickets, never Globex's).
            assert!(
                r.body
                    .contains(&format!("/portal/tickets/{}\"", p.world.bob_ticket.0))
            );
            assert!(
                !r.body
                    .contains(&format!("/portal/tickets/{}\"", p.world.other_ticket.0))
            );
        }
        // Nothing saved by a preview.
        assert!(
            !p.ports
                .settings
                .load()
                .await
                .unwrap()
                .templates
                .contains_key(key)
        );
        // An unknown contact: a clear message in the editor.
        let r = s
            .post(
                &format!("/admin/templates/{key}"),
                &[
                    ("csrf", &csrf),
                    ("action", "preview"),
                    ("source", &source),
                    ("preview_contact", "nobody@nowhere.test"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("No contact has this email."));
    }
    let audit = p.ports.audit.recent(10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "portal.preview"));
}
