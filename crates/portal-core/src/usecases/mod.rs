//! Use cases: one service per concern, over the [`crate::ports::Ports`]. Each returns
//! domain results or a typed [`crate::Error`].

pub mod accounts;
pub mod files;
pub mod import;
pub mod inbox;
pub mod mail_in;
pub mod mailboxes;
pub mod memberships;
pub mod organisation;
pub mod participants;
pub mod portal;
pub mod records;
pub mod sso;
pub mod staff;
pub mod staff_people;
pub mod throttle;

/// The primary language of the portal's domain (P3), read for a mail.
pub(crate) async fn domain_language(
    ports: &crate::ports::Ports,
    settings: &crate::settings::PortalSettings,
) -> Result<Option<String>, crate::Error> {
    let domains = ports.catalog.domains().await?;
    Ok(settings.domain_language(&domains).map(str::to_string))
}
