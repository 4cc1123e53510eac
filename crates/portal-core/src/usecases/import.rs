//! `portal import` (U3): companies, contacts, tickets and their threads' messages from rows
//! of named fields (the binary reads them from CSV). Each row goes through the same
//! validation as the staff pages and is written on its own, so a bad row is rejected with
//! its field and reason and never half-written, and the good rows around it still land.
//!
//! A row with an `external_id` (the record's id in the other system) is remembered under it:
//! importing the same files again updates the records whose values changed and leaves the
//! others alone, instead of making them twice (issue 20). Messages are history: one already
//! imported is left as it is.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::model::{
    AgentId, Author, CompanyId, ContactId, MessageVisibility, TicketId, TicketStatus,
};
use crate::ports::{NewMessage, NewMessageBody, NewTicket, Ports, ThreadTarget};
use crate::property::{ObjectKind, PropertyCatalog};
use crate::settings::FieldError;
use crate::usecases::files::Upload;
use crate::usecases::portal::{MAX_SUBJECT_CHARS, field_error, parse_date};
use crate::usecases::records::{ContactInput, Records, checked_properties};

/// The audit actor of imports: the command line, not a staff member.
pub const IMPORT_ACTOR: AgentId = AgentId(0);

/// Which file a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImportKind {
    /// `name`, `domain`.
    Companies,
    /// `email`, `first_name`, `last_name`, `company`, `language`, `membership_email`, custom
    /// contact properties.
    Contacts,
    /// `subject`, `body`, `requester_email`, `inbox`, `stage`, `created_at`, `owner_email`,
    /// custom ticket properties.
    Tickets,
    /// One thread entry of an imported ticket: `ticket_external_id`, `author_email` (a
    /// contact or an agent), `body`, `internal`, `created_at`, `attachments`.
    Messages,
}

impl ImportKind {
    /// The columns every file of this kind may have besides custom properties.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Companies => &["external_id", "name", "domain"],
            ImportKind::Contacts => &[
                "external_id",
                "email",
                "first_name",
                "last_name",
                "company",
                "companies",
                "language",
                "membership_email",
            ],
            ImportKind::Tickets => &[
                "external_id",
                "subject",
                "body",
                "requester_email",
                "inbox",
                "stage",
                "created_at",
                "owner_email",
            ],
            ImportKind::Messages => &[
                "external_id",
                "ticket_external_id",
                "author_email",
                "body",
                "internal",
                "created_at",
                "attachments",
            ],
        }
    }

    /// The columns a file of this kind must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Companies => &["name"],
            ImportKind::Contacts => &["email"],
            ImportKind::Tickets => &["subject", "body", "requester_email"],
            ImportKind::Messages => &["ticket_external_id", "author_email", "body"],
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Companies => "companies",
            ImportKind::Contacts => "contacts",
            ImportKind::Tickets => "tickets",
            ImportKind::Messages => "messages",
        }
    }

    /// The kind under which `import_keys` remembers its records.
    fn key_kind(self) -> &'static str {
        match self {
            ImportKind::Companies => "company",
            ImportKind::Contacts => "contact",
            ImportKind::Tickets => "ticket",
            ImportKind::Messages => "message",
        }
    }
}

/// What importing one row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// A record was created.
    Created,
    /// The record was there as the row describes it (a company of that name, or a record
    /// imported before under the row's external id) and was left as it is.
    Existing,
    /// A record imported before under the row's external id was changed to the row's values.
    Updated,
}

/// Imports rows.
#[derive(Clone)]
pub struct Importer {
    ports: Ports,
    records: Records,
}

fn get<'a>(row: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    row.get(key).map_or("", |v| v.trim())
}

impl Importer {
    /// Over these ports.
    pub fn new(ports: Ports) -> Importer {
        Importer {
            records: Records::new(ports.clone()),
            ports,
        }
    }

    /// Checks a file's header before any row: every required column is there and every other
    /// column is a known one or a custom property of that kind of record.
    pub async fn check_header(&self, kind: ImportKind, header: &[String]) -> Result<(), String> {
        let mut problems = Vec::new();
        for r in kind.required() {
            if !header.iter().any(|h| h == r) {
                problems.push(format!("the column `{r}` is missing"));
            }
        }
        let custom = match kind {
            ImportKind::Companies | ImportKind::Messages => BTreeSet::new(),
            ImportKind::Contacts => self.custom_names(ObjectKind::Contact).await?,
            ImportKind::Tickets => self.custom_names(ObjectKind::Ticket).await?,
        };
        let mut seen = BTreeSet::new();
        for h in header {
            if !seen.insert(h) {
                problems.push(format!("the column `{h}` appears twice"));
            } else if !kind.columns().contains(&h.as_str()) && !custom.contains(h) {
                problems.push(format!(
                    "the column `{h}` is neither a {} field nor a defined custom property",
                    kind.name()
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    async fn custom_names(&self, object: ObjectKind) -> Result<BTreeSet<String>, String> {
        Ok(self
            .ports
            .catalog
            .property_defs(object)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|d| d.name)
            .collect())
    }

    /// Imports one row; `files` are the attachments a message row names (read by the
    /// adapter). A cell holding a control character is refused like any other text input
    /// ([`crate::error::check_text_inputs`]), so both backends agree.
    pub async fn row(
        &self,
        kind: ImportKind,
        row: &BTreeMap<String, String>,
        files: Vec<Upload>,
    ) -> Result<Imported, Error> {
        crate::error::check_text_inputs(row.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let external = get(row, "external_id");
        if external.chars().count() > MAX_EXTERNAL_ID_CHARS {
            return Err(Error::Invalid(vec![field_error("external_id", "too_long")]));
        }
        let known = if external.is_empty() {
            None
        } else {
            self.ports
                .directory
                .imported(kind.key_kind(), external)
                .await?
        };
        let (imported, id) = match kind {
            ImportKind::Companies => self.company(row, known.map(CompanyId)).await?,
            ImportKind::Contacts => self.contact(row, known.map(ContactId)).await?,
            ImportKind::Tickets => self.ticket(row, known.map(TicketId)).await?,
            ImportKind::Messages => match known {
                // A thread entry is history: imported once, kept as it was.
                Some(id) => (Imported::Existing, id),
                None => self.message(row, files).await?,
            },
        };
        if !external.is_empty() && known != Some(id) {
            self.ports
                .directory
                .remember_import(kind.key_kind(), external, id)
                .await?;
        }
        Ok(imported)
    }

    async fn company(
        &self,
        row: &BTreeMap<String, String>,
        known: Option<CompanyId>,
    ) -> Result<(Imported, i64), Error> {
        let (name, domain) = (get(row, "name"), get(row, "domain"));
        if let Some(id) = known
            && self.ports.directory.company(id).await?.is_some()
        {
            let changed = self
                .records
                .update_company_if_changed(IMPORT_ACTOR, id, name, domain)
                .await?;
            return Ok((updated_if(changed), id.0));
        }
        if !name.is_empty()
            && let Some(existing) = self.ports.directory.company_by_name_or_domain(name).await?
            && existing.name.eq_ignore_ascii_case(name)
        {
            return Ok((Imported::Existing, existing.id.0));
        }
        let c = self
            .records
            .create_company(IMPORT_ACTOR, name, domain)
            .await?;
        Ok((Imported::Created, c.id.0))
    }

    async fn contact(
        &self,
        row: &BTreeMap<String, String>,
        known: Option<ContactId>,
    ) -> Result<(Imported, i64), Error> {
        let company = self.records.company_named(get(row, "company")).await?;
        // Further companies (C2): names or domains separated by `;`, each one known.
        let mut further = Vec::new();
        for key in get(row, "companies")
            .split(';')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            match self.records.company_named(key).await? {
                Some(c) if Some(c) != company => further.push(c),
                Some(_) => {}
                None => {
                    return Err(Error::Invalid(vec![field_error(
                        "companies",
                        "unknown_company",
                    )]));
                }
            }
        }
        let builtin = ImportKind::Contacts.columns();
        let input = ContactInput {
            email: get(row, "email").into(),
            membership_email: get(row, "membership_email").into(),
            first_name: get(row, "first_name").into(),
            last_name: get(row, "last_name").into(),
            company,
            language: get(row, "language").to_ascii_lowercase(),
            properties: row
                .iter()
                .filter(|(k, v)| !builtin.contains(&k.as_str()) && !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.trim().to_string()))
                .collect(),
        };
        if let Some(id) = known
            && self.ports.directory.contact(id).await?.is_some()
        {
            let changed = self
                .records
                .update_contact_if_changed(IMPORT_ACTOR, id, &input)
                .await?;
            let joined = self.join_companies(id, &further).await?;
            return Ok((updated_if(changed || joined), id.0));
        }
        let c = self.records.create_contact(IMPORT_ACTOR, &input).await?;
        self.join_companies(c.id, &further).await?;
        Ok((Imported::Created, c.id.0))
    }

    /// Adds the contact to each of `companies` it is not a member of yet (the portal's
    /// rules decide its rights there); whether any was added. An import adds memberships
    /// and never takes one away.
    async fn join_companies(&self, id: ContactId, companies: &[CompanyId]) -> Result<bool, Error> {
        let mut added = false;
        for c in companies {
            let contact = self.records.find_contact(id).await?;
            if contact.membership(*c).is_none() {
                self.records
                    .set_membership(IMPORT_ACTOR, id, *c, None)
                    .await?;
                added = true;
            }
        }
        Ok(added)
    }

    async fn ticket(
        &self,
        row: &BTreeMap<String, String>,
        known: Option<TicketId>,
    ) -> Result<(Imported, i64), Error> {
        let mut problems: Vec<FieldError> = Vec::new();
        let subject = get(row, "subject").to_string();
        if subject.is_empty() {
            problems.push(field_error("subject", "required"));
        } else if subject.chars().count() > MAX_SUBJECT_CHARS {
            problems.push(field_error("subject", "too_long"));
        }
        let body = get(row, "body");
        if body.is_empty() {
            problems.push(field_error("body", "required"));
        }
        let requester = self
            .ports
            .directory
            .contact_by_email(get(row, "requester_email"))
            .await?;
        if requester.is_none() {
            problems.push(field_error("requester_email", "unknown_contact"));
        }
        let settings = self.ports.settings.load().await?;
        let inboxes = self.ports.catalog.inboxes().await?;
        let inbox_name = get(row, "inbox");
        let inbox = if inbox_name.is_empty() {
            settings
                .default_inbox
                .and_then(|id| inboxes.iter().find(|i| i.id == id))
        } else {
            inboxes
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(inbox_name))
        };
        if inbox.is_none() {
            problems.push(field_error("inbox", "unknown_inbox"));
        }
        let pipelines = self.ports.catalog.pipelines().await?;
        let pipeline = inbox.and_then(|i| pipelines.iter().find(|p| p.id == i.pipeline));
        let stage_label = get(row, "stage");
        let stage = pipeline.and_then(|p| {
            if stage_label.is_empty() {
                p.first_open_stage()
            } else {
                p.stages
                    .iter()
                    .find(|s| s.label.eq_ignore_ascii_case(stage_label))
            }
        });
        if inbox.is_some() && stage.is_none() {
            problems.push(field_error("stage", "unknown"));
        }
        let created_at = match get(row, "created_at") {
            "" => Some(self.ports.clock.now()),
            d => parse_date(d),
        };
        if created_at.is_none() {
            problems.push(field_error("created_at", "invalid_date"));
        }
        let catalog =
            PropertyCatalog::tickets(self.ports.catalog.property_defs(ObjectKind::Ticket).await?);
        let builtin = ImportKind::Tickets.columns();
        let raw: BTreeMap<String, String> = row
            .iter()
            .filter(|(k, _)| !builtin.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
        let properties = checked_properties(&catalog, &raw, &mut problems);
        let owner = match get(row, "owner_email") {
            "" => None,
            email => {
                let agent = self.agent_by_email(email).await?;
                if agent.is_none() {
                    problems.push(field_error("owner_email", "unknown_agent"));
                }
                agent
            }
        };
        let (Some(requester), Some(pipeline), Some(stage), Some(created_at), true) =
            (requester, pipeline, stage, created_at, problems.is_empty())
        else {
            return Err(Error::Invalid(problems));
        };
        let status = if stage.closed {
            TicketStatus::Closed
        } else {
            TicketStatus::Open
        };
        if let Some(id) = known
            && let Some(current) = self.ports.tickets.get(id).await?
        {
            // What the other system changed since: subject, properties, stage, owner.
            let now = self.ports.clock.now();
            let mut changed = Vec::new();
            if current.subject != subject || current.properties != properties {
                self.ports
                    .tickets
                    .update_ticket(id, &subject, &properties, now)
                    .await?;
                changed.push("subject and properties");
            }
            if current.stage != stage.id {
                self.ports
                    .tickets
                    .move_to_stage(id, stage.id, status, now)
                    .await?;
                changed.push("stage");
            }
            if current.owner != owner {
                self.ports.tickets.set_owner(id, owner, now).await?;
                changed.push("owner");
            }
            if !changed.is_empty() {
                self.records
                    .record(
                        IMPORT_ACTOR,
                        "ticket.update",
                        format!("ticket {}: {}", id.0, changed.join(", ")),
                    )
                    .await?;
            }
            return Ok((updated_if(!changed.is_empty()), id.0));
        }
        let ticket = self
            .ports
            .tickets
            .create(NewTicket {
                subject,
                pipeline: pipeline.id,
                stage: stage.id,
                status,
                inbox: inbox.map(|i| i.id),
                requester: Some(requester.id),
                contacts: BTreeSet::from([requester.id]),
                companies: requester.primary_company.into_iter().collect(),
                private: false,
                properties,
                owner,
                created_at,
                first_message: Some(NewMessageBody {
                    author: Author::Contact(requester.id),
                    visibility: MessageVisibility::Public,
                    body: text_html(body),
                    attachments: Vec::new(),
                    mail_in: None,
                    channel: crate::model::Channel::Import,
                }),
            })
            .await?;
        Ok((Imported::Created, ticket.id.0))
    }

    async fn agent_by_email(&self, email: &str) -> Result<Option<AgentId>, Error> {
        Ok(self
            .ports
            .catalog
            .agents()
            .await?
            .into_iter()
            .find(|a| a.email.eq_ignore_ascii_case(email.trim()))
            .map(|a| a.id))
    }

    /// A thread entry of an imported ticket: a contact's message, an agent's reply, or an
    /// agent's internal note, at its time, with its files, in the customer's conversation.
    /// No mail goes out: the other system sent them long ago.
    async fn message(
        &self,
        row: &BTreeMap<String, String>,
        files: Vec<Upload>,
    ) -> Result<(Imported, i64), Error> {
        let mut problems = Vec::new();
        let ticket = match get(row, "ticket_external_id") {
            "" => None,
            key => self.ports.directory.imported("ticket", key).await?,
        }
        .map(TicketId);
        if ticket.is_none() {
            problems.push(field_error("ticket_external_id", "unknown_ticket"));
        }
        let email = get(row, "author_email");
        let author = match self.ports.directory.contact_by_email(email).await? {
            Some(c) => Some(Author::Contact(c.id)),
            None => self.agent_by_email(email).await?.map(Author::Agent),
        };
        if author.is_none() {
            problems.push(field_error("author_email", "unknown_author"));
        }
        let internal = match get(row, "internal").to_ascii_lowercase().as_str() {
            "" | "false" | "0" | "no" => false,
            "true" | "1" | "yes" => true,
            _ => {
                problems.push(field_error("internal", "invalid"));
                false
            }
        };
        if internal && matches!(author, Some(Author::Contact(_))) {
            // Internal notes are the support team's (V6): a customer never writes one.
            problems.push(field_error("internal", "customer_note"));
        }
        let body = get(row, "body");
        if body.is_empty() && files.is_empty() {
            problems.push(field_error("body", "required"));
        }
        let at = match get(row, "created_at") {
            "" => Some(self.ports.clock.now()),
            d => parse_date(d),
        };
        if at.is_none() {
            problems.push(field_error("created_at", "invalid_date"));
        }
        let limits = crate::actions::UploadLimits::default();
        if let Err(refused) = limits.check(
            &files
                .iter()
                .map(|f| f.bytes.len() as u64)
                .collect::<Vec<_>>(),
        ) {
            problems.push(FieldError {
                field: "attachments".into(),
                code: "refused".into(),
                detail: refused.to_string(),
            });
        }
        let (Some(ticket), Some(author), Some(at), true) =
            (ticket, author, at, problems.is_empty())
        else {
            return Err(Error::Invalid(problems));
        };
        let thread = match self.ports.tickets.oldest_thread(ticket).await? {
            Some(t) => ThreadTarget::Existing(t),
            None => {
                let current = self
                    .ports
                    .tickets
                    .get(ticket)
                    .await?
                    .ok_or(Error::NotFound)?;
                let inbox = match current.inbox {
                    Some(i) => i,
                    None => self
                        .ports
                        .settings
                        .load()
                        .await?
                        .default_inbox
                        .ok_or(Error::NotFound)?,
                };
                ThreadTarget::New(inbox)
            }
        };
        let store = crate::usecases::files::Files::new(self.ports.clone());
        let attachments = store.store(files).await?;
        let written = self
            .ports
            .tickets
            .add_message(NewMessage {
                ticket,
                thread,
                content: NewMessageBody {
                    author,
                    visibility: if internal {
                        MessageVisibility::Internal
                    } else {
                        MessageVisibility::Public
                    },
                    body: text_html(body),
                    attachments: attachments.clone(),
                    mail_in: None,
                    channel: crate::model::Channel::Import,
                },
                at,
                mails: Vec::new(),
            })
            .await;
        match written {
            Ok(m) => Ok((Imported::Created, m.id.0)),
            Err(e) => {
                store.discard(&attachments).await;
                Err(e.into())
            }
        }
    }
}

fn updated_if(changed: bool) -> Imported {
    if changed {
        Imported::Updated
    } else {
        Imported::Existing
    }
}

/// The longest external id kept (ids of other systems are short: numbers, UUIDs, keys).
pub const MAX_EXTERNAL_ID_CHARS: usize = 200;

/// Plain text as HTML: escaped, paragraphs on blank lines, line breaks kept.
pub fn text_html(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    text.replace("\r\n", "\n")
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape(p.trim()).replace('\n', "<br>")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_html("Hello <b>\nthere\n\nBye & out"),
            "<p>Hello &lt;b&gt;<br>there</p><p>Bye &amp; out</p>"
        );
    }
}
