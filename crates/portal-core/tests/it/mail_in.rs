//! Mail in (issue 17) over in-memory ports: what a mail becomes, by the same rules as the
//! portal's pages (T3, T4, T7, V1–V5), and that nothing is lost or taken twice.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use portal_core::mail_in::{InboundMail, InboundState, IncomingMail, MailFile, MailParser};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::settings::PortalSettings;
use portal_core::usecases::mail_in::{MailIn, reason};
use portal_core::visibility::{CompanyAccess, VisibilitySettings};
use portal_testkit::block_on;
use portal_testkit::fixtures::{T0, World, seed_world};
use portal_testkit::memory::{TestPorts, memory_ports};

/// A parser that knows the mails a test registered under their raw bytes.
#[derive(Default)]
struct Table(Mutex<BTreeMap<Vec<u8>, IncomingMail>>);

impl MailParser for Table {
    fn parse(&self, raw: &[u8]) -> Result<IncomingMail, String> {
        self.0
            .lock()
            .unwrap()
            .get(raw)
            .cloned()
            .ok_or_else(|| "unreadable".into())
    }
}

const OWN: &str = "support@portal.test";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

struct Setup {
    t: TestPorts,
    w: World,
    table: Arc<Table>,
    mail_in: MailIn,
}

impl Setup {
    fn mail(&self, raw: &str, m: IncomingMail) -> Vec<u8> {
        self.table
            .0
            .lock()
            .unwrap()
            .insert(raw.as_bytes().to_vec(), m);
        raw.as_bytes().to_vec()
    }

    async fn receive(&self, raw: Vec<u8>) -> InboundMail {
        self.mail_in
            .receive(self.w.inbox, "pipe", raw)
            .await
            .unwrap()
    }

    async fn messages(&self, ticket: TicketId) -> Vec<Message> {
        self.t
            .ports
            .tickets
            .threads(ticket)
            .await
            .unwrap()
            .into_iter()
            .flat_map(|th| th.messages)
            .collect()
    }

    async fn ticket_count(&self) -> usize {
        self.t
            .ports
            .tickets
            .inbox(&InboxQuery {
                limit: 1000,
                ..InboxQuery::default()
            })
            .await
            .unwrap()
            .len()
    }
}

async fn setup(f: impl FnOnce(&World, &mut PortalSettings)) -> Setup {
    let t = memory_ports(T0);
    let w = seed_world(&t.ports).await;
    let mut s = PortalSettings {
        enabled: true,
        default_inbox: Some(w.inbox),
        visibility: VisibilitySettings {
            company_access: CompanyAccess::OwnOnly,
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        },
        ..PortalSettings::default()
    };
    f(&w, &mut s);
    t.ports.settings.save(&s).await.unwrap();
    // Alice was sent a mail about her ticket: its token is the thread's.
    t.ports
        .outbox
        .enqueue(
            OutgoingMail {
                files: Vec::new(),
                to: w.alice.email.clone(),
                language: "en".into(),
                template: "reply_notification".into(),
                vars: BTreeMap::new(),
                thread: Some(MailThread {
                    ticket: w.alice_ticket,
                    contact: w.alice.id,
                    token: TOKEN.into(),
                }),
            },
            T0,
        )
        .await
        .unwrap();
    let table = Arc::new(Table::default());
    let mail_in = MailIn::new(t.ports.clone(), table.clone(), vec![OWN.into()]);
    Setup {
        t,
        w,
        table,
        mail_in,
    }
}

fn from(address: &str, subject: &str, text: &str) -> IncomingMail {
    IncomingMail {
        from: Some(address.into()),
        recipients: vec![OWN.into()],
        subject: subject.into(),
        body_html: format!("<p>{text}</p>"),
        ..IncomingMail::default()
    }
}

fn answer(address: &str, text: &str) -> IncomingMail {
    IncomingMail {
        recipients: vec![format!("support+t-{TOKEN}@portal.test")],
        ..from(address, "Re: your ticket", text)
    }
}

#[test]
fn t7_a_new_mail_becomes_a_ticket_of_its_sender_with_its_attachments() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let mut m = from("Carol@Home.test", "Printer on fire", "It smokes.");
        m.attachments = vec![MailFile {
            file_name: "../photo.png".into(),
            bytes: b"\x89PNG\r\n\x1a\nrest".to_vec(),
        }];
        let raw = s.mail("m1", m);
        let before = s.ticket_count().await;
        let got = s.receive(raw).await;
        assert_eq!(got.state, InboundState::Taken);
        assert_eq!(s.ticket_count().await, before + 1);
        let ticket =
            s.t.ports
                .tickets
                .get(got.ticket.unwrap())
                .await
                .unwrap()
                .unwrap();
        assert_eq!(ticket.subject, "Printer on fire");
        assert_eq!(ticket.requester, Some(s.w.carol.id));
        assert_eq!(ticket.inbox, Some(s.w.inbox));
        let messages = s.messages(ticket.id).await;
        // Staff see that it came by email.
        assert_eq!(messages[0].channel, Channel::Email);
        assert_eq!(messages.len(), 1);
        assert_eq!(Some(messages[0].id), got.message);
        assert_eq!(messages[0].author, Author::Contact(s.w.carol.id));
        assert_eq!(messages[0].visibility, MessageVisibility::Public);
        // Attachments obey the upload rules: the name cleaned, the type told by the bytes.
        let a = &messages[0].attachments[0];
        assert_eq!(
            (a.file_name.as_str(), a.content_type.as_str()),
            ("photo.png", "image/png")
        );
        let events = s.t.ports.timeline.for_ticket(ticket.id, 10).await.unwrap();
        assert_eq!(events[0].kind, TimelineKind::MailTicket);
        assert_eq!(got.sender.as_deref(), Some("Carol@Home.test"));
    });
}

#[test]
fn t3_an_email_answer_with_its_token_joins_the_ticket_of_a_sender_who_may_reply() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let before = s.messages(s.w.alice_ticket).await.len();
        let count = s.ticket_count().await;
        let got = s
            .receive(s.mail("a1", answer("alice@acme.test", "Thanks!")))
            .await;
        assert_eq!(
            (got.state, got.ticket),
            (InboundState::Taken, Some(s.w.alice_ticket))
        );
        let messages = s.messages(s.w.alice_ticket).await;
        assert_eq!(messages.len(), before + 1);
        let last = messages.iter().find(|m| Some(m.id) == got.message).unwrap();
        assert_eq!(last.author, Author::Contact(s.w.alice.id));
        assert_eq!(last.body, "<p>Thanks!</p>");
        assert_eq!(last.channel, Channel::Email);
        assert_eq!(s.ticket_count().await, count, "no new ticket");
        let events =
            s.t.ports
                .timeline
                .for_ticket(s.w.alice_ticket, 10)
                .await
                .unwrap();
        assert!(
            events
                .iter()
                .any(|e| e.kind == TimelineKind::MailReply { message: last.id })
        );
        // The token also works from References, as `t-TOKEN@…` ids portal issued.
        let by_reference = IncomingMail {
            recipients: vec![OWN.into()],
            references: vec![format!("t-{TOKEN}@portal.test")],
            ..from("alice@acme.test", "Re: x", "Again")
        };
        let got = s.receive(s.mail("a2", by_reference)).await;
        assert_eq!(got.ticket, Some(s.w.alice_ticket));
    });
}

#[test]
fn v1_a_valid_token_from_a_sender_who_may_not_see_the_ticket_joins_nothing() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let before = s.messages(s.w.alice_ticket).await;
        // Bob is Alice's colleague, but company access is off (V1, V2); Dave is another
        // company's. Each gets a ticket of his own instead.
        for (raw, who, contact) in [
            ("b1", "bob@acme.test", s.w.bob.id),
            ("b2", "dave@globex.test", s.w.dave.id),
        ] {
            let got = s.receive(s.mail(raw, answer(who, "Let me in"))).await;
            assert_eq!(got.state, InboundState::Taken);
            assert_ne!(got.ticket, Some(s.w.alice_ticket));
            let t =
                s.t.ports
                    .tickets
                    .get(got.ticket.unwrap())
                    .await
                    .unwrap()
                    .unwrap();
            assert_eq!(t.requester, Some(contact));
        }
        assert_eq!(s.messages(s.w.alice_ticket).await, before);
        // A forged token names no thread: the same.
        let forged = IncomingMail {
            recipients: vec!["support+t-ffffffffffffffffffffffffffffffff@portal.test".into()],
            ..from("alice@acme.test", "Re: x", "forged")
        };
        let got = s.receive(s.mail("b3", forged)).await;
        assert_ne!(got.ticket, Some(s.w.alice_ticket));
        assert_eq!(s.messages(s.w.alice_ticket).await, before);
    });
}

#[test]
fn v2_a_colleague_with_company_access_may_answer_by_email() {
    block_on(async {
        let s = setup(|_, st| st.visibility.company_access = CompanyAccess::AllContacts).await;
        let got = s
            .receive(s.mail("c1", answer("bob@acme.test", "Me too")))
            .await;
        assert_eq!(got.ticket, Some(s.w.alice_ticket));
    });
}

#[test]
fn c1_a_participant_answers_by_email_while_on_the_ticket_and_not_after() {
    block_on(async {
        let s = setup(|_, st| st.actions.customers_add_ccs = true).await;
        let settings = s.t.ports.settings.load().await.unwrap();
        let portal = portal_core::usecases::portal::PortalTickets::new(s.t.ports.clone());
        // Dave (Globex, no access to Acme's tickets) is copied in by Alice.
        portal
            .add_participant(&settings, &s.w.alice, s.w.alice_ticket, "dave@globex.test")
            .await
            .unwrap();
        let got = s
            .receive(s.mail("d1", answer("dave@globex.test", "Globex here")))
            .await;
        assert_eq!(got.ticket, Some(s.w.alice_ticket));
        let messages = s.messages(s.w.alice_ticket).await;
        let last = messages.iter().find(|m| Some(m.id) == got.message).unwrap();
        assert_eq!(last.author, Author::Contact(s.w.dave.id));
        // Taken off, his next answer joins nothing of Alice's: a ticket of his own.
        portal
            .remove_participant(&settings, &s.w.alice, s.w.alice_ticket, s.w.dave.id)
            .await
            .unwrap();
        let before = s.messages(s.w.alice_ticket).await;
        let got = s
            .receive(s.mail("d2", answer("dave@globex.test", "Still here?")))
            .await;
        assert_ne!(got.ticket, Some(s.w.alice_ticket));
        assert_eq!(s.messages(s.w.alice_ticket).await, before);
    });
}

#[test]
fn t4_an_email_answer_to_a_closed_ticket_follows_the_reply_rule() {
    block_on(async {
        let closed = |w: &World| (w.support.id, w.closed_stage);
        let s = setup(|_, _| {}).await;
        let (_, stage) = closed(&s.w);
        s.t.ports
            .tickets
            .move_to_stage(s.w.alice_ticket, stage, TicketStatus::Closed, T0)
            .await
            .unwrap();
        let before = s.messages(s.w.alice_ticket).await;
        let got = s
            .receive(s.mail("d1", answer("alice@acme.test", "Reopen?")))
            .await;
        assert_ne!(got.ticket, Some(s.w.alice_ticket), "a new ticket instead");
        assert_eq!(s.messages(s.w.alice_ticket).await, before);
        // With replies to closed tickets allowed, the answer joins.
        let mut settings = s.t.ports.settings.load().await.unwrap();
        settings.actions.reply_when_closed = true;
        s.t.ports.settings.save(&settings).await.unwrap();
        let got = s
            .receive(s.mail("d2", answer("alice@acme.test", "Now?")))
            .await;
        assert_eq!(got.ticket, Some(s.w.alice_ticket));
    });
}

#[test]
fn auto_replies_bulk_bounces_and_loops_create_nothing_and_send_nothing() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let tickets = s.ticket_count().await;
        let before = s.messages(s.w.alice_ticket).await;
        let queued =
            s.t.ports
                .outbox
                .claim(T0, T0.plus_seconds(3600), 100)
                .await
                .unwrap()
                .len();
        let cases: Vec<(&str, IncomingMail, &str)> = vec![
            (
                "n1",
                IncomingMail {
                    auto_submitted: Some("auto-replied".into()),
                    ..answer("alice@acme.test", "I am out of office")
                },
                "auto_submitted",
            ),
            (
                "n2",
                IncomingMail {
                    precedence: Some("bulk".into()),
                    ..from("alice@acme.test", "News", "Newsletter")
                },
                "bulk",
            ),
            (
                "n3",
                IncomingMail {
                    return_path: Some("<>".into()),
                    ..answer("mailer-daemon@acme.test", "Undeliverable")
                },
                "bounce",
            ),
            (
                "n4",
                IncomingMail {
                    from: Some(format!("support+t-{TOKEN}@portal.test")),
                    ..answer("x@y.test", "Looping")
                },
                "own_address",
            ),
        ];
        for (raw, m, why) in cases {
            let got = s.receive(s.mail(raw, m)).await;
            assert_eq!(got.state, InboundState::Dropped, "{raw}");
            assert_eq!(got.reason.as_deref(), Some(why), "{raw}");
            assert_eq!((got.ticket, got.message), (None, None), "{raw}");
        }
        assert_eq!(s.ticket_count().await, tickets);
        assert_eq!(s.messages(s.w.alice_ticket).await, before);
        assert!(s.mail_in.quarantined(10).await.unwrap().is_empty());
        let later =
            s.t.ports
                .outbox
                .claim(T0, T0.plus_seconds(3600), 100)
                .await
                .unwrap()
                .len();
        assert_eq!((queued, later), (1, 0), "no new mail was queued");
    });
}

#[test]
fn an_unknown_sender_waits_in_quarantine_unless_the_inbox_creates_contacts() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let tickets = s.ticket_count().await;
        let raw = s.mail(
            "u1",
            IncomingMail {
                from_name: Some("Erin Newcomer".into()),
                ..from("erin@acme.test", "Hello", "First contact")
            },
        );
        let got = s.receive(raw.clone()).await;
        assert_eq!(got.state, InboundState::Quarantined);
        assert_eq!(got.reason.as_deref(), Some(reason::UNKNOWN_SENDER));
        assert_eq!(s.ticket_count().await, tickets);
        assert!(
            s.t.ports
                .directory
                .contact_by_email("erin@acme.test")
                .await
                .unwrap()
                .is_none()
        );
        let kept = s.mail_in.quarantined(10).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(
            s.mail_in.raw(kept[0].id).await.unwrap().1,
            raw,
            "the original, whole"
        );
        // The inbox now creates contacts: a retry files the ticket for a new contact in
        // the company of the address's domain.
        let mut settings = s.t.ports.settings.load().await.unwrap();
        settings.mail_creates_contacts = vec![s.w.inbox];
        s.t.ports.settings.save(&settings).await.unwrap();
        let got = s.mail_in.retry(kept[0].id).await.unwrap();
        assert_eq!(got.state, InboundState::Taken);
        let erin =
            s.t.ports
                .directory
                .contact_by_email("erin@acme.test")
                .await
                .unwrap()
                .unwrap();
        assert_eq!(
            (erin.first_name.as_str(), erin.last_name.as_str()),
            ("Erin", "Newcomer")
        );
        assert_eq!(erin.primary_company, Some(s.w.acme.id));
        let t =
            s.t.ports
                .tickets
                .get(got.ticket.unwrap())
                .await
                .unwrap()
                .unwrap();
        assert_eq!(t.requester, Some(erin.id));
        assert_eq!(
            t.companies.iter().copied().collect::<Vec<_>>(),
            vec![s.w.acme.id]
        );
        assert!(s.mail_in.quarantined(10).await.unwrap().is_empty());
        // A domain no company has: a contact without a company.
        let got = s
            .receive(s.mail("u2", from("zed@nowhere.test", "Hi", "Hi")))
            .await;
        assert_eq!(got.state, InboundState::Taken);
        let zed =
            s.t.ports
                .directory
                .contact_by_email("zed@nowhere.test")
                .await
                .unwrap();
        assert_eq!(zed.unwrap().primary_company, None);
    });
}

#[test]
fn unreadable_empty_and_oversized_mails_are_kept_with_their_reason_and_can_be_deleted() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let got = s.receive(b"garbage".to_vec()).await;
        assert_eq!(
            (got.state, got.reason.as_deref()),
            (InboundState::Quarantined, Some(reason::UNPARSABLE))
        );
        let empty = s
            .receive(s.mail("e1", from("alice@acme.test", "", "")))
            .await;
        assert_eq!(empty.reason.as_deref(), Some(reason::EMPTY));
        let mut big = from("alice@acme.test", "Files", "many");
        big.attachments = (0..11)
            .map(|i| MailFile {
                file_name: format!("f{i}.txt"),
                bytes: vec![b'x'; 10],
            })
            .collect();
        let big = s.receive(s.mail("e2", big)).await;
        assert_eq!(big.reason.as_deref(), Some(reason::ATTACHMENT_LIMIT));
        let nobody = s
            .receive(s.mail(
                "e3",
                IncomingMail {
                    from: None,
                    ..from("x@y.test", "s", "t")
                },
            ))
            .await;
        assert_eq!(nobody.reason.as_deref(), Some(reason::NO_SENDER));
        assert_eq!(s.mail_in.quarantined(10).await.unwrap().len(), 4);
        // Deleted with its raw bytes.
        s.mail_in.delete(got.id).await.unwrap();
        assert!(s.t.ports.blobs.get(&got.blob_key).await.unwrap().is_none());
        assert_eq!(s.mail_in.quarantined(10).await.unwrap().len(), 3);
        assert_eq!(
            s.mail_in.delete(got.id).await,
            Err(portal_core::Error::NotFound)
        );
        // An unknown inbox is refused before anything is stored.
        let refused = s
            .mail_in
            .receive(InboxId(9_999), "pipe", b"x".to_vec())
            .await;
        assert!(matches!(refused, Err(portal_core::Error::Invalid(_))));
    });
}

#[test]
fn the_same_mail_twice_is_one_ticket_and_an_interrupted_mail_is_taken_up_once() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let tickets = s.ticket_count().await;
        let raw = s.mail("x1", from("carol@home.test", "Once", "only once"));
        let first = s.receive(raw.clone()).await;
        let second = s.receive(raw).await;
        assert_eq!(first.id, second.id);
        assert_eq!(second.state, InboundState::Taken);
        assert_eq!(s.ticket_count().await, tickets + 1);
        // A handler that died after leasing a stored mail: nobody takes it until the lease
        // runs out, then one handler takes it, once.
        let raw = s.mail("x2", from("carol@home.test", "Later", "after a crash"));
        let key = s.t.ports.blobs.put(raw).await.unwrap();
        let (id, _) =
            s.t.ports
                .inbound
                .store(portal_core::mail_in::NewInboundMail {
                    inbox: s.w.inbox,
                    source: "pipe".into(),
                    digest: "crashed".into(),
                    blob_key: key,
                    size: 2,
                    at: T0,
                })
                .await
                .unwrap();
        assert!(
            s.t.ports
                .inbound
                .lease(id, T0, T0.plus_seconds(300))
                .await
                .unwrap()
        );
        assert_eq!(s.mail_in.handle_pending(10).await.unwrap(), 0);
        assert_eq!(
            s.mail_in.handle(id).await.unwrap().state,
            InboundState::Pending
        );
        s.t.clock.advance_seconds(301);
        assert_eq!(s.mail_in.handle_pending(10).await.unwrap(), 1);
        assert_eq!(s.mail_in.handle_pending(10).await.unwrap(), 0);
        assert_eq!(
            s.t.ports.inbound.get(id).await.unwrap().unwrap().state,
            InboundState::Taken
        );
        assert_eq!(s.ticket_count().await, tickets + 2);
    });
}

#[test]
fn a_bounce_of_portals_mail_marks_that_mail_failed_for_staff_and_files_nothing() {
    block_on(async {
        let s = setup(|_, _| {}).await;
        let tickets = s.ticket_count().await;
        // The notification to Alice (queued in setup) was sent, then came back.
        let sent =
            s.t.ports
                .outbox
                .claim(T0, T0.plus_seconds(60), 10)
                .await
                .unwrap();
        s.t.ports.outbox.mark_sent(sent[0].id, T0).await.unwrap();
        let report = IncomingMail {
            return_path: Some("<>".into()),
            auto_submitted: Some("auto-replied".into()),
            bounced: vec![
                format!("t-{TOKEN}@portal.test"),
                "other@elsewhere.test".into(),
            ],
            ..from("mailer-daemon@acme.test", "Undelivered Mail", "gone")
        };
        let got = s.receive(s.mail("bounce", report)).await;
        assert_eq!(got.state, InboundState::Dropped);
        let dead = s.t.ports.outbox.dead(10).await.unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].id, sent[0].id);
        assert!(dead[0].last_error.contains("Undelivered Mail"));
        assert_eq!(s.ticket_count().await, tickets);
        // A mail that is no delivery report (a return path) marks nothing, whatever it names.
        s.t.ports.outbox.retry(sent[0].id, T0).await.unwrap();
        let forged = IncomingMail {
            return_path: Some("<someone@acme.test>".into()),
            bounced: vec![format!("t-{TOKEN}@portal.test")],
            ..from("someone@acme.test", "Fake", "x")
        };
        s.receive(s.mail("forged", forged)).await;
        assert!(s.t.ports.outbox.dead(10).await.unwrap().is_empty());
    });
}
