//! portal-mail's one integration-test binary: the sender against a real SMTP conversation on
//! loopback (a minimal SMTP server started by the test), retries, dead letters, `.eml` files.

mod inbound;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use portal_core::ports::OutgoingMail;
use portal_mail::{Catalog, MailConfig, Round, Sender, TEMPLATES, Transport, render};
use portal_testkit::fixtures::T0;
use portal_testkit::memory::memory_ports;

use mail_parser::MimeHeaders;
use portal_testkit::smtp::sink as smtp_sink;

/// A sent mail read back by a MIME parser: its text and HTML parts, decoded.
fn parts(data: &str) -> (String, String) {
    let m = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .expect("a mail a parser reads");
    (
        m.body_text(0).unwrap_or_default().replace("\r\n", "\n"),
        m.body_html(0).unwrap_or_default().replace("\r\n", "\n"),
    )
}

fn mail(to: &str, lang: &str, template: &str) -> OutgoingMail {
    OutgoingMail {
        files: Vec::new(),
        to: to.into(),
        language: lang.into(),
        template: template.into(),
        vars: BTreeMap::from([
            ("name".into(), "Anna".into()),
            ("portal".into(), "Acme Support".into()),
            ("link".into(), "http://p.test/r/abc".into()),
            ("subject".into(), "Printer".into()),
            ("author".into(), "Sam".into()),
            ("reply".into(), "Fixed.".into()),
            ("from".into(), "Ben Olsen".into()),
            ("to".into(), "Carla Virtanen".into()),
        ]),
        thread: None,
    }
}

fn smtp(addr: SocketAddr) -> Transport {
    Transport::parse_smtp_url(&format!("smtp://{}:{}", addr.ip(), addr.port())).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_reach_a_real_smtp_server_with_recipient_subject_and_link() {
    let (addr, got) = smtp_sink(false);
    let t = memory_ports(T0);
    t.ports
        .outbox
        .enqueue(mail("anna@acme.test", "en", "password_reset"), T0)
        .await
        .unwrap();
    t.ports
        .outbox
        .enqueue(mail("ben@acme.test", "en", "registration"), T0)
        .await
        .unwrap();
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(smtp(addr), "Acme Support <support@acme.test>"),
    )
    .unwrap();
    assert_eq!(
        sender.run_once().await.unwrap(),
        Round {
            sent: 2,
            retried: 0,
            dead: 0
        }
    );
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].to, vec!["<anna@acme.test>"]);
    assert!(got[0].from.contains("support@acme.test"));
    assert!(
        got[0]
            .data
            .contains("Subject: Reset your password for Acme Support"),
        "{}",
        got[0].data
    );
    assert!(parts(&got[0].data).0.contains("http://p.test/r/abc"));
    assert!(
        got[1]
            .data
            .contains("Subject: Set up your login for Acme Support")
    );
    // Sent mails are never claimed again.
    assert_eq!(sender.run_once().await.unwrap(), Round::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_mails_are_retried_with_back_off_then_dead() {
    let (addr, got) = smtp_sink(true);
    let t = memory_ports(T0);
    t.ports
        .outbox
        .enqueue(mail("nobody@acme.test", "en", "login_link"), T0)
        .await
        .unwrap();
    let mut config = MailConfig::new(smtp(addr), "support@acme.test");
    config.max_attempts = 3;
    let sender = Sender::new(t.ports.outbox.clone(), t.ports.clock.clone(), config).unwrap();
    assert_eq!(
        sender.run_once().await.unwrap(),
        Round {
            sent: 0,
            retried: 1,
            dead: 0
        }
    );
    // Not due again before the back-off (30 s), due after it.
    t.clock.advance_seconds(20);
    assert_eq!(sender.run_once().await.unwrap(), Round::default());
    t.clock.advance_seconds(15);
    assert_eq!(
        sender.run_once().await.unwrap(),
        Round {
            sent: 0,
            retried: 1,
            dead: 0
        }
    );
    t.clock.advance_seconds(61);
    assert_eq!(
        sender.run_once().await.unwrap(),
        Round {
            sent: 0,
            retried: 0,
            dead: 1
        }
    );
    t.clock.advance_seconds(100_000);
    assert_eq!(
        sender.run_once().await.unwrap(),
        Round::default(),
        "a dead mail is not sent again"
    );
    assert!(got.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_mails_become_eml_files() {
    let dir = std::env::temp_dir().join(format!("portal-mail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let t = memory_ports(T0);
    let id = t
        .ports
        .outbox
        .enqueue(mail("anna@acme.test", "de", "password_reset"), T0)
        .await
        .unwrap();
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(Transport::Files(dir.clone()), "support@acme.test"),
    )
    .unwrap();
    assert_eq!(sender.run_once().await.unwrap().sent, 1);
    let eml = std::fs::read_to_string(dir.join(format!("{id:08}.eml"))).unwrap();
    assert!(eml.contains("To: anna@acme.test"));
    // The German subject, its non-ASCII words encoded (RFC 2047): "für" is ZsO8cg==.
    assert!(
        eml.contains("Subject: Setzen Sie Ihr Passwort =?utf-8?b?ZsO8cg==?= Acme Support"),
        "{eml}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mails_render_in_the_recipients_language_with_every_template() {
    let c = Catalog::default();
    let en = c.keys("en");
    assert_eq!(en.len(), TEMPLATES.len() * 2);
    for lang in ["en", "de", "nl", "da", "fi"] {
        assert_eq!(c.keys(lang), en, "{lang} is incomplete");
        for t in TEMPLATES {
            let r = render(&c, &mail("a@b.test", lang, t)).unwrap();
            assert!(
                r.body.contains("http://p.test/r/abc") && r.body.contains("Anna"),
                "{lang} {t}"
            );
            assert!(
                !r.subject.contains('{') && !r.body.contains('{'),
                "{lang} {t}: unfilled placeholder"
            );
        }
    }
    let de = render(&c, &mail("a@b.test", "de", "password_reset")).unwrap();
    assert_eq!(
        de.subject,
        "Setzen Sie Ihr Passwort für Acme Support zurück"
    );
    let unknown_lang = render(&c, &mail("a@b.test", "xx", "login_link")).unwrap();
    assert_eq!(
        unknown_lang.subject, "Your login link for Acme Support",
        "English is the fallback"
    );
    assert!(render(&c, &mail("a@b.test", "en", "no_such_template")).is_err());
}

#[test]
fn smtp_urls_name_host_port_security_and_credentials() {
    use portal_mail::Security;
    assert_eq!(
        Transport::parse_smtp_url("smtp://u:p%w@mail.example.com:587").unwrap(),
        Transport::Smtp {
            host: "mail.example.com".into(),
            port: 587,
            security: Security::StartTls,
            credentials: Some(("u".into(), "p%w".into()))
        }
    );
    assert!(matches!(
        Transport::parse_smtp_url("smtp://mail.example.com:465"),
        Ok(Transport::Smtp {
            security: Security::Tls,
            ..
        })
    ));
    assert!(matches!(
        Transport::parse_smtp_url("smtp://relay?tls=none"),
        Ok(Transport::Smtp {
            port: 25,
            security: Security::Plain,
            ..
        })
    ));
    assert!(Transport::parse_smtp_url("http://x").is_err());
    assert!(Transport::parse_smtp_url("smtp://:25").is_err());
    assert!(Transport::parse_smtp_url("smtp://h?tls=maybe").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admins_mail_template_replaces_the_built_in_text_for_its_kind_and_language() {
    let (addr, got) = smtp_sink(false);
    let t = memory_ports(T0);
    let mut settings = t.ports.settings.load().await.unwrap();
    settings.templates.insert(
        "mail.password_reset.de".into(),
        "Subject: Neues Passwort für {{portal}}\n\nHallo {{name}},\nhier entlang: {{link}}\n<kein HTML-Escaping>".into(),
    );
    t.ports.settings.save(&settings).await.unwrap();
    for (to, lang) in [("de@acme.test", "de"), ("en@acme.test", "en")] {
        t.ports
            .outbox
            .enqueue(mail(to, lang, "password_reset"), T0)
            .await
            .unwrap();
    }
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(smtp(addr), "Acme Support <support@acme.test>"),
    )
    .unwrap()
    .with_templates(t.ports.settings.clone());
    assert_eq!(sender.run_once().await.unwrap().sent, 2);
    let got = got.lock().unwrap().clone();
    let de = got.iter().find(|m| m.to == vec!["<de@acme.test>"]).unwrap();
    let en = got.iter().find(|m| m.to == vec!["<en@acme.test>"]).unwrap();
    let (de_text, de_html) = parts(&de.data);
    assert!(
        de.data.contains("Subject: Neues Passwort") && de_text.contains("Hallo Anna,"),
        "{}",
        de.data
    );
    assert!(de_text.contains("http://p.test/r/abc"));
    assert!(
        de_text.contains("<kein HTML-Escaping>"),
        "plain text, not escaped"
    );
    assert!(
        de_html.contains("&lt;kein HTML-Escaping&gt;") && de_html.contains("Hallo Anna,"),
        "the HTML part escapes it: {de_html}"
    );
    assert!(
        en.data.contains("Subject: Reset your password"),
        "other languages keep the built-in text"
    );
    // A template without a subject line is refused (the mail is retried, never sent half-formed).
    let bad = OutgoingMail {
        files: Vec::new(),
        language: "de".into(),
        ..mail("x@acme.test", "de", "password_reset")
    };
    let overrides = [(
        "mail.password_reset.de".to_string(),
        "no subject line".to_string(),
    )]
    .into();
    assert!(portal_mail::render_with(&portal_mail::Catalog::default(), &overrides, &bad).is_err());
    // The built-in text as a template to start editing from.
    let src = portal_mail::builtin_source(&portal_mail::Catalog::default(), "registration", "nl")
        .unwrap();
    assert!(
        src.starts_with("Subject: ") && src.contains("{{link}}"),
        "{src}"
    );
    let rendered =
        portal_mail::render_override(&src, &mail("y@acme.test", "nl", "registration")).unwrap();
    assert_eq!(
        rendered,
        portal_mail::render(
            &portal_mail::Catalog::default(),
            &mail("y@acme.test", "nl", "registration")
        )
        .unwrap()
    );
}

/// A reply notification as the core queues it: thread token, plain reply and stored HTML.
fn reply_mail(to: &str, token: &str) -> OutgoingMail {
    let mut m = mail(to, "en", "reply_notification");
    m.vars.insert("reply".into(), "flattened text".into());
    m.vars.insert(
        "reply_html".into(),
        "<p>Please install <a href=\"https://acme.test/driver?v=2&amp;os=win\">this driver</a>.</p>\n\
<p>Then:</p>\n<ol>\n<li>restart</li>\n<li>print a <strong>test page</strong></li>\n</ol>\n\
<ul>\n<li>works on Windows</li>\n<li>and macOS</li>\n</ul>\n<p>Regards<br />\nSam</p>\n\
<p><script>alert(1)</script><img src=\"https://tracker.test/p.gif\"></p>\n"
            .into(),
    );
    m.thread = Some(portal_core::ports::MailThread {
        ticket: portal_core::model::TicketId(42),
        contact: portal_core::model::ContactId(7),
        token: token.into(),
    });
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mail_passes_the_header_check_and_its_text_keeps_links_paragraphs_and_lists() {
    let (addr, got) = smtp_sink(false);
    let t = memory_ports(T0);
    let token = "0123456789abcdef0123456789abcdef";
    t.ports
        .outbox
        .enqueue(reply_mail("anna@acme.test", token), T0)
        .await
        .unwrap();
    t.ports
        .outbox
        .enqueue(mail("ben@acme.test", "en", "password_reset"), T0)
        .await
        .unwrap();
    let mut settings = t.ports.settings.load().await.unwrap();
    settings.branding.primary_color = "#c2185b".into();
    t.ports.settings.save(&settings).await.unwrap();
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(smtp(addr), "Acme Support <support@acme.test>")
            .reply_to(Some("Acme Help <help@acme.test>".into())),
    )
    .unwrap()
    .with_templates(t.ports.settings.clone());
    assert_eq!(sender.run_once().await.unwrap().sent, 2);
    let got = got.lock().unwrap().clone();
    let mut ids = Vec::new();
    for m in &got {
        let parsed = mail_parser::MessageParser::default()
            .parse(m.data.as_bytes())
            .unwrap();
        let header = |name: &str| parsed.header_raw(name).map(|v| v.trim().to_string());
        // What every mail client and mail server expects.
        assert_eq!(header("MIME-Version").as_deref(), Some("1.0"), "{}", m.data);
        assert!(parsed.date().is_some(), "Date: {}", m.data);
        assert_eq!(
            header("Auto-Submitted").as_deref(),
            Some("auto-generated"),
            "{}",
            m.data
        );
        let id = parsed.message_id().expect("a Message-ID").to_string();
        assert!(id.ends_with("@acme.test"), "{id}");
        ids.push(id);
        assert!(
            header("Content-Type")
                .unwrap_or_default()
                .starts_with("multipart/alternative"),
            "{}",
            m.data
        );
        let (text, html) = parts(&m.data);
        assert!(!text.is_empty() && html.contains("Acme Support"), "{html}");
        assert!(html.contains("#c2185b"), "the brand colour: {html}");
    }
    assert_ne!(ids[0], ids[1], "every mail its own Message-ID");
    // The reply notification: threaded under the ticket, answers go to its own address.
    let reply = &got[0];
    let parsed = mail_parser::MessageParser::default()
        .parse(reply.data.as_bytes())
        .unwrap();
    assert_eq!(
        parsed.message_id(),
        Some(format!("t-{token}@acme.test").as_str())
    );
    assert_eq!(
        parsed.in_reply_to().as_text(),
        Some("ticket-42@acme.test"),
        "{}",
        reply.data
    );
    assert_eq!(parsed.references().as_text(), Some("ticket-42@acme.test"));
    let reply_to = parsed.reply_to().and_then(|a| a.first()).unwrap();
    assert_eq!(
        reply_to.address(),
        Some(format!("help+t-{token}@acme.test").as_str())
    );
    let (text, html) = parts(&reply.data);
    // Link targets, paragraphs and list items survive in the text part.
    for kept in [
        "Please install this driver (https://acme.test/driver?v=2&os=win).",
        "\n\nThen:\n\n1. restart\n2. print a test page\n\n- works on Windows\n- and macOS\n\n",
        "Regards\nSam",
        "http://p.test/r/abc",
    ] {
        assert!(text.contains(kept), "{kept:?} in:\n{text}");
    }
    assert!(!text.contains("flattened text"), "{text}");
    // The HTML part: the reply's own markup, links kept, nothing active or remote.
    assert!(
        html.contains("<a href=\"https://acme.test/driver?v=2&amp;os=win\""),
        "{html}"
    );
    assert!(
        html.contains("<strong>test page</strong>") && html.contains("<ol>"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(!html.contains("src=\"http"), "no remote images: {html}");
    // A mail that is not about a ticket has no thread headers.
    let other = mail_parser::MessageParser::default()
        .parse(got[1].data.as_bytes())
        .unwrap();
    assert!(other.reply_to().is_none() && other.in_reply_to().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portals_logo_travels_inside_the_mail() {
    let (addr, got) = smtp_sink(false);
    let t = memory_ports(T0);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR logo bytes".to_vec();
    let key = t.ports.blobs.put(png.clone()).await.unwrap();
    let mut settings = t.ports.settings.load().await.unwrap();
    settings.branding.logo = Some(key);
    t.ports.settings.save(&settings).await.unwrap();
    t.ports
        .outbox
        .enqueue(mail("anna@acme.test", "fi", "login_link"), T0)
        .await
        .unwrap();
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(smtp(addr), "support@acme.test"),
    )
    .unwrap()
    .with_templates(t.ports.settings.clone())
    .with_logo(t.ports.blobs.clone());
    assert_eq!(sender.run_once().await.unwrap().sent, 1);
    let data = got.lock().unwrap()[0].data.clone();
    let parsed = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .unwrap();
    let (_, html) = parts(&data);
    assert!(html.contains("src=\"cid:logo\""), "{html}");
    let logo = parsed
        .attachments()
        .find(|p| p.content_id() == Some("logo"))
        .expect("the logo as an inline part");
    assert_eq!(logo.contents(), png.as_slice());
}

#[tokio::test]
async fn a_reply_carries_its_files_up_to_the_limit() {
    let (addr, got) = smtp_sink(false);
    let t = memory_ports(T0);
    let pdf = b"%PDF-1.4 the invoice".to_vec();
    let key = t.ports.blobs.put(pdf.clone()).await.unwrap();
    let big = t.ports.blobs.put(vec![0u8; 16]).await.unwrap();
    let mut m = reply_mail("anna@acme.test", "0123456789abcdef0123456789abcdef");
    m.files = vec![
        portal_core::ports::MailAttachment {
            file_name: "invoice.pdf".into(),
            content_type: "application/pdf".into(),
            size: pdf.len() as u64,
            blob_key: key,
        },
        portal_core::ports::MailAttachment {
            file_name: "huge.bin".into(),
            content_type: "application/octet-stream".into(),
            size: portal_mail::MAX_ATTACHED_BYTES,
            blob_key: big,
        },
    ];
    t.ports.outbox.enqueue(m, T0).await.unwrap();
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(smtp(addr), "support@acme.test"),
    )
    .unwrap()
    .with_logo(t.ports.blobs.clone());
    assert_eq!(sender.run_once().await.unwrap().sent, 1);
    let data = got.lock().unwrap()[0].data.clone();
    let parsed = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .unwrap();
    let files: Vec<_> = parsed.attachments().collect();
    assert_eq!(
        files.len(),
        1,
        "the file over the limit stays behind the ticket link"
    );
    assert_eq!(files[0].attachment_name(), Some("invoice.pdf"));
    assert_eq!(files[0].contents(), pdf.as_slice());
    assert!(files[0].is_content_type("application", "pdf"));
    // The text and HTML parts are still the mail's body.
    let (text, html) = parts(&data);
    assert!(!text.is_empty() && !html.is_empty());
}

#[test]
fn a_thread_token_that_is_not_the_cores_is_not_written_into_headers() {
    let t = memory_ports(T0);
    let sender = Sender::new(
        t.ports.outbox.clone(),
        t.ports.clock.clone(),
        MailConfig::new(Transport::Files("/nonexistent".into()), "support@acme.test"),
    )
    .unwrap();
    for bad in [
        "x@evil.test",
        "0123456789ABCDEF0123456789ABCDEF",
        "12",
        "a\r\nBcc: x@y.test",
    ] {
        let q = portal_core::ports::QueuedMail {
            id: 1,
            mail: reply_mail("anna@acme.test", bad),
            attempts: 0,
        };
        assert!(
            sender.message(&q, &Default::default()).is_err(),
            "{bad:?} accepted"
        );
    }
}
