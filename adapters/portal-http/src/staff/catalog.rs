//! What the help desk is made of: pipelines and inboxes, property definitions, agents and
//! their aliases and logins (P8, P14), ticket properties from the inbox, and API tokens.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::settings::FieldError;
use portal_core::usecases::inbox::TicketChanges;
use portal_core::usecases::records::PropertyInput;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::format;
use crate::staff::records::done_text;
use crate::staff::records::field;
use crate::staff::records::field_errors;
use crate::staff::records::kind_name;
use crate::staff::records::prop_fields;
use crate::staff::records::t;
use crate::staff::render;
use crate::staff::{Staff, StaffChecked, StaffPage, error_page, see_other};

type St = web::Data<AppState>;
/// A staff form of name-value pairs whose CSRF token matched.
type Fields = StaffChecked<Vec<(String, String)>>;

// ------------------------------------------------------------------------ pipelines, inboxes

pub(crate) async fn pipelines_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    errors: &[FieldError],
) -> HttpResponse {
    let (pipelines, inboxes) = match st.records.pipelines().await {
        Ok(x) => x,
        Err(e) => return error_page(st, p, &e),
    };
    let label_of = |id: PipelineId| {
        pipelines
            .iter()
            .find(|pl| pl.id == id)
            .map(|pl| pl.label.clone())
            .unwrap_or_default()
    };
    render(
        st,
        p,
        status,
        "admin_pipelines",
        json!({
            "title": t(st, p, "admin.pipelines.title"),
            "pipelines": pipelines.iter().map(|pl| json!({
                "id": pl.id.0,
                "label": pl.label,
                "stages": pl.stages.iter().map(|s| json!({ "id": s.id.0, "label": s.label, "closed": s.closed })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "inboxes": inboxes.iter().map(|i| json!({
                "id": i.id.0,
                "name": i.name,
                "pipeline": label_of(i.pipeline),
                "default": Some(i.id) == p.snap.settings.default_inbox,
            })).collect::<Vec<_>>(),
            "errors": field_errors(st, p.lang, &["label", "stages", "name", "pipeline"], errors),
            "done": done_text(st, p, req),
        }),
    )
}

pub(crate) async fn pipelines(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    pipelines_page(&st, &p, &req, StatusCode::OK, &[]).await
}

/// Answers a records form: back to `to` when it worked, the page with the problems when not.
pub(crate) async fn after_pipeline_change<T>(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    result: Result<T, Error>,
    done: &str,
) -> HttpResponse {
    match result {
        Ok(_) => {
            st.invalidate();
            see_other(&format!("/admin/pipelines?done={done}"))
        }
        Err(Error::Invalid(errs)) => {
            pipelines_page(st, p, req, StatusCode::UNPROCESSABLE_ENTITY, &errs).await
        }
        Err(e) => error_page(st, p, &e),
    }
}

pub(crate) fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) async fn create_pipeline(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let stages: Vec<(String, bool)> = lines(field(&form, "open"))
        .into_iter()
        .map(|l| (l, false))
        .chain(lines(field(&form, "closed")).into_iter().map(|l| (l, true)))
        .collect();
    let result = st
        .records
        .create_pipeline(m.agent.id, field(&form, "label"), &stages)
        .await;
    after_pipeline_change(&st, &p, &req, result, "pipeline_saved").await
}

pub(crate) async fn add_stage(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let closed = matches!(field(&form, "closed"), "1" | "on");
    let result = st
        .records
        .add_stage(m.agent.id, PipelineId(*path), field(&form, "label"), closed)
        .await;
    after_pipeline_change(&st, &p, &req, result, "pipeline_saved").await
}

pub(crate) async fn create_inbox(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let pipeline = PipelineId(field(&form, "pipeline").parse().unwrap_or(0));
    let result = st
        .records
        .create_inbox(m.agent.id, field(&form, "name"), pipeline)
        .await;
    after_pipeline_change(&st, &p, &req, result, "inbox_saved").await
}

// ------------------------------------------------------------------------ properties

pub(crate) fn def_row(d: &PropertyDef) -> J {
    json!({
        "name": d.name,
        "label": d.label,
        "kind": kind_name(d.kind),
        "options": d.options.join(", "),
        "builtin": d.builtin,
    })
}

pub(crate) async fn properties_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    form: Option<(J, J)>,
) -> HttpResponse {
    let (contacts, tickets) = match (
        st.records.catalog(ObjectKind::Contact).await,
        st.records.catalog(ObjectKind::Ticket).await,
    ) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => return error_page(st, p, &e),
    };
    let (form, errors) = form.unwrap_or_else(|| {
        (
            json!({ "object": "ticket", "name": "", "label": "", "kind": "text", "options": "" }),
            field_errors(st, p.lang, &["name", "label", "kind", "options"], &[]),
        )
    });
    render(
        st,
        p,
        status,
        "admin_properties",
        json!({
            "title": t(st, p, "admin.properties.title"),
            "contact_defs": contacts.defs.iter().map(def_row).collect::<Vec<_>>(),
            "ticket_defs": tickets.defs.iter().map(def_row).collect::<Vec<_>>(),
            "form": form,
            "errors": errors,
            "done": done_text(st, p, req),
        }),
    )
}

pub(crate) async fn properties(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    properties_page(&st, &p, &req, StatusCode::OK, None).await
}

pub(crate) async fn define_property(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let object = match field(&form, "object") {
        "contact" => ObjectKind::Contact,
        _ => ObjectKind::Ticket,
    };
    let input = PropertyInput {
        name: field(&form, "name").into(),
        label: field(&form, "label").into(),
        kind: field(&form, "kind").into(),
        options: lines(field(&form, "options")),
    };
    match st.records.define_property(m.agent.id, object, &input).await {
        Ok(_) => {
            st.invalidate();
            see_other("/admin/properties?done=property_saved")
        }
        Err(Error::Invalid(errs)) => {
            let data = (
                json!({
                    "object": field(&form, "object"),
                    "name": input.name,
                    "label": input.label,
                    "kind": input.kind,
                    "options": field(&form, "options"),
                }),
                field_errors(&st, p.lang, &["name", "label", "kind", "options"], &errs),
            );
            properties_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, Some(data)).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ agents

pub(crate) async fn agents_page(
    st: &AppState,
    p: &StaffPage,
    req: &HttpRequest,
    status: StatusCode,
    errors: &[FieldError],
) -> HttpResponse {
    let with_logins = match st.inbox.agents().await {
        Ok(a) => a,
        Err(e) => return error_page(st, p, &e),
    };
    let logins: BTreeMap<AgentId, bool> = with_logins
        .iter()
        .filter_map(|(a, enabled)| enabled.map(|e| (a.id, e)))
        .collect();
    let agents: Vec<Agent> = with_logins.into_iter().map(|(a, _)| a).collect();
    render(
        st,
        p,
        status,
        "admin_agents",
        json!({
            "title": t(st, p, "admin.agents.title"),
            "agents": agents.iter().map(|a| json!({
                "id": a.id.0,
                "name": format!("{} {}", a.first_name, a.last_name).trim().to_string(),
                "email": a.email,
                "alias": a.alias.clone().unwrap_or_default(),
                "active": logins.get(&a.id) == Some(&true),
                "disabled": logins.get(&a.id) == Some(&false),
            })).collect::<Vec<_>>(),
            "display": format!("{:?}", p.snap.settings.owner_display).to_lowercase(),
            "errors": field_errors(st, p.lang, &["alias"], errors),
            "done": done_text(st, p, req),
        }),
    )
}

pub(crate) async fn agents(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    agents_page(&st, &p, &req, StatusCode::OK, &[]).await
}

/// Disables or enables another staff member's login (admins; the core decides).
pub(crate) async fn set_staff_login(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let enabled = field(&form, "enabled") == "1";
    match st
        .staff
        .set_login_enabled(&m, AgentId(*path), enabled)
        .await
    {
        Ok(()) => see_other(if enabled {
            "/admin/agents?done=login_enabled"
        } else {
            "/admin/agents?done=login_disabled"
        }),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Disables or enables a contact's portal login (audited; disabling ends its sessions).
pub(crate) async fn set_portal_login(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let enabled = field(&form, "enabled") == "1";
    match st
        .records
        .set_portal_login(m.agent.id, ContactId(*path), enabled)
        .await
    {
        Ok(()) => see_other(&format!(
            "/admin/contacts/{}?done={}",
            *path,
            if enabled {
                "login_enabled"
            } else {
                "login_disabled"
            }
        )),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Makes a contact a portal admin of one of its companies (`company`, none: the primary),
/// or no longer one (C4; audited).
pub(crate) async fn set_company_admin(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let admin = field(&form, "admin") == "1";
    // `company`: the membership's company id; none names the primary company.
    let company = match field(&form, "company").trim() {
        "" => None,
        v => match v.parse() {
            Ok(id) => Some(CompanyId(id)),
            Err(_) => {
                let e = Error::invalid("company", "invalid", "not a company id");
                return error_page(&st, &p, &e);
            }
        },
    };
    match st
        .records
        .set_company_admin(m.agent.id, ContactId(*path), company, admin)
        .await
    {
        Ok(()) => see_other(&format!(
            "/admin/contacts/{}?done={}",
            *path,
            if admin {
                "company_admin_on"
            } else {
                "company_admin_off"
            }
        )),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Aliases are what customers see as the ticket owner (P8): a portal setting, admins only.
pub(crate) async fn set_alias(
    req: HttpRequest,
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    match st
        .records
        .set_alias(&m, AgentId(*path), field(&form, "alias"))
        .await
    {
        Ok(_) => {
            st.invalidate();
            see_other("/admin/agents?done=alias_saved")
        }
        Err(Error::Invalid(errs)) => {
            agents_page(&st, &p, &req, StatusCode::UNPROCESSABLE_ENTITY, &errs).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ ticket properties

pub(crate) async fn edit_ticket(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    StaffChecked(form): Fields,
) -> HttpResponse {
    let id = TicketId(*path);
    let changes = TicketChanges {
        subject: Some(field(&form, "subject").to_string()),
        properties: prop_fields(&form),
        ..TicketChanges::default()
    };
    match st.inbox.update_ticket(&m, id, &changes).await {
        Ok(_) => see_other(&format!("/admin/tickets/{}?done=properties", id.0)),
        Err(Error::Invalid(errs)) => {
            let list: Vec<String> = errs
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e.field,
                        st.i18n.get(p.lang, &format!("field.{}", e.code))
                    )
                })
                .collect();
            crate::staff::inbox::ticket_page(
                &st,
                &p,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "prop_errors": list }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ API tokens

pub(crate) async fn tokens_page(
    st: &AppState,
    p: &StaffPage,
    agent: AgentId,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
    // Looked up once for the page, not once per row.
    let zone = p.zone();
    let list = match st.staff.api_tokens(agent).await {
        Ok(l) => l,
        Err(e) => return error_page(st, p, &e),
    };
    let mut data = json!({
        "title": t(st, p, "admin.tokens.title"),
        "tokens": list.iter().map(|k| json!({
            "id": k.id,
            "name": k.name,
            "created": format::datetime(k.created_at, p.lang, &zone),
        })).collect::<Vec<_>>(),
        "new_token": null,
        "errors": field_errors(st, p.lang, &["name"], &[]),
        "done": null,
    });
    if let (Some(o), J::Object(e)) = (data.as_object_mut(), extra) {
        o.extend(e);
    }
    render(st, p, status, "admin_tokens", data)
}

pub(crate) async fn tokens(req: HttpRequest, st: St, Staff(p, m): Staff) -> HttpResponse {
    let done = done_text(&st, &p, &req);
    tokens_page(&st, &p, m.agent.id, StatusCode::OK, json!({ "done": done })).await
}

pub(crate) async fn create_token(
    st: St,
    Staff(p, m): Staff,
    StaffChecked(form): Fields,
) -> HttpResponse {
    match st
        .staff
        .create_api_token(m.agent.id, field(&form, "name"))
        .await
    {
        // Shown once, on this answer only (no redirect that could be replayed from history).
        Ok((_, token)) => {
            tokens_page(
                &st,
                &p,
                m.agent.id,
                StatusCode::OK,
                json!({ "new_token": token }),
            )
            .await
        }
        Err(Error::Invalid(errs)) => {
            let errors = field_errors(&st, p.lang, &["name"], &errs);
            tokens_page(
                &st,
                &p,
                m.agent.id,
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "errors": errors }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn revoke_token(
    st: St,
    Staff(p, m): Staff,
    path: web::Path<i64>,
    _: Fields,
) -> HttpResponse {
    match st.staff.revoke_api_token(m.agent.id, *path).await {
        Ok(()) => see_other("/admin/api-tokens?done=token_revoked"),
        Err(e) => error_page(&st, &p, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_keep_repeats_and_properties() {
        let f = vec![
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
            ("prop.tier".to_string(), "gold".to_string()),
        ];
        assert_eq!(field(&f, "a"), "1");
        assert_eq!(field(&f, "missing"), "");
        assert_eq!(
            prop_fields(&f),
            BTreeMap::from([("tier".to_string(), "gold".to_string())])
        );
        assert_eq!(lines(" x \n\n y"), vec!["x", "y"]);
    }
}
