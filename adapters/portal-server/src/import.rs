//! `portal import`: companies, contacts, tickets and messages from CSV files (a header row,
//! then one record a row), in that order so contacts can name imported companies, tickets
//! imported contacts and messages imported tickets. A progress bar on standard error; at the end a summary, and every rejected row
//! with its file, line, field and reason, also written as a CSV report next to the inputs.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use portal_core::Error;
use portal_core::ports::Ports;
use portal_core::usecases::files::Upload;
use portal_core::usecases::import::{ImportKind, Imported, Importer};

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// `companies`, `contacts` or `tickets`, or an export's file.
    pub file: String,
    /// The row's line in its file (a CSV header is line 1).
    pub line: u64,
    /// The field at fault (empty when it is not one field).
    pub field: String,
    /// Why, in English.
    pub reason: String,
    /// The row as it stands in its file (a CSV row re-encoded in the header's order).
    pub row: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records created, by file.
    pub created: BTreeMap<&'static str, u64>,
    /// Records imported before under the row's external id and changed now, by file.
    pub updated: BTreeMap<&'static str, u64>,
    /// Records that were there as the row describes them (left alone), by file.
    pub existing: BTreeMap<&'static str, u64>,
    /// Every rejected row.
    pub rejected: Vec<Rejected>,
}

/// A progress bar that redraws in place on a terminal and prints every tenth otherwise.
struct Progress {
    label: &'static str,
    total: u64,
    done: u64,
    tty: bool,
    last_tenth: u64,
}

impl Progress {
    fn new(label: &'static str, total: u64) -> Progress {
        Progress {
            label,
            total,
            done: 0,
            tty: std::io::stderr().is_terminal(),
            last_tenth: 0,
        }
    }

    fn tick(&mut self) {
        self.done += 1;
        let tenth = self.done * 10 / self.total.max(1);
        let redraw = if self.tty {
            self.done == self.total || self.done.is_multiple_of(97)
        } else {
            tenth != self.last_tenth
        };
        if redraw {
            self.last_tenth = tenth;
            let width = 30;
            let filled = (self.done * width / self.total.max(1)) as usize;
            let bar = format!(
                "{:<10} [{}{}] {}/{} ({}%)",
                self.label,
                "#".repeat(filled),
                " ".repeat(width as usize - filled),
                self.done,
                self.total,
                self.done * 100 / self.total.max(1)
            );
            let mut err = std::io::stderr();
            if self.tty {
                let _ = write!(err, "\r{bar}");
                if self.done == self.total {
                    let _ = writeln!(err);
                }
            } else {
                let _ = writeln!(err, "{bar}");
            }
        }
    }
}

/// A file's header and its rows with their line numbers.
pub type Parsed = (Vec<String>, Vec<(u64, BTreeMap<String, String>)>);

fn read(path: &Path) -> Result<Parsed, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(file).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads CSV: a header (trimmed, lower-cased, a byte-order mark dropped) and every row as a
/// map from header to cell, with its line number. A row of another length is an error.
pub fn parse(input: impl std::io::Read) -> Result<Parsed, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(input);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        let row = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        rows.push((line, row));
    }
    Ok((header, rows))
}

/// The files a message row names in `attachments` (paths separated by `;`, relative to the
/// CSV file's directory), read; one that cannot be read rejects the row.
fn attachments(dir: &Path, row: &BTreeMap<String, String>) -> Result<Vec<Upload>, Error> {
    let Some(cell) = row.get("attachments") else {
        return Ok(Vec::new());
    };
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let path = dir.join(p);
            let bytes = std::fs::read(&path).map_err(|e| {
                Error::invalid(
                    "attachments",
                    "unreadable",
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
            let name = Path::new(p)
                .file_name()
                .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned());
            Ok(Upload::new(&name, bytes))
        })
        .collect()
}

fn reasons(e: &Error) -> Vec<(String, String)> {
    match e {
        Error::Invalid(list) => list
            .iter()
            .map(|f| (f.field.clone(), f.detail.clone()))
            .collect(),
        other => vec![(String::new(), other.to_string())],
    }
}

/// Imports the given files in order (companies, contacts, tickets). A file whose header is
/// wrong or that cannot be parsed stops the import before any of its rows is written.
pub async fn run(ports: Ports, files: &[(ImportKind, PathBuf)]) -> Result<Report, String> {
    let importer = Importer::new(ports);
    let mut files = files.to_vec();
    files.sort_by_key(|(k, _)| *k);
    let mut parsed = Vec::new();
    for (kind, path) in &files {
        let (header, rows) = read(path)?;
        importer
            .check_header(*kind, &header)
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        parsed.push((*kind, header, rows, dir));
    }
    let mut report = Report::default();
    for (kind, header, rows, dir) in parsed {
        let mut bar = Progress::new(kind.name(), rows.len() as u64);
        for (line, row) in rows {
            let outcome = match attachments(&dir, &row) {
                Ok(files) => importer.row(kind, &row, files).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(Imported::Created) => *report.created.entry(kind.name()).or_default() += 1,
                Ok(Imported::Updated) => *report.updated.entry(kind.name()).or_default() += 1,
                Ok(Imported::Existing) => *report.existing.entry(kind.name()).or_default() += 1,
                Err(Error::Unavailable(e)) | Err(Error::Internal(e)) => {
                    return Err(format!("{} line {line}: {e}", kind.name()));
                }
                Err(e) => {
                    let whole = as_csv(&header, &row);
                    for (field, reason) in reasons(&e) {
                        report.rejected.push(Rejected {
                            file: kind.name().to_string(),
                            line,
                            field,
                            reason,
                            row: whole.clone(),
                        });
                    }
                }
            }
            bar.tick();
        }
    }
    Ok(report)
}

/// A row's cells in the header's order, as one CSV line (without its line break).
fn as_csv(header: &[String], row: &BTreeMap<String, String>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let cells: Vec<&str> = header
        .iter()
        .map(|h| row.get(h).map_or("", String::as_str))
        .collect();
    if w.write_record(&cells).is_err() {
        return String::new();
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// Writes the rejected rows as CSV (`file,line,field,reason,row`), each with the whole row.
pub fn write_rejections(path: &Path, rejected: &[Rejected]) -> Result<(), String> {
    let mut w = csv::Writer::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    w.write_record(["file", "line", "field", "reason", "row"])
        .map_err(|e| e.to_string())?;
    for r in rejected {
        w.write_record([&r.file, &r.line.to_string(), &r.field, &r.reason, &r.row])
            .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}
