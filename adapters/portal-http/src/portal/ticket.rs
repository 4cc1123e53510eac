//! One ticket (V6, T1–T5): its conversation, replies with attachments, closing, downloads,
//! and the support form that files a new one (P12, T7).

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::actions::UploadLimits;
use portal_core::model::*;
use portal_core::property::ticket_props;
use portal_core::usecases::portal::{FormInput, ReplyInput};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::context::{Checked, SignedIn, check_csrf};
use crate::format::{self, datetime};
use crate::portal::account::CsrfForm;
use crate::portal::list::Show;
use crate::render::render;
use crate::render::{
    Page, error_response, params, problems_page, redirect, refusal_page, upload_problem,
};
use crate::upload::discard;
use crate::upload::read_multipart;
use crate::upload::store_files;

type St = web::Data<AppState>;

// ---------------------------------------------------------------- detail, reply, close, download

pub(crate) fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.0} KB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

pub(crate) fn limits_text(st: &AppState, p: &Page, l: UploadLimits) -> String {
    st.i18n.fill(
        p.lang,
        "detail.attach_help",
        &[
            ("files", l.max_files.into()),
            ("file_mb", (l.max_file_bytes / (1024 * 1024)).into()),
            ("total_mb", (l.max_total_bytes / (1024 * 1024)).into()),
        ],
    )
}

pub(crate) async fn detail_page(
    st: &AppState,
    p: &Page,
    viewer: &Contact,
    id: TicketId,
    status: StatusCode,
    extra: J,
) -> HttpResponse {
    match detail_view(st, p, viewer, id, extra).await {
        Ok(data) => render(st, p, status, "detail", data),
        Err(r) => r,
    }
}

/// A ticket page's data for `viewer` (the page itself, and the template editor's preview).
pub(crate) async fn detail_view(
    st: &AppState,
    p: &Page,
    viewer: &Contact,
    id: TicketId,
    extra: J,
) -> Result<J, HttpResponse> {
    let writable = p
        .preview
        .as_ref()
        .is_none_or(|pv| pv.permits(portal_core::usecases::inbox::PortalAccess::Write));
    let d = match st
        .portal
        .detail_with(
            &p.snap.settings,
            &p.snap.pipelines,
            viewer,
            id,
            p.preview.is_some(),
        )
        .await
    {
        Ok(d) => d,
        Err(e) => return Err(error_response(st, p, &e)),
    };
    let mut show = Show::new(st, p);
    let mut authors: Vec<Ticket> = Vec::new();
    if let Some(thread) = &d.thread {
        for m in &thread.messages {
            if let Author::Contact(c) = m.author {
                authors.push(Ticket {
                    requester: Some(c),
                    ..d.ticket.clone()
                });
            }
        }
    }
    show.load_names(&authors).await;
    show.load_names(std::slice::from_ref(&d.ticket)).await;
    let base = p.base();
    let properties: Vec<J> = p
        .snap
        .settings
        .columns
        .iter()
        .filter(|c| c.property != ticket_props::SUBJECT)
        .map(|c| json!({ "label": show.column_label(&c.property, c.label.as_deref()), "text": show.cell(&d.ticket, &c.property), "html": show.cell_html(&d.ticket, &c.property) }))
        .collect();
    let messages: Vec<J> = d
        .thread
        .iter()
        .flat_map(|t| t.messages.iter())
        .map(|m| {
            let (author, side) = match m.author {
                Author::Contact(c) if c == viewer.id => (show.t("detail.you"), "mine"),
                Author::Contact(c) => (show.names.get(&c).cloned().unwrap_or_default(), "theirs"),
                Author::Agent(a) => (show.agent(a).into_owned(), "support"),
                Author::System => (show.t("detail.support"), "support"),
            };
            let mut at_html = String::new();
            crate::format::write_time(&mut at_html, m.created_at, p.lang, &show.zone, true);
            json!({
                "author": author,
                "side": side,
                "at": datetime(m.created_at, p.lang, &show.zone),
                "at_html": at_html,
                "body": m.body,
                "attachments": m.attachments.iter().map(|a| json!({
                    "url": format!("{base}/attachments/{}", a.id), "name": a.file_name, "size": human_size(a.size)
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let people: Vec<J> = d
        .people
        .participants
        .iter()
        .map(|x| {
            json!({
                "id": x.contact.id.0,
                "name": crate::render::display_name(&x.contact),
                "me": x.contact.id == viewer.id,
                "may_remove": x.may_remove && writable,
            })
        })
        .collect();
    let mut data = json!({
        "people": {
            "show": !people.is_empty()
                || d.people.may_add
                || d.people.may_hand_over
                || d.people.private
                || d.people.may_set_private,
            "list": people,
            "private": d.people.private,
            "may_set_private": d.people.may_set_private && writable,
            "may_add": d.people.may_add && writable,
            "may_hand_over": d.people.may_hand_over && writable,
            "text": {
                "title": crate::render::ticket_text(st, p, "detail.people", &[]),
                "help": crate::render::ticket_text(st, p, "detail.people_help", &[]),
                "leave": crate::render::ticket_text(st, p, "detail.leave", &[]),
                "hand_over": crate::render::ticket_text(st, p, "detail.hand_over", &[]),
                "stay": crate::render::ticket_text(st, p, "detail.hand_over_stay", &[]),
                "private": crate::render::ticket_text(st, p, "detail.private", &[]),
                "shared": crate::render::ticket_text(st, p, "detail.shared", &[]),
            },
        },
        "cc_error": null,
        "cc_email": "",
        "hand_over_email": "",
        "title": d.ticket.subject,
        "ticket": { "id": d.ticket.id.0, "subject": d.ticket.subject },
        "properties": properties,
        "messages": messages,
        "attachments_label": show.t("detail.attachments"),
        "may_reply": d.may_reply && writable,
        "may_close": d.may_close && writable,
        "close_text": crate::render::ticket_text(st, p, "detail.close", &[]),
        "closed_text": crate::render::ticket_text(st, p, "detail.closed_no_reply", &[]),
        "limits": limits_text(st, p, st.portal.limits()),
        "errors": null,
        "problems": null,
        "field_errors": { "body": null, "files": null },
        "draft": "",
    });
    if let (J::Object(a), J::Object(b)) = (&mut data, extra) {
        a.extend(b);
    }
    Ok(data)
}

pub(crate) async fn detail(
    req: HttpRequest,
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let notice = match params(&req).get("done").map(String::as_str) {
        Some("replied") => Some(st.i18n.get(p.lang, "detail.replied").to_string()),
        Some("closed") => Some(crate::render::ticket_text(&st, &p, "detail.closed", &[])),
        Some("created") => Some(crate::render::ticket_text(&st, &p, "new.created", &[])),
        Some("cc_added") => Some(crate::render::ticket_text(
            &st,
            &p,
            "detail.person_added",
            &[],
        )),
        Some("cc_removed") => Some(crate::render::ticket_text(
            &st,
            &p,
            "detail.person_removed",
            &[],
        )),
        Some("handed_over") => Some(crate::render::ticket_text(
            &st,
            &p,
            "detail.handed_over",
            &[],
        )),
        Some("made_private") => Some(crate::render::ticket_text(
            &st,
            &p,
            "detail.made_private",
            &[],
        )),
        Some("made_shared") => Some(crate::render::ticket_text(
            &st,
            &p,
            "detail.made_shared",
            &[],
        )),
        _ => None,
    };
    detail_page(
        &st,
        &p,
        &viewer,
        TicketId(id),
        StatusCode::OK,
        json!({ "notice": notice }),
    )
    .await
}

/// What a refused reply shows: the summary linking to the reply box or the file field, the
/// text at the field, the draft kept; `errors` (the texts alone) for older templates.
fn reply_problems(problems: Vec<(String, String)>, draft: String) -> J {
    let shown = crate::render::form_problems(&["body", "files"], &problems);
    let errors: Vec<&String> = problems.iter().map(|(_, t)| t).collect();
    json!({ "errors": errors, "problems": shown["problems"], "field_errors": shown["field_errors"], "draft": draft })
}

pub(crate) async fn reply(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    mp: Multipart,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(crate::upload::UploadError::Refused(refused)) => {
            let text = upload_problem(&st, &p, &refused.reason);
            let draft = refused.fields.get("body").cloned().unwrap_or_default();
            return detail_page(
                &st,
                &p,
                &viewer,
                TicketId(id),
                StatusCode::PAYLOAD_TOO_LARGE,
                reply_problems(vec![("files".into(), text)], draft),
            )
            .await;
        }
        Err(crate::upload::UploadError::Invalid(e)) => return error_response(&st, &p, &e),
        Err(crate::upload::UploadError::Malformed(e)) => {
            tracing::info!(error = %e, "malformed upload");
            return problems_page(
                &st,
                &p,
                StatusCode::BAD_REQUEST,
                vec![st.i18n.get(p.lang, "error.too_large").into()],
            );
        }
    };
    if let Err(e) = check_csrf(&p, up.fields.get("csrf").map(String::as_str)) {
        return refusal_page(&st, &p, &e);
    }
    let draft = up.fields.get("body").cloned().unwrap_or_default();
    let files = match store_files(&st, up.files).await {
        Ok(f) => f,
        Err(e) => return error_response(&st, &p, &e),
    };
    let input = ReplyInput {
        body_html: format::markdown(&draft),
        attachments: files.clone(),
    };
    match st
        .portal
        .reply(&p.snap.settings, &viewer, TicketId(id), input)
        .await
    {
        Ok(_) => redirect(Some(&p), &format!("{}/tickets/{id}?done=replied", p.base())),
        Err(e) => {
            discard(&st, &files).await;
            let problem = match &e {
                Error::Invalid(errs) => errs
                    .iter()
                    .map(|f| {
                        let text = crate::render::field_problem(
                            &st,
                            &p,
                            f,
                            st.i18n.get(p.lang, "detail.reply"),
                        );
                        ("body".to_string(), text)
                    })
                    .collect(),
                Error::UploadRefused(u) => vec![("files".into(), upload_problem(&st, &p, u))],
                Error::ActionDenied(a) => {
                    vec![(String::new(), crate::render::action_problem(&st, &p, a))]
                }
                _ => return error_response(&st, &p, &e),
            };
            let status = crate::errors::page_status(&e);
            detail_page(
                &st,
                &p,
                &viewer,
                TicketId(id),
                status,
                reply_problems(problem, draft),
            )
            .await
        }
    }
}

pub(crate) async fn close(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    _: Checked<CsrfForm>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    match st
        .portal
        .close(&p.snap.settings, &viewer, TicketId(id))
        .await
    {
        Ok(()) => redirect(Some(&p), &format!("{}/tickets/{id}?done=closed", p.base())),
        Err(e) => error_response(&st, &p, &e),
    }
}

pub(crate) async fn download(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    match st
        .portal
        .download(&p.snap.settings, &viewer, AttachmentId(id))
        .await
    {
        Ok(portal_core::usecases::files::Download {
            attachment: att,
            bytes,
        }) => HttpResponse::Ok()
            .content_type(att.content_type.as_str())
            .insert_header((
                header::CONTENT_DISPOSITION,
                format::content_disposition(&att.file_name),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(bytes),
        Err(e) => error_response(&st, &p, &e),
    }
}

// ---------------------------------------------------------------- the support form

/// A problem with the support form: its text, and the field it belongs to when it has one
/// (shown next to that field and linked from the summary above the form).
pub(crate) struct FormProblem {
    /// The form field's name (`subject`, `description` or a property's).
    pub(crate) field: Option<String>,
    /// What is wrong, in the visitor's language.
    pub(crate) text: String,
}

impl FormProblem {
    fn general(text: String) -> FormProblem {
        FormProblem { field: None, text }
    }

    /// The id of the field's input on the page.
    fn anchor(&self, fields: &[J]) -> Option<String> {
        match self.field.as_deref()? {
            f @ ("subject" | "description" | "on_behalf") => Some(f.to_string()),
            f if fields.iter().any(|x| x["name"] == f) => Some(format!("field-{f}")),
            _ => None,
        }
    }
}

pub(crate) fn form_fields(show: &Show<'_>, values: &BTreeMap<String, String>) -> Vec<J> {
    let snap = &show.page.snap;
    snap.settings
        .support_form
        .fields
        .iter()
        .filter_map(|f| {
            let def = snap.ticket_props.get(&f.property)?;
            let value = values.get(&f.property).cloned().unwrap_or_default();
            let options: Option<Vec<J>> = (!def.options.is_empty())
                .then(|| def.options.iter().map(|o| json!({ "value": o, "selected": *o == value })).collect());
            Some(json!({
                "name": f.property,
                "label": show.property_label(&f.property, f.label.as_deref().unwrap_or(&def.label)),
                "required": f.required,
                "options": options,
                "input": match def.kind { ValueKind::Number => "number", ValueKind::Date => "date", ValueKind::Text => "text" },
                "value": value,
            }))
        })
        .collect()
}

/// What the support form shows again after a refused post: the fields' raw values.
#[derive(Default)]
pub(crate) struct Kept<'a> {
    /// The extra fields, by property name.
    pub(crate) values: BTreeMap<String, String>,
    pub(crate) subject: &'a str,
    pub(crate) description: &'a str,
    /// The "who sees it" choice (C5), `1` or `0`.
    pub(crate) private: Option<&'a str>,
    /// The colleague's address it was filed for (C5).
    pub(crate) on_behalf: &'a str,
}

pub(crate) fn form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    kept: Kept<'_>,
    errors: Vec<FormProblem>,
) -> HttpResponse {
    let Kept {
        values,
        subject,
        description,
        private,
        on_behalf,
    } = kept;
    let values = &values;
    let show = Show::new(st, p);
    let f = &p.snap.settings.support_form;
    // The "who sees it" choice (C5), when customers choose; the default preselected, or
    // what the visitor chose before a refused post.
    let privacy = portal_core::actions::privacy_choice(&p.snap.settings.actions).map(|d| {
        let private = match private {
            Some("1") => true,
            Some("0") => false,
            _ => d,
        };
        json!({
            "private": private,
            "legend": crate::render::ticket_text(st, p, "new.privacy", &[]),
        })
    });
    let default = portal_core::settings::SupportForm::default();
    let settings = &p.snap.settings;
    let menu = if settings.has_text("support_form.menu_text", p.lang) {
        settings
            .text("support_form.menu_text", p.lang, &f.menu_text)
            .to_string()
    } else if f.menu_text == default.menu_text {
        crate::render::ticket_text(st, p, "new.title", &[])
    } else {
        f.menu_text.clone()
    };
    let header = if settings.has_text("support_form.header_text", p.lang) {
        settings
            .text("support_form.header_text", p.lang, &f.header_text)
            .to_string()
    } else if f.header_text == default.header_text {
        show.t("new.header")
    } else {
        f.header_text.clone()
    };
    let mut fields = form_fields(&show, values);
    // Each problem next to its field (`aria-invalid`, `aria-describedby`) and in the
    // summary above the form, linked to the field.
    let summary: Vec<J> = errors
        .iter()
        .map(|e| json!({ "text": e.text, "anchor": e.anchor(&fields) }))
        .collect();
    let text_of = |name: &str| -> Option<String> {
        let texts: Vec<&str> = errors
            .iter()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| e.text.as_str())
            .collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    };
    for f in &mut fields {
        let name = f["name"].as_str().unwrap_or_default().to_string();
        f["error"] = json!(text_of(&name));
    }
    render(
        st,
        p,
        status,
        "new",
        json!({
            "title": menu,
            "form": { "menu": menu, "header": header },
            "fields": fields,
            "values": { "subject": subject, "description": description, "on_behalf": on_behalf },
            "on_behalf": p.contact().is_some_and(portal_core::actions::may_file_for_anyone),
            "privacy": privacy,
            "limits": limits_text(st, p, st.portal.limits()),
            "errors": if summary.is_empty() { J::Null } else { json!(summary) },
            "field_errors": { "subject": text_of("subject"), "description": text_of("description"), "on_behalf": text_of("on_behalf") },
        }),
    )
}

pub(crate) async fn new_form(st: St, SignedIn(p, _): SignedIn) -> HttpResponse {
    if !p.snap.settings.support_form_open() {
        return error_response(&st, &p, &Error::NotFound);
    }
    form_page(&st, &p, StatusCode::OK, Kept::default(), Vec::new())
}

pub(crate) async fn new_ticket(
    st: St,
    SignedIn(p, viewer): SignedIn,
    mp: Multipart,
) -> HttpResponse {
    let up = match read_multipart(mp, st.portal.limits()).await {
        Ok(u) => u,
        Err(crate::upload::UploadError::Refused(refused)) => {
            let text = upload_problem(&st, &p, &refused.reason);
            let f = &refused.fields;
            let values: BTreeMap<String, String> = f
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("field.").map(|n| (n.to_string(), v.clone())))
                .collect();
            return form_page(
                &st,
                &p,
                StatusCode::PAYLOAD_TOO_LARGE,
                Kept {
                    values,
                    subject: f.get("subject").map_or("", String::as_str),
                    description: f.get("description").map_or("", String::as_str),
                    private: f.get("private").map(String::as_str),
                    on_behalf: f.get("on_behalf").map_or("", String::as_str),
                },
                vec![FormProblem::general(text)],
            );
        }
        Err(crate::upload::UploadError::Invalid(e)) => return error_response(&st, &p, &e),
        Err(crate::upload::UploadError::Malformed(_)) => {
            return problems_page(
                &st,
                &p,
                StatusCode::BAD_REQUEST,
                vec![st.i18n.get(p.lang, "error.too_large").into()],
            );
        }
    };
    if let Err(e) = check_csrf(&p, up.fields.get("csrf").map(String::as_str)) {
        return refusal_page(&st, &p, &e);
    }
    let values: BTreeMap<String, String> = up
        .fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("field.").map(|n| (n.to_string(), v.clone())))
        .collect();
    let subject = up.fields.get("subject").cloned().unwrap_or_default();
    let description = up.fields.get("description").cloned().unwrap_or_default();
    let up_private = up.fields.get("private").cloned();
    let private = match up_private.as_deref() {
        None | Some("") => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(_) => {
            let e = Error::invalid("private", "invalid", "private must be 1 or 0");
            return error_response(&st, &p, &e);
        }
    };
    let files = match store_files(&st, up.files).await {
        Ok(f) => f,
        Err(e) => return error_response(&st, &p, &e),
    };
    let input = FormInput {
        subject: subject.clone(),
        description_html: format::markdown(&description),
        fields: values.clone(),
        attachments: files.clone(),
        private,
        on_behalf: up.fields.get("on_behalf").cloned(),
        portal_url: st.portal_url(&p.snap),
    };
    match st
        .portal
        .submit_form(&p.snap.settings, &viewer, input)
        .await
    {
        Ok(t) => redirect(
            Some(&p),
            &format!("{}/tickets/{}?done=created", p.base(), t.id),
        ),
        Err(e) => {
            discard(&st, &files).await;
            let show = Show::new(&st, &p);
            let label = |field: &str| match field {
                "subject" => show.t("new.subject"),
                "description" => show.t("new.description"),
                "on_behalf" => show.t("new.on_behalf"),
                "form" => show.t("new.title"),
                other => p
                    .snap
                    .ticket_props
                    .get(other)
                    .map_or_else(|| other.to_string(), |d| d.label.clone()),
            };
            let problems = match &e {
                Error::Invalid(errs) => errs
                    .iter()
                    .map(|f| FormProblem {
                        field: Some(f.field.clone()),
                        text: crate::render::field_problem(&st, &p, f, &label(&f.field)),
                    })
                    .collect(),
                Error::UploadRefused(u) => vec![FormProblem::general(upload_problem(&st, &p, u))],
                _ => return error_response(&st, &p, &e),
            };
            // One status per outcome on every page: a refused upload is 413, a form with
            // problems 422.
            let status = if matches!(e, Error::UploadRefused(_)) {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            form_page(
                &st,
                &p,
                status,
                Kept {
                    values,
                    subject: &subject,
                    description: &description,
                    private: up_private.as_deref(),
                    on_behalf: up.fields.get("on_behalf").map_or("", String::as_str),
                },
                problems,
            )
        }
    }
}
