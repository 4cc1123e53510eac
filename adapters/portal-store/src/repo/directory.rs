//! The `Directory` port: contacts, companies, lists and memberships.

use std::collections::BTreeSet;

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::Text;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;

use crate::Store;
use crate::db::with_conn;
use crate::repo::QResult;
use crate::repo::json;
use crate::repo::unjson;
use crate::schema::*;

diesel::define_sql_function! {
    #[sql_name = "lower"]
    fn sql_lower(x: Text) -> Text;
}

diesel::define_sql_function! {
    #[sql_name = "lower"]
    fn sql_lower_nullable(x: diesel::sql_types::Nullable<Text>) -> diesel::sql_types::Nullable<Text>;
}

pub(crate) type ContactRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
);

pub(crate) type ContactColumns = (
    contacts::id,
    contacts::email,
    contacts::membership_email,
    contacts::first_name,
    contacts::last_name,
    contacts::primary_company_id,
    contacts::language,
    contacts::properties,
    contacts::memberships,
);

pub(crate) fn contact_columns() -> ContactColumns {
    use contacts::*;
    (
        id,
        email,
        membership_email,
        first_name,
        last_name,
        primary_company_id,
        language,
        properties,
        memberships,
    )
}

pub(crate) fn to_contact(r: ContactRow) -> QResult<Contact> {
    Ok(Contact {
        id: ContactId(r.0),
        email: r.1,
        membership_email: r.2,
        first_name: r.3,
        last_name: r.4,
        primary_company: r.5.map(CompanyId),
        language: r.6,
        properties: unjson(&r.7)?,
        memberships: unjson(&r.8)?,
    })
}

pub(crate) fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `%text%` for LIKE, lower-cased, with `\`, `%` and `_` escaped by `\`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[async_trait]
impl Directory for Store {
    async fn contact(&self, id: ContactId) -> PortResult<Option<Contact>> {
        self.q(move |c| {
            contacts::table
                .find(id.0)
                .select(contact_columns())
                .first::<ContactRow>(c)
                .optional()?
                .map(to_contact)
                .transpose()
        })
        .await
    }

    async fn contact_by_email(&self, email: &str) -> PortResult<Option<Contact>> {
        let email = lower(email);
        self.q(move |c| {
            contacts::table
                .filter(contacts::email_lower.eq(&email))
                .select(contact_columns())
                .first::<ContactRow>(c)
                .optional()?
                .map(to_contact)
                .transpose()
        })
        .await
    }

    async fn create_contact(&self, new: NewContact) -> PortResult<Contact> {
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(contacts::table)
                .values((
                    contacts::email.eq(&new.email),
                    contacts::email_lower.eq(lower(&new.email)),
                    contacts::membership_email.eq(&new.membership_email),
                    contacts::first_name.eq(&new.first_name),
                    contacts::last_name.eq(&new.last_name),
                    contacts::primary_company_id.eq(new.primary_company.map(|x| x.0)),
                    contacts::language.eq(&new.language),
                    contacts::properties.eq(json(&new.properties)?),
                ))
                .returning(contacts::id)
                .get_result(c))?;
            Ok(Contact {
                id: ContactId(id),
                email: new.email,
                membership_email: new.membership_email,
                first_name: new.first_name,
                last_name: new.last_name,
                primary_company: new.primary_company,
                language: new.language,
                properties: new.properties,
                memberships: Vec::new(),
            })
        })
        .await
    }

    async fn update_contact(&self, contact: &Contact) -> PortResult<()> {
        let k = contact.clone();
        self.q(move |c| {
            let n = diesel::update(contacts::table.find(k.id.0))
                .set((
                    contacts::email.eq(&k.email),
                    contacts::email_lower.eq(lower(&k.email)),
                    contacts::membership_email.eq(&k.membership_email),
                    contacts::first_name.eq(&k.first_name),
                    contacts::last_name.eq(&k.last_name),
                    contacts::primary_company_id.eq(k.primary_company.map(|x| x.0)),
                    contacts::language.eq(&k.language),
                    contacts::properties.eq(json(&k.properties)?),
                    contacts::memberships.eq(json(&k.memberships)?),
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

    async fn company_contacts(&self, company: CompanyId) -> PortResult<Vec<Contact>> {
        // Every one of them: the records page with no end (`LIMIT` takes an i64).
        self.contacts(&RecordQuery {
            company: Some(company),
            limit: i64::MAX as usize,
            ..RecordQuery::default()
        })
        .await
    }

    async fn company(&self, id: CompanyId) -> PortResult<Option<Company>> {
        self.q(move |c| {
            let row: Option<(i64, String, Option<String>)> =
                companies::table.find(id.0).first(c).optional()?;
            Ok(row.map(|(id, name, domain)| Company {
                id: CompanyId(id),
                name,
                domain,
            }))
        })
        .await
    }

    async fn company_by_name_or_domain(&self, key: &str) -> PortResult<Option<Company>> {
        let key = lower(key);
        if key.is_empty() {
            return Ok(None);
        }
        self.q(move |c| {
            let row: Option<(i64, String, Option<String>)> = companies::table
                .filter(
                    sql_lower(companies::name)
                        .eq(&key)
                        .or(sql_lower_nullable(companies::domain).eq(&key)),
                )
                .order(companies::id)
                .first(c)
                .optional()?;
            Ok(row.map(|(id, name, domain)| Company {
                id: CompanyId(id),
                name,
                domain,
            }))
        })
        .await
    }

    async fn create_company(&self, name: &str, domain: Option<&str>) -> PortResult<Company> {
        let (name, domain) = (name.to_string(), domain.map(str::to_string));
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(companies::table)
                .values((companies::name.eq(&name), companies::domain.eq(&domain)))
                .returning(companies::id)
                .get_result(c))?;
            Ok(Company {
                id: CompanyId(id),
                name,
                domain,
            })
        })
        .await
    }

    async fn imported(&self, kind: &str, external_id: &str) -> PortResult<Option<i64>> {
        let (kind, external_id) = (kind.to_string(), external_id.to_string());
        self.q(move |c| {
            let id: Option<i64> = with_conn!(c, c => import_keys::table
                .filter(import_keys::kind.eq(&kind))
                .filter(import_keys::external_id.eq(&external_id))
                .select(import_keys::record_id)
                .first(c)
                .optional())?;
            Ok(id)
        })
        .await
    }

    async fn remember_import(&self, kind: &str, external_id: &str, id: i64) -> PortResult<()> {
        let (kind, external_id) = (kind.to_string(), external_id.to_string());
        self.q(move |c| {
            with_conn!(c, c => diesel::insert_into(import_keys::table)
                .values((
                    import_keys::kind.eq(&kind),
                    import_keys::external_id.eq(&external_id),
                    import_keys::record_id.eq(id),
                ))
                .on_conflict((import_keys::kind, import_keys::external_id))
                .do_update()
                .set(import_keys::record_id.eq(id))
                .execute(c))?;
            Ok(())
        })
        .await
    }

    async fn lists(&self) -> PortResult<Vec<ContactList>> {
        self.q(|c| {
            let rows: Vec<(i64, String)> = lists::table.order(lists::id).load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| ContactList {
                    id: ListId(id),
                    name,
                })
                .collect())
        })
        .await
    }

    async fn create_list(&self, name: &str) -> PortResult<ContactList> {
        let name = name.to_string();
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(lists::table)
                .values(lists::name.eq(&name))
                .returning(lists::id)
                .get_result(c))?;
            Ok(ContactList {
                id: ListId(id),
                name,
            })
        })
        .await
    }

    async fn add_member(&self, list: ListId, contact: ContactId) -> PortResult<()> {
        self.q(move |c| {
            let exists: i64 = list_members::table
                .filter(list_members::list_id.eq(list.0))
                .filter(list_members::contact_id.eq(contact.0))
                .count()
                .get_result(c)?;
            if exists > 0 {
                return Ok(());
            }
            diesel::insert_into(list_members::table)
                .values((
                    list_members::list_id.eq(list.0),
                    list_members::contact_id.eq(contact.0),
                ))
                .execute(c)
                .map(|_| ())
        })
        .await
    }

    async fn remove_member(&self, list: ListId, contact: ContactId) -> PortResult<()> {
        self.q(move |c| {
            diesel::delete(
                list_members::table
                    .filter(list_members::list_id.eq(list.0))
                    .filter(list_members::contact_id.eq(contact.0)),
            )
            .execute(c)
            .map(|_| ())
        })
        .await
    }

    async fn members(&self, list: ListId) -> PortResult<Vec<ContactId>> {
        self.q(move |c| {
            let ids: Vec<i64> = list_members::table
                .filter(list_members::list_id.eq(list.0))
                .select(list_members::contact_id)
                .order(list_members::contact_id)
                .load(c)?;
            Ok(ids.into_iter().map(ContactId).collect())
        })
        .await
    }

    async fn contacts(&self, query: &RecordQuery) -> PortResult<Vec<Contact>> {
        let q = query.clone();
        self.q(move |c| {
            let pattern = q.search.as_deref().map(like_pattern);
            let mut out = Vec::new();
            let mut after = q.after;
            // The membership patterns only narrow the rows read: each is checked again on the
            // contact itself, so a row matched by chance is never taken for one of the
            // company's people. The next rows are then read until the page is full or the
            // table ends, so paging stays right.
            loop {
                let rows: Vec<ContactRow> = with_conn!(c, c => {
                    let mut sel = contacts::table
                        .select(contact_columns())
                        .order(contacts::id)
                        .limit(q.limit as i64)
                        .into_boxed();
                    if let Some(after) = after {
                        sel = sel.filter(contacts::id.gt(after));
                    }
                    if let Some(company) = q.company {
                        let (comma, brace) = membership_patterns(company);
                        sel = sel.filter(
                            contacts::primary_company_id
                                .eq(company.0)
                                .or(contacts::memberships.like(comma))
                                .or(contacts::memberships.like(brace)),
                        );
                    }
                    if let Some(p) = &pattern {
                        sel = sel.filter(
                            contacts::email_lower
                                .like(p.clone())
                                .escape('\\')
                                .or(sql_lower(contacts::first_name).like(p.clone()).escape('\\'))
                                .or(sql_lower(contacts::last_name).like(p.clone()).escape('\\')),
                        );
                    }
                    sel.load(c)
                })?;
                let read = rows.len();
                after = rows.last().map(|r| r.0).or(after);
                for r in rows {
                    let contact = to_contact(r)?;
                    if q.company.is_none_or(|company| contact.belongs_to(company)) {
                        out.push(contact);
                    }
                }
                if read < q.limit || out.len() >= q.limit {
                    break;
                }
            }
            out.truncate(q.limit);
            Ok(out)
        })
        .await
    }

    async fn companies(&self, query: &RecordQuery) -> PortResult<Vec<Company>> {
        let q = query.clone();
        self.q(move |c| {
            let pattern = q.search.as_deref().map(like_pattern);
            let rows: Vec<(i64, String, Option<String>)> = with_conn!(c, c => {
                let mut sel = companies::table
                    .order(companies::id)
                    .limit(q.limit as i64)
                    .into_boxed();
                if let Some(after) = q.after {
                    sel = sel.filter(companies::id.gt(after));
                }
                if let Some(p) = &pattern {
                    sel = sel.filter(
                        sql_lower(companies::name)
                            .like(p.clone())
                            .escape('\\')
                            .or(sql_lower_nullable(companies::domain).like(p.clone()).escape('\\')),
                    );
                }
                sel.load(c)
            })?;
            Ok(rows
                .into_iter()
                .map(|(id, name, domain)| Company {
                    id: CompanyId(id),
                    name,
                    domain,
                })
                .collect())
        })
        .await
    }

    async fn update_company(&self, company: &Company) -> PortResult<()> {
        let k = company.clone();
        self.q(move |c| {
            let n = diesel::update(companies::table.find(k.id.0))
                .set((companies::name.eq(&k.name), companies::domain.eq(&k.domain)))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn rename_list(&self, list: ListId, name: &str) -> PortResult<()> {
        let name = name.to_string();
        self.q(move |c| {
            let n = diesel::update(lists::table.find(list.0))
                .set(lists::name.eq(&name))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn memberships(&self, contact: ContactId) -> PortResult<BTreeSet<ListId>> {
        self.q(move |c| {
            let ids: Vec<i64> = list_members::table
                .filter(list_members::contact_id.eq(contact.0))
                .select(list_members::list_id)
                .load(c)?;
            Ok(ids.into_iter().map(ListId).collect())
        })
        .await
    }
}

/// The two `LIKE` patterns that find `company` among a contact's further memberships.
/// They live in the contact's JSON column, written by `json` as `[{"company":5,"granted":…}]`:
/// the key followed by the number and a comma or the object's end names that company and no
/// other (`"company":5` alone would also match 51).
fn membership_patterns(company: CompanyId) -> (String, String) {
    let member = |end: char| format!("%\"company\":{}{end}%", company.0);
    (member(','), member('}'))
}
