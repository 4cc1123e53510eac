//! The records portal works with: ids, contacts, companies, lists, pipelines, inboxes,
//! tickets, threads, messages, attachments, agents and domains (REQUIREMENTS U3).
//!
//! Plain data: no behaviour beyond small derived facts. The rules live in the sibling
//! modules and take these records as arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type! {
    /// A contact: a person at a customer company.
    ContactId;
    /// A customer company.
    CompanyId;
    /// A list of contacts; the portal uses lists as access groups (A1, A3).
    ListId;
    /// A ticket pipeline.
    PipelineId;
    /// A stage of a pipeline.
    StageId;
    /// An inbox (or help desk) that receives tickets (P4).
    InboxId;
    /// A support ticket.
    TicketId;
    /// A conversation thread on a ticket.
    ThreadId;
    /// One message of a thread.
    MessageId;
    /// A file attached to a message.
    AttachmentId;
    /// A member of the support team.
    AgentId;
    /// A domain the instance serves (P2, P3).
    DomainId;
    /// A portal login (a contact's account).
    AccountId;
}

/// A point in time: milliseconds since the Unix epoch, UTC. The core never reads a clock;
/// times come in through [`crate::ports::Clock`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// This time plus `seconds` seconds (saturating).
    pub fn plus_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds.saturating_mul(1000)))
    }

    /// Whole seconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).div_euclid(1000)
    }
}

/// The value of a property: what filters compare and columns show.
///
/// Ids (pipeline, stage, owner, company, …) are `Number`s. Dates are [`Timestamp`]s.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Free or enumerated text.
    Text(String),
    /// A whole number (also used for record ids).
    Number(i64),
    /// A point in time.
    Date(Timestamp),
}

impl Value {
    /// The kind of this value.
    pub fn kind(&self) -> ValueKind {
        match self {
            Value::Text(_) => ValueKind::Text,
            Value::Number(_) => ValueKind::Number,
            Value::Date(_) => ValueKind::Date,
        }
    }

    /// Text shorthand.
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => f.write_str(s),
            Value::Number(n) => n.fmt(f),
            Value::Date(t) => t.0.fmt(f),
        }
    }
}

/// The kind of a [`Value`] (and of a property definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Text.
    Text,
    /// Whole numbers and record ids.
    Number,
    /// Points in time.
    Date,
}

/// Custom properties of a contact or ticket, by internal property name.
pub type Properties = BTreeMap<String, Value>;

/// A customer company (U3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// Its id.
    pub id: CompanyId,
    /// Display name.
    pub name: String,
    /// Web domain, used to match SSO organisations.
    pub domain: Option<String>,
}

/// A contact (U3): a person who may use the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// Primary email address.
    pub email: String,
    /// Where registration-related emails go (A4); the primary email when unset.
    pub membership_email: Option<String>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The primary company, whose tickets the contact may see (V2, V3).
    pub primary_company: Option<CompanyId>,
    /// Preferred language tag (N1), e.g. `de`.
    pub language: Option<String>,
    /// Custom properties (V3 filters read them).
    pub properties: Properties,
    /// The companies the contact belongs to besides (or, with settings, including) the
    /// primary one (C2), each with what staff and the company's portal admins set for it.
    #[serde(default)]
    pub memberships: Vec<Membership>,
}

/// What a contact may do with one company's tickets (V2, V3 per right; C2, C5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompanyRights {
    /// See the company's tickets (list, search, export, page, files).
    pub see: bool,
    /// Answer them.
    pub reply: bool,
    /// Close them.
    pub close: bool,
}

impl CompanyRights {
    /// Every right.
    pub const ALL: CompanyRights = CompanyRights {
        see: true,
        reply: true,
        close: true,
    };
    /// No right.
    pub const NONE: CompanyRights = CompanyRights {
        see: false,
        reply: false,
        close: false,
    };

    /// The rights both allow; replying and closing need seeing.
    pub fn and(self, other: CompanyRights) -> CompanyRights {
        let see = self.see && other.see;
        CompanyRights {
            see,
            reply: see && self.reply && other.reply,
            close: see && self.close && other.close,
        }
    }
}

/// A contact's membership of a company (C2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The company.
    pub company: CompanyId,
    /// What staff granted for this membership; `None` follows the portal's rule (V2, V3).
    #[serde(default)]
    pub granted: Option<CompanyRights>,
    /// The limit the company's portal admins set for this colleague (C5), within what the
    /// grant or the rule allows; `None`: no limit.
    #[serde(default)]
    pub limited: Option<CompanyRights>,
}

impl Membership {
    /// A membership that follows the portal's rule.
    pub fn of(company: CompanyId) -> Membership {
        Membership {
            company,
            granted: None,
            limited: None,
        }
    }
}

impl Contact {
    /// Every company the contact belongs to, the primary first (C2), with its settings.
    pub fn companies(&self) -> Vec<Membership> {
        let mut out: Vec<Membership> = Vec::with_capacity(1 + self.memberships.len());
        if let Some(p) = self.primary_company {
            out.push(
                self.memberships
                    .iter()
                    .find(|m| m.company == p)
                    .cloned()
                    .unwrap_or_else(|| Membership::of(p)),
            );
        }
        for m in &self.memberships {
            if !out.iter().any(|o| o.company == m.company) {
                out.push(m.clone());
            }
        }
        out
    }

    /// Whether the contact belongs to `company`, as its primary company or a further one
    /// (C2): who counts as the company's people.
    pub fn belongs_to(&self, company: CompanyId) -> bool {
        self.primary_company == Some(company)
            || self.memberships.iter().any(|m| m.company == company)
    }

    /// Whether the contact and `other` belong to one company at least (colleagues, C2).
    pub fn shares_a_company_with(&self, other: &Contact) -> bool {
        self.companies().iter().any(|m| other.belongs_to(m.company))
    }

    /// The contact's membership of `company`, if it belongs to it.
    pub fn membership(&self, company: CompanyId) -> Option<Membership> {
        self.companies().into_iter().find(|m| m.company == company)
    }

    /// The address for registration-related emails (A4).
    pub fn membership_address(&self) -> &str {
        self.membership_email.as_deref().unwrap_or(&self.email)
    }

    /// "First Last", trimmed.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// A list of contacts, used as an access group (A1) or SSO allow-list (A3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactList {
    /// Its id.
    pub id: ListId,
    /// Display name.
    pub name: String,
}

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Its id.
    pub id: StageId,
    /// Display name (shown when the status display shows stage names, P9).
    pub label: String,
    /// Whether a ticket in this stage is closed.
    pub closed: bool,
}

/// A ticket pipeline: ordered stages, each open or closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    /// Its id.
    pub id: PipelineId,
    /// Display name.
    pub label: String,
    /// The stages in their display order.
    pub stages: Vec<Stage>,
}

impl Pipeline {
    /// The stage with this id, when it belongs to this pipeline.
    pub fn stage(&self, id: StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The closed stages, in order.
    pub fn closed_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| s.closed)
    }

    /// The first open stage: where new tickets start.
    pub fn first_open_stage(&self) -> Option<&Stage> {
        self.stages.iter().find(|s| !s.closed)
    }
}

/// An inbox (or help desk) where tickets arrive (P4, U1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// Its id.
    pub id: InboxId,
    /// Display name.
    pub name: String,
    /// The pipeline new tickets from this inbox start in.
    pub pipeline: PipelineId,
}

/// A member of the support team (P8 shows their name as the ticket owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// Its id.
    pub id: AgentId,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The name customers see when the owner display is "alias" (P8).
    pub alias: Option<String>,
    /// Login email.
    pub email: String,
}

/// What a staff member may do (P14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Answers tickets and manages records; holds the portal-settings permission too.
    Admin,
    /// Answers tickets and manages records; may not change the portal settings.
    Agent,
}

impl StaffRole {
    /// Its stable name (`admin`, `agent`).
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Agent => "agent",
        }
    }

    /// From its stable name.
    pub fn parse(s: &str) -> Option<StaffRole> {
        match s {
            "admin" => Some(StaffRole::Admin),
            "agent" => Some(StaffRole::Agent),
            _ => None,
        }
    }
}

/// A domain the instance serves, with its primary language (P2, P3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Its id.
    pub id: DomainId,
    /// Host name, e.g. `support.example.com`.
    pub host: String,
    /// Primary language tag, e.g. `da`.
    pub language: String,
}

/// Open or closed: derived from the stage of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// In an open stage.
    Open,
    /// In a closed stage.
    Closed,
}

impl TicketStatus {
    /// The property value of this status (`open`/`closed`).
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Closed => "closed",
        }
    }
}

/// A support ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Its id.
    pub id: TicketId,
    /// Subject line.
    pub subject: String,
    /// Pipeline.
    pub pipeline: PipelineId,
    /// Current stage (a stage of `pipeline`).
    pub stage: StageId,
    /// Whether `stage` is a closed stage; kept in step with `stage` by every write.
    pub status: TicketStatus,
    /// The agent who owns it.
    pub owner: Option<AgentId>,
    /// The inbox it arrived in.
    pub inbox: Option<InboxId>,
    /// The contact who asked ("Requested by", P7).
    pub requester: Option<ContactId>,
    /// Associated contacts (V1).
    pub contacts: BTreeSet<ContactId>,
    /// Associated companies (V2).
    pub companies: BTreeSet<CompanyId>,
    /// Private (C5): only its requester and participants see it; company access (V2, V3)
    /// does not reach it.
    #[serde(default)]
    pub private: bool,
    /// Custom properties.
    pub properties: Properties,
    /// Creation time.
    pub created_at: Timestamp,
    /// Time of the last message or change.
    pub last_activity_at: Timestamp,
}

/// Whether a message is visible to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageVisibility {
    /// A reply the customer sees.
    Public,
    /// An internal note or comment: never shown in the portal (V6).
    Internal,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Author {
    /// A customer, through the portal or email.
    Contact(ContactId),
    /// A member of the support team.
    Agent(AgentId),
    /// The system itself (e.g. an automatic message).
    System,
}

/// The way a ticket or a message came in (issue 17: staff see it in the inbox and on the
/// ticket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A customer in the portal.
    #[default]
    Portal,
    /// A mail to one of the inboxes' mailboxes (or an answer to a notification).
    Email,
    /// The JSON API (a staff token).
    Api,
    /// An agent in the staff inbox.
    Inbox,
    /// `portal import`.
    Import,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 5] = [
        Channel::Portal,
        Channel::Email,
        Channel::Api,
        Channel::Inbox,
        Channel::Import,
    ];

    /// Its stored and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Email => "email",
            Channel::Api => "api",
            Channel::Inbox => "inbox",
            Channel::Import => "import",
        }
    }

    /// The channel of a stored name (unknown names read as the portal).
    pub fn parse(s: &str) -> Channel {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .unwrap_or_default()
    }
}

/// How a ticket came in: the way its first message did (the lowest message id of all its
/// threads); a ticket without messages was opened by an agent, in the inbox.
pub fn first_channel(threads: &[Thread]) -> Channel {
    threads
        .iter()
        .flat_map(|t| &t.messages)
        .min_by_key(|m| m.id)
        .map_or(Channel::Inbox, |m| m.channel)
}

/// Metadata of an attached file; the bytes live in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Its id.
    pub id: AttachmentId,
    /// The file name the uploader gave (shown, never used as a path).
    pub file_name: String,
    /// Content type, detected from the bytes.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Key in the blob store.
    pub blob_key: String,
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: MessageId,
    /// The thread it belongs to.
    pub thread: ThreadId,
    /// Who wrote it.
    pub author: Author,
    /// Public reply or internal note.
    pub visibility: MessageVisibility,
    /// The body as sanitized HTML.
    pub body: String,
    /// When it was written.
    pub created_at: Timestamp,
    /// Attached files.
    pub attachments: Vec<Attachment>,
    /// How it came in.
    #[serde(default)]
    pub channel: Channel,
}

/// A conversation on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// Its id.
    pub id: ThreadId,
    /// The ticket it is associated with.
    pub ticket: TicketId,
    /// The inbox it lives in.
    pub inbox: InboxId,
    /// When it started.
    pub created_at: Timestamp,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}

/// What happened on a contact's or ticket's timeline (U2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// The contact it concerns.
    pub contact: ContactId,
    /// The ticket it concerns.
    pub ticket: TicketId,
    /// What happened.
    pub kind: TimelineKind,
    /// When.
    pub at: Timestamp,
}

/// Kinds of timeline events (U2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineKind {
    /// The contact filed the ticket through the portal.
    TicketSubmitted,
    /// The contact replied through the portal.
    PortalReply {
        /// The message written.
        message: MessageId,
    },
    /// The contact closed the ticket through the portal.
    TicketClosed,
    /// The contact filed the ticket by email.
    MailTicket,
    /// The contact replied by email.
    MailReply {
        /// The message written.
        message: MessageId,
    },
    /// The contact copied another in on the ticket (C1).
    CcAdded {
        /// Who was added.
        participant: ContactId,
    },
    /// The contact took a participant off the ticket, or left it (C1).
    CcRemoved {
        /// Who was taken off.
        participant: ContactId,
    },
    /// The contact made the ticket private, or shared it with the company again (C5).
    PrivacyChanged {
        /// Whether the ticket is private now.
        private: bool,
    },
    /// The contact handed the ticket over (C3): `to` is its requester now.
    HandedOver {
        /// The new requester.
        to: ContactId,
        /// Whether the contact stayed on the ticket as a participant.
        stayed: bool,
    },
}

/// Parses a form value for a property of `kind`: text trimmed, whole numbers, and dates as
/// `YYYY-MM-DD` (midnight UTC). Empty input is `Ok(None)`.
pub fn parse_value(kind: ValueKind, raw: &str) -> Result<Option<Value>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match kind {
        ValueKind::Text => Ok(Some(Value::text(raw))),
        ValueKind::Number => raw
            .parse::<i64>()
            .map(|n| Some(Value::Number(n)))
            .map_err(|_| "invalid_number"),
        ValueKind::Date => parse_date(raw)
            .map(|t| Some(Value::Date(t)))
            .ok_or("invalid_date"),
    }
}

/// `YYYY-MM-DD` as midnight UTC (years 1–9999; calendar arithmetic by the `time` crate).
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let mut parts = s.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&y) {
        return None;
    }
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    Some(Timestamp(
        date.midnight().assume_utc().unix_timestamp() * 1000,
    ))
}

/// A timestamp's calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second.
    pub second: u8,
}

impl Timestamp {
    /// Its calendar date and time of day in UTC, the one conversion every date shown or
    /// written uses (the `time` crate's). Instants beyond the years ±9999 are shown as the
    /// nearest representable one.
    pub fn civil(self) -> CivilTime {
        let secs = self.0.div_euclid(1000);
        let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(if secs < 0 {
            time::PrimitiveDateTime::MIN.assume_utc()
        } else {
            time::PrimitiveDateTime::MAX.assume_utc()
        });
        CivilTime {
            year: t.year(),
            month: u8::from(t.month()),
            day: t.day(),
            hour: t.hour(),
            minute: t.minute(),
            second: t.second(),
        }
    }
}

/// Whether `c` may appear in text sent to portal (SECURITY: input is text, not bytes):
/// everything but the C0 control characters (NUL among them) and DEL, except tab, line
/// feed and carriage return. One rule for every backend: PostgreSQL cannot store NUL and
/// SQLite can, so without it the two would disagree.
pub fn allowed_in_text(c: char) -> bool {
    !(c <= '\u{1f}' || c == '\u{7f}') || matches!(c, '\t' | '\n' | '\r')
}
