//! The template editor (P11): page and mail templates with built-in defaults, checked
//! before they are saved, previewed as a chosen contact sees them.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::ports::OutgoingMail;
use portal_core::settings::{MAIL_TEMPLATES, TEMPLATE_PAGES, is_template_key};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::staff::render;
use crate::staff::{Allowed, StaffChecked, StaffPage, Templates, error_page, see_other};
use crate::views::Views;

type St = web::Data<AppState>;

/// Pages whose preview needs no customer (the system pages of P11).
pub(crate) const PREVIEWABLE: [&str; 6] = [
    "login",
    "logout",
    "register",
    "access_denied",
    "reset_request",
    "reset_set",
];

/// Pages previewed as a chosen contact sees them (P10): the staff preview of the real page
/// with the draft template.
pub(crate) const AS_CONTACT: [&str; 2] = ["ticket_list", "ticket_detail"];

pub(crate) fn builtin(st: &AppState, key: &str) -> Option<String> {
    if let Some(src) = Views::builtin_page(key) {
        return Some(src.to_string());
    }
    let mut parts = key.split('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("mail"), Some(kind), Some(lang)) => st.mail_templates.get()?.builtin(kind, lang),
        _ => None,
    }
}

pub(crate) async fn index(st: St, Allowed(p, _, _): Allowed<Templates>) -> HttpResponse {
    let custom = &p.snap.settings.templates;
    let pages: Vec<J> = TEMPLATE_PAGES
        .iter()
        .map(|k| json!({ "key": k, "custom": custom.contains_key(*k) }))
        .collect();
    let mails: Vec<J> = MAIL_TEMPLATES
        .iter()
        .map(|kind| {
            json!({ "kind": kind, "languages": st.i18n.tags().map(|l| {
                let key = format!("mail.{kind}.{l}");
                json!({ "key": key, "lang": l, "custom": custom.contains_key(&key) })
            }).collect::<Vec<_>>() })
        })
        .collect();
    let title = st.i18n.get(p.lang, "admin.templates.title");
    render(
        &st,
        &p,
        StatusCode::OK,
        "admin_templates",
        json!({ "title": title, "pages": pages, "mails": mails, "edit": null }),
    )
}

pub(crate) fn editor(
    st: &AppState,
    p: &StaffPage,
    key: &str,
    source: &str,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
    let mut data = json!({
        "title": key,
        "pages": [], "mails": [],
        "edit": {
            "key": key,
            "source": source,
            "custom": p.snap.settings.templates.contains_key(key),
            "mail": key.starts_with("mail."),
            "previewable": key.starts_with("mail.") || PREVIEWABLE.contains(&key) || AS_CONTACT.contains(&key),
            "as_contact": AS_CONTACT.contains(&key),
        },
        "error": null,
        "mail_preview": null,
        "done": null,
    });
    if let (Some(o), J::Object(e)) = (data.as_object_mut(), extra) {
        o.extend(e);
    }
    render(st, p, status, "admin_templates", data)
}

pub(crate) async fn edit(
    req: HttpRequest,
    st: St,
    Allowed(p, _, _): Allowed<Templates>,
    key: web::Path<String>,
) -> HttpResponse {
    if !is_template_key(&key, st.admin.languages()) {
        return error_page(&st, &p, &Error::NotFound);
    }
    let source = p
        .snap
        .settings
        .templates
        .get(key.as_str())
        .cloned()
        .or_else(|| builtin(&st, &key))
        .unwrap_or_default();
    let done = crate::render::params(&req)
        .contains_key("saved")
        .then(|| st.i18n.get(p.lang, "admin.settings.saved").to_string());
    editor(
        &st,
        &p,
        &key,
        &source,
        StatusCode::OK,
        json!({ "done": done }),
    )
}

/// A page rendered with a draft template (nothing saved); a template that does not render
/// goes back to the editor with the error.
pub(crate) fn render_draft(
    st: &AppState,
    p: &StaffPage,
    key: &str,
    source: &str,
    page: &crate::render::Page,
    data: J,
) -> HttpResponse {
    let mut ctx = crate::render::base_context(st, page);
    if let (Some(o), J::Object(d)) = (ctx.as_object_mut(), data) {
        o.extend(d);
    }
    match st.views.render_source(source, ctx) {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        Err(e) => editor(
            st,
            p,
            key,
            source,
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "error": e.to_string() }),
        ),
    }
}

/// The page (as `email`'s contact, a staff preview: audited, read-only) and the data of the
/// list, or of the contact's most recent ticket, for a template preview; a message for the
/// editor when there is no such contact or ticket.
pub(crate) async fn contact_preview(
    st: &AppState,
    p: &StaffPage,
    member: &portal_core::usecases::inbox::StaffMember,
    key: &str,
    email: &str,
) -> Result<(crate::render::Page, J), String> {
    let t = |k: &str| st.i18n.get(p.lang, k).to_string();
    let contact = match st.records.contact_by_email(email).await {
        Ok(Some(c)) if !email.is_empty() => c,
        _ => return Err(t("admin.templates.preview_contact_missing")),
    };
    let contact = st
        .staff
        .start_preview(member, contact.id)
        .await
        .map_err(|e| e.to_string())?;
    let page = crate::context::preview_page(p.snap.clone(), p.lang, member, contact.clone());
    let data = if key == "ticket_list" {
        crate::portal::list::list_view(st, &page, &contact, &Default::default()).await
    } else {
        let first = st
            .portal
            .list(&p.snap.settings, &contact, &Default::default())
            .await
            .map_err(|e| e.to_string())?;
        let Some(ticket) = first.page.tickets.first() else {
            return Err(t("admin.templates.preview_no_ticket"));
        };
        crate::portal::ticket::detail_view(st, &page, &contact, ticket.id, json!({})).await
    };
    match data {
        Ok(d) => Ok((page, d)),
        Err(_) => Err(t("admin.templates.preview_no_ticket")),
    }
}

/// A sample mail for previews: the recipient "Alex", links into this portal.
pub(crate) fn sample_mail(st: &AppState, p: &StaffPage, kind: &str, lang: &str) -> OutgoingMail {
    let portal = st.portal_url(&p.snap);
    let vars: BTreeMap<String, String> = [
        ("name", "Alex".to_string()),
        ("portal", p.snap.settings.name.clone()),
        ("link", format!("{portal}/welcome/0123456789abcdef")),
        ("author", "Sam".to_string()),
        ("subject", "Printer on fire".to_string()),
        ("reply", "We replaced the fuser.\n".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    OutgoingMail {
        files: Vec::new(),
        to: "alex@example.com".into(),
        language: lang.into(),
        template: kind.into(),
        vars,
        thread: None,
    }
}

/// The context a system page renders with, for the preview (P11).
pub(crate) fn page_sample(st: &AppState, page: &crate::render::Page, key: &str) -> Option<J> {
    let t = |k: &str| st.i18n.get(page.lang, k).to_string();
    let base = page.base();
    Some(match key {
        "login" | "logout" => json!({
            "title": t("login.title"),
            "notice": if key == "logout" { J::String(t("login.logged_out")) } else { J::Null },
            "error": null, "email": "", "next": "",
            "register": page.snap.settings.access.registration_open(),
            "password": page.snap.settings.access.password_login,
            "login_link": page.snap.settings.access.login_link_open(),
            "sso": { "any": false },
        }),
        "register" => {
            let c = &page.snap.settings.consent;
            json!({ "title": t("register.title"), "sent": false,
                    "values": { "email": "", "first_name": "", "last_name": "" }, "errors": [],
                    "problems": [], "field_errors": crate::render::form_problems(crate::portal::account::REGISTER_FIELDS, &[])["field_errors"],
                    "consent": { "text": c.text, "checkbox": c.checkbox_label,
                                 "links": c.links.iter().map(|l| json!({ "label": l.label, "url": l.url })).collect::<Vec<_>>() } })
        }
        "access_denied" => json!({ "title": t("denied.title"), "heading": t("denied.title"),
                                   "body": t("denied.body"), "problems": [], "link": null }),
        "reset_request" => json!({ "title": t("reset.title"), "sent": false }),
        "reset_set" => json!({ "title": t("reset.title"), "heading": t("reset.title"),
                               "action": format!("{base}/reset/0123456789abcdef"), "end_sessions": false, "error": null }),
        _ => return None,
    })
}

#[derive(serde::Deserialize)]
pub(crate) struct TemplateForm {
    source: String,
    action: String,
    pub(crate) csrf: Option<String>,
    /// The contact whose portal a list or detail template is previewed in (email).
    #[serde(default)]
    preview_contact: Option<String>,
}

pub(crate) async fn act(
    req: HttpRequest,
    st: St,
    Allowed(p, member, _): Allowed<Templates>,
    key: web::Path<String>,
    StaffChecked(form): StaffChecked<TemplateForm>,
) -> HttpResponse {
    let key = key.into_inner();
    if !is_template_key(&key, st.admin.languages()) {
        return error_page(&st, &p, &Error::NotFound);
    }
    let source = form.source.replace("\r\n", "\n");
    let mail = key
        .strip_prefix("mail.")
        .and_then(|rest| rest.split_once('.'));
    // Does it compile (and, for a mail, render with a subject line)?
    let problem = match mail {
        Some((kind, lang)) => match st.mail_templates.get() {
            Some(m) => m.preview(&source, &sample_mail(&st, &p, kind, lang)).err(),
            None => Some("mail templates are not available".into()),
        },
        None => Views::check(&source).err().map(|e| e.to_string()),
    };
    match form.action.as_str() {
        "preview" => {
            if let Some(e) = problem {
                return editor(
                    &st,
                    &p,
                    &key,
                    &source,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({ "error": e }),
                );
            }
            if let (Some((kind, lang)), Some(m)) = (mail, st.mail_templates.get()) {
                let (subject, body) = m
                    .preview(&source, &sample_mail(&st, &p, kind, lang))
                    .unwrap_or_default();
                return editor(
                    &st,
                    &p,
                    &key,
                    &source,
                    StatusCode::OK,
                    json!({ "mail_preview": { "subject": subject, "body": body } }),
                );
            }
            // The list and detail: the real page as a chosen contact sees it (P10, A6).
            if AS_CONTACT.contains(&key.as_str()) {
                let email = form.preview_contact.clone().unwrap_or_default();
                return match contact_preview(&st, &p, &member, &key, email.trim()).await {
                    Ok((page, data)) => render_draft(&st, &p, &key, &source, &page, data),
                    Err(text) => editor(
                        &st,
                        &p,
                        &key,
                        &source,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        json!({ "error": text }),
                    ),
                };
            }
            // A page: the portal's own rendering, as a visitor would get it.
            let slug = p.snap.settings.slug.clone();
            let page = match crate::context::page(&req, &st, &slug).await {
                Ok(page) => page,
                Err(r) => return r,
            };
            let Some(data) = page_sample(&st, &page, &key) else {
                let text = st
                    .i18n
                    .get(p.lang, "admin.templates.no_preview")
                    .to_string();
                return editor(
                    &st,
                    &p,
                    &key,
                    &source,
                    StatusCode::OK,
                    json!({ "error": text }),
                );
            };
            render_draft(&st, &p, &key, &source, &page, data)
        }
        "save" | "reset" => {
            if form.action == "save"
                && let Some(e) = problem
            {
                return editor(
                    &st,
                    &p,
                    &key,
                    &source,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({ "error": e }),
                );
            }
            let change = (form.action == "save").then(|| source.clone());
            match st.admin.set_template(member.actor(), &key, change).await {
                Ok(_) => {
                    st.invalidate();
                    see_other(&format!("/admin/templates/{key}?saved=1"))
                }
                Err(Error::Invalid(errs)) => {
                    let text = errs
                        .iter()
                        .map(|e| e.detail.clone())
                        .collect::<Vec<_>>()
                        .join("; ");
                    editor(
                        &st,
                        &p,
                        &key,
                        &source,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        json!({ "error": text }),
                    )
                }
                Err(e) => error_page(&st, &p, &e),
            }
        }
        _ => error_page(&st, &p, &Error::NotFound),
    }
}

crate::csrf_forms!(TemplateForm);
