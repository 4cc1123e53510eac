//! Single sign-on for portal (A3): a SAML 2.0 service provider on samael and a JWT endpoint
//! on jsonwebtoken. Both implement ports of `portal-core`; the core's
//! `usecases::sso::SingleSignOn` adds the stateful checks (outstanding requests, replay
//! caches), the way from identity to contact, the access rules and the session.

pub mod jwt;
pub mod saml;

pub use jwt::{HsJwt, SecretError, mask_secret, parse_secret};
pub use saml::{SamlConfig, SamlSetupError, SamlSp};
