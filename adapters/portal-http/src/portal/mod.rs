//! The customer portal under `/{slug}` (P2): server-rendered pages that work without
//! JavaScript, in five languages (N1). Each handler takes its context from an extractor,
//! calls one use case and renders or redirects.

pub(crate) mod account;
pub(crate) mod assets;
pub(crate) mod filters;
pub(crate) mod home;
pub(crate) mod list;
pub(crate) mod organisation;
pub(crate) mod participants;
pub(crate) mod sso;
pub(crate) mod ticket;
