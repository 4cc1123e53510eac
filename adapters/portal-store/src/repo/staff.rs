//! The `SsoStore` and `StaffStore` ports and API tokens.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;

use crate::Store;
use crate::db::{Db, with_conn};
use crate::repo::QResult;
use crate::repo::directory::lower;
use crate::repo::write;
use crate::schema::*;

#[async_trait]
impl SsoStore for Store {
    async fn insert_request(&self, r: PendingSsoRequest) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(sso_requests::table)
                .values((
                    sso_requests::id.eq(&r.id),
                    sso_requests::return_to.eq(&r.return_to),
                    sso_requests::expires_at.eq(r.expires_at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn take_request(
        &self,
        id: &str,
        now: Timestamp,
    ) -> PortResult<Option<PendingSsoRequest>> {
        let id = id.to_string();
        self.q(move |c| {
            write(c, |c| {
                let target = sso_requests::table.filter(sso_requests::id.eq(&id));
                let row: Option<(String, Option<String>, i64)> = target.first(c).optional()?;
                let Some((id, return_to, expires)) = row else {
                    return Ok(None);
                };
                // The delete decides: of two racing takes only one deletes the row; an
                // expired request is deleted too, and answers nothing.
                let n = diesel::delete(target).execute(c)?;
                Ok((n == 1 && now.0 < expires).then_some(PendingSsoRequest {
                    id,
                    return_to,
                    expires_at: Timestamp(expires),
                }))
            })
        })
        .await
    }

    async fn link(&self, kind: SsoKind, external_id: &str, contact: ContactId) -> PortResult<()> {
        let ext = external_id.to_string();
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = contacts::table
                    .filter(contacts::id.eq(contact.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                diesel::delete(
                    sso_links::table
                        .filter(sso_links::kind.eq(kind.as_str()))
                        .filter(sso_links::external_id.eq(&ext)),
                )
                .execute(c)?;
                diesel::insert_into(sso_links::table)
                    .values((
                        sso_links::kind.eq(kind.as_str()),
                        sso_links::external_id.eq(&ext),
                        sso_links::contact_id.eq(contact.0),
                    ))
                    .execute(c)?;
                Ok(())
            })
        })
        .await
    }

    async fn linked_contact(
        &self,
        kind: SsoKind,
        external_id: &str,
    ) -> PortResult<Option<ContactId>> {
        let ext = external_id.to_string();
        self.q(move |c| {
            let id: Option<i64> = sso_links::table
                .filter(sso_links::kind.eq(kind.as_str()))
                .filter(sso_links::external_id.eq(&ext))
                .select(sso_links::contact_id)
                .first(c)
                .optional()?;
            Ok(id.map(ContactId))
        })
        .await
    }
}

pub(crate) type StaffRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    bool,
);

pub(crate) fn staff_login_of(
    c: &mut Db,
    filter_email: Option<String>,
    agent: Option<AgentId>,
) -> QResult<Option<StaffLogin>> {
    let joined =
        agents::table.inner_join(staff_logins::table.on(staff_logins::agent_id.eq(agents::id)));
    let columns = (
        agents::id,
        agents::first_name,
        agents::last_name,
        agents::alias,
        agents::email,
        staff_logins::role,
        staff_logins::password_hash,
        staff_logins::enabled,
    );
    let row: Option<StaffRow> = match (filter_email, agent) {
        (Some(e), _) => joined
            .filter(agents::email_lower.eq(e))
            .select(columns)
            .first(c)
            .optional()?,
        (None, Some(a)) => joined
            .filter(agents::id.eq(a.0))
            .select(columns)
            .first(c)
            .optional()?,
        (None, None) => None,
    };
    Ok(row.map(
        |(id, first_name, last_name, alias, email, role, password_hash, enabled)| StaffLogin {
            agent: Agent {
                id: AgentId(id),
                first_name,
                last_name,
                alias,
                email,
            },
            role: StaffRole::parse(&role).unwrap_or(StaffRole::Agent),
            password_hash,
            enabled,
        },
    ))
}

#[async_trait]
impl StaffStore for Store {
    async fn staff_by_email(&self, email: &str) -> PortResult<Option<StaffLogin>> {
        let e = lower(email);
        self.q(move |c| staff_login_of(c, Some(e), None)).await
    }

    async fn staff_by_agent(&self, agent: AgentId) -> PortResult<Option<StaffLogin>> {
        self.q(move |c| staff_login_of(c, None, Some(agent))).await
    }

    async fn set_staff_login(
        &self,
        agent: AgentId,
        role: StaffRole,
        password_hash: &str,
        enabled: bool,
    ) -> PortResult<()> {
        let hash = password_hash.to_string();
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = agents::table
                    .filter(agents::id.eq(agent.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                diesel::delete(staff_logins::table.find(agent.0)).execute(c)?;
                diesel::insert_into(staff_logins::table)
                    .values((
                        staff_logins::agent_id.eq(agent.0),
                        staff_logins::role.eq(role.as_str()),
                        staff_logins::password_hash.eq(&hash),
                        staff_logins::enabled.eq(enabled),
                    ))
                    .execute(c)?;
                Ok(())
            })
        })
        .await
    }

    async fn create_api_token(&self, token: ApiToken) -> PortResult<ApiToken> {
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = agents::table
                    .filter(agents::id.eq(token.agent.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                let id: i64 = with_conn!(c, c => diesel::insert_into(api_tokens::table)
                    .values((
                        api_tokens::agent_id.eq(token.agent.0),
                        api_tokens::name.eq(&token.name),
                        api_tokens::token_hash.eq(&token.token_hash),
                        api_tokens::created_at.eq(token.created_at.0),
                    ))
                    .returning(api_tokens::id)
                    .get_result(c))?;
                Ok(ApiToken { id, ..token })
            })
        })
        .await
    }

    async fn api_token(&self, token_hash: &str) -> PortResult<Option<ApiToken>> {
        let hash = token_hash.to_string();
        self.q(move |c| {
            let row: Option<ApiTokenRow> = api_tokens::table
                .filter(api_tokens::token_hash.eq(&hash))
                .first(c)
                .optional()?;
            Ok(row.map(to_api_token))
        })
        .await
    }

    async fn api_tokens(&self, agent: AgentId) -> PortResult<Vec<ApiToken>> {
        self.q(move |c| {
            let rows: Vec<ApiTokenRow> = api_tokens::table
                .filter(api_tokens::agent_id.eq(agent.0))
                .order(api_tokens::id)
                .load(c)?;
            Ok(rows.into_iter().map(to_api_token).collect())
        })
        .await
    }

    async fn revoke_api_token(&self, agent: AgentId, id: i64) -> PortResult<()> {
        self.q(move |c| {
            let n = diesel::delete(
                api_tokens::table
                    .filter(api_tokens::id.eq(id))
                    .filter(api_tokens::agent_id.eq(agent.0)),
            )
            .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }
}

pub(crate) type ApiTokenRow = (i64, i64, String, String, i64);

pub(crate) fn to_api_token((id, agent, name, token_hash, created_at): ApiTokenRow) -> ApiToken {
    ApiToken {
        id,
        agent: AgentId(agent),
        name,
        token_hash,
        created_at: Timestamp(created_at),
    }
}
