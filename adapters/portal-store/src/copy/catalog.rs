//! The catalogue of a database as the copy sees it: its base tables, their columns with the
//! kind of value each holds, their keys, and an order where parents come first.

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_types::{BigInt, Bool, Text};

use super::CopyError;
use crate::db::{Backend, Db};
use crate::repo::{QResult, load_raw};
use crate::sql::{Bind, Sql};

/// The kinds of column portal's schema uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Int,
    Int32,
    Text,
    Bool,
    Bytes,
}

#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) name: String,
    pub(super) kind: Kind,
}

#[derive(Debug, Clone)]
pub(super) struct Table {
    pub(super) name: String,
    pub(super) columns: Vec<Column>,
    /// Indexes into `columns` of the primary key, in key order.
    pub(super) key: Vec<usize>,
}

impl Table {
    pub(super) fn has_bytes(&self) -> bool {
        self.columns.iter().any(|c| c.kind == Kind::Bytes)
    }
}

#[derive(diesel::QueryableByName)]
pub(super) struct Name {
    #[diesel(sql_type = Text)]
    pub(super) name: String,
}

#[derive(diesel::QueryableByName)]
pub(super) struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    key: i64,
    #[diesel(sql_type = Bool)]
    generated: bool,
}

pub(super) fn backend(c: &Db) -> Backend {
    match c {
        Db::Sqlite(_) => Backend::Sqlite,
        Db::Pg(_) => Backend::Postgres,
    }
}

pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(super) fn names(c: &mut Db, sql: Sql) -> QResult<Vec<String>> {
    Ok(load_raw::<Name>(c, sql)?
        .into_iter()
        .map(|n| n.name)
        .collect())
}

pub(super) fn text_sql(b: Backend, text: &str, binds: &[&str]) -> Sql {
    let mut sql = Sql::new(b);
    let mut parts = text.split('?');
    if let Some(first) = parts.next() {
        sql.push(first);
    }
    for (part, v) in parts.zip(binds) {
        sql.bind(Bind::Text((*v).to_string()));
        sql.push(part);
    }
    sql
}

/// The base tables of a database with their columns and keys, parents before children.
pub(super) fn catalog(c: &mut Db) -> Result<Vec<Table>, CopyError> {
    let b = backend(c);
    let tables = match b {
        Backend::Sqlite => {
            let virtuals = names(
                c,
                text_sql(
                    b,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
                    &[],
                ),
            )?;
            names(
                c,
                text_sql(b, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%' ORDER BY name", &[]),
            )?
            .into_iter()
            // An FTS5 table and its shadow tables are derived from `tickets`.
            .filter(|n| !virtuals.iter().any(|v| n == v || n.starts_with(&format!("{v}_"))))
            .collect::<Vec<_>>()
        }
        Backend::Postgres => names(
            c,
            text_sql(
                b,
                "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_\\_diesel%' ORDER BY table_name",
                &[],
            ),
        )?,
    };
    let mut out = BTreeMap::new();
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &tables {
        let cols: Vec<ColumnRow> = match b {
            Backend::Sqlite => load_raw(
                c,
                text_sql(
                    b,
                    "SELECT name, type AS kind, pk AS key, 0 <> 0 AS generated FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid",
                    &[t],
                ),
            )?,
            Backend::Postgres => load_raw(
                c,
                text_sql(
                    b,
                    "SELECT c.column_name::text AS name, c.data_type::text AS kind, \
                   COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k \
                     JOIN information_schema.table_constraints tc ON tc.constraint_name = k.constraint_name \
                      AND tc.table_schema = k.table_schema AND tc.constraint_type = 'PRIMARY KEY' \
                     WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name \
                      AND k.column_name = c.column_name), 0)::bigint AS key, \
                   c.is_generated = 'ALWAYS' AS generated \
                 FROM information_schema.columns c WHERE c.table_schema = current_schema() AND c.table_name = ? \
                 ORDER BY c.ordinal_position",
                    &[t],
                ),
            )?,
        };
        let mut columns = Vec::new();
        let mut key = Vec::new();
        for col in cols.into_iter().filter(|c| !c.generated) {
            let kind = kind_of(b, &col.kind).ok_or_else(|| {
                CopyError::Schema(format!(
                    "{t}.{}: type {} is not one portal uses",
                    col.name, col.kind
                ))
            })?;
            if col.key > 0 {
                key.push((col.key, columns.len()));
            }
            columns.push(Column {
                name: col.name,
                kind,
            });
        }
        key.sort();
        let key: Vec<usize> = key.into_iter().map(|(_, i)| i).collect();
        if key.is_empty() {
            return Err(CopyError::Schema(format!("table {t} has no primary key")));
        }
        if key
            .iter()
            .any(|i| !matches!(columns[*i].kind, Kind::Int | Kind::Int32 | Kind::Text))
        {
            return Err(CopyError::Schema(format!(
                "table {t} has a key that is not a number or text"
            )));
        }
        let ps = match b {
            Backend::Sqlite => names(
                c,
                text_sql(
                    b,
                    "SELECT DISTINCT \"table\" AS name FROM pragma_foreign_key_list(?)",
                    &[t],
                ),
            )?,
            Backend::Postgres => names(
                c,
                text_sql(
                    b,
                    "SELECT DISTINCT ccu.table_name::text AS name FROM information_schema.table_constraints tc \
                   JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
                    AND ccu.table_schema = tc.table_schema \
                   WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = ?",
                    &[t],
                ),
            )?,
        };
        parents.insert(t.clone(), ps.into_iter().filter(|p| p != t).collect());
        out.insert(
            t.clone(),
            Table {
                name: t.clone(),
                columns,
                key,
            },
        );
    }
    // Parents first (Kahn's order, ties by name).
    let mut ordered = Vec::new();
    let mut placed = BTreeSet::new();
    while placed.len() < out.len() {
        let next = out
            .keys()
            .find(|t| {
                !placed.contains(*t)
                    && parents[*t]
                        .iter()
                        .all(|p| placed.contains(p) || !out.contains_key(p))
            })
            .cloned()
            .ok_or_else(|| CopyError::Schema("the foreign keys form a cycle".into()))?;
        placed.insert(next.clone());
        if let Some(t) = out.get(&next) {
            ordered.push(t.clone());
        }
    }
    Ok(ordered)
}

pub(super) fn kind_of(b: Backend, declared: &str) -> Option<Kind> {
    let d = declared.to_ascii_lowercase();
    match b {
        Backend::Postgres => match d.as_str() {
            "bigint" => Some(Kind::Int),
            "integer" | "smallint" => Some(Kind::Int32),
            "text" | "character varying" => Some(Kind::Text),
            "boolean" => Some(Kind::Bool),
            "bytea" => Some(Kind::Bytes),
            _ => None,
        },
        // SQLite's type affinity rules, and BOOLEAN for the columns diesel reads as bool.
        Backend::Sqlite => {
            if d.contains("bool") {
                Some(Kind::Bool)
            } else if d.contains("int") {
                Some(Kind::Int)
            } else if d.contains("char") || d.contains("text") || d.contains("clob") {
                Some(Kind::Text)
            } else if d.contains("blob") || d.is_empty() {
                Some(Kind::Bytes)
            } else {
                None
            }
        }
    }
}
