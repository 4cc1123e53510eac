//! Contacts in several companies and what they may do with each company's tickets (C2,
//! C5). Staff add a contact to further companies and may grant a membership its own rights
//! (see, reply, close) instead of the portal's rules; a company's portal admins limit what
//! their colleagues may do, never beyond the grant or the rules (the support team's V3 rule
//! stays the upper bound). The rules are [`crate::visibility::company_rights`] and
//! [`crate::visibility::company_grant_in`].

use crate::error::Error;
use crate::model::{AgentId, Company, CompanyId, CompanyRights, Contact, ContactId, Membership};
use crate::ports::AuditEntry;
use crate::settings::PortalSettings;
use crate::usecases::portal::PortalTickets;
use crate::usecases::records::Records;
use crate::visibility::{VisibilitySettings, company_rights};

/// Writes a rights triple for the audit log: `see reply close` with `-` for a right off.
fn rights_text(r: Option<CompanyRights>) -> String {
    match r {
        None => "the portal's rules".into(),
        Some(r) => format!(
            "{} {} {}",
            if r.see { "see" } else { "-" },
            if r.reply { "reply" } else { "-" },
            if r.close { "close" } else { "-" }
        ),
    }
}

impl Records {
    /// Adds `company` to a contact's companies, or changes what staff grant for the
    /// membership (`None`: the portal's rules decide). Audited.
    pub async fn set_membership(
        &self,
        actor: AgentId,
        contact: ContactId,
        company: CompanyId,
        granted: Option<CompanyRights>,
    ) -> Result<Contact, Error> {
        let mut c = self.find_contact(contact).await?;
        if self.ports.directory.company(company).await?.is_none() {
            return Err(Error::invalid(
                "company",
                "unknown_company",
                "no such company",
            ));
        }
        match c.memberships.iter_mut().find(|m| m.company == company) {
            Some(m) => m.granted = granted,
            None => c.memberships.push(Membership {
                granted,
                ..Membership::of(company)
            }),
        }
        self.ports.directory.update_contact(&c).await?;
        self.record(
            actor,
            "contact.membership_set",
            format!(
                "contact {contact} <{}>, company {company}: {}",
                c.email,
                rights_text(granted)
            ),
        )
        .await?;
        Ok(c)
    }

    /// Checks a whole set of memberships before anything is written: every company exists,
    /// none twice.
    pub async fn check_memberships(&self, memberships: &[Membership]) -> Result<(), Error> {
        let mut seen = std::collections::BTreeSet::new();
        for m in memberships {
            if !seen.insert(m.company) {
                return Err(Error::invalid(
                    "memberships",
                    "duplicate_company",
                    "a company is named twice",
                ));
            }
            if self.ports.directory.company(m.company).await?.is_none() {
                return Err(Error::invalid(
                    "memberships",
                    "unknown_company",
                    "no such company",
                ));
            }
        }
        Ok(())
    }

    /// Replaces a contact's memberships (the API, C2): each company with what staff grant and
    /// the limit set for it. Audited.
    pub async fn set_memberships(
        &self,
        actor: AgentId,
        contact: ContactId,
        memberships: Vec<Membership>,
    ) -> Result<Contact, Error> {
        self.check_memberships(&memberships).await?;
        let mut c = self.find_contact(contact).await?;
        if c.memberships == memberships {
            return Ok(c);
        }
        c.memberships = memberships;
        self.ports.directory.update_contact(&c).await?;
        let companies: Vec<String> = c
            .memberships
            .iter()
            .map(|m| m.company.to_string())
            .collect();
        self.record(
            actor,
            "contact.memberships_set",
            format!(
                "contact {contact} <{}>: companies {}",
                c.email,
                companies.join(", ")
            ),
        )
        .await?;
        Ok(c)
    }

    /// Takes a contact out of one of its further companies (the primary company is changed
    /// on the contact itself). Audited.
    pub async fn remove_membership(
        &self,
        actor: AgentId,
        contact: ContactId,
        company: CompanyId,
    ) -> Result<Contact, Error> {
        let mut c = self.find_contact(contact).await?;
        if c.primary_company == Some(company) {
            return Err(Error::invalid(
                "company",
                "primary_company",
                "the primary company is changed on the contact",
            ));
        }
        let before = c.memberships.len();
        c.memberships.retain(|m| m.company != company);
        if c.memberships.len() == before {
            return Err(Error::NotFound);
        }
        self.ports.directory.update_contact(&c).await?;
        self.record(
            actor,
            "contact.membership_remove",
            format!("contact {contact} <{}>, company {company}", c.email),
        )
        .await?;
        Ok(c)
    }
}

/// One colleague as the company's portal admin sees them (C5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colleague {
    /// The colleague.
    pub contact: Contact,
    /// What the support team allows them (their grant or the portal's rules): the most
    /// the admin can leave them.
    pub allowed: CompanyRights,
    /// What the admin limited them to, if anything.
    pub limited: Option<CompanyRights>,
    /// What they may do now.
    pub rights: CompanyRights,
}

/// The colleagues of a company, for its portal admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyPeople {
    /// The company.
    pub company: Company,
    /// Every company the viewer is a portal admin of (this one among them), primary first.
    pub companies: Vec<Company>,
    /// Its contacts (primary or further members, C2), the admin excluded, by id.
    pub colleagues: Vec<Colleague>,
}

/// The rights the support team allows `contact` in `company`, before any admin's limit.
fn allowed(settings: &VisibilitySettings, contact: &Contact, company: CompanyId) -> CompanyRights {
    let unlimited = Contact {
        memberships: contact
            .companies()
            .into_iter()
            .map(|m| Membership { limited: None, ..m })
            .collect(),
        ..contact.clone()
    };
    company_rights(settings, &unlimited, company)
}

impl PortalTickets {
    /// The colleagues of the viewer's company `chosen` (`None`: the first they administer),
    /// with what each may do with the company's tickets (C5). `NotFound` unless the viewer
    /// is that company's portal admin.
    pub async fn company_people(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        chosen: Option<CompanyId>,
    ) -> Result<CompanyPeople, Error> {
        let (company, companies) = self.administered(viewer, chosen).await?;
        let company_id = company.id;
        let contacts =
            crate::usecases::organisation::company_contacts(&self.ports, company_id).await?;
        let colleagues = contacts
            .into_iter()
            .filter(|c| c.id != viewer.id)
            .map(|c| Colleague {
                allowed: allowed(&settings.visibility, &c, company_id),
                limited: c.membership(company_id).and_then(|m| m.limited),
                rights: company_rights(&settings.visibility, &c, company_id),
                contact: c,
            })
            .collect();
        Ok(CompanyPeople {
            company,
            companies,
            colleagues,
        })
    }

    /// A portal admin of the company `chosen` (`None`: the first they administer) limits what
    /// a colleague may do with the company's tickets (`None`, or a limit leaving all the support team allows, lifts the limit), within
    /// what the support team allows (C5). Not themselves; only contacts who belong to the
    /// company (primary or further, C2). Recorded in the audit log.
    pub async fn limit_colleague(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        chosen: Option<CompanyId>,
        colleague: ContactId,
        limit: Option<CompanyRights>,
    ) -> Result<CompanyRights, Error> {
        let company = self.administered(viewer, chosen).await?.0.id;
        let mut c = self
            .ports
            .directory
            .contact(colleague)
            .await?
            .filter(|c| c.id != viewer.id && c.belongs_to(company))
            .ok_or(Error::NotFound)?;
        // A limit that leaves everything the support team allows is no limit: it lifts
        // itself, so a later wider grant reaches the colleague.
        let allowed_now = allowed(&settings.visibility, &c, company);
        let limit = limit.filter(|l| allowed_now.and(*l) != allowed_now);
        match c.memberships.iter_mut().find(|m| m.company == company) {
            Some(m) => m.limited = limit,
            None => c.memberships.push(Membership {
                limited: limit,
                ..Membership::of(company)
            }),
        }
        self.ports.directory.update_contact(&c).await?;
        self.ports
            .audit
            .record(AuditEntry {
                actor: format!("contact:{}", viewer.id.0),
                action: "company.colleague_limit".into(),
                detail: format!(
                    "company {company}, contact {colleague} <{}>: {}",
                    c.email,
                    rights_text(limit)
                ),
                at: self.ports.clock.now(),
            })
            .await?;
        Ok(company_rights(&settings.visibility, &c, company))
    }
}
