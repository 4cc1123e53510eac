//! portal-mail's one integration-test binary: the sender against a real SMTP conversation on
//! loopback (a minimal SMTP server started by the test), retries, dead letters, `.eml` files.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use portal_core::ports::OutgoingMail;
use portal_mail::{Catalog, MailConfig, Round, Sender, TEMPLATES, Transport, render};
use portal_testkit::fixtures::T0;
use portal_testkit::memory::memory_ports;

use portal_testkit::smtp::sink as smtp_sink;

fn mail(to: &str, lang: &str, template: &str) -> OutgoingMail {
    OutgoingMail {
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
        ]),
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
    assert!(got[0].data.contains("http://p.test/r/abc"));
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
    assert!(
        de.data.contains("Subject: Neues Passwort") && de.data.contains("Hallo Anna,"),
        "{}",
        de.data
    );
    assert!(de.data.contains("http://p.test/r/abc"));
    assert!(
        de.data.contains("<kein HTML-Escaping>"),
        "plain text, not escaped"
    );
    assert!(
        en.data.contains("Subject: Reset your password"),
        "other languages keep the built-in text"
    );
    // A template without a subject line is refused (the mail is retried, never sent half-formed).
    let bad = OutgoingMail {
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
