//! Logins and sessions (A1–A3, A5; SECURITY rules 3, 5–7).

use sha2::{Digest, Sha256};

use crate::access::{
    EntryDenied, EntryRequest, LoginMethod, SessionPolicy, SessionState, check_password, may_enter,
};
use crate::error::Error;
use crate::model::{Contact, ContactId};
use crate::ports::{Account, OneTimeToken, OutgoingMail, Ports, Principal, Session, TokenPurpose};

mod preferences;

/// SHA-256 of a token, lower-case hex: the only form in which tokens are stored.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A session's last use is written at most this often.
pub const TOUCH_INTERVAL_SECONDS: i64 = 60;

/// A new session: the token for the cookie (shown once) and what was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The cookie value: 256 random bits, hex.
    pub token: String,
    /// The stored session (token hashed).
    pub session: Session,
}

/// What a visitor enters to register (A2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegistrationInput {
    /// Login email.
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Password (SECURITY rule 2).
    pub password: String,
    /// Whether the consent box was ticked.
    pub consent: bool,
    /// The visitor's language.
    pub language: String,
    /// The client's address (mail requests are limited per address, SECURITY rule 4).
    pub client: String,
}

/// A customer logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The account.
    pub account: Account,
    /// Its contact.
    pub contact: Contact,
}

/// Login and session use cases.
#[derive(Clone)]
pub struct Accounts {
    ports: Ports,
    /// The installation's key for anonymous CSRF tokens, read once per process.
    csrf_key: std::sync::Arc<std::sync::OnceLock<Vec<u8>>>,
}

/// The name of the key that signs anonymous CSRF tokens (`SettingsRepository::server_key`).
pub const CSRF_KEY: &str = "anonymous-csrf";

impl Accounts {
    /// Use cases over these ports.
    pub fn new(ports: Ports) -> Accounts {
        Accounts {
            ports,
            csrf_key: Default::default(),
        }
    }

    /// The CSRF token for a visitor without a session (SECURITY rule 8): HMAC-SHA256, under
    /// the installation's secret key, of the pre-session id the visitor's cookie holds. A
    /// form is accepted only with the token that belongs to its cookie, so whoever can plant
    /// a cookie still cannot make the matching token; every server derives the same one.
    pub async fn anonymous_csrf(&self, pre_session: &str) -> Result<String, Error> {
        use hmac::{KeyInit, Mac};
        if self.csrf_key.get().is_none() {
            let stored = self.ports.settings.server_key(CSRF_KEY, self.new_token());
            // Racing requests read the same stored key; the first to finish keeps it.
            let _ = self.csrf_key.set(stored.await?.into_bytes());
        }
        let key = self
            .csrf_key
            .get()
            .ok_or_else(|| Error::Internal("the CSRF key was not kept".into()))?;
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key)
            .map_err(|e| Error::Internal(format!("csrf key: {e}")))?;
        mac.update(b"portal anonymous csrf\0");
        mac.update(pre_session.as_bytes());
        Ok(hex(&mac.finalize().into_bytes()))
    }

    /// Whether a mail a visitor asked for may go out (the throttle's rule for mails).
    async fn mail_allowed(&self, kind: &str, email: &str, client: &str) -> Result<bool, Error> {
        crate::usecases::throttle::Throttle::new(self.ports.clone())
            .mail_request(kind, email, client)
            .await
    }

    /// A fresh random token, hex (a CSRF token for a visitor without a session).
    pub fn new_token(&self) -> String {
        hex(&self.ports.random.token_bytes())
    }

    /// Starts a session for `principal`: fresh token, stored hashed (rule 5).
    pub async fn start_session(&self, principal: Principal) -> Result<NewSession, Error> {
        let token = hex(&self.ports.random.token_bytes());
        let now = self.ports.clock.now();
        let session = Session {
            token_hash: token_hash(&token),
            principal,
            created_at: now,
            last_seen: now,
            csrf_secret: hex(&self.ports.random.token_bytes()),
        };
        self.ports.sessions.insert(session.clone()).await?;
        Ok(NewSession { token, session })
    }

    /// Email and password login. Wrong email and wrong password answer alike, after the same
    /// work (rule 3); then the access rules decide (A1, A2).
    pub async fn login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<(Customer, NewSession), Error> {
        let settings = self.ports.settings.load().await?;
        if !settings.enabled {
            return Err(Error::PortalOff);
        }
        let account = self.ports.accounts.by_email(email.trim()).await?;
        let hash = account.as_ref().and_then(|a| a.password_hash.as_deref());
        let ok = self.ports.hasher.verify(password, hash).await;
        let account = match account {
            Some(a) if ok => a,
            _ => return Err(Error::BadCredentials),
        };
        let contact = self
            .ports
            .directory
            .contact(account.contact)
            .await?
            .ok_or(Error::BadCredentials)?;
        self.password_entry(&settings, &account, contact.id).await?;
        if !account.email_confirmed {
            return Err(EntryDenied::EmailNotConfirmed.into());
        }
        let session = self.start_session(Principal::Customer(account.id)).await?;
        Ok((Customer { account, contact }, session))
    }

    /// The session behind a cookie token, when it is still valid: an expired one is deleted
    /// (A5, rule 6); a valid one has its last use moved to now.
    pub async fn resume(&self, token: &str) -> Result<Option<Session>, Error> {
        let policy = self.ports.settings.load().await?.session;
        self.resume_with(token, &policy).await
    }

    /// [`Accounts::resume`] under a session policy the caller already holds. The last use is
    /// written at most once every [`TOUCH_INTERVAL_SECONDS`], so reading pages does not
    /// write on every request; the idle timeout is then exact to within that interval.
    pub async fn resume_with(
        &self,
        token: &str,
        policy: &SessionPolicy,
    ) -> Result<Option<Session>, Error> {
        let hash = token_hash(token);
        let Some(session) = self.ports.sessions.get(&hash).await? else {
            return Ok(None);
        };
        let now = self.ports.clock.now();
        match policy.state(session.created_at, session.last_seen, now) {
            SessionState::Active => {
                if now.seconds_since(session.last_seen) >= TOUCH_INTERVAL_SECONDS {
                    self.ports.sessions.touch(&hash, now).await?;
                    return Ok(Some(Session {
                        last_seen: now,
                        ..session
                    }));
                }
                Ok(Some(session))
            }
            SessionState::IdleExpired | SessionState::LifetimeExpired => {
                self.ports.sessions.delete(&hash).await?;
                Ok(None)
            }
        }
    }

    /// The session behind a cookie token and its customer, in one storage round trip:
    /// `None` when the session is missing, expired (then deleted), a staff session, its
    /// account is disabled, or its contact may no longer enter ([`crate::access::may_stay`];
    /// then the session is deleted too).
    pub async fn resume_customer(
        &self,
        token: &str,
        settings: &crate::settings::PortalSettings,
    ) -> Result<Option<(Session, Customer)>, Error> {
        let policy = &settings.session;
        let hash = token_hash(token);
        let Some((session, who)) = self.ports.sessions.get_with_customer(&hash).await? else {
            return Ok(None);
        };
        let now = self.ports.clock.now();
        if policy.state(session.created_at, session.last_seen, now) != SessionState::Active {
            self.ports.sessions.delete(&hash).await?;
            return Ok(None);
        }
        let Some((account, contact)) = who else {
            return Ok(None);
        };
        if !account.enabled {
            self.ports.sessions.delete(&hash).await?;
            return Ok(None);
        }
        // Access is re-checked on every request (A1, A3): a contact who may no longer enter
        // loses the session now, not when it times out. The lists are read only when the
        // rule depends on them.
        if !crate::access::stays_without_lists(&settings.access) {
            let memberships = self.ports.directory.memberships(contact.id).await?;
            if crate::access::may_stay(&settings.access, &memberships, account.enabled).is_err() {
                self.ports.sessions.delete(&hash).await?;
                return Ok(None);
            }
        }
        let session = if now.seconds_since(session.last_seen) >= TOUCH_INTERVAL_SECONDS {
            self.ports.sessions.touch(&hash, now).await?;
            Session {
                last_seen: now,
                ..session
            }
        } else {
            session
        };
        Ok(Some((session, Customer { account, contact })))
    }

    /// The customer a session belongs to, when the account is still enabled and allowed in.
    pub async fn customer(&self, session: &Session) -> Result<Option<Customer>, Error> {
        let Principal::Customer(id) = session.principal else {
            return Ok(None);
        };
        let Some(account) = self.ports.accounts.by_id(id).await? else {
            return Ok(None);
        };
        if !account.enabled {
            self.ports.sessions.delete(&session.token_hash).await?;
            return Ok(None);
        }
        let contact = self.ports.directory.contact(account.contact).await?;
        Ok(contact.map(|contact| Customer { account, contact }))
    }

    /// Ends a session on the server (rule 7).
    pub async fn logout(&self, token: &str) -> Result<(), Error> {
        Ok(self.ports.sessions.delete(&token_hash(token)).await?)
    }

    /// Asks for a password reset (SECURITY rules 3, 9): when an account has this login email,
    /// a single-use link valid for 15 minutes goes to the contact's membership email (A4) in
    /// their language; earlier unused reset links stop working. The answer is the same
    /// whether or not the account exists. `portal_url` is the configured portal address
    /// (never the request's Host), e.g. `https://help.example.com/portal`.
    pub async fn request_reset(
        &self,
        email: &str,
        portal_url: &str,
        client: &str,
    ) -> Result<(), Error> {
        let settings = self.ports.settings.load().await?;
        if !settings.enabled {
            return Err(Error::PortalOff);
        }
        if !self.mail_allowed("reset", email, client).await? {
            return Ok(());
        }
        let Some(account) = self.ports.accounts.by_email(email.trim()).await? else {
            return Ok(());
        };
        let Some(contact) = self.ports.directory.contact(account.contact).await? else {
            return Ok(());
        };
        if !account.enabled {
            return Ok(());
        }
        let language = self
            .mail_language(&settings, Some(&account), &contact)
            .await?;
        self.send_link(
            &contact,
            &language,
            TokenPurpose::PasswordReset,
            "password_reset",
            "reset",
            &settings.name,
            portal_url,
        )
        .await?;
        Ok(())
    }

    /// Sets a new password with a reset link's token (single use; rule 9). Does not log in
    /// (rule 9); with `end_sessions` every session of the account ends (rule 7).
    pub async fn reset_password(
        &self,
        token: &str,
        password: &str,
        end_sessions: bool,
    ) -> Result<(), Error> {
        let hash = self.new_password_hash(password).await?;
        let account = self.redeem(token, TokenPurpose::PasswordReset).await?;
        self.ports
            .accounts
            .update(&Account {
                password_hash: Some(hash),
                ..account.clone()
            })
            .await?;
        if end_sessions {
            self.ports
                .sessions
                .delete_all(Principal::Customer(account.id), None)
                .await?;
        }
        Ok(())
    }

    /// Asks for an emailed login link (SECURITY rule 9: 15 minutes, single use, only its
    /// hash stored). The same answer whether or not the address has a login (rule 3);
    /// `NotFound` while login links are off.
    pub async fn request_login_link(
        &self,
        email: &str,
        portal_url: &str,
        client: &str,
    ) -> Result<(), Error> {
        let settings = self.ports.settings.load().await?;
        if !settings.enabled {
            return Err(Error::PortalOff);
        }
        if !settings.access.login_link_open() {
            return Err(Error::NotFound);
        }
        if !self.mail_allowed("login_link", email, client).await? {
            return Ok(());
        }
        let Some(account) = self.ports.accounts.by_email(email.trim()).await? else {
            return Ok(());
        };
        if !account.enabled || !account.email_confirmed {
            return Ok(());
        }
        let Some(contact) = self.ports.directory.contact(account.contact).await? else {
            return Ok(());
        };
        if self
            .password_entry(&settings, &account, contact.id)
            .await
            .is_err()
        {
            return Ok(());
        }
        let language = self
            .mail_language(&settings, Some(&account), &contact)
            .await?;
        self.send_link(
            &contact,
            &language,
            TokenPurpose::LoginLink,
            "login_link",
            "login/link",
            &settings.name,
            portal_url,
        )
        .await
    }

    /// Logs in with an emailed link: the token is used up, the access rules are checked
    /// again (they may have changed since), and a fresh session starts.
    pub async fn login_with_link(&self, token: &str) -> Result<(Customer, NewSession), Error> {
        let settings = self.ports.settings.load().await?;
        if !settings.enabled {
            return Err(Error::PortalOff);
        }
        if !settings.access.login_link_open() {
            return Err(Error::NotFound);
        }
        let account = self.redeem(token, TokenPurpose::LoginLink).await?;
        let contact = self
            .ports
            .directory
            .contact(account.contact)
            .await?
            .ok_or(Error::NotFound)?;
        self.password_entry(&settings, &account, contact.id).await?;
        let session = self.start_session(Principal::Customer(account.id)).await?;
        Ok((Customer { account, contact }, session))
    }

    /// Self-registration (A2): checks the input, creates the contact (when new) and an
    /// unconfirmed account with the consent given and the exact notice text, and sends the
    /// confirmation link (7 days) to the address. An address that already has an account gets
    /// the same answer and nothing changes (rule 3). `NotFound` while self-registration is off.
    pub async fn register(&self, input: RegistrationInput, portal_url: &str) -> Result<(), Error> {
        let settings = self.ports.settings.load().await?;
        if !settings.enabled {
            return Err(Error::PortalOff);
        }
        if !settings.access.registration_open() {
            return Err(Error::NotFound);
        }
        let email = input.email.trim().to_string();
        let mut problems = Vec::new();
        let mut problem = |field: &str, code: &str| {
            problems.push(crate::settings::FieldError {
                field: field.into(),
                code: code.into(),
                detail: code.replace('_', " "),
            })
        };
        let at = email.find('@');
        if email.is_empty() {
            problem("email", "required");
        } else if email.len() > 254
            || at.is_none_or(|i| i == 0 || i + 1 >= email.len())
            || email.contains(char::is_whitespace)
        {
            problem("email", "invalid_email");
        }
        if input.first_name.trim().is_empty() {
            problem("first_name", "required");
        }
        for (field, v) in [
            ("first_name", &input.first_name),
            ("last_name", &input.last_name),
        ] {
            if v.chars().count() > 100 {
                problem(field, "too_long");
            }
        }
        if let Err(code) = check_password(&input.password) {
            problem("password", code);
        }
        if !input.consent {
            problem("consent", "required");
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if !self
            .mail_allowed("registration", &email, &input.client)
            .await?
        {
            // Answered like any registration: the mail would have been the same.
            return Ok(());
        }
        if let Some(existing) = self.ports.accounts.by_email(&email).await? {
            // Rule 3: the same answer as a new registration, about the same work, no change.
            self.ports.hasher.verify(&input.password, None).await;
            // A registration that was never confirmed (the mail lost, or never queued) gets
            // its confirmation link again; the account itself does not change.
            if !existing.email_confirmed
                && existing.password_hash.is_some()
                && let Some(contact) = self.ports.directory.contact(existing.contact).await?
            {
                let language = existing
                    .language
                    .clone()
                    .unwrap_or_else(|| input.language.clone());
                self.send_link(
                    &contact,
                    &language,
                    TokenPurpose::EmailConfirmation,
                    "email_confirmation",
                    "confirm",
                    &settings.name,
                    portal_url,
                )
                .await?;
            }
            return Ok(());
        }
        let contact = match self.ports.directory.contact_by_email(&email).await? {
            Some(c) => c,
            None => {
                self.ports
                    .directory
                    .create_contact(crate::ports::NewContact {
                        email: email.clone(),
                        membership_email: None,
                        first_name: input.first_name.trim().into(),
                        last_name: input.last_name.trim().into(),
                        primary_company: None,
                        language: Some(input.language.clone()),
                        properties: Default::default(),
                    })
                    .await?
            }
        };
        if self.ports.accounts.by_contact(contact.id).await?.is_some() {
            return Ok(());
        }
        let now = self.ports.clock.now();
        self.ports
            .accounts
            .create(Account {
                id: crate::model::AccountId(0),
                contact: contact.id,
                email,
                password_hash: Some(self.ports.hasher.hash(&input.password).await?),
                enabled: true,
                email_confirmed: false,
                language: Some(input.language.clone()),
                time_zone: None,
                consent: Some(crate::ports::Consent {
                    text: settings.consent.text.clone(),
                    at: now,
                }),
                created_at: now,
            })
            .await?;
        self.send_link(
            &contact,
            &input.language,
            TokenPurpose::EmailConfirmation,
            "email_confirmation",
            "confirm",
            &settings.name,
            portal_url,
        )
        .await
    }

    /// Invites one contact of an access group (A1, A4): an account without a password is
    /// created when missing, and a registration link (single use, 7 days) goes to the
    /// membership email; an earlier link stops working (so this is also "resend").
    /// `EntryDenied` when the contact is on no access group.
    pub async fn invite(&self, contact: ContactId, portal_url: &str) -> Result<(), Error> {
        let settings = self.ports.settings.load().await?;
        let contact = self
            .ports
            .directory
            .contact(contact)
            .await?
            .ok_or(Error::NotFound)?;
        let memberships = self.ports.directory.memberships(contact.id).await?;
        if memberships.is_disjoint(&settings.access.access_groups) {
            return Err(EntryDenied::NotInAccessGroup.into());
        }
        let account = self.ports.accounts.by_contact(contact.id).await?;
        let language = self
            .mail_language(&settings, account.as_ref(), &contact)
            .await?;
        if account.is_none() {
            self.ports
                .accounts
                .create(Account {
                    id: crate::model::AccountId(0),
                    contact: contact.id,
                    email: contact.email.clone(),
                    password_hash: None,
                    enabled: true,
                    email_confirmed: false,
                    language: contact.language.clone(),
                    time_zone: None,
                    consent: None,
                    created_at: self.ports.clock.now(),
                })
                .await?;
        }
        self.send_link(
            &contact,
            &language,
            TokenPurpose::Registration,
            "registration",
            "welcome",
            &settings.name,
            portal_url,
        )
        .await
    }

    /// Invites every member of the access groups who has no password yet (A1); returns how
    /// many were invited.
    pub async fn invite_access_groups(&self, portal_url: &str) -> Result<usize, Error> {
        let settings = self.ports.settings.load().await?;
        self.invite_lists(&settings.access.access_groups, portal_url)
            .await
    }

    /// After a settings change: the lists that became access groups invite their members
    /// who have no login yet (A1); returns how many were invited.
    pub async fn invite_new_access_groups(
        &self,
        before: &crate::settings::PortalSettings,
        after: &crate::settings::PortalSettings,
        portal_url: &str,
    ) -> Result<usize, Error> {
        let added: std::collections::BTreeSet<_> = after
            .access
            .access_groups
            .difference(&before.access.access_groups)
            .copied()
            .collect();
        if added.is_empty() {
            return Ok(0);
        }
        self.invite_lists(&added, portal_url).await
    }

    /// Invites the members of these lists who have no login yet (each once), e.g. when the
    /// admin makes them access groups; returns how many were invited.
    pub async fn invite_lists(
        &self,
        lists: &std::collections::BTreeSet<crate::model::ListId>,
        portal_url: &str,
    ) -> Result<usize, Error> {
        let mut invited = std::collections::BTreeSet::new();
        for list in lists {
            for contact in self.ports.directory.members(*list).await? {
                let has_login = self
                    .ports
                    .accounts
                    .by_contact(contact)
                    .await?
                    .is_some_and(|a| a.password_hash.is_some());
                if !has_login && invited.insert(contact) {
                    self.invite(contact, portal_url).await?;
                }
            }
        }
        Ok(invited.len())
    }

    /// Sets the first password with an invitation's token (single use, 7 days); the address
    /// counts as confirmed, since the link arrived there.
    pub async fn accept_invitation(&self, token: &str, password: &str) -> Result<(), Error> {
        let hash = self.new_password_hash(password).await?;
        let account = self.redeem(token, TokenPurpose::Registration).await?;
        self.ports
            .accounts
            .update(&Account {
                password_hash: Some(hash),
                email_confirmed: true,
                ..account
            })
            .await?;
        Ok(())
    }

    /// Confirms a self-registered address with the emailed token (single use, 7 days).
    pub async fn confirm_email(&self, token: &str) -> Result<(), Error> {
        let account = self.redeem(token, TokenPurpose::EmailConfirmation).await?;
        self.ports
            .accounts
            .update(&Account {
                email_confirmed: true,
                ..account
            })
            .await?;
        Ok(())
    }

    /// The language of a mail to `contact` (N1, P3): see [`crate::settings::mail_language`].
    async fn mail_language(
        &self,
        settings: &crate::settings::PortalSettings,
        account: Option<&Account>,
        contact: &Contact,
    ) -> Result<String, Error> {
        Ok(crate::settings::mail_language(
            account.and_then(|a| a.language.as_deref()),
            contact.language.as_deref(),
            super::domain_language(&self.ports, settings)
                .await?
                .as_deref(),
        ))
    }

    /// Checks a new password (rule 2) and hashes it.
    async fn new_password_hash(&self, password: &str) -> Result<String, Error> {
        check_password(password)
            .map_err(|code| Error::invalid("password", code, code.replace('_', " ")))?;
        Ok(self.ports.hasher.hash(password).await?)
    }

    /// Uses an emailed token of `purpose` (once, before it expires) and returns the account
    /// of its contact; an `Invalid` "token" error when it is used up, expired or unknown.
    /// The access rules for entering with the account's email (password or emailed link).
    async fn password_entry(
        &self,
        settings: &crate::settings::PortalSettings,
        account: &Account,
        contact: ContactId,
    ) -> Result<(), Error> {
        let memberships = self.ports.directory.memberships(contact).await?;
        Ok(may_enter(
            &settings.access,
            &EntryRequest {
                method: LoginMethod::Password,
                memberships: &memberships,
                account_enabled: account.enabled,
            },
        )?)
    }

    async fn redeem(&self, token: &str, purpose: TokenPurpose) -> Result<Account, Error> {
        let now = self.ports.clock.now();
        let used = self
            .ports
            .tokens
            .consume(&token_hash(token), purpose, now)
            .await?
            .ok_or_else(|| {
                Error::invalid("token", "invalid_link", "the link is used up or expired")
            })?;
        self.ports
            .accounts
            .by_contact(used.contact)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Stores a fresh token of `purpose` for the contact (earlier ones revoked) and queues
    /// the mail carrying its link `{portal_url}/{path}/{token}`, to the membership email (A4).
    #[allow(clippy::too_many_arguments)]
    async fn send_link(
        &self,
        contact: &Contact,
        language: &str,
        purpose: TokenPurpose,
        template: &str,
        path: &str,
        portal_name: &str,
        portal_url: &str,
    ) -> Result<(), Error> {
        let token = hex(&self.ports.random.token_bytes());
        let now = self.ports.clock.now();
        let name = if contact.first_name.is_empty() {
            contact.email.clone()
        } else {
            contact.first_name.clone()
        };
        let link = format!("{}/{path}/{token}", portal_url.trim_end_matches('/'));
        self.ports
            .tokens
            .issue(
                OneTimeToken {
                    token_hash: token_hash(&token),
                    purpose,
                    contact: contact.id,
                    expires_at: now.plus_seconds(purpose.lifetime_seconds()),
                },
                OutgoingMail::new(
                    contact.membership_address(),
                    language,
                    template,
                    std::collections::BTreeMap::from([
                        ("name".to_string(), name),
                        ("portal".to_string(), portal_name.to_string()),
                        ("link".to_string(), link),
                    ]),
                ),
                now,
            )
            .await?;
        Ok(())
    }

    /// Changes a logged-in customer's password: the current one is required, the new one
    /// follows rule 2; with `end_others`, every other session of the account ends and the
    /// current one (`session_hash`) stays (rule 7).
    pub async fn change_password(
        &self,
        customer: &Customer,
        session_hash: &str,
        current: &str,
        new: &str,
        end_others: bool,
    ) -> Result<(), Error> {
        if !self
            .ports
            .hasher
            .verify(current, customer.account.password_hash.as_deref())
            .await
        {
            return Err(Error::invalid(
                "current_password",
                "wrong_password",
                "the current password is wrong",
            ));
        }
        let hash = self.new_password_hash(new).await?;
        self.ports
            .accounts
            .update(&Account {
                password_hash: Some(hash),
                ..customer.account.clone()
            })
            .await?;
        if end_others {
            self.ports
                .sessions
                .delete_all(Principal::Customer(customer.account.id), Some(session_hash))
                .await?;
        }
        Ok(())
    }

    /// Disables an account and ends all its sessions (rule 7).
    pub async fn disable(&self, account: &Account) -> Result<(), Error> {
        let disabled = Account {
            enabled: false,
            ..account.clone()
        };
        self.ports.accounts.update(&disabled).await?;
        self.ports
            .sessions
            .delete_all(Principal::Customer(account.id), None)
            .await?;
        Ok(())
    }
}
