//! The staff side's IMAP mailboxes (issue 17): admins only, every problem reported before
//! anything is written, the password sealed and never shown.

use std::sync::Arc;

use portal_core::Error;
use portal_core::model::*;
use portal_core::permissions::StaffMember;
use portal_core::ports::SecretBox;
use portal_core::usecases::mailboxes::*;
use portal_testkit::block_on;
use portal_testkit::fixtures::{T0, World, seed_world};
use portal_testkit::memory::{TestPorts, TestSecrets, memory_ports};

async fn setup(key: u8) -> (TestPorts, World, MailboxSettings) {
    let t = memory_ports(T0);
    let w = seed_world(&t.ports).await;
    let uc = MailboxSettings::new(t.ports.clone(), Arc::new(TestSecrets(key)));
    (t, w, uc)
}

fn member(w: &World, role: StaffRole) -> StaffMember {
    StaffMember {
        agent: w.agent.clone(),
        role,
    }
}

fn input(w: &World) -> MailboxInput {
    MailboxInput {
        inbox: Some(w.inbox),
        host: " imap.example.com ".into(),
        port: String::new(),
        tls: true,
        user: "support@example.com".into(),
        password: "s3cret pass".into(),
        folder: String::new(),
        delete_taken: false,
        poll_seconds: String::new(),
        enabled: true,
    }
}

fn codes(e: Error) -> Vec<(String, String)> {
    match e {
        Error::Invalid(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

#[test]
fn p14_only_admins_keep_mailboxes() {
    block_on(async {
        let (_, w, uc) = setup(7).await;
        let agent = member(&w, StaffRole::Agent);
        assert!(matches!(
            uc.save(&agent, None, input(&w)).await,
            Err(Error::PermissionDenied)
        ));
        assert!(matches!(
            uc.list(&agent).await,
            Err(Error::PermissionDenied)
        ));
        let admin = member(&w, StaffRole::Admin);
        let id = uc.save(&admin, None, input(&w)).await.unwrap();
        assert!(matches!(
            uc.delete(&agent, id).await,
            Err(Error::PermissionDenied)
        ));
        assert_eq!(uc.list(&admin).await.unwrap().len(), 1);
    });
}

#[test]
fn a_mailbox_is_saved_with_defaults_and_its_password_sealed_never_shown() {
    block_on(async {
        let (t, w, uc) = setup(7).await;
        let admin = member(&w, StaffRole::Admin);
        let id = uc.save(&admin, None, input(&w)).await.unwrap();
        let v = uc.get(&admin, id).await.unwrap();
        assert_eq!(
            (
                v.place.host.as_str(),
                v.place.port,
                v.place.folder.as_str(),
                v.place.poll_seconds,
                v.password_readable,
                v.status.clone()
            ),
            (
                "imap.example.com",
                993,
                "INBOX",
                DEFAULT_POLL_SECONDS,
                true,
                MailboxStatus::Unchecked
            )
        );
        // Stored sealed: the store never holds the password.
        let stored = t.ports.inbound.mailboxes().await.unwrap().remove(0);
        assert!(!stored.sealed_password.contains("s3cret"));
        assert_eq!(
            TestSecrets(7).open(&stored.sealed_password).unwrap(),
            "s3cret pass"
        );
        assert!(!format!("{v:?}{stored:?}").contains("s3cret"));
        // The poller gets it opened.
        let accounts = uc.accounts().await.unwrap();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].password, "s3cret pass");
        assert!(!format!("{accounts:?}").contains("s3cret"));
        // Editing with an empty password keeps the stored one; a new one replaces it.
        let edit = MailboxInput {
            password: String::new(),
            tls: false,
            folder: "Support".into(),
            ..input(&w)
        };
        uc.save(&admin, Some(id), edit.clone()).await.unwrap();
        let a = &uc.accounts().await.unwrap()[0];
        assert_eq!(
            (a.password.as_str(), a.place.port, a.place.folder.as_str()),
            ("s3cret pass", 143, "Support")
        );
        uc.save(
            &admin,
            Some(id),
            MailboxInput {
                password: "new one".into(),
                ..edit
            },
        )
        .await
        .unwrap();
        assert_eq!(uc.accounts().await.unwrap()[0].password, "new one");
        // Every change is in the audit log, never the password.
        let audit = t.ports.audit.recent(10).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            vec!["mailbox.update", "mailbox.update", "mailbox.create"]
        );
        assert!(audit.iter().all(|a| !a.detail.contains("s3cret")));
    });
}

#[test]
fn every_problem_is_told_at_once_and_nothing_is_written() {
    block_on(async {
        let (t, w, uc) = setup(7).await;
        let admin = member(&w, StaffRole::Admin);
        let bad = MailboxInput {
            inbox: Some(InboxId(999)),
            host: "imap example.com".into(),
            port: "70000".into(),
            user: " ".into(),
            password: String::new(),
            poll_seconds: "2".into(),
            ..input(&w)
        };
        let got = codes(uc.save(&admin, None, bad).await.unwrap_err());
        let want: Vec<(String, String)> = [
            ("inbox", "unknown_inbox"),
            ("host", "invalid_host"),
            ("port", "out_of_range"),
            ("user", "required"),
            ("poll_seconds", "out_of_range"),
            ("password", "required"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
        let got = codes(
            uc.save(
                &admin,
                None,
                MailboxInput {
                    port: "imap".into(),
                    host: "-bad-.example".into(),
                    user: "a\u{7}b".into(),
                    ..input(&w)
                },
            )
            .await
            .unwrap_err(),
        );
        assert_eq!(
            got[0],
            ("user".to_string(), "control_character".to_string())
        );
        assert!(t.ports.inbound.mailboxes().await.unwrap().is_empty());
        assert!(matches!(
            uc.save(&admin, Some(42), input(&w)).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(uc.delete(&admin, 42).await, Err(Error::NotFound)));
        // Addresses are hosts too.
        for host in ["127.0.0.1", "::1", "mail-1.example.co.uk"] {
            assert!(valid_host(host), "{host}");
        }
        for host in ["", "a..b", "under_score.example", "x.-y"] {
            assert!(!valid_host(host), "{host}");
        }
    });
}

#[test]
fn rounds_are_recorded_and_a_password_another_key_sealed_is_told_not_used() {
    block_on(async {
        let (t, w, uc) = setup(7).await;
        let admin = member(&w, StaffRole::Admin);
        let id = uc.save(&admin, None, input(&w)).await.unwrap();
        uc.checked(id, Err("login refused".into())).await.unwrap();
        let now = portal_core::ports::Clock::now(&*t.clock);
        assert_eq!(
            uc.get(&admin, id).await.unwrap().status,
            MailboxStatus::Failing(now, "login refused".into())
        );
        uc.checked(id, Ok(())).await.unwrap();
        assert_eq!(
            uc.get(&admin, id).await.unwrap().status,
            MailboxStatus::Working(now)
        );
        // A disabled mailbox is not read.
        let off = uc
            .save(
                &admin,
                None,
                MailboxInput {
                    enabled: false,
                    folder: "Archive".into(),
                    ..input(&w)
                },
            )
            .await
            .unwrap();
        assert_eq!(
            uc.accounts()
                .await
                .unwrap()
                .iter()
                .map(|a| a.id)
                .collect::<Vec<_>>(),
            vec![id]
        );
        // A server with another key cannot open the password: the mailbox is left out,
        // marked failing with the reason, and shown as needing its password again.
        let other = MailboxSettings::new(t.ports.clone(), Arc::new(TestSecrets(9)));
        assert!(other.accounts().await.unwrap().is_empty());
        let v = other.get(&admin, id).await.unwrap();
        assert!(!v.password_readable);
        assert_eq!(
            v.status,
            MailboxStatus::Failing(now, UNREADABLE_PASSWORD.into())
        );
        uc.delete(&admin, off).await.unwrap();
        assert_eq!(uc.list(&admin).await.unwrap().len(), 1);
    });
}
