//! SAML single sign-on (SECURITY rules 14–17) and every SAML attack case of SECURITY.md.
//! Responses are built here and signed by Debian's `xmlsec1`; the end-to-end test with a
//! real identity provider (pysaml2) is `e2e/test_sso.py`.

use std::sync::Arc;

use portal_core::Error;
use portal_core::model::Timestamp;
use portal_core::ports::{SamlServiceProvider, SsoKind};
use portal_sso::{SamlConfig, SamlSetupError, SamlSp};

use crate::support::*;

fn refused(sp: &SamlSp, xml: &str, request: Option<&str>, now: Timestamp, reason: &str) {
    match sp.verify(&b64(xml), request, now) {
        Ok(a) => panic!("accepted: {a:?}\n{xml}"),
        Err(r) => assert!(
            r.0.contains(reason),
            "refused for {:?}, expected a reason containing {reason:?}",
            r.0
        ),
    }
}

fn accepted(sp: &SamlSp, xml: &str, request: Option<&str>, now: Timestamp) {
    if let Err(e) = sp.verify(&b64(xml), request, now) {
        panic!("refused: {e}\n{xml}");
    }
}

const RID: &str = "_0123456789abcdef0123456789abcdef";

#[test]
fn saml_accepts_a_signed_assertion_and_reads_the_identity() {
    let now = now();
    let sp = sp(false);
    let mut r = Resp::new(now, Some(RID));
    r.organization = Some("Acme".into());
    let xml = r.signed_assertion_xml();
    assert_eq!(sp.in_response_to(&b64(&xml)).unwrap().as_deref(), Some(RID));
    let a = sp.verify(&b64(&xml), Some(RID), now).unwrap();
    assert_eq!(a.identity.email, "sso.user@acme.example");
    assert_eq!(a.identity.name, "Sam Sso");
    assert_eq!(
        a.identity.external_id.as_deref(),
        Some("sso.user@acme.example")
    );
    assert_eq!(a.identity.organization.as_deref(), Some("Acme"));
    assert_eq!(a.assertion_id, r.assertion_id);
    assert_eq!(
        a.valid_until,
        Timestamp(now.0 / 1000 * 1000).plus_seconds(300)
    );
}

#[test]
fn saml_accepts_a_signed_response_envelope() {
    let now = now();
    accepted(
        &sp(false),
        &Resp::new(now, Some(RID)).signed_response_xml(),
        Some(RID),
        now,
    );
}

/// A self-signed certificate valid in 2020 only (made for this test with Python's
/// `cryptography`).
const EXPIRED_CERT: &str = "MIIBKTCBz6ADAgECAgEHMAoGCCqGSM49BAMCMB4xHDAaBgNVBAMME2V4cGlyZWQtaWRwLmV4YW1wbGUwHhcNMjAwMTAxMDAwMDAwWhcNMjEwMTAxMDAwMDAwWjAeMRwwGgYDVQQDDBNleHBpcmVkLWlkcC5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE/J2Md/72zo/I5EQAyh95PCSofh+fYwSJJaB4fjpc0Qjac/Hyl5XciBsbXm6IdPVb3eUlHOgcMd5PvB1edBs8uTAKBggqhkjOPQQDAgNJADBGAiEAwV53r4c06GTeUpeiFJkvolgBXUo0o0Akc8ZcxHDEIxsCIQDIYUnbPzmzt5E+bgXM30d1jeSFPTp550Jx6x0ROTUIqw==";

#[test]
fn ops_saml_metadata_with_a_garbage_or_expired_certificate_is_refused() {
    let with = |cert: &str| {
        SamlSp::new(SamlConfig {
            idp_metadata_xml: idp_metadata(Some(cert)),
            entity_id: SP.into(),
            acs_url: ACS.into(),
            metadata_url: SP.into(),
            idp_initiated: false,
        })
    };
    // Base64 that is not a certificate.
    assert!(matches!(
        with("Z2FyYmFnZSwgbm90IGEgY2VydGlmaWNhdGU="),
        Err(SamlSetupError::BadCertificate(_))
    ));
    assert_eq!(
        with(EXPIRED_CERT).err(),
        Some(SamlSetupError::CertificatesExpired("2021-01-01".into()))
    );
    // A good one: its expiry is known (the test key is valid for two days).
    let sp = with(&keys().cert_b64("idp")).unwrap();
    let until = sp.certificates_valid_until();
    assert_eq!(until.len(), 1);
    assert!(until[0] > chrono::Utc::now());
    assert!(until[0] < chrono::Utc::now() + chrono::Duration::days(3));
    assert_eq!(sp.idp_sso_url(), "https://idp.example.test/sso");
}

#[test]
fn saml_refuses_an_identity_provider_without_a_signing_certificate() {
    let config = SamlConfig {
        idp_metadata_xml: idp_metadata(None),
        entity_id: SP.into(),
        acs_url: ACS.into(),
        metadata_url: SP.into(),
        idp_initiated: false,
    };
    assert_eq!(
        SamlSp::new(config.clone()).err(),
        Some(SamlSetupError::NoSigningCertificate)
    );
    let doctype = format!(
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}",
        idp_metadata(Some(&keys().cert_b64("idp"))).replace("<?xml version=\"1.0\"?>", "")
    );
    assert!(matches!(
        SamlSp::new(SamlConfig {
            idp_metadata_xml: doctype,
            ..config
        }),
        Err(SamlSetupError::Metadata(_))
    ));
}

#[test]
fn saml_rejects_unsigned_responses() {
    let now = now();
    let r = Resp::new(now, Some(RID));
    refused(
        &sp(false),
        &r.response(&r.assertion(false), false),
        Some(RID),
        now,
        "signed",
    );
}

#[test]
fn saml_rejects_responses_re_signed_by_another_key() {
    let now = now();
    let r = Resp::new(now, Some(RID));
    refused(&sp(false), &r.signed_with("evil"), Some(RID), now, "signed");
}

#[test]
fn saml_rejects_a_tampered_signed_assertion() {
    let now = now();
    let xml = Resp::new(now, Some(RID))
        .signed_assertion_xml()
        .replace("sso.user@acme.example", "ceo@acme.example");
    refused(&sp(false), &xml, Some(RID), now, "signed");
}

#[test]
fn saml_rejects_sha1_signatures() {
    let now = now();
    let mut r = Resp::new(now, Some(RID));
    r.sha1 = true;
    refused(
        &sp(false),
        &r.signed_assertion_xml(),
        Some(RID),
        now,
        "signed",
    );
}

#[test]
fn saml_rejects_comment_injection_in_the_name_id() {
    let now = now();
    let mut r = Resp::new(now, Some(RID));
    r.email = "sso.user@evil.example.acme.example".into();
    // Canonicalisation drops comments, so the signature still verifies; the screen refuses.
    let xml = r.signed_assertion_xml().replace(
        "sso.user@evil.example.acme.example",
        "sso.user@evil.example<!---->.acme.example",
    );
    refused(&sp(false), &xml, Some(RID), now, "XML comment");
}

/// The signed assertion element of a signed document.
fn signed_assertion(xml: &str) -> String {
    let start = xml.find("<saml:Assertion").unwrap();
    let end = xml.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    xml[start..end].to_string()
}

/// The XSW variants of "On Breaking SAML" (Somorovsky et al.) and SAML Raider: the signed
/// content is kept somewhere the signature still finds it, while an evil copy sits where a
/// naive reader looks. Each must be refused.
fn xsw_variants(now: Timestamp) -> Vec<(&'static str, String)> {
    let good = Resp::new(now, Some(RID));
    let mut evil = good.clone();
    evil.email = "ceo@acme.example".into();
    evil.assertion_id = format!("{}-evil", good.assertion_id);
    let signed_response = good.signed_response_xml();
    let signed = good.signed_assertion_xml();
    let original = signed_assertion(&signed);
    let evil_assertion = evil.assertion(false);
    let evil_with_sig_of = |inner: &str| {
        // The evil assertion carrying the original assertion inside its Signature element.
        evil_assertion.replacen(
            "</saml:Issuer>",
            &format!(
                "</saml:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">{inner}</ds:Signature>"
            ),
            1,
        )
    };
    let response_body = |inner: &str| {
        good.response(inner, false)
            .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
    };
    // XSW1: a new unsigned response whose Signature holds the original signed response.
    let sig_start = signed_response.find("<ds:Signature").unwrap();
    let sig_end = signed_response.find("</ds:Signature>").unwrap();
    let original_response =
        signed_response.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "");
    let xsw1 = {
        let evil_resp = evil.response(&evil_assertion, false);
        let sig = &signed_response[sig_start..sig_end];
        evil_resp.replacen(
            "</saml:Issuer>",
            &format!(
                "</saml:Issuer>{sig}<ds:Object>{original_response}</ds:Object></ds:Signature>"
            ),
            1,
        )
    };
    // XSW2: the same with the original response as a sibling before the signature.
    let xsw2 = {
        let evil_resp = evil.response(&evil_assertion, false);
        evil_resp.replacen(
            "</saml:Issuer>",
            &format!("</saml:Issuer>{original_response}"),
            1,
        )
    };
    // XSW3: the evil assertion before the signed one.
    let xsw3 = response_body(&format!("{evil_assertion}{original}"));
    // XSW4: the evil assertion wrapping the signed one.
    let xsw4 = response_body(&evil_assertion.replacen(
        "</saml:Assertion>",
        &format!("{original}</saml:Assertion>"),
        1,
    ));
    // XSW5: the evil assertion with the original's signature in place, the signed original
    // appended at the end.
    let xsw5 = {
        let sig = &original[original.find("<ds:Signature").unwrap()
            ..original.find("</ds:Signature>").unwrap() + "</ds:Signature>".len()];
        let evil_signed =
            evil_assertion.replacen("</saml:Issuer>", &format!("</saml:Issuer>{sig}"), 1);
        response_body(&format!("{evil_signed}{original}"))
    };
    // XSW6: the signed original inside the evil assertion's Signature element.
    let xsw6 = response_body(&evil_with_sig_of(&original));
    // XSW7: the signed original inside an Extensions element, the evil assertion outside.
    let xsw7 = response_body(&format!(
        "<samlp:Extensions>{original}</samlp:Extensions>{evil_assertion}"
    ));
    // XSW8: the signed original inside an Object of the evil assertion's Signature.
    let xsw8 = response_body(&evil_with_sig_of(&format!(
        "<ds:Object>{original}</ds:Object>"
    )));
    vec![
        ("XSW1", xsw1),
        ("XSW2", xsw2),
        ("XSW3", xsw3),
        ("XSW4", xsw4),
        ("XSW5", xsw5),
        ("XSW6", xsw6),
        ("XSW7", xsw7),
        ("XSW8", xsw8),
    ]
}

#[test]
fn saml_rejects_signature_wrapping_xsw1_to_xsw8() {
    let now = now();
    let sp = sp(false);
    let variants = xsw_variants(now);
    assert_eq!(variants.len(), 8);
    for (name, xml) in variants {
        match sp.verify(&b64(&xml), Some(RID), now) {
            Ok(a) => panic!("{name} accepted as {}", a.identity.email),
            Err(reason) => {
                eprintln!("{name}: refused: {reason}");
                assert!(
                    reason.0.contains("signature wrapping") || reason.0.contains("signed"),
                    "{name}: {reason}"
                );
            }
        }
    }
}

#[test]
fn saml_rejects_wrong_destination_recipient_and_audience() {
    let now = now();
    let sp = sp(false);
    let mut r = Resp::new(now, Some(RID));
    r.destination = "https://evil.example/acs".into();
    refused(&sp, &r.signed_response_xml(), Some(RID), now, "destination");
    let mut r = Resp::new(now, Some(RID));
    r.recipient = "https://evil.example/acs".into();
    refused(&sp, &r.signed_assertion_xml(), Some(RID), now, "Recipient");
    let mut r = Resp::new(now, Some(RID));
    r.audience = Some("https://other-sp.example/metadata".into());
    refused(&sp, &r.signed_assertion_xml(), Some(RID), now, "Audience");
    let mut r = Resp::new(now, Some(RID));
    r.audience = None;
    refused(
        &sp,
        &r.signed_assertion_xml(),
        Some(RID),
        now,
        "no AudienceRestriction",
    );
}

#[test]
fn saml_rejects_a_wrong_issuer_and_a_failed_status() {
    let now = now();
    let sp = sp(false);
    let mut r = Resp::new(now, Some(RID));
    r.issuer = "https://evil.example/idp".into();
    refused(&sp, &r.signed_response_xml(), Some(RID), now, "Issuer");
    let mut r = Resp::new(now, Some(RID));
    r.status = "urn:oasis:names:tc:SAML:2.0:status:Requester".into();
    refused(&sp, &r.signed_response_xml(), Some(RID), now, "Status");
}

#[test]
fn saml_rejects_expired_and_not_yet_valid_assertions_one_second_around_the_skew() {
    let issued = now();
    let sp = sp(false);
    let skew = portal_sso::saml::CLOCK_SKEW_SECONDS;
    let mut r = Resp::new(issued, Some(RID));
    r.not_on_or_after = issued.plus_seconds(120);
    let xml = r.signed_assertion_xml();
    let expiry = Timestamp(r.not_on_or_after.0 / 1000 * 1000);
    // NotOnOrAfter + skew is the first instant refused.
    accepted(&sp, &xml, Some(RID), expiry.plus_seconds(skew - 1));
    refused(
        &sp,
        &xml,
        Some(RID),
        expiry.plus_seconds(skew + 1),
        "expired",
    );
    let mut r = Resp::new(issued, Some(RID));
    r.not_before = issued.plus_seconds(120);
    r.not_on_or_after = issued.plus_seconds(400);
    let xml = r.signed_assertion_xml();
    let start = Timestamp(r.not_before.0 / 1000 * 1000);
    refused(
        &sp,
        &xml,
        Some(RID),
        start.plus_seconds(-skew - 1),
        "not valid before",
    );
    accepted(&sp, &xml, Some(RID), start.plus_seconds(-skew + 1));
    // An assertion issued long ago is refused even inside its Conditions.
    let mut r = Resp::new(issued.plus_seconds(-3600), Some(RID));
    r.not_before = issued.plus_seconds(-3600);
    r.not_on_or_after = issued.plus_seconds(3600);
    refused(
        &sp,
        &r.signed_assertion_xml(),
        Some(RID),
        issued,
        "older than",
    );
}

#[test]
fn saml_rejects_xxe_and_oversized_documents() {
    let now = now();
    let sp = sp(false);
    let xml = Resp::new(now, Some(RID)).signed_assertion_xml().replacen(
        "<samlp:Response",
        "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><samlp:Response",
        1,
    );
    refused(&sp, &xml, Some(RID), now, "DTD");
    let big = Resp::new(now, Some(RID)).signed_assertion_xml().replacen(
        "</samlp:Response>",
        &format!("{}</samlp:Response>", " ".repeat(300 * 1024)),
        1,
    );
    refused(&sp, &big, Some(RID), now, "larger than 256 KiB");
    assert!(
        sp.verify("not base64!", Some(RID), now)
            .unwrap_err()
            .0
            .contains("base64")
    );
    let pi = Resp::new(now, Some(RID)).signed_assertion_xml().replacen(
        "<saml:Issuer>",
        "<?evil x?><saml:Issuer>",
        1,
    );
    refused(&sp, &pi, Some(RID), now, "processing instruction");
}

#[test]
fn saml_metadata_names_our_entity_acs_and_asks_for_signed_assertions() {
    let md = sp(false).metadata_xml().unwrap();
    assert!(md.contains(SP), "{md}");
    assert!(md.contains(ACS), "{md}");
    assert!(md.contains("WantAssertionsSigned=\"true\""), "{md}");
    assert!(!md.contains("SingleLogoutService"), "{md}");
}

// ------------------------------------------------------------ through the use case

async fn saml_world(idp_initiated: bool) -> World {
    world(now(), Some(Arc::new(sp(idp_initiated))), None, |_| {}).await
}

/// Starts a login and returns the request id the identity provider was sent.
async fn start(w: &World, return_to: Option<&str>) -> String {
    let url = w.sso.saml_start(return_to.map(Into::into)).await.unwrap();
    assert!(
        url.starts_with("https://idp.example.test/sso?SAMLRequest="),
        "{url}"
    );
    let encoded = url
        .split("SAMLRequest=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let decoded = percent_decode(encoded);
    use base64::Engine as _;
    let deflated = base64::engine::general_purpose::STANDARD
        .decode(decoded)
        .unwrap();
    let xml = inflate(&deflated);
    let id = xml
        .split("ID=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(id.len() >= 33, "request ids carry 128+ random bits: {id}");
    id.to_string()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn inflate(data: &[u8]) -> String {
    // The test machine's python3 inflates raw deflate (zlib with wbits = -15).
    let mut child = std::process::Command::new("python3")
        .args(["-c", "import sys,zlib; sys.stdout.write(zlib.decompress(sys.stdin.buffer.read(), -15).decode())"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn saml_login_answers_its_request_once_and_starts_a_session() {
    futures::executor::block_on(async {
        let w = saml_world(false).await;
        let id = start(&w, Some("/acme/tickets/9")).await;
        let xml = Resp::new(now(), Some(&id)).signed_assertion_xml();
        let login = w.sso.saml_acs(&b64(&xml), None).await.unwrap();
        assert_eq!(login.customer.contact.email, "sso.user@acme.example");
        assert_eq!(login.return_to.as_deref(), Some("/acme/tickets/9"));
        assert_eq!(
            w.t.ports
                .sso
                .linked_contact(SsoKind::Saml, "sso.user@acme.example")
                .await
                .unwrap(),
            Some(login.customer.contact.id)
        );
        // The same response again: its request is answered already.
        match w.sso.saml_acs(&b64(&xml), None).await {
            Err(Error::SsoRefused(r)) => assert!(r.0.contains("not an outstanding request"), "{r}"),
            other => panic!("replay accepted: {other:?}"),
        }
    });
}

#[test]
fn saml_rejects_unknown_in_response_to() {
    futures::executor::block_on(async {
        let w = saml_world(false).await;
        let xml = Resp::new(now(), Some("_never_asked_for_this_request_id")).signed_assertion_xml();
        match w.sso.saml_acs(&b64(&xml), None).await {
            Err(Error::SsoRefused(r)) => assert!(r.0.contains("not an outstanding request"), "{r}"),
            other => panic!("accepted: {other:?}"),
        }
    });
}

#[test]
fn saml_rejects_a_response_to_another_request_than_the_one_it_names() {
    futures::executor::block_on(async {
        let w = saml_world(false).await;
        let id = start(&w, None).await;
        let other = start(&w, None).await;
        // Signed for `id`, but the (unsigned) envelope claims `other`.
        let xml = Resp::new(now(), Some(&id)).signed_assertion_xml().replacen(
            &format!("InResponseTo=\"{id}\""),
            &format!("InResponseTo=\"{other}\""),
            1,
        );
        assert!(matches!(
            w.sso.saml_acs(&b64(&xml), None).await,
            Err(Error::SsoRefused(_))
        ));
    });
}

#[test]
fn saml_rejects_the_same_response_posted_twice_at_once() {
    futures::executor::block_on(async {
        let w = saml_world(false).await;
        let id = start(&w, None).await;
        let xml = b64(&Resp::new(now(), Some(&id)).signed_assertion_xml());
        let (a, b) = futures::join!(w.sso.saml_acs(&xml, None), w.sso.saml_acs(&xml, None));
        assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    });
}

#[test]
fn saml_rejects_unsolicited_responses_unless_idp_initiated_login_is_on() {
    futures::executor::block_on(async {
        let w = saml_world(false).await;
        let xml = b64(&Resp::new(now(), None).signed_assertion_xml());
        match w.sso.saml_acs(&xml, Some("/acme".into())).await {
            Err(Error::SsoRefused(r)) => assert!(r.0.contains("unsolicited"), "{r}"),
            other => panic!("accepted: {other:?}"),
        }
        let w = saml_world(true).await;
        let login = w
            .sso
            .saml_acs(&xml, Some("/acme/tickets".into()))
            .await
            .unwrap();
        assert_eq!(login.return_to.as_deref(), Some("/acme/tickets"));
        // An assertion is used once, also unsolicited (the replay cache).
        match w.sso.saml_acs(&xml, None).await {
            Err(Error::SsoRefused(r)) => assert!(r.0.contains("already used"), "{r}"),
            other => panic!("replay accepted: {other:?}"),
        }
    });
}

#[test]
fn saml_rejects_an_expired_request() {
    futures::executor::block_on(async {
        let w = saml_world(false).await;
        let id = start(&w, None).await;
        w.t.clock
            .advance_seconds(portal_core::usecases::sso::SAML_REQUEST_LIFETIME_SECONDS + 1);
        let xml = b64(&Resp::new(now(), Some(&id)).signed_assertion_xml());
        assert!(matches!(
            w.sso.saml_acs(&xml, None).await,
            Err(Error::SsoRefused(_))
        ));
    });
}
