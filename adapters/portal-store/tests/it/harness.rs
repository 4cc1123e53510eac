//! Fresh databases for tests: a temporary SQLite file, or a PostgreSQL database created for
//! the test and dropped afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use portal_core::ports::Ports;
use portal_store::{Backend, Store, StoreConfig};
use portal_testkit::fixtures::T0;
use portal_testkit::memory::{CountingRandom, PlainHasher, TestClock};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The backends this run covers: SQLite always, PostgreSQL when `PORTAL_TEST_PG_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    match std::env::var("PORTAL_TEST_PG_URL") {
        Ok(_) => out.push(Backend::Postgres),
        Err(_) => eprintln!(
            "PORTAL_TEST_PG_URL is not set: PostgreSQL tests are NOT running (scripts/test sets it)"
        ),
    }
    out
}

/// A database that is removed when dropped.
pub struct TestDb {
    pub store: Store,
    /// Where it is (for a second pool to the same database).
    pub url: String,
    _cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Pg { admin: String, name: String },
}

/// Removes the database when dropped (also when its test panics): a test run leaves the
/// server as it found it.
impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Pg { admin, name } => {
                if let Ok(mut c) = PgConnection::establish(admin) {
                    let _ =
                        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    )
}

/// The database URL for a fresh database (created, not yet migrated).
pub fn fresh_url(backend: Backend) -> (String, Cleanup2) {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{}.db", unique("portal_test")));
            (
                format!("sqlite://{}", path.display()),
                Cleanup2(Cleanup::File(path)),
            )
        }
        Backend::Postgres => {
            let admin = std::env::var("PORTAL_TEST_PG_URL").expect("PORTAL_TEST_PG_URL");
            let name = unique("portal_test");
            let mut c = PgConnection::establish(&admin).unwrap_or_else(|e| {
                panic!("PORTAL_TEST_PG_URL is set but PostgreSQL is unreachable: {e}")
            });
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create test database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            (
                format!("{base}/{name}"),
                Cleanup2(Cleanup::Pg { admin, name }),
            )
        }
    }
}

/// Owner of a database made by [`fresh_url`].
pub struct Cleanup2(Cleanup);

/// A store of four connections on the database at `url`, migrated.
pub async fn connect(url: &str) -> Store {
    let mut config = StoreConfig::new(url);
    config.pool_size = 4;
    Store::connect(&config).await.expect("connect and migrate")
}

/// A fresh, migrated store.
pub async fn fresh(backend: Backend) -> TestDb {
    let (url, Cleanup2(cleanup)) = fresh_url(backend);
    let store = connect(&url).await;
    TestDb {
        store,
        url,
        _cleanup: cleanup,
    }
}

/// The store's ports with a test clock, hasher and randomness.
pub fn ports(store: &Store) -> Ports {
    store.ports(
        Arc::new(PlainHasher::default()),
        Arc::new(TestClock::at(T0)),
        Arc::new(CountingRandom::default()),
    )
}
