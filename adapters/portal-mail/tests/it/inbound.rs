//! Reading mail that comes in (issue 17): real MIME as mail clients write it.

use portal_mail::inbound::parse;

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

#[test]
fn a_multipart_reply_gives_its_new_text_its_threading_headers_and_its_attachment() {
    let raw = crlf(
        "Return-Path: <ann@acme.test>
Delivered-To: support+t-0123456789abcdef0123456789abcdef@portal.test
From: =?UTF-8?Q?Ann_M=C3=BCller?= <Ann@Acme.test>
To: Support <support+t-0123456789abcdef0123456789abcdef@portal.test>
Cc: bob@acme.test
Subject: =?ISO-8859-1?Q?Re:_Dr=FCcker?=
Message-ID: <abc@acme.test>
In-Reply-To: <t-0123456789abcdef0123456789abcdef@portal.test>
References: <ticket-7@portal.test> <t-0123456789abcdef0123456789abcdef@portal.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"outer\"

--outer
Content-Type: multipart/alternative; boundary=\"inner\"

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe, it works again: https://acme.test/status

On Mon, 1 Dec 2026, Support <support@portal.test> wrote:
> Please restart the printer.
--inner
Content-Type: text/html; charset=utf-8

<p>Grüße, it works again</p><blockquote>Please restart</blockquote>
--inner--
--outer
Content-Type: image/png; name=\"screen.png\"
Content-Disposition: attachment; filename=\"screen.png\"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUg==
--outer--
",
    );
    let m = parse(&raw).unwrap();
    assert_eq!(m.from.as_deref(), Some("ann@acme.test"));
    assert_eq!(m.from_name.as_deref(), Some("Ann Müller"));
    assert_eq!(m.subject, "Re: Drücker");
    assert_eq!(m.message_id.as_deref(), Some("abc@acme.test"));
    assert_eq!(m.return_path.as_deref(), Some("<ann@acme.test>"));
    assert!(
        m.recipients
            .contains(&"support+t-0123456789abcdef0123456789abcdef@portal.test".to_string())
    );
    assert!(m.recipients.contains(&"bob@acme.test".to_string()));
    assert!(
        m.references
            .iter()
            .any(|r| r == "t-0123456789abcdef0123456789abcdef@portal.test"),
        "{:?}",
        m.references
    );
    // The text part, decoded from Latin-1, without the quoted mail, links kept.
    assert_eq!(
        m.body_html,
        "<p>Grüße, it works again: <a href=\"https://acme.test/status\">https://acme.test/status</a></p>"
    );
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].file_name, "screen.png");
    assert!(m.attachments[0].bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let tokens = portal_core::mail_in::thread_tokens(&m);
    assert_eq!(tokens, vec!["0123456789abcdef0123456789abcdef".to_string()]);
}

#[test]
fn an_html_only_mail_becomes_safe_text_without_its_styles_scripts_or_quote() {
    let raw = crlf(
        "From: carol@home.test
To: support@portal.test
Subject: Help
Auto-Submitted: no
Precedence: first-class
Content-Type: text/html; charset=utf-8

<html><head><title>x</title><style>p{color:red}</style></head><body>
<p>My <b>order</b> is <a href=\"https://shop.test/o/1\">late</a>.</p>
<script>alert(1)</script><ul><li>one</li><li>two &amp; three</li></ul>
<p>On Sun, Carol wrote:</p><blockquote><p>old</p></blockquote>
</body></html>
",
    );
    let m = parse(&raw).unwrap();
    assert_eq!(m.auto_submitted.as_deref(), Some("no"));
    assert_eq!(m.precedence.as_deref(), Some("first-class"));
    assert!(!m.body_html.contains("script") && !m.body_html.contains("alert"));
    assert!(!m.body_html.contains("color:red") && !m.body_html.contains("old"));
    assert!(
        m.body_html.contains(
            "My order is late (<a href=\"https://shop.test/o/1\">https://shop.test/o/1</a>)."
        ),
        "{}",
        m.body_html
    );
    assert!(m.body_html.contains("- two &amp; three"), "{}", m.body_html);
}

#[test]
fn bounces_and_auto_replies_keep_the_headers_the_noise_rules_read() {
    let raw = crlf(
        "Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@acme.test>
To: support@portal.test
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Content-Type: text/plain

The mail could not be delivered.
",
    );
    let m = parse(&raw).unwrap();
    assert_eq!(m.return_path.as_deref(), Some("<>"));
    assert_eq!(
        portal_core::mail_in::noise(&m, &[]),
        Some(portal_core::mail_in::Noise::AutoSubmitted)
    );
    let no_auto = portal_core::mail_in::IncomingMail {
        auto_submitted: None,
        ..m
    };
    assert_eq!(
        portal_core::mail_in::noise(&no_auto, &[]),
        Some(portal_core::mail_in::Noise::Bounce)
    );
}

#[test]
fn bytes_that_are_no_mail_are_refused() {
    assert!(parse(b"").is_err());
    assert!(parse(b"\x00\x01binary garbage").is_err());
    assert!(parse(b"just some words without a header").is_err());
}

#[test]
fn a_delivery_report_names_the_mails_it_returns() {
    let raw = crlf(
        "Return-Path: <>
From: MAILER-DAEMON@mx.acme.test
To: support@portal.test
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=r

--r
Content-Type: text/plain

The mail to gone@acme.test could not be delivered.
--r
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.test
Final-Recipient: rfc822; gone@acme.test
Action: failed
Status: 5.1.1
--r
Content-Type: text/rfc822-headers

From: Support <support@portal.test>
To: gone@acme.test
Subject: A reply to your ticket
Message-ID: <t-0123456789abcdef0123456789abcdef@portal.test>
--r--
",
    );
    let m = parse(&raw).unwrap();
    assert_eq!(
        m.bounced,
        vec!["t-0123456789abcdef0123456789abcdef@portal.test".to_string()]
    );
    assert_eq!(
        portal_core::mail_in::bounced_mails(&m),
        vec![portal_core::mail_in::BouncedMail::Token(
            "0123456789abcdef0123456789abcdef".into()
        )]
    );
    // The whole returned message works the same, with portal's other kind of id.
    let whole = crlf(
        "Return-Path: <>
From: MAILER-DAEMON@mx.acme.test
To: support@portal.test
Subject: failure notice
Content-Type: multipart/report; report-type=delivery-status; boundary=r

--r
Content-Type: text/plain

Sorry.
--r
Content-Type: message/rfc822

From: Support <support@portal.test>
To: gone@acme.test
Subject: Your login link
Message-ID: <m42.1764950400000@portal.test>

Hello
--r--
",
    );
    let m = parse(&whole).unwrap();
    assert_eq!(
        portal_core::mail_in::bounced_mails(&m),
        vec![portal_core::mail_in::BouncedMail::Outbox(42)]
    );
}
