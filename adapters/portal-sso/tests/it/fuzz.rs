//! Fuzz targets for the single sign-on parsers (time-bounded, see `portal_testkit::fuzz`):
//! JWTs and SAML responses built from fragments of their formats, random bytes, and edits
//! of a valid one. Nothing panics, and nothing is accepted that the identity provider did
//! not sign: an accepted JWT carries our HMAC over exactly its header and claims, and an
//! accepted SAML response vouches for the identity the provider signed.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use portal_core::model::Timestamp;
use portal_core::ports::{JwtVerifier, SamlServiceProvider};
use portal_sso::HsJwt;
use portal_testkit::fuzz;
use proptest::prelude::*;
use serde_json::json;

use crate::support::*;

const NOW: i64 = 1_790_000_000;

fn valid_jwt() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        mint(
            &json!({"alg": "HS256", "typ": "JWT"}),
            &json!({"iat": NOW, "jti": "jti-1", "email": "jay@acme.example", "name": "Jay"}),
            &secret(),
        )
    })
}

const JWT_FRAGMENTS: &[&str] = &[
    ".",
    "..",
    "eyJ",
    // {"alg":"HS256","typ":"JWT"}
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    // {"alg":"none"}
    "eyJhbGciOiJub25lIn0",
    // {"alg":"HS512"}
    "eyJhbGciOiJIUzUxMiJ9",
    // {"iat":1790000000,"jti":"x","email":"a@b.example"}
    "eyJpYXQiOjE3OTAwMDAwMDAsImp0aSI6IngiLCJlbWFpbCI6ImFAYi5leGFtcGxlIn0",
    // {"iat":"1790000000"}
    "eyJpYXQiOiIxNzkwMDAwMDAwIn0",
    "AAAA",
    "____",
    "----",
    "=",
    "+",
    "/",
    "%",
    " ",
    "\u{0}",
];

/// Whether `token`'s signature is the HMAC-SHA256 of its first two parts under the secret
/// (computed by the independent encoder in `support`).
fn signed_by_us(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return false;
    }
    let input = format!("{}.{}", parts[0], parts[1]);
    let expected = hmac_sha256(&secret(), input.as_bytes());
    URL_SAFE_NO_PAD
        .decode(parts[2])
        .is_ok_and(|s| s == expected)
}

#[test]
fn fuzz_jwt_tokens_never_panic_and_only_signed_ones_pass() {
    let verifier = HsJwt::new(&secret(), None).unwrap();
    let at = Timestamp(NOW * 1000);
    let valid = valid_jwt();
    let edits = (0..valid.len(), any::<u8>(), 0..3usize).prop_map(move |(at, byte, how)| {
        let mut b = valid.as_bytes().to_vec();
        match how {
            0 => b[at] = byte,
            1 => {
                b.remove(at);
            }
            _ => b.insert(at, byte),
        }
        String::from_utf8_lossy(&b).into_owned()
    });
    let tokens = prop_oneof![fuzz::mixed_text(JWT_FRAGMENTS, 12), edits];
    fuzz::run("jwt", tokens, |token| {
        if let Ok(v) = verifier.verify(&token, at) {
            prop_assert!(signed_by_us(&token), "accepted unsigned {token:?}: {v:?}");
        }
        Ok(())
    });
}

/// A response signed by the identity provider, and the time it is valid at.
fn signed_response() -> &'static (String, Timestamp) {
    static SIGNED: OnceLock<(String, Timestamp)> = OnceLock::new();
    SIGNED.get_or_init(|| {
        let now = now();
        (
            Resp::new(now, Some("_req-fuzz")).signed_assertion_xml(),
            now,
        )
    })
}

const XML_FRAGMENTS: &[&str] = &[
    "<",
    ">",
    "/>",
    "</",
    "\"",
    "'",
    "=",
    " ",
    "saml:",
    "samlp:",
    "ds:",
    "ID=\"x\"",
    "Assertion",
    "Response",
    "NameID",
    "Signature",
    "evil@attacker.example",
    "<!--x-->",
    "<![CDATA[x]]>",
    "&amp;",
    "&xxe;",
    "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
    "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"",
    "\u{0}",
    "é",
];

#[test]
fn fuzz_saml_responses_never_panic_and_only_the_signed_identity_passes() {
    let sp = sp(false);
    let (xml, at) = signed_response();
    let at = *at;
    // The unedited response passes: the target edits something that verifies.
    let signed = sp.verify(&b64(xml), Some("_req-fuzz"), at).unwrap();
    let edits = (
        0..xml.len(),
        0..4usize,
        proptest::sample::select(XML_FRAGMENTS),
        1..16usize,
    )
        .prop_map(move |(at, how, fragment, len)| {
            let at = (0..=at)
                .rev()
                .find(|i| xml.is_char_boundary(*i))
                .unwrap_or(0);
            let end = (at + len..=xml.len())
                .find(|i| xml.is_char_boundary(*i))
                .unwrap_or(xml.len());
            match how {
                0 => format!("{}{fragment}{}", &xml[..at], &xml[at..]),
                1 => format!("{}{}", &xml[..at], &xml[end..]),
                2 => format!("{}{fragment}{}", &xml[..at], &xml[end..]),
                _ => format!("{}{}{}", &xml[..at], &xml[at..end], &xml[at..]),
            }
        });
    let responses = prop_oneof![
        2 => edits.prop_map(|x| b64(&x)),
        1 => fuzz::mixed_text(XML_FRAGMENTS, 24).prop_map(|x| b64(&x)),
        1 => fuzz::mixed_text(&["PHNhbWw", "PD94bWw", "=", "+", "/", "AAAA", "%"], 16),
    ];
    fuzz::run("saml", responses, |response| {
        let _ = sp.in_response_to(&response);
        if let Ok(a) = sp.verify(&response, Some("_req-fuzz"), at) {
            prop_assert_eq!(&a.identity, &signed.identity);
            prop_assert_eq!(&a.assertion_id, &signed.assertion_id);
        }
        Ok(())
    });
}
