//! The customer's pages: login, list, views, search, filters, detail, reply, close,
//! downloads, export, the support form, languages.

use actix_web::http::StatusCode;
use portal_core::model::*;
use portal_core::ports::NewTicket;
use portal_core::settings::LANGUAGES;
use portal_core::visibility::CompanyAccess;
use portal_http::i18n::I18n;

use crate::harness::{client, listed, portal};

#[actix_web::test]
async fn p1_a5_login_lands_on_the_list_and_titles_carry_the_portal_name() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    let login = c.get("/portal/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        login.body.contains("<title>Log in · Acme Help</title>"),
        "{}",
        login.body
    );
    let r = c.login("alice@acme.test").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/portal/tickets");
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("portal_session="))
        .expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let list = c.get("/portal/tickets").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("<title>Tickets · Acme Help</title>"));
    assert_eq!(
        list.header("cache-control"),
        "no-store",
        "authenticated pages are not cached"
    );
    // Logged out visitors are sent to the login page, with the way back.
    let mut anon = client(&p).await;
    let r = anon.get("/portal/tickets/5?x=1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/portal/login?next=/portal/tickets/5%3Fx%3D1");
}

#[actix_web::test]
async fn t1_v4_the_list_offers_views_search_status_and_paging() {
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let org = c.get("/portal/tickets").await;
    let acme: Vec<i64> = [0, 1, 3, 4, 5, 7].iter().map(|i| w.tickets[*i].0).collect();
    let mut got = listed(&org.body);
    got.sort();
    assert_eq!(got, acme);
    assert!(
        org.body.contains("Organization tickets") && org.body.contains("My tickets"),
        "V4 view menu"
    );
    assert!(org.body.contains("6 tickets"));
    let mine = c.get("/portal/tickets?view=mine").await;
    let mut got = listed(&mine.body);
    got.sort();
    assert_eq!(got, vec![w.tickets[0].0, w.tickets[3].0, w.tickets[5].0]);
    let search = c.get("/portal/tickets?q=printer").await;
    assert_eq!(listed(&search.body), vec![w.alice_ticket.0]);
    let closed = c.get("/portal/tickets?status=closed").await;
    assert_eq!(listed(&closed.body).len(), 3);
    let sorted = c.get("/portal/tickets?sort=subject&dir=asc").await;
    let order = listed(&sorted.body);
    assert_eq!(
        order.first(),
        Some(&w.tickets[7].0),
        "Acme-wide licence sorts first"
    );
    assert!(sorted.body.contains("aria-sort=\"ascending\""));
    // Paging: a next link whose page continues the list.
    let page_size = 25;
    for i in 0..30 {
        p.ports
            .tickets
            .create(NewTicket {
                subject: format!("Bulk {i:02}"),
                pipeline: w.support.id,
                stage: w.open_stage,
                status: TicketStatus::Open,
                inbox: Some(w.inbox),
                requester: Some(w.bob.id),
                contacts: [w.bob.id].into(),
                companies: [w.acme.id].into(),
                private: false,
                properties: Default::default(),
                owner: None,
                created_at: Timestamp(T0.0 + 86_400_000 + i),
                first_message: None,
            })
            .await
            .unwrap();
    }
    let first = c.get("/portal/tickets").await;
    assert_eq!(listed(&first.body).len(), page_size);
    let at = first.body.find("rel=\"next\"").expect("a next link");
    let href_start = first.body[..at].rfind("href=\"").unwrap() + 6;
    let href = first.body[href_start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x3D;", "=");
    let second = c.get(&href).await;
    let rest = listed(&second.body);
    assert_eq!(rest.len(), 36 - page_size);
    assert!(rest.iter().all(|id| !listed(&first.body).contains(id)));
    // Carol has no company: no view menu.
    let mut carol = client(&p).await;
    carol.login("carol@home.test").await;
    let page = carol.get("/portal/tickets").await;
    assert!(!page.body.contains("Organization tickets"));
    assert_eq!(listed(&page.body), vec![w.tickets[6].0]);
}

use portal_testkit::fixtures::T0;

#[actix_web::test]
async fn v3_filtered_company_access_shows_company_tickets_only_to_matching_contacts() {
    let p = portal(|_, s| {
        s.visibility.company_access =
            CompanyAccess::Filtered(portal_core::filter::Filter::all_of(vec![
                portal_core::filter::Criterion::new(
                    "tier",
                    portal_core::filter::Operator::Equals(Value::text("gold")),
                ),
            ]));
    })
    .await;
    let mut bob = client(&p).await;
    bob.login("bob@acme.test").await;
    let page = bob.get("/portal/tickets").await;
    assert!(
        !page.body.contains("Organization tickets"),
        "silver tier: own tickets only"
    );
    assert!(!listed(&page.body).contains(&p.world.alice_ticket.0));
    let mut alice = client(&p).await;
    alice.login("alice@acme.test").await;
    assert!(listed(&alice.get("/portal/tickets").await.body).contains(&p.world.bob_ticket.0));
}

#[actix_web::test]
async fn t2_v6_detail_shows_the_customer_thread_without_internal_notes() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let d = c
        .get(&format!("/portal/tickets/{}", p.world.alice_ticket))
        .await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.body.contains("<h1>Printer on fire</h1>"));
    assert!(d.body.contains("The <b>printer</b> smokes"));
    assert!(!d.body.contains("secret note"), "internal notes never show");
    assert!(d.body.contains("screenshot.png"));
    let bob = c
        .get(&format!("/portal/tickets/{}", p.world.bob_ticket))
        .await;
    assert!(
        !bob.body.contains("printer elsewhere"),
        "only the oldest thread shows"
    );
}

#[actix_web::test]
async fn t3_reply_with_two_attachments_reaches_the_thread_and_downloads_safely() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let csrf = c.get(&path).await.csrf();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[
                ("csrf", &csrf),
                ("body", "Still **smoking**. <script>alert(1)</script>"),
            ],
            &[
                ("files", "notes.txt", b"line one\n".to_vec()),
                ("files", "evil.html", b"\x89PNG\r\n\x1a\nfake".to_vec()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{path}?done=replied"));
    let threads = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
    let m = threads[0].messages.last().unwrap();
    assert_eq!(m.author, Author::Contact(p.world.alice.id));
    assert!(m.body.contains("<strong>smoking</strong>"));
    assert!(
        m.body.contains("&lt;script&gt;"),
        "raw HTML is shown as text: {}",
        m.body
    );
    assert_eq!(m.attachments.len(), 2);
    assert_eq!(
        m.attachments[1].content_type, "image/png",
        "content type from the bytes, not the client"
    );
    let page = c.get(&format!("{path}?done=replied")).await;
    assert!(page.body.contains("Your reply was sent."));
    assert!(!page.body.contains("<script>alert(1)</script>"));
    let dl = c
        .get(&format!("/portal/attachments/{}", m.attachments[0].id))
        .await;
    assert_eq!(dl.status, StatusCode::OK);
    assert_eq!(dl.body, "line one\n");
    assert_eq!(
        dl.header("content-disposition"),
        "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt"
    );
    assert_eq!(dl.header("x-content-type-options"), "nosniff");
    let events = p
        .ports
        .timeline
        .for_contact(p.world.alice.id, 1)
        .await
        .unwrap();
    assert_eq!(events[0].kind, TimelineKind::PortalReply { message: m.id });
}

#[actix_web::test]
async fn p4_a_reply_on_a_ticket_without_conversation_opens_a_thread_in_the_default_inbox() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.bare_ticket);
    let csrf = c.get(&path).await.csrf();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "About our call")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let threads = p.ports.tickets.threads(p.world.bare_ticket).await.unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].inbox, p.world.inbox);
}

#[actix_web::test]
async fn t4_t5_closed_tickets_refuse_replies_and_close_moves_to_the_closed_stage() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let page = c.get(&path).await;
    assert!(page.body.contains("Close ticket"));
    let r = c
        .post(&format!("{path}/close"), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = p
        .ports
        .tickets
        .get(p.world.alice_ticket)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (t.status, t.stage),
        (TicketStatus::Closed, p.world.closed_stage)
    );
    let after = c.get(&format!("{path}?done=closed")).await;
    assert!(after.body.contains("The ticket is closed."));
    assert!(after.body.contains("Replies are not possible"));
    assert!(!after.body.contains("Close ticket"));
    let csrf = after.csrf();
    let reply = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "hello?")],
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply
            .body
            .contains("Replies to closed tickets are not allowed.")
    );
}

#[actix_web::test]
async fn t6_export_is_exactly_the_current_view_and_safe_for_spreadsheets() {
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    p.ports
        .tickets
        .create(NewTicket {
            subject: "=HYPERLINK(\"http://evil\",\"x\")".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: Some(w.inbox),
            requester: Some(w.alice.id),
            contacts: [w.alice.id].into(),
            companies: [w.acme.id].into(),
            private: false,
            properties: Default::default(),
            owner: Some(w.agent.id),
            created_at: T0,
            first_message: None,
        })
        .await
        .unwrap();
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let all = c.get("/portal/tickets/export.csv").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.header("content-type"), "text/csv; charset=utf-8");
    assert!(all.header("content-disposition").starts_with("attachment;"));
    let lines: Vec<&str> = all.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "Subject,Requested by,Create date,Ticket owner,Last activity date,Status,Priority"
    );
    assert_eq!(lines.len(), 1 + 7, "every row of the organization view");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Printer on fire,Alice Example,") && l.contains(",Sam,")),
        "owner by first name: {lines:?}"
    );
    // Search and status in force.
    let search = c
        .get("/portal/tickets/export.csv?q=printer&status=open")
        .await;
    let rows: Vec<&str> = search
        .body
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("Printer on fire,"));
    let mine = c.get("/portal/tickets/export.csv?view=mine").await;
    assert_eq!(
        mine.body.split("\r\n").filter(|l| !l.is_empty()).count(),
        1 + 4
    );
}

#[actix_web::test]
async fn p12_t7_the_support_form_files_a_ticket_that_shows_in_the_list() {
    let p = portal(|_, s| {
        s.support_form.fields = vec![portal_core::settings::FormField {
            property: "seats".into(),
            label: None,
            required: true,
        }];
    })
    .await;
    let mut c = client(&p).await;
    c.login("bob@acme.test").await;
    let list = c.get("/portal/tickets").await;
    assert!(
        list.body
            .contains("href=\"/portal/new\">File a support ticket</a>")
    );
    let form = c.get("/portal/new").await;
    assert!(form.body.contains("name=\"field.seats\""));
    let csrf = form.csrf();
    c.accept_language = Some("de".into());
    let bad = c
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &csrf),
                ("subject", ""),
                ("description", "x"),
                ("field.seats", "viele"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Betreff: Dieses Feld ist erforderlich."),
        "{}",
        bad.body
    );
    assert!(
        bad.body
            .contains("Seats: Bitte geben Sie eine ganze Zahl ein.")
    );
    // Each problem sits at its field, which says so, and the summary above the form links
    // to it (and takes the focus, by the page's script).
    assert!(bad.body.contains("id=\"error-summary\""));
    assert!(bad.body.contains("Das Formular enthält Fehler"));
    assert!(
        bad.body
            .contains("<a href=\"#subject\">Betreff: Dieses Feld ist erforderlich.</a>")
    );
    assert!(bad.body.contains("<a href=\"#field-seats\">"));
    assert!(
        bad.body
            .contains("aria-invalid=\"true\" aria-describedby=\"subject-error\"")
    );
    assert!(bad.body.contains("id=\"subject-error\""));
    assert!(
        bad.body
            .contains("aria-invalid=\"true\" aria-describedby=\"field-seats-error\"")
    );
    assert!(
        !bad.body
            .contains("aria-describedby=\"d-help description-error\""),
        "the description had no problem"
    );
    let ok = c
        .post_multipart(
            "/portal/new",
            &[
                ("csrf", &csrf),
                ("subject", "New monitor"),
                ("description", "Please *soon*"),
                ("field.seats", "2"),
            ],
            &[("files", "spec.txt", b"27 inch".to_vec())],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let id: i64 = ok
        .location()
        .trim_start_matches("/portal/tickets/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let t = p.ports.tickets.get(TicketId(id)).await.unwrap().unwrap();
    assert_eq!(
        (t.inbox, t.properties.get("seats")),
        (Some(p.world.inbox), Some(&Value::Number(2)))
    );
    assert!(listed(&c.get("/portal/tickets").await.body).contains(&id));
}

#[actix_web::test]
async fn n1_pages_follow_the_account_then_the_browser_then_the_domain_language() {
    let p = portal(|w, s| {
        let _ = w;
        s.domain = None;
    })
    .await;
    let mut c = client(&p).await;
    c.accept_language = Some("nl-NL,nl;q=0.9,en;q=0.5".into());
    let login = c.get("/portal/login").await;
    assert!(login.body.contains("<html lang=\"nl\">"));
    assert!(login.body.contains("Aanmelden"));
    c.login("alice@acme.test").await;
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("Tickets van de organisatie"));
    // The switcher stores the choice on the account; it then wins over the browser.
    let r = c
        .post(
            "/portal/language",
            &[
                ("csrf", &list.csrf()),
                ("lang", "fi"),
                ("back", "/portal/tickets"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/portal/tickets");
    let account = p
        .ports
        .accounts
        .by_email("alice@acme.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.language.as_deref(), Some("fi"));
    c.cookies.remove("portal_lang");
    let fi = c.get("/portal/tickets").await;
    assert!(
        fi.body.contains("Organisaation tiketit"),
        "{}",
        &fi.body[..400]
    );
    // Dates follow the language.
    assert!(fi.body.contains(".1.2026"), "Finnish dates");
    // An off-site "back" is refused in favour of the list.
    let r = c
        .post(
            "/portal/language",
            &[
                ("csrf", &fi.csrf()),
                ("lang", "da"),
                ("back", "https://evil.test/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/portal/tickets");
}

#[test]
fn n1_every_language_has_every_key() {
    let i18n = I18n::new();
    let en = i18n.keys("en");
    assert!(en.len() > 90);
    for lang in LANGUAGES {
        assert_eq!(i18n.keys(lang), en, "{lang} is incomplete");
        for k in &en {
            assert!(!i18n.get(lang, k).is_empty());
        }
    }
}

#[actix_web::test]
async fn p5_a_switched_off_portal_is_unavailable_and_shows_no_data() {
    let p = portal(|_, s| s.enabled = false).await;
    let mut c = client(&p).await;
    for path in [
        "/portal/login",
        "/portal/tickets",
        &format!("/portal/tickets/{}", p.world.alice_ticket),
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(r.body.contains("Portal unavailable"));
        assert!(!r.body.contains("Printer"));
    }
    assert_eq!(
        c.get("/wrong-slug/tickets").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn p6_p8_p9_label_owner_and_status_display_follow_the_settings() {
    let p = portal(|_, s| {
        s.ticket_label = portal_core::settings::TicketLabel {
            singular: "Case".into(),
            plural: "Cases".into(),
        };
        s.owner_display = portal_core::settings::OwnerDisplay::Alias;
        s.status_display = portal_core::settings::StatusDisplay::StageNames;
    })
    .await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("<h1>Cases</h1>"));
    assert!(list.body.contains("<td>Sunny</td>"), "owner alias");
    assert!(
        list.body.contains(">Waiting on us</span></td>") || list.body.contains(">New</span></td>"),
        "stage names"
    );
}

#[actix_web::test]
async fn p10_branding_colours_logo_and_navigation_reach_every_page() {
    let p = portal(|_, _| {}).await;
    let logo = p
        .ports
        .blobs
        .put(b"\x89PNG\r\n\x1a\nlogo".to_vec())
        .await
        .unwrap();
    let mut s = p.ports.settings.load().await.unwrap();
    s.branding.logo = Some(logo);
    s.branding.primary_color = "#aa0000".into();
    s.branding.nav = vec![portal_core::settings::Link {
        label: "Status page".into(),
        url: "https://status.example.com".into(),
    }];
    p.ports.settings.save(&s).await.unwrap();
    let mut c = client(&p).await;
    let login = c.get("/portal/login").await;
    assert!(login.body.contains("src=\"/portal/branding/logo\""));
    assert!(
        login
            .body
            .contains("<a href=\"https://status.example.com\">Status page</a>")
    );
    let img = c.get("/portal/branding/logo").await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.header("content-type"), "image/png");
    assert_eq!(
        c.get("/portal/branding/favicon").await.status,
        StatusCode::NOT_FOUND
    );
    let theme = c.get("/portal/theme.css").await;
    assert!(theme.body.contains("--primary: #aa0000;"));
    c.login("alice@acme.test").await;
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("href=\"/portal/theme.css\"") && list.body.contains("Status page"));
}

#[actix_web::test]
async fn t1_the_server_built_filter_controls_and_language_menu_keep_the_visitor_s_choices() {
    // The header row, the filter controls and the language menu are built by the server
    // (not by handlebars): the chosen filter value, sort and language must show as chosen.
    let p = portal(|_, _| {}).await;
    let w = &p.world;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let page = c
        .get(&format!(
            "/portal/tickets?f.requested_by={}&sort=created_at&dir=desc",
            w.bob.id
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(
        b.contains("<select id=\"f-requested_by\" name=\"f.requested_by\">"),
        "{b}"
    );
    assert!(
        b.contains(&format!("<option value=\"{}\" selected>", w.bob.id)),
        "the chosen requester stays selected"
    );
    assert!(b.contains(&format!("<option value=\"{}\">", w.alice.id)));
    assert!(b.contains(
        "<input id=\"f-created_at\" name=\"f.created_at.from\" type=\"date\" value=\"\""
    ));
    assert!(b.contains("<input name=\"f.created_at.to\" type=\"date\" value=\"\""));
    assert!(b.contains("aria-sort=\"descending\""));
    assert!(b.contains("<span aria-hidden=\"true\">▼</span>"));
    // The sort links keep the filter, escaped in the attribute as handlebars escapes.
    assert!(
        b.contains(&format!("f.requested_by&#x3D;{}&amp;sort&#x3D;", w.bob.id)),
        "{b}"
    );
    for t in listed(b) {
        let requester = p
            .ports
            .tickets
            .get(TicketId(t))
            .await
            .unwrap()
            .unwrap()
            .requester;
        assert_eq!(requester, Some(w.bob.id), "only Bob's tickets");
    }
    assert!(
        b.contains("<option value=\"en\" selected>English</option>"),
        "{b}"
    );
    assert!(b.contains("<option value=\"de\">Deutsch</option>"));
}

#[actix_web::test]
async fn a_customer_reads_times_in_her_own_zone_named_and_the_csv_carries_offsets() {
    // The portal's zone is New York; Alice's browser is in Helsinki.
    let p = portal(|_, s| s.time_zone = "America/New_York".into()).await;
    let w = &p.world;
    // A ticket created just after Finland moved its clocks: 2026-03-29 01:30 UTC.
    let spring = Timestamp(1_774_747_800_000);
    let t = p
        .ports
        .tickets
        .create(NewTicket {
            subject: "Clock change".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: Some(w.inbox),
            requester: Some(w.alice.id),
            contacts: [w.alice.id].into(),
            companies: [w.acme.id].into(),
            private: false,
            properties: Default::default(),
            owner: None,
            created_at: spring,
            first_message: Some(portal_testkit::fixtures::body(
                Author::Contact(w.alice.id),
                portal_core::model::MessageVisibility::Public,
                "<p>The clocks moved.</p>",
            )),
        })
        .await
        .unwrap();
    let mut c = client(&p).await;
    let form = c.get("/portal/login").await;
    assert!(
        form.body.contains("name=\"tz\""),
        "the login form asks the browser"
    );
    let csrf = form.csrf();
    let login = |tz: &'static str, csrf: String| {
        [
            ("email", "alice@acme.test".to_string()),
            ("password", crate::harness::PASSWORD.to_string()),
            ("csrf", csrf),
            ("next", String::new()),
            ("tz", tz.to_string()),
        ]
    };
    let fields = login("Europe/Helsinki", csrf);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        c.post("/portal/login", &refs).await.status,
        StatusCode::SEE_OTHER
    );
    let account = |p: &crate::harness::Portal| {
        let accounts = p.ports.accounts.clone();
        async move {
            accounts
                .by_email("alice@acme.test")
                .await
                .unwrap()
                .unwrap()
                .time_zone
        }
    };
    assert_eq!(account(&p).await.as_deref(), Some("Europe/Helsinki"));
    // Local time with the zone named, on the detail page and in the list.
    let detail = c.get(&format!("/portal/tickets/{}", t.id)).await;
    assert!(
        detail.body.contains("Mar 29, 2026 04:30 EEST"),
        "{}",
        detail.body
    );
    let list = c.get("/portal/tickets?q=clock").await;
    assert!(
        list.body.contains("Mar 29, 2026 04:30 EEST"),
        "{}",
        list.body
    );
    assert!(!list.body.contains(" UTC<"));
    // The CSV: ISO 8601 with the offset.
    let csv = c.get("/portal/tickets/export.csv?q=clock").await.body;
    assert!(csv.contains("2026-03-29T04:30:00+03:00"), "{csv}");
    // A later login from elsewhere keeps the zone she has.
    let mut other = client(&p).await;
    let csrf = other.get("/portal/login").await.csrf();
    let fields = login("Asia/Tokyo", csrf);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    other.post("/portal/login", &refs).await;
    assert_eq!(account(&p).await.as_deref(), Some("Europe/Helsinki"));
    // She picks one on her account page; an unknown one is refused in her language; the
    // empty choice is the portal's.
    let page = c.get("/portal/account").await;
    assert!(
        page.body
            .contains("<option selected>Europe/Helsinki</option>")
    );
    let csrf = page.csrf();
    let bad = c
        .post(
            "/portal/account/time-zone",
            &[("csrf", &csrf), ("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Choose a time zone from the list."));
    let ok = c
        .post(
            "/portal/account/time-zone",
            &[("csrf", &csrf), ("time_zone", "Asia/Tokyo")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let detail = c.get(&format!("/portal/tickets/{}", t.id)).await;
    assert!(
        detail.body.contains("Mar 29, 2026 10:30 JST"),
        "{}",
        detail.body
    );
    c.post(
        "/portal/account/time-zone",
        &[("csrf", &csrf), ("time_zone", "")],
    )
    .await;
    assert_eq!(account(&p).await, None);
    let detail = c.get(&format!("/portal/tickets/{}", t.id)).await;
    assert!(
        detail.body.contains("Mar 28, 2026 21:30 EDT"),
        "{}",
        detail.body
    );
}

#[actix_web::test]
async fn column_filters_fold_behind_filters_and_open_when_one_is_in_force() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let plain = c.get("/portal/tickets").await.body;
    assert!(
        plain.contains("<details class=\"more-filters\">"),
        "{plain}"
    );
    assert!(plain.contains("<summary>Filters</summary>"));
    // Search first: the search box comes before the folded filters.
    assert!(plain.find("id=\"q\"").unwrap() < plain.find("more-filters").unwrap());
    let filtered = c.get("/portal/tickets?f.priority=high").await.body;
    assert!(
        filtered.contains("<details class=\"more-filters\" open>"),
        "{filtered}"
    );
    assert!(filtered.contains("<summary>Filters (1)</summary>"));
}

#[actix_web::test]
async fn n1_a_sixth_language_from_the_catalogue_directory_is_offered_chosen_and_remembered() {
    let dir = std::env::temp_dir().join(format!("portal-http-sv-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sv")).unwrap();
    std::fs::write(
        dir.join("sv/portal.ftl"),
        "lang-name = Svenska\nlogin-title = Logga in\n",
    )
    .unwrap();
    let catalogues = portal_http::i18n::Catalogues::load(Some(&dir)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let mut p = portal(|_, s| s.domain = None).await;
    // Without the directory the portal does not speak Swedish.
    {
        let mut c = client(&p).await;
        c.accept_language = Some("sv-SE,sv;q=0.9".into());
        assert!(
            c.get("/portal/login")
                .await
                .body
                .contains("<html lang=\"en\">")
        );
        c.login("alice@acme.test").await;
        let list = c.get("/portal/tickets").await;
        let refused = c
            .post(
                "/portal/language",
                &[
                    ("csrf", &list.csrf()),
                    ("lang", "sv"),
                    ("back", "/portal/tickets"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // With it, the browser's Swedish is honoured, the menu offers it, and the account keeps it.
    let mut config = portal_http::HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    config.catalogues = I18n::from(catalogues);
    p.state = portal_http::AppState::new(p.ports.clone(), config).unwrap();
    let mut c = client(&p).await;
    c.accept_language = Some("sv-SE,sv;q=0.9,en;q=0.5".into());
    let login = c.get("/portal/login").await;
    assert!(login.body.contains("<html lang=\"sv\">"));
    assert!(login.body.contains("Logga in"));
    // What the Swedish catalogue leaves out is English.
    assert!(login.body.contains("Password"));
    assert!(
        login
            .body
            .contains("<option value=\"sv\" selected>Svenska</option>")
    );
    c.accept_language = None;
    c.login("alice@acme.test").await;
    let list = c.get("/portal/tickets").await;
    assert!(list.body.contains("<option value=\"sv\">Svenska</option>"));
    let r = c
        .post(
            "/portal/language",
            &[
                ("csrf", &list.csrf()),
                ("lang", "sv"),
                ("back", "/portal/tickets"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let account = p
        .ports
        .accounts
        .by_email("alice@acme.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.language.as_deref(), Some("sv"));
}

#[actix_web::test]
async fn n1_the_list_counts_one_ticket_and_several_in_the_visitors_language() {
    let p = portal(|_, s| s.domain = None).await;
    let mut c = client(&p).await;
    c.accept_language = Some("fi".into());
    c.login("alice@acme.test").await;
    let all = c.get("/portal/tickets").await.body;
    let n = listed(&all).len();
    assert!(n > 1);
    assert!(all.contains(&format!("{n} tikettiä")), "{all}");
    let one = c.get("/portal/tickets?q=Printer").await.body;
    assert_eq!(listed(&one).len(), 1);
    assert!(
        one.contains("1 tiketti<") || one.contains("1 tiketti "),
        "{one}"
    );
}

#[actix_web::test]
async fn p13_t1_the_home_offers_search_a_new_ticket_the_latest_tickets_and_the_knowledge_base() {
    let p = portal(|_, s| {
        s.knowledge_base_url = "https://kb.acme.test/".into();
        s.knowledge_base_link = true;
    })
    .await;
    let mut c = client(&p).await;
    // Not logged in: the login page first.
    let r = c.get("/portal/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("/portal/login"), "{}", r.location());
    c.login("alice@acme.test").await;
    let home = c.get("/portal/").await;
    assert_eq!(home.status, StatusCode::OK);
    let b = &home.body;
    assert!(b.contains("How can we help?"));
    assert!(b.contains("action=\"/portal/tickets\" class=\"home-search\" role=\"search\""));
    assert!(b.contains("href=\"/portal/new\""));
    assert!(b.contains("href=\"https://kb.acme.test/\""));
    // The latest tickets the list would show first, at most five, with their badges.
    let list = c.get("/portal/tickets").await.body;
    let latest: Vec<i64> = listed(&list).into_iter().take(5).collect();
    let section = &b[b.find("class=\"recent\"").unwrap()..];
    assert_eq!(listed(section), latest);
    assert!(section.contains("<span class=\"badge open stage-"));
    assert!(section.contains("<time datetime=\"2026-"));
    // Never another company's tickets: Dave (another company) sees none of Alice's.
    let mut d = client(&p).await;
    d.login("dave@globex.test").await;
    let dave = d.get("/portal/").await.body;
    for id in &latest {
        assert!(!listed(&dave).contains(id));
    }
}

#[actix_web::test]
async fn p9_statuses_are_badges_coloured_by_open_or_closed_and_the_stage() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let list = c.get("/portal/tickets").await.body;
    assert!(list.contains("<span class=\"badge open stage-"), "{list}");
    assert!(list.contains("<span class=\"badge closed stage-"), "{list}");
    let id = listed(&list)[0];
    let detail = c.get(&format!("/portal/tickets/{id}")).await.body;
    assert!(detail.contains("<dd><span class=\"badge "), "{detail}");
    assert!(detail.contains("data-relative>"));
}

#[actix_web::test]
async fn t1_the_filters_in_force_show_as_chips_that_each_remove_themselves() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    assert!(
        !c.get("/portal/tickets")
            .await
            .body
            .contains("class=\"chips\"")
    );
    let page = c.get("/portal/tickets?status=open&q=Printer").await.body;
    let chips = &page[page.find("<ul class=\"chips\"").unwrap()..];
    let chips = &chips[..chips.find("</ul>").unwrap()];
    assert!(chips.contains("Search: Printer"));
    assert!(chips.contains("Status: Open"));
    assert!(chips.contains("aria-label=\"Remove filter: Status: Open\""));
    let hrefs: Vec<String> = chips
        .split("href=\"")
        .skip(1)
        .map(|h| {
            h[..h.find('"').unwrap()]
                .replace("&#x3D;", "=")
                .replace("&amp;", "&")
        })
        .collect();
    assert_eq!(hrefs.len(), 2);
    assert!(
        hrefs[0].contains("status=open") && !hrefs[0].contains("Printer"),
        "{}",
        hrefs[0]
    );
    assert!(
        hrefs[1].contains("q=Printer") && !hrefs[1].contains("status=open"),
        "{}",
        hrefs[1]
    );
}

#[actix_web::test]
async fn t4_a_refused_reply_keeps_the_draft_and_links_the_summary_to_the_reply_box() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let csrf = c.get(&path).await.csrf();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "   ")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"error-summary\""));
    assert!(r.body.contains("<a href=\"#body\">Reply: "), "{}", r.body);
    assert!(
        r.body
            .contains("aria-describedby=\"body-help body-error\" aria-invalid=\"true\"")
    );
    // A file too many is tied to the file field.
    let files: Vec<(&str, &str, Vec<u8>)> =
        (0..11).map(|_| ("files", "a.txt", b"x".to_vec())).collect();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "my draft")],
            &files,
        )
        .await;
    assert!(r.body.contains("<a href=\"#files\">"), "{}", r.body);
    assert!(r.body.contains(">my draft</textarea>"));
}
