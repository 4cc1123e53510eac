//! Reading mail that comes in (issue 17): MIME, charsets and encoded words by `mail-parser`;
//! what portal keeps of the text (the new part, without the quoted mail it answers, as safe
//! HTML) by the functions here.

use mail_parser::{HeaderForm, MessageParser, MimeHeaders};
use portal_core::mail_in::{IncomingMail, MailFile, MailParser};

use crate::body::{html_to_text, text_to_html};

/// The MIME parser portal reads mail with.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parser;

impl MailParser for Parser {
    fn parse(&self, raw: &[u8]) -> Result<IncomingMail, String> {
        parse(raw)
    }
}

fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Reads a raw mail.
pub fn parse(raw: &[u8]) -> Result<IncomingMail, String> {
    // A mail starts with a header field: a name of printable characters, then a colon.
    let name_len = raw
        .iter()
        .take_while(|b| b.is_ascii_graphic() && **b != b':')
        .count();
    if name_len == 0 || raw.get(name_len) != Some(&b':') {
        return Err("no header section".into());
    }
    let m = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| "not a mail".to_string())?;
    let first_address = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first()).map(|a| {
            (
                a.address().map(|s| clean(s).to_lowercase()),
                a.name().map(clean),
            )
        })
    };
    let (from, from_name) = first_address(m.from()).unwrap_or((None, None));
    let from = from.filter(|f| f.contains('@'));
    let mut recipients: Vec<String> = Vec::new();
    for list in [m.to(), m.cc()].into_iter().flatten() {
        recipients.extend(list.iter().filter_map(|a| a.address()).map(clean));
    }
    for name in ["Delivered-To", "X-Original-To"] {
        for v in m.header_as(name, HeaderForm::Addresses) {
            if let Some(list) = v.as_address() {
                recipients.extend(list.iter().filter_map(|a| a.address()).map(clean));
            }
        }
    }
    let mut references: Vec<String> = Vec::new();
    for v in [m.in_reply_to(), m.references()] {
        if let Some(t) = v.as_text() {
            references.push(clean(t));
        } else if let Some(list) = v.as_text_list() {
            references.extend(list.iter().map(|t| clean(t)));
        }
    }
    let raw_header = |name: &'static str| m.header_raw(name).map(clean);
    let body_html = match m.text_part(0) {
        Some(part) if part.is_text_html() => {
            let html = part.text_contents().unwrap_or("");
            text_to_html(&new_text(&html_to_text(html)), "")
        }
        Some(part) => text_to_html(&new_text(part.text_contents().unwrap_or("")), ""),
        None => String::new(),
    };
    let attachments = m
        .attachments()
        .map(|part| MailFile {
            file_name: part
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| {
                    if part.is_message() {
                        "message.eml".into()
                    } else {
                        "attachment".into()
                    }
                }),
            bytes: part.contents().to_vec(),
        })
        .collect();
    // A delivery report returns the mail (message/rfc822) or its headers
    // (text/rfc822-headers): their Message-IDs name the mails that failed.
    let mut bounced: Vec<String> = Vec::new();
    for part in &m.parts {
        let id = match &part.body {
            mail_parser::PartType::Message(inner) => inner.message_id().map(clean),
            _ if part.is_content_type("text", "rfc822-headers") => {
                let mut headers = part.contents().to_vec();
                headers.extend_from_slice(b"\r\n\r\n");
                MessageParser::default()
                    .parse(&headers)
                    .and_then(|h| h.message_id().map(clean))
            }
            _ => None,
        };
        if let Some(id) = id
            && !bounced.contains(&id)
        {
            bounced.push(id);
        }
    }
    Ok(IncomingMail {
        bounced,
        message_id: m.message_id().map(clean),
        from,
        from_name: from_name.filter(|n| !n.is_empty()),
        return_path: raw_header("Return-Path"),
        recipients,
        references,
        subject: m.subject().map(clean).unwrap_or_default(),
        auto_submitted: raw_header("Auto-Submitted"),
        precedence: raw_header("Precedence"),
        body_html,
        attachments,
    })
}

/// The verb of the line mail clients put above the mail they quote ("On … Ann wrote:"),
/// in portal's languages and their neighbours.
const ATTRIBUTION_VERBS: [&str; 8] = [
    "wrote",
    "schrieb",
    "écrit",
    "escribió",
    "kirjoitti",
    "skrev",
    "schreef",
    "scrisse",
];

fn is_separator(line: &str) -> bool {
    let l = line.trim();
    let lower = l.to_lowercase();
    (lower.starts_with("-----") && lower.contains("original message"))
        || (l.len() >= 20 && l.chars().all(|c| c == '_'))
}

/// Whether line `i` (alone or with the next, when a client wrapped it) is an attribution:
/// it names the verb, ends with a colon, and either ends with "verb:" or has the quote
/// (`>` lines) right below it.
fn is_attribution(lines: &[&str], i: usize) -> bool {
    let has_verb = |s: &str| {
        let lower = s.to_lowercase();
        ATTRIBUTION_VERBS.iter().any(|v| lower.contains(v))
    };
    let quote_from = |k: usize| {
        lines[k.min(lines.len())..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start().starts_with('>'))
    };
    let verb_end = |s: &str| {
        let lower = s.to_lowercase();
        let body = lower.trim_end_matches(':').trim_end();
        ATTRIBUTION_VERBS.iter().any(|v| body.ends_with(v))
    };
    let one = lines[i].trim();
    if one.is_empty() || one.starts_with('>') {
        return false;
    }
    if one.ends_with(':') && has_verb(one) && (verb_end(one) || quote_from(i + 1)) {
        return true;
    }
    match lines.get(i + 1).map(|l| l.trim()) {
        Some(next) if !next.is_empty() && !next.starts_with('>') => {
            let two = format!("{one} {next}");
            two.ends_with(':') && has_verb(&two) && (verb_end(&two) || quote_from(i + 2))
        }
        _ => false,
    }
}

/// An Outlook header block: `From:` followed within four lines by `Sent:`/`Date:` and
/// `Subject:` (or their German, French, Spanish and Finnish names).
fn is_header_block(lines: &[&str], i: usize) -> bool {
    let starts = |l: &str, names: &[&str]| {
        let l = l.trim_start().trim_start_matches('*').to_lowercase();
        names.iter().any(|n| l.starts_with(n))
    };
    if !starts(lines[i], &["from:", "von:", "de :", "de:", "lähettäjä:"]) {
        return false;
    }
    let window = &lines[i + 1..lines.len().min(i + 6)];
    window.iter().any(|l| {
        starts(
            l,
            &[
                "sent:",
                "date:",
                "gesendet:",
                "envoyé :",
                "enviado:",
                "lähetetty:",
            ],
        )
    }) && window
        .iter()
        .any(|l| starts(l, &["subject:", "betreff:", "objet :", "asunto:", "aihe:"]))
}

/// The new text of a reply: what stands above the quoted earlier mail. The whole text when
/// nothing is left above the quote (a mail that is nothing but a quote keeps it).
pub fn new_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for i in 0..lines.len() {
        if is_separator(lines[i]) || is_attribution(&lines, i) || is_header_block(&lines, i) {
            end = i;
            break;
        }
    }
    let mut kept: Vec<&str> = lines[..end].to_vec();
    // Quoted lines at the end ("> …") go with the blank lines between them.
    while kept
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('>'))
    {
        kept.pop();
    }
    let out = kept.join("\n").trim().to_string();
    if out.is_empty() {
        text.trim().to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quoted_mail_below_an_attribution_is_trimmed() {
        let t = "Thanks, that worked.\n\nAnn\n\nOn Mon, 1 Dec 2026 at 10:00, Support <support@x.test> wrote:\n> Please restart it.\n> Bye";
        assert_eq!(new_text(t), "Thanks, that worked.\n\nAnn");
        let wrapped =
            "Danke!\n\nAm 01.12.2026 um 10:00 schrieb Support\n<support@x.test>:\n> Hallo";
        assert_eq!(new_text(wrapped), "Danke!");
        let outlook = "Fine.\n\n________________________________\nFrom: Support\nSent: Monday\nSubject: Re: x\n\nold";
        assert_eq!(new_text(outlook), "Fine.");
        let header =
            "Fine.\n\nFrom: Support <support@x.test>\nSent: Monday\nTo: Ann\nSubject: x\n\nold";
        assert_eq!(new_text(header), "Fine.");
        let bottom = "Yes.\n\n> old line\n>\n> older";
        assert_eq!(new_text(bottom), "Yes.");
    }

    #[test]
    fn a_mail_that_is_only_a_quote_keeps_it_and_inline_answers_stay() {
        assert_eq!(new_text("> only\n> quoted"), "> only\n> quoted");
        let inline = "> question one?\nanswer one\n> question two?\nanswer two";
        assert_eq!(new_text(inline), inline);
        assert_eq!(new_text("Just text\nwith lines"), "Just text\nwith lines");
    }
}
