//! What a customer may do with a ticket it sees: reply (T3, T4), close (T5), copy others in
//! (C1), upload (SECURITY rule 19). Pure functions of the settings and the ticket; the visibility check (V7) comes
//! first, in the use cases.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    CompanyId, Contact, ContactId, Pipeline, PipelineId, StageId, Ticket, TicketStatus,
};

/// The admin's ticket-action settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionSettings {
    /// Customers may reply to closed tickets (T4).
    pub reply_when_closed: bool,
    /// Customers may close tickets (T5).
    pub allow_close: bool,
    /// The closed stage a customer's close moves a ticket to, per pipeline. A pipeline with
    /// exactly one closed stage needs no entry.
    pub close_stages: BTreeMap<PipelineId, StageId>,
    /// A ticket's requester may copy other contacts in (C1); staff always may.
    #[serde(default)]
    pub customers_add_ccs: bool,
    /// The contacts a requester copies in must be colleagues: belong to one of the
    /// requester's companies, primary or further (C1, C2).
    #[serde(default)]
    pub ccs_same_company: bool,
    /// New tickets filed by customers are private (C5): only their people see them, not
    /// the company.
    #[serde(default)]
    pub private_by_default: bool,
    /// Customers choose whether a ticket is private when filing it, and their tickets'
    /// requesters change it later (C5).
    #[serde(default)]
    pub customers_choose_privacy: bool,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ActionDenied {
    /// The ticket is closed and replying to closed tickets is off (T4).
    #[error("replying to closed tickets is not allowed")]
    ClosedTicketReply,
    /// Closing is off (T5).
    #[error("closing tickets is not allowed")]
    CloseDisabled,
    /// The ticket is already closed.
    #[error("the ticket is already closed")]
    AlreadyClosed,
    /// No closed stage is chosen for the ticket's pipeline and it has several (or none).
    #[error("no closed stage is configured for this pipeline")]
    NoClosedStage,
    /// Customers may not copy others in (C1).
    #[error("adding people to tickets is not allowed")]
    CcDisabled,
    /// Only the ticket's requester copies others in or takes them off (C1).
    #[error("only the requester may change who is on the ticket")]
    CcNotRequester,
    /// No contact the requester may add has this address: unknown, or of another company
    /// when CCs are limited to the requester's company (one answer for both, so the form
    /// tells nobody which addresses the help desk knows).
    #[error("nobody with this address can be added")]
    CcAddressRefused,
    /// The contact is on the ticket already.
    #[error("this person is on the ticket already")]
    CcAlreadyOnTicket,
    /// The contact is not a participant (the requester is not one: they hand a ticket over
    /// instead).
    #[error("this person is not a participant of the ticket")]
    CcNotParticipant,
    /// A ticket is handed over only to a colleague of the requester's company (an unknown
    /// address gets the same answer) (C3).
    #[error("the ticket can only be handed to a colleague of the same company")]
    HandOverRefused,
    /// Customers may not choose who sees their tickets (C5).
    #[error("customers cannot choose whether a ticket is private")]
    PrivacyChoiceOff,
    /// Only the ticket's requester makes it private or shares it (C5).
    #[error("only the requester may change who sees the ticket")]
    PrivacyNotRequester,
    /// A ticket is filed on behalf of a colleague of the filer's company only (an unknown
    /// address gets the same answer) (C5).
    #[error("a ticket can only be filed for a colleague of your company")]
    OnBehalfRefused,
    /// The viewer sees this company ticket but may not answer the company's tickets (C5).
    #[error("you may read but not answer your company's tickets")]
    CompanyReplyRight,
    /// The viewer sees this company ticket but may not close the company's tickets (C5).
    #[error("you may read but not close your company's tickets")]
    CompanyCloseRight,
}

/// May `viewer` file a ticket on behalf of `target` (the contact with the address given, if
/// any) (C5)? Only for a colleague: another contact who belongs to one of the viewer's
/// companies, primary or further (C2); the filer stays on the ticket as a participant.
pub fn may_file_for(viewer: &Contact, target: Option<&Contact>) -> Result<(), ActionDenied> {
    match target {
        Some(t) if t.id != viewer.id && viewer.shares_a_company_with(t) => Ok(()),
        _ => Err(ActionDenied::OnBehalfRefused),
    }
}

/// Whether the support form offers `viewer` to file for a colleague at all (C5): only a
/// contact with a company has colleagues.
pub fn may_file_for_anyone(viewer: &Contact) -> bool {
    viewer.primary_company.is_some() || !viewer.memberships.is_empty()
}

/// A right on a company's tickets beyond seeing them (C5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanyRight {
    /// Answering.
    Reply,
    /// Closing.
    Close,
}

/// May `viewer` answer or close this (visible) ticket as far as who they are goes (C5)?
/// Its own people always may (T3–T5 decide the rest); someone who sees it only through a
/// company needs that right in one of the ticket's companies they belong to.
pub fn may_act_on(
    visibility: &crate::visibility::VisibilitySettings,
    viewer: &Contact,
    ticket: &Ticket,
    right: CompanyRight,
) -> Result<(), ActionDenied> {
    if ticket.contacts.contains(&viewer.id) {
        return Ok(());
    }
    let allowed = ticket.companies.iter().any(|c| {
        let r = crate::visibility::company_rights(visibility, viewer, *c);
        match right {
            CompanyRight::Reply => r.reply,
            CompanyRight::Close => r.close,
        }
    });
    match (allowed, right) {
        (true, _) => Ok(()),
        (false, CompanyRight::Reply) => Err(ActionDenied::CompanyReplyRight),
        (false, CompanyRight::Close) => Err(ActionDenied::CompanyCloseRight),
    }
}

/// Whether a ticket a customer files is private (C5): their choice when customers may
/// choose, the portal's default otherwise (a choice sent anyway is refused, so a form
/// never silently files a ticket more widely than its author asked).
pub fn new_ticket_private(
    settings: &ActionSettings,
    chosen: Option<bool>,
) -> Result<bool, ActionDenied> {
    match chosen {
        None => Ok(settings.private_by_default),
        Some(p) if settings.customers_choose_privacy => Ok(p),
        Some(p) if p == settings.private_by_default => Ok(p),
        Some(_) => Err(ActionDenied::PrivacyChoiceOff),
    }
}

/// The choice the support form offers (C5): `Some(default)` when customers choose whether
/// a new ticket is private, `None` when the portal decides alone.
pub fn privacy_choice(settings: &ActionSettings) -> Option<bool> {
    settings
        .customers_choose_privacy
        .then_some(settings.private_by_default)
}

/// Whether a ticket filed by email is private (C5): the portal's default, as a mail
/// carries no choice.
pub fn mailed_ticket_private(settings: &ActionSettings) -> bool {
    settings.private_by_default
}

/// May `viewer` make this (visible) ticket private or share it with the company (C5)? Its
/// requester, when customers choose.
pub fn may_set_private(
    settings: &ActionSettings,
    viewer: &Contact,
    ticket: &Ticket,
) -> Result<(), ActionDenied> {
    if !settings.customers_choose_privacy {
        return Err(ActionDenied::PrivacyChoiceOff);
    }
    if ticket.requester != Some(viewer.id) {
        return Err(ActionDenied::PrivacyNotRequester);
    }
    if ticket.companies.is_empty() {
        // No company to share it with: private or not, only its people see it.
        return Err(ActionDenied::PrivacyChoiceOff);
    }
    Ok(())
}

/// May the customer reply to this (visible) ticket? Open: yes; closed: only with T4.
pub fn may_reply(settings: &ActionSettings, ticket: &Ticket) -> Result<(), ActionDenied> {
    match ticket.status {
        TicketStatus::Open => Ok(()),
        TicketStatus::Closed if settings.reply_when_closed => Ok(()),
        TicketStatus::Closed => Err(ActionDenied::ClosedTicketReply),
    }
}

/// A ticket's participants (C1): its associated contacts other than the requester.
pub fn participants(ticket: &Ticket) -> impl Iterator<Item = ContactId> + '_ {
    ticket
        .contacts
        .iter()
        .copied()
        .filter(move |c| Some(*c) != ticket.requester)
}

/// May `viewer` copy others in on this (visible) ticket at all (C1)? The requester, when
/// customers may add CCs.
pub fn may_add_ccs(
    settings: &ActionSettings,
    viewer: &Contact,
    ticket: &Ticket,
) -> Result<(), ActionDenied> {
    if !settings.customers_add_ccs {
        return Err(ActionDenied::CcDisabled);
    }
    if ticket.requester != Some(viewer.id) {
        return Err(ActionDenied::CcNotRequester);
    }
    Ok(())
}

/// May `viewer` copy `target` (the contact with the address given, if any) in (C1)?
pub fn may_add_cc(
    settings: &ActionSettings,
    viewer: &Contact,
    ticket: &Ticket,
    target: Option<&Contact>,
) -> Result<(), ActionDenied> {
    may_add_ccs(settings, viewer, ticket)?;
    let target = target.ok_or(ActionDenied::CcAddressRefused)?;
    if settings.ccs_same_company && !viewer.shares_a_company_with(target) {
        return Err(ActionDenied::CcAddressRefused);
    }
    if ticket.contacts.contains(&target.id) || ticket.requester == Some(target.id) {
        return Err(ActionDenied::CcAlreadyOnTicket);
    }
    Ok(())
}

/// May `viewer` take participant `target` off this (visible) ticket (C1)? The requester
/// takes anyone off; a participant leaves on their own.
pub fn may_remove_cc(
    viewer: &Contact,
    ticket: &Ticket,
    target: ContactId,
) -> Result<(), ActionDenied> {
    if !participants(ticket).any(|c| c == target) {
        return Err(ActionDenied::CcNotParticipant);
    }
    if ticket.requester == Some(viewer.id) || viewer.id == target {
        Ok(())
    } else {
        Err(ActionDenied::CcNotRequester)
    }
}

/// The companies a hand-over of this ticket by `viewer` stays within (C3): for the
/// requester, every company they belong to (C2); for a portal admin of companies the ticket
/// is shared with (C4's per-contact permission, `admin_of`, per company), those companies.
fn hand_over_companies(
    viewer: &Contact,
    ticket: &Ticket,
    admin_of: &[CompanyId],
) -> Result<Vec<CompanyId>, ActionDenied> {
    if ticket.requester == Some(viewer.id) {
        let companies: Vec<CompanyId> = viewer.companies().iter().map(|m| m.company).collect();
        return if companies.is_empty() {
            Err(ActionDenied::HandOverRefused)
        } else {
            Ok(companies)
        };
    }
    let administered: Vec<CompanyId> = crate::organisation::logs_of(viewer, admin_of)
        .into_iter()
        .filter(|c| ticket.companies.contains(c) && !ticket.private)
        .collect();
    if administered.is_empty() {
        Err(ActionDenied::CcNotRequester)
    } else {
        Ok(administered)
    }
}

/// May `viewer` hand this (visible) ticket over at all (C3)? Its requester, when they
/// belong to a company (the new requester must be a colleague); or a portal admin of the
/// company the ticket is shared with (`admin_of`: the companies the viewer administers).
pub fn may_hand_over_any(
    viewer: &Contact,
    ticket: &Ticket,
    admin_of: &[CompanyId],
) -> Result<(), ActionDenied> {
    hand_over_companies(viewer, ticket, admin_of).map(|_| ())
}

/// May `viewer` hand this ticket over to `target` (the contact with the address given, if
/// any) (C3)? As [`may_hand_over_any`], only to a contact who belongs to one of those
/// companies (primary or further, C2) and is not its requester already.
pub fn may_hand_over(
    viewer: &Contact,
    ticket: &Ticket,
    admin_of: &[CompanyId],
    target: Option<&Contact>,
) -> Result<(), ActionDenied> {
    let companies = hand_over_companies(viewer, ticket, admin_of)?;
    match target {
        Some(t) if Some(t.id) != ticket.requester && companies.iter().any(|c| t.belongs_to(*c)) => {
            Ok(())
        }
        _ => Err(ActionDenied::HandOverRefused),
    }
}

/// The closed stage a customer's close moves `ticket` to (T5): the admin's choice for the
/// pipeline, or the pipeline's only closed stage.
pub fn close_target(
    settings: &ActionSettings,
    pipeline: &Pipeline,
    ticket: &Ticket,
) -> Result<StageId, ActionDenied> {
    if !settings.allow_close {
        return Err(ActionDenied::CloseDisabled);
    }
    if ticket.status == TicketStatus::Closed {
        return Err(ActionDenied::AlreadyClosed);
    }
    closed_stage_for(settings, pipeline).ok_or(ActionDenied::NoClosedStage)
}

/// The configured closed stage of `pipeline`; without a choice, its first closed stage
/// (the only one, in the common case: T5's default). A pipeline added later with several
/// closed stages is closable at once, and never blocks saving the settings.
pub fn closed_stage_for(settings: &ActionSettings, pipeline: &Pipeline) -> Option<StageId> {
    if let Some(chosen) = settings.close_stages.get(&pipeline.id) {
        return pipeline.stage(*chosen).filter(|s| s.closed).map(|s| s.id);
    }
    pipeline.closed_stages().next().map(|s| s.id)
}

/// Upload limits (SECURITY rule 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    /// Files in one reply.
    pub max_files: usize,
    /// Bytes in one file.
    pub max_file_bytes: u64,
    /// Bytes in one reply, all files together.
    pub max_total_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_files: 10,
            max_file_bytes: 20 * 1024 * 1024,
            max_total_bytes: 50 * 1024 * 1024,
        }
    }
}

/// Which upload limit was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum UploadRefused {
    /// Too many files.
    #[error("at most {max} files per reply")]
    TooManyFiles {
        /// The limit.
        max: usize,
    },
    /// One file too large.
    #[error("a file may be at most {max} bytes")]
    FileTooLarge {
        /// The limit.
        max: u64,
    },
    /// All files together too large.
    #[error("all files together may be at most {max} bytes")]
    TotalTooLarge {
        /// The limit.
        max: u64,
    },
    /// An empty file.
    #[error("empty files cannot be attached")]
    EmptyFile,
}

impl UploadLimits {
    /// Checks the sizes of the files of one reply.
    pub fn check(&self, sizes: &[u64]) -> Result<(), UploadRefused> {
        if sizes.len() > self.max_files {
            return Err(UploadRefused::TooManyFiles {
                max: self.max_files,
            });
        }
        if sizes.contains(&0) {
            return Err(UploadRefused::EmptyFile);
        }
        if sizes.iter().any(|s| *s > self.max_file_bytes) {
            return Err(UploadRefused::FileTooLarge {
                max: self.max_file_bytes,
            });
        }
        if sizes.iter().sum::<u64>() > self.max_total_bytes {
            return Err(UploadRefused::TotalTooLarge {
                max: self.max_total_bytes,
            });
        }
        Ok(())
    }
}
