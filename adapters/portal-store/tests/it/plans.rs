//! Proof of indexes: the plans of the list, search and count queries never scan the
//! tickets or messages tables (or an association table) in full, on either backend.

use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::query::{Direction, Sort, TicketQuery};
use portal_core::visibility::Scope;
use portal_store::seed::{SeedPlan, seed};
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
            companies: vec![],
            ticket_filter: None,
            shared_only: false,
        };
        // C1 "Shared with me": the contact's branch, requested by others.
        let shared = Scope {
            shared_only: true,
            ..own.clone()
        };
        let company = Scope {
            companies: w.alice.primary_company.into_iter().collect(),
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
        for scope in [&own, &company, &v5, &shared] {
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
                format!("requester menu {scope:?}"),
                sql::requesters_within_sql(backend, scope, &[w.alice.id, w.bob.id]),
            ));
            for branch in sql::disjoint_branches(scope) {
                statements.push((
                    format!("search count {branch:?} {scope:?}"),
                    sql::search_count_sql(backend, scope, &search, &branch, 100, 8192),
                ));
                statements.push((
                    format!("search count's branch size {branch:?} {scope:?}"),
                    sql::branch_size_sql(backend, scope, &search, &branch, 8192),
                ));
            }
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

/// The rows a PostgreSQL plan step read (`actual rows=N`; `loops` ignored: the steps
/// checked run once).
fn actual_rows(line: &str) -> Option<u64> {
    let rest = &line[line.find("actual rows=")? + "actual rows=".len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_lists_their_counts_and_the_creation_sort_walk_the_scope_keys() {
    for backend in backends() {
        let db = fresh(backend).await;
        // A company of 6,000 tickets, the viewer requesting a fifth, 30 % open.
        let seeded = seed(&db.store, &SeedPlan::company(6_000), |_| {})
            .await
            .unwrap();
        let company = Scope {
            contact: seeded.contacts[0][0],
            companies: vec![seeded.companies[0]],
            ticket_filter: None,
            shared_only: false,
        };
        let open = TicketQuery {
            status: Some(TicketStatus::Open),
            ..TicketQuery::default()
        };
        let created = TicketQuery {
            sort: Sort {
                property: "created_at".into(),
                direction: Direction::Asc,
            },
            ..TicketQuery::default()
        };
        // The column filter of the bench: open and a custom property, one ticket in three.
        let open_high = TicketQuery {
            filters: vec![Criterion::new(
                "priority",
                Operator::Equals(Value::text("high")),
            )],
            ..open.clone()
        };
        let cap = 1000;
        let statements = [
            (
                "open list",
                sql::list_sql(backend, &company, &open, None),
                "_status",
            ),
            (
                "open high list",
                sql::list_sql(backend, &company, &open_high, None),
                "_status",
            ),
            (
                "open count",
                sql::count_capped_sql(backend, &company, &open, cap),
                "_status",
            ),
            (
                "open probe",
                sql::company_reaches_cap_sql(backend, &company, &open, cap).unwrap(),
                "_status",
            ),
            (
                "creation sort",
                sql::list_sql(backend, &company, &created, None),
                "_created",
            ),
        ];
        for (what, statement, index) in statements {
            let plan = db.store.analyzed_plan(statement).await.unwrap();
            let text = plan.join("\n");
            // Each association is walked on its own index of the scope's keys.
            for table in ["ticket_contacts", "ticket_companies"] {
                if what == "open probe" && table == "ticket_contacts" {
                    continue;
                }
                assert!(
                    text.contains(&format!("{table}{index}")),
                    "{backend:?} {what}: {table}{index} not used\n{text}"
                );
            }
            let ticket_reads: Vec<&String> = plan
                .iter()
                .filter(|l| match backend {
                    Backend::Sqlite => l.contains("SEARCH t ") || l.contains("SCAN t"),
                    Backend::Postgres => l.contains(" on tickets t"),
                })
                .collect();
            if what.starts_with("open c") || what == "open probe" {
                // Counting reads no ticket row.
                assert!(ticket_reads.is_empty(), "{backend:?} {what}\n{text}");
            } else {
                // A list reads the tickets it shows, by key.
                assert!(
                    ticket_reads.iter().all(|l| match backend {
                        Backend::Sqlite => l.contains("INTEGER PRIMARY KEY"),
                        Backend::Postgres => l.contains("Index Scan using tickets_pkey"),
                    }),
                    "{backend:?} {what}\n{text}"
                );
            }
            if backend == Backend::Sqlite && (what.ends_with("list") || what == "creation sort") {
                // The associations' walks are merged lazily in index order: no walk is run to
                // its end and sorted again; the one sort left orders the page's tickets.
                assert!(text.contains("MERGE (UNION)"), "{what}\n{text}");
                let sorts = plan
                    .iter()
                    .filter(|l| l.contains("USE TEMP B-TREE"))
                    .count();
                assert!(sorts <= 1, "{what}: {sorts} sorts\n{text}");
            }
            if backend == Backend::Postgres && (what.ends_with("list") || what == "creation sort") {
                // A page's worth of keys from each index, not the scope (2,000 and 6,000).
                let walks: Vec<&String> = plan
                    .iter()
                    .filter(|l| l.contains("Index Only Scan"))
                    .collect();
                assert_eq!(walks.len(), 2, "{what}\n{text}");
                // A filter that one ticket in three meets walks about three pages' worth.
                let bound = if what == "open high list" { 4 * 26 } else { 26 };
                for l in walks {
                    let rows = actual_rows(l).unwrap_or(0);
                    assert!(rows <= bound, "{backend:?} {what}: {l}\n{text}");
                }
            }
        }
    }
}
