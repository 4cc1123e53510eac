//! The translation catalogue (N1): every user-facing string in English, German, Dutch,
//! Danish and Finnish, embedded in the binary, and the choice of the visitor's language.

use std::collections::HashMap;

/// The languages portal speaks, English first (the fallback).
pub const LANGUAGES: [&str; 5] = ["en", "de", "nl", "da", "fi"];

const SOURCES: [(&str, &str); 5] = [
    ("en", include_str!("../locales/en.txt")),
    ("de", include_str!("../locales/de.txt")),
    ("nl", include_str!("../locales/nl.txt")),
    ("da", include_str!("../locales/da.txt")),
    ("fi", include_str!("../locales/fi.txt")),
];

/// All catalogues.
#[derive(Debug, Clone)]
pub struct I18n {
    tables: HashMap<&'static str, HashMap<&'static str, &'static str>>,
}

impl Default for I18n {
    fn default() -> Self {
        I18n::new()
    }
}

impl I18n {
    /// Parses the embedded catalogues (`key = value` lines).
    pub fn new() -> I18n {
        let tables = SOURCES
            .iter()
            .map(|(lang, src)| {
                let table = portal_core::settings::catalogue_entries(src).collect();
                (*lang, table)
            })
            .collect();
        I18n { tables }
    }

    /// The text of `key` in `lang`, falling back to English, then to the key itself.
    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.tables
            .get(lang)
            .and_then(|t| t.get(key))
            .or_else(|| self.tables.get("en").and_then(|t| t.get(key)))
            .copied()
            .unwrap_or(key)
    }

    /// Whether `lang` (or English) has `key`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.tables.get(lang).is_some_and(|t| t.contains_key(key))
            || self.tables.get("en").is_some_and(|t| t.contains_key(key))
    }

    /// `get` with `{name}` placeholders filled.
    pub fn fill(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.get(lang, key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// Every key of a language (the tests check the catalogues are complete).
    pub fn keys(&self, lang: &str) -> Vec<&'static str> {
        let mut keys: Vec<_> = self
            .tables
            .get(lang)
            .map(|t| t.keys().copied().collect())
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    }
}

/// A supported language tag for `tag` (`de-AT` → `de`), if any.
pub fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGES.iter().copied().find(|l| *l == primary)
}

/// The best supported language of an `Accept-Language` header, by quality.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    let mut best: Option<(f32, &'static str)> = None;
    for part in header.split(',') {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or("");
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(lang) = supported(tag)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l)
}

/// The visitor's language (N1): the account's choice, then the language cookie, then the
/// browser's, then the domain's primary language, then English.
pub fn choose(
    account: Option<&str>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
    domain: Option<&str>,
) -> &'static str {
    account
        .and_then(supported)
        .or_else(|| cookie.and_then(supported))
        .or_else(|| accept_language.and_then(from_accept_language))
        .or_else(|| domain.and_then(supported))
        .unwrap_or("en")
}
