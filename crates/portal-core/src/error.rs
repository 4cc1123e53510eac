//! Errors, named by outcome.
//!
//! Policy: ports return [`PortError`] (an adapter converts its own failures at the port: a
//! unique violation becomes `Conflict`, a pool timeout `Unavailable`); use cases return
//! [`Error`]. Only the HTTP adapter maps these to status codes. `anyhow` is for binaries and
//! tests, never for this crate.

use crate::access::EntryDenied;
use crate::actions::{ActionDenied, UploadRefused};
use crate::model::allowed_in_text;
use serde::{Deserialize, Serialize};

/// What a port reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or version conflict.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The backend cannot answer now (pool exhausted, database down); retry later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Any other backend failure.
    #[error("backend failure: {0}")]
    Backend(String),
}

/// Result of a port call.
pub type PortResult<T> = Result<T, PortError>;

/// What a use case reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The record does not exist **for this viewer** (V7: also for tickets outside the scope).
    #[error("not found")]
    NotFound,
    /// The portal is switched off (P5).
    #[error("the portal is switched off")]
    PortalOff,
    /// Email or password wrong (never says which, SECURITY rule 3).
    #[error("wrong email or password")]
    BadCredentials,
    /// Too many failed attempts; retry after this many seconds (SECURITY rule 4).
    #[error("too many attempts; retry in {0} s")]
    Throttled(i64),
    /// The identity may not enter (A1–A3).
    #[error("access denied: {0}")]
    EntryDenied(#[from] EntryDenied),
    /// A single sign-on response was refused (the reason is for the log, not the visitor).
    #[error("single sign-on refused: {0}")]
    SsoRefused(#[from] SsoRefusal),
    /// The ticket action is not allowed (T4, T5).
    #[error("action not allowed: {0}")]
    ActionDenied(#[from] ActionDenied),
    /// An upload limit was exceeded (SECURITY rule 19).
    #[error("upload refused: {0}")]
    UploadRefused(#[from] UploadRefused),
    /// The staff member lacks the permission (P14).
    #[error("permission denied")]
    PermissionDenied,
    /// Input is invalid; every problem with its field.
    #[error("invalid input ({} problems)", .0.len())]
    Invalid(Vec<FieldError>),
    /// A concurrent change won (e.g. settings saved meanwhile).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A backend cannot answer now (HTTP 503).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else (HTTP 500; details logged, not shown).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// An `Invalid` error with one problem.
    pub fn invalid(field: &str, code: &str, detail: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError {
            field: field.into(),
            code: code.into(),
            detail: detail.into(),
        }])
    }
}

impl From<PortError> for Error {
    fn from(e: PortError) -> Self {
        match e {
            PortError::NotFound => Error::NotFound,
            PortError::Conflict(m) => Error::Conflict(m),
            PortError::Unavailable(m) => Error::Unavailable(m),
            PortError::Backend(m) => Error::Internal(m),
        }
    }
}

/// One problem with a setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field, as a dotted path (e.g. `columns.3.property`).
    pub field: String,
    /// A stable code (also the translation key), e.g. `required`, `too_long`.
    pub code: String,
    /// An English explanation for logs and the API.
    pub detail: String,
}

/// Why a single sign-on response was refused: the precise reason, for the log only (the
/// visitor sees one generic message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SsoRefusal(pub String);

impl SsoRefusal {
    /// A refusal with this reason.
    pub fn new(reason: impl Into<String>) -> SsoRefusal {
        SsoRefusal(reason.into())
    }

    /// The kind of refusal, one of a few fixed words (for counting refusals by reason
    /// without the details): `replay`, `expired`, `signature`, `audience`, `unsolicited`,
    /// `malformed`, `identity`, `config` or `other`.
    pub fn kind(&self) -> &'static str {
        let r = self.0.as_str();
        let any = |words: &[&str]| words.iter().any(|w| r.contains(w));
        if any(&[
            "replay",
            "already used",
            "already answered",
            "not an outstanding",
        ]) {
            "replay"
        } else if any(&["expired", "not valid before"]) {
            "expired"
        } else if any(&["signature", "samael", "not HS256", "algorithm"]) {
            "signature"
        } else if any(&["Audience", "Issuer", "Conditions", "identity provider"]) {
            "audience"
        } else if any(&["unsolicited", "InResponseTo"]) {
            "unsolicited"
        } else if any(&[
            "larger than",
            "base64",
            "UTF-8",
            "DTD",
            "comment",
            "CDATA",
            "processing instruction",
            "root is not",
            "not a SAML",
            "malformed",
            "encrypted",
            "whole number",
            "longer than",
        ]) {
            "malformed"
        } else if any(&["email", "claim", "NameID"]) {
            "identity"
        } else if any(&["metadata", "authentication request"]) {
            "config"
        } else {
            "other"
        }
    }
}

/// Checks named text inputs (form fields, query parameters, JSON strings and keys): every
/// field holding a character [`allowed_in_text`] refuses is named, once, with the code
/// `control_character`.
pub fn check_text_inputs<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), Error> {
    let mut bad: Vec<FieldError> = Vec::new();
    for (name, value) in fields {
        if let Some(c) = value.chars().find(|c| !allowed_in_text(*c)) {
            let name = if name.chars().all(allowed_in_text) {
                name.to_string()
            } else {
                name.chars().filter(|c| allowed_in_text(*c)).collect()
            };
            if bad.iter().any(|f| f.field == name) {
                continue;
            }
            bad.push(FieldError {
                detail: format!("contains the control character U+{:04X}", c as u32),
                field: name,
                code: "control_character".into(),
            });
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(bad))
    }
}
