//! The staff policy table (P14): every staff action × role, printed as ✔/✘ and compared
//! with the committed `staff_policy_table.txt` (`UPDATE_GOLDEN=1` rewrites it). Where a use
//! case checks the permission itself, the table is also decided by that use case.

use std::fmt::Write as _;

use portal_core::model::*;
use portal_core::permissions::{StaffAction, may};
use portal_core::usecases::inbox::{StaffAuth, StaffMember};
use portal_core::usecases::staff::PortalAdmin;
use portal_testkit::block_on;
use portal_testkit::fixtures::{T0, seed_world};
use portal_testkit::memory::memory_ports;

const ROLES: [StaffRole; 2] = [StaffRole::Admin, StaffRole::Agent];

/// Exhaustive: a new action must be given a name here (and so a row in the table).
fn name(a: StaffAction) -> &'static str {
    match a {
        StaffAction::ReadInbox => "read the inbox",
        StaffAction::Answer => "answer tickets",
        StaffAction::EditTickets => "edit tickets",
        StaffAction::ExplainAccess => "explain access, preview",
        StaffAction::EditRecords => "edit contacts, companies",
        StaffAction::ManageLists => "lists and invitations",
        StaffAction::DisableCustomerLogin => "disable customer logins",
        StaffAction::ManagePipelines => "pipelines and inboxes",
        StaffAction::DefineProperties => "define properties",
        StaffAction::ManageOutbox => "undelivered mail",
        StaffAction::OwnApiTokens => "own API tokens",
        StaffAction::EditSettings => "portal settings",
        StaffAction::EditTemplates => "templates",
        StaffAction::EditAliases => "owner aliases",
        StaffAction::DisableStaffLogin => "disable staff logins",
    }
}

/// What the use cases that check a permission themselves decide for `role`.
fn decided_by_use_case(role: StaffRole, action: StaffAction) -> Option<bool> {
    block_on(async {
        let t = memory_ports(T0);
        let w = seed_world(&t.ports).await;
        let member = StaffMember {
            agent: w.agent.clone(),
            role,
        };
        match action {
            StaffAction::EditSettings => {
                let s = t.ports.settings.load().await.unwrap();
                let r = PortalAdmin::new(t.ports.clone())
                    .update_settings(member.actor(), s)
                    .await;
                Some(!matches!(r, Err(portal_core::Error::PermissionDenied)))
            }
            StaffAction::EditAliases => {
                let r = portal_core::usecases::records::Records::new(t.ports.clone())
                    .set_alias(&member, w.agent.id, "Sunny")
                    .await;
                Some(!matches!(r, Err(portal_core::Error::PermissionDenied)))
            }
            StaffAction::DisableStaffLogin => {
                let other = StaffAuth::new(t.ports.clone())
                    .create_login(
                        "other@support.test",
                        "O",
                        "Ther",
                        "a long passphrase",
                        StaffRole::Agent,
                    )
                    .await
                    .unwrap();
                let r = StaffAuth::new(t.ports.clone())
                    .set_login_enabled(&member, other.id, false)
                    .await;
                Some(r.is_ok())
            }
            _ => None,
        }
    })
}

fn table() -> String {
    let mut out = String::new();
    writeln!(
        out,
        "# portal staff policy table: ✔ allowed, ✘ refused (P14)"
    )
    .unwrap();
    writeln!(out, "# action || admin | agent").unwrap();
    for action in StaffAction::ALL {
        let marks: Vec<&str> = ROLES
            .iter()
            .map(|r| {
                let allowed = may(*r, action);
                if let Some(by_use_case) = decided_by_use_case(*r, action) {
                    assert_eq!(
                        allowed, by_use_case,
                        "{action:?} for {r:?}: the use case disagrees"
                    );
                }
                if allowed { "✔" } else { "✘" }
            })
            .collect();
        writeln!(out, "{} || {}", name(action), marks.join(" | ")).unwrap();
    }
    out
}

#[test]
fn p14_the_staff_policy_table_matches_the_golden_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/staff_policy_table.txt"
    );
    let got = table();
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        got, want,
        "the staff policy table changed (UPDATE_GOLDEN=1 rewrites it)"
    );
}

#[test]
fn p14_every_staff_action_is_in_the_table_once() {
    let mut seen = std::collections::BTreeSet::new();
    for a in StaffAction::ALL {
        assert!(seen.insert(name(a)), "{a:?} listed twice");
    }
    // `name` is an exhaustive match: a new action without a name does not compile, and one
    // missing from ALL is missing from the golden file's row count.
    let golden = include_str!("staff_policy_table.txt");
    assert_eq!(
        golden.lines().filter(|l| !l.starts_with('#')).count(),
        StaffAction::ALL.len()
    );
}
