//! The portal's front page (issue 18, P13): a search across the visitor's tickets, the way
//! to file a new one, their latest tickets with their status, and the knowledge base.

use std::collections::HashMap;
use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use portal_core::model::TicketStatus;
use serde_json::json;

use crate::AppState;
use crate::context::SignedIn;
use crate::format;
use crate::portal::list::{Show, list_query};
use crate::render::{error_response, render, ticket_text};

/// How many of the latest tickets the home shows.
const RECENT: usize = 5;

pub(crate) async fn home(st: web::Data<AppState>, SignedIn(p, viewer): SignedIn) -> HttpResponse {
    let (settings, props) = (&p.snap.settings, &p.snap.ticket_props);
    let mut query = list_query(&p, &HashMap::new());
    query.limit = RECENT;
    let recent = match st.portal.list_with(settings, props, &viewer, &query).await {
        Ok(r) => r,
        Err(e) => return error_response(&st, &p, &e),
    };
    query.status = Some(TicketStatus::Open);
    query.limit = 1;
    let open = match st.portal.list_with(settings, props, &viewer, &query).await {
        Ok(r) => r,
        Err(e) => return error_response(&st, &p, &e),
    };
    let mut show = Show::new(&st, &p);
    show.load_names(&recent.page.tickets).await;
    let base = p.base();
    // One line per ticket: subject, status badge, last activity; built and escaped here.
    let mut recent_html = String::new();
    for t in &recent.page.tickets {
        let _ = write!(
            recent_html,
            "<li><a class=\"subject\" href=\"{base}/tickets/{}\">",
            t.id
        );
        format::escape_into(&mut recent_html, &t.subject);
        recent_html.push_str("</a> ");
        show.write_status_html(&mut recent_html, t);
        recent_html.push_str(" <span class=\"when\">");
        format::write_time(
            &mut recent_html,
            t.last_activity_at,
            p.lang,
            &show.zone,
            true,
        );
        recent_html.push_str("</span></li>\n");
    }
    let n = |count: u64, more: bool| {
        let key = if more {
            "list.count_more"
        } else {
            "list.count"
        };
        ticket_text(&st, &p, key, &[("n", count.into())])
    };
    let data = json!({
        "title": st.i18n.get(p.lang, "home.title"),
        "search_label": ticket_text(&st, &p, "home.search", &[]),
        "recent_label": ticket_text(&st, &p, "home.recent", &[]),
        "all_label": ticket_text(&st, &p, "home.all", &[]),
        "open_label": ticket_text(&st, &p, "home.open", &[]),
        "none_text": ticket_text(&st, &p, "home.none", &[]),
        "recent": !recent.page.tickets.is_empty(),
        "recent_html": recent_html,
        "all_count": n(recent.total, recent.more),
        "open_count": n(open.total, open.more),
        "open_url": format!("{base}/tickets?status=open"),
    });
    render(&st, &p, StatusCode::OK, "home", data)
}
