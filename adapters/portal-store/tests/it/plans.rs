//! Proof of indexes: the plans of the list, search and count queries never scan the
//! tickets or messages tables (or an association table) in full, on either backend.

use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::query::{Direction, Sort, TicketQuery};
use portal_core::visibility::Scope;
use portal_store::{Backend, sql};
use portal_testkit::fixtures::seed_world;

use crate::harness::{backends, fresh, ports};

fn full_scan(backend: Backend, line: &str) -> bool {
    let tables = [
        "tickets",
        "messages",
        "threads",
        "ticket_contacts",
        "ticket_companies",
        "ticket_props",
    ];
    match backend {
        Backend::Sqlite => {
            // "SCAN t" / "SCAN tickets" is a full scan; FTS virtual-table scans use the index.
            let l = line.trim();
            l.starts_with("SCAN ")
                && !l.contains("VIRTUAL TABLE")
                && (l == "SCAN t"
                    || tables.iter().any(|t| {
                        l.starts_with(&format!("SCAN {t}")) || l == format!("SCAN {}", &t[..1])
                    }))
        }
        Backend::Postgres => tables
            .iter()
            .any(|t| line.contains(&format!("Seq Scan on {t}"))),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_search_and_count_use_indexes_on_every_backend() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = seed_world(&ports(&db.store)).await;
        let own = Scope {
            contact: w.alice.id,
            company: None,
            ticket_filter: None,
        };
        let company = Scope {
            company: w.alice.primary_company,
            ..own.clone()
        };
        let v5 = Scope {
            ticket_filter: Some(Filter::all_of(vec![
                Criterion::new("pipeline", Operator::Equals(Value::Number(w.support.id.0))),
                Criterion::new("priority", Operator::IsNoneOf(vec![Value::text("low")])),
            ])),
            ..company.clone()
        };
        let by = |p: &str, d| TicketQuery {
            sort: Sort {
                property: p.into(),
                direction: d,
            },
            ..TicketQuery::default()
        };
        let search = TicketQuery {
            search: Some("printer smo".into()),
            ..TicketQuery::default()
        };
        let closed = TicketQuery {
            status: Some(TicketStatus::Closed),
            ..TicketQuery::default()
        };
        let mut statements = Vec::new();
        for scope in [&own, &company, &v5] {
            for q in [
                TicketQuery::default(),
                by("last_activity_at", Direction::Asc),
                by("subject", Direction::Asc),
                by("created_at", Direction::Desc),
                search.clone(),
                closed.clone(),
            ] {
                statements.push((
                    format!("list {q:?} {scope:?}"),
                    sql::list_sql(backend, scope, &q, None),
                ));
                statements.push((
                    format!("count {q:?} {scope:?}"),
                    sql::count_sql(backend, scope, &q),
                ));
            }
            statements.push((
                "custom sort".into(),
                sql::list_sql(
                    backend,
                    scope,
                    &by("priority", Direction::Desc),
                    Some(ValueKind::Text),
                ),
            ));
            statements.push(("find".into(), sql::find_sql(backend, scope, w.bob_ticket)));
            statements.push((
                format!("search walk {scope:?}"),
                sql::walk_sql(backend, scope, &search, Some((1, 1)), 64),
            ));
        }
        for (what, statement) in statements {
            let plan = db.store.query_plan(statement).await.unwrap();
            assert!(!plan.is_empty());
            if let Some(bad) = plan.iter().find(|l| full_scan(backend, l)) {
                panic!(
                    "{backend:?}: full scan in {what}: {bad}\n{}",
                    plan.join("\n")
                );
            }
        }
    }
}

#[test]
fn the_full_scan_detector_recognises_full_scans() {
    assert!(full_scan(Backend::Sqlite, "SCAN t"));
    assert!(full_scan(Backend::Sqlite, "SCAN tickets"));
    assert!(!full_scan(
        Backend::Sqlite,
        "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"
    ));
    assert!(!full_scan(
        Backend::Sqlite,
        "SCAN ticket_fts VIRTUAL TABLE INDEX 0:M1"
    ));
    assert!(full_scan(
        Backend::Postgres,
        "  ->  Seq Scan on tickets t  (cost=0.00..1.01 rows=1 width=8)"
    ));
    assert!(!full_scan(
        Backend::Postgres,
        "  ->  Index Scan using tickets_pkey on tickets t"
    ));
}
