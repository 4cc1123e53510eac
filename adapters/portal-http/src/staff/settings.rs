//! The settings page (P1–P14, A1–A6): one form per section, each validated and saved
//! through the core (audited), with the editor's version for optimistic concurrency; the
//! logo and the favicon.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use portal_core::Error;
use portal_core::access::{IdleTimeout, SsoAccess};
use portal_core::filter::{Filter, parse_text_named, to_text_named};
use portal_core::model::*;
use portal_core::property::{PropertyCatalog, ticket_props};
use portal_core::settings::{
    Column, FieldError, FormField, Link, MAX_BRANDING_BYTES, OwnerDisplay, PortalSettings,
    StatusDisplay, default_columns,
};
use portal_core::usecases::staff::{BrandingSlot, DomainChange, SettingsCatalogs};
use portal_core::visibility::CompanyAccess;
use serde_json::{Value as J, json};

use crate::AppState;
use crate::staff::render;
use crate::staff::{Allowed, Settings, StaffPage, check, error_page, see_other};

type St = web::Data<AppState>;
type FormPairs = web::Form<Vec<(String, String)>>;

/// The sections, in page order, with the field paths whose problems they show.
pub(crate) const SECTIONS: [(&str, &[&str]); 12] = [
    (
        "general",
        &[
            "name",
            "slug",
            "session",
            "ticket_label",
            "enabled",
            "knowledge_base_url",
        ],
    ),
    ("domain", &["domain", "domain_language"]),
    ("inbox", &["default_inbox", "mail_creates_contacts"]),
    ("permissions", &["visibility.company_access"]),
    ("visibility", &["visibility.ticket_filter"]),
    ("columns", &["columns"]),
    ("display", &["owner_display", "status_display", "time_zone"]),
    ("actions", &["actions", "access_log_days"]),
    ("access", &["access"]),
    ("consent", &["consent"]),
    ("form", &["support_form", "branding"]),
    ("translations", &["translations"]),
];

pub(crate) struct Form(pub(crate) Vec<(String, String)>);

impl Form {
    pub(crate) fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    pub(crate) fn on(&self, k: &str) -> bool {
        self.0
            .iter()
            .any(|(n, v)| n == k && (v == "1" || v == "on"))
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub(crate) fn id(&self, k: &str) -> Option<i64> {
        self.get(k).trim().parse().ok()
    }
}

/// What the settings refer to (the core's), with the names a filter's text uses.
pub(crate) struct Catalogs(pub(crate) SettingsCatalogs);

impl std::ops::Deref for Catalogs {
    type Target = SettingsCatalogs;
    fn deref(&self) -> &SettingsCatalogs {
        &self.0
    }
}

impl Catalogs {
    /// How a filter shows a record's id: a pipeline, stage or inbox by its name, an owner by
    /// email (names a filter's text could not read back are left as ids).
    fn name_of(&self, property: &str, v: &Value) -> Option<String> {
        let Value::Number(id) = v else { return None };
        let name = match property {
            ticket_props::PIPELINE => self.pipelines.iter().find(|p| p.id.0 == *id)?.label.clone(),
            ticket_props::STAGE => self.pipelines.iter().find_map(|p| {
                p.stage(StageId(*id))
                    .map(|s| format!("{} / {}", p.label, s.label))
            })?,
            ticket_props::INBOX => self.inboxes.iter().find(|i| i.id.0 == *id)?.name.clone(),
            ticket_props::OWNER => self.agents.iter().find(|a| a.id.0 == *id)?.email.clone(),
            _ => return None,
        };
        let readable = !name.contains(',')
            && !name.contains(" AND ")
            && name.trim() == name
            && name.parse::<i64>().is_err()
            && self.by_name(property, &name) == Some(v.clone());
        readable.then_some(name)
    }

    /// The id a name in a filter's text stands for (case-insensitive; a stage as
    /// `Pipeline / Stage`, or its label alone when only one stage has it).
    fn by_name(&self, property: &str, raw: &str) -> Option<Value> {
        let same = |a: &str| a.trim().eq_ignore_ascii_case(raw);
        let id = match property {
            ticket_props::PIPELINE => self.pipelines.iter().find(|p| same(&p.label))?.id.0,
            ticket_props::STAGE => {
                let all: Vec<(String, i64, &str)> = self
                    .pipelines
                    .iter()
                    .flat_map(|p| {
                        p.stages.iter().map(move |s| {
                            (
                                format!("{} / {}", p.label, s.label),
                                s.id.0,
                                s.label.as_str(),
                            )
                        })
                    })
                    .collect();
                match all.iter().find(|(full, _, _)| same(full)) {
                    Some((_, id, _)) => *id,
                    None => {
                        let mut alone = all.iter().filter(|(_, _, label)| same(label));
                        match (alone.next(), alone.next()) {
                            (Some((_, id, _)), None) => *id,
                            _ => return None,
                        }
                    }
                }
            }
            ticket_props::INBOX => self.inboxes.iter().find(|i| same(&i.name))?.id.0,
            ticket_props::OWNER => {
                self.agents
                    .iter()
                    .find(|a| same(&a.email) || same(&format!("{} {}", a.first_name, a.last_name)))?
                    .id
                    .0
            }
            _ => return None,
        };
        Some(Value::Number(id))
    }

    /// A property for the filter help, with the names its values may be given by.
    fn property_help(&self, property: &str) -> String {
        let names: Vec<String> = match property {
            ticket_props::PIPELINE => self.pipelines.iter().map(|p| p.label.clone()).collect(),
            ticket_props::STAGE => self
                .pipelines
                .iter()
                .flat_map(|p| {
                    p.stages
                        .iter()
                        .map(move |s| format!("{} / {}", p.label, s.label))
                })
                .collect(),
            ticket_props::INBOX => self.inboxes.iter().map(|i| i.name.clone()).collect(),
            ticket_props::OWNER => self.agents.iter().map(|a| a.email.clone()).collect(),
            _ => Vec::new(),
        };
        if names.is_empty() {
            property.to_string()
        } else {
            format!("{property} ({})", names.join("; "))
        }
    }

    fn filter_text(&self, f: &Filter) -> String {
        to_text_named(f, |p, v| self.name_of(p, v))
    }
}

/// `label | url` per line.
pub(crate) fn parse_links(text: &str) -> Vec<Link> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (label, url) = l.split_once('|').unwrap_or((l, ""));
            Link {
                label: label.trim().into(),
                url: url.trim().into(),
            }
        })
        .collect()
}

pub(crate) fn links_text(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| format!("{} | {}", l.label, l.url))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn filter_field(
    text: &str,
    props: &PropertyCatalog,
    cats: &Catalogs,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Filter> {
    match parse_text_named(
        text,
        |p| props.get(p).map(|d| d.kind),
        |p, raw| cats.by_name(p, raw),
    ) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.push(FieldError {
                field: field.into(),
                code: e.code.into(),
                detail: format!("line {}: {}", e.line, e.detail),
            });
            None
        }
    }
}

/// Applies one section's form to `s`; problems the form itself shows (a filter that does
/// not parse) go to `errors`, the rest is the core's validation.
pub(crate) fn apply(
    section: &str,
    f: &Form,
    s: &mut PortalSettings,
    cats: &Catalogs,
    errors: &mut Vec<FieldError>,
) -> Result<(), &'static str> {
    match section {
        "general" => {
            s.name = f.get("name").trim().into();
            s.slug = f.get("slug").trim().to_ascii_lowercase();
            s.enabled = f.on("enabled");
            s.ticket_label.singular = f.get("ticket_singular").trim().into();
            s.ticket_label.plural = f.get("ticket_plural").trim().into();
            s.knowledge_base_link = f.on("knowledge_base_link");
            s.knowledge_base_url = f.get("knowledge_base_url").trim().into();
            s.notify_with_reply_text = f.on("notify_with_reply_text");
            s.session.idle = IdleTimeout::ALL
                .into_iter()
                .find(|t| t.seconds().to_string() == f.get("idle"))
                .unwrap_or_default();
            match f.get("absolute_hours").trim().parse::<i64>() {
                Ok(h) => s.session.absolute_seconds = h.saturating_mul(3600),
                Err(_) => errors.push(FieldError {
                    field: "session.absolute_seconds".into(),
                    code: "invalid_number".into(),
                    detail: "hours as a whole number".into(),
                }),
            }
        }
        "domain" => {
            s.domain = f.id("domain").map(DomainId);
        }
        "inbox" => {
            s.default_inbox = f.id("default_inbox").map(InboxId);
            s.mail_creates_contacts = cats
                .inboxes
                .iter()
                .filter(|i| f.on(&format!("mail_creates_{}", i.id.0)))
                .map(|i| i.id)
                .collect();
        }
        "permissions" => {
            s.visibility.company_access = match f.get("company_access").as_str() {
                "all" => CompanyAccess::AllContacts,
                "filtered" => {
                    match filter_field(
                        &f.get("company_filter"),
                        &cats.contact_props,
                        cats,
                        "visibility.company_access",
                        errors,
                    ) {
                        Some(filter) => CompanyAccess::Filtered(filter),
                        None => s.visibility.company_access.clone(),
                    }
                }
                _ => CompanyAccess::OwnOnly,
            };
            // Who of them may answer and close company tickets (C5, V3 per right): the same
            // contacts, nobody (company tickets read only), or those meeting a filter of
            // their own. Absent: unchanged.
            for (name, path) in [
                ("company_reply", "visibility.company_reply"),
                ("company_close", "visibility.company_close"),
            ] {
                let old = if name == "company_reply" {
                    s.visibility.company_reply.clone()
                } else {
                    s.visibility.company_close.clone()
                };
                let new = match f.get(name).as_str() {
                    "same" => None,
                    "none" => Some(CompanyAccess::OwnOnly),
                    "filtered" => match filter_field(
                        &f.get(&format!("{name}_filter")),
                        &cats.contact_props,
                        cats,
                        path,
                        errors,
                    ) {
                        Some(filter) => Some(CompanyAccess::Filtered(filter)),
                        None => old,
                    },
                    _ => old,
                };
                if name == "company_reply" {
                    s.visibility.company_reply = new;
                } else {
                    s.visibility.company_close = new;
                }
            }
        }
        "visibility" => {
            let text = f.get("ticket_filter");
            s.visibility.ticket_filter = if text.trim().is_empty() {
                None
            } else {
                filter_field(
                    &text,
                    &cats.ticket_props,
                    cats,
                    "visibility.ticket_filter",
                    errors,
                )
                .or(s.visibility.ticket_filter.clone())
            };
        }
        "columns" => {
            let mut cols: Vec<Column> = (0..s.columns.len())
                .map(|i| {
                    let label = f.get(&format!("label_{i}"));
                    Column {
                        property: s.columns[i].property.clone(),
                        label: (!label.trim().is_empty()).then(|| label.trim().to_string()),
                    }
                })
                .collect();
            let action = f.get("action");
            let (verb, at) = action.split_once(':').unwrap_or((action.as_str(), ""));
            let at: usize = at.parse().unwrap_or(usize::MAX);
            match verb {
                "up" if at > 0 && at < cols.len() => cols.swap(at, at - 1),
                "down" if at + 1 < cols.len() => cols.swap(at, at + 1),
                "remove" if at < cols.len() => {
                    cols.remove(at);
                }
                "add" => {
                    let p = f.get("add_property");
                    if !p.is_empty() {
                        cols.push(Column::of(&p));
                    }
                }
                "reset" => cols = default_columns(),
                "order" => {
                    // The drag-and-drop order: the old positions, comma-separated.
                    let order: Vec<usize> = f
                        .get("order")
                        .split(',')
                        .filter_map(|x| x.trim().parse().ok())
                        .collect();
                    let mut seen = BTreeSet::new();
                    if order.len() == cols.len()
                        && order.iter().all(|i| *i < cols.len() && seen.insert(*i))
                    {
                        cols = order.iter().map(|i| cols[*i].clone()).collect();
                    }
                }
                _ => {}
            }
            s.columns = cols;
        }
        "display" => {
            s.owner_display = match f.get("owner_display").as_str() {
                "full" => OwnerDisplay::FullName,
                "last" => OwnerDisplay::LastName,
                "alias" => OwnerDisplay::Alias,
                _ => OwnerDisplay::FirstName,
            };
            s.status_display = match f.get("status_display").as_str() {
                "stage_names" => StatusDisplay::StageNames,
                _ => StatusDisplay::OpenClosed,
            };
            // Absent (a form from before zones): the zone stays as it is.
            let zone = f.get("time_zone");
            if !zone.trim().is_empty() {
                s.time_zone = zone.trim().to_string();
            }
        }
        "actions" => {
            s.actions.reply_when_closed = f.on("reply_when_closed");
            s.actions.allow_close = f.on("allow_close");
            s.actions.customers_add_ccs = f.on("customers_add_ccs");
            s.actions.ccs_same_company = f.on("ccs_same_company");
            s.actions.private_by_default = f.on("private_by_default");
            s.actions.customers_choose_privacy = f.on("customers_choose_privacy");
            // Absent (a form from before the access log): the retention stays as it is; a
            // value that is no number fails validation with its field named.
            let days = f.get("access_log_days");
            if !days.trim().is_empty() {
                s.access_log_days = days.trim().parse().unwrap_or(0);
            }
            let mut stages = BTreeMap::new();
            for p in &cats.pipelines {
                if let Some(stage) = f.id(&format!("close_stage_{}", p.id.0)) {
                    stages.insert(p.id, StageId(stage));
                }
            }
            s.actions.close_stages = stages;
        }
        "access" => {
            apply_access(f, s);
            s.access.login_link = f.on("login_link");
            s.access.sso_create_contacts = f.on("sso_create_contacts");
            s.access.sso_sets_company = f.on("sso_sets_company");
        }
        "consent" => {
            s.consent.text = f.get("consent_text").trim().into();
            s.consent.checkbox_label = f.get("consent_label").trim().into();
            s.consent.links = parse_links(&f.get("consent_links"));
        }
        "form" => {
            s.support_form.enabled = f.on("form_enabled");
            s.support_form.menu_text = f.get("form_menu").trim().into();
            s.support_form.header_text = f.get("form_header").trim().into();
            s.support_form.inbox = f.id("form_inbox").map(InboxId);
            s.support_form.fields = f
                .get("form_fields")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let mut parts = l.split('|').map(str::trim);
                    let property = parts.next().unwrap_or("").to_string();
                    let label = parts.next().filter(|x| !x.is_empty()).map(str::to_string);
                    let required = parts
                        .next()
                        .is_some_and(|r| r.eq_ignore_ascii_case("required"));
                    FormField {
                        property,
                        label,
                        required,
                    }
                })
                .collect();
            s.branding.primary_color = f.get("primary_color").trim().into();
            s.branding.background_color = f.get("background_color").trim().into();
            s.branding.text_color = f.get("text_color").trim().into();
            s.branding.nav = parse_links(&f.get("nav_links"));
        }
        "translations" => {
            // One text per line: `language | field | text`.
            let mut t: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
            for (i, line) in f.get("translations").lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let mut parts = line.splitn(3, '|').map(str::trim);
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(lang), Some(field), Some(text))
                        if !lang.is_empty() && !field.is_empty() =>
                    {
                        t.entry(field.to_string())
                            .or_default()
                            .insert(lang.to_ascii_lowercase(), text.to_string());
                    }
                    _ => errors.push(FieldError {
                        field: "translations".into(),
                        code: "invalid".into(),
                        detail: format!("line {}: language | field | text", i + 1),
                    }),
                }
            }
            s.translations = t;
        }
        _ => return Err("unknown section"),
    }
    Ok(())
}

/// Who may enter (A1–A3): the fields the settings page and the wizard share.
pub(crate) fn apply_access(f: &Form, s: &mut PortalSettings) {
    let ids = |k: &str| -> BTreeSet<ListId> {
        f.all(k)
            .iter()
            .filter_map(|v| v.parse().ok())
            .map(ListId)
            .collect()
    };
    s.access.access_groups = ids("access_groups");
    s.access.self_registration = f.on("self_registration");
    s.access.password_login = f.on("password_login");
    s.access.sso = match f.get("sso").as_str() {
        "all" => SsoAccess::AllUsers,
        "lists" => SsoAccess::Lists(ids("sso_lists")),
        _ => SsoAccess::Off,
    };
}

/// The domain part of a form (P2, P3): a new domain with its language that becomes the
/// portal's, or a new primary language for the chosen domain. The core saves it with the
/// settings as one step.
pub(crate) fn domain_change(form: &Form, s: &PortalSettings) -> DomainChange {
    let host = form.get("new_host");
    let language = form.get("domain_language");
    if !host.trim().is_empty() {
        DomainChange::Add {
            host,
            language: form.get("new_language"),
        }
    } else if s.domain.is_some() && !language.trim().is_empty() {
        DomainChange::Language(language)
    } else {
        DomainChange::Keep
    }
}

/// The label a staff member knows a field by (the one next to it on the page), for a field
/// path the core reports (`actions.close_stages.3`: "Closed stage for Returns").
pub(crate) fn field_label(st: &AppState, lang: &str, cats: &Catalogs, field: &str) -> String {
    let t = |k: &str| st.i18n.get(lang, k).to_string();
    if let Some(id) = field.strip_prefix("actions.close_stages.") {
        let pipeline = cats
            .pipelines
            .iter()
            .find(|p| p.id.0.to_string() == id)
            .map_or_else(|| id.to_string(), |p| p.label.clone());
        return format!("{} {pipeline}", t("admin.settings.close_stage"));
    }
    const LABELS: [(&str, &str); 35] = [
        ("name", "admin.settings.name"),
        ("knowledge_base_url", "admin.settings.kb_url"),
        ("slug", "admin.settings.slug"),
        ("enabled", "admin.settings.enabled"),
        ("ticket_label.singular", "admin.settings.ticket_singular"),
        ("ticket_label.plural", "admin.settings.ticket_plural"),
        ("session.idle", "admin.settings.idle"),
        ("session.absolute_seconds", "admin.settings.absolute"),
        ("domain_language", "admin.settings.language"),
        ("domain", "admin.settings.domain"),
        ("default_inbox", "admin.settings.default_inbox"),
        (
            "mail_creates_contacts",
            "admin.settings.mail_creates_contacts",
        ),
        ("visibility.company_access", "admin.settings.filter_groups"),
        ("visibility.company_reply", "admin.settings.company_reply"),
        ("visibility.company_close", "admin.settings.company_close"),
        ("visibility.ticket_filter", "admin.settings.visibility"),
        ("columns", "admin.settings.columns"),
        ("owner_display", "admin.settings.owner_display"),
        ("status_display", "admin.settings.status_display"),
        ("time_zone", "admin.settings.time_zone"),
        ("access_log_days", "admin.settings.access_log_days"),
        ("actions", "admin.settings.actions"),
        ("access.access_groups", "admin.settings.access_groups"),
        ("access.sso", "admin.settings.sso"),
        ("access", "admin.settings.access"),
        ("consent.text", "admin.settings.consent_text"),
        ("consent.checkbox_label", "admin.settings.consent_label"),
        ("consent", "admin.settings.consent"),
        ("support_form.menu_text", "admin.settings.form_menu"),
        ("support_form.header_text", "admin.settings.form_header"),
        ("support_form.fields", "admin.settings.form_fields"),
        ("support_form", "admin.settings.form"),
        ("branding.nav", "admin.settings.nav"),
        ("translations", "admin.settings.translations"),
        ("branding", "admin.settings.branding"),
    ];
    LABELS
        .iter()
        .find(|(p, _)| field == *p || field.starts_with(&format!("{p}.")))
        .map_or_else(
            || t(&format!("admin.settings.{}", section_of(field))),
            |(_, k)| t(k),
        )
}

/// A problem as the page shows it: the field's label, the message in the visitor's
/// language, and (for a filter's text) the line it is on.
pub(crate) fn problem_text(st: &AppState, lang: &str, cats: &Catalogs, e: &FieldError) -> String {
    let mut text = format!(
        "{}: {}",
        field_label(st, lang, cats, &e.field),
        st.i18n.get(lang, &format!("field.{}", e.code))
    );
    if e.detail.starts_with("line ") {
        text.push_str(" (");
        text.push_str(&e.detail);
        text.push(')');
    }
    text
}

pub(crate) fn section_of(field: &str) -> &'static str {
    SECTIONS
        .iter()
        .find(|(_, prefixes)| {
            prefixes
                .iter()
                .any(|p| field == *p || field.starts_with(&format!("{p}.")))
        })
        .map_or("general", |(name, _)| name)
}

pub(crate) fn page_data(
    st: &AppState,
    p: &StaffPage,
    s: &PortalSettings,
    cats: &Catalogs,
    errors: &[FieldError],
    saved: Option<&str>,
) -> J {
    let t = |k: &str| st.i18n.get(p.lang, k).to_string();
    let mut by_section: BTreeMap<&str, Vec<J>> = BTreeMap::new();
    for e in errors {
        let text = problem_text(st, p.lang, cats, e);
        by_section
            .entry(section_of(&e.field))
            .or_default()
            .push(json!({ "field": e.field, "text": text, "detail": e.detail }));
    }
    let errs = |section: &str| by_section.get(section).cloned().unwrap_or_default();
    let right_mode = |cats: &Catalogs, r: Option<&CompanyAccess>| match r {
        None => json!({ "same": true, "none": false, "filtered": false, "filter": "" }),
        Some(CompanyAccess::Filtered(f)) => {
            json!({ "same": false, "none": false, "filtered": true, "filter": cats.filter_text(f) })
        }
        Some(_) => json!({ "same": false, "none": true, "filtered": false, "filter": "" }),
    };
    let (company_mode, company_filter) = match &s.visibility.company_access {
        CompanyAccess::OwnOnly => ("own", String::new()),
        CompanyAccess::AllContacts => ("all", String::new()),
        CompanyAccess::Filtered(f) => ("filtered", cats.filter_text(f)),
    };
    let columns: Vec<J> = s
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let def = cats.ticket_props.get(&c.property);
            json!({ "i": i, "property": c.property, "label": c.label.clone().unwrap_or_default(),
                    "default_label": def.map(|d| d.label.clone()).unwrap_or_default(),
                    "first": i == 0, "last": i + 1 == s.columns.len() })
        })
        .collect();
    let addable: Vec<J> = cats
        .ticket_props
        .defs
        .iter()
        .filter(|d| !s.columns.iter().any(|c| c.property == d.name))
        .map(|d| json!({ "name": d.name, "label": d.label }))
        .collect();
    let lists = |chosen: &BTreeSet<ListId>| -> Vec<J> {
        cats.lists
            .iter()
            .map(|l| json!({ "id": l.id.0, "name": l.name, "selected": chosen.contains(&l.id) }))
            .collect()
    };
    let sso_lists = match &s.access.sso {
        SsoAccess::Lists(l) => l.clone(),
        _ => BTreeSet::new(),
    };
    json!({
        "title": t("admin.settings.title"),
        "saved": saved.map(|_| t("admin.settings.saved")),
        "version": s.version,
        "errors": {
            "general": errs("general"), "domain": errs("domain"), "inbox": errs("inbox"),
            "permissions": errs("permissions"), "visibility": errs("visibility"),
            "columns": errs("columns"), "display": errs("display"), "actions": errs("actions"),
            "access": errs("access"), "consent": errs("consent"), "form": errs("form"), "translations": errs("translations"),
        },
        "s": {
            "name": s.name, "slug": s.slug, "enabled": s.enabled,
            "ticket_singular": s.ticket_label.singular, "ticket_plural": s.ticket_label.plural,
            "knowledge_base_link": s.knowledge_base_link,
            "knowledge_base_url": s.knowledge_base_url,
            "notify_with_reply_text": s.notify_with_reply_text,
            "idle": IdleTimeout::ALL.iter().map(|i| json!({ "seconds": i.seconds(), "minutes": i.seconds() / 60,
                        "selected": *i == s.session.idle })).collect::<Vec<_>>(),
            "absolute_hours": s.session.absolute_seconds / 3600,
            "domains": cats.domains.iter().map(|d| json!({ "id": d.id.0, "host": d.host, "language": d.language,
                        "selected": Some(d.id) == s.domain })).collect::<Vec<_>>(),
            "domain_languages": s.domain.and_then(|d| cats.domains.iter().find(|x| x.id == d)).map(|d| {
                st.i18n.tags().map(|l| json!({ "value": l, "label": st.i18n.get(l, "lang.name"),
                    "selected": d.language == *l })).collect::<Vec<_>>()
            }),
            "inboxes": cats.inboxes.iter().map(|i| json!({ "id": i.id.0, "name": i.name,
                        "selected": Some(i.id) == s.default_inbox,
                        "creates_contacts": s.mail_creates_contact(i.id),
                        "form_selected": Some(i.id) == s.support_form.inbox })).collect::<Vec<_>>(),
            "company_own": company_mode == "own", "company_all": company_mode == "all",
            "reply": right_mode(cats, s.visibility.company_reply.as_ref()),
            "close": right_mode(cats, s.visibility.company_close.as_ref()),
            "company_filtered": company_mode == "filtered", "company_filter": company_filter,
            "ticket_filter": s.visibility.ticket_filter.as_ref().map(|f| cats.filter_text(f)).unwrap_or_default(),
            "contact_props": cats.contact_props.defs.iter().map(|d| d.name.clone()).collect::<Vec<_>>().join(", "),
            "ticket_props": cats.ticket_props.defs.iter().map(|d| cats.property_help(&d.name)).collect::<Vec<_>>().join(", "),
            "columns": columns, "addable": addable, "can_add": s.columns.len() < portal_core::settings::MAX_COLUMNS,
            "owner": { "first": s.owner_display == OwnerDisplay::FirstName, "full": s.owner_display == OwnerDisplay::FullName,
                       "last": s.owner_display == OwnerDisplay::LastName, "alias": s.owner_display == OwnerDisplay::Alias },
            "agents": cats.agents.iter().map(|a| json!({ "name": format!("{} {}", a.first_name, a.last_name),
                        "alias": a.alias.clone().unwrap_or_default() })).collect::<Vec<_>>(),
            "stage_names": s.status_display == StatusDisplay::StageNames,
            "zones": portal_core::zone::zone_names().into_iter().map(|z| json!({ "name": z, "selected": z == s.time_zone })).collect::<Vec<_>>(),
            "reply_when_closed": s.actions.reply_when_closed, "allow_close": s.actions.allow_close,
            "customers_add_ccs": s.actions.customers_add_ccs, "ccs_same_company": s.actions.ccs_same_company,
            "access_log_days": s.access_log_days,
            "private_by_default": s.actions.private_by_default, "customers_choose_privacy": s.actions.customers_choose_privacy,
            "pipelines": cats.pipelines.iter().map(|pl| json!({ "id": pl.id.0, "label": pl.label,
                        "stages": pl.stages.iter().filter(|st| st.closed).map(|st| json!({ "id": st.id.0, "label": st.label,
                            "selected": s.actions.close_stages.get(&pl.id) == Some(&st.id) })).collect::<Vec<_>>() })).collect::<Vec<_>>(),
            "access_groups": lists(&s.access.access_groups), "sso_lists": lists(&sso_lists),
            "self_registration": s.access.self_registration, "password_login": s.access.password_login,
            "login_link": s.access.login_link,
            "sso_off": s.access.sso == SsoAccess::Off, "sso_all": s.access.sso == SsoAccess::AllUsers,
            "sso_by_list": matches!(s.access.sso, SsoAccess::Lists(_)),
            "sso_create_contacts": s.access.sso_create_contacts, "sso_sets_company": s.access.sso_sets_company,
            "consent_text": s.consent.text, "consent_label": s.consent.checkbox_label,
            "consent_links": links_text(&s.consent.links),
            "form_enabled": s.support_form.enabled, "form_menu": s.support_form.menu_text,
            "form_header": s.support_form.header_text,
            "translations": s.translations.iter().flat_map(|(field, by)| by.iter().map(move |(lang, text)| format!("{lang} | {field} | {text}"))).collect::<Vec<_>>().join("\n"),
            "translatable": portal_core::settings::TRANSLATABLE.join(", "),
            "form_fields": s.support_form.fields.iter().map(|f| format!("{} | {} | {}", f.property,
                        f.label.clone().unwrap_or_default(), if f.required { "required" } else { "optional" }))
                        .collect::<Vec<_>>().join("\n"),
            "primary_color": s.branding.primary_color, "background_color": s.branding.background_color,
            "text_color": s.branding.text_color, "nav_links": links_text(&s.branding.nav),
            "logo": s.branding.logo.is_some(), "favicon": s.branding.favicon.is_some(),
        },
    })
}

pub(crate) async fn show(
    req: HttpRequest,
    st: St,
    Allowed(p, member, _): Allowed<Settings>,
) -> HttpResponse {
    let (settings, cats) = match st.admin.settings_for(member.actor()).await {
        Ok((s, c)) => (s, Catalogs(c)),
        Err(e) => return error_page(&st, &p, &e),
    };
    let saved = crate::render::params(&req).get("saved").cloned();
    let data = page_data(&st, &p, &settings, &cats, &[], saved.as_deref());
    render(&st, &p, StatusCode::OK, "admin_settings", data)
}

pub(crate) async fn save(
    st: St,
    Allowed(p, member, _): Allowed<Settings>,
    section: web::Path<String>,
    form: FormPairs,
) -> HttpResponse {
    let form = Form(form.into_inner());
    if let Err(e) = check(&p, Some(form.get("csrf").as_str())) {
        return HttpResponse::from_error(e);
    }
    let (current, cats) = match st.admin.settings_for(member.actor()).await {
        Ok((s, c)) => (s, Catalogs(c)),
        Err(e) => return error_page(&st, &p, &e),
    };
    let mut candidate = current.clone();
    // Optimistic concurrency: the version the page was rendered from.
    if let Ok(v) = form.get("version").parse::<u64>() {
        candidate.version = v;
    }
    let mut errors = Vec::new();
    if apply(&section, &form, &mut candidate, &cats, &mut errors).is_err() {
        return error_page(&st, &p, &Error::NotFound);
    }
    let change = if section.as_str() == "domain" {
        domain_change(&form, &candidate)
    } else {
        DomainChange::Keep
    };
    if errors.is_empty() {
        match st
            .admin
            .update_settings_and_domain(member.actor(), candidate.clone(), change)
            .await
        {
            Ok(_) => {
                st.invalidate();
                return see_other(&format!("/admin/settings?saved={section}#{section}"));
            }
            Err(Error::Invalid(list)) => errors = list,
            Err(e) => return error_page(&st, &p, &e),
        }
    }
    let data = page_data(&st, &p, &candidate, &cats, &errors, None);
    render(
        &st,
        &p,
        StatusCode::UNPROCESSABLE_ENTITY,
        "admin_settings",
        data,
    )
}

/// Uploads (or with `remove` clears) the logo or the favicon (P12): checked by its bytes,
/// stored in the blob store, the settings saved through the core (audited) with the form's
/// version, the old image deleted only after the save.
pub(crate) async fn upload_branding(
    st: St,
    Allowed(p, member, _): Allowed<Settings>,
    which: web::Path<String>,
    mp: actix_multipart::Multipart,
) -> HttpResponse {
    let which = which.into_inner();
    let Some(slot) = BrandingSlot::parse(&which) else {
        return error_page(&st, &p, &Error::NotFound);
    };
    let limits = portal_core::actions::UploadLimits {
        max_files: 1,
        max_file_bytes: MAX_BRANDING_BYTES,
        max_total_bytes: MAX_BRANDING_BYTES,
    };
    let up = match crate::upload::read_multipart(mp, limits).await {
        Ok(u) => u,
        Err(crate::upload::UploadError::Refused(refused)) => {
            return error_page(&st, &p, &Error::UploadRefused(refused.reason));
        }
        Err(crate::upload::UploadError::Invalid(e)) => return error_page(&st, &p, &e),
        Err(crate::upload::UploadError::Malformed(e)) => {
            tracing::info!(error = %e, "malformed upload");
            return error_page(
                &st,
                &p,
                &Error::invalid(&which, "invalid_image", "not a form upload"),
            );
        }
    };
    if let Err(e) = check(&p, up.fields.get("csrf").map(String::as_str)) {
        return HttpResponse::from_error(e);
    }
    let remove = up.fields.get("remove").is_some_and(|v| v == "1");
    let image = if remove {
        None
    } else {
        let bytes = up
            .files
            .into_iter()
            .map(|(_, b)| b)
            .find(|b| !b.is_empty())
            .unwrap_or_default();
        let content_type = crate::format::sniff(&bytes);
        Some((bytes, content_type))
    };
    let version = up.fields.get("version").and_then(|v| v.parse::<u64>().ok());
    match st
        .admin
        .set_branding_image(member.actor(), slot, image, version)
        .await
    {
        Ok(_) => {
            st.invalidate();
            see_other("/admin/settings?saved=form#form")
        }
        Err(e) => error_page(&st, &p, &e),
    }
}
