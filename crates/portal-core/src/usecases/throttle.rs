//! Login throttling (SECURITY rule 4): failures counted per account and per client address
//! through the [`crate::ports::LoginAttempts`] port, so every server of an installation
//! shares the counts, and judged by [`crate::access::login_wait`] on the portal's clock.

use crate::error::Error;
use crate::ports::Ports;

/// Who tries to log in, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTry<'a> {
    /// `customer` or `staff`: the two logins are counted apart.
    pub realm: &'a str,
    /// The email typed (any case).
    pub email: &'a str,
    /// The client's address, as the adapter determined it (trusted proxies considered).
    pub client: &'a str,
}

impl LoginTry<'_> {
    /// The counters this try is judged by: its account and its client address.
    pub fn keys(&self) -> [String; 2] {
        [
            format!(
                "{}:account:{}",
                self.realm,
                self.email.trim().to_lowercase()
            ),
            format!("ip:{}", self.client),
        ]
    }
}

/// The login throttle.
#[derive(Clone)]
pub struct Throttle {
    ports: Ports,
}

impl Throttle {
    /// The throttle over these ports.
    pub fn new(ports: Ports) -> Throttle {
        Throttle { ports }
    }

    /// `Throttled(seconds)` while any counter of the try must wait.
    pub async fn check(&self, attempt: &LoginTry<'_>) -> Result<(), Error> {
        let now = self.ports.clock.now();
        let since = crate::model::Timestamp(now.0 - 3_600_000);
        let mut worst = None;
        for key in attempt.keys() {
            let (n, last) = self.ports.attempts.failures_since(&key, since).await?;
            if let Some(w) = crate::access::login_wait(n, last, now) {
                worst = Some(worst.map_or(w, |x: i64| x.max(w)));
            }
        }
        match worst {
            Some(w) => Err(Error::Throttled(w)),
            None => Ok(()),
        }
    }

    /// Counts a failed try against its account and its address.
    pub async fn failed(&self, attempt: &LoginTry<'_>) -> Result<(), Error> {
        let now = self.ports.clock.now();
        for key in attempt.keys() {
            self.ports.attempts.record_failure(&key, now).await?;
        }
        Ok(())
    }

    /// Forgets the failures of the try's account and address after a successful login
    /// (people behind one address who mistype are not locked out by each other for long).
    pub async fn succeeded(&self, attempt: &LoginTry<'_>) -> Result<(), Error> {
        for key in attempt.keys() {
            self.ports.attempts.clear(&key).await?;
        }
        Ok(())
    }

    /// Whether a visitor's request for a mail (`kind`: `reset`, `login_link`,
    /// `registration`) for `email` from `client` may send it
    /// ([`crate::access::mail_allowance`]): `Ok(true)` send, `Ok(false)` answer as usual
    /// and send nothing, `Throttled` for an address that asked too often. Counted in the
    /// same store as failed logins, so every server shares the counts.
    pub async fn mail_request(&self, kind: &str, email: &str, client: &str) -> Result<bool, Error> {
        let now = self.ports.clock.now();
        let since = crate::model::Timestamp(now.0 - 3_600_000);
        let account = format!("mail:{kind}:account:{}", email.trim().to_lowercase());
        let address = format!("mail:ip:{client}");
        let (per_account, _) = self.ports.attempts.failures_since(&account, since).await?;
        let (per_address, _) = self.ports.attempts.failures_since(&address, since).await?;
        match crate::access::mail_allowance(per_account, per_address) {
            crate::access::MailAllowance::Refuse(wait) => Err(Error::Throttled(wait)),
            allowance => {
                for key in [&account, &address] {
                    self.ports.attempts.record_failure(key, now).await?;
                }
                Ok(allowance == crate::access::MailAllowance::Send)
            }
        }
    }

    /// Runs a login under the throttle: refused with `Throttled` while it must wait; a
    /// `BadCredentials` answer counts as a failure, a success clears the account's count.
    pub async fn guard<T>(
        &self,
        attempt: &LoginTry<'_>,
        login: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        self.check(attempt).await?;
        match login.await {
            Ok(x) => {
                self.succeeded(attempt).await?;
                Ok(x)
            }
            Err(Error::BadCredentials) => {
                self.failed(attempt).await?;
                Err(Error::BadCredentials)
            }
            Err(e) => Err(e),
        }
    }
}
