//! The system implementations of the core's non-storage ports: argon2id password hashing
//! (SECURITY rule 1), the wall clock and the operating system's random generator.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use portal_core::model::Timestamp;
use portal_core::ports::{Clock, PasswordHasher, RandomSource};
use portal_core::{PortError, PortResult};

/// Argon2id with m = 19456 KiB, t = 2, p = 1 (the crate's defaults), run on tokio's
/// blocking pool: a hash takes tens of milliseconds of CPU, which must not stall the
/// requests an HTTP worker serves meanwhile.
#[derive(Default)]
pub struct Argon2Hasher {
    dummy: std::sync::Arc<std::sync::OnceLock<String>>,
}

fn argon2_hash(password: &str) -> PortResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PortError::Backend(format!("hashing failed: {e}")))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PortError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PortError::Backend(format!("hashing task failed: {e}")))
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &str) -> PortResult<String> {
        let password = password.to_string();
        blocking(move || argon2_hash(&password)).await?
    }

    async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let (password, hash, dummy) = (
            password.to_string(),
            hash.map(str::to_string),
            self.dummy.clone(),
        );
        blocking(move || match hash {
            Some(h) => Argon2::default()
                .verify_password(password.as_bytes(), h.as_str())
                .is_ok(),
            None => {
                // Spend a real verification's time (SECURITY rule 3).
                let dummy = dummy.get_or_init(|| argon2_hash("not a password").unwrap_or_default());
                let _ = Argon2::default().verify_password(password.as_bytes(), dummy.as_str());
                false
            }
        })
        .await
        .unwrap_or(false)
    }
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Timestamp(ms)
    }
}

/// The operating system's random generator.
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn token_bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        if let Err(e) = getrandom::fill(&mut b) {
            // Without randomness no token may be issued at all.
            panic!("the operating system's random generator failed: {e}");
        }
        b
    }
}
