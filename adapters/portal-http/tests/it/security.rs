//! SECURITY.md rules 3–8 and 18–21 through HTTP: hidden tickets are 404 everywhere, CSRF,
//! sessions and timeouts, throttling, upload limits, headers.

use actix_web::http::StatusCode;
use portal_core::model::*;

use crate::harness::{PASSWORD, client, listed, portal};

#[actix_web::test]
async fn v7_a_hidden_ticket_answers_404_at_every_ticket_url() {
    let p = portal(|_, _| {}).await;
    let hidden = p.world.other_ticket; // Globex's ticket; Alice is at Acme.
    let att = {
        let t = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
        t[0].messages[0].attachments[0].id
    };
    let mut dave = client(&p).await;
    dave.login("dave@globex.test").await;
    assert_eq!(dave.get("/portal/tickets").await.status, StatusCode::OK);
    let missing = 9_999_999;
    for id in [hidden.0, missing] {
        let mut alice = client(&p).await;
        alice.login("alice@acme.test").await;
        let csrf_a = alice.get("/portal/tickets").await.csrf();
        let d = alice.get(&format!("/portal/tickets/{id}")).await;
        assert_eq!(d.status, StatusCode::NOT_FOUND, "detail {id}");
        assert!(!d.body.contains("Globex outage"));
        let r = alice
            .post_multipart(
                &format!("/portal/tickets/{id}/reply"),
                &[("csrf", &csrf_a), ("body", "hi")],
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "reply {id}");
        let c = alice
            .post(&format!("/portal/tickets/{id}/close"), &[("csrf", &csrf_a)])
            .await;
        assert_eq!(c.status, StatusCode::NOT_FOUND, "close {id}");
        let search = alice.get("/portal/tickets?q=outage").await;
        assert!(listed(&search.body).is_empty());
        let export = alice.get("/portal/tickets/export.csv?q=outage").await;
        assert!(!export.body.contains("Globex outage"));
    }
    // Dave (Globex) cannot download Acme's attachment; nothing was written by the attempts.
    let dl = dave.get(&format!("/portal/attachments/{att}")).await;
    assert_eq!(dl.status, StatusCode::NOT_FOUND);
    assert_eq!(
        p.ports.tickets.get(hidden).await.unwrap().unwrap().status,
        TicketStatus::Open
    );
    assert_eq!(
        p.ports.tickets.threads(hidden).await.unwrap()[0]
            .messages
            .len(),
        1
    );
}

#[actix_web::test]
async fn rule8_state_changes_without_the_csrf_token_are_refused() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    // Login without the token.
    c.get("/portal/login").await;
    let r = c
        .post(
            "/portal/login",
            &[("email", "alice@acme.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Form expired"));
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let before = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", "forged"), ("body", "x")],
            &[("files", "a.txt", b"a".to_vec())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c.post(&format!("{path}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c.post("/portal/logout", &[("csrf", "wrong")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        p.ports.tickets.threads(p.world.alice_ticket).await.unwrap(),
        before,
        "nothing written"
    );
    assert_eq!(
        p.ports
            .tickets
            .get(p.world.alice_ticket)
            .await
            .unwrap()
            .unwrap()
            .status,
        TicketStatus::Open
    );
    // No state change on GET.
    assert_eq!(
        c.get(&format!("{path}/close")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn rule3_wrong_password_and_unknown_email_answer_alike() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    let csrf = c.get("/portal/login").await.csrf();
    let a = c
        .post(
            "/portal/login",
            &[
                ("email", "alice@acme.test"),
                ("password", "nope-nope"),
                ("csrf", &csrf),
            ],
        )
        .await;
    let b = c
        .post(
            "/portal/login",
            &[
                ("email", "nobody@acme.test"),
                ("password", "nope-nope"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(b.status, a.status);
    let msg = |r: &crate::harness::Reply| r.body.contains("The email or password is not correct.");
    assert!(msg(&a) && msg(&b));
}

#[actix_web::test]
async fn rule4_repeated_failures_are_throttled() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    let csrf = c.get("/portal/login").await.csrf();
    for _ in 0..5 {
        let r = c
            .post(
                "/portal/login",
                &[
                    ("email", "alice@acme.test"),
                    ("password", "wrong-pass"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = c
        .post(
            "/portal/login",
            &[
                ("email", "alice@acme.test"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Too many attempts"));
}

#[actix_web::test]
async fn a5_rule6_rule7_sessions_time_out_and_logout_ends_them_on_the_server() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let token = c.cookies.get("portal_session").cloned().unwrap();
    assert_eq!(c.get("/portal/tickets").await.status, StatusCode::OK);
    p.clock.advance_seconds(61 * 60);
    let r = c.get("/portal/tickets").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/portal/login?expired=1"),
        "{}",
        r.location()
    );
    let page = c.get(&r.location()).await;
    assert!(page.body.contains("Your session has ended."));
    // Logout: the old token no longer works, even if replayed.
    c.login("alice@acme.test").await;
    let live = c.cookies.get("portal_session").cloned().unwrap();
    assert_ne!(live, token, "a fresh session id at login");
    let csrf = c.get("/portal/tickets").await.csrf();
    let r = c.post("/portal/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.location(), "/portal/login?out=1");
    c.cookies.insert("portal_session".into(), live);
    assert_eq!(c.get("/portal/tickets").await.status, StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn rule19_upload_limits_refuse_and_leave_nothing_behind() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let csrf = c.get(&path).await.csrf();
    let files: Vec<(&str, &str, Vec<u8>)> = (0..11)
        .map(|_| ("files", "a.txt", b"abc".to_vec()))
        .collect();
    let before = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "many")],
            &files,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("You can attach at most 10 files."));
    let big = vec![b'x'; 20 * 1024 * 1024 + 1];
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "big")],
            &[("files", "big.bin", big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("Each file may be at most 20 MB."));
    assert_eq!(
        p.ports.tickets.threads(p.world.alice_ticket).await.unwrap(),
        before
    );
    // An empty reply is refused with the reason, in the visitor's language.
    c.accept_language = Some("da".into());
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "  ")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Feltet skal udfyldes."), "{}", r.body);
}

#[actix_web::test]
async fn rule21_every_response_carries_the_security_headers() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    for path in [
        "/portal/login",
        "/portal/tickets",
        "/static/portal.css",
        "/nowhere/tickets",
    ] {
        let r = c.get(path).await;
        let csp = r.header("content-security-policy");
        for part in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert_eq!(
            r.header("referrer-policy"),
            "strict-origin-when-cross-origin"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff");
    }
    assert_eq!(
        c.get("/nowhere/tickets").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(c.get("/readyz").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn a1_a_contact_outside_the_access_groups_gets_the_access_denied_page() {
    let p = portal(|_, s| {
        s.access.self_registration = false;
    })
    .await;
    let list = p.ports.directory.create_list("Customers").await.unwrap();
    p.ports
        .directory
        .add_member(list.id, p.world.alice.id)
        .await
        .unwrap();
    let mut s = p.ports.settings.load().await.unwrap();
    s.access.access_groups = [list.id].into();
    p.ports.settings.save(&s).await.unwrap();
    let mut bob = client(&p).await;
    let r = bob.login("bob@acme.test").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Access denied"));
    assert!(
        !bob.cookies.contains_key("portal_session"),
        "no session for a refused login"
    );
    let mut alice = client(&p).await;
    assert_eq!(
        alice.login("alice@acme.test").await.status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn routes_the_portal_scope_never_takes_the_instance_s_own_paths() {
    // The portal's pages sit in one `/{slug}` scope registered first; reserved first
    // segments must still reach their own routes, and unknown paths stay 404.
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    for home in ["/portal", "/portal/"] {
        let r = c.get(home).await;
        // The home asks a visitor who is not logged in to log in first.
        assert!(r.status.is_redirection(), "{home}: {}", r.status);
        assert!(r.location().starts_with("/portal/login?next="), "{home}");
    }
    let login = c.get("/portal/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("name=\"csrf\""));
    assert_eq!(c.get("/portal/nowhere").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.get("/portal/tickets/x/y").await.status,
        StatusCode::NOT_FOUND
    );
    // GET on a POST-only portal path is not a page.
    assert_eq!(c.get("/portal/logout").await.status, StatusCode::NOT_FOUND);
    let admin = c.get("/admin/login").await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.body.contains("/admin/login"), "{}", admin.body);
    let api = c.get("/api/v1/companies").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert!(api.body.contains("unauthorized"), "{}", api.body);
    assert_eq!(c.get("/static/portal.css").await.status, StatusCode::OK);
    // Outside every scope, too, "not found" is a page in the visitor's language.
    c.accept_language = Some("fi".into());
    for path in ["/static/nothing.css", "/healthz/more"] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("<html lang=\"fi\">"), "{path}: {}", r.body);
    }
}

#[actix_web::test]
async fn rule4_a_forged_forwarded_for_header_never_escapes_the_per_address_count() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    c.peer = Some("203.0.113.9:40000".parse().unwrap());
    let csrf = c.get("/portal/login").await.csrf();
    // A password spray: a new account and a new forged address on every try.
    let mut statuses = Vec::new();
    for i in 0..8 {
        c.headers = vec![("x-forwarded-for".into(), format!("198.51.100.{i}"))];
        let r = c
            .post(
                "/portal/login",
                &[
                    ("email", &format!("nobody{i}@acme.test")),
                    ("password", "wrong-pass"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        statuses.push(r.status);
    }
    assert_eq!(statuses[..5], [StatusCode::UNAUTHORIZED; 5]);
    assert!(
        statuses[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[actix_web::test]
async fn rule4_behind_a_trusted_proxy_the_client_is_the_rightmost_untrusted_hop() {
    let mut p = portal(|_, _| {}).await;
    let mut config = portal_http::HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    config.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    p.state = portal_http::AppState::new(p.ports.clone(), config).unwrap();
    let mut c = client(&p).await;
    c.peer = Some("10.1.2.3:50000".parse().unwrap());
    let csrf = c.get("/portal/login").await.csrf();
    let try_as = |client: &str, email: String| (client.to_string(), email);
    // Five failures from one client, each with a different forged leftmost entry: the proxy
    // appended the real client on the right, so they all count for it.
    let mut last = StatusCode::OK;
    for (i, (ip, email)) in (0..6)
        .map(|i| try_as("192.0.2.50", format!("x{i}@acme.test")))
        .enumerate()
    {
        c.headers = vec![("x-forwarded-for".into(), format!("198.51.100.{i}, {ip}"))];
        last = c
            .post(
                "/portal/login",
                &[
                    ("email", &email),
                    ("password", "wrong-pass"),
                    ("csrf", &csrf),
                ],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not affected.
    c.headers = vec![("x-forwarded-for".into(), "192.0.2.51".into())];
    let r = c
        .post(
            "/portal/login",
            &[
                ("email", "alice@acme.test"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[actix_web::test]
async fn rule4_failures_counted_by_one_server_throttle_another() {
    let p = portal(|_, _| {}).await;
    // A second server over the same storage.
    let mut config = portal_http::HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    let second = crate::harness::Portal {
        ports: p.ports.clone(),
        world: p.world.clone(),
        clock: p.clock.clone(),
        state: portal_http::AppState::new(p.ports.clone(), config).unwrap(),
    };
    let mut one = client(&p).await;
    let mut two = client(&second).await;
    let csrf1 = one.get("/portal/login").await.csrf();
    let csrf2 = two.get("/portal/login").await.csrf();
    for i in 0..5 {
        let r = if i % 2 == 0 {
            one.post(
                "/portal/login",
                &[
                    ("email", "alice@acme.test"),
                    ("password", "nope-nope"),
                    ("csrf", &csrf1),
                ],
            )
            .await
        } else {
            two.post(
                "/portal/login",
                &[
                    ("email", "alice@acme.test"),
                    ("password", "nope-nope"),
                    ("csrf", &csrf2),
                ],
            )
            .await
        };
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = two
        .post(
            "/portal/login",
            &[
                ("email", "alice@acme.test"),
                ("password", PASSWORD),
                ("csrf", &csrf2),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "five failures over two servers"
    );
    // The wait passes on the portal's clock.
    p.clock.advance_seconds(120);
    let r = one
        .post(
            "/portal/login",
            &[
                ("email", "alice@acme.test"),
                ("password", PASSWORD),
                ("csrf", &csrf1),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[actix_web::test]
async fn every_get_route_answers_head_and_every_answer_carries_a_request_id() {
    let mut p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    // Monitors probe with HEAD: the same status as GET.
    for (path, status) in [
        ("/healthz", StatusCode::OK),
        ("/readyz", StatusCode::OK),
        ("/portal/login", StatusCode::OK),
        ("/portal/tickets", StatusCode::SEE_OTHER),
        ("/static/portal.css", StatusCode::OK),
        ("/admin/login", StatusCode::OK),
        ("/portal/no-such-page", StatusCode::NOT_FOUND),
    ] {
        let r = c.api("HEAD", path, None, None).await;
        assert_eq!(r.status, status, "HEAD {path}");
    }
    // A fresh id on every answer; one a client sends is not believed.
    c.headers = vec![("x-request-id".into(), "forged-by-client".into())];
    let a = c.get("/portal/login").await.header("x-request-id");
    let b = c.get("/portal/login").await.header("x-request-id");
    assert_eq!(a.len(), 16, "{a}");
    assert!(a.bytes().all(|x| x.is_ascii_hexdigit()));
    assert_ne!(a, b);
    drop(c);
    // Behind a trusted proxy its id is kept (and a malformed one replaced).
    let mut config = portal_http::HttpConfig::new("http://portal.test");
    config.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    p.state = portal_http::AppState::new(p.ports.clone(), config).unwrap();
    let mut c = client(&p).await;
    c.peer = Some("10.1.2.3:50000".parse().unwrap());
    c.headers = vec![("x-request-id".into(), "lb-7f3a.42".into())];
    assert_eq!(c.get("/healthz").await.header("x-request-id"), "lb-7f3a.42");
    c.headers = vec![("x-request-id".into(), "two words".into())];
    assert_eq!(c.get("/healthz").await.header("x-request-id").len(), 16);
}

#[actix_web::test]
async fn rule19_text_fields_count_against_the_upload_limits() {
    let mut p = portal(|_, _| {}).await;
    let mut config = portal_http::HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    config.upload = portal_core::actions::UploadLimits {
        max_files: 10,
        max_file_bytes: 1024 * 1024,
        max_total_bytes: 2 * 1024 * 1024,
    };
    p.state = portal_http::AppState::new(p.ports.clone(), config).unwrap();
    let mut c = client(&p).await;
    c.login("alice@acme.test").await;
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let csrf = c.get(&path).await.csrf();
    let before = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
    // Twelve text fields of 200 KiB: over the 2 MiB a request may carry, without a file.
    let filler = "x".repeat(200 * 1024);
    let names: Vec<String> = (0..12).map(|i| format!("extra{i}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf), ("body", "text only")];
    fields.extend(names.iter().map(|n| (n.as_str(), filler.as_str())));
    let r = c
        .post_multipart(&format!("{path}/reply"), &fields, &[])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    // A form of more than a hundred fields is not a form of this portal.
    let many: Vec<String> = (0..101).map(|i| format!("f{i}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf), ("body", "many fields")];
    fields.extend(many.iter().map(|n| (n.as_str(), "1")));
    let r = c
        .post_multipart(&format!("{path}/reply"), &fields, &[])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        p.ports.tickets.threads(p.world.alice_ticket).await.unwrap(),
        before,
        "nothing written"
    );
}

/// Settings storage that does not answer (a database that hangs).
struct Stalled;

#[async_trait::async_trait]
impl portal_core::ports::SettingsRepository for Stalled {
    async fn load(&self) -> portal_core::PortResult<portal_core::settings::PortalSettings> {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(5)).await;
        Err(portal_core::PortError::Unavailable("stalled".into()))
    }
    async fn save(
        &self,
        _: &portal_core::settings::PortalSettings,
    ) -> portal_core::PortResult<portal_core::settings::PortalSettings> {
        Err(portal_core::PortError::Unavailable("stalled".into()))
    }
    async fn check_writable(&self) -> portal_core::PortResult<()> {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(5)).await;
        Ok(())
    }
    async fn server_key(&self, _: &str, _: String) -> portal_core::PortResult<String> {
        Err(portal_core::PortError::Unavailable("stalled".into()))
    }
}

/// Settings storage that reads but takes no write (a full or read-only disk).
struct ReadOnly(std::sync::Arc<dyn portal_core::ports::SettingsRepository>);

#[async_trait::async_trait]
impl portal_core::ports::SettingsRepository for ReadOnly {
    async fn load(&self) -> portal_core::PortResult<portal_core::settings::PortalSettings> {
        self.0.load().await
    }
    async fn save(
        &self,
        _: &portal_core::settings::PortalSettings,
    ) -> portal_core::PortResult<portal_core::settings::PortalSettings> {
        Err(portal_core::PortError::Unavailable("read-only".into()))
    }
    async fn check_writable(&self) -> portal_core::PortResult<()> {
        Err(portal_core::PortError::Unavailable(
            "attempt to write a readonly database".into(),
        ))
    }
    async fn server_key(&self, name: &str, candidate: String) -> portal_core::PortResult<String> {
        self.0.server_key(name, candidate).await
    }
}

#[actix_web::test]
async fn readyz_is_503_when_the_database_reads_but_cannot_be_written() {
    let mut p = portal(|_, _| {}).await;
    let mut ports = p.ports.clone();
    ports.settings = std::sync::Arc::new(ReadOnly(ports.settings.clone()));
    p.state = portal_http::AppState::new(ports, portal_http::HttpConfig::new("http://portal.test"))
        .unwrap();
    let mut c = client(&p).await;
    let r = c.get("/readyz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body.contains("readonly"), "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
}

#[actix_web::test]
async fn readyz_answers_within_a_second_when_the_database_hangs() {
    let mut p = portal(|_, _| {}).await;
    let mut ports = p.ports.clone();
    ports.settings = std::sync::Arc::new(Stalled);
    p.state = portal_http::AppState::new(ports, portal_http::HttpConfig::new("http://portal.test"))
        .unwrap();
    let mut c = client(&p).await;
    let started = std::time::Instant::now();
    let r = c.get("/readyz").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.header("retry-after"), "5");
    assert!(r.body.contains("within 1 s"), "{}", r.body);
    // Liveness does not depend on the database.
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn ops_nul_and_control_characters_are_refused_everywhere_before_anything_is_written() {
    let p = portal(|_, _| {}).await;
    let mut c = client(&p).await;
    // A login form with NUL in the email: 422, in the visitor's language.
    c.accept_language = Some("de".into());
    let page = c.get("/portal/login").await;
    let csrf = page.csrf();
    let r = c
        .post(
            "/portal/login",
            &[
                ("csrf", &csrf),
                ("email", "alice\0@acme.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Steuerzeichen"), "{}", r.body);
    assert!(
        !r.set_cookies()
            .iter()
            .any(|c| c.starts_with("portal_session"))
    );
    c.accept_language = None;
    // A list filter with an escape sequence.
    c.login("alice@acme.test").await;
    let r = c.get("/portal/tickets?q=printer%00").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("control character"), "{}", r.body);
    // The export of such a filter is refused before its first line, not cut off after it.
    let r = c.get("/portal/tickets/export.csv?q=%1B%5B31m").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Tabs and line breaks are text.
    assert_eq!(
        c.get("/portal/tickets?q=a%09b").await.status,
        StatusCode::OK
    );
    // A reply (multipart) with NUL: refused, nothing written.
    let path = format!("/portal/tickets/{}", p.world.alice_ticket);
    let csrf = c.get(&path).await.csrf();
    let before = p.ports.tickets.threads(p.world.alice_ticket).await.unwrap();
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "hello\0world")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        p.ports.tickets.threads(p.world.alice_ticket).await.unwrap(),
        before,
        "nothing written"
    );
    let r = c
        .post_multipart(
            &format!("{path}/reply"),
            &[("csrf", &csrf), ("body", "line one\r\n\tline two")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The API: 422 naming the field, nothing created.
    let token = crate::api::token(&p).await;
    let all = portal_core::ports::RecordQuery {
        search: None,
        company: None,
        after: None,
        limit: 1000,
    };
    let before = p.ports.directory.companies(&all).await.unwrap().len();
    let r = c
        .api(
            "POST",
            "/api/v1/companies",
            Some(&token),
            Some(serde_json::json!({ "name": "Evil\u{0}Corp" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let j = r.json();
    assert_eq!(j["error"]["code"], "invalid");
    assert_eq!(j["error"]["fields"][0]["field"], "name");
    assert_eq!(j["error"]["fields"][0]["code"], "control_character");
    assert_eq!(
        p.ports.directory.companies(&all).await.unwrap().len(),
        before
    );
}

#[actix_web::test]
async fn rule8_an_anonymous_csrf_token_is_signed_and_bound_to_its_cookie() {
    let p = portal(|_, _| {}).await;
    crate::harness::make_staff(&p, StaffRole::Admin).await;
    let agent = p.world.agent.email.clone();
    for (login, cookie, email) in [
        ("/portal/login", "portal_csrf", "alice@acme.test"),
        ("/admin/login", "portal_staff_csrf", agent.as_str()),
    ] {
        // A pair the visitor picked (the old double-submit would take it): refused.
        let mut c = client(&p).await;
        let forged = "ab".repeat(32);
        c.cookies.insert(cookie.into(), forged.clone());
        let r = c
            .post(
                login,
                &[("csrf", &forged), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}: {}", r.body);
        // The token the page gives is not the cookie, and works only with that cookie.
        let page = c.get(login).await;
        let token = page.csrf();
        assert_ne!(token, forged);
        assert_eq!(token.len(), 64);
        let mut other = client(&p).await;
        other.cookies.insert(cookie.into(), "cd".repeat(32));
        let r = other
            .post(
                login,
                &[("csrf", &token), ("email", email), ("password", "wrong")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{login}: a token for another cookie"
        );
        // With its own cookie it is accepted (the password is then judged: 401).
        let r = c
            .post(
                login,
                &[("csrf", &token), ("email", email), ("password", "wrong")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{login}: {}", r.body);
    }
}
