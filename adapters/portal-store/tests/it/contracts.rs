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
