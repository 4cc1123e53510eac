//! The differential property test: random worlds (companies, contacts, tickets,
//! associations, properties), random visibility settings and random queries, written to the
//! database; the SQL answer must equal the core's reference answer exactly — every page, the
//! count, and `find` for every ticket. `PORTAL_DIFF_WORLDS` sets the worlds per backend
//! (default 200); `PORTAL_DIFF_BACKENDS` (`sqlite`, `postgres` or both, comma-separated) runs
//! only those of the configured backends. A long run prints its progress every 1,000 worlds.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::SimpleConnection;
use portal_core::model::*;
use portal_core::ports::{NewContact, NewTicket, Ports};
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::query::{TicketQuery, reference_page, searchable_text};
use portal_core::visibility::{Scope, View, VisibilitySettings};
use portal_store::Backend;
use portal_testkit::arb::{self, ArbWorld};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::harness::{TestDb, backends, connect, fresh, ports};

/// Worlds between two progress lines of a long run.
const PROGRESS_EVERY: usize = 1_000;

fn worlds() -> u32 {
    std::env::var("PORTAL_DIFF_WORLDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200)
}

/// The configured backends, less those `PORTAL_DIFF_BACKENDS` leaves out.
fn chosen_backends() -> Vec<Backend> {
    let only = std::env::var("PORTAL_DIFF_BACKENDS").unwrap_or_default();
    let wanted: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for name in &wanted {
        assert!(
            matches!(*name, "sqlite" | "postgres"),
            "PORTAL_DIFF_BACKENDS names sqlite or postgres, not {name:?}"
        );
    }
    let chosen: Vec<Backend> = backends()
        .into_iter()
        .filter(|b| {
            wanted.is_empty()
                || wanted.contains(&match b {
                    Backend::Sqlite => "sqlite",
                    Backend::Postgres => "postgres",
                })
        })
        .collect();
    assert!(
        !chosen.is_empty(),
        "PORTAL_DIFF_BACKENDS left no backend to run"
    );
    chosen
}

async fn clear(db: &TestDb) {
    db.store
        .run(|c| {
            let sql = match c {
                portal_store::Db::Sqlite(_) => {
                    "DELETE FROM ticket_props; DELETE FROM ticket_contacts; DELETE FROM ticket_companies; \
                     DELETE FROM attachments; DELETE FROM messages; DELETE FROM threads; DELETE FROM ticket_fts; \
                     DELETE FROM tickets; DELETE FROM contacts; DELETE FROM companies;"
                }
                portal_store::Db::Pg(_) => {
                    "TRUNCATE ticket_props, ticket_contacts, ticket_companies, attachments, messages, threads, \
                     tickets, contacts, companies RESTART IDENTITY CASCADE;"
                }
            };
            c.batch_execute(sql).map_err(portal_store::db::port_error)
        })
        .await
        .unwrap();
}

/// Worlds between two vacuums of PostgreSQL's `pg_class`.
const VACUUM_EVERY: usize = 250;

/// Every `TRUNCATE` gives each table and index a new file and leaves a dead `pg_class` row
/// behind. With autovacuum off, as on the project machine, a long run slowed down as they
/// piled up (207 s for the first 1,000 worlds, 582 s for the sixth; 358 s for the seventh
/// after one `VACUUM pg_class`), so the run vacuums the catalog now and then. SQLite has
/// nothing to do.
///
/// The other half of the slowdown was the connections' prepared statements: every random
/// world brings its own visibility settings, so its list statements are new texts, each kept
/// prepared by its connection (a server keeps a handful, one per shape its settings allow).
/// One connection held 17,000 plans and 870 MB after 26 minutes, and every `TRUNCATE`
/// invalidates them all. The ports are therefore given a fresh pool at the same moments.
async fn tidy_catalog(db: &TestDb) {
    db.store
        .run(|c| match c {
            portal_store::Db::Sqlite(_) => Ok(()),
            portal_store::Db::Pg(_) => c
                .batch_execute("VACUUM pg_class")
                .map_err(portal_store::db::port_error),
        })
        .await
        .unwrap();
}

/// Writes the world through the ports; returns the stored contacts and tickets with texts.
/// The world written: its contacts and tickets as stored, and the stored id of each of its
/// companies.
type Written = (
    Vec<Contact>,
    Vec<(Ticket, String)>,
    BTreeMap<CompanyId, CompanyId>,
);

async fn write(p: &Ports, w: &ArbWorld) -> Written {
    let mut companies = BTreeMap::new();
    for c in &w.companies {
        companies.insert(
            *c,
            p.directory
                .create_company(&format!("Co {c}"), None)
                .await
                .unwrap()
                .id,
        );
    }
    let mut contacts = BTreeMap::new();
    let mut stored_contacts = Vec::new();
    for c in &w.contacts {
        let stored = p
            .directory
            .create_contact(NewContact {
                email: c.email.clone(),
                membership_email: None,
                first_name: c.first_name.clone(),
                last_name: c.last_name.clone(),
                primary_company: c.primary_company.map(|x| companies[&x]),
                language: None,
                properties: c.properties.clone(),
            })
            .await
            .unwrap();
        // Further companies and their grants and limits (C2, C5).
        let stored = Contact {
            memberships: c
                .memberships
                .iter()
                .map(|m| Membership {
                    company: companies[&m.company],
                    ..m.clone()
                })
                .collect(),
            ..stored
        };
        p.directory.update_contact(&stored).await.unwrap();
        assert_eq!(
            p.directory.contact(stored.id).await.unwrap().as_ref(),
            Some(&stored),
            "memberships are stored"
        );
        contacts.insert(c.id, stored.id);
        stored_contacts.push(stored);
    }
    let mut tickets = Vec::new();
    for t in &w.tickets {
        let created = p
            .tickets
            .create(NewTicket {
                subject: t.subject.clone(),
                pipeline: t.pipeline,
                stage: t.stage,
                // Written with the other status first, then moved: the status the lists
                // read is the one a move leaves.
                status: match t.status {
                    TicketStatus::Open => TicketStatus::Closed,
                    TicketStatus::Closed => TicketStatus::Open,
                },
                inbox: t.inbox,
                requester: t.requester.map(|c| contacts[&c]),
                contacts: t.contacts.iter().map(|c| contacts[c]).collect(),
                companies: t.companies.iter().map(|c| companies[c]).collect(),
                private: t.private,
                properties: t.properties.clone(),
                owner: t.owner,
                created_at: t.created_at,
                first_message: None,
            })
            .await
            .unwrap();
        p.tickets
            .move_to_stage(created.id, t.stage, t.status, t.last_activity_at)
            .await
            .unwrap();
        let stored = p.tickets.get(created.id).await.unwrap().unwrap();
        let text = searchable_text(&stored, &p.tickets.threads(created.id).await.unwrap());
        tickets.push((stored, text));
    }
    (stored_contacts, tickets, companies)
}

async fn check(
    p: &Ports,
    contacts: &[Contact],
    tickets: &[(Ticket, String)],
    v: &VisibilitySettings,
    queries: &[TicketQuery],
    companies: &BTreeMap<CompanyId, CompanyId>,
) {
    // One company's view names the world's company: the stored one (an unknown company
    // stays as it is, and shows the viewer's own tickets).
    let queries: Vec<TicketQuery> = queries
        .iter()
        .map(|q| TicketQuery {
            view: match q.view {
                View::Company(c) => View::Company(companies.get(&c).copied().unwrap_or(c)),
                v => v,
            },
            ..q.clone()
        })
        .collect();
    for c in contacts {
        for q in &queries {
            let scope = Scope::for_viewer(v, c, q.view);
            let rows = || tickets.iter().map(|(t, x)| (t, x.as_str()));
            // Every page, following the cursors, equals the reference page for page.
            let mut query = q.clone();
            loop {
                let got = p.tickets.list(&scope, &query).await.unwrap();
                let want = reference_page(&scope, &query, rows());
                assert_eq!(got, want, "page of {query:?}\nscope {scope:?}");
                match got.next {
                    Some(cursor) => query.after = Some(cursor),
                    None => break,
                }
            }
            let count = p.tickets.count(&scope, q).await.unwrap();
            let want = tickets
                .iter()
                .filter(|(t, x)| scope.admits(t) && q.matches(t, x))
                .count() as u64;
            assert_eq!(count, want, "count of {q:?} in {scope:?}");
            // The page with its capped count (one walk for both when searching), at caps
            // below, at and above the count.
            for cap in [2, want + 1] {
                let (page, n) = p.tickets.list_counted(&scope, q, cap).await.unwrap();
                assert_eq!(
                    page,
                    reference_page(&scope, q, rows()),
                    "list_counted page of {q:?}"
                );
                assert_eq!(n, want.min(cap), "list_counted count of {q:?} cap {cap}");
                assert_eq!(
                    p.tickets.count_up_to(&scope, q, cap).await.unwrap(),
                    want.min(cap)
                );
            }
        }
        let scope = Scope::for_viewer(v, c, View::Organization);
        for (t, _) in tickets {
            let found = p.tickets.find(&scope, t.id).await.unwrap();
            assert_eq!(
                found.is_some(),
                scope.admits(t),
                "find {} in {scope:?}",
                t.id
            );
        }
    }
}

#[test]
fn sql_scope_and_query_agree_with_the_core_on_random_worlds() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for backend in chosen_backends() {
        let db = rt.block_on(fresh(backend));
        let p = ports(&db.store);
        // Searches settle by walking the scope or by the text index; a walk of one row makes
        // nearly every search take the index, so both ways meet the reference.
        let both =
            |store: &portal_store::Store| (ports(store), ports(&store.with_search_walk_rows(1)));
        let current = std::cell::RefCell::new(both(&db.store));
        rt.block_on(async {
            for (name, kind) in [("priority", ValueKind::Text), ("amount", ValueKind::Number)] {
                p.catalog
                    .define_property(ObjectKind::Ticket, PropertyDef::custom(name, name, kind))
                    .await
                    .unwrap();
            }
        });
        let ran = AtomicUsize::new(0);
        let started = std::time::Instant::now();
        let mut runner = TestRunner::new(Config {
            cases: worlds(),
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = (
            arb::world(20),
            arb::visibility(),
            prop::collection::vec(arb::query(), 4),
        );
        runner
            .run(&strategy, |(world, visibility, queries)| {
                let (p, p_index) = current.borrow().clone();
                rt.block_on(async {
                    clear(&db).await;
                    let (contacts, tickets, companies) = write(&p, &world).await;
                    check(&p, &contacts, &tickets, &visibility, &queries, &companies).await;
                    check(
                        &p_index,
                        &contacts,
                        &tickets,
                        &visibility,
                        &queries,
                        &companies,
                    )
                    .await;
                });
                let done = ran.fetch_add(1, Ordering::SeqCst) + 1;
                if done.is_multiple_of(VACUUM_EVERY) {
                    rt.block_on(tidy_catalog(&db));
                    if backend == Backend::Postgres {
                        *current.borrow_mut() = both(&rt.block_on(connect(&db.url)));
                    }
                }
                if done.is_multiple_of(PROGRESS_EVERY) {
                    eprintln!(
                        "differential: {done} worlds agreed on {backend:?} ({} s)",
                        started.elapsed().as_secs()
                    );
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        eprintln!(
            "differential: {} worlds agreed on {backend:?} in {} s",
            ran.load(Ordering::SeqCst),
            started.elapsed().as_secs()
        );
        assert!(ran.load(Ordering::SeqCst) >= worlds() as usize);
        if backend == Backend::Postgres {
            drop(db);
        }
    }
}
