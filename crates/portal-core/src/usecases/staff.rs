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

/// What the settings refer to: the property catalogs, pipelines, inboxes, domains, lists
/// and agents a settings editor offers and a save is validated against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsCatalogs {
    /// Ticket properties (built-in and custom).
    pub ticket_props: PropertyCatalog,
    /// Contact properties (built-in and custom).
    pub contact_props: PropertyCatalog,
    /// Pipelines with their stages.
    pub pipelines: Vec<crate::model::Pipeline>,
    /// Inboxes.
    pub inboxes: Vec<crate::model::Inbox>,
    /// Domains.
    pub domains: Vec<crate::model::Domain>,
    /// Contact lists.
    pub lists: Vec<crate::model::ContactList>,
    /// Agents.
    pub agents: Vec<crate::model::Agent>,
    /// The languages the portal speaks.
    pub languages: crate::settings::Languages,
}

/// What a settings save does to the portal's domain besides choosing one (P2, P3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainChange {
    /// Nothing.
    Keep,
    /// Adds a domain with its primary language and makes it the portal's.
    Add {
        /// Host name.
        host: String,
        /// Primary language.
        language: String,
    },
    /// Changes the primary language of the chosen domain.
    Language(String),
}

impl SettingsCatalogs {
    /// What settings validation checks references against.
    pub fn context(&self) -> SettingsContext<'_> {
        SettingsContext {
            languages: &self.languages,
            ticket_props: &self.ticket_props,
            contact_props: &self.contact_props,
            pipelines: &self.pipelines,
            inboxes: &self.inboxes,
            domains: &self.domains,
            lists: &self.lists,
        }
    }
}

/// The field problems of a refusal (none for success; other refusals are not field
/// problems and are left to the caller's later steps).
fn problems_of(r: Result<(), Error>) -> Vec<crate::settings::FieldError> {
    match r {
        Err(Error::Invalid(list)) => list,
        _ => Vec::new(),
    }
}

/// The logo or the favicon (P10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandingSlot {
    /// The logo in the portal's header.
    Logo,
    /// The favicon.
    Favicon,
}

impl BrandingSlot {
    /// `logo` or `favicon`, as in the settings and the field errors.
    pub fn as_str(self) -> &'static str {
        match self {
            BrandingSlot::Logo => "logo",
            BrandingSlot::Favicon => "favicon",
        }
    }

    /// The slot named `name`.
    pub fn parse(name: &str) -> Option<BrandingSlot> {
        match name {
            "logo" => Some(BrandingSlot::Logo),
            "favicon" => Some(BrandingSlot::Favicon),
            _ => None,
        }
    }
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
        mail_creates_contacts: _,
        time_zone: _,
        access_log_days: _,
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
        mail_creates_contacts,
        time_zone,
        access_log_days,
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
pub fn check_language(language: &str, languages: &crate::settings::Languages) -> Result<(), Error> {
    if languages.contains(language) {
        Ok(())
    } else {
        Err(Error::invalid(
            "domain_language",
            "invalid_option",
            languages.joined(),
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

    /// The languages the portal speaks (N1).
    pub fn languages(&self) -> &crate::settings::Languages {
        &self.ports.languages
    }

    /// Whether the store answers and takes writes (the readiness check), with a note on the
    /// read replica when there is one (a replica left aside does not make the store unready:
    /// the primary answers its reads).
    pub async fn ready(&self) -> Result<Option<String>, Error> {
        self.ports.settings.load().await?;
        self.ports.settings.check_writable().await?;
        Ok(self.ports.settings.read_replica_note())
    }

    /// The current settings and what they refer to, for the settings editor (P14: only
    /// with the permission).
    pub async fn settings_for(
        &self,
        actor: StaffActor,
    ) -> Result<(PortalSettings, SettingsCatalogs), Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        Ok((self.ports.settings.load().await?, self.catalogs().await?))
    }

    async fn catalogs(&self) -> Result<SettingsCatalogs, Error> {
        let c = &self.ports.catalog;
        Ok(SettingsCatalogs {
            ticket_props: PropertyCatalog::tickets(c.property_defs(ObjectKind::Ticket).await?),
            contact_props: PropertyCatalog::contacts(c.property_defs(ObjectKind::Contact).await?),
            pipelines: c.pipelines().await?,
            inboxes: c.inboxes().await?,
            domains: c.domains().await?,
            lists: self.ports.directory.lists().await?,
            agents: c.agents().await?,
            languages: self.ports.languages.clone(),
        })
    }

    /// Sets (or with `None` clears) the logo or the favicon (P10, P14): an image of one of
    /// [`crate::settings::BRANDING_IMAGE_TYPES`] (its type told from its bytes by the
    /// adapter), at most [`crate::settings::MAX_BRANDING_BYTES`]. The image is stored, the
    /// settings saved with `version` (the editor's) and audited, and only then the old image
    /// deleted; when the save fails the new image is deleted instead.
    pub async fn set_branding_image(
        &self,
        actor: StaffActor,
        slot: BrandingSlot,
        image: Option<(Vec<u8>, &str)>,
        version: Option<u64>,
    ) -> Result<PortalSettings, Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        let field = slot.as_str();
        let new_key = match image {
            None => None,
            Some((bytes, _)) if bytes.is_empty() => {
                return Err(Error::invalid(field, "required", "choose a file"));
            }
            Some((_, content_type))
                if !crate::settings::BRANDING_IMAGE_TYPES.contains(&content_type) =>
            {
                return Err(Error::invalid(
                    field,
                    "invalid_image",
                    "PNG, JPEG, GIF, WebP or ICO",
                ));
            }
            Some((bytes, _)) if bytes.len() as u64 > crate::settings::MAX_BRANDING_BYTES => {
                return Err(crate::actions::UploadRefused::FileTooLarge {
                    max: crate::settings::MAX_BRANDING_BYTES,
                }
                .into());
            }
            Some((bytes, _)) => Some(self.ports.blobs.put(bytes).await?),
        };
        let mut candidate = self.ports.settings.load().await?;
        if let Some(v) = version {
            candidate.version = v;
        }
        let slot_value = match slot {
            BrandingSlot::Logo => &mut candidate.branding.logo,
            BrandingSlot::Favicon => &mut candidate.branding.favicon,
        };
        let old = std::mem::replace(slot_value, new_key.clone());
        match self.update_settings(actor, candidate).await {
            Ok(saved) => {
                if let Some(old) = old {
                    let _ = self.ports.blobs.delete(&old).await;
                }
                Ok(saved)
            }
            Err(e) => {
                if let Some(k) = new_key {
                    let _ = self.ports.blobs.delete(&k).await;
                }
                Err(e)
            }
        }
    }

    /// Saves one page or mail template (P11), or with `None` goes back to the built-in one;
    /// checked and audited like every settings change.
    pub async fn set_template(
        &self,
        actor: StaffActor,
        key: &str,
        source: Option<String>,
    ) -> Result<PortalSettings, Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        if !crate::settings::is_template_key(key, &self.ports.languages) {
            return Err(Error::NotFound);
        }
        let mut settings = self.ports.settings.load().await?;
        match source {
            Some(src) => {
                settings.templates.insert(key.to_string(), src);
            }
            None => {
                settings.templates.remove(key);
            }
        }
        self.update_settings(actor, settings).await
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
        check_language(language, &self.ports.languages)?;
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
        check_language(language, &self.ports.languages)?;
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

    /// Saves new settings together with a change of the domain (P2, P3) as one step: every
    /// problem, the domain's and the settings', is found before anything is written, so a
    /// refused save leaves neither a new domain nor a changed language behind. (A save that
    /// loses a race with another editor after the checks can still leave a new, unused
    /// domain; it is refused as a conflict.)
    pub async fn update_settings_and_domain(
        &self,
        actor: StaffActor,
        new: PortalSettings,
        change: DomainChange,
    ) -> Result<PortalSettings, Error> {
        if !actor.can_manage_portal {
            return Err(Error::PermissionDenied);
        }
        match change {
            DomainChange::Keep => self.update_settings(actor, new).await,
            DomainChange::Language(language) => {
                let Some(domain) = new.domain else {
                    return self.update_settings(actor, new).await;
                };
                let cats = self.catalogs().await?;
                let mut problems =
                    problems_of(check_language(language.trim(), &self.ports.languages));
                problems.extend(problems_of(
                    new.validate(&cats.context()).map_err(Error::Invalid),
                ));
                if !problems.is_empty() {
                    return Err(Error::Invalid(problems));
                }
                self.check_version(&new).await?;
                self.set_domain_language(actor, domain, language.trim())
                    .await?;
                self.update_settings(actor, new).await
            }
            DomainChange::Add { host, language } => {
                let host = host.trim().to_ascii_lowercase();
                let language = language.trim().to_string();
                let mut cats = self.catalogs().await?;
                let mut problems = problems_of(check_host(&host));
                problems.extend(problems_of(check_language(
                    &language,
                    &self.ports.languages,
                )));
                if cats.domains.iter().any(|d| d.host == host) {
                    problems.push(crate::settings::FieldError {
                        field: "domain".into(),
                        code: "duplicate".into(),
                        detail: host.clone(),
                    });
                }
                // The settings are checked as if the domain existed already.
                let provisional = crate::model::DomainId(i64::MIN);
                cats.domains.push(crate::model::Domain {
                    id: provisional,
                    host: host.clone(),
                    language: language.clone(),
                });
                let mut probe = new.clone();
                probe.domain = Some(provisional);
                problems.extend(problems_of(
                    probe.validate(&cats.context()).map_err(Error::Invalid),
                ));
                if !problems.is_empty() {
                    return Err(Error::Invalid(problems));
                }
                self.check_version(&new).await?;
                let domain = self.add_domain(actor, &host, &language).await?;
                let mut new = new;
                new.domain = Some(domain.id);
                self.update_settings(actor, new).await
            }
        }
    }

    /// `Conflict` when the settings changed since the editor read them.
    async fn check_version(&self, new: &PortalSettings) -> Result<(), Error> {
        let current = self.ports.settings.load().await?;
        if current.version == new.version {
            Ok(())
        } else {
            Err(Error::Conflict("the settings changed meanwhile".into()))
        }
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
        let cats = self.catalogs().await?;
        let domains = &cats.domains;
        new.validate(&cats.context()).map_err(Error::Invalid)?;
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
        let portal_url = saved.address(domains, &self.base_url);
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
