//! `portal copy`: a whole installation from one database to another (SQLite → PostgreSQL,
//! back, or between two PostgreSQL servers), and the comparison that verifies it.
//!
//! The tables, their columns, keys and foreign keys are read from the catalogues, so a
//! migration that adds a table or a column needs nothing here: every base table the
//! migrations made is copied (sessions only when asked), in an order where every parent
//! comes before its children. Rows are read in batches in key order as one JSON array each
//! (the same statement shape on both backends, blobs as hex) and written as multi-row
//! `INSERT`s, one transaction per batch, by two writers on PostgreSQL: a copy interrupted at
//! any point keeps whole batches, and `Start::Resume` skips the tables the target holds
//! whole and copies the others again around the rows already there. What is derived, not
//! stored, is rebuilt on the target:
//! SQLite's FTS5 index from `tickets.search_doc`, PostgreSQL's identity sequences from the
//! highest id; PostgreSQL's `tsvector` is a generated column and is never copied.
//!
//! [`compare`] reads both databases table by table and compares the row counts and an
//! order-free digest of every row (the sum of the rows' SHA-256), blobs by their bytes: equal
//! digests mean equal tables, whatever order either backend returns them in.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use r2d2::ManageConnection;
use sha2::{Digest, Sha256};

use crate::db::{Backend, Db, DbUrl, Manager};
use crate::repo::{QResult, load_raw, write};
use crate::sql::Bind;

mod catalog;
mod dump;
mod rows;

pub use dump::{ExportReport, ImportReport, RejectedRow, TableImport, export, import};

use catalog::{Kind, Name, Table, backend, catalog, quoted, text_sql};
use rows::{Cell, Count, OnConflict, insert, key_of, read_batch, rows_per_batch};

/// What is in the target before the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The target must hold no rows (a fresh database, or one only migrated).
    Empty,
    /// Continue an interrupted copy: every table goes on after the last key it holds.
    Resume,
    /// Delete everything in the target first.
    Replace,
}

/// How to copy.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// What may already be in the target.
    pub start: Start,
    /// Copy the login sessions too (by default everyone signs in again on the target).
    pub sessions: bool,
    /// Rows per batch (fewer for tables with blobs, and within the backends' bind limits).
    pub batch_rows: usize,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            start: Start::Empty,
            sessions: false,
            batch_rows: 1000,
        }
    }
}

/// A step of the copy, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A table is being copied: `done` of `total` rows so far.
    Rows {
        /// The table.
        table: String,
        /// Rows written so far.
        done: u64,
        /// Rows in the source.
        total: u64,
    },
    /// A step that is not a table (rebuilding indexes, verifying).
    Step(String),
}

/// One table as compared after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    /// The table.
    pub table: String,
    /// Rows in the source.
    pub source_rows: u64,
    /// Rows in the target.
    pub target_rows: u64,
    /// Whether the two hold the same rows (counts and digests equal).
    pub equal: bool,
}

/// What a copy did and what the comparison found.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Every copied table, compared.
    pub tables: Vec<TableCheck>,
    /// Rows written by this run.
    pub rows_written: u64,
    /// Tickets in the target.
    pub tickets: u64,
    /// Attachments whose bytes were hashed on both sides and found equal.
    pub blobs_checked: u64,
    /// Time spent copying (without the comparison).
    pub copy_time: Duration,
    /// Time spent comparing.
    pub verify_time: Duration,
}

impl CopyReport {
    /// Whether every table compared equal.
    pub fn ok(&self) -> bool {
        self.tables.iter().all(|t| t.equal)
    }
}

/// Why a copy could not run or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// A URL portal cannot use.
    #[error("{0}")]
    Url(#[from] crate::db::UrlError),
    /// Source and target are the same database.
    #[error("the source and the target are the same database")]
    Same,
    /// A database could not be opened.
    #[error("cannot open {which}: {error}")]
    Connect {
        /// `the source` or `the target`.
        which: &'static str,
        /// The driver's message.
        error: String,
    },
    /// The source is not at this binary's schema.
    #[error(
        "the source needs migrations first ({0}): run `portal migrate` with it as the database"
    )]
    SourcePending(String),
    /// The two schemas differ (different versions of portal).
    #[error("the source and target schemas differ: {0}")]
    Schema(String),
    /// The target holds rows and the options did not allow that.
    #[error(
        "the target is not empty ({0}); use --resume to continue an interrupted copy or --replace to delete what it holds"
    )]
    NotEmpty(String),
    /// A statement failed.
    #[error("{0}")]
    Database(String),
}

impl From<diesel::result::Error> for CopyError {
    fn from(e: diesel::result::Error) -> Self {
        CopyError::Database(e.to_string())
    }
}

fn count(c: &mut Db, table: &str) -> QResult<u64> {
    let rows: Vec<Count> = load_raw(
        c,
        text_sql(
            backend(c),
            &format!("SELECT count(*) AS n FROM {}", quoted(table)),
            &[],
        ),
    )?;
    Ok(rows.first().map_or(0, |r| r.n.max(0) as u64))
}

fn open(url: &DbUrl, which: &'static str) -> Result<Db, CopyError> {
    Manager::new(url.clone())
        .connect()
        .map_err(|e| CopyError::Connect {
            which,
            error: e.to_string(),
        })
}

/// Tables that hold nothing to keep: the readiness probe's heartbeat row.
const NOT_CONTENT: &[&str] = &["health"];

fn copied(t: &Table, sessions: bool) -> bool {
    sessions || t.name != "sessions"
}

/// Copies the installation at `from` into `to` (migrating `to` first), then compares the two.
pub fn copy(
    from: &str,
    to: &str,
    options: &CopyOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<CopyReport, CopyError> {
    let (from, to) = (DbUrl::parse(from)?, DbUrl::parse(to)?);
    if from == to {
        return Err(CopyError::Same);
    }
    let status = crate::db::migration_status(&from).map_err(|e| CopyError::Connect {
        which: "the source",
        error: e.to_string(),
    })?;
    if !status.exists {
        return Err(CopyError::Connect {
            which: "the source",
            error: format!("{} does not exist", from.target),
        });
    }
    if !status.pending.is_empty() {
        return Err(CopyError::SourcePending(status.pending.join(", ")));
    }
    let mut src = open(&from, "the source")?;
    let mut dst = open(&to, "the target")?;
    let writers = if to.backend == Backend::Postgres {
        2
    } else {
        1
    };
    progress(Progress::Step("migrating the target".into()));
    crate::db::migrate(&mut dst).map_err(|e| CopyError::Database(e.to_string()))?;
    let tables = same_schema(&mut src, &mut dst)?;
    // Batches need not wait for the disk one by one: a crash loses at most the last ones,
    // which `--resume` writes again and the comparison would miss.
    let mut dsts = vec![];
    for _ in 0..writers {
        let mut c = open(&to, "the target")?;
        if let Db::Pg(_) = c {
            c.batch_execute("SET synchronous_commit = off")?;
            // The rows come in foreign-key order from a consistent source and are compared at
            // the end: a superuser's copy skips the per-row key checks (others keep them).
            let _ = c.batch_execute("SET session_replication_role = replica");
        }
        dsts.push(c);
    }
    let started = Instant::now();
    prepare_target(&mut dst, &tables, options)?;
    let mut written = 0u64;
    for t in tables.iter().filter(|t| copied(t, options.sessions)) {
        written += copy_table(&mut src, &mut dsts, t, options, progress)?;
    }
    progress(Progress::Step(
        "rebuilding the search index and id sequences".into(),
    ));
    rebuild_derived(&mut dst, &tables)?;
    let copy_time = started.elapsed();
    progress(Progress::Step("comparing every table".into()));
    let started = Instant::now();
    let (checks, blobs_checked) =
        compare_open(&mut src, &mut dst, &tables, options.sessions, progress)?;
    Ok(CopyReport {
        tickets: count(&mut dst, "tickets")?,
        tables: checks,
        rows_written: written,
        blobs_checked,
        copy_time,
        verify_time: started.elapsed(),
    })
}

/// The tables of the source, when the target has exactly the same ones.
fn same_schema(src: &mut Db, dst: &mut Db) -> Result<Vec<Table>, CopyError> {
    let s = catalog(src)?;
    let d = catalog(dst)?;
    let shape = |ts: &[Table]| -> BTreeMap<String, Vec<String>> {
        ts.iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.columns.iter().map(|c| c.name.clone()).collect(),
                )
            })
            .collect()
    };
    let (ss, ds) = (shape(&s), shape(&d));
    if ss != ds {
        let diff: Vec<String> = ss
            .keys()
            .chain(ds.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| ss.get(*k) != ds.get(*k))
            .cloned()
            .collect();
        return Err(CopyError::Schema(format!("tables {}", diff.join(", "))));
    }
    // The target's kinds (its column types decide the binds).
    Ok(d)
}

fn prepare_target(dst: &mut Db, tables: &[Table], options: &CopyOptions) -> Result<(), CopyError> {
    match options.start {
        Start::Resume => Ok(()),
        Start::Replace => {
            write(dst, |c| {
                for t in tables.iter().rev() {
                    c.batch_execute(&format!("DELETE FROM {}", quoted(&t.name)))?;
                }
                if let Db::Sqlite(s) = c {
                    s.batch_execute("INSERT INTO ticket_fts (ticket_fts) VALUES ('delete-all')")?;
                }
                Ok(())
            })?;
            Ok(())
        }
        Start::Empty => {
            let mut held = Vec::new();
            for t in tables
                .iter()
                .filter(|t| !NOT_CONTENT.contains(&t.name.as_str()))
            {
                let n = count(dst, &t.name)?;
                if n > 0 {
                    held.push(format!("{}: {n} rows", t.name));
                }
            }
            if held.is_empty() {
                for t in NOT_CONTENT {
                    dst.batch_execute(&format!("DELETE FROM {}", quoted(t)))?;
                }
                Ok(())
            } else {
                Err(CopyError::NotEmpty(held.join(", ")))
            }
        }
    }
}

/// Copies one table: this thread reads batches in key order and hands them to one writer
/// per target connection (two on PostgreSQL, whose inserts then use both cores; one on
/// SQLite, which takes one writer at a time). Returns the rows written. On `--resume` a
/// table the target holds as many rows of as the source is done; any other is copied
/// again, keeping the rows already there (`ON CONFLICT DO NOTHING`): batches of parallel
/// writers commit out of order, so "after the last key" would not do.
fn copy_table(
    src: &mut Db,
    dsts: &mut [Db],
    t: &Table,
    options: &CopyOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64, CopyError> {
    let total = count(src, &t.name)?;
    let resume = options.start == Start::Resume;
    let rows_of = |done| Progress::Rows {
        table: t.name.clone(),
        done,
        total,
    };
    if resume && dsts.first_mut().map(|d| count(d, &t.name)).transpose()? == Some(total) {
        progress(rows_of(total));
        return Ok(0);
    }
    let limit = rows_per_batch(t, options.batch_rows);
    progress(rows_of(0));
    std::thread::scope(|s| {
        let mut senders = Vec::new();
        let mut writers = Vec::new();
        for dst in dsts.iter_mut() {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<Cell>>>(1);
            senders.push(tx);
            writers.push(s.spawn(move || -> Result<u64, CopyError> {
                let mut n = 0u64;
                for rows in rx {
                    n += write(dst, |c| {
                        insert(
                            c,
                            t,
                            &rows,
                            if resume {
                                OnConflict::Skip
                            } else {
                                OnConflict::Fail
                            },
                        )
                    })? as u64;
                }
                Ok(n)
            }));
        }
        let mut after = None;
        let mut handed = 0u64;
        let mut failed = None;
        for i in 0.. {
            let rows = match read_batch(src, t, after.as_deref(), limit) {
                Ok(r) => r,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            };
            let (n, last) = (rows.len(), rows.len() < limit);
            after = rows.last().and_then(|r| key_of(t, r));
            // A writer that stopped has its error, reported below.
            if n == 0 || senders[i % senders.len()].send(rows).is_err() {
                break;
            }
            handed += n as u64;
            progress(rows_of(handed));
            if last {
                break;
            }
        }
        drop(senders);
        let mut written = 0;
        for w in writers {
            match w.join() {
                Ok(Ok(n)) => written += n,
                Ok(Err(e)) => {
                    failed.get_or_insert(e);
                }
                Err(_) => {
                    failed.get_or_insert(CopyError::Database("a writer stopped".into()));
                }
            }
        }
        failed.map_or(Ok(written), Err)
    })
}

/// What the target derives from the copied rows: SQLite's search index, PostgreSQL's next ids.
fn rebuild_derived(dst: &mut Db, tables: &[Table]) -> Result<(), CopyError> {
    match dst {
        Db::Sqlite(s) => {
            s.batch_execute(
                "BEGIN IMMEDIATE; \
                 INSERT INTO ticket_fts (ticket_fts) VALUES ('delete-all'); \
                 INSERT INTO ticket_fts (rowid, doc) SELECT id, search_doc FROM tickets; \
                 COMMIT; PRAGMA optimize;",
            )?;
        }
        Db::Pg(_) => {
            for t in tables {
                for col in t
                    .columns
                    .iter()
                    .filter(|c| matches!(c.kind, Kind::Int | Kind::Int32))
                {
                    let seq: Vec<Name> = load_raw(
                        dst,
                        text_sql(
                            Backend::Postgres,
                            "SELECT COALESCE(pg_get_serial_sequence(?, ?), '') AS name",
                            &[&quoted(&t.name), &col.name],
                        ),
                    )?;
                    if let Some(seq) = seq.first().filter(|s| !s.name.is_empty()) {
                        dst.batch_execute(&format!(
                            "SELECT setval('{}', COALESCE((SELECT max({c}) FROM {t}), 0) + 1, false)",
                            seq.name.replace('\'', "''"),
                            c = quoted(&col.name),
                            t = quoted(&t.name),
                        ))?;
                    }
                }
            }
            dst.batch_execute("ANALYZE")?;
        }
    }
    Ok(())
}

/// The row count and the order-free digest of one table (and how many blobs it hashed).
fn digest_table(
    c: &mut Db,
    t: &Table,
    progress: &mut dyn FnMut(Progress),
) -> Result<(u64, [u64; 4], u64), CopyError> {
    let limit = rows_per_batch(t, 2000);
    let mut after: Option<Vec<Bind>> = None;
    let (mut n, mut sum, mut blobs) = (0u64, [0u64; 4], 0u64);
    loop {
        let rows = read_batch(c, t, after.as_deref(), limit)?;
        for row in &rows {
            let mut h = Sha256::new();
            for cell in row {
                cell.digest(&mut h);
                if matches!(cell, Cell::Bytes(Some(_))) {
                    blobs += 1;
                }
            }
            let d = h.finalize();
            for (lane, chunk) in sum.iter_mut().zip(d.chunks(8)) {
                let mut b = [0u8; 8];
                b.copy_from_slice(chunk);
                *lane = lane.wrapping_add(u64::from_le_bytes(b));
            }
        }
        n += rows.len() as u64;
        if n % 20_000 < rows.len() as u64 {
            progress(Progress::Step(format!("comparing {} ({n} rows)", t.name)));
        }
        if rows.len() < limit {
            return Ok((n, sum, blobs));
        }
        after = rows.last().and_then(|r| key_of(t, r));
    }
}

fn compare_open(
    a: &mut Db,
    b: &mut Db,
    tables: &[Table],
    sessions: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<TableCheck>, u64), CopyError> {
    let mut out = Vec::new();
    let mut blobs = 0;
    for t in tables
        .iter()
        .filter(|t| copied(t, sessions) && !NOT_CONTENT.contains(&t.name.as_str()))
    {
        let (na, da, ba) = digest_table(a, t, progress)?;
        let (nb, db, _) = digest_table(b, t, progress)?;
        let equal = na == nb && da == db;
        if equal {
            blobs += ba;
        }
        out.push(TableCheck {
            table: t.name.clone(),
            source_rows: na,
            target_rows: nb,
            equal,
        });
    }
    Ok((out, blobs))
}

/// Writes a consistent copy of the SQLite database at `url` into the new file `out` while
/// servers keep using it (`VACUUM INTO`: one read transaction, the copy is compacted).
pub fn sqlite_backup(url: &DbUrl, out: &std::path::Path) -> Result<(), CopyError> {
    let path = out
        .to_str()
        .ok_or_else(|| CopyError::Database(format!("{} is not a UTF-8 path", out.display())))?;
    let mut c = open(url, "the database")?;
    c.batch_execute(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))?;
    Ok(())
}

/// Compares every table of two installations (row counts and row digests; sessions only
/// when asked), for `portal copy --compare-only` and the tests.
pub fn compare(a: &str, b: &str, sessions: bool) -> Result<(Vec<TableCheck>, u64), CopyError> {
    let (ua, ub) = (DbUrl::parse(a)?, DbUrl::parse(b)?);
    let mut ca = open(&ua, "the source")?;
    let mut cb = open(&ub, "the target")?;
    let tables = same_schema(&mut ca, &mut cb)?;
    compare_open(&mut ca, &mut cb, &tables, sessions, &mut |_| {})
}
