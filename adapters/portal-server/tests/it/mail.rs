//! `portal mail-in` (issue 17): the pipe a mail server hands messages to, end to end on a
//! real SQLite store with the demo world, through the built binary.

use std::io::Write;
use std::process::{Command, Stdio};

use portal_core::mail_in::InboundState;
use portal_core::model::TicketId;
use portal_core::ports::{MailThread, OutgoingMail};
use portal_core::usecases::portal::PortalTickets;
use portal_server::{config, demo, open_store, system_ports};

use crate::{env_of, temp_dir};

/// Pipes `raw` into `portal mail-in --inbox INBOX`: the exit status and the log line.
fn pipe(dir: &std::path::Path, inbox: i64, raw: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["mail-in", "--inbox", &inbox.to_string()])
        .env("PORTAL_DATA_DIR", dir)
        .env("PORTAL_MAIL_FROM", "Acme Support <support@acme.example>")
        .env_remove("PORTAL_DATABASE_URL")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(raw.replace('\n', "\r\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The number after `word ` in a log line.
fn number_after(line: &str, word: &str) -> i64 {
    line.split(&format!("{word} "))
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {word} in {line}"))
}

const NEW_MAIL: &str = "From: Anna <anna@acme.example>
To: support@acme.example
Subject: Toner is empty
Message-ID: <n1@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain; charset=utf-8

The toner of the second floor printer is empty.
--b
Content-Type: application/pdf; name=order.pdf
Content-Disposition: attachment; filename=order.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQKJSBvcmRlcg==
--b--
";

#[actix_web::test]
async fn t7_the_mail_pipe_files_tickets_joins_threads_and_tells_the_mail_server_what_to_do() {
    let dir = temp_dir("mail-in");
    let data = dir.to_string_lossy().to_string();
    let cfg = config::load(None, env_of(&[("PORTAL_DATA_DIR", &data)])).unwrap();
    let store = open_store(&cfg).await.unwrap();
    let ports = system_ports(&store);
    demo::write(&ports).await.unwrap();
    let inbox = ports.catalog.inboxes().await.unwrap()[0].id;
    let anna = ports
        .directory
        .contact_by_email("anna@acme.example")
        .await
        .unwrap()
        .unwrap();
    let settings = ports.settings.load().await.unwrap();
    let portal = PortalTickets::new(ports.clone());

    // A new mail: a ticket of its sender, with its attachment, in her portal.
    let (code, log) = pipe(&dir, inbox.0, NEW_MAIL);
    assert_eq!(code, 0, "{log}");
    let ticket = TicketId(number_after(&log, "ticket"));
    let detail = portal.detail(&settings, &anna, ticket).await.unwrap();
    assert_eq!(detail.ticket.subject, "Toner is empty");
    let first = &detail.thread.as_ref().unwrap().messages[0];
    assert!(first.body.contains("second floor printer"));
    assert_eq!(first.attachments[0].file_name, "order.pdf");
    assert_eq!(first.attachments[0].content_type, "application/pdf");
    // Handed over again (the mail server retried): the same mail, nothing new.
    let (code, again) = pipe(&dir, inbox.0, NEW_MAIL);
    assert_eq!(code, 0);
    assert_eq!(number_after(&again, "ticket"), ticket.0);

    // An answer to a notification about it joins its thread.
    let token = "00112233445566778899aabbccddeeff";
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
                    token: token.into(),
                }),
            },
            ports.clock.now(),
        )
        .await
        .unwrap();
    let answer = format!(
        "From: anna@acme.example
To: Acme Support <support+t-{token}@acme.example>
Subject: Re: Toner is empty
In-Reply-To: <t-{token}@acme.example>
Content-Type: text/plain

We found a spare one, thanks.

On Sat, Dec 5, 2026, Acme Support <support@acme.example> wrote:
> We ordered toner.
"
    );
    let (code, log) = pipe(&dir, inbox.0, &answer);
    assert_eq!(code, 0, "{log}");
    assert_eq!(number_after(&log, "ticket"), ticket.0);
    let detail = portal.detail(&settings, &anna, ticket).await.unwrap();
    let messages = &detail.thread.unwrap().messages;
    assert_eq!(messages.len(), 2);
    assert!(messages[1].body.contains("spare one"));
    assert!(
        !messages[1].body.contains("ordered toner"),
        "the quote is trimmed"
    );

    // An out-of-office reply is dropped; a mail to no inbox is bounced; a mail that is no
    // mail waits in the quarantine.
    let auto = "From: anna@acme.example\nTo: support@acme.example\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nAway.\n";
    let (code, log) = pipe(&dir, inbox.0, auto);
    assert_eq!(code, 0);
    assert!(log.contains("dropped (auto_submitted)"), "{log}");
    let (code, log) = pipe(&dir, 987_654, NEW_MAIL);
    assert_eq!(code, 67, "{log}");
    let (code, log) = pipe(&dir, inbox.0, "\u{1}\u{2} no mail at all");
    assert_eq!(code, 0);
    assert!(log.contains("quarantined (unparsable)"), "{log}");
    let kept = ports.inbound.quarantined(10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].state, InboundState::Quarantined);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
