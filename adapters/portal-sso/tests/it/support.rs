//! Fixtures: an independent JWT encoder (HMAC-SHA256 written here over `sha2`, not
//! jsonwebtoken), test keys from the `openssl` command, SAML responses signed by Debian's
//! `xmlsec1` command, and memory ports for the use case.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use portal_core::access::SsoAccess;
use portal_core::model::Timestamp;
use portal_core::ports::{JwtVerifier, SamlServiceProvider};
use portal_core::settings::PortalSettings;
use portal_core::usecases::sso::SingleSignOn;
use portal_testkit::memory::{TestPorts, memory_ports};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------- JWT

/// HMAC-SHA256 (RFC 2104), independent of the code under test.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(data);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWT with this header and claims, signed with HMAC-SHA256 under `key`.
pub fn mint(header: &serde_json::Value, claims: &serde_json::Value, key: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let sig = hmac_sha256(key, signing_input.as_bytes());
    format!("{signing_input}.{}", b64url(&sig))
}

pub const SECRET_HEX: &str = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a";

pub fn secret() -> Vec<u8> {
    portal_sso::parse_secret(SECRET_HEX).unwrap()
}

// ---------------------------------------------------------------- keys and xmlsec1

pub struct Keys {
    pub dir: PathBuf,
}

impl Keys {
    pub fn key(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.key"))
    }
    pub fn cert(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.crt"))
    }
    /// The certificate body (base64 DER) for metadata.
    pub fn cert_b64(&self, name: &str) -> String {
        std::fs::read_to_string(self.cert(name))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect()
    }
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (scripts/test installs it)"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Two RSA key pairs with self-signed certificates: the identity provider's (`idp`) and an
/// attacker's (`evil`); and an RSA public key in PEM for the key-confusion case.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("portal-sso-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["idp", "evil"] {
            run(Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                ])
                .arg(format!("/CN={name}.example"))
                .arg("-keyout")
                .arg(dir.join(format!("{name}.key")))
                .arg("-out")
                .arg(dir.join(format!("{name}.crt"))));
        }
        run(Command::new("openssl")
            .args(["x509", "-pubkey", "-noout", "-in"])
            .arg(dir.join("idp.crt"))
            .stdout(std::process::Stdio::piped()))
        .stdout
        .pipe(|pem| std::fs::write(dir.join("idp.pub"), pem).unwrap());
        Keys { dir }
    })
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

/// Signs the first `<ds:Signature>` template of `xml` with `xmlsec1`.
pub fn xmlsec_sign(xml: &str, key: &Path, cert: &Path) -> String {
    let dir = &keys().dir;
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let input = dir.join(format!("in-{n}.xml"));
    let output = dir.join(format!("out-{n}.xml"));
    std::fs::write(&input, xml).unwrap();
    run(Command::new("xmlsec1")
        .arg("--sign")
        .arg("--privkey-pem")
        .arg(format!("{},{}", key.display(), cert.display()))
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--output",
        ])
        .arg(&output)
        .arg(&input));
    std::fs::read_to_string(&output).unwrap()
}

// ---------------------------------------------------------------- SAML

pub const IDP: &str = "https://idp.example.test/saml";
pub const SP: &str = "https://help.example.test/acme/sso/saml/metadata";
pub const ACS: &str = "https://help.example.test/acme/sso/saml/acs";

pub fn idp_metadata(cert_b64: Option<&str>) -> String {
    let key = cert_b64
        .map(|c| {
            format!(
                r#"<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{IDP}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    {key}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#
    )
}

pub fn sp(idp_initiated: bool) -> portal_sso::SamlSp {
    portal_sso::SamlSp::new(portal_sso::SamlConfig {
        idp_metadata_xml: idp_metadata(Some(&keys().cert_b64("idp"))),
        entity_id: SP.into(),
        acs_url: ACS.into(),
        metadata_url: SP.into(),
        idp_initiated,
    })
    .unwrap()
}

pub fn iso(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(t.0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// What goes into a test response.
#[derive(Clone)]
pub struct Resp {
    pub now: Timestamp,
    pub request_id: Option<String>,
    pub email: String,
    pub issuer: String,
    pub audience: Option<String>,
    pub recipient: String,
    pub destination: String,
    pub not_before: Timestamp,
    pub not_on_or_after: Timestamp,
    pub assertion_id: String,
    pub status: String,
    pub organization: Option<String>,
    pub sha1: bool,
}

impl Resp {
    pub fn new(now: Timestamp, request_id: Option<&str>) -> Resp {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Resp {
            now,
            request_id: request_id.map(Into::into),
            email: "sso.user@acme.example".into(),
            issuer: IDP.into(),
            audience: Some(SP.into()),
            recipient: ACS.into(),
            destination: ACS.into(),
            not_before: now.plus_seconds(-5),
            not_on_or_after: now.plus_seconds(300),
            assertion_id: format!("_assertion{n}x{}", std::process::id()),
            status: "urn:oasis:names:tc:SAML:2.0:status:Success".into(),
            organization: None,
            sha1: false,
        }
    }

    fn signature_template(&self, id: &str) -> String {
        let (sig, dig) = if self.sha1 {
            (
                "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                "http://www.w3.org/2000/09/xmldsig#sha1",
            )
        } else {
            (
                "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "http://www.w3.org/2001/04/xmlenc#sha256",
            )
        };
        format!(
            r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{sig}"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="{dig}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"##
        )
    }

    /// The assertion, with a signature template when `signed`.
    pub fn assertion(&self, signed: bool) -> String {
        let irt = self
            .request_id
            .as_ref()
            .map(|r| format!(r#" InResponseTo="{r}""#))
            .unwrap_or_default();
        let audience = self
            .audience
            .as_ref()
            .map(|a| {
                format!(
                    "<saml:AudienceRestriction><saml:Audience>{a}</saml:Audience></saml:AudienceRestriction>"
                )
            })
            .unwrap_or_default();
        let org = self
            .organization
            .as_ref()
            .map(|o| {
                format!(
                    r#"<saml:Attribute Name="organization"><saml:AttributeValue>{o}</saml:AttributeValue></saml:Attribute>"#
                )
            })
            .unwrap_or_default();
        let sig = if signed {
            self.signature_template(&self.assertion_id)
        } else {
            String::new()
        };
        format!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}"><saml:Issuer>{issuer}</saml:Issuer>{sig}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData{irt} NotOnOrAfter="{noa}" Recipient="{recipient}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{nb}" NotOnOrAfter="{noa}">{audience}</saml:Conditions><saml:AuthnStatement AuthnInstant="{now}" SessionIndex="_session"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="displayName"><saml:AttributeValue>Sam Sso</saml:AttributeValue></saml:Attribute>{org}</saml:AttributeStatement></saml:Assertion>"#,
            id = self.assertion_id,
            now = iso(self.now),
            issuer = self.issuer,
            email = self.email,
            noa = iso(self.not_on_or_after),
            nb = iso(self.not_before),
            recipient = self.recipient,
        )
    }

    /// The response around `assertion`, with a signature template when `signed`.
    pub fn response(&self, assertion: &str, signed: bool) -> String {
        let irt = self
            .request_id
            .as_ref()
            .map(|r| format!(r#" InResponseTo="{r}""#))
            .unwrap_or_default();
        let id = format!("{}-response", self.assertion_id);
        let sig = if signed {
            self.signature_template(&id)
        } else {
            String::new()
        };
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}"{irt}><saml:Issuer>{issuer}</saml:Issuer>{sig}<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>{assertion}</samlp:Response>"#,
            now = iso(self.now),
            dest = self.destination,
            issuer = self.issuer,
            status = self.status,
        )
    }

    /// The usual shape: the assertion signed by the identity provider.
    pub fn signed_assertion_xml(&self) -> String {
        self.signed_with("idp")
    }

    pub fn signed_with(&self, key: &str) -> String {
        let k = keys();
        xmlsec_sign(
            &self.response(&self.assertion(true), false),
            &k.key(key),
            &k.cert(key),
        )
    }

    /// Assertion signed, then the whole response signed.
    pub fn signed_response_xml(&self) -> String {
        let k = keys();
        let inner = self.signed_assertion_xml();
        let id = format!("{}-response", self.assertion_id);
        let with_template = inner.replacen(
            "</saml:Issuer>",
            &format!("</saml:Issuer>{}", self.signature_template(&id)),
            1,
        );
        xmlsec_sign(&with_template, &k.key("idp"), &k.cert("idp"))
    }
}

pub fn b64(xml: &str) -> String {
    STANDARD.encode(xml.as_bytes())
}

// ---------------------------------------------------------------- use case

pub fn now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    )
}

pub struct World {
    pub t: TestPorts,
    pub sso: SingleSignOn,
}

/// Memory ports with the clock at `now`, a portal that is on, SSO open to every user,
/// creating contacts, and the given providers.
pub async fn world(
    now: Timestamp,
    saml: Option<Arc<dyn SamlServiceProvider>>,
    jwt: Option<Arc<dyn JwtVerifier>>,
    edit: impl FnOnce(&mut PortalSettings),
) -> World {
    let t = memory_ports(now);
    let mut s = PortalSettings {
        enabled: true,
        ..PortalSettings::default()
    };
    s.access.sso = SsoAccess::AllUsers;
    s.access.sso_create_contacts = true;
    edit(&mut s);
    t.ports.settings.save(&s).await.unwrap();
    let sso = SingleSignOn::new(t.ports.clone(), saml, jwt);
    World { t, sso }
}
