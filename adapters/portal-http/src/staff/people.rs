//! The people on a ticket from the staff ticket page (C1, C3): copy a contact in, take a
//! participant off, change the requester. The use cases decide and audit.

use actix_web::{HttpResponse, web};
use portal_core::model::{ContactId, TicketId};

use crate::AppState;
use crate::staff::CsrfForm;
use crate::staff::Staff;
use crate::staff::StaffChecked;
use crate::staff::error_page;
use crate::staff::see_other;

type St = web::Data<AppState>;

#[derive(serde::Deserialize)]
pub(crate) struct PersonForm {
    email: String,
    keep: Option<String>,
    csrf: Option<String>,
}

crate::csrf_forms!(PersonForm);

/// `POST /admin/tickets/{id}/participants`.
pub(crate) async fn add(
    st: St,
    Staff(p, member): Staff,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<PersonForm>,
) -> HttpResponse {
    match st
        .inbox
        .add_participant(&member, TicketId(*path), &form.email)
        .await
    {
        Ok(_) => see_other(&format!("/admin/tickets/{}?done=participant_added", *path)),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// `POST /admin/tickets/{id}/participants/{contact}/remove`.
pub(crate) async fn remove(
    st: St,
    Staff(p, member): Staff,
    path: web::Path<(i64, i64)>,
    _: StaffChecked<CsrfForm>,
) -> HttpResponse {
    let (id, contact) = path.into_inner();
    match st
        .inbox
        .remove_participant(&member, TicketId(id), ContactId(contact))
        .await
    {
        Ok(()) => see_other(&format!("/admin/tickets/{id}?done=participant_removed")),
        Err(e) => error_page(&st, &p, &e),
    }
}

/// `POST /admin/tickets/{id}/requester`.
pub(crate) async fn requester(
    st: St,
    Staff(p, member): Staff,
    path: web::Path<i64>,
    StaffChecked(form): StaffChecked<PersonForm>,
) -> HttpResponse {
    let keep = form.keep.is_some_and(|v| !v.is_empty());
    match st
        .inbox
        .set_requester(&member, TicketId(*path), &form.email, keep)
        .await
    {
        Ok(_) => see_other(&format!("/admin/tickets/{}?done=requester", *path)),
        Err(e) => error_page(&st, &p, &e),
    }
}
