//! Issue 14: exactly what the rules allow, everywhere. Names in filter menus and reply
//! notifications obey the same scope as the pages; the other rows of the issue.

use actix_web::http::StatusCode;
use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::ports::{Clock, QueuedMail};
use portal_core::visibility::CompanyAccess;

use crate::harness::*;

pub async fn queued(p: &Portal) -> Vec<QueuedMail> {
    let now = p.clock.now();
    p.ports
        .outbox
        .claim(now.plus_seconds(1), now.plus_seconds(60), 100)
        .await
        .unwrap()
}

fn gold_only() -> CompanyAccess {
    CompanyAccess::Filtered(Filter::all_of(vec![Criterion::new(
        "tier",
        Operator::Equals(Value::text("gold")),
    )]))
}

#[actix_web::test]
async fn v3_the_requested_by_menu_names_only_requesters_of_tickets_in_scope() {
    let p = portal(|_, s| s.visibility.company_access = gold_only()).await;
    // Bob (silver) sees only his own tickets: his colleague Alice is not named anywhere.
    let mut bob = client(&p).await;
    bob.login(&p.world.bob.email).await;
    let page = bob.get("/portal/tickets").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"f.requested_by\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Bob Example"));
    assert!(!page.body.contains("Alice"), "a colleague's name leaked");
    // Alice (gold) sees the company's tickets and so their requesters, Bob among them.
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    let page = alice.get("/portal/tickets").await;
    assert!(page.body.contains("Bob Example"));
    // In "My tickets" only the names on her own tickets remain.
    let mine = alice.get("/portal/tickets?view=mine").await;
    assert!(mine.body.contains("Alice Example"));
    assert!(!mine.body.contains("Bob Example"), "{}", mine.body);
}

#[actix_web::test]
async fn v5_a_staff_reply_on_a_ticket_hidden_from_its_customer_is_not_mailed() {
    // V5: only high-priority tickets show; Bob's ticket is low.
    let p = portal(|_, s| {
        s.visibility.ticket_filter = Some(Filter::all_of(vec![Criterion::new(
            "priority",
            Operator::Equals(Value::text("high")),
        )]))
    })
    .await;
    make_staff(&p, StaffRole::Agent).await;
    let mut s = client(&p).await;
    s.staff_login(&p.world.agent.email).await;
    for id in [p.world.bob_ticket.0, p.world.alice_ticket.0] {
        let page = s.get(&format!("/admin/tickets/{id}")).await;
        let csrf = page.csrf();
        let r = s
            .post_multipart(
                &format!("/admin/tickets/{id}/answer"),
                &[("csrf", &csrf), ("body", &format!("Answer on {id}"))],
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let sent = queued(&p).await;
    // Bob cannot open his ticket in the portal, so he is not told of it.
    assert!(
        sent.iter().all(|m| m.mail.to != p.world.bob.email),
        "{sent:?}"
    );
    let mut bob = client(&p).await;
    bob.login(&p.world.bob.email).await;
    assert_eq!(
        bob.get(&format!("/portal/tickets/{}", p.world.bob_ticket.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Alice's visible ticket is mailed, with a link that opens.
    let to_alice: Vec<_> = sent
        .iter()
        .filter(|m| m.mail.to == p.world.alice.email)
        .collect();
    assert_eq!(to_alice.len(), 1, "{sent:?}");
    let link = &to_alice[0].mail.vars["link"];
    let path = link.trim_start_matches("http://portal.test");
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    assert_eq!(alice.get(path).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn api_every_list_endpoint_pages_up_to_its_limit_and_says_when_more_remain() {
    use portal_core::ports::{NewContact, NewMessage, NewTicket, ThreadTarget};
    use portal_testkit::fixtures::{T0, body};
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    let d = &p.ports.directory;
    for i in 0..105 {
        d.create_company(&format!("Company {i}"), None)
            .await
            .unwrap();
        d.create_list(&format!("List {i}")).await.unwrap();
        d.create_contact(NewContact {
            email: format!("person{i}@bulk.test"),
            membership_email: None,
            first_name: "Bulk".into(),
            last_name: format!("{i}"),
            primary_company: None,
            language: None,
            properties: Default::default(),
        })
        .await
        .unwrap();
        let t = p
            .ports
            .tickets
            .create(NewTicket {
                subject: format!("Bulk {i}"),
                pipeline: w.support.id,
                stage: w.open_stage,
                status: TicketStatus::Open,
                inbox: Some(w.inbox),
                requester: Some(w.carol.id),
                contacts: [w.carol.id].into(),
                companies: Default::default(),
                private: false,
                properties: Default::default(),
                owner: None,
                created_at: T0,
                first_message: None,
            })
            .await
            .unwrap();
        let _ = t;
        p.ports
            .tickets
            .add_message(NewMessage {
                ticket: w.alice_ticket,
                thread: ThreadTarget::Existing(
                    p.ports
                        .tickets
                        .oldest_thread(w.alice_ticket)
                        .await
                        .unwrap()
                        .unwrap(),
                ),
                content: body(Author::Agent(w.agent.id), MessageVisibility::Public, "more"),
                at: T0,
                mails: Vec::new(),
            })
            .await
            .unwrap();
    }
    let token = crate::api::token(&p).await;
    let mut c = client(&p).await;
    for path in [
        "/api/v1/companies".to_string(),
        "/api/v1/contacts".to_string(),
        "/api/v1/lists".to_string(),
        "/api/v1/tickets".to_string(),
        format!("/api/v1/tickets/{}/messages", w.alice_ticket.0),
    ] {
        let r = c
            .api("GET", &format!("{path}?limit=100"), Some(&token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let page = r.json();
        assert_eq!(page["data"].as_array().unwrap().len(), 100, "{path}");
        assert!(!page["next"].is_null(), "{path}: more remain");
        // Above the maximum: refused with a field error, never silently shortened.
        let r = c
            .api("GET", &format!("{path}?limit=101"), Some(&token), None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.body
        );
        assert!(r.body.contains("limit"), "{}", r.body);
    }
}

#[actix_web::test]
async fn v5_p12_a_form_ticket_its_customer_could_not_see_is_refused_and_nothing_is_written() {
    let p = portal(|_, s| {
        s.visibility.ticket_filter = Some(Filter::all_of(vec![Criterion::new(
            "priority",
            Operator::IsNoneOf(vec![Value::text("internal")]),
        )]));
        s.support_form.fields = vec![portal_core::settings::FormField {
            property: "priority".into(),
            label: None,
            required: false,
        }];
    })
    .await;
    let mut c = client(&p).await;
    c.login(&p.world.carol.email).await;
    let form = c.get("/portal/new").await;
    let csrf = form.csrf();
    let before = p
        .ports
        .tickets
        .related(p.world.carol.id, None, 100)
        .await
        .unwrap()
        .len();
    let r = c
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &csrf),
                ("subject", "Printer"),
                ("description", "It jams"),
                ("field.priority", "internal"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("File a support ticket: Tickets filed here would not show"),
        "{}",
        r.body
    );
    assert!(r.body.contains("It jams"), "the typed text is kept");
    let after = p
        .ports
        .tickets
        .related(p.world.carol.id, None, 100)
        .await
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing written");
    // With a value the filter admits, the ticket is created and opens.
    let r = c
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &csrf),
                ("subject", "Printer"),
                ("description", "It jams"),
                ("field.priority", "normal"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(c.get(&r.location()).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn p4_a_reply_on_a_ticket_staff_filed_without_an_inbox_is_listed_by_the_default_inbox() {
    use portal_core::ports::NewTicket;
    use portal_testkit::fixtures::T0;
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    // An agent wrote this ticket down during a phone call: no inbox, no conversation.
    let phone = p
        .ports
        .tickets
        .create(NewTicket {
            subject: "Phoned about invoices".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: None,
            requester: Some(w.carol.id),
            contacts: [w.carol.id].into(),
            companies: Default::default(),
            private: false,
            properties: Default::default(),
            owner: None,
            created_at: T0,
            first_message: None,
        })
        .await
        .unwrap();
    let mut c = client(&p).await;
    c.login(&w.carol.email).await;
    let path = format!("/portal/tickets/{}", phone.id);
    let csrf = c.get(&path).await.csrf();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "As discussed on the phone")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    make_staff(&p, StaffRole::Agent).await;
    let mut s = client(&p).await;
    s.staff_login(&w.agent.email).await;
    let inbox = s.get(&format!("/admin/inbox?inbox={}", w.inbox.0)).await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(
        inbox.body.contains("Phoned about invoices"),
        "{}",
        inbox.body
    );
}

#[actix_web::test]
async fn p6_a_renamed_label_replaces_ticket_in_the_count_views_close_notices_and_csv() {
    let p = portal(|_, s| {
        s.ticket_label = portal_core::settings::TicketLabel {
            singular: "Order".into(),
            plural: "Orders".into(),
        };
    })
    .await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("Orders</p>"), "the count: {}", list.body);
    assert!(
        list.body.contains(">Organization: Orders</option>"),
        "{}",
        list.body
    );
    assert!(list.body.contains(">My Orders</option>"));
    let none = c.get("/portal/tickets?q=nothingmatchesthis").await;
    assert!(none.body.contains("No Orders match."), "{}", none.body);
    let path = format!("/portal/tickets/{}", p.world.alice_ticket.0);
    let detail = c.get(&path).await;
    assert!(
        detail.body.contains(">Close Order</button>"),
        "{}",
        detail.body
    );
    let csrf = detail.csrf();
    let r = c.post(&format!("{path}/close"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let closed = c.get(&r.location()).await;
    assert!(
        closed.body.contains("The Order is closed."),
        "{}",
        closed.body
    );
    let csv = c.get("/portal/tickets/export.csv").await;
    assert!(
        csv.header("content-disposition").contains("orders.csv"),
        "{}",
        csv.header("content-disposition")
    );
    // Every visible text names orders, none names tickets (outside URLs and markup).
    for page in [&list, &detail, &closed] {
        let text: String = page
            .body
            .split('<')
            .filter_map(|part| part.split_once('>').map(|(_, t)| t))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            !text.to_lowercase().contains("ticket"),
            "\"ticket\" left in: {text}"
        );
    }
}

#[actix_web::test]
async fn p12_the_default_form_header_is_shown_in_the_visitors_language() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    for (lang, header) in [
        ("en", "How can we help?"),
        ("de", "Wie können wir helfen?"),
        ("nl", "Hoe kunnen we helpen?"),
        ("da", "Hvordan kan vi hjælpe?"),
        ("fi", "Miten voimme auttaa?"),
    ] {
        c.accept_language = Some(lang.into());
        let form = c.get("/portal/new").await;
        assert!(
            form.body
                .contains(&format!("<p class=\"lead\">{header}</p>")),
            "{lang}: {}",
            form.body
        );
    }
}

#[actix_web::test]
async fn p13_the_knowledge_base_switch_links_the_portal_to_the_knowledge_base() {
    let off = portal(|_, s| s.knowledge_base_url = "https://kb.acme.test/".into()).await;
    let mut c = client(&off).await;
    c.login(&off.world.alice.email).await;
    assert!(!c.get("/portal/tickets").await.body.contains("kb.acme.test"));
    let on = portal(|_, s| {
        s.knowledge_base_link = true;
        s.knowledge_base_url = "https://kb.acme.test/".into();
    })
    .await;
    let mut c = client(&on).await;
    c.login(&on.world.alice.email).await;
    let list = c.get("/portal/tickets").await;
    assert!(
        list.body
            .contains("<a href=\"https://kb.acme.test/\">Knowledge base</a>"),
        "{}",
        list.body
    );
    // On the login page too: the link helps before signing in.
    let mut anon = client(&on).await;
    assert!(
        anon.get("/portal/login")
            .await
            .body
            .contains("https://kb.acme.test/")
    );
    // The switch needs an address, and a safe one.
    let mut s = on.ports.settings.load().await.unwrap();
    s.knowledge_base_url = "javascript:alert(1)".into();
    let ctx_err = on.state.admin.update_settings(
        portal_core::usecases::staff::StaffActor {
            agent: on.world.agent.id,
            can_manage_portal: true,
        },
        s.clone(),
    );
    match ctx_err.await {
        Err(portal_core::Error::Invalid(e)) => {
            assert!(
                e.iter()
                    .any(|f| f.field == "knowledge_base_url" && f.code == "invalid_url")
            )
        }
        other => panic!("{other:?}"),
    }
    s.knowledge_base_url = String::new();
    match on
        .state
        .admin
        .update_settings(
            portal_core::usecases::staff::StaffActor {
                agent: on.world.agent.id,
                can_manage_portal: true,
            },
            s,
        )
        .await
    {
        Err(portal_core::Error::Invalid(e)) => {
            assert!(
                e.iter()
                    .any(|f| f.field == "knowledge_base_url" && f.code == "required")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[actix_web::test]
async fn t1_a_customer_without_tickets_is_welcomed_with_the_next_step() {
    let p = portal(|_, s| s.visibility.company_access = CompanyAccess::OwnOnly).await;
    let d = &p.ports.directory;
    let newbie = d
        .create_contact(portal_core::ports::NewContact {
            email: "new@acme.test".into(),
            membership_email: None,
            first_name: "Nina".into(),
            last_name: "New".into(),
            primary_company: Some(p.world.acme.id),
            language: None,
            properties: Default::default(),
        })
        .await
        .unwrap();
    p.ports
        .accounts
        .create(portal_core::ports::Account {
            id: AccountId(0),
            contact: newbie.id,
            email: newbie.email.clone(),
            password_hash: Some(p.ports.hasher.hash(PASSWORD).await.unwrap()),
            enabled: true,
            email_confirmed: true,
            language: None,
            time_zone: None,
            consent: None,
            created_at: portal_testkit::fixtures::T0,
        })
        .await
        .unwrap();
    let mut c = client(&p).await;
    c.login("new@acme.test").await;
    let list = c.get("/portal/tickets").await;
    assert!(
        list.body.contains("Welcome! You have no tickets yet."),
        "{}",
        list.body
    );
    assert!(
        list.body
            .contains("href=\"/portal/new\">File a support ticket</a>")
    );
    assert!(!list.body.contains("No tickets match."));
    // A search that finds nothing is not a welcome.
    let none = c.get("/portal/tickets?q=printer").await;
    assert!(none.body.contains("No tickets match."));
    assert!(!none.body.contains("Welcome!"));
}

#[actix_web::test]
async fn n1_bad_ids_malformed_forms_and_unknown_paths_are_pages_in_the_visitors_language() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    c.accept_language = Some("de".into());
    for path in [
        "/portal/tickets/abc",
        "/portal/tickets/99999999999999999999999",
        "/portal/attachments/x1",
        "/portal/no-such-page",
        "/portal/tickets/1/nothing",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.header("content-type").starts_with("text/html"), "{path}");
        assert!(r.body.contains("<html lang=\"de\""), "{path}: {}", r.body);
        assert!(r.body.contains("Nicht gefunden"), "{path}: {}", r.body);
        assert!(!r.body.contains("can not parse"), "{path}");
    }
    // A form without its fields: 400 and a page, not "Parse error: missing field".
    let r = c.post("/portal/login", &[("email", "x@y.test")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("<html lang=\"de\""), "{}", r.body);
    assert!(
        r.body
            .contains("Diese Anfrage konnte nicht verarbeitet werden")
    );
    assert!(!r.body.contains("missing field"));
    // Anonymous visitors get the same pages.
    let mut anon = client(&p).await;
    anon.accept_language = Some("fi".into());
    let r = anon.get("/portal/whatever").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html lang=\"fi\""), "{}", r.body);
}

#[actix_web::test]
async fn t3_a_refused_upload_keeps_what_the_customer_typed() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket.0);
    let csrf = c.get(&path).await.csrf();
    let big = vec![b'x'; 20 * 1024 * 1024 + 1];
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "My long careful answer")],
            &[("files", "big.bin", big.clone())],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("Each file may be at most 20 MB."));
    assert!(
        r.body.contains(">My long careful answer</textarea>"),
        "{}",
        r.body
    );
    // The support form keeps its subject, description and fields too.
    let form = c.get("/portal/new").await;
    let csrf = form.csrf();
    let r = c
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &csrf),
                ("subject", "Broken printer"),
                ("description", "It jams on page two"),
            ],
            &[("files", "big.bin", big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("value=\"Broken printer\""), "{}", r.body);
    assert!(r.body.contains(">It jams on page two</textarea>"));
}

#[actix_web::test]
async fn t1_date_filters_are_an_explicit_range_with_both_days_included() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    let page = c.get("/portal/tickets").await;
    assert!(
        page.body.contains("name=\"f.created_at.from\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"f.created_at.to\""));
    let all = listed(&page.body);
    let mut created = Vec::new();
    for id in &all {
        let t = p.ports.tickets.get(TicketId(*id)).await.unwrap().unwrap();
        created.push((*id, t.created_at));
    }
    let day = |ms: i64| ms.div_euclid(86_400_000);
    let first_day = created.iter().map(|(_, t)| day(t.0)).min().unwrap();
    let iso = |d: i64| {
        let t = portal_core::model::Timestamp(d * 86_400_000);
        portal_http::format::iso_date(t)
    };
    // Up to and including the first day: exactly the tickets created that day.
    let r = c
        .get(&format!(
            "/portal/tickets?f.created_at.to={}",
            iso(first_day)
        ))
        .await;
    let mut got = listed(&r.body);
    got.sort();
    let mut want: Vec<i64> = created
        .iter()
        .filter(|(_, t)| day(t.0) <= first_day)
        .map(|(id, _)| *id)
        .collect();
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(got, want, "to is inclusive");
    // From the day after: the rest.
    let r = c
        .get(&format!(
            "/portal/tickets?f.created_at.from={}",
            iso(first_day + 1)
        ))
        .await;
    let mut got = listed(&r.body);
    got.sort();
    let mut want: Vec<i64> = created
        .iter()
        .filter(|(_, t)| day(t.0) > first_day)
        .map(|(id, _)| *id)
        .collect();
    want.sort();
    assert_eq!(got, want, "from is inclusive");
    // The chosen range is kept in the controls.
    assert!(
        r.body
            .contains(&format!("value=\"{}\"", iso(first_day + 1)))
    );
}

#[actix_web::test]
async fn t6_the_excel_export_has_a_byte_order_mark_and_the_languages_separator() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    c.accept_language = Some("de".into());
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("excel&#x3D;1"), "{}", list.body);
    let plain = c.get("/portal/tickets/export.csv").await;
    assert!(!plain.body.starts_with('\u{feff}'));
    let excel = c.get("/portal/tickets/export.csv?excel=1").await;
    assert_eq!(excel.status, StatusCode::OK);
    assert!(excel.body.starts_with('\u{feff}'), "a UTF-8 BOM");
    let header = excel
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap();
    assert!(
        header.contains("Betreff;"),
        "German headers, `;` between: {header}"
    );
    assert!(excel.header("content-disposition").contains("-excel.csv"));
    // Same rows as the plain export.
    assert_eq!(
        excel.body.lines().count(),
        plain.body.lines().count(),
        "{}",
        excel.body
    );
}

#[actix_web::test]
async fn v6_u2_staff_start_a_second_conversation_the_customer_never_sees_and_see_portal_activity() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Agent).await;
    let id = p.world.alice_ticket.0;
    let mut s = client(&p).await;
    s.staff_login(&p.world.agent.email).await;
    let page = s.get(&format!("/admin/tickets/{id}")).await;
    assert!(page.body.contains("The conversation the customer sees"));
    let csrf = page.csrf();
    let r = s
        .post_multipart(
            &format!("/admin/tickets/{id}/answer"),
            &[
                ("csrf", &csrf),
                ("body", "Asked the supplier about spare rollers"),
                ("new_conversation", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let threads = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
    assert_eq!(threads.len(), 2, "a second conversation");
    // V6 through the product: the customer sees only the oldest conversation, and is not
    // mailed about the other.
    assert!(queued(&p).await.is_empty(), "nobody is told");
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    let detail = c.get(&format!("/portal/tickets/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(!detail.body.contains("spare rollers"), "{}", detail.body);
    // An answer in the customer's conversation still reaches the customer.
    let csrf = s.get(&format!("/admin/tickets/{id}")).await.csrf();
    s.post_multipart(
        &format!("/admin/tickets/{id}/answer"),
        &[("csrf", &csrf), ("body", "Rollers ordered")],
        &[],
    )
    .await;
    assert!(
        c.get(&format!("/portal/tickets/{id}"))
            .await
            .body
            .contains("Rollers ordered")
    );
    assert_eq!(queued(&p).await.len(), 1);
    // U2: the customer closes the ticket; the staff ticket page shows it in its activity.
    let csrf = c.get(&format!("/portal/tickets/{id}")).await.csrf();
    let r = c
        .post(&format!("/portal/tickets/{id}/close"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = s.get(&format!("/admin/tickets/{id}")).await;
    assert!(page.body.contains("id=\"activity\""), "{}", page.body);
    assert!(
        page.body
            .contains("Alice Example &lt;alice@acme.test&gt; · closed the ticket in the portal"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Another conversation (the customer does not see it)")
    );
    assert!(
        page.body.contains("spare rollers"),
        "staff see every conversation"
    );
}

#[actix_web::test]
async fn a6_n3_staff_preview_the_real_portal_as_a_contact_read_only_and_audited() {
    let p = portal(|_, s| s.visibility.company_access = gold_only()).await;
    make_staff(&p, StaffRole::Agent).await;
    let mut s = client(&p).await;
    s.staff_login(&p.world.agent.email).await;
    // From the contact's page.
    let page = s
        .get(&format!("/admin/contacts/{}", p.world.bob.id.0))
        .await;
    assert!(
        page.body.contains("action=\"/admin/preview\""),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let bob = p.world.bob.id.0.to_string();
    let r = s
        .post(
            "/admin/preview",
            &[("contact", bob.as_str()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/portal/tickets");
    let audit = p.ports.audit.recent(1).await.unwrap();
    assert_eq!(audit[0].action, "portal.preview");
    assert!(audit[0].detail.contains(&p.world.bob.email));
    // The real list, as Bob sees it (silver: his own tickets only), with a banner.
    let list = s.get("/portal/tickets").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("class=\"preview-banner\""));
    assert!(
        list.body
            .contains("You are viewing the portal as Bob Example")
    );
    let ids = listed(&list.body);
    assert!(ids.contains(&p.world.bob_ticket.0));
    assert!(
        !ids.contains(&p.world.alice_ticket.0),
        "Bob's scope, not staff's"
    );
    assert!(
        !list.body.contains("href=\"/portal/new\""),
        "no form in a preview"
    );
    // Read-only: no reply box or close button, and a reply posted anyway is refused.
    let path = format!("/portal/tickets/{}", p.world.bob_ticket.0);
    let detail = s.get(&path).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(!detail.body.contains("/reply\""), "{}", detail.body);
    assert!(!detail.body.contains("/close\""));
    let before = p.ports.tickets.threads(p.world.bob_ticket).await.unwrap();
    let r = s
        .post_multipart(
            &format!("{path}/reply"),
            &[
                ("csrf", &detail.csrf()),
                ("body", "written by staff as Bob"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        p.ports.tickets.threads(p.world.bob_ticket).await.unwrap(),
        before
    );
    let r = s
        .post(&format!("{path}/close"), &[("csrf", &detail.csrf())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The preview cookie alone, without a staff session, is nothing.
    let mut stranger = client(&p).await;
    stranger
        .cookies
        .insert("portal_preview".into(), bob.clone());
    let r = stranger.get("/portal/tickets").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "to the login page");
    // Ending the preview.
    let r = s.get("/admin/preview/end").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!s.cookies.contains_key("portal_preview"));
    assert_eq!(s.get("/portal/tickets").await.status, StatusCode::SEE_OTHER);
    // From explain access too.
    let page = s
        .get(&format!("/admin/explain?contact={}", p.world.alice.email))
        .await;
    assert!(page.body.contains("id=\"preview\""));
}

#[actix_web::test]
async fn a1_a_contact_removed_from_the_access_groups_loses_the_session_at_the_next_request() {
    let p = portal(|_, _| {}).await;
    let list = p.ports.directory.create_list("Customers").await.unwrap();
    p.ports
        .directory
        .add_member(list.id, p.world.alice.id)
        .await
        .unwrap();
    let mut s = p.ports.settings.load().await.unwrap();
    s.access.self_registration = false;
    s.access.access_groups = [list.id].into();
    p.ports.settings.save(&s).await.unwrap();
    let mut c = client(&p).await;
    let r = c.login(&p.world.alice.email).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(c.get("/portal/tickets").await.status, StatusCode::OK);
    // Removed from the list: the very next request has no session.
    p.ports
        .directory
        .remove_member(list.id, p.world.alice.id)
        .await
        .unwrap();
    let r = c.get("/portal/tickets").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("/portal/login"), "{}", r.location());
    let path = format!("/portal/tickets/{}", p.world.alice_ticket.0);
    assert_eq!(c.get(&path).await.status, StatusCode::SEE_OTHER);
    // Back on the list, the old session stays gone: a new login is needed.
    p.ports
        .directory
        .add_member(list.id, p.world.alice.id)
        .await
        .unwrap();
    assert_eq!(c.get("/portal/tickets").await.status, StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn a2_registration_is_offered_and_served_only_when_the_core_says_it_is_open() {
    // Self-registration on, but password login off: nothing to register for.
    let p = portal(|_, s| {
        s.access.self_registration = true;
        s.access.sso = portal_core::access::SsoAccess::AllUsers;
        s.access.password_login = false;
    })
    .await;
    let mut c = client(&p).await;
    let login = c.get("/portal/login").await;
    assert!(!login.body.contains("/portal/register\""), "{}", login.body);
    assert_eq!(
        c.get("/portal/register").await.status,
        StatusCode::NOT_FOUND
    );
    // Both on: offered and served.
    let open = portal(|_, s| s.access.self_registration = true).await;
    let mut c = client(&open).await;
    assert!(
        c.get("/portal/login")
            .await
            .body
            .contains("/portal/register\"")
    );
    assert_eq!(c.get("/portal/register").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn a5_staff_disable_a_customer_login_and_an_admin_a_staff_login_which_ends_their_sessions() {
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Admin).await;
    // Alice is signed in to the portal.
    let mut alice = client(&p).await;
    alice.login(&p.world.alice.email).await;
    assert_eq!(alice.get("/portal/tickets").await.status, StatusCode::OK);
    let mut s = client(&p).await;
    s.staff_login(&p.world.agent.email).await;
    let page = s
        .get(&format!("/admin/contacts/{}", p.world.alice.id.0))
        .await;
    assert!(page.body.contains("id=\"disable-login\""), "{}", page.body);
    let r = s
        .post(
            &format!("/admin/contacts/{}/login", p.world.alice.id.0),
            &[("csrf", &page.csrf()), ("enabled", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Her session is gone now, and she cannot log in again.
    assert_eq!(
        alice.get("/portal/tickets").await.status,
        StatusCode::SEE_OTHER
    );
    let r = alice.login(&p.world.alice.email).await;
    assert_ne!(
        r.status,
        StatusCode::SEE_OTHER,
        "a disabled login does not enter"
    );
    let audit = p.ports.audit.recent(1).await.unwrap();
    assert_eq!(audit[0].action, "contact.login_disabled");
    // Enabled again, she logs in.
    let page = s
        .get(&format!("/admin/contacts/{}", p.world.alice.id.0))
        .await;
    assert!(page.body.contains("id=\"enable-login\""));
    s.post(
        &format!("/admin/contacts/{}/login", p.world.alice.id.0),
        &[("csrf", &page.csrf()), ("enabled", "1")],
    )
    .await;
    assert_eq!(
        alice.login(&p.world.alice.email).await.status,
        StatusCode::SEE_OTHER
    );
    // Another staff login, signed in, disabled by the admin: its session ends.
    let kim = portal_core::usecases::inbox::StaffAuth::new(p.ports.clone())
        .create_login(
            "kim@support.test",
            "Kim",
            "Agent",
            PASSWORD,
            StaffRole::Agent,
        )
        .await
        .unwrap();
    let mut k = client(&p).await;
    k.staff_login("kim@support.test").await;
    assert_eq!(k.get("/admin/inbox").await.status, StatusCode::OK);
    let page = s.get("/admin/agents").await;
    assert!(
        page.body
            .contains(&format!("id=\"disable-staff-{}\"", kim.id.0)),
        "{}",
        page.body
    );
    let r = s
        .post(
            &format!("/admin/agents/{}/login", kim.id.0),
            &[("csrf", &page.csrf()), ("enabled", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(k.get("/admin/inbox").await.status, StatusCode::SEE_OTHER);
    // An admin cannot disable their own login.
    let r = s
        .post(
            &format!("/admin/agents/{}/login", p.world.agent.id.0),
            &[("csrf", &page.csrf()), ("enabled", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[actix_web::test]
async fn rule4_reset_mails_are_limited_per_account_and_per_client_address() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.peer = Some("192.0.2.10:40000".parse().unwrap());
    let csrf = c.get("/portal/reset").await.csrf();
    let ask = |email: String| {
        let csrf = csrf.clone();
        move || (email.clone(), csrf.clone())
    };
    // Alice asks four times: three mails; the fourth is answered the same and sends none.
    let mut mails = 0;
    for _ in 0..4 {
        let (email, csrf) = ask("alice@acme.test".into())();
        let r = c
            .post("/portal/reset", &[("email", &email), ("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        mails += queued(&p).await.len();
    }
    assert_eq!(
        mails, 3,
        "at most three reset mails an hour for one account"
    );
    // One address may ask twenty times an hour, whatever the emails; then 429.
    for i in 0..16 {
        let (email, csrf) = ask(format!("nobody{i}@acme.test"))();
        let r = c
            .post("/portal/reset", &[("email", &email), ("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let (email, csrf) = ask("bob@acme.test".into())();
    let r = c
        .post("/portal/reset", &[("email", &email), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(queued(&p).await.is_empty());
    // Another address is not affected, and an hour later the first may ask again.
    let mut other = client(&p).await;
    other.peer = Some("192.0.2.11:40000".parse().unwrap());
    let csrf2 = other.get("/portal/reset").await.csrf();
    let r = other
        .post(
            "/portal/reset",
            &[("email", "bob@acme.test"), ("csrf", &csrf2)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(queued(&p).await.len(), 1);
    p.clock.advance_seconds(3601);
    let r = c
        .post("/portal/reset", &[("email", &email), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
}
