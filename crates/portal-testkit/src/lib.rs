//! # portal-testkit
//!
//! Test support for portal: in-memory implementations of every `portal-core` port
//! ([`memory`]), the port contract suites every adapter runs ([`contract`]), a small fixed
//! world written through the ports ([`fixtures`]) and generators of random worlds for
//! property tests ([`arb`]), and a minimal SMTP server for mail tests ([`smtp`]).
//!
//! This crate is for tests: it uses `unwrap` freely and its hasher and randomness are
//! deliberately weak.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod arb;
pub mod contract;
pub mod fixtures;
pub mod fuzz;
pub mod memory;
pub mod smtp;

pub use futures::executor::block_on;
