//! Companies, contacts (and their logins), lists and their members.

use actix_web::http::StatusCode;
use actix_web::web;
use portal_core::model::*;
use portal_core::ports::RecordQuery;
use portal_core::usecases::records::ContactInput;
use serde::Deserialize;
use serde_json::{Map, Value as J, json};

use crate::AppState;
use crate::api::Answer;
use crate::api::ApiMember;
use crate::api::PageQuery;
use crate::api::company_json;
use crate::api::contact_json;
use crate::api::invalid;
use crate::api::json_body;
use crate::api::limit_of;
use crate::api::next_id;
use crate::api::not_null;
use crate::api::nullable;
use crate::api::one;
use crate::api::page;
use crate::api::props_input;
use crate::errors::ApiError;
use portal_core::property::ObjectKind;

type St = web::Data<AppState>;

// ------------------------------------------------------------------------ companies

pub(crate) async fn list_companies(st: St, q: web::Query<PageQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let query = RecordQuery {
        search: q.q.clone(),
        company: None,
        after: q.after,
        limit,
    };
    let rows = st.records.companies(&query).await?;
    Ok(page(
        rows.iter().map(company_json).collect(),
        next_id(rows.len(), limit, rows.last().map(|c| c.id.0)),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompanyBody {
    #[serde(default, deserialize_with = "not_null")]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    domain: Option<Option<String>>,
}

pub(crate) async fn create_company(
    st: St,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: CompanyBody = json_body(raw)?;
    let name = body.name.clone().unwrap_or_default();
    let domain = body.domain.clone().flatten().unwrap_or_default();
    let c = st
        .records
        .create_company(m.agent.id, &name, &domain)
        .await?;
    Ok(one(StatusCode::CREATED, company_json(&c)))
}

pub(crate) async fn get_company(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let (c, _) = st.records.company(CompanyId(*path)).await?;
    Ok(one(StatusCode::OK, company_json(&c)))
}

pub(crate) async fn update_company(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: CompanyBody = json_body(raw)?;
    let id = CompanyId(*path);
    let (old, _) = st.records.company(id).await?;
    let name = body.name.clone().unwrap_or(old.name);
    let domain = match &body.domain {
        Some(d) => d.clone().unwrap_or_default(),
        None => old.domain.unwrap_or_default(),
    };
    let c = st
        .records
        .update_company(m.agent.id, id, &name, &domain)
        .await?;
    Ok(one(StatusCode::OK, company_json(&c)))
}

// ------------------------------------------------------------------------ contacts

pub(crate) async fn list_contacts(st: St, q: web::Query<PageQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let query = RecordQuery {
        search: q.q.clone(),
        company: q.company_id.map(CompanyId),
        after: q.after,
        limit,
    };
    let rows = st.records.contacts(&query).await?;
    Ok(page(
        rows.iter().map(contact_json).collect(),
        next_id(rows.len(), limit, rows.last().map(|c| c.id.0)),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactBody {
    #[serde(default, deserialize_with = "not_null")]
    email: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    membership_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    first_name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    last_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    company_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    language: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    properties: Option<Map<String, J>>,
    /// The contact's companies (C2), replacing the ones it has.
    #[serde(default, deserialize_with = "not_null")]
    memberships: Option<Vec<MembershipBody>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MembershipBody {
    company_id: i64,
    #[serde(default)]
    granted: Option<RightsBody>,
    #[serde(default)]
    limited: Option<RightsBody>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct RightsBody {
    see: bool,
    reply: bool,
    close: bool,
}

impl RightsBody {
    fn rights(self) -> portal_core::model::CompanyRights {
        portal_core::model::CompanyRights {
            see: self.see,
            reply: self.reply,
            close: self.close,
        }
    }
}

impl ContactBody {
    /// The memberships the body names, checked before anything is written.
    async fn memberships(
        &self,
        st: &AppState,
    ) -> Result<Option<Vec<portal_core::model::Membership>>, ApiError> {
        let Some(list) = &self.memberships else {
            return Ok(None);
        };
        let out: Vec<portal_core::model::Membership> = list
            .iter()
            .map(|m| portal_core::model::Membership {
                company: CompanyId(m.company_id),
                granted: m.granted.map(RightsBody::rights),
                limited: m.limited.map(RightsBody::rights),
            })
            .collect();
        st.records.check_memberships(&out).await?;
        Ok(Some(out))
    }

    /// `base` with this body's fields laid over it.
    async fn over(&self, st: &AppState, mut base: ContactInput) -> Result<ContactInput, ApiError> {
        if let Some(v) = &self.email {
            base.email = v.clone();
        }
        if let Some(v) = &self.membership_email {
            if v.as_deref().is_some_and(|m| m.trim().is_empty()) {
                return Err(invalid(
                    "membership_email",
                    "invalid_email",
                    "an email address, or null for none",
                ));
            }
            base.membership_email = v.clone().unwrap_or_default();
        }
        if let Some(v) = &self.first_name {
            base.first_name = v.clone();
        }
        if let Some(v) = &self.last_name {
            base.last_name = v.clone();
        }
        if let Some(v) = self.company_id {
            base.company = v.map(CompanyId);
        }
        if let Some(v) = &self.language {
            base.language = v.clone().unwrap_or_default();
        }
        let props = props_input(st, ObjectKind::Contact, self.properties.as_ref()).await?;
        base.properties.extend(props);
        Ok(base)
    }
}

pub(crate) async fn create_contact(
    st: St,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: ContactBody = json_body(raw)?;
    let input = body.over(&st, ContactInput::default()).await?;
    let memberships = body.memberships(&st).await?;
    let mut c = st.records.create_contact(m.agent.id, &input).await?;
    if let Some(list) = memberships {
        c = st.records.set_memberships(m.agent.id, c.id, list).await?;
    }
    Ok(one(StatusCode::CREATED, contact_json(&c)))
}

pub(crate) async fn get_contact(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    let c = st.records.find_contact(ContactId(*path)).await?;
    Ok(one(StatusCode::OK, contact_json(&c)))
}

pub(crate) async fn update_contact(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: ContactBody = json_body(raw)?;
    let id = ContactId(*path);
    let old = st.records.find_contact(id).await?;
    let input = body.over(&st, ContactInput::of(&old)).await?;
    let memberships = body.memberships(&st).await?;
    let mut c = st.records.update_contact(m.agent.id, id, &input).await?;
    if let Some(list) = memberships {
        c = st.records.set_memberships(m.agent.id, id, list).await?;
    }
    st.invalidate();
    Ok(one(StatusCode::OK, contact_json(&c)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginBody {
    enabled: bool,
}

/// Disables or enables a contact's portal login (any staff member); disabling ends its
/// sessions at once.
pub(crate) async fn set_contact_login(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: LoginBody = json_body(raw)?;
    let id = ContactId(*path);
    st.records
        .set_portal_login(m.agent.id, id, body.enabled)
        .await?;
    Ok(one(
        StatusCode::OK,
        json!({ "contact_id": id.0, "enabled": body.enabled }),
    ))
}

/// Disables or enables another staff member's login (admins only, never one's own);
/// disabling ends their sessions and stops their API tokens.
pub(crate) async fn set_agent_login(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: LoginBody = json_body(raw)?;
    let id = AgentId(*path);
    st.staff.set_login_enabled(&m, id, body.enabled).await?;
    Ok(one(
        StatusCode::OK,
        json!({ "agent_id": id.0, "enabled": body.enabled }),
    ))
}

// ------------------------------------------------------------------------ lists

pub(crate) async fn list_lists(st: St, q: web::Query<PageQuery>, _: ApiMember) -> Answer {
    let limit = limit_of(q.limit)?;
    let rows = st.records.lists_page(q.after, limit).await?;
    Ok(page(
        rows.iter()
            .map(|l| json!({ "id": l.list.id.0, "name": l.list.name, "member_count": l.members, "access_group": l.access_group }))
            .collect(),
        next_id(rows.len(), limit, rows.last().map(|l| l.list.id.0)),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListBody {
    #[serde(default, deserialize_with = "not_null")]
    name: Option<String>,
}

pub(crate) async fn create_list(st: St, raw: web::Json<Map<String, J>>, _: ApiMember) -> Answer {
    let body: ListBody = json_body(raw)?;
    let l = st
        .records
        .create_list(body.name.as_deref().unwrap_or(""))
        .await?;
    Ok(one(
        StatusCode::CREATED,
        json!({ "id": l.id.0, "name": l.name, "access_group": false, "member_ids": [] }),
    ))
}

pub(crate) async fn list_json(st: &AppState, id: ListId) -> Answer {
    let (summary, members) = st.records.members(id).await?;
    Ok(one(
        StatusCode::OK,
        json!({
            "id": summary.list.id.0,
            "name": summary.list.name,
            "access_group": summary.access_group,
            "member_ids": members.iter().map(|m| m.contact.id.0).collect::<Vec<_>>(),
        }),
    ))
}

pub(crate) async fn get_list(st: St, path: web::Path<i64>, _: ApiMember) -> Answer {
    list_json(&st, ListId(*path)).await
}

pub(crate) async fn update_list(
    st: St,
    path: web::Path<i64>,
    raw: web::Json<Map<String, J>>,
    ApiMember(m): ApiMember,
) -> Answer {
    let body: ListBody = json_body(raw)?;
    let id = ListId(*path);
    if let Some(name) = &body.name {
        st.records.rename_list(m.agent.id, id, name).await?;
    }
    list_json(&st, id).await
}

pub(crate) async fn add_member(st: St, path: web::Path<(i64, i64)>, _: ApiMember) -> Answer {
    let (list, contact) = path.into_inner();
    let email = st.records.find_contact(ContactId(contact)).await?.email;
    st.records.members(ListId(list)).await?;
    let portal_url = st.portal_url(&*st.snapshot().await?);
    st.records
        .add_member(ListId(list), &email, &portal_url)
        .await?;
    list_json(&st, ListId(list)).await
}

pub(crate) async fn remove_member(st: St, path: web::Path<(i64, i64)>, _: ApiMember) -> Answer {
    let (list, contact) = path.into_inner();
    st.records.members(ListId(list)).await?;
    st.records
        .remove_member(ListId(list), ContactId(contact))
        .await?;
    list_json(&st, ListId(list)).await
}
