//! Mail in (issue 17): every fetched mail is stored raw first, then read and handled once:
//! noise is dropped, an answer with a thread token joins its ticket when its sender may
//! reply there (the reply page's rule, [`PortalTickets::reply`]), anything else becomes a
//! new ticket of its sender, and what cannot be handled waits in the quarantine for staff.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::actions::UploadLimits;
use crate::error::Error;
use crate::mail_in::{
    BouncedMail, InboundMail, InboundState, IncomingMail, MailParser, NewInboundMail,
    bounced_mails, is_bounce, noise, thread_tokens, ticket_subject,
};
use crate::model::{Contact, InboxId, TicketId, TimelineEvent, TimelineKind, Timestamp};
use crate::ports::{NewAttachment, NewContact, Ports};
use crate::query::html_to_text;
use crate::usecases::accounts::{hex, token_hash};
use crate::usecases::files::{Files, Upload};
use crate::usecases::portal::{CustomerTicket, PortalTickets, ReplyInput, file_ticket};

/// How long one handler holds a mail before another may take it over (ms).
const LEASE_MS: i64 = 5 * 60 * 1000;
/// The subject of a ticket whose mail had none.
const NO_SUBJECT: &str = "(no subject)";

/// Why a mail waits in the quarantine (codes stored with it and shown to staff).
pub mod reason {
    /// The raw bytes could not be read as a mail.
    pub const UNPARSABLE: &str = "unparsable";
    /// The raw mail is larger than portal takes.
    pub const TOO_LARGE: &str = "too_large";
    /// The mail has no `From` address.
    pub const NO_SENDER: &str = "no_sender";
    /// No contact has the sender's address and the inbox does not create contacts.
    pub const UNKNOWN_SENDER: &str = "unknown_sender";
    /// Its attachments break the upload limits.
    pub const ATTACHMENT_LIMIT: &str = "attachment_limit";
    /// Neither text nor attachments.
    pub const EMPTY: &str = "empty";
    /// The text breaks a limit of messages (too long).
    pub const INVALID: &str = "invalid";
    /// The inbox it came to no longer exists.
    pub const UNKNOWN_INBOX: &str = "unknown_inbox";
    /// The raw bytes are gone from the blob store.
    pub const RAW_MISSING: &str = "raw_missing";
}

/// Mail in, over the ports, a MIME parser and portal's own addresses.
#[derive(Clone)]
pub struct MailIn {
    ports: Ports,
    parser: Arc<dyn MailParser>,
    own: Vec<String>,
    limits: UploadLimits,
}

impl MailIn {
    /// Mail in with the default upload limits; `own` are portal's own addresses (its
    /// sender and reply addresses), whose mails are loops.
    pub fn new(ports: Ports, parser: Arc<dyn MailParser>, own: Vec<String>) -> MailIn {
        MailIn {
            ports,
            parser,
            own,
            limits: UploadLimits::default(),
        }
    }

    /// The same with other upload limits (attachments obey them like uploads do).
    pub fn with_limits(mut self, limits: UploadLimits) -> MailIn {
        self.limits = limits;
        self
    }

    /// The largest raw mail portal reads: every attachment at its limit, base64-encoded
    /// (4/3), plus 1 MiB for the text and headers. A larger mail is kept unread.
    pub fn max_raw_bytes(&self) -> u64 {
        self.limits.max_total_bytes / 3 * 4 + (1 << 20)
    }

    /// Stores a mail that came to `inbox` and handles it. The mail is safe once this
    /// returns: even when handling it failed (the error says why), it stays stored and
    /// pending, and [`MailIn::handle_pending`] takes it up again. The same bytes stored
    /// twice in one inbox are one mail, handled once.
    pub async fn receive(
        &self,
        inbox: InboxId,
        source: &str,
        raw: Vec<u8>,
    ) -> Result<InboundMail, Error> {
        let inboxes = self.ports.catalog.inboxes().await?;
        if !inboxes.iter().any(|i| i.id == inbox) {
            return Err(Error::invalid(
                "inbox",
                "unknown",
                format!("no inbox {inbox}"),
            ));
        }
        let digest = hex(&Sha256::digest(&raw));
        let size = raw.len() as u64;
        let blob_key = self.ports.blobs.put(raw).await?;
        let stored = self
            .ports
            .inbound
            .store(NewInboundMail {
                inbox,
                source: source
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect(),
                digest,
                blob_key: blob_key.clone(),
                size,
                at: self.ports.clock.now(),
            })
            .await;
        let id = match stored {
            Ok((id, true)) => id,
            Ok((id, false)) => {
                let _ = self.ports.blobs.delete(&blob_key).await;
                id
            }
            Err(e) => {
                let _ = self.ports.blobs.delete(&blob_key).await;
                return Err(e.into());
            }
        };
        self.handle(id).await
    }

    /// Handles a stored mail if it is pending and nobody else holds it; returns it as it
    /// is afterwards.
    pub async fn handle(&self, id: i64) -> Result<InboundMail, Error> {
        let now = self.ports.clock.now();
        if self
            .ports
            .inbound
            .lease(id, now, Timestamp(now.0 + LEASE_MS))
            .await?
        {
            let stored = self.stored(id).await?;
            self.handle_leased(&stored).await?;
        }
        self.stored(id).await
    }

    /// Handles up to `limit` pending mails whose handling was interrupted (a crash, a
    /// database that was down); returns how many it took up.
    pub async fn handle_pending(&self, limit: usize) -> Result<usize, Error> {
        let ids = self
            .ports
            .inbound
            .pending(self.ports.clock.now(), limit)
            .await?;
        let n = ids.len();
        for id in ids {
            self.handle(id).await?;
        }
        Ok(n)
    }

    async fn stored(&self, id: i64) -> Result<InboundMail, Error> {
        self.ports.inbound.get(id).await?.ok_or(Error::NotFound)
    }

    async fn quarantine(&self, id: i64, reason: &str) -> Result<(), Error> {
        Ok(self
            .ports
            .inbound
            .settle(id, InboundState::Quarantined, reason)
            .await?)
    }

    async fn handle_leased(&self, stored: &InboundMail) -> Result<(), Error> {
        let id = stored.id;
        if stored.size > self.max_raw_bytes() {
            return self.quarantine(id, reason::TOO_LARGE).await;
        }
        let Some(raw) = self.ports.blobs.get(&stored.blob_key).await? else {
            return self.quarantine(id, reason::RAW_MISSING).await;
        };
        let mut mail = match self.parser.parse(&raw) {
            Ok(m) => m,
            Err(_) => return self.quarantine(id, reason::UNPARSABLE).await,
        };
        drop(raw);
        self.ports
            .inbound
            .describe(id, mail.from.as_deref(), &mail.subject)
            .await?;
        if is_bounce(&mail) {
            self.mark_bounced(&mail).await?;
        }
        if let Some(n) = noise(&mail, &self.own) {
            return Ok(self
                .ports
                .inbound
                .settle(id, InboundState::Dropped, n.code())
                .await?);
        }
        let Some(from) = mail.from.clone() else {
            return self.quarantine(id, reason::NO_SENDER).await;
        };
        let sizes: Vec<u64> = mail
            .attachments
            .iter()
            .map(|a| a.bytes.len() as u64)
            .collect();
        if self.limits.check(&sizes).is_err() {
            return self.quarantine(id, reason::ATTACHMENT_LIMIT).await;
        }
        if html_to_text(&mail.body_html).trim().is_empty() && mail.attachments.is_empty() {
            return self.quarantine(id, reason::EMPTY).await;
        }
        let settings = self.ports.settings.load().await?;
        let inbox = self
            .ports
            .catalog
            .inboxes()
            .await?
            .into_iter()
            .find(|i| i.id == stored.inbox);
        let Some(inbox) = inbox else {
            return self.quarantine(id, reason::UNKNOWN_INBOX).await;
        };
        let known = self.ports.directory.contact_by_email(&from).await?;
        if known.is_none() && !settings.mail_creates_contact(inbox.id) {
            return self.quarantine(id, reason::UNKNOWN_SENDER).await;
        }
        // The files are stored once (their bytes moved, not copied), for the reply or the
        // ticket the mail becomes, and removed again when it surely became neither (a
        // refusal); after a backend failure a written message may name them, so they stay
        // (a leftover blob is unreachable, never shown).
        let uploads = std::mem::take(&mut mail.attachments)
            .into_iter()
            .map(|f| Upload::new(&f.file_name, f.bytes))
            .collect();
        let files = Files::new(self.ports.clone()).store(uploads).await?;
        let written = self
            .write(stored, &settings, &inbox, known, mail, &files)
            .await;
        if matches!(
            written,
            Err(Error::Invalid(_)
                | Error::NotFound
                | Error::ActionDenied(_)
                | Error::UploadRefused(_))
        ) {
            Files::new(self.ports.clone()).discard(&files).await;
        }
        match written {
            Ok(()) => Ok(()),
            Err(Error::Invalid(_)) => self.quarantine(id, reason::INVALID).await,
            Err(e) => Err(e),
        }
    }

    /// Writes the mail as its sender's reply on the ticket its token names, when the reply
    /// page would let the sender reply there, and as a new ticket of the sender otherwise
    /// (creating the contact when `known` is none).
    async fn write(
        &self,
        stored: &InboundMail,
        settings: &crate::settings::PortalSettings,
        inbox: &crate::model::Inbox,
        known: Option<Contact>,
        mail: IncomingMail,
        files: &[NewAttachment],
    ) -> Result<(), Error> {
        if let Some(contact) = &known
            && let Some(ticket) = self.joinable(&mail).await?
            && self
                .join(stored, settings, contact, ticket, &mail, files)
                .await?
        {
            return Ok(());
        }
        let contact = match known {
            Some(c) => c,
            None => {
                let from = mail.from.as_deref().unwrap_or_default();
                self.create_contact(from, mail.from_name.as_deref()).await?
            }
        };
        self.file(stored, settings, inbox, &contact, mail, files)
            .await
    }

    /// A delivery report about mails of portal's: those mails are marked dead with the
    /// report's subject, so staff see which recipient's mail failed (and can send it again).
    /// Only the null return path of a report counts, and only ids portal made.
    async fn mark_bounced(&self, mail: &IncomingMail) -> Result<(), Error> {
        let why = format!("returned by the recipient's mail server: {}", mail.subject);
        for b in bounced_mails(mail) {
            let id = match b {
                BouncedMail::Outbox(id) => Some(id),
                BouncedMail::Token(t) => self
                    .ports
                    .outbox
                    .thread(&token_hash(&t))
                    .await?
                    .and_then(|t| t.outbox),
            };
            if let Some(id) = id {
                match self.ports.outbox.bounce(id, &why).await {
                    Ok(()) | Err(crate::PortError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }

    /// The first ticket a thread token of the mail names.
    async fn joinable(&self, mail: &IncomingMail) -> Result<Option<TicketId>, Error> {
        for token in thread_tokens(mail) {
            if let Some(t) = self.ports.outbox.thread(&token_hash(&token)).await? {
                return Ok(Some(t.ticket));
            }
        }
        Ok(None)
    }

    /// Writes the mail as the sender's reply when the reply page would let the sender
    /// reply on `ticket`; `false` (nothing written) when it would not.
    async fn join(
        &self,
        stored: &InboundMail,
        settings: &crate::settings::PortalSettings,
        contact: &Contact,
        ticket: TicketId,
        mail: &IncomingMail,
        files: &[NewAttachment],
    ) -> Result<bool, Error> {
        let portal = PortalTickets::new(self.ports.clone()).with_limits(self.limits);
        let input = ReplyInput {
            body_html: mail.body_html.clone(),
            attachments: files.to_vec(),
        };
        match portal
            .reply_by(settings, contact, ticket, input, Some(stored.id))
            .await
        {
            Ok(_) => Ok(true),
            Err(Error::NotFound | Error::ActionDenied(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn file(
        &self,
        stored: &InboundMail,
        settings: &crate::settings::PortalSettings,
        inbox: &crate::model::Inbox,
        contact: &Contact,
        mail: IncomingMail,
        files: &[NewAttachment],
    ) -> Result<(), Error> {
        let mut subject = ticket_subject(&mail.subject);
        if subject.is_empty() {
            subject = NO_SUBJECT.into();
        }
        let now = self.ports.clock.now();
        let ticket = file_ticket(
            &self.ports,
            CustomerTicket {
                inbox,
                requester: contact,
                subject,
                properties: Default::default(),
                body_html: mail.body_html,
                attachments: files.to_vec(),
                at: now,
                mail_in: Some(stored.id),
                channel: crate::model::Channel::Email,
                private: crate::actions::mailed_ticket_private(&settings.actions),
                filer: None,
            },
        )
        .await?;
        self.ports
            .timeline
            .append(TimelineEvent {
                contact: contact.id,
                ticket: ticket.id,
                kind: TimelineKind::MailTicket,
                at: now,
            })
            .await?;
        Ok(())
    }

    /// The contact for an unknown sender, in the company whose web domain is the
    /// address's domain when there is one.
    async fn create_contact(&self, email: &str, name: Option<&str>) -> Result<Contact, Error> {
        let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        let company = match domain {
            "" => None,
            d => self
                .ports
                .directory
                .company_by_name_or_domain(d)
                .await?
                .filter(|c| {
                    c.domain
                        .as_deref()
                        .is_some_and(|cd| cd.eq_ignore_ascii_case(d))
                }),
        };
        let name: String = name
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        let (first, last) = match name.trim().rsplit_once(' ') {
            Some((f, l)) => (f.trim().to_string(), l.trim().to_string()),
            None => (name.trim().to_string(), String::new()),
        };
        let created = self
            .ports
            .directory
            .create_contact(NewContact {
                email: email.to_string(),
                membership_email: None,
                first_name: first,
                last_name: last,
                primary_company: company.map(|c| c.id),
                language: None,
                properties: Default::default(),
            })
            .await;
        match created {
            Ok(c) => Ok(c),
            // Created by a concurrent mail from the same sender.
            Err(crate::PortError::Conflict(_)) => self
                .ports
                .directory
                .contact_by_email(email)
                .await?
                .ok_or(Error::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// The quarantine, newest first (staff, issue 17).
    pub async fn quarantined(&self, limit: usize) -> Result<Vec<InboundMail>, Error> {
        Ok(self.ports.inbound.quarantined(limit).await?)
    }

    /// A stored mail with its raw bytes, to download.
    pub async fn raw(&self, id: i64) -> Result<(InboundMail, Vec<u8>), Error> {
        let stored = self.stored(id).await?;
        let bytes = Files::new(self.ports.clone())
            .read(&stored.blob_key)
            .await?;
        Ok((stored, bytes))
    }

    /// Handles a quarantined mail again (after staff added the contact, say).
    pub async fn retry(&self, id: i64) -> Result<InboundMail, Error> {
        self.ports.inbound.requeue(id).await?;
        self.handle(id).await
    }

    /// Deletes a quarantined mail and its raw bytes.
    pub async fn delete(&self, id: i64) -> Result<(), Error> {
        let key = self.ports.inbound.delete(id).await?;
        let _ = self.ports.blobs.delete(&key).await;
        Ok(())
    }

    /// The mails that became messages of `ticket` (the channel staff see).
    pub async fn of_ticket(&self, ticket: TicketId) -> Result<Vec<InboundMail>, Error> {
        Ok(self.ports.inbound.of_ticket(ticket).await?)
    }
}
