//! Files over the API: an attachment's bytes (`GET /attachments/{id}`) and a message with
//! attachments (`POST /tickets/{id}/messages` as `multipart/form-data`). The same use cases
//! as the staff inbox: staff see every file, internal notes' too; uploads cross the same
//! limits as the portal's and are removed again when the message is not written.

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use portal_core::Error;
use portal_core::actions::UploadRefused;
use portal_core::model::*;
use portal_core::usecases::inbox::AnswerInput;

use crate::AppState;
use crate::api::{Answer, ApiMember, invalid, message_json, one};
use crate::errors::ApiError;
use crate::format;
use crate::upload::{UploadError, discard, read_multipart, store_files};

type St = web::Data<AppState>;

/// The text fields a message form may carry besides its files (`files`).
const FIELDS: [&str; 3] = ["body", "internal", "new_conversation"];

pub(crate) async fn download_attachment(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let d = st.inbox.download(AttachmentId(*path)).await?;
    Ok(HttpResponse::Ok()
        .content_type(d.attachment.content_type.as_str())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format::content_disposition(&d.attachment.file_name),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(d.bytes))
}

fn flag(fields: &std::collections::HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match fields
        .get(name)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(invalid(name, "invalid", "expected true or false")),
    }
}

pub(crate) async fn create_message_with_files(
    st: St,
    path: web::Path<i64>,
    mp: Multipart,
    ApiMember(m): ApiMember,
) -> Answer {
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(UploadError::Refused(r)) => return Err(refusal(Error::UploadRefused(r.reason))),
        Err(UploadError::Invalid(e)) => return Err(e.into()),
        Err(UploadError::Malformed(e)) => {
            return Err(ApiError::Request(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("not a well-formed multipart body: {e}"),
            ));
        }
    };
    if let Some(other) = up.fields.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(invalid(other, "unknown", "not a field of a message"));
    }
    let Some(body) = up.fields.get("body") else {
        return Err(invalid("body", "required", "required"));
    };
    let (internal, new_conversation) = (
        flag(&up.fields, "internal")?,
        flag(&up.fields, "new_conversation")?,
    );
    let files = store_files(&st, up.files).await?;
    let portal_url = st.portal_url(&*st.snapshot().await?);
    let input = AnswerInput {
        body_html: format::markdown(body),
        attachments: files.clone(),
        internal,
        new_conversation,
        channel: Channel::Api,
    };
    match st
        .inbox
        .answer(&m, TicketId(*path), input, &portal_url)
        .await
    {
        Ok(msg) => Ok(one(StatusCode::CREATED, message_json(&msg))),
        Err(e) => {
            discard(&st, &files).await;
            Err(refusal(e))
        }
    }
}

/// Too many files or an empty one is a problem of the field `files` (422); too many bytes
/// is 413; anything else as always.
fn refusal(e: Error) -> ApiError {
    match e {
        Error::UploadRefused(UploadRefused::TooManyFiles { max }) => invalid(
            "files",
            "too_many",
            &format!("at most {max} files per message"),
        ),
        Error::UploadRefused(UploadRefused::EmptyFile) => {
            invalid("files", "empty", "empty files cannot be attached")
        }
        other => other.into(),
    }
}
