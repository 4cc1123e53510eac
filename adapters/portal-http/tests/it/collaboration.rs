//! Issue 21 over HTTP: copying people in (C1), what they see and when they lose it.

use actix_web::http::StatusCode;
use portal_core::model::*;

use crate::harness::*;

/// Makes Alice Acme's portal admin, as staff do on her contact page (C4).
async fn make_alice_acmes_admin(p: &Portal) {
    let w = &p.world;
    p.ports
        .access_log
        .set_admin(w.acme.id, w.alice.id, true)
        .await
        .unwrap();
}

#[actix_web::test]
async fn c1_a_ccd_contact_of_another_company_sees_exactly_that_ticket_until_taken_off() {
    let p = portal(|_, s| s.actions.customers_add_ccs = true).await;
    let w = &p.world;
    let ticket = w.alice_ticket.0;
    let threads = p.ports.tickets.threads(w.alice_ticket).await.unwrap();
    let attachment = threads[0].messages[0].attachments[0].id;

    // Dave (Globex) sees nothing of Acme's before.
    let mut dave = client(&p).await;
    dave.login(&w.dave.email).await;
    let before = listed(&dave.get("/portal/tickets").await.body);
    assert!(!before.contains(&ticket));
    assert_eq!(
        dave.get(&format!("/portal/tickets/{ticket}")).await.status,
        StatusCode::NOT_FOUND
    );

    // Alice, the requester, copies Dave in from her ticket's page.
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let page = alice.get(&format!("/portal/tickets/{ticket}")).await;
    assert!(page.body.contains("id=\"cc-email\""), "{}", page.body);
    let csrf = page.csrf();
    let r = alice
        .post(
            &format!("/portal/tickets/{ticket}/participants"),
            &[("email", w.dave.email.as_str()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = alice
        .get(&format!("/portal/tickets/{ticket}?done=cc_added"))
        .await;
    assert!(page.body.contains("The person was added to the ticket."));
    assert!(page.body.contains(&w.dave.full_name()), "{}", page.body);

    // Dave now sees exactly that ticket more: list, search, export, detail, download.
    let list = listed(&dave.get("/portal/tickets").await.body);
    let mut want = before.clone();
    want.push(ticket);
    want.sort();
    let mut got = list.clone();
    got.sort();
    assert_eq!(got, want);
    assert!(listed(&dave.get("/portal/tickets?q=printer").await.body).contains(&ticket));
    // "Shared with me" holds it for Dave, never for Alice, who asked.
    assert_eq!(
        listed(&dave.get("/portal/tickets?view=shared").await.body),
        vec![ticket]
    );
    assert!(!listed(&alice.get("/portal/tickets?view=shared").await.body).contains(&ticket));
    let csv = dave.get("/portal/tickets/export.csv").await;
    assert!(csv.body.contains("Printer on fire"), "{}", csv.body);
    assert!(
        !csv.body.contains("Invoice question"),
        "an Acme ticket leaked"
    );
    let detail = dave.get(&format!("/portal/tickets/{ticket}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("Leave this ticket"));
    assert!(
        !detail.body.contains("id=\"cc-email\""),
        "only the requester adds"
    );
    assert_eq!(
        dave.get(&format!("/portal/attachments/{attachment}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.bob_ticket.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // He answers it.
    let r = dave
        .post_multipart(
            &format!("/portal/tickets/{ticket}/reply"),
            &[("body", "From Globex"), ("csrf", &detail.csrf())],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Alice takes him off: gone from every read at once.
    let page = alice.get(&format!("/portal/tickets/{ticket}")).await;
    let r = alice
        .post(
            &format!(
                "/portal/tickets/{ticket}/participants/{}/remove",
                w.dave.id.0
            ),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut after = listed(&dave.get("/portal/tickets").await.body);
    after.sort();
    let mut before = before;
    before.sort();
    assert_eq!(after, before);
    assert!(!listed(&dave.get("/portal/tickets?q=printer").await.body).contains(&ticket));
    assert!(
        !dave
            .get("/portal/tickets/export.csv")
            .await
            .body
            .contains("Printer on fire")
    );
    for path in [
        format!("/portal/tickets/{ticket}"),
        format!("/portal/attachments/{attachment}"),
    ] {
        assert_eq!(
            dave.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The timeline records both changes by Alice.
    let events = p
        .ports
        .timeline
        .for_ticket(w.alice_ticket, 10)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.contact == w.alice.id
        && e.kind
            == TimelineKind::CcAdded {
                participant: w.dave.id
            }));
    assert!(events.iter().any(|e| e.contact == w.alice.id
        && e.kind
            == TimelineKind::CcRemoved {
                participant: w.dave.id
            }));
}

#[actix_web::test]
async fn c1_refusals_keep_the_address_and_tell_nobody_which_addresses_exist() {
    let p = portal(|_, s| {
        s.actions.customers_add_ccs = true;
        s.actions.ccs_same_company = true;
    })
    .await;
    let w = &p.world;
    let ticket = w.alice_ticket.0;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let csrf = alice.get(&format!("/portal/tickets/{ticket}")).await.csrf();
    let add = format!("/portal/tickets/{ticket}/participants");
    // Dave is of another company, the second address unknown: one answer for both.
    let mut answers = Vec::new();
    for email in [w.dave.email.clone(), "nobody@nowhere.test".to_string()] {
        let r = alice
            .post(&add, &[("email", email.as_str()), ("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("Nobody with this address can be added"));
        assert!(
            r.body.contains(&format!("value=\"{email}\"")),
            "address kept"
        );
        answers.push(r.body.replace(&email, "…"));
    }
    assert_eq!(answers[0], answers[1], "the two refusals differ");
    // Not an address at all.
    let r = alice
        .post(&add, &[("email", "not-an-address"), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Enter an email address."));
    // Bob, her colleague, is added; he may leave but not add others or take Alice off.
    let r = alice
        .post(&add, &[("email", w.bob.email.as_str()), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut bob = client(&p).await;
    bob.login(&w.bob.email).await;
    let bcsrf = bob.get(&format!("/portal/tickets/{ticket}")).await.csrf();
    let r = bob
        .post(&add, &[("email", w.carol.email.as_str()), ("csrf", &bcsrf)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Only the person who asked"));
    let r = bob
        .post(
            &format!(
                "/portal/tickets/{ticket}/participants/{}/remove",
                w.alice.id.0
            ),
            &[("csrf", &bcsrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = bob
        .post(
            &format!(
                "/portal/tickets/{ticket}/participants/{}/remove",
                w.bob.id.0
            ),
            &[("csrf", &bcsrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Without a CSRF token nothing is changed.
    let r = alice.post(&add, &[("email", w.bob.email.as_str())]).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
    let t = p.ports.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.contacts, std::collections::BTreeSet::from([w.alice.id]));
}

#[actix_web::test]
async fn c1_with_ccs_switched_off_the_page_offers_nothing_and_a_post_is_refused() {
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    let ticket = w.alice_ticket.0;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let page = alice.get(&format!("/portal/tickets/{ticket}")).await;
    assert!(!page.body.contains("id=\"cc-email\""));
    let r = alice
        .post(
            &format!("/portal/tickets/{ticket}/participants"),
            &[("email", w.bob.email.as_str()), ("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Adding people to tickets is not allowed."));
}

#[actix_web::test]
async fn c3_a_hand_over_shows_on_both_sides_in_the_mails_the_timeline_and_the_audit() {
    let p = portal(|_, s| {
        s.visibility.company_access = portal_core::visibility::CompanyAccess::OwnOnly
    })
    .await;
    let w = &p.world;
    let ticket = w.alice_ticket.0;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let page = alice.get(&format!("/portal/tickets/{ticket}")).await;
    assert!(
        page.body.contains("id=\"hand-over-email\""),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let path = format!("/portal/tickets/{ticket}/hand-over");
    // Only a colleague: Dave (Globex) and an unknown address get the same refusal.
    for email in [w.dave.email.as_str(), "nobody@nowhere.test"] {
        let r = alice
            .post(&path, &[("email", email), ("csrf", &csrf), ("stay", "1")])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.body
                .contains("only be handed to a colleague of your company")
        );
    }
    let t = p.ports.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(
        t.requester,
        Some(w.alice.id),
        "nothing changed on a refusal"
    );
    // To Bob, Alice not staying: she has no company access here, so it leaves her list.
    let r = alice
        .post(&path, &[("email", w.bob.email.as_str()), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!listed(&alice.get("/portal/tickets").await.body).contains(&ticket));
    assert_eq!(
        alice.get(&format!("/portal/tickets/{ticket}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut bob = client(&p).await;
    bob.login(&w.bob.email).await;
    assert!(listed(&bob.get("/portal/tickets?view=mine").await.body).contains(&ticket));
    let page = bob.get(&format!("/portal/tickets/{ticket}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"hand-over-email\""),
        "Bob is the requester now"
    );
    // Both were told, each in a mail of their own.
    let mails = crate::rules::queued(&p).await;
    let to_bob = mails
        .iter()
        .find(|m| m.mail.to == w.bob.email && m.mail.template == "handed_to_you")
        .expect("Bob is told");
    assert_eq!(to_bob.mail.vars["from"], w.alice.full_name());
    assert!(to_bob.mail.vars["link"].ends_with(&format!("/tickets/{ticket}")));
    assert!(
        mails
            .iter()
            .any(|m| m.mail.to == w.alice.email && m.mail.template == "handed_over")
    );
    // The timeline and the audit log say who did it.
    let events = p
        .ports
        .timeline
        .for_ticket(w.alice_ticket, 10)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.contact == w.alice.id
        && e.kind
            == TimelineKind::HandedOver {
                to: w.bob.id,
                stayed: false
            }));
    let audit = p.ports.audit.recent(10).await.unwrap();
    let entry = audit
        .iter()
        .find(|a| a.action == "ticket.hand_over")
        .expect("audited");
    assert_eq!(entry.actor, format!("contact:{}", w.alice.id.0));
    assert!(entry.detail.contains(&format!("ticket {ticket}")));
    // Bob hands it back, staying on it: both see it, Alice as its requester again.
    let r = bob
        .post(
            &path,
            &[
                ("email", w.alice.email.as_str()),
                ("csrf", &page.csrf()),
                ("stay", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        bob.get(&format!("/portal/tickets/{ticket}")).await.status,
        StatusCode::OK
    );
    let t = p.ports.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.requester, Some(w.alice.id));
    assert_eq!(
        t.contacts,
        std::collections::BTreeSet::from([w.alice.id, w.bob.id])
    );
}

#[actix_web::test]
async fn c1_c3_staff_copy_in_take_off_and_change_the_requester_and_each_change_is_audited() {
    // Customers may not add anyone: staff may all the same.
    let p = portal(|_, s| {
        s.visibility.company_access = portal_core::visibility::CompanyAccess::OwnOnly
    })
    .await;
    let w = &p.world;
    make_staff(&p, StaffRole::Agent).await;
    let mut s = client(&p).await;
    s.staff_login(&w.agent.email).await;
    let id = w.alice_ticket.0;
    let page = s.get(&format!("/admin/tickets/{id}")).await;
    assert!(
        page.body.contains("id=\"participant-email\""),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let r = s
        .post(
            &format!("/admin/tickets/{id}/participants"),
            &[("email", w.dave.email.as_str()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut dave = client(&p).await;
    dave.login(&w.dave.email).await;
    assert_eq!(
        dave.get(&format!("/portal/tickets/{id}")).await.status,
        StatusCode::OK
    );
    // An unknown address is refused with nothing written.
    let r = s
        .post(
            &format!("/admin/tickets/{id}/participants"),
            &[("email", "nobody@nowhere.test"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = s
        .post(
            &format!("/admin/tickets/{id}/participants/{}/remove", w.dave.id.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        dave.get(&format!("/portal/tickets/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // The requester becomes Bob; Alice is kept on as a participant.
    let r = s
        .post(
            &format!("/admin/tickets/{id}/requester"),
            &[
                ("email", w.bob.email.as_str()),
                ("keep", "1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let t = p.ports.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.requester, Some(w.bob.id));
    assert_eq!(
        t.contacts,
        std::collections::BTreeSet::from([w.alice.id, w.bob.id])
    );
    let page = s.get(&format!("/admin/tickets/{id}?done=requester")).await;
    assert!(page.body.contains("The requester was changed."));
    let actions: Vec<String> = p
        .ports
        .audit
        .recent(20)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.actor == format!("agent:{}", w.agent.id))
        .map(|a| a.action)
        .collect();
    for want in [
        "ticket.participant_add",
        "ticket.participant_remove",
        "ticket.requester_change",
    ] {
        assert!(actions.iter().any(|a| a == want), "{want} in {actions:?}");
    }
}

/// C5 over HTTP: Alice files a private ticket from the support form; Bob, her colleague with
/// company access, does not see it anywhere (list, search, export, detail) until she shares
/// it from its page; the choice is kept when the form is refused.
#[actix_web::test]
async fn c5_a_private_ticket_stays_invisible_to_a_colleague_with_company_access() {
    let p = portal(|_, s| {
        s.actions.customers_choose_privacy = true;
        s.actions.private_by_default = false;
    })
    .await;
    let w = &p.world;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let form = alice.get("/portal/new").await;
    assert!(form.body.contains("Who sees this ticket"), "{}", form.body);
    assert!(form.body.contains("name=\"private\" value=\"0\" checked"));
    // A refused form keeps the choice.
    let bad = alice
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &form.csrf()),
                ("subject", ""),
                ("description", "Salaries"),
                ("private", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("name=\"private\" value=\"1\" checked"),
        "{}",
        bad.body
    );
    let r = alice
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &form.csrf()),
                ("subject", "Payroll zeppelin"),
                ("description", "Salaries"),
                ("private", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = listed(&alice.get("/portal/tickets?q=zeppelin").await.body)[0];
    let page = alice.get(&format!("/portal/tickets/{id}")).await;
    assert!(
        page.body.contains("This ticket is private"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Share with my company"));

    let mut bob = client(&p).await;
    bob.login(&w.bob.email).await;
    let sees = |body: &str| listed(body).contains(&id);
    macro_rules! check {
        ($bob_sees:expr) => {{
            let bob_sees: bool = $bob_sees;
            let list = bob.get("/portal/tickets").await.body;
            assert_eq!(sees(&list), bob_sees);
            // Bob sees the rest of Acme's tickets all along.
            assert!(listed(&list).contains(&w.alice_ticket.0));
            assert_eq!(
                sees(&bob.get("/portal/tickets?q=zeppelin").await.body),
                bob_sees
            );
            let csv = bob.get("/portal/tickets/export.csv").await;
            assert_eq!(csv.body.contains("Payroll zeppelin"), bob_sees);
            let detail = bob.get(&format!("/portal/tickets/{id}")).await;
            let want = if bob_sees {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(detail.status, want);
        }};
    }
    check!(false);
    // Bob cannot share it either: for him it does not exist.
    let bob_page = bob.get("/portal/tickets").await;
    let r = bob
        .post(
            &format!("/portal/tickets/{id}/privacy"),
            &[("private", "0"), ("csrf", &bob_page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Alice shares it: Bob sees it at once.
    let r = alice
        .post(
            &format!("/portal/tickets/{id}/privacy"),
            &[("private", "0"), ("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = alice
        .get(&format!("/portal/tickets/{id}?done=made_shared"))
        .await;
    assert!(
        page.body
            .contains("The ticket is shared with your company now.")
    );
    assert!(page.body.contains("Make private"));
    check!(true);
}

/// C4 over HTTP: staff make Alice her company's portal admin; the journey of her colleague
/// Bob (views, a reply, a close, an export) and of Dave, copied in from Globex, then a
/// private ticket of Bob's: Alice's access log shows Bob's four actions on Acme's tickets
/// and nothing else, filters them, and gives them as CSV; Bob has no log.
#[actix_web::test]
async fn c4_the_company_admins_access_log_shows_the_journeys_events_and_nothing_else() {
    let p = portal(|_, s| {
        s.actions.customers_add_ccs = true;
        s.actions.allow_close = true;
        s.actions.customers_choose_privacy = true;
    })
    .await;
    let w = &p.world;
    make_staff(&p, StaffRole::Agent).await;
    let mut staff = client(&p).await;
    staff.staff_login(&w.agent.email).await;
    let page = staff
        .get(&format!("/admin/contacts/{}", w.alice.id.0))
        .await;
    assert!(page.body.contains("id=\"company-admin\""), "{}", page.body);
    let r = staff
        .post(
            &format!("/admin/contacts/{}/company-admin", w.alice.id.0),
            &[("admin", "1"), ("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = staff
        .get(&format!(
            "/admin/contacts/{}?done=company_admin_on",
            w.alice.id.0
        ))
        .await;
    assert!(page.body.contains("now a portal admin"), "{}", page.body);

    // The journey.
    let bob_ticket = w.bob_ticket.0;
    let mut bob = client(&p).await;
    bob.login(&w.bob.email).await;
    let detail = bob.get(&format!("/portal/tickets/{bob_ticket}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    let r = bob
        .post_multipart(
            &format!("/portal/tickets/{bob_ticket}/reply"),
            &[("body", "One more thing"), ("csrf", &detail.csrf())],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = bob
        .post(
            &format!("/portal/tickets/{bob_ticket}/close"),
            &[("csrf", &detail.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        bob.get("/portal/tickets/export.csv").await.status,
        StatusCode::OK
    );
    // Bob has no log, and no link to one.
    assert_eq!(
        bob.get("/portal/company/access-log").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !bob.get("/portal/account")
            .await
            .body
            .contains("access-log-link")
    );
    // Dave of Globex, copied in on Alice's ticket, opens it: not an Acme colleague.
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let page = alice
        .get(&format!("/portal/tickets/{}", w.alice_ticket.0))
        .await;
    let r = alice
        .post(
            &format!("/portal/tickets/{}/participants", w.alice_ticket.0),
            &[("email", w.dave.email.as_str()), ("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut dave = client(&p).await;
    dave.login(&w.dave.email).await;
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.alice_ticket.0))
            .await
            .status,
        StatusCode::OK
    );
    // Bob files a private ticket and opens it: his business, not the company's.
    let form = bob.get("/portal/new").await;
    let r = bob
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &form.csrf()),
                ("subject", "Doctor's note"),
                ("description", "private"),
                ("private", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location();
    assert_eq!(bob.get(&location).await.status, StatusCode::OK);

    // Alice's log: from her account page; exactly Bob's four actions, newest first.
    let account = alice.get("/portal/account").await;
    assert!(
        account.body.contains("id=\"access-log-link\""),
        "{}",
        account.body
    );
    // Alice's own visit to her ticket's page is an Acme entry too: filter to Bob.
    let log = alice
        .get(&format!("/portal/company/access-log?who={}", w.bob.id.0))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(log.body.contains("Access log of Acme"), "{}", log.body);
    let rows: Vec<&str> = log
        .body
        .split("<tr><td>")
        .skip(1)
        .map(|r| r.split("</tr>").next().unwrap_or_default())
        .collect();
    assert_eq!(rows.len(), 4, "{}", log.body);
    for (row, what) in rows.iter().zip(["exported", "closed", "replied", "viewed"]) {
        assert!(row.contains(&w.bob.full_name()), "{row}");
        assert!(row.contains(&format!("<td>{what}")), "{row}");
    }
    // Alice sees Acme's tickets: the ticket is named and linked.
    let subject = p
        .ports
        .tickets
        .get(w.bob_ticket)
        .await
        .unwrap()
        .unwrap()
        .subject;
    assert!(
        rows[1].contains(&format!(
            "/portal/tickets/{bob_ticket}\">#{bob_ticket} {subject}</a>"
        )),
        "{}",
        rows[1]
    );
    for leak in ["Doctor", &w.dave.full_name(), "Globex"] {
        assert!(!log.body.contains(leak), "{leak} in the log");
    }
    // Dave appears nowhere, not even unfiltered.
    let all = alice.get("/portal/company/access-log").await;
    assert!(!all.body.contains(&w.dave.full_name()));
    assert!(!all.body.contains("Doctor"));
    // Filter by action.
    let closes = alice.get("/portal/company/access-log?action=closed").await;
    assert_eq!(closes.body.matches("<tr><td>").count(), 1);
    // A date that cannot be read is said, in the visitor's language.
    let bad = alice.get("/portal/company/access-log?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("write it as 2026-12-31"));
    // CSV: the same entries.
    let csv = alice
        .get(&format!(
            "/portal/company/access-log.csv?who={}",
            w.bob.id.0
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "{}", csv.body);
    assert!(lines[0].starts_with("When,Who,What,Ticket"));
    assert!(lines[2].contains("closed") && lines[2].contains(&bob_ticket.to_string()));
}

/// C5 over HTTP: with company tickets "read only" in the settings, Bob sees Alice's company
/// ticket but gets no answer box and is refused an answer or a close (in his language),
/// while his own tickets stay his to answer; then Alice, her company's portal admin, takes
/// his right to see the company's tickets away and gives it back.
#[actix_web::test]
async fn c5_a_colleague_with_see_but_not_reply_rights_cannot_reply() {
    let p = portal(|_, s| {
        s.actions.allow_close = true;
        s.visibility.company_reply = Some(portal_core::visibility::CompanyAccess::OwnOnly);
        s.visibility.company_close = Some(portal_core::visibility::CompanyAccess::OwnOnly);
    })
    .await;
    let w = &p.world;
    let alices = w.alice_ticket.0;
    let mut bob = client(&p).await;
    bob.login(&w.bob.email).await;
    let page = bob.get(&format!("/portal/tickets/{alices}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("/reply\""),
        "no answer box: {}",
        page.body
    );
    let r = bob
        .post_multipart(
            &format!("/portal/tickets/{alices}/reply"),
            &[("body", "Me too"), ("csrf", &page.csrf())],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("You may read but not answer your company"),
        "{}",
        r.body
    );
    let r = bob
        .post(
            &format!("/portal/tickets/{alices}/close"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let threads = p.ports.tickets.threads(w.alice_ticket).await.unwrap();
    assert!(
        threads[0]
            .messages
            .iter()
            .all(|m| !m.body.contains("Me too")),
        "nothing written"
    );
    // His own ticket: answered as always.
    let own = bob
        .get(&format!("/portal/tickets/{}", w.bob_ticket.0))
        .await;
    let r = bob
        .post_multipart(
            &format!("/portal/tickets/{}/reply", w.bob_ticket.0),
            &[("body", "Mine"), ("csrf", &own.csrf())],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Alice, Acme's portal admin, takes Bob's company access away: Alice's ticket is gone
    // for him (404), his own stays.
    make_alice_acmes_admin(&p).await;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let people = alice.get("/portal/company/people").await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.body);
    assert!(people.body.contains(&w.bob.full_name()));
    assert!(
        !people.body.contains(&w.dave.full_name()),
        "another company's contact"
    );
    let r = alice
        .post(
            &format!("/portal/company/people/{}", w.bob.id.0),
            &[("csrf", &people.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        bob.get(&format!("/portal/tickets/{alices}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!listed(&bob.get("/portal/tickets").await.body).contains(&alices));
    assert_eq!(
        bob.get(&format!("/portal/tickets/{}", w.bob_ticket.0))
            .await
            .status,
        StatusCode::OK
    );
    // Bob is no admin: the page does not exist for him.
    assert_eq!(
        bob.get("/portal/company/people").await.status,
        StatusCode::NOT_FOUND
    );
    // Seeing given back (the most the support team allows): the limit is lifted.
    let r = alice
        .post(
            &format!("/portal/company/people/{}", w.bob.id.0),
            &[("see", "1"), ("csrf", &people.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bob.get(&format!("/portal/tickets/{alices}")).await.status,
        StatusCode::OK
    );
    let stored = p.ports.directory.contact(w.bob.id).await.unwrap().unwrap();
    assert!(stored.memberships.iter().all(|m| m.limited.is_none()));
    let audit = p.ports.audit.recent(10).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "company.colleague_limit"
            && e.actor == format!("contact:{}", w.alice.id.0))
    );
}

/// C2 over HTTP: staff add Dave (Globex) to Acme; his View menu offers all his companies'
/// tickets, Globex and Acme one by one; Acme's view lists Acme's tickets; Acme's portal
/// admin sees him among her colleagues and in her access log and limits him; taken out of
/// Acme, he loses its tickets at once.
#[actix_web::test]
async fn c2_a_contact_in_two_companies_sees_each_and_the_union() {
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    make_staff(&p, StaffRole::Agent).await;
    let mut staff = client(&p).await;
    staff.staff_login(&w.agent.email).await;
    let page = staff.get(&format!("/admin/contacts/{}", w.dave.id.0)).await;
    assert!(page.body.contains("id=\"add-membership\""), "{}", page.body);
    let r = staff
        .post(
            &format!("/admin/contacts/{}/memberships", w.dave.id.0),
            &[
                ("company", "Acme"),
                ("mode", "rules"),
                ("csrf", &page.csrf()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = staff.get(&format!("/admin/contacts/{}", w.dave.id.0)).await;
    assert!(page.body.contains("/admin/companies/"), "{}", page.body);

    let mut dave = client(&p).await;
    dave.login(&w.dave.email).await;
    let list = dave.get("/portal/tickets").await;
    let acme_view = format!("company-{}", w.acme.id.0);
    assert!(
        list.body.contains(&format!("value=\"{acme_view}\"")),
        "{}",
        list.body
    );
    assert!(
        list.body
            .contains(&format!("value=\"company-{}\"", w.globex.id.0))
    );
    assert!(list.body.contains("All my companies"));
    let all = listed(&list.body);
    assert!(all.contains(&w.alice_ticket.0) && all.contains(&w.bob_ticket.0));
    assert!(all.contains(&w.other_ticket.0), "his Globex ticket too");
    let acme_page = dave.get(&format!("/portal/tickets?view={acme_view}")).await;
    assert!(
        acme_page.body.contains(&format!(
            "<option value=\"{acme_view}\" selected>Acme</option>"
        )),
        "the chosen view is the menu's selected entry"
    );
    let acme = listed(&acme_page.body);
    assert!(acme.contains(&w.alice_ticket.0));
    assert!(acme.contains(&w.bob_ticket.0));
    let globex = listed(
        &dave
            .get(&format!("/portal/tickets?view=company-{}", w.globex.id.0))
            .await
            .body,
    );
    assert!(!globex.contains(&w.alice_ticket.0) && !globex.contains(&w.bob_ticket.0));
    assert!(globex.contains(&w.other_ticket.0));
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.alice_ticket.0))
            .await
            .status,
        StatusCode::OK
    );
    // Acme's portal admin counts him among Acme's people: his view of Alice's ticket is in
    // Acme's access log, he is on her colleagues page, and she can take his access away
    // and give it back (C4, C5).
    make_alice_acmes_admin(&p).await;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let log = alice.get("/portal/company/access-log").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(log.body.contains(&w.dave.full_name()), "{}", log.body);
    let people = alice.get("/portal/company/people").await;
    assert!(people.body.contains(&w.dave.full_name()), "{}", people.body);
    let r = alice
        .post(
            &format!("/portal/company/people/{}", w.dave.id.0),
            &[("csrf", &people.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.alice_ticket.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.other_ticket.0))
            .await
            .status,
        StatusCode::OK,
        "his Globex access is not Acme's to limit"
    );
    let r = alice
        .post(
            &format!("/portal/company/people/{}", w.dave.id.0),
            &[("see", "1"), ("csrf", &people.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.alice_ticket.0))
            .await
            .status,
        StatusCode::OK
    );
    // Out of Acme: gone at once.
    let page = staff.get(&format!("/admin/contacts/{}", w.dave.id.0)).await;
    let r = staff
        .post(
            &format!(
                "/admin/contacts/{}/memberships/{}/remove",
                w.dave.id.0, w.acme.id.0
            ),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.alice_ticket.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let after = dave.get("/portal/tickets").await;
    assert!(!listed(&after.body).contains(&w.alice_ticket.0));
    assert!(!after.body.contains(&format!("value=\"{acme_view}\"")));
}

/// C2 with C4 and C5 over HTTP: staff add Alice (Acme) to Globex and make her Globex's
/// portal admin from the membership's row; her account page links Globex's log only, which
/// shows Dave's view of Globex's ticket; Acme's log and people are 404 for her. Made Acme's
/// admin too, she switches between the two; Globex's people are Dave, whom she limits
/// there, and not Bob, whom she cannot limit through Globex.
#[actix_web::test]
async fn c4_a_portal_admin_of_two_companies_reads_and_limits_each_on_its_own() {
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    let (acme, globex) = (w.acme.id.0, w.globex.id.0);
    make_staff(&p, StaffRole::Agent).await;
    let mut staff = client(&p).await;
    staff.staff_login(&w.agent.email).await;
    let contact_page = format!("/admin/contacts/{}", w.alice.id.0);
    let page = staff.get(&contact_page).await;
    let r = staff
        .post(
            &format!("{contact_page}/memberships"),
            &[
                ("company", "Globex"),
                ("mode", "rules"),
                ("csrf", &page.csrf()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = staff.get(&contact_page).await;
    assert_eq!(
        page.body
            .matches("class=\"secondary company-admin\"")
            .count(),
        2,
        "a portal admin switch per company: {}",
        page.body
    );
    let r = staff
        .post(
            &format!("{contact_page}/company-admin"),
            &[
                ("company", &globex.to_string()),
                ("admin", "1"),
                ("csrf", &page.csrf()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Not a company she belongs to: refused, nothing written.
    let initech = p
        .ports
        .directory
        .create_company("Initech", None)
        .await
        .unwrap();
    let r = staff
        .post(
            &format!("{contact_page}/company-admin"),
            &[
                ("company", &initech.id.0.to_string()),
                ("admin", "1"),
                ("csrf", &page.csrf()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        p.ports.access_log.admin_of(w.alice.id).await.unwrap(),
        vec![w.globex.id]
    );

    let mut dave = client(&p).await;
    dave.login(&w.dave.email).await;
    assert_eq!(
        dave.get(&format!("/portal/tickets/{}", w.other_ticket.0))
            .await
            .status,
        StatusCode::OK
    );
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let account = alice.get("/portal/account").await;
    assert!(
        account
            .body
            .contains(&format!("/company/access-log?company={globex}")),
        "{}",
        account.body
    );
    assert!(!account.body.contains(&format!("?company={acme}")));
    let log = alice.get("/portal/company/access-log").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(log.body.contains("Access log of Globex"), "{}", log.body);
    assert!(log.body.contains(&w.dave.full_name()), "{}", log.body);
    assert!(
        !log.body.contains("company-switch"),
        "one company: no switch"
    );
    for path in ["access-log", "access-log.csv", "people"] {
        for company in [acme.to_string(), "x".to_string()] {
            assert_eq!(
                alice
                    .get(&format!("/portal/company/{path}?company={company}"))
                    .await
                    .status,
                StatusCode::NOT_FOUND,
                "{path} of {company}"
            );
        }
    }

    // Acme's admin too (the primary company's switch): both, each on its own.
    let page = staff.get(&contact_page).await;
    let r = staff
        .post(
            &format!("{contact_page}/company-admin"),
            &[("admin", "1"), ("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let account = alice.get("/portal/account").await;
    for company in [acme, globex] {
        assert!(
            account
                .body
                .contains(&format!("/company/people?company={company}")),
            "{}",
            account.body
        );
    }
    let log = alice.get("/portal/company/access-log").await;
    assert!(log.body.contains("Access log of Acme"), "{}", log.body);
    assert!(log.body.contains("company-switch"), "{}", log.body);
    assert!(
        log.body.contains(&format!(
            "/company/access-log?company&#x3D;{globex}\">Globex</a>"
        )),
        "{}",
        log.body
    );
    assert!(!log.body.contains(&w.dave.full_name()), "Dave is Globex's");
    let people = alice
        .get(&format!("/portal/company/people?company={globex}"))
        .await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.body);
    assert!(people.body.contains(&w.dave.full_name()), "{}", people.body);
    assert!(!people.body.contains(&w.bob.full_name()), "{}", people.body);
    assert!(
        people
            .body
            .contains(&format!("name=\"company\" value=\"{globex}\"")),
        "{}",
        people.body
    );
    let r = alice
        .post(
            &format!("/portal/company/people/{}", w.dave.id.0),
            &[
                ("company", &globex.to_string()),
                ("see", "1"),
                ("csrf", &people.csrf()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location()
            .ends_with(&format!("/company/people?company={globex}&done=limited")),
        "{}",
        r.location()
    );
    let dave_now = p.ports.directory.contact(w.dave.id).await.unwrap().unwrap();
    assert_eq!(
        dave_now
            .membership(w.globex.id)
            .and_then(|m| m.limited)
            .map(|l| (l.see, l.reply, l.close)),
        Some((true, false, false))
    );
    let r = alice
        .post(
            &format!("/portal/company/people/{}", w.bob.id.0),
            &[
                ("company", &globex.to_string()),
                ("see", "1"),
                ("csrf", &people.csrf()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "Bob is not Globex's");
}

/// C5 over HTTP: Alice files a ticket for her colleague Bob from the support form: Bob is
/// its requester and is mailed, Alice stays on it; an address outside her company is a
/// field error in her language with what she typed kept, and nothing is filed.
#[actix_web::test]
async fn c5_a_ticket_is_filed_on_behalf_of_a_colleague_from_the_form() {
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    let mut alice = client(&p).await;
    alice.login(&w.alice.email).await;
    let form = alice.get("/portal/new").await;
    assert!(form.body.contains("id=\"on_behalf\""), "{}", form.body);
    let bad = alice
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &form.csrf()),
                ("subject", "Laptop for Bob"),
                ("description", "He needs one"),
                ("on_behalf", w.dave.email.as_str()),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body
            .contains("Only a colleague of your company can be chosen.")
    );
    assert!(bad.body.contains(&format!("value=\"{}\"", w.dave.email)));
    assert!(bad.body.contains("<a href=\"#on_behalf\">"));
    let r = alice
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &form.csrf()),
                ("subject", "Laptop for Bob"),
                ("description", "He needs one"),
                ("on_behalf", w.bob.email.as_str()),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut bob = client(&p).await;
    bob.login(&w.bob.email).await;
    let mine = bob.get("/portal/tickets?view=mine&q=laptop").await;
    let ids = listed(&mine.body);
    assert_eq!(ids.len(), 1, "{}", mine.body);
    let ticket = p
        .ports
        .tickets
        .get(TicketId(ids[0]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ticket.requester, Some(w.bob.id));
    assert!(ticket.contacts.contains(&w.alice.id));
    let mails = crate::rules::queued(&p).await;
    assert!(
        mails
            .iter()
            .any(|m| m.mail.to == w.bob.email && m.mail.template == "filed_for_you"),
        "Bob is told"
    );
    assert_eq!(
        listed(&alice.get("/portal/tickets?view=shared&q=laptop").await.body),
        ids
    );
}
