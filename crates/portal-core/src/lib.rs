//! # portal-core
//!
//! The domain of portal, a self-hostable customer portal for support tickets: the model,
//! the rules that decide who sees which ticket and who may do what, the ports (traits) the
//! rules need from the world, and the use cases built on them.
//!
//! This crate does no I/O: no network, no files, no clock, no threads. Time comes in
//! through [`ports::Clock`] and randomness through [`ports::RandomSource`], so every rule is
//! a pure function that other Rust services can embed and property-test (REQUIREMENTS N2).
//!
//! - [`filter`]: the filter language (V3, V5, list filters).
//! - [`visibility`]: [`visibility::Scope`] and its pure `admits` (V1–V7), explain (N3).
//! - [`actions`]: reply (T3, T4), close (T5), upload limits.
//! - [`access`]: who may enter (A1–A3), sessions (A5).
//! - [`organisation`]: the company's access log and its portal admins (C4).
//! - [`settings`]: the portal settings and their validation (P1–P13).
//! - [`query`]: the list query, its order, keyset paging and search, with a reference
//!   implementation storage must agree with.
//! - [`ports`]: the traits adapters implement; [`usecases`]: the services.
//!
//! Error policy: ports return [`PortError`], use cases [`Error`]; HTTP statuses are the HTTP
//! adapter's business.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::print_stdout
    )
)]
#![warn(missing_docs)]

pub mod access;
pub mod actions;
pub mod error;
pub mod filter;
pub mod mail_in;
pub mod model;
pub mod organisation;
pub mod permissions;
pub mod ports;
pub mod property;
pub mod query;
pub mod settings;
pub mod usecases;
pub mod visibility;
pub mod zone;

pub use error::{Error, PortError, PortResult};
