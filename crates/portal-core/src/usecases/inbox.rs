//! The staff side's daily work: staff logins (separate from customer accounts, same session
//! rules), the inbox behind the portal (U1) and answering tickets. A public answer notifies
//! the customers the ticket belongs to (A4/N1: their language, a link to the ticket, the
//! reply text when the admin chose so).

use crate::access::check_password;
use crate::actions::UploadLimits;
use crate::error::Error;
use std::collections::BTreeMap;

use crate::model::{
    Agent, AgentId, Author, ContactId, InboxId, MessageVisibility, StaffRole, StageId, Thread,
    Ticket, TicketId,
};
use crate::ports::{
    ApiToken, AuditEntry, InboxQuery, MailThread, NewAttachment, NewMessage, NewMessageBody,
    OutgoingMail, Ports, Principal, Session, StaffLogin, ThreadTarget,
};
use crate::property::{ObjectKind, PropertyCatalog};
use crate::usecases::accounts::{Accounts, NewSession, hex, token_hash};
use crate::usecases::portal::{MAX_SUBJECT_CHARS, check_body, field_error};
use crate::usecases::records::checked_properties;
use crate::usecases::staff::StaffActor;
use crate::visibility::may_be_told;

/// The most tickets one inbox page shows.
pub const INBOX_PAGE: usize = 50;

pub use crate::permissions::StaffMember;

/// A staff member looking at the portal as one contact (A6, N3, P10): the real pages, read
/// only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Who looks.
    pub agent: crate::model::AgentId,
    /// As whom: the contact, with a stand-in account that has no login.
    pub customer: crate::usecases::accounts::Customer,
}

/// What a request to the portal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalAccess {
    /// Reads a page, a file or an export.
    Read,
    /// Changes something (reply, close, file a ticket, account, language).
    Write,
}

impl Preview {
    /// `agent` looking at the portal as `contact`, with a stand-in account that has no
    /// login (and takes the contact's language).
    pub fn new(agent: crate::model::AgentId, contact: crate::model::Contact) -> Preview {
        let account = crate::ports::Account {
            id: crate::model::AccountId(0),
            contact: contact.id,
            email: contact.email.clone(),
            password_hash: None,
            enabled: true,
            email_confirmed: true,
            language: contact.language.clone(),
            time_zone: None,
            consent: None,
            created_at: crate::model::Timestamp(0),
        };
        Preview {
            agent,
            customer: crate::usecases::accounts::Customer { account, contact },
        }
    }

    /// A preview reads and never writes: no reply, close, support form or account change in
    /// the contact's name.
    pub fn permits(&self, access: PortalAccess) -> bool {
        access == PortalAccess::Read
    }
}

/// Where a staff member starts after signing in (P5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffStart {
    /// The set-up wizard: an admin, and the portal was never switched on.
    SetUp,
    /// The inbox.
    Inbox,
}

impl StaffMember {
    /// Where this member starts: admins are led into the set-up wizard until the portal
    /// has been set up once; everyone else, and admins afterwards, into the inbox.
    pub fn start(&self, settings: &crate::settings::PortalSettings) -> StaffStart {
        if self.may(crate::permissions::StaffAction::EditSettings)
            && !settings.set_up
            && !settings.enabled
        {
            StaffStart::SetUp
        } else {
            StaffStart::Inbox
        }
    }

    /// What the settings use cases need to know (P14).
    pub fn actor(&self) -> StaffActor {
        StaffActor {
            agent: self.agent.id,
            can_manage_portal: self.may(crate::permissions::StaffAction::EditSettings),
        }
    }
}

/// Staff logins and sessions.
#[derive(Clone)]
pub struct StaffAuth {
    ports: Ports,
}

impl StaffAuth {
    /// Use cases over these ports.
    pub fn new(ports: Ports) -> StaffAuth {
        StaffAuth { ports }
    }

    /// Email and password; wrong email and wrong password answer alike after the same work
    /// (SECURITY rule 3). A fresh session either way it succeeds (rule 5).
    pub async fn login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<(StaffMember, NewSession), Error> {
        let login = self.ports.staff.staff_by_email(email.trim()).await?;
        let ok = self
            .ports
            .hasher
            .verify(password, login.as_ref().map(|l| l.password_hash.as_str()))
            .await;
        match login {
            Some(l) if ok && l.enabled => {
                let session = Accounts::new(self.ports.clone())
                    .start_session(Principal::Staff(l.agent.id))
                    .await?;
                Ok((
                    StaffMember {
                        agent: l.agent,
                        role: l.role,
                    },
                    session,
                ))
            }
            _ => Err(Error::BadCredentials),
        }
    }

    /// The staff member behind a session cookie: `None` for a missing or expired session, a
    /// customer's session, or a disabled login.
    pub async fn resume(&self, token: &str) -> Result<Option<(Session, StaffMember)>, Error> {
        let Some(session) = Accounts::new(self.ports.clone()).resume(token).await? else {
            return Ok(None);
        };
        let Principal::Staff(agent) = session.principal else {
            return Ok(None);
        };
        match self.ports.staff.staff_by_agent(agent).await? {
            Some(StaffLogin {
                agent,
                role,
                enabled: true,
                ..
            }) => Ok(Some((session, StaffMember { agent, role }))),
            _ => Ok(None),
        }
    }

    /// Starts a staff preview of the portal as `contact` (A6, N3, P10): any signed-in staff
    /// member may; audited.
    pub async fn start_preview(
        &self,
        member: &StaffMember,
        contact: crate::model::ContactId,
    ) -> Result<crate::model::Contact, Error> {
        let c = self
            .ports
            .directory
            .contact(contact)
            .await?
            .ok_or(Error::NotFound)?;
        self.ports
            .audit
            .record(crate::ports::AuditEntry {
                actor: format!("agent:{}", member.agent.id),
                action: "portal.preview".into(),
                detail: format!("as contact {} <{}>", c.id, c.email),
                at: self.ports.clock.now(),
            })
            .await?;
        Ok(c)
    }

    /// The preview behind a staff session token and the contact a preview cookie names:
    /// `None` unless the staff session is valid. The contact is shown the portal as a
    /// customer without a login would be, through a [`Preview`] that permits only reading.
    pub async fn resume_preview(
        &self,
        staff_token: &str,
        contact: crate::model::ContactId,
    ) -> Result<Option<Preview>, Error> {
        let Some((_, member)) = self.resume(staff_token).await? else {
            return Ok(None);
        };
        let Some(contact) = self.ports.directory.contact(contact).await? else {
            return Ok(None);
        };
        Ok(Some(Preview::new(member.agent.id, contact)))
    }

    /// Disables or enables another staff member's login (P14: admins only; never one's
    /// own). Disabling ends their sessions at once, and their API tokens stop working.
    pub async fn set_login_enabled(
        &self,
        actor: &StaffMember,
        agent: crate::model::AgentId,
        enabled: bool,
    ) -> Result<(), Error> {
        if !actor.may(crate::permissions::StaffAction::DisableStaffLogin) {
            return Err(Error::PermissionDenied);
        }
        if actor.agent.id == agent {
            return Err(Error::invalid(
                "enabled",
                "own_login",
                "an admin cannot disable their own login",
            ));
        }
        let login = self
            .ports
            .staff
            .staff_by_agent(agent)
            .await?
            .ok_or(Error::NotFound)?;
        self.ports
            .staff
            .set_staff_login(agent, login.role, &login.password_hash, enabled)
            .await?;
        if !enabled {
            self.ports
                .sessions
                .delete_all(Principal::Staff(agent), None)
                .await?;
        }
        self.ports
            .audit
            .record(crate::ports::AuditEntry {
                actor: format!("agent:{}", actor.agent.id),
                action: if enabled {
                    "staff.login_enabled".into()
                } else {
                    "staff.login_disabled".into()
                },
                detail: format!("agent {agent} <{}>", login.agent.email),
                at: self.ports.clock.now(),
            })
            .await?;
        Ok(())
    }

    /// Creates (or updates) a staff login: the agent with this email is created when
    /// missing; the password follows SECURITY rule 2.
    pub async fn create_login(
        &self,
        email: &str,
        first_name: &str,
        last_name: &str,
        password: &str,
        role: StaffRole,
    ) -> Result<Agent, Error> {
        let email = email.trim();
        if !email.contains('@') || email.len() > 254 || email.contains(char::is_whitespace) {
            return Err(Error::invalid(
                "email",
                "invalid_email",
                "not an email address",
            ));
        }
        if let Err(code) = check_password(password) {
            return Err(Error::invalid("password", code, code.replace('_', " ")));
        }
        let agents = self.ports.catalog.agents().await?;
        let agent = match agents
            .into_iter()
            .find(|a| a.email.eq_ignore_ascii_case(email))
        {
            Some(a) => a,
            None => {
                self.ports
                    .catalog
                    .create_agent(Agent {
                        id: AgentId(0),
                        first_name: first_name.trim().into(),
                        last_name: last_name.trim().into(),
                        alias: None,
                        email: email.into(),
                    })
                    .await?
            }
        };
        let hash = self.ports.hasher.hash(password).await?;
        self.ports
            .staff
            .set_staff_login(agent.id, role, &hash, true)
            .await?;
        Ok(agent)
    }

    /// The staff member behind an API token (`Authorization: Bearer`): `None` for an unknown
    /// or revoked token or a disabled login. Tokens act with their agent's role.
    pub async fn api_member(&self, token: &str) -> Result<Option<StaffMember>, Error> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(t) = self.ports.staff.api_token(&token_hash(token)).await? else {
            return Ok(None);
        };
        match self.ports.staff.staff_by_agent(t.agent).await? {
            Some(StaffLogin {
                agent,
                role,
                enabled: true,
                ..
            }) => Ok(Some(StaffMember { agent, role })),
            _ => Ok(None),
        }
    }

    /// Makes an API token for an agent: returns it (shown once; only its hash is kept).
    pub async fn create_api_token(
        &self,
        agent: AgentId,
        name: &str,
    ) -> Result<(ApiToken, String), Error> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid(
                "name",
                if name.is_empty() {
                    "required"
                } else {
                    "too_long"
                },
                "a name of 1 to 100 characters",
            ));
        }
        let token = hex(&self.ports.random.token_bytes());
        let stored = self
            .ports
            .staff
            .create_api_token(ApiToken {
                id: 0,
                agent,
                name: name.to_string(),
                token_hash: token_hash(&token),
                created_at: self.ports.clock.now(),
            })
            .await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", agent.0),
                action: "api_token.create".into(),
                detail: format!("token {}: {name}", stored.id),
                at: stored.created_at,
            })
            .await?;
        Ok((stored, token))
    }

    /// An agent's API tokens.
    pub async fn api_tokens(&self, agent: AgentId) -> Result<Vec<ApiToken>, Error> {
        Ok(self.ports.staff.api_tokens(agent).await?)
    }

    /// Revokes one of an agent's API tokens.
    pub async fn revoke_api_token(&self, agent: AgentId, id: i64) -> Result<(), Error> {
        self.ports.staff.revoke_api_token(agent, id).await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", agent.0),
                action: "api_token.revoke".into(),
                detail: format!("token {id}"),
                at: self.ports.clock.now(),
            })
            .await?;
        Ok(())
    }
}

/// Changes to a ticket's subject and custom properties from the inbox or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChanges {
    /// A new subject.
    pub subject: Option<String>,
    /// Custom properties to set (as text; an empty text unsets one); others stay.
    pub properties: BTreeMap<String, String>,
    /// A stage of the ticket's pipeline to move it to.
    pub stage: Option<StageId>,
    /// A new owner (`Some(None)`: nobody).
    pub owner: Option<Option<AgentId>>,
}

/// A ticket staff (or the API) file for a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicketInput {
    /// Subject line.
    pub subject: String,
    /// The customer's first message, already sanitized HTML.
    pub body_html: String,
    /// The contact who asks; the ticket is associated with it and its primary company.
    pub requester: ContactId,
    /// The inbox (the portal's default inbox when `None`).
    pub inbox: Option<InboxId>,
    /// Custom properties as text.
    pub properties: BTreeMap<String, String>,
    /// The way it came in (the staff inbox or the API).
    pub channel: crate::model::Channel,
}

/// An answer from the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput {
    /// The body, already sanitized HTML.
    pub body_html: String,
    /// Files already in the blob store.
    pub attachments: Vec<NewAttachment>,
    /// `true`: an internal note (never shown to customers, V6); `false`: a public reply.
    pub internal: bool,
    /// `true`: starts a new conversation on the ticket (say, with a supplier) instead of
    /// answering in the customer's. Customers see only a ticket's oldest conversation (V6),
    /// so a new one is neither shown to nor mailed to them.
    pub new_conversation: bool,
    /// The way it came in (the staff inbox or the API).
    pub channel: crate::model::Channel,
}

impl Default for AnswerInput {
    /// An empty public reply written in the staff inbox.
    fn default() -> Self {
        AnswerInput {
            body_html: String::new(),
            attachments: Vec::new(),
            internal: false,
            new_conversation: false,
            channel: crate::model::Channel::Inbox,
        }
    }
}

/// The inbox behind the portal (U1).
#[derive(Clone)]
pub struct StaffInbox {
    pub(crate) ports: Ports,
    limits: UploadLimits,
}

impl StaffInbox {
    /// Use cases over these ports.
    pub fn new(ports: Ports, limits: UploadLimits) -> StaffInbox {
        StaffInbox { ports, limits }
    }

    /// One page of the inbox.
    pub async fn list(&self, query: &InboxQuery) -> Result<Vec<Ticket>, Error> {
        crate::query::check_page_size(query.limit)?;
        Ok(self.ports.tickets.inbox(query).await?)
    }

    /// What customers did on a ticket through the portal, newest first (U2): filed,
    /// replied, closed.
    pub async fn activity(&self, id: TicketId) -> Result<Vec<crate::model::TimelineEvent>, Error> {
        Ok(self.ports.timeline.for_ticket(id, 100).await?)
    }

    /// A ticket with its whole conversation, internal notes included.
    pub async fn ticket(&self, id: TicketId) -> Result<(Ticket, Vec<Thread>), Error> {
        let ticket = self.ports.tickets.get(id).await?.ok_or(Error::NotFound)?;
        let threads = self.ports.tickets.threads(id).await?;
        Ok((ticket, threads))
    }

    /// How each of `tickets` came in: its first message's channel (issue 17: the inbox
    /// shows it).
    pub async fn channels(
        &self,
        tickets: &[TicketId],
    ) -> Result<std::collections::BTreeMap<TicketId, crate::model::Channel>, Error> {
        Ok(self.ports.tickets.channels(tickets).await?)
    }

    /// The messages of a ticket that came by email, with the stored mail each came as
    /// (issue 17: staff see the channel and can download the original).
    pub async fn mail_sources(
        &self,
        id: TicketId,
    ) -> Result<std::collections::BTreeMap<crate::model::MessageId, i64>, Error> {
        Ok(self
            .ports
            .inbound
            .of_ticket(id)
            .await?
            .into_iter()
            .filter_map(|m| Some((m.message?, m.id)))
            .collect())
    }

    /// Any attachment with its bytes (staff see every file, internal notes' too).
    pub async fn download(
        &self,
        id: crate::model::AttachmentId,
    ) -> Result<crate::usecases::files::Download, Error> {
        let (_, attachment) = self
            .ports
            .tickets
            .attachment(id)
            .await?
            .ok_or(Error::NotFound)?;
        crate::usecases::files::Files::new(self.ports.clone())
            .download(attachment)
            .await
    }

    /// The staff members with whether each one's login is enabled (`None`: no login).
    pub async fn agents(&self) -> Result<Vec<(crate::model::Agent, Option<bool>)>, Error> {
        let agents = self.ports.catalog.agents().await?;
        let mut out = Vec::with_capacity(agents.len());
        for a in agents {
            let login = self.ports.staff.staff_by_agent(a.id).await?;
            out.push((a, login.map(|l| l.enabled)));
        }
        Ok(out)
    }

    /// One page of a ticket's messages across its conversations, internal notes included,
    /// in id order after `after`.
    pub async fn messages(
        &self,
        id: TicketId,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<crate::model::Message>, Error> {
        let limit = crate::query::check_page_size(limit)?;
        let (_, threads) = self.ticket(id).await?;
        let mut all: Vec<crate::model::Message> =
            threads.into_iter().flat_map(|t| t.messages).collect();
        all.sort_by_key(|m| m.id);
        Ok(all
            .into_iter()
            .filter(|m| after.is_none_or(|a| m.id.0 > a))
            .take(limit)
            .collect())
    }

    /// One message of a ticket (`NotFound` when it belongs to another ticket).
    pub async fn message(
        &self,
        id: TicketId,
        message: crate::model::MessageId,
    ) -> Result<crate::model::Message, Error> {
        let (_, threads) = self.ticket(id).await?;
        threads
            .into_iter()
            .flat_map(|t| t.messages)
            .find(|m| m.id == message)
            .ok_or(Error::NotFound)
    }

    /// Answers a ticket: a public reply lands in the conversation the customer sees (the
    /// oldest thread, V6) and notifies the ticket's contacts; an internal note never leaves
    /// the staff side. `portal_url` is the portal's address for the link in the mail.
    pub async fn answer(
        &self,
        member: &StaffMember,
        id: TicketId,
        input: AnswerInput,
        portal_url: &str,
    ) -> Result<crate::model::Message, Error> {
        let ticket = self.ports.tickets.get(id).await?.ok_or(Error::NotFound)?;
        check_body("body", &input.body_html, !input.attachments.is_empty())?;
        let sizes: Vec<u64> = input.attachments.iter().map(|a| a.size).collect();
        self.limits.check(&sizes)?;
        let settings = self.ports.settings.load().await?;
        let oldest = self.ports.tickets.oldest_thread(id).await?;
        let new_thread = || {
            ticket
                .inbox
                .or(settings.default_inbox)
                .map(ThreadTarget::New)
                .ok_or_else(|| {
                    Error::Unavailable(
                        "the ticket has no inbox and the portal no default inbox".into(),
                    )
                })
        };
        // The customer's conversation is the oldest (V6); a ticket without one gets it now.
        let customer_sees = !input.new_conversation || oldest.is_none();
        let target = match oldest {
            Some(t) if !input.new_conversation => ThreadTarget::Existing(t),
            _ => new_thread()?,
        };
        let now = self.ports.clock.now();
        let reply_text = crate::query::html_to_text(&input.body_html)
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n");
        let mails = if input.internal || !customer_sees {
            Vec::new()
        } else {
            let reply = (reply_text.as_str(), input.body_html.as_str());
            self.notifications(
                &ticket,
                member,
                reply,
                &input.attachments,
                &settings,
                portal_url,
            )
            .await?
        };
        let message = self
            .ports
            .tickets
            .add_message(NewMessage {
                mails,
                ticket: id,
                thread: target,
                content: NewMessageBody {
                    author: Author::Agent(member.agent.id),
                    visibility: if input.internal {
                        MessageVisibility::Internal
                    } else {
                        MessageVisibility::Public
                    },
                    body: input.body_html,
                    attachments: input.attachments,
                    mail_in: None,
                    channel: input.channel,
                },
                at: now,
            })
            .await?;
        Ok(message)
    }

    /// The mails to every contact of the ticket who has a login and may see the ticket in
    /// the portal ([`may_be_told`]; N1: in their language), written with the reply in one
    /// transaction. `reply` is the reply as plain text and as its stored (sanitized) HTML,
    /// for the mail's text and HTML parts. Each mail carries its own thread token (issue 17),
    /// so an answer by email can be traced to this ticket and this recipient.
    async fn notifications(
        &self,
        ticket: &Ticket,
        member: &StaffMember,
        (reply_text, reply_html): (&str, &str),
        files: &[crate::ports::NewAttachment],
        settings: &crate::settings::PortalSettings,
        portal_url: &str,
    ) -> Result<Vec<OutgoingMail>, Error> {
        // The reply's files travel with it, as its text does (the same setting).
        let files: Vec<crate::ports::MailAttachment> = if settings.notify_with_reply_text {
            files
                .iter()
                .map(|f| crate::ports::MailAttachment {
                    file_name: f.file_name.clone(),
                    content_type: f.content_type.clone(),
                    size: f.size,
                    blob_key: f.blob_key.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let with_text = settings.notify_with_reply_text;
        let domain_language = super::domain_language(&self.ports, settings).await?;
        let portal_name = settings.name.as_str();
        let mut mails = Vec::new();
        let author = member
            .agent
            .alias
            .clone()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| member.agent.first_name.clone());
        for contact_id in &ticket.contacts {
            let Some(account) = self.ports.accounts.by_contact(*contact_id).await? else {
                continue;
            };
            if !account.enabled {
                continue;
            }
            let Some(contact) = self.ports.directory.contact(*contact_id).await? else {
                continue;
            };
            if !may_be_told(&settings.visibility, &contact, ticket) {
                continue;
            }
            let language = crate::settings::mail_language(
                account.language.as_deref(),
                contact.language.as_deref(),
                domain_language.as_deref(),
            );
            let name = if contact.first_name.is_empty() {
                contact.email.clone()
            } else {
                contact.first_name.clone()
            };
            let (reply, reply_html) = if with_text {
                (format!("{}\n", reply_text.trim()), reply_html.to_string())
            } else {
                (String::new(), String::new())
            };
            let token = hex(&self.ports.random.token_bytes()[..16]);
            mails.push(OutgoingMail {
                files: files.clone(),
                thread: Some(MailThread {
                    ticket: ticket.id,
                    contact: *contact_id,
                    token,
                }),
                to: account.email.clone(),
                language,
                template: "reply_notification".into(),
                vars: [
                    ("name".to_string(), name),
                    ("author".to_string(), author.clone()),
                    ("subject".to_string(), ticket.subject.clone()),
                    ("reply".to_string(), reply),
                    ("reply_html".to_string(), reply_html),
                    (
                        "link".to_string(),
                        format!(
                            "{}/tickets/{}",
                            portal_url.trim_end_matches('/'),
                            ticket.id.0
                        ),
                    ),
                    ("portal".to_string(), portal_name.to_string()),
                ]
                .into(),
            });
        }
        Ok(mails)
    }

    /// Mails the sender gave up on, newest first (staff see and resend them).
    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<crate::ports::DeadMail>, Error> {
        Ok(self.ports.outbox.dead(limit).await?)
    }

    /// Queues a dead mail again, now.
    pub async fn resend(&self, id: i64) -> Result<(), Error> {
        let now = self.ports.clock.now();
        Ok(self.ports.outbox.retry(id, now).await?)
    }

    /// Moves a ticket to a stage of its pipeline.
    pub async fn set_stage(&self, id: TicketId, stage: StageId) -> Result<(), Error> {
        let ticket = self.ports.tickets.get(id).await?.ok_or(Error::NotFound)?;
        let status = self
            .stage_status(&ticket, stage)
            .await?
            .ok_or_else(|| Error::Invalid(vec![field_error("stage", "unknown")]))?;
        let now = self.ports.clock.now();
        Ok(self
            .ports
            .tickets
            .move_to_stage(id, stage, status, now)
            .await?)
    }

    /// The status a ticket gets in `stage`, when it is a stage of the ticket's pipeline.
    async fn stage_status(
        &self,
        ticket: &Ticket,
        stage: StageId,
    ) -> Result<Option<crate::model::TicketStatus>, Error> {
        let pipelines = self.ports.catalog.pipelines().await?;
        Ok(pipelines
            .iter()
            .find(|p| p.id == ticket.pipeline)
            .and_then(|p| p.stage(stage))
            .map(|s| {
                if s.closed {
                    crate::model::TicketStatus::Closed
                } else {
                    crate::model::TicketStatus::Open
                }
            }))
    }

    /// Whether `owner` is an agent (or nobody).
    async fn known_owner(&self, owner: Option<AgentId>) -> Result<bool, Error> {
        Ok(match owner {
            Some(a) => self.ports.catalog.agents().await?.iter().any(|x| x.id == a),
            None => true,
        })
    }

    /// Changes a ticket's subject, custom properties (validated against their definitions),
    /// stage and owner. Every change is checked before the first is written, so a refused
    /// request leaves the ticket as it was; the change is audited.
    pub async fn update_ticket(
        &self,
        member: &StaffMember,
        id: TicketId,
        changes: &TicketChanges,
    ) -> Result<Ticket, Error> {
        let ticket = self.ports.tickets.get(id).await?.ok_or(Error::NotFound)?;
        let mut problems = Vec::new();
        let subject = match &changes.subject {
            Some(s) => checked_subject(s, &mut problems),
            None => ticket.subject.clone(),
        };
        let catalog =
            PropertyCatalog::tickets(self.ports.catalog.property_defs(ObjectKind::Ticket).await?);
        let set = checked_properties(&catalog, &changes.properties, &mut problems);
        let stage = match changes.stage {
            Some(stage) => match self.stage_status(&ticket, stage).await? {
                Some(status) => Some((stage, status)),
                None => {
                    problems.push(field_error("stage", "unknown"));
                    None
                }
            },
            None => None,
        };
        if let Some(owner) = changes.owner
            && !self.known_owner(owner).await?
        {
            problems.push(field_error("owner", "unknown"));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let now = self.ports.clock.now();
        if let Some((stage, status)) = stage {
            self.ports
                .tickets
                .move_to_stage(id, stage, status, now)
                .await?;
        }
        if let Some(owner) = changes.owner {
            self.ports.tickets.set_owner(id, owner, now).await?;
        }
        if changes.subject.is_none() && changes.properties.is_empty() {
            return self.ports.tickets.get(id).await?.ok_or(Error::NotFound);
        }
        let mut properties = ticket.properties.clone();
        for name in changes.properties.keys() {
            match set.get(name) {
                Some(v) => properties.insert(name.clone(), v.clone()),
                None => properties.remove(name),
            };
        }
        self.ports
            .tickets
            .update_ticket(id, &subject, &properties, now)
            .await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", member.agent.id.0),
                action: "ticket.update".into(),
                detail: format!(
                    "ticket {id}: {}",
                    if subject != ticket.subject {
                        "subject, "
                    } else {
                        ""
                    }
                    .to_string()
                        + &changes
                            .properties
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                ),
                at: now,
            })
            .await?;
        self.ports.tickets.get(id).await?.ok_or(Error::NotFound)
    }

    /// Files a ticket for a customer: associated with the requester and its primary company,
    /// in the inbox's pipeline at its first open stage, the first message the customer's.
    pub async fn create_ticket(
        &self,
        member: &StaffMember,
        input: NewTicketInput,
    ) -> Result<Ticket, Error> {
        let mut problems = Vec::new();
        let subject = checked_subject(&input.subject, &mut problems);
        if let Err(Error::Invalid(mut e)) = check_body("body", &input.body_html, false) {
            problems.append(&mut e);
        }
        let requester = self.ports.directory.contact(input.requester).await?;
        if requester.is_none() {
            problems.push(field_error("requester", "unknown_contact"));
        }
        let settings = self.ports.settings.load().await?;
        let inboxes = self.ports.catalog.inboxes().await?;
        let inbox = input
            .inbox
            .or(settings.default_inbox)
            .and_then(|id| inboxes.iter().find(|i| i.id == id));
        if inbox.is_none() {
            problems.push(field_error("inbox", "unknown_inbox"));
        }
        let catalog =
            PropertyCatalog::tickets(self.ports.catalog.property_defs(ObjectKind::Ticket).await?);
        let properties = checked_properties(&catalog, &input.properties, &mut problems);
        let (Some(requester), Some(inbox), true) = (requester, inbox, problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let now = self.ports.clock.now();
        let ticket = crate::usecases::portal::file_ticket(
            &self.ports,
            crate::usecases::portal::CustomerTicket {
                inbox,
                requester: &requester,
                subject,
                properties,
                body_html: input.body_html,
                attachments: Vec::new(),
                at: now,
                mail_in: None,
                channel: input.channel,
                // Staff file on a customer's behalf for the support team: shared with the
                // company as any ticket staff create (C5's default is the customers').
                private: false,
                filer: None,
            },
        )
        .await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", member.agent.id.0),
                action: "ticket.create".into(),
                detail: format!("ticket {} for contact {}", ticket.id, requester.id),
                at: now,
            })
            .await?;
        Ok(ticket)
    }

    /// Corrects an internal note. Public replies stay as they were said: the customer saw
    /// them and was mailed their text, so changing one is refused (`public_reply`).
    pub async fn edit_note(
        &self,
        member: &StaffMember,
        ticket: TicketId,
        message: crate::model::MessageId,
        body_html: &str,
    ) -> Result<crate::model::Message, Error> {
        let (_, threads) = self.ticket(ticket).await?;
        let current = threads
            .iter()
            .flat_map(|t| &t.messages)
            .find(|m| m.id == message)
            .ok_or(Error::NotFound)?;
        if current.visibility != MessageVisibility::Internal {
            return Err(Error::invalid(
                "internal",
                "public_reply",
                "public replies cannot be changed",
            ));
        }
        check_body("body", body_html, !current.attachments.is_empty())?;
        self.ports
            .tickets
            .update_message(ticket, message, body_html)
            .await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", member.agent.id.0),
                action: "message.update".into(),
                detail: format!("ticket {ticket}: note {message}"),
                at: self.ports.clock.now(),
            })
            .await?;
        Ok(crate::model::Message {
            body: body_html.to_string(),
            ..current.clone()
        })
    }

    /// Gives a ticket to an agent, or to nobody.
    pub async fn set_owner(&self, id: TicketId, owner: Option<AgentId>) -> Result<(), Error> {
        if !self.known_owner(owner).await? {
            return Err(Error::Invalid(vec![field_error("owner", "unknown")]));
        }
        let now = self.ports.clock.now();
        Ok(self.ports.tickets.set_owner(id, owner, now).await?)
    }
}

fn checked_subject(raw: &str, problems: &mut Vec<crate::settings::FieldError>) -> String {
    let subject = raw.trim().to_string();
    if subject.is_empty() {
        problems.push(field_error("subject", "required"));
    } else if subject.chars().count() > MAX_SUBJECT_CHARS {
        problems.push(field_error("subject", "too_long"));
    }
    subject
}
