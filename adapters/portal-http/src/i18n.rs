//! The pages' side of the translation catalogues (N1, issue 18): the shared Fluent
//! catalogues of `portal-i18n` (built in, plus an operator's directory) and the choice of
//! the visitor's language among those the catalogues hold.

use std::sync::Arc;

pub use portal_i18n::{Arg, Catalogues};

/// The catalogues as the pages share them. Cheap to clone.
#[derive(Debug, Clone)]
pub struct I18n(Arc<Catalogues>);

impl Default for I18n {
    fn default() -> Self {
        I18n::new()
    }
}

impl std::ops::Deref for I18n {
    type Target = Catalogues;
    fn deref(&self) -> &Catalogues {
        &self.0
    }
}

impl From<Arc<Catalogues>> for I18n {
    fn from(c: Arc<Catalogues>) -> I18n {
        I18n(c)
    }
}

impl From<Catalogues> for I18n {
    fn from(c: Catalogues) -> I18n {
        I18n(Arc::new(c))
    }
}

impl I18n {
    /// The built-in catalogues.
    pub fn new() -> I18n {
        I18n::from(Catalogues::built_in())
    }

    /// The languages, as the core's rules know them.
    pub fn languages(&self) -> portal_core::settings::Languages {
        portal_core::settings::Languages::new(self.tags())
    }

    /// The visitor's language (N1): the account's choice, then the language cookie, then
    /// the browser's, then the domain's primary language, then English.
    pub fn choose(
        &self,
        account: Option<&str>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
        domain: Option<&str>,
    ) -> &'static str {
        account
            .and_then(|t| self.supported(t))
            .or_else(|| cookie.and_then(|t| self.supported(t)))
            .or_else(|| accept_language.and_then(|h| self.from_accept_language(h)))
            .or_else(|| domain.and_then(|t| self.supported(t)))
            .unwrap_or("en")
    }
}
