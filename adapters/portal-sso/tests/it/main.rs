//! portal-sso's tests: every attack case of SECURITY.md against the JWT verifier and the
//! SAML service provider, alone and through the core's single sign-on use case.

mod fuzz;
mod jwt;
mod saml;
mod support;
