//! A contact's companies on the staff side (C2, C5): add a contact to a further company by
//! its name or domain, grant a membership its own rights or let the portal's rules decide,
//! take a contact out of a further company. The use cases are `Records::set_membership` and
//! `Records::remove_membership`; each change is audited.

use actix_web::{HttpResponse, web};
use portal_core::Error;
use portal_core::model::{CompanyId, CompanyRights, ContactId};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::staff::{Staff, StaffChecked, StaffPage, error_page, see_other};

type St = web::Data<AppState>;
type Fields = StaffChecked<Vec<(String, String)>>;

/// A form field's value, empty when absent.
fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The memberships of a contact as the contact page lists them.
pub(crate) async fn memberships_json(
    st: &AppState,
    contact: &portal_core::model::Contact,
    admin_of: &[portal_core::model::CompanyId],
) -> Result<Vec<J>, Error> {
    let mut out = Vec::new();
    for m in contact.companies() {
        let name = st
            .records
            .find_company(m.company)
            .await
            .map(|c| c.name)
            .unwrap_or_else(|_| format!("#{}", m.company.0));
        let custom = m.granted.unwrap_or(CompanyRights::ALL);
        out.push(json!({
            "company": m.company.0,
            "name": name,
            "primary": contact.primary_company == Some(m.company),
            "custom": m.granted.is_some(),
            "admin": admin_of.contains(&m.company),
            "see": custom.see, "reply": custom.reply, "close": custom.close,
            "limited": m.limited.map(|l| json!({ "see": l.see, "reply": l.reply, "close": l.close })),
        }));
    }
    Ok(out)
}

/// `POST /admin/contacts/{id}/memberships`: `company` (a name, a domain or a company's id)
/// and `mode` (`rules`, or `custom` with the `see`, `reply` and `close` boxes).
pub(crate) async fn set_membership(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let id = ContactId(*path);
    let company = match company_of(&st, &p, field(&form, "company")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let granted = (field(&form, "mode") == "custom").then(|| CompanyRights {
        see: field(&form, "see") == "1",
        reply: field(&form, "reply") == "1",
        close: field(&form, "close") == "1",
    });
    match st
        .records
        .set_membership(m.agent.id, id, company, granted)
        .await
    {
        Ok(_) => {
            st.invalidate();
            see_other(&format!("/admin/contacts/{}?done=membership_saved", id.0))
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

/// `POST /admin/contacts/{id}/memberships/{company}/remove`.
pub(crate) async fn remove_membership(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<(i64, i64)>,
    _: Fields,
) -> HttpResponse {
    let (id, company) = path.into_inner();
    match st
        .records
        .remove_membership(m.agent.id, ContactId(id), CompanyId(company))
        .await
    {
        Ok(_) => {
            st.invalidate();
            see_other(&format!("/admin/contacts/{id}?done=membership_removed"))
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

/// The company a form names: an id, or a name or domain; an unknown one is a field error.
async fn company_of(st: &AppState, p: &StaffPage, key: &str) -> Result<CompanyId, HttpResponse> {
    let key = key.trim();
    if let Ok(n) = key.parse::<i64>() {
        return Ok(CompanyId(n));
    }
    match st.records.company_named(key).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(error_page(
            st,
            p,
            &Error::invalid(
                "company",
                "unknown_company",
                "no company has this name or domain",
            ),
        )),
        Err(e) => Err(error_page(st, p, &e)),
    }
}
