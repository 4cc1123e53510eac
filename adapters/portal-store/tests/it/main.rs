//! portal-store's one integration-test binary. Every test runs on SQLite and on PostgreSQL
//! (`PORTAL_TEST_PG_URL`, which `scripts/test` sets; when it is set, failing to connect
//! fails the test), each on a database of its own.

mod contracts;
mod differential;
mod harness;
mod migrations;
mod plans;
mod seed;
