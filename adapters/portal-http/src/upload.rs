//! Uploaded files: multipart forms read within the limits (SECURITY rule 19), files named
//! and typed by their bytes and stored through the core.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::StreamExt;
use portal_core::Error;
use portal_core::actions::{UploadLimits, UploadRefused};
use portal_core::ports::NewAttachment;

use crate::AppState;

/// A parsed multipart form: text fields and uploaded files (within the limits).
pub(crate) struct Upload {
    pub(crate) fields: HashMap<String, String>,
    pub(crate) files: Vec<(String, Vec<u8>)>,
}

pub(crate) const MAX_FIELD_BYTES: usize = 256 * 1024;

/// Text fields a form may have (the largest form has a few dozen).
pub(crate) const MAX_FIELDS: usize = 100;

/// What is still read after a refusal (to keep the text fields that follow the files) before
/// the rest of the body is left unread.
const READ_AFTER_REFUSAL: u64 = 1024 * 1024;

/// Reads a multipart form, refusing as soon as a limit is crossed (SECURITY rule 19).
/// An upload refused while it streamed, with the text fields read before the refusal (the
/// page shows them again, so a refused file never throws away what was typed).
#[derive(Debug)]
pub(crate) struct Refused {
    pub reason: UploadRefused,
    pub fields: HashMap<String, String>,
}

/// Why a multipart form was not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UploadError {
    /// A limit was crossed (SECURITY rule 19); the fields read before it are kept.
    #[error("upload refused: {}", .0.reason)]
    Refused(Refused),
    /// Not a well-formed multipart body, or a text field over its limit.
    #[error("malformed upload: {0}")]
    Malformed(String),
    /// A text field the core refuses (a control character), answered like any invalid form.
    #[error("invalid upload: {0}")]
    Invalid(Error),
}

/// What crossing a limit, or a malformed body, stopped while reading.
enum Stop {
    Refused(UploadRefused),
    Malformed(String),
}

pub(crate) async fn read_multipart(
    mp: Multipart,
    limits: UploadLimits,
) -> Result<Upload, UploadError> {
    let mut fields = HashMap::new();
    match read_multipart_into(mp, limits, &mut fields).await {
        Ok(files) => {
            portal_core::error::check_text_inputs(
                fields.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            )
            .map_err(UploadError::Invalid)?;
            Ok(Upload { fields, files })
        }
        Err(Stop::Refused(reason)) => Err(UploadError::Refused(Refused { reason, fields })),
        Err(Stop::Malformed(e)) => Err(UploadError::Malformed(e)),
    }
}

async fn read_multipart_into(
    mut mp: Multipart,
    limits: UploadLimits,
    fields: &mut HashMap<String, String>,
) -> Result<Vec<(String, Vec<u8>)>, Stop> {
    let mut files = Vec::new();
    let mut total: u64 = 0;
    // After a refusal the rest is still read (the request body is bounded by the payload
    // limit), keeping text fields that come after the files and dropping file bytes.
    let mut refused: Option<UploadRefused> = None;
    // Every byte read counts, text fields too; past the limit and a little slack the rest of
    // the body is not read at all.
    let mut read: u64 = 0;
    let give_up = limits.max_total_bytes.saturating_add(READ_AFTER_REFUSAL);
    while let Some(item) = mp.next().await {
        if read > give_up {
            break;
        }
        let mut field = item.map_err(|e| Stop::Malformed(e.to_string()))?;
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        match file_name {
            Some(file_name) => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| Stop::Malformed(e.to_string()))?;
                    read += chunk.len() as u64;
                    if refused.is_some() {
                        if read > give_up {
                            break;
                        }
                        continue;
                    }
                    bytes.extend_from_slice(&chunk);
                    total += chunk.len() as u64;
                    if bytes.len() as u64 > limits.max_file_bytes {
                        refused = Some(UploadRefused::FileTooLarge {
                            max: limits.max_file_bytes,
                        });
                    } else if total > limits.max_total_bytes {
                        refused = Some(UploadRefused::TotalTooLarge {
                            max: limits.max_total_bytes,
                        });
                    }
                }
                if refused.is_some() || (file_name.is_empty() && bytes.is_empty()) {
                    continue; // refused, or an empty file input
                }
                if files.len() >= limits.max_files {
                    refused = Some(UploadRefused::TooManyFiles {
                        max: limits.max_files,
                    });
                    continue;
                }
                files.push((file_name, bytes));
            }
            None => {
                if fields.len() >= MAX_FIELDS {
                    return Err(Stop::Malformed(format!("more than {MAX_FIELDS} fields")));
                }
                let mut bytes = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| Stop::Malformed(e.to_string()))?;
                    read += chunk.len() as u64;
                    total += chunk.len() as u64;
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_FIELD_BYTES {
                        return Err(Stop::Malformed(format!("field {name} too large")));
                    }
                }
                if total > limits.max_total_bytes && refused.is_none() {
                    refused = Some(UploadRefused::TotalTooLarge {
                        max: limits.max_total_bytes,
                    });
                }
                if refused.is_some() && read > give_up {
                    break;
                }
                fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    match refused {
        Some(r) => Err(Stop::Refused(r)),
        None => Ok(files),
    }
}

/// Stores the uploaded files, each named by its cleaned name and typed by its bytes; on a
/// failure nothing stays stored.
pub(crate) async fn store_files(
    st: &AppState,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Vec<NewAttachment>, Error> {
    let uploads = files
        .into_iter()
        .map(|(name, bytes)| portal_core::usecases::files::Upload::new(&name, bytes))
        .collect();
    st.files.store(uploads).await
}

pub(crate) async fn discard(st: &AppState, files: &[NewAttachment]) {
    st.files.discard(files).await;
}
