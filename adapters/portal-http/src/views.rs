//! Templates: handlebars in strict mode, the built-in templates compiled in, an optional
//! override directory, and the `t` translation helper.

use std::path::Path;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::Value;

use crate::i18n::{Arg, I18n};

/// The built-in templates by name.
pub const TEMPLATES: [(&str, &str); 38] = [
    ("admin_props", include_str!("../templates/admin_props.hbs")),
    (
        "admin_contact_form",
        include_str!("../templates/admin_contact_form.hbs"),
    ),
    (
        "admin_contacts",
        include_str!("../templates/admin_contacts.hbs"),
    ),
    (
        "admin_contact",
        include_str!("../templates/admin_contact.hbs"),
    ),
    (
        "admin_companies",
        include_str!("../templates/admin_companies.hbs"),
    ),
    (
        "admin_pipelines",
        include_str!("../templates/admin_pipelines.hbs"),
    ),
    (
        "admin_properties",
        include_str!("../templates/admin_properties.hbs"),
    ),
    (
        "admin_agents",
        include_str!("../templates/admin_agents.hbs"),
    ),
    (
        "admin_tokens",
        include_str!("../templates/admin_tokens.hbs"),
    ),
    ("layout", include_str!("../templates/layout.hbs")),
    ("login", include_str!("../templates/login.hbs")),
    ("list", include_str!("../templates/list.hbs")),
    ("home", include_str!("../templates/home.hbs")),
    ("form_errors", include_str!("../templates/form_errors.hbs")),
    ("detail", include_str!("../templates/detail.hbs")),
    ("new", include_str!("../templates/new.hbs")),
    ("message", include_str!("../templates/message.hbs")),
    (
        "reset_request",
        include_str!("../templates/reset_request.hbs"),
    ),
    ("reset_set", include_str!("../templates/reset_set.hbs")),
    ("register", include_str!("../templates/register.hbs")),
    ("confirm", include_str!("../templates/confirm.hbs")),
    ("account", include_str!("../templates/account.hbs")),
    ("company_log", include_str!("../templates/company_log.hbs")),
    (
        "company_people",
        include_str!("../templates/company_people.hbs"),
    ),
    ("login_link", include_str!("../templates/login_link.hbs")),
    (
        "admin_outbox",
        include_str!("../templates/admin_outbox.hbs"),
    ),
    (
        "admin_mail_in",
        include_str!("../templates/admin_mail_in.hbs"),
    ),
    (
        "admin_mailboxes",
        include_str!("../templates/admin_mailboxes.hbs"),
    ),
    ("admin_lists", include_str!("../templates/admin_lists.hbs")),
    ("admin_setup", include_str!("../templates/admin_setup.hbs")),
    (
        "admin_templates",
        include_str!("../templates/admin_templates.hbs"),
    ),
    (
        "admin_layout",
        include_str!("../templates/admin_layout.hbs"),
    ),
    ("admin_login", include_str!("../templates/admin_login.hbs")),
    ("admin_inbox", include_str!("../templates/admin_inbox.hbs")),
    (
        "admin_ticket",
        include_str!("../templates/admin_ticket.hbs"),
    ),
    (
        "admin_explain",
        include_str!("../templates/admin_explain.hbs"),
    ),
    (
        "admin_message",
        include_str!("../templates/admin_message.hbs"),
    ),
    (
        "admin_settings",
        include_str!("../templates/admin_settings.hbs"),
    ),
];

struct Translate(I18n);

impl HelperDef for Translate {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let lang = ctx
            .data()
            .get("lang")
            .and_then(Value::as_str)
            .unwrap_or("en");
        if h.hash().is_empty() {
            out.write(&handlebars::html_escape(self.0.get(lang, key)))?;
            return Ok(());
        }
        // Numbers stay numbers: they choose plural forms and are grouped per language.
        let args: Vec<(&str, Arg)> = h
            .hash()
            .iter()
            .map(|(k, v)| {
                let arg = match v.value() {
                    Value::String(s) => Arg::from(s.as_str()),
                    Value::Number(n) => n
                        .as_f64()
                        .map_or_else(|| Arg::from(n.to_string()), Arg::Number),
                    other => Arg::from(other.to_string()),
                };
                (*k, arg)
            })
            .collect();
        let text = self.0.fill(lang, key, &args);
        out.write(&handlebars::html_escape(&text))?;
        Ok(())
    }
}

/// Why a template could not be compiled or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// A built-in template or an override file does not compile.
    #[error("template {name}: {detail}")]
    Compile {
        /// The template, or the override file's path.
        name: String,
        /// What handlebars said (with the line).
        detail: String,
    },
    /// An admin's template source does not compile or render; the text names the line.
    #[error("{0}")]
    Source(String),
    /// A template failed while rendering (a missing value in strict mode).
    #[error("{name}: {detail}")]
    Render {
        /// The template.
        name: String,
        /// What handlebars said.
        detail: String,
    },
}

/// The compiled templates.
pub struct Views {
    hb: Handlebars<'static>,
}

impl Views {
    /// Compiles the built-in templates, then the overrides in `dir` (`NAME.hbs`).
    pub fn new(i18n: I18n, dir: Option<&Path>) -> Result<Views, ViewError> {
        let compile = |name: &str, e: &dyn std::fmt::Display| ViewError::Compile {
            name: name.to_string(),
            detail: e.to_string(),
        };
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_helper("t", Box::new(Translate(i18n)));
        for (name, src) in TEMPLATES {
            hb.register_template_string(name, src)
                .map_err(|e| compile(name, &e))?;
        }
        for partial in ["layout", "admin_props", "admin_contact_form", "form_errors"] {
            let src = TEMPLATES
                .iter()
                .find(|(n, _)| *n == partial)
                .map(|(_, s)| *s)
                .ok_or_else(|| compile(partial, &"missing"))?;
            hb.register_partial(partial, src)
                .map_err(|e| compile(partial, &e))?;
        }
        hb.register_partial(
            "admin_layout",
            include_str!("../templates/admin_layout.hbs"),
        )
        .map_err(|e| compile("admin_layout", &e))?;
        if let Some(dir) = dir {
            for (name, _) in TEMPLATES {
                let path = dir.join(format!("{name}.hbs"));
                if let Ok(src) = std::fs::read_to_string(&path) {
                    let file = path.display().to_string();
                    hb.register_template_string(name, &src)
                        .map_err(|e| compile(&file, &e))?;
                    if name == "layout" || name == "admin_layout" {
                        hb.register_partial(name, src)
                            .map_err(|e| compile(&file, &e))?;
                    }
                }
            }
        }
        Ok(Views { hb })
    }

    /// Renders a template. Takes the context by value: handlebars then uses it as it is
    /// instead of serialising a copy (a third of a list page's rendering time).
    pub fn render(&self, name: &str, data: Value) -> Result<String, ViewError> {
        let ctx = Context::from(data);
        self.hb
            .render_with_context(name, &ctx)
            .map_err(|e| ViewError::Render {
                name: name.to_string(),
                detail: e.to_string(),
            })
    }

    /// Renders an admin's template source (P10, P11) with the same helpers and partials.
    pub fn render_source(&self, source: &str, data: Value) -> Result<String, ViewError> {
        self.hb
            .render_template(source, &data)
            .map_err(|e| ViewError::Source(e.to_string()))
    }

    /// Whether an admin's template source compiles; the error names the line.
    pub fn check(source: &str) -> Result<(), ViewError> {
        handlebars::Template::compile(source)
            .map(|_| ())
            .map_err(|e| ViewError::Source(e.to_string()))
    }

    /// The built-in source of a page template by its settings key (P10, P11).
    pub fn builtin_page(key: &str) -> Option<&'static str> {
        let name = template_of_page(key)?;
        TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }
}

/// The built-in template that renders a page the admin may override (P10, P11).
pub fn template_of_page(key: &str) -> Option<&'static str> {
    Some(match key {
        "ticket_list" => "list",
        "ticket_detail" => "detail",
        "register" => "register",
        "login" | "logout" => "login",
        "access_denied" => "message",
        "reset_request" => "reset_request",
        "reset_set" => "reset_set",
        _ => return None,
    })
}
