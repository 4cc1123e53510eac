//! `portal copy` and `portal backup`: moving an installation to another database and taking
//! a consistent copy of a running one (docs/deployment.md). The work is the store's
//! ([`portal_store::copy`]); this module parses nothing and decides nothing, it shows
//! progress and the result.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use portal_store::copy::{CopyOptions, CopyReport, Progress, TableCheck};
use portal_store::{Backend, DbUrl};

use crate::import::Rejected;

/// Shows the copy's progress on standard error: a bar redrawn in place on a terminal, a line
/// per finished table otherwise (logs of a scripted move).
pub struct ProgressView {
    terminal: bool,
    started: Instant,
    last_draw: Option<Instant>,
}

impl Default for ProgressView {
    fn default() -> Self {
        ProgressView {
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last_draw: None,
        }
    }
}

impl ProgressView {
    /// Shows one step.
    pub fn show(&mut self, p: Progress) {
        let mut err = std::io::stderr().lock();
        match p {
            Progress::Step(s) => {
                if self.terminal {
                    let _ = write!(err, "\r\x1b[2K{s}");
                } else if !s.starts_with("comparing ") || s == "comparing every table" {
                    let _ = writeln!(err, "{s}");
                }
            }
            Progress::Rows { table, done, total } => {
                let finished = done >= total;
                if self.terminal {
                    // Redrawn at most ten times a second.
                    if !finished
                        && self
                            .last_draw
                            .is_some_and(|t| t.elapsed().as_millis() < 100)
                    {
                        return;
                    }
                    self.last_draw = Some(Instant::now());
                    let _ = write!(err, "\r\x1b[2K{}", bar(&table, done, total));
                    if finished {
                        let _ = writeln!(err);
                    }
                } else if finished && done > 0 {
                    let _ = writeln!(
                        err,
                        "{table}: {done} rows ({:.1} s)",
                        self.started.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
}

/// `tickets   [#########.........]  52,000 / 100,000`
fn bar(table: &str, done: u64, total: u64) -> String {
    const WIDTH: u64 = 30;
    let filled = (done.min(total) * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH) as usize;
    format!(
        "{table:<18} [{}{}] {:>11} / {}",
        "#".repeat(filled),
        ".".repeat(WIDTH as usize - filled),
        grouped(done),
        grouped(total)
    )
}

/// `1234567` as `1,234,567`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Copies `from` into `to` with a progress display and prints the comparison; an error when
/// anything compared unequal.
pub fn copy(from: &str, to: &str, options: &CopyOptions) -> Result<CopyReport, String> {
    let mut view = ProgressView::default();
    let report = portal_store::copy::copy(from, to, options, &mut |p| view.show(p))
        .map_err(|e| e.to_string())?;
    eprintln!();
    print_checks(&report.tables);
    let secs = report.copy_time.as_secs_f64().max(0.001);
    println!(
        "copied {} rows ({} tickets, {} tickets/s) in {:.1} s; compared every table in {:.1} s; {} attachment files hashed",
        grouped(report.rows_written),
        grouped(report.tickets),
        grouped((report.tickets as f64 / secs) as u64),
        secs,
        report.verify_time.as_secs_f64(),
        grouped(report.blobs_checked)
    );
    if report.ok() {
        Ok(report)
    } else {
        Err("the target differs from the source (tables marked DIFFERENT above)".into())
    }
}

fn print_checks(tables: &[TableCheck]) {
    println!("{:<20} {:>12} {:>12}  result", "table", "source", "target");
    for t in tables {
        println!(
            "{:<20} {:>12} {:>12}  {}",
            t.table,
            grouped(t.source_rows),
            grouped(t.target_rows),
            if t.equal { "equal" } else { "DIFFERENT" }
        );
    }
}

/// `portal copy --compare-only`: compares two installations table by table and prints the
/// result; an error when anything differs.
pub fn compare(a: &str, b: &str, sessions: bool) -> Result<(), String> {
    let (tables, blobs) = portal_store::copy::compare(a, b, sessions).map_err(|e| e.to_string())?;
    print_checks(&tables);
    println!("{} attachment files hashed", grouped(blobs));
    if tables.iter().all(|t| t.equal) {
        Ok(())
    } else {
        Err("the two databases differ (tables marked DIFFERENT above)".into())
    }
}

/// `portal export --out DIR`: the installation as files, with a line of what was written.
pub fn export(database_url: &str, out: &Path, sessions: bool) -> Result<String, String> {
    let mut view = ProgressView::default();
    let started = Instant::now();
    let report = portal_store::copy::export(database_url, out, sessions, &mut |p| view.show(p))
        .map_err(|e| e.to_string())?;
    let rows: u64 = report.tables.iter().map(|(_, n)| n).sum();
    Ok(format!(
        "exported {} rows of {} tables and {} files ({} bytes) to {} in {:.1} s",
        grouped(rows),
        report.tables.len(),
        grouped(report.files),
        grouped(report.file_bytes),
        out.display(),
        started.elapsed().as_secs_f64()
    ))
}

/// `portal import --from DIR`: imports an export, prints what each table took, and returns
/// the rejected rows (also printed).
pub fn import_export(database_url: &str, dir: &Path) -> Result<Vec<Rejected>, String> {
    let mut view = ProgressView::default();
    let report = portal_store::copy::import(database_url, dir, &mut |p| view.show(p))
        .map_err(|e| e.to_string())?;
    eprintln!();
    println!(
        "{:<20} {:>12} {:>12} {:>10}",
        "table", "written", "unchanged", "rejected"
    );
    for t in &report.tables {
        println!(
            "{:<20} {:>12} {:>12} {:>10}",
            t.table,
            grouped(t.written),
            grouped(t.unchanged),
            grouped(t.rejected)
        );
    }
    for r in &report.rejected {
        println!("  {} line {}: {}", r.file, r.line, r.reason);
    }
    Ok(report
        .rejected
        .into_iter()
        .map(|r| Rejected {
            file: r.file,
            line: r.line,
            field: String::new(),
            reason: r.reason,
            row: r.row,
        })
        .collect())
}

/// Writes a consistent copy of the running database to `out`: SQLite's `VACUUM INTO` (the
/// file is itself a database, opened as `sqlite://OUT`), PostgreSQL's `pg_dump` in its custom
/// format (restored with `pg_restore`). Never overwrites a file.
pub fn backup(database_url: &str, out: &Path) -> Result<String, String> {
    if out.exists() {
        return Err(format!(
            "{} exists; backups never overwrite a file",
            out.display()
        ));
    }
    let url = DbUrl::parse(database_url).map_err(|e| e.to_string())?;
    let started = Instant::now();
    match url.backend {
        Backend::Sqlite => {
            portal_store::copy::sqlite_backup(&url, out).map_err(|e| e.to_string())?
        }
        Backend::Postgres => {
            let status = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(out)
                .arg(&url.target)
                .status()
                .map_err(|e| format!("cannot run pg_dump (Debian: postgresql-client): {e}"))?;
            if !status.success() {
                let _ = std::fs::remove_file(out);
                return Err(format!("pg_dump failed ({status})"));
            }
        }
    }
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "backup written to {} ({} bytes, {:.1} s)",
        out.display(),
        grouped(size),
        started.elapsed().as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_bars_fill_in_proportion() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
        assert!(bar("tickets", 50, 100).contains(&format!(
            "[{}{}]",
            "#".repeat(15),
            ".".repeat(15)
        )));
        assert!(bar("empty", 0, 0).contains(&"#".repeat(30)));
    }
}
