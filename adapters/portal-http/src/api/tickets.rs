//! Tickets and their messages.

use actix_web::http::StatusCode;
use actix_web::web;
use portal_core::Error;
use portal_core::model::*;
use portal_core::ports::InboxQuery;
use portal_core::usecases::inbox::{AnswerInput, NewTicketInput, TicketChanges};
use serde::Deserialize;
use serde_json::{Map, Value as J, json};

use crate::AppState;
use crate::api::Answer;
use crate::api::ApiMember;
use crate::api::PageQuery;
use crate::api::invalid;
use crate::api::json_body;
use crate::api::limit_of;
use crate::api::message_json;
use crate::api::next_id;
use crate::api::not_null;
use crate::api::nullable;
use crate::api::one;
use crate::api::page;
use crate::api::props_input;
use crate::api::ticket_json;
use crate::format;
use portal_core::property::ObjectKind;

type St = web::Data<AppState>;

// ------------------------------------------------------------------------ tickets

#[derive(Deserialize)]
pub(crate) struct TicketListQuery {
    limit: Option<usize>,
    cursor: Option<String>,
    inbox_id: Option<i64>,
    pipeline_id: Option<i64>,
    stage_id: Option<i64>,
    owner_id: Option<i64>,
    unassigned: Option<bool>,
    status: Option<String>,
    q: Option<String>,
}

pub(crate) fn cursor_of(t: &Ticket) -> String {
    format!("{}.{}", t.last_activity_at.0, t.id.0)
}

/// A cursor as `cursor_of` writes it: two runs of 1–18 digits around a dot (no sign, as the
/// API document says).
pub(crate) fn parse_cursor(s: &str) -> Option<(Timestamp, TicketId)> {
    let (at, id) = s.split_once('.')?;
    let digits = |p: &str| (1..=18).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(at) && digits(id)) {
        return None;
    }
    Some((Timestamp(at.parse().ok()?), TicketId(id.parse().ok()?)))
}

pub(crate) async fn list_tickets(st: St, q: web::Query<TicketListQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let before = match q.cursor.as_deref() {
        Some(c) => Some(
            parse_cursor(c)
                .ok_or_else(|| invalid("cursor", "invalid", "not a cursor from a `next` field"))?,
        ),
        None => None,
    };
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some("open") => Some(TicketStatus::Open),
        Some("closed") => Some(TicketStatus::Closed),
        Some(_) => return Err(invalid("status", "invalid_option", "open or closed")),
    };
    let owner = match (q.unassigned, q.owner_id) {
        (Some(true), _) => Some(portal_core::ports::OwnerFilter::Unassigned),
        (_, Some(a)) => Some(portal_core::ports::OwnerFilter::Agent(AgentId(a))),
        _ => None,
    };
    let query = InboxQuery {
        inbox: q.inbox_id.map(InboxId),
        pipeline: q.pipeline_id.map(PipelineId),
        stage: q.stage_id.map(StageId),
        owner,
        status,
        search: q.q.clone().unwrap_or_default(),
        before,
        limit,
    };
    let rows = st.inbox.list(&query).await?;
    Ok(page(
        rows.iter().map(ticket_json).collect(),
        (rows.len() >= limit)
            .then(|| rows.last().map(|t| json!(cursor_of(t))))
            .flatten(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewTicketBody {
    subject: String,
    body: String,
    requester_id: i64,
    #[serde(default)]
    inbox_id: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    properties: Option<Map<String, J>>,
}

pub(crate) async fn create_ticket(
    st: St,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: NewTicketBody = json_body(raw)?;
    let properties = props_input(&st, ObjectKind::Ticket, body.properties.as_ref()).await?;
    let input = NewTicketInput {
        subject: body.subject.clone(),
        body_html: format::markdown(&body.body),
        requester: ContactId(body.requester_id),
        inbox: body.inbox_id.map(InboxId),
        properties,
        channel: portal_core::model::Channel::Api,
    };
    let t = st.inbox.create_ticket(&m, input).await?;
    Ok(one(StatusCode::CREATED, ticket_json(&t)))
}

pub(crate) async fn get_ticket(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let (t, _) = st.inbox.ticket(TicketId(*path)).await?;
    Ok(one(StatusCode::OK, ticket_json(&t)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TicketBody {
    #[serde(default, deserialize_with = "not_null")]
    subject: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    stage_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    owner_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "not_null")]
    properties: Option<Map<String, J>>,
}

pub(crate) async fn update_ticket(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: TicketBody = json_body(raw)?;
    let properties = props_input(&st, ObjectKind::Ticket, body.properties.as_ref()).await?;
    let changes = TicketChanges {
        subject: body.subject.clone(),
        properties,
        stage: body.stage_id.map(StageId),
        owner: body.owner_id.map(|o| o.map(AgentId)),
    };
    match st.inbox.update_ticket(&m, TicketId(*path), &changes).await {
        Ok(t) => Ok(one(StatusCode::OK, ticket_json(&t))),
        // The API names the fields as its body does.
        Err(Error::Invalid(mut list)) => {
            for f in &mut list {
                if f.field == "stage" || f.field == "owner" {
                    f.field.push_str("_id");
                }
            }
            Err(Error::Invalid(list).into())
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------ messages

pub(crate) async fn list_messages(
    st: St,
    path: web::Path<i64>,
    q: web::Query<PageQuery>,
    _: ApiMember,
) -> Answer {
    let limit = limit_of(q.limit)?;
    let rows = st.inbox.messages(TicketId(*path), q.after, limit).await?;
    Ok(page(
        rows.iter().map(message_json).collect(),
        next_id(rows.len(), limit, rows.last().map(|m| m.id.0)),
    ))
}

pub(crate) async fn get_message(st: St, path: web::Path<(i64, i64)>, _: ApiMember) -> Answer {
    let (ticket, message) = path.into_inner();
    let m = st
        .inbox
        .message(TicketId(ticket), MessageId(message))
        .await?;
    Ok(one(StatusCode::OK, message_json(&m)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteBody {
    body: String,
}

pub(crate) async fn update_message(
    st: St,
    path: web::Path<(i64, i64)>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: NoteBody = json_body(raw)?;
    let (ticket, message) = path.into_inner();
    let msg = st
        .inbox
        .edit_note(
            &m,
            TicketId(ticket),
            MessageId(message),
            &format::markdown(&body.body),
        )
        .await?;
    Ok(one(StatusCode::OK, message_json(&msg)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessageBody {
    body: String,
    #[serde(default, deserialize_with = "not_null")]
    internal: Option<bool>,
    #[serde(default, deserialize_with = "not_null")]
    new_conversation: Option<bool>,
}

pub(crate) async fn create_message(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: MessageBody = json_body(raw)?;
    let portal_url = st.portal_url(&*st.snapshot().await?);
    let input = AnswerInput {
        body_html: format::markdown(&body.body),
        attachments: Vec::new(),
        internal: body.internal.unwrap_or(false),
        new_conversation: body.new_conversation.unwrap_or(false),
        channel: portal_core::model::Channel::Api,
    };
    let msg = st
        .inbox
        .answer(&m, TicketId(*path), input, &portal_url)
        .await?;
    Ok(one(StatusCode::CREATED, message_json(&msg)))
}
