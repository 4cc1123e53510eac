//! Migrations apply, revert cleanly and apply again, on both backends.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use portal_store::db::{self, DbUrl, Manager};
use r2d2::ManageConnection;

use crate::harness::{backends, fresh_url};

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn user_tables(conn: &mut db::Db) -> i64 {
    let q = match conn {
        db::Db::Sqlite(_) => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%' AND name NOT LIKE 'ticket_fts%'"
        }
        db::Db::Pg(_) => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'"
        }
    };
    diesel::sql_query(q).get_result::<N>(conn).unwrap().n
}

#[test]
fn every_migration_reverts_cleanly_and_reapplies() {
    for backend in backends() {
        let (url, _cleanup) = fresh_url(backend);
        let mut conn = Manager::new(DbUrl::parse(&url).unwrap()).connect().unwrap();
        assert!(db::migrate(&mut conn).unwrap() >= 1);
        assert_eq!(
            user_tables(&mut conn),
            39,
            "{backend:?}: every table created"
        );
        assert_eq!(db::migrate(&mut conn).unwrap(), 0, "idempotent");
        assert!(db::revert_all(&mut conn).unwrap() >= 1);
        assert_eq!(
            user_tables(&mut conn),
            0,
            "{backend:?}: nothing left after revert"
        );
        assert!(db::migrate(&mut conn).unwrap() >= 1);
        assert_eq!(user_tables(&mut conn), 39);
    }
}

#[test]
fn urls_pick_the_backend_by_scheme() {
    assert_eq!(
        DbUrl::parse("sqlite://data/portal.db").unwrap().target,
        "data/portal.db"
    );
    assert_eq!(DbUrl::parse("sqlite::memory:").unwrap().target, ":memory:");
    assert_eq!(
        DbUrl::parse("postgres://u@h/db").unwrap().backend,
        portal_store::Backend::Postgres
    );
    assert_eq!(
        DbUrl::parse("postgresql://u@h/db").unwrap().backend,
        portal_store::Backend::Postgres
    );
    assert!(DbUrl::parse("mysql://h/db").is_err());
    assert!(DbUrl::parse("sqlite://").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_pool_answers_unavailable_after_its_timeout() {
    use std::time::Duration;
    for backend in backends() {
        let (url, _cleanup) = fresh_url(backend);
        let mut config = portal_store::StoreConfig::new(url);
        config.pool_size = 1;
        config.pool_timeout = Duration::from_millis(300);
        let store = portal_store::Store::connect(&config).await.unwrap();
        let busy = store.clone();
        let holder = tokio::spawn(async move {
            busy.run(|_| {
                std::thread::sleep(Duration::from_millis(1500));
                Ok(())
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = std::time::Instant::now();
        let waited = store.run(|_| Ok(())).await;
        assert!(
            matches!(waited, Err(portal_core::PortError::Unavailable(_))),
            "{backend:?}: {waited:?}"
        );
        assert!(
            started.elapsed() < Duration::from_millis(1200),
            "gave up after the timeout, not after the holder"
        );
        holder.await.unwrap().unwrap();
    }
}

#[test]
fn the_migration_status_is_read_without_changing_the_database() {
    for backend in backends() {
        let (url, _cleanup) = fresh_url(backend);
        let parsed = DbUrl::parse(&url).unwrap();
        // A database portal never touched: everything pending, and no bookkeeping table made.
        if backend == portal_store::Backend::Postgres {
            let before = db::migration_status(&parsed).unwrap();
            assert!(before.exists && before.applied.is_empty(), "{backend:?}");
            assert!(!before.pending.is_empty());
            let mut conn = Manager::new(parsed.clone()).connect().unwrap();
            let n = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM pg_tables WHERE tablename = '__diesel_schema_migrations'",
            )
            .get_result::<N>(&mut conn)
            .unwrap()
            .n;
            assert_eq!(n, 0, "reading the status created nothing");
        }
        let mut conn = Manager::new(parsed.clone()).connect().unwrap();
        db::migrate(&mut conn).unwrap();
        let after = db::migration_status(&parsed).unwrap();
        assert!(after.exists && after.pending.is_empty(), "{backend:?}");
        assert!(!after.applied.is_empty());
    }
}
