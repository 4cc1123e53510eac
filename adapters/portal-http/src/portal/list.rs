//! The ticket list (V1–V5, P7–P9): the query from the URL, the table built by the server,
//! the filter controls, and the CSV export.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::filter::{Criterion, Operator};
use portal_core::model::*;
use portal_core::property::ticket_props;
use portal_core::query::{Cursor, Direction, Sort, TicketQuery};
use portal_core::settings::{StatusLabel, owner_name, status_label};
use portal_core::usecases::portal::parse_date;
use portal_core::visibility::View;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::context::SignedIn;
use crate::format::{self, datetime};
use crate::render::render;
use crate::render::{Page, People, display_name, error_response, name_in, params, tickets_label};

type St = web::Data<AppState>;

// ---------------------------------------------------------------- the list

/// Display helpers shared by the list, the detail page and the export.
pub(crate) struct Show<'a> {
    pub(crate) st: &'a AppState,
    pub(crate) page: &'a Page,
    pub(crate) names: HashMap<ContactId, String>,
    /// The people of the viewer's companies (cached, sorted by id), where requesters are
    /// mostly found: a name is copied out only for a row that shows it.
    pub(crate) people: Vec<Arc<People>>,
    /// The zone the visitor reads times in, looked up once for the page.
    pub(crate) zone: portal_core::zone::Zone,
}

impl<'a> Show<'a> {
    pub(crate) fn new(st: &'a AppState, page: &'a Page) -> Show<'a> {
        Show {
            st,
            page,
            names: HashMap::new(),
            people: Vec::new(),
            zone: page.zone(),
        }
    }

    pub(crate) fn t(&self, key: &str) -> String {
        self.st.i18n.get(self.page.lang, key).to_string()
    }

    /// A ticket property's label as the admin entered it, in the visitor's language when
    /// the admin gave one (N1).
    pub(crate) fn property_label(&self, property: &str, entered: &str) -> String {
        let s = &self.page.snap.settings;
        if s.translations.is_empty() {
            return entered.to_string();
        }
        s.text(&format!("property.{property}"), self.page.lang, entered)
            .to_string()
    }

    pub(crate) fn column_label(&self, property: &str, custom: Option<&str>) -> String {
        if let Some(l) = custom {
            let s = &self.page.snap.settings;
            if s.translations.is_empty() {
                return l.to_string();
            }
            return s
                .text(&format!("column.{property}"), self.page.lang, l)
                .to_string();
        }
        if !self.page.snap.settings.translations.is_empty()
            && self
                .page
                .snap
                .settings
                .has_text(&format!("column.{property}"), self.page.lang)
        {
            return self
                .page
                .snap
                .settings
                .text(&format!("column.{property}"), self.page.lang, "")
                .to_string();
        }
        if crate::format::is_builtin(property) {
            return crate::render::ticket_text(self.st, self.page, &format!("col.{property}"), &[]);
        }
        self.page.snap.ticket_props.get(property).map_or_else(
            || property.to_string(),
            |d| self.property_label(property, &d.label),
        )
    }

    fn status(&self, t: &Ticket) -> Cow<'a, str> {
        match status_label(
            t,
            &self.page.snap.pipelines,
            self.page.snap.settings.status_display,
        ) {
            StatusLabel::Status(TicketStatus::Open) => self.text("status.open"),
            StatusLabel::Status(TicketStatus::Closed) => self.text("status.closed"),
            StatusLabel::Stage(s) => Cow::Owned(s),
        }
    }

    /// A translation borrowed from the catalogue.
    fn text(&self, key: &'static str) -> Cow<'a, str> {
        Cow::Borrowed(self.st.i18n.get(self.page.lang, key))
    }

    pub(crate) fn agent(&self, id: AgentId) -> Cow<'a, str> {
        self.page
            .snap
            .agents
            .iter()
            .find(|a| a.id == id)
            .map_or_else(
                || self.text("detail.support"),
                |a| Cow::Owned(owner_name(a, self.page.snap.settings.owner_display)),
            )
    }

    pub(crate) fn cell(&self, t: &Ticket, property: &str) -> String {
        self.cell_text(t, property).into_owned()
    }

    /// A cell as the CSV export writes it: times in ISO 8601 with the visitor's offset
    /// (`2026-03-29T04:00:00+03:00`), which spreadsheets and scripts read unambiguously.
    pub(crate) fn csv_cell(&self, t: &Ticket, property: &str) -> String {
        match property {
            ticket_props::CREATED_AT => self.zone.local(t.created_at).iso8601(),
            ticket_props::LAST_ACTIVITY_AT => self.zone.local(t.last_activity_at).iso8601(),
            _ => self.cell(t, property),
        }
    }

    /// A cell as HTML: the status as its badge, times as `<time>` (the last activity
    /// relative), the rest as escaped text.
    pub(crate) fn cell_html(&self, t: &Ticket, property: &str) -> String {
        let mut out = String::new();
        self.write_cell_html(&mut out, t, property);
        out
    }

    /// A cell's HTML appended to `out`.
    fn write_cell_html(&self, out: &mut String, t: &Ticket, property: &str) {
        match property {
            ticket_props::CREATED_AT => {
                format::write_time(out, t.created_at, self.page.lang, &self.zone, false)
            }
            ticket_props::LAST_ACTIVITY_AT => {
                format::write_time(out, t.last_activity_at, self.page.lang, &self.zone, true)
            }
            ticket_props::STATUS => self.write_status_html(out, t),
            _ => format::escape_into(out, &self.cell_text(t, property)),
        }
    }

    /// The status as a badge (P9): `open` or `closed`, and `stage-N` for the stage's place
    /// in its pipeline (0 to 5, repeating), so each stage has its colour.
    pub(crate) fn write_status_html(&self, out: &mut String, t: &Ticket) {
        let place = crate::render::stage_place(&self.page.snap.pipelines, t);
        out.push_str(if t.status == TicketStatus::Closed {
            "<span class=\"badge closed stage-"
        } else {
            "<span class=\"badge open stage-"
        });
        out.push(char::from(b'0' + u8::try_from(place).unwrap_or(0)));
        out.push_str("\">");
        format::escape_into(out, &self.status(t));
        out.push_str("</span>");
    }

    /// A cell's text, borrowed where it already exists (the list writes it straight into
    /// the page).
    fn cell_text<'s>(&'s self, t: &'s Ticket, property: &str) -> Cow<'s, str> {
        let snap = &self.page.snap;
        match property {
            ticket_props::SUBJECT => Cow::Borrowed(&t.subject),
            ticket_props::ID => Cow::Owned(format!("#{}", t.id)),
            ticket_props::STATUS => self.status(t),
            ticket_props::OWNER => t.owner.map(|a| self.agent(a)).unwrap_or_default(),
            ticket_props::REQUESTED_BY => t
                .requester
                .and_then(|c| self.names.get(&c))
                .map(|n| Cow::Borrowed(n.as_str()))
                .unwrap_or_default(),
            ticket_props::CREATED_AT => {
                Cow::Owned(datetime(t.created_at, self.page.lang, &self.zone))
            }
            ticket_props::LAST_ACTIVITY_AT => {
                Cow::Owned(datetime(t.last_activity_at, self.page.lang, &self.zone))
            }
            ticket_props::PIPELINE => snap
                .pipelines
                .iter()
                .find(|p| p.id == t.pipeline)
                .map(|p| Cow::Borrowed(p.label.as_str()))
                .unwrap_or_default(),
            ticket_props::STAGE => snap
                .pipelines
                .iter()
                .find_map(|p| p.stage(t.stage))
                .map(|s| Cow::Borrowed(s.label.as_str()))
                .unwrap_or_default(),
            ticket_props::INBOX => t
                .inbox
                .and_then(|i| snap.inboxes.iter().find(|x| x.id == i))
                .map(|i| Cow::Borrowed(i.name.as_str()))
                .unwrap_or_default(),
            other => match t.properties.get(other) {
                Some(Value::Text(s)) => Cow::Borrowed(s.as_str()),
                Some(Value::Number(n)) => Cow::Owned(n.to_string()),
                Some(Value::Date(d)) => Cow::Owned(format::iso_date(*d)),
                None => Cow::Borrowed(""),
            },
        }
    }

    /// Looks up the people of the viewer's companies (requesters are mostly there), each in
    /// one cached query, for the rows' "Requested by" cells; only rows in scope ever show
    /// one.
    async fn prime(&mut self, viewer: &Contact) {
        self.names.insert(viewer.id, display_name(viewer));
        for m in viewer.companies() {
            if let Ok(cs) = self.st.company_people(m.company).await {
                self.people.push(cs);
            }
        }
    }

    /// The names of the rows' requesters: from the viewer's companies' people when there,
    /// otherwise read one by one.
    pub(crate) async fn load_names(&mut self, tickets: &[Ticket]) {
        let ids: std::collections::BTreeSet<ContactId> = tickets
            .iter()
            .filter_map(|t| t.requester)
            .filter(|c| !self.names.contains_key(c))
            .collect();
        for id in ids {
            if let Some(name) = self.people.iter().find_map(|p| name_in(p, id)) {
                self.names.insert(id, name.to_string());
            } else if let Ok(c) = self.st.records.find_contact(id).await {
                self.names.insert(id, display_name(&c));
            }
        }
    }
}

/// The list query a request asks for.
pub(crate) fn list_query(p: &Page, q: &HashMap<String, String>) -> TicketQuery {
    let s = &p.snap.settings;
    let visible = |prop: &str| s.columns.iter().any(|c| c.property == prop);
    let sort_prop = q
        .get("sort")
        .filter(|v| visible(v))
        .cloned()
        .unwrap_or_else(|| ticket_props::LAST_ACTIVITY_AT.into());
    let direction = match q.get("dir").map(String::as_str) {
        Some("asc") => Direction::Asc,
        _ => Direction::Desc,
    };
    let mut filters = Vec::new();
    for c in &s.columns {
        // Dates are a range, both ends optional and inclusive: `f.{column}.from` and
        // `f.{column}.to` (a bare `f.{column}` is read as "from").
        if p.snap
            .ticket_props
            .get(&c.property)
            .is_some_and(|d| d.kind == ValueKind::Date)
        {
            let day = |key: String| {
                q.get(&key)
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .and_then(parse_date)
            };
            let from =
                day(format!("f.{}.from", c.property)).or_else(|| day(format!("f.{}", c.property)));
            if let Some(d) = from {
                filters.push(Criterion::new(
                    c.property.clone(),
                    Operator::GreaterThan(Value::Date(Timestamp(d.0 - 1))),
                ));
            }
            if let Some(d) = day(format!("f.{}.to", c.property)) {
                filters.push(Criterion::new(
                    c.property.clone(),
                    Operator::LessThan(Value::Date(Timestamp(d.0 + 86_400_000))),
                ));
            }
            continue;
        }
        let Some(raw) = q
            .get(&format!("f.{}", c.property))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        if c.property == ticket_props::STATUS {
            continue;
        }
        let Some(def) = p.snap.ticket_props.get(&c.property) else {
            continue;
        };
        let op = match def.kind {
            ValueKind::Text if !def.options.is_empty() => Operator::Equals(Value::text(raw)),
            ValueKind::Text => Operator::Contains(raw.to_string()),
            ValueKind::Number => match raw.parse() {
                Ok(n) => Operator::Equals(Value::Number(n)),
                Err(_) => continue,
            },
            ValueKind::Date => match parse_date(raw) {
                Some(d) => Operator::GreaterThan(Value::Date(Timestamp(d.0 - 1))),
                None => continue,
            },
        };
        filters.push(Criterion::new(c.property.clone(), op));
    }
    TicketQuery {
        view: q
            .get("view")
            .and_then(|v| View::parse(v))
            .unwrap_or_default(),
        search: q
            .get("q")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()),
        status: match q.get("status").map(String::as_str) {
            Some("open") => Some(TicketStatus::Open),
            Some("closed") => Some(TicketStatus::Closed),
            _ => None,
        },
        filters,
        sort: Sort {
            property: sort_prop,
            direction,
        },
        after: q
            .get("after")
            .and_then(|a| serde_json::from_str::<Cursor>(a).ok()),
        limit: 25,
    }
}

/// The URL parameters that reproduce a query (without its cursor).
pub(crate) fn query_pairs(q: &TicketQuery, raw: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("view".to_string(), q.view.name()),
        ("q".to_string(), q.search.clone().unwrap_or_default()),
        (
            "status".to_string(),
            q.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        ),
        ("sort".to_string(), q.sort.property.clone()),
        (
            "dir".to_string(),
            if q.sort.direction == Direction::Asc {
                "asc".into()
            } else {
                "desc".into()
            },
        ),
    ];
    let mut fs: Vec<_> = raw.iter().filter(|(k, _)| k.starts_with("f.")).collect();
    fs.sort();
    for (k, v) in fs {
        pairs.push((k.clone(), v.clone()));
    }
    pairs
}

pub(crate) async fn list(req: HttpRequest, st: St, SignedIn(p, viewer): SignedIn) -> HttpResponse {
    match list_view(&st, &p, &viewer, &params(&req)).await {
        Ok(data) => render(&st, &p, StatusCode::OK, "list", data),
        Err(r) => r,
    }
}

/// The list page's data for `viewer` (the page itself, and the template editor's preview).
pub(crate) async fn list_view(
    st: &AppState,
    p: &Page,
    viewer: &Contact,
    raw: &HashMap<String, String>,
) -> Result<J, HttpResponse> {
    let query = list_query(p, raw);
    let result = match st
        .portal
        .list_with(&p.snap.settings, &p.snap.ticket_props, viewer, &query)
        .await
    {
        Ok(r) => r,
        Err(e) => return Err(error_response(st, p, &e)),
    };
    let mut show = Show::new(st, p);
    show.prime(viewer).await;
    show.load_names(&result.page.tickets).await;
    let people = match st.requester_menu(&result.scope, viewer).await {
        Ok(m) => m,
        Err(e) => return Err(error_response(st, p, &e)),
    };
    let base = p.base();
    let pairs = query_pairs(&query, raw);
    // The header row is built here too: a sort link per column.
    let mut columns_html = String::new();
    for c in &p.snap.settings.columns {
        let sorted = query.sort.property == c.property;
        let asc = query.sort.direction == Direction::Asc;
        let next_dir = if sorted && asc { "desc" } else { "asc" };
        let mut ps: Vec<_> = pairs
            .iter()
            .filter(|(k, _)| k != "sort" && k != "dir")
            .cloned()
            .collect();
        ps.push(("sort".into(), c.property.clone()));
        ps.push(("dir".into(), next_dir.into()));
        let label = show.column_label(&c.property, c.label.as_deref());
        let title = st
            .i18n
            .fill(p.lang, "list.sort_by", &[("column", label.as_str().into())]);
        columns_html.push_str("<th scope=\"col\"");
        if sorted {
            columns_html.push_str(if asc {
                " aria-sort=\"ascending\""
            } else {
                " aria-sort=\"descending\""
            });
        }
        columns_html.push_str("><a href=\"");
        format::escape_into(
            &mut columns_html,
            &format!("{base}/tickets?{}", format::query_string(&ps)),
        );
        columns_html.push_str("\" title=\"");
        format::escape_into(&mut columns_html, &title);
        columns_html.push_str("\">");
        format::escape_into(&mut columns_html, &label);
        if sorted {
            columns_html.push_str(if asc {
                " <span aria-hidden=\"true\">▲</span>"
            } else {
                " <span aria-hidden=\"true\">▼</span>"
            });
        }
        columns_html.push_str("</a></th>\n");
    }
    // The table body is built here, escaped like handlebars escapes, in one string.
    let mut rows_html = String::with_capacity(result.page.tickets.len() * 600);
    for t in &result.page.tickets {
        rows_html.push_str("<tr>");
        for c in &p.snap.settings.columns {
            if c.property == ticket_props::SUBJECT {
                let _ = write!(
                    rows_html,
                    "<td class=\"subject\"><a href=\"{base}/tickets/{}\">",
                    t.id
                );
                format::escape_into(&mut rows_html, &t.subject);
                rows_html.push_str("</a></td>");
            } else {
                rows_html.push_str("<td>");
                show.write_cell_html(&mut rows_html, t, &c.property);
                rows_html.push_str("</td>");
            }
        }
        rows_html.push_str("</tr>\n");
    }
    let several = result.views.iter().any(|v| matches!(v, View::Company(_)));
    // The View and Status menus' <option>s are built here (escaped), like the table body.
    let mut views_html: Option<String> = None;
    if result.views.len() > 1 {
        let mut html = String::with_capacity(80 * result.views.len());
        for v in &result.views {
            let label = match v {
                View::Mine => crate::render::ticket_text(st, p, "list.view_mine", &[]),
                View::Shared => crate::render::ticket_text(st, p, "list.view_shared", &[]),
                View::Organization if several => {
                    crate::render::ticket_text(st, p, "list.view_all_companies", &[])
                }
                View::Organization => {
                    crate::render::ticket_text(st, p, "list.view_organization", &[])
                }
                View::Company(c) => st.company_name(*c).await.to_string(),
            };
            format::option_into(&mut html, &v.name(), &label, *v == result.view);
        }
        views_html = Some(html);
    }
    let mut statuses_html = String::with_capacity(200);
    let status = query.status.map_or("", |s| s.as_str());
    for (v, k) in [
        ("", "list.status_any"),
        ("open", "status.open"),
        ("closed", "status.closed"),
    ] {
        format::option_into(&mut statuses_html, v, &show.t(k), status == v);
    }
    let filters = filter_controls(&show, raw, &people);
    let chips_html = super::filters::chips_html(st, p, &query, &pairs, &filters);
    let next_url = result.page.next.as_ref().map(|c| {
        let mut ps = pairs.clone();
        ps.push(("after".into(), serde_json::to_string(c).unwrap_or_default()));
        format!("{base}/tickets?{}", format::query_string(&ps))
    });
    let first_url = query
        .after
        .is_some()
        .then(|| format!("{base}/tickets?{}", format::query_string(&pairs)));
    Ok(json!({
        "title": tickets_label(st, p).1,
        "query": { "q": query.search.clone().unwrap_or_default(), "sort": query.sort.property, "dir": if query.sort.direction == Direction::Asc { "asc" } else { "desc" } },
        "views_html": views_html,
        "statuses_html": statuses_html,
        "filters": filters,
        "chips_html": chips_html,
        // Column filters fold behind "Filters", open when one is in force.
        "filters_active": raw.iter().filter(|(k, v)| k.starts_with("f.") && !v.trim().is_empty()).count(),
        "columns_html": columns_html,
        "rows": !result.page.tickets.is_empty(),
        "rows_html": rows_html,
        "total": result.total,
        "more": result.more,
        "count_text": crate::render::ticket_text(st, p, if result.more { "list.count_more" } else { "list.count" }, &[("n", result.total.into())]),
        "empty_text": crate::render::ticket_text(st, p, "list.empty", &[]),
        // A customer without any ticket yet is welcomed and shown the next step.
        "welcome": (result.total == 0
            && query.search.is_none()
            && query.status.is_none()
            && query.filters.is_empty()
            && query.after.is_none())
            .then(|| crate::render::ticket_text(st, p, "list.welcome", &[])),
        "next_url": next_url,
        "first_url": first_url,
        "export_url": format!("{base}/tickets/export.csv?{}", format::query_string(&pairs)),
        "export_excel_url": format!("{base}/tickets/export.csv?{}&excel=1", format::query_string(&pairs)),
    }))
}

/// Filter controls for the visible columns (T1): a select for owners, requesters,
/// pipelines, stages and enumerations; a text box for text; a date box for dates.
pub(crate) fn filter_controls(
    show: &Show<'_>,
    raw: &HashMap<String, String>,
    people: &[(ContactId, String)],
) -> Vec<J> {
    let snap = &show.page.snap;
    let mut out = Vec::new();
    for c in &snap.settings.columns {
        if c.property == ticket_props::STATUS || c.property == ticket_props::ID {
            continue;
        }
        let Some(def) = snap.ticket_props.get(&c.property) else {
            continue;
        };
        let value = raw
            .get(&format!("f.{}", c.property))
            .cloned()
            .unwrap_or_default();
        // The <option> lists are built here (escaped), like the table body.
        let mut html = String::new();
        // The chosen option's text, for the filter's chip.
        let mut chosen: Option<String> = None;
        let mut opt = |v: &str, label: &str| {
            let selected = v == value;
            if selected {
                chosen = Some(label.to_string());
            }
            format::option_into(&mut html, v, label, selected);
        };
        let select = match c.property.as_str() {
            ticket_props::OWNER => {
                for a in &snap.agents {
                    opt(
                        &a.id.to_string(),
                        &owner_name(a, snap.settings.owner_display),
                    );
                }
                true
            }
            ticket_props::PIPELINE => {
                for p in &snap.pipelines {
                    opt(&p.id.to_string(), &p.label);
                }
                true
            }
            ticket_props::STAGE => {
                for p in &snap.pipelines {
                    for st in &p.stages {
                        opt(&st.id.to_string(), &format!("{} – {}", p.label, st.label));
                    }
                }
                true
            }
            ticket_props::INBOX => {
                for i in &snap.inboxes {
                    opt(&i.id.to_string(), &i.name);
                }
                true
            }
            ticket_props::REQUESTED_BY => {
                for (id, n) in people {
                    opt(&id.to_string(), n);
                }
                true
            }
            _ if !def.options.is_empty() => {
                for o in &def.options {
                    opt(o, o);
                }
                true
            }
            _ => false,
        };
        if def.kind == ValueKind::Date {
            // From and to, both days included.
            let label = show.column_label(&c.property, c.label.as_deref());
            let mut control = String::with_capacity(320);
            let mut chips = Vec::new();
            for (end, key) in [("from", "list.date_from"), ("to", "list.date_to")] {
                let name = format!("f.{}.{end}", c.property);
                let v = raw.get(&name).cloned().unwrap_or_else(|| {
                    if end == "from" {
                        value.clone()
                    } else {
                        String::new()
                    }
                });
                let text = show.t(key);
                if !v.trim().is_empty() {
                    // A bare `f.{column}` is "from": removing the chip removes both spellings.
                    let keys = if end == "from" {
                        vec![name.clone(), format!("f.{}", c.property)]
                    } else {
                        vec![name.clone()]
                    };
                    chips.push(json!({ "keys": keys, "text": format!("{label}: {text} {v}") }));
                }
                control.push_str("<label class=\"range\">");
                format::escape_into(&mut control, &text);
                control.push_str(" <input");
                if end == "from" {
                    control.push_str(" id=\"f-");
                    format::escape_into(&mut control, &c.property);
                    control.push('"');
                }
                control.push_str(" name=\"");
                format::escape_into(&mut control, &name);
                control.push_str("\" type=\"date\" value=\"");
                format::escape_into(&mut control, &v);
                control.push_str("\" aria-label=\"");
                format::escape_into(&mut control, &format!("{label} {text}"));
                control.push_str("\"></label> ");
            }
            out.push(json!({
                "property": c.property,
                "label": label,
                "control_html": control,
                "chips": chips,
            }));
            continue;
        }
        let input = "text";
        // The control itself (a select with its options, or an input), escaped here.
        let mut control = String::with_capacity(html.len() + 160);
        let id = |out: &mut String| {
            out.push_str(" id=\"f-");
            format::escape_into(out, &c.property);
            out.push_str("\" name=\"f.");
            format::escape_into(out, &c.property);
            out.push('"');
        };
        if select {
            control.push_str("<select");
            id(&mut control);
            control.push_str(">\n    <option value=\"\">");
            format::escape_into(&mut control, &show.t("list.filter_any"));
            control.push_str("</option>\n    ");
            control.push_str(&html);
            control.push_str("\n  </select>");
        } else {
            control.push_str("<input");
            id(&mut control);
            control.push_str(" type=\"");
            control.push_str(input);
            control.push_str("\" value=\"");
            format::escape_into(&mut control, &value);
            control.push_str("\">");
        }
        let label = show.column_label(&c.property, c.label.as_deref());
        let chips: Vec<J> = if value.trim().is_empty() {
            Vec::new()
        } else {
            let shown = chosen.unwrap_or_else(|| value.clone());
            vec![
                json!({ "keys": [format!("f.{}", c.property)], "text": format!("{label}: {shown}") }),
            ]
        };
        out.push(json!({
            "property": c.property,
            "label": label,
            "control_html": control,
            "chips": chips,
        }));
    }
    out
}

pub(crate) async fn export(
    req: HttpRequest,
    st: St,
    SignedIn(p, viewer): SignedIn,
) -> HttpResponse {
    let raw = params(&req);
    let query = list_query(&p, &raw);
    let exporter = match st
        .portal
        .export_with(
            &p.snap.settings,
            &p.snap.ticket_props,
            &viewer,
            &query,
            p.preview.is_some(),
        )
        .await
    {
        Ok(e) => e,
        Err(e) => return error_response(&st, &p, &e),
    };
    let mut show = Show::new(&st, &p);
    show.prime(&viewer).await;
    let header: Vec<String> = p
        .snap
        .settings
        .columns
        .iter()
        .map(|c| show.column_label(&c.property, c.label.as_deref()))
        .collect();
    let columns: Vec<String> = p
        .snap
        .settings
        .columns
        .iter()
        .map(|c| c.property.clone())
        .collect();
    let file = format!(
        "{}.csv",
        tickets_label(&st, &p).1.to_lowercase().replace(' ', "-")
    );
    // "For Excel": a UTF-8 byte order mark (Excel otherwise reads UTF-8 as the system's
    // code page and garbles ä, ø, ü) and the list separator of the visitor's language
    // (`;` where decimals are written with a comma, as Excel expects there).
    let excel = raw.get("excel").is_some_and(|v| v == "1");
    let sep = if excel {
        st.i18n
            .get(p.lang, "format.list_separator")
            .chars()
            .next()
            .unwrap_or(',')
    } else {
        ','
    };
    let mut first = if excel {
        String::from("\u{feff}")
    } else {
        String::new()
    };
    first.push_str(&format::csv_row_with(&header, sep));
    let file = if excel {
        file.replace(".csv", "-excel.csv")
    } else {
        file
    };
    let names = std::mem::take(&mut show.names);
    let people = std::mem::take(&mut show.people);
    let state = ExportState {
        st: st.get_ref().clone(),
        page: p,
        exporter,
        columns,
        names,
        people,
        first: Some(first),
        sep,
    };
    let body = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(h) = s.first.take() {
            return Some((Ok::<_, actix_web::Error>(web::Bytes::from(h)), s));
        }
        match s.exporter.next_batch().await {
            Ok(Some(rows)) => {
                let mut show = Show {
                    st: &s.st,
                    page: &s.page,
                    names: std::mem::take(&mut s.names),
                    people: std::mem::take(&mut s.people),
                    zone: s.page.zone(),
                };
                show.load_names(&rows).await;
                let mut chunk = String::new();
                for t in &rows {
                    let cells: Vec<String> =
                        s.columns.iter().map(|c| show.csv_cell(t, c)).collect();
                    chunk.push_str(&format::csv_row_with(&cells, s.sep));
                }
                s.names = show.names;
                s.people = show.people;
                Some((Ok(web::Bytes::from(chunk)), s))
            }
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "export failed midway");
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export failed")),
                    s,
                ))
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format::content_disposition(&file),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body)
}

pub(crate) struct ExportState {
    st: AppState,
    page: std::rc::Rc<Page>,
    exporter: portal_core::usecases::portal::Export,
    columns: Vec<String>,
    names: HashMap<ContactId, String>,
    people: Vec<Arc<People>>,
    first: Option<String>,
    sep: char,
}
