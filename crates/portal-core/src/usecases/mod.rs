//! Use cases: one service per concern, over the [`crate::ports::Ports`]. Each returns
//! domain results or a typed [`crate::Error`].

pub mod accounts;
pub mod import;
pub mod inbox;
pub mod portal;
pub mod records;
pub mod sso;
pub mod staff;
