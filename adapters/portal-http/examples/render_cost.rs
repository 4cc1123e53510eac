//! How long the list template takes to render with a full page of rows (a profiling aid for
//! docs/PERFORMANCE.md): `cargo run --release -p portal-http --example render_cost`.
#![allow(clippy::print_stdout)]
use std::time::Instant;

use portal_http::i18n::I18n;
use portal_http::views::Views;
use serde_json::json;

fn main() {
    let dir = std::env::var("PORTAL_TPL_DIR")
        .ok()
        .map(std::path::PathBuf::from);
    let views = Views::new(I18n::new(), dir.as_deref()).expect("templates");
    let rows: Vec<_> = (0..25)
        .map(|i| {
            let cells: Vec<_> = (0..7)
                .map(|c| {
                    let link = (c == 0).then(|| format!("/portal/tickets/{i}"));
                    json!({ "text": format!("cell {i} {c} some text"), "link": link })
                })
                .collect();
            json!({ "cells": cells })
        })
        .collect();
    let mut rows_html = String::new();
    for r in &rows {
        rows_html.push_str("<tr>");
        for c in r["cells"].as_array().into_iter().flatten() {
            rows_html.push_str(&format!(
                "<td>{}</td>",
                handlebars::html_escape(c["text"].as_str().unwrap_or(""))
            ));
        }
        rows_html.push_str("</tr>");
    }
    // The context the list handler builds: repeated parts arrive as HTML.
    let options: String = (0..20)
        .map(|i| format!("<option value=\"{i}\">Person {i}</option>"))
        .collect();
    let filters: Vec<_> = (0..5)
        .map(|i| {
            let control = if i % 2 == 0 {
                format!("<select id=\"f-p{i}\" name=\"f.p{i}\"><option value=\"\">Any</option>{options}</select>")
            } else {
                format!("<input id=\"f-p{i}\" name=\"f.p{i}\" type=\"text\" value=\"\">")
            };
            json!({ "property": format!("p{i}"), "label": "Label", "control_html": control })
        })
        .collect();
    let columns_html: String = (0..7)
        .map(|i| format!("<th scope=\"col\"><a href=\"/portal/tickets?sort=x&amp;dir=asc\" title=\"Sort\">Col {i}</a></th>\n"))
        .collect();
    let languages_html: String = ["en", "de", "nl", "da", "fi"]
        .iter()
        .map(|l| format!("<option value=\"{l}\">{l}</option>"))
        .collect();
    let ctx = json!({
        "lang": "en", "title": "Tickets", "notice": null, "csrf": "x".repeat(64), "back": "/portal/tickets",
        "languages_html": languages_html,
        "user": { "name": "Anna" },
        "portal": { "name": "Acme", "base": "/portal", "tickets_label": "Tickets", "form_menu": "File",
                    "nav": [], "logo": null, "favicon": null },
        "query": { "q": "", "sort": "last_activity_at", "dir": "desc" },
        "views_html": "<option value=\"organization\" selected>Org</option><option value=\"mine\">Mine</option>",
        "statuses_html": "<option value=\"\" selected>All</option>",
        "filters": filters, "columns_html": columns_html, "rows": true, "rows_html": rows_html, "total": 1000, "more": true,
        "next_url": "/portal/tickets?after=x", "first_url": null, "export_url": "/portal/tickets/export.csv",
    });
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(ctx.clone());
    }
    let clone_us = t.elapsed().as_micros() as f64 / n as f64;
    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes += views.render("list", ctx.clone()).expect("render").len();
    }
    println!(
        "list render: {:.0} µs per page ({} bytes; of which {clone_us:.0} µs cloning the context for this loop)",
        t.elapsed().as_micros() as f64 / n as f64,
        bytes / n
    );
    for (what, key) in [("no filters", "filters"), ("no views", "views_html")] {
        let mut c = ctx.clone();
        c[key] = serde_json::Value::Null;
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(views.render("list", c.clone()).expect("render"));
        }
        println!(
            "  {what}: {:.0} µs",
            t.elapsed().as_micros() as f64 / n as f64
        );
    }
    let t2 = Instant::now();
    for _ in 0..n {
        std::hint::black_box(views.render("message", json!({"lang": "en", "title": "x", "notice": null, "csrf": "x", "back": "/", "languages_html": ctx["languages_html"].clone(), "user": null, "portal": ctx["portal"].clone(), "heading": "h", "body": "b", "problems": [], "link": null})).expect("render"));
    }
    println!(
        "  message page (layout only): {:.0} µs",
        t2.elapsed().as_micros() as f64 / n as f64
    );
}
