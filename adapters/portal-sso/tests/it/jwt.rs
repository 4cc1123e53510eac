//! JWT single sign-on (SECURITY rules 10–13) and every JWT attack case of SECURITY.md. Tokens
//! are minted by the independent encoder in `support`, never by jsonwebtoken.

use std::collections::BTreeSet;
use std::sync::Arc;

use portal_core::Error;
use portal_core::access::{EntryDenied, SsoAccess};
use portal_core::model::Timestamp;
use portal_core::ports::{JwtVerifier, SsoKind};
use portal_core::usecases::sso::inside_portal;
use portal_sso::{HsJwt, SecretError, mask_secret, parse_secret};
use serde_json::{Value, json};

use crate::support::*;

const NOW: i64 = 1_790_000_000;

fn at() -> Timestamp {
    Timestamp(NOW * 1000)
}

fn verifier() -> HsJwt {
    HsJwt::new(
        &secret(),
        Some("https://app.example.test/portal-login".into()),
    )
    .unwrap()
}

fn header() -> Value {
    json!({"alg": "HS256", "typ": "JWT"})
}

fn claims() -> Value {
    json!({
        "iat": NOW,
        "jti": "jti-1",
        "email": "Jay.Wt@Acme.Example",
        "name": "Jay Wt",
        "external_id": "app-user-7",
        "organization": "Acme",
        "locale": "de-DE"
    })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn without(mut v: Value, key: &str) -> Value {
    v.as_object_mut().unwrap().remove(key);
    v
}

fn refused(token: &str, reason: &str) {
    match verifier().verify(token, at()) {
        Ok(v) => panic!("accepted {token}: {v:?}"),
        Err(r) => assert!(
            r.0.contains(reason),
            "refused for {:?}, expected a reason containing {reason:?}",
            r.0
        ),
    }
}

#[test]
fn jwt_accepts_a_valid_token_and_reads_every_claim() {
    let v = verifier()
        .verify(&mint(&header(), &claims(), &secret()), at())
        .unwrap();
    assert_eq!(v.identity.email, "Jay.Wt@Acme.Example");
    assert_eq!(v.identity.name, "Jay Wt");
    assert_eq!(v.identity.external_id.as_deref(), Some("app-user-7"));
    assert_eq!(v.identity.organization.as_deref(), Some("Acme"));
    assert_eq!(v.identity.locale.as_deref(), Some("de-DE"));
    assert_eq!(v.jti, "jti-1");
    assert!(
        v.keep_until >= at().plus_seconds(180),
        "the jti is kept at least 180 s plus skew"
    );
}

#[test]
fn jwt_rejects_alg_none() {
    let h = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let c = b64url(claims().to_string().as_bytes());
    refused(
        &format!("{h}.{c}."),
        "malformed header or unsupported algorithm",
    );
    let h = b64url(br#"{"alg":"None","typ":"JWT"}"#);
    refused(
        &format!("{h}.{c}."),
        "malformed header or unsupported algorithm",
    );
}

#[test]
fn jwt_rejects_other_algorithms_and_hs256_signed_with_the_rsa_public_key() {
    let public_pem = std::fs::read(keys().dir.join("idp.pub")).unwrap();
    // The key-confusion attack: an RS256 header, HMAC'd with the public key.
    let rs = mint(
        &json!({"alg": "RS256", "typ": "JWT"}),
        &claims(),
        &public_pem,
    );
    refused(&rs, "is not HS256");
    // The same public key as an HS256 secret: the signature does not match ours.
    let hs = mint(&header(), &claims(), &public_pem);
    refused(&hs, "signature");
    let hs512 = mint(&json!({"alg": "HS512"}), &claims(), &secret());
    refused(&hs512, "is not HS256");
}

#[test]
fn jwt_rejects_wrong_stripped_and_tampered_signatures() {
    let wrong = mint(
        &header(),
        &claims(),
        b"another secret that is long enough!!",
    );
    refused(&wrong, "signature");
    let good = mint(&header(), &claims(), &secret());
    let (signed, _) = good.rsplit_once('.').unwrap();
    refused(&format!("{signed}."), "signature");
    refused(signed, "");
    // Tampered claims under the original signature.
    let sig = good.rsplit('.').next().unwrap();
    let h = good.split('.').next().unwrap();
    let evil = b64url(
        with(claims(), "email", json!("ceo@acme.example"))
            .to_string()
            .as_bytes(),
    );
    refused(&format!("{h}.{evil}.{sig}"), "signature");
    // A flipped signature bit.
    let mut bytes = good.into_bytes();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    refused(&String::from_utf8(bytes).unwrap(), "signature");
}

#[test]
fn jwt_rejects_iat_missing_or_beyond_180_seconds() {
    refused(
        &mint(&header(), &without(claims(), "iat"), &secret()),
        "iat is missing",
    );
    for off in [181, -181, 3600, -86_400] {
        refused(
            &mint(
                &header(),
                &with(claims(), "iat", json!(NOW + off)),
                &secret(),
            ),
            "more than 180 s",
        );
    }
    for off in [180, -180, 179, -179, 0] {
        verifier()
            .verify(
                &mint(
                    &header(),
                    &with(claims(), "iat", json!(NOW + off)),
                    &secret(),
                ),
                at(),
            )
            .unwrap_or_else(|e| panic!("iat {off:+} s refused: {e}"));
    }
    refused(
        &mint(
            &header(),
            &with(claims(), "iat", json!(NOW.to_string())),
            &secret(),
        ),
        "must be a number",
    );
}

#[test]
fn jwt_rejects_string_typed_exp_and_checks_exp_and_nbf_when_present() {
    refused(
        &mint(
            &header(),
            &with(claims(), "exp", json!("99999999999")),
            &secret(),
        ),
        "claim exp must be a number",
    );
    refused(
        &mint(&header(), &with(claims(), "exp", json!(NOW)), &secret()),
        "expired",
    );
    refused(
        &mint(
            &header(),
            &with(claims(), "nbf", json!(NOW + 10)),
            &secret(),
        ),
        "not valid before",
    );
    refused(
        &mint(&header(), &with(claims(), "nbf", json!("0")), &secret()),
        "claim nbf must be a number",
    );
    let ok = with(
        with(claims(), "exp", json!(NOW + 60)),
        "nbf",
        json!(NOW - 1),
    );
    let v = verifier()
        .verify(&mint(&header(), &ok, &secret()), at())
        .unwrap();
    assert!(v.keep_until >= Timestamp((NOW + 60) * 1000));
}

#[test]
fn jwt_ignores_injected_kid_jku_x5u_and_jwk_headers() {
    let attacker = b"attacker-controlled key material!!!!";
    for extra in [
        json!({"kid": "../../../../dev/null"}),
        json!({"kid": "' UNION SELECT 'key"}),
        json!({"jku": "https://evil.example/jwks.json"}),
        json!({"x5u": "https://evil.example/cert.pem"}),
        json!({"jwk": {"kty": "oct", "k": b64url(attacker)}}),
    ] {
        let mut h = header();
        for (k, v) in extra.as_object().unwrap() {
            h[k] = v.clone();
        }
        refused(&mint(&h, &claims(), attacker), "signature");
        // With our own secret the header is simply ignored.
        verifier()
            .verify(&mint(&h, &claims(), &secret()), at())
            .unwrap_or_else(|e| panic!("{h} refused although signed with the secret: {e}"));
    }
}

#[test]
fn jwt_rejects_missing_required_claims() {
    refused(
        &mint(&header(), &without(claims(), "email"), &secret()),
        "email is missing",
    );
    refused(
        &mint(&header(), &with(claims(), "email", json!("")), &secret()),
        "email is missing",
    );
    refused(
        &mint(&header(), &without(claims(), "name"), &secret()),
        "name is missing",
    );
    refused(
        &mint(&header(), &without(claims(), "jti"), &secret()),
        "jti is missing",
    );
    refused(
        &mint(
            &header(),
            &with(claims(), "email", json!(["a@b.c"])),
            &secret(),
        ),
        "must be a string",
    );
}

#[test]
fn jwt_rejects_oversized_and_malformed_tokens() {
    refused(&"a".repeat(9000), "larger than 8 KiB");
    refused("not-a-jwt", "malformed");
    refused("", "malformed");
}

#[test]
fn jwt_secrets_hold_256_bits_and_are_masked() {
    assert_eq!(parse_secret("abcd"), Err(SecretError::TooShort(16)));
    assert_eq!(parse_secret("xyz"), Err(SecretError::NotHex));
    assert_eq!(
        parse_secret(&"ab".repeat(31)),
        Err(SecretError::TooShort(248))
    );
    assert_eq!(parse_secret(&"ab".repeat(32)).unwrap().len(), 32);
    assert!(HsJwt::new(&[7u8; 31], None).is_err());
    let masked = mask_secret(SECRET_HEX);
    assert!(masked.starts_with("8f3c") && masked.contains("2f1a") && masked.contains("256 bits"));
    assert!(!masked.contains(&SECRET_HEX[4..60]));
}

#[test]
fn jwt_rejects_off_site_return_to() {
    let origin = "https://help.example.test";
    for evil in [
        "https://evil.example/acme",
        "//evil.example/acme",
        "/\\evil.example",
        "https://help.example.test.evil.example/acme",
        "/acme/../admin",
        "/acme/%2e%2e/admin",
        "/acme//evil.example",
        "javascript:alert(1)",
        "/other-portal/tickets",
        "/acmeevil",
        "/acme/\ttickets",
    ] {
        assert_eq!(inside_portal(evil, origin, "/acme"), None, "{evil}");
    }
    for good in [
        "/acme",
        "/acme/tickets/7",
        "/acme?view=mine",
        "/acme/tickets?page=2",
    ] {
        assert_eq!(inside_portal(good, origin, "/acme").as_deref(), Some(good));
    }
    assert_eq!(
        inside_portal("https://help.example.test/acme/tickets/7", origin, "/acme").as_deref(),
        Some("/acme/tickets/7")
    );
}

async fn jwt_world(edit: impl FnOnce(&mut portal_core::settings::PortalSettings)) -> World {
    world(at(), None, Some(Arc::new(verifier())), edit).await
}

#[test]
fn jwt_login_creates_the_contact_links_it_and_starts_a_session() {
    futures::executor::block_on(async {
        let w = jwt_world(|_| {}).await;
        let token = mint(&header(), &claims(), &secret());
        let login = w
            .sso
            .jwt_login(&token, Some("/acme/tickets/3".into()))
            .await
            .unwrap();
        assert_eq!(login.customer.contact.email, "jay.wt@acme.example");
        assert_eq!(login.customer.contact.first_name, "Jay");
        assert_eq!(login.customer.contact.language.as_deref(), Some("de"));
        assert!(login.customer.account.email_confirmed);
        assert!(login.customer.account.password_hash.is_none());
        assert_eq!(login.return_to.as_deref(), Some("/acme/tickets/3"));
        assert_eq!(
            w.t.ports
                .sso
                .linked_contact(SsoKind::Jwt, "app-user-7")
                .await
                .unwrap(),
            Some(login.customer.contact.id)
        );
        let stored =
            w.t.ports
                .sessions
                .get(&login.session.session.token_hash)
                .await
                .unwrap();
        assert!(stored.is_some(), "a server-side session");
        // The user changes their email at the app: the external id still finds the contact.
        let token = mint(
            &header(),
            &with(
                with(claims(), "jti", json!("jti-2")),
                "email",
                json!("jay@new.example"),
            ),
            &secret(),
        );
        let again = w.sso.jwt_login(&token, None).await.unwrap();
        assert_eq!(again.customer.contact.id, login.customer.contact.id);
        assert_ne!(
            again.session.token, login.session.token,
            "a fresh session each time"
        );
    });
}

#[test]
fn jwt_rejects_a_replayed_jti_also_two_at_once() {
    futures::executor::block_on(async {
        let w = jwt_world(|_| {}).await;
        let token = mint(&header(), &claims(), &secret());
        w.sso.jwt_login(&token, None).await.unwrap();
        match w.sso.jwt_login(&token, None).await {
            Err(Error::SsoRefused(r)) => assert!(r.0.contains("already used"), "{r}"),
            other => panic!("replay accepted: {other:?}"),
        }
        let token = mint(
            &header(),
            &with(claims(), "jti", json!("jti-race")),
            &secret(),
        );
        let (a, b) = futures::join!(w.sso.jwt_login(&token, None), w.sso.jwt_login(&token, None));
        assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    });
}

#[test]
fn jwt_rejects_a_user_outside_the_allowed_lists() {
    futures::executor::block_on(async {
        let (w, list) = memory_list_world().await;
        // A new identity is on no list: refused, and nothing is created.
        let token = mint(&header(), &claims(), &secret());
        assert_eq!(
            w.sso.jwt_login(&token, None).await.err(),
            Some(Error::EntryDenied(EntryDenied::NotOnSsoList))
        );
        let d = &w.t.ports.directory;
        assert!(
            d.contact_by_email("jay.wt@acme.example")
                .await
                .unwrap()
                .is_none()
        );
        // A known contact not on the list: refused.
        let contact = d
            .create_contact(portal_core::ports::NewContact {
                email: "jay.wt@acme.example".into(),
                membership_email: None,
                first_name: "Jay".into(),
                last_name: "Wt".into(),
                primary_company: None,
                language: None,
                properties: Default::default(),
            })
            .await
            .unwrap();
        let token = mint(&header(), &with(claims(), "jti", json!("jti-2")), &secret());
        assert_eq!(
            w.sso.jwt_login(&token, None).await.err(),
            Some(Error::EntryDenied(EntryDenied::NotOnSsoList))
        );
        assert!(
            w.t.ports
                .accounts
                .by_contact(contact.id)
                .await
                .unwrap()
                .is_none()
        );
        // On the list: in.
        d.add_member(list, contact.id).await.unwrap();
        let token = mint(&header(), &with(claims(), "jti", json!("jti-3")), &secret());
        let login = w.sso.jwt_login(&token, None).await.unwrap();
        assert_eq!(login.customer.contact.id, contact.id);
    });
}

#[test]
fn jwt_without_contact_creation_lets_only_known_contacts_in() {
    futures::executor::block_on(async {
        let w = jwt_world(|s| s.access.sso_create_contacts = false).await;
        let token = mint(&header(), &claims(), &secret());
        assert_eq!(
            w.sso.jwt_login(&token, None).await.err(),
            Some(Error::EntryDenied(EntryDenied::UnknownSsoUser))
        );
        assert!(
            w.t.ports
                .directory
                .contact_by_email("jay.wt@acme.example")
                .await
                .unwrap()
                .is_none(),
            "nothing half-written"
        );
    });
}

#[test]
fn jwt_organization_sets_the_primary_company_only_when_allowed() {
    futures::executor::block_on(async {
        let w = jwt_world(|_| {}).await;
        let acme =
            w.t.ports
                .directory
                .create_company("Acme", Some("acme.example"))
                .await
                .unwrap();
        let login = w
            .sso
            .jwt_login(&mint(&header(), &claims(), &secret()), None)
            .await
            .unwrap();
        assert_eq!(
            login.customer.contact.primary_company, None,
            "off by default"
        );
        let mut s = w.t.ports.settings.load().await.unwrap();
        s.access.sso_sets_company = true;
        w.t.ports.settings.save(&s).await.unwrap();
        let token = mint(&header(), &with(claims(), "jti", json!("jti-4")), &secret());
        let login = w.sso.jwt_login(&token, None).await.unwrap();
        assert_eq!(login.customer.contact.primary_company, Some(acme.id));
    });
}

#[test]
fn jwt_refuses_when_sso_is_off_or_the_portal_is_off() {
    futures::executor::block_on(async {
        let w = jwt_world(|s| s.access.sso = SsoAccess::Off).await;
        let token = mint(&header(), &claims(), &secret());
        assert_eq!(
            w.sso.jwt_login(&token, None).await.err(),
            Some(Error::EntryDenied(EntryDenied::SsoOff))
        );
        let w = jwt_world(|s| s.enabled = false).await;
        let token = mint(&header(), &claims(), &secret());
        assert_eq!(
            w.sso.jwt_login(&token, None).await.err(),
            Some(Error::PortalOff)
        );
    });
}

async fn memory_list_world() -> (World, portal_core::model::ListId) {
    let w = jwt_world(|_| {}).await;
    let list = w.t.ports.directory.create_list("SSO users").await.unwrap();
    let mut s = w.t.ports.settings.load().await.unwrap();
    s.access.sso = SsoAccess::Lists(BTreeSet::from([list.id]));
    w.t.ports.settings.save(&s).await.unwrap();
    (w, list.id)
}
