//! Presentation helpers: dates in the visitor's locale, safe Markdown, CSV cells, file
//! names and content types.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use portal_core::model::Timestamp;
use portal_core::zone::Zone;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// A date and time as the visitor's language writes it, in `zone` and naming it
/// (`Mar 29, 2026 04:00 EEST`).
pub fn datetime(t: Timestamp, lang: &str, zone: &Zone) -> String {
    let mut out = String::with_capacity(24);
    write_datetime(&mut out, t, lang, zone);
    out
}

/// [`datetime`] appended to `out` (only digits, month abbreviations, the zone's
/// abbreviation and `.,:+- `, so nothing to escape in HTML).
pub fn write_datetime(out: &mut String, t: Timestamp, lang: &str, zone: &Zone) {
    write_local(out, &zone.local(t), lang);
}

/// A time as a `<time>` element: its instant with the zone's offset in `datetime`, the text
/// as [`datetime`] writes it. With `relative`, the page's script shows it as "2 hours ago"
/// in the visitor's language when it is under a week old, the exact time then in its
/// `title` (without the script the exact time stays).
pub fn write_time(out: &mut String, t: Timestamp, lang: &str, zone: &Zone, relative: bool) {
    // Digits written by `push_number`: `write!` with widths cost three times the rest of a
    // cell (counted with callgrind on the list page, 50 times per page).
    let local = zone.local(t);
    let c = &local.civil;
    let off = i64::from(local.offset_seconds.unsigned_abs());
    out.push_str("<time datetime=\"");
    push_number(out, i64::from(c.year), 4);
    for (sep, n) in [
        ('-', c.month),
        ('-', c.day),
        ('T', c.hour),
        (':', c.minute),
        (':', c.second),
    ] {
        out.push(sep);
        push_number(out, i64::from(n), 2);
    }
    out.push(if local.offset_seconds < 0 { '-' } else { '+' });
    push_number(out, off / 3600, 2);
    out.push(':');
    push_number(out, (off % 3600) / 60, 2);
    out.push_str(if relative { "\" data-relative>" } else { "\">" });
    write_local(out, &local, lang);
    out.push_str("</time>");
}

fn write_local(out: &mut String, local: &portal_core::zone::LocalTime, lang: &str) {
    write_civil(out, &local.civil, lang);
    out.push(' ');
    // Abbreviations are letters, digits, `+` and `-`; anything else is left out.
    out.extend(
        local
            .abbreviation
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '-'),
    );
}

/// A calendar date and time of day as the visitor's language writes it.
fn write_civil(out: &mut String, c: &portal_core::model::CivilTime, lang: &str) {
    let (y, m, d, h, min) = (
        i64::from(c.year),
        i64::from(c.month),
        i64::from(c.day),
        i64::from(c.hour),
        i64::from(c.minute),
    );
    let (sep, time_sep) = match lang {
        "de" | "fi" => ('.', ':'),
        "da" => ('.', '.'),
        "nl" => ('-', ':'),
        "en" => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            out.push_str(MONTHS[(m - 1) as usize]);
            out.push(' ');
            push_number(out, d, 1);
            out.push_str(", ");
            push_number(out, y, 1);
            out.push(' ');
            push_number(out, h, 2);
            out.push(':');
            push_number(out, min, 2);
            return;
        }
        _ => {
            // A language added from a catalogue directory: ISO 8601's order, which reads
            // the same everywhere (the five built-in languages have their own).
            push_number(out, y, 4);
            out.push('-');
            push_number(out, m, 2);
            out.push('-');
            push_number(out, d, 2);
            out.push(' ');
            push_number(out, h, 2);
            out.push(':');
            push_number(out, min, 2);
            return;
        }
    };
    let width = if lang == "da" { 2 } else { 1 };
    push_number(out, d, width);
    out.push(sep);
    push_number(out, m, width);
    out.push(sep);
    push_number(out, y, 1);
    out.push(' ');
    push_number(out, h, 2);
    out.push(time_sep);
    push_number(out, min, 2);
}

/// `n` in decimal, zero-padded to `width` digits.
fn push_number(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut v = n.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    for &b in digits[..len].iter().rev() {
        out.push(char::from(b));
    }
}

/// Appends `s` to `out` escaped as handlebars escapes `{{value}}` (`&`, `<`, `>`, `"`, `'`,
/// `` ` `` and `=`), without an intermediate string: the server-built parts of the list
/// page (rows, menus, headers) go through this.
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'`' => "&#x60;",
            b'=' => "&#x3D;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Writes one `<option>` of a menu, its value and label escaped as handlebars escapes.
pub fn option_into(out: &mut String, value: &str, label: &str, selected: bool) {
    out.push_str("<option value=\"");
    escape_into(out, value);
    out.push_str(if selected { "\" selected>" } else { "\">" });
    escape_into(out, label);
    out.push_str("</option>");
}

/// ISO date `YYYY-MM-DD` (for form values and CSV).
pub fn iso_date(t: Timestamp) -> String {
    portal_core::filter::date_text(t)
}

fn safe_url(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://") || l.starts_with("mailto:")
}

/// Markdown as safe HTML (T3 text styling): raw HTML in the input is shown as text, links
/// only to `http(s)`/`mailto`, images become links. What this returns is what the store
/// keeps as a message body.
pub fn markdown(src: &str) -> String {
    let parser = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = if safe_url(&dest_url) {
                dest_url
            } else {
                "".into()
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        Event::Start(Tag::Image { dest_url, .. }) => Event::Text(dest_url),
        Event::End(TagEnd::Image) => Event::Text("".into()),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

/// One CSV cell (RFC 4180), made inert for spreadsheets (SECURITY rule 20): a value starting
/// with `=`, `+`, `-`, `@`, tab, CR, LF or NUL gets a leading `'`.
pub fn csv_cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '\0']);
    let v = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if v.contains([',', ';', '"', '\r', '\n']) || v != v.trim() {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// One CSV record with CRLF.
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    csv_row_with(cells, ',')
}

/// One record with `sep` between the cells (Excel reads `;` where the decimal mark is a
/// comma).
pub fn csv_row_with<S: AsRef<str>>(cells: &[S], sep: char) -> String {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(sep);
        }
        line.push_str(&csv_cell(c.as_ref()));
    }
    line.push_str("\r\n");
    line
}

/// `Content-Disposition` for a download (RFC 6266): an ASCII fallback and the UTF-8 name.
pub fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = component_encode(file_name);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The content type of uploaded bytes, from their first bytes (never the client's word).
pub fn sniff(bytes: &[u8]) -> &'static str {
    portal_core::usecases::files::sniff(bytes)
}

/// Whether a ticket property is built in (its label comes from the catalogue).
pub fn is_builtin(property: &str) -> bool {
    portal_core::property::ticket_props::is_builtin(property)
}

/// Characters a URL component keeps as they are: letters, digits and `-._~` (RFC 3986).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path or query value also keeps `/` (a `next=` path stays readable).
const PATH_VALUE: &AsciiSet = &COMPONENT.remove(b'/');

/// Percent-encodes one URL component (a query key or value, a file name).
pub fn component_encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Percent-encodes a path or query value onto `out`, keeping `/`.
pub fn url_encode_into(out: &mut String, s: &str) {
    for part in utf8_percent_encode(s, PATH_VALUE) {
        out.push_str(part);
    }
}

/// `k=v&k=v` of the pairs with a value, each part URL-encoded (the links of a list page).
pub(crate) fn query_string(pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(128);
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if !out.is_empty() {
            out.push('&');
        }
        url_encode_into(&mut out, k);
        out.push('=');
        url_encode_into(&mut out, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_element_carries_the_instant_with_the_readers_offset() {
        let helsinki = Zone::named("Europe/Helsinki").unwrap();
        for t in [
            Timestamp(1_772_874_300_000),
            Timestamp(1_774_748_000_000),
            Timestamp(0),
        ] {
            let mut out = String::new();
            write_time(&mut out, t, "fi", &helsinki, true);
            let iso = helsinki.local(t).iso8601();
            assert_eq!(
                out,
                format!(
                    "<time datetime=\"{iso}\" data-relative>{}</time>",
                    datetime(t, "fi", &helsinki)
                )
            );
        }
        let mut out = String::new();
        write_time(
            &mut out,
            Timestamp(1_772_874_300_000),
            "en",
            &Zone::utc(),
            false,
        );
        assert_eq!(
            out,
            "<time datetime=\"2026-03-07T09:05:00+00:00\">Mar 7, 2026 09:05 UTC</time>"
        );
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let utc = Zone::utc();
        // 2026-03-07 09:05 UTC
        let t = Timestamp(1_772_874_300_000);
        assert_eq!(datetime(t, "en", &utc), "Mar 7, 2026 09:05 UTC");
        assert_eq!(datetime(t, "de", &utc), "7.3.2026 09:05 UTC");
        assert_eq!(datetime(t, "sv", &utc), "2026-03-07 09:05 UTC");
        assert_eq!(datetime(t, "fi", &utc), "7.3.2026 09:05 UTC");
        assert_eq!(datetime(t, "da", &utc), "07.03.2026 09.05 UTC");
        assert_eq!(datetime(t, "nl", &utc), "7-3-2026 09:05 UTC");
        assert_eq!(datetime(Timestamp(0), "en", &utc), "Jan 1, 1970 00:00 UTC");
        let late = Timestamp(1_798_761_540_000); // 2026-12-31 23:59
        assert_eq!(datetime(late, "da", &utc), "31.12.2026 23.59 UTC");
        assert_eq!(datetime(late, "en", &utc), "Dec 31, 2026 23:59 UTC");
    }

    #[test]
    fn dates_are_local_to_the_zone_and_name_it_across_daylight_saving() {
        let helsinki = Zone::named("Europe/Helsinki").unwrap();
        let new_york = Zone::named("America/New_York").unwrap();
        // 2026-03-29 00:30 and 01:30 UTC: Finland moves to summer time at 01:00 UTC.
        let (before, after) = (Timestamp(1_774_744_200_000), Timestamp(1_774_747_800_000));
        assert_eq!(datetime(before, "fi", &helsinki), "29.3.2026 02:30 EET");
        assert_eq!(datetime(after, "fi", &helsinki), "29.3.2026 04:30 EEST");
        // The same instants in New York, on summer time since March 8 (four hours behind
        // UTC): still the day before.
        assert_eq!(datetime(before, "en", &new_york), "Mar 28, 2026 20:30 EDT");
        assert_eq!(datetime(after, "en", &new_york), "Mar 28, 2026 21:30 EDT");
        // 2026-03-08 06:30 and 07:30 UTC: New York moves at 07:00 UTC.
        let (ny_before, ny_after) = (Timestamp(1_772_951_400_000), Timestamp(1_772_955_000_000));
        assert_eq!(
            datetime(ny_before, "en", &new_york),
            "Mar 8, 2026 01:30 EST"
        );
        assert_eq!(datetime(ny_after, "en", &new_york), "Mar 8, 2026 03:30 EDT");
    }

    #[test]
    fn escape_into_escapes_exactly_as_handlebars_does() {
        for s in [
            "",
            "plain text",
            "a<b>&\"c\" 'd' `e` f=g",
            "ÆØÅ <ü>",
            "&&&",
            "x=",
            "=x",
        ] {
            let mut out = String::from("keep:");
            escape_into(&mut out, s);
            assert_eq!(out, format!("keep:{}", handlebars::html_escape(s)), "{s}");
        }
    }
}
