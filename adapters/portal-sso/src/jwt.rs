//! The JWT endpoint's verifier (SECURITY rules 10–13), Zendesk's convention: the vendor's
//! application signs `{iat, jti, email, name, external_id?, organization?, locale?}` with
//! HS256 and a shared secret of 256 random bits, and posts it to the portal.
//!
//! jsonwebtoken (≥ 10.3, pure-Rust backend) checks the algorithm and the signature; the
//! claims are then read here with strict types, and `iat`, `exp` and `nbf` are checked
//! against the portal's clock (jsonwebtoken does not check `iat`, and reads the system
//! clock). Headers such as `kid`, `jku`, `x5u` and `jwk` are never used: the key is the
//! configured secret. The single use of `jti` is the core's replay guard.

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use portal_core::model::Timestamp;
use portal_core::ports::{JwtVerifier, SsoIdentity, SsoRefusal, VerifiedJwt};
use serde_json::{Map, Value};

/// How far `iat` may be from now, in seconds (rule 12).
pub const IAT_WINDOW_SECONDS: i64 = 180;
/// The longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// The shortest secret accepted, in bytes (256 bits, rule 11).
pub const MIN_SECRET_BYTES: usize = 32;

/// A configured JWT endpoint.
pub struct HsJwt {
    key: DecodingKey,
    validation: Validation,
    remote_login_url: Option<String>,
}

impl std::fmt::Debug for HsJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HsJwt")
            .field("remote_login_url", &self.remote_login_url)
            .finish_non_exhaustive()
    }
}

/// Why a JWT secret cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Not hex.
    #[error("the JWT secret must be hex (as `portal sso-secret` prints it)")]
    NotHex,
    /// Shorter than 256 bits.
    #[error("the JWT secret must hold at least 256 bits (64 hex digits); it holds {0} bits")]
    TooShort(usize),
}

/// Decodes a hex secret of at least 256 bits.
pub fn parse_secret(hex: &str) -> Result<Vec<u8>, SecretError> {
    let hex = hex.trim();
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SecretError::NotHex);
    }
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0))
        .collect();
    if bytes.len() < MIN_SECRET_BYTES {
        return Err(SecretError::TooShort(bytes.len() * 8));
    }
    Ok(bytes)
}

/// The secret as shown back to operators: its first and last four digits only.
pub fn mask_secret(hex: &str) -> String {
    let hex = hex.trim();
    if hex.len() < 16 {
        return "…".into();
    }
    format!(
        "{}…{} ({} bits)",
        &hex[..4],
        &hex[hex.len() - 4..],
        hex.len() * 4
    )
}

impl HsJwt {
    /// A verifier with this secret (at least 256 bits) and, optionally, the vendor's login
    /// URL for the portal's sign-in button.
    pub fn new(secret: &[u8], remote_login_url: Option<String>) -> Result<HsJwt, SecretError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(SecretError::TooShort(secret.len() * 8));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.leeway = 0;
        Ok(HsJwt {
            key: DecodingKey::from_secret(secret),
            validation,
            remote_login_url,
        })
    }
}

fn refuse(reason: impl Into<String>) -> SsoRefusal {
    SsoRefusal::new(reason)
}

/// An integer claim; a string or fraction is refused (the `exp`-as-string bypass, rule 13).
fn integer(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, SsoRefusal> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| refuse(format!("claim {name} is not a whole number of seconds"))),
        Some(other) => Err(refuse(format!(
            "claim {name} must be a number, not {}",
            kind(other)
        ))),
    }
}

fn text(claims: &Map<String, Value>, name: &str) -> Result<Option<String>, SsoRefusal> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() <= 1024 => Ok(Some(s.trim().to_string())),
        Some(Value::String(_)) => Err(refuse(format!("claim {name} is longer than 1024 bytes"))),
        Some(Value::Number(n)) if name == "external_id" => Ok(Some(n.to_string())),
        Some(other) => Err(refuse(format!(
            "claim {name} must be a string, not {}",
            kind(other)
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl JwtVerifier for HsJwt {
    fn verify(&self, token: &str, now: Timestamp) -> Result<VerifiedJwt, SsoRefusal> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(refuse("token is larger than 8 KiB"));
        }
        let header = decode_header(token)
            .map_err(|e| refuse(format!("malformed header or unsupported algorithm: {e}")))?;
        if header.alg != Algorithm::HS256 {
            return Err(refuse(format!("algorithm {:?} is not HS256", header.alg)));
        }
        let data = decode::<Map<String, Value>>(token, &self.key, &self.validation)
            .map_err(|e| refuse(format!("signature or format: {e}")))?;
        let claims = data.claims;
        let now_s = now.0.div_euclid(1000);
        let iat = integer(&claims, "iat")?.ok_or_else(|| refuse("claim iat is missing"))?;
        if (now_s - iat).abs() > IAT_WINDOW_SECONDS {
            return Err(refuse(format!(
                "iat {iat} is more than {IAT_WINDOW_SECONDS} s from now ({now_s})"
            )));
        }
        let exp = integer(&claims, "exp")?;
        if let Some(exp) = exp
            && now_s >= exp
        {
            return Err(refuse(format!("token expired at {exp} (now {now_s})")));
        }
        if let Some(nbf) = integer(&claims, "nbf")?
            && now_s < nbf
        {
            return Err(refuse(format!(
                "token is not valid before {nbf} (now {now_s})"
            )));
        }
        let jti = text(&claims, "jti")?
            .filter(|j| !j.is_empty())
            .ok_or_else(|| refuse("claim jti is missing"))?;
        let email = text(&claims, "email")?
            .filter(|e| !e.is_empty())
            .ok_or_else(|| refuse("claim email is missing"))?;
        let name = text(&claims, "name")?.ok_or_else(|| refuse("claim name is missing"))?;
        let identity = SsoIdentity {
            email,
            name,
            external_id: text(&claims, "external_id")?.filter(|e| !e.is_empty()),
            organization: text(&claims, "organization")?.filter(|e| !e.is_empty()),
            locale: text(&claims, "locale")?.filter(|e| !e.is_empty()),
        };
        // Remember the jti for as long as the token could be accepted, plus the window.
        let last_valid = (iat + IAT_WINDOW_SECONDS).max(exp.unwrap_or(i64::MIN));
        Ok(VerifiedJwt {
            identity,
            jti,
            keep_until: Timestamp(
                last_valid
                    .saturating_add(IAT_WINDOW_SECONDS)
                    .saturating_mul(1000),
            ),
        })
    }

    fn remote_login_url(&self) -> Option<String> {
        self.remote_login_url.clone()
    }
}
