//! Who may enter the portal (A1–A3, A5) and for how long. Deny wins: every rule that
//! refuses is checked before anything that grants.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::{ListId, Timestamp};

/// Who may use single sign-on (A3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", content = "lists", rename_all = "snake_case")]
pub enum SsoAccess {
    /// Single sign-on is off.
    #[default]
    Off,
    /// Every user the identity provider vouches for may enter.
    AllUsers,
    /// Only contacts on one of these lists may enter.
    Lists(BTreeSet<ListId>),
}

/// The admin's access-control settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessSettings {
    /// Access groups: members get a registration email and may log in (A1).
    pub access_groups: BTreeSet<ListId>,
    /// Anyone may register (A2).
    pub self_registration: bool,
    /// Single sign-on (A3).
    pub sso: SsoAccess,
    /// Whether email + password login is offered.
    pub password_login: bool,
    /// Whether a single sign-on user without a contact gets one created (otherwise only
    /// known contacts may sign on).
    #[serde(default)]
    pub sso_create_contacts: bool,
    /// Whether the identity provider's `organization` sets the contact's primary company
    /// (matched by company name or web domain).
    #[serde(default)]
    pub sso_sets_company: bool,
    /// Whether customers may ask for an emailed login link (15 minutes, single use) instead
    /// of typing their password.
    #[serde(default)]
    pub login_link: bool,
}

impl AccessSettings {
    /// Whether anyone may register (A2): self-registration on, and a password login to
    /// register for. Every page that offers or serves the form asks this.
    pub fn registration_open(&self) -> bool {
        self.self_registration && self.password_login
    }

    /// Whether customers may ask for an emailed login link: the switch, and a password
    /// login it stands in for.
    pub fn login_link_open(&self) -> bool {
        self.login_link && self.password_login
    }
}

impl Default for AccessSettings {
    fn default() -> Self {
        AccessSettings {
            access_groups: BTreeSet::new(),
            self_registration: false,
            sso: SsoAccess::Off,
            password_login: true,
            sso_create_contacts: false,
            sso_sets_company: false,
            login_link: false,
        }
    }
}

/// How an identity tries to enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginMethod {
    /// Email and password.
    Password,
    /// A SAML or JWT identity provider.
    Sso,
}

/// Everything the access rules need to know about the identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRequest<'a> {
    /// How it tries to enter.
    pub method: LoginMethod,
    /// The lists the contact is on.
    pub memberships: &'a BTreeSet<ListId>,
    /// Whether the account is enabled (disabled accounts never enter).
    pub account_enabled: bool,
}

/// Why an identity may not enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum EntryDenied {
    /// The account is disabled.
    #[error("the account is disabled")]
    AccountDisabled,
    /// Password login is turned off.
    #[error("password login is turned off")]
    PasswordLoginOff,
    /// Not a member of any access group, and self-registration is off (A1).
    #[error("not a member of an access group")]
    NotInAccessGroup,
    /// Single sign-on is off.
    #[error("single sign-on is turned off")]
    SsoOff,
    /// Not on any list allowed to use single sign-on (A3).
    #[error("not on a list allowed to sign on")]
    NotOnSsoList,
    /// Single sign-on vouched for someone who is not a contact, and creating contacts is off.
    #[error("no contact for this identity, and single sign-on does not create contacts")]
    UnknownSsoUser,
    /// A self-registered account whose email address is not confirmed yet (A2).
    #[error("the email address is not confirmed yet")]
    EmailNotConfirmed,
}

/// The route by which a contact registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    /// A member of an access group: the registration email sets the login (A1).
    AccessGroup,
    /// Self-registration: consent, then confirm the email address (A2).
    SelfService,
}

fn in_any(memberships: &BTreeSet<ListId>, lists: &BTreeSet<ListId>) -> bool {
    !memberships.is_disjoint(lists)
}

/// May this identity enter the portal?
pub fn may_enter(settings: &AccessSettings, req: &EntryRequest<'_>) -> Result<(), EntryDenied> {
    if !req.account_enabled {
        return Err(EntryDenied::AccountDisabled);
    }
    match req.method {
        LoginMethod::Password => {
            if !settings.password_login {
                return Err(EntryDenied::PasswordLoginOff);
            }
            if settings.self_registration || in_any(req.memberships, &settings.access_groups) {
                Ok(())
            } else {
                Err(EntryDenied::NotInAccessGroup)
            }
        }
        LoginMethod::Sso => match &settings.sso {
            SsoAccess::Off => Err(EntryDenied::SsoOff),
            SsoAccess::AllUsers => Ok(()),
            SsoAccess::Lists(lists) if in_any(req.memberships, lists) => Ok(()),
            SsoAccess::Lists(_) => Err(EntryDenied::NotOnSsoList),
        },
    }
}

/// Whether the connection's peer is one of the configured trusted proxies, whose
/// forwarding headers (client address, request id) are believed.
pub fn is_trusted_proxy(peer: std::net::IpAddr, trusted: &[ipnet::IpNet]) -> bool {
    trusted.iter().any(|n| n.contains(&peer))
}

/// The client a request comes from (SECURITY rule 4), from the connection's peer and the
/// `X-Forwarded-For` hops (leftmost first). Forwarded addresses count only behind a trusted
/// proxy: the peer itself when it is not one; otherwise the rightmost hop that is not a
/// trusted proxy (the leftmost entries are whatever the client chose to send).
pub fn client_address(
    peer: std::net::IpAddr,
    forwarded_for: &[std::net::IpAddr],
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    forwarded_for
        .iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or(forwarded_for.first())
        .copied()
        .unwrap_or(peer)
}

/// Mails a visitor may ask for in an hour (password resets, login links, registrations)
/// from one client address: past it the address gets `Throttled`, whatever the email.
pub const MAIL_REQUESTS_PER_ADDRESS_PER_HOUR: u32 = 20;

/// Mails of one kind one account is sent in an hour on request: past it the request is
/// answered as usual and no mail goes out (so the answer tells nothing about the account).
pub const MAIL_REQUESTS_PER_ACCOUNT_PER_HOUR: u32 = 3;

/// What a request for a mail may do, from the requests of the last hour for the same
/// account and kind and from the same client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailAllowance {
    /// Send it.
    Send,
    /// Answer as if it was sent; send nothing.
    Quiet,
    /// Refuse: the address asked too often (retry after this many seconds at most).
    Refuse(i64),
}

/// The rule for mail requests (SECURITY rule 4, applied to mails a visitor can trigger).
pub fn mail_allowance(account_requests: u32, address_requests: u32) -> MailAllowance {
    if address_requests >= MAIL_REQUESTS_PER_ADDRESS_PER_HOUR {
        MailAllowance::Refuse(3600)
    } else if account_requests >= MAIL_REQUESTS_PER_ACCOUNT_PER_HOUR {
        MailAllowance::Quiet
    } else {
        MailAllowance::Send
    }
}

/// Who may read the metrics (`/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Show them.
    Open,
    /// A token is set and the request did not present it (401, asking for a bearer token).
    TokenRequired,
    /// The server listens beyond loopback and no token is set: closed to everyone (403).
    Closed,
}

/// The rule for the metrics endpoint: with a token configured, only a request presenting it
/// (compared in constant time); without one, open when the server listens on loopback
/// only (just the machine itself can ask), closed otherwise.
pub fn metrics_access(
    listens_on_loopback: bool,
    token: Option<&str>,
    presented: Option<&str>,
) -> MetricsAccess {
    match token.filter(|t| !t.is_empty()) {
        Some(t) if presented.is_some_and(|p| same_secret(p, t)) => MetricsAccess::Open,
        Some(_) => MetricsAccess::TokenRequired,
        None if listens_on_loopback => MetricsAccess::Open,
        None => MetricsAccess::Closed,
    }
}

/// Constant-time equality of two secrets (the time depends on the length only).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seconds a login must still wait (SECURITY rule 4) after `failures` failures in the last
/// hour, the latest at `last`; `None` when it may try now.
pub fn login_wait(failures: u32, last: Option<Timestamp>, now: Timestamp) -> Option<i64> {
    let wait = login_backoff_seconds(failures)?;
    let left = wait - now.seconds_since(last?);
    (left > 0).then_some(left)
}

/// Whether a session may be kept without looking at the contact's lists: password login
/// for everyone (self-registration), or single sign-on for every user.
pub fn stays_without_lists(settings: &AccessSettings) -> bool {
    (settings.password_login && settings.self_registration) || settings.sso == SsoAccess::AllUsers
}

/// May the holder of a session keep it (checked on every request)? Exactly when the contact
/// could enter now by some way: a contact removed from the access groups, or from the
/// single sign-on lists, loses the session at the next request, as does a disabled account.
pub fn may_stay(
    settings: &AccessSettings,
    memberships: &BTreeSet<ListId>,
    account_enabled: bool,
) -> Result<(), EntryDenied> {
    let by = |method| {
        may_enter(
            settings,
            &EntryRequest {
                method,
                memberships,
                account_enabled,
            },
        )
    };
    by(LoginMethod::Password).or_else(|_| by(LoginMethod::Sso))
}

/// How may a contact with these memberships get a password login? Access-group members
/// register through their invitation (A1); anyone else only when self-registration is on
/// (A2).
pub fn may_register(
    settings: &AccessSettings,
    memberships: &BTreeSet<ListId>,
) -> Result<Registration, EntryDenied> {
    if !settings.password_login {
        Err(EntryDenied::PasswordLoginOff)
    } else if in_any(memberships, &settings.access_groups) {
        Ok(Registration::AccessGroup)
    } else if settings.self_registration {
        Ok(Registration::SelfService)
    } else {
        Err(EntryDenied::NotInAccessGroup)
    }
}

/// The idle timeouts an admin may pick (SECURITY rule 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleTimeout {
    /// 20 minutes.
    Minutes20,
    /// 40 minutes.
    Minutes40,
    /// 60 minutes (the default).
    #[default]
    Minutes60,
    /// 24 hours.
    Hours24,
}

impl IdleTimeout {
    /// Every choice, in order.
    pub const ALL: [IdleTimeout; 4] = [
        IdleTimeout::Minutes20,
        IdleTimeout::Minutes40,
        IdleTimeout::Minutes60,
        IdleTimeout::Hours24,
    ];

    /// The timeout in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            IdleTimeout::Minutes20 => 20 * 60,
            IdleTimeout::Minutes40 => 40 * 60,
            IdleTimeout::Minutes60 => 60 * 60,
            IdleTimeout::Hours24 => 24 * 60 * 60,
        }
    }
}

/// Session lifetimes (A5, SECURITY rule 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    /// Inactivity after which the session ends.
    pub idle: IdleTimeout,
    /// Lifetime after which the session ends however active (default 12 hours).
    pub absolute_seconds: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: IdleTimeout::default(),
            absolute_seconds: 12 * 60 * 60,
        }
    }
}

/// The state of a session at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Still valid.
    Active,
    /// Ended by inactivity.
    IdleExpired,
    /// Ended by its absolute lifetime.
    LifetimeExpired,
}

impl SessionPolicy {
    /// The state at `now` of a session created at `created_at` and last used at `last_seen`.
    pub fn state(
        &self,
        created_at: Timestamp,
        last_seen: Timestamp,
        now: Timestamp,
    ) -> SessionState {
        if now.seconds_since(created_at) >= self.absolute_seconds {
            SessionState::LifetimeExpired
        } else if now.seconds_since(last_seen) >= self.idle.seconds() {
            SessionState::IdleExpired
        } else {
            SessionState::Active
        }
    }
}

/// Failed-login throttling (SECURITY rule 4): at most this many failures an hour, per
/// account and per client address, with back-off before that.
pub const MAX_FAILED_LOGINS_PER_HOUR: u32 = 100;

/// How long a login attempt must wait after `failures` failed attempts in the last hour:
/// `None` when it may go ahead; the first five failures cost nothing, then the wait doubles
/// from 1 s up to 60 s, and at [`MAX_FAILED_LOGINS_PER_HOUR`] the answer is an hour.
pub fn login_backoff_seconds(failures: u32) -> Option<i64> {
    const FREE: u32 = 5;
    if failures >= MAX_FAILED_LOGINS_PER_HOUR {
        Some(3600)
    } else if failures < FREE {
        None
    } else {
        Some((1i64 << (failures - FREE).min(6)).min(60))
    }
}

/// Passwords too common to accept (SECURITY rule 2), lower-cased.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "passw0rd",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "qwerty123",
    "qwertz123",
    "iloveyou",
    "sunshine1",
    "princess1",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "admin123",
    "letmein1",
    "trustno1",
    "abc12345",
    "11111111",
    "00000000",
    "12341234",
    "87654321",
    "asdfghjk",
    "zaq12wsx",
    "passwort",
    "passwort1",
    "wachtwoord",
    "salasana",
    "adgangskode",
    "changeme",
    "superman",
    "starwars",
    "dragon123",
    "monkey123",
    "master123",
    "shadow12",
    "computer",
    "internet",
];

/// Why a new password is refused (SECURITY rule 2: 8 to 128 characters, no composition
/// rules, not among the most common passwords).
pub fn check_password(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < 8 {
        Err("too_short")
    } else if n > 128 {
        Err("too_long")
    } else if COMMON_PASSWORDS.contains(&password.to_lowercase().as_str()) {
        Err("too_common")
    } else {
        Ok(())
    }
}
