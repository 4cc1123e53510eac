//! Mail in over IMAP against a real Dovecot (issue 17): started by the test on a loopback
//! port with its own configuration and a throwaway mailbox, stopped and removed at the end.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use futures::TryStreamExt;
use portal_core::mail_in::InboundState;
use portal_core::model::{InboxId, TicketId};
use portal_core::ports::{MailThread, OutgoingMail, Ports};
use portal_core::usecases::mail_in::MailIn;
use portal_core::usecases::portal::PortalTickets;
use portal_mail::imap::{ImapAccount, ImapSecurity, TAKEN, poll_once};
use portal_server::{config, demo, open_store, system_ports};

use crate::{env_of, temp_dir};

const USER: &str = "support";
const PASSWORD: &str = "imap-test-password";

/// A Dovecot serving one user's maildir on a free loopback port.
pub struct Dovecot {
    dir: PathBuf,
    child: Child,
    pub port: u16,
}

fn dovecot_binary() -> PathBuf {
    ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("Dovecot is missing: install dovecot-imapd (scripts/test does)")
}

impl Dovecot {
    pub fn start(name: &str) -> Dovecot {
        let dir = temp_dir(&format!("dovecot-{name}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let ids = mail_ids();
        for sub in ["run", "state", "home"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(
            dir.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .unwrap();
        let d = dir.display();
        let conf = format!(
            "base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
",
            user = ids.internal,
            group = ids.group,
            login = ids.login,
            uid = ids.uid,
            gid = ids.gid,
        );
        std::fs::write(dir.join("dovecot.conf"), conf).unwrap();
        // The mailbox belongs to the user Dovecot serves it as.
        let chown = Command::new("chown")
            .arg(format!("{}:{}", ids.uid, ids.gid))
            .arg(dir.join("home"))
            .status()
            .unwrap();
        assert!(chown.success());
        let child = Command::new(dovecot_binary())
            .arg("-F")
            .arg("-c")
            .arg(dir.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let d = Dovecot { dir, child, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return d;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(d.dir.join("dovecot.log")).unwrap_or_default();
        panic!("Dovecot did not start: {log}");
    }

    pub fn account(&self, inbox: InboxId) -> ImapAccount {
        ImapAccount {
            inbox,
            host: "127.0.0.1".into(),
            port: self.port,
            security: ImapSecurity::Plain,
            user: USER.into(),
            password: PASSWORD.into(),
            folder: "INBOX".into(),
            delete_taken: false,
        }
    }

    async fn session(&self) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap();
        let mut s = client
            .login(USER, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        s.select("INBOX").await.unwrap();
        s
    }

    /// Delivers a mail into the mailbox (IMAP APPEND).
    pub async fn deliver(&self, raw: &str) {
        let mut s = self.session().await;
        s.append("INBOX", None, None, raw.replace('\n', "\r\n"))
            .await
            .unwrap();
        s.logout().await.unwrap();
    }

    /// The UIDs in the mailbox that carry `$PortalTaken`, and all UIDs.
    pub async fn taken(&self) -> (usize, usize) {
        let mut s = self.session().await;
        let taken = s
            .uid_search(format!("KEYWORD {TAKEN}"))
            .await
            .unwrap()
            .len();
        let all = s.uid_search("ALL").await.unwrap().len();
        s.logout().await.unwrap();
        (taken, all)
    }

    /// The bytes of the first message, fetched without marking it.
    pub async fn peek_first(&self) -> Vec<u8> {
        let mut s = self.session().await;
        let uids: Vec<u32> = s.uid_search("ALL").await.unwrap().into_iter().collect();
        let uid = uids.into_iter().min().unwrap();
        let f: Vec<_> = s
            .uid_fetch(uid.to_string(), "BODY.PEEK[]")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let raw = f[0].body().unwrap().to_vec();
        s.logout().await.unwrap();
        raw
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM: the master stops its login, auth and imap processes before it exits.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Who Dovecot runs as: as root, its login processes as `dovenull`, its helpers and the
/// mailbox as `dovecot` (Dovecot refuses root for both); otherwise everything as this user.
struct MailIds {
    uid: String,
    gid: String,
    internal: String,
    group: String,
    login: String,
}

fn mail_ids() -> MailIds {
    let id = |args: &[&str]| {
        let out = Command::new("id").args(args).output().unwrap();
        assert!(out.status.success(), "id {args:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    if id(&["-u"]) == "0" {
        MailIds {
            uid: id(&["-u", "dovecot"]),
            gid: id(&["-g", "dovecot"]),
            internal: "dovecot".into(),
            group: "dovecot".into(),
            login: "dovenull".into(),
        }
    } else {
        let me = id(&["-un"]);
        MailIds {
            uid: id(&["-u"]),
            gid: id(&["-g"]),
            internal: me.clone(),
            group: id(&["-gn"]),
            login: me,
        }
    }
}

struct World {
    dir: PathBuf,
    ports: Ports,
    mail_in: MailIn,
    inbox: InboxId,
}

async fn world(name: &str) -> World {
    let dir = temp_dir(&format!("imap-{name}"));
    let data = dir.to_string_lossy().to_string();
    let cfg = config::load(
        None,
        env_of(&[
            ("PORTAL_DATA_DIR", &data),
            ("PORTAL_MAIL_FROM", "Acme Support <support@acme.example>"),
        ]),
    )
    .unwrap();
    let store = open_store(&cfg).await.unwrap();
    let ports = system_ports(&store);
    demo::write(&ports).await.unwrap();
    let inbox = ports.catalog.inboxes().await.unwrap()[0].id;
    let mail_in = portal_server::mail_in::service(&cfg, ports.clone());
    World {
        dir,
        ports,
        mail_in,
        inbox,
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn new_mail(from: &str, subject: &str, text: &str) -> String {
    format!(
        "From: {from}
To: support@acme.example
Subject: {subject}
Message-ID: <{}@test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain; charset=utf-8

{text}
--b
Content-Type: image/png; name=shot.png
Content-Disposition: attachment; filename=shot.png
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUg==
--b--
",
        subject.replace(' ', "-")
    )
}

#[actix_web::test]
async fn t3_t7_mail_over_imap_files_tickets_and_answers_join_their_thread() {
    let d = Dovecot::start("file");
    let w = world("file").await;
    let account = d.account(w.inbox);
    d.deliver(&new_mail(
        "anna@acme.example",
        "Scanner jams",
        "Every page jams.",
    ))
    .await;
    let r = poll_once(&account, &w.mail_in).await.unwrap();
    assert_eq!((r.taken, r.filed, r.left), (1, 1, 0));
    assert_eq!(d.taken().await, (1, 1), "marked taken on the server");
    // The next round takes nothing.
    assert_eq!(poll_once(&account, &w.mail_in).await.unwrap().taken, 0);
    let anna = w
        .ports
        .directory
        .contact_by_email("anna@acme.example")
        .await
        .unwrap()
        .unwrap();
    let settings = w.ports.settings.load().await.unwrap();
    let portal = PortalTickets::new(w.ports.clone());
    let mine = portal
        .list(
            &settings,
            &anna,
            &portal_core::query::TicketQuery {
                search: Some("scanner".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(mine.page.tickets.len(), 1, "in the sender's portal");
    let ticket: TicketId = mine.page.tickets[0].id;
    let detail = portal.detail(&settings, &anna, ticket).await.unwrap();
    let first = &detail.thread.unwrap().messages[0];
    assert_eq!(first.attachments[0].file_name, "shot.png");
    assert_eq!(first.attachments[0].content_type, "image/png");

    // A notification went out with a token; the customer answers it by email.
    let token = "aabbccddeeff00112233445566778899";
    w.ports
        .outbox
        .enqueue(
            OutgoingMail {
                files: Vec::new(),
                to: anna.email.clone(),
                language: "en".into(),
                template: "reply_notification".into(),
                vars: Default::default(),
                thread: Some(MailThread {
                    ticket,
                    contact: anna.id,
                    token: token.into(),
                }),
            },
            w.ports.clock.now(),
        )
        .await
        .unwrap();
    let answer = |from: &str, extra: &str, text: &str| {
        format!(
            "From: {from}
To: support+t-{token}@acme.example
Subject: Re: Scanner jams
{extra}Content-Type: text/plain

{text}
"
        )
    };
    d.deliver(&answer(
        "anna@acme.example",
        "",
        "Fixed by cleaning the rollers.",
    ))
    .await;
    // Noise and answers that may not join, over the same path: an out-of-office reply,
    // a bounce, a loop from portal's own address, a colleague without company access to
    // Anna's ticket in the demo's settings (Carla, another company), and a forged token.
    d.deliver(&answer(
        "anna@acme.example",
        "Auto-Submitted: auto-replied\n",
        "Away",
    ))
    .await;
    d.deliver(&answer(
        "mailer-daemon@acme.example",
        "Return-Path: <>\n",
        "Bounce",
    ))
    .await;
    d.deliver(&answer("support@acme.example", "", "Loop")).await;
    d.deliver(&answer("carla@globex.example", "", "Let me in"))
        .await;
    d.deliver(
        &answer("anna@acme.example", "", "x")
            .replace(token, "ffffffffffffffffffffffffffffffff")
            .replace("\nx\n", "\nforged\n"),
    )
    .await;
    let r = poll_once(&account, &w.mail_in).await.unwrap();
    assert_eq!(r.taken, 6);
    let messages = portal
        .detail(&settings, &anna, ticket)
        .await
        .unwrap()
        .thread
        .unwrap()
        .messages;
    assert_eq!(messages.len(), 2, "only Anna's answer joined");
    assert!(messages[1].body.contains("cleaning the rollers"));
    let of_ticket = w.ports.inbound.of_ticket(ticket).await.unwrap();
    assert_eq!(of_ticket.len(), 2);
    assert!(
        of_ticket
            .iter()
            .all(|m| m.source.starts_with("imap:support@127.0.0.1"))
    );
}

#[actix_web::test]
async fn two_servers_polling_one_mailbox_take_each_mail_once_and_a_crash_loses_none() {
    let d = Dovecot::start("twice");
    let w = world("twice").await;
    let account = d.account(w.inbox);
    for i in 0..6 {
        d.deliver(&new_mail("ben@acme.example", &format!("Case {i}"), "once"))
            .await;
    }
    // A server that stored the first mail and died before marking it: the mail is in the
    // store, unmarked on the server.
    let raw = d.peek_first().await;
    let stored = w
        .mail_in
        .receive(w.inbox, "imap:crashed", raw)
        .await
        .unwrap();
    assert_eq!(stored.state, InboundState::Taken);
    assert_eq!(d.taken().await, (0, 6));
    // Two servers (two mail-in services over the one database) poll at once.
    let data = w.dir.to_string_lossy().to_string();
    let cfg = config::load(None, env_of(&[("PORTAL_DATA_DIR", &data)])).unwrap();
    let store = open_store(&cfg).await.unwrap();
    let other = portal_server::mail_in::service(&cfg, system_ports(&store));
    let (a, b) = tokio::join!(poll_once(&account, &w.mail_in), poll_once(&account, &other));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.taken + b.taken >= 6, "{a:?} {b:?}");
    assert_eq!(d.taken().await, (6, 6), "every mail marked");
    let ben = w
        .ports
        .directory
        .contact_by_email("ben@acme.example")
        .await
        .unwrap()
        .unwrap();
    let cases = w
        .ports
        .tickets
        .inbox(&portal_core::query::InboxQuery {
            search: "case".into(),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut subjects: Vec<String> = cases
        .iter()
        .filter(|t| t.requester == Some(ben.id))
        .map(|t| t.subject.clone())
        .collect();
    subjects.sort();
    assert_eq!(
        subjects,
        (0..6).map(|i| format!("Case {i}")).collect::<Vec<_>>(),
        "one ticket per mail"
    );
}

#[actix_web::test]
async fn a_new_mail_is_taken_at_once_through_idle_not_at_the_next_poll() {
    let d = Dovecot::start("idle");
    let w = world("idle").await;
    let account = d.account(w.inbox);
    assert!(
        portal_mail::imap::wait_for_news(&account, std::time::Duration::from_millis(200))
            .await
            .unwrap(),
        "Dovecot offers IDLE"
    );
    // Polls only every two minutes: a mail taken within seconds came through IDLE.
    let poller = tokio::spawn(portal_mail::imap::run(
        account,
        w.mail_in.clone(),
        std::time::Duration::from_secs(120),
        |_| async {},
    ));
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let start = std::time::Instant::now();
    d.deliver(&new_mail("ben@acme.example", "Idle case", "pushed"))
        .await;
    let mut taken = false;
    while start.elapsed() < std::time::Duration::from_secs(15) {
        if d.taken().await.0 == 1 {
            taken = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    poller.abort();
    let _ = poller.await;
    assert!(taken, "not taken within 15 s");
}

/// Waits up to `secs` seconds for `check` to hold.
async fn eventually<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if check().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    false
}

#[actix_web::test]
async fn t7_a_mailbox_kept_on_the_staff_side_is_read_by_the_running_server_with_its_password_sealed()
 {
    use portal_core::usecases::inbox::StaffMember;
    use portal_core::usecases::mailboxes::{MailboxInput, MailboxStatus};
    let d = Dovecot::start("staff");
    let dir = temp_dir("imap-staff-side");
    let data = dir.to_string_lossy().to_string();
    let cfg = config::load(
        None,
        env_of(&[
            ("PORTAL_LISTEN", "127.0.0.1:0"),
            ("PORTAL_DATA_DIR", &data),
            ("PORTAL_MAIL_FROM", "Acme Support <support@acme.example>"),
        ]),
    )
    .unwrap();
    let app = portal_server::build(&cfg, std::net::TcpListener::bind(&cfg.listen).unwrap())
        .await
        .unwrap();
    let ports = app.ports.clone();
    let handle = app.server.handle();
    actix_web::rt::spawn(app.server);
    // No key configured: the server made one in the data directory, for its owner only.
    let key = dir.join("secret.key");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let sam = ports
        .staff
        .staff_by_email("sam@support.example")
        .await
        .unwrap()
        .unwrap();
    let admin = StaffMember {
        agent: sam.agent,
        role: sam.role,
    };
    let boxes = portal_server::mail_in::mailboxes(&cfg, ports.clone()).unwrap();
    let inbox = ports.catalog.inboxes().await.unwrap()[0].id;
    let input = MailboxInput {
        inbox: Some(inbox),
        host: "127.0.0.1".into(),
        port: d.port.to_string(),
        tls: false,
        user: USER.into(),
        password: PASSWORD.into(),
        poll_seconds: "5".into(),
        enabled: true,
        ..MailboxInput::default()
    };
    let id = boxes.save(&admin, None, input.clone()).await.unwrap();
    d.deliver(&new_mail(
        "ben@acme.example",
        "Kept on the staff side",
        "hello",
    ))
    .await;
    // The running server picks the new mailbox up and takes the mail.
    assert!(
        eventually(30, || async { d.taken().await == (1, 1) }).await,
        "the mail was taken"
    );
    let ben = ports
        .directory
        .contact_by_email("ben@acme.example")
        .await
        .unwrap()
        .unwrap();
    let filed = ports
        .tickets
        .inbox(&portal_core::ports::InboxQuery {
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(filed[0].subject, "Kept on the staff side");
    assert_eq!(filed[0].requester, Some(ben.id));
    assert_eq!(
        ports.tickets.channels(&[filed[0].id]).await.unwrap()[&filed[0].id],
        portal_core::model::Channel::Email
    );
    assert!(
        eventually(10, || async {
            matches!(
                boxes.get(&admin, id).await.unwrap().status,
                MailboxStatus::Working(_)
            )
        })
        .await
    );
    // The database holds the password sealed only: no file but the key has it.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path != key {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes
                    .windows(PASSWORD.len())
                    .any(|w| w == PASSWORD.as_bytes()),
                "{} holds the password",
                path.display()
            );
        }
    }
    // A wrong password, saved on the staff side, reaches the poller within seconds and
    // staff see the mailbox failing with the server's answer.
    boxes
        .save(
            &admin,
            Some(id),
            MailboxInput {
                password: "not-the-password".into(),
                ..input
            },
        )
        .await
        .unwrap();
    assert!(
        eventually(30, || async {
            matches!(
                boxes.get(&admin, id).await.unwrap().status,
                MailboxStatus::Failing(_, _)
            )
        })
        .await,
        "the failing login is shown"
    );
    handle.stop(true).await;
    drop(d);
    let _ = std::fs::remove_dir_all(&dir);
}
