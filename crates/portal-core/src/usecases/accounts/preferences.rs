//! What a customer chooses for themself: the language (N1) and the time zone (issue 18).

use super::{Accounts, Customer};
use crate::Error;

impl Accounts {
    /// Remembers a customer's language for pages and mails (N1): one of the portal's
    /// languages.
    pub async fn set_language(&self, customer: &Customer, language: &str) -> Result<(), Error> {
        if !self.ports.languages.contains(language) {
            return Err(Error::invalid("lang", "invalid", "unsupported language"));
        }
        let mut account = customer.account.clone();
        account.language = Some(language.to_string());
        Ok(self.ports.accounts.update(&account).await?)
    }

    /// Remembers the time zone a customer reads times in (issue 18): an IANA name, or
    /// empty for the portal's.
    pub async fn set_time_zone(&self, customer: &Customer, zone: &str) -> Result<(), Error> {
        let zone = zone.trim();
        let chosen = if zone.is_empty() {
            None
        } else {
            Some(
                crate::zone::Zone::named(zone)
                    .ok_or_else(|| {
                        Error::invalid("time_zone", "unknown_zone", "no such time zone")
                    })?
                    .name()
                    .to_string(),
            )
        };
        let mut account = customer.account.clone();
        account.time_zone = chosen;
        Ok(self.ports.accounts.update(&account).await?)
    }

    /// Takes the zone a customer's browser reports at login as theirs when they have
    /// chosen none yet; an unknown name changes nothing.
    pub async fn adopt_browser_zone(&self, customer: &Customer, zone: &str) -> Result<(), Error> {
        if customer.account.time_zone.is_some() {
            return Ok(());
        }
        match crate::zone::Zone::named(zone) {
            Some(z) => {
                let mut account = customer.account.clone();
                account.time_zone = Some(z.name().to_string());
                Ok(self.ports.accounts.update(&account).await?)
            }
            None => Ok(()),
        }
    }
}
