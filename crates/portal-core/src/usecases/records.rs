//! The staff's records (U2, U3): contacts with their timeline, companies, lists and their
//! members, pipelines and stages, inboxes, custom property definitions and agents' aliases.
//! Adding a contact to a list that is an access group sends the registration email at once
//! (A1, A4), unless the contact already has a password login; staff can resend it. Every
//! write is validated here (each problem with its field) and written to the audit log.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::model::{
    Agent, AgentId, Company, CompanyId, Contact, ContactId, ContactList, Inbox, ListId, Pipeline,
    PipelineId, Properties, Stage, Ticket, TimelineEvent, Value, ValueKind,
};
use crate::ports::{AuditEntry, NewContact, NewStage, Ports, RecordQuery};
use crate::property::{ObjectKind, PropertyCatalog, PropertyDef};
use crate::settings::FieldError;
use crate::usecases::accounts::Accounts;
use crate::usecases::portal::{field_error, parse_value};

/// The most records one page of contacts or companies shows.
pub const RECORD_PAGE: usize = crate::query::PAGE_MAX;
/// The most characters of a name or label.
pub const MAX_NAME_CHARS: usize = 100;

/// A contact as staff enter it: every field as text, custom properties by name (an empty
/// text unsets the property).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    /// Primary email.
    pub email: String,
    /// Membership email (A4); empty for none.
    pub membership_email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Primary company.
    pub company: Option<CompanyId>,
    /// Language tag; empty for none.
    pub language: String,
    /// Custom properties as text.
    pub properties: BTreeMap<String, String>,
}

impl ContactInput {
    /// The input that would leave `contact` as it is.
    pub fn of(contact: &Contact) -> ContactInput {
        ContactInput {
            email: contact.email.clone(),
            membership_email: contact.membership_email.clone().unwrap_or_default(),
            first_name: contact.first_name.clone(),
            last_name: contact.last_name.clone(),
            company: contact.primary_company,
            language: contact.language.clone().unwrap_or_default(),
            properties: contact
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), value_input(v)))
                .collect(),
        }
    }
}

/// A value as a form shows it (dates as `YYYY-MM-DD`).
pub fn value_input(v: &Value) -> String {
    match v {
        Value::Date(t) => crate::filter::date_text(*t),
        other => other.to_string(),
    }
}

/// A contact with what staff see about it (U2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRecord {
    /// The contact.
    pub contact: Contact,
    /// Its primary company.
    pub company: Option<Company>,
    /// The lists it is on.
    pub lists: Vec<ContactList>,
    /// Whether it has a portal login with a password.
    pub has_login: bool,
    /// Whether its portal account (if any) is enabled; `None` without an account.
    pub login_enabled: Option<bool>,
    /// Its portal activity, newest first.
    pub timeline: Vec<TimelineEvent>,
    /// The tickets of the contact (and its company), newest activity first.
    pub tickets: Vec<Ticket>,
    /// The contact's companies (primary first, C2) it is a portal admin of (C4): it reads
    /// their access logs and limits its colleagues there (C5).
    pub admin_of: Vec<CompanyId>,
}

/// A new custom property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyInput {
    /// Internal name: a lower-case letter, then letters, digits or `_` (at most 40).
    pub name: String,
    /// Display label.
    pub label: String,
    /// `text`, `number` or `date`.
    pub kind: String,
    /// For text: the allowed values, one per line (empty: free text).
    pub options: Vec<String>,
}

/// A list with its member count and whether it is an access group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSummary {
    /// The list.
    pub list: ContactList,
    /// How many contacts are on it.
    pub members: usize,
    /// Whether its members may log in (A1).
    pub access_group: bool,
}

/// A member and their login state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The contact.
    pub contact: Contact,
    /// Whether the contact has set a password.
    pub has_login: bool,
}

/// What adding a member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Added; the list is not an access group, or the contact already logs in.
    Added,
    /// Added, and the registration email is queued.
    Invited,
}

/// Record use cases.
#[derive(Clone)]
pub struct Records {
    pub(crate) ports: Ports,
}

impl Records {
    /// Use cases over these ports.
    pub fn new(ports: Ports) -> Records {
        Records { ports }
    }

    /// Every list with its size.
    pub async fn lists(&self) -> Result<Vec<ListSummary>, Error> {
        let groups = self.ports.settings.load().await?.access.access_groups;
        let mut out = Vec::new();
        for list in self.ports.directory.lists().await? {
            let members = self.ports.directory.members(list.id).await?.len();
            out.push(ListSummary {
                access_group: groups.contains(&list.id),
                list,
                members,
            });
        }
        Ok(out)
    }

    /// One page of lists in id order after `after` (keyset paging, as the other records).
    pub async fn lists_page(
        &self,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<ListSummary>, Error> {
        let limit = crate::query::check_page_size(limit)?;
        let mut all = self.lists().await?;
        all.sort_by_key(|l| l.list.id);
        Ok(all
            .into_iter()
            .filter(|l| after.is_none_or(|a| l.list.id.0 > a))
            .take(limit)
            .collect())
    }

    /// One contact, without the rest of its record.
    pub async fn find_contact(&self, id: ContactId) -> Result<Contact, Error> {
        self.ports
            .directory
            .contact(id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The contact with this email (case-insensitive), if any.
    pub async fn contact_by_email(&self, email: &str) -> Result<Option<Contact>, Error> {
        Ok(self.ports.directory.contact_by_email(email.trim()).await?)
    }

    /// One company, without its contacts.
    pub async fn find_company(&self, id: CompanyId) -> Result<Company, Error> {
        self.ports
            .directory
            .company(id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The contacts of a company.
    pub async fn company_contacts(&self, id: CompanyId) -> Result<Vec<Contact>, Error> {
        Ok(self.ports.directory.company_contacts(id).await?)
    }

    /// Creates a list (1–100 characters).
    pub async fn create_list(&self, name: &str) -> Result<ContactList, Error> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "required", "a name"));
        }
        if name.chars().count() > 100 {
            return Err(Error::invalid("name", "too_long", "at most 100 characters"));
        }
        Ok(self.ports.directory.create_list(name).await?)
    }

    /// A list and its members, by name.
    pub async fn members(&self, list: ListId) -> Result<(ListSummary, Vec<Member>), Error> {
        let summary = self
            .lists()
            .await?
            .into_iter()
            .find(|l| l.list.id == list)
            .ok_or(Error::NotFound)?;
        let mut out = Vec::new();
        for id in self.ports.directory.members(list).await? {
            if let Some(contact) = self.ports.directory.contact(id).await? {
                let has_login = self
                    .ports
                    .accounts
                    .by_contact(id)
                    .await?
                    .is_some_and(|a| a.password_hash.is_some());
                out.push(Member { contact, has_login });
            }
        }
        out.sort_by(|a, b| a.contact.email.cmp(&b.contact.email));
        Ok((summary, out))
    }

    /// Adds the contact with this email; on an access group a contact without a login gets
    /// the registration email right away (A1: "new list members get one too").
    pub async fn add_member(
        &self,
        list: ListId,
        email: &str,
        portal_url: &str,
    ) -> Result<Added, Error> {
        let contact = self
            .ports
            .directory
            .contact_by_email(email.trim())
            .await?
            .ok_or_else(|| Error::invalid("email", "unknown", "no contact has this email"))?;
        self.ports.directory.add_member(list, contact.id).await?;
        let settings = self.ports.settings.load().await?;
        if !settings.access.access_groups.contains(&list) {
            return Ok(Added::Added);
        }
        let has_login = self
            .ports
            .accounts
            .by_contact(contact.id)
            .await?
            .is_some_and(|a| a.password_hash.is_some());
        if has_login {
            return Ok(Added::Added);
        }
        Accounts::new(self.ports.clone())
            .invite(contact.id, portal_url)
            .await?;
        Ok(Added::Invited)
    }

    /// Removes a member.
    pub async fn remove_member(&self, list: ListId, contact: ContactId) -> Result<(), Error> {
        Ok(self.ports.directory.remove_member(list, contact).await?)
    }

    fn audit(&self, actor: AgentId, action: &str, detail: String) -> AuditEntry {
        AuditEntry {
            actor: format!("agent:{}", actor.0),
            action: action.into(),
            detail,
            at: self.ports.clock.now(),
        }
    }

    pub(crate) async fn record(
        &self,
        actor: AgentId,
        action: &str,
        detail: String,
    ) -> Result<(), Error> {
        let entry = self.audit(actor, action, detail);
        Ok(self.ports.audit.record(entry).await?)
    }

    /// The custom property definitions of one kind of record with the built-ins.
    pub async fn catalog(&self, object: ObjectKind) -> Result<PropertyCatalog, Error> {
        let custom = self.ports.catalog.property_defs(object).await?;
        Ok(match object {
            ObjectKind::Contact => PropertyCatalog::contacts(custom),
            ObjectKind::Ticket => PropertyCatalog::tickets(custom),
        })
    }

    /// Renames a list (1–100 characters).
    pub async fn rename_list(&self, actor: AgentId, list: ListId, name: &str) -> Result<(), Error> {
        let name = one_name("name", name)?;
        self.ports.directory.rename_list(list, &name).await?;
        self.record(actor, "list.rename", format!("list {list}: {name}"))
            .await
    }

    /// One page of contacts.
    pub async fn contacts(&self, query: &RecordQuery) -> Result<Vec<Contact>, Error> {
        let mut q = query.clone();
        crate::query::check_page_size(q.limit)?;
        q.search = q
            .search
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        Ok(self.ports.directory.contacts(&q).await?)
    }

    /// A contact with its company, lists, login state, timeline and tickets (U2).
    pub async fn contact(&self, id: ContactId) -> Result<ContactRecord, Error> {
        let d = &self.ports.directory;
        let contact = d.contact(id).await?.ok_or(Error::NotFound)?;
        let company = match contact.primary_company {
            Some(c) => d.company(c).await?,
            None => None,
        };
        let memberships = d.memberships(id).await?;
        let lists = d
            .lists()
            .await?
            .into_iter()
            .filter(|l| memberships.contains(&l.id))
            .collect();
        let account = self.ports.accounts.by_contact(id).await?;
        let has_login = account.as_ref().is_some_and(|a| a.password_hash.is_some());
        let login_enabled = account.as_ref().map(|a| a.enabled);
        let timeline = self.ports.timeline.for_contact(id, 100).await?;
        let tickets = self
            .ports
            .tickets
            .related(id, contact.primary_company, 100)
            .await?;
        let admin_of = self.ports.access_log.admin_of(id).await?;
        Ok(ContactRecord {
            admin_of: crate::organisation::logs_of(&contact, &admin_of),
            contact,
            company,
            lists,
            has_login,
            login_enabled,
            timeline,
            tickets,
        })
    }

    /// Makes a contact a portal admin of one of its companies (`None`: the primary one), or
    /// no longer one (C4: the company's access log is theirs to read); any staff member,
    /// audited. Only a company the contact belongs to (primary or further, C2).
    pub async fn set_company_admin(
        &self,
        actor: AgentId,
        contact: ContactId,
        company: Option<CompanyId>,
        admin: bool,
    ) -> Result<(), Error> {
        let found = self.find_contact(contact).await?;
        let Some(company) = company.or(found.primary_company) else {
            return Err(Error::invalid(
                "company_admin",
                "no_company",
                "the contact belongs to no company",
            ));
        };
        if !found.belongs_to(company) {
            return Err(Error::invalid(
                "company_admin",
                "not_member",
                "the contact does not belong to this company",
            ));
        }
        let was = self.ports.access_log.admin_of(contact).await?;
        if was.contains(&company) == admin {
            return Ok(());
        }
        self.ports
            .access_log
            .set_admin(company, contact, admin)
            .await?;
        self.record(
            actor,
            if admin {
                "contact.company_admin_on"
            } else {
                "contact.company_admin_off"
            },
            format!("contact {contact} <{}>, company {company}", found.email),
        )
        .await
    }

    /// Disables or enables a contact's portal login (any staff member; audited). Disabling
    /// ends every session of the account at once; a disabled account never enters.
    pub async fn set_portal_login(
        &self,
        actor: AgentId,
        contact: ContactId,
        enabled: bool,
    ) -> Result<(), Error> {
        self.find_contact(contact).await?;
        // A contact without a login is already unable to enter; enabling needs a login,
        // which an invitation or a registration makes.
        let Some(account) = self.ports.accounts.by_contact(contact).await? else {
            return if enabled {
                Err(Error::invalid(
                    "enabled",
                    "no_login",
                    "the contact has no login: invite them",
                ))
            } else {
                Ok(())
            };
        };
        if account.enabled == enabled {
            return Ok(());
        }
        self.ports
            .accounts
            .update(&crate::ports::Account {
                enabled,
                ..account.clone()
            })
            .await?;
        if !enabled {
            self.ports
                .sessions
                .delete_all(crate::ports::Principal::Customer(account.id), None)
                .await?;
        }
        self.record(
            actor,
            if enabled {
                "contact.login_enabled"
            } else {
                "contact.login_disabled"
            },
            format!("contact {contact} <{}>", account.email),
        )
        .await
    }

    async fn contact_fields(&self, input: &ContactInput) -> Result<NewContact, Error> {
        let mut problems = Vec::new();
        let email = checked_email("email", &input.email, true, &mut problems);
        let membership_email = checked_email(
            "membership_email",
            &input.membership_email,
            false,
            &mut problems,
        );
        let first_name = checked_text("first_name", &input.first_name, &mut problems);
        let last_name = checked_text("last_name", &input.last_name, &mut problems);
        let language = input.language.trim().to_string();
        if !language.is_empty() && !self.ports.languages.contains(&language) {
            problems.push(field_error("language", "unknown_language"));
        }
        if let Some(company) = input.company
            && self.ports.directory.company(company).await?.is_none()
        {
            problems.push(field_error("company", "unknown_company"));
        }
        let catalog = self.catalog(ObjectKind::Contact).await?;
        let properties = checked_properties(&catalog, &input.properties, &mut problems);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(NewContact {
            email: email.unwrap_or_default(),
            membership_email,
            first_name,
            last_name,
            primary_company: input.company,
            language: (!language.is_empty()).then_some(language),
            properties,
        })
    }

    /// Creates a contact; an email already used is a field error.
    pub async fn create_contact(
        &self,
        actor: AgentId,
        input: &ContactInput,
    ) -> Result<Contact, Error> {
        let new = self.contact_fields(input).await?;
        let contact = self
            .ports
            .directory
            .create_contact(new)
            .await
            .map_err(|e| taken(e, "email"))?;
        self.record(
            actor,
            "contact.create",
            format!("contact {}: {}", contact.id, contact.email),
        )
        .await?;
        Ok(contact)
    }

    /// [`Records::update_contact`] when the checked fields differ from the stored ones;
    /// `false`, and nothing written or audited, when they are the same (a re-run import).
    pub async fn update_contact_if_changed(
        &self,
        actor: AgentId,
        id: ContactId,
        input: &ContactInput,
    ) -> Result<bool, Error> {
        let (old, new) = self.contact_change(id, input).await?;
        if contact_diff(&old, &new).is_empty() {
            return Ok(false);
        }
        self.store_contact(actor, &old, new).await?;
        Ok(true)
    }

    /// Replaces a contact's fields.
    pub async fn update_contact(
        &self,
        actor: AgentId,
        id: ContactId,
        input: &ContactInput,
    ) -> Result<Contact, Error> {
        let (old, new) = self.contact_change(id, input).await?;
        self.store_contact(actor, &old, new).await
    }

    /// The stored contact and what `input`, checked, makes of it.
    async fn contact_change(
        &self,
        id: ContactId,
        input: &ContactInput,
    ) -> Result<(Contact, Contact), Error> {
        let old = self
            .ports
            .directory
            .contact(id)
            .await?
            .ok_or(Error::NotFound)?;
        let new = self.contact_fields(input).await?;
        let contact = Contact {
            id,
            email: new.email,
            membership_email: new.membership_email,
            first_name: new.first_name,
            last_name: new.last_name,
            primary_company: new.primary_company,
            language: new.language,
            properties: new.properties,
            // Memberships are edited on their own (C2).
            memberships: old.memberships.clone(),
        };
        Ok((old, contact))
    }

    /// Writes `contact` over `old` and audits what changed.
    async fn store_contact(
        &self,
        actor: AgentId,
        old: &Contact,
        contact: Contact,
    ) -> Result<Contact, Error> {
        self.ports
            .directory
            .update_contact(&contact)
            .await
            .map_err(|e| taken(e, "email"))?;
        let changed = contact_changes(old, &contact);
        self.record(
            actor,
            "contact.update",
            format!("contact {}: {}", contact.id, changed.join(", ")),
        )
        .await?;
        Ok(contact)
    }

    /// The company a form or file names by its name or web domain (`None` for an empty
    /// text); naming none is a field error on `company`.
    pub async fn company_named(&self, key: &str) -> Result<Option<CompanyId>, Error> {
        let key = key.trim();
        if key.is_empty() {
            return Ok(None);
        }
        match self.ports.directory.company_by_name_or_domain(key).await? {
            Some(c) => Ok(Some(c.id)),
            None => Err(Error::invalid(
                "company",
                "unknown_company",
                format!("no company has the name or domain `{key}`"),
            )),
        }
    }

    /// One page of companies.
    pub async fn companies(&self, query: &RecordQuery) -> Result<Vec<Company>, Error> {
        let mut q = query.clone();
        crate::query::check_page_size(q.limit)?;
        q.search = q
            .search
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        Ok(self.ports.directory.companies(&q).await?)
    }

    /// A company and its contacts.
    pub async fn company(&self, id: CompanyId) -> Result<(Company, Vec<Contact>), Error> {
        let company = self
            .ports
            .directory
            .company(id)
            .await?
            .ok_or(Error::NotFound)?;
        let contacts = self.ports.directory.company_contacts(id).await?;
        Ok((company, contacts))
    }

    fn company_fields(name: &str, domain: &str) -> Result<(String, Option<String>), Error> {
        let mut problems = Vec::new();
        let name = checked_text("name", name, &mut problems);
        if name.is_empty() && problems.is_empty() {
            problems.push(field_error("name", "required"));
        }
        let domain = domain.trim().to_ascii_lowercase();
        if !domain.is_empty() && !is_domain(&domain) {
            problems.push(field_error("domain", "invalid_domain"));
        }
        if problems.is_empty() {
            Ok((name, (!domain.is_empty()).then_some(domain)))
        } else {
            Err(Error::Invalid(problems))
        }
    }

    /// Creates a company (name 1–100 characters, optional web domain such as `acme.com`).
    pub async fn create_company(
        &self,
        actor: AgentId,
        name: &str,
        domain: &str,
    ) -> Result<Company, Error> {
        let (name, domain) = Self::company_fields(name, domain)?;
        let company = self
            .ports
            .directory
            .create_company(&name, domain.as_deref())
            .await?;
        self.record(
            actor,
            "company.create",
            format!("company {}: {}", company.id, company.name),
        )
        .await?;
        Ok(company)
    }

    /// [`Records::update_company`] when the checked values differ from the stored ones;
    /// `false`, and nothing written or audited, when they are the same (a re-run import).
    pub async fn update_company_if_changed(
        &self,
        actor: AgentId,
        id: CompanyId,
        name: &str,
        domain: &str,
    ) -> Result<bool, Error> {
        let (new_name, new_domain) = Self::company_fields(name, domain)?;
        let current = self
            .ports
            .directory
            .company(id)
            .await?
            .ok_or(Error::NotFound)?;
        if current.name == new_name && current.domain == new_domain {
            return Ok(false);
        }
        self.update_company(actor, id, name, domain).await?;
        Ok(true)
    }

    /// Replaces a company's name and domain.
    pub async fn update_company(
        &self,
        actor: AgentId,
        id: CompanyId,
        name: &str,
        domain: &str,
    ) -> Result<Company, Error> {
        let (name, domain) = Self::company_fields(name, domain)?;
        let company = Company { id, name, domain };
        self.ports.directory.update_company(&company).await?;
        self.record(
            actor,
            "company.update",
            format!("company {id}: {}", company.name),
        )
        .await?;
        Ok(company)
    }

    /// Pipelines with their stages, and inboxes.
    pub async fn pipelines(&self) -> Result<(Vec<Pipeline>, Vec<Inbox>), Error> {
        Ok((
            self.ports.catalog.pipelines().await?,
            self.ports.catalog.inboxes().await?,
        ))
    }

    /// Creates a pipeline with its stages in order: at least one open stage, labels of 1–100
    /// characters.
    pub async fn create_pipeline(
        &self,
        actor: AgentId,
        label: &str,
        stages: &[(String, bool)],
    ) -> Result<Pipeline, Error> {
        let mut problems = Vec::new();
        let label = checked_name("label", label, &mut problems);
        let mut new = Vec::new();
        for (i, (stage, closed)) in stages.iter().enumerate() {
            if stage.trim().is_empty() {
                continue;
            }
            if let Some(l) = checked_name(&format!("stages.{i}"), stage, &mut problems) {
                new.push(NewStage {
                    label: l,
                    closed: *closed,
                });
            }
        }
        if !new.iter().any(|s| !s.closed) {
            problems.push(field_error("stages", "needs_open_stage"));
        }
        let (Some(label), true) = (label, problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let pipeline = self.ports.catalog.create_pipeline(&label, new).await?;
        self.record(
            actor,
            "pipeline.create",
            format!("pipeline {}: {label}", pipeline.id),
        )
        .await?;
        Ok(pipeline)
    }

    /// Appends a stage to a pipeline.
    pub async fn add_stage(
        &self,
        actor: AgentId,
        pipeline: PipelineId,
        label: &str,
        closed: bool,
    ) -> Result<Stage, Error> {
        let label = one_name("label", label)?;
        let stage = self
            .ports
            .catalog
            .add_stage(pipeline, NewStage { label, closed })
            .await?;
        self.record(
            actor,
            "pipeline.add_stage",
            format!("pipeline {pipeline}: stage {}", stage.id),
        )
        .await?;
        Ok(stage)
    }

    /// Creates an inbox whose new tickets start in `pipeline`.
    pub async fn create_inbox(
        &self,
        actor: AgentId,
        name: &str,
        pipeline: PipelineId,
    ) -> Result<Inbox, Error> {
        let name = one_name("name", name)?;
        let inbox = self
            .ports
            .catalog
            .create_inbox(&name, pipeline)
            .await
            .map_err(|e| match e {
                crate::PortError::NotFound => {
                    Error::invalid("pipeline", "unknown_pipeline", "no such pipeline")
                }
                other => other.into(),
            })?;
        self.record(actor, "inbox.create", format!("inbox {}: {name}", inbox.id))
            .await?;
        Ok(inbox)
    }

    /// Defines a custom property for contacts or tickets.
    pub async fn define_property(
        &self,
        actor: AgentId,
        object: ObjectKind,
        input: &PropertyInput,
    ) -> Result<PropertyDef, Error> {
        let mut problems = Vec::new();
        let name = input.name.trim().to_string();
        let catalog = self.catalog(object).await?;
        if !is_property_name(&name) {
            problems.push(field_error("name", "invalid_name"));
        } else if catalog.get(&name).is_some() {
            problems.push(field_error("name", "taken"));
        }
        let label = checked_name("label", &input.label, &mut problems);
        let kind = match input.kind.trim() {
            "text" => Some(ValueKind::Text),
            "number" => Some(ValueKind::Number),
            "date" => Some(ValueKind::Date),
            _ => {
                problems.push(field_error("kind", "unknown_kind"));
                None
            }
        };
        let options: Vec<String> = input
            .options
            .iter()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if !options.is_empty() && kind != Some(ValueKind::Text) {
            problems.push(field_error("options", "options_need_text"));
        }
        if options.len() > 100 || options.iter().any(|o| o.chars().count() > MAX_NAME_CHARS) {
            problems.push(field_error("options", "too_long"));
        }
        let (Some(label), Some(kind), true) = (label, kind, problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let def = PropertyDef {
            options,
            ..PropertyDef::custom(&name, &label, kind)
        };
        self.ports
            .catalog
            .define_property(object, def.clone())
            .await
            .map_err(|e| taken(e, "name"))?;
        self.record(
            actor,
            "property.define",
            format!("{object:?} property {name}"),
        )
        .await?;
        Ok(def)
    }

    /// Sets or clears the alias customers see for an agent (P8, owner display "alias"):
    /// a portal setting, so only with that permission (P14).
    pub async fn set_alias(
        &self,
        member: &crate::permissions::StaffMember,
        agent: AgentId,
        alias: &str,
    ) -> Result<Agent, Error> {
        if !member.may(crate::permissions::StaffAction::EditAliases) {
            return Err(Error::PermissionDenied);
        }
        let actor = member.agent.id;
        let alias = alias.trim();
        if alias.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(
                "alias",
                "too_long",
                "at most 100 characters",
            ));
        }
        let mut a = self
            .ports
            .catalog
            .agents()
            .await?
            .into_iter()
            .find(|a| a.id == agent)
            .ok_or(Error::NotFound)?;
        a.alias = (!alias.is_empty()).then(|| alias.to_string());
        self.ports.catalog.update_agent(&a).await?;
        self.record(actor, "agent.alias", format!("agent {agent}: {alias:?}"))
            .await?;
        Ok(a)
    }
}

/// A port conflict as a field error ("taken").
fn taken(e: crate::PortError, field: &str) -> Error {
    match e {
        crate::PortError::Conflict(_) => Error::Invalid(vec![field_error(field, "taken")]),
        other => other.into(),
    }
}

/// The fields that differ, for the audit log.
/// The audit's list of what changed (`nothing` when nothing did).
fn contact_changes(old: &Contact, new: &Contact) -> Vec<&'static str> {
    let mut out = contact_diff(old, new);
    if out.is_empty() {
        out.push("nothing");
    }
    out
}

/// The fields that differ.
fn contact_diff(old: &Contact, new: &Contact) -> Vec<&'static str> {
    let mut out = Vec::new();
    if old.email != new.email {
        out.push("email");
    }
    if old.membership_email != new.membership_email {
        out.push("membership_email");
    }
    if old.first_name != new.first_name || old.last_name != new.last_name {
        out.push("name");
    }
    if old.primary_company != new.primary_company {
        out.push("company");
    }
    if old.language != new.language {
        out.push("language");
    }
    if old.properties != new.properties {
        out.push("properties");
    }
    out
}

/// A required name or label of 1–100 characters, trimmed.
fn checked_name(field: &str, raw: &str, problems: &mut Vec<FieldError>) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        problems.push(field_error(field, "required"));
        None
    } else if raw.chars().count() > MAX_NAME_CHARS {
        // Counted as sent (as a form's `maxlength` and the API document count), spaces
        // around it included.
        problems.push(field_error(field, "too_long"));
        None
    } else {
        Some(v.to_string())
    }
}

/// A required name or label of 1–100 characters, trimmed, or its one problem.
fn one_name(field: &str, raw: &str) -> Result<String, Error> {
    let mut problems = Vec::new();
    checked_name(field, raw, &mut problems).ok_or(Error::Invalid(problems))
}

/// An optional text of at most 100 characters, trimmed.
fn checked_text(field: &str, raw: &str, problems: &mut Vec<FieldError>) -> String {
    let v = raw.trim();
    if raw.chars().count() > MAX_NAME_CHARS {
        problems.push(field_error(field, "too_long"));
    }
    v.to_string()
}

/// An email address: something@domain, no spaces, at most 254 characters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 254
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
}

fn checked_email(
    field: &str,
    raw: &str,
    required: bool,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        if required {
            problems.push(field_error(field, "required"));
        }
        None
    } else if !is_email(v) {
        problems.push(field_error(field, "invalid_email"));
        None
    } else {
        Some(v.to_string())
    }
}

/// A web domain such as `acme.com`: dot-separated labels of letters, digits and `-`.
pub fn is_domain(s: &str) -> bool {
    s.len() <= 253
        && s.contains('.')
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// A custom property name: a lower-case ASCII letter, then lower-case letters, digits or `_`,
/// at most 40 characters.
pub fn is_property_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && s.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Custom properties from text: each must be a custom (not built-in) property of the
/// catalog; empty texts are left out (unset); enumerations take only their options.
pub fn checked_properties(
    catalog: &PropertyCatalog,
    raw: &BTreeMap<String, String>,
    problems: &mut Vec<FieldError>,
) -> Properties {
    let mut out = Properties::new();
    for (name, text) in raw {
        let field = format!("properties.{name}");
        let Some(def) = catalog.get(name).filter(|d| !d.builtin) else {
            problems.push(field_error(&field, "unknown_property"));
            continue;
        };
        match parse_value(def.kind, text) {
            Ok(None) => {}
            Ok(Some(Value::Text(t))) if !def.options.is_empty() && !def.options.contains(&t) => {
                problems.push(field_error(&field, "invalid_option"))
            }
            Ok(Some(Value::Text(t))) if t.chars().count() > 1000 => {
                problems.push(field_error(&field, "too_long"))
            }
            Ok(Some(v)) => {
                out.insert(name.clone(), v);
            }
            Err(code) => problems.push(field_error(&field, code)),
        }
    }
    out
}
