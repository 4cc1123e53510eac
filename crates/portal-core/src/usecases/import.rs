//! `portal import` (U3): companies, contacts and tickets from rows of named fields (the
//! binary reads them from CSV). Each row goes through the same validation as the staff
//! pages and is written on its own, so a bad row is rejected with its field and reason and
//! never half-written, and the good rows around it still land.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::model::{AgentId, Author, MessageVisibility, TicketStatus};
use crate::ports::{NewMessageBody, NewTicket, Ports};
use crate::property::{ObjectKind, PropertyCatalog};
use crate::settings::FieldError;
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
    /// `subject`, `body`, `requester_email`, `inbox`, `stage`, `created_at`, custom ticket
    /// properties.
    Tickets,
}

impl ImportKind {
    /// The columns every file of this kind may have besides custom properties.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Companies => &["name", "domain"],
            ImportKind::Contacts => &[
                "email",
                "first_name",
                "last_name",
                "company",
                "language",
                "membership_email",
            ],
            ImportKind::Tickets => &[
                "subject",
                "body",
                "requester_email",
                "inbox",
                "stage",
                "created_at",
            ],
        }
    }

    /// The columns a file of this kind must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Companies => &["name"],
            ImportKind::Contacts => &["email"],
            ImportKind::Tickets => &["subject", "body", "requester_email"],
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Companies => "companies",
            ImportKind::Contacts => "contacts",
            ImportKind::Tickets => "tickets",
        }
    }
}

/// What importing one row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// A record was created.
    Created,
    /// A company of that name existed already and was kept (imports can be run again).
    Existing,
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
            ImportKind::Companies => BTreeSet::new(),
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

    /// Imports one row. A cell holding a control character is refused like any other text
    /// input ([`crate::error::check_text_inputs`]), so both backends agree.
    pub async fn row(
        &self,
        kind: ImportKind,
        row: &BTreeMap<String, String>,
    ) -> Result<Imported, Error> {
        crate::error::check_text_inputs(row.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        match kind {
            ImportKind::Companies => self.company(row).await,
            ImportKind::Contacts => self.contact(row).await,
            ImportKind::Tickets => self.ticket(row).await,
        }
    }

    async fn company(&self, row: &BTreeMap<String, String>) -> Result<Imported, Error> {
        let name = get(row, "name");
        if !name.is_empty()
            && let Some(existing) = self.ports.directory.company_by_name_or_domain(name).await?
            && existing.name.eq_ignore_ascii_case(name)
        {
            return Ok(Imported::Existing);
        }
        self.records
            .create_company(IMPORT_ACTOR, name, get(row, "domain"))
            .await?;
        Ok(Imported::Created)
    }

    async fn contact(&self, row: &BTreeMap<String, String>) -> Result<Imported, Error> {
        let company = self.records.company_named(get(row, "company")).await?;
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
        self.records.create_contact(IMPORT_ACTOR, &input).await?;
        Ok(Imported::Created)
    }

    async fn ticket(&self, row: &BTreeMap<String, String>) -> Result<Imported, Error> {
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
        let (Some(requester), Some(pipeline), Some(stage), Some(created_at), true) =
            (requester, pipeline, stage, created_at, problems.is_empty())
        else {
            return Err(Error::Invalid(problems));
        };
        self.ports
            .tickets
            .create(NewTicket {
                subject,
                pipeline: pipeline.id,
                stage: stage.id,
                status: if stage.closed {
                    TicketStatus::Closed
                } else {
                    TicketStatus::Open
                },
                inbox: inbox.map(|i| i.id),
                requester: Some(requester.id),
                contacts: BTreeSet::from([requester.id]),
                companies: requester.primary_company.into_iter().collect(),
                properties,
                owner: None,
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
        Ok(Imported::Created)
    }
}

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
