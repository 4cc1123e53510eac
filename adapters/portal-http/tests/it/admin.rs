//! The staff side over HTTP (issue 6, U1, N3): staff logins apart from customer logins, the
//! inbox, answering (public replies notify the customer, internal notes never reach the
//! portal), stage and owner, and explain-access agreeing with what the portal shows.

use actix_web::http::StatusCode;
use portal_core::model::*;
use portal_core::ports::{Clock, QueuedMail};

use crate::harness::*;

async fn staff_portal() -> Portal {
    let p = portal(|_, _| {}).await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, StaffRole::Agent, &hash, true)
        .await
        .unwrap();
    p
}

async fn staff_login<S, B>(c: &mut Client<S>, email: &str, password: &str) -> Reply
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let page = c.get("/admin/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf();
    c.post(
        "/admin/login",
        &[("email", email), ("password", password), ("csrf", &csrf)],
    )
    .await
}

async fn mails(p: &Portal) -> Vec<QueuedMail> {
    let now = p.clock.now();
    p.ports
        .outbox
        .claim(now.plus_seconds(1), now.plus_seconds(60), 100)
        .await
        .unwrap()
}

#[actix_web::test]
async fn u1_staff_logins_are_separate_from_customer_logins() {
    let p = staff_portal().await;
    let mut c = client(&p).await;
    // Anonymous: to the staff login.
    let r = c.get("/admin/inbox").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/admin/login");
    // A customer's credentials do not open the staff side...
    let r = staff_login(&mut c, &p.world.alice.email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // ...and a customer's session never reaches it.
    c.login(&p.world.alice.email).await;
    assert!(c.cookies.contains_key("portal_session"));
    let r = c.get("/admin/inbox").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/admin/login");
    // The same token in the staff cookie is refused too (a customer session, not staff).
    let token = c.cookies["portal_session"].clone();
    c.cookies.insert("portal_staff".into(), token);
    assert_eq!(c.get("/admin/inbox").await.status, StatusCode::SEE_OTHER);
    // Wrong password: the same answer as an unknown email.
    let mut s = client(&p).await;
    let wrong = staff_login(&mut s, &p.world.agent.email, "wrong password!").await;
    let unknown = staff_login(&mut s, "nobody@support.test", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    // The agent gets in; the staff session does not open the customer portal.
    let r = staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/admin/inbox");
    let inbox = s.get("/admin/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert_eq!(inbox.header("cache-control"), "no-store");
    let staff_token = s.cookies["portal_staff"].clone();
    s.cookies.insert("portal_session".into(), staff_token);
    let portal = s.get("/portal/tickets").await;
    assert_ne!(
        portal.status,
        StatusCode::OK,
        "a staff session is not a customer session"
    );
    // Logging out needs the CSRF token and ends the session on the server.
    let r = s.post("/admin/logout", &[("csrf", "forged")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let csrf = inbox.csrf();
    let r = s.post("/admin/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(s.get("/admin/inbox").await.status, StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn u1_the_inbox_lists_filters_and_searches_every_ticket() {
    let p = staff_portal().await;
    let mut s = client(&p).await;
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let all = s.get("/admin/inbox").await;
    for id in &p.world.tickets {
        assert!(
            all.body
                .contains(&format!("href=\"/admin/tickets/{}\"", id.0)),
            "ticket {} in the inbox",
            id.0
        );
    }
    p.ports
        .tickets
        .set_owner(p.world.bob_ticket, Some(p.world.agent.id), p.clock.now())
        .await
        .unwrap();
    let linked = |body: &str| -> Vec<TicketId> {
        body.split("href=\"/admin/tickets/")
            .skip(1)
            .filter_map(|r| r.split('"').next()?.parse().ok().map(TicketId))
            .collect()
    };
    let mine = linked(&s.get("/admin/inbox?owner=me").await.body);
    assert!(mine.contains(&p.world.bob_ticket));
    let unassigned = linked(&s.get("/admin/inbox?owner=none").await.body);
    for id in &p.world.tickets {
        let t = p.ports.tickets.get(*id).await.unwrap().unwrap();
        assert_eq!(
            mine.contains(id),
            t.owner == Some(p.world.agent.id),
            "{id:?} mine"
        );
        assert_eq!(
            unassigned.contains(id),
            t.owner.is_none(),
            "{id:?} unassigned"
        );
    }
    let bob = p
        .ports
        .tickets
        .get(p.world.bob_ticket)
        .await
        .unwrap()
        .unwrap();
    let word: String = bob
        .subject
        .split_whitespace()
        .next()
        .unwrap()
        .to_lowercase();
    let found = s.get(&format!("/admin/inbox?q={word}")).await;
    assert!(
        found
            .body
            .contains(&format!("/admin/tickets/{}\"", bob.id.0)),
        "{word}"
    );
    let closed = s
        .get(&format!("/admin/inbox?stage={}", p.world.closed_stage.0))
        .await;
    assert_eq!(closed.status, StatusCode::OK);
}

#[actix_web::test]
async fn u1_a_public_answer_reaches_the_portal_and_mails_the_customer_an_internal_note_does_not() {
    let p = staff_portal().await;
    let mut s = client(&p).await;
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let id = p.world.alice_ticket.0;
    let page = s.get(&format!("/admin/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("secret note"),
        "staff see internal notes"
    );
    let csrf = page.csrf();
    // Without the CSRF token: refused, nothing written.
    let r = s
        .post_multipart(
            &format!("/admin/tickets/{id}/answer"),
            &[("body", "x")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Empty: refused with a message.
    let r = s
        .post_multipart(
            &format!("/admin/tickets/{id}/answer"),
            &[("csrf", &csrf), ("body", "  ")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .post_multipart(
            &format!("/admin/tickets/{id}/answer"),
            &[("csrf", &csrf), ("body", "We *fixed* the printer driver.")],
            &[("files", "fix.txt", b"driver 2.1".to_vec())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = s
        .post_multipart(
            &format!("/admin/tickets/{id}/answer"),
            &[
                ("csrf", &csrf),
                ("body", "Customer was grumpy"),
                ("internal", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The customer sees the reply (with its file), never the note.
    let mut c = client(&p).await;
    c.login(&p.world.alice.email).await;
    let detail = c.get(&format!("/portal/tickets/{id}")).await;
    assert!(
        detail.body.contains("<em>fixed</em> the printer driver"),
        "{}",
        detail.body
    );
    assert!(detail.body.contains("fix.txt"));
    assert!(!detail.body.contains("grumpy"));
    // One mail: to the ticket's contact, with the link and (by default) the reply text.
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let m = &sent[0].mail;
    assert_eq!(m.template, "reply_notification");
    assert_eq!(m.to, p.world.alice.email);
    assert_eq!(
        m.vars["link"],
        format!("http://portal.test/portal/tickets/{id}")
    );
    assert!(
        m.vars["reply"].contains("fixed the printer driver"),
        "{:?}",
        m.vars
    );
    assert!(!m.vars.values().any(|v| v.contains("grumpy")));
    // The reply's file travels with the mail (read from the blob store when sent).
    assert_eq!(m.files.len(), 1, "{:?}", m.files);
    assert_eq!(
        (m.files[0].file_name.as_str(), m.files[0].size),
        ("fix.txt", 10)
    );
    assert_eq!(
        p.ports.blobs.get(&m.files[0].blob_key).await.unwrap(),
        Some(b"driver 2.1".to_vec())
    );
    // The stored body goes along for the mail's HTML part and faithful text.
    assert!(
        m.vars["reply_html"].contains("<em>fixed</em> the printer driver"),
        "{:?}",
        m.vars
    );
    // Issue 17: the mail carries a token of its own that leads back to this ticket and
    // recipient; the store knows it only by its hash.
    let thread = m
        .thread
        .as_ref()
        .expect("a reply notification has a thread");
    assert_eq!(
        (thread.ticket.0, thread.contact),
        (id, p.world.alice.id),
        "{thread:?}"
    );
    assert!(
        thread.token.len() == 32 && thread.token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{thread:?}"
    );
    let found = p
        .ports
        .outbox
        .thread(&portal_core::usecases::accounts::token_hash(&thread.token))
        .await
        .unwrap()
        .expect("the token's hash is stored");
    assert_eq!((found.ticket.0, found.contact), (id, p.world.alice.id));
    assert_eq!(p.ports.outbox.thread(&thread.token).await.unwrap(), None);
}

#[actix_web::test]
async fn n1_reply_mails_leave_out_the_text_when_the_admin_says_so() {
    let p = portal(|_, s| s.notify_with_reply_text = false).await;
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, StaffRole::Agent, &hash, true)
        .await
        .unwrap();
    let mut s = client(&p).await;
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let id = p.world.alice_ticket.0;
    let csrf = s.get(&format!("/admin/tickets/{id}")).await.csrf();
    s.post_multipart(
        &format!("/admin/tickets/{id}/answer"),
        &[("csrf", &csrf), ("body", "The confidential fix")],
        &[("files", "fix.txt", b"secret".to_vec())],
    )
    .await;
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mail.vars["reply"], "");
    assert_eq!(sent[0].mail.vars["reply_html"], "");
    assert!(
        sent[0].mail.files.is_empty(),
        "files stay behind the link too"
    );
}

#[actix_web::test]
async fn u1_stage_and_owner_change_from_the_ticket_page() {
    let p = staff_portal().await;
    let mut s = client(&p).await;
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let id = p.world.alice_ticket;
    let csrf = s.get(&format!("/admin/tickets/{}", id.0)).await.csrf();
    let r = s
        .post(
            &format!("/admin/tickets/{}/stage", id.0),
            &[
                ("stage", &p.world.closed_stage.0.to_string()),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = p.ports.tickets.get(id).await.unwrap().unwrap();
    assert_eq!(
        (t.stage, t.status),
        (p.world.closed_stage, TicketStatus::Closed)
    );
    // A stage of another pipeline: refused, unchanged.
    let foreign = p.world.returns.stages[0].id;
    let r = s
        .post(
            &format!("/admin/tickets/{}/stage", id.0),
            &[("stage", &foreign.0.to_string()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        p.ports.tickets.get(id).await.unwrap().unwrap().stage,
        p.world.closed_stage
    );
    let r = s
        .post(
            &format!("/admin/tickets/{}/owner", id.0),
            &[("owner", &p.world.agent.id.0.to_string()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        p.ports.tickets.get(id).await.unwrap().unwrap().owner,
        Some(p.world.agent.id)
    );
    let r = s
        .post(
            &format!("/admin/tickets/{}/owner", id.0),
            &[("owner", ""), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(p.ports.tickets.get(id).await.unwrap().unwrap().owner, None);
    assert_eq!(
        s.get("/admin/tickets/987654").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn n3_explain_access_agrees_with_what_each_contact_sees_in_the_portal() {
    let p = staff_portal().await;
    let mut s = client(&p).await;
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    for contact in [&p.world.alice, &p.world.bob, &p.world.carol, &p.world.dave] {
        let page = s
            .get(&format!("/admin/explain?contact={}", contact.email))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let mut c = client(&p).await;
        c.login(&contact.email).await;
        let mut checked = 0;
        for row in page.body.split("<tr class=\"").skip(1) {
            let visible = row.starts_with("visible");
            let id: i64 = row
                .split("href=\"/admin/tickets/")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|n| n.parse().ok())
                .expect("a ticket link");
            let status = c.get(&format!("/portal/tickets/{id}")).await.status;
            assert_eq!(
                status == StatusCode::OK,
                visible,
                "{}: ticket {id} explained as visible={visible}, portal answers {status}",
                contact.email
            );
            checked += 1;
        }
        assert!(checked > 0 || contact.primary_company.is_none());
    }
    let missing = s.get("/admin/explain?contact=nobody@nowhere.test").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn staff_see_dead_letters_and_send_them_again() {
    let p = staff_portal().await;
    let now = p.clock.now();
    let id = p
        .ports
        .outbox
        .enqueue(
            portal_core::ports::OutgoingMail {
                files: Vec::new(),
                to: "gone@nowhere.test".into(),
                language: "de".into(),
                template: "password_reset".into(),
                vars: Default::default(),
                thread: None,
            },
            now,
        )
        .await
        .unwrap();
    p.ports
        .outbox
        .claim(now, now.plus_seconds(60), 10)
        .await
        .unwrap();
    p.ports
        .outbox
        .mark_failed(id, "550 5.1.1 no such user", now, true)
        .await
        .unwrap();
    let mut s = client(&p).await;
    assert_eq!(
        s.get("/admin/outbox").await.status,
        StatusCode::SEE_OTHER,
        "staff only"
    );
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let page = s.get("/admin/outbox").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("gone@nowhere.test") && page.body.contains("550 5.1.1 no such user")
    );
    let r = s
        .post(&format!("/admin/outbox/{id}/resend"), &[("csrf", "forged")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let csrf = page.csrf();
    let r = s
        .post(&format!("/admin/outbox/{id}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !s.get("/admin/outbox")
            .await
            .body
            .contains("gone@nowhere.test")
    );
    let again = mails(&p).await;
    assert!(again.iter().any(|m| m.id == id), "queued again");
    let r = s
        .post(&format!("/admin/outbox/{id}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "only dead mails are resent"
    );
}

/// A parser for the staff pages' tests: `From: ADDRESS` on the first line, or no mail.
struct FirstLineParser;

impl portal_core::mail_in::MailParser for FirstLineParser {
    fn parse(&self, raw: &[u8]) -> Result<portal_core::mail_in::IncomingMail, String> {
        let text = std::str::from_utf8(raw).map_err(|_| "binary".to_string())?;
        let from = text
            .strip_prefix("From: ")
            .and_then(|r| r.lines().next())
            .ok_or("no header")?;
        Ok(portal_core::mail_in::IncomingMail {
            from: Some(from.into()),
            subject: "Sent by mail".into(),
            body_html: "<p>written in a mail client</p>".into(),
            ..Default::default()
        })
    }
}

#[actix_web::test]
async fn staff_see_mail_on_hold_with_its_reason_and_download_retry_and_delete_it() {
    use portal_core::mail_in::InboundState;
    let p = staff_portal().await;
    let mail_in = portal_core::usecases::mail_in::MailIn::new(
        p.ports.clone(),
        std::sync::Arc::new(FirstLineParser),
        vec!["support@portal.test".into()],
    );
    let _ = p.state.clone().with_mail_in(mail_in.clone());
    let inbox = p.world.inbox;
    let garbage = mail_in
        .receive(inbox, "pipe", b"\x00garbage".to_vec())
        .await
        .unwrap();
    let unknown_raw = b"From: erin@nowhere.test\r\n\r\nhello".to_vec();
    let unknown = mail_in
        .receive(inbox, "pipe", unknown_raw.clone())
        .await
        .unwrap();
    let taken = mail_in
        .receive(inbox, "pipe", b"From: carol@home.test\r\n\r\nhi".to_vec())
        .await
        .unwrap();
    assert_eq!(
        (garbage.state, unknown.state, taken.state),
        (
            InboundState::Quarantined,
            InboundState::Quarantined,
            InboundState::Taken
        )
    );
    let mut s = client(&p).await;
    assert_eq!(
        s.get("/admin/mail-in").await.status,
        StatusCode::SEE_OTHER,
        "staff only"
    );
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let page = s.get("/admin/mail-in").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("erin@nowhere.test"), "{}", page.body);
    assert!(page.body.contains("no contact has the sender"));
    assert!(page.body.contains("not readable as a mail"));
    assert!(
        !page.body.contains("carol@home.test"),
        "taken mails are not on hold"
    );
    // The original, byte for byte, as a file.
    let raw = s.get(&format!("/admin/mail-in/{}/raw", unknown.id)).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.header("content-type"), "message/rfc822");
    assert!(
        raw.header("content-disposition")
            .contains(&format!("mail-{}.eml", unknown.id))
    );
    assert_eq!(raw.body.as_bytes(), unknown_raw.as_slice());
    // Retry: refused without the page's token; with it, still on hold until the contact
    // exists, then filed.
    let csrf = page.csrf();
    let retry = format!("/admin/mail-in/{}/retry", unknown.id);
    assert_eq!(
        s.post(&retry, &[("csrf", "forged")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.post(&retry, &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    let again = s.get("/admin/mail-in?retried=1").await;
    assert!(again.body.contains("erin@nowhere.test"));
    assert!(again.body.contains("The mail was handled again."));
    p.ports
        .directory
        .create_contact(portal_core::ports::NewContact {
            email: "erin@nowhere.test".into(),
            membership_email: None,
            first_name: "Erin".into(),
            last_name: String::new(),
            primary_company: None,
            language: None,
            properties: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(
        s.post(&retry, &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    let filed = mail_in.raw(unknown.id).await.unwrap().0;
    assert_eq!(filed.state, InboundState::Taken);
    // Delete: gone from the list, and a second delete finds nothing.
    let delete = format!("/admin/mail-in/{}/delete", garbage.id);
    assert_eq!(
        s.post(&delete, &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    let empty = s.get("/admin/mail-in?deleted=1").await;
    assert!(empty.body.contains("No mail is on hold."), "{}", empty.body);
    assert_eq!(
        s.post(&delete, &[("csrf", &csrf)]).await.status,
        StatusCode::NOT_FOUND
    );
    // The ticket page shows which message came by email, with its original.
    let ticket = s
        .get(&format!("/admin/tickets/{}", taken.ticket.unwrap().0))
        .await;
    assert_eq!(ticket.status, StatusCode::OK);
    assert!(ticket.body.contains("by email"), "{}", ticket.body);
    assert!(
        ticket
            .body
            .contains(&format!("/admin/mail-in/{}/raw", taken.id))
    );
    // The inbox tells the channels apart: the mailed ticket's row says email, the ones
    // filed in the portal say so.
    let list = s.get("/admin/inbox").await.body;
    let row_of = |id: i64| {
        let at = list.find(&format!("href=\"/admin/tickets/{id}\"")).unwrap();
        let end = at + list[at..].find("</tr>").unwrap();
        list[at..end].to_string()
    };
    assert!(list.contains("<th>Channel</th>"), "{list}");
    assert!(row_of(taken.ticket.unwrap().0).contains("by email"));
    assert!(row_of(p.world.alice_ticket.0).contains("in the portal"));
}

#[actix_web::test]
async fn admins_keep_imap_mailboxes_on_the_staff_side_and_never_see_a_password_again() {
    use portal_core::ports::SecretBox;
    use portal_testkit::memory::TestSecrets;
    let p = portal(|_, _| {}).await;
    make_staff(&p, StaffRole::Admin).await;
    let settings = portal_core::usecases::mailboxes::MailboxSettings::new(
        p.ports.clone(),
        std::sync::Arc::new(TestSecrets(3)),
    );
    let _ = p.state.clone().with_mailboxes(settings.clone());
    let mut s = client(&p).await;
    s.staff_login(&p.world.agent.email).await;
    let page = s.get("/admin/mailboxes").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("No mailbox is kept here yet."));
    assert!(
        page.body.contains("href=\"/admin/mailboxes\""),
        "in the navigation"
    );
    let csrf = page.csrf();
    let inbox = p.world.inbox.0.to_string();
    // Problems come back at their fields, with what was typed (never the password).
    let bad = s
        .post(
            "/admin/mailboxes",
            &[
                ("csrf", &csrf),
                ("inbox", &inbox),
                ("host", "imap example"),
                ("port", "99999"),
                ("user", "support@example.com"),
                ("password", "hunter2-secret"),
                ("tls", "1"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("data-field=\"host\""), "{}", bad.body);
    assert!(bad.body.contains("Enter a host name like imap.example.com"));
    assert!(bad.body.contains("data-field=\"port\""));
    assert!(bad.body.contains("value=\"imap example\""));
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(!bad.body.contains("hunter2"));
    assert!(p.ports.inbound.mailboxes().await.unwrap().is_empty());
    // Added: listed without its password, sealed in the store.
    let ok = s
        .post(
            "/admin/mailboxes",
            &[
                ("csrf", &csrf),
                ("inbox", &inbox),
                ("host", "imap.example.com"),
                ("port", ""),
                ("user", "support@example.com"),
                ("password", "hunter2-secret"),
                ("folder", ""),
                ("poll_seconds", "60"),
                ("tls", "1"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let stored = p.ports.inbound.mailboxes().await.unwrap();
    assert_eq!(stored.len(), 1);
    let id = stored[0].id;
    assert_eq!(
        TestSecrets(3).open(&stored[0].sealed_password).unwrap(),
        "hunter2-secret"
    );
    let list = s.get("/admin/mailboxes?created=1").await.body;
    assert!(list.contains("imaps://support@example.com@imap.example.com:993/INBOX"));
    assert!(list.contains("every 60 s"));
    assert!(list.contains("not read yet"));
    assert!(list.contains("portal reads it within seconds"));
    assert!(!list.contains("hunter2"));
    // A round's result shows.
    settings
        .checked(id, Err("LOGIN failed".into()))
        .await
        .unwrap();
    assert!(
        s.get("/admin/mailboxes")
            .await
            .body
            .contains("LOGIN failed")
    );
    // Edited with the password left empty: the sealed password stays.
    let edit = s.get(&format!("/admin/mailboxes/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.body
            .contains("Leave empty to keep the stored password.")
    );
    assert!(edit.body.contains("value=\"imap.example.com\""));
    assert!(!edit.body.contains("hunter2"));
    let saved = s
        .post(
            &format!("/admin/mailboxes/{id}"),
            &[
                ("csrf", &csrf),
                ("inbox", &inbox),
                ("host", "mail.example.com"),
                ("port", "143"),
                ("user", "support@example.com"),
                ("password", ""),
                ("folder", "Support"),
                ("poll_seconds", "30"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let accounts = settings.accounts().await.unwrap();
    assert_eq!(
        (
            accounts[0].place.host.as_str(),
            accounts[0].place.tls,
            accounts[0].password.as_str()
        ),
        ("mail.example.com", false, "hunter2-secret")
    );
    // Agents may not see or change them (P14); without a token nothing changes.
    let forged = s
        .post(
            &format!("/admin/mailboxes/{id}/delete"),
            &[("csrf", "wrong")],
        )
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);
    make_staff(&p, StaffRole::Agent).await;
    let mut agent = client(&p).await;
    agent.staff_login(&p.world.agent.email).await;
    assert_eq!(
        agent.get("/admin/mailboxes").await.status,
        StatusCode::FORBIDDEN
    );
    let agent_csrf = agent.get("/admin/inbox").await.csrf();
    assert_eq!(
        agent
            .post(
                &format!("/admin/mailboxes/{id}/delete"),
                &[("csrf", &agent_csrf)]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(p.ports.inbound.mailboxes().await.unwrap().len(), 1);
    // Removed by an admin.
    make_staff(&p, StaffRole::Admin).await;
    let gone = s
        .post(&format!("/admin/mailboxes/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(p.ports.inbound.mailboxes().await.unwrap().is_empty());
    assert_eq!(
        s.get(&format!("/admin/mailboxes/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn n1_an_oversized_or_malformed_staff_form_is_a_page_in_the_staff_language() {
    let p = staff_portal().await;
    let mut s = client(&p).await;
    s.accept_language = Some("de".into());
    staff_login(&mut s, &p.world.agent.email, PASSWORD).await;
    let csrf = s.get("/admin/inbox").await.csrf();
    let big = "x".repeat(70 * 1024);
    let r = s
        .post(
            "/admin/lists",
            &[("csrf", csrf.as_str()), ("name", big.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.header("content-type").starts_with("text/html"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<html lang=\"de\""), "{}", r.body);
    assert!(!r.body.contains("URL encoded payload"));
    // A form missing its fields: 400, a page, not the framework's text.
    let r = s.post("/admin/lists", &[("csrf", csrf.as_str())]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.header("content-type").starts_with("text/html"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<html lang=\"de\"")); // An unknown staff path, a bad id in a path and a bad query: pages too.
    for (path, status) in [
        ("/admin/no-such-page", StatusCode::NOT_FOUND),
        ("/admin/tickets/not-a-number", StatusCode::NOT_FOUND),
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, status, "{path}");
        assert!(r.header("content-type").starts_with("text/html"), "{path}");
        assert!(r.body.contains("<html lang=\"de\""), "{path}: {}", r.body);
    }
}
