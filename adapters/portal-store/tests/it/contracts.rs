//! The testkit's port contract suites on both backends, each contract on a fresh database.

use portal_testkit::contract::CONTRACTS;

use crate::harness::{backends, fresh, ports};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_port_contract_holds_on_every_backend() {
    for backend in backends() {
        for contract in CONTRACTS {
            let db = fresh(backend).await;
            let run = tokio::spawn((contract.run)(ports(&db.store)));
            if let Err(e) = run.await {
                panic!("contract {} failed on {backend:?}: {e}", contract.name);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emailed_tokens_are_stored_only_as_hashes() {
    use diesel::prelude::*;
    use portal_core::ports::NewContact;
    use portal_core::settings::PortalSettings;
    use portal_core::usecases::accounts::{Accounts, token_hash};
    for backend in backends() {
        let db = fresh(backend).await;
        let p = ports(&db.store);
        p.settings
            .save(&PortalSettings {
                enabled: true,
                ..PortalSettings::default()
            })
            .await
            .unwrap();
        let c = p
            .directory
            .create_contact(NewContact {
                email: "h@x.test".into(),
                membership_email: None,
                first_name: "H".into(),
                last_name: String::new(),
                primary_company: None,
                language: None,
                properties: Default::default(),
            })
            .await
            .unwrap();
        p.accounts
            .create(portal_core::ports::Account {
                id: portal_core::model::AccountId(0),
                contact: c.id,
                email: "h@x.test".into(),
                password_hash: Some("x".into()),
                enabled: true,
                email_confirmed: true,
                language: None,
                time_zone: None,
                consent: None,
                created_at: portal_testkit::fixtures::T0,
            })
            .await
            .unwrap();
        Accounts::new(p.clone())
            .request_reset("h@x.test", "http://p.test/portal", "192.0.2.1")
            .await
            .unwrap();
        let now = p.clock.now();
        let mail = p
            .outbox
            .claim(now.plus_seconds(1), now.plus_seconds(60), 10)
            .await
            .unwrap();
        let token = mail[0].mail.vars["link"]
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let stored: Vec<String> = db
            .store
            .run(|c| {
                portal_store::schema::one_time_tokens::table
                    .select(portal_store::schema::one_time_tokens::token_hash)
                    .load(c)
                    .map_err(portal_store::db::port_error)
            })
            .await
            .unwrap();
        assert_eq!(stored, vec![token_hash(&token)], "{backend:?}");
        assert!(!stored.contains(&token));
    }
}
