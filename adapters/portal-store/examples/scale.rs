//! Query times of the storage adapter at scale: seeds N tickets and times the list (first
//! page, a deep page, search, filter, another sort), the count, a detail lookup and the
//! export of a whole company's view.
//!
//! ```sh
//! cargo run --release -p portal-store --example scale -- sqlite 10000 100000 1000000
//! PORTAL_TEST_PG_URL=postgres://postgres@127.0.0.1/postgres \
//!   cargo run --release -p portal-store --example scale -- postgres 10000 100000 1000000
//! ```
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use portal_core::model::{Contact, TicketStatus};
use portal_core::ports::{Directory, TicketRepository};
use portal_core::query::{Direction, Sort, TicketQuery};
use portal_core::visibility::{CompanyAccess, Scope, View, VisibilitySettings};
use portal_store::seed::{SeedPlan, seed};
use portal_store::{Store, StoreConfig};

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

async fn time<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..3 {
        f().await;
    }
    let mut ds = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        ds.push(t.elapsed());
    }
    ds.sort();
    ds[ds.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let backend = args
        .first()
        .map(String::as_str)
        .unwrap_or("sqlite")
        .to_string();
    let sizes: Vec<u64> = args.iter().skip(1).filter_map(|s| s.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    println!(
        "| backend | tickets | seed s | list p1 ms | deep page ms | search ms | filter ms | sort subject ms | count ms | find ms | export rows | export ms | RSS after export MiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let (url, cleanup): (String, Box<dyn FnOnce()>) = match backend.as_str() {
            "postgres" => {
                let admin = std::env::var("PORTAL_TEST_PG_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let name = format!("portal_scale_{n}");
                let mut c = PgConnection::establish(&admin).expect("PostgreSQL");
                c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .unwrap();
                c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
                let base = admin
                    .rsplit_once('/')
                    .map_or(admin.as_str(), |(b, _)| b)
                    .to_string();
                let a = admin.clone();
                (
                    format!("{base}/{name}"),
                    Box::new(move || {
                        if let Ok(mut c) = PgConnection::establish(&a) {
                            let _ = c.batch_execute(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ));
                        }
                    }),
                )
            }
            _ => {
                let path = std::env::temp_dir().join(format!("portal_scale_{n}.db"));
                for s in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{s}", path.display()));
                }
                let p = path.clone();
                (
                    format!("sqlite://{}", path.display()),
                    Box::new(move || {
                        for s in ["", "-wal", "-shm"] {
                            let _ = std::fs::remove_file(format!("{}{s}", p.display()));
                        }
                    }),
                )
            }
        };
        let store = Store::connect(&StoreConfig::new(url)).await.expect("store");
        let t = Instant::now();
        let seeded = seed(&store, &SeedPlan::new(n), |done| {
            eprint!("\r{backend} {n}: {done} tickets written")
        })
        .await
        .expect("seed");
        let seed_s = t.elapsed().as_secs_f64();
        eprintln!();
        let viewer: Contact = store.contact(seeded.contacts[0][0]).await.unwrap().unwrap();
        let settings = VisibilitySettings {
            company_access: CompanyAccess::AllContacts,
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        };
        let org = Scope::for_viewer(&settings, &viewer, View::Organization);
        let q = TicketQuery::default();
        let runs = 30;
        let list = time(runs, || async {
            store.list(&org, &q).await.unwrap();
        })
        .await;
        // A page 200 pages (5,000 rows) deep, reached by following cursors.
        let mut deep = q.clone();
        for _ in 0..200 {
            let page = store.list(&org, &deep).await.unwrap();
            match page.next {
                Some(c) => deep.after = Some(c),
                None => break,
            }
        }
        let deep_t = time(runs, || async {
            store.list(&org, &deep).await.unwrap();
        })
        .await;
        let search = TicketQuery {
            search: Some("printer brok".into()),
            ..q.clone()
        };
        let search_t = time(runs, || async {
            store.list(&org, &search).await.unwrap();
        })
        .await;
        let filter = TicketQuery {
            status: Some(TicketStatus::Closed),
            ..q.clone()
        };
        let filter_t = time(runs, || async {
            store.list(&org, &filter).await.unwrap();
        })
        .await;
        let by_subject = TicketQuery {
            sort: Sort {
                property: "subject".into(),
                direction: Direction::Asc,
            },
            ..q.clone()
        };
        let sort_t = time(5, || async {
            store.list(&org, &by_subject).await.unwrap();
        })
        .await;
        let count_t = time(5, || async {
            store.count(&org, &q).await.unwrap();
        })
        .await;
        let some = store.list(&org, &q).await.unwrap().tickets[3].id;
        let find_t = time(runs, || async {
            store.find(&org, some).await.unwrap().unwrap();
        })
        .await;
        let t = Instant::now();
        let mut rows = 0usize;
        let mut ex = TicketQuery {
            limit: 200,
            ..q.clone()
        };
        loop {
            let page = store.list(&org, &ex).await.unwrap();
            rows += page.tickets.len();
            match page.next {
                Some(c) => ex.after = Some(c),
                None => break,
            }
        }
        let export_t = t.elapsed();
        let rss = rss_kib("VmRSS:") as f64 / 1024.0;
        println!(
            "| {backend} | {n} | {seed_s:.1} | {} | {} | {} | {} | {} | {} | {} | {rows} | {} | {rss:.0} |",
            ms(list),
            ms(deep_t),
            ms(search_t),
            ms(filter_t),
            ms(sort_t),
            ms(count_t),
            ms(find_t),
            ms(export_t)
        );
        drop(store);
        cleanup();
    }
}
