//! The people on a ticket (C1): the requester copies others in by address and takes them
//! off; a participant leaves. The rules are the core's; a refusal shows on the ticket's page
//! in the visitor's language, with the address kept.

use actix_web::HttpResponse;
use actix_web::web;
use portal_core::Error;
use portal_core::model::{ContactId, TicketId};
use serde_json::json;

use crate::AppState;
use crate::context::{Checked, SignedIn};
use crate::portal::account::CsrfForm;
use crate::portal::ticket::detail_page;
use crate::render::{error_response, redirect};

type St = web::Data<AppState>;

crate::csrf_forms!(AddForm, HandOverForm, PrivacyForm);

#[derive(serde::Deserialize)]
pub(crate) struct AddForm {
    csrf: Option<String>,
    email: Option<String>,
}

/// `POST /tickets/{id}/participants`: copies the contact with the address in.
pub(crate) async fn add(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    Checked(form): Checked<AddForm>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let email = form.email.unwrap_or_default();
    match st
        .portal
        .add_participant(&p.snap.settings, &viewer, TicketId(id), &email)
        .await
    {
        Ok(_) => redirect(
            Some(&p),
            &format!("{}/tickets/{id}?done=cc_added", p.base()),
        ),
        Err(e) => refused(&st, &p, &viewer, id, &e, json!({ "cc_email": email })).await,
    }
}

/// `POST /tickets/{id}/participants/{contact}/remove`: the requester takes a participant
/// off, or a participant leaves (and is sent to the list: the ticket may be gone for them).
pub(crate) async fn remove(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64, i64)>,
    _: Checked<CsrfForm>,
) -> HttpResponse {
    let (_, id, contact) = path.into_inner();
    let who = ContactId(contact);
    match st
        .portal
        .remove_participant(&p.snap.settings, &viewer, TicketId(id), who)
        .await
    {
        Ok(()) if who == viewer.id => redirect(Some(&p), &format!("{}/tickets", p.base())),
        Ok(()) => redirect(
            Some(&p),
            &format!("{}/tickets/{id}?done=cc_removed", p.base()),
        ),
        Err(e) => refused(&st, &p, &viewer, id, &e, json!({})).await,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct HandOverForm {
    csrf: Option<String>,
    email: Option<String>,
    stay: Option<String>,
}

/// `POST /tickets/{id}/hand-over`: the requester hands the ticket to a colleague (C3), and
/// lands on it again when staying on it, on the list otherwise.
pub(crate) async fn hand_over(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    Checked(form): Checked<HandOverForm>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let email = form.email.unwrap_or_default();
    let stay = form.stay.is_some_and(|v| !v.is_empty());
    let portal_url = st.portal_url(&p.snap);
    match st
        .portal
        .hand_over(
            &p.snap.settings,
            &viewer,
            TicketId(id),
            &email,
            stay,
            &portal_url,
        )
        .await
    {
        Ok(_) if stay => redirect(
            Some(&p),
            &format!("{}/tickets/{id}?done=handed_over", p.base()),
        ),
        Ok(_) => redirect(Some(&p), &format!("{}/tickets", p.base())),
        Err(e) => {
            refused(
                &st,
                &p,
                &viewer,
                id,
                &e,
                json!({ "hand_over_email": email }),
            )
            .await
        }
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct PrivacyForm {
    csrf: Option<String>,
    private: Option<String>,
}

/// `POST /tickets/{id}/privacy`: the requester makes the ticket private (`private=1`) or
/// shares it with the company (`private=0`) (C5).
pub(crate) async fn privacy(
    st: St,
    SignedIn(p, viewer): SignedIn,
    path: web::Path<(String, i64)>,
    Checked(form): Checked<PrivacyForm>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let private = match form.private.as_deref() {
        Some("1") => true,
        Some("0") => false,
        _ => {
            let e = Error::invalid("private", "invalid", "private must be 1 or 0");
            return error_response(&st, &p, &e);
        }
    };
    match st
        .portal
        .set_private(&p.snap.settings, &viewer, TicketId(id), private)
        .await
    {
        Ok(()) => redirect(
            Some(&p),
            &format!(
                "{}/tickets/{id}?done={}",
                p.base(),
                if private {
                    "made_private"
                } else {
                    "made_shared"
                }
            ),
        ),
        Err(e) => refused(&st, &p, &viewer, id, &e, json!({})).await,
    }
}

/// The ticket's page again with a refused change of its people: the reason in the visitor's
/// language above the forms, what was typed kept (`kept`); other errors as their own page.
async fn refused(
    st: &AppState,
    p: &crate::render::Page,
    viewer: &portal_core::model::Contact,
    id: i64,
    e: &Error,
    kept: serde_json::Value,
) -> HttpResponse {
    let text = match e {
        Error::ActionDenied(a) => crate::render::action_problem(st, p, a),
        Error::Invalid(_) => st.i18n.get(p.lang, "error.cc_email").to_string(),
        _ => return error_response(st, p, e),
    };
    let mut extra = json!({ "cc_error": text });
    if let (serde_json::Value::Object(a), serde_json::Value::Object(b)) = (&mut extra, kept) {
        a.extend(b);
    }
    detail_page(
        st,
        p,
        viewer,
        TicketId(id),
        crate::errors::page_status(e),
        extra,
    )
    .await
}
