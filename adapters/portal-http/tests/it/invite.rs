//! Access-group invitations (A1, A4): a registration link to the membership email that sets
//! the first password once; only access-group members are invited.

use actix_web::http::StatusCode;
use portal_core::Error;
use portal_core::access::EntryDenied;
use portal_core::ports::{Clock, NewContact, QueuedMail};
use portal_core::usecases::accounts::Accounts;

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
async fn a1_members_without_a_login_are_invited_and_set_their_password_once() {
    let p = portal(|_, s| s.access.self_registration = false).await;
    let d = &p.ports.directory;
    let list = d.create_list("Portal customers").await.unwrap();
    let mut s = p.ports.settings.load().await.unwrap();
    s.access.access_groups = [list.id].into();
    p.ports.settings.save(&s).await.unwrap();
    let new = d
        .create_contact(NewContact {
            email: "fiona@acme.test".into(),
            membership_email: Some("fiona.private@home.test".into()),
            first_name: "Fiona".into(),
            last_name: "Frost".into(),
            primary_company: Some(p.world.acme.id),
            language: Some("de".into()),
            properties: Default::default(),
        })
        .await
        .unwrap();
    d.add_member(list.id, new.id).await.unwrap();
    d.add_member(list.id, p.world.alice.id).await.unwrap(); // has a login already
    let accounts = Accounts::new(p.ports.clone());
    assert_eq!(
        accounts
            .invite_access_groups("http://portal.test/portal")
            .await
            .unwrap(),
        1
    );
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1);
    let m = &sent[0].mail;
    assert_eq!(
        (m.to.as_str(), m.language.as_str(), m.template.as_str()),
        ("fiona.private@home.test", "de", "registration")
    );
    let token = m.vars["link"].rsplit('/').next().unwrap().to_string();
    assert_eq!(
        m.vars["link"],
        format!("http://portal.test/portal/welcome/{token}")
    );
    // Not a member: no invitation.
    assert_eq!(
        accounts
            .invite(p.world.bob.id, "http://portal.test/portal")
            .await,
        Err(Error::EntryDenied(EntryDenied::NotInAccessGroup))
    );
    let mut c = client(&p).await;
    let page = c.get(&format!("/portal/welcome/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    let csrf = page.csrf();
    let r = c
        .post(
            &format!("/portal/welcome/{token}"),
            &[("password", "fionas own passphrase"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.location(), "/portal/login?welcome=1");
    let again = c
        .post(
            &format!("/portal/welcome/{token}"),
            &[("password", "someone elses phrase"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "single use");
    let ok = c
        .post(
            "/portal/login",
            &[
                ("email", "fiona@acme.test"),
                ("password", "fionas own passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // Invited once: a second round invites nobody.
    assert_eq!(
        accounts
            .invite_access_groups("http://portal.test/portal")
            .await
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn a1_invitation_links_expire_after_7_days() {
    let p = portal(|_, _| {}).await;
    let list = p.ports.directory.create_list("Customers").await.unwrap();
    let mut s = p.ports.settings.load().await.unwrap();
    s.access.access_groups = [list.id].into();
    p.ports.settings.save(&s).await.unwrap();
    let c1 = p
        .ports
        .directory
        .create_contact(NewContact {
            email: "gus@acme.test".into(),
            membership_email: None,
            first_name: "Gus".into(),
            last_name: String::new(),
            primary_company: None,
            language: None,
            properties: Default::default(),
        })
        .await
        .unwrap();
    p.ports.directory.add_member(list.id, c1.id).await.unwrap();
    Accounts::new(p.ports.clone())
        .invite(c1.id, "http://portal.test/portal")
        .await
        .unwrap();
    let token = mails(&p).await[0].mail.vars["link"]
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    p.clock.advance_seconds(7 * 24 * 3600);
    let mut c = client(&p).await;
    let csrf = c.get(&format!("/portal/welcome/{token}")).await.csrf();
    let r = c
        .post(
            &format!("/portal/welcome/{token}"),
            &[("password", "late passphrase here"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn a1_staff_adding_a_contact_to_an_access_group_sends_the_invitation_and_can_resend() {
    let p = portal(|_, s| s.access.self_registration = false).await;
    let hash = p.ports.hasher.hash(crate::harness::PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(
            p.world.agent.id,
            portal_core::model::StaffRole::Agent,
            &hash,
            true,
        )
        .await
        .unwrap();
    let d = &p.ports.directory;
    let fiona = d
        .create_contact(NewContact {
            email: "fiona@acme.test".into(),
            membership_email: Some("fiona.private@home.test".into()),
            first_name: "Fiona".into(),
            last_name: "Frost".into(),
            primary_company: Some(p.world.acme.id),
            language: Some("nl".into()),
            properties: Default::default(),
        })
        .await
        .unwrap();
    let mut s = crate::harness::client(&p).await;
    let page = s.get("/admin/login").await;
    let csrf = page.csrf();
    s.post(
        "/admin/login",
        &[
            ("email", p.world.agent.email.as_str()),
            ("password", crate::harness::PASSWORD),
            ("csrf", &csrf),
        ],
    )
    .await;
    // A list, made on the page.
    let lists = s.get("/admin/lists").await;
    let csrf = lists.csrf();
    let r = s
        .post("/admin/lists", &[("name", ""), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .post(
            "/admin/lists",
            &[("name", "Portal customers"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let url = r.location();
    let list_id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    // Not yet an access group: adding sends nothing.
    let r = s
        .post(
            &format!("{url}/members"),
            &[("email", "fiona@acme.test"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.location(), format!("{url}?done=added"));
    assert!(mails(&p).await.is_empty());
    let r = s
        .post(
            &format!("{url}/members"),
            &[("email", "nobody@acme.test"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // As an access group: a new member gets the registration email at once (A1, A4),
    // a member with a login does not.
    let mut settings = p.ports.settings.load().await.unwrap();
    settings.access.access_groups = [portal_core::model::ListId(list_id)].into();
    p.ports.settings.save(&settings).await.unwrap();
    let r = s
        .post(
            &format!("{url}/members/{}/remove", fiona.id.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = s
        .post(
            &format!("{url}/members"),
            &[("email", "fiona@acme.test"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.location(), format!("{url}?done=invited"));
    let sent = mails(&p).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mail.template, "registration");
    assert_eq!(sent[0].mail.to, "fiona.private@home.test");
    assert_eq!(sent[0].mail.language, "nl");
    let r = s
        .post(
            &format!("{url}/members"),
            &[("email", p.world.alice.email.as_str()), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("{url}?done=added"),
        "alice logs in already"
    );
    assert!(mails(&p).await.is_empty());
    // Resend: a new link, the old one stops working.
    let page = s.get(&url).await;
    assert!(page.body.contains("fiona@acme.test"));
    let r = s
        .post(
            &format!("{url}/members/{}/invite", fiona.id.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.location(), format!("{url}?done=invited"));
    let again = mails(&p).await;
    assert_eq!(again.len(), 1);
    assert_ne!(again[0].mail.vars["link"], sent[0].mail.vars["link"]);
    let old = sent[0].mail.vars["link"]
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let mut visitor = crate::harness::client(&p).await;
    let form = visitor.get(&format!("/portal/welcome/{old}")).await;
    let r = visitor
        .post(
            &format!("/portal/welcome/{old}"),
            &[("password", "a fine new password"), ("csrf", &form.csrf())],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "the first link no longer works"
    );
    let new = again[0].mail.vars["link"]
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let form = visitor.get(&format!("/portal/welcome/{new}")).await;
    let r = visitor
        .post(
            &format!("/portal/welcome/{new}"),
            &[("password", "a fine new password"), ("csrf", &form.csrf())],
        )
        .await;
    assert_eq!(
        r.location(),
        "/portal/login?welcome=1",
        "the resent link works"
    );
}
