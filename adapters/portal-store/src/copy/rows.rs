//! Rows as the copy moves them: read in key order as JSON arrays (one statement shape on
//! both backends), typed by their columns, written as multi-row `INSERT`s, and digested.

use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Binary, Bool, Integer, Nullable, Text};
use diesel::{QueryResult, RunQueryDsl};
use sha2::{Digest, Sha256};

use super::CopyError;
use super::catalog::{Kind, Table, backend, quoted};
use crate::db::{Backend, Db, with_conn};
use crate::repo::{QResult, load_raw};
use crate::sql::{Bind, Sql};

/// One value, typed by its column.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Int(Option<i64>),
    Int32(Option<i32>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

impl Cell {
    pub(super) fn from_json(kind: Kind, v: serde_json::Value) -> Result<Cell, String> {
        use serde_json::Value as J;
        let bad = |v: &J| format!("a {kind:?} column holds {v}");
        Ok(match (kind, v) {
            (Kind::Int, J::Null) => Cell::Int(None),
            (Kind::Int32, J::Null) => Cell::Int32(None),
            (Kind::Text, J::Null) => Cell::Text(None),
            (Kind::Bool, J::Null) => Cell::Bool(None),
            (Kind::Bytes, J::Null) => Cell::Bytes(None),
            (Kind::Int, J::Number(n)) => {
                Cell::Int(Some(n.as_i64().ok_or_else(|| bad(&J::Number(n)))?))
            }
            (Kind::Int32, J::Number(n)) => Cell::Int32(Some(
                n.as_i64()
                    .and_then(|v| i32::try_from(v).ok())
                    .ok_or_else(|| bad(&J::Number(n)))?,
            )),
            (Kind::Text, J::String(s)) => Cell::Text(Some(s)),
            (Kind::Bool, J::Bool(b)) => Cell::Bool(Some(b)),
            // SQLite keeps booleans as 0 and 1.
            (Kind::Bool, J::Number(n)) => {
                Cell::Bool(Some(n.as_i64().ok_or_else(|| bad(&J::Number(n)))? != 0))
            }
            (Kind::Bytes, J::String(s)) => {
                Cell::Bytes(Some(unhex(&s).ok_or_else(|| bad(&J::String(s)))?))
            }
            (_, v) => return Err(bad(&v)),
        })
    }

    /// The key value as a bind for the next batch's `WHERE`.
    pub(super) fn as_bind(&self) -> Option<Bind> {
        match self {
            Cell::Int(Some(v)) => Some(Bind::Int(*v)),
            Cell::Int32(Some(v)) => Some(Bind::Int(i64::from(*v))),
            Cell::Text(Some(s)) => Some(Bind::Text(s.clone())),
            _ => None,
        }
    }

    /// Feeds the value into a row digest; the same value hashes the same whichever backend it
    /// came from (integers of both widths alike, booleans not as numbers).
    pub(super) fn digest(&self, h: &mut Sha256) {
        fn tagged(h: &mut Sha256, tag: u8, bytes: &[u8]) {
            h.update([tag]);
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        match self {
            Cell::Int(None)
            | Cell::Int32(None)
            | Cell::Text(None)
            | Cell::Bool(None)
            | Cell::Bytes(None) => h.update([0u8]),
            Cell::Int(Some(v)) => tagged(h, 1, &v.to_le_bytes()),
            Cell::Int32(Some(v)) => tagged(h, 1, &i64::from(*v).to_le_bytes()),
            Cell::Text(Some(s)) => tagged(h, 2, s.as_bytes()),
            Cell::Bool(Some(b)) => tagged(h, 3, &[u8::from(*b)]),
            Cell::Bytes(Some(b)) => tagged(h, 4, b),
        }
    }
}

pub(super) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|p| {
            let d = |c: u8| (c as char).to_digit(16);
            Some((d(p[0])? * 16 + d(p[1])?) as u8)
        })
        .collect()
}

#[derive(diesel::QueryableByName)]
pub(super) struct JsonRow {
    #[diesel(sql_type = Text)]
    pub(super) r: String,
}

#[derive(diesel::QueryableByName)]
pub(super) struct Count {
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

/// `SELECT` of one batch of rows as JSON arrays, in key order (the primary key's index)
/// after `after`.
pub(super) fn batch_sql(b: Backend, t: &Table, after: Option<&[Bind]>, limit: usize) -> Sql {
    let mut sql = Sql::new(b);
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|c| match (b, c.kind) {
            (Backend::Sqlite, Kind::Bytes) => format!("hex({})", quoted(&c.name)),
            (Backend::Postgres, Kind::Bytes) => format!("encode({}, 'hex')", quoted(&c.name)),
            _ => quoted(&c.name),
        })
        .collect();
    match b {
        Backend::Sqlite => sql
            .push("SELECT json_array(")
            .push(&cols.join(", "))
            .push(") AS r FROM "),
        Backend::Postgres => sql
            .push("SELECT json_build_array(")
            .push(&cols.join(", "))
            .push(")::text AS r FROM "),
    };
    sql.push(&quoted(&t.name));
    let keys: Vec<String> = t.key.iter().map(|i| quoted(&t.columns[*i].name)).collect();
    if let Some(after) = after {
        sql.push(" WHERE (").push(&keys.join(", ")).push(") > (");
        for (i, v) in after.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(v.clone());
        }
        sql.push(")");
    }
    sql.push(" ORDER BY ").push(&keys.join(", "));
    sql.push(&format!(" LIMIT {limit}"));
    sql
}

pub(super) fn read_batch(
    c: &mut Db,
    t: &Table,
    after: Option<&[Bind]>,
    limit: usize,
) -> Result<Vec<Vec<Cell>>, CopyError> {
    let rows: Vec<JsonRow> = load_raw(c, batch_sql(backend(c), t, after, limit))?;
    decode(t, rows)
}

pub(super) fn decode(t: &Table, rows: Vec<JsonRow>) -> Result<Vec<Vec<Cell>>, CopyError> {
    rows.into_iter()
        .map(|r| {
            let values: Vec<serde_json::Value> = serde_json::from_str(&r.r)
                .map_err(|e| CopyError::Database(format!("{}: {e}", t.name)))?;
            if values.len() != t.columns.len() {
                return Err(CopyError::Database(format!(
                    "{}: a row of {} values",
                    t.name,
                    values.len()
                )));
            }
            values
                .into_iter()
                .zip(&t.columns)
                .map(|(v, col)| {
                    Cell::from_json(col.kind, v)
                        .map_err(|e| CopyError::Database(format!("{}.{}: {e}", t.name, col.name)))
                })
                .collect()
        })
        .collect()
}

pub(super) fn key_of(t: &Table, row: &[Cell]) -> Option<Vec<Bind>> {
    t.key
        .iter()
        .map(|i| row.get(*i).and_then(Cell::as_bind))
        .collect()
}

/// A multi-row `INSERT` whose values diesel binds itself (placeholders of either backend).
pub(super) struct InsertRows<'a> {
    head: String,
    rows: &'a [Vec<Cell>],
    tail: String,
}

impl QueryId for InsertRows<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C> RunQueryDsl<C> for InsertRows<'_> {}

impl<DB> QueryFragment<DB> for InsertRows<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<BigInt>
        + diesel::sql_types::HasSqlType<Integer>
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<Bool>
        + diesel::sql_types::HasSqlType<Binary>,
    Option<i64>: diesel::serialize::ToSql<Nullable<BigInt>, DB>,
    Option<i32>: diesel::serialize::ToSql<Nullable<Integer>, DB>,
    Option<String>: diesel::serialize::ToSql<Nullable<Text>, DB>,
    Option<bool>: diesel::serialize::ToSql<Nullable<Bool>, DB>,
    Option<Vec<u8>>: diesel::serialize::ToSql<Nullable<Binary>, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(&self.head);
        for (r, row) in self.rows.iter().enumerate() {
            out.push_sql(if r == 0 { "(" } else { ", (" });
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                match cell {
                    Cell::Int(v) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                    Cell::Int32(v) => out.push_bind_param::<Nullable<Integer>, _>(v)?,
                    Cell::Text(v) => out.push_bind_param::<Nullable<Text>, _>(v)?,
                    Cell::Bool(v) => out.push_bind_param::<Nullable<Bool>, _>(v)?,
                    Cell::Bytes(v) => out.push_bind_param::<Nullable<Binary>, _>(v)?,
                }
            }
            out.push_sql(")");
        }
        out.push_sql(&self.tail);
        Ok(())
    }
}

/// Rows per statement: the batch size within the backends' bind limits (SQLite 32,766,
/// PostgreSQL 65,535), and a handful for tables with blobs (attachments may be large).
pub(super) fn rows_per_batch(t: &Table, wanted: usize) -> usize {
    if t.has_bytes() {
        return 4;
    }
    wanted.clamp(1, 30_000 / t.columns.len().max(1))
}

/// What an `INSERT` does with a row whose key the table holds already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OnConflict {
    /// Fail the statement.
    Fail,
    /// Keep the row there.
    Skip,
    /// Overwrite it, unless it holds the same values: only new and changed rows count.
    Update,
}

/// Writes `rows` in one statement; returns the rows inserted or changed.
pub(super) fn insert(
    c: &mut Db,
    t: &Table,
    rows: &[Vec<Cell>],
    conflict: OnConflict,
) -> QResult<usize> {
    let cols: Vec<String> = t.columns.iter().map(|c| quoted(&c.name)).collect();
    let key: Vec<String> = t.key.iter().map(|i| quoted(&t.columns[*i].name)).collect();
    let rest: Vec<&String> = cols.iter().filter(|c| !key.contains(c)).collect();
    let tail = match conflict {
        OnConflict::Fail => String::new(),
        OnConflict::Skip => " ON CONFLICT DO NOTHING".into(),
        OnConflict::Update if rest.is_empty() => " ON CONFLICT DO NOTHING".into(),
        OnConflict::Update => {
            let differs = match backend(c) {
                Backend::Sqlite => "IS NOT",
                Backend::Postgres => "IS DISTINCT FROM",
            };
            format!(
                " ON CONFLICT ({}) DO UPDATE SET {} WHERE {}",
                key.join(", "),
                rest.iter()
                    .map(|c| format!("{c} = excluded.{c}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                rest.iter()
                    .map(|c| format!("{}.{c} {differs} excluded.{c}", quoted(&t.name)))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            )
        }
    };
    let q = InsertRows {
        head: format!(
            "INSERT INTO {} ({}) VALUES ",
            quoted(&t.name),
            cols.join(", ")
        ),
        rows,
        tail,
    };
    with_conn!(c, conn => q.execute(conn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_either_case() {
        assert_eq!(unhex("00ff7A"), Some(vec![0, 255, 122]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn a_value_digests_alike_from_either_backend() {
        let digest = |c: Cell| {
            let mut h = Sha256::new();
            c.digest(&mut h);
            h.finalize()
        };
        assert_eq!(digest(Cell::Int(Some(7))), digest(Cell::Int32(Some(7))));
        assert_eq!(
            Cell::from_json(Kind::Bool, serde_json::json!(1)),
            Cell::from_json(Kind::Bool, serde_json::json!(true))
        );
        assert_ne!(digest(Cell::Bool(Some(true))), digest(Cell::Int(Some(1))));
        assert_ne!(
            digest(Cell::Text(None)),
            digest(Cell::Text(Some(String::new())))
        );
    }
}
