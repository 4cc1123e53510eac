//! The staff side's rules: settings updates (P14, audit log) and explain-access (N3).

use crate::error::Error;
use crate::model::{AgentId, Contact, ContactId, Ticket};
use crate::ports::{AuditEntry, Ports};
use crate::property::{ObjectKind, PropertyCatalog};
use crate::settings::{PortalSettings, SettingsContext};
use crate::visibility::{CompanyGrant, Verdict, company_grant, explain};

/// A signed-in staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffActor {
    /// The agent.
    pub agent: AgentId,
    /// Holds the portal-settings permission (P14).
    pub can_manage_portal: bool,
}

/// One ticket explained (N3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedTicket {
    /// The ticket.
    pub ticket: Ticket,
    /// Whether and why the contact sees it.
    pub verdict: Verdict,
}

/// The portal as a contact would see it, ticket by ticket (N3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The contact.
    pub contact: Contact,
    /// Whether the contact gets company tickets, and why.
    pub grant: CompanyGrant,
    /// Every ticket of the contact and its company, with its verdict.
    pub tickets: Vec<ExplainedTicket>,
}

/// The staff use cases that shape the portal.
#[derive(Clone)]
pub struct PortalAdmin {
    ports: Ports,
    base_url: String,
}

/// The names of the settings fields that differ, for the audit log.
pub fn changed_fields(old: &PortalSettings, new: &PortalSettings) -> Vec<&'static str> {
    macro_rules! diff {
        ($($field:ident),* $(,)?) => {{
            let mut out = Vec::new();
            $(if old.$field != new.$field { out.push(stringify!($field)); })*
            out
        }};
    }
    // Destructuring makes a new field a compile error here until it is listed.
    let PortalSettings {
        version: _,
        enabled: _,
        set_up: _,
        name: _,
        domain: _,
        slug: _,
        default_inbox: _,
        ticket_label: _,
        columns: _,
        owner_display: _,
        status_display: _,
        visibility: _,
        actions: _,
        access: _,
        consent: _,
        session: _,
        support_form: _,
        knowledge_base_link: _,
        knowledge_base_url: _,
        translations: _,
        branding: _,
        templates: _,
        notify_with_reply_text: _,
    } = old;
    diff!(
        enabled,
        name,
        domain,
        slug,
        default_inbox,
        ticket_label,
        columns,
        owner_display,
        status_display,
        visibility,
        actions,
        access,
        consent,
        session,
        support_form,
        knowledge_base_link,
        knowledge_base_url,
        translations,
        branding,
        templates,
        notify_with_reply_text,
    )
}

/// Checks a host name the portal may live on (P2): lower-case letters, digits, `-` and
/// `.`, labels of 1–63 characters, at most 253 in all.
pub fn check_host(host: &str) -> Result<(), Error> {
    let ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "domain",
            "invalid",
            "a host name like help.example.com",
        ))
    }
}

/// Checks a domain's primary language (P3): one the portal speaks.
pub fn check_language(language: &str) -> Result<(), Error> {
    if crate::settings::LANGUAGES.contains(&language) {
        Ok(())
    } else {
        Err(Error::invalid(
            "domain_language",
            "invalid_option",
            crate::settings::LANGUAGES.join(", "),
        ))
    }
}

impl PortalAdmin {
    /// Use cases over these ports.
    pub fn new(ports: Ports) -> PortalAdmin {
        PortalAdmin {
            ports,
            base_url: String::new(),
        }
    }

    /// The same, for an instance at `base_url` (the links of the mails a settings change
    /// sends are built from it and the portal's domain, P2).
    pub fn with_base_url(mut self, base_url: &str) -> PortalAdmin {
        self.base_url = base_url.trim_end_matches('/').to_string();
        self
    }

    /// Adds a domain the portal may live on, with its primary language (P2, P3); audited.
    pub async fn add_domain(
        &self,
        actor: StaffActor,
        host: &str,
        language: &str,
    ) -> Result<crate::model::Domain, Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        let host = host.trim().to_ascii_lowercase();
        check_host(&host)?;
        check_language(language)?;
        let domain = match self.ports.catalog.create_domain(&host, language).await {
            Ok(d) => d,
            Err(crate::PortError::Conflict(_)) => {
                return Err(Error::invalid("domain", "duplicate", host));
            }
            Err(e) => return Err(e.into()),
        };
        self.audit(actor, "domain.create", format!("{host} ({language})"))
            .await?;
        Ok(domain)
    }

    /// Changes a domain's primary language (P3): the portal on it, and mails to people
    /// without a language of their own, follow; audited.
    pub async fn set_domain_language(
        &self,
        actor: StaffActor,
        domain: crate::model::DomainId,
        language: &str,
    ) -> Result<(), Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        check_language(language)?;
        let mut d = self
            .ports
            .catalog
            .domains()
            .await?
            .into_iter()
            .find(|d| d.id == domain)
            .ok_or(Error::NotFound)?;
        if d.language == language {
            return Ok(());
        }
        let before = std::mem::replace(&mut d.language, language.to_string());
        self.ports.catalog.update_domain(&d).await?;
        self.audit(
            actor,
            "domain.language",
            format!("{}: {before} → {language}", d.host),
        )
        .await
    }

    async fn audit(&self, actor: StaffActor, action: &str, detail: String) -> Result<(), Error> {
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", actor.agent),
                action: action.into(),
                detail,
                at: self.ports.clock.now(),
            })
            .await?;
        Ok(())
    }

    /// Validates and saves new settings (P14: only with the permission), writing the change
    /// to the audit log. `new.version` must be the version the editor started from. What
    /// the change causes happens here too: lists that became access groups invite their
    /// members without a login (A1), their mails linking to the portal's address.
    pub async fn update_settings(
        &self,
        actor: StaffActor,
        new: PortalSettings,
    ) -> Result<PortalSettings, Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        let old = self.ports.settings.load().await?;
        let c = &self.ports.catalog;
        let ticket_props = PropertyCatalog::tickets(c.property_defs(ObjectKind::Ticket).await?);
        let contact_props = PropertyCatalog::contacts(c.property_defs(ObjectKind::Contact).await?);
        let pipelines = c.pipelines().await?;
        let inboxes = c.inboxes().await?;
        let domains = c.domains().await?;
        let lists = self.ports.directory.lists().await?;
        new.validate(&SettingsContext {
            ticket_props: &ticket_props,
            contact_props: &contact_props,
            pipelines: &pipelines,
            inboxes: &inboxes,
            domains: &domains,
            lists: &lists,
        })
        .map_err(Error::Invalid)?;
        // Switched on once, the portal counts as set up for good (P5).
        let mut new = new;
        new.set_up = old.set_up || new.enabled;
        let changed = changed_fields(&old, &new);
        let saved = self.ports.settings.save(&new).await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("agent:{}", actor.agent),
                action: "settings.update".into(),
                detail: format!(
                    "version {} → {}: {}",
                    new.version,
                    saved.version,
                    changed.join(", ")
                ),
                at: self.ports.clock.now(),
            })
            .await?;
        let portal_url = saved.address(&domains, &self.base_url);
        crate::usecases::accounts::Accounts::new(self.ports.clone())
            .invite_new_access_groups(&old, &saved, &portal_url)
            .await?;
        Ok(saved)
    }

    /// Every ticket of a contact and its company with the rule that admits or denies it
    /// (N3), at most `limit`, most recent activity first.
    pub async fn explain_access(
        &self,
        contact: ContactId,
        limit: usize,
    ) -> Result<Explanation, Error> {
        let contact = self
            .ports
            .directory
            .contact(contact)
            .await?
            .ok_or(Error::NotFound)?;
        let settings = self.ports.settings.load().await?;
        let tickets = self
            .ports
            .tickets
            .related(contact.id, contact.primary_company, limit)
            .await?;
        Ok(Explanation {
            grant: company_grant(&settings.visibility, &contact),
            tickets: tickets
                .into_iter()
                .map(|ticket| ExplainedTicket {
                    verdict: explain(&settings.visibility, &contact, &ticket),
                    ticket,
                })
                .collect(),
            contact,
        })
    }
}
