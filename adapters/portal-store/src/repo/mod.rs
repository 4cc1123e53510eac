//! Every port of `portal-core` on [`Store`], one module per port (or per few small ones).
//! Each method is one closure on one pooled connection (see [`Store::run`]); writes that
//! touch several rows run in one transaction. This module holds what they share: JSON
//! columns, the write transaction, prepared statements and raw loads.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{BigInt, Text};
use portal_core::PortResult;

use crate::Store;
use crate::db::{Db, port_error, with_conn};
use crate::sql::{Bind, Sql};

pub(crate) type QResult<T> = Result<T, DieselError>;

mod accounts;
mod catalog;
mod directory;
mod inbound;
mod logs;
mod outbox;
mod settings;
mod staff;
mod ticket_data;
mod ticket_query;
mod tickets;

pub use outbox::OutboxStats;
pub use ticket_data::search_doc;
pub(crate) use ticket_query::SEARCH_WALK_ROWS;

/// `Ok` when a conditional update changed the one row, `NotFound` when it changed none.
pub(crate) fn one_row(n: usize) -> QResult<()> {
    if n == 1 {
        Ok(())
    } else {
        Err(DieselError::NotFound)
    }
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> QResult<String> {
    serde_json::to_string(v).map_err(|e| DieselError::SerializationError(Box::new(e)))
}

pub(crate) fn unjson<T: serde::de::DeserializeOwned>(s: &str) -> QResult<T> {
    serde_json::from_str(s).map_err(|e| DieselError::DeserializationError(Box::new(e)))
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite, so concurrent writers wait
/// on the busy timeout instead of failing a lock upgrade; a plain transaction on PostgreSQL.
pub(crate) fn write<T>(conn: &mut Db, f: impl FnOnce(&mut Db) -> QResult<T>) -> QResult<T> {
    match conn {
        Db::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(v) => {
                    conn.batch_execute("COMMIT")?;
                    Ok(v)
                }
                Err(e) => {
                    // The original error matters more than a failed rollback.
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
        Db::Pg(_) => conn.transaction(f),
    }
}

impl Store {
    /// [`Store::q`] for a read the read replica may answer (see `replica`).
    async fn q_read<T, F>(&self, f: F) -> PortResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut Db) -> QResult<T> + Send + Sync + 'static,
    {
        self.read(move |c| f(c).map_err(port_error)).await
    }

    async fn q<T, F>(&self, f: F) -> PortResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> QResult<T> + Send + 'static,
    {
        self.run(move |c| f(c).map_err(port_error)).await
    }
}

/// A built statement that the connection may keep prepared: diesel's `sql_query` never
/// is, so hot statements pay their parse (and on PostgreSQL their planning round trip) every
/// time. The SQL is handed to diesel piece by piece between its placeholders, which diesel
/// writes itself; the statement cache keys on the resulting text and the bind types.
pub(crate) struct Prepared<'a> {
    pub(crate) pieces: Vec<&'a str>,
    pub(crate) binds: &'a [Bind],
}

impl diesel::query_builder::QueryId for Prepared<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Prepared<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<C> RunQueryDsl<C> for Prepared<'_> {}

impl<DB> diesel::query_builder::QueryFragment<DB> for Prepared<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<BigInt>
        + diesel::sql_types::HasSqlType<Text>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
    String: diesel::serialize::ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QResult<()> {
        for (i, piece) in self.pieces.iter().enumerate() {
            out.push_sql(piece);
            match self.binds.get(i) {
                Some(Bind::Int(v)) => out.push_bind_param::<BigInt, i64>(v)?,
                Some(Bind::Text(v)) => out.push_bind_param::<Text, String>(v)?,
                None => {}
            }
        }
        Ok(())
    }
}

/// Loads rows of `R` for a built statement.
pub(crate) fn load_raw<R>(conn: &mut Db, sql: Sql) -> QResult<Vec<R>>
where
    R: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    if sql.cacheable
        && let Some(pieces) = sql.pieces()
    {
        let q = Prepared {
            pieces,
            binds: &sql.binds,
        };
        return with_conn!(conn, c => q.load::<R>(c));
    }
    with_conn!(conn, c => {
        let mut q = diesel::sql_query(sql.text).into_boxed::<DB>();
        for b in sql.binds {
            q = match b {
                Bind::Int(v) => q.bind::<BigInt, _>(v),
                Bind::Text(s) => q.bind::<Text, _>(s),
            };
        }
        q.load::<R>(c)
    })
}
