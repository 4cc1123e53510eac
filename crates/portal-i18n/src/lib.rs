//! # portal-i18n
//!
//! The translation catalogues of pages and mails (N1, issue 18), in Project Fluent's `.ftl`
//! format, read by one loader:
//!
//! - the built-in languages (English, German, Dutch, Danish, Finnish) are compiled in from
//!   `locales/{tag}/{portal,staff,mail}.ftl`;
//! - an operator's directory (`catalogue_dir`) adds languages without a rebuild, one
//!   sub-directory per language tag holding `.ftl` files (`sv/portal.ftl`), and may override
//!   single messages of a built-in language the same way;
//! - a message missing from a language falls back to English, then to its key.
//!
//! Keys in the code are dotted (`list.count`); Fluent identifiers cannot hold a dot, so the
//! files spell them with dashes (`list-count`). Plural forms follow each language's CLDR
//! rules (Fluent's selectors, `intl_pluralrules`), and numbers are grouped per language from
//! CLDR's separators (`num-format`'s data): `1,000` in English, `1.000` in German, `1 000`
//! in Finnish.
//!
//! A message without variables is formatted once when the catalogues load, so looking it up
//! costs one hash lookup (the pages ask for about a hundred texts each).

use std::collections::HashMap;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::memoizer::MemoizerKind;
use fluent_bundle::types::FluentNumber;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The built-in languages, English first (the fallback).
pub const BUILT_IN: [&str; 5] = ["en", "de", "nl", "da", "fi"];

/// The catalogue files of the built-in languages.
const SOURCES: [(&str, &str, &str); 15] = [
    ("en", "portal.ftl", include_str!("../locales/en/portal.ftl")),
    ("en", "staff.ftl", include_str!("../locales/en/staff.ftl")),
    ("en", "mail.ftl", include_str!("../locales/en/mail.ftl")),
    ("de", "portal.ftl", include_str!("../locales/de/portal.ftl")),
    ("de", "staff.ftl", include_str!("../locales/de/staff.ftl")),
    ("de", "mail.ftl", include_str!("../locales/de/mail.ftl")),
    ("nl", "portal.ftl", include_str!("../locales/nl/portal.ftl")),
    ("nl", "staff.ftl", include_str!("../locales/nl/staff.ftl")),
    ("nl", "mail.ftl", include_str!("../locales/nl/mail.ftl")),
    ("da", "portal.ftl", include_str!("../locales/da/portal.ftl")),
    ("da", "staff.ftl", include_str!("../locales/da/staff.ftl")),
    ("da", "mail.ftl", include_str!("../locales/da/mail.ftl")),
    ("fi", "portal.ftl", include_str!("../locales/fi/portal.ftl")),
    ("fi", "staff.ftl", include_str!("../locales/fi/staff.ftl")),
    ("fi", "mail.ftl", include_str!("../locales/fi/mail.ftl")),
];

/// A value for a message's variable: text as it is, or a number (which selects plural
/// forms and is grouped per language).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text, shown as it is.
    Text(String),
    /// A number.
    Number(f64),
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: $t) -> Arg {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f64);

/// Why the catalogues could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// A file or the directory cannot be read.
    #[error("{path}: {detail}")]
    Read {
        /// The file or directory.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// A catalogue file is not valid Fluent.
    #[error("{path}, line {line}: {detail}")]
    Syntax {
        /// The file.
        path: String,
        /// Where the first problem is.
        line: usize,
        /// What the parser said.
        detail: String,
    },
    /// A directory whose name is not a language tag.
    #[error("{0}: a catalogue directory is named by its language tag, like sv or pt")]
    Tag(String),
}

/// A message of one language.
struct Text {
    /// Its Fluent identifier (the dotted key with dashes).
    id: Box<str>,
    /// The message formatted without variables (all of it when it has none).
    plain: Box<str>,
    /// Whether it has variables or selectors (then it goes through Fluent when filled).
    dynamic: bool,
}

/// One language: its Fluent bundle and its messages by dotted key.
struct Language {
    /// Lives as long as the process: the built-in tags are literals, a directory's are
    /// leaked once when loaded (a few bytes each), so pages hold `&'static str`.
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
    texts: HashMap<String, Text>,
}

/// Every language's catalogue.
pub struct Catalogues {
    /// Built-in languages first (English at 0), then the directory's, by tag.
    languages: Vec<Language>,
}

impl std::fmt::Debug for Catalogues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogues")
            .field("languages", &self.tags().collect::<Vec<_>>())
            .finish()
    }
}

impl Default for Catalogues {
    fn default() -> Self {
        Catalogues::built_in()
    }
}

/// Whether `tag` can name a catalogue directory: a primary language subtag (`sv`, `pt`,
/// `fil`), lower case.
pub fn is_tag(tag: &str) -> bool {
    (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase())
}

impl Catalogues {
    /// The built-in catalogues. Their files are checked by this crate's tests; a message
    /// that would not parse is left out rather than failing the server.
    pub fn built_in() -> Catalogues {
        let mut by_tag: Vec<(&'static str, Vec<FluentResource>)> = Vec::new();
        for (tag, _, src) in SOURCES {
            let resource = FluentResource::try_new(src.to_string()).unwrap_or_else(|(r, _)| r);
            match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, list)) => list.push(resource),
                None => by_tag.push((tag, vec![resource])),
            }
        }
        Catalogues {
            languages: by_tag
                .into_iter()
                .map(|(tag, resources)| Language::new(tag, resources))
                .collect(),
        }
    }

    /// The built-in catalogues and those of `dir`: each sub-directory named by a language
    /// tag holds `.ftl` files; a new tag adds a language, a built-in tag overrides the
    /// messages its files name. Any unreadable or invalid file is an error naming it.
    pub fn load(dir: Option<&Path>) -> Result<Catalogues, CatalogueError> {
        let mut catalogues = Catalogues::built_in();
        let Some(dir) = dir else {
            return Ok(catalogues);
        };
        let read_err = |p: &Path, e: std::io::Error| CatalogueError::Read {
            path: p.display().to_string(),
            detail: e.to_string(),
        };
        let mut tags: Vec<(String, std::path::PathBuf)> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| read_err(dir, e))? {
            let entry = entry.map_err(|e| read_err(dir, e))?;
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_tag(&name) {
                return Err(CatalogueError::Tag(path.display().to_string()));
            }
            tags.push((name, path));
        }
        tags.sort();
        for (tag, path) in tags {
            let mut files: Vec<_> = std::fs::read_dir(&path)
                .map_err(|e| read_err(&path, e))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                .collect();
            files.sort();
            let mut resources = Vec::new();
            for file in files {
                let src = std::fs::read_to_string(&file).map_err(|e| read_err(&file, e))?;
                resources.push(parse(&file, src)?);
            }
            match catalogues.languages.iter_mut().find(|l| l.tag == tag) {
                Some(language) => language.add(resources),
                None => {
                    let tag: &'static str = Box::leak(tag.into_boxed_str());
                    catalogues.languages.push(Language::new(tag, resources));
                }
            }
        }
        Ok(catalogues)
    }

    /// The languages, built-in ones first.
    pub fn tags(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.languages.iter().map(|l| l.tag)
    }

    fn language(&self, tag: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.tag == tag)
    }

    fn text<'a>(&'a self, lang: &str, key: &str) -> Option<(&'a Language, &'a Text)> {
        let find = |l: &'a Language| l.texts.get(key).map(|t| (l, t));
        self.language(lang)
            .and_then(find)
            .or_else(|| self.languages.first().and_then(find))
    }

    /// The text of `key` in `lang`, falling back to English, then to the key itself. A
    /// message with variables comes without them.
    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.text(lang, key).map_or(key, |(_, t)| &t.plain)
    }

    /// Whether `lang` (or English) has `key`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.text(lang, key).is_some()
    }

    /// The text of `key` in `lang` with its variables: plural forms chosen by the numbers,
    /// numbers grouped per language.
    pub fn fill(&self, lang: &str, key: &str, args: &[(&str, Arg)]) -> String {
        let Some((language, text)) = self.text(lang, key) else {
            return key.to_string();
        };
        if !text.dynamic {
            return text.plain.to_string();
        }
        let Some(pattern) = language
            .bundle
            .get_message(&text.id)
            .and_then(|m| m.value())
        else {
            return text.plain.to_string();
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.as_str())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        language
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// `n` written as `lang` writes numbers (grouped: `12,345`, `12.345`, `12 345`).
    pub fn number(&self, lang: &str, n: i64) -> String {
        NumberFormat::of(lang).format(n)
    }

    /// Every key of a language, sorted (the tests check the catalogues are complete).
    pub fn keys(&self, lang: &str) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .language(lang)
            .map(|l| l.texts.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    }

    /// The catalogue's language for `tag` (`de-AT` → `de`, `sv_SE` → `sv`), if any.
    pub fn supported(&self, tag: &str) -> Option<&'static str> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        self.tags().find(|l| *l == primary)
    }

    /// The best language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(&self, header: &str) -> Option<&'static str> {
        let mut best: Option<(f32, &'static str)> = None;
        for part in header.split(',') {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("");
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = self.supported(tag)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// Parses one file, naming it and the line of its first problem.
fn parse(file: &Path, src: String) -> Result<FluentResource, CatalogueError> {
    let line_of = |src: &str, pos: usize| src[..pos.min(src.len())].lines().count().max(1);
    FluentResource::try_new(src.clone()).map_err(|(_, errors)| {
        let first = errors.first();
        CatalogueError::Syntax {
            path: file.display().to_string(),
            line: first.map_or(1, |e| line_of(&src, e.pos.start)),
            detail: first.map_or_else(String::new, |e| e.kind.to_string()),
        }
    })
}

impl Language {
    fn new(tag: &'static str, resources: Vec<FluentResource>) -> Language {
        let id: LanguageIdentifier = tag.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(format_value));
        // NUMBER() for translators; it is only ever added once, to a new bundle.
        let _ = bundle.add_builtins();
        let mut language = Language {
            tag,
            bundle,
            texts: HashMap::new(),
        };
        language.add(resources);
        language
    }

    /// Adds (or overrides) messages, then formats the plain ones.
    fn add(&mut self, resources: Vec<FluentResource>) {
        let mut ids = Vec::new();
        for resource in resources {
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry
                    && m.value.is_some()
                {
                    ids.push(m.id.name.to_string());
                }
            }
            self.bundle.add_resource_overriding(resource);
        }
        for id in ids {
            let Some(pattern) = self.bundle.get_message(&id).and_then(|m| m.value()) else {
                continue;
            };
            let dynamic = pattern
                .elements
                .iter()
                .any(|e| matches!(e, fluent_syntax::ast::PatternElement::Placeable { .. }));
            let mut errors = Vec::new();
            let plain = self
                .bundle
                .format_pattern(pattern, None, &mut errors)
                .into_owned()
                .into_boxed_str();
            self.texts.insert(
                id.replace('-', "."),
                Text {
                    id: id.into_boxed_str(),
                    plain,
                    dynamic,
                },
            );
        }
    }
}

/// A language's number format (CLDR's separators, from `num-format`'s tables; English for
/// a tag it does not know).
struct NumberFormat(num_format::Locale);

impl NumberFormat {
    fn of(lang: &str) -> NumberFormat {
        NumberFormat(num_format::Locale::from_name(lang).unwrap_or(num_format::Locale::en))
    }

    fn format(&self, n: i64) -> String {
        let mut buf = num_format::Buffer::default();
        buf.write_formatted(&n, &self.0);
        buf.as_str().to_string()
    }
}

impl intl_memoizer::Memoizable for NumberFormat {
    type Args = ();
    type Error = ();
    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, ()> {
        Ok(NumberFormat::of(lang.language.as_str()))
    }
}

/// How the bundles write numbers: whole numbers grouped per language (a number that is not
/// whole, or that asks for fraction digits or no grouping, is written by Fluent itself).
fn format_value<M: MemoizerKind>(value: &FluentValue<'_>, intls: &M) -> Option<String> {
    let FluentValue::Number(FluentNumber { value, options }) = value else {
        return None;
    };
    let whole = value.fract() == 0.0 && value.abs() < 1e15;
    if !whole || !options.use_grouping || options.minimum_fraction_digits.is_some() {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let n = *value as i64;
    intls
        .with_try_get_threadsafe::<NumberFormat, _, _>((), |f| f.format(n))
        .ok()
}

#[cfg(test)]
mod tests;
