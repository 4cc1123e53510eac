//! portal-server's one integration-test binary: configuration, the composition root over a
//! real socket, the demo world, and the CLI.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use portal_core::query::TicketQuery;
use portal_core::visibility::{Scope, View};
use portal_server::{build, config};

mod cluster;
mod faults;
mod fuzz;
mod imap;
mod mail;
mod moving;
mod replica;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("portal-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let m: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| m.get(k).cloned()
}

/// The `.eml` file the server's sender writes for outbox mail `id`, waited for up to 10 s.
async fn delivered(dir: &std::path::Path, id: i64) -> std::path::PathBuf {
    let eml = dir.join("mail").join(format!("{id:08}.eml"));
    let mut waited = 0;
    while !eml.exists() && waited < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    eml
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

#[test]
fn configuration_comes_from_defaults_then_the_file_then_the_environment() {
    let dir = temp_dir("config");
    let none = config::load(None, env_of(&[])).unwrap();
    assert_eq!(none.listen, "127.0.0.1:8080");
    assert_eq!(none.database_url, "sqlite://data/portal.db");
    assert!(none.demo);
    let file = dir.join("portal.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/portal\"\npool_size = 3\nbase_url = \"https://help.example.com/\"\n").unwrap();
    let c = config::load(
        Some(&file),
        env_of(&[("PORTAL_LISTEN", "0.0.0.0:0"), ("PORTAL_DEMO", "0")]),
    )
    .unwrap();
    assert_eq!(c.listen, "0.0.0.0:0", "the environment wins over the file");
    assert_eq!(c.database_url, "sqlite:///srv/portal/portal.db");
    assert_eq!(c.pool_size, 3);
    assert_eq!(c.base_url.as_deref(), Some("https://help.example.com"));
    assert!(!c.demo);
    let pg = config::load(
        Some(&file),
        env_of(&[("PORTAL_DATABASE_URL", "postgres://u@db/portal")]),
    )
    .unwrap();
    assert_eq!(pg.database_url, "postgres://u@db/portal");
    for (k, v, needle) in [
        ("PORTAL_LISTEN", "nowhere", "listen"),
        ("PORTAL_DATABASE_URL", "mysql://x", "database_url"),
        ("PORTAL_BASE_URL", "ftp://x", "base_url"),
        ("PORTAL_POOL_SIZE", "many", "PORTAL_POOL_SIZE"),
    ] {
        let e = config::load(Some(&file), env_of(&[(k, v)])).unwrap_err();
        assert!(e.contains(needle), "{k}: {e}");
    }
    std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ncolour = \"blue\"\n").unwrap();
    assert!(
        config::load(Some(&file), env_of(&[]))
            .unwrap_err()
            .contains("colour"),
        "unknown keys are refused"
    );
    // Mailboxes read over IMAP: defaults, checks, and no password in check-config's rows.
    std::fs::write(
        &file,
        "[[mail.inbound]]\ninbox = 3\nhost = \"imap.example.com\"\nuser = \"help\"\npassword = \"s3cret-imap\"\n\n[[mail.inbound]]\ninbox = 4\nhost = \"127.0.0.1\"\nport = 1143\ntls = false\nuser = \"b\"\npassword = \"p\"\nfolder = \"Support\"\ndelete_taken = true\npoll_seconds = 10\n",
    )
    .unwrap();
    let c = config::load(Some(&file), env_of(&[])).unwrap();
    assert_eq!(c.mail_inbound.len(), 2);
    let (a, b) = (&c.mail_inbound[0], &c.mail_inbound[1]);
    assert_eq!(
        (a.account.port, a.account.folder.as_str(), a.every_seconds),
        (993, "INBOX", 30)
    );
    assert_eq!(a.account.security, portal_mail::imap::ImapSecurity::Tls);
    assert!(!a.account.delete_taken);
    assert_eq!(
        (b.account.port, b.account.folder.as_str(), b.every_seconds),
        (1143, "Support", 10)
    );
    assert_eq!(b.account.security, portal_mail::imap::ImapSecurity::Plain);
    assert!(b.account.delete_taken);
    let shown = format!("{:?}", portal_server::check::rows(&c));
    assert!(
        shown.contains("imaps://help@imap.example.com:993/INBOX"),
        "{shown}"
    );
    assert!(!shown.contains("s3cret-imap") && !format!("{c:?}").contains("s3cret-imap"));
    // The secret key: from the environment, never shown; unset, the data directory's file.
    assert!(shown.contains("secret.key, made on first start"), "{shown}");
    let key = "ab".repeat(32);
    let c = config::load(Some(&file), env_of(&[("PORTAL_SECRET_KEY", &key)])).unwrap();
    assert_eq!(c.secret_key, Some(config::SecretKey(vec![0xab; 32])));
    let shown = format!("{:?}{c:?}", portal_server::check::rows(&c));
    assert!(
        !shown.contains(&key) && !shown.contains("171, 171"),
        "{shown}"
    );
    for (bad, needle) in [
        (
            "[[mail.inbound]]\ninbox = 3\nhost = \"h\"\n",
            "host and user",
        ),
        (
            "[[mail.inbound]]\ninbox = 3\nhost = \"h\"\nuser = \"u\"\npoll_seconds = 1\n",
            "poll_seconds",
        ),
        ("[[mail.inbound]]\nhost = \"h\"\nuser = \"u\"\n", "inbox"),
        ("secret_key = \"abc\"\n", "secret_key"),
        ("secret_key = \"00112233\"\n", "secret_key"),
    ] {
        std::fs::write(&file, bad).unwrap();
        let e = config::load(Some(&file), env_of(&[])).unwrap_err();
        assert!(e.contains(needle), "{bad}: {e}");
    }
}

#[actix_web::test]
async fn build_serves_the_portal_with_the_demo_world_on_an_ephemeral_port() {
    let dir = temp_dir("build");
    let data = dir.to_string_lossy().to_string();
    let cfg = config::load(
        None,
        env_of(&[("PORTAL_LISTEN", "127.0.0.1:0"), ("PORTAL_DATA_DIR", &data)]),
    )
    .unwrap();
    let app = build(&cfg, TcpListener::bind(&cfg.listen).unwrap())
        .await
        .unwrap();
    assert_ne!(app.addr.port(), 0);
    assert_eq!(app.base_url, format!("http://{}", app.addr));
    let demo = app.demo.clone().expect("a demo world in an empty database");
    assert_eq!(demo.tickets, 300);
    assert_eq!(demo.logins.len(), 3);
    let ports = app.ports.clone();
    let addr = app.addr;
    let handle = app.server.handle();
    actix_web::rt::spawn(app.server);
    let (health, _) = tokio::task::spawn_blocking(move || get(addr, "/healthz"))
        .await
        .unwrap();
    assert_eq!(health, 200);
    let (ready, _) = tokio::task::spawn_blocking(move || get(addr, "/readyz"))
        .await
        .unwrap();
    assert_eq!(ready, 200);
    let (login, body) = tokio::task::spawn_blocking(move || get(addr, "/portal/login"))
        .await
        .unwrap();
    assert_eq!(login, 200);
    assert!(body.contains("<title>Log in · Acme Support</title>"));
    let (staff, _) = tokio::task::spawn_blocking(move || get(addr, "/admin/login"))
        .await
        .unwrap();
    assert_eq!(staff, 200);
    // The demo's staff logins: Sam is an admin, Kim an agent.
    let sam = ports
        .staff
        .staff_by_email("sam@support.example")
        .await
        .unwrap()
        .expect("demo admin");
    assert_eq!(sam.role, portal_core::model::StaffRole::Admin);
    let kim = ports
        .staff
        .staff_by_email("kim@support.example")
        .await
        .unwrap()
        .expect("demo agent");
    assert_eq!(kim.role, portal_core::model::StaffRole::Agent);
    // The demo's promise: Anna sees Acme's tickets, Ben only his own.
    let settings = ports.settings.load().await.unwrap();
    let anna = ports
        .directory
        .contact_by_email("anna@acme.example")
        .await
        .unwrap()
        .unwrap();
    let ben = ports
        .directory
        .contact_by_email("ben@acme.example")
        .await
        .unwrap()
        .unwrap();
    let count = |c: &portal_core::model::Contact| {
        Scope::for_viewer(&settings.visibility, c, View::Organization)
    };
    let q = TicketQuery::default();
    let anna_org = ports.tickets.count(&count(&anna), &q).await.unwrap();
    let ben_org = ports.tickets.count(&count(&ben), &q).await.unwrap();
    let ben_own = ports
        .tickets
        .count(
            &Scope::for_viewer(&settings.visibility, &ben, View::Mine),
            &q,
        )
        .await
        .unwrap();
    assert_eq!(anna_org, 240);
    assert_eq!(ben_org, ben_own, "no company access for Ben");
    assert!(ben_own > 0 && ben_own < anna_org);
    // The server's sender delivers the outbox; without SMTP, into {data_dir}/mail.
    let now = ports.clock.now();
    let mail = portal_core::ports::OutgoingMail {
        files: Vec::new(),
        to: "anna@acme.example".into(),
        language: "en".into(),
        template: "login_link".into(),
        vars: [
            ("name".to_string(), "Anna".to_string()),
            ("portal".into(), "Acme".into()),
            ("link".into(), "http://x/l".into()),
        ]
        .into(),
        thread: None,
    };
    let id = ports.outbox.enqueue(mail, now).await.unwrap();
    let eml = delivered(&dir, id).await;
    assert!(
        std::fs::read_to_string(&eml)
            .unwrap()
            .contains("Subject: Your login link for Acme")
    );
    handle.stop(true).await;
    // A second start finds the data and writes no second demo world.
    let again = build(&cfg, TcpListener::bind("127.0.0.1:0").unwrap())
        .await
        .unwrap();
    assert!(again.demo.is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_checks_its_configuration_and_migrates() {
    let dir = temp_dir("cli");
    let bin = env!("CARGO_BIN_EXE_portal");
    let bad = std::process::Command::new(bin)
        .arg("check-config")
        .env("PORTAL_LISTEN", "nowhere")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("listen"));
    let ok = std::process::Command::new(bin)
        .arg("migrate")
        .env("PORTAL_DATA_DIR", &dir)
        .env_remove("PORTAL_DATABASE_URL")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(dir.join("portal.db").exists());
    let check = std::process::Command::new(bin)
        .arg("check-config")
        .env("PORTAL_DATA_DIR", &dir)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("database reachable"));
    // create-admin: a weak password is refused, a good one makes a staff login.
    let weak = std::process::Command::new(bin)
        .args([
            "create-admin",
            "--email",
            "root@support.test",
            "--name",
            "Ro Ot",
        ])
        .env("PORTAL_DATA_DIR", &dir)
        .env("PORTAL_ADMIN_PASSWORD", "short")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
    let admin = std::process::Command::new(bin)
        .args([
            "create-admin",
            "--email",
            "root@support.test",
            "--name",
            "Ro Ot",
        ])
        .env("PORTAL_DATA_DIR", &dir)
        .env("PORTAL_ADMIN_PASSWORD", "a long enough admin password")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        admin.status.success(),
        "{}",
        String::from_utf8_lossy(&admin.stderr)
    );
    assert!(String::from_utf8_lossy(&admin.stdout).contains("root@support.test (admin)"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sso_configuration_is_checked_and_its_secret_never_shown_in_full() {
    let dir = temp_dir("sso-config");
    let file = dir.join("portal.toml");
    let secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    std::fs::write(
        &file,
        format!(
            "[sso]\nallow = \"lists\"\nallow_lists = [\"SSO customers\"]\ncreate_contacts = true\n\n[sso.jwt]\nsecret = \"{secret}\"\nlogin_url = \"https://app.example/login\"\n"
        ),
    )
    .unwrap();
    let c = config::load(Some(&file), env_of(&[])).unwrap();
    let sso = c.sso.as_ref().expect("sso configured");
    assert_eq!(sso.allow.as_deref(), Some("lists"));
    assert_eq!(sso.create_contacts, Some(true));
    assert_eq!(sso.organization_sets_company, None);
    let shown = format!("{c:#?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains("0011…eeff (256 bits)"), "{shown}");
    // The environment alone turns JWT SSO on.
    let env_only = config::load(None, env_of(&[("PORTAL_SSO_JWT_SECRET", secret)])).unwrap();
    assert_eq!(env_only.sso.unwrap().jwt.unwrap().secret, secret);
    for (text, needle) in [
        ("[sso.jwt]\nsecret = \"abcd\"\n", "256 bits"),
        ("[sso.jwt]\nsecret = \"not hex\"\n", "hex"),
        (
            "[sso]\nallow = \"everyone\"\n[sso.jwt]\nsecret = \"abcd\"\n",
            "sso.allow",
        ),
        ("[sso]\nallow = \"lists\"\n", "allow_lists"),
        ("[sso]\ncreate_contacts = true\n", "[sso.saml] or [sso.jwt]"),
        ("[sso.saml]\nidp_initiated = true\n", "idp_metadata"),
        ("[sso.saml]\nidp_metadat = \"x\"\n", "idp_metadat"),
    ] {
        std::fs::write(&file, text).unwrap();
        let e = config::load(Some(&file), env_of(&[])).unwrap_err();
        assert!(e.contains(needle), "{text}: {e}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix_web::test]
async fn build_refuses_saml_metadata_without_a_signing_certificate() {
    let dir = temp_dir("sso-nocert");
    let md = dir.join("idp.xml");
    std::fs::write(
        &md,
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#,
    )
    .unwrap();
    let data = dir.to_string_lossy().to_string();
    let cfg = config::load(
        None,
        env_of(&[
            ("PORTAL_LISTEN", "127.0.0.1:0"),
            ("PORTAL_DATA_DIR", &data),
            ("PORTAL_SSO_SAML_METADATA", md.to_str().unwrap()),
        ]),
    )
    .unwrap();
    let e = build(&cfg, TcpListener::bind(&cfg.listen).unwrap())
        .await
        .err()
        .expect("refused");
    assert!(e.contains("no signing certificate"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One HTTP/1.1 request with a cookie header and an optional form body; returns the status,
/// the `Set-Cookie` pairs and the body.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookies: &str,
    form: Option<&str>,
) -> (u16, Vec<(String, String)>, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = form.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let set: Vec<(String, String)> = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .filter_map(|c| {
            c.split(';')
                .next()?
                .split_once('=')
                .map(|(k, v)| (k.into(), v.into()))
        })
        .collect();
    (status, set, body.to_string())
}

fn csrf_of(body: &str) -> String {
    let at = body.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    body[at..at + 64].to_string()
}

/// Issue 5's proof over a real SMTP conversation: the running server delivers the reset mail
/// to an SMTP server on loopback, and the link in the delivered message works exactly once.
#[actix_web::test]
async fn a_reset_mail_delivered_over_smtp_carries_a_link_that_works_once() {
    let (smtp, received) = portal_testkit::smtp::sink(false);
    let dir = temp_dir("smtp");
    let data = dir.to_string_lossy().to_string();
    let smtp_url = format!("smtp://{smtp}?tls=none");
    let cfg = config::load(
        None,
        env_of(&[
            ("PORTAL_LISTEN", "127.0.0.1:0"),
            ("PORTAL_DATA_DIR", &data),
            ("PORTAL_SMTP_URL", &smtp_url),
        ]),
    )
    .unwrap();
    let app = build(&cfg, TcpListener::bind(&cfg.listen).unwrap())
        .await
        .unwrap();
    let addr = app.addr;
    let handle = app.server.handle();
    actix_web::rt::spawn(app.server);
    let (status, set, body) =
        tokio::task::spawn_blocking(move || http(addr, "GET", "/portal/reset", "", None))
            .await
            .unwrap();
    assert_eq!(status, 200);
    let cookies: String = set
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let form = format!("email=anna%40acme.example&csrf={}", csrf_of(&body));
    let c2 = cookies.clone();
    let (status, _, _) =
        tokio::task::spawn_blocking(move || http(addr, "POST", "/portal/reset", &c2, Some(&form)))
            .await
            .unwrap();
    assert_eq!(status, 200);
    // The sender runs every two seconds.
    let mut mail = None;
    for _ in 0..100 {
        if let Some(m) = received.lock().unwrap().first().cloned() {
            mail = Some(m);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mail = mail.expect("the reset mail reached the SMTP server");
    assert_eq!(mail.to, vec!["<anna@acme.example>".to_string()]);
    assert!(
        mail.data
            .contains("Subject: Reset your password for Acme Support"),
        "{}",
        mail.data
    );
    // Long lines arrive quoted-printable: join the soft line breaks.
    let text = mail.data.replace("=\r\n", "");
    let prefix = format!("{}/portal/reset/", app.base_url);
    let at = text
        .find(&prefix)
        .expect("a link from the configured address")
        + prefix.len();
    let token: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64);
    // The link works once.
    let path = format!("/portal/reset/{token}");
    let p2 = path.clone();
    let c3 = cookies.clone();
    let (status, _, page) = tokio::task::spawn_blocking(move || http(addr, "GET", &p2, &c3, None))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let form = format!("password=a+brand+new+passphrase&csrf={}", csrf_of(&page));
    let (p3, c4, f2) = (path.clone(), cookies.clone(), form.clone());
    let (first, _, _) =
        tokio::task::spawn_blocking(move || http(addr, "POST", &p3, &c4, Some(&f2)))
            .await
            .unwrap();
    assert_eq!(first, 303, "the first use sets the password");
    let (p4, c5) = (path.clone(), cookies.clone());
    let (second, _, _) =
        tokio::task::spawn_blocking(move || http(addr, "POST", &p4, &c5, Some(&form)))
            .await
            .unwrap();
    assert_ne!(second, 303, "a second use is refused");
    assert!((400..500).contains(&second));
    handle.stop(false).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix_web::test]
async fn u3_portal_import_loads_the_good_rows_and_reports_each_rejected_one() {
    let dir = temp_dir("import");
    let bin = env!("CARGO_BIN_EXE_portal");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .env("PORTAL_DATA_DIR", &dir)
            .env_remove("PORTAL_DATABASE_URL")
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    assert!(run(&["demo"]).status.success());
    std::fs::write(
        dir.join("companies.csv"),
        "name,domain\nInitech,initech.test\nAcme Corporation,acme.example\n,nameless.test\nBad Domain,-x-\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("contacts.csv"),
        "email,first_name,last_name,company,language,portal_role\n\
         peter@initech.test,Peter,Gibbons,Initech,en,member\n\
         milton@initech.test,Milton,\"Waddams, Jr.\",initech.test,de,\n\
         not-an-email,X,Y,,,\n\
         samir@initech.test,Samir,N,Nowhere Inc,,\n\
         ANNA@acme.example,Anna,Again,,,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("tickets.csv"),
        "subject,body,requester_email,inbox,stage,created_at,priority\n\
         Stapler missing,\"Have you seen my stapler?\n\nIt's <red>.\",milton@initech.test,,,2026-10-01,high\n\
         TPS reports,Cover sheets,peter@initech.test,No Such Inbox,,,\n\
         Old one,Body,peter@initech.test,,,2026-13-40,\n",
    )
    .unwrap();
    // A wrong header stops the import before any row of it is written.
    std::fs::write(dir.join("bad.csv"), "email,shoe_size\nx@y.test,42\n").unwrap();
    let bad = run(&["import", "--contacts", "bad.csv"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("shoe_size"));
    let out = run(&[
        "import",
        "--tickets",
        "tickets.csv",
        "--companies",
        "companies.csv",
        "--contacts",
        "contacts.csv",
        "--report",
        "rejected.csv",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "rows were rejected: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("companies: 1 created"), "{stdout}");
    assert!(stdout.contains("companies: 1 existed already"), "{stdout}");
    assert!(stdout.contains("contacts: 2 created"), "{stdout}");
    assert!(stdout.contains("tickets: 1 created"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("contacts") && stderr.contains("(100%)"),
        "a progress bar: {stderr}"
    );
    // Every rejected row in full, with its reason.
    let mut report = csv::Reader::from_path(dir.join("rejected.csv")).unwrap();
    assert_eq!(
        report.headers().unwrap(),
        vec!["file", "line", "field", "reason", "row"]
    );
    let rows: Vec<Vec<String>> = report
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["companies", "4", "name", "required", ",nameless.test"],
            [
                "companies",
                "5",
                "domain",
                "invalid domain",
                "Bad Domain,-x-"
            ],
            [
                "contacts",
                "4",
                "email",
                "invalid email",
                "not-an-email,X,Y,,,"
            ],
            [
                "contacts",
                "5",
                "company",
                "no company has the name or domain `Nowhere Inc`",
                "samir@initech.test,Samir,N,Nowhere Inc,,"
            ],
            [
                "contacts",
                "6",
                "email",
                "taken",
                "ANNA@acme.example,Anna,Again,,,"
            ],
            [
                "tickets",
                "5",
                "inbox",
                "unknown inbox",
                "TPS reports,Cover sheets,peter@initech.test,No Such Inbox,,,"
            ],
            [
                "tickets",
                "6",
                "created_at",
                "invalid date",
                "Old one,Body,peter@initech.test,,,2026-13-40,"
            ],
        ]
        .map(|r| r.map(str::to_string).to_vec())
        .to_vec()
    );
    // What landed, as the portal sees it.
    let cfg = config::load(None, env_of(&[("PORTAL_DATA_DIR", &dir.to_string_lossy())])).unwrap();
    let store = portal_server::open_store(&cfg).await.unwrap();
    let ports = portal_server::system_ports(&store);
    let milton = ports
        .directory
        .contact_by_email("milton@initech.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(milton.last_name, "Waddams, Jr.");
    assert_eq!(milton.language.as_deref(), Some("de"));
    let initech = ports
        .directory
        .company(milton.primary_company.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(initech.name, "Initech");
    let scope = Scope {
        contact: milton.id,
        companies: milton.primary_company.into_iter().collect(),
        ticket_filter: None,
        shared_only: false,
    };
    let page = ports
        .tickets
        .list(
            &scope,
            &TicketQuery {
                view: View::Organization,
                limit: 10,
                ..TicketQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.tickets.len(), 1);
    let t = &page.tickets[0];
    assert_eq!(t.subject, "Stapler missing");
    assert_eq!(portal_core::filter::date_text(t.created_at), "2026-10-01");
    let threads = ports.tickets.threads(t.id).await.unwrap();
    assert_eq!(
        threads[0].messages[0].body,
        "<p>Have you seen my stapler?</p><p>It's &lt;red&gt;.</p>"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_logs_have_one_object_per_line_and_one_line_per_request_with_its_id() {
    let dir = temp_dir("jsonlog");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env("PORTAL_DATA_DIR", &dir)
        .env_remove("PORTAL_DATABASE_URL")
        .env("PORTAL_LISTEN", addr.to_string())
        .env("PORTAL_DEMO", "off")
        .env("PORTAL_LOG_FORMAT", "json")
        .env_remove("PORTAL_LOG")
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = false;
    for _ in 0..100 {
        if TcpStream::connect(addr).is_ok() && get(addr, "/readyz").0 == 200 {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, answer) = get(addr, "/healthz");
    let _ = server.kill();
    let out = server.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ready, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(status, 200);
    let id = answer
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .expect("a request id on the answer")
        .trim()
        .to_string();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(!log.contains('\u{1b}'), "no ANSI escapes off a terminal");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let request = lines
        .iter()
        .find(|l| l["fields"]["route"] == "/healthz")
        .expect("a line for the request");
    assert_eq!(request["target"], "portal::request");
    assert_eq!(request["fields"]["status"], 200);
    assert_eq!(request["fields"]["method"], "GET");
    assert_eq!(request["fields"]["id"], id.as_str());
}

#[test]
fn boolean_settings_take_the_usual_spellings_and_refuse_others() {
    for (v, want) in [
        ("TRUE", true),
        ("on", true),
        ("1", true),
        ("No", false),
        ("off", false),
    ] {
        let c = config::load(None, env_of(&[("PORTAL_DEMO", v)])).unwrap();
        assert_eq!(c.demo, want, "{v}");
    }
    let e = config::load(None, env_of(&[("PORTAL_DEMO", "maybe")])).unwrap_err();
    assert!(e.contains("PORTAL_DEMO"), "{e}");
    let e = config::load(None, env_of(&[("PORTAL_LOG_FORMAT", "xml")])).unwrap_err();
    assert!(e.contains("log_format"), "{e}");
}

#[test]
fn check_config_is_read_only_and_prints_no_secret() {
    let dir = temp_dir("checkro");
    let bin = env!("CARGO_BIN_EXE_portal");
    let run = |args: &[&str], extra: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(bin);
        cmd.args(args)
            .env("PORTAL_DATA_DIR", dir.join("data"))
            .env_remove("PORTAL_DATABASE_URL")
            .env_remove("PORTAL_SMTP_URL")
            .current_dir(&dir);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    // Checking a new installation creates nothing.
    let smtp = [(
        "PORTAL_SMTP_URL",
        "smtp://mailer:hunter2@smtp.example.com:587",
    )];
    let (ok, text) = run(&["check-config"], &smtp);
    assert!(ok, "{text}");
    assert!(text.contains("no database yet"), "{text}");
    assert!(
        text.contains("smtp://mailer:***@smtp.example.com:587"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
    assert!(
        !dir.join("data").exists(),
        "check-config created the data directory"
    );
    let (ok, text) = run(&["migrate", "--status"], &[]);
    assert!(ok, "{text}");
    assert!(text.contains("pending  2026-11-21-000001_init"), "{text}");
    assert!(!dir.join("data").exists());
    // JSON for scripts.
    let (ok, text) = run(&["check-config", "--json"], &smtp);
    assert!(ok, "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["database"]["exists"], false);
    assert!(!text.contains("hunter2"));
    // A database password never shows, not even in an error.
    let (ok, text) = run(
        &["check-config"],
        &[(
            "PORTAL_DATABASE_URL",
            "postgres://portal:hunter2@127.0.0.1:1/portal",
        )],
    );
    assert!(!ok);
    assert!(!text.contains("hunter2"), "{text}");
    // After `migrate`, nothing is pending and the portal is reported.
    let (ok, text) = run(&["migrate"], &[]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["migrate", "--status"], &[]);
    assert!(ok && !text.contains("pending"), "{text}");
    let (ok, text) = run(&["check-config"], &[]);
    assert!(ok && text.contains("database reachable; portal"), "{text}");
    assert!(
        text.contains("ok       mail: from Customer portal"),
        "{text}"
    );
    // Mail and SSO settings are checked; a problem fails the command and names the setting.
    let (ok, text) = run(&["check-config"], &[("PORTAL_MAIL_FROM", "not an address")]);
    assert!(!ok);
    assert!(
        text.contains("PROBLEM  mail: mail from `not an address`"),
        "{text}"
    );
    let metadata = |cert: &str| {
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.test/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
        )
    };
    let md = dir.join("idp.xml");
    std::fs::write(&md, metadata("Z2FyYmFnZSwgbm90IGEgY2VydGlmaWNhdGU=")).unwrap();
    let md_path = md.to_string_lossy().to_string();
    let (ok, text) = run(&["check-config"], &[("PORTAL_SSO_SAML_METADATA", &md_path)]);
    assert!(!ok);
    assert!(
        text.contains("PROBLEM  sso.saml") && text.contains("cannot be read"),
        "{text}"
    );
    // A certificate valid in 2020 only.
    std::fs::write(&md, metadata("MIIBKTCBz6ADAgECAgEHMAoGCCqGSM49BAMCMB4xHDAaBgNVBAMME2V4cGlyZWQtaWRwLmV4YW1wbGUwHhcNMjAwMTAxMDAwMDAwWhcNMjEwMTAxMDAwMDAwWjAeMRwwGgYDVQQDDBNleHBpcmVkLWlkcC5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE/J2Md/72zo/I5EQAyh95PCSofh+fYwSJJaB4fjpc0Qjac/Hyl5XciBsbXm6IdPVb3eUlHOgcMd5PvB1edBs8uTAKBggqhkjOPQQDAgNJADBGAiEAwV53r4c06GTeUpeiFJkvolgBXUo0o0Akc8ZcxHDEIxsCIQDIYUnbPzmzt5E+bgXM30d1jeSFPTp550Jx6x0ROTUIqw==")).unwrap();
    let (ok, text) = run(
        &["check-config", "--json"],
        &[("PORTAL_SSO_SAML_METADATA", &md_path)],
    );
    assert!(!ok);
    let json = text
        .lines()
        .take_while(|l| !l.starts_with("portal:"))
        .collect::<Vec<_>>()
        .join("\n");
    let doc: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(doc["checks"]["sso.saml"]["ok"], false);
    assert!(
        doc["checks"]["sso.saml"]["problem"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{text}"
    );
    assert_eq!(doc["checks"]["mail"]["ok"], true);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `portal serve` child on a free loopback port with these settings, once it is ready.
fn spawn_server(dir: &std::path::Path, envs: &[(&str, &str)]) -> (std::process::Child, SocketAddr) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    // The log goes beside, not into, the data directory (which a test may fill up); it is
    // unlinked once the server is up (the server keeps writing to it until it exits).
    let log = std::env::temp_dir().join(format!("portal-server-log-{}-{port}", std::process::id()));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_portal"));
    cmd.arg("serve")
        .env("PORTAL_DATA_DIR", dir)
        .env_remove("PORTAL_DATABASE_URL")
        .env_remove("PORTAL_METRICS_TOKEN")
        .env("PORTAL_LISTEN", addr.to_string())
        .env("PORTAL_LOG", "warn")
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    for _ in 0..300 {
        if TcpStream::connect(addr).is_ok() && get(addr, "/healthz").0 == 200 {
            let _ = std::fs::remove_file(&log);
            return (child, addr);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    panic!("the server did not start: {text}");
}

fn get_with(addr: SocketAddr, path: &str, header: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{header}\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// The value of the series `name` with exactly these labels in a Prometheus text answer.
fn series(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn ops_metrics_count_requests_logins_pool_and_outbox_behind_the_token() {
    let dir = temp_dir("metrics");
    let (mut server, addr) = spawn_server(&dir, &[("PORTAL_METRICS_TOKEN", "scrape-me-2026")]);
    let result = std::panic::catch_unwind(|| {
        let (status, set, page) = http(addr, "GET", "/portal/login", "", None);
        assert_eq!(status, 200);
        let cookie = set
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let csrf = csrf_of(&page);
        assert_eq!(http(addr, "GET", "/portal/login", &cookie, None).0, 200);
        assert_eq!(http(addr, "GET", "/portal/login", &cookie, None).0, 200);
        let bad = format!("csrf={csrf}&email=anna%40acme.example&password=wrong");
        assert_eq!(
            http(addr, "POST", "/portal/login", &cookie, Some(&bad)).0,
            401
        );
        let good = format!("csrf={csrf}&email=anna%40acme.example&password=portal-demo-2026");
        assert_eq!(
            http(addr, "POST", "/portal/login", &cookie, Some(&good)).0,
            303
        );
        // A mail that is no mail, piped in: on hold, counted by the next scrape.
        let mut pipe = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(["mail-in", "--inbox", "1"])
            .env("PORTAL_DATA_DIR", &dir)
            .env_remove("PORTAL_DATABASE_URL")
            .current_dir(&dir)
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        pipe.stdin
            .take()
            .unwrap()
            .write_all(b"\x01 not a mail")
            .unwrap();
        let piped = pipe.wait_with_output().unwrap();
        assert!(
            piped.status.success(),
            "{}",
            String::from_utf8_lossy(&piped.stderr)
        );
        // Without the token, or with another one: 401 asking for a bearer token.
        let (status, answer) = get(addr, "/metrics");
        assert_eq!(status, 401);
        assert!(answer.to_lowercase().contains("www-authenticate: bearer"));
        assert_eq!(
            get_with(addr, "/metrics", "Authorization: Bearer nope").0,
            401
        );
        let (status, text) = get_with(addr, "/metrics", "Authorization: Bearer scrape-me-2026");
        assert_eq!(status, 200, "{text}");
        let get_login =
            r#"portal_http_requests_total{route="/{slug}/login",method="GET",status="200"}"#;
        assert!(series(&text, get_login).unwrap_or(0.0) >= 3.0, "{text}");
        assert_eq!(
            series(
                &text,
                r#"portal_logins_total{surface="portal",result="ok"}"#
            ),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            series(
                &text,
                r#"portal_logins_total{surface="portal",result="refused"}"#
            ),
            Some(1.0),
            "{text}"
        );
        assert!(
            text.contains(
                r#"portal_http_request_duration_seconds_bucket{route="/{slug}/login",le="0.005"}"#
            ),
            "{text}"
        );
        assert_eq!(series(&text, "portal_db_pool_max"), Some(8.0), "{text}");
        assert!(
            series(&text, r#"portal_db_pool_connections{state="idle"}"#).is_some(),
            "{text}"
        );
        assert_eq!(series(&text, "portal_db_pool_waiting"), Some(0.0), "{text}");
        assert!(series(&text, "portal_outbox_queued").is_some(), "{text}");
        assert_eq!(series(&text, "portal_database_up"), Some(1.0), "{text}");
        assert_eq!(series(&text, "portal_mail_in_on_hold"), Some(1.0), "{text}");
        assert_eq!(series(&text, "portal_mail_in_pending"), Some(0.0), "{text}");
        // The token never appears in what the server answers.
        assert!(!text.contains("scrape-me-2026"));
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn ops_a_body_that_stalls_is_cut_off_with_408_and_other_clients_are_served() {
    let dir = temp_dir("slowbody");
    let (mut server, addr) = spawn_server(&dir, &[("PORTAL_DEMO", "off")]);
    let result = std::panic::catch_unwind(|| {
        let started = std::time::Instant::now();
        let mut slow = TcpStream::connect(addr).unwrap();
        slow.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        write!(
            slow,
            "POST /admin/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a%40"
        )
        .unwrap();
        // Meanwhile other clients are served at once.
        for _ in 0..5 {
            assert_eq!(get(addr, "/healthz").0, 200);
        }
        let mut out = String::new();
        let _ = slow.read_to_string(&mut out);
        let took = started.elapsed();
        assert!(out.starts_with("HTTP/1.1 408"), "{out}");
        assert!(out.to_lowercase().contains("x-request-id:"), "{out}");
        assert!(
            took >= portal_http::observe::BODY_IDLE && took < std::time::Duration::from_secs(15),
            "{took:?}"
        );
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// Sends `raw` as is and reads the answer until the server closes the connection.
fn raw_exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn rule21_answers_actix_makes_itself_carry_the_headers_or_are_empty_and_close() {
    let dir = temp_dir("actix-answers");
    let (mut server, addr) = spawn_server(&dir, &[("PORTAL_DEMO", "off")]);
    let result = std::panic::catch_unwind(|| {
        // Answers the framework writes inside the application: a method a route does not
        // serve, a form over its limit, JSON that does not parse, an unknown address.
        let form = "POST /portal/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n";
        let json = "POST /api/v1/companies HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{{{";
        for (what, raw, status) in [
            (
                "DELETE",
                "DELETE /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .to_string(),
                "40",
            ),
            ("stalled form", form.to_string(), "408"),
            ("bad JSON", json.to_string(), "40"),
            (
                "unknown",
                "GET /x/y/z HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".to_string(),
                "404",
            ),
        ] {
            let out = raw_exchange(addr, raw.as_bytes());
            let head = out.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
            assert!(
                head.starts_with(&format!("http/1.1 {status}")),
                "{what}: {head}"
            );
            for h in [
                "content-security-policy: default-src 'self'",
                "x-content-type-options: nosniff",
                "x-frame-options: deny",
                "referrer-policy:",
            ] {
                assert!(head.contains(h), "{what} lacks {h}: {head}");
            }
        }
        // Answers the HTTP/1 dispatcher writes before any application code runs (a request
        // line that does not parse): no hook adds headers there, so
        // they must carry nothing a browser could render or frame, and end the connection.
        {
            let (what, raw, status) = ("garbage", "NOT HTTP AT ALL\r\n\r\n", "400");
            let out = raw_exchange(addr, raw.as_bytes());
            let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
            let head = head.to_lowercase();
            assert!(
                head.starts_with(&format!("http/1.1 {status}")),
                "{what}: {head}"
            );
            assert!(head.contains("content-length: 0"), "{what}: {head}");
            assert!(body.is_empty(), "{what}: {body:?}");
            assert!(!head.contains("content-type"), "{what}: {head}");
        }
        // The server is unaffected.
        assert_eq!(get(addr, "/healthz").0, 200);
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn ops_the_server_runs_with_the_allocator_setting_that_returns_memory() {
    let dir = temp_dir("allocator");
    let (mut server, _) = spawn_server(&dir, &[("PORTAL_DEMO", "off")]);
    let environ = std::fs::read(format!("/proc/{}/environ", server.id())).unwrap_or_default();
    std::fs::create_dir_all(dir.join("own")).unwrap();
    let (mut own, _) = spawn_server(
        &dir.join("own"),
        &[("PORTAL_DEMO", "off"), ("GLIBC_TUNABLES", "")],
    );
    let own_environ = std::fs::read(format!("/proc/{}/environ", own.id())).unwrap_or_default();
    for s in [&mut server, &mut own] {
        let _ = s.kill();
        let _ = s.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
    let vars = |e: &[u8]| -> Vec<String> {
        e.split(|b| *b == 0)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect()
    };
    assert!(
        vars(&environ).contains(&"GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072".to_string()),
        "{:?}",
        vars(&environ)
    );
    // An operator's own setting, even empty, is kept.
    assert!(vars(&own_environ).contains(&"GLIBC_TUNABLES=".to_string()));
}

#[actix_web::test]
async fn n1_a_sixth_language_in_the_catalogue_directory_reaches_pages_and_mails_without_a_rebuild()
{
    let dir = temp_dir("catalogues");
    let catalogues = dir.join("catalogues");
    std::fs::create_dir_all(catalogues.join("sv")).unwrap();
    std::fs::write(
        catalogues.join("sv/portal.ftl"),
        "lang-name = Svenska\nlogin-title = Logga in\n",
    )
    .unwrap();
    std::fs::write(
        catalogues.join("sv/mail.ftl"),
        "login_link-subject = Din inloggningslänk till { $portal }\n\
         login_link-body =\n    Hej { $name },\n\n    logga in här: { $link }\n",
    )
    .unwrap();
    let (data, cats) = (dir.to_string_lossy(), catalogues.to_string_lossy());
    let env = [
        ("PORTAL_LISTEN", "127.0.0.1:0"),
        ("PORTAL_DATA_DIR", data.as_ref()),
        ("PORTAL_CATALOGUE_DIR", cats.as_ref()),
    ];
    let cfg = config::load(None, env_of(&env)).unwrap();
    let shown = format!("{:?}", portal_server::check::rows(&cfg));
    assert!(
        shown.contains("languages: en, de, nl, da, fi, sv"),
        "{shown}"
    );
    let app = build(&cfg, TcpListener::bind(&cfg.listen).unwrap())
        .await
        .unwrap();
    let (ports, addr, handle) = (app.ports.clone(), app.addr, app.server.handle());
    actix_web::rt::spawn(app.server);
    let (status, body) = tokio::task::spawn_blocking(move || {
        get_with(addr, "/portal/login", "Accept-Language: sv-SE,sv;q=0.9")
    })
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"sv\">"), "{body}");
    assert!(body.contains("<option value=\"sv\" selected>Svenska</option>"));
    assert!(body.contains("Logga in"));
    // The mails read the same catalogues.
    let mail = portal_core::ports::OutgoingMail {
        files: Vec::new(),
        to: "anna@acme.example".into(),
        language: "sv".into(),
        template: "login_link".into(),
        vars: [
            ("name".to_string(), "Anna".to_string()),
            ("portal".into(), "Acme".into()),
            ("link".into(), "http://x/l".into()),
        ]
        .into(),
        thread: None,
    };
    let id = ports.outbox.enqueue(mail, ports.clock.now()).await.unwrap();
    let eml = delivered(&dir, id).await;
    let text = std::fs::read_to_string(&eml).unwrap();
    assert!(text.contains("Hej Anna"), "{text}");
    handle.stop(true).await;
    // A broken catalogue stops the server before it starts, naming the file and line.
    std::fs::write(
        catalogues.join("sv/portal.ftl"),
        "lang-name = Svenska\nbad = { $n\n",
    )
    .unwrap();
    let e = config::load(None, env_of(&env)).unwrap_err();
    assert!(e.contains("sv/portal.ftl, line 2"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
