//! Fetching mail over IMAP (issue 17): each round logs in, takes the messages of one folder
//! that portal has not taken yet, hands each to mail in (which stores it raw before anything
//! else) and only then marks it taken on the server with the keyword `$PortalTaken` (and
//! `\Deleted` when the account says so). Between rounds it waits with IMAP IDLE where the
//! server offers it, so a new mail is taken within moments, not at the next poll.
//!
//! Nothing is lost or taken twice: a server killed between fetching and marking leaves the
//! message unmarked, so the next round fetches it again, and mail in stores one mail once
//! per inbox (its bytes' SHA-256 is unique there); two servers polling one mailbox meet at
//! the same rule. The protocol is `async-imap`'s; TLS is rustls with the Mozilla roots.

use std::sync::Arc;

use futures::TryStreamExt;
use portal_core::mail_in::InboundState;
use portal_core::model::InboxId;
use portal_core::usecases::mail_in::MailIn;

/// The keyword that marks a message portal has stored.
pub const TAKEN: &str = "$PortalTaken";
/// Messages taken in one round at most (the next round takes the rest).
pub const ROUND_LIMIT: usize = 200;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImapSecurity {
    /// TLS from the first byte (IMAPS, port 993).
    Tls,
    /// No TLS: only for a server on the same machine or a private network.
    Plain,
}

/// One mailbox portal reads for an inbox.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapAccount {
    /// The inbox its mails go to.
    pub inbox: InboxId,
    /// Server host name.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// TLS or not.
    pub security: ImapSecurity,
    /// Login name.
    pub user: String,
    /// Password.
    pub password: String,
    /// The folder read (`INBOX`).
    pub folder: String,
    /// Delete what was taken (expunged at the end of the round) instead of keeping it
    /// marked.
    pub delete_taken: bool,
}

impl std::fmt::Debug for ImapAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapAccount")
            .field("inbox", &self.inbox)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &"(set)")
            .field("folder", &self.folder)
            .field("delete_taken", &self.delete_taken)
            .finish()
    }
}

impl ImapAccount {
    /// How mails from this account are named in the store and the logs.
    pub fn source(&self) -> String {
        format!("imap:{}@{}/{}", self.user, self.host, self.folder)
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundReport {
    /// Messages stored (and marked taken on the server).
    pub taken: usize,
    /// Of those, the ones that became a ticket or a reply.
    pub filed: usize,
    /// Messages left on the server for the next round (storing them failed).
    pub left: usize,
}

type Error = String;

fn imap_error(what: &str) -> impl Fn(async_imap::error::Error) -> Error + '_ {
    move |e| format!("IMAP {what}: {e}")
}

async fn tcp(account: &ImapAccount) -> Result<tokio::net::TcpStream, Error> {
    tokio::net::TcpStream::connect((account.host.as_str(), account.port))
        .await
        .map_err(|e| format!("connect {}:{}: {e}", account.host, account.port))
}

async fn tls(
    account: &ImapAccount,
    tcp: tokio::net::TcpStream,
) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(account.host.clone())
        .map_err(|e| format!("TLS server name {}: {e}", account.host))?;
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS with {}: {e}", account.host))
}

/// One round over `account`: connects, takes what is new, disconnects.
pub async fn poll_once(account: &ImapAccount, mail_in: &MailIn) -> Result<RoundReport, Error> {
    let tcp = tcp(account).await?;
    match account.security {
        ImapSecurity::Plain => round(async_imap::Client::new(tcp), account, mail_in).await,
        ImapSecurity::Tls => {
            let tls = tls(account, tcp).await?;
            round(async_imap::Client::new(tls), account, mail_in).await
        }
    }
}

/// Waits for news in the folder with IMAP IDLE (RFC 2177) for at most `timeout`: `true`
/// when the server offers IDLE (and it returned: new mail, or the time ran out), `false`
/// when it does not, so the caller sleeps instead.
pub async fn wait_for_news(
    account: &ImapAccount,
    timeout: std::time::Duration,
) -> Result<bool, Error> {
    let tcp = tcp(account).await?;
    match account.security {
        ImapSecurity::Plain => idle(async_imap::Client::new(tcp), account, timeout).await,
        ImapSecurity::Tls => {
            let tls = tls(account, tcp).await?;
            idle(async_imap::Client::new(tls), account, timeout).await
        }
    }
}

async fn session<T>(
    mut client: async_imap::Client<T>,
    account: &ImapAccount,
) -> Result<async_imap::Session<T>, Error>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    client
        .read_response()
        .await
        .map_err(|e| format!("IMAP greeting: {e}"))?
        .ok_or("IMAP: the server closed the connection")?;
    let mut session = client
        .login(&account.user, &account.password)
        .await
        .map_err(|(e, _)| format!("IMAP login as {}: {e}", account.user))?;
    session
        .select(&account.folder)
        .await
        .map_err(imap_error("select"))?;
    Ok(session)
}

async fn idle<T>(
    client: async_imap::Client<T>,
    account: &ImapAccount,
    timeout: std::time::Duration,
) -> Result<bool, Error>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut session = session(client, account).await?;
    let offers = session
        .capabilities()
        .await
        .map_err(imap_error("capability"))?
        .has_str("IDLE");
    if !offers {
        session.logout().await.map_err(imap_error("logout"))?;
        return Ok(false);
    }
    // Mail that came after the last round's search: no need to wait.
    let waiting = session
        .uid_search(format!("UNDELETED UNKEYWORD {TAKEN}"))
        .await
        .map_err(imap_error("search"))?;
    if !waiting.is_empty() {
        session.logout().await.map_err(imap_error("logout"))?;
        return Ok(true);
    }
    let mut handle = session.idle();
    handle.init().await.map_err(imap_error("idle"))?;
    let (news, _stop) = handle.wait_with_timeout(timeout);
    news.await.map_err(imap_error("idle"))?;
    let mut session = handle.done().await.map_err(imap_error("idle done"))?;
    session.logout().await.map_err(imap_error("logout"))?;
    Ok(true)
}

async fn round<T>(
    client: async_imap::Client<T>,
    account: &ImapAccount,
    mail_in: &MailIn,
) -> Result<RoundReport, Error>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut session = session(client, account).await?;
    let mut uids: Vec<u32> = session
        .uid_search(format!("UNDELETED UNKEYWORD {TAKEN}"))
        .await
        .map_err(imap_error("search"))?
        .into_iter()
        .collect();
    uids.sort_unstable();
    uids.truncate(ROUND_LIMIT);
    let source = account.source();
    let mut report = RoundReport::default();
    for uid in uids {
        let fetched: Vec<async_imap::types::Fetch> = session
            .uid_fetch(uid.to_string(), "BODY.PEEK[]")
            .await
            .map_err(imap_error("fetch"))?
            .try_collect()
            .await
            .map_err(imap_error("fetch"))?;
        let Some(raw) = fetched.iter().find_map(|f| f.body()).map(<[u8]>::to_vec) else {
            continue;
        };
        let received = mail_in.receive(account.inbox, &source, raw).await;
        let result = match &received {
            Ok(m) => m.state.code(),
            Err(_) => "error",
        };
        metrics::counter!("portal_mail_in_total", "result" => result).increment(1);
        match received {
            Ok(m) => {
                report.taken += 1;
                if m.state == InboundState::Taken {
                    report.filed += 1;
                }
            }
            // Not stored, or stored and not yet handled: left unmarked, so the next
            // round hands it over again (stored once, handled once).
            Err(e) => {
                tracing::warn!(source = %source, uid, error = %e, "a fetched mail was not taken");
                report.left += 1;
                continue;
            }
        }
        let flags = if account.delete_taken {
            format!("+FLAGS.SILENT ({TAKEN} \\Seen \\Deleted)")
        } else {
            format!("+FLAGS.SILENT ({TAKEN} \\Seen)")
        };
        let _: Vec<_> = session
            .uid_store(uid.to_string(), flags)
            .await
            .map_err(imap_error("store"))?
            .try_collect()
            .await
            .map_err(imap_error("store"))?;
    }
    if account.delete_taken && report.taken > 0 {
        let _: Vec<_> = session
            .expunge()
            .await
            .map_err(imap_error("expunge"))?
            .try_collect()
            .await
            .map_err(imap_error("expunge"))?;
    }
    session.logout().await.map_err(imap_error("logout"))?;
    Ok(report)
}

/// Takes mail from `account` for as long as the server runs: a round, then IDLE until the
/// server reports news or `every` has passed (a plain wait of `every` where the server
/// offers no IDLE or it failed). A failed round is logged and tried again; `report` hears
/// how every round went (the staff side shows it for its mailboxes).
pub async fn run<F, Fut>(
    account: ImapAccount,
    mail_in: MailIn,
    every: std::time::Duration,
    mut report: F,
) where
    F: FnMut(Result<RoundReport, Error>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    loop {
        let round = poll_once(&account, &mail_in).await;
        match &round {
            Ok(r) if r.taken > 0 || r.left > 0 => {
                tracing::info!(source = %account.source(), taken = r.taken, filed = r.filed, left = r.left, "mail fetched")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(source = %account.source(), error = %e, "mail fetch failed"),
        }
        report(round).await;
        match wait_for_news(&account, every).await {
            Ok(true) => {}
            Ok(false) => tokio::time::sleep(every).await,
            Err(e) => {
                tracing::warn!(source = %account.source(), error = %e, "IMAP IDLE failed");
                tokio::time::sleep(every).await;
            }
        }
    }
}
