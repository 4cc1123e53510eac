//! Explain access (N3) and the portal preview as a contact (A6), undelivered mail, and the
//! lists of contacts with their members and invitations (U3, A1).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::*;
use portal_core::visibility::{Admission, CompanyGrant, Denial, Verdict};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::render::display_name;
use crate::staff::CsrfForm;
use crate::staff::Staff;
use crate::staff::StaffChecked;
use crate::staff::StaffPage;
use crate::staff::error_page;
use crate::staff::render;
use crate::staff::see_other;
use crate::staff::stage_label;

type St = web::Data<AppState>;

// ------------------------------------------------------------------------ explain access

pub(crate) fn verdict_text(st: &AppState, lang: &str, v: Verdict) -> (bool, String) {
    let t = |k: &str| st.i18n.get(lang, k).to_string();
    match v {
        Verdict::Admitted {
            by: Admission::OwnTicket,
        } => (true, t("admin.explain.own")),
        Verdict::Admitted {
            by: Admission::CompanyTicket,
        } => (true, t("admin.explain.company")),
        Verdict::Admitted {
            by: Admission::CompanyTicketByGroup(n),
        } => (
            true,
            st.i18n
                .fill(lang, "admin.explain.group", &[("n", (n + 1).into())]),
        ),
        Verdict::Denied {
            by: Denial::NotAssociated,
        } => (false, t("admin.explain.not_associated")),
        Verdict::Denied {
            by: Denial::CompanyAccessOff,
        } => (false, t("admin.explain.company_off")),
        Verdict::Denied {
            by: Denial::NoGroupMatched,
        } => (false, t("admin.explain.no_group")),
        Verdict::Denied {
            by: Denial::VisibilityFilter,
        } => (false, t("admin.explain.filtered")),
        Verdict::Denied {
            by: Denial::PrivateTicket,
        } => (false, t("admin.explain.private")),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct PreviewForm {
    contact: i64,
    csrf: Option<String>,
}

/// Opens the real portal as a contact, read-only (A6, N3): audited by the core, then the
/// preview cookie names the contact for this staff session's browser.
pub(crate) async fn start_preview(
    st: St,
    Staff(p, member): Staff,
    StaffChecked(form): StaffChecked<PreviewForm>,
) -> HttpResponse {
    match st
        .staff
        .start_preview(&member, ContactId(form.contact))
        .await
    {
        Ok(c) => {
            let mut r = see_other(&format!("/{}/tickets", p.snap.settings.slug));
            let _ =
                r.add_cookie(&st.cookie(crate::context::PREVIEW_COOKIE, c.id.0.to_string(), None));
            r
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

/// Ends a preview: the cookie goes (nothing else was changed by it).
pub(crate) async fn end_preview(req: HttpRequest, st: St) -> HttpResponse {
    let back = req
        .cookie(crate::context::PREVIEW_COOKIE)
        .and_then(|c| c.value().parse::<i64>().ok())
        .map_or_else(
            || "/admin/inbox".to_string(),
            |id| format!("/admin/contacts/{id}"),
        );
    let mut r = see_other(&back);
    let _ = r.add_removal_cookie(&st.cookie(crate::context::PREVIEW_COOKIE, String::new(), None));
    r
}

pub(crate) async fn explain(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    let q = crate::render::params(&req);
    let email = q.get("contact").cloned().unwrap_or_default();
    let title = st.i18n.get(p.lang, "admin.explain.title");
    if email.trim().is_empty() {
        return render(
            &st,
            &p,
            StatusCode::OK,
            "admin_explain",
            json!({ "title": title, "email": "", "result": null, "missing": false }),
        );
    }
    let contact = match st.records.contact_by_email(&email).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return render(
                &st,
                &p,
                StatusCode::NOT_FOUND,
                "admin_explain",
                json!({ "title": title, "email": email, "result": null, "missing": true }),
            );
        }
        Err(e) => return error_page(&st, &p, &e),
    };
    let ex = match st.admin.explain_access(contact.id, 500).await {
        Ok(x) => x,
        Err(e) => return error_page(&st, &p, &e),
    };
    let grant = match ex.grant {
        CompanyGrant::Granted(None) => st.i18n.get(p.lang, "admin.explain.grant_all").to_string(),
        CompanyGrant::Granted(Some(n)) => st.i18n.fill(
            p.lang,
            "admin.explain.grant_group",
            &[("n", (n + 1).into())],
        ),
        CompanyGrant::Off => st.i18n.get(p.lang, "admin.explain.grant_off").to_string(),
        CompanyGrant::NoGroupMatched => st.i18n.get(p.lang, "admin.explain.grant_none").to_string(),
        CompanyGrant::NoCompany => st
            .i18n
            .get(p.lang, "admin.explain.grant_no_company")
            .to_string(),
    };
    let rows: Vec<J> = ex
        .tickets
        .iter()
        .map(|e| {
            let (visible, why) = verdict_text(&st, p.lang, e.verdict);
            json!({ "id": e.ticket.id.0, "subject": e.ticket.subject, "visible": visible, "why": why,
                    "stage": stage_label(&p.snap, &e.ticket) })
        })
        .collect();
    let visible = rows
        .iter()
        .filter(|r| r["visible"] == J::Bool(true))
        .count();
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_explain",
        json!({
            "title": title,
            "email": email,
            "missing": false,
            "result": {
                "id": ex.contact.id.0,
                "name": display_name(&ex.contact),
                "grant": grant,
                "rows": rows,
                "visible": visible,
                "total": ex.tickets.len(),
            },
        }),
    )
}

// ------------------------------------------------------------------------ dead letters

pub(crate) async fn outbox(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    let dead = match st.inbox.dead_letters(200).await {
        Ok(d) => d,
        Err(e) => return error_page(&st, &p, &e),
    };
    let rows: Vec<J> = dead
        .iter()
        .map(|d| json!({ "id": d.id, "to": d.mail.to, "template": d.mail.template,
                         "language": d.mail.language, "attempts": d.attempts, "error": d.last_error }))
        .collect();
    let title = st.i18n.get(p.lang, "admin.outbox.title");
    let done = crate::render::params(&req)
        .contains_key("resent")
        .then(|| st.i18n.get(p.lang, "admin.outbox.resent").to_string());
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_outbox",
        json!({ "title": title, "rows": rows, "done": done }),
    )
}

pub(crate) async fn resend(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    match st.inbox.resend(*path).await {
        Ok(()) => see_other("/admin/outbox?resent=1"),
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ mail in (issue 17)

fn mail_in(st: &AppState) -> Result<&portal_core::usecases::mail_in::MailIn, Error> {
    // Wired by the server; a state built without mail in has no such pages.
    st.mail_in.get().ok_or(Error::NotFound)
}

pub(crate) async fn quarantine(req: HttpRequest, st: St, Staff(p, _): Staff) -> HttpResponse {
    // Looked up once for the page, not once per row.
    let zone = p.zone();
    let kept = match mail_in(&st) {
        Ok(m) => m.quarantined(200).await,
        Err(e) => Err(e),
    };
    let kept = match kept {
        Ok(k) => k,
        Err(e) => return error_page(&st, &p, &e),
    };
    let inbox_name = |id: portal_core::model::InboxId| {
        p.snap
            .inboxes
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| format!("#{}", id.0), |i| i.name.clone())
    };
    let rows: Vec<J> = kept
        .iter()
        .map(|m| {
            let reason = m.reason.as_deref().unwrap_or("");
            json!({
                "id": m.id,
                "at": crate::format::datetime(m.received_at, p.lang, &zone),
                "inbox": inbox_name(m.inbox),
                "source": m.source,
                "sender": m.sender,
                "subject": m.subject,
                "size": crate::staff::human_size(m.size),
                "reason": st.i18n.get(p.lang, &format!("admin.mailin.reason.{reason}")),
            })
        })
        .collect();
    let title = st.i18n.get(p.lang, "admin.mailin.title");
    let params = crate::render::params(&req);
    let done = ["retried", "deleted"]
        .into_iter()
        .find(|k| params.contains_key(*k))
        .map(|k| {
            st.i18n
                .get(p.lang, &format!("admin.mailin.{k}"))
                .to_string()
        });
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_mail_in",
        json!({ "title": title, "rows": rows, "done": done }),
    )
}

pub(crate) async fn raw_mail(st: St, Staff(p, _): Staff, path: web::Path<i64>) -> HttpResponse {
    let raw = match mail_in(&st) {
        Ok(m) => m.raw(*path).await,
        Err(e) => Err(e),
    };
    match raw {
        Ok((m, bytes)) => HttpResponse::Ok()
            .content_type("message/rfc822")
            .insert_header((
                "Content-Disposition",
                crate::format::content_disposition(&format!("mail-{}.eml", m.id)),
            ))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(bytes),
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn retry_mail(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let done = match mail_in(&st) {
        Ok(m) => m.retry(*path).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => see_other("/admin/mail-in?retried=1"),
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn delete_mail(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let done = match mail_in(&st) {
        Ok(m) => m.delete(*path).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => see_other("/admin/mail-in?deleted=1"),
        Err(e) => error_page(&st, &p, &e),
    }
}

// ------------------------------------------------------------------------ lists (U3, A1)

pub(crate) async fn lists(st: St, Staff(p, _): Staff) -> HttpResponse {
    lists_page(&st, &p, StatusCode::OK, None).await
}

pub(crate) async fn lists_page(
    st: &AppState,
    p: &StaffPage,
    status: StatusCode,
    error: Option<String>,
) -> HttpResponse {
    let all = match st.records.lists().await {
        Ok(l) => l,
        Err(e) => return error_page(st, p, &e),
    };
    let rows: Vec<J> = all
        .iter()
        .map(|l| json!({ "id": l.list.id.0, "name": l.list.name, "members": l.members, "group": l.access_group }))
        .collect();
    let title = st.i18n.get(p.lang, "admin.lists.title");
    render(
        st,
        p,
        status,
        "admin_lists",
        json!({ "title": title, "rows": rows, "error": error, "list": null }),
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct NameForm {
    name: String,
    csrf: Option<String>,
}

pub(crate) async fn create_list(
    st: St,
    Staff(p, _): Staff,
    StaffChecked(form): StaffChecked<NameForm>,
) -> HttpResponse {
    match st.records.create_list(&form.name).await {
        Ok(l) => see_other(&format!("/admin/lists/{}", l.id.0)),
        Err(Error::Invalid(errs)) => {
            let text = errs
                .iter()
                .map(|f| {
                    st.i18n
                        .get(p.lang, &format!("field.{}", f.code))
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(" ");
            lists_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn members_page(
    st: &AppState,
    p: &StaffPage,
    id: ListId,
    status: StatusCode,
    note: J,
) -> HttpResponse {
    let (summary, members) = match st.records.members(id).await {
        Ok(x) => x,
        Err(e) => return error_page(st, p, &e),
    };
    let rows: Vec<J> = members
        .iter()
        .map(|m| json!({ "id": m.contact.id.0, "email": m.contact.email, "name": display_name(&m.contact),
                         "has_login": m.has_login }))
        .collect();
    let mut data = json!({
        "title": summary.list.name,
        "rows": [],
        "error": null,
        "done": null,
        "list": { "id": summary.list.id.0, "name": summary.list.name, "group": summary.access_group, "members": rows },
    });
    if let (Some(o), J::Object(n)) = (data.as_object_mut(), note) {
        o.extend(n);
    }
    render(st, p, status, "admin_lists", data)
}

pub(crate) async fn list_page(
    req: HttpRequest,
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
) -> HttpResponse {
    let q = crate::render::params(&req);
    let done = q.get("done").map(|d| {
        st.i18n
            .get(p.lang, &format!("admin.lists.done_{d}"))
            .to_string()
    });
    members_page(
        &st,
        &p,
        ListId(*path),
        StatusCode::OK,
        json!({ "done": done }),
    )
    .await
}

#[derive(serde::Deserialize)]
pub(crate) struct EmailForm {
    email: String,
    csrf: Option<String>,
}

pub(crate) async fn add_member(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<EmailForm>,
) -> HttpResponse {
    let portal_url = st.portal_url(&p.snap);
    match st
        .records
        .add_member(ListId(*path), &form.email, &portal_url)
        .await
    {
        Ok(portal_core::usecases::records::Added::Invited) => {
            see_other(&format!("/admin/lists/{}?done=invited", *path))
        }
        Ok(portal_core::usecases::records::Added::Added) => {
            see_other(&format!("/admin/lists/{}?done=added", *path))
        }
        Err(Error::Invalid(_)) => {
            let text = st.i18n.get(p.lang, "admin.lists.no_contact").to_string();
            members_page(
                &st,
                &p,
                ListId(*path),
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": text }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn remove_member(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<(i64, i64)>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let (list, contact) = path.into_inner();
    match st
        .records
        .remove_member(ListId(list), ContactId(contact))
        .await
    {
        Ok(()) => see_other(&format!("/admin/lists/{list}?done=removed")),
        Err(e) => error_page(&st, &p, &e),
    }
}

pub(crate) async fn resend_invite(
    st: St,
    Staff(p, _): Staff,
    path: web::Path<(i64, i64)>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let (list, contact) = path.into_inner();
    let portal_url = st.portal_url(&p.snap);
    match st.accounts.invite(ContactId(contact), &portal_url).await {
        Ok(()) => see_other(&format!("/admin/lists/{list}?done=invited")),
        Err(Error::EntryDenied(_)) => {
            let text = st.i18n.get(p.lang, "admin.lists.not_group").to_string();
            members_page(
                &st,
                &p,
                ListId(list),
                StatusCode::CONFLICT,
                json!({ "error": text }),
            )
            .await
        }
        Err(e) => error_page(&st, &p, &e),
    }
}

crate::csrf_forms!(PreviewForm, NameForm, EmailForm);
