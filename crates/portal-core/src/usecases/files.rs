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
