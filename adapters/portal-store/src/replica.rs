//! Reads from a PostgreSQL read replica (`database_read_url`).
//!
//! The ticket lists, their counts, searches and exports (the `TicketRepository` reads that
//! walk many rows) go to the replica while it answers and lags the primary by at most
//! `max_lag`; everything else, every write, and every read made inside [`on_primary`] go
//! to the primary. A watcher thread asks the replica for its lag once a second; a replica
//! that is down, lags too far, or fails a read is left aside (logged once, shown by
//! [`crate::Store::read_replica_note`] on `/readyz`) until it is back, and the read it
//! failed is answered by the primary: a reader never sees an error for it.
//!
//! Read-your-writes is the caller's: whoever wrote within the last `max_lag` reads inside
//! [`on_primary`] (the server keeps that mark in a cookie). A replica in use has replayed
//! everything committed more than `max_lag` ago, so such a reader never sees its write
//! missing.

use std::future::Future;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use diesel::sql_types::BigInt;
use portal_core::{PortError, PortResult};

use crate::db::{self, Db, DbUrl};

tokio::task_local! {
    static PRIMARY_READS: bool;
}

/// Runs `f` with every read of the stores it calls answered by the primary when `primary`
/// is true (the reader wrote moments ago and must see its write).
pub async fn on_primary<F: Future>(primary: bool, f: F) -> F::Output {
    PRIMARY_READS.scope(primary, f).await
}

fn wants_primary() -> bool {
    PRIMARY_READS.try_with(|p| *p).unwrap_or(false)
}

/// What the watcher last found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaState {
    /// Not asked yet.
    Unknown,
    /// Answering, this far behind the primary.
    InUse {
        /// Replay lag in milliseconds.
        lag_ms: u64,
    },
    /// Left aside, for this reason.
    Aside(String),
}

pub(crate) struct Replica {
    pool: db::Pool,
    max_lag: Duration,
    state: Mutex<ReplicaState>,
}

#[derive(diesel::QueryableByName)]
struct Lag {
    #[diesel(sql_type = BigInt)]
    ms: i64,
}

/// The replay lag: none when everything received is replayed (or this is not a standby),
/// else the age of the last replayed transaction.
const LAG_SQL: &str = "SELECT CASE \
     WHEN NOT pg_is_in_recovery() THEN 0 \
     WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 \
     ELSE COALESCE((EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 2147483647) \
     END AS ms";

impl Replica {
    /// A pool on the replica (opened lazily: a replica that is down at start is only left
    /// aside) and its watcher, which stops when the replica is dropped.
    pub(crate) fn start(url: DbUrl, size: u32, max_lag: Duration) -> PortResult<Arc<Replica>> {
        if url.backend != crate::Backend::Postgres {
            return Err(PortError::Backend(
                "database_read_url must be a PostgreSQL replica (postgres://…)".into(),
            ));
        }
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(1))
            .build_unchecked(db::Manager::new(url));
        let replica = Arc::new(Replica {
            pool,
            max_lag,
            state: Mutex::new(ReplicaState::Unknown),
        });
        let weak = Arc::downgrade(&replica);
        std::thread::Builder::new()
            .name("portal-replica-watch".into())
            .spawn(move || watch(weak))
            .map_err(|e| PortError::Backend(e.to_string()))?;
        Ok(replica)
    }

    fn check(&self) -> ReplicaState {
        let lag = self
            .pool
            .get()
            .map_err(|e| format!("no connection: {e}"))
            .and_then(|mut c| {
                let mut sql = crate::sql::Sql::new(crate::Backend::Postgres);
                sql.push(LAG_SQL);
                let rows: Vec<Lag> =
                    crate::repo::load_raw(&mut c, sql).map_err(|e| e.to_string())?;
                Ok(rows.first().map_or(0, |r| r.ms.max(0) as u64))
            });
        match lag {
            Ok(ms) if ms <= self.max_lag.as_millis() as u64 => ReplicaState::InUse { lag_ms: ms },
            Ok(ms) => ReplicaState::Aside(format!(
                "it lags {:.1} s behind the primary (more than {} s)",
                ms as f64 / 1000.0,
                self.max_lag.as_secs()
            )),
            Err(e) => ReplicaState::Aside(e),
        }
    }

    fn set(&self, next: ReplicaState) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let was_in_use = matches!(*state, ReplicaState::InUse { .. });
        match &next {
            ReplicaState::InUse { lag_ms } if !was_in_use => {
                tracing::info!(
                    lag_ms,
                    "read replica in use for lists, counts, searches and exports"
                );
            }
            ReplicaState::Aside(reason) if was_in_use || *state == ReplicaState::Unknown => {
                tracing::warn!(%reason, "read replica left aside; the primary answers every read");
            }
            _ => {}
        }
        *state = next;
    }

    /// The state now.
    pub(crate) fn state(&self) -> ReplicaState {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn usable(&self) -> bool {
        !wants_primary() && matches!(self.state(), ReplicaState::InUse { .. })
    }
}

fn watch(replica: Weak<Replica>) {
    loop {
        let Some(r) = replica.upgrade() else { return };
        let next = r.check();
        r.set(next);
        drop(r);
        std::thread::sleep(Duration::from_secs(1));
    }
}

impl crate::Store {
    /// Runs a read that the replica may answer (see the module): on the replica when it is
    /// in use and the caller is not [`on_primary`], else, or when the replica fails it, on
    /// the primary.
    pub(crate) async fn read<T, F>(&self, f: F) -> PortResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut Db) -> PortResult<T> + Send + Sync + 'static,
    {
        let Some(replica) = self.replica.clone().filter(|r| r.usable()) else {
            return self.run(f).await;
        };
        let f = Arc::new(f);
        let on_replica = {
            let (f, replica) = (f.clone(), replica.clone());
            tokio::task::spawn_blocking(move || {
                let mut c = replica
                    .pool
                    .get()
                    .map_err(|e| PortError::Unavailable(format!("no connection: {e}")))?;
                f(&mut c)
            })
            .await
            .map_err(|e| PortError::Backend(e.to_string()))
            .and_then(|r| r)
        };
        match on_replica {
            Ok(v) => Ok(v),
            Err(e) => {
                replica.set(ReplicaState::Aside(format!("a read failed: {e}")));
                self.run(move |c| f(c)).await
            }
        }
    }

    /// How reads are served, for `/readyz`: `None` without a replica.
    pub fn read_replica_note(&self) -> Option<String> {
        self.replica.as_ref().map(|r| match r.state() {
            ReplicaState::Unknown => "read replica: not checked yet; reads on the primary".into(),
            ReplicaState::InUse { lag_ms } => {
                format!("read replica: in use, {lag_ms} ms behind the primary")
            }
            ReplicaState::Aside(reason) => {
                format!("read replica: not used ({reason}); reads on the primary")
            }
        })
    }

    /// What the replica's watcher last found (`None` without a replica).
    pub fn replica_state(&self) -> Option<ReplicaState> {
        self.replica.as_ref().map(|r| r.state())
    }
}
