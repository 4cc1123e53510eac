//! The SAML 2.0 service provider (SECURITY rules 14–17) on samael with its `xmlsec` feature.
//!
//! samael verifies the XML signatures against the identity provider's certificates, keeps
//! only what the signatures cover (so signature-wrapping variants lose their unsigned
//! copies), and checks Destination, Recipient, InResponseTo, Issuer and Status. This module
//! adds what it leaves open: it refuses metadata without a signing certificate, allows only
//! SHA-256-or-stronger algorithms, screens the document before any parser sees it (size,
//! DTDs/entities, comments, processing instructions, CDATA), requires an AudienceRestriction
//! naming us, and checks every time window against the portal's clock. Outstanding request
//! ids and the replay cache live in the core's SSO use case.

use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use portal_core::model::Timestamp;
use portal_core::ports::{SamlAssertion, SamlServiceProvider, SsoIdentity, SsoRefusal};
use samael::crypto::{AllowedSignatureAlgorithm, ReduceMode};
use samael::metadata::EntityDescriptor;
use samael::schema::{Assertion, Response};
use samael::service_provider::{ServiceProvider, ServiceProviderBuilder};
use samael::traits::ToXml;

/// The largest response accepted, decoded.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;
/// The largest identity provider metadata accepted.
pub const MAX_METADATA_BYTES: usize = 1024 * 1024;
/// Clock skew allowed around every SAML time.
pub const CLOCK_SKEW_SECONDS: i64 = 60;
/// How old an assertion may be (its IssueInstant), besides the skew.
pub const MAX_ASSERTION_AGE_SECONDS: i64 = 300;

const REDIRECT_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

/// What the operator configures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamlConfig {
    /// The identity provider's metadata XML.
    pub idp_metadata_xml: String,
    /// Our entity id (by convention the metadata URL).
    pub entity_id: String,
    /// Our assertion consumer service URL.
    pub acs_url: String,
    /// Where our metadata is served.
    pub metadata_url: String,
    /// Accept unsolicited responses (rule 16: off by default).
    pub idp_initiated: bool,
}

/// Why a SAML configuration cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamlSetupError {
    /// The metadata is not usable.
    #[error("identity provider metadata: {0}")]
    Metadata(String),
    /// The metadata names no signing certificate (samael would skip the signature check).
    #[error(
        "identity provider metadata has no signing certificate; refusing it, because responses could not be verified"
    )]
    NoSigningCertificate,
    /// A signing certificate in the metadata is not a certificate.
    #[error("identity provider metadata has a signing certificate that cannot be read: {0}")]
    BadCertificate(String),
    /// Every signing certificate in the metadata has expired.
    #[error(
        "every signing certificate of the identity provider has expired (the latest on {0}); fetch its new metadata"
    )]
    CertificatesExpired(String),
    /// The metadata has no single sign-on service with the HTTP-Redirect binding.
    #[error("identity provider metadata has no SingleSignOnService with the HTTP-Redirect binding")]
    NoRedirectService,
}

/// A configured SAML service provider.
pub struct SamlSp {
    sp: ServiceProvider,
    config: SamlConfig,
    idp_entity_id: String,
    idp_sso_url: String,
    /// When each of the identity provider's signing certificates expires.
    certs_valid_until: Vec<DateTime<Utc>>,
    // libxml2 and xmlsec keep global state; one verification at a time (they take about a
    // millisecond, and logins are rare next to page views).
    lock: Mutex<()>,
}

impl std::fmt::Debug for SamlSp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SamlSp")
            .field("entity_id", &self.config.entity_id)
            .field("idp_entity_id", &self.idp_entity_id)
            .finish()
    }
}

impl SamlSp {
    /// Checks the configuration and the identity provider's metadata.
    pub fn new(config: SamlConfig) -> Result<SamlSp, SamlSetupError> {
        let md = &config.idp_metadata_xml;
        if md.len() > MAX_METADATA_BYTES {
            return Err(SamlSetupError::Metadata("larger than 1 MiB".into()));
        }
        screen(md).map_err(|r| SamlSetupError::Metadata(r.0))?;
        let idp: EntityDescriptor = md
            .parse()
            .map_err(|e| SamlSetupError::Metadata(format!("not SAML metadata: {e}")))?;
        let idp_entity_id = idp
            .entity_id
            .clone()
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| SamlSetupError::Metadata("no entityID".into()))?;
        if idp.idp_sso_descriptors.as_ref().is_none_or(Vec::is_empty) {
            return Err(SamlSetupError::Metadata("no IDPSSODescriptor".into()));
        }
        let sp = ServiceProviderBuilder::default()
            .entity_id(config.entity_id.clone())
            .acs_url(config.acs_url.clone())
            .metadata_url(config.metadata_url.clone())
            .slo_url(config.acs_url.clone())
            .idp_metadata(idp)
            .allow_idp_initiated(config.idp_initiated)
            // Every time window is checked below against the portal's clock; samael's own
            // checks read the system clock, so they get a window that never binds first.
            .max_issue_delay(chrono::Duration::days(3650))
            .max_clock_skew(chrono::Duration::days(3650))
            .allowed_signature_algorithms(Some(vec![
                AllowedSignatureAlgorithm::RsaSha256,
                AllowedSignatureAlgorithm::RsaSha384,
                AllowedSignatureAlgorithm::RsaSha512,
                AllowedSignatureAlgorithm::EcdsaSha256,
                AllowedSignatureAlgorithm::EcdsaSha384,
                AllowedSignatureAlgorithm::EcdsaSha512,
            ]))
            .build()
            .map_err(|e| SamlSetupError::Metadata(e.to_string()))?;
        let certs_valid_until = match sp.idp_signing_certs() {
            Ok(Some(certs)) if !certs.is_empty() => certs
                .iter()
                .map(|c| not_after(c.der_data()))
                .collect::<Result<Vec<_>, _>>()?,
            Ok(_) => return Err(SamlSetupError::NoSigningCertificate),
            Err(e) => return Err(SamlSetupError::Metadata(e.to_string())),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        if let Some(latest) = certs_valid_until.iter().max()
            && latest.timestamp() < now
        {
            return Err(SamlSetupError::CertificatesExpired(
                latest.format("%Y-%m-%d").to_string(),
            ));
        }
        let idp_sso_url = sp
            .sso_binding_location(REDIRECT_BINDING)
            .ok_or(SamlSetupError::NoRedirectService)?;
        Ok(SamlSp {
            sp,
            config,
            idp_entity_id,
            idp_sso_url,
            certs_valid_until,
            lock: Mutex::new(()),
        })
    }

    /// When the identity provider's signing certificates expire, earliest first.
    pub fn certificates_valid_until(&self) -> Vec<DateTime<Utc>> {
        let mut v = self.certs_valid_until.clone();
        v.sort();
        v
    }

    /// The identity provider's single sign-on address (HTTP-Redirect binding).
    pub fn idp_sso_url(&self) -> &str {
        &self.idp_sso_url
    }

    /// The identity provider's entity id.
    pub fn idp_entity_id(&self) -> &str {
        &self.idp_entity_id
    }

    fn check_times(&self, a: &Assertion, now: Timestamp) -> Result<Timestamp, SsoRefusal> {
        let skew = CLOCK_SKEW_SECONDS * 1000;
        let now = now.0;
        let issued = ms(a.issue_instant);
        if issued > now + skew {
            return Err(refuse(format!(
                "assertion IssueInstant {} is in the future",
                a.issue_instant
            )));
        }
        if issued + MAX_ASSERTION_AGE_SECONDS * 1000 + skew < now {
            return Err(refuse(format!(
                "assertion IssueInstant {} is older than {MAX_ASSERTION_AGE_SECONDS} s",
                a.issue_instant
            )));
        }
        let conditions = a
            .conditions
            .as_ref()
            .ok_or_else(|| refuse("assertion has no Conditions"))?;
        let mut valid_until = i64::MAX;
        if let Some(nb) = conditions.not_before
            && now < ms(nb) - skew
        {
            return Err(refuse(format!("assertion is not valid before {nb}")));
        }
        if let Some(noa) = conditions.not_on_or_after {
            if now >= ms(noa) + skew {
                return Err(refuse(format!("assertion expired at {noa}")));
            }
            valid_until = valid_until.min(ms(noa));
        }
        let data = a
            .subject
            .as_ref()
            .and_then(|s| s.subject_confirmations.as_ref())
            .into_iter()
            .flatten()
            .filter(|c| c.method.as_deref() == Some("urn:oasis:names:tc:SAML:2.0:cm:bearer"))
            .filter_map(|c| c.subject_confirmation_data.as_ref())
            .filter(|d| d.recipient.as_deref() == Some(self.config.acs_url.as_str()))
            .collect::<Vec<_>>();
        let mut bearer_ok = false;
        let mut last_problem = String::from("assertion has no bearer SubjectConfirmation for us");
        for d in data {
            match (d.not_before, d.not_on_or_after) {
                (Some(nb), _) if now < ms(nb) - skew => {
                    last_problem = format!("SubjectConfirmation is not valid before {nb}");
                }
                (_, None) => {
                    last_problem = "SubjectConfirmationData has no NotOnOrAfter".into();
                }
                (_, Some(noa)) if now >= ms(noa) + skew => {
                    last_problem = format!("SubjectConfirmation expired at {noa}");
                }
                (_, Some(noa)) => {
                    bearer_ok = true;
                    valid_until = valid_until.min(ms(noa));
                }
            }
        }
        if !bearer_ok {
            return Err(refuse(last_problem));
        }
        Ok(Timestamp(valid_until))
    }

    fn check_audience(&self, a: &Assertion) -> Result<(), SsoRefusal> {
        let restrictions = a
            .conditions
            .as_ref()
            .and_then(|c| c.audience_restrictions.as_ref())
            .filter(|r| !r.is_empty())
            .ok_or_else(|| refuse("assertion has no AudienceRestriction"))?;
        for r in restrictions {
            if !r.audience.iter().any(|x| x == &self.config.entity_id) {
                return Err(refuse(format!(
                    "AudienceRestriction {:?} does not name us ({:?})",
                    r.audience, self.config.entity_id
                )));
            }
        }
        Ok(())
    }
}

impl SamlServiceProvider for SamlSp {
    fn metadata_xml(&self) -> Result<String, SsoRefusal> {
        let mut md = self
            .sp
            .metadata()
            .map_err(|e| refuse(format!("metadata: {e}")))?;
        // Single logout is not offered; the endpoint samael requires is left out.
        for d in md.sp_sso_descriptors.iter_mut().flatten() {
            d.single_logout_services = None;
        }
        md.to_string().map_err(|e| refuse(format!("metadata: {e}")))
    }

    fn login_url(
        &self,
        request_id: &str,
        relay_state: &str,
        now: Timestamp,
    ) -> Result<String, SsoRefusal> {
        let mut request = self
            .sp
            .make_authentication_request(&self.idp_sso_url)
            .map_err(|e| refuse(format!("authentication request: {e}")))?;
        request.id = request_id.to_string();
        request.issue_instant = DateTime::from_timestamp_millis(now.0).unwrap_or_default();
        let url = request
            .redirect(relay_state)
            .map_err(|e| refuse(format!("authentication request: {e}")))?
            .ok_or_else(|| refuse("authentication request without destination"))?;
        Ok(url.to_string())
    }

    fn in_response_to(&self, saml_response: &str) -> Result<Option<String>, SsoRefusal> {
        let xml = decode(saml_response)?;
        let response: Response = xml
            .parse()
            .map_err(|e| refuse(format!("not a SAML Response: {e}")))?;
        Ok(response.in_response_to)
    }

    fn verify(
        &self,
        saml_response: &str,
        request_id: Option<&str>,
        now: Timestamp,
    ) -> Result<SamlAssertion, SsoRefusal> {
        let xml = decode(saml_response)?;
        one_response_one_assertion(&xml)?;
        let ids: Vec<&str> = request_id.into_iter().collect();
        let assertion = {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            // Never the legacy ValidateAndMark mode (rule 14): only verified content, no
            // unsigned ancestors, survives the reduction.
            self.sp
                .parse_xml_response_with_mode(
                    &xml,
                    request_id.map(|_| ids.as_slice()),
                    ReduceMode::ValidateAndMarkNoAncestors,
                )
                .map_err(|e| refuse(format!("samael: {e}")))?
        };
        if assertion.issuer.value.as_deref() != Some(self.idp_entity_id.as_str()) {
            return Err(refuse(format!(
                "assertion Issuer {:?} is not the identity provider {:?}",
                assertion.issuer.value, self.idp_entity_id
            )));
        }
        self.check_audience(&assertion)?;
        let valid_until = self.check_times(&assertion, now)?;
        let identity = identity(&assertion)?;
        Ok(SamlAssertion {
            identity,
            assertion_id: assertion.id.clone(),
            valid_until,
        })
    }

    fn idp_initiated(&self) -> bool {
        self.config.idp_initiated
    }
}

fn refuse(reason: impl Into<String>) -> SsoRefusal {
    SsoRefusal::new(reason)
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Base64 → UTF-8 XML, bounded and screened before any XML parser sees it.
fn decode(encoded: &str) -> Result<String, SsoRefusal> {
    if encoded.len() > MAX_RESPONSE_BYTES / 3 * 4 + 1024 {
        return Err(refuse("response is larger than 256 KiB"));
    }
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| refuse("response is not base64"))?;
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(refuse("response is larger than 256 KiB"));
    }
    let xml = String::from_utf8(bytes).map_err(|_| refuse("response is not UTF-8"))?;
    screen(&xml)?;
    Ok(xml)
}

/// Refuses what a SAML document never needs and attacks use: DTDs and entities (XXE,
/// entity expansion), comments (which canonicalisation drops, so they can split a signed
/// NameID), processing instructions and CDATA sections.
/// The end of a DER certificate's validity; refused when it is not an X.509 certificate.
fn not_after(der: &[u8]) -> Result<DateTime<Utc>, SamlSetupError> {
    let cert = openssl::x509::X509::from_der(der)
        .map_err(|e| SamlSetupError::BadCertificate(e.to_string()))?;
    let epoch = openssl::asn1::Asn1Time::from_unix(0)
        .map_err(|e| SamlSetupError::BadCertificate(e.to_string()))?;
    let diff = epoch
        .diff(cert.not_after())
        .map_err(|e| SamlSetupError::BadCertificate(e.to_string()))?;
    let seconds = i64::from(diff.days) * 86_400 + i64::from(diff.secs);
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| SamlSetupError::BadCertificate("validity out of range".into()))
}

fn screen(xml: &str) -> Result<(), SsoRefusal> {
    let upper = xml.to_ascii_uppercase();
    if upper.contains("<!DOCTYPE") || upper.contains("<!ENTITY") {
        return Err(refuse("document has a DTD or entity declaration (XXE)"));
    }
    if xml.contains("<!--") {
        return Err(refuse("document contains an XML comment"));
    }
    if upper.contains("<![CDATA[") {
        return Err(refuse("document contains a CDATA section"));
    }
    let body = xml.trim_start_matches('\u{feff}').trim_start();
    let body = match body.strip_prefix("<?xml") {
        Some(rest) if rest.starts_with([' ', '\t', '\r', '\n', '?']) => {
            rest.split_once("?>").map(|(_, r)| r).unwrap_or("")
        }
        _ => body,
    };
    if body.contains("<?") {
        return Err(refuse("document contains a processing instruction"));
    }
    Ok(())
}

/// The local names of the document's start tags, in order. Sound after [`screen`]: with no
/// comments, CDATA or processing instructions left, every `<` that is not `</` or `<!`
/// opens an element.
fn element_names(xml: &str) -> impl Iterator<Item = &str> {
    xml.split('<').skip(1).filter_map(|rest| {
        if rest.starts_with(['/', '!', '?']) {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let qname = &rest[..end];
        Some(qname.rsplit(':').next().unwrap_or(qname))
    })
}

/// A response holds exactly one Response element (the root) and one Assertion, nothing
/// else that could carry a second copy: this refuses every signature-wrapping variant
/// (XSW1–8) outright, before samael's own defence (it keeps only what signatures cover)
/// would quietly fall back to the signed copy.
fn one_response_one_assertion(xml: &str) -> Result<(), SsoRefusal> {
    let mut names = element_names(xml);
    if names.next() != Some("Response") {
        return Err(refuse("the document's root is not a Response"));
    }
    let (mut responses, mut assertions, mut signatures) = (1, 0, 0);
    for name in names {
        match name {
            "Response" => responses += 1,
            "Assertion" => assertions += 1,
            "Signature" => signatures += 1,
            "EncryptedAssertion" => {
                return Err(refuse("encrypted assertions are not supported"));
            }
            "Object" | "Extensions" => {
                return Err(refuse(format!(
                    "unexpected {name} element (signature wrapping)"
                )));
            }
            _ => {}
        }
    }
    if responses != 1 || assertions != 1 || signatures > 2 {
        return Err(refuse(format!(
            "{responses} Response, {assertions} Assertion and {signatures} Signature elements; expected one response with one assertion (signature wrapping)"
        )));
    }
    Ok(())
}

fn attribute(a: &Assertion, names: &[&str]) -> Option<String> {
    let attributes: Vec<_> = a
        .attribute_statements
        .iter()
        .flatten()
        .flat_map(|s| s.attributes.iter())
        .collect();
    for wanted in names {
        for attr in &attributes {
            let name = attr.name.as_deref().unwrap_or("").to_ascii_lowercase();
            let friendly = attr
                .friendly_name
                .as_deref()
                .unwrap_or("")
                .to_ascii_lowercase();
            let last = name.rsplit('/').next().unwrap_or("");
            if name == *wanted || friendly == *wanted || last == *wanted {
                let value = attr
                    .values
                    .iter()
                    .filter_map(|v| v.value.as_deref())
                    .map(str::trim)
                    .find(|v| !v.is_empty());
                if let Some(v) = value {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

/// Email, name, external id, organisation and locale from a verified assertion: the usual
/// attribute names of Okta, Google Workspace, Entra ID, Keycloak and the LDAP OIDs.
fn identity(a: &Assertion) -> Result<SsoIdentity, SsoRefusal> {
    let name_id = a.subject.as_ref().and_then(|s| s.name_id.as_ref());
    let email = attribute(
        a,
        &[
            "email",
            "mail",
            "emailaddress",
            "urn:oid:0.9.2342.19200300.100.1.3",
        ],
    )
    .or_else(|| {
        name_id
            .map(|n| n.value.trim().to_string())
            .filter(|v| v.contains('@'))
    })
    .ok_or_else(|| refuse("assertion carries no email (attribute or NameID)"))?;
    let name = attribute(
        a,
        &[
            "displayname",
            "name",
            "cn",
            "urn:oid:2.16.840.1.113730.3.1.241",
            "urn:oid:2.5.4.3",
        ],
    )
    .or_else(|| {
        let given = attribute(a, &["givenname", "firstname", "urn:oid:2.5.4.42"]);
        let family = attribute(a, &["surname", "sn", "lastname", "urn:oid:2.5.4.4"]);
        let full = [given, family]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        (!full.is_empty()).then_some(full)
    })
    .unwrap_or_default();
    let external_id = name_id
        .filter(|n| n.format.as_deref() != Some(TRANSIENT))
        .map(|n| n.value.trim().to_string())
        .filter(|v| !v.is_empty());
    Ok(SsoIdentity {
        email,
        name,
        external_id,
        organization: attribute(a, &["organization", "company", "o", "urn:oid:2.5.4.10"]),
        locale: attribute(
            a,
            &[
                "locale",
                "preferredlanguage",
                "urn:oid:2.16.840.1.113730.3.1.39",
            ],
        ),
    })
}
