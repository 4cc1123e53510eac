//! Fuzz target for `portal import` (time-bounded, see `portal_testkit::fuzz`): CSV built from
//! fragments of the three files' columns and values, quotes, separators, byte-order marks
//! and random bytes, read by the importer's parser and, when a header passes, imported row
//! by row into the memory ports. Nothing panics, every row of a parsed file has the header's
//! columns, no row ends in an internal error, and a row with a control character is never
//! stored.

use portal_core::Error;
use portal_core::error::check_text_inputs;
use portal_core::model::Timestamp;
use portal_core::usecases::import::{ImportKind, Importer};
use portal_server::import;
use portal_testkit::fuzz;
use portal_testkit::memory::memory_ports;
use proptest::prelude::*;

const CSV: &[&str] = &[
    "name,domain\n",
    "email,first_name,last_name,company,language\n",
    "subject,body,requester_email,inbox,stage,created_at\n",
    "email,membership_email\n",
    "\u{feff}",
    "Acme",
    "acme.example",
    "ann@acme.example",
    "Ann",
    "de",
    "Printer jam",
    "It jams.",
    "Support",
    "2026-12-05",
    ",",
    ";",
    "\n",
    "\r\n",
    "\r",
    "\"",
    "\"\"",
    "\"a,b\"",
    " ",
    "\u{0}",
    "\u{7}",
    "é",
    "NAME",
];

#[test]
fn fuzz_csv_import_never_panics_and_stores_only_text() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let input = (
        fuzz::mixed_bytes(CSV, 24),
        prop_oneof![
            Just(ImportKind::Companies),
            Just(ImportKind::Contacts),
            Just(ImportKind::Tickets),
            Just(ImportKind::Messages)
        ],
    );
    fuzz::run("csv import", input, |(bytes, kind)| {
        let Ok((header, rows)) = import::parse(&bytes[..]) else {
            return Ok(());
        };
        for (_, row) in &rows {
            prop_assert!(row.keys().all(|k| header.contains(k)));
        }
        rt.block_on(async {
            let world = memory_ports(Timestamp(1_790_000_000_000));
            let importer = Importer::new(world.ports.clone());
            if importer.check_header(kind, &header).await.is_err() {
                return Ok(());
            }
            for (line, row) in &rows {
                let text = check_text_inputs(row.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                match importer.row(kind, row, Vec::new()).await {
                    Err(e @ (Error::Internal(_) | Error::Unavailable(_))) => {
                        prop_assert!(false, "line {line}: {e}");
                    }
                    Ok(_) => prop_assert!(text.is_ok(), "line {line} stored {row:?}"),
                    Err(_) => {}
                }
            }
            Ok(())
        })
    });
}
