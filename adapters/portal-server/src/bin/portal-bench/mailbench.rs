//! `portal bench --mail N`: how fast mail comes in (docs/PERFORMANCE.md, issue 17).
//!
//! On a fresh SQLite database with the demo world: N mails (half new tickets from known
//! contacts, half answers with a thread token, each with a 6 KiB attachment) through the
//! mail-in use case in one process (what the IMAP poller does after fetching), then through
//! `portal mail-in` one process per mail (what a mail server's pipe costs), then one 20 MiB
//! mail through the pipe with its peak memory, and, with `--imap`, N mails appended to a
//! running IMAP server's mailbox and taken by the poller.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Instant;

use portal_core::mail_in::InboundState;
use portal_core::model::InboxId;
use portal_core::ports::{MailThread, OutgoingMail, Ports};
use portal_server::{config, demo, open_store_once, system_ports};

/// A running IMAP server to measure against (plain IMAP on loopback).
#[derive(Debug, Clone)]
pub struct ImapTarget {
    /// `host:port`.
    pub addr: String,
    /// Login.
    pub user: String,
    /// Password.
    pub password: String,
}

const FROM: &str = "Acme Support <support@acme.example>";

fn attachment() -> String {
    // 6 KiB of bytes, base64 in lines of 76.
    let bytes: Vec<u8> = (0..6144u32).map(|i| (i * 7 % 251) as u8).collect();
    let b64 = base64(&bytes);
    b64.as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(T[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn mail(i: usize, from: &str, to: &str, extra: &str, att: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Bench case {i}\r\nMessage-ID: <bench-{i}@acme.example>\r\n{extra}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCase {i}: the printer on floor {} prints blank pages since the update.\r\nPlease have a look.\r\n\r\nOn Mon, Support wrote:\r\n> earlier text\r\n--b\r\nContent-Type: application/octet-stream; name=log-{i}.bin\r\nContent-Disposition: attachment; filename=log-{i}.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n{att}\r\n--b--\r\n",
        i % 7
    )
    .into_bytes()
}

/// N mails: even ones new tickets, odd ones answers to a ticket of their sender.
async fn mails(ports: &Ports, n: usize, offset: usize) -> Result<Vec<Vec<u8>>, String> {
    let att = attachment();
    let e = |e: portal_core::PortError| e.to_string();
    let anna = ports
        .directory
        .contact_by_email("anna@acme.example")
        .await
        .map_err(e)?
        .ok_or("no demo contact")?;
    let scope = portal_core::visibility::Scope {
        contact: anna.id,
        companies: vec![],
        ticket_filter: None,
        shared_only: false,
    };
    let page = ports
        .tickets
        .list(&scope, &portal_core::query::TicketQuery::default())
        .await
        .map_err(e)?;
    let ticket = page.tickets.first().ok_or("anna has no ticket")?.id;
    let mut out = Vec::with_capacity(n);
    for i in offset..offset + n {
        if i % 2 == 0 {
            out.push(mail(
                i,
                "anna@acme.example",
                "support@acme.example",
                "",
                &att,
            ));
        } else {
            let token = format!("{:032x}", 0xbe00_0000u128 + i as u128);
            ports
                .outbox
                .enqueue(
                    OutgoingMail {
                        files: Vec::new(),
                        to: anna.email.clone(),
                        language: "en".into(),
                        template: "reply_notification".into(),
                        vars: Default::default(),
                        thread: Some(MailThread {
                            ticket,
                            contact: anna.id,
                            token: token.clone(),
                        }),
                    },
                    ports.clock.now(),
                )
                .await
                .map_err(e)?;
            let to = format!("support+t-{token}@acme.example");
            let extra = format!("In-Reply-To: <t-{token}@acme.example>\r\n");
            out.push(mail(i, "anna@acme.example", &to, &extra, &att));
        }
    }
    Ok(out)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs the mail benchmark; returns the report (Markdown).
pub async fn run(n: usize, imap: Option<ImapTarget>) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("portal-mailbench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure(&dir, n, imap).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(
    dir: &std::path::Path,
    n: usize,
    imap: Option<ImapTarget>,
) -> Result<String, String> {
    let data = dir.to_string_lossy().to_string();
    let env = |k: &str| match k {
        "PORTAL_DATA_DIR" => Some(data.clone()),
        "PORTAL_MAIL_FROM" => Some(FROM.into()),
        _ => None,
    };
    let cfg = config::load(None, env)?;
    let store = open_store_once(&cfg).await?;
    let ports = system_ports(&store);
    demo::write(&ports).await?;
    let inbox: InboxId = ports.catalog.inboxes().await.map_err(|e| e.to_string())?[0].id;
    let mail_in = portal_server::mail_in::service(&cfg, ports.clone());
    let mut report = format!(
        "### mail in · SQLite · {n} mails of {} KiB\n\n| path | mails | seconds | mails/s | peak RSS |\n|---|---|---|---|---|\n",
        mails(&ports, 1, 0).await?[0].len() / 1024
    );

    // In one process: store raw, parse, decide, write.
    let batch = mails(&ports, n, 0).await?;
    let start = Instant::now();
    let mut filed = 0;
    for raw in batch {
        let m = mail_in
            .receive(inbox, "bench", raw)
            .await
            .map_err(|e| e.to_string())?;
        if m.state == InboundState::Taken {
            filed += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    if filed != n {
        return Err(format!(
            "only {filed} of {n} mails became tickets or replies"
        ));
    }
    report += &format!(
        "| in process (the IMAP poller's part after the fetch) | {n} | {secs:.2} | {:.0} | {:.1} MiB (bench process) |\n",
        n as f64 / secs,
        peak_rss_kib() as f64 / 1024.0
    );

    // Through the pipe: one `portal mail-in` process per mail.
    let exe = std::env::var("PORTAL_BENCH_SERVER")
        .map_err(|_| "PORTAL_BENCH_SERVER is not set (run as `portal bench`)")?;
    let piped = n.min(200);
    let batch = mails(&ports, piped, n).await?;
    let pipe = |raw: &[u8], timed: bool| -> Result<(bool, u64), String> {
        let mut cmd = if timed {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%M", &exe]);
            c
        } else {
            Command::new(&exe)
        };
        let mut child = cmd
            .args(["mail-in", "--inbox", &inbox.0.to_string()])
            .env("PORTAL_DATA_DIR", &data)
            .env("PORTAL_MAIL_FROM", FROM)
            .env("PORTAL_LOG", "warn")
            .env_remove("PORTAL_DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{exe}: {e}"))?;
        child
            .stdin
            .take()
            .ok_or("no stdin")?
            .write_all(raw)
            .map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let kib = stderr
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0);
        Ok((
            out.status.success() && stderr.contains("became message"),
            kib,
        ))
    };
    let start = Instant::now();
    for raw in &batch {
        if !pipe(raw, false)?.0 {
            return Err("a piped mail was not filed".into());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    report += &format!(
        "| `portal mail-in`, a process per mail | {piped} | {secs:.2} | {:.0} | |\n",
        piped as f64 / secs
    );

    // One 20 MiB mail through the pipe: its peak memory.
    let big_att = base64(&vec![0x5au8; 14 * 1024 * 1024]);
    let big_att: String = big_att
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n");
    let big = mail(
        n + piped + 1,
        "anna@acme.example",
        "support@acme.example",
        "",
        &big_att,
    );
    let start = Instant::now();
    let (ok, kib) = pipe(&big, true)?;
    if !ok {
        return Err("the 20 MiB mail was not filed".into());
    }
    report += &format!(
        "| `portal mail-in`, one mail of {:.1} MiB | 1 | {:.2} | | {:.1} MiB (the mail-in process) |\n",
        big.len() as f64 / 1048576.0,
        start.elapsed().as_secs_f64(),
        kib as f64 / 1024.0
    );

    if let Some(t) = imap {
        let (host, port) = t.addr.rsplit_once(':').ok_or("--imap is host:port")?;
        let port: u16 = port.parse().map_err(|_| "--imap port")?;
        let batch = mails(&ports, n, n + piped + 2).await?;
        let tcp = tokio::net::TcpStream::connect((host, port))
            .await
            .map_err(|e| e.to_string())?;
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.map_err(|e| e.to_string())?;
        let mut s = client
            .login(&t.user, &t.password)
            .await
            .map_err(|(e, _)| e.to_string())?;
        for raw in &batch {
            s.append("INBOX", None, None, raw)
                .await
                .map_err(|e| e.to_string())?;
        }
        s.logout().await.map_err(|e| e.to_string())?;
        let account = portal_mail::imap::ImapAccount {
            inbox,
            host: host.into(),
            port,
            security: portal_mail::imap::ImapSecurity::Plain,
            user: t.user.clone(),
            password: t.password.clone(),
            folder: "INBOX".into(),
            delete_taken: true,
        };
        let start = Instant::now();
        let mut taken = 0;
        loop {
            let r = portal_mail::imap::poll_once(&account, &mail_in).await?;
            taken += r.taken;
            if r.taken == 0 {
                break;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        if taken != n {
            return Err(format!("IMAP: {taken} of {n} mails taken"));
        }
        report += &format!(
            "| IMAP from {} (fetch, store, mark, delete) | {n} | {secs:.2} | {:.0} | {:.1} MiB (bench process) |\n",
            t.addr,
            n as f64 / secs,
            peak_rss_kib() as f64 / 1024.0
        );
    }
    Ok(report)
}
