//! Connections: the backend from the URL scheme, a pool, per-connection SQLite pragmas,
//! embedded migrations, and the dispatch macros that compile one body for both backends.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use portal_core::PortError;

/// One connection of either backend. Built by [`Manager`], never by `establish` guessing.
#[derive(diesel::MultiConnection)]
pub enum Db {
    /// PostgreSQL.
    Pg(PgConnection),
    /// SQLite.
    Sqlite(SqliteConnection),
}

/// Runs `$body` with `$c` bound to the concrete connection of either backend; inside, `DB`
/// names the backend type. The body is compiled once per backend.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::Db::Sqlite($c) => {
                #[allow(dead_code)]
                type DB = diesel::sqlite::Sqlite;
                $body
            }
            $crate::db::Db::Pg($c) => {
                #[allow(dead_code)]
                type DB = diesel::pg::Pg;
                $body
            }
        }
    };
}
pub(crate) use with_conn;

/// The two backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (embedded default).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbUrl {
    /// The backend the scheme names.
    pub backend: Backend,
    /// What the driver gets: a file path for SQLite, the URL for PostgreSQL.
    pub target: String,
}

/// A database URL portal cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// `sqlite://` with nothing after it.
    #[error("sqlite URL without a path")]
    NoPath,
    /// Another scheme.
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    Scheme(String),
}

impl DbUrl {
    /// Parses `sqlite://PATH`, `sqlite:PATH` (`sqlite::memory:` for memory) or
    /// `postgres://…` / `postgresql://…`.
    pub fn parse(url: &str) -> Result<DbUrl, UrlError> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err(UrlError::NoPath);
            }
            Ok(DbUrl {
                backend: Backend::Sqlite,
                target: rest.to_string(),
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl {
                backend: Backend::Postgres,
                target: url.to_string(),
            })
        } else {
            Err(UrlError::Scheme(url.to_string()))
        }
    }
}

/// The pool's connection factory.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DbUrl,
}

impl Manager {
    /// A factory for `url`.
    pub fn new(url: DbUrl) -> Manager {
        Manager { url }
    }
}

/// A blob this large (an attachment) passes through the page cache of the connection that
/// writes or reads it, and would stay there as the cache's least useful pages: after one,
/// the connection gives its cache back ([`release_cache`]).
pub(crate) const LARGE_BLOB: usize = 1 << 20;

/// Frees the unused memory of a SQLite connection's page cache (`PRAGMA shrink_memory`);
/// the next statements read their pages again from the operating system's file cache.
/// PostgreSQL keeps its buffers in its own processes: nothing to do.
pub(crate) fn release_cache(c: &mut Db) -> diesel::QueryResult<()> {
    match c {
        Db::Sqlite(s) => s.batch_execute("PRAGMA shrink_memory"),
        Db::Pg(_) => Ok(()),
    }
}

const SQLITE_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16000;";

impl r2d2::ManageConnection for Manager {
    type Connection = Db;
    type Error = ConnectionError;

    fn connect(&self) -> Result<Db, ConnectionError> {
        match self.url.backend {
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(&self.url.target)?;
                c.batch_execute(SQLITE_PRAGMAS)
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(Db::Sqlite(c))
            }
            Backend::Postgres => Ok(Db::Pg(PgConnection::establish(&self.url.target)?)),
        }
    }

    fn is_valid(&self, conn: &mut Db) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut Db) -> bool {
        false
    }
}

/// A pool of connections.
pub type Pool = r2d2::Pool<Manager>;

/// Builds a pool of at most `size` connections, keeping `min_idle` of them open (opened
/// again in the background when taken); waiting longer than `timeout` for one answers
/// `Unavailable`.
pub fn pool(url: DbUrl, size: u32, min_idle: u32, timeout: Duration) -> Result<Pool, PortError> {
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(min_idle))
        .connection_timeout(timeout)
        .build(Manager::new(url))
        .map_err(|e| PortError::Unavailable(format!("cannot open the database: {e}")))
}

/// The SQLite migrations, embedded in the binary.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The PostgreSQL migrations, embedded in the binary.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns how many ran.
pub fn migrate(conn: &mut Db) -> Result<usize, PortError> {
    let ran = match conn {
        Db::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        Db::Pg(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    ran.map_err(|e| PortError::Backend(format!("migration failed: {e}")))
}

/// Which migrations a database has and which it still needs, read without changing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Whether the database exists (a SQLite file that is not there yet does not).
    pub exists: bool,
    /// Versions applied, oldest first.
    pub applied: Vec<String>,
    /// Names of the migrations this binary would apply, in order.
    pub pending: Vec<String>,
}

/// The migration status of the database at `url`, read only: a missing SQLite file is
/// not created, and a database portal never migrated gets no bookkeeping table.
pub fn migration_status(url: &DbUrl) -> Result<MigrationStatus, PortError> {
    use diesel::migration::MigrationSource;
    let embedded: Vec<(String, String)> = match url.backend {
        crate::Backend::Sqlite => {
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS).map(|m| {
                m.iter()
                    .map(|m| (m.name().version().to_string(), m.name().to_string()))
                    .collect()
            })
        }
        crate::Backend::Postgres => {
            MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS).map(|m| {
                m.iter()
                    .map(|m| (m.name().version().to_string(), m.name().to_string()))
                    .collect()
            })
        }
    }
    .map_err(|e| PortError::Backend(format!("embedded migrations: {e}")))?;
    let file_missing = url.backend == crate::Backend::Sqlite
        && url.target != ":memory:"
        && !std::path::Path::new(&url.target).exists();
    if file_missing {
        return Ok(MigrationStatus {
            exists: false,
            applied: Vec::new(),
            pending: embedded.into_iter().map(|(_, n)| n).collect(),
        });
    }
    let applied = match url.backend {
        crate::Backend::Sqlite => applied_versions(
            &mut SqliteConnection::establish(&url.target)
                .map_err(|e| PortError::Unavailable(e.to_string()))?,
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'",
        ),
        crate::Backend::Postgres => applied_versions(
            &mut PgConnection::establish(&url.target)
                .map_err(|e| PortError::Unavailable(e.to_string()))?,
            "SELECT count(*) AS n FROM pg_tables WHERE tablename = '__diesel_schema_migrations'",
        ),
    }
    .map_err(port_error)?;
    let pending = embedded
        .into_iter()
        .filter(|(v, _)| !applied.contains(v))
        .map(|(_, n)| n)
        .collect();
    Ok(MigrationStatus {
        exists: true,
        applied,
        pending,
    })
}

#[derive(diesel::QueryableByName)]
struct AppliedVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

#[derive(diesel::QueryableByName)]
struct TableCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The versions in diesel's bookkeeping table, or none when `exists_sql` (a count of that
/// table in the catalogue) says it was never made; nothing is created.
fn applied_versions<C>(c: &mut C, exists_sql: &str) -> Result<Vec<String>, DieselError>
where
    C: Connection,
    for<'a> diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'a, C, TableCount>
        + diesel::query_dsl::LoadQuery<'a, C, AppliedVersion>,
{
    use diesel::RunQueryDsl;
    let tables: Vec<TableCount> = diesel::sql_query(exists_sql).load(c)?;
    if tables.first().is_none_or(|t| t.n <= 0) {
        return Ok(Vec::new());
    }
    let rows: Vec<AppliedVersion> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load(c)?;
    Ok(rows.into_iter().map(|v| v.version).collect())
}

/// Reverts every applied migration (tests prove each one reverts cleanly).
pub fn revert_all(conn: &mut Db) -> Result<usize, PortError> {
    let reverted = match conn {
        Db::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        Db::Pg(c) => c
            .revert_all_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    reverted.map_err(|e| PortError::Backend(format!("revert failed: {e}")))
}

/// Converts a diesel error at the port: unique violations are conflicts, a locked or
/// unreachable database is unavailable, a missing row is not found.
pub fn port_error(e: DieselError) -> PortError {
    match e {
        DieselError::NotFound => PortError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            PortError::Conflict(info.message().to_string())
        }
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            PortError::NotFound
        }
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
            PortError::Unavailable(info.message().to_string())
        }
        DieselError::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, info) => {
            PortError::Unavailable(info.message().to_string())
        }
        DieselError::DatabaseError(_, info) if cannot_write_now(info.message()) => {
            PortError::Unavailable(info.message().to_string())
        }
        other => PortError::Backend(other.to_string()),
    }
}

/// Messages of a database that cannot take writes for now (full, read-only, gone, locked)
/// rather than of a bad statement: the caller is told to try again later (503), not 500.
fn cannot_write_now(message: &str) -> bool {
    const TRANSIENT: &[&str] = &[
        // SQLite
        "locked",
        "database or disk is full",
        "readonly database",
        "disk I/O error",
        "unable to open database file",
        // PostgreSQL
        "read-only transaction",
        "No space left on device",
        "could not extend file",
        "terminating connection",
        "server closed the connection",
        "no connection to the server",
        "the database system is",
        "connection to server",
    ];
    TRANSIENT.iter().any(|t| message.contains(t))
}
