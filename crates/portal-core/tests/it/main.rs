//! portal-core's one integration-test binary.
//!
//! The tests read the environment (`PROPTEST_CASES`, `UPDATE_GOLDEN`) and the golden policy
//! file; the I/O ban of `clippy.toml` is for the library, not for its tests.
#![allow(clippy::disallowed_methods)]

mod fuzz;
mod mail_in;
mod mailboxes;
mod policy;
mod properties;
mod rules;
mod staff_policy;
mod usecases;
