//! In-memory implementations of every port: a reference for the contract suites and a fast
//! double for use-case tests. One [`Memory`] holds every record behind one mutex, so each
//! call is atomic, like a database transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use portal_core::mail_in::*;
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::query::{TicketPage, TicketQuery, reference_page, searchable_text};
use portal_core::settings::PortalSettings;
use portal_core::visibility::Scope;
use portal_core::{PortError, PortResult};

#[derive(Default)]
struct State {
    next_id: i64,
    import_keys: BTreeMap<(String, String), i64>,
    tickets: BTreeMap<TicketId, Ticket>,
    threads: BTreeMap<ThreadId, Thread>,
    contacts: BTreeMap<ContactId, Contact>,
    companies: BTreeMap<CompanyId, Company>,
    lists: BTreeMap<ListId, ContactList>,
    members: BTreeSet<(ListId, ContactId)>,
    pipelines: BTreeMap<PipelineId, Pipeline>,
    inboxes: BTreeMap<InboxId, Inbox>,
    agents: BTreeMap<AgentId, Agent>,
    domains: BTreeMap<DomainId, Domain>,
    property_defs: Vec<(ObjectKind, PropertyDef)>,
    settings: Option<PortalSettings>,
    server_keys: BTreeMap<String, String>,
    accounts: BTreeMap<AccountId, Account>,
    sessions: BTreeMap<String, Session>,
    tokens: BTreeMap<String, OneTimeToken>,
    blobs: BTreeMap<String, Vec<u8>>,
    outbox: BTreeMap<i64, OutboxRow>,
    mail_threads: BTreeMap<String, ThreadToken>,
    login_failures: BTreeMap<String, Vec<Timestamp>>,
    timeline: Vec<TimelineEvent>,
    audit: Vec<AuditEntry>,
    access_log: Vec<portal_core::organisation::AccessEvent>,
    company_admins: BTreeSet<(CompanyId, ContactId)>,
    replay: BTreeMap<(String, String), Timestamp>,
    sso_requests: BTreeMap<String, PendingSsoRequest>,
    sso_links: BTreeMap<(SsoKind, String), ContactId>,
    staff: BTreeMap<AgentId, (StaffRole, String, bool)>,
    api_tokens: BTreeMap<i64, ApiToken>,
    inbound: BTreeMap<i64, InboundRow>,
    mailboxes: BTreeMap<i64, Mailbox>,
}

struct InboundRow {
    mail: InboundMail,
    digest: String,
    lease_until: Timestamp,
}

struct OutboxRow {
    mail: OutgoingMail,
    attempts: u32,
    due: Timestamp,
    lease_until: Timestamp,
    sent: bool,
    dead: bool,
    last_error: String,
}

impl State {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// `NotFound` unless the inbound mail a message is made from is still pending.
    fn check_mail_in(&self, mail_in: Option<i64>) -> PortResult<()> {
        match mail_in {
            Some(id) => match self.inbound.get(&id) {
                Some(r) if r.mail.state == InboundState::Pending => Ok(()),
                _ => Err(PortError::NotFound),
            },
            None => Ok(()),
        }
    }

    fn take_mail_in(&mut self, mail_in: Option<i64>, ticket: TicketId, message: MessageId) {
        if let Some(r) = mail_in.and_then(|id| self.inbound.get_mut(&id)) {
            r.mail.state = InboundState::Taken;
            r.mail.reason = None;
            r.mail.ticket = Some(ticket);
            r.mail.message = Some(message);
        }
    }

    fn message(&mut self, thread: ThreadId, c: NewMessageBody, at: Timestamp) -> Message {
        let id = MessageId(self.id());
        let attachments = c
            .attachments
            .into_iter()
            .map(|a| Attachment {
                id: AttachmentId(self.id()),
                file_name: a.file_name,
                content_type: a.content_type,
                size: a.size,
                blob_key: a.blob_key,
            })
            .collect();
        Message {
            id,
            thread,
            author: c.author,
            visibility: c.visibility,
            body: c.body,
            created_at: at,
            attachments,
            channel: c.channel,
        }
    }

    fn ticket_threads(&self, ticket: TicketId) -> Vec<Thread> {
        let mut out: Vec<Thread> = self
            .threads
            .values()
            .filter(|t| t.ticket == ticket)
            .cloned()
            .collect();
        out.sort_by_key(|t| (t.created_at, t.id));
        out
    }

    /// Queues a mail, due at `due`; returns its id.
    fn queue(&mut self, mail: OutgoingMail, due: Timestamp) -> i64 {
        let id = self.id();
        if let Some(t) = &mail.thread {
            self.mail_threads.insert(
                portal_core::usecases::accounts::token_hash(&t.token),
                ThreadToken {
                    ticket: t.ticket,
                    contact: t.contact,
                    created_at: due,
                    outbox: Some(id),
                },
            );
        }
        self.outbox.insert(
            id,
            OutboxRow {
                mail,
                attempts: 0,
                due,
                lease_until: Timestamp(i64::MIN),
                sent: false,
                dead: false,
                last_error: String::new(),
            },
        );
        id
    }

    fn texts(&self) -> Vec<(&Ticket, String)> {
        self.tickets
            .values()
            .map(|t| (t, searchable_text(t, &self.ticket_threads(t.id))))
            .collect()
    }
}

/// Every port in memory.
#[derive(Default, Clone)]
pub struct Memory {
    state: Arc<Mutex<State>>,
}

impl Memory {
    /// An empty store.
    pub fn new() -> Memory {
        Memory::default()
    }

    fn lock(&self) -> PortResult<MutexGuard<'_, State>> {
        self.state
            .lock()
            .map_err(|_| PortError::Backend("memory store poisoned".into()))
    }
}

#[async_trait]
impl TicketRepository for Memory {
    async fn list(&self, scope: &Scope, query: &TicketQuery) -> PortResult<TicketPage> {
        let s = self.lock()?;
        let texts = s.texts();
        Ok(reference_page(
            scope,
            query,
            texts.iter().map(|(t, x)| (*t, x.as_str())),
        ))
    }

    async fn count(&self, scope: &Scope, query: &TicketQuery) -> PortResult<u64> {
        let s = self.lock()?;
        Ok(s.texts()
            .iter()
            .filter(|(t, x)| scope.admits(t) && query.matches(t, x))
            .count() as u64)
    }

    async fn requesters_within(
        &self,
        scope: &Scope,
        among: &[ContactId],
    ) -> PortResult<BTreeSet<ContactId>> {
        let s = self.lock()?;
        Ok(s.tickets
            .values()
            .filter(|t| scope.admits(t))
            .filter_map(|t| t.requester)
            .filter(|c| among.contains(c))
            .collect())
    }

    async fn find(&self, scope: &Scope, id: TicketId) -> PortResult<Option<Ticket>> {
        let s = self.lock()?;
        Ok(s.tickets.get(&id).filter(|t| scope.admits(t)).cloned())
    }

    async fn get(&self, id: TicketId) -> PortResult<Option<Ticket>> {
        Ok(self.lock()?.tickets.get(&id).cloned())
    }

    async fn inbox(&self, query: &InboxQuery) -> PortResult<Vec<Ticket>> {
        let s = self.lock()?;
        let mut out: Vec<Ticket> = s
            .texts()
            .into_iter()
            .filter(|(t, x)| query.matches(t, x))
            .map(|(t, _)| t.clone())
            .collect();
        out.sort_by_key(|t| std::cmp::Reverse((t.last_activity_at, t.id)));
        out.truncate(query.limit);
        Ok(out)
    }

    async fn set_owner(
        &self,
        id: TicketId,
        owner: Option<AgentId>,
        at: Timestamp,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        let t = s.tickets.get_mut(&id).ok_or(PortError::NotFound)?;
        t.owner = owner;
        t.last_activity_at = at;
        Ok(())
    }

    async fn related(
        &self,
        contact: ContactId,
        company: Option<CompanyId>,
        limit: usize,
    ) -> PortResult<Vec<Ticket>> {
        let s = self.lock()?;
        let mut out: Vec<Ticket> = s
            .tickets
            .values()
            .filter(|t| {
                t.contacts.contains(&contact) || company.is_some_and(|c| t.companies.contains(&c))
            })
            .cloned()
            .collect();
        out.sort_by_key(|t| std::cmp::Reverse((t.last_activity_at, t.id)));
        out.truncate(limit);
        Ok(out)
    }

    async fn threads(&self, ticket: TicketId) -> PortResult<Vec<Thread>> {
        Ok(self.lock()?.ticket_threads(ticket))
    }

    async fn create(&self, new: NewTicket) -> PortResult<Ticket> {
        let mut s = self.lock()?;
        s.check_mail_in(new.first_message.as_ref().and_then(|m| m.mail_in))?;
        let id = TicketId(s.id());
        let ticket = Ticket {
            id,
            subject: new.subject,
            pipeline: new.pipeline,
            stage: new.stage,
            status: new.status,
            owner: new.owner,
            inbox: new.inbox,
            requester: new.requester,
            contacts: new.contacts,
            companies: new.companies,
            private: new.private,
            properties: new.properties,
            created_at: new.created_at,
            last_activity_at: new.created_at,
        };
        if let Some(first) = new.first_message {
            let inbox = new
                .inbox
                .ok_or_else(|| PortError::Backend("a first message needs an inbox".into()))?;
            let thread = ThreadId(s.id());
            let mail_in = first.mail_in;
            let message = s.message(thread, first, new.created_at);
            s.take_mail_in(mail_in, id, message.id);
            s.threads.insert(
                thread,
                Thread {
                    id: thread,
                    ticket: id,
                    inbox,
                    created_at: new.created_at,
                    messages: vec![message],
                },
            );
        }
        s.tickets.insert(id, ticket.clone());
        Ok(ticket)
    }

    async fn add_message(&self, new: NewMessage) -> PortResult<Message> {
        let mut s = self.lock()?;
        if !s.tickets.contains_key(&new.ticket) {
            return Err(PortError::NotFound);
        }
        s.check_mail_in(new.content.mail_in)?;
        let thread = match new.thread {
            ThreadTarget::Existing(id) => match s.threads.get(&id) {
                Some(t) if t.ticket == new.ticket => id,
                _ => return Err(PortError::NotFound),
            },
            ThreadTarget::New(inbox) => {
                if let Some(t) = s.tickets.get_mut(&new.ticket)
                    && t.inbox.is_none()
                {
                    t.inbox = Some(inbox);
                }
                let id = ThreadId(s.id());
                s.threads.insert(
                    id,
                    Thread {
                        id,
                        ticket: new.ticket,
                        inbox,
                        created_at: new.at,
                        messages: Vec::new(),
                    },
                );
                id
            }
        };
        let mail_in = new.content.mail_in;
        let message = s.message(thread, new.content, new.at);
        s.take_mail_in(mail_in, new.ticket, message.id);
        if let Some(t) = s.threads.get_mut(&thread) {
            t.messages.push(message.clone());
        }
        if let Some(t) = s.tickets.get_mut(&new.ticket) {
            t.last_activity_at = new.at;
        }
        for mail in new.mails {
            s.queue(mail, new.at);
        }
        Ok(message)
    }

    async fn move_to_stage(
        &self,
        id: TicketId,
        stage: StageId,
        status: TicketStatus,
        at: Timestamp,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        let t = s.tickets.get_mut(&id).ok_or(PortError::NotFound)?;
        t.stage = stage;
        t.status = status;
        t.last_activity_at = at;
        Ok(())
    }

    async fn set_people(
        &self,
        id: TicketId,
        requester: Option<ContactId>,
        contacts: BTreeSet<ContactId>,
        at: Timestamp,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        let t = s.tickets.get_mut(&id).ok_or(PortError::NotFound)?;
        t.requester = requester;
        t.contacts = contacts;
        t.last_activity_at = at;
        Ok(())
    }

    async fn set_private(&self, id: TicketId, private: bool, at: Timestamp) -> PortResult<()> {
        let mut s = self.lock()?;
        let t = s.tickets.get_mut(&id).ok_or(PortError::NotFound)?;
        t.private = private;
        t.last_activity_at = at;
        Ok(())
    }

    async fn attachment(&self, id: AttachmentId) -> PortResult<Option<(TicketId, Attachment)>> {
        let s = self.lock()?;
        Ok(s.threads.values().find_map(|t| {
            t.messages
                .iter()
                .flat_map(|m| m.attachments.iter())
                .find(|a| a.id == id)
                .map(|a| (t.ticket, a.clone()))
        }))
    }

    async fn update_ticket(
        &self,
        id: TicketId,
        subject: &str,
        properties: &Properties,
        at: Timestamp,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        let t = s.tickets.get_mut(&id).ok_or(PortError::NotFound)?;
        t.subject = subject.to_string();
        t.properties = properties.clone();
        t.last_activity_at = at;
        Ok(())
    }

    async fn update_message(
        &self,
        ticket: TicketId,
        message: MessageId,
        body: &str,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        let m = s
            .threads
            .values_mut()
            .filter(|t| t.ticket == ticket)
            .flat_map(|t| t.messages.iter_mut())
            .find(|m| m.id == message)
            .ok_or(PortError::NotFound)?;
        m.body = body.to_string();
        Ok(())
    }
}

fn same_email(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

#[async_trait]
impl Directory for Memory {
    async fn contact(&self, id: ContactId) -> PortResult<Option<Contact>> {
        Ok(self.lock()?.contacts.get(&id).cloned())
    }

    async fn contact_by_email(&self, email: &str) -> PortResult<Option<Contact>> {
        Ok(self
            .lock()?
            .contacts
            .values()
            .find(|c| same_email(&c.email, email))
            .cloned())
    }

    async fn create_contact(&self, new: NewContact) -> PortResult<Contact> {
        let mut s = self.lock()?;
        if s.contacts
            .values()
            .any(|c| same_email(&c.email, &new.email))
        {
            return Err(PortError::Conflict(format!("email {} is taken", new.email)));
        }
        let contact = Contact {
            id: ContactId(s.id()),
            email: new.email,
            membership_email: new.membership_email,
            first_name: new.first_name,
            last_name: new.last_name,
            primary_company: new.primary_company,
            language: new.language,
            properties: new.properties,
            memberships: Vec::new(),
        };
        s.contacts.insert(contact.id, contact.clone());
        Ok(contact)
    }

    async fn update_contact(&self, contact: &Contact) -> PortResult<()> {
        let mut s = self.lock()?;
        if !s.contacts.contains_key(&contact.id) {
            return Err(PortError::NotFound);
        }
        if s.contacts
            .values()
            .any(|c| c.id != contact.id && same_email(&c.email, &contact.email))
        {
            return Err(PortError::Conflict(format!(
                "email {} is taken",
                contact.email
            )));
        }
        s.contacts.insert(contact.id, contact.clone());
        Ok(())
    }

    async fn company_contacts(&self, company: CompanyId) -> PortResult<Vec<Contact>> {
        Ok(self
            .lock()?
            .contacts
            .values()
            .filter(|c| c.belongs_to(company))
            .cloned()
            .collect())
    }

    async fn company(&self, id: CompanyId) -> PortResult<Option<Company>> {
        Ok(self.lock()?.companies.get(&id).cloned())
    }

    async fn company_by_name_or_domain(&self, key: &str) -> PortResult<Option<Company>> {
        let key = key.to_lowercase();
        Ok(self
            .lock()?
            .companies
            .values()
            .find(|c| {
                c.name.to_lowercase() == key
                    || c.domain.as_deref().is_some_and(|d| d.to_lowercase() == key)
            })
            .cloned())
    }

    async fn create_company(&self, name: &str, domain: Option<&str>) -> PortResult<Company> {
        let mut s = self.lock()?;
        let company = Company {
            id: CompanyId(s.id()),
            name: name.into(),
            domain: domain.map(Into::into),
        };
        s.companies.insert(company.id, company.clone());
        Ok(company)
    }

    async fn imported(&self, kind: &str, external_id: &str) -> PortResult<Option<i64>> {
        Ok(self
            .lock()?
            .import_keys
            .get(&(kind.to_string(), external_id.to_string()))
            .copied())
    }

    async fn remember_import(&self, kind: &str, external_id: &str, id: i64) -> PortResult<()> {
        self.lock()?
            .import_keys
            .insert((kind.to_string(), external_id.to_string()), id);
        Ok(())
    }

    async fn lists(&self) -> PortResult<Vec<ContactList>> {
        Ok(self.lock()?.lists.values().cloned().collect())
    }

    async fn create_list(&self, name: &str) -> PortResult<ContactList> {
        let mut s = self.lock()?;
        let list = ContactList {
            id: ListId(s.id()),
            name: name.into(),
        };
        s.lists.insert(list.id, list.clone());
        Ok(list)
    }

    async fn add_member(&self, list: ListId, contact: ContactId) -> PortResult<()> {
        let mut s = self.lock()?;
        if !s.lists.contains_key(&list) || !s.contacts.contains_key(&contact) {
            return Err(PortError::NotFound);
        }
        s.members.insert((list, contact));
        Ok(())
    }

    async fn remove_member(&self, list: ListId, contact: ContactId) -> PortResult<()> {
        self.lock()?.members.remove(&(list, contact));
        Ok(())
    }

    async fn members(&self, list: ListId) -> PortResult<Vec<ContactId>> {
        Ok(self
            .lock()?
            .members
            .iter()
            .filter(|(l, _)| *l == list)
            .map(|(_, c)| *c)
            .collect())
    }

    async fn memberships(&self, contact: ContactId) -> PortResult<BTreeSet<ListId>> {
        Ok(self
            .lock()?
            .members
            .iter()
            .filter(|(_, c)| *c == contact)
            .map(|(l, _)| *l)
            .collect())
    }

    async fn contacts(&self, query: &RecordQuery) -> PortResult<Vec<Contact>> {
        let s = self.lock()?;
        Ok(s.contacts
            .values()
            .filter(|c| query.after.is_none_or(|a| c.id.0 > a))
            .filter(|c| query.company.is_none_or(|k| c.belongs_to(k)))
            .filter(|c| {
                query.search.as_deref().is_none_or(|q| {
                    contains_folded(&c.email, q)
                        || contains_folded(&c.first_name, q)
                        || contains_folded(&c.last_name, q)
                })
            })
            .take(query.limit)
            .cloned()
            .collect())
    }

    async fn companies(&self, query: &RecordQuery) -> PortResult<Vec<Company>> {
        let s = self.lock()?;
        Ok(s.companies
            .values()
            .filter(|c| query.after.is_none_or(|a| c.id.0 > a))
            .filter(|c| {
                query.search.as_deref().is_none_or(|q| {
                    contains_folded(&c.name, q)
                        || c.domain.as_deref().is_some_and(|d| contains_folded(d, q))
                })
            })
            .take(query.limit)
            .cloned()
            .collect())
    }

    async fn update_company(&self, company: &Company) -> PortResult<()> {
        let mut s = self.lock()?;
        let c = s
            .companies
            .get_mut(&company.id)
            .ok_or(PortError::NotFound)?;
        *c = company.clone();
        Ok(())
    }

    async fn rename_list(&self, list: ListId, name: &str) -> PortResult<()> {
        let mut s = self.lock()?;
        let l = s.lists.get_mut(&list).ok_or(PortError::NotFound)?;
        l.name = name.to_string();
        Ok(())
    }
}

fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[async_trait]
impl HelpDeskCatalog for Memory {
    async fn pipelines(&self) -> PortResult<Vec<Pipeline>> {
        Ok(self.lock()?.pipelines.values().cloned().collect())
    }

    async fn create_pipeline(&self, label: &str, stages: Vec<NewStage>) -> PortResult<Pipeline> {
        let mut s = self.lock()?;
        let id = PipelineId(s.id());
        let stages = stages
            .into_iter()
            .map(|n| Stage {
                id: StageId(s.id()),
                label: n.label,
                closed: n.closed,
            })
            .collect();
        let p = Pipeline {
            id,
            label: label.into(),
            stages,
        };
        s.pipelines.insert(id, p.clone());
        Ok(p)
    }

    async fn inboxes(&self) -> PortResult<Vec<Inbox>> {
        Ok(self.lock()?.inboxes.values().cloned().collect())
    }

    async fn create_inbox(&self, name: &str, pipeline: PipelineId) -> PortResult<Inbox> {
        let mut s = self.lock()?;
        if !s.pipelines.contains_key(&pipeline) {
            return Err(PortError::NotFound);
        }
        let inbox = Inbox {
            id: InboxId(s.id()),
            name: name.into(),
            pipeline,
        };
        s.inboxes.insert(inbox.id, inbox.clone());
        Ok(inbox)
    }

    async fn agents(&self) -> PortResult<Vec<Agent>> {
        Ok(self.lock()?.agents.values().cloned().collect())
    }

    async fn create_agent(&self, agent: Agent) -> PortResult<Agent> {
        let mut s = self.lock()?;
        if s.agents
            .values()
            .any(|a| same_email(&a.email, &agent.email))
        {
            return Err(PortError::Conflict(format!(
                "email {} is taken",
                agent.email
            )));
        }
        let agent = Agent {
            id: AgentId(s.id()),
            ..agent
        };
        s.agents.insert(agent.id, agent.clone());
        Ok(agent)
    }

    async fn domains(&self) -> PortResult<Vec<Domain>> {
        Ok(self.lock()?.domains.values().cloned().collect())
    }

    async fn create_domain(&self, host: &str, language: &str) -> PortResult<Domain> {
        let mut s = self.lock()?;
        if s.domains
            .values()
            .any(|d| d.host.eq_ignore_ascii_case(host))
        {
            return Err(PortError::Conflict(format!("domain {host} exists")));
        }
        let d = Domain {
            id: DomainId(s.id()),
            host: host.into(),
            language: language.into(),
        };
        s.domains.insert(d.id, d.clone());
        Ok(d)
    }

    async fn update_domain(&self, domain: &Domain) -> PortResult<()> {
        let mut s = self.lock()?;
        let d = s.domains.get_mut(&domain.id).ok_or(PortError::NotFound)?;
        *d = domain.clone();
        Ok(())
    }

    async fn property_defs(&self, object: ObjectKind) -> PortResult<Vec<PropertyDef>> {
        Ok(self
            .lock()?
            .property_defs
            .iter()
            .filter(|(o, _)| *o == object)
            .map(|(_, d)| d.clone())
            .collect())
    }

    async fn define_property(&self, object: ObjectKind, def: PropertyDef) -> PortResult<()> {
        let mut s = self.lock()?;
        if s.property_defs
            .iter()
            .any(|(o, d)| *o == object && d.name == def.name)
        {
            return Err(PortError::Conflict(format!("property {} exists", def.name)));
        }
        s.property_defs.push((object, def));
        Ok(())
    }

    async fn add_stage(&self, pipeline: PipelineId, stage: NewStage) -> PortResult<Stage> {
        let mut s = self.lock()?;
        if !s.pipelines.contains_key(&pipeline) {
            return Err(PortError::NotFound);
        }
        let stage = Stage {
            id: StageId(s.id()),
            label: stage.label,
            closed: stage.closed,
        };
        let p = s.pipelines.get_mut(&pipeline).ok_or(PortError::NotFound)?;
        p.stages.push(stage.clone());
        Ok(stage)
    }

    async fn update_agent(&self, agent: &Agent) -> PortResult<()> {
        let mut s = self.lock()?;
        if !s.agents.contains_key(&agent.id) {
            return Err(PortError::NotFound);
        }
        if s.agents
            .values()
            .any(|a| a.id != agent.id && same_email(&a.email, &agent.email))
        {
            return Err(PortError::Conflict(format!(
                "email {} is taken",
                agent.email
            )));
        }
        s.agents.insert(agent.id, agent.clone());
        Ok(())
    }
}

#[async_trait]
impl SettingsRepository for Memory {
    async fn load(&self) -> PortResult<PortalSettings> {
        Ok(self.lock()?.settings.clone().unwrap_or_default())
    }

    async fn save(&self, settings: &PortalSettings) -> PortResult<PortalSettings> {
        let mut s = self.lock()?;
        let stored = s.settings.as_ref().map_or(0, |x| x.version);
        if stored != settings.version {
            return Err(PortError::Conflict(format!(
                "settings changed meanwhile (version {stored})"
            )));
        }
        let saved = PortalSettings {
            version: stored + 1,
            ..settings.clone()
        };
        s.settings = Some(saved.clone());
        Ok(saved)
    }

    async fn check_writable(&self) -> PortResult<()> {
        self.lock().map(|_| ())
    }

    async fn server_key(&self, name: &str, candidate: String) -> PortResult<String> {
        let mut s = self.lock()?;
        Ok(s.server_keys
            .entry(name.to_string())
            .or_insert(candidate)
            .clone())
    }
}

#[async_trait]
impl AccountRepository for Memory {
    async fn create(&self, account: Account) -> PortResult<Account> {
        let mut s = self.lock()?;
        if s.accounts
            .values()
            .any(|a| same_email(&a.email, &account.email) || a.contact == account.contact)
        {
            return Err(PortError::Conflict("account exists".into()));
        }
        let account = Account {
            id: AccountId(s.id()),
            email: account.email.to_ascii_lowercase(),
            ..account
        };
        s.accounts.insert(account.id, account.clone());
        Ok(account)
    }

    async fn by_email(&self, email: &str) -> PortResult<Option<Account>> {
        Ok(self
            .lock()?
            .accounts
            .values()
            .find(|a| same_email(&a.email, email))
            .cloned())
    }

    async fn by_id(&self, id: AccountId) -> PortResult<Option<Account>> {
        Ok(self.lock()?.accounts.get(&id).cloned())
    }

    async fn by_contact(&self, contact: ContactId) -> PortResult<Option<Account>> {
        Ok(self
            .lock()?
            .accounts
            .values()
            .find(|a| a.contact == contact)
            .cloned())
    }

    async fn update(&self, account: &Account) -> PortResult<()> {
        let mut s = self.lock()?;
        let a = s.accounts.get_mut(&account.id).ok_or(PortError::NotFound)?;
        *a = account.clone();
        Ok(())
    }
}

#[async_trait]
impl SessionStore for Memory {
    async fn insert(&self, session: Session) -> PortResult<()> {
        let mut s = self.lock()?;
        if s.sessions.contains_key(&session.token_hash) {
            return Err(PortError::Conflict("session exists".into()));
        }
        s.sessions.insert(session.token_hash.clone(), session);
        Ok(())
    }

    async fn get(&self, token_hash: &str) -> PortResult<Option<Session>> {
        Ok(self.lock()?.sessions.get(token_hash).cloned())
    }

    async fn get_with_customer(
        &self,
        token_hash: &str,
    ) -> PortResult<Option<(Session, Option<(Account, Contact)>)>> {
        let s = self.lock()?;
        let Some(session) = s.sessions.get(token_hash).cloned() else {
            return Ok(None);
        };
        let who = match session.principal {
            Principal::Customer(id) => s
                .accounts
                .get(&id)
                .and_then(|a| s.contacts.get(&a.contact).map(|c| (a.clone(), c.clone()))),
            Principal::Staff(_) => None,
        };
        Ok(Some((session, who)))
    }

    async fn touch(&self, token_hash: &str, at: Timestamp) -> PortResult<()> {
        if let Some(x) = self.lock()?.sessions.get_mut(token_hash) {
            x.last_seen = x.last_seen.max(at);
        }
        Ok(())
    }

    async fn delete(&self, token_hash: &str) -> PortResult<()> {
        self.lock()?.sessions.remove(token_hash);
        Ok(())
    }

    async fn delete_all(&self, principal: Principal, keep: Option<&str>) -> PortResult<u64> {
        let mut s = self.lock()?;
        let before = s.sessions.len();
        s.sessions
            .retain(|h, x| x.principal != principal || Some(h.as_str()) == keep);
        Ok((before - s.sessions.len()) as u64)
    }
}

#[async_trait]
impl TokenStore for Memory {
    async fn issue(
        &self,
        token: OneTimeToken,
        mail: OutgoingMail,
        now: Timestamp,
    ) -> PortResult<i64> {
        let mut s = self.lock()?;
        if s.tokens.contains_key(&token.token_hash) {
            return Err(PortError::Conflict("token exists".into()));
        }
        s.tokens
            .retain(|_, t| !(t.contact == token.contact && t.purpose == token.purpose));
        s.tokens.insert(token.token_hash.clone(), token);
        let id = s.queue(mail, now);
        Ok(id)
    }

    async fn insert(&self, token: OneTimeToken) -> PortResult<()> {
        let mut s = self.lock()?;
        if s.tokens.contains_key(&token.token_hash) {
            return Err(PortError::Conflict("token exists".into()));
        }
        s.tokens.insert(token.token_hash.clone(), token);
        Ok(())
    }

    async fn consume(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> PortResult<Option<OneTimeToken>> {
        let mut s = self.lock()?;
        match s.tokens.get(token_hash) {
            Some(t) if t.purpose == purpose && now < t.expires_at => {
                Ok(s.tokens.remove(token_hash))
            }
            _ => Ok(None),
        }
    }

    async fn revoke(&self, contact: ContactId, purpose: TokenPurpose) -> PortResult<()> {
        self.lock()?
            .tokens
            .retain(|_, t| t.contact != contact || t.purpose != purpose);
        Ok(())
    }
}

#[async_trait]
impl BlobStore for Memory {
    async fn put(&self, bytes: Vec<u8>) -> PortResult<String> {
        let mut s = self.lock()?;
        let key = format!("blob-{}", s.id());
        s.blobs.insert(key.clone(), bytes);
        Ok(key)
    }

    async fn get(&self, key: &str) -> PortResult<Option<Vec<u8>>> {
        Ok(self.lock()?.blobs.get(key).cloned())
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        self.lock()?.blobs.remove(key);
        Ok(())
    }
}

#[async_trait]
impl LoginAttempts for Memory {
    async fn record_failure(&self, key: &str, at: Timestamp) -> PortResult<()> {
        self.lock()?
            .login_failures
            .entry(key.to_string())
            .or_default()
            .push(at);
        Ok(())
    }

    async fn failures_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> PortResult<(u32, Option<Timestamp>)> {
        let s = self.lock()?;
        let recent: Vec<Timestamp> = s
            .login_failures
            .get(key)
            .map(|v| v.iter().copied().filter(|t| *t >= since).collect())
            .unwrap_or_default();
        Ok((recent.len() as u32, recent.iter().copied().max()))
    }

    async fn clear(&self, key: &str) -> PortResult<()> {
        self.lock()?.login_failures.remove(key);
        Ok(())
    }
}

#[async_trait]
impl InboundMails for Memory {
    async fn store(&self, new: NewInboundMail) -> PortResult<(i64, bool)> {
        let mut s = self.lock()?;
        if let Some((id, _)) = s
            .inbound
            .iter()
            .find(|(_, r)| r.mail.inbox == new.inbox && r.digest == new.digest)
        {
            return Ok((*id, false));
        }
        let id = s.id();
        s.inbound.insert(
            id,
            InboundRow {
                mail: InboundMail {
                    id,
                    inbox: new.inbox,
                    source: new.source,
                    blob_key: new.blob_key,
                    size: new.size,
                    received_at: new.at,
                    state: InboundState::Pending,
                    reason: None,
                    sender: None,
                    subject: None,
                    ticket: None,
                    message: None,
                },
                digest: new.digest,
                lease_until: Timestamp(i64::MIN),
            },
        );
        Ok((id, true))
    }

    async fn get(&self, id: i64) -> PortResult<Option<InboundMail>> {
        Ok(self.lock()?.inbound.get(&id).map(|r| r.mail.clone()))
    }

    async fn lease(&self, id: i64, now: Timestamp, until: Timestamp) -> PortResult<bool> {
        let mut s = self.lock()?;
        match s.inbound.get_mut(&id) {
            Some(r) if r.mail.state == InboundState::Pending && r.lease_until <= now => {
                r.lease_until = until;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn pending(&self, now: Timestamp, limit: usize) -> PortResult<Vec<i64>> {
        Ok(self
            .lock()?
            .inbound
            .iter()
            .filter(|(_, r)| r.mail.state == InboundState::Pending && r.lease_until <= now)
            .map(|(id, _)| *id)
            .take(limit)
            .collect())
    }

    async fn describe(&self, id: i64, sender: Option<&str>, subject: &str) -> PortResult<()> {
        let mut s = self.lock()?;
        let r = s.inbound.get_mut(&id).ok_or(PortError::NotFound)?;
        r.mail.sender = sender.map(str::to_string);
        r.mail.subject = Some(subject.to_string());
        Ok(())
    }

    async fn settle(&self, id: i64, state: InboundState, reason: &str) -> PortResult<()> {
        let mut s = self.lock()?;
        match s.inbound.get_mut(&id) {
            Some(r) if r.mail.state == InboundState::Pending => {
                r.mail.state = state;
                r.mail.reason = Some(reason.to_string());
                Ok(())
            }
            _ => Err(PortError::NotFound),
        }
    }

    async fn quarantined(&self, limit: usize) -> PortResult<Vec<InboundMail>> {
        Ok(self
            .lock()?
            .inbound
            .values()
            .rev()
            .filter(|r| r.mail.state == InboundState::Quarantined)
            .take(limit)
            .map(|r| r.mail.clone())
            .collect())
    }

    async fn of_ticket(&self, ticket: TicketId) -> PortResult<Vec<InboundMail>> {
        Ok(self
            .lock()?
            .inbound
            .values()
            .filter(|r| r.mail.ticket == Some(ticket))
            .map(|r| r.mail.clone())
            .collect())
    }

    async fn requeue(&self, id: i64) -> PortResult<()> {
        let mut s = self.lock()?;
        match s.inbound.get_mut(&id) {
            Some(r) if r.mail.state == InboundState::Quarantined => {
                r.mail.state = InboundState::Pending;
                r.mail.reason = None;
                r.lease_until = Timestamp(i64::MIN);
                Ok(())
            }
            _ => Err(PortError::NotFound),
        }
    }

    async fn delete(&self, id: i64) -> PortResult<String> {
        let mut s = self.lock()?;
        match s.inbound.get(&id) {
            Some(r) if r.mail.state == InboundState::Quarantined => {
                let key = r.mail.blob_key.clone();
                s.inbound.remove(&id);
                Ok(key)
            }
            _ => Err(PortError::NotFound),
        }
    }

    async fn mailboxes(&self) -> PortResult<Vec<Mailbox>> {
        Ok(self.lock()?.mailboxes.values().cloned().collect())
    }

    async fn save_mailbox(&self, mailbox: &Mailbox) -> PortResult<i64> {
        let mut s = self.lock()?;
        let id = match mailbox.id {
            0 => s.id(),
            id if s.mailboxes.contains_key(&id) => id,
            _ => return Err(PortError::NotFound),
        };
        s.mailboxes.insert(
            id,
            Mailbox {
                id,
                checked_at: None,
                last_error: None,
                ..mailbox.clone()
            },
        );
        Ok(id)
    }

    async fn delete_mailbox(&self, id: i64) -> PortResult<()> {
        self.lock()?
            .mailboxes
            .remove(&id)
            .map(|_| ())
            .ok_or(PortError::NotFound)
    }

    async fn mailbox_checked(&self, id: i64, at: Timestamp, error: Option<&str>) -> PortResult<()> {
        if let Some(m) = self.lock()?.mailboxes.get_mut(&id) {
            m.checked_at = Some(at);
            m.last_error = error.map(str::to_string);
        }
        Ok(())
    }
}

#[async_trait]
impl Outbox for Memory {
    async fn enqueue(&self, mail: OutgoingMail, now: Timestamp) -> PortResult<i64> {
        let mut s = self.lock()?;
        let id = s.queue(mail, now);
        Ok(id)
    }

    async fn thread(&self, token_hash: &str) -> PortResult<Option<ThreadToken>> {
        Ok(self.lock()?.mail_threads.get(token_hash).copied())
    }

    async fn claim(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> PortResult<Vec<QueuedMail>> {
        let mut s = self.lock()?;
        let mut out = Vec::new();
        for (id, row) in s.outbox.iter_mut() {
            if out.len() >= limit {
                break;
            }
            if !row.sent && !row.dead && row.due <= now && row.lease_until <= now {
                row.lease_until = lease_until;
                out.push(QueuedMail {
                    id: *id,
                    mail: row.mail.clone(),
                    attempts: row.attempts,
                });
            }
        }
        Ok(out)
    }

    async fn mark_sent(&self, id: i64, _at: Timestamp) -> PortResult<()> {
        let mut s = self.lock()?;
        let row = s.outbox.get_mut(&id).ok_or(PortError::NotFound)?;
        row.sent = true;
        Ok(())
    }

    async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
        dead: bool,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        let row = s.outbox.get_mut(&id).ok_or(PortError::NotFound)?;
        row.attempts += 1;
        row.due = retry_at;
        row.lease_until = Timestamp(i64::MIN);
        row.dead = dead;
        row.last_error = error.to_string();
        Ok(())
    }

    async fn dead(&self, limit: usize) -> PortResult<Vec<DeadMail>> {
        let s = self.lock()?;
        Ok(s.outbox
            .iter()
            .rev()
            .filter(|(_, r)| r.dead)
            .take(limit)
            .map(|(id, r)| DeadMail {
                id: *id,
                mail: r.mail.clone(),
                attempts: r.attempts,
                last_error: r.last_error.clone(),
            })
            .collect())
    }

    async fn bounce(&self, id: i64, error: &str) -> PortResult<()> {
        let mut s = self.lock()?;
        let row = s.outbox.get_mut(&id).ok_or(PortError::NotFound)?;
        row.sent = false;
        row.dead = true;
        row.lease_until = Timestamp(i64::MIN);
        row.last_error = error.to_string();
        Ok(())
    }

    async fn retry(&self, id: i64, now: Timestamp) -> PortResult<()> {
        let mut s = self.lock()?;
        let row = s
            .outbox
            .get_mut(&id)
            .filter(|r| r.dead)
            .ok_or(PortError::NotFound)?;
        row.dead = false;
        row.attempts = 0;
        row.due = now;
        row.lease_until = Timestamp(i64::MIN);
        Ok(())
    }
}

#[async_trait]
impl Timeline for Memory {
    async fn append(&self, event: TimelineEvent) -> PortResult<()> {
        self.lock()?.timeline.push(event);
        Ok(())
    }

    async fn for_contact(
        &self,
        contact: ContactId,
        limit: usize,
    ) -> PortResult<Vec<TimelineEvent>> {
        let s = self.lock()?;
        Ok(s.timeline
            .iter()
            .rev()
            .filter(|e| e.contact == contact)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn for_ticket(&self, ticket: TicketId, limit: usize) -> PortResult<Vec<TimelineEvent>> {
        let s = self.lock()?;
        Ok(s.timeline
            .iter()
            .rev()
            .filter(|e| e.ticket == ticket)
            .take(limit)
            .cloned()
            .collect())
    }
}

#[async_trait]
impl AccessLogStore for Memory {
    async fn record(&self, e: portal_core::organisation::NewAccessEvent) -> PortResult<()> {
        let mut s = self.lock()?;
        let id = s.id();
        s.access_log.push(portal_core::organisation::AccessEvent {
            id,
            company: e.company,
            contact: e.contact,
            ticket: e.ticket,
            action: e.action,
            count: e.count,
            at: e.at,
        });
        Ok(())
    }

    async fn page(
        &self,
        company: CompanyId,
        query: &portal_core::organisation::AccessLogQuery,
    ) -> PortResult<Vec<portal_core::organisation::AccessEvent>> {
        let limit = query.limit.min(portal_core::organisation::MAX_LOG_PAGE);
        Ok(self
            .lock()?
            .access_log
            .iter()
            .rev()
            .filter(|e| e.company == company && portal_core::organisation::matches(query, e))
            .take(limit)
            .cloned()
            .collect())
    }

    async fn purge(&self, before: Timestamp) -> PortResult<u64> {
        let mut s = self.lock()?;
        let n = s.access_log.len();
        s.access_log.retain(|e| e.at >= before);
        Ok((n - s.access_log.len()) as u64)
    }

    async fn admin_of(&self, contact: ContactId) -> PortResult<Vec<CompanyId>> {
        Ok(self
            .lock()?
            .company_admins
            .iter()
            .filter(|(_, c)| *c == contact)
            .map(|(co, _)| *co)
            .collect())
    }

    async fn set_admin(
        &self,
        company: CompanyId,
        contact: ContactId,
        admin: bool,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        if admin {
            s.company_admins.insert((company, contact));
        } else {
            s.company_admins.remove(&(company, contact));
        }
        Ok(())
    }
}

#[async_trait]
impl AuditLog for Memory {
    async fn record(&self, entry: AuditEntry) -> PortResult<()> {
        self.lock()?.audit.push(entry);
        Ok(())
    }

    async fn recent(&self, limit: usize) -> PortResult<Vec<AuditEntry>> {
        Ok(self
            .lock()?
            .audit
            .iter()
            .rev()
            .take(limit)
            .cloned()
            .collect())
    }
}

#[async_trait]
impl ReplayGuard for Memory {
    async fn first_use(
        &self,
        namespace: &str,
        id: &str,
        keep_until: Timestamp,
    ) -> PortResult<bool> {
        let mut s = self.lock()?;
        let key = (namespace.to_string(), id.to_string());
        if s.replay.contains_key(&key) {
            return Ok(false);
        }
        s.replay.insert(key, keep_until);
        Ok(true)
    }
}

#[async_trait]
impl SsoStore for Memory {
    async fn insert_request(&self, request: PendingSsoRequest) -> PortResult<()> {
        let mut s = self.lock()?;
        if s.sso_requests.contains_key(&request.id) {
            return Err(PortError::Conflict("request id".into()));
        }
        s.sso_requests.insert(request.id.clone(), request);
        Ok(())
    }

    async fn take_request(
        &self,
        id: &str,
        now: Timestamp,
    ) -> PortResult<Option<PendingSsoRequest>> {
        let mut s = self.lock()?;
        Ok(s.sso_requests.remove(id).filter(|r| now < r.expires_at))
    }

    async fn link(&self, kind: SsoKind, external_id: &str, contact: ContactId) -> PortResult<()> {
        let mut s = self.lock()?;
        if !s.contacts.contains_key(&contact) {
            return Err(PortError::NotFound);
        }
        s.sso_links.insert((kind, external_id.to_string()), contact);
        Ok(())
    }

    async fn linked_contact(
        &self,
        kind: SsoKind,
        external_id: &str,
    ) -> PortResult<Option<ContactId>> {
        let s = self.lock()?;
        Ok(s.sso_links.get(&(kind, external_id.to_string())).copied())
    }
}

#[async_trait]
impl StaffStore for Memory {
    async fn staff_by_email(&self, email: &str) -> PortResult<Option<StaffLogin>> {
        let s = self.lock()?;
        Ok(s.agents
            .values()
            .find(|a| a.email.eq_ignore_ascii_case(email))
            .and_then(|a| {
                s.staff.get(&a.id).map(|(role, hash, enabled)| StaffLogin {
                    agent: a.clone(),
                    role: *role,
                    password_hash: hash.clone(),
                    enabled: *enabled,
                })
            }))
    }

    async fn staff_by_agent(&self, agent: AgentId) -> PortResult<Option<StaffLogin>> {
        let s = self.lock()?;
        Ok(s.agents.get(&agent).and_then(|a| {
            s.staff.get(&a.id).map(|(role, hash, enabled)| StaffLogin {
                agent: a.clone(),
                role: *role,
                password_hash: hash.clone(),
                enabled: *enabled,
            })
        }))
    }

    async fn set_staff_login(
        &self,
        agent: AgentId,
        role: StaffRole,
        password_hash: &str,
        enabled: bool,
    ) -> PortResult<()> {
        let mut s = self.lock()?;
        if !s.agents.contains_key(&agent) {
            return Err(PortError::NotFound);
        }
        s.staff
            .insert(agent, (role, password_hash.to_string(), enabled));
        Ok(())
    }

    async fn create_api_token(&self, token: ApiToken) -> PortResult<ApiToken> {
        let mut s = self.lock()?;
        if !s.agents.contains_key(&token.agent) {
            return Err(PortError::NotFound);
        }
        if s.api_tokens
            .values()
            .any(|t| t.token_hash == token.token_hash)
        {
            return Err(PortError::Conflict("token exists".into()));
        }
        let token = ApiToken {
            id: s.id(),
            ..token
        };
        s.api_tokens.insert(token.id, token.clone());
        Ok(token)
    }

    async fn api_token(&self, token_hash: &str) -> PortResult<Option<ApiToken>> {
        Ok(self
            .lock()?
            .api_tokens
            .values()
            .find(|t| t.token_hash == token_hash)
            .cloned())
    }

    async fn api_tokens(&self, agent: AgentId) -> PortResult<Vec<ApiToken>> {
        Ok(self
            .lock()?
            .api_tokens
            .values()
            .filter(|t| t.agent == agent)
            .cloned()
            .collect())
    }

    async fn revoke_api_token(&self, agent: AgentId, id: i64) -> PortResult<()> {
        let mut s = self.lock()?;
        match s.api_tokens.get(&id) {
            Some(t) if t.agent == agent => {
                s.api_tokens.remove(&id);
                Ok(())
            }
            _ => Err(PortError::NotFound),
        }
    }
}

/// A clock the test sets.
#[derive(Debug, Default)]
pub struct TestClock(AtomicI64);

impl TestClock {
    /// A clock showing `t`.
    pub fn at(t: Timestamp) -> TestClock {
        TestClock(AtomicI64::new(t.0))
    }

    /// Moves the clock to `t`.
    pub fn set(&self, t: Timestamp) {
        self.0.store(t.0, Ordering::SeqCst);
    }

    /// Moves the clock forward.
    pub fn advance_seconds(&self, s: i64) {
        self.0.fetch_add(s * 1000, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

/// Deterministic "randomness": distinct 32-byte values from a counter. Never for production.
#[derive(Debug, Default)]
pub struct CountingRandom(AtomicU64);

impl RandomSource for CountingRandom {
    fn token_bytes(&self) -> [u8; 32] {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        let mut out = [0x5a; 32];
        out[..8].copy_from_slice(&n.to_be_bytes());
        out
    }
}

/// A password "hasher" that stores `plain:` + the password, for fast tests only. It counts
/// its verifications so tests can check that a missing account costs a verification too.
#[derive(Debug, Default)]
pub struct PlainHasher {
    /// Verifications done, with or without a hash.
    pub verifications: AtomicU64,
}

#[async_trait]
impl PasswordHasher for PlainHasher {
    async fn hash(&self, password: &str) -> PortResult<String> {
        Ok(format!("plain:{password}"))
    }

    async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        self.verifications.fetch_add(1, Ordering::SeqCst);
        hash.is_some_and(|h| h.strip_prefix("plain:") == Some(password))
    }
}

/// In-memory ports with a test clock at `start`, plus handles to the clock and hasher.
pub struct TestPorts {
    /// The ports.
    pub ports: Ports,
    /// The store behind them.
    pub memory: Memory,
    /// The clock.
    pub clock: Arc<TestClock>,
    /// The hasher.
    pub hasher: Arc<PlainHasher>,
}

/// Wires every port to one fresh [`Memory`].
pub fn memory_ports(start: Timestamp) -> TestPorts {
    let memory = Memory::new();
    let clock = Arc::new(TestClock::at(start));
    let hasher = Arc::new(PlainHasher::default());
    let m = Arc::new(memory.clone());
    let ports = Ports {
        tickets: m.clone(),
        directory: m.clone(),
        catalog: m.clone(),
        settings: m.clone(),
        accounts: m.clone(),
        sessions: m.clone(),
        tokens: m.clone(),
        blobs: m.clone(),
        outbox: m.clone(),
        inbound: m.clone(),
        timeline: m.clone(),
        audit: m.clone(),
        access_log: m.clone(),
        replay: m.clone(),
        sso: m.clone(),
        attempts: m.clone(),
        staff: m,
        hasher: hasher.clone(),
        clock: clock.clone(),
        random: Arc::new(CountingRandom::default()),
        languages: portal_core::settings::Languages::default(),
    };
    TestPorts {
        ports,
        memory,
        clock,
        hasher,
    }
}

/// A [`SecretBox`] for tests: reversible, keyed by one byte, so a box with another key
/// cannot open what this one sealed (not encryption: the server's box is).
#[derive(Debug, Clone, Copy)]
pub struct TestSecrets(pub u8);

impl SecretBox for TestSecrets {
    fn seal(&self, plain: &str) -> Result<String, String> {
        let hex: String = plain
            .bytes()
            .map(|b| format!("{:02x}", b ^ self.0))
            .collect();
        Ok(format!("test{}:{hex}", self.0))
    }

    fn open(&self, sealed: &str) -> Result<String, String> {
        let hex = sealed
            .strip_prefix(&format!("test{}:", self.0))
            .ok_or("sealed with another key")?;
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .map(|b| b ^ self.0)
                    .ok_or("not sealed")
            })
            .collect::<Result<Vec<u8>, _>>()?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }
}
