//! # portal-store
//!
//! portal's storage adapter: every port of `portal-core` over one diesel code base that
//! runs on SQLite (the embedded default) and PostgreSQL (to scale past one machine).
//!
//! - The backend comes from the URL scheme ([`db::DbUrl`]); migrations per backend are
//!   embedded and applied by [`Store::connect`].
//! - Code that differs per backend is compiled from one body by the `with_conn!` macro;
//!   backend-specific SQL sits in explicit `match` arms.
//! - The visibility [`portal_core::visibility::Scope`] and the list query become one SQL
//!   statement ([`sql`]); the testkit's contract suites and a differential property test prove
//!   it agrees with the core's reference.
//! - Diesel is blocking: every port call runs as one closure on a pooled connection inside
//!   `spawn_blocking`, never on an async worker; no connection within the pool timeout is
//!   `PortError::Unavailable`.
//!
//! Error policy: diesel errors become `PortError` at the port ([`db::port_error`]).

pub mod copy;
pub mod db;
mod replica;
mod repo;
pub mod schema;
pub mod seed;
pub mod sql;

/// Helpers shared with tests and tools.
pub mod repo_support {
    pub use crate::repo::search_doc;
}

use std::sync::Arc;
use std::time::Duration;

use portal_core::ports::{Clock, PasswordHasher, Ports, RandomSource};
use portal_core::{PortError, PortResult};

pub use db::{Backend, Db, DbUrl, MigrationStatus, UrlError, migration_status};
pub use replica::{ReplicaState, on_primary};
pub use repo::OutboxStats;

/// Storage configuration.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `sqlite://PATH` or `postgres://…`.
    pub url: String,
    /// Most pooled connections.
    pub pool_size: u32,
    /// Longest wait for a connection before `Unavailable`.
    pub pool_timeout: Duration,
    /// A PostgreSQL read replica for lists, counts, searches and exports.
    pub read_url: Option<String>,
    /// How far the replica may lag before the primary answers its reads too.
    pub replica_max_lag: Duration,
    /// Connections kept open and idle (1 for a server; 0 for a command that runs and exits,
    /// so that no connection is being opened in the background when the process ends:
    /// libpq and OpenSSL torn down under a thread that is connecting crash the process).
    pub min_idle: u32,
}

impl StoreConfig {
    /// Defaults for `url`: 8 connections, 1 s wait (a database that is down answers every
    /// request within that second).
    pub fn new(url: impl Into<String>) -> StoreConfig {
        StoreConfig {
            url: url.into(),
            pool_size: 8,
            pool_timeout: Duration::from_secs(1),
            read_url: None,
            replica_max_lag: Duration::from_secs(5),
            min_idle: 1,
        }
    }
}

/// A look at the connection pool (for the metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Most connections.
    pub max: u32,
    /// Connections open.
    pub open: u32,
    /// Open connections not in use.
    pub idle: u32,
    /// Calls waiting for a connection.
    pub waiting: usize,
}

/// The store: a pool and the backend it talks to. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: db::Pool,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    /// The directory of a SQLite database file (its disk's free space is checked).
    sqlite_dir: Option<std::path::PathBuf>,
    backend: Backend,
    search_walk_rows: usize,
    replica: Option<Arc<replica::Replica>>,
}

impl Store {
    /// Opens the pool and applies pending migrations.
    pub async fn connect(config: &StoreConfig) -> PortResult<Store> {
        let url = DbUrl::parse(&config.url).map_err(|e| PortError::Backend(e.to_string()))?;
        let backend = url.backend;
        let sqlite_dir = (backend == Backend::Sqlite && url.target != ":memory:").then(|| {
            let dir = std::path::Path::new(&url.target)
                .parent()
                .unwrap_or(std::path::Path::new(""));
            if dir.as_os_str().is_empty() {
                std::path::PathBuf::from(".")
            } else {
                dir.to_path_buf()
            }
        });
        let size = config.pool_size;
        let timeout = config.pool_timeout;
        let min_idle = config.min_idle;
        let pool = tokio::task::spawn_blocking(move || db::pool(url, size, min_idle, timeout))
            .await
            .map_err(|e| PortError::Backend(e.to_string()))??;
        let replica = match &config.read_url {
            Some(u) => Some(replica::Replica::start(
                DbUrl::parse(u)
                    .map_err(|e| PortError::Backend(format!("database_read_url: {e}")))?,
                size,
                config.replica_max_lag,
            )?),
            None => None,
        };
        let store = Store {
            pool,
            waiting: Arc::default(),
            sqlite_dir,
            backend,
            search_walk_rows: repo::SEARCH_WALK_ROWS,
            replica,
        };
        store.run(db::migrate).await?;
        Ok(store)
    }

    /// The same store, with searches walking at most `rows` rows of a scope before they
    /// use the text index (tests set 1 to exercise both ways).
    pub fn with_search_walk_rows(&self, rows: usize) -> Store {
        Store {
            search_walk_rows: rows.max(1),
            ..self.clone()
        }
    }

    pub(crate) fn walk_rows(&self) -> usize {
        self.search_walk_rows
    }

    /// The pool's connections now: open, idle, and calls waiting for one.
    pub fn pool_stats(&self) -> PoolStats {
        let state = self.pool.state();
        PoolStats {
            max: self.pool.max_size(),
            open: state.connections,
            idle: state.idle_connections,
            waiting: self.waiting.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub(crate) fn sqlite_dir(&self) -> Option<std::path::PathBuf> {
        self.sqlite_dir.clone()
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` on a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> PortResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> PortResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let waiting = self.waiting.clone();
        tokio::task::spawn_blocking(move || {
            use std::sync::atomic::Ordering::Relaxed;
            waiting.fetch_add(1, Relaxed);
            let conn = pool.get();
            waiting.fetch_sub(1, Relaxed);
            let mut conn =
                conn.map_err(|e| PortError::Unavailable(format!("no database connection: {e}")))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| PortError::Backend(format!("storage task failed: {e}")))?
    }

    /// Every storage port of this store, plus the given hasher, clock and randomness.
    pub fn ports(
        &self,
        hasher: Arc<dyn PasswordHasher>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn RandomSource>,
    ) -> Ports {
        let s = Arc::new(self.clone());
        Ports {
            tickets: s.clone(),
            directory: s.clone(),
            catalog: s.clone(),
            settings: s.clone(),
            accounts: s.clone(),
            sessions: s.clone(),
            tokens: s.clone(),
            blobs: s.clone(),
            outbox: s.clone(),
            inbound: s.clone(),
            timeline: s.clone(),
            audit: s.clone(),
            access_log: s.clone(),
            replay: s.clone(),
            sso: s.clone(),
            attempts: s.clone(),
            staff: s,
            hasher,
            clock,
            random,
            languages: portal_core::settings::Languages::default(),
        }
    }
}

#[derive(diesel::QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(diesel::QueryableByName)]
struct PgPlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "QUERY PLAN")]
    plan: String,
}

impl Store {
    /// The query plan of a statement, one line per step (`EXPLAIN QUERY PLAN` on SQLite;
    /// `EXPLAIN` on PostgreSQL with sequential scans discouraged, so that a missing index
    /// shows as a `Seq Scan` even on small tables).
    pub async fn query_plan(&self, sql: sql::Sql) -> PortResult<Vec<String>> {
        self.plan(sql, false).await
    }

    /// The plan with the rows each step really read, on PostgreSQL (`EXPLAIN (ANALYZE,
    /// COSTS OFF, TIMING OFF)`, the statement run); on SQLite, which counts no rows, the
    /// same as [`Store::query_plan`].
    pub async fn analyzed_plan(&self, sql: sql::Sql) -> PortResult<Vec<String>> {
        self.plan(sql, true).await
    }

    async fn plan(&self, sql: sql::Sql, analyze: bool) -> PortResult<Vec<String>> {
        self.run(move |c| {
            use diesel::connection::SimpleConnection;
            let mut sql = sql;
            let lines = match c {
                Db::Sqlite(_) => {
                    sql.text = format!("EXPLAIN QUERY PLAN {}", sql.text);
                    repo::load_raw::<SqlitePlanRow>(c, sql)
                        .map(|r| r.into_iter().map(|x| x.detail).collect())
                }
                Db::Pg(_) => {
                    // Analyzed: the plan PostgreSQL really chooses for the data.
                    let nudge = if analyze {
                        "SET enable_seqscan = on"
                    } else {
                        "SET enable_seqscan = off"
                    };
                    c.batch_execute(nudge).map_err(db::port_error)?;
                    let how = if analyze {
                        "(ANALYZE, COSTS OFF, TIMING OFF) "
                    } else {
                        ""
                    };
                    sql.text = format!("EXPLAIN {how}{}", sql.text);
                    let plan = repo::load_raw::<PgPlanRow>(c, sql)
                        .map(|r| r.into_iter().map(|x| x.plan).collect());
                    c.batch_execute("RESET enable_seqscan")
                        .map_err(db::port_error)?;
                    plan
                }
            };
            lines.map_err(db::port_error)
        })
        .await
    }
}
