//! The portal settings page (issue 6, P1–P14, A1–A3): every field with a valid and an
//! invalid value, through the real page with cookies and CSRF. A valid value is saved and
//! audited; an invalid one answers 422 with the problem next to its section and changes
//! nothing. Only admins (P14) reach the page.

use actix_web::http::StatusCode;
use portal_core::access::{IdleTimeout, SsoAccess};
use portal_core::model::*;
use portal_core::settings::{OwnerDisplay, PortalSettings, StatusDisplay};
use portal_core::visibility::CompanyAccess;

use crate::harness::*;

async fn admin_portal(role: StaffRole) -> Portal {
    let p = portal(|_, _| {}).await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, role, &hash, true)
        .await
        .unwrap();
    p
}

macro_rules! signed_in {
    ($p:expr) => {{
        let mut c = client(&$p).await;
        let page = c.get("/admin/login").await;
        let csrf = page.csrf();
        let r = c
            .post(
                "/admin/login",
                &[
                    ("email", $p.world.agent.email.as_str()),
                    ("password", PASSWORD),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        c
    }};
}

/// Posts one section with the page's CSRF token and version.
macro_rules! post_section {
    ($c:expr, $section:expr, $fields:expr) => {{
        let page = $c.get("/admin/settings").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let csrf = page.csrf();
        let version = page
            .body
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_string();
        let mut form: Vec<(&str, &str)> =
            vec![("csrf", csrf.as_str()), ("version", version.as_str())];
        let fields: &[(&str, &str)] = $fields;
        form.extend_from_slice(fields);
        $c.post(&format!("/admin/settings/{}", $section), &form)
            .await
    }};
}

async fn settings(p: &Portal) -> PortalSettings {
    p.ports.settings.load().await.unwrap()
}

fn general<'a>(over: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut base = vec![
        ("name", "Acme Help"),
        ("slug", "portal"),
        ("enabled", "1"),
        ("ticket_singular", "Ticket"),
        ("ticket_plural", "Tickets"),
        ("idle", "3600"),
        ("absolute_hours", "12"),
        ("notify_with_reply_text", "1"),
    ];
    for (k, v) in over {
        base.retain(|(n, _)| n != k);
        if !v.is_empty() || *k == "name" || *k == "slug" || *k == "ticket_singular" {
            base.push((k, v));
        }
    }
    base
}

#[actix_web::test]
async fn p14_only_admins_reach_the_settings() {
    let p = admin_portal(StaffRole::Agent).await;
    let mut agent = signed_in!(p);
    assert_eq!(
        agent.get("/admin/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = agent.get("/admin/inbox").await.csrf();
    let r = agent
        .post(
            "/admin/settings/general",
            &[("csrf", &csrf), ("name", "Hijacked")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(settings(&p).await.name, "Acme Help");
    // A customer never gets there.
    let mut customer = client(&p).await;
    customer.login(&p.world.alice.email).await;
    let r = customer.get("/admin/settings").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/admin/login");
    // An admin does; without a CSRF token nothing changes.
    let p = admin_portal(StaffRole::Admin).await;
    let mut admin = signed_in!(p);
    assert_eq!(admin.get("/admin/settings").await.status, StatusCode::OK);
    let r = admin
        .post("/admin/settings/general", &[("name", "No token")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(settings(&p).await.name, "Acme Help");
}

#[actix_web::test]
async fn p1_p2_p5_p6_a5_general_fields_valid_and_invalid() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let before = settings(&p).await;
    let r = post_section!(
        c,
        "general",
        &general(&[
            ("name", "Acme Help Center"),
            ("slug", "help"),
            ("ticket_singular", "Case"),
            ("ticket_plural", "Cases"),
            ("idle", "1200"),
            ("absolute_hours", "8"),
            ("knowledge_base_link", "1"),
            ("knowledge_base_url", "https://kb.acme.example/"),
            ("notify_with_reply_text", ""),
        ])
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = settings(&p).await;
    assert_eq!(s.name, "Acme Help Center");
    assert_eq!(s.slug, "help");
    assert_eq!(
        (
            s.ticket_label.singular.as_str(),
            s.ticket_label.plural.as_str()
        ),
        ("Case", "Cases")
    );
    assert_eq!(s.session.idle, IdleTimeout::Minutes20);
    assert_eq!(s.session.absolute_seconds, 8 * 3600);
    assert!(s.knowledge_base_link && !s.notify_with_reply_text && s.enabled);
    assert_eq!(s.knowledge_base_url, "https://kb.acme.example/");
    assert_eq!(s.version, before.version + 1);
    // Audited: who, what.
    let audit = p.ports.audit.recent(1).await.unwrap();
    assert_eq!(audit[0].actor, format!("agent:{}", p.world.agent.id));
    for f in [
        "name",
        "slug",
        "ticket_label",
        "session",
        "knowledge_base_link",
        "knowledge_base_url",
    ] {
        assert!(audit[0].detail.contains(f), "{f} in {}", audit[0].detail);
    }
    // The portal moved to its new slug (P2) and the tab title follows (P1).
    let page = c.get("/help/login").await;
    assert!(page.body.contains("Acme Help Center"));
    // Off (P5): the portal answers "unavailable".
    let r = post_section!(c, "general", &general(&[("slug", "help"), ("enabled", "")]));
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        c.get("/help/login").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Invalid values: 422, the problem shown, nothing saved.
    let saved = settings(&p).await;
    for (field, value, shown) in [
        ("name", "", "Portal name (browser tab): "),
        ("slug", "Bad Slug", "Path (slug): "),
        ("slug", "admin", "Path (slug): "),
        ("slug", "", "Path (slug): "),
        ("ticket_singular", "", "Name for a ticket: "),
        ("absolute_hours", "0", "Longest session (hours): "),
        ("absolute_hours", "many", "Longest session (hours): "),
    ] {
        let r = post_section!(c, "general", &general(&[("slug", "help"), (field, value)]));
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        assert!(r.body.contains(shown), "{field}={value}: {shown} not shown");
        assert_eq!(settings(&p).await, saved, "{field}={value} changed nothing");
    }
}

#[actix_web::test]
async fn p2_p3_p4_domain_and_default_inbox() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let r = post_section!(
        c,
        "domain",
        &[
            ("domain", ""),
            ("new_host", "help.acme.example"),
            ("new_language", "de")
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let domains = p.ports.catalog.domains().await.unwrap();
    let d = domains
        .iter()
        .find(|d| d.host == "help.acme.example")
        .expect("created");
    assert_eq!(d.language, "de");
    assert_eq!(settings(&p).await.domain, Some(d.id));
    // The same host twice is refused.
    let r = post_section!(
        c,
        "domain",
        &[("domain", ""), ("new_host", "help.acme.example")]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown domain id is refused.
    let r = post_section!(c, "domain", &[("domain", "987654")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let inbox = p.world.inbox.0.to_string();
    let r = post_section!(c, "inbox", &[("default_inbox", inbox.as_str())]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(settings(&p).await.default_inbox, Some(p.world.inbox));
    let r = post_section!(c, "inbox", &[("default_inbox", "987654")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("default_inbox"));
    // Which inboxes create contacts for mail from unknown addresses (issue 17): ticked,
    // saved, shown ticked; unticked, saved empty.
    let tick = format!("mail_creates_{inbox}");
    let r = post_section!(
        c,
        "inbox",
        &[("default_inbox", inbox.as_str()), (tick.as_str(), "on")]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        settings(&p).await.mail_creates_contacts,
        vec![p.world.inbox]
    );
    let page = c.get("/admin/settings").await;
    assert!(page.body.contains(&format!("name=\"{tick}\" checked")));
    let r = post_section!(c, "inbox", &[("default_inbox", inbox.as_str())]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(settings(&p).await.mail_creates_contacts.is_empty());
}

#[actix_web::test]
async fn p2_p3_a_domain_and_the_settings_are_saved_as_one_step() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let before = p.ports.catalog.domains().await.unwrap().len();
    // A stale form (another editor saved meanwhile) adds no domain.
    let page = c.get("/admin/settings").await;
    let csrf = page.csrf();
    let r = c
        .post(
            "/admin/settings/domain",
            &[
                ("csrf", csrf.as_str()),
                ("version", "0"),
                ("domain", ""),
                ("new_host", "stale.acme.example"),
                ("new_language", "de"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(p.ports.catalog.domains().await.unwrap().len(), before);
    // A refused language refuses the whole save: no domain either.
    let r = post_section!(
        c,
        "domain",
        &[
            ("domain", ""),
            ("new_host", "help.acme.example"),
            ("new_language", "xx")
        ]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p.ports.catalog.domains().await.unwrap().len(), before);
    // In the set-up wizard, a refused path with a new domain leaves no domain behind, and
    // both are saved once the path is right.
    let page = c.get("/admin/setup?step=2").await;
    let csrf = page.csrf();
    let fields = |slug: &'static str| {
        vec![
            ("slug", slug),
            ("new_host", "care.acme.example"),
            ("new_language", "nl"),
            ("csrf", csrf.as_str()),
        ]
    };
    let r = c.post("/admin/setup/2", &fields("Admin")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(p.ports.catalog.domains().await.unwrap().len(), before);
    let r = c.post("/admin/setup/2", &fields("care")).await;
    assert_eq!(r.location(), "/admin/setup?step=3", "{}", r.body);
    let domains = p.ports.catalog.domains().await.unwrap();
    let d = domains
        .iter()
        .find(|d| d.host == "care.acme.example")
        .expect("created with the settings");
    assert_eq!(settings(&p).await.domain, Some(d.id));
    assert_eq!(settings(&p).await.slug, "care");
}

#[actix_web::test]
async fn v2_v3_v5_permissions_and_visibility_filters() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let r = post_section!(c, "permissions", &[("company_access", "own")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        settings(&p).await.visibility.company_access,
        CompanyAccess::OwnOnly
    );
    let r = post_section!(
        c,
        "permissions",
        &[
            ("company_access", "filtered"),
            (
                "company_filter",
                "email contains acme AND first_name is known\nlast_name = Admin"
            )
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    match settings(&p).await.visibility.company_access {
        CompanyAccess::Filtered(f) => {
            assert_eq!(f.groups.len(), 2, "OR across lines");
            assert_eq!(f.groups[0].criteria.len(), 2, "AND within a line");
        }
        other => panic!("{other:?}"),
    }
    // The page shows the saved filter back in its text form.
    assert!(
        c.get("/admin/settings")
            .await
            .body
            .contains("email contains acme AND first_name is known")
    );
    let saved = settings(&p).await;
    for text in ["nope = 1", "email ~ x", "first_name ="] {
        let r = post_section!(
            c,
            "permissions",
            &[("company_access", "filtered"), ("company_filter", text)]
        );
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(r.body.contains("visibility.company_access"), "{text}");
        assert_eq!(settings(&p).await, saved);
    }
    let r = post_section!(c, "permissions", &[("company_access", "all")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // C5: each right its own rule: answering by a filter of its own, closing by nobody.
    let r = post_section!(
        c,
        "permissions",
        &[
            ("company_access", "all"),
            ("company_reply", "filtered"),
            ("company_reply_filter", "last_name = Admin"),
            ("company_close", "none"),
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = settings(&p).await.visibility;
    assert!(matches!(v.company_reply, Some(CompanyAccess::Filtered(_))));
    assert_eq!(v.company_close, Some(CompanyAccess::OwnOnly));
    let page = c.get("/admin/settings").await.body;
    let shown = page
        .split("id=\"company_reply_filter\"")
        .nth(1)
        .and_then(|r| r.split("</textarea>").next())
        .unwrap_or_default()
        .to_string();
    // Handlebars escapes `=`; the browser shows it as typed.
    assert!(shown.contains("last_name &#x3D; Admin"), "{shown}");
    let saved = settings(&p).await;
    let r = post_section!(
        c,
        "permissions",
        &[
            ("company_access", "all"),
            ("company_reply", "filtered"),
            ("company_reply_filter", "nope = 1"),
        ]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("visibility.company_reply"), "{}", r.body);
    assert_eq!(settings(&p).await, saved);
    let r = post_section!(
        c,
        "permissions",
        &[
            ("company_access", "all"),
            ("company_reply", "same"),
            ("company_close", "same")
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(settings(&p).await.visibility.company_reply, None);
    // V5.
    let r = post_section!(
        c,
        "visibility",
        &[("ticket_filter", "subject contains printer")]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(settings(&p).await.visibility.ticket_filter.is_some());
    let r = post_section!(c, "visibility", &[("ticket_filter", "subject > 3")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post_section!(c, "visibility", &[("ticket_filter", "")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(settings(&p).await.visibility.ticket_filter, None);
}

#[actix_web::test]
async fn p7_columns_add_label_remove_reorder_reset_and_at_most_ten() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let cols = |s: &PortalSettings| {
        s.columns
            .iter()
            .map(|c| c.property.clone())
            .collect::<Vec<_>>()
    };
    let start = cols(&settings(&p).await);
    let r = post_section!(c, "columns", &[("action", "down:0")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let moved = cols(&settings(&p).await);
    assert_eq!(
        (moved[0].as_str(), moved[1].as_str()),
        (start[1].as_str(), start[0].as_str())
    );
    let r = post_section!(c, "columns", &[("action", "up:1")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(cols(&settings(&p).await), start);
    let r = post_section!(c, "columns", &[("action", "save"), ("label_0", "Topic")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        settings(&p).await.columns[0].label.as_deref(),
        Some("Topic")
    );
    let long = "x".repeat(61);
    let r = post_section!(
        c,
        "columns",
        &[("action", "save"), ("label_0", long.as_str())]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("columns.0.label"));
    let r = post_section!(
        c,
        "columns",
        &[("action", "remove:0"), ("label_0", "Topic")]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(cols(&settings(&p).await), start[1..].to_vec());
    // Drag and drop posts the old positions in their new order.
    let n = settings(&p).await.columns.len();
    let order: Vec<String> = (0..n).rev().map(|i| i.to_string()).collect();
    let order = order.join(",");
    let r = post_section!(
        c,
        "columns",
        &[("action", "order"), ("order", order.as_str())]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut reversed = start[1..].to_vec();
    reversed.reverse();
    assert_eq!(cols(&settings(&p).await), reversed);
    let r = post_section!(c, "columns", &[("action", "reset")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        settings(&p).await.columns,
        portal_core::settings::default_columns()
    );
    // Add until the eleventh is refused.
    let props: Vec<String> = p
        .ports
        .catalog
        .property_defs(portal_core::property::ObjectKind::Ticket)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .chain(
            portal_core::property::PropertyCatalog::tickets([])
                .defs
                .into_iter()
                .map(|d| d.name),
        )
        .collect();
    let mut refused = false;
    for prop in props {
        if settings(&p)
            .await
            .columns
            .iter()
            .any(|c| c.property == prop)
        {
            continue;
        }
        let r = post_section!(
            c,
            "columns",
            &[("action", "add"), ("add_property", prop.as_str())]
        );
        if r.status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(r.body.contains("columns: "), "{}", r.body);
            refused = true;
            break;
        }
    }
    let s = settings(&p).await;
    assert!(s.columns.len() <= 10);
    assert!(
        refused || s.columns.len() < 10,
        "an eleventh column is refused"
    );
    let r = post_section!(
        c,
        "columns",
        &[("action", "add"), ("add_property", "no_such_property")]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[actix_web::test]
async fn p8_p9_t4_t5_c1_display_and_actions() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let r = post_section!(
        c,
        "display",
        &[
            ("owner_display", "alias"),
            ("status_display", "stage_names")
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let s = settings(&p).await;
    assert_eq!(
        (s.owner_display, s.status_display),
        (OwnerDisplay::Alias, StatusDisplay::StageNames)
    );
    let returns = p.world.returns.id.0.to_string();
    let closed = p.world.returns.stages[2].id.0.to_string();
    let field = format!("close_stage_{returns}");
    let r = post_section!(
        c,
        "actions",
        &[
            ("reply_when_closed", "1"),
            ("allow_close", "1"),
            ("customers_add_ccs", "1"),
            (field.as_str(), closed.as_str())
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = settings(&p).await;
    assert!(s.actions.reply_when_closed && s.actions.allow_close);
    // C1: the CC switches.
    assert!(s.actions.customers_add_ccs && !s.actions.ccs_same_company);
    let open = p.world.returns.stages[0].id.0.to_string();
    let saved = settings(&p).await;
    let r = post_section!(
        c,
        "actions",
        &[("allow_close", "1"), (field.as_str(), open.as_str())]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("actions.close_stages"));
    assert_eq!(settings(&p).await, saved);
}

#[actix_web::test]
async fn a1_a2_a3_access_control_and_consent() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let list = p.ports.directory.create_list("Customers").await.unwrap();
    let id = list.id.0.to_string();
    // A member without a login: making the list an access group invites them (A1).
    let newcomer = p
        .ports
        .directory
        .create_contact(portal_core::ports::NewContact {
            email: "newcomer@acme.test".into(),
            membership_email: None,
            first_name: "New".into(),
            last_name: "Comer".into(),
            primary_company: Some(p.world.acme.id),
            language: Some("fi".into()),
            properties: Default::default(),
        })
        .await
        .unwrap();
    p.ports
        .directory
        .add_member(list.id, newcomer.id)
        .await
        .unwrap();
    p.ports
        .directory
        .add_member(list.id, p.world.alice.id)
        .await
        .unwrap();
    let r = post_section!(
        c,
        "access",
        &[
            ("access_groups", id.as_str()),
            ("password_login", "1"),
            ("login_link", "1"),
            ("sso", "lists"),
            ("sso_lists", id.as_str()),
            ("sso_create_contacts", "1")
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = settings(&p).await;
    assert!(s.access.access_groups.contains(&list.id));
    assert!(!s.access.self_registration);
    assert_eq!(s.access.sso, SsoAccess::Lists([list.id].into()));
    assert!(s.access.sso_create_contacts && !s.access.sso_sets_company);
    assert!(s.access.login_link);
    let now = portal_core::ports::Clock::now(&*p.clock);
    let mails = p
        .ports
        .outbox
        .claim(now.plus_seconds(1), now.plus_seconds(60), 10)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1, "only the member without a login: {mails:?}");
    assert_eq!(
        (
            mails[0].mail.to.as_str(),
            mails[0].mail.language.as_str(),
            mails[0].mail.template.as_str()
        ),
        ("newcomer@acme.test", "fi", "registration")
    );
    let saved = settings(&p).await;
    for form in [
        vec![("sso", "off")],
        vec![("password_login", "1"), ("sso", "lists")],
        vec![("access_groups", "987654"), ("password_login", "1")],
    ] {
        let r = post_section!(c, "access", &form);
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert!(r.body.contains("access"), "{form:?}");
        assert_eq!(settings(&p).await, saved);
    }
    let r = post_section!(
        c,
        "consent",
        &[
            ("consent_text", "We keep your data safe."),
            ("consent_label", "I agree"),
            ("consent_links", "Privacy | https://acme.example/privacy")
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let s = settings(&p).await;
    assert_eq!(s.consent.text, "We keep your data safe.");
    assert_eq!(s.consent.links[0].url, "https://acme.example/privacy");
    let r = post_section!(
        c,
        "consent",
        &[
            ("consent_text", "x"),
            ("consent_label", "I agree"),
            ("consent_links", "Evil | javascript:alert(1)")
        ]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("consent.links"));
}

#[actix_web::test]
async fn p10_p12_support_form_and_branding() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let inbox = p.world.inbox.0.to_string();
    let good: Vec<(&str, &str)> = vec![
        ("form_enabled", "1"),
        ("form_menu", "Ask us"),
        ("form_header", "Tell us what happened"),
        ("form_inbox", inbox.as_str()),
        ("form_fields", "priority | How urgent? | required"),
        ("primary_color", "#aa0000"),
        ("background_color", "#ffffff"),
        ("text_color", "#111111"),
        ("nav_links", "Status | https://status.acme.example"),
    ];
    let r = post_section!(c, "form", &good);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = settings(&p).await;
    assert_eq!(s.support_form.menu_text, "Ask us");
    assert_eq!(s.support_form.fields[0].property, "priority");
    assert!(s.support_form.fields[0].required);
    assert_eq!(s.branding.primary_color, "#aa0000");
    assert_eq!(s.branding.nav[0].label, "Status");
    // The portal shows it: the menu, the nav link, the colour.
    let mut customer = client(&p).await;
    customer.login(&p.world.alice.email).await;
    let list = customer.get("/portal/tickets").await;
    assert!(list.body.contains("Ask us") && list.body.contains("https://status.acme.example"));
    assert!(
        customer
            .get("/portal/theme.css")
            .await
            .body
            .contains("#aa0000")
    );
    let saved = settings(&p).await;
    for (k, v, shown) in [
        ("primary_color", "red", "branding.primary_color"),
        ("form_fields", "nope | x", "support_form.fields"),
        ("form_menu", "", "support_form.menu_text"),
        ("nav_links", "Bad | ftp://x", "branding.nav"),
        ("form_inbox", "987654", "support_form.inbox"),
    ] {
        let mut form = good.clone();
        form.retain(|(n, _)| *n != k);
        form.push((k, v));
        let r = post_section!(c, "form", &form);
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{k}={v}");
        assert!(r.body.contains(shown), "{k}={v}: {shown}");
        assert_eq!(settings(&p).await, saved);
    }
}

#[actix_web::test]
async fn p14_a_stale_form_does_not_overwrite_a_newer_save() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let page = c.get("/admin/settings").await;
    let csrf = page.csrf();
    let old_version = settings(&p).await.version.to_string();
    let r = post_section!(c, "display", &[("owner_display", "full")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            "/admin/settings/display",
            &[
                ("csrf", csrf.as_str()),
                ("version", old_version.as_str()),
                ("owner_display", "last"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(settings(&p).await.owner_display, OwnerDisplay::FullName);
}

#[actix_web::test]
async fn the_set_up_wizard_walks_an_admin_from_off_to_on() {
    let p = portal(|_, s| {
        s.enabled = false;
        s.default_inbox = None;
    })
    .await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, StaffRole::Admin, &hash, true)
        .await
        .unwrap();
    let mut c = signed_in!(p);
    // The first visit while the portal is off lands in the wizard.
    let r = c.get("/admin").await;
    assert_eq!(r.location(), "/admin/setup");
    let step = |body: &str| {
        body.split("action=\"/admin/setup/")
            .nth(1)
            .and_then(|r| r.chars().next())
    };
    let page = c.get("/admin/setup").await;
    assert_eq!(step(&page.body), Some('1'));
    let csrf = page.csrf();
    let r = c
        .post("/admin/setup/1", &[("name", ""), ("csrf", &csrf)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a name is needed"
    );
    let r = c
        .post("/admin/setup/1", &[("name", "Acme Care"), ("csrf", &csrf)])
        .await;
    assert_eq!(r.location(), "/admin/setup?step=2");
    let r = c
        .post("/admin/setup/2", &[("slug", "Admin"), ("csrf", &csrf)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reserved path"
    );
    assert!(r.body.contains("Path (slug): "));
    let r = c
        .post("/admin/setup/2", &[("slug", "care"), ("csrf", &csrf)])
        .await;
    assert_eq!(r.location(), "/admin/setup?step=3");
    let inbox = p.world.inbox.0.to_string();
    let r = c
        .post(
            "/admin/setup/3",
            &[
                ("default_inbox", inbox.as_str()),
                ("company_access", "all"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/setup?step=4");
    // Switching on with no way in is refused.
    let r = c
        .post(
            "/admin/setup/4",
            &[("sso", "off"), ("enabled", "1"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!settings(&p).await.enabled);
    let r = c
        .post(
            "/admin/setup/4",
            &[
                ("self_registration", "1"),
                ("password_login", "1"),
                ("sso", "off"),
                ("enabled", "1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/settings?saved=setup");
    let s = settings(&p).await;
    assert!(s.enabled);
    assert_eq!((s.name.as_str(), s.slug.as_str()), ("Acme Care", "care"));
    assert_eq!(s.default_inbox, Some(p.world.inbox));
    assert_eq!(s.visibility.company_access, CompanyAccess::AllContacts);
    // Every step is audited; the portal is open at its new address.
    assert!(p.ports.audit.recent(10).await.unwrap().len() >= 4);
    let mut customer = client(&p).await;
    let page = customer.get("/care/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Acme Care"));
    assert_eq!(
        c.get("/admin").await.location(),
        "/admin/inbox",
        "once on, the inbox"
    );
}

#[actix_web::test]
async fn p12_logo_and_favicon_uploads_are_checked_by_their_bytes_and_served_by_the_portal() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let page = c.get("/admin/settings").await;
    let csrf = page.csrf();
    let version = p.ports.settings.load().await.unwrap().version.to_string();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but png-signed".to_vec();
    // An SVG (script can hide in it) or an HTML file named .png is refused; nothing changes.
    for (name, bytes) in [
        (
            "logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
        ),
        (
            "logo.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
    ] {
        let r = c
            .post_multipart(
                "/admin/settings/branding/logo",
                &[("csrf", &csrf), ("version", &version)],
                &[("file", name, bytes)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
    assert_eq!(p.ports.settings.load().await.unwrap().branding.logo, None);
    // Too large.
    let big = [png.clone(), vec![0u8; 1024 * 1024]].concat();
    let r = c
        .post_multipart(
            "/admin/settings/branding/logo",
            &[("csrf", &csrf), ("version", &version)],
            &[("file", "big.png", big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Without the CSRF token.
    let r = c
        .post_multipart(
            "/admin/settings/branding/logo",
            &[("version", &version)],
            &[("file", "logo.png", png.clone())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post_multipart(
            "/admin/settings/branding/logo",
            &[("csrf", &csrf), ("version", &version)],
            &[("file", "logo.png", png.clone())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = p.ports.settings.load().await.unwrap();
    assert!(s.branding.logo.is_some());
    assert!(
        p.ports
            .audit
            .recent(5)
            .await
            .unwrap()
            .iter()
            .any(|a| a.detail.contains("branding"))
    );
    let served = c.get("/portal/branding/logo").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "image/png");
    let list = {
        let mut alice = client(&p).await;
        alice.login(&p.world.alice.email).await;
        alice.get("/portal/tickets").await
    };
    assert!(
        list.body.contains("/portal/branding/logo"),
        "the portal shows the logo"
    );
    // A favicon (ICO), then the logo removed.
    let version = s.version.to_string();
    let ico = b"\0\0\x01\0\x01\0\x10\x10\0\0\x01\0 \0fake icon".to_vec();
    let r = c
        .post_multipart(
            "/admin/settings/branding/favicon",
            &[("csrf", &csrf), ("version", &version)],
            &[("file", "favicon.ico", ico)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let s = p.ports.settings.load().await.unwrap();
    let old_logo = s.branding.logo.clone().unwrap();
    let r = c
        .post_multipart(
            "/admin/settings/branding/logo",
            &[
                ("csrf", &csrf),
                ("version", &s.version.to_string()),
                ("remove", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let s = p.ports.settings.load().await.unwrap();
    assert_eq!(s.branding.logo, None);
    assert!(s.branding.favicon.is_some());
    assert_eq!(
        p.ports.blobs.get(&old_logo).await.unwrap(),
        None,
        "the old image is deleted"
    );
    // Agents may not.
    let agent = admin_portal(StaffRole::Agent).await;
    let mut a = signed_in!(agent);
    let csrf = a.get("/admin/inbox").await.csrf();
    let r = a
        .post_multipart(
            "/admin/settings/branding/logo",
            &[("csrf", &csrf), ("version", "1")],
            &[("file", "logo.png", png)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn v5_p4_the_settings_refuse_a_visibility_filter_that_hides_tickets_of_the_default_inbox() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let before = settings(&p).await;
    // The default inbox files into Support: a filter showing only Returns would hide every
    // new portal ticket from its own customer.
    let r = post_section!(c, "visibility", &[("ticket_filter", "pipeline = Returns")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Default inbox: Tickets filed here would not show"),
        "{}",
        r.body
    );
    assert_eq!(settings(&p).await, before, "nothing saved");
    // Pipelines are named in the filter (no page shows their ids): saved as the id, shown
    // again by name.
    let r = post_section!(c, "visibility", &[("ticket_filter", "pipeline = support")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let f = settings(&p).await.visibility.ticket_filter.unwrap();
    assert_eq!(
        f.groups[0].criteria[0].op,
        portal_core::filter::Operator::Equals(Value::Number(p.world.support.id.0))
    );
    let page = c.get("/admin/settings").await;
    assert!(
        page.body.contains(">pipeline &#x3D; Support</textarea>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("pipeline (Support; Returns)"));
}

#[actix_web::test]
async fn t5_a_new_pipeline_with_two_closed_stages_blocks_no_save_and_problems_name_their_field() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let extra = p
        .ports
        .catalog
        .create_pipeline(
            "Billing",
            vec![
                portal_core::ports::NewStage {
                    label: "Open".into(),
                    closed: false,
                },
                portal_core::ports::NewStage {
                    label: "Paid".into(),
                    closed: true,
                },
                portal_core::ports::NewStage {
                    label: "Written off".into(),
                    closed: true,
                },
            ],
        )
        .await
        .unwrap();
    // Closing is on (the harness), Billing has no chosen closed stage: every save still works.
    let r = post_section!(c, "general", &general(&[("name", "Acme Care")]));
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(settings(&p).await.name, "Acme Care");
    // An open stage picked as Billing's closed stage: the problem names the field as the
    // page does, never by its internal path.
    let field = format!("close_stage_{}", extra.id.0);
    let open = extra.stages[0].id.0.to_string();
    let r = post_section!(
        c,
        "actions",
        &[("allow_close", "1"), (field.as_str(), open.as_str())]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Closed stage for Billing: Choose a closed stage of this pipeline."),
        "{}",
        r.body
    );
    assert!(
        !r.body
            .contains(&format!("actions.close_stages.{}:", extra.id.0))
    );
}

#[actix_web::test]
async fn p2_p3_the_domain_language_can_change_and_mails_use_the_domain_and_its_language() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let r = post_section!(
        c,
        "domain",
        &[
            ("domain", ""),
            ("new_host", "help.acme.example"),
            ("new_language", "de")
        ]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = settings(&p).await.domain.unwrap();
    let id = d.0.to_string();
    // P3: the chosen domain's language can be changed afterwards.
    let page = c.get("/admin/settings").await;
    assert!(page.body.contains("name=\"domain_language\""));
    let r = post_section!(
        c,
        "domain",
        &[("domain", id.as_str()), ("domain_language", "fi")]
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let domains = p.ports.catalog.domains().await.unwrap();
    assert_eq!(domains.iter().find(|x| x.id == d).unwrap().language, "fi");
    let r = post_section!(
        c,
        "domain",
        &[("domain", id.as_str()), ("domain_language", "xx")]
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Primary language: Please choose one of the options."),
        "{}",
        r.body
    );
    // The portal follows for a visitor without a language of their own.
    let mut visitor = client(&p).await;
    let login = visitor.get("/portal/login").await;
    assert!(login.body.contains("<html lang=\"fi\""), "{}", login.body);
    // A staff answer is mailed in the domain's language, linking to the domain (P2).
    let page = c
        .get(&format!("/admin/tickets/{}", p.world.alice_ticket.0))
        .await;
    let csrf = page.csrf();
    let r = c
        .post_multipart(
            &format!("/admin/tickets/{}/answer", p.world.alice_ticket.0),
            &[("csrf", &csrf), ("body", "Fixed")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sent = crate::rules::queued(&p).await;
    let m = &sent
        .iter()
        .find(|m| m.mail.to == p.world.alice.email)
        .expect("a mail to Alice")
        .mail;
    assert_eq!(m.language, "fi");
    assert_eq!(
        m.vars["link"],
        format!(
            "http://help.acme.example/portal/tickets/{}",
            p.world.alice_ticket.0
        )
    );
}

#[actix_web::test]
async fn p5_admins_are_led_into_the_wizard_until_the_portal_was_set_up_once() {
    let p = portal(|_, s| {
        s.enabled = false;
        s.default_inbox = None;
    })
    .await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, StaffRole::Admin, &hash, true)
        .await
        .unwrap();
    // A fresh installation: signing in lands in the wizard, not in an empty inbox.
    let mut c = client(&p).await;
    let r = c.staff_login(&p.world.agent.email).await;
    assert_eq!(r.location(), "/admin/setup");
    assert_eq!(c.get("/admin").await.location(), "/admin/setup");
    // Once switched on, the portal counts as set up: switched off again later, admins
    // start in the inbox (the wizard stays reachable).
    let actor = portal_core::usecases::staff::StaffActor {
        agent: p.world.agent.id,
        can_manage_portal: true,
    };
    let mut s = settings(&p).await;
    s.enabled = true;
    s.default_inbox = Some(p.world.inbox);
    let saved = p.state.admin.update_settings(actor, s).await.unwrap();
    assert!(saved.set_up);
    let mut off = saved.clone();
    off.enabled = false;
    let off = p.state.admin.update_settings(actor, off).await.unwrap();
    assert!(off.set_up && !off.enabled);
    let mut c = client(&p).await;
    let r = c.staff_login(&p.world.agent.email).await;
    assert_eq!(r.location(), "/admin/inbox");
    assert_eq!(c.get("/admin/setup").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn n1_admin_entered_texts_can_be_given_per_language() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let text = "de | support_form.menu_text | Anfrage stellen\n\
                de | support_form.header_text | Wobei dürfen wir helfen?\n\
                de | consent.text | Wir verarbeiten Ihre Daten für Ihre Anfragen.\n\
                de | consent.checkbox_label | Ich bin einverstanden.\n\
                de | property.priority | Dringlichkeit\n\
                fi | property.priority | Kiireellisyys";
    let r = post_section!(c, "translations", &[("translations", text)]);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = settings(&p).await;
    assert_eq!(s.translations["property.priority"]["fi"], "Kiireellisyys");
    // Shown back for editing.
    let page = c.get("/admin/settings").await;
    assert!(page.body.contains("de | property.priority | Dringlichkeit"));
    // A German visitor reads them; an English one the texts as entered.
    let mut de = client(&p).await;
    de.accept_language = Some("de".into());
    let reg = de.get("/portal/register").await;
    assert!(
        reg.body
            .contains("Wir verarbeiten Ihre Daten für Ihre Anfragen."),
        "{}",
        reg.body
    );
    assert!(reg.body.contains("Ich bin einverstanden."));
    de.login(&p.world.alice.email).await;
    let list = de.get("/portal/tickets").await;
    assert!(list.body.contains(">Anfrage stellen</a>"), "{}", list.body);
    assert!(list.body.contains("Dringlichkeit"), "the column label");
    let form = de.get("/portal/new").await;
    assert!(form.body.contains("Wobei dürfen wir helfen?"));
    let mut en = client(&p).await;
    en.login(&p.world.alice.email).await;
    let list = en.get("/portal/tickets").await;
    assert!(!list.body.contains("Anfrage stellen"));
    assert!(!list.body.contains("Dringlichkeit"));
    assert!(list.body.contains("Priority"));
    let saved = settings(&p).await;
    // Unknown fields, languages and malformed lines are refused, nothing saved.
    for bad in [
        "de | no_such.field | x",
        "xx | support_form.menu_text | x",
        "de | property.nope | x",
        "just some words",
    ] {
        let r = post_section!(c, "translations", &[("translations", bad)]);
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert!(
            r.body.contains("Texts in other languages:"),
            "{bad}: {}",
            r.body
        );
        assert_eq!(settings(&p).await, saved, "{bad}");
    }
}

#[actix_web::test]
async fn staff_read_times_in_the_portals_zone_and_an_unknown_zone_is_refused() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let page = c.get("/admin/settings").await;
    assert!(
        page.body.contains("<option selected>UTC</option>"),
        "UTC until chosen"
    );
    let r = post_section!(c, "display", &[("time_zone", "Mars/Olympus")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Choose a time zone from the list."),
        "{}",
        r.body
    );
    assert_eq!(settings(&p).await.time_zone, "UTC");
    let r = post_section!(c, "display", &[("time_zone", "Europe/Berlin")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(settings(&p).await.time_zone, "Europe/Berlin");
    // The fixture's tickets date from January: Central European (winter) Time.
    let inbox = c.get("/admin/inbox").await.body;
    assert!(inbox.contains(" CET<"), "{inbox}");
    assert!(!inbox.contains(" UTC<"));
}

#[actix_web::test]
async fn every_column_button_says_which_column_it_moves_or_removes() {
    let p = admin_portal(StaffRole::Admin).await;
    let mut c = signed_in!(p);
    let page = c.get("/admin/settings").await.body;
    let labels = |prefix: &str| -> Vec<String> {
        page.split(&format!("aria-label=\"{prefix}: "))
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .map(str::to_string)
            .collect()
    };
    let columns = settings(&p).await.columns.len();
    let (up, down, remove) = (labels("Move up"), labels("Move down"), labels("Remove"));
    assert_eq!(
        (up.len(), down.len(), remove.len()),
        (columns - 1, columns - 1, columns)
    );
    let mut distinct = remove.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        columns,
        "no two buttons read the same: {remove:?}"
    );
    assert!(remove.iter().any(|l| l == "Status"), "{remove:?}");
}
