//! The two parts of every mail: a plain text that keeps what the writer meant (links with
//! their targets, paragraphs, lists, quotes) and a branded HTML part.
//!
//! A reply's body reaches this crate as the HTML the portal stored: the output of its own
//! Markdown renderer (`p`, `br`, `a`, `em`, `strong`, `del`, `code`, `pre`, `blockquote`,
//! `ul`, `ol`, `li`, `h1`–`h6`, `hr`, with raw HTML already turned into text). It is read
//! here by a small tag walker rather than an HTML crate: the input is a closed set we write
//! ourselves, and the crates that read arbitrary HTML bring a whole HTML5 parser for it.
//! The walker is also the HTML part's allow-list: only the tags above are written back, with
//! no attribute but an `http`, `https` or `mailto` link target and an ordered list's start,
//! so nothing the store holds can add a script, a style or a remote image to a mail.

/// One piece of stored HTML.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    /// Text between tags, entities still encoded.
    Text(&'a str),
    /// An opening tag: lower-case name and its `href` and `start` attributes.
    Open {
        name: String,
        href: Option<String>,
        start: Option<u64>,
    },
    /// A closing tag's lower-case name.
    Close(String),
}

/// Splits HTML into text and tags (comments and declarations are skipped; a `<` that starts
/// no tag is text).
fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_from = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
            i += 1;
            continue;
        }
        // The tag's end: the first `>` outside quotes.
        let mut j = i + 1;
        let mut quote = None;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'"' | b'\'') => quote = Some(bytes[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        if j >= bytes.len() {
            break;
        }
        if text_from < i {
            out.push(Piece::Text(&html[text_from..i]));
        }
        let inner = &html[i + 1..j];
        if let Some(name) = inner.strip_prefix('/') {
            out.push(Piece::Close(tag_name(name)));
        } else if !inner.starts_with('!') {
            out.push(Piece::Open {
                name: tag_name(inner),
                href: attribute(inner, "href").map(|h| decode_entities(&h)),
                start: attribute(inner, "start").and_then(|s| s.trim().parse().ok()),
            });
        }
        i = j + 1;
        text_from = i;
    }
    if text_from < html.len() {
        out.push(Piece::Text(&html[text_from..]));
    }
    out
}

fn tag_name(inner: &str) -> String {
    inner
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The value of `name="…"` (or `'…'`, or unquoted) in a tag's inside.
fn attribute(inner: &str, name: &str) -> Option<String> {
    let lower = inner.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = inner[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references decoded;
/// anything else left as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a link target may be kept: `http`, `https` or `mailto`.
fn safe_target(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://") || l.starts_with("mailto:")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes plain text line by line, with the quote and list prefixes of where it is.
struct TextWriter {
    out: String,
    quote: usize,
    lists: Vec<Option<u64>>,
    links: Vec<(Option<String>, usize)>,
    pre: bool,
    /// A list item's bullet was just written: its first paragraph goes on the same line.
    after_bullet: bool,
}

impl TextWriter {
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn prefix(&mut self) {
        for _ in 0..self.quote {
            self.out.push_str("> ");
        }
    }

    fn newline(&mut self) {
        if !self.at_line_start() {
            self.out.push('\n');
        }
    }

    /// Ends the paragraph: a blank line (a `>` line inside a quote).
    fn blank(&mut self) {
        if self.out.is_empty() {
            return;
        }
        self.newline();
        let before = &self.out[..self.out.len() - 1];
        let last_line = before.rsplit('\n').next().unwrap_or("");
        if !last_line.chars().all(|c| c == '>') {
            let quote = ">".repeat(self.quote);
            self.out.push_str(&quote);
            self.out.push('\n');
        }
    }

    fn text(&mut self, raw: &str) {
        let text = decode_entities(raw);
        if self.pre {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.out.push('\n');
                }
                if !line.is_empty() {
                    if self.at_line_start() {
                        self.prefix();
                    }
                    self.out.push_str(line);
                }
            }
            return;
        }
        for (i, word) in text.split_whitespace().enumerate() {
            if self.at_line_start() {
                self.prefix();
                if !self.lists.is_empty() && !self.after_bullet {
                    self.out.push_str(&"   ".repeat(self.lists.len()));
                }
            } else if i > 0
                || text.starts_with(char::is_whitespace) && !self.out.ends_with([' ', '\n'])
            {
                self.out.push(' ');
            }
            self.out.push_str(word);
            self.after_bullet = false;
        }
        if text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
            self.out.push(' ');
        }
    }

    fn open(&mut self, name: &str, href: Option<String>, start: Option<u64>) {
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "div" | "table"
                if !self.after_bullet =>
            {
                self.blank();
            }
            "br" => {
                self.trim_trailing_space();
                self.out.push('\n');
            }
            "tr" => {
                self.trim_trailing_space();
                self.newline();
            }
            "hr" => {
                self.blank();
                self.prefix();
                self.out.push_str("----------\n");
            }
            "pre" => {
                self.blank();
                self.pre = true;
            }
            "blockquote" => {
                self.blank();
                self.quote += 1;
            }
            "ul" => {
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(None);
            }
            "ol" => {
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(Some(start.unwrap_or(1)));
            }
            "li" => {
                self.trim_trailing_space();
                self.newline();
                self.prefix();
                let depth = self.lists.len().saturating_sub(1);
                self.out.push_str(&"   ".repeat(depth));
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        self.out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.out.push_str("- "),
                }
                self.after_bullet = true;
            }
            "a" => {
                let len = self.out.len();
                self.links.push((href.filter(|h| safe_target(h)), len));
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "div" | "table" => {
                self.trim_trailing_space();
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.newline();
                }
            }
            "pre" => {
                self.pre = false;
                self.blank();
            }
            "blockquote" => {
                self.trim_trailing_space();
                self.newline();
                // The quote's own closing blank line gives way to a plain one.
                let marker = format!("\n{}\n", ">".repeat(self.quote));
                if self.quote > 0 && self.out.ends_with(&marker) {
                    self.out.truncate(self.out.len() - marker.len() + 1);
                }
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            "ul" | "ol" => {
                self.lists.pop();
                self.trim_trailing_space();
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.newline();
                }
            }
            "li" => self.trim_trailing_space(),
            "a" => {
                if let Some((Some(href), from)) = self.links.pop() {
                    let shown = self.out[from.min(self.out.len())..].trim().to_string();
                    let target = href.trim();
                    let same = shown == target
                        || target.strip_prefix("mailto:") == Some(shown.as_str())
                        || shown.is_empty();
                    if shown.is_empty() {
                        self.out.push_str(target);
                    } else if !same {
                        self.trim_trailing_space();
                        self.out.push_str(&format!(" ({target})"));
                    }
                }
            }
            _ => {}
        }
    }

    fn trim_trailing_space(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
    }
}

/// The plain text of a stored message body: paragraphs separated by a blank line, list items
/// as `- ` or `1. ` (nested ones indented), links as `text (URL)`, quotes with `> `,
/// preformatted text kept as it is. The HTML part of a mail that came in reads the same way,
/// its head, styles and scripts left out.
pub fn html_to_text(html: &str) -> String {
    let mut w = TextWriter {
        out: String::with_capacity(html.len()),
        quote: 0,
        lists: Vec::new(),
        links: Vec::new(),
        pre: false,
        after_bullet: false,
    };
    // A whole mail's HTML (a mail that came in) also has parts that are no text.
    const HIDDEN: [&str; 4] = ["head", "style", "script", "title"];
    let mut hidden = 0usize;
    for piece in pieces(html) {
        match piece {
            Piece::Open { name, .. } if HIDDEN.contains(&name.as_str()) => hidden += 1,
            Piece::Close(name) if HIDDEN.contains(&name.as_str()) => {
                hidden = hidden.saturating_sub(1)
            }
            _ if hidden > 0 => {}
            Piece::Text(t) => w.text(t),
            Piece::Open { name, href, start } => w.open(&name, href, start),
            Piece::Close(name) => w.close(&name),
        }
    }
    let lines: Vec<&str> = w.out.lines().map(str::trim_end).collect();
    let mut text = lines.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim_matches('\n').to_string()
}

/// The tags a mail's HTML part keeps from a stored body.
const KEPT: [&str; 20] = [
    "p",
    "br",
    "a",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "s",
];

/// A stored body as HTML for a mail: only the allowed tags (see the module's note), text
/// re-escaped, links styled in `link_color`.
pub fn safe_html(html: &str, link_color: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut open: Vec<String> = Vec::new();
    for piece in pieces(html) {
        match piece {
            Piece::Text(t) => out.push_str(&escape(&decode_entities(t))),
            Piece::Open { name, href, start } if KEPT.contains(&name.as_str()) => {
                match name.as_str() {
                    "a" => match href.filter(|h| safe_target(h)) {
                        Some(h) => out.push_str(&format!(
                            "<a href=\"{}\" style=\"color:{link_color}\">",
                            escape(h.trim())
                        )),
                        None => out.push_str("<a>"),
                    },
                    "ol" => match start {
                        Some(n) if n != 1 => out.push_str(&format!("<ol start=\"{n}\">")),
                        _ => out.push_str("<ol>"),
                    },
                    "blockquote" => out.push_str(
                        "<blockquote style=\"margin:0 0 1em;padding-left:12px;border-left:3px solid #d1d5db\">",
                    ),
                    "br" | "hr" => out.push_str(&format!("<{name}>")),
                    _ => out.push_str(&format!("<{name}>")),
                }
                if !matches!(name.as_str(), "br" | "hr") {
                    open.push(name);
                }
            }
            Piece::Close(name) if open.contains(&name) => {
                // Close what is still open down to it, so the part stays well nested.
                while let Some(top) = open.pop() {
                    out.push_str(&format!("</{top}>"));
                    if top == name {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    while let Some(top) = open.pop() {
        out.push_str(&format!("</{top}>"));
    }
    out
}

/// Text as HTML paragraphs: blank lines part paragraphs, single line breaks become `<br>`,
/// `http(s)://` addresses become links, styled in `link_color` for a mail; with an empty
/// `link_color`, plain tags as the portal stores message bodies.
pub fn text_to_html(text: &str, link_color: &str) -> String {
    let (p_open, a_style) = if link_color.is_empty() {
        ("<p>".to_string(), String::new())
    } else {
        (
            "<p style=\"margin:0 0 1em\">".to_string(),
            format!(" style=\"color:{link_color}\""),
        )
    };
    let mut out = String::new();
    for para in text.split("\n\n").map(|p| p.trim_matches('\n')) {
        if para.trim().is_empty() {
            continue;
        }
        out.push_str(&p_open);
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            for (j, word) in line.split(' ').enumerate() {
                if j > 0 {
                    out.push(' ');
                }
                // A link may stand in brackets or quotes: "(https://…)."
                let lead = word.len() - word.trim_start_matches(['(', '<', '"', '\'']).len();
                let (before, rest_word) = word.split_at(lead);
                let lower = rest_word.to_ascii_lowercase();
                if lower.starts_with("https://") || lower.starts_with("http://") {
                    let url = rest_word
                        .trim_end_matches(['.', ',', ')', ';', ':', '!', '?', '>', '"', '\'']);
                    let rest = &rest_word[url.len()..];
                    out.push_str(&format!(
                        "{2}<a href=\"{0}\"{a_style}>{0}</a>{1}",
                        escape(url),
                        escape(rest),
                        escape(before)
                    ));
                } else {
                    out.push_str(&escape(word));
                }
            }
        }
        out.push_str("</p>");
    }
    out
}

/// A colour the HTML part may use: `#rgb` or `#rrggbb`, else `fallback`.
pub fn colour<'a>(value: &'a str, fallback: &'a str) -> &'a str {
    let v = value.trim();
    let hex = v.strip_prefix('#').unwrap_or("");
    if (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        v
    } else {
        fallback
    }
}

/// How the HTML part looks: the admin's branding (P10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    /// Accent colour (the header's rule and links).
    pub primary: String,
    /// Page background.
    pub background: String,
    /// Text colour.
    pub text: String,
    /// Whether the mail carries the logo as an inline image (`cid:logo`).
    pub logo: bool,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            primary: "#1d4ed8".into(),
            background: "#ffffff".into(),
            text: "#111827".into(),
            logo: false,
        }
    }
}

/// The whole HTML part: the portal's name (and logo) over the content, in the brand's
/// colours; no remote resource.
pub fn page(look: &Look, language: &str, portal: &str, subject: &str, content: &str) -> String {
    let primary = colour(&look.primary, "#1d4ed8");
    let background = colour(&look.background, "#ffffff");
    let text = colour(&look.text, "#111827");
    let logo = if look.logo {
        format!(
            "<img src=\"cid:logo\" alt=\"{}\" style=\"max-height:40px;vertical-align:middle;margin-right:8px\">",
            escape(portal)
        )
    } else {
        String::new()
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{subject}</title></head>\n\
<body style=\"margin:0;padding:0;background:{background};color:{text};\
font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5\">\n\
<div style=\"max-width:600px;margin:0 auto;padding:24px 16px\">\n\
<div style=\"border-top:4px solid {primary};padding:16px 0 20px;font-size:18px;font-weight:600\">{logo}{portal}</div>\n\
{content}\n</div>\n</body></html>\n",
        lang = escape(language),
        subject = escape(subject),
        portal = escape(portal),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_targets_and_paragraphs_and_lists_their_shape() {
        let html = "<p>See <a href=\"https://x.test/a?b=1&amp;c=2\">this link</a> and \
<a href=\"https://x.test/\">https://x.test/</a>.</p>\n<p>Steps:</p>\n<ol>\n<li>Open it</li>\n\
<li>Press <strong>Go</strong></li>\n</ol>\n<ul>\n<li>one<ul>\n<li>inner</li>\n</ul>\n</li>\n\
<li>two</li>\n</ul>\n<blockquote>\n<p>quoted &lt;b&gt;</p>\n</blockquote>\n<p>end<br />\nnext</p>\n";
        assert_eq!(
            html_to_text(html),
            "See this link (https://x.test/a?b=1&c=2) and https://x.test/.\n\n\
Steps:\n\n1. Open it\n2. Press Go\n\n- one\n   - inner\n- two\n\n> quoted <b>\n\nend\nnext"
        );
    }

    #[test]
    fn the_html_part_keeps_only_allowed_tags_and_safe_targets() {
        let html = "<p onclick=\"x\">a <script>alert(1)</script><a href=\"javascript:alert(1)\">b</a> \
<img src=\"https://evil.test/p.png\"><a href='https://ok.test/?q=\"'>c</a></p><ol start=\"3\"><li>d</li></ol><em>open";
        let out = safe_html(html, "#123456");
        assert_eq!(
            out,
            "<p>a alert(1)<a>b</a> <a href=\"https://ok.test/?q=&quot;\" style=\"color:#123456\">c</a></p>\
<ol start=\"3\"><li>d</li></ol><em>open</em>"
        );
    }

    #[test]
    fn plain_text_becomes_paragraphs_with_links() {
        assert_eq!(
            text_to_html("Hello <Anna>,\n\nopen https://p.test/t/1.\nthanks", "#000"),
            "<p style=\"margin:0 0 1em\">Hello &lt;Anna&gt;,</p><p style=\"margin:0 0 1em\">open \
<a href=\"https://p.test/t/1\" style=\"color:#000\">https://p.test/t/1</a>.<br>thanks</p>"
        );
    }

    #[test]
    fn only_colours_reach_the_style() {
        assert_eq!(colour("#abc", "#000"), "#abc");
        assert_eq!(colour("#a1b2c3", "#000"), "#a1b2c3");
        assert_eq!(colour("red;background:url(x)", "#000"), "#000");
        assert_eq!(colour("#12345g", "#000"), "#000");
    }
}
