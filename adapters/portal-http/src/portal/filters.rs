//! The list's active filters as removable chips (issue 18): the search, the status and
//! each column filter in force, each a link to the same list without it.

use portal_core::model::TicketStatus;
use portal_core::query::TicketQuery;
use serde_json::Value as J;

use crate::AppState;
use crate::format;
use crate::render::Page;

/// The chips as a list of links, built and escaped here; empty when no filter is in force.
/// `pairs` is the list's query as the page's links carry it; `filters` the filter controls
/// with their `chips` (each: the query keys it stands for and its text).
pub(crate) fn chips_html(
    st: &AppState,
    page: &Page,
    query: &TicketQuery,
    pairs: &[(String, String)],
    filters: &[J],
) -> String {
    let t = |key: &str| st.i18n.get(page.lang, key).to_string();
    let mut chips: Vec<(Vec<String>, String)> = Vec::new();
    if let Some(q) = &query.search {
        chips.push((vec!["q".into()], format!("{}: {q}", t("list.search"))));
    }
    if let Some(s) = query.status {
        let key = if s == TicketStatus::Closed {
            "status.closed"
        } else {
            "status.open"
        };
        chips.push((
            vec!["status".into()],
            format!("{}: {}", t("list.status"), t(key)),
        ));
    }
    for f in filters {
        for c in f["chips"].as_array().into_iter().flatten() {
            let keys = c["keys"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            chips.push((keys, c["text"].as_str().unwrap_or_default().to_string()));
        }
    }
    if chips.is_empty() {
        return String::new();
    }
    let base = page.base();
    let mut out = String::with_capacity(chips.len() * 200);
    out.push_str("<ul class=\"chips\" aria-label=\"");
    format::escape_into(&mut out, st.i18n.get(page.lang, "list.active_filters"));
    out.push_str("\">");
    for (keys, text) in chips {
        let rest: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| !keys.contains(k))
            .cloned()
            .collect();
        let remove = st.i18n.fill(
            page.lang,
            "list.remove_filter",
            &[("filter", text.as_str().into())],
        );
        out.push_str("<li><a class=\"chip\" href=\"");
        format::escape_into(
            &mut out,
            &format!("{base}/tickets?{}", format::query_string(&rest)),
        );
        out.push_str("\" aria-label=\"");
        format::escape_into(&mut out, &remove);
        out.push_str("\">");
        format::escape_into(&mut out, &text);
        out.push_str(" <span aria-hidden=\"true\">×</span></a></li>");
    }
    out.push_str("</ul>");
    out
}
