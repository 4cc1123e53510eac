//! portal-http's one integration-test binary: every page and rule through actix with real
//! cookies, over in-memory ports and a test clock.

mod admin;
mod api;
mod collaboration;
mod fuzz;
mod harness;
mod invite;
mod pages;
mod records;
mod register;
mod reset;
mod rules;
mod security;
mod settings;
mod sso;
mod templates;
