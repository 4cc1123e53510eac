//! The ports: what the core needs from the world, as traits with documented contracts.
//!
//! Every implementation MUST pass the contract suites in `portal-testkit` (the in-memory
//! adapter, SQLite and PostgreSQL run the very same suites). Each trait says what its
//! implementations must guarantee; "MUST" statements are tested there.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::error::PortResult;
use crate::model::{
    AccountId, Agent, AgentId, Attachment, AttachmentId, Author, Company, CompanyId, Contact,
    ContactId, ContactList, Domain, Inbox, InboxId, ListId, Message, MessageId, MessageVisibility,
    Pipeline, PipelineId, Properties, StaffRole, Stage, StageId, Thread, ThreadId, Ticket,
    TicketId, TicketStatus, TimelineEvent, Timestamp,
};
use crate::property::{ObjectKind, PropertyDef};
use crate::query::{TicketPage, TicketQuery};
use crate::settings::PortalSettings;
use crate::visibility::Scope;

/// A new ticket, with its first message when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    /// Subject.
    pub subject: String,
    /// Pipeline.
    pub pipeline: PipelineId,
    /// Stage (of `pipeline`).
    pub stage: StageId,
    /// Open or closed, matching `stage`.
    pub status: TicketStatus,
    /// Inbox.
    pub inbox: Option<InboxId>,
    /// Requesting contact.
    pub requester: Option<ContactId>,
    /// Associated contacts.
    pub contacts: BTreeSet<ContactId>,
    /// Associated companies.
    pub companies: BTreeSet<CompanyId>,
    /// Private (C5): company access does not reach it.
    pub private: bool,
    /// Custom properties.
    pub properties: Properties,
    /// Owner.
    pub owner: Option<crate::model::AgentId>,
    /// Creation time (also the first last-activity time).
    pub created_at: Timestamp,
    /// The first message, written in a new thread of `inbox` in the same transaction.
    pub first_message: Option<NewMessageBody>,
}

/// A file to attach: its metadata; the bytes are already in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// The uploader's file name.
    pub file_name: String,
    /// Content type detected from the bytes.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Blob store key.
    pub blob_key: String,
}

/// The content of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessageBody {
    /// Author.
    pub author: Author,
    /// Public or internal.
    pub visibility: MessageVisibility,
    /// Sanitized HTML.
    pub body: String,
    /// Attached files.
    pub attachments: Vec<NewAttachment>,
    /// The stored inbound mail this message is made from (issue 17): the store marks that
    /// mail taken in the same transaction and writes nothing when it is no longer pending,
    /// so a mail becomes a message at most once.
    pub mail_in: Option<i64>,
    /// How it came in (a new ticket's channel is its first message's).
    pub channel: crate::model::Channel,
}

/// Where a new message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadTarget {
    /// An existing thread of the ticket.
    Existing(ThreadId),
    /// A new thread in this inbox (P4: the first customer reply on a ticket without one).
    New(InboxId),
}

/// A new message on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The ticket.
    pub ticket: TicketId,
    /// The thread.
    pub thread: ThreadTarget,
    /// The content.
    pub content: NewMessageBody,
    /// When it was written.
    pub at: Timestamp,
    /// Mails the message causes (reply notifications), queued due at `at` in the same
    /// transaction as the message.
    pub mails: Vec<OutgoingMail>,
}

pub use crate::query::{InboxQuery, OwnerFilter};

/// Tickets, their threads and attachments.
#[async_trait]
pub trait TicketRepository: Send + Sync {
    /// The staff inbox (U1, unscoped): tickets meeting `query`, most recent activity first
    /// (ties by id, descending), at most `query.limit`.
    async fn inbox(&self, query: &InboxQuery) -> PortResult<Vec<Ticket>>;

    /// Gives a ticket to an agent (or to nobody) and moves its last activity to `at`.
    /// MUST return `NotFound` for a missing ticket.
    async fn set_owner(
        &self,
        id: TicketId,
        owner: Option<AgentId>,
        at: Timestamp,
    ) -> PortResult<()>;

    /// One page of the tickets `scope` admits that meet `query`, in the query's order,
    /// starting after its cursor. MUST agree exactly with
    /// [`crate::query::reference_page`]; MUST NOT load tickets outside the scope.
    async fn list(&self, scope: &Scope, query: &TicketQuery) -> PortResult<TicketPage>;

    /// How many tickets `scope` admits that meet `query` (cursor and limit ignored).
    async fn count(&self, scope: &Scope, query: &TicketQuery) -> PortResult<u64>;

    /// `min(count, cap)`: what a list page shows ("1,000+"). Adapters SHOULD answer it in
    /// time proportional to `cap`, not to the size of the scope.
    async fn count_up_to(&self, scope: &Scope, query: &TicketQuery, cap: u64) -> PortResult<u64> {
        Ok(self.count(scope, query).await?.min(cap))
    }

    /// A page and `min(count, cap)` together: what a list page shows. Adapters MAY answer
    /// both in one round trip; the answer MUST equal `list` and `count_up_to`.
    async fn list_counted(
        &self,
        scope: &Scope,
        query: &TicketQuery,
        cap: u64,
    ) -> PortResult<(TicketPage, u64)> {
        let page = self.list(scope, query).await?;
        let n = self.count_up_to(scope, query, cap).await?;
        Ok((page, n))
    }

    /// Those of `among` who requested at least one ticket `scope` admits (the names a
    /// viewer may be shown in the "Requested by" filter). MUST NOT answer for a contact
    /// whose requested tickets all lie outside the scope.
    async fn requesters_within(
        &self,
        scope: &Scope,
        among: &[ContactId],
    ) -> PortResult<BTreeSet<ContactId>>;

    /// The ticket, when `scope` admits it. MUST return `None` (never an error) for a ticket
    /// that exists outside the scope, exactly as for one that does not exist (V7).
    async fn find(&self, scope: &Scope, id: TicketId) -> PortResult<Option<Ticket>>;

    /// The ticket, unscoped (staff side only).
    async fn get(&self, id: TicketId) -> PortResult<Option<Ticket>>;

    /// Every ticket associated with the contact or with the company, private ones (C5)
    /// too (unscoped, staff side: explain-access), most recent activity first, at most
    /// `limit`.
    async fn related(
        &self,
        contact: ContactId,
        company: Option<CompanyId>,
        limit: usize,
    ) -> PortResult<Vec<Ticket>>;

    /// The threads of a ticket with all their messages (internal ones too), oldest first.
    async fn threads(&self, ticket: TicketId) -> PortResult<Vec<Thread>>;

    /// How each of `tickets` came in: [`crate::model::first_channel`] of its threads (a
    /// store may answer all at once). Tickets that do not exist are left out.
    async fn channels(
        &self,
        tickets: &[TicketId],
    ) -> PortResult<std::collections::BTreeMap<TicketId, crate::model::Channel>> {
        let mut out = std::collections::BTreeMap::new();
        for t in tickets {
            if self.get(*t).await?.is_some() {
                out.insert(*t, crate::model::first_channel(&self.threads(*t).await?));
            }
        }
        Ok(out)
    }

    /// The ticket's oldest thread (the conversation the customer sees, V6), if any.
    /// Adapters SHOULD answer without loading messages: replies ask it every time.
    async fn oldest_thread(&self, ticket: TicketId) -> PortResult<Option<ThreadId>> {
        Ok(crate::visibility::customer_thread(&self.threads(ticket).await?).map(|t| t.id))
    }

    /// Writes a ticket (and its first thread and message) atomically; returns it with its
    /// new id.
    async fn create(&self, new: NewTicket) -> PortResult<Ticket>;

    /// Writes a message, its mails to the outbox, and moves the ticket's last activity to
    /// `at`, atomically. MUST return `NotFound` when the ticket or the existing thread is
    /// missing or the thread belongs to another ticket, and write nothing then. A new thread
    /// in inbox `I` on a ticket without an inbox makes `I` the ticket's inbox (P4).
    async fn add_message(&self, new: NewMessage) -> PortResult<Message>;

    /// Moves a ticket to a stage (with its status) and its last activity to `at`.
    /// MUST return `NotFound` for a missing ticket.
    async fn move_to_stage(
        &self,
        id: TicketId,
        stage: StageId,
        status: TicketStatus,
        at: Timestamp,
    ) -> PortResult<()>;

    /// Replaces a ticket's requester and associated contacts (CCs, C1; a hand-over, C3) and
    /// moves its last activity to `at`: lists, counts, searches and `find` see the new
    /// people at once, and a contact taken off no longer sees the ticket through it. MUST
    /// return `NotFound` for a missing ticket and write nothing then.
    async fn set_people(
        &self,
        id: TicketId,
        requester: Option<ContactId>,
        contacts: BTreeSet<ContactId>,
        at: Timestamp,
    ) -> PortResult<()>;

    /// Makes a ticket private or shares it with its companies again (C5) and moves its last
    /// activity to `at`: from then on company access (a scope's company) reaches it exactly
    /// when it is not private, in lists, counts, searches and `find` alike. MUST return
    /// `NotFound` for a missing ticket and write nothing then.
    async fn set_private(&self, id: TicketId, private: bool, at: Timestamp) -> PortResult<()>;

    /// An attachment's metadata and the ticket and message visibility it belongs to.
    async fn attachment(&self, id: AttachmentId) -> PortResult<Option<(TicketId, Attachment)>>;

    /// Replaces a ticket's subject and custom properties and moves its last activity to
    /// `at`; searches and filters see the new values at once. MUST return `NotFound` for a
    /// missing ticket and write nothing then.
    async fn update_ticket(
        &self,
        id: TicketId,
        subject: &str,
        properties: &Properties,
        at: Timestamp,
    ) -> PortResult<()>;

    /// Replaces the body of one message of the ticket (searches see a public message's new
    /// text). MUST return `NotFound` when the message is not one of this ticket's, and write
    /// nothing then.
    async fn update_message(
        &self,
        ticket: TicketId,
        message: MessageId,
        body: &str,
    ) -> PortResult<()>;
}

/// One page of records (contacts or companies) in id order, for the staff's record pages
/// and the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordQuery {
    /// Only records whose name or email (contacts) or name or domain (companies) contains
    /// this text, compared case-insensitively (ASCII letters at least).
    pub search: Option<String>,
    /// Only contacts who belong to this company, as primary or further company (ignored for
    /// companies).
    pub company: Option<CompanyId>,
    /// Only records with a greater id (the keyset cursor).
    pub after: Option<i64>,
    /// At most this many.
    pub limit: usize,
}

/// A new contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// Primary email (unique, case-insensitive).
    pub email: String,
    /// Membership email (A4).
    pub membership_email: Option<String>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Primary company.
    pub primary_company: Option<CompanyId>,
    /// Preferred language.
    pub language: Option<String>,
    /// Custom properties.
    pub properties: Properties,
}

/// Contacts, companies and lists (U3).
#[async_trait]
pub trait Directory: Send + Sync {
    /// A contact by id.
    async fn contact(&self, id: ContactId) -> PortResult<Option<Contact>>;
    /// A contact by primary email, compared case-insensitively.
    async fn contact_by_email(&self, email: &str) -> PortResult<Option<Contact>>;
    /// Creates a contact. MUST return `Conflict` for an email already used (any case).
    async fn create_contact(&self, new: NewContact) -> PortResult<Contact>;
    /// Replaces a contact's fields. MUST return `NotFound` for an unknown id and `Conflict`
    /// when the email is another contact's.
    async fn update_contact(&self, contact: &Contact) -> PortResult<()>;
    /// The contacts who belong to `company`, as their primary company or a further one (C2),
    /// by id.
    async fn company_contacts(&self, company: CompanyId) -> PortResult<Vec<Contact>>;
    /// A company by id.
    async fn company(&self, id: CompanyId) -> PortResult<Option<Company>>;
    /// The company whose name or web domain is `key`, compared case-insensitively (the
    /// lowest id when several match).
    async fn company_by_name_or_domain(&self, key: &str) -> PortResult<Option<Company>>;
    /// Creates a company.
    async fn create_company(&self, name: &str, domain: Option<&str>) -> PortResult<Company>;
    /// The record an import made of `kind` (`company`, `contact`, `ticket`, `message`) for
    /// the other system's `external_id`, if it made one.
    async fn imported(&self, kind: &str, external_id: &str) -> PortResult<Option<i64>>;
    /// Remembers that the record of `kind` for `external_id` is `id` (replacing what was
    /// remembered before).
    async fn remember_import(&self, kind: &str, external_id: &str, id: i64) -> PortResult<()>;
    /// All lists, by id.
    async fn lists(&self) -> PortResult<Vec<ContactList>>;
    /// Creates a list.
    async fn create_list(&self, name: &str) -> PortResult<ContactList>;
    /// Adds a member; adding twice is not an error. MUST return `NotFound` for an unknown
    /// list or contact.
    async fn add_member(&self, list: ListId, contact: ContactId) -> PortResult<()>;
    /// Removes a member; removing a non-member is not an error.
    async fn remove_member(&self, list: ListId, contact: ContactId) -> PortResult<()>;
    /// The members of a list, by id.
    async fn members(&self, list: ListId) -> PortResult<Vec<ContactId>>;
    /// The lists a contact is on.
    async fn memberships(&self, contact: ContactId) -> PortResult<BTreeSet<ListId>>;
    /// Contacts meeting `query`, by id.
    async fn contacts(&self, query: &RecordQuery) -> PortResult<Vec<Contact>>;
    /// Companies meeting `query`, by id.
    async fn companies(&self, query: &RecordQuery) -> PortResult<Vec<Company>>;
    /// Replaces a company's name and domain. MUST return `NotFound` for an unknown id.
    async fn update_company(&self, company: &Company) -> PortResult<()>;
    /// Renames a list. MUST return `NotFound` for an unknown id.
    async fn rename_list(&self, list: ListId, name: &str) -> PortResult<()>;
}

/// A new stage of a new pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStage {
    /// Label.
    pub label: String,
    /// Closed stage?
    pub closed: bool,
}

/// The help desk's own records: pipelines, inboxes, agents, domains, property definitions.
#[async_trait]
pub trait HelpDeskCatalog: Send + Sync {
    /// All pipelines with their stages in order, by id.
    async fn pipelines(&self) -> PortResult<Vec<Pipeline>>;
    /// Creates a pipeline with its stages in this order.
    async fn create_pipeline(&self, label: &str, stages: Vec<NewStage>) -> PortResult<Pipeline>;
    /// All inboxes, by id.
    async fn inboxes(&self) -> PortResult<Vec<Inbox>>;
    /// Creates an inbox. MUST return `NotFound` for an unknown pipeline.
    async fn create_inbox(&self, name: &str, pipeline: PipelineId) -> PortResult<Inbox>;
    /// All agents, by id.
    async fn agents(&self) -> PortResult<Vec<Agent>>;
    /// Creates an agent (the id in `agent` is ignored). MUST return `Conflict` for an email
    /// already used.
    async fn create_agent(&self, agent: Agent) -> PortResult<Agent>;
    /// All domains, by id.
    async fn domains(&self) -> PortResult<Vec<Domain>>;
    /// Creates a domain. MUST return `Conflict` for a host already known.
    async fn create_domain(&self, host: &str, language: &str) -> PortResult<Domain>;
    /// Updates a domain's host and language (P3). MUST return `NotFound` for an unknown id.
    async fn update_domain(&self, domain: &Domain) -> PortResult<()>;
    /// The custom property definitions of one kind of record.
    async fn property_defs(&self, object: ObjectKind) -> PortResult<Vec<PropertyDef>>;
    /// Defines a custom property. MUST return `Conflict` for a name already defined for
    /// that kind of record.
    async fn define_property(&self, object: ObjectKind, def: PropertyDef) -> PortResult<()>;
    /// Appends a stage to a pipeline. MUST return `NotFound` for an unknown pipeline.
    async fn add_stage(&self, pipeline: PipelineId, stage: NewStage) -> PortResult<Stage>;
    /// Replaces an agent's names, alias and email. MUST return `NotFound` for an unknown id
    /// and `Conflict` when the email is another agent's.
    async fn update_agent(&self, agent: &Agent) -> PortResult<()>;
}

/// The portal settings.
#[async_trait]
pub trait SettingsRepository: Send + Sync {
    /// The current settings; [`PortalSettings::default`] when none were ever saved.
    async fn load(&self) -> PortResult<PortalSettings>;
    /// Saves `settings` when the stored version is `settings.version`, storing and returning
    /// them with the version bumped by one. MUST return `Conflict` (and write nothing) when
    /// the stored version differs.
    async fn save(&self, settings: &PortalSettings) -> PortResult<PortalSettings>;
    /// Proves the store takes writes now by committing one small write (and, where the
    /// store is a file, that its disk has room). MUST return `Unavailable` with the reason
    /// when it cannot (full, read-only, gone).
    async fn check_writable(&self) -> PortResult<()>;
    /// How the store serves reads when part of them go to a read replica (whether it is in
    /// use, or why not), for the readiness answer; `None` when there is no replica.
    fn read_replica_note(&self) -> Option<String> {
        None
    }
    /// The installation's secret called `name`, shared by every server: the stored one, or
    /// `candidate` stored now when there is none yet. MUST return the same value to every
    /// caller, however many ask at once.
    async fn server_key(&self, name: &str, candidate: String) -> PortResult<String>;
}

/// The consent a self-registered contact gave (A2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The exact notice text shown.
    pub text: String,
    /// When it was given.
    pub at: Timestamp,
}

/// A portal login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// The contact it belongs to (one account per contact).
    pub contact: ContactId,
    /// Login email, stored lower-cased.
    pub email: String,
    /// Password hash (PHC string); `None` until a password is set.
    pub password_hash: Option<String>,
    /// Disabled accounts never enter and have no sessions.
    pub enabled: bool,
    /// Whether the email address is confirmed.
    pub email_confirmed: bool,
    /// Chosen language (N1).
    pub language: Option<String>,
    /// Chosen time zone, an IANA name (issue 18); the portal's when `None`.
    pub time_zone: Option<String>,
    /// Consent to processing (A2).
    pub consent: Option<Consent>,
    /// Creation time.
    pub created_at: Timestamp,
}

/// Portal accounts.
#[async_trait]
pub trait AccountRepository: Send + Sync {
    /// Creates an account (the id is ignored). MUST return `Conflict` when the email (any
    /// case) or the contact already has an account.
    async fn create(&self, account: Account) -> PortResult<Account>;
    /// An account by login email, compared case-insensitively.
    async fn by_email(&self, email: &str) -> PortResult<Option<Account>>;
    /// An account by id.
    async fn by_id(&self, id: AccountId) -> PortResult<Option<Account>>;
    /// The account of a contact.
    async fn by_contact(&self, contact: ContactId) -> PortResult<Option<Account>>;
    /// Replaces an account's fields. MUST return `NotFound` for an unknown id.
    async fn update(&self, account: &Account) -> PortResult<()>;
}

/// A staff member's login (P14: the role decides the portal-settings permission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLogin {
    /// The agent.
    pub agent: Agent,
    /// Admin or agent.
    pub role: StaffRole,
    /// Password hash (PHC string).
    pub password_hash: String,
    /// Disabled logins never enter.
    pub enabled: bool,
}

/// Staff logins, separate from customer accounts.
#[async_trait]
pub trait StaffStore: Send + Sync {
    /// The login of the agent with this email, compared case-insensitively.
    async fn staff_by_email(&self, email: &str) -> PortResult<Option<StaffLogin>>;
    /// The login of an agent.
    async fn staff_by_agent(&self, agent: AgentId) -> PortResult<Option<StaffLogin>>;
    /// Sets or replaces an agent's login. MUST return `NotFound` for an unknown agent.
    async fn set_staff_login(
        &self,
        agent: AgentId,
        role: StaffRole,
        password_hash: &str,
        enabled: bool,
    ) -> PortResult<()>;
    /// Stores an API token (the id is ignored) and returns it with its id. MUST return
    /// `Conflict` for a hash already stored and `NotFound` for an unknown agent.
    async fn create_api_token(&self, token: ApiToken) -> PortResult<ApiToken>;
    /// The token with this hash.
    async fn api_token(&self, token_hash: &str) -> PortResult<Option<ApiToken>>;
    /// An agent's tokens, by id.
    async fn api_tokens(&self, agent: AgentId) -> PortResult<Vec<ApiToken>>;
    /// Deletes one of an agent's tokens. MUST return `NotFound` when `id` is not a token of
    /// `agent` (another agent's token is left alone).
    async fn revoke_api_token(&self, agent: AgentId, id: i64) -> PortResult<()>;
}

/// Failed logins, counted where every server sees them (SECURITY rule 4).
#[async_trait]
pub trait LoginAttempts: Send + Sync {
    /// Records a failed login for `key` at `at`.
    async fn record_failure(&self, key: &str, at: Timestamp) -> PortResult<()>;
    /// How many failures `key` has had at or after `since`, and the latest of them. MUST
    /// count the failures every process recorded.
    async fn failures_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> PortResult<(u32, Option<Timestamp>)>;
    /// Forgets every failure of `key` (after a successful login).
    async fn clear(&self, key: &str) -> PortResult<()>;
}

/// A staff API token (`Authorization: Bearer`), acting as its agent with the agent's role.
/// Only the SHA-256 of the token is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Its id.
    pub id: i64,
    /// The agent it acts as.
    pub agent: AgentId,
    /// What the agent called it (e.g. "CRM sync").
    pub name: String,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Principal {
    /// A customer's portal account.
    Customer(AccountId),
    /// A staff member (an agent).
    Staff(crate::model::AgentId),
}

/// A server-side session. Only the hash of its token is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: String,
    /// Its owner.
    pub principal: Principal,
    /// Creation time (absolute lifetime).
    pub created_at: Timestamp,
    /// Last use (idle timeout).
    pub last_seen: Timestamp,
    /// Secret for CSRF tokens bound to this session.
    pub csrf_secret: String,
}

/// Server-side sessions (SECURITY rules 5–7).
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a session. MUST return `Conflict` for a token hash already stored.
    async fn insert(&self, session: Session) -> PortResult<()>;
    /// The session with this token hash.
    async fn get(&self, token_hash: &str) -> PortResult<Option<Session>>;
    /// The session with this token hash and, for a customer session whose account and
    /// contact exist, both of them: what every portal request needs, in one round trip.
    async fn get_with_customer(
        &self,
        token_hash: &str,
    ) -> PortResult<Option<(Session, Option<(Account, Contact)>)>>;
    /// Moves `last_seen` to `at` (never backwards).
    async fn touch(&self, token_hash: &str, at: Timestamp) -> PortResult<()>;
    /// Deletes one session; deleting a missing one is not an error.
    async fn delete(&self, token_hash: &str) -> PortResult<()>;
    /// Deletes every session of a principal except `keep`; returns how many went.
    async fn delete_all(&self, principal: Principal, keep: Option<&str>) -> PortResult<u64>;
}

/// What an emailed token is for (SECURITY rule 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    /// Set a login after an access-group invitation (7 days).
    Registration,
    /// Confirm the email of a self-registration (7 days).
    EmailConfirmation,
    /// Reset a password (15 minutes).
    PasswordReset,
    /// Log in by emailed link (15 minutes).
    LoginLink,
}

impl TokenPurpose {
    /// How long such a token lives, in seconds.
    pub fn lifetime_seconds(self) -> i64 {
        match self {
            TokenPurpose::Registration | TokenPurpose::EmailConfirmation => 7 * 24 * 3600,
            TokenPurpose::PasswordReset | TokenPurpose::LoginLink => 15 * 60,
        }
    }
}

/// A stored one-time token: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeToken {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// Its purpose.
    pub purpose: TokenPurpose,
    /// The contact it concerns.
    pub contact: ContactId,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// One-time tokens (SECURITY rule 9).
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a token. MUST return `Conflict` for a hash already stored.
    async fn insert(&self, token: OneTimeToken) -> PortResult<()>;
    /// Uses a token: returns it and makes it unusable, atomically, when it exists, has this
    /// purpose and `now` is before its expiry. MUST return `None` for a second use, also
    /// when two uses race; a token of another purpose stays usable.
    async fn consume(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> PortResult<Option<OneTimeToken>>;
    /// Deletes the unused tokens of a contact for a purpose (a new one replaces them).
    async fn revoke(&self, contact: ContactId, purpose: TokenPurpose) -> PortResult<()>;
    /// Replaces the contact's unused tokens of this purpose by `token` and queues the mail
    /// that carries it, due at `now`, in one transaction: both are written or neither (a
    /// link never exists without its mail, nor a mail without its link).
    async fn issue(
        &self,
        token: OneTimeToken,
        mail: OutgoingMail,
        now: Timestamp,
    ) -> PortResult<i64>;
}

/// Attachment bytes (stored under generated names, outside any served folder).
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores bytes and returns their new key.
    async fn put(&self, bytes: Vec<u8>) -> PortResult<String>;
    /// The bytes under `key`.
    async fn get(&self, key: &str) -> PortResult<Option<Vec<u8>>>;
    /// Deletes `key`; deleting a missing key is not an error.
    async fn delete(&self, key: &str) -> PortResult<()>;
}

/// An email to send: rendered later, in the recipient's language, by the mail adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    /// Recipient address.
    pub to: String,
    /// Recipient language (N1).
    pub language: String,
    /// Template name, e.g. `registration`.
    pub template: String,
    /// Template variables.
    pub vars: std::collections::BTreeMap<String, String>,
    /// The ticket conversation this mail belongs to, when it is about one: the mail
    /// adapter puts its token in `Reply-To` and `Message-ID` so that answers find their way
    /// back, and the store keeps the token's hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<MailThread>,
    /// Files the mail carries (an agent's reply's attachments), read from the blob store
    /// when it is sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<MailAttachment>,
}

impl OutgoingMail {
    /// A mail about no ticket, carrying no files.
    pub fn new(
        to: impl Into<String>,
        language: impl Into<String>,
        template: impl Into<String>,
        vars: std::collections::BTreeMap<String, String>,
    ) -> OutgoingMail {
        OutgoingMail {
            to: to.into(),
            language: language.into(),
            template: template.into(),
            vars,
            thread: None,
            files: Vec::new(),
        }
    }
}

/// A file a mail carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAttachment {
    /// The file name.
    pub file_name: String,
    /// Its content type (told by its bytes when it was uploaded).
    pub content_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Where its bytes are in the blob store.
    pub blob_key: String,
}

/// What ties a mail to a ticket (issue 17): a fresh random token per mail, given to exactly
/// one recipient. The outbox keeps the token (it has to be written into the mail) until the
/// mail is sent; the thread table keeps only its hash ([`crate::usecases::accounts::token_hash`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailThread {
    /// The ticket.
    pub ticket: TicketId,
    /// The recipient the token was given to.
    pub contact: ContactId,
    /// The token: 32 lower-case hex digits (128 random bits), safe in an address's local part.
    pub token: String,
}

/// A thread token found by its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadToken {
    /// The ticket the mail was about.
    pub ticket: TicketId,
    /// The recipient the mail went to.
    pub contact: ContactId,
    /// When the mail was queued.
    pub created_at: Timestamp,
    /// The outbox row the mail was (or is to be) sent from; `None` for tokens recorded
    /// before rows were linked.
    pub outbox: Option<i64>,
}

/// A mail in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    /// Outbox id.
    pub id: i64,
    /// The mail.
    pub mail: OutgoingMail,
    /// Delivery attempts so far.
    pub attempts: u32,
}

/// The email outbox: mails are rows, claimed by senders with a lease so that several
/// servers never send one twice.
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Queues a mail, due at once; returns its id.
    async fn enqueue(&self, mail: OutgoingMail, now: Timestamp) -> PortResult<i64>;
    /// The thread token whose hash is `token_hash`, recorded when a mail carrying a
    /// [`MailThread`] was queued (by `enqueue` or with a write that queues mails).
    async fn thread(&self, token_hash: &str) -> PortResult<Option<ThreadToken>>;
    /// Claims up to `limit` due mails (not sent, not dead, due at or before `now`, lease
    /// expired), leasing them until `lease_until`. MUST never hand one mail to two claims
    /// whose leases overlap.
    async fn claim(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> PortResult<Vec<QueuedMail>>;
    /// Marks a claimed mail sent; it is never claimed again.
    async fn mark_sent(&self, id: i64, at: Timestamp) -> PortResult<()>;
    /// Records a failed attempt: due again at `retry_at`, or dead when `dead` is true.
    async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
        dead: bool,
    ) -> PortResult<()>;
    /// The dead mails (delivery gave up), newest first, at most `limit`.
    async fn dead(&self, limit: usize) -> PortResult<Vec<DeadMail>>;
    /// Marks a mail dead because its recipient's mail server returned it (a bounce), sent
    /// or not, with `error` as its last error: staff see it with the dead mails. MUST
    /// return `NotFound` for an unknown id.
    async fn bounce(&self, id: i64, error: &str) -> PortResult<()>;
    /// Puts a dead mail back in the queue, due at `now`, with its attempts reset. MUST
    /// return `NotFound` for a mail that is not dead.
    async fn retry(&self, id: i64, now: Timestamp) -> PortResult<()>;
}

/// A mail the sender gave up on (SECURITY and issue 5: visible to staff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadMail {
    /// Outbox id.
    pub id: i64,
    /// The mail.
    pub mail: OutgoingMail,
    /// Delivery attempts made.
    pub attempts: u32,
    /// The last error.
    pub last_error: String,
}

/// The mail adapter's templates, for the staff's template editor (issue 5): the built-in
/// text of a mail kind as an editable template, and a preview of a template.
pub trait MailTemplates: Send + Sync {
    /// The built-in text of `kind` in `language`, as a template.
    fn builtin(&self, kind: &str, language: &str) -> Option<String>;
    /// `source` rendered for `mail`: (subject, body), or why it cannot be.
    fn preview(&self, source: &str, mail: &OutgoingMail) -> Result<(String, String), String>;
}

/// Contact and ticket timelines (U2).
#[async_trait]
pub trait Timeline: Send + Sync {
    /// Appends an event.
    async fn append(&self, event: TimelineEvent) -> PortResult<()>;
    /// A contact's events, newest first.
    async fn for_contact(&self, contact: ContactId, limit: usize)
    -> PortResult<Vec<TimelineEvent>>;
    /// A ticket's events, newest first.
    async fn for_ticket(&self, ticket: TicketId, limit: usize) -> PortResult<Vec<TimelineEvent>>;
}

/// One audit log entry (who, when, what changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Who (e.g. `agent:3`).
    pub actor: String,
    /// What kind of change (e.g. `settings.update`).
    pub action: String,
    /// What changed.
    pub detail: String,
    /// When.
    pub at: Timestamp,
}

/// The audit log.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Records an entry.
    async fn record(&self, entry: AuditEntry) -> PortResult<()>;
    /// The newest entries first.
    async fn recent(&self, limit: usize) -> PortResult<Vec<AuditEntry>>;
}

/// The organisation's access log (C4) and who may read it.
#[async_trait]
pub trait AccessLogStore: Send + Sync {
    /// Writes an entry.
    async fn record(&self, event: crate::organisation::NewAccessEvent) -> PortResult<()>;
    /// The newest entries of `company`'s log that pass `query` (see
    /// [`crate::organisation::matches`]), newest first by id, at most `query.limit`.
    async fn page(
        &self,
        company: CompanyId,
        query: &crate::organisation::AccessLogQuery,
    ) -> PortResult<Vec<crate::organisation::AccessEvent>>;
    /// Deletes every entry older than `before`; returns how many.
    async fn purge(&self, before: Timestamp) -> PortResult<u64>;
    /// The companies `contact` is a portal admin of.
    async fn admin_of(&self, contact: ContactId) -> PortResult<Vec<CompanyId>>;
    /// Makes `contact` a portal admin of `company`, or no longer one.
    async fn set_admin(
        &self,
        company: CompanyId,
        contact: ContactId,
        admin: bool,
    ) -> PortResult<()>;
}

/// Single-use ids: JWT `jti`, SAML assertion ids (SECURITY rules 12, 15).
#[async_trait]
pub trait ReplayGuard: Send + Sync {
    /// Records `id` in `namespace` until `keep_until`. Returns `true` the first time and
    /// `false` for every later use while it is kept; MUST be atomic so that two concurrent
    /// first uses cannot both get `true`.
    async fn first_use(&self, namespace: &str, id: &str, keep_until: Timestamp)
    -> PortResult<bool>;
}

/// Password hashing (SECURITY rule 1). Hashing is slow by design: an adapter SHOULD run it
/// off the threads that serve requests (the server's runs on the blocking pool).
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a password into a PHC string.
    async fn hash(&self, password: &str) -> PortResult<String>;
    /// Whether `password` matches `hash`. With `hash` `None` it MUST spend about the time of
    /// a real verification and return false, so that a missing account cannot be told by
    /// timing (SECURITY rule 3).
    async fn verify(&self, password: &str, hash: Option<&str>) -> bool;
}

/// What an identity provider vouched for (A3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoIdentity {
    /// Email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// The provider's id for the user.
    pub external_id: Option<String>,
    /// Organisation (may set the primary company).
    pub organization: Option<String>,
    /// Preferred language.
    pub locale: Option<String>,
}

/// Which kind of identity provider vouched for a user; also the namespace of the links from
/// the provider's user ids to contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SsoKind {
    /// A SAML 2.0 identity provider.
    Saml,
    /// A JWT-issuing application (Zendesk's convention).
    Jwt,
}

impl SsoKind {
    /// Its stable name (`saml`, `jwt`).
    pub fn as_str(self) -> &'static str {
        match self {
            SsoKind::Saml => "saml",
            SsoKind::Jwt => "jwt",
        }
    }
}

pub use crate::error::SsoRefusal;

/// A SAML assertion whose signature, issuer, audience, destination, recipient, status and
/// time window the adapter has checked (SECURITY rules 14, 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamlAssertion {
    /// Who it vouches for.
    pub identity: SsoIdentity,
    /// The assertion's `ID` (for the replay cache).
    pub assertion_id: String,
    /// When it stops being valid (the replay cache keeps its id until then plus the skew).
    pub valid_until: Timestamp,
}

/// A SAML 2.0 service provider (samael in the adapter). Synchronous: XML signature checks are
/// CPU work of about a millisecond.
pub trait SamlServiceProvider: Send + Sync {
    /// The service provider's metadata XML (rule 17).
    fn metadata_xml(&self) -> Result<String, SsoRefusal>;
    /// The identity provider URL that starts a login answering `request_id`, carrying
    /// `relay_state`.
    fn login_url(
        &self,
        request_id: &str,
        relay_state: &str,
        now: Timestamp,
    ) -> Result<String, SsoRefusal>;
    /// The `InResponseTo` of a posted response, read before verification only to find the
    /// outstanding request; the verification then checks the signed value against it.
    fn in_response_to(&self, saml_response: &str) -> Result<Option<String>, SsoRefusal>;
    /// Verifies a posted (base64) response answering `request_id` (`None`: unsolicited).
    fn verify(
        &self,
        saml_response: &str,
        request_id: Option<&str>,
        now: Timestamp,
    ) -> Result<SamlAssertion, SsoRefusal>;
    /// Whether unsolicited (IdP-initiated) responses are accepted (rule 16: off by default).
    fn idp_initiated(&self) -> bool;
}

/// A JWT whose algorithm, signature, claim types and time window the adapter has checked
/// (SECURITY rules 11–13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJwt {
    /// Who it vouches for.
    pub identity: SsoIdentity,
    /// The `jti` claim (single use).
    pub jti: String,
    /// Until when the `jti` must be remembered.
    pub keep_until: Timestamp,
}

/// Verifies JWTs from the vendor's application (jsonwebtoken in the adapter).
pub trait JwtVerifier: Send + Sync {
    /// Verifies `token` at `now`.
    fn verify(&self, token: &str, now: Timestamp) -> Result<VerifiedJwt, SsoRefusal>;
    /// Where the login button sends visitors (the vendor's remote login URL), if set.
    fn remote_login_url(&self) -> Option<String>;
}

/// A SAML login request waiting for its response (rule 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSsoRequest {
    /// The request id (256 random bits).
    pub id: String,
    /// Where in the portal to land after the login.
    pub return_to: Option<String>,
    /// When it stops being answerable.
    pub expires_at: Timestamp,
}

/// Single sign-on bookkeeping: outstanding requests and the links from identity providers'
/// user ids to contacts.
#[async_trait]
pub trait SsoStore: Send + Sync {
    /// Stores an outstanding request. MUST return `Conflict` for an id already stored.
    async fn insert_request(&self, request: PendingSsoRequest) -> PortResult<()>;
    /// Takes an outstanding request: returns it and removes it, atomically, when it exists
    /// and `now` is before its expiry. MUST return `None` for a second take, also when two
    /// takes race.
    async fn take_request(&self, id: &str, now: Timestamp)
    -> PortResult<Option<PendingSsoRequest>>;
    /// Links a provider's user id to a contact, replacing an earlier link of that user id.
    async fn link(&self, kind: SsoKind, external_id: &str, contact: ContactId) -> PortResult<()>;
    /// The contact linked to a provider's user id.
    async fn linked_contact(
        &self,
        kind: SsoKind,
        external_id: &str,
    ) -> PortResult<Option<ContactId>>;
}

/// The time.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// Randomness for tokens.
pub trait RandomSource: Send + Sync {
    /// 32 bytes (256 bits) from a cryptographically secure generator.
    fn token_bytes(&self) -> [u8; 32];
}

/// Secrets portal must keep readable (the IMAP passwords of the staff side's mailboxes),
/// sealed with a key the server holds outside the database: a copy of the database alone
/// does not give them away.
pub trait SecretBox: Send + Sync {
    /// Seals `plain` (authenticated encryption; a fresh nonce each time).
    fn seal(&self, plain: &str) -> Result<String, String>;
    /// Opens what [`SecretBox::seal`] sealed with the same key; an error for anything
    /// else (another key, changed bytes).
    fn open(&self, sealed: &str) -> Result<String, String>;
}

/// Every port, wired: what the use cases take.
#[derive(Clone)]
pub struct Ports {
    /// Tickets.
    pub tickets: Arc<dyn TicketRepository>,
    /// Contacts, companies, lists.
    pub directory: Arc<dyn Directory>,
    /// Pipelines, inboxes, agents, domains, properties.
    pub catalog: Arc<dyn HelpDeskCatalog>,
    /// Settings.
    pub settings: Arc<dyn SettingsRepository>,
    /// Accounts.
    pub accounts: Arc<dyn AccountRepository>,
    /// Sessions.
    pub sessions: Arc<dyn SessionStore>,
    /// One-time tokens.
    pub tokens: Arc<dyn TokenStore>,
    /// Attachment bytes.
    pub blobs: Arc<dyn BlobStore>,
    /// Email outbox.
    pub outbox: Arc<dyn Outbox>,
    /// Mail that came in, raw (issue 17).
    pub inbound: Arc<dyn crate::mail_in::InboundMails>,
    /// Timelines.
    pub timeline: Arc<dyn Timeline>,
    /// Audit log.
    pub audit: Arc<dyn AuditLog>,
    /// The organisation's access log and its readers (C4).
    pub access_log: Arc<dyn AccessLogStore>,
    /// Replay guard.
    pub replay: Arc<dyn ReplayGuard>,
    /// Single sign-on bookkeeping.
    pub sso: Arc<dyn SsoStore>,
    /// Staff logins.
    pub staff: Arc<dyn StaffStore>,
    /// Failed logins (throttling).
    pub attempts: Arc<dyn LoginAttempts>,
    /// Password hasher.
    pub hasher: Arc<dyn PasswordHasher>,
    /// Clock.
    pub clock: Arc<dyn Clock>,
    /// Randomness.
    pub random: Arc<dyn RandomSource>,
    /// The languages the portal speaks (the catalogues' tags; built-in ones by default).
    pub languages: crate::settings::Languages,
}
