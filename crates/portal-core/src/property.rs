//! Properties: the named values of contacts and tickets that filters, columns and the
//! support form speak about.
//!
//! Built-in properties come from the record's own fields; custom properties from its
//! `properties` map. [`PropertySource`] gives both one face, so the filter evaluator and the
//! list columns need not know which is which.

use serde::{Deserialize, Serialize};

use crate::model::{Contact, Ticket, Value, ValueKind};

/// Which kind of record a property belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// Contact properties (V3 filters).
    Contact,
    /// Ticket properties (V5 filters, columns, the support form).
    Ticket,
}

/// The definition of a property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDef {
    /// Internal name, e.g. `subject` or `priority`.
    pub name: String,
    /// Default display label (English; the portal translates built-in labels).
    pub label: String,
    /// The kind of its values.
    pub kind: ValueKind,
    /// For enumerations: the allowed text values.
    pub options: Vec<String>,
    /// Whether the record's own fields hold it (not the custom-property map).
    pub builtin: bool,
}

impl PropertyDef {
    /// A custom property definition.
    pub fn custom(name: &str, label: &str, kind: ValueKind) -> PropertyDef {
        PropertyDef {
            name: name.to_string(),
            label: label.to_string(),
            kind,
            options: Vec::new(),
            builtin: false,
        }
    }

    fn builtin(name: &str, label: &str, kind: ValueKind) -> PropertyDef {
        PropertyDef {
            builtin: true,
            ..PropertyDef::custom(name, label, kind)
        }
    }
}

/// Built-in ticket property names.
pub mod ticket_props {
    /// Subject line (text).
    pub const SUBJECT: &str = "subject";
    /// Requesting contact id (number).
    pub const REQUESTED_BY: &str = "requested_by";
    /// Creation time (date).
    pub const CREATED_AT: &str = "created_at";
    /// Owning agent id (number).
    pub const OWNER: &str = "owner";
    /// Last activity time (date).
    pub const LAST_ACTIVITY_AT: &str = "last_activity_at";
    /// `open` or `closed` (text).
    pub const STATUS: &str = "status";
    /// Pipeline id (number).
    pub const PIPELINE: &str = "pipeline";
    /// Stage id (number).
    pub const STAGE: &str = "stage";
    /// Inbox id (number).
    pub const INBOX: &str = "inbox";
    /// Ticket id (number).
    pub const ID: &str = "id";

    /// Every built-in ticket property name.
    pub const ALL: [&str; 10] = [
        ID,
        SUBJECT,
        REQUESTED_BY,
        CREATED_AT,
        OWNER,
        LAST_ACTIVITY_AT,
        STATUS,
        PIPELINE,
        STAGE,
        INBOX,
    ];

    /// Whether `name` is a built-in ticket property (without building the definitions).
    pub fn is_builtin(name: &str) -> bool {
        ALL.contains(&name)
    }
}

/// Built-in contact property names.
pub mod contact_props {
    /// Primary email (text).
    pub const EMAIL: &str = "email";
    /// Given name (text).
    pub const FIRST_NAME: &str = "first_name";
    /// Family name (text).
    pub const LAST_NAME: &str = "last_name";
    /// Membership email (text).
    pub const MEMBERSHIP_EMAIL: &str = "membership_email";
    /// Primary company id (number).
    pub const COMPANY: &str = "company";
}

/// The built-in ticket properties.
pub fn builtin_ticket_properties() -> Vec<PropertyDef> {
    use ticket_props::*;
    vec![
        PropertyDef::builtin(ID, "Ticket ID", ValueKind::Number),
        PropertyDef::builtin(SUBJECT, "Subject", ValueKind::Text),
        PropertyDef::builtin(REQUESTED_BY, "Requested by", ValueKind::Number),
        PropertyDef::builtin(CREATED_AT, "Create date", ValueKind::Date),
        PropertyDef::builtin(OWNER, "Ticket owner", ValueKind::Number),
        PropertyDef::builtin(LAST_ACTIVITY_AT, "Last activity date", ValueKind::Date),
        PropertyDef {
            options: vec!["open".into(), "closed".into()],
            ..PropertyDef::builtin(STATUS, "Status", ValueKind::Text)
        },
        PropertyDef::builtin(PIPELINE, "Pipeline", ValueKind::Number),
        PropertyDef::builtin(STAGE, "Stage", ValueKind::Number),
        PropertyDef::builtin(INBOX, "Inbox", ValueKind::Number),
    ]
}

/// The built-in contact properties.
pub fn builtin_contact_properties() -> Vec<PropertyDef> {
    use contact_props::*;
    vec![
        PropertyDef::builtin(EMAIL, "Email", ValueKind::Text),
        PropertyDef::builtin(FIRST_NAME, "First name", ValueKind::Text),
        PropertyDef::builtin(LAST_NAME, "Last name", ValueKind::Text),
        PropertyDef::builtin(MEMBERSHIP_EMAIL, "Membership email", ValueKind::Text),
        PropertyDef::builtin(COMPANY, "Primary company", ValueKind::Number),
    ]
}

/// Anything whose properties can be read by name.
pub trait PropertySource {
    /// The value of the property, or `None` when it is unknown (unset).
    fn property(&self, name: &str) -> Option<Value>;
}

impl PropertySource for Ticket {
    fn property(&self, name: &str) -> Option<Value> {
        use ticket_props::*;
        match name {
            ID => Some(Value::Number(self.id.0)),
            SUBJECT => Some(Value::Text(self.subject.clone())),
            REQUESTED_BY => self.requester.map(|c| Value::Number(c.0)),
            CREATED_AT => Some(Value::Date(self.created_at)),
            OWNER => self.owner.map(|a| Value::Number(a.0)),
            LAST_ACTIVITY_AT => Some(Value::Date(self.last_activity_at)),
            STATUS => Some(Value::text(self.status.as_str())),
            PIPELINE => Some(Value::Number(self.pipeline.0)),
            STAGE => Some(Value::Number(self.stage.0)),
            INBOX => self.inbox.map(|i| Value::Number(i.0)),
            other => self.properties.get(other).cloned(),
        }
    }
}

impl PropertySource for Contact {
    fn property(&self, name: &str) -> Option<Value> {
        use contact_props::*;
        let known_text = |s: &str| (!s.is_empty()).then(|| Value::text(s));
        match name {
            EMAIL => known_text(&self.email),
            FIRST_NAME => known_text(&self.first_name),
            LAST_NAME => known_text(&self.last_name),
            MEMBERSHIP_EMAIL => self.membership_email.as_deref().and_then(known_text),
            COMPANY => self.primary_company.map(|c| Value::Number(c.0)),
            other => self.properties.get(other).cloned(),
        }
    }
}

/// The property definitions known for one kind of record: built-ins plus custom ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyCatalog {
    /// All definitions, built-ins first.
    pub defs: Vec<PropertyDef>,
}

impl PropertyCatalog {
    /// Built-in ticket properties plus `custom`.
    pub fn tickets(custom: impl IntoIterator<Item = PropertyDef>) -> PropertyCatalog {
        let mut defs = builtin_ticket_properties();
        defs.extend(custom);
        PropertyCatalog { defs }
    }

    /// Built-in contact properties plus `custom`.
    pub fn contacts(custom: impl IntoIterator<Item = PropertyDef>) -> PropertyCatalog {
        let mut defs = builtin_contact_properties();
        defs.extend(custom);
        PropertyCatalog { defs }
    }

    /// The definition of `name`.
    pub fn get(&self, name: &str) -> Option<&PropertyDef> {
        self.defs.iter().find(|d| d.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_built_in_names_matches_the_built_in_definitions() {
        let defs: Vec<String> = builtin_ticket_properties()
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(defs, ticket_props::ALL.map(String::from).to_vec());
        assert!(ticket_props::is_builtin("subject"));
        assert!(!ticket_props::is_builtin("priority"));
    }
}
