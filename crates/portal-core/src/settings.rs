//! The portal settings an admin shapes (P1–P13, A1–A3, A5) and their validation.
//!
//! [`PortalSettings::validate`] is the one gate every change passes through: it returns all
//! problems at once, each with the field it concerns, so a form can show them next to the
//! fields.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::access::{AccessSettings, SessionPolicy, SsoAccess};
use crate::actions::ActionSettings;
use crate::model::{
    Agent, ContactList, Domain, DomainId, Inbox, InboxId, Pipeline, Ticket, TicketStatus,
};
use crate::property::{PropertyCatalog, ticket_props};
use crate::visibility::{CompanyAccess, VisibilitySettings};

/// At most this many columns in the ticket list (P7).
pub const MAX_COLUMNS: usize = 10;

/// Slugs that would collide with the instance's own routes.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin",
    "api",
    "healthz",
    "readyz",
    "metrics",
    "static",
    "assets",
    "sso",
    "favicon.ico",
];

/// What "Tickets" is called in this portal (P6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLabel {
    /// e.g. "Case".
    pub singular: String,
    /// e.g. "Cases".
    pub plural: String,
}

impl Default for TicketLabel {
    fn default() -> Self {
        TicketLabel {
            singular: "Ticket".into(),
            plural: "Tickets".into(),
        }
    }
}

/// One column of the ticket list (P7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The ticket property shown.
    pub property: String,
    /// The admin's label; the property's (translated) label when unset.
    pub label: Option<String>,
}

impl Column {
    /// A column with the property's own label.
    pub fn of(property: &str) -> Column {
        Column {
            property: property.into(),
            label: None,
        }
    }
}

/// The recommended columns: Subject, Requested by, Create date, Ticket owner, Last activity
/// date, Status (P7).
pub fn default_columns() -> Vec<Column> {
    use ticket_props::*;
    [
        SUBJECT,
        REQUESTED_BY,
        CREATED_AT,
        OWNER,
        LAST_ACTIVITY_AT,
        STATUS,
    ]
    .into_iter()
    .map(Column::of)
    .collect()
}

/// How the ticket owner's name shows (P8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerDisplay {
    /// First name (the default).
    #[default]
    FirstName,
    /// First and last name.
    FullName,
    /// Last name.
    LastName,
    /// The agent's alias (first name where none is set).
    Alias,
}

/// The owner's name as customers see it (P8).
pub fn owner_name(agent: &Agent, mode: OwnerDisplay) -> String {
    match mode {
        OwnerDisplay::FirstName => agent.first_name.clone(),
        OwnerDisplay::LastName => agent.last_name.clone(),
        OwnerDisplay::FullName => format!("{} {}", agent.first_name, agent.last_name)
            .trim()
            .to_string(),
        OwnerDisplay::Alias => agent
            .alias
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or(&agent.first_name)
            .to_string(),
    }
}

/// How the status shows (P9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusDisplay {
    /// Open or Closed (the default).
    #[default]
    OpenClosed,
    /// The pipeline stage's name.
    StageNames,
}

/// The status of a ticket as shown (P9): a status to translate, or a stage name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum StatusLabel {
    /// Open or Closed (translated by the portal).
    Status(TicketStatus),
    /// A stage name, shown as the admin wrote it.
    Stage(String),
}

/// The status label of `ticket` under `mode`; falls back to open/closed when the stage is
/// unknown.
pub fn status_label(ticket: &Ticket, pipelines: &[Pipeline], mode: StatusDisplay) -> StatusLabel {
    let stage = || {
        pipelines
            .iter()
            .find(|p| p.id == ticket.pipeline)?
            .stage(ticket.stage)
            .map(|s| s.label.clone())
    };
    match mode {
        StatusDisplay::StageNames => {
            stage().map_or(StatusLabel::Status(ticket.status), StatusLabel::Stage)
        }
        StatusDisplay::OpenClosed => StatusLabel::Status(ticket.status),
    }
}

/// A link (legal resources, navigation menu).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The text shown.
    pub label: String,
    /// Absolute `http(s)://` URL or a path starting with `/`.
    pub url: String,
}

/// The consent-to-process notice on the registration page (A2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentNotice {
    /// The notice.
    pub text: String,
    /// The checkbox label.
    pub checkbox_label: String,
    /// Links to legal resources.
    pub links: Vec<Link>,
}

impl Default for ConsentNotice {
    fn default() -> Self {
        ConsentNotice {
            text: "We process your personal data to answer your support requests.".into(),
            checkbox_label: "I agree to the processing of my data.".into(),
            links: Vec::new(),
        }
    }
}

/// One extra field of the support form: a custom ticket property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// The ticket property it fills.
    pub property: String,
    /// The label; the property's label when unset.
    pub label: Option<String>,
    /// Whether it must be filled.
    pub required: bool,
}

/// The connected support form (P12, T7). It always asks for a subject and a description;
/// `fields` adds custom ticket properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportForm {
    /// Whether the form is connected.
    pub enabled: bool,
    /// The navigation link text.
    pub menu_text: String,
    /// The text at the top of the form.
    pub header_text: String,
    /// The inbox its tickets go to; the default inbox when unset.
    pub inbox: Option<InboxId>,
    /// Extra fields.
    pub fields: Vec<FormField>,
}

impl Default for SupportForm {
    fn default() -> Self {
        SupportForm {
            enabled: true,
            menu_text: "File a support ticket".into(),
            header_text: "How can we help?".into(),
            inbox: None,
            fields: Vec::new(),
        }
    }
}

/// Logo, favicon, colours and navigation (P10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    /// Blob key of the logo.
    pub logo: Option<String>,
    /// Blob key of the favicon.
    pub favicon: Option<String>,
    /// Primary colour, `#rrggbb`.
    pub primary_color: String,
    /// Background colour, `#rrggbb`.
    pub background_color: String,
    /// Text colour, `#rrggbb`.
    pub text_color: String,
    /// Extra navigation links.
    pub nav: Vec<Link>,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            logo: None,
            favicon: None,
            primary_color: "#1d4ed8".into(),
            background_color: "#ffffff".into(),
            text_color: "#111827".into(),
            nav: Vec::new(),
        }
    }
}

/// The largest logo or favicon (P12).
pub const MAX_BRANDING_BYTES: u64 = 1024 * 1024;

/// The content types a logo or favicon may have, as told by its bytes (never SVG, which can
/// carry script).
pub const BRANDING_IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/x-icon",
];

/// Pages whose template the admin may choose or edit (P10, P11).
pub const TEMPLATE_PAGES: &[&str] = &[
    "ticket_list",
    "ticket_detail",
    "register",
    "login",
    "logout",
    "access_denied",
    "reset_request",
    "reset_set",
];

/// Mails whose template the admin may override, per language (N1).
pub const MAIL_TEMPLATES: &[&str] = &[
    "registration",
    "email_confirmation",
    "password_reset",
    "login_link",
    "reply_notification",
];

/// The admin-entered texts that may be given per language (N1), besides `property.{name}`
/// (a ticket property's label) and `column.{property}` (a column's label).
pub const TRANSLATABLE: &[&str] = &[
    "support_form.menu_text",
    "support_form.header_text",
    "consent.text",
    "consent.checkbox_label",
];

/// Whether `field` names a text that may be given per language, with `props` the ticket
/// properties.
pub fn is_translatable(field: &str, props: &PropertyCatalog) -> bool {
    TRANSLATABLE.contains(&field)
        || field
            .strip_prefix("property.")
            .or_else(|| field.strip_prefix("column."))
            .is_some_and(|name| props.get(name).is_some())
}

/// The languages portal is built with (N1).
pub const LANGUAGES: &[&str] = &["en", "de", "nl", "da", "fi"];

/// The languages the portal speaks (N1, issue 18): the built-in ones and those an operator
/// adds as catalogues without a rebuild. Every rule that accepts a language asks this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages(std::sync::Arc<[String]>);

impl Default for Languages {
    fn default() -> Self {
        Languages::new(LANGUAGES.iter().copied())
    }
}

impl Languages {
    /// These tags, in this order (duplicates dropped).
    pub fn new<S: Into<String>>(tags: impl IntoIterator<Item = S>) -> Languages {
        let mut list: Vec<String> = Vec::new();
        for tag in tags {
            let tag = tag.into();
            if !list.contains(&tag) {
                list.push(tag);
            }
        }
        Languages(list.into())
    }

    /// Whether the portal speaks `tag`.
    pub fn contains(&self, tag: &str) -> bool {
        self.0.iter().any(|l| l == tag)
    }

    /// The tags, built-in ones first.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The tags as a list for an error message.
    pub fn joined(&self) -> String {
        self.0.join(", ")
    }
}

/// The language a mail to a person is written in (N1, P3): the one their account chose,
/// else their contact record's, else the primary language of the portal's domain, else
/// English.
pub fn mail_language(
    account: Option<&str>,
    contact: Option<&str>,
    domain_language: Option<&str>,
) -> String {
    account
        .or(contact)
        .or(domain_language)
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_string()
}

impl PortalSettings {
    /// Whether customers may file tickets through the support form (P12, T7): every page
    /// that links to the form, and the form itself, ask this.
    pub fn support_form_open(&self) -> bool {
        self.support_form.enabled && self.default_inbox.or(self.support_form.inbox).is_some()
    }

    /// An admin-entered text in `lang` (N1): its translation when the admin gave one, else
    /// `entered`.
    pub fn text<'a>(&'a self, field: &str, lang: &str, entered: &'a str) -> &'a str {
        if self.translations.is_empty() {
            return entered;
        }
        self.translations
            .get(field)
            .and_then(|by| by.get(lang))
            .map_or(entered, String::as_str)
    }

    /// Whether the admin gave `field` a text in `lang`.
    pub fn has_text(&self, field: &str, lang: &str) -> bool {
        self.translations
            .get(field)
            .is_some_and(|by| by.contains_key(lang))
    }

    /// The primary language of the portal's domain (P3), when it has one.
    pub fn domain_language<'d>(&self, domains: &'d [Domain]) -> Option<&'d str> {
        let d = self.domain?;
        domains
            .iter()
            .find(|x| x.id == d)
            .map(|x| x.language.as_str())
    }
}

/// Whether `key` names an overridable template: a page of [`TEMPLATE_PAGES`], or
/// `mail.{kind}.{language}` for a mail of [`MAIL_TEMPLATES`] in one of `languages`.
pub fn is_template_key(key: &str, languages: &Languages) -> bool {
    if TEMPLATE_PAGES.contains(&key) {
        return true;
    }
    let mut parts = key.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("mail"), Some(kind), Some(lang), None)
            if MAIL_TEMPLATES.contains(&kind) && languages.contains(lang)
    )
}

/// Every portal setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSettings {
    /// Bumped by every saved change (optimistic concurrency).
    pub version: u64,
    /// On/off (P5).
    pub enabled: bool,
    /// Whether the portal has been switched on once (P5): until then, admins are led into
    /// the set-up wizard.
    #[serde(default)]
    pub set_up: bool,
    /// Portal name: the browser-tab title (P1).
    pub name: String,
    /// Domain (P2, P3).
    pub domain: Option<DomainId>,
    /// Path under the domain (P2).
    pub slug: String,
    /// Inbox for new tickets and first replies (P4).
    pub default_inbox: Option<InboxId>,
    /// "Tickets" renamed (P6).
    pub ticket_label: TicketLabel,
    /// List columns (P7).
    pub columns: Vec<Column>,
    /// Owner display (P8).
    pub owner_display: OwnerDisplay,
    /// Status display (P9).
    pub status_display: StatusDisplay,
    /// Visibility (V2–V5).
    pub visibility: VisibilitySettings,
    /// Ticket actions (T4, T5).
    pub actions: ActionSettings,
    /// Access control (A1–A3).
    pub access: AccessSettings,
    /// Consent notice (A2).
    pub consent: ConsentNotice,
    /// Session timeouts (A5).
    pub session: SessionPolicy,
    /// Support form (P12).
    pub support_form: SupportForm,
    /// Knowledge-base link (P13): when on, the portal's navigation links to the knowledge
    /// base at [`PortalSettings::knowledge_base_url`].
    pub knowledge_base_link: bool,
    /// The knowledge base's address (P13), `http(s)://…` or a path on this host.
    #[serde(default)]
    pub knowledge_base_url: String,
    /// Admin-entered texts in other languages (N1): field (see [`is_translatable`]) →
    /// language → text. A field without a text in the visitor's language shows as entered.
    #[serde(default)]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
    /// Branding (P10).
    pub branding: Branding,
    /// Chosen or edited templates by page name (P10, P11); built-in when absent.
    pub templates: BTreeMap<String, String>,
    /// Whether reply notifications include the reply text.
    pub notify_with_reply_text: bool,
    /// Inboxes where a mail from an address no contact has creates that contact (issue
    /// 17); elsewhere such a mail waits in the quarantine.
    #[serde(default)]
    pub mail_creates_contacts: Vec<InboxId>,
    /// The portal's time zone (issue 18), an IANA name: times are shown in it to staff and
    /// to customers who chose none.
    #[serde(default = "default_zone")]
    pub time_zone: String,
    /// Days the organisation's access log keeps its entries (C4).
    #[serde(default = "default_access_log_days")]
    pub access_log_days: u32,
}

fn default_zone() -> String {
    crate::zone::DEFAULT_ZONE.to_string()
}

fn default_access_log_days() -> u32 {
    crate::organisation::DEFAULT_RETENTION_DAYS
}

impl Default for PortalSettings {
    fn default() -> Self {
        PortalSettings {
            version: 0,
            enabled: false,
            set_up: false,
            name: "Customer portal".into(),
            domain: None,
            slug: "portal".into(),
            default_inbox: None,
            ticket_label: TicketLabel::default(),
            columns: default_columns(),
            owner_display: OwnerDisplay::default(),
            status_display: StatusDisplay::default(),
            visibility: VisibilitySettings::default(),
            actions: ActionSettings::default(),
            access: AccessSettings::default(),
            consent: ConsentNotice::default(),
            session: SessionPolicy::default(),
            support_form: SupportForm::default(),
            knowledge_base_link: false,
            knowledge_base_url: String::new(),
            translations: BTreeMap::new(),
            branding: Branding::default(),
            templates: BTreeMap::new(),
            mail_creates_contacts: Vec::new(),
            time_zone: default_zone(),
            access_log_days: default_access_log_days(),
            notify_with_reply_text: true,
        }
    }
}

pub use crate::error::FieldError;

/// What the settings may refer to.
#[derive(Debug, Clone, Copy)]
pub struct SettingsContext<'a> {
    /// The languages the portal speaks.
    pub languages: &'a Languages,
    /// Ticket properties (columns, V5 filters, form fields).
    pub ticket_props: &'a PropertyCatalog,
    /// Contact properties (V3 filters).
    pub contact_props: &'a PropertyCatalog,
    /// Pipelines (closed stages).
    pub pipelines: &'a [Pipeline],
    /// Inboxes.
    pub inboxes: &'a [Inbox],
    /// Domains.
    pub domains: &'a [Domain],
    /// Contact lists (access groups, SSO lists).
    pub lists: &'a [ContactList],
}

/// The part of a visibility filter that the inbox alone settles: criteria on the pipeline,
/// stage, inbox and status; the others depend on what the customer enters (checked when a
/// ticket is filed) and count as met here.
fn filed_part(f: &crate::filter::Filter) -> crate::filter::Filter {
    const FIXED: [&str; 4] = [
        ticket_props::PIPELINE,
        ticket_props::STAGE,
        ticket_props::INBOX,
        ticket_props::STATUS,
    ];
    crate::filter::Filter {
        groups: f
            .groups
            .iter()
            .map(|g| crate::filter::FilterGroup {
                criteria: g
                    .criteria
                    .iter()
                    .filter(|c| FIXED.contains(&c.property.as_str()))
                    .cloned()
                    .collect(),
            })
            .collect(),
    }
}

impl PortalSettings {
    /// The portal's address (P2): `{scheme}://{domain}/{slug}` on the domain the admin chose,
    /// else under the instance's base address. Every mail and absolute link uses it.
    pub fn address(&self, domains: &[Domain], base_url: &str) -> String {
        let base = base_url.trim_end_matches('/');
        match self.domain.and_then(|d| domains.iter().find(|x| x.id == d)) {
            Some(d) => {
                // The scheme and port of the instance's address, the chosen host.
                let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
                let authority = rest.split('/').next().unwrap_or("");
                let port = authority
                    .rsplit_once(':')
                    .map(|(_, p)| p)
                    .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                match port {
                    Some(port) => format!("{scheme}://{}:{port}/{}", d.host, self.slug),
                    None => format!("{scheme}://{}/{}", d.host, self.slug),
                }
            }
            None => format!("{base}/{}", self.slug),
        }
    }
}

/// A ticket as the portal files it into `inbox` (its pipeline's first open stage, no
/// properties yet), for checking it against the visibility filter.
pub fn filed_ticket_probe(inbox: &Inbox, pipelines: &[Pipeline]) -> Option<crate::model::Ticket> {
    let pipeline = pipelines.iter().find(|p| p.id == inbox.pipeline)?;
    let stage = pipeline.first_open_stage()?;
    Some(crate::model::Ticket {
        id: crate::model::TicketId(0),
        subject: String::new(),
        pipeline: pipeline.id,
        stage: stage.id,
        status: crate::model::TicketStatus::Open,
        owner: None,
        inbox: Some(inbox.id),
        requester: None,
        contacts: BTreeSet::new(),
        companies: BTreeSet::new(),
        private: false,
        properties: Default::default(),
        created_at: crate::model::Timestamp(0),
        last_activity_at: crate::model::Timestamp(0),
    })
}

/// Checks a slug (P2): 1–63 characters of `a-z`, `0-9` and `-`, not starting or ending with
/// `-`, and not a reserved route.
pub fn check_slug(slug: &str) -> Result<(), &'static str> {
    let ok_chars = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if slug.is_empty() {
        Err("required")
    } else if slug.len() > 63 {
        Err("too_long")
    } else if !ok_chars || slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        Err("invalid_slug")
    } else if RESERVED_SLUGS.contains(&slug) {
        Err("reserved")
    } else {
        Ok(())
    }
}

/// Whether `s` is a colour `#rrggbb`.
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `url` is a safe link target: `http(s)://…` or a path starting with a single `/`.
pub fn is_safe_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let no_ws = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    no_ws
        && (lower.starts_with("https://")
            || lower.starts_with("http://")
            || (url.starts_with('/') && !url.starts_with("//")))
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, code: &str, detail: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.into(),
            detail: detail.into(),
        });
    }

    fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "required", "must not be empty");
        } else if value.chars().count() > max {
            self.add(field, "too_long", format!("at most {max} characters"));
        }
    }

    fn links(&mut self, field: &str, links: &[Link]) {
        for (i, l) in links.iter().enumerate() {
            self.text(&format!("{field}.{i}.label"), &l.label, 80);
            if !is_safe_link(&l.url) {
                self.add(
                    format!("{field}.{i}.url"),
                    "invalid_url",
                    "must start with https://, http:// or /",
                );
            }
        }
    }
}

impl PortalSettings {
    /// Whether a mail from an unknown address to `inbox` creates its contact (issue 17).
    pub fn mail_creates_contact(&self, inbox: InboxId) -> bool {
        self.mail_creates_contacts.contains(&inbox)
    }

    /// Whether copying an address nobody has onto `ticket` creates that contact (C1): when
    /// customers may copy in anyone (not only colleagues) and the ticket's inbox creates
    /// contacts from unknown senders (issue 17), as the person's first emailed answer would.
    pub fn cc_creates_contact(&self, ticket: &crate::model::Ticket) -> bool {
        self.actions.customers_add_ccs
            && !self.actions.ccs_same_company
            && ticket.inbox.is_some_and(|i| self.mail_creates_contact(i))
    }

    /// Every problem with these settings, or `Ok`.
    pub fn validate(&self, ctx: &SettingsContext<'_>) -> Result<(), Vec<FieldError>> {
        let mut e = Errors(Vec::new());
        e.text("name", &self.name, 100);
        if let Err(code) = check_slug(&self.slug) {
            e.add("slug", code, "1–63 characters a-z, 0-9 and -, not reserved");
        }
        if let Some(d) = self.domain
            && !ctx.domains.iter().any(|x| x.id == d)
        {
            e.add("domain", "unknown", format!("no domain {d}"));
        }
        match self.default_inbox {
            Some(i) if !ctx.inboxes.iter().any(|x| x.id == i) => {
                e.add("default_inbox", "unknown", format!("no inbox {i}"))
            }
            None if self.enabled => e.add(
                "default_inbox",
                "required",
                "the portal needs a default inbox before it is switched on",
            ),
            _ => {}
        }
        // A ticket filed through the portal must show in its customer's portal (V5):
        // neither the default inbox nor the support form's inbox may file tickets the
        // ticket visibility filter hides.
        let mut filing = vec![("default_inbox", self.default_inbox)];
        if self.support_form.enabled {
            filing.push(("support_form.inbox", self.support_form.inbox));
        }
        for (field, inbox) in filing {
            if let Some(inbox) = inbox.and_then(|i| ctx.inboxes.iter().find(|x| x.id == i))
                && let Some(probe) = filed_ticket_probe(inbox, ctx.pipelines)
                && self
                    .visibility
                    .ticket_filter
                    .as_ref()
                    .is_some_and(|f| !filed_part(f).matches(&probe))
            {
                e.add(
                    field,
                    "hidden_by_ticket_filter",
                    format!(
                        "tickets filed into inbox `{}` would be hidden from their customer by the ticket visibility filter",
                        inbox.name
                    ),
                );
            }
        }
        for i in &self.mail_creates_contacts {
            if !ctx.inboxes.iter().any(|x| x.id == *i) {
                e.add("mail_creates_contacts", "unknown", format!("no inbox {i}"));
            }
        }
        if crate::zone::Zone::named(&self.time_zone).is_none() {
            e.add(
                "time_zone",
                "unknown_zone",
                format!("no time zone `{}`", self.time_zone),
            );
        }
        if !(1..=crate::organisation::MAX_RETENTION_DAYS).contains(&self.access_log_days) {
            e.add(
                "access_log_days",
                "out_of_range",
                format!(
                    "the access log keeps entries 1 to {} days",
                    crate::organisation::MAX_RETENTION_DAYS
                ),
            );
        }
        e.text("ticket_label.singular", &self.ticket_label.singular, 40);
        e.text("ticket_label.plural", &self.ticket_label.plural, 40);
        self.validate_columns(ctx, &mut e);
        self.validate_visibility(ctx, &mut e);
        self.validate_actions(ctx, &mut e);
        self.validate_access(ctx, &mut e);
        self.validate_form(ctx, &mut e);
        let secs = self.session.absolute_seconds;
        if !(3600..=30 * 24 * 3600).contains(&secs) {
            e.add(
                "session.absolute_seconds",
                "out_of_range",
                "between 1 hour and 30 days",
            );
        } else if secs < self.session.idle.seconds() {
            e.add(
                "session.absolute_seconds",
                "out_of_range",
                "must not be shorter than the idle timeout",
            );
        }
        let b = &self.branding;
        for (field, c) in [
            ("branding.primary_color", &b.primary_color),
            ("branding.background_color", &b.background_color),
            ("branding.text_color", &b.text_color),
        ] {
            if !is_hex_color(c) {
                e.add(field, "invalid_color", "a colour like #1d4ed8");
            }
        }
        e.links("branding.nav", &b.nav);
        for (field, by_language) in &self.translations {
            let at = format!("translations.{field}");
            if !is_translatable(field, ctx.ticket_props) {
                e.add(&at, "unknown", "not a text that can be translated");
            }
            for (lang, text) in by_language {
                if !ctx.languages.contains(lang) {
                    e.add(&at, "invalid_option", ctx.languages.joined());
                }
                e.text(&at, text, 2000);
            }
        }
        let kb = self.knowledge_base_url.trim();
        if self.knowledge_base_link && kb.is_empty() {
            e.add(
                "knowledge_base_url",
                "required",
                "the knowledge base's address, for the link",
            );
        } else if !kb.is_empty() && (!is_safe_link(kb) || kb.len() > 2000) {
            e.add(
                "knowledge_base_url",
                "invalid_url",
                "must start with https://, http:// or /",
            );
        }
        for (page, source) in &self.templates {
            if !is_template_key(page, ctx.languages) {
                e.add(
                    format!("templates.{page}"),
                    "unknown",
                    "not a page or mail with a template",
                );
            } else if source.len() > 100_000 {
                e.add(
                    format!("templates.{page}"),
                    "too_long",
                    "at most 100,000 bytes",
                );
            }
        }
        if e.0.is_empty() { Ok(()) } else { Err(e.0) }
    }

    fn validate_columns(&self, ctx: &SettingsContext<'_>, e: &mut Errors) {
        if self.columns.is_empty() {
            e.add("columns", "required", "at least one column");
        }
        if self.columns.len() > MAX_COLUMNS {
            e.add(
                "columns",
                "too_many",
                format!("at most {MAX_COLUMNS} columns"),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, c) in self.columns.iter().enumerate() {
            if ctx.ticket_props.get(&c.property).is_none() {
                e.add(
                    format!("columns.{i}.property"),
                    "unknown_property",
                    format!("no ticket property `{}`", c.property),
                );
            } else if !seen.insert(c.property.as_str()) {
                e.add(
                    format!("columns.{i}.property"),
                    "duplicate",
                    "each property once",
                );
            }
            if let Some(label) = &c.label {
                e.text(&format!("columns.{i}.label"), label, 60);
            }
        }
    }

    fn validate_visibility(&self, ctx: &SettingsContext<'_>, e: &mut Errors) {
        if let CompanyAccess::Filtered(f) = &self.visibility.company_access {
            for (at, msg) in f.problems(ctx.contact_props) {
                e.add(
                    format!("visibility.company_access.{at}"),
                    "invalid_filter",
                    msg,
                );
            }
        }
        if let Some(f) = &self.visibility.ticket_filter {
            for (at, msg) in f.problems(ctx.ticket_props) {
                e.add(
                    format!("visibility.ticket_filter.{at}"),
                    "invalid_filter",
                    msg,
                );
            }
        }
    }

    fn validate_actions(&self, ctx: &SettingsContext<'_>, e: &mut Errors) {
        for (pipeline, stage) in &self.actions.close_stages {
            let field = format!("actions.close_stages.{pipeline}");
            match ctx.pipelines.iter().find(|p| p.id == *pipeline) {
                None => e.add(field, "unknown", format!("no pipeline {pipeline}")),
                Some(p) if !p.stage(*stage).is_some_and(|s| s.closed) => e.add(
                    field,
                    "not_closed_stage",
                    format!("stage {stage} is not a closed stage of this pipeline"),
                ),
                Some(_) => {}
            }
        }
    }

    fn validate_access(&self, ctx: &SettingsContext<'_>, e: &mut Errors) {
        let known = |l: &crate::model::ListId| ctx.lists.iter().any(|x| x.id == *l);
        for l in &self.access.access_groups {
            if !known(l) {
                e.add("access.access_groups", "unknown", format!("no list {l}"));
            }
        }
        if let SsoAccess::Lists(lists) = &self.access.sso {
            if lists.is_empty() {
                e.add("access.sso", "required", "choose at least one list");
            }
            for l in lists.iter().filter(|l| !known(l)) {
                e.add("access.sso", "unknown", format!("no list {l}"));
            }
        }
        let password_way = self.access.password_login
            && (self.access.self_registration || !self.access.access_groups.is_empty());
        if self.enabled && !password_way && self.access.sso == SsoAccess::Off {
            e.add(
                "access",
                "no_way_in",
                "with these settings nobody can log in to the portal",
            );
        }
        if self.access.self_registration {
            e.text("consent.text", &self.consent.text, 5000);
            e.text("consent.checkbox_label", &self.consent.checkbox_label, 300);
        }
        e.links("consent.links", &self.consent.links);
    }

    fn validate_form(&self, ctx: &SettingsContext<'_>, e: &mut Errors) {
        let f = &self.support_form;
        if !f.enabled {
            return;
        }
        e.text("support_form.menu_text", &f.menu_text, 80);
        e.text("support_form.header_text", &f.header_text, 2000);
        if let Some(i) = f.inbox
            && !ctx.inboxes.iter().any(|x| x.id == i)
        {
            e.add("support_form.inbox", "unknown", format!("no inbox {i}"));
        }
        let mut seen = BTreeSet::new();
        for (i, field) in f.fields.iter().enumerate() {
            let at = format!("support_form.fields.{i}.property");
            match ctx.ticket_props.get(&field.property) {
                None => e.add(at, "unknown_property", format!("no ticket property `{}`", field.property)),
                Some(d) if d.builtin => e.add(
                    at,
                    "builtin_property",
                    "subject and description are always asked; other built-ins are set by the help desk",
                ),
                Some(_) if !seen.insert(field.property.as_str()) => {
                    e.add(at, "duplicate", "each property once")
                }
                Some(_) => {}
            }
        }
    }
}
