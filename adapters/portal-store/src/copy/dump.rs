//! `portal export --out DIR` and `portal import --from DIR`: the whole installation as files
//! in portal's export format, version 1 (docs/export.md).
//!
//! - `manifest.json`: the format name and version, the migrations of the exporting
//!   database, and for every table its file, row count, key and columns with their kinds.
//!   It is written last: a directory without it is an export that did not finish.
//! - `tables/{table}.jsonl`: one JSON object per row, keyed by column name. Numbers,
//!   text, booleans and nulls as JSON; a bytes column (attachment contents) as
//!   `{"file": "files/{sha256}", "sha256": …, "size": …}`.
//! - `files/{sha256}`: each distinct content once, named by its SHA-256.
//!
//! The export reads one snapshot (a single read transaction). The import upserts every row
//! by its table's key (the record's id is its external id): a new row is inserted, a
//! changed one updated, an equal one left alone, so a second import of the same files
//! changes nothing. A row that cannot be written (a broken reference, a missing or altered
//! file, a field the target does not know) is rejected with its reason and its full line;
//! the others land.

use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::catalog::{Kind, Table, catalog};
use super::rows::{Cell, OnConflict, insert, key_of, read_batch, rows_per_batch};
use super::{CopyError, NOT_CONTENT, Progress, copied, open, rebuild_derived};
use crate::db::{Backend, Db, DbUrl};
use crate::repo::write;

/// The format's name in the manifest.
pub const FORMAT: &str = "portal-export";
/// The version this binary writes and reads.
pub const VERSION: u64 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u64,
    /// Milliseconds since the epoch.
    exported_at: i64,
    /// The exporting database's migrations (diesel versions).
    migrations: Vec<String>,
    tables: BTreeMap<String, TableEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableEntry {
    file: String,
    rows: u64,
    key: Vec<String>,
    columns: BTreeMap<String, String>,
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Int | Kind::Int32 => "integer",
        Kind::Text => "text",
        Kind::Bool => "boolean",
        Kind::Bytes => "file",
    }
}

fn io(path: &Path, e: impl std::fmt::Display) -> CopyError {
    CopyError::Database(format!("{}: {e}", path.display()))
}

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    /// Rows per table.
    pub tables: Vec<(String, u64)>,
    /// Distinct files written.
    pub files: u64,
    /// Their bytes.
    pub file_bytes: u64,
}

/// Writes the installation at `url` into the new or empty directory `out`.
pub fn export(
    url: &str,
    out: &Path,
    sessions: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<ExportReport, CopyError> {
    if out.exists()
        && std::fs::read_dir(out)
            .map_err(|e| io(out, e))?
            .next()
            .is_some()
    {
        return Err(CopyError::NotEmpty(format!(
            "{} holds files; an export goes into a new or empty directory",
            out.display()
        )));
    }
    let url = DbUrl::parse(url)?;
    let status = crate::db::migration_status(&url).map_err(|e| CopyError::Connect {
        which: "the database",
        error: e.to_string(),
    })?;
    if !status.pending.is_empty() {
        return Err(CopyError::SourcePending(status.pending.join(", ")));
    }
    let mut c = open(&url, "the database")?;
    for dir in ["tables", "files"] {
        std::fs::create_dir_all(out.join(dir)).map_err(|e| io(out, e))?;
    }
    // One snapshot for every table.
    c.batch_execute(match url.backend {
        Backend::Sqlite => "BEGIN",
        Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    })?;
    let tables = catalog(&mut c)?;
    let mut report = ExportReport::default();
    let mut manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64),
        migrations: status.applied,
        tables: BTreeMap::new(),
    };
    for t in tables
        .iter()
        .filter(|t| copied(t, sessions) && !NOT_CONTENT.contains(&t.name.as_str()))
    {
        let file = format!("tables/{}.jsonl", t.name);
        let rows = export_table(&mut c, t, out, &out.join(&file), &mut report, progress)?;
        report.tables.push((t.name.clone(), rows));
        manifest.tables.insert(
            t.name.clone(),
            TableEntry {
                file,
                rows,
                key: t.key.iter().map(|i| t.columns[*i].name.clone()).collect(),
                columns: t
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), kind_name(c.kind).to_string()))
                    .collect(),
            },
        );
    }
    c.batch_execute("COMMIT")?;
    let path = out.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| io(&path, e))?;
    std::fs::write(&path, text + "\n").map_err(|e| io(&path, e))?;
    Ok(report)
}

fn export_table(
    c: &mut Db,
    t: &Table,
    out: &Path,
    path: &Path,
    report: &mut ExportReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64, CopyError> {
    let mut w = BufWriter::new(std::fs::File::create(path).map_err(|e| io(path, e))?);
    let limit = rows_per_batch(t, 2000);
    let mut after = None;
    let mut n = 0u64;
    loop {
        let rows = read_batch(c, t, after.as_deref(), limit)?;
        for row in &rows {
            let mut obj = serde_json::Map::new();
            for (col, cell) in t.columns.iter().zip(row) {
                obj.insert(col.name.clone(), to_json(cell, out, report)?);
            }
            serde_json::to_writer(&mut w, &obj).map_err(|e| io(path, e))?;
            w.write_all(b"\n").map_err(|e| io(path, e))?;
        }
        n += rows.len() as u64;
        progress(Progress::Rows {
            table: t.name.clone(),
            done: n,
            total: n + u64::from(rows.len() == limit),
        });
        if rows.len() < limit {
            break;
        }
        after = rows.last().and_then(|r| key_of(t, r));
    }
    w.flush().map_err(|e| io(path, e))?;
    Ok(n)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn to_json(
    cell: &Cell,
    out: &Path,
    report: &mut ExportReport,
) -> Result<serde_json::Value, CopyError> {
    use serde_json::Value as J;
    Ok(match cell {
        Cell::Int(v) => v.map_or(J::Null, J::from),
        Cell::Int32(v) => v.map_or(J::Null, J::from),
        Cell::Text(v) => v.clone().map_or(J::Null, J::from),
        Cell::Bool(v) => v.map_or(J::Null, J::from),
        Cell::Bytes(None) => J::Null,
        Cell::Bytes(Some(bytes)) => {
            let sha = sha256_hex(bytes);
            let file = format!("files/{sha}");
            let path = out.join(&file);
            if !path.exists() {
                std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
                report.files += 1;
                report.file_bytes += bytes.len() as u64;
            }
            serde_json::json!({ "file": file, "sha256": sha, "size": bytes.len() })
        }
    })
}

/// One row the import could not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// The file, e.g. `tables/tickets.jsonl`.
    pub file: String,
    /// Its line (the first is 1).
    pub line: u64,
    /// Why.
    pub reason: String,
    /// The line as it stands in the file.
    pub row: String,
}

/// What an import did, per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableImport {
    /// The table.
    pub table: String,
    /// Rows inserted or changed.
    pub written: u64,
    /// Rows the target held already as they are.
    pub unchanged: u64,
    /// Rows rejected.
    pub rejected: u64,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Every table of the export, in the order written.
    pub tables: Vec<TableImport>,
    /// Every rejected row.
    pub rejected: Vec<RejectedRow>,
}

/// Imports the export in `dir` into the database at `url` (migrated first).
pub fn import(
    url: &str,
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport, CopyError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        io(
            &path,
            format!("{e} (an export without its manifest did not finish)"),
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| io(&path, e))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(CopyError::Schema(format!(
            "{} is {} version {}; this portal reads {FORMAT} version {VERSION}",
            path.display(),
            manifest.format,
            manifest.version
        )));
    }
    let url = DbUrl::parse(url)?;
    let mut c = open(&url, "the database")?;
    progress(Progress::Step("migrating the database".into()));
    crate::db::migrate(&mut c).map_err(|e| CopyError::Database(e.to_string()))?;
    let known = crate::db::migration_status(&url)
        .map_err(|e| CopyError::Database(e.to_string()))?
        .applied;
    let newer: Vec<&String> = manifest
        .migrations
        .iter()
        .filter(|m| !known.contains(m))
        .collect();
    let tables = catalog(&mut c)?;
    let unknown: Vec<&String> = manifest
        .tables
        .keys()
        .filter(|k| !tables.iter().any(|t| &t.name == *k))
        .collect();
    if !newer.is_empty() || !unknown.is_empty() {
        return Err(CopyError::Schema(format!(
            "the export comes from a newer portal (migrations {newer:?}, tables {unknown:?}): import it with that version"
        )));
    }
    let mut report = ImportReport::default();
    for t in &tables {
        let Some(entry) = manifest.tables.get(&t.name) else {
            continue;
        };
        let done = import_table(&mut c, t, dir, entry, &mut report.rejected, progress)?;
        report.tables.push(done);
    }
    progress(Progress::Step(
        "rebuilding the search index and id sequences".into(),
    ));
    rebuild_derived(&mut c, &tables)?;
    Ok(report)
}

/// The row of `line` as the target's cells, or why not.
fn parse_row(t: &Table, dir: &Path, line: &str) -> Result<Vec<Cell>, String> {
    let obj: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    if let Some(extra) = obj
        .keys()
        .find(|k| !t.columns.iter().any(|c| &c.name == *k))
    {
        return Err(format!("{extra}: not a field of {}", t.name));
    }
    t.columns
        .iter()
        .map(|col| {
            let v = obj
                .get(&col.name)
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            if col.kind == Kind::Bytes && !v.is_null() {
                return file_cell(dir, &v).map_err(|e| format!("{}: {e}", col.name));
            }
            Cell::from_json(col.kind, v).map_err(|e| format!("{}: {e}", col.name))
        })
        .collect()
}

/// A bytes value: the file it names, checked against its SHA-256.
fn file_cell(dir: &Path, v: &serde_json::Value) -> Result<Cell, String> {
    let (Some(file), Some(sha)) = (
        v.get("file").and_then(|f| f.as_str()),
        v.get("sha256").and_then(|s| s.as_str()),
    ) else {
        return Err("expected {\"file\": …, \"sha256\": …}".into());
    };
    let rel = PathBuf::from(file);
    if rel.is_absolute() || rel.components().any(|c| c.as_os_str() == "..") {
        return Err(format!("{file}: a file outside the export"));
    }
    let bytes = std::fs::read(dir.join(&rel)).map_err(|e| format!("{file}: {e}"))?;
    if sha256_hex(&bytes) != sha.to_ascii_lowercase() {
        return Err(format!("{file}: its content does not match its SHA-256"));
    }
    Ok(Cell::Bytes(Some(bytes)))
}

fn import_table(
    c: &mut Db,
    t: &Table,
    dir: &Path,
    entry: &TableEntry,
    rejected: &mut Vec<RejectedRow>,
    progress: &mut dyn FnMut(Progress),
) -> Result<TableImport, CopyError> {
    let path = dir.join(&entry.file);
    let file = std::fs::File::open(&path).map_err(|e| io(&path, e))?;
    let limit = rows_per_batch(t, 500);
    let mut done = TableImport {
        table: t.name.clone(),
        written: 0,
        unchanged: 0,
        rejected: 0,
    };
    // The rows of a batch, and beside them their lines (for the report).
    let mut batch: Vec<Vec<Cell>> = Vec::new();
    let mut sources: Vec<(u64, String)> = Vec::new();
    let mut seen = 0u64;
    let mut reject = |done: &mut TableImport, line: u64, reason: String, row: String| {
        done.rejected += 1;
        rejected.push(RejectedRow {
            file: entry.file.clone(),
            line,
            reason,
            row,
        });
    };
    let mut lines = std::io::BufReader::new(file).lines();
    let mut number = 0u64;
    let mut ended = false;
    while !ended {
        match lines.next().transpose().map_err(|e| io(&path, e))? {
            Some(line) => {
                number += 1;
                if line.trim().is_empty() {
                    continue;
                }
                seen += 1;
                match parse_row(t, dir, &line) {
                    Ok(cells) => {
                        batch.push(cells);
                        sources.push((number, line));
                    }
                    Err(reason) => reject(&mut done, number, reason, line),
                }
                if batch.len() < limit {
                    continue;
                }
            }
            None => ended = true,
        }
        if batch.is_empty() {
            continue;
        }
        match write(c, |c| insert(c, t, &batch, OnConflict::Update)) {
            Ok(n) => {
                done.written += n as u64;
                done.unchanged += (batch.len() - n) as u64;
            }
            // Row by row, to find the ones at fault.
            Err(_) => {
                for (row, (line_no, line)) in batch.drain(..).zip(sources.drain(..)) {
                    match write(c, |c| {
                        insert(c, t, std::slice::from_ref(&row), OnConflict::Update)
                    }) {
                        Ok(n) => {
                            done.written += n as u64;
                            done.unchanged += 1 - (n as u64).min(1);
                        }
                        Err(e) => reject(&mut done, line_no, e.to_string(), line),
                    }
                }
            }
        }
        batch.clear();
        sources.clear();
        progress(Progress::Rows {
            table: t.name.clone(),
            done: seen,
            total: entry.rows.max(seen),
        });
    }
    Ok(done)
}
