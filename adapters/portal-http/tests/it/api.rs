//! The JSON API (issue 6): bearer tokens only (never a session), round trips of companies,
//! contacts, lists, tickets and messages, JSON errors with stable codes, and nothing
//! half-written. e2e/test_api.sh checks every operation against the OpenAPI document with
//! schemathesis; these tests check what the answers mean.

use actix_web::http::StatusCode;
use portal_core::model::*;
use portal_core::usecases::inbox::StaffAuth;
use serde_json::json;

use crate::harness::*;

pub async fn token(p: &Portal) -> String {
    make_staff(p, StaffRole::Agent).await;
    StaffAuth::new(p.ports.clone())
        .create_api_token(p.world.agent.id, "tests")
        .await
        .unwrap()
        .1
}

fn code(r: &Reply) -> String {
    r.json()["error"]["code"].as_str().unwrap_or("").to_string()
}

#[actix_web::test]
async fn api_answers_401_without_a_valid_token_and_never_accepts_a_session() {
    let p = portal(|_, _| {}).await;
    let t = token(&p).await;
    let mut c = client(&p).await;
    let r = c.api("GET", "/api/v1/tickets", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&r), "unauthorized");
    assert!(r.header("www-authenticate").starts_with("Bearer"));
    for bad in [
        "nonsense",
        &"0".repeat(64),
        &t.to_uppercase().replace('A', "B"),
    ] {
        let r = c.api("GET", "/api/v1/tickets", Some(bad), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}");
    }
    // A customer's session is not a credential here...
    c.login(&p.world.alice.email).await;
    assert_eq!(
        c.api("GET", "/api/v1/contacts", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // ...and neither is a staff session.
    let mut s = client(&p).await;
    s.staff_login(&p.world.agent.email).await;
    assert_eq!(
        s.api("GET", "/api/v1/contacts", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The token works; revoked, it does not.
    assert_eq!(
        c.api("GET", "/api/v1/contacts", Some(&t), None)
            .await
            .status,
        StatusCode::OK
    );
    let auth = StaffAuth::new(p.ports.clone());
    let id = auth.api_tokens(p.world.agent.id).await.unwrap()[0].id;
    auth.revoke_api_token(p.world.agent.id, id).await.unwrap();
    assert_eq!(
        c.api("GET", "/api/v1/contacts", Some(&t), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // A disabled staff login's tokens stop working too.
    let t2 = token(&p).await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, StaffRole::Agent, &hash, false)
        .await
        .unwrap();
    assert_eq!(
        c.api("GET", "/api/v1/contacts", Some(&t2), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn api_errors_are_json_with_stable_codes() {
    let p = portal(|_, _| {}).await;
    let t = token(&p).await;
    let mut c = client(&p).await;
    let r = c.api("GET", "/api/v1/tickets/987654", Some(&t), None).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let r = c.api("GET", "/api/v1/nothing-here", Some(&t), None).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let r = c.api("DELETE", "/api/v1/tickets", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code(&r), "method_not_allowed");
    assert_eq!(r.header("allow"), "GET, POST");
    let r = c
        .api(
            "POST",
            "/api/v1/companies",
            Some(&t),
            Some(json!({ "name": 5 })),
        )
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    let r = c
        .api(
            "POST",
            "/api/v1/companies",
            Some(&t),
            Some(json!({ "nme": "typo" })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    let r = c
        .api(
            "POST",
            "/api/v1/companies",
            Some(&t),
            Some(json!({ "name": null })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "null is not a name");
    let path = format!("/api/v1/contacts/{}", p.world.bob.id.0);
    let r = c.api("PATCH", &path, Some(&t), Some(json!([]))).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a body is an object, never an array"
    );
    let r = c
        .api(
            "POST",
            "/api/v1/companies",
            Some(&t),
            Some(json!({ "name": " ", "domain": "not a domain" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&r), "invalid");
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["field"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(fields, vec!["name:required", "domain:invalid_domain"]);
    let r = c
        .api("GET", "/api/v1/contacts?limit=0", Some(&t), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .api("GET", "/api/v1/contacts?limit=x", Some(&t), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Not JSON.
    let r = c.post("/api/v1/companies", &[("name", "Form Corp")]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code(&r), "unsupported_media_type");
    let r = c
        .api(
            "POST",
            "/api/v1/contacts",
            Some(&t),
            Some(json!({ "email": p.world.bob.email.to_uppercase() })),
        )
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::CONFLICT, "conflict".into())
    );
    // The document itself.
    let doc = c
        .api("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert_eq!(doc["openapi"], "3.0.3");
    let props = &doc["components"]["schemas"]["TicketPropertiesInput"]["properties"];
    assert_eq!(
        props["priority"]["type"], "string",
        "custom properties filled in"
    );
    assert_eq!(props["seats"]["type"], "integer");
    assert_eq!(
        doc["components"]["schemas"]["ContactPropertiesInput"]["properties"]["tier"]["type"],
        "string"
    );
}

#[actix_web::test]
async fn api_round_trips_companies_contacts_and_lists() {
    let p = portal(|_, _| {}).await;
    let t = token(&p).await;
    let mut c = client(&p).await;
    let r = c
        .api(
            "POST",
            "/api/v1/companies",
            Some(&t),
            Some(json!({ "name": "Initech", "domain": "Initech.test" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let co = r.json();
    assert_eq!(co["domain"], "initech.test");
    let id = co["id"].as_i64().unwrap();
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/companies/{id}"),
            Some(&t),
            Some(json!({ "domain": null })),
        )
        .await;
    assert_eq!(
        r.json(),
        json!({ "id": id, "name": "Initech", "domain": null })
    );
    // Pages by id: limit 1 then `next`.
    let first = c
        .api("GET", "/api/v1/companies?limit=1", Some(&t), None)
        .await
        .json();
    assert_eq!(first["data"].as_array().unwrap().len(), 1);
    let next = first["next"].as_i64().expect("a next page");
    let second = c
        .api(
            "GET",
            &format!("/api/v1/companies?limit=1&after={next}"),
            Some(&t),
            None,
        )
        .await
        .json();
    assert_ne!(first["data"][0]["id"], second["data"][0]["id"]);
    let found = c
        .api("GET", "/api/v1/companies?q=initech", Some(&t), None)
        .await
        .json();
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["next"], json!(null));
    // A contact of it, with a custom property.
    let r = c
        .api(
            "POST",
            "/api/v1/contacts",
            Some(&t),
            Some(json!({
                "email": "milton@initech.test", "first_name": "Milton", "company_id": id,
                "language": "de", "properties": { "tier": "gold" }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let contact = r.json();
    let cid = contact["id"].as_i64().unwrap();
    assert_eq!(contact["company_id"], id);
    assert_eq!(contact["properties"], json!({ "tier": "gold" }));
    // Its companies (C2): the primary one, the portal's rules deciding.
    assert_eq!(
        contact["memberships"],
        json!([{ "company_id": id, "granted": null, "limited": null }])
    );
    let stored = p
        .ports
        .directory
        .contact(ContactId(cid))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.language.as_deref(), Some("de"));
    // PATCH keeps what it does not name and merges properties.
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/contacts/{cid}"),
            Some(&t),
            Some(json!({ "last_name": "Waddams", "properties": { "tier": null } })),
        )
        .await;
    let patched = r.json();
    assert_eq!(patched["first_name"], "Milton");
    assert_eq!(patched["last_name"], "Waddams");
    assert_eq!(patched["properties"], json!({}));
    // Memberships (C2): a further company, with rights granted there; an unknown company
    // refuses the whole PATCH and writes nothing.
    let acme = p.world.acme.id.0;
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/contacts/{cid}"),
            Some(&t),
            Some(json!({ "memberships": [
                { "company_id": acme, "granted": { "see": true, "reply": false, "close": false } },
                { "company_id": 987654 }
            ], "first_name": "Milt" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/contacts/{cid}"),
            Some(&t),
            Some(json!({ "memberships": [
                { "company_id": acme, "granted": { "see": true, "reply": false, "close": false } }
            ] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let stored = p
        .ports
        .directory
        .contact(ContactId(cid))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.first_name, "Milton",
        "the refused PATCH wrote nothing"
    );
    let acme_rights =
        portal_core::visibility::company_rights(&Default::default(), &stored, p.world.acme.id);
    assert_eq!(
        (acme_rights.see, acme_rights.reply, acme_rights.close),
        (true, false, false)
    );
    assert_eq!(
        r.json()["memberships"][1],
        json!({ "company_id": acme, "granted": { "see": true, "reply": false, "close": false }, "limited": null })
    );
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/contacts/{cid}"),
            Some(&t),
            Some(json!({ "company_id": 987654, "first_name": "Bob" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        p.ports
            .directory
            .contact(ContactId(cid))
            .await
            .unwrap()
            .unwrap()
            .first_name,
        "Milton",
        "nothing half-written"
    );
    let listed = c
        .api(
            "GET",
            &format!("/api/v1/contacts?company_id={id}"),
            Some(&t),
            None,
        )
        .await
        .json();
    assert_eq!(listed["data"][0]["email"], "milton@initech.test");
    // A list with the contact on it, then off again.
    let list = c
        .api(
            "POST",
            "/api/v1/lists",
            Some(&t),
            Some(json!({ "name": "Beta testers" })),
        )
        .await;
    assert_eq!(list.status, StatusCode::CREATED);
    let lid = list.json()["id"].as_i64().unwrap();
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/lists/{lid}/members/{cid}"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.json()["member_ids"], json!([cid]));
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/lists/{lid}/members/987654"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/lists/{lid}"),
            Some(&t),
            Some(json!({ "name": "Pilot" })),
        )
        .await;
    assert_eq!(r.json()["name"], "Pilot");
    let r = c
        .api(
            "DELETE",
            &format!("/api/v1/lists/{lid}/members/{cid}"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.json()["member_ids"], json!([]));
    let lists = c.api("GET", "/api/v1/lists", Some(&t), None).await.json();
    assert!(
        lists["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == lid && l["member_count"] == 0)
    );
}

#[actix_web::test]
async fn api_tickets_and_messages_reach_the_customers_portal() {
    let p = portal(|_, _| {}).await;
    let t = token(&p).await;
    let mut c = client(&p).await;
    let alice = p.world.alice.id.0;
    let r = c
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&t),
            Some(json!({
                "subject": "Invoice address wrong", "body": "Please **fix** it.",
                "requester_id": alice, "properties": { "priority": "high" }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ticket = r.json();
    let id = ticket["id"].as_i64().unwrap();
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["contact_ids"], json!([alice]));
    assert_eq!(ticket["company_ids"], json!([p.world.acme.id.0]));
    assert_eq!(ticket["inbox_id"], json!(p.world.inbox.0));
    // A public reply and an internal note.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&t),
            Some(json!({ "body": "Fixed, sorry!" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.json()["author"],
        json!({ "kind": "agent", "id": p.world.agent.id.0 })
    );
    let r = c
        .api(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&t),
            Some(json!({ "body": "Billing system bug #4711", "internal": true })),
        )
        .await;
    let note = r.json()["id"].as_i64().unwrap();
    let messages = c
        .api(
            "GET",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&t),
            None,
        )
        .await
        .json();
    let kinds: Vec<bool> = messages["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["internal"].as_bool().unwrap())
        .collect();
    assert_eq!(kinds, vec![false, false, true]);
    let channels: Vec<&str> = messages["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["channel"].as_str().unwrap())
        .collect();
    assert_eq!(
        channels,
        vec!["api", "api", "api"],
        "staff see how each came in"
    );
    let one = c
        .api(
            "GET",
            &format!("/api/v1/tickets/{id}/messages/{note}"),
            Some(&t),
            None,
        )
        .await;
    assert!(one.json()["body_html"].as_str().unwrap().contains("4711"));
    // An internal note can be corrected; a public reply the customer was mailed cannot.
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{id}/messages/{note}"),
            Some(&t),
            Some(json!({ "body": "Billing system bug #4712" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["body_html"].as_str().unwrap().contains("4712"));
    assert_eq!(r.json()["internal"], true);
    let reply = messages["data"][1]["id"].as_i64().unwrap();
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{id}/messages/{reply}"),
            Some(&t),
            Some(json!({ "body": "Something else entirely" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "public_reply");
    let other = p.world.other_ticket.0;
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{other}/messages/{note}"),
            Some(&t),
            Some(json!({ "body": "through another ticket" })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a message is reached only through its ticket"
    );
    // Alice sees the ticket and the reply in the portal, never the note; Dave (Globex)
    // does not see the ticket at all.
    let mut alice_c = client(&p).await;
    alice_c.login(&p.world.alice.email).await;
    let page = alice_c.get(&format!("/portal/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Invoice address wrong"));
    assert!(page.body.contains("<strong>fix</strong>"));
    assert!(page.body.contains("Fixed, sorry!"));
    assert!(!page.body.contains("4711") && !page.body.contains("4712"));
    let mut dave = client(&p).await;
    dave.login(&p.world.dave.email).await;
    assert_eq!(
        dave.get(&format!("/portal/tickets/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // PATCH: checked as a whole before anything is written.
    let closed = p.world.closed_stage.0;
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{id}"),
            Some(&t),
            Some(json!({ "subject": "Changed", "stage_id": p.world.returns.stages[0].id.0 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "stage_id");
    let stored = p.ports.tickets.get(TicketId(id)).await.unwrap().unwrap();
    assert_eq!(
        stored.subject, "Invoice address wrong",
        "nothing half-written"
    );
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{id}"),
            Some(&t),
            Some(json!({
                "subject": "Invoice address", "stage_id": closed,
                "owner_id": p.world.agent.id.0, "properties": { "priority": "low" }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t2 = r.json();
    assert_eq!(
        (
            t2["subject"].as_str(),
            t2["status"].as_str(),
            t2["owner_id"].as_i64()
        ),
        (
            Some("Invoice address"),
            Some("closed"),
            Some(p.world.agent.id.0)
        )
    );
    assert_eq!(t2["properties"], json!({ "priority": "low" }));
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{id}"),
            Some(&t),
            Some(json!({ "owner_id": null, "properties": { "seats": "many" } })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "seats is a number"
    );
    let r = c
        .api(
            "PATCH",
            &format!("/api/v1/tickets/{id}"),
            Some(&t),
            Some(json!({ "properties": { "seats": 12 } })),
        )
        .await;
    assert_eq!(
        r.json()["properties"],
        json!({ "priority": "low", "seats": 12 })
    );
    // The inbox list: newest first, paged by cursor, filtered by status.
    let all = c
        .api("GET", "/api/v1/tickets?limit=100", Some(&t), None)
        .await
        .json();
    let all: Vec<i64> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert!(all.contains(&id));
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = c
            .api(
                "GET",
                &format!("/api/v1/tickets?limit=2{cursor}"),
                Some(&t),
                None,
            )
            .await
            .json();
        paged.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_i64().unwrap()),
        );
        match page["next"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => break,
        }
    }
    assert_eq!(paged, all, "pages of two concatenate to the whole list");
    let closed_only = c
        .api(
            "GET",
            "/api/v1/tickets?status=closed&limit=100",
            Some(&t),
            None,
        )
        .await
        .json();
    assert!(
        closed_only["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["status"] == "closed")
    );
    let r = c
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&t),
            Some(json!({ "subject": "x", "body": "y", "requester_id": 987654 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "unknown_contact");
}

#[actix_web::test]
async fn a5_the_api_disables_a_customer_login_and_an_admin_a_staff_login_ending_their_sessions() {
    let p = portal(|_, _| {}).await;
    let agent_token = token(&p).await;
    // Alice is signed in to the portal.
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    assert_eq!(alice.get("/portal/tickets").await.status, StatusCode::OK);
    let mut c = client(&p).await;
    // Any staff member may disable a customer's login: her session ends at once.
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/contacts/{}/login", p.world.alice.id.0),
            Some(&agent_token),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["enabled"], false);
    assert_eq!(
        alice.get("/portal/tickets").await.status,
        StatusCode::SEE_OTHER
    );
    assert_ne!(
        alice.login(&p.world.alice.email).await.status,
        StatusCode::SEE_OTHER,
        "a disabled login does not enter"
    );
    assert_eq!(
        p.ports.audit.recent(1).await.unwrap()[0].action,
        "contact.login_disabled"
    );
    // A body that is not the documented one changes nothing.
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/contacts/{}/login", p.world.alice.id.0),
            Some(&agent_token),
            Some(json!({ "enabled": "yes" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Enabled again, she enters.
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/contacts/{}/login", p.world.alice.id.0),
            Some(&agent_token),
            Some(json!({ "enabled": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        alice.login(&p.world.alice.email).await.status,
        StatusCode::SEE_OTHER
    );
    // No such contact: 404. A contact without a login cannot enter anyway; enabling one
    // needs a login first (an invitation).
    let r = c
        .api(
            "PUT",
            "/api/v1/contacts/999999/login",
            Some(&agent_token),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let created = c
        .api(
            "POST",
            "/api/v1/contacts",
            Some(&agent_token),
            Some(json!({ "email": "nologin@acme.test" })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let no_login = format!(
        "/api/v1/contacts/{}/login",
        created.json()["id"].as_i64().unwrap()
    );
    let r = c
        .api(
            "PUT",
            &no_login,
            Some(&agent_token),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .api(
            "PUT",
            &no_login,
            Some(&agent_token),
            Some(json!({ "enabled": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "no_login");

    // Staff logins: an agent may not disable one (P14); an admin may disable another's,
    // which ends that member's sessions and stops its API tokens; never their own.
    let auth = StaffAuth::new(p.ports.clone());
    let kim = auth
        .create_login(
            "kim@support.test",
            "Kim",
            "Admin",
            PASSWORD,
            StaffRole::Admin,
        )
        .await
        .unwrap();
    let admin_token = auth.create_api_token(kim.id, "admin").await.unwrap().1;
    let mut agent_session = client(&p).await;
    agent_session.staff_login(&p.world.agent.email).await;
    assert_eq!(
        agent_session.get("/admin/inbox").await.status,
        StatusCode::OK
    );
    let path = format!("/api/v1/agents/{}/login", p.world.agent.id.0);
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/agents/{}/login", kim.id.0),
            Some(&agent_token),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/agents/{}/login", kim.id.0),
            Some(&admin_token),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = c
        .api(
            "PUT",
            &path,
            Some(&admin_token),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        agent_session.get("/admin/inbox").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.api("GET", "/api/v1/contacts", Some(&agent_token), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "a disabled member's API token stops working"
    );
}

#[actix_web::test]
async fn o4_the_api_uploads_files_with_a_message_and_downloads_any_attachment_for_staff_tokens() {
    let p = portal(|_, _| {}).await;
    let t = token(&p).await;
    let mut c = client(&p).await;
    let r = c
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&t),
            Some(json!({ "subject": "Logs", "body": "See below.", "requester_id": p.world.alice.id.0 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let messages = format!("/api/v1/tickets/{id}/messages");
    let r = c
        .api_multipart(
            &messages,
            &t,
            &[
                ("body", "Two files for the **record**"),
                ("internal", "true"),
            ],
            &[
                ("files", "server.log", b"line 1\nline 2\n".to_vec()),
                ("files", "notes.txt", b"more notes".to_vec()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let msg = r.json();
    assert_eq!(msg["internal"], true);
    assert_eq!(msg["channel"], "api");
    let files = msg["attachments"].as_array().unwrap();
    let names: Vec<&str> = files
        .iter()
        .map(|a| a["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["server.log", "notes.txt"]);
    // Each file's bytes, typed by its content (never by what the client claimed), named.
    let url = files[0]["url"].as_str().unwrap().to_string();
    assert_eq!(url, format!("/api/v1/attachments/{}", files[0]["id"]));
    let d = c.api("GET", &url, Some(&t), None).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body, "line 1\nline 2\n");
    assert!(
        d.header("content-type").starts_with("text/plain"),
        "{}",
        d.header("content-type")
    );
    assert!(d.header("content-disposition").contains("server.log"));
    assert_eq!(d.header("cache-control"), "no-store");
    // Only with a token; an unknown attachment is a JSON 404.
    assert_eq!(
        c.api("GET", &url, None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let missing = c
        .api("GET", "/api/v1/attachments/999999", Some(&t), None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&missing), "not_found");
    // Refused forms write nothing.
    let count = |v: serde_json::Value| v["data"].as_array().unwrap().len();
    let before = count(c.api("GET", &messages, Some(&t), None).await.json());
    for (fields, field) in [
        (vec![("internal", "true")], "body"),
        (vec![("body", "x"), ("internal", "maybe")], "internal"),
        (vec![("body", "x"), ("shoe_size", "42")], "shoe_size"),
    ] {
        let r = c
            .api_multipart(&messages, &t, &fields, &[("files", "a.txt", b"a".to_vec())])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["fields"][0]["field"], field, "{}", r.body);
    }
    let broken = c
        .api_raw("POST", &messages, &t, b"--x\r\nnot multipart".to_vec())
        .await;
    assert!(broken.status.is_client_error());
    let r = c
        .send(
            actix_web::test::TestRequest::post()
                .uri(&messages)
                .insert_header(("authorization", format!("Bearer {t}")))
                .insert_header(("content-type", "multipart/form-data; boundary=zz"))
                .set_payload("--zz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--zz--\r\n"),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert_eq!(
        count(c.api("GET", &messages, Some(&t), None).await.json()),
        before
    );
}
