//! Storage faults over a real server (issue 16): a SQLite disk that fills up, a PostgreSQL
//! server that stops mid-load and one that turns read-only. Each gives 503 + `Retry-After`
//! (never 500) within about a second, `/readyz` 503 within a second, recovery without a
//! restart, and no accepted write lost.
//!
//! They need root (a tmpfs mount; `runuser` for a throwaway PostgreSQL cluster on its own
//! port, never the shared server) and clean up after themselves.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::cluster::Cluster;
use super::{csrf_of, get, http, spawn_server, temp_dir};

/// A tmpfs of `megabytes` mounted at a directory; unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, megabytes: u32) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m")])
            .arg("tmpfs")
            .arg(dir)
            .output()
            .expect("mount runs");
        assert!(
            out.status.success(),
            "mounting a tmpfs needs root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Logs a demo customer in; returns the cookie header.
pub(super) fn login(addr: SocketAddr, email: &str) -> String {
    let (status, set, page) = http(addr, "GET", "/portal/login", "", None);
    assert_eq!(status, 200, "{page}");
    let mut jar: Vec<(String, String)> = set;
    let cookie = |jar: &[(String, String)]| {
        jar.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let form = format!(
        "csrf={}&email={}&password={}",
        csrf_of(&page),
        email.replace('@', "%40"),
        portal_server::demo::DEMO_PASSWORD
    );
    let (status, set, body) = http(addr, "POST", "/portal/login", &cookie(&jar), Some(&form));
    assert_eq!(status, 303, "{body}");
    for (k, v) in set {
        jar.retain(|(n, _)| *n != k);
        jar.push((k, v));
    }
    cookie(&jar)
}

/// The ticket ids linked from the first page of the customer's list.
pub(super) fn ticket_ids(addr: SocketAddr, cookie: &str) -> Vec<i64> {
    let (status, _, page) = http(addr, "GET", "/portal/tickets", cookie, None);
    assert_eq!(status, 200);
    let mut ids = Vec::new();
    for part in page.split("/portal/tickets/").skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse::<i64>()
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// Posts a reply (text and an optional `notes.txt` attachment); returns the status and the
/// answer's head.
pub(super) fn reply(
    addr: SocketAddr,
    (cookie, csrf): (&str, &str),
    id: i64,
    text: &str,
    attachment: Option<&[u8]>,
) -> (u16, String) {
    let boundary = "----portal-fault-test";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("body", text)] {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    if let Some(bytes) = attachment {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "POST /portal/tickets/{id}/reply HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).to_string();
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let head = out.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
    (status, head)
}

fn has_retry_after(head: &str) -> bool {
    head.lines().any(|l| l.starts_with("retry-after:"))
}

/// `/readyz`: status, answer and how long it took.
fn readyz(addr: SocketAddr) -> (u16, String, Duration) {
    let at = Instant::now();
    let (status, text) = get(addr, "/readyz");
    (status, text, at.elapsed())
}

/// Polls `/readyz` until it says `want` (at most `within`).
fn wait_ready(addr: SocketAddr, want: u16, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if readyz(addr).0 == want {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

/// Letters that do not compress, so every attachment costs its size on disk.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b'a' + (x % 26) as u8
        })
        .collect()
}

/// A ticket of the customer's that takes replies, and the session's CSRF token.
pub(super) fn repliable(addr: SocketAddr, cookie: &str) -> (i64, String) {
    for id in ticket_ids(addr, cookie) {
        let csrf = csrf_of(&ticket_page(addr, cookie, id));
        if reply(addr, (cookie, &csrf), id, "warm-up reply", None).0 == 303 {
            return (id, csrf);
        }
    }
    panic!("no ticket on the first page takes a reply");
}

fn ticket_page(addr: SocketAddr, cookie: &str, id: i64) -> String {
    let (status, _, page) = http(addr, "GET", &format!("/portal/tickets/{id}"), cookie, None);
    assert_eq!(status, 200);
    page
}

#[test]
fn ops_sqlite_on_a_full_disk_answers_503_then_recovers_without_losing_a_write() {
    let dir = temp_dir("diskfull");
    let mnt = dir.join("mnt");
    let disk = Tmpfs::mount(&mnt, 24);
    let (mut server, addr) = spawn_server(&mnt, &[]);
    let result = std::panic::catch_unwind(|| {
        let cookie = login(addr, "anna@acme.example");
        let (id, csrf) = repliable(addr, &cookie);
        let session = (cookie.as_str(), csrf.as_str());
        assert_eq!(readyz(addr).0, 200);
        // Fill the disk.
        let filler = mnt.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![7u8; 256 * 1024];
        while f.write_all(&chunk).is_ok() {}
        drop(f);
        let (status, text, took) = readyz(addr);
        assert_eq!(status, 503, "{text}");
        assert!(text.contains("full"), "{text}");
        assert!(has_retry_after(&text.to_lowercase()), "{text}");
        assert!(took < Duration::from_secs(1), "{took:?}");
        // Replies with 1 MiB attachments: each is taken (303) or refused with 503 and
        // Retry-After, never a 500.
        let mut accepted = Vec::new();
        let mut refused = 0;
        for i in 0..24 {
            let marker = format!("full-disk-marker-{i}-end");
            let (status, head) = reply(addr, session, id, &marker, Some(&noise(1 << 20, i)));
            match status {
                303 => accepted.push(marker),
                503 => {
                    assert!(has_retry_after(&head), "{head}");
                    refused += 1;
                }
                other => panic!("reply {i} on a full disk answered {other}: {head}"),
            }
        }
        assert!(refused > 0, "a full disk refused no write");
        // Room again: ready without a restart, and writes are taken.
        std::fs::remove_file(&filler).unwrap();
        assert!(
            wait_ready(addr, 200, Duration::from_secs(5)),
            "not ready again"
        );
        let (status, head) = reply(addr, session, id, "after-the-disk-was-freed", None);
        assert_eq!(status, 303, "{head}");
        accepted.push("after-the-disk-was-freed".into());
        let page = ticket_page(addr, &cookie, id);
        for m in &accepted {
            assert!(page.contains(m.as_str()), "accepted reply {m} is missing");
        }
    });
    let _ = server.kill();
    let _ = server.wait();
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// A throwaway PostgreSQL cluster on its own port, owned by the `postgres` user; stopped and
/// removed when dropped.
#[test]
fn ops_postgresql_stopped_mid_load_or_read_only_answers_503_then_recovers_without_losing_a_write() {
    let cluster = Cluster::start("fault");
    cluster.psql("CREATE DATABASE portal_fault");
    let dir = temp_dir("pgfault");
    let url = cluster.url("portal_fault");
    let (mut server, addr) = spawn_server(&dir, &[("PORTAL_DATABASE_URL", &url)]);
    let result = std::panic::catch_unwind(|| {
        let cookie = login(addr, "anna@acme.example");
        let (id, csrf) = repliable(addr, &cookie);
        let session = (cookie.as_str(), csrf.as_str());
        // Replies from another thread all along; the database stops in the middle.
        let (load_cookie, load_csrf) = (cookie.clone(), csrf.clone());
        let load = std::thread::spawn(move || {
            let mut outcomes = Vec::new();
            for i in 0..60 {
                let marker = format!("pg-load-marker-{i}-end");
                let at = Instant::now();
                let (status, head) = reply(addr, (&load_cookie, &load_csrf), id, &marker, None);
                outcomes.push((marker, status, has_retry_after(&head), at.elapsed(), head));
                std::thread::sleep(Duration::from_millis(50));
            }
            outcomes
        });
        std::thread::sleep(Duration::from_millis(600));
        cluster.ctl("stop");
        let (status, text, took) = readyz(addr);
        assert_eq!(status, 503, "{text}");
        assert!(has_retry_after(&text.to_lowercase()), "{text}");
        assert!(took < Duration::from_millis(1500), "readyz took {took:?}");
        std::thread::sleep(Duration::from_millis(1500));
        cluster.ctl("start");
        let outcomes = load.join().unwrap();
        assert!(
            wait_ready(addr, 200, Duration::from_secs(10)),
            "not ready again"
        );
        let mut refused = 0;
        for (marker, status, retry_after, took, head) in &outcomes {
            match status {
                303 => {}
                503 => {
                    assert!(retry_after, "{marker}: 503 without Retry-After: {head}");
                    assert!(
                        *took < Duration::from_millis(2500),
                        "{marker}: 503 after {took:?}"
                    );
                    refused += 1;
                }
                other => panic!("{marker}: {other} while the database was stopped"),
            }
        }
        assert!(refused > 0, "no reply met the stopped database");
        // Read-only: new sessions may not write (as on a standby).
        cluster.psql("ALTER DATABASE portal_fault SET default_transaction_read_only = on");
        cluster.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'portal_fault'",
        );
        let (status, text, took) = readyz(addr);
        assert_eq!(status, 503, "{text}");
        assert!(took < Duration::from_secs(1), "{took:?}");
        let (status, head) = reply(addr, session, id, "while-read-only", None);
        assert_eq!(status, 503, "{head}");
        assert!(has_retry_after(&head));
        cluster.psql("ALTER DATABASE portal_fault SET default_transaction_read_only = off");
        cluster.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'portal_fault'",
        );
        assert!(
            wait_ready(addr, 200, Duration::from_secs(10)),
            "not writable again"
        );
        let (status, head) = reply(addr, session, id, "after-read-only", None);
        assert_eq!(status, 303, "{head}");
        // Every accepted write is there.
        let page = ticket_page(addr, &cookie, id);
        for (marker, status, _, _, _) in &outcomes {
            if *status == 303 {
                assert!(
                    page.contains(marker.as_str()),
                    "accepted reply {marker} is missing"
                );
            }
        }
        assert!(page.contains("after-read-only"));
        assert!(!page.contains("while-read-only"));
    });
    let _ = server.kill();
    let _ = server.wait();
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// What the server answers to text with control characters, per input kind.
fn control_character_answers(addr: SocketAddr) -> Vec<(&'static str, u16)> {
    let cookie = login(addr, "anna@acme.example");
    let (id, csrf) = repliable(addr, &cookie);
    let mut out = Vec::new();
    let (status, _, _) = http(addr, "GET", "/portal/tickets?q=printer%00", &cookie, None);
    out.push(("list filter", status));
    let (status, _, _) = http(
        addr,
        "GET",
        "/portal/tickets/export.csv?q=%00",
        &cookie,
        None,
    );
    out.push(("export", status));
    let (status, _) = reply(addr, (&cookie, &csrf), id, "nul\0reply", None);
    out.push(("reply", status));
    let (status, _, page) = http(addr, "GET", "/portal/login", "", None);
    assert_eq!(status, 200);
    let form = format!(
        "csrf={}&email=anna%00%40acme.example&password=x",
        csrf_of(&page)
    );
    let (status, _, _) = http(addr, "POST", "/portal/login", "", Some(&form));
    out.push(("login", status));
    let page = ticket_page(addr, &cookie, id);
    assert!(!page.contains("nul\0reply") && !page.contains("nulreply"));
    out
}

#[test]
fn ops_control_characters_are_refused_alike_on_sqlite_and_postgresql() {
    let pg_admin = std::env::var("PORTAL_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let db = format!("portal_ctl_{}", std::process::id());
    let psql = |sql: &str| {
        Command::new("psql")
            .arg(&pg_admin)
            .args(["-qtAc", sql])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    assert!(
        psql(&format!("CREATE DATABASE {db}")),
        "PostgreSQL at {pg_admin}"
    );
    let pg_url = match pg_admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db}"),
        None => panic!("PORTAL_TEST_PG_URL names no database"),
    };
    let mut answers = Vec::new();
    for url in [None, Some(pg_url.as_str())] {
        let dir = temp_dir(if url.is_some() {
            "ctl-pg"
        } else {
            "ctl-sqlite"
        });
        let envs: Vec<(&str, &str)> = url
            .map(|u| ("PORTAL_DATABASE_URL", u))
            .into_iter()
            .collect();
        let (mut server, addr) = spawn_server(&dir, &envs);
        let result = std::panic::catch_unwind(|| control_character_answers(addr));
        let _ = server.kill();
        let _ = server.wait();
        let _ = std::fs::remove_dir_all(&dir);
        match result {
            Ok(a) => answers.push(a),
            Err(e) => {
                psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
                std::panic::resume_unwind(e);
            }
        }
    }
    assert!(psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")));
    assert_eq!(answers[0], answers[1], "SQLite and PostgreSQL answer alike");
    for (what, status) in &answers[0] {
        assert_eq!(*status, 422, "{what}");
    }
}
