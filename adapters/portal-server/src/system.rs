//! The system implementations of the core's non-storage ports: argon2id password hashing
//! (SECURITY rule 1), the wall clock, the operating system's random generator, and the
//! secret box sealing the secrets portal keeps in its database.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use portal_core::model::Timestamp;
use portal_core::ports::{Clock, PasswordHasher, RandomSource, SecretBox};
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

/// Seals secrets with ChaCha20-Poly1305 (`ring`, the AEAD rustls already builds on) under
/// a 256-bit key derived from the server's secret key, a fresh random nonce per seal.
/// Sealed text is `v1:` and the hex of nonce, ciphertext and tag; a changed byte or
/// another key fails to open.
pub struct Sealer {
    key: ring::aead::LessSafeKey,
}

/// Binds sealed text to its use: text sealed here opens nowhere else.
const SEALED_FOR: &[u8] = b"portal secret box v1";

impl Sealer {
    /// A sealer under `secret` (at least 32 bytes of randomness).
    pub fn new(secret: &[u8]) -> Sealer {
        use sha2::Digest as _;
        let digest = sha2::Sha256::new()
            .chain_update(SEALED_FOR)
            .chain_update(secret)
            .finalize();
        let unbound = ring::aead::UnboundKey::new(&ring::aead::CHACHA20_POLY1305, &digest)
            // 32 bytes is ChaCha20-Poly1305's key length; `new` fails on no other input.
            .unwrap_or_else(|_| unreachable!("a SHA-256 digest is a ChaCha20 key"));
        Sealer {
            key: ring::aead::LessSafeKey::new(unbound),
        }
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

impl SecretBox for Sealer {
    fn seal(&self, plain: &str) -> Result<String, String> {
        let mut nonce = [0u8; ring::aead::NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| format!("random generator: {e}"))?;
        let mut data = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce),
                ring::aead::Aad::from(SEALED_FOR),
                &mut data,
            )
            .map_err(|_| "sealing failed".to_string())?;
        Ok(format!(
            "v1:{}{}",
            portal_core::usecases::accounts::hex(&nonce),
            portal_core::usecases::accounts::hex(&data)
        ))
    }

    fn open(&self, sealed: &str) -> Result<String, String> {
        let bytes = sealed
            .strip_prefix("v1:")
            .and_then(unhex)
            .filter(|b| b.len() >= ring::aead::NONCE_LEN + self.key.algorithm().tag_len())
            .ok_or("not sealed text")?;
        let (nonce, data) = bytes.split_at(ring::aead::NONCE_LEN);
        let nonce = ring::aead::Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| "not sealed text".to_string())?;
        let mut data = data.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, ring::aead::Aad::from(SEALED_FOR), &mut data)
            .map_err(|_| "sealed with another key, or changed".to_string())?;
        String::from_utf8(plain.to_vec()).map_err(|e| e.to_string())
    }
}

/// The file holding the secret key when the configuration names none.
pub fn secret_key_file(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("secret.key")
}

/// The server's secret key: the configured one, else the data directory's `secret.key`,
/// made (64 random hex digits, readable by its owner only) when there is none yet.
pub fn secret_key(
    configured: Option<&[u8]>,
    data_dir: &std::path::Path,
) -> Result<Vec<u8>, String> {
    if let Some(k) = configured {
        return Ok(k.to_vec());
    }
    let path = secret_key_file(data_dir);
    let read = |path: &std::path::Path| -> Result<Vec<u8>, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("secret key {}: {e}", path.display()))?;
        portal_sso::parse_secret(&text).map_err(|e| format!("secret key {}: {e}", path.display()))
    };
    if path.exists() {
        return read(&path);
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("data_dir {}: {e}", data_dir.display()))?;
    // Written whole to a file of its own, then linked into place: a second server starting
    // at the same moment either links first or reads the finished key.
    let random = portal_core::usecases::accounts::hex(&OsRandom.token_bytes());
    let tmp = data_dir.join(format!(".secret.key.{}", &random[..16]));
    let key = portal_core::usecases::accounts::hex(&OsRandom.token_bytes());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut f| {
        use std::io::Write as _;
        f.write_all(format!("{key}\n").as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, &path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "made a secret key for sealed secrets; keep it with the database's backups");
            read(&path)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(&path),
        Err(e) => Err(format!("secret key {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_with_its_key_only_and_never_shows_the_secret() {
        let a = Sealer::new(&[7u8; 32]);
        let sealed = a.seal("imap pässword").unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("imap"));
        assert_eq!(a.open(&sealed).unwrap(), "imap pässword");
        // A fresh nonce each time: the same secret seals differently.
        assert_ne!(a.seal("imap pässword").unwrap(), sealed);
        // Another key, a changed byte, or text that was never sealed: refused.
        assert!(Sealer::new(&[8u8; 32]).open(&sealed).is_err());
        let mut changed = sealed.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'0' { b'1' } else { b'0' };
        assert!(a.open(&String::from_utf8(changed).unwrap()).is_err());
        for bad in ["", "v1:", "v1:zz", "imap pässword", "v2:00"] {
            assert!(a.open(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_key_file_is_made_once_for_its_owner_and_a_configured_key_wins() {
        let dir = std::env::temp_dir().join(format!("portal-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let made = secret_key(None, &dir).unwrap();
        assert_eq!(made.len(), 32);
        assert_eq!(
            secret_key(None, &dir).unwrap(),
            made,
            "read back, not made again"
        );
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(secret_key_file(&dir))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(secret_key(Some(&[1u8; 32]), &dir).unwrap(), vec![1u8; 32]);
        std::fs::write(secret_key_file(&dir), "not hex").unwrap();
        assert!(secret_key(None, &dir).unwrap_err().contains("secret key"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
