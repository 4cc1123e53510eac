//! What a staff member may do (P14): every staff action × role, decided here once. The
//! staff pages, the API and the use cases ask [`may`]; the policy test prints the whole
//! table and compares it with a committed file.

use serde::{Deserialize, Serialize};

use crate::model::{Agent, StaffRole};

/// Everything staff do on the staff side or through the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffAction {
    /// Read the inbox and a ticket's whole conversation.
    ReadInbox,
    /// Answer a ticket (public reply, internal note, new conversation).
    Answer,
    /// Change a ticket's stage, owner, subject and properties; file tickets for customers.
    EditTickets,
    /// Explain a contact's access, and preview the portal as a contact (A6, N3).
    ExplainAccess,
    /// Contacts and companies: create and edit.
    EditRecords,
    /// Contact lists and their members; invitations (A1).
    ManageLists,
    /// Disable or enable a customer's portal login.
    DisableCustomerLogin,
    /// Pipelines, stages, inboxes.
    ManagePipelines,
    /// Custom property definitions.
    DefineProperties,
    /// Undelivered mail: see and send again.
    ManageOutbox,
    /// One's own API tokens.
    OwnApiTokens,
    /// The portal settings (P1–P14).
    EditSettings,
    /// Page and mail templates (P10, P11).
    EditTemplates,
    /// The aliases customers see as ticket owners (P8).
    EditAliases,
    /// Disable or enable another staff member's login.
    DisableStaffLogin,
}

impl StaffAction {
    /// Every action, for the policy table.
    pub const ALL: [StaffAction; 15] = [
        StaffAction::ReadInbox,
        StaffAction::Answer,
        StaffAction::EditTickets,
        StaffAction::ExplainAccess,
        StaffAction::EditRecords,
        StaffAction::ManageLists,
        StaffAction::DisableCustomerLogin,
        StaffAction::ManagePipelines,
        StaffAction::DefineProperties,
        StaffAction::ManageOutbox,
        StaffAction::OwnApiTokens,
        StaffAction::EditSettings,
        StaffAction::EditTemplates,
        StaffAction::EditAliases,
        StaffAction::DisableStaffLogin,
    ];
}

/// May a staff member with `role` do `action`? Admins may do everything; agents everything
/// but what shapes the portal itself (settings, templates, owner aliases) and other staff
/// members' logins (P14).
pub fn may(role: StaffRole, action: StaffAction) -> bool {
    match role {
        StaffRole::Admin => true,
        StaffRole::Agent => !matches!(
            action,
            StaffAction::EditSettings
                | StaffAction::EditTemplates
                | StaffAction::EditAliases
                | StaffAction::DisableStaffLogin
        ),
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// The agent.
    pub agent: Agent,
    /// Admin or agent.
    pub role: StaffRole,
}

impl StaffMember {
    /// May this member do `action` (P14)? See [`may`].
    pub fn may(&self, action: StaffAction) -> bool {
        may(self.role, action)
    }
}
