//! The set-up wizard (`/admin/setup`): the first visit of an admin while the portal is off
//! walks through name → path and domain → default inbox and customer permissions → access
//! control and switching on. Each step is validated and saved (audited) like the settings.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::settings::{FieldError, PortalSettings};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::staff::render;
use crate::staff::settings::Catalogs;
use crate::staff::settings::Form;
use crate::staff::settings::apply;
use crate::staff::settings::apply_access;
use crate::staff::settings::domain_change;
use crate::staff::settings::page_data;
use crate::staff::settings::problem_text;
use crate::staff::{Allowed, Settings, StaffPage, check, error_page, see_other};
use portal_core::usecases::staff::DomainChange;

type St = web::Data<AppState>;
type FormPairs = web::Form<Vec<(String, String)>>;

pub(crate) fn setup_data(
    st: &AppState,
    p: &StaffPage,
    step: u8,
    s: &PortalSettings,
    cats: &Catalogs,
    errors: &[FieldError],
) -> J {
    let mut data = page_data(st, p, s, cats, errors, None);
    let all_errors: Vec<J> = errors
        .iter()
        .map(|e| json!({ "field": e.field, "text": problem_text(st, p.lang, cats, e) }))
        .collect();
    if let Some(o) = data.as_object_mut() {
        o.insert(
            "title".into(),
            json!(st.i18n.get(p.lang, "admin.setup.title")),
        );
        o.insert("step".into(), json!(step));
        o.insert(
            "steps".into(),
            json!(
                (1..=4u8)
                    .map(|n| json!({ "n": n, "current": n == step, "done": n < step }))
                    .collect::<Vec<_>>()
            ),
        );
        o.insert("step1".into(), json!(step == 1));
        o.insert("step2".into(), json!(step == 2));
        o.insert("step3".into(), json!(step == 3));
        o.insert("step4".into(), json!(step == 4));
        o.insert("setup_errors".into(), json!(all_errors));
    }
    data
}

pub(crate) async fn setup_show(
    req: HttpRequest,
    st: St,
    Allowed(p, member, _): Allowed<Settings>,
) -> HttpResponse {
    let step: u8 = crate::render::params(&req)
        .get("step")
        .and_then(|s| s.parse().ok())
        .filter(|n| (1..=4).contains(n))
        .unwrap_or(1);
    let (settings, cats) = match st.admin.settings_for(member.actor()).await {
        Ok((s, c)) => (s, Catalogs(c)),
        Err(e) => return error_page(&st, &p, &e),
    };
    let data = setup_data(&st, &p, step, &settings, &cats, &[]);
    render(&st, &p, StatusCode::OK, "admin_setup", data)
}

pub(crate) async fn setup_save(
    st: St,
    Allowed(p, member, _): Allowed<Settings>,
    step: web::Path<u8>,
    form: FormPairs,
) -> HttpResponse {
    let step = *step;
    let form = Form(form.into_inner());
    if let Err(e) = check(&p, Some(form.get("csrf").as_str())) {
        return HttpResponse::from_error(e);
    }
    let (current, cats) = match st.admin.settings_for(member.actor()).await {
        Ok((s, c)) => (s, Catalogs(c)),
        Err(e) => return error_page(&st, &p, &e),
    };
    let mut s = current.clone();
    let mut errors = Vec::new();
    let mut change = DomainChange::Keep;
    match step {
        1 => s.name = form.get("name").trim().into(),
        2 => {
            s.slug = form.get("slug").trim().to_ascii_lowercase();
            s.domain = form.id("domain").map(DomainId);
            change = domain_change(&form, &s);
        }
        3 => {
            s.default_inbox = form.id("default_inbox").map(InboxId);
            let _ = apply("permissions", &form, &mut s, &cats, &mut errors);
        }
        4 => {
            apply_access(&form, &mut s);
            s.enabled = form.on("enabled");
        }
        _ => return error_page(&st, &p, &Error::NotFound),
    }
    if errors.is_empty() {
        match st
            .admin
            .update_settings_and_domain(member.actor(), s.clone(), change)
            .await
        {
            Ok(_) => {
                st.invalidate();
                return if step < 4 {
                    see_other(&format!("/admin/setup?step={}", step + 1))
                } else {
                    see_other("/admin/settings?saved=setup")
                };
            }
            Err(Error::Invalid(list)) => errors = list,
            Err(e) => return error_page(&st, &p, &e),
        }
    }
    let data = setup_data(&st, &p, step, &s, &cats, &errors);
    render(
        &st,
        &p,
        StatusCode::UNPROCESSABLE_ENTITY,
        "admin_setup",
        data,
    )
}
