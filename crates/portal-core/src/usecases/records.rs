//! The staff's records (U3): contact lists and their members. Adding a contact to a list
//! that is an access group sends the registration email at once (A1, A4), unless the contact
//! already has a password login; staff can resend it.

use crate::error::Error;
use crate::model::{Contact, ContactId, ContactList, ListId};
use crate::ports::Ports;
use crate::usecases::accounts::Accounts;

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
    ports: Ports,
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
}
