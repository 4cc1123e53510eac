//! The pure rules one by one: settings validation (P1–P13), access (A1–A3), sessions (A5),
//! display (P8, P9), uploads, dates.

use std::collections::{BTreeMap, BTreeSet};

use portal_core::access::*;
use portal_core::error::check_text_inputs;
use portal_core::filter::{Criterion, Filter, FilterGroup, Operator};
use portal_core::model::*;
use portal_core::property::{PropertyCatalog, PropertyDef};
use portal_core::settings::*;
use portal_core::usecases::portal::{parse_date, parse_value};
use portal_core::visibility::CompanyAccess;

struct Ctx {
    tickets: PropertyCatalog,
    contacts: PropertyCatalog,
    pipelines: Vec<Pipeline>,
    inboxes: Vec<Inbox>,
    domains: Vec<Domain>,
    lists: Vec<ContactList>,
}

fn ctx() -> Ctx {
    let stage = |id, closed| Stage {
        id: StageId(id),
        label: format!("s{id}"),
        closed,
    };
    Ctx {
        tickets: PropertyCatalog::tickets([PropertyDef::custom(
            "priority",
            "Priority",
            ValueKind::Text,
        )]),
        contacts: PropertyCatalog::contacts([PropertyDef::custom("tier", "Tier", ValueKind::Text)]),
        pipelines: vec![
            Pipeline {
                id: PipelineId(1),
                label: "Support".into(),
                stages: vec![stage(11, false), stage(12, true)],
            },
            Pipeline {
                id: PipelineId(2),
                label: "Returns".into(),
                stages: vec![stage(21, false), stage(22, true), stage(23, true)],
            },
        ],
        inboxes: vec![Inbox {
            id: InboxId(1),
            name: "Inbox".into(),
            pipeline: PipelineId(1),
        }],
        domains: vec![Domain {
            id: DomainId(1),
            host: "help.acme.test".into(),
            language: "da".into(),
        }],
        lists: vec![ContactList {
            id: ListId(1),
            name: "Customers".into(),
        }],
    }
}

fn check(s: &PortalSettings) -> Vec<(String, String)> {
    let c = ctx();
    let r = s.validate(&SettingsContext {
        languages: &portal_core::settings::Languages::default(),
        ticket_props: &c.tickets,
        contact_props: &c.contacts,
        pipelines: &c.pipelines,
        inboxes: &c.inboxes,
        domains: &c.domains,
        lists: &c.lists,
    });
    r.err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn valid() -> PortalSettings {
    PortalSettings {
        enabled: true,
        domain: Some(DomainId(1)),
        default_inbox: Some(InboxId(1)),
        access: AccessSettings {
            access_groups: BTreeSet::from([ListId(1)]),
            ..AccessSettings::default()
        },
        ..PortalSettings::default()
    }
}

fn errs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect()
}

#[test]
fn the_defaults_and_a_complete_setup_are_valid() {
    assert_eq!(check(&PortalSettings::default()), vec![]);
    assert_eq!(check(&valid()), vec![]);
}

#[test]
fn p1_p2_p6_name_slug_domain_and_label() {
    let mut s = valid();
    s.name = "  ".into();
    s.domain = Some(DomainId(7));
    s.ticket_label = TicketLabel {
        singular: "Case".into(),
        plural: String::new(),
    };
    assert_eq!(
        check(&s),
        errs(&[
            ("name", "required"),
            ("domain", "unknown"),
            ("ticket_label.plural", "required")
        ])
    );
    for (slug, code) in [
        ("", "required"),
        ("Portal", "invalid_slug"),
        ("-a", "invalid_slug"),
        ("a-", "invalid_slug"),
        ("a--b", "invalid_slug"),
        ("a b", "invalid_slug"),
        ("admin", "reserved"),
        ("api", "reserved"),
    ] {
        assert_eq!(check_slug(slug), Err(code), "{slug:?}");
    }
    assert_eq!(check_slug(&"a".repeat(64)), Err("too_long"));
    for ok in ["portal", "support-2", "a", "kundeportal"] {
        assert_eq!(check_slug(ok), Ok(()));
    }
}

#[test]
fn p4_p5_switching_on_needs_an_inbox_and_a_way_in() {
    let mut s = valid();
    s.default_inbox = None;
    s.access = AccessSettings::default();
    assert_eq!(
        check(&s),
        errs(&[("default_inbox", "required"), ("access", "no_way_in")])
    );
    s.enabled = false;
    assert_eq!(
        check(&s),
        vec![],
        "a switched-off portal may be half set up"
    );
    let mut s = valid();
    s.default_inbox = Some(InboxId(9));
    assert_eq!(check(&s), errs(&[("default_inbox", "unknown")]));
}

#[test]
fn p7_at_most_ten_known_distinct_columns() {
    let mut s = valid();
    assert_eq!(
        default_columns()
            .iter()
            .map(|c| c.property.as_str())
            .collect::<Vec<_>>(),
        [
            "subject",
            "requested_by",
            "created_at",
            "owner",
            "last_activity_at",
            "status"
        ]
    );
    s.columns = [
        "subject",
        "requested_by",
        "created_at",
        "owner",
        "last_activity_at",
        "status",
        "pipeline",
        "stage",
        "priority",
        "id",
    ]
    .iter()
    .map(|p| Column::of(p))
    .collect();
    assert_eq!(check(&s), vec![]);
    s.columns.push(Column::of("inbox"));
    assert_eq!(check(&s), errs(&[("columns", "too_many")]));
    s.columns = vec![
        Column::of("subject"),
        Column::of("subject"),
        Column::of("nope"),
        Column {
            property: "status".into(),
            label: Some(String::new()),
        },
    ];
    assert_eq!(
        check(&s),
        errs(&[
            ("columns.1.property", "duplicate"),
            ("columns.2.property", "unknown_property"),
            ("columns.3.label", "required")
        ])
    );
    s.columns.clear();
    assert_eq!(check(&s), errs(&[("columns", "required")]));
}

#[test]
fn v3_v5_filters_must_name_known_properties_with_fitting_operators() {
    let mut s = valid();
    s.visibility.company_access = CompanyAccess::Filtered(Filter {
        groups: vec![
            FilterGroup {
                criteria: vec![Criterion::new(
                    "tier",
                    Operator::Equals(Value::text("gold")),
                )],
            },
            FilterGroup {
                criteria: vec![
                    Criterion::new("priority", Operator::IsKnown),
                    Criterion::new("tier", Operator::GreaterThan(Value::Number(1))),
                ],
            },
            FilterGroup::default(),
        ],
    });
    s.visibility.ticket_filter = Some(Filter::default());
    assert_eq!(
        check(&s),
        errs(&[
            // A filter without groups also hides every ticket the portal files.
            ("default_inbox", "hidden_by_ticket_filter"),
            ("visibility.company_access.1.0", "invalid_filter"),
            ("visibility.company_access.1.1", "invalid_filter"),
            ("visibility.company_access.2", "invalid_filter"),
            ("visibility.ticket_filter.", "invalid_filter"),
        ])
    );
    s.visibility.company_access = CompanyAccess::AllContacts;
    s.visibility.ticket_filter = Some(Filter::all_of(vec![Criterion::new(
        "pipeline",
        Operator::IsAnyOf(vec![Value::Number(1)]),
    )]));
    assert_eq!(check(&s), vec![]);
}

#[test]
fn v5_p4_p12_no_inbox_the_portal_files_into_may_be_hidden_by_the_visibility_filter() {
    let mut s = valid();
    // Only Returns (pipeline 2) shows; the default inbox files into pipeline 1.
    s.visibility.ticket_filter = Some(Filter::all_of(vec![Criterion::new(
        "pipeline",
        Operator::IsAnyOf(vec![Value::Number(2)]),
    )]));
    assert_eq!(
        check(&s),
        errs(&[("default_inbox", "hidden_by_ticket_filter")])
    );
    // A criterion on what the customer enters is checked when a ticket is filed, not here.
    s.visibility.ticket_filter = Some(Filter::all_of(vec![
        Criterion::new("pipeline", Operator::IsAnyOf(vec![Value::Number(1)])),
        Criterion::new("subject", Operator::Contains("printer".into())),
    ]));
    assert_eq!(check(&s), vec![]);
}

#[test]
fn t5_closing_uses_the_chosen_closed_stage_and_a_new_pipeline_never_blocks_saving() {
    let mut s = valid();
    s.actions.allow_close = true;
    // Returns has two closed stages and none chosen: its first closed stage is the default,
    // so the settings save.
    assert_eq!(
        check(&s),
        vec![],
        "a pipeline without a choice blocks nothing"
    );
    s.actions.close_stages.insert(PipelineId(2), StageId(21));
    assert_eq!(
        check(&s),
        errs(&[("actions.close_stages.2", "not_closed_stage")])
    );
    s.actions.close_stages.insert(PipelineId(2), StageId(23));
    assert_eq!(check(&s), vec![]);
    s.actions.close_stages.insert(PipelineId(5), StageId(23));
    assert_eq!(check(&s), errs(&[("actions.close_stages.5", "unknown")]));
}

#[test]
fn a1_a3_lists_must_exist_and_a2_needs_consent_text() {
    let mut s = valid();
    s.access.access_groups.insert(ListId(4));
    s.access.sso = SsoAccess::Lists(BTreeSet::new());
    s.access.self_registration = true;
    s.consent.text = String::new();
    s.consent.links = vec![Link {
        label: "Privacy".into(),
        url: "javascript:alert(1)".into(),
    }];
    assert_eq!(
        check(&s),
        errs(&[
            ("access.access_groups", "unknown"),
            ("access.sso", "required"),
            ("consent.text", "required"),
            ("consent.links.0.url", "invalid_url")
        ])
    );
}

#[test]
fn p10_p12_branding_form_session_and_templates() {
    let mut s = valid();
    s.branding.primary_color = "blue".into();
    s.branding.nav = vec![
        Link {
            label: "Home".into(),
            url: "//evil.test".into(),
        },
        Link {
            label: "Docs".into(),
            url: "/docs".into(),
        },
    ];
    s.support_form.menu_text = String::new();
    s.support_form.inbox = Some(InboxId(3));
    s.support_form.fields = vec![
        FormField {
            property: "priority".into(),
            label: None,
            required: true,
        },
        FormField {
            property: "priority".into(),
            label: None,
            required: true,
        },
        FormField {
            property: "status".into(),
            label: None,
            required: false,
        },
        FormField {
            property: "nope".into(),
            label: None,
            required: false,
        },
    ];
    s.session.absolute_seconds = 60;
    s.templates.insert("ticket_list".into(), "custom".into());
    s.templates.insert("evil".into(), "x".into());
    assert_eq!(
        check(&s),
        errs(&[
            ("support_form.menu_text", "required"),
            ("support_form.inbox", "unknown"),
            ("support_form.fields.1.property", "duplicate"),
            ("support_form.fields.2.property", "builtin_property"),
            ("support_form.fields.3.property", "unknown_property"),
            ("session.absolute_seconds", "out_of_range"),
            ("branding.primary_color", "invalid_color"),
            ("branding.nav.0.url", "invalid_url"),
            ("templates.evil", "unknown"),
        ])
    );
    let mut s = valid();
    s.session = SessionPolicy {
        idle: IdleTimeout::Hours24,
        absolute_seconds: 12 * 3600,
    };
    assert_eq!(
        check(&s),
        errs(&[("session.absolute_seconds", "out_of_range")])
    );
}

#[test]
fn p8_owner_names_and_p9_status_labels() {
    let agent = Agent {
        id: AgentId(1),
        first_name: "Sam".into(),
        last_name: "Jensen".into(),
        alias: Some("Support Sam".into()),
        email: "s@x".into(),
    };
    assert_eq!(owner_name(&agent, OwnerDisplay::FirstName), "Sam");
    assert_eq!(owner_name(&agent, OwnerDisplay::FullName), "Sam Jensen");
    assert_eq!(owner_name(&agent, OwnerDisplay::LastName), "Jensen");
    assert_eq!(owner_name(&agent, OwnerDisplay::Alias), "Support Sam");
    let no_alias = Agent {
        alias: None,
        ..agent
    };
    assert_eq!(owner_name(&no_alias, OwnerDisplay::Alias), "Sam");
    let c = ctx();
    let ticket = Ticket {
        id: TicketId(1),
        subject: "s".into(),
        pipeline: PipelineId(2),
        stage: StageId(22),
        status: TicketStatus::Closed,
        owner: None,
        inbox: None,
        requester: None,
        contacts: BTreeSet::new(),
        companies: BTreeSet::new(),
        private: false,
        properties: BTreeMap::new(),
        created_at: Timestamp(0),
        last_activity_at: Timestamp(0),
    };
    assert_eq!(
        status_label(&ticket, &c.pipelines, StatusDisplay::OpenClosed),
        StatusLabel::Status(TicketStatus::Closed)
    );
    assert_eq!(
        status_label(&ticket, &c.pipelines, StatusDisplay::StageNames),
        StatusLabel::Stage("s22".into())
    );
}

#[test]
fn a1_a3_who_may_enter_deny_wins() {
    let members = BTreeSet::from([ListId(1)]);
    let none = BTreeSet::new();
    let req = |method, memberships, enabled| EntryRequest {
        method,
        memberships,
        account_enabled: enabled,
    };
    let groups = AccessSettings {
        access_groups: BTreeSet::from([ListId(1)]),
        ..AccessSettings::default()
    };
    assert_eq!(
        may_enter(&groups, &req(LoginMethod::Password, &members, true)),
        Ok(())
    );
    assert_eq!(
        may_enter(&groups, &req(LoginMethod::Password, &none, true)),
        Err(EntryDenied::NotInAccessGroup)
    );
    assert_eq!(
        may_enter(&groups, &req(LoginMethod::Password, &members, false)),
        Err(EntryDenied::AccountDisabled)
    );
    let open = AccessSettings {
        self_registration: true,
        ..AccessSettings::default()
    };
    assert_eq!(
        may_enter(&open, &req(LoginMethod::Password, &none, true)),
        Ok(())
    );
    let no_password = AccessSettings {
        password_login: false,
        ..open.clone()
    };
    assert_eq!(
        may_enter(&no_password, &req(LoginMethod::Password, &members, true)),
        Err(EntryDenied::PasswordLoginOff)
    );
    assert_eq!(
        may_enter(&open, &req(LoginMethod::Sso, &members, true)),
        Err(EntryDenied::SsoOff)
    );
    let sso_all = AccessSettings {
        sso: SsoAccess::AllUsers,
        ..AccessSettings::default()
    };
    assert_eq!(
        may_enter(&sso_all, &req(LoginMethod::Sso, &none, true)),
        Ok(())
    );
    assert_eq!(
        may_enter(&sso_all, &req(LoginMethod::Sso, &none, false)),
        Err(EntryDenied::AccountDisabled)
    );
    let sso_lists = AccessSettings {
        sso: SsoAccess::Lists(BTreeSet::from([ListId(2)])),
        ..AccessSettings::default()
    };
    assert_eq!(
        may_enter(&sso_lists, &req(LoginMethod::Sso, &members, true)),
        Err(EntryDenied::NotOnSsoList)
    );
    assert_eq!(
        may_enter(
            &sso_lists,
            &req(LoginMethod::Sso, &BTreeSet::from([ListId(2)]), true)
        ),
        Ok(())
    );
    // Registration routes.
    assert_eq!(
        may_register(&groups, &members),
        Ok(Registration::AccessGroup)
    );
    assert_eq!(
        may_register(&groups, &none),
        Err(EntryDenied::NotInAccessGroup)
    );
    assert_eq!(may_register(&open, &none), Ok(Registration::SelfService));
    assert_eq!(
        may_register(&no_password, &members),
        Err(EntryDenied::PasswordLoginOff)
    );
}

#[test]
fn a5_session_states_and_login_backoff() {
    let p = SessionPolicy::default();
    let t0 = Timestamp(0);
    assert_eq!(p.state(t0, t0, t0.plus_seconds(3599)), SessionState::Active);
    assert_eq!(
        p.state(t0, t0, t0.plus_seconds(3600)),
        SessionState::IdleExpired
    );
    let late = t0.plus_seconds(12 * 3600);
    assert_eq!(
        p.state(t0, late.plus_seconds(-1), late),
        SessionState::LifetimeExpired
    );
    assert_eq!(
        IdleTimeout::ALL.map(|i| i.seconds() / 60),
        [20, 40, 60, 1440]
    );
    assert_eq!(login_backoff_seconds(0), None);
    assert_eq!(login_backoff_seconds(4), None);
    assert_eq!(login_backoff_seconds(5), Some(1));
    assert_eq!(login_backoff_seconds(8), Some(8));
    assert_eq!(login_backoff_seconds(50), Some(60));
    assert_eq!(login_backoff_seconds(100), Some(3600));
}

#[test]
fn form_values_parse_by_kind() {
    assert_eq!(
        parse_value(ValueKind::Text, "  hi "),
        Ok(Some(Value::text("hi")))
    );
    assert_eq!(
        parse_value(ValueKind::Number, "-12"),
        Ok(Some(Value::Number(-12)))
    );
    assert_eq!(parse_value(ValueKind::Number, "1.5"), Err("invalid_number"));
    assert_eq!(parse_value(ValueKind::Date, ""), Ok(None));
    assert_eq!(parse_date("1970-01-01"), Some(Timestamp(0)));
    assert_eq!(parse_date("2026-01-01"), Some(Timestamp(1_767_225_600_000)));
    assert_eq!(parse_date("2024-02-29"), Some(Timestamp(1_709_164_800_000)));
    assert_eq!(parse_date("2023-02-29"), None);
    assert_eq!(parse_date("2023-13-01"), None);
    assert_eq!(
        parse_value(ValueKind::Date, "tomorrow"),
        Err("invalid_date")
    );
}

#[test]
fn rule2_passwords_are_8_to_128_characters_and_not_common() {
    assert_eq!(check_password("1234567"), Err("too_short"));
    assert_eq!(
        check_password("ñandú12"),
        Err("too_short"),
        "characters, not bytes"
    );
    assert_eq!(check_password("PassWord123"), Err("too_common"));
    assert_eq!(check_password(&"x".repeat(129)), Err("too_long"));
    assert_eq!(check_password(&"x".repeat(128)), Ok(()));
    assert_eq!(check_password(&"y".repeat(64)), Ok(()));
    assert_eq!(
        check_password("correct horse"),
        Ok(()),
        "no composition rules"
    );
}

#[test]
fn filter_texts_name_the_line_and_the_problem() {
    use portal_core::filter::parse_text;
    let kind_of = |p: &str| match p {
        "tier" => Some(ValueKind::Text),
        "seats" => Some(ValueKind::Number),
        "renewal" => Some(ValueKind::Date),
        _ => None,
    };
    let f = parse_text(
        "tier = gold AND seats > 10\n\nrenewal < 2027-01-01",
        kind_of,
    )
    .unwrap();
    assert_eq!(f.groups.len(), 2);
    assert_eq!(f.groups[0].criteria.len(), 2);
    let e = parse_text("tier = gold\nplan = x", kind_of).unwrap_err();
    assert_eq!((e.line, e.code), (2, "unknown_property"));
    let e = parse_text("seats > many", kind_of).unwrap_err();
    assert_eq!((e.line, e.code), (1, "invalid_number"));
    let e = parse_text("renewal < soon", kind_of).unwrap_err();
    assert_eq!(e.code, "invalid_date");
    let e = parse_text("tier ~ gold", kind_of).unwrap_err();
    assert_eq!(e.code, "unknown_operator");
    let e = parse_text("tier =", kind_of).unwrap_err();
    assert_eq!(e.code, "required");
    assert_eq!(parse_text("  \n", kind_of).unwrap().groups.len(), 0);
    assert_eq!(
        portal_core::filter::date_text(
            portal_core::usecases::portal::parse_date("2024-02-29").unwrap()
        ),
        "2024-02-29"
    );
}

#[test]
fn p2_the_portal_address_is_on_its_chosen_domain_with_the_instances_scheme_and_port() {
    use portal_core::model::{Domain, DomainId};
    let domains = vec![Domain {
        id: DomainId(7),
        host: "help.acme.example".into(),
        language: "de".into(),
    }];
    let mut s = valid();
    s.slug = "care".into();
    s.domain = None;
    assert_eq!(
        s.address(&domains, "https://support.example.com/"),
        "https://support.example.com/care"
    );
    s.domain = Some(DomainId(7));
    assert_eq!(
        s.address(&domains, "https://support.example.com"),
        "https://help.acme.example/care"
    );
    assert_eq!(
        s.address(&domains, "http://127.0.0.1:8080"),
        "http://help.acme.example:8080/care"
    );
    assert_eq!(s.domain_language(&domains), Some("de"));
    // A domain that is gone: the instance's address.
    s.domain = Some(DomainId(8));
    assert_eq!(s.address(&domains, "http://x.test"), "http://x.test/care");
}

#[test]
fn a1_a3_a_session_stays_only_while_its_contact_could_enter_by_some_way() {
    use portal_core::access::{AccessSettings, may_stay, stays_without_lists};
    use portal_core::model::ListId;
    use std::collections::BTreeSet;
    let on = BTreeSet::from([ListId(1)]);
    let off = BTreeSet::new();
    let groups = AccessSettings {
        self_registration: false,
        access_groups: BTreeSet::from([ListId(1)]),
        ..AccessSettings::default()
    };
    assert!(!stays_without_lists(&groups));
    assert!(may_stay(&groups, &on, true).is_ok());
    assert!(
        may_stay(&groups, &off, true).is_err(),
        "removed from the group"
    );
    assert!(may_stay(&groups, &on, false).is_err(), "a disabled account");
    // Single sign-on for chosen lists keeps a session its password way would not.
    let sso = AccessSettings {
        sso: portal_core::access::SsoAccess::Lists(BTreeSet::from([ListId(2)])),
        ..groups.clone()
    };
    assert!(may_stay(&sso, &BTreeSet::from([ListId(2)]), true).is_ok());
    assert!(may_stay(&sso, &off, true).is_err());
    let open = AccessSettings {
        self_registration: true,
        ..AccessSettings::default()
    };
    assert!(stays_without_lists(&open));
    assert!(may_stay(&open, &off, true).is_ok());
}

#[test]
fn rule4_the_client_address_believes_forwarded_hops_only_behind_a_trusted_proxy() {
    use portal_core::access::{client_address, login_wait};
    use std::net::IpAddr;
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
    let forged = [ip("198.51.100.1"), ip("192.0.2.50")];
    // No trusted proxy: the peer, whatever the header says.
    assert_eq!(
        client_address(ip("203.0.113.9"), &forged, &[]),
        ip("203.0.113.9")
    );
    assert_eq!(
        client_address(ip("203.0.113.9"), &forged, &trusted),
        ip("203.0.113.9")
    );
    // Behind the proxy: the rightmost hop that is not a trusted proxy.
    assert_eq!(
        client_address(ip("10.1.2.3"), &forged, &trusted),
        ip("192.0.2.50")
    );
    let chain = [ip("198.51.100.1"), ip("192.0.2.50"), ip("10.9.9.9")];
    assert_eq!(
        client_address(ip("10.1.2.3"), &chain, &trusted),
        ip("192.0.2.50")
    );
    // A proxy that sent nothing: the peer.
    assert_eq!(
        client_address(ip("10.1.2.3"), &[], &trusted),
        ip("10.1.2.3")
    );
    // The back-off: free tries, then waits that grow, on the portal's clock.
    let t = portal_core::model::Timestamp(1_000_000);
    assert_eq!(login_wait(4, Some(t), t), None);
    assert_eq!(login_wait(5, Some(t), t), Some(1));
    assert_eq!(login_wait(5, Some(t), t.plus_seconds(1)), None);
    assert_eq!(login_wait(8, Some(t), t), Some(8));
    assert_eq!(login_wait(100, Some(t), t.plus_seconds(60)), Some(3540));
}

#[test]
fn a2_p12_each_feature_switch_is_decided_once_in_the_core() {
    use portal_core::access::AccessSettings;
    let mut a = AccessSettings {
        self_registration: true,
        login_link: true,
        ..AccessSettings::default()
    };
    assert!(a.registration_open() && a.login_link_open());
    // Without password login there is nothing to register for or to stand in for.
    a.password_login = false;
    assert!(!a.registration_open() && !a.login_link_open());
    // The support form needs the switch and an inbox to file into.
    let mut s = valid();
    s.support_form.enabled = true;
    assert!(s.support_form_open());
    s.default_inbox = None;
    s.support_form.inbox = None;
    assert!(!s.support_form_open());
    s.support_form.inbox = Some(InboxId(1));
    assert!(s.support_form_open());
    s.support_form.enabled = false;
    assert!(!s.support_form_open());
}

#[test]
fn ops_metrics_are_open_on_loopback_and_behind_the_token_otherwise() {
    use MetricsAccess::*;
    // No token: the machine itself may read them when the server listens on loopback only.
    assert_eq!(metrics_access(true, None, None), Open);
    assert_eq!(metrics_access(false, None, None), Closed);
    assert_eq!(metrics_access(false, Some(""), Some("")), Closed);
    // A token: required everywhere, loopback included, and compared exactly.
    assert_eq!(metrics_access(true, Some("s3cret"), None), TokenRequired);
    assert_eq!(
        metrics_access(false, Some("s3cret"), Some("s3cre")),
        TokenRequired
    );
    assert_eq!(
        metrics_access(false, Some("s3cret"), Some("s3cret ")),
        TokenRequired
    );
    assert_eq!(
        metrics_access(false, Some("s3cret"), Some("S3CRET")),
        TokenRequired
    );
    assert_eq!(metrics_access(false, Some("s3cret"), Some("s3cret")), Open);
    assert_eq!(metrics_access(true, Some("s3cret"), Some("s3cret")), Open);
}

#[test]
fn ops_sso_refusals_are_counted_by_a_few_fixed_kinds() {
    use portal_core::error::SsoRefusal;
    let kind = |r: &str| SsoRefusal::new(r).kind();
    assert_eq!(kind("jti \"a\" was already used (replay)"), "replay");
    assert_eq!(
        kind(
            "InResponseTo \"x\" is not an outstanding request (unknown, expired or already answered)"
        ),
        "replay"
    );
    assert_eq!(kind("token expired at 5 (now 9)"), "expired");
    assert_eq!(kind("assertion is not valid before 2026"), "expired");
    assert_eq!(kind("signature or format: InvalidSignature"), "signature");
    assert_eq!(kind("samael: signature check failed"), "signature");
    assert_eq!(kind("assertion has no AudienceRestriction"), "audience");
    assert_eq!(
        kind("unsolicited response (no InResponseTo) while IdP-initiated login is off"),
        "unsolicited"
    );
    assert_eq!(
        kind("document has a DTD or entity declaration (XXE)"),
        "malformed"
    );
    assert_eq!(kind("response is not base64"), "malformed");
    assert_eq!(kind("claim email is missing"), "identity");
    assert_eq!(kind("something new"), "other");
}

#[test]
fn ops_text_input_refuses_nul_and_control_characters_but_keeps_tabs_and_newlines() {
    assert!(allowed_in_text('a') && allowed_in_text('é') && allowed_in_text('😀'));
    for c in ['\t', '\n', '\r', '\u{80}', '\u{a0}'] {
        assert!(allowed_in_text(c), "{c:?}");
    }
    for c in [
        '\0', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}',
    ] {
        assert!(!allowed_in_text(c), "{c:?}");
    }
    assert!(check_text_inputs([("body", "line one\r\n\tline two"), ("q", "printer")]).is_ok());
    let Err(portal_core::Error::Invalid(list)) = check_text_inputs([
        ("email", "anna\0@acme.example"),
        ("q", "ok"),
        ("email", "again\u{1}"),
        ("na\0me", "\u{1b}[31m"),
    ]) else {
        panic!("refused");
    };
    let fields: Vec<(&str, &str)> = list
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("email", "control_character"),
            ("name", "control_character")
        ]
    );
    assert!(list[0].detail.contains("U+0000"));
}

proptest::proptest! {
    #[test]
    fn ops_text_input_check_agrees_with_the_character_rule(s in "\\PC*|[\\x00-\\x20a]*") {
        let ok = check_text_inputs([("f", s.as_str())]).is_ok();
        proptest::prop_assert_eq!(ok, s.chars().all(allowed_in_text));
    }
}

fn cc_contact(id: i64, company: Option<i64>) -> Contact {
    Contact {
        id: ContactId(id),
        email: format!("c{id}@x.test"),
        membership_email: None,
        first_name: "C".into(),
        last_name: id.to_string(),
        primary_company: company.map(CompanyId),
        language: None,
        properties: BTreeMap::new(),
        memberships: Vec::new(),
    }
}

/// `id`, whose primary company is `primary`, also belonging to the `further` companies.
fn member_of(id: i64, primary: Option<i64>, further: &[i64]) -> Contact {
    Contact {
        memberships: further
            .iter()
            .map(|c| Membership::of(CompanyId(*c)))
            .collect(),
        ..cc_contact(id, primary)
    }
}

#[test]
fn c2_a_further_company_makes_colleagues_as_the_primary_one_does() {
    use portal_core::actions::*;
    use portal_core::organisation::{export_companies, log_of, logged_companies, logs_of};
    use portal_core::visibility::View;
    // Me: primary 1, also in 2. Consultant: primary 3, also in 1. Stranger: 3 only.
    let me = member_of(1, Some(1), &[2]);
    let consultant = member_of(2, Some(3), &[1]);
    let in_two = member_of(3, Some(2), &[]);
    let stranger = member_of(4, Some(3), &[]);
    assert!(me.belongs_to(CompanyId(2)) && consultant.belongs_to(CompanyId(1)));
    assert!(!stranger.belongs_to(CompanyId(1)));
    assert!(me.shares_a_company_with(&consultant) && consultant.shares_a_company_with(&me));
    assert!(me.shares_a_company_with(&in_two) && !me.shares_a_company_with(&stranger));
    // Copying in with "colleagues only" (C1).
    let same = ActionSettings {
        customers_add_ccs: true,
        ccs_same_company: true,
        ..ActionSettings::default()
    };
    let mine = Ticket {
        requester: Some(me.id),
        contacts: BTreeSet::from([me.id]),
        companies: BTreeSet::from([CompanyId(1)]),
        ..portal_testkit::fixtures::blank_ticket()
    };
    for colleague in [&consultant, &in_two] {
        assert_eq!(may_add_cc(&same, &me, &mine, Some(colleague)), Ok(()));
    }
    assert_eq!(
        may_add_cc(&same, &me, &mine, Some(&stranger)),
        Err(ActionDenied::CcAddressRefused)
    );
    // Filing for a colleague (C5).
    assert!(may_file_for_anyone(&member_of(5, None, &[2])));
    assert!(!may_file_for_anyone(&member_of(5, None, &[])));
    assert_eq!(may_file_for(&me, Some(&consultant)), Ok(()));
    assert_eq!(may_file_for(&consultant, Some(&me)), Ok(()));
    assert_eq!(
        may_file_for(&me, Some(&stranger)),
        Err(ActionDenied::OnBehalfRefused)
    );
    // Hand-over by the requester, to anyone of their companies; by company 1's portal admin,
    // only to company 1's people, the further members among them (C3).
    assert_eq!(may_hand_over(&me, &mine, &[], Some(&in_two)), Ok(()));
    assert_eq!(
        may_hand_over(&me, &mine, &[], Some(&stranger)),
        Err(ActionDenied::HandOverRefused)
    );
    let admin = member_of(6, Some(1), &[]);
    let admin_of = [CompanyId(1)];
    assert_eq!(
        may_hand_over(&admin, &mine, &admin_of, Some(&consultant)),
        Ok(())
    );
    assert_eq!(
        may_hand_over(&admin, &mine, &admin_of, Some(&in_two)),
        Err(ActionDenied::HandOverRefused)
    );
    // The access log: the consultant's action on company 1's ticket is company 1's; on a
    // ticket of both companies, each of the actor's companies' logs has it; a private ticket
    // is nobody's (C4).
    let (one, two) = (CompanyId(1), CompanyId(2));
    assert_eq!(logged_companies(&consultant, &mine), vec![one]);
    assert_eq!(logged_companies(&stranger, &mine), vec![]);
    let both = Ticket {
        companies: BTreeSet::from([one, two]),
        ..mine.clone()
    };
    assert_eq!(logged_companies(&in_two, &both), vec![two]);
    assert_eq!(logged_companies(&me, &both), vec![one, two]);
    let private = Ticket {
        private: true,
        ..both.clone()
    };
    assert_eq!(logged_companies(&consultant, &private), vec![]);
    assert_eq!(logged_companies(&me, &private), vec![]);
    // An export: a one-company view is that company's; the others each of the actor's.
    assert_eq!(export_companies(&me, View::Company(two)), vec![two]);
    assert_eq!(export_companies(&me, View::Company(CompanyId(3))), vec![]);
    for view in [View::Organization, View::Mine, View::Shared] {
        assert_eq!(export_companies(&me, view), vec![one, two]);
        assert_eq!(export_companies(&member_of(7, None, &[]), view), vec![]);
    }
    // Reading logs: each company the admin belongs to and administers, the primary first;
    // admin of a company left behind reads nothing there.
    assert_eq!(logs_of(&me, &[two, one, CompanyId(3)]), vec![one, two]);
    assert_eq!(logs_of(&stranger, &[one]), vec![]);
    assert_eq!(log_of(&me, &[two], None), Some(two));
    assert_eq!(log_of(&me, &[two], Some(one)), None);
    assert_eq!(log_of(&me, &[one, two], Some(two)), Some(two));
    assert_eq!(log_of(&me, &[one, two], None), Some(one));
    assert_eq!(
        log_of(&me, &[one, two, CompanyId(3)], Some(CompanyId(3))),
        None
    );
    // A portal admin of company 2 only hands over company 2's tickets, to its people.
    let admin_of_two = member_of(8, Some(1), &[2]);
    let twos = Ticket {
        requester: Some(in_two.id),
        contacts: BTreeSet::from([in_two.id]),
        companies: BTreeSet::from([two]),
        ..portal_testkit::fixtures::blank_ticket()
    };
    assert_eq!(
        may_hand_over(&admin_of_two, &twos, &[two], Some(&me)),
        Ok(())
    );
    assert_eq!(
        may_hand_over(&admin_of_two, &mine, &[two], Some(&consultant)),
        Err(ActionDenied::CcNotRequester),
        "company 1's ticket is not theirs to hand over"
    );
    assert_eq!(
        may_hand_over(&admin_of_two, &twos, &[two], Some(&stranger)),
        Err(ActionDenied::HandOverRefused)
    );
}

#[test]
fn c1_only_the_requester_copies_in_within_the_switches() {
    use portal_core::actions::*;
    let (me, colleague, outsider) = (
        cc_contact(1, Some(1)),
        cc_contact(2, Some(1)),
        cc_contact(3, Some(2)),
    );
    let ticket = Ticket {
        requester: Some(me.id),
        contacts: BTreeSet::from([me.id]),
        ..portal_testkit::fixtures::blank_ticket()
    };
    let off = ActionSettings::default();
    assert_eq!(
        may_add_cc(&off, &me, &ticket, Some(&colleague)),
        Err(ActionDenied::CcDisabled)
    );
    let on = ActionSettings {
        customers_add_ccs: true,
        ..ActionSettings::default()
    };
    assert_eq!(may_add_cc(&on, &me, &ticket, Some(&colleague)), Ok(()));
    assert_eq!(may_add_cc(&on, &me, &ticket, Some(&outsider)), Ok(()));
    assert_eq!(
        may_add_cc(&on, &colleague, &ticket, Some(&outsider)),
        Err(ActionDenied::CcNotRequester)
    );
    assert_eq!(
        may_add_cc(&on, &me, &ticket, Some(&me)),
        Err(ActionDenied::CcAlreadyOnTicket)
    );
    let own_company = ActionSettings {
        ccs_same_company: true,
        ..on.clone()
    };
    assert_eq!(
        may_add_cc(&own_company, &me, &ticket, Some(&colleague)),
        Ok(())
    );
    // An outsider and an unknown address get the same answer.
    assert_eq!(
        may_add_cc(&own_company, &me, &ticket, Some(&outsider)),
        Err(ActionDenied::CcAddressRefused)
    );
    assert_eq!(
        may_add_cc(&own_company, &me, &ticket, None),
        Err(ActionDenied::CcAddressRefused)
    );
    let no_company = cc_contact(4, None);
    let theirs = Ticket {
        requester: Some(no_company.id),
        ..ticket.clone()
    };
    assert_eq!(
        may_add_cc(
            &own_company,
            &no_company,
            &theirs,
            Some(&cc_contact(5, None))
        ),
        Err(ActionDenied::CcAddressRefused)
    );
}

#[test]
fn c1_the_requester_takes_anyone_off_and_a_participant_only_themselves() {
    use portal_core::actions::*;
    let (me, a, b) = (
        cc_contact(1, Some(1)),
        cc_contact(2, Some(1)),
        cc_contact(3, Some(2)),
    );
    let ticket = Ticket {
        requester: Some(me.id),
        contacts: BTreeSet::from([me.id, a.id, b.id]),
        ..portal_testkit::fixtures::blank_ticket()
    };
    assert_eq!(participants(&ticket).collect::<Vec<_>>(), vec![a.id, b.id]);
    assert_eq!(may_remove_cc(&me, &ticket, a.id), Ok(()));
    assert_eq!(may_remove_cc(&a, &ticket, a.id), Ok(()));
    assert_eq!(
        may_remove_cc(&a, &ticket, b.id),
        Err(ActionDenied::CcNotRequester)
    );
    assert_eq!(
        may_remove_cc(&me, &ticket, me.id),
        Err(ActionDenied::CcNotParticipant)
    );
    assert_eq!(
        may_remove_cc(&me, &ticket, ContactId(99)),
        Err(ActionDenied::CcNotParticipant)
    );
}

#[test]
fn c3_only_the_requester_hands_over_and_only_to_a_colleague() {
    use portal_core::actions::*;
    let (me, colleague, outsider) = (
        cc_contact(1, Some(1)),
        cc_contact(2, Some(1)),
        cc_contact(3, Some(2)),
    );
    let ticket = Ticket {
        requester: Some(me.id),
        contacts: BTreeSet::from([me.id, outsider.id]),
        ..portal_testkit::fixtures::blank_ticket()
    };
    assert_eq!(may_hand_over(&me, &ticket, &[], Some(&colleague)), Ok(()));
    for target in [Some(&outsider), Some(&me), None] {
        assert_eq!(
            may_hand_over(&me, &ticket, &[], target),
            Err(ActionDenied::HandOverRefused)
        );
    }
    assert_eq!(
        may_hand_over(&colleague, &ticket, &[], Some(&me)),
        Err(ActionDenied::CcNotRequester)
    );
    let loner = cc_contact(4, None);
    let theirs = Ticket {
        requester: Some(loner.id),
        ..ticket.clone()
    };
    assert_eq!(
        may_hand_over_any(&loner, &theirs, &[]),
        Err(ActionDenied::HandOverRefused)
    );
    // A portal admin of the ticket's company hands a colleague's shared ticket to another
    // colleague (not to the requester it has, not outside the company, not a private one).
    let company_ticket = Ticket {
        companies: BTreeSet::from([CompanyId(1)]),
        ..ticket.clone()
    };
    let admin = cc_contact(5, Some(1));
    let admin_of = [CompanyId(1)];
    assert_eq!(
        may_hand_over(&admin, &company_ticket, &admin_of, Some(&colleague)),
        Ok(())
    );
    assert_eq!(
        may_hand_over(&admin, &company_ticket, &admin_of, Some(&me)),
        Err(ActionDenied::HandOverRefused)
    );
    assert_eq!(
        may_hand_over(&admin, &company_ticket, &admin_of, Some(&outsider)),
        Err(ActionDenied::HandOverRefused)
    );
    assert_eq!(
        may_hand_over_any(&admin, &company_ticket, &[]),
        Err(ActionDenied::CcNotRequester),
        "not an admin"
    );
    assert_eq!(
        may_hand_over_any(&admin, &ticket, &admin_of),
        Err(ActionDenied::CcNotRequester),
        "not the company's ticket"
    );
    let private = Ticket {
        private: true,
        ..company_ticket.clone()
    };
    assert_eq!(
        may_hand_over_any(&admin, &private, &admin_of),
        Err(ActionDenied::CcNotRequester)
    );
}
