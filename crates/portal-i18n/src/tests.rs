use super::*;

fn sixth_language(dir: &Path) {
    std::fs::create_dir_all(dir.join("sv")).unwrap();
    std::fs::write(
        dir.join("sv/portal.ftl"),
        "lang-name = Svenska\n\
         login-title = Logga in\n\
         order = Order #{ NUMBER($n, useGrouping: \"false\") } of { $n }\n\
         list-count =\n    { $n ->\n        [one] { $n } ärende\n       *[other] { $n } ärenden\n    }\n",
    )
    .unwrap();
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("portal-i18n-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn n1_every_built_in_catalogue_file_is_valid_fluent() {
    for (tag, file, src) in SOURCES {
        if let Err((_, errors)) = FluentResource::try_new(src.to_string()) {
            panic!("{tag}/{file}: {errors:?}");
        }
    }
}

#[test]
fn n1_every_language_has_exactly_the_english_keys_with_the_same_variables() {
    let c = Catalogues::built_in();
    let en = c.keys("en");
    assert!(en.len() > 500, "{} keys", en.len());
    for lang in BUILT_IN {
        assert_eq!(c.keys(lang), en, "{lang}");
        for key in &en {
            let (_, ours) = c.text(lang, key).unwrap();
            let (_, english) = c.text("en", key).unwrap();
            assert_eq!(ours.dynamic, english.dynamic, "{lang} {key}");
        }
    }
}

#[test]
fn n1_plain_messages_are_looked_up_and_fall_back_to_english_then_the_key() {
    let c = Catalogues::built_in();
    assert_eq!(c.get("de", "login.title"), "Anmelden");
    assert_eq!(c.get("xx", "login.title"), "Log in");
    assert_eq!(c.get("fi", "no.such.key"), "no.such.key");
    assert!(c.has("da", "login.title"));
    assert!(!c.has("da", "no.such.key"));
    // Fluent's bidi isolation marks are off: the page's own direction applies.
    let filled = c.fill("en", "list.sort_by", &[("column", "Subject".into())]);
    assert_eq!(filled, "Sort by Subject");
}

#[test]
fn n1_one_ticket_and_two_tickets_in_every_language() {
    let c = Catalogues::built_in();
    let count = |lang: &str, n: u64| c.fill(lang, "list.count", &[("n", n.into())]);
    let expected = [
        ("en", "1 ticket", "2 tickets"),
        ("de", "1 Ticket", "2 Tickets"),
        ("nl", "1 ticket", "2 tickets"),
        ("da", "1 sag", "2 sager"),
        ("fi", "1 tiketti", "2 tikettiä"),
    ];
    for (lang, one, two) in expected {
        assert_eq!(count(lang, 1), one, "{lang}");
        assert_eq!(count(lang, 2), two, "{lang}");
        assert_eq!(count(lang, 0), two.replace('2', "0"), "{lang}");
    }
    let wait = |lang: &str, n: u64| c.fill(lang, "login.throttled", &[("n", n.into())]);
    assert!(
        wait("en", 1).contains("wait 1 second and"),
        "{}",
        wait("en", 1)
    );
    assert!(wait("en", 30).contains("wait 30 seconds and"));
    assert!(
        wait("fi", 1).contains("Odota 1 sekunti "),
        "{}",
        wait("fi", 1)
    );
    assert!(wait("fi", 5).contains("Odota 5 sekuntia "));
    assert!(wait("de", 1).contains("1 Sekunde "));
    assert!(wait("nl", 1).contains("1 seconde "));
    assert!(wait("da", 1).contains("1 sekund,"));
}

#[test]
fn n1_numbers_are_grouped_as_each_language_writes_them() {
    let c = Catalogues::built_in();
    let more = |lang: &str| c.fill(lang, "list.count_more", &[("n", 1000u64.into())]);
    assert_eq!(more("en"), "More than 1,000 tickets");
    assert_eq!(more("de"), "Mehr als 1.000 Tickets");
    assert_eq!(more("nl"), "Meer dan 1.000 tickets");
    assert_eq!(more("da"), "Mere end 1.000 sager");
    assert_eq!(more("fi"), "Yli 1\u{a0}000 tikettiä");
    assert_eq!(c.number("en", 1_234_567), "1,234,567");
    assert_eq!(c.number("de", -12_345), "-12.345");
    assert_eq!(c.number("en", 999), "999");
    // Text arguments are never grouped: an identifier stays as it is.
    let s = c.fill("en", "list.sort_by", &[("column", "12345".into())]);
    assert_eq!(s, "Sort by 12345");
}

#[test]
fn n1_a_sixth_language_dropped_into_the_directory_is_spoken_without_a_rebuild() {
    let dir = temp_dir("sixth");
    sixth_language(&dir);
    std::fs::create_dir_all(dir.join("de")).unwrap();
    std::fs::write(dir.join("de/ours.ftl"), "login-title = Einloggen\n").unwrap();
    let c = Catalogues::load(Some(&dir)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        c.tags().collect::<Vec<_>>(),
        ["en", "de", "nl", "da", "fi", "sv"]
    );
    assert_eq!(c.get("sv", "lang.name"), "Svenska");
    assert_eq!(c.get("sv", "login.title"), "Logga in");
    // Swedish plural rules and number grouping, from CLDR.
    assert_eq!(
        c.fill("sv", "list.count", &[("n", 1u64.into())]),
        "1 ärende"
    );
    assert_eq!(
        c.fill("sv", "list.count", &[("n", 2000u64.into())]),
        "2\u{a0}000 ärenden"
    );
    assert_eq!(
        c.fill("sv", "order", &[("n", 12345u64.into())]),
        "Order #12345 of 12\u{a0}345"
    );
    // What it does not translate is English.
    assert_eq!(c.get("sv", "login.password"), "Password");
    // A built-in language's message overridden, the rest kept.
    assert_eq!(c.get("de", "login.title"), "Einloggen");
    assert_eq!(c.get("de", "login.password"), "Passwort");
    assert_eq!(c.supported("sv-SE"), Some("sv"));
    assert_eq!(
        c.from_accept_language("sv-SE,sv;q=0.9,en;q=0.5"),
        Some("sv")
    );
}

#[test]
fn n1_a_broken_catalogue_is_refused_with_its_file_and_line() {
    let dir = temp_dir("broken");
    std::fs::create_dir_all(dir.join("sv")).unwrap();
    std::fs::write(
        dir.join("sv/portal.ftl"),
        "lang-name = Svenska\n\nlogin-title = { $n\n",
    )
    .unwrap();
    let err = Catalogues::load(Some(&dir)).unwrap_err();
    assert!(
        matches!(&err, CatalogueError::Syntax { path, line: 3, .. } if path.ends_with("sv/portal.ftl")),
        "{err:?}"
    );
    std::fs::remove_dir_all(dir.join("sv")).unwrap();
    std::fs::create_dir_all(dir.join("Swedish")).unwrap();
    let err = Catalogues::load(Some(&dir)).unwrap_err();
    assert!(matches!(err, CatalogueError::Tag(_)), "{err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(
        Catalogues::load(Some(&dir)),
        Err(CatalogueError::Read { .. })
    ));
}
