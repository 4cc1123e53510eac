//! Stored files: attachments of messages and the portal's branding images, kept in the blob
//! store. Uploads are stored before the message or the settings that name them are written,
//! and removed again when that write fails, so nothing is half-written.

use crate::error::Error;
use crate::model::Attachment;
use crate::ports::{NewAttachment, Ports};

/// One uploaded file, its name cleaned and its type told by the adapter from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file name shown and offered on download.
    pub file_name: String,
    /// Its content type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Upload {
    /// A file as it came (a form upload, a mail attachment): its name cleaned with
    /// [`clean_file_name`], its type told from its bytes by [`sniff`], never from what the
    /// sender claimed.
    pub fn new(name: &str, bytes: Vec<u8>) -> Upload {
        Upload {
            file_name: clean_file_name(name),
            content_type: sniff(&bytes).to_string(),
            bytes,
        }
    }
}

/// The content type of `bytes`, told from their first bytes: the few image and document
/// types a browser may show inline, plain text, or `application/octet-stream`.
pub fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return "image/webp";
    }
    const SIGS: [(&[u8], &str); 9] = [
        (b"\x00\x00\x01\x00", "image/x-icon"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"RIFF", "application/octet-stream"),
        (b"\x1f\x8b", "application/gzip"),
    ];
    if let Some((_, t)) = SIGS.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return t;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = std::str::from_utf8(head).is_ok()
        || std::str::from_utf8(&head[..head.len().saturating_sub(3)]).is_ok();
    if text && !head.contains(&0) {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

/// The last path segment of a file name, without control characters, at most 200
/// characters; `file` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "file".into()
    } else {
        clean
    }
}

/// A file to hand out: its metadata and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Name, type and size.
    pub attachment: Attachment,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Storing and reading files.
#[derive(Clone)]
pub struct Files {
    ports: Ports,
}

impl Files {
    /// Use cases over these ports.
    pub fn new(ports: Ports) -> Files {
        Files { ports }
    }

    /// Stores uploads; when one fails, what was stored is removed again.
    pub async fn store(&self, uploads: Vec<Upload>) -> Result<Vec<NewAttachment>, Error> {
        let mut out: Vec<NewAttachment> = Vec::with_capacity(uploads.len());
        for u in uploads {
            let size = u.bytes.len() as u64;
            match self.ports.blobs.put(u.bytes).await {
                Ok(key) => out.push(NewAttachment {
                    file_name: u.file_name,
                    content_type: u.content_type,
                    size,
                    blob_key: key,
                }),
                Err(e) => {
                    self.discard(&out).await;
                    return Err(e.into());
                }
            }
        }
        Ok(out)
    }

    /// Removes stored uploads whose message was not written (best effort: a leftover blob
    /// is unreachable, never shown).
    pub async fn discard(&self, files: &[NewAttachment]) {
        for f in files {
            let _ = self.ports.blobs.delete(&f.blob_key).await;
        }
    }

    /// The bytes stored under `key` (`NotFound` when they are gone).
    pub async fn read(&self, key: &str) -> Result<Vec<u8>, Error> {
        self.ports.blobs.get(key).await?.ok_or(Error::NotFound)
    }

    /// An attachment with its bytes.
    pub(crate) async fn download(&self, attachment: Attachment) -> Result<Download, Error> {
        let bytes = self.read(&attachment.blob_key).await?;
        Ok(Download { attachment, bytes })
    }
}
