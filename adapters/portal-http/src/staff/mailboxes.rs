//! The IMAP mailboxes kept on the staff side (issue 17): list with how each one's last
//! round went, add, edit (an empty password keeps the stored one), remove. The core checks
//! and seals; these handlers parse the form and render.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::model::InboxId;
use portal_core::permissions::StaffMember;
use portal_core::settings::FieldError;
use portal_core::usecases::mailboxes::{MailboxInput, MailboxSettings, MailboxStatus, MailboxView};
use serde_json::{Value as J, json};

use crate::AppState;
use crate::format;
use crate::staff::records::field_errors;
use crate::staff::settings::Form;
use crate::staff::{
    Allowed, CsrfForm, Settings, StaffChecked, StaffPage, error_page, render, see_other,
};

type St = web::Data<AppState>;

/// The form's fields, in the order problems are shown.
const FIELDS: [&str; 7] = [
    "inbox",
    "host",
    "port",
    "user",
    "password",
    "folder",
    "poll_seconds",
];

fn service(st: &AppState) -> Result<&MailboxSettings, Error> {
    // Wired by the server (it holds the key); a state built without has no such pages.
    st.mailboxes.get().ok_or(Error::NotFound)
}

fn input(f: &Form) -> MailboxInput {
    MailboxInput {
        inbox: f.id("inbox").map(InboxId),
        host: f.get("host"),
        port: f.get("port"),
        tls: f.on("tls"),
        user: f.get("user"),
        password: f.get("password"),
        folder: f.get("folder"),
        delete_taken: f.on("delete_taken"),
        poll_seconds: f.get("poll_seconds"),
        enabled: f.on("enabled"),
    }
}

/// The form's values as shown again (never the password).
fn form_values(i: &MailboxInput) -> J {
    json!({
        "inbox": i.inbox.map(|x| x.0), "host": i.host, "port": i.port, "tls": i.tls,
        "user": i.user, "folder": i.folder, "delete_taken": i.delete_taken,
        "poll_seconds": i.poll_seconds, "enabled": i.enabled,
    })
}

fn view_values(v: &MailboxView) -> J {
    json!({
        "inbox": v.place.inbox.0, "host": v.place.host, "port": v.place.port.to_string(), "tls": v.place.tls,
        "user": v.place.user, "folder": v.place.folder, "delete_taken": v.place.delete_taken,
        "poll_seconds": v.place.poll_seconds.to_string(), "enabled": v.place.enabled,
    })
}

fn row(st: &AppState, p: &StaffPage, v: &MailboxView) -> J {
    let t = |k: &str| st.i18n.get(p.lang, k).to_string();
    let inbox = p
        .snap
        .inboxes
        .iter()
        .find(|i| i.id == v.place.inbox)
        .map_or_else(|| format!("#{}", v.place.inbox.0), |i| i.name.clone());
    let (status, failing) = match &v.status {
        _ if !v.place.enabled => (t("admin.mailboxes.off"), false),
        MailboxStatus::Unchecked => (t("admin.mailboxes.unchecked"), false),
        MailboxStatus::Working(at) => (
            st.i18n.fill(
                p.lang,
                "admin.mailboxes.working",
                &[("at", format::datetime(*at, p.lang, &p.zone()).into())],
            ),
            false,
        ),
        MailboxStatus::Failing(at, e) => (
            st.i18n.fill(
                p.lang,
                "admin.mailboxes.failing",
                &[
                    ("at", format::datetime(*at, p.lang, &p.zone()).into()),
                    ("error", e.as_str().into()),
                ],
            ),
            true,
        ),
    };
    json!({
        "id": v.id,
        "inbox": inbox,
        "address": format!(
            "imap{}://{}@{}:{}/{}",
            if v.place.tls { "s" } else { "" }, v.place.user, v.place.host, v.place.port, v.place.folder
        ),
        "every": st.i18n.fill(p.lang, "admin.mailboxes.every", &[("n", v.place.poll_seconds.into())]),
        "status": status,
        "failing": failing,
        "password_unreadable": !v.password_readable,
    })
}

/// What the mailboxes page shows besides the list.
#[derive(Default)]
struct Shown<'a> {
    /// The mailbox whose form is shown (`None`: the form for a new one).
    editing: Option<i64>,
    /// The form's values as sent, when it comes back with problems.
    values: Option<J>,
    /// The problems.
    problems: &'a [FieldError],
    /// What was done, for the notice.
    done: Option<String>,
}

/// The list with the form for a new mailbox, or the form editing one.
async fn page(
    st: &AppState,
    p: &StaffPage,
    m: &StaffMember,
    status: StatusCode,
    shown: Shown<'_>,
) -> HttpResponse {
    let Shown {
        editing,
        values,
        problems,
        done,
    } = shown;
    let uc = match service(st) {
        Ok(s) => s,
        Err(e) => return error_page(st, p, &e),
    };
    let all = match uc.list(m).await {
        Ok(l) => l,
        Err(e) => return error_page(st, p, &e),
    };
    let current = match editing {
        Some(id) => match all.iter().find(|v| v.id == id) {
            Some(v) => Some(v),
            None => return error_page(st, p, &Error::NotFound),
        },
        None => None,
    };
    let values = values.unwrap_or_else(|| match current {
        Some(v) => view_values(v),
        None => form_values(&MailboxInput {
            inbox: p.snap.settings.default_inbox,
            tls: true,
            enabled: true,
            folder: "INBOX".into(),
            poll_seconds: portal_core::usecases::mailboxes::DEFAULT_POLL_SECONDS.to_string(),
            ..MailboxInput::default()
        }),
    });
    let selected = values["inbox"].as_i64();
    let inboxes: Vec<J> = p
        .snap
        .inboxes
        .iter()
        .map(|i| json!({ "id": i.id.0, "name": i.name, "selected": Some(i.id.0) == selected }))
        .collect();
    let title = st.i18n.get(p.lang, "admin.mailboxes.title");
    render(
        st,
        p,
        status,
        "admin_mailboxes",
        json!({
            "title": title,
            "rows": all.iter().map(|v| row(st, p, v)).collect::<Vec<_>>(),
            "editing": current.map(|v| row(st, p, v)),
            "action": editing.map_or_else(|| "/admin/mailboxes".to_string(), |id| format!("/admin/mailboxes/{id}")),
            "form": values,
            "inboxes": inboxes,
            "errors": field_errors(st, p.lang, &FIELDS, problems),
            "done": done,
        }),
    )
}

pub(crate) async fn list(
    req: HttpRequest,
    st: St,
    Allowed(p, m, _): Allowed<Settings>,
) -> HttpResponse {
    let params = crate::render::params(&req);
    let done = ["created", "saved", "deleted"]
        .into_iter()
        .find(|k| params.contains_key(*k))
        .map(|k| {
            st.i18n
                .get(p.lang, &format!("admin.mailboxes.{k}"))
                .to_string()
        });
    page(
        &st,
        &p,
        &m,
        StatusCode::OK,
        Shown {
            done,
            ..Shown::default()
        },
    )
    .await
}

pub(crate) async fn edit(
    st: St,
    Allowed(p, m, _): Allowed<Settings>,
    path: web::Path<i64>,
) -> HttpResponse {
    let shown = Shown {
        editing: Some(*path),
        ..Shown::default()
    };
    page(&st, &p, &m, StatusCode::OK, shown).await
}

async fn save(
    st: &AppState,
    p: &StaffPage,
    m: &StaffMember,
    id: Option<i64>,
    form: Vec<(String, String)>,
) -> HttpResponse {
    let i = input(&Form(form));
    let saved = match service(st) {
        Ok(s) => s.save(m, id, i.clone()).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => see_other(if id.is_some() {
            "/admin/mailboxes?saved=1"
        } else {
            "/admin/mailboxes?created=1"
        }),
        Err(Error::Invalid(problems)) => {
            let shown = Shown {
                editing: id,
                values: Some(form_values(&i)),
                problems: &problems,
                done: None,
            };
            page(st, p, m, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(e) => error_page(st, p, &e),
    }
}

pub(crate) async fn create(
    st: St,
    Allowed(p, m, _): Allowed<Settings>,
    StaffChecked(form): StaffChecked<Vec<(String, String)>>,
) -> HttpResponse {
    save(&st, &p, &m, None, form).await
}

pub(crate) async fn update(
    st: St,
    Allowed(p, m, _): Allowed<Settings>,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<Vec<(String, String)>>,
) -> HttpResponse {
    save(&st, &p, &m, Some(*path), form).await
}

pub(crate) async fn delete(
    st: St,
    Allowed(p, m, _): Allowed<Settings>,
    path: web::Path<i64>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let done = match service(&st) {
        Ok(s) => s.delete(&m, *path).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => see_other("/admin/mailboxes?deleted=1"),
        Err(e) => error_page(&st, &p, &e),
    }
}
