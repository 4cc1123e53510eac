//! The staff's records over HTTP (U2, U3): contacts with their timeline, companies,
//! pipelines and inboxes, property definitions, ticket properties from the inbox, agents'
//! aliases, API tokens. Valid and invalid values, problems next to their field, role checks.

use actix_web::http::StatusCode;
use portal_core::model::*;
use portal_core::property::ObjectKind;
use portal_core::settings::OwnerDisplay;

use crate::harness::*;

/// The text of the error shown next to `field`, if any.
fn field_error(body: &str, field: &str) -> Option<String> {
    let marker = format!("data-field=\"{field}\">");
    let at = body.find(&marker)? + marker.len();
    Some(body[at..at + body[at..].find('<')?].to_string())
}

#[actix_web::test]
async fn u3_contacts_are_listed_searched_created_and_edited_with_errors_next_to_the_field() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Agent).await;
    let mut c = client(&p).await;
    c.staff_login(&p.world.agent.email).await;
    let page = c.get("/admin/contacts").await;
    assert_eq!(page.status, StatusCode::OK);
    for contact in [&p.world.alice, &p.world.bob, &p.world.carol, &p.world.dave] {
        assert!(page.body.contains(&contact.email));
    }
    let found = c.get("/admin/contacts?q=ACME.test").await;
    assert!(found.body.contains("alice@acme.test") && !found.body.contains("dave@globex.test"));
    let csrf = page.csrf();
    // Invalid: each problem next to its field, in the visitor's language, nothing written.
    c.accept_language = Some("de".into());
    let r = c
        .post(
            "/admin/contacts",
            &[
                ("csrf", &csrf),
                ("email", "not-an-email"),
                ("company", "No Such Corp"),
                ("language", "xx"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&r.body, "company").as_deref(),
        Some("Kein Unternehmen hat diesen Namen oder diese Domain.")
    );
    let r = c
        .post(
            "/admin/contacts",
            &[
                ("csrf", &csrf),
                ("email", "not-an-email"),
                ("language", "xx"),
                ("prop.tier", "x".repeat(1001).as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&r.body, "email").is_some(), "{}", r.body);
    assert!(field_error(&r.body, "language").is_some());
    assert!(field_error(&r.body, "properties").is_some());
    assert!(
        r.body.contains("value=\"not-an-email\""),
        "the form keeps what was typed"
    );
    c.accept_language = None;
    // Taken email.
    let r = c
        .post(
            "/admin/contacts",
            &[("csrf", &csrf), ("email", "ALICE@acme.test")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&r.body, "email").as_deref(),
        Some("This is already used.")
    );
    // Valid, with the company by its domain.
    let r = c
        .post(
            "/admin/contacts",
            &[
                ("csrf", &csrf),
                ("email", "erin@acme.test"),
                ("first_name", "Erin"),
                ("company", "acme.test"),
                ("language", "nl"),
                ("prop.tier", "bronze"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let erin = p
        .ports
        .directory
        .contact_by_email("erin@acme.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erin.primary_company, Some(p.world.acme.id));
    assert_eq!(erin.language.as_deref(), Some("nl"));
    assert_eq!(erin.properties["tier"], Value::text("bronze"));
    // Edit: the membership email and the company go; the CSRF token is required.
    let path = format!("/admin/contacts/{}", erin.id.0);
    let r = c
        .post(
            &path,
            &[("email", "erin@acme.test"), ("first_name", "Erin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("email", "erin@acme.test"),
                ("first_name", "Erin"),
                ("last_name", "Example"),
                ("membership_email", "erin.member@acme.test"),
                ("company", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let erin = p.ports.directory.contact(erin.id).await.unwrap().unwrap();
    assert_eq!(erin.primary_company, None);
    assert_eq!(
        erin.membership_email.as_deref(),
        Some("erin.member@acme.test")
    );
    assert!(erin.properties.is_empty(), "an empty property unsets it");
    // Every change is in the audit log.
    let audit = p.ports.audit.recent(10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "contact.create"));
    assert!(
        audit
            .iter()
            .any(|a| a.action == "contact.update" && a.detail.contains("company"))
    );
}

#[actix_web::test]
async fn u2_a_contacts_page_shows_its_timeline_tickets_and_lists() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Agent).await;
    // Alice replies in the portal: the timeline records it.
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    let detail = alice
        .get(&format!("/portal/tickets/{}", p.world.alice_ticket.0))
        .await;
    let r = alice
        .post_multipart(
            &format!("/portal/tickets/{}/reply", p.world.alice_ticket.0),
            &[("csrf", &detail.csrf()), ("body", "Any news?")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = p.ports.directory.create_list("VIP").await.unwrap();
    p.ports
        .directory
        .add_member(list.id, p.world.alice.id)
        .await
        .unwrap();
    let mut c = client(&p).await;
    c.staff_login(&p.world.agent.email).await;
    let page = c
        .get(&format!("/admin/contacts/{}", p.world.alice.id.0))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let timeline = &page.body[page.body.find("id=\"timeline\"").unwrap()..];
    let timeline = &timeline[..timeline.find("</ol>").unwrap()];
    assert!(timeline.contains("replied in the portal"), "{timeline}");
    assert!(timeline.contains(&format!("/admin/tickets/{}", p.world.alice_ticket.0)));
    let tickets = &page.body[page.body.find("id=\"contact-tickets\"").unwrap()..];
    assert!(
        tickets.contains(&format!("/admin/tickets/{}", p.world.bob_ticket.0)),
        "company tickets too"
    );
    assert!(
        !tickets.contains(&format!("/admin/tickets/{}", p.world.other_ticket.0)),
        "not Globex's"
    );
    assert!(page.body.contains(&format!("/admin/lists/{}", list.id.0)));
    assert_eq!(
        c.get("/admin/contacts/987654").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn u3_companies_pipelines_inboxes_and_properties() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Agent).await;
    let mut c = client(&p).await;
    c.staff_login(&p.world.agent.email).await;
    let csrf = c.get("/admin/companies").await.csrf();
    let r = c
        .post(
            "/admin/companies",
            &[("csrf", &csrf), ("name", ""), ("domain", "-bad-")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&r.body, "name").is_some() && field_error(&r.body, "domain").is_some());
    let r = c
        .post(
            "/admin/companies",
            &[
                ("csrf", &csrf),
                ("name", "Initech"),
                ("domain", "initech.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id: i64 = r
        .location()
        .trim_start_matches("/admin/companies/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = c
        .post(
            &format!("/admin/companies/{id}"),
            &[("csrf", &csrf), ("name", "Initech AG"), ("domain", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let co = p
        .ports
        .directory
        .company(CompanyId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((co.name.as_str(), co.domain), ("Initech AG", None));
    let page = c
        .get(&format!("/admin/companies/{}", p.world.acme.id.0))
        .await;
    assert!(page.body.contains("alice@acme.test") && page.body.contains("bob@acme.test"));

    // Pipelines: at least one open stage; stages appended; inboxes need a real pipeline.
    let r = c
        .post(
            "/admin/pipelines",
            &[
                ("csrf", &csrf),
                ("label", "Onboarding"),
                ("open", ""),
                ("closed", "Done"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&r.body, "stages").is_some());
    let r = c
        .post(
            "/admin/pipelines",
            &[
                ("csrf", &csrf),
                ("label", "Onboarding"),
                ("open", "New\nIn progress"),
                ("closed", "Done"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let pipelines = p.ports.catalog.pipelines().await.unwrap();
    let onboarding = pipelines.iter().find(|x| x.label == "Onboarding").unwrap();
    let stages: Vec<(&str, bool)> = onboarding
        .stages
        .iter()
        .map(|s| (s.label.as_str(), s.closed))
        .collect();
    assert_eq!(
        stages,
        vec![("New", false), ("In progress", false), ("Done", true)]
    );
    let r = c
        .post(
            &format!("/admin/pipelines/{}/stages", onboarding.id.0),
            &[("csrf", &csrf), ("label", "Cancelled"), ("closed", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            "/admin/inboxes",
            &[
                ("csrf", &csrf),
                ("name", "Onboarding desk"),
                ("pipeline", "987654"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(
            "/admin/inboxes",
            &[
                ("csrf", &csrf),
                ("name", "Onboarding desk"),
                ("pipeline", &onboarding.id.0.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get("/admin/pipelines").await;
    assert!(page.body.contains("Cancelled") && page.body.contains("Onboarding desk"));

    // Property definitions: names checked, built-ins and taken names refused.
    for (name, kind, options) in [
        ("Bad Name", "text", ""),
        ("subject", "text", ""),
        ("priority", "text", ""),
        ("plan", "colour", ""),
        ("plan", "number", "a\nb"),
    ] {
        let r = c
            .post(
                "/admin/properties",
                &[
                    ("csrf", &csrf),
                    ("object", "ticket"),
                    ("name", name),
                    ("label", "Plan"),
                    ("kind", kind),
                    ("options", options),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name} {kind}");
    }
    let r = c
        .post(
            "/admin/properties",
            &[
                ("csrf", &csrf),
                ("object", "ticket"),
                ("name", "plan"),
                ("label", "Plan"),
                ("kind", "text"),
                ("options", "Basic\nPro"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let defs = p
        .ports
        .catalog
        .property_defs(ObjectKind::Ticket)
        .await
        .unwrap();
    let plan = defs.iter().find(|d| d.name == "plan").unwrap();
    assert_eq!(plan.options, vec!["Basic", "Pro"]);
}

#[actix_web::test]
async fn u1_ticket_properties_are_edited_from_the_inbox() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Agent).await;
    let mut c = client(&p).await;
    c.staff_login(&p.world.agent.email).await;
    let path = format!("/admin/tickets/{}", p.world.alice_ticket.0);
    let page = c.get(&path).await;
    assert!(page.body.contains("name=\"prop.priority\""));
    let csrf = page.csrf();
    let r = c
        .post(
            &format!("{path}/properties"),
            &[
                ("csrf", &csrf),
                ("subject", "Toner tsunami"),
                ("prop.priority", "urgent"),
                ("prop.seats", "many"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = p
        .ports
        .tickets
        .get(p.world.alice_ticket)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(t.subject, "Toner tsunami", "nothing written");
    let r = c
        .post(
            &format!("{path}/properties"),
            &[
                ("csrf", &csrf),
                ("subject", "Toner tsunami"),
                ("prop.priority", "urgent"),
                ("prop.seats", "12"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let t = p
        .ports
        .tickets
        .get(p.world.alice_ticket)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.subject, "Toner tsunami");
    assert_eq!(t.properties["priority"], Value::text("urgent"));
    assert_eq!(t.properties["seats"], Value::Number(12));
    // The customer sees the new subject and the priority column.
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    let list = alice.get("/portal/tickets").await;
    assert!(list.body.contains("Toner tsunami") && list.body.contains("urgent"));
}

#[actix_web::test]
async fn p8_only_admins_set_aliases_and_customers_see_them() {
    let p = portal(|_, s| s.owner_display = OwnerDisplay::Alias).await;
    p.ports
        .tickets
        .set_owner(p.world.alice_ticket, Some(p.world.agent.id), T0_PLUS)
        .await
        .unwrap();
    make_staff(&p, StaffRole::Agent).await;
    let mut c = client(&p).await;
    c.staff_login(&p.world.agent.email).await;
    let page = c.get("/admin/agents").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf();
    let path = format!("/admin/agents/{}/alias", p.world.agent.id.0);
    let r = c
        .post(&path, &[("csrf", &csrf), ("alias", "Team Blue")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "an agent may not");
    make_staff(&p, StaffRole::Admin).await;
    let r = c
        .post(&path, &[("csrf", &csrf), ("alias", &"x".repeat(101))])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(&path, &[("csrf", &csrf), ("alias", "Team Blue")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    let detail = alice
        .get(&format!("/portal/tickets/{}", p.world.alice_ticket.0))
        .await;
    assert!(detail.body.contains("Team Blue"), "{}", detail.body);
}

const T0_PLUS: Timestamp = Timestamp(portal_testkit::fixtures::T0.0 + 1000);

#[actix_web::test]
async fn api_tokens_are_shown_once_work_and_are_revoked_from_the_staff_side() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Agent).await;
    let mut c = client(&p).await;
    c.staff_login(&p.world.agent.email).await;
    let csrf = c.get("/admin/api-tokens").await.csrf();
    let r = c
        .post("/admin/api-tokens", &[("csrf", &csrf), ("name", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(
            "/admin/api-tokens",
            &[("csrf", &csrf), ("name", "CRM sync")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let at = r.body.find("id=\"new-token\">").unwrap() + 15;
    let token = r.body[at..at + 64].to_string();
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let again = c.get("/admin/api-tokens").await;
    assert!(
        again.body.contains("CRM sync") && !again.body.contains(&token),
        "shown once"
    );
    let mut api = client(&p).await;
    assert_eq!(
        api.api("GET", "/api/v1/lists", Some(&token), None)
            .await
            .status,
        StatusCode::OK
    );
    let id = p.ports.staff.api_tokens(p.world.agent.id).await.unwrap()[0].id;
    let r = c
        .post(
            &format!("/admin/api-tokens/{id}/revoke"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api.api("GET", "/api/v1/lists", Some(&token), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
