//! Fuzz targets through the whole HTTP stack over the in-memory ports (time-bounded, see
//! `portal_testkit::fuzz`): list and export query strings, multipart replies, JSON bodies
//! and API cursors. Whatever arrives, the answer is never a 5xx, and a customer's list never
//! shows another company's ticket.

use std::cell::RefCell;

use portal_testkit::fuzz;
use proptest::prop_assert;

use crate::harness::{client, listed, portal};

const QUERY: &[&str] = &[
    "q=",
    "printer",
    "status=",
    "open",
    "closed",
    "sort=",
    "dir=asc",
    "dir=desc",
    "after=",
    "%7B%22at%22%3A",
    "%22id%22%3A",
    "%7D",
    "f.priority=",
    "high",
    "f.created.from=",
    "f.created.to=",
    "2026-12-05",
    "2026-13-45",
    "view=organization",
    "view=mine",
    "requester=",
    "page=",
    "&",
    "=",
    "%",
    "%00",
    "%zz",
    "%C3%A9",
    "%FF",
    "+",
    "-1",
    "99999999999999999999",
    "f.",
    ".from",
    "sort=subject",
    "sort=nope",
];

/// Percent-encodes what a URI cannot carry as is (so the test, not the server, never
/// refuses the address).
fn uri_safe(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~&=%+".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn fuzz_list_and_export_query_strings() {
    let sys = actix_web::rt::System::new();
    let p = sys.block_on(portal(|_, _| {}));
    let c = sys.block_on(async {
        let mut c = client(&p).await;
        c.login("alice@acme.test").await;
        c
    });
    let c = RefCell::new(c);
    let other = p.world.other_ticket.0;
    fuzz::run("list query", fuzz::mixed_text(QUERY, 14), |q| {
        let q = uri_safe(&q);
        let r = sys.block_on(c.borrow_mut().get(&format!("/portal/tickets?{q}")));
        prop_assert!(r.status.as_u16() < 500, "{q}: {} {}", r.status, r.body);
        prop_assert!(
            !listed(&r.body).contains(&other),
            "{q}: another company's ticket"
        );
        let r = sys.block_on(
            c.borrow_mut()
                .get(&format!("/portal/tickets/export.csv?{q}")),
        );
        prop_assert!(
            r.status.as_u16() < 500,
            "export {q}: {} {}",
            r.status,
            r.body
        );
        Ok(())
    });
}

const MULTIPART: &[&str] = &[
    "--XyZ",
    "--XyZ--",
    "\r\n",
    "\r\n\r\n",
    "Content-Disposition: form-data; name=\"body\"",
    "Content-Disposition: form-data; name=\"csrf\"",
    "Content-Disposition: form-data; name=\"files\"; filename=\"a.txt\"",
    "; filename=\"",
    "\"",
    "Content-Type: text/plain",
    "Content-Type: application/pdf",
    "hello",
    "%PDF-1.4",
    "\u{0}",
    "--",
    "-",
    "name=",
    "form-data",
];

#[test]
fn fuzz_multipart_replies() {
    let sys = actix_web::rt::System::new();
    let p = sys.block_on(portal(|_, _| {}));
    let c = sys.block_on(async {
        let mut c = client(&p).await;
        c.login("alice@acme.test").await;
        c
    });
    let path = format!("/portal/tickets/{}/reply", p.world.alice_ticket);
    let c = RefCell::new(c);
    fuzz::run(
        "multipart reply",
        fuzz::mixed_bytes(MULTIPART, 24),
        |body| {
            let r = sys.block_on(c.borrow_mut().post_raw(
                &path,
                "multipart/form-data; boundary=XyZ",
                body.clone(),
            ));
            prop_assert!(
                r.status.as_u16() < 500,
                "{:?}: {} {}",
                String::from_utf8_lossy(&body),
                r.status,
                r.body
            );
            Ok(())
        },
    );
}

const JSON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"name\"",
    "\"domain\"",
    ":",
    ",",
    "\"Acme\"",
    "\"a\\u0000b\"",
    "\"\\ud800\"",
    "null",
    "true",
    "1e999",
    "-0",
    "\"example.com\"",
    " ",
    "\"",
    "\\",
];

#[test]
fn fuzz_api_json_bodies_and_cursors() {
    let sys = actix_web::rt::System::new();
    let p = sys.block_on(portal(|_, _| {}));
    let token = sys.block_on(crate::api::token(&p));
    let c = sys.block_on(client(&p));
    let c = RefCell::new(c);
    let input = (
        fuzz::mixed_bytes(JSON, 20),
        fuzz::mixed_text(&["1", ".", "-", "99999999999999999999", "a", "%2E"], 6),
    );
    fuzz::run("api json and cursors", input, |(body, cursor)| {
        let r =
            sys.block_on(
                c.borrow_mut()
                    .api_raw("POST", "/api/v1/companies", &token, body.clone()),
            );
        prop_assert!(
            r.status.as_u16() < 500,
            "{:?}: {} {}",
            String::from_utf8_lossy(&body),
            r.status,
            r.body
        );
        let path = format!(
            "/api/v1/tickets?cursor={}&limit={}",
            uri_safe(&cursor),
            uri_safe(&cursor)
        );
        let r = sys.block_on(c.borrow_mut().api("GET", &path, Some(&token), None));
        prop_assert!(r.status.as_u16() < 500, "{path}: {} {}", r.status, r.body);
        Ok(())
    });
}
