//! Fuzz targets for the core's parsers of outside input (time-bounded, see
//! `portal_testkit::fuzz`): the filter language of the settings page, and the text rule.

use portal_core::filter::{parse_text, to_text};
use portal_core::model::ValueKind;
use portal_testkit::fuzz;

const FILTER: &[&str] = &[
    "status",
    "subject",
    "created",
    "count",
    "company",
    " = ",
    " != ",
    " in ",
    " not in ",
    " contains ",
    " starts with ",
    " is known",
    " is unknown",
    " > ",
    " < ",
    " AND ",
    " and ",
    "\n",
    "\r\n",
    ",",
    ", ",
    "2026-12-05",
    "2026-02-30",
    "42",
    "-7",
    "99999999999999999999",
    "open",
    "Returns",
    " ",
    "\t",
    "=",
    "in",
    "\u{feff}",
    "é",
    "#",
];

fn kind(property: &str) -> Option<ValueKind> {
    match property {
        "status" | "subject" | "company" => Some(ValueKind::Text),
        "created" => Some(ValueKind::Date),
        "count" => Some(ValueKind::Number),
        _ => None,
    }
}

#[test]
fn fuzz_filter_text_parses_without_panicking_and_prints_what_it_reads_back() {
    fuzz::run("filter text", fuzz::mixed_text(FILTER, 24), |text| {
        if let Ok(filter) = parse_text(&text, kind) {
            // What the settings page shows back parses again, to the same text.
            let shown = to_text(&filter);
            let again = parse_text(&shown, kind);
            proptest::prop_assert!(again.is_ok(), "{shown:?} does not parse: {again:?}");
            let again = again.unwrap_or_default();
            proptest::prop_assert_eq!(to_text(&again), shown);
        }
        Ok(())
    });
}

#[test]
fn fuzz_text_rule_names_every_field_with_a_control_character() {
    use proptest::prelude::*;
    let fields = proptest::collection::vec((".{0,8}", any::<String>()), 0..6);
    fuzz::run("text rule", fields, |fields| {
        let result = portal_core::error::check_text_inputs(
            fields.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let bad = fields
            .iter()
            .any(|(_, v)| !v.chars().all(portal_core::model::allowed_in_text));
        prop_assert_eq!(result.is_err(), bad);
        Ok(())
    });
}
