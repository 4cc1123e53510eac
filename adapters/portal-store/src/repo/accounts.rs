//! The `AccountRepository`, `SessionStore` and `TokenStore` ports.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;

use crate::Store;
use crate::db::with_conn;
use crate::repo::directory::lower;
use crate::repo::directory::to_contact;
use crate::repo::load_raw;
use crate::repo::ticket_data::SessionCustomerRow;
use crate::repo::ticket_data::queue_mail;
use crate::repo::ticket_query::backend_of;
use crate::repo::write;
use crate::schema::*;
use crate::sql::{self};

pub(crate) type AccountRow = (
    i64,
    i64,
    String,
    Option<String>,
    bool,
    bool,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
    Option<String>,
);

pub(crate) fn to_account(r: AccountRow) -> Account {
    Account {
        id: AccountId(r.0),
        contact: ContactId(r.1),
        email: r.2,
        password_hash: r.3,
        enabled: r.4,
        email_confirmed: r.5,
        language: r.6,
        consent: match (r.7, r.8) {
            (Some(text), Some(at)) => Some(Consent {
                text,
                at: Timestamp(at),
            }),
            _ => None,
        },
        created_at: Timestamp(r.9),
        time_zone: r.10,
    }
}

#[async_trait]
impl AccountRepository for Store {
    async fn create(&self, a: Account) -> PortResult<Account> {
        self.q(move |c| {
            let email = lower(&a.email);
            let id: i64 = with_conn!(c, c => diesel::insert_into(accounts::table)
                .values((
                    accounts::contact_id.eq(a.contact.0),
                    accounts::email.eq(&email),
                    accounts::password_hash.eq(&a.password_hash),
                    accounts::enabled.eq(a.enabled),
                    accounts::email_confirmed.eq(a.email_confirmed),
                    accounts::language.eq(&a.language),
                    accounts::consent_text.eq(a.consent.as_ref().map(|x| x.text.clone())),
                    accounts::consent_at.eq(a.consent.as_ref().map(|x| x.at.0)),
                    accounts::created_at.eq(a.created_at.0),
                    accounts::time_zone.eq(&a.time_zone),
                ))
                .returning(accounts::id)
                .get_result(c))?;
            Ok(Account {
                id: AccountId(id),
                email,
                ..a
            })
        })
        .await
    }

    async fn by_email(&self, email: &str) -> PortResult<Option<Account>> {
        let email = lower(email);
        self.q(move |c| {
            Ok(accounts::table
                .filter(accounts::email.eq(&email))
                .first::<AccountRow>(c)
                .optional()?
                .map(to_account))
        })
        .await
    }

    async fn by_id(&self, id: AccountId) -> PortResult<Option<Account>> {
        self.q(move |c| {
            Ok(accounts::table
                .find(id.0)
                .first::<AccountRow>(c)
                .optional()?
                .map(to_account))
        })
        .await
    }

    async fn by_contact(&self, contact: ContactId) -> PortResult<Option<Account>> {
        self.q(move |c| {
            Ok(accounts::table
                .filter(accounts::contact_id.eq(contact.0))
                .first::<AccountRow>(c)
                .optional()?
                .map(to_account))
        })
        .await
    }

    async fn update(&self, a: &Account) -> PortResult<()> {
        let a = a.clone();
        self.q(move |c| {
            let n = diesel::update(accounts::table.find(a.id.0))
                .set((
                    accounts::email.eq(lower(&a.email)),
                    accounts::password_hash.eq(&a.password_hash),
                    accounts::enabled.eq(a.enabled),
                    accounts::email_confirmed.eq(a.email_confirmed),
                    accounts::language.eq(&a.language),
                    accounts::consent_text.eq(a.consent.as_ref().map(|x| x.text.clone())),
                    accounts::consent_at.eq(a.consent.as_ref().map(|x| x.at.0)),
                    accounts::time_zone.eq(&a.time_zone),
                ))
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

pub(crate) fn principal_parts(p: Principal) -> (&'static str, i64) {
    match p {
        Principal::Customer(a) => ("customer", a.0),
        Principal::Staff(a) => ("staff", a.0),
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn insert(&self, s: Session) -> PortResult<()> {
        self.q(move |c| {
            let (kind, id) = principal_parts(s.principal);
            diesel::insert_into(sessions::table)
                .values((
                    sessions::token_hash.eq(&s.token_hash),
                    sessions::principal_kind.eq(kind),
                    sessions::principal_id.eq(id),
                    sessions::created_at.eq(s.created_at.0),
                    sessions::last_seen.eq(s.last_seen.0),
                    sessions::csrf_secret.eq(&s.csrf_secret),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn get(&self, token_hash: &str) -> PortResult<Option<Session>> {
        let h = token_hash.to_string();
        self.q(move |c| {
            let row: Option<(String, String, i64, i64, i64, String)> =
                sessions::table.find(&h).first(c).optional()?;
            Ok(row.map(
                |(token_hash, kind, id, created, seen, csrf_secret)| Session {
                    token_hash,
                    principal: if kind == "staff" {
                        Principal::Staff(AgentId(id))
                    } else {
                        Principal::Customer(AccountId(id))
                    },
                    created_at: Timestamp(created),
                    last_seen: Timestamp(seen),
                    csrf_secret,
                },
            ))
        })
        .await
    }

    async fn get_with_customer(
        &self,
        token_hash: &str,
    ) -> PortResult<Option<(Session, Option<(Account, Contact)>)>> {
        let h = token_hash.to_string();
        self.q(move |c| {
            let sql = sql::session_customer_sql(backend_of(c), &h).cached(true);
            let rows: Vec<SessionCustomerRow> = load_raw(c, sql)?;
            let Some(r) = rows.into_iter().next() else {
                return Ok(None);
            };
            let session = Session {
                token_hash: r.token_hash,
                principal: if r.principal_kind == "staff" {
                    Principal::Staff(AgentId(r.principal_id))
                } else {
                    Principal::Customer(AccountId(r.principal_id))
                },
                created_at: Timestamp(r.created_at),
                last_seen: Timestamp(r.last_seen),
                csrf_secret: r.csrf_secret,
            };
            let account = match (r.a_id, r.a_contact, r.a_email, r.a_enabled) {
                (Some(id), Some(contact), Some(email), Some(enabled)) => to_account((
                    id,
                    contact,
                    email,
                    r.a_password_hash,
                    enabled,
                    r.a_email_confirmed.unwrap_or(false),
                    r.a_language,
                    r.a_consent_text,
                    r.a_consent_at,
                    r.a_created_at.unwrap_or(0),
                    r.a_time_zone,
                )),
                _ => return Ok(Some((session, None))),
            };
            let contact = match (r.c_id, r.c_email, r.c_first_name, r.c_last_name) {
                (Some(id), Some(email), Some(first), Some(last)) => Some(to_contact((
                    id,
                    email,
                    r.c_membership_email,
                    first,
                    last,
                    r.c_company,
                    r.c_language,
                    r.c_properties.unwrap_or_else(|| "{}".into()),
                    r.c_memberships.unwrap_or_else(|| "[]".into()),
                ))?),
                _ => None,
            };
            Ok(Some((session, contact.map(|k| (account, k)))))
        })
        .await
    }

    async fn touch(&self, token_hash: &str, at: Timestamp) -> PortResult<()> {
        let h = token_hash.to_string();
        self.q(move |c| {
            diesel::update(
                sessions::table
                    .find(&h)
                    .filter(sessions::last_seen.lt(at.0)),
            )
            .set(sessions::last_seen.eq(at.0))
            .execute(c)
            .map(|_| ())
        })
        .await
    }

    async fn delete(&self, token_hash: &str) -> PortResult<()> {
        let h = token_hash.to_string();
        self.q(move |c| {
            diesel::delete(sessions::table.find(&h))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn delete_all(&self, principal: Principal, keep: Option<&str>) -> PortResult<u64> {
        let keep = keep.unwrap_or("").to_string();
        self.q(move |c| {
            let (kind, id) = principal_parts(principal);
            diesel::delete(
                sessions::table
                    .filter(sessions::principal_kind.eq(kind))
                    .filter(sessions::principal_id.eq(id))
                    .filter(sessions::token_hash.ne(&keep)),
            )
            .execute(c)
            .map(|n| n as u64)
        })
        .await
    }
}

pub(crate) fn purpose_name(p: TokenPurpose) -> &'static str {
    match p {
        TokenPurpose::Registration => "registration",
        TokenPurpose::EmailConfirmation => "email_confirmation",
        TokenPurpose::PasswordReset => "password_reset",
        TokenPurpose::LoginLink => "login_link",
    }
}

#[async_trait]
impl TokenStore for Store {
    async fn insert(&self, t: OneTimeToken) -> PortResult<()> {
        self.q(move |c| {
            diesel::insert_into(one_time_tokens::table)
                .values((
                    one_time_tokens::token_hash.eq(&t.token_hash),
                    one_time_tokens::purpose.eq(purpose_name(t.purpose)),
                    one_time_tokens::contact_id.eq(t.contact.0),
                    one_time_tokens::expires_at.eq(t.expires_at.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn consume(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> PortResult<Option<OneTimeToken>> {
        let h = token_hash.to_string();
        self.q(move |c| {
            write(c, |c| {
                let target = one_time_tokens::table
                    .filter(one_time_tokens::token_hash.eq(&h))
                    .filter(one_time_tokens::purpose.eq(purpose_name(purpose)))
                    .filter(one_time_tokens::expires_at.gt(now.0));
                let row: Option<(String, String, i64, i64)> = target.first(c).optional()?;
                let Some((token_hash, _, contact, expires)) = row else {
                    return Ok(None);
                };
                // The delete decides: of two racing uses only one deletes the row.
                let n = diesel::delete(target).execute(c)?;
                Ok((n == 1).then_some(OneTimeToken {
                    token_hash,
                    purpose,
                    contact: ContactId(contact),
                    expires_at: Timestamp(expires),
                }))
            })
        })
        .await
    }

    async fn issue(&self, t: OneTimeToken, mail: OutgoingMail, now: Timestamp) -> PortResult<i64> {
        self.q(move |c| {
            write(c, |c| {
                diesel::delete(
                    one_time_tokens::table
                        .filter(one_time_tokens::contact_id.eq(t.contact.0))
                        .filter(one_time_tokens::purpose.eq(purpose_name(t.purpose))),
                )
                .execute(c)?;
                diesel::insert_into(one_time_tokens::table)
                    .values((
                        one_time_tokens::token_hash.eq(&t.token_hash),
                        one_time_tokens::purpose.eq(purpose_name(t.purpose)),
                        one_time_tokens::contact_id.eq(t.contact.0),
                        one_time_tokens::expires_at.eq(t.expires_at.0),
                    ))
                    .execute(c)?;
                queue_mail(c, &mail, now.0)
            })
        })
        .await
    }

    async fn revoke(&self, contact: ContactId, purpose: TokenPurpose) -> PortResult<()> {
        self.q(move |c| {
            diesel::delete(
                one_time_tokens::table
                    .filter(one_time_tokens::contact_id.eq(contact.0))
                    .filter(one_time_tokens::purpose.eq(purpose_name(purpose))),
            )
            .execute(c)
            .map(|_| ())
        })
        .await
    }
}
