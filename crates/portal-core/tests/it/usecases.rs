//! The use cases over in-memory ports: what a customer and an admin can do, end to end.

use std::collections::{BTreeMap, BTreeSet};

use portal_core::Error;
use portal_core::access::{AccessSettings, EntryDenied, IdleTimeout};
use portal_core::actions::{ActionDenied, UploadRefused};
use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::query::{Direction, Sort, TicketQuery};
use portal_core::settings::{FormField, PortalSettings, SupportForm};
use portal_core::usecases::accounts::{Accounts, token_hash};
use portal_core::usecases::portal::{FormInput, PortalTickets, ReplyInput};
use portal_core::usecases::staff::{PortalAdmin, StaffActor};
use portal_core::visibility::{Admission, CompanyAccess, Denial, Verdict, View};
use portal_testkit::block_on;
use portal_testkit::fixtures::{T0, World, seed_world};
use portal_testkit::memory::{TestPorts, memory_ports};

async fn setup(f: impl FnOnce(&World, &mut PortalSettings)) -> (TestPorts, World, PortalSettings) {
    let t = memory_ports(T0);
    let w = seed_world(&t.ports).await;
    let mut s = PortalSettings {
        enabled: true,
        default_inbox: Some(w.inbox),
        visibility: portal_core::visibility::VisibilitySettings {
            company_access: CompanyAccess::AllContacts,
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        },
        access: AccessSettings {
            self_registration: true,
            ..AccessSettings::default()
        },
        ..PortalSettings::default()
    };
    f(&w, &mut s);
    let saved = t.ports.settings.save(&s).await.unwrap();
    (t, w, saved)
}

fn ids(tickets: &[Ticket]) -> BTreeSet<TicketId> {
    tickets.iter().map(|t| t.id).collect()
}

#[test]
fn p5_a_switched_off_portal_answers_portal_off() {
    block_on(async {
        let (t, _, mut s) = setup(|_, _| {}).await;
        s.enabled = false;
        t.ports.settings.save(&s).await.unwrap();
        let portal = PortalTickets::new(t.ports.clone());
        assert_eq!(portal.settings().await, Err(Error::PortalOff));
        let accounts = Accounts::new(t.ports.clone());
        assert_eq!(
            accounts.login("alice@acme.test", "pw").await.err(),
            Some(Error::PortalOff)
        );
    });
}

#[test]
fn t1_v4_list_views_totals_and_the_view_menu() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let org = portal
            .list(&s, &w.alice, &TicketQuery::default())
            .await
            .unwrap();
        assert_eq!(org.view, View::Organization);
        assert_eq!(org.views, &[View::Organization, View::Mine, View::Shared]);
        let acme: BTreeSet<_> = [0, 1, 3, 4, 5, 7].iter().map(|i| w.tickets[*i]).collect();
        assert_eq!(ids(&org.page.tickets), acme);
        assert_eq!(org.total, 6);
        let mine = portal
            .list(
                &s,
                &w.alice,
                &TicketQuery {
                    view: View::Mine,
                    ..TicketQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            ids(&mine.page.tickets),
            BTreeSet::from([w.tickets[0], w.tickets[3], w.tickets[5]])
        );
        // Carol has no company: no menu, and asking for the organization view shows hers.
        let carol = portal
            .list(&s, &w.carol, &TicketQuery::default())
            .await
            .unwrap();
        assert_eq!(carol.views, &[View::Mine, View::Shared]);
        assert_eq!(carol.view, View::Mine);
        assert_eq!(ids(&carol.page.tickets), BTreeSet::from([w.tickets[6]]));
        // Search, status and sorting go through.
        let q = TicketQuery {
            search: Some("printer".into()),
            status: Some(TicketStatus::Open),
            sort: Sort {
                property: "subject".into(),
                direction: Direction::Asc,
            },
            ..TicketQuery::default()
        };
        let found = portal.list(&s, &w.alice, &q).await.unwrap();
        assert_eq!(
            ids(&found.page.tickets),
            BTreeSet::from([w.alice_ticket]),
            "the hidden thread's 'printer' is not searched"
        );
    });
}

#[test]
fn t1_list_filters_only_on_status_and_visible_columns() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let on = |property: &str, op| TicketQuery {
            filters: vec![Criterion::new(property, op)],
            ..TicketQuery::default()
        };
        // "priority" is not a column: refused; "status" is always allowed.
        let refused = portal
            .list(&s, &w.alice, &on("priority", Operator::IsKnown))
            .await;
        assert!(matches!(refused, Err(Error::Invalid(e)) if e[0].code == "unknown_property"));
        let closed = portal
            .list(
                &s,
                &w.alice,
                &on("status", Operator::Equals(Value::text("closed"))),
            )
            .await
            .unwrap();
        assert!(
            closed
                .page
                .tickets
                .iter()
                .all(|t| t.status == TicketStatus::Closed)
        );
        assert_eq!(
            closed.total, 3,
            "Toner jam (refunded), the åland return, the licence"
        );
        // An operator that does not fit the column's kind is refused.
        let bad = portal
            .list(
                &s,
                &w.alice,
                &on("subject", Operator::GreaterThan(Value::Number(1))),
            )
            .await;
        assert!(matches!(bad, Err(Error::Invalid(e)) if e[0].code == "invalid_filter"));
        let bad_sort = TicketQuery {
            sort: Sort {
                property: "priority".into(),
                direction: Direction::Asc,
            },
            ..TicketQuery::default()
        };
        assert!(matches!(
            portal.list(&s, &w.alice, &bad_sort).await,
            Err(Error::Invalid(_))
        ));
        let bad_limit = TicketQuery {
            limit: 0,
            ..TicketQuery::default()
        };
        assert!(matches!(
            portal.list(&s, &w.alice, &bad_limit).await,
            Err(Error::Invalid(_))
        ));
    });
}

#[test]
fn v5_visibility_filter_hides_tickets_from_list_detail_and_export() {
    block_on(async {
        let (t, w, s) = setup(|w, s| {
            s.visibility.ticket_filter = Some(Filter::all_of(vec![Criterion::new(
                "pipeline",
                Operator::Equals(Value::Number(w.support.id.0)),
            )]));
        })
        .await;
        let portal = PortalTickets::new(t.ports.clone());
        let list = portal
            .list(&s, &w.alice, &TicketQuery::default())
            .await
            .unwrap();
        assert!(list.page.tickets.iter().all(|t| t.pipeline == w.support.id));
        let returns_ticket = w.tickets[5];
        assert_eq!(
            portal.detail(&s, &w.alice, returns_ticket).await.err(),
            Some(Error::NotFound)
        );
        let mut export = portal
            .export(&s, &w.alice, &TicketQuery::default())
            .await
            .unwrap();
        let mut rows = Vec::new();
        while let Some(batch) = export.next_batch().await.unwrap() {
            rows.extend(batch);
        }
        assert_eq!(ids(&rows), ids(&list.page.tickets));
    });
}

#[test]
fn t2_v6_detail_shows_the_oldest_thread_without_internal_notes() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let d = portal.detail(&s, &w.alice, w.alice_ticket).await.unwrap();
        let bodies: Vec<_> = d
            .thread
            .unwrap()
            .messages
            .iter()
            .map(|m| m.body.clone())
            .collect();
        assert_eq!(bodies, vec!["<p>The <b>printer</b> smokes</p>"]);
        let bob = portal.detail(&s, &w.alice, w.bob_ticket).await.unwrap();
        let thread = bob.thread.unwrap();
        assert_eq!(thread.messages.len(), 1);
        assert!(
            !thread.messages[0].body.contains("elsewhere"),
            "the newer thread never shows"
        );
        assert!(d.may_reply && !d.may_close);
        assert_eq!(
            portal.detail(&s, &w.alice, w.other_ticket).await.err(),
            Some(Error::NotFound)
        );
    });
}

#[test]
fn t3_p4_u2_reply_lands_in_the_thread_or_a_new_thread_of_the_default_inbox() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        t.clock.advance_seconds(3600 * 100);
        let now = t.clock.now();
        let m = portal
            .reply(
                &s,
                &w.alice,
                w.alice_ticket,
                ReplyInput {
                    body_html: "<p><em>Still</em> smoking</p>".into(),
                    attachments: vec![],
                },
            )
            .await
            .unwrap();
        assert_eq!(m.author, Author::Contact(w.alice.id));
        assert_eq!(m.visibility, MessageVisibility::Public);
        let threads = t.ports.tickets.threads(w.alice_ticket).await.unwrap();
        assert_eq!(threads.len(), 1);
        assert_eq!(threads[0].messages.last().unwrap().id, m.id);
        assert_eq!(
            t.ports
                .tickets
                .get(w.alice_ticket)
                .await
                .unwrap()
                .unwrap()
                .last_activity_at,
            now
        );
        // A ticket without a conversation: a new thread in the default inbox (P4).
        let first = portal
            .reply(
                &s,
                &w.alice,
                w.bare_ticket,
                ReplyInput {
                    body_html: "About our call".into(),
                    attachments: vec![],
                },
            )
            .await
            .unwrap();
        let threads = t.ports.tickets.threads(w.bare_ticket).await.unwrap();
        assert_eq!(
            (threads.len(), threads[0].inbox, threads[0].messages[0].id),
            (1, w.inbox, first.id)
        );
        // Both replies are on Alice's timeline (U2).
        let events = t.ports.timeline.for_contact(w.alice.id, 10).await.unwrap();
        assert_eq!(
            events[0].kind,
            TimelineKind::PortalReply { message: first.id }
        );
        assert_eq!(events[1].kind, TimelineKind::PortalReply { message: m.id });
        // An empty body is refused and writes nothing.
        let empty = portal
            .reply(
                &s,
                &w.alice,
                w.alice_ticket,
                ReplyInput {
                    body_html: "<p> </p>".into(),
                    attachments: vec![],
                },
            )
            .await;
        assert!(matches!(empty, Err(Error::Invalid(e)) if e[0].field == "body"));
        assert_eq!(
            t.ports
                .timeline
                .for_contact(w.alice.id, 10)
                .await
                .unwrap()
                .len(),
            2
        );
    });
}

#[test]
fn t3_upload_limits_are_enforced() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let file = |size| NewAttachment {
            file_name: "a.txt".into(),
            content_type: "text/plain".into(),
            size,
            blob_key: "k".into(),
        };
        let reply = |n: usize, size: u64| ReplyInput {
            body_html: "x".into(),
            attachments: (0..n).map(|_| file(size)).collect(),
        };
        let limit = |r: Result<Message, Error>| match r {
            Err(Error::UploadRefused(u)) => Some(u),
            _ => None,
        };
        assert_eq!(
            limit(
                portal
                    .reply(&s, &w.alice, w.alice_ticket, reply(11, 10))
                    .await
            ),
            Some(UploadRefused::TooManyFiles { max: 10 })
        );
        assert_eq!(
            limit(
                portal
                    .reply(&s, &w.alice, w.alice_ticket, reply(1, 20 * 1024 * 1024 + 1))
                    .await
            ),
            Some(UploadRefused::FileTooLarge {
                max: 20 * 1024 * 1024
            })
        );
        assert_eq!(
            limit(
                portal
                    .reply(&s, &w.alice, w.alice_ticket, reply(3, 20 * 1024 * 1024))
                    .await
            ),
            Some(UploadRefused::TotalTooLarge {
                max: 50 * 1024 * 1024
            })
        );
        let ok = portal
            .reply(&s, &w.alice, w.alice_ticket, reply(10, 1024))
            .await
            .unwrap();
        assert_eq!(ok.attachments.len(), 10);
        // Attachments alone make a reply.
        let files_only = ReplyInput {
            body_html: String::new(),
            attachments: vec![file(5)],
        };
        assert!(
            portal
                .reply(&s, &w.alice, w.alice_ticket, files_only)
                .await
                .is_ok()
        );
    });
}

#[test]
fn t4_replying_to_closed_tickets_needs_the_switch() {
    block_on(async {
        let (t, w, mut s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let closed = w.tickets[7];
        let reply = || ReplyInput {
            body_html: "reopen?".into(),
            attachments: vec![],
        };
        assert_eq!(
            portal.reply(&s, &w.alice, closed, reply()).await.err(),
            Some(Error::ActionDenied(ActionDenied::ClosedTicketReply))
        );
        s.actions.reply_when_closed = true;
        assert!(portal.reply(&s, &w.alice, closed, reply()).await.is_ok());
    });
}

#[test]
fn t5_close_moves_to_the_chosen_closed_stage() {
    block_on(async {
        let (t, w, mut s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        assert_eq!(
            portal.close(&s, &w.alice, w.alice_ticket).await.err(),
            Some(Error::ActionDenied(ActionDenied::CloseDisabled))
        );
        s.actions.allow_close = true;
        portal.close(&s, &w.alice, w.alice_ticket).await.unwrap();
        let closed = t.ports.tickets.get(w.alice_ticket).await.unwrap().unwrap();
        assert_eq!(
            (closed.stage, closed.status),
            (w.closed_stage, TicketStatus::Closed)
        );
        assert_eq!(
            portal.close(&s, &w.alice, w.alice_ticket).await.err(),
            Some(Error::ActionDenied(ActionDenied::AlreadyClosed))
        );
        let ev = t
            .ports
            .timeline
            .for_ticket(w.alice_ticket, 1)
            .await
            .unwrap();
        assert_eq!(ev[0].kind, TimelineKind::TicketClosed);
        // The returns pipeline has two closed stages: without a choice its first closed
        // stage, with one the chosen stage.
        let returns_open = t
            .ports
            .tickets
            .create(NewTicket {
                subject: "Return".into(),
                pipeline: w.returns.id,
                stage: w.returns.stages[0].id,
                status: TicketStatus::Open,
                inbox: Some(w.inbox),
                requester: Some(w.alice.id),
                contacts: BTreeSet::from([w.alice.id]),
                companies: BTreeSet::new(),
                private: false,
                properties: BTreeMap::new(),
                owner: None,
                created_at: T0,
                first_message: None,
            })
            .await
            .unwrap();
        let first_closed = w.returns.closed_stages().next().unwrap().id;
        assert_ne!(first_closed, w.returns.stages[2].id);
        portal.close(&s, &w.alice, returns_open.id).await.unwrap();
        assert_eq!(
            t.ports
                .tickets
                .get(returns_open.id)
                .await
                .unwrap()
                .unwrap()
                .stage,
            first_closed
        );
        t.ports
            .tickets
            .move_to_stage(
                returns_open.id,
                w.returns.stages[0].id,
                TicketStatus::Open,
                T0,
            )
            .await
            .unwrap();
        s.actions
            .close_stages
            .insert(w.returns.id, w.returns.stages[2].id);
        portal.close(&s, &w.alice, returns_open.id).await.unwrap();
        assert_eq!(
            t.ports
                .tickets
                .get(returns_open.id)
                .await
                .unwrap()
                .unwrap()
                .stage,
            w.returns.stages[2].id
        );
    });
}

#[test]
fn v7_attachments_download_only_from_visible_public_messages() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let threads = t.ports.tickets.threads(w.alice_ticket).await.unwrap();
        let att = threads[0].messages[0].attachments[0].clone();
        assert_eq!(
            portal.attachment(&s, &w.alice, att.id).await,
            Ok(att.clone())
        );
        assert_eq!(
            portal.attachment(&s, &w.bob, att.id).await,
            Ok(att.clone()),
            "Bob sees Acme's tickets"
        );
        assert_eq!(
            portal.attachment(&s, &w.dave, att.id).await,
            Err(Error::NotFound)
        );
        assert_eq!(
            portal.attachment(&s, &w.carol, att.id).await,
            Err(Error::NotFound)
        );
        assert_eq!(
            portal
                .attachment(&s, &w.alice, AttachmentId(9_999_999))
                .await,
            Err(Error::NotFound)
        );
    });
}

#[test]
fn t6_export_returns_every_row_of_the_view_in_order_in_batches() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        for i in 0..450 {
            t.ports
                .tickets
                .create(NewTicket {
                    subject: format!("Bulk {i}"),
                    pipeline: w.support.id,
                    stage: w.open_stage,
                    status: TicketStatus::Open,
                    inbox: Some(w.inbox),
                    requester: Some(w.bob.id),
                    contacts: BTreeSet::from([w.bob.id]),
                    companies: BTreeSet::from([w.acme.id]),
                    private: false,
                    properties: BTreeMap::new(),
                    owner: None,
                    created_at: T0.plus_seconds(i % 7),
                    first_message: None,
                })
                .await
                .unwrap();
        }
        let portal = PortalTickets::new(t.ports.clone());
        let q = TicketQuery {
            sort: Sort {
                property: "created_at".into(),
                direction: Direction::Asc,
            },
            limit: 10,
            ..TicketQuery::default()
        };
        let mut export = portal.export(&s, &w.alice, &q).await.unwrap();
        let mut rows = Vec::new();
        let mut batches = 0;
        while let Some(batch) = export.next_batch().await.unwrap() {
            assert!(batch.len() <= portal_core::usecases::portal::EXPORT_BATCH);
            batches += 1;
            rows.extend(batch);
        }
        assert!(batches >= 3);
        let total = portal.list(&s, &w.alice, &q).await.unwrap().total;
        assert_eq!(rows.len() as u64, total);
        assert_eq!(total, 456);
        assert!(!portal.list(&s, &w.alice, &q).await.unwrap().more);
        assert_eq!(ids(&rows).len(), rows.len(), "no row twice");
        assert!(
            rows.windows(2)
                .all(|p| (p[0].created_at, p[0].id) < (p[1].created_at, p[1].id))
        );
        // The export of Alice's own view is only hers.
        let mut mine = portal
            .export(
                &s,
                &w.alice,
                &TicketQuery {
                    view: View::Mine,
                    ..q
                },
            )
            .await
            .unwrap();
        let mut own = Vec::new();
        while let Some(b) = mine.next_batch().await.unwrap() {
            own.extend(b);
        }
        assert!(own.iter().all(|t| t.contacts.contains(&w.alice.id)));
        assert_eq!(own.len(), 3);
    });
}

#[test]
fn p12_t7_the_support_form_files_a_ticket_into_the_inbox() {
    block_on(async {
        let (t, w, s) = setup(|_, s| {
            s.support_form = SupportForm {
                fields: vec![
                    FormField {
                        property: "priority".into(),
                        label: None,
                        required: true,
                    },
                    FormField {
                        property: "seats".into(),
                        label: Some("How many seats?".into()),
                        required: false,
                    },
                ],
                ..SupportForm::default()
            };
        })
        .await;
        let portal = PortalTickets::new(t.ports.clone());
        let bad = portal
            .submit_form(
                &s,
                &w.bob,
                FormInput {
                    subject: " ".into(),
                    description_html: "".into(),
                    fields: BTreeMap::from([("seats".into(), "many".into())]),
                    attachments: vec![],
                    private: None,
                    on_behalf: None,
                    portal_url: "https://help.example.test/portal".into(),
                },
            )
            .await;
        let Err(Error::Invalid(errors)) = bad else {
            panic!("expected invalid: {bad:?}")
        };
        let fields: BTreeSet<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            BTreeSet::from([
                ("subject", "required"),
                ("description", "required"),
                ("priority", "required"),
                ("seats", "invalid_number")
            ])
        );
        let ticket = portal
            .submit_form(
                &s,
                &w.bob,
                FormInput {
                    subject: "New laptop".into(),
                    description_html: "<p>Please</p>".into(),
                    fields: BTreeMap::from([
                        ("priority".into(), "high".into()),
                        ("seats".into(), " 4 ".into()),
                        ("ignored".into(), "x".into()),
                    ]),
                    attachments: vec![],
                    private: None,
                    on_behalf: None,
                    portal_url: "https://help.example.test/portal".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(ticket.inbox, Some(w.inbox));
        assert_eq!(
            (ticket.pipeline, ticket.stage, ticket.status),
            (w.support.id, w.open_stage, TicketStatus::Open)
        );
        assert_eq!(ticket.contacts, BTreeSet::from([w.bob.id]));
        assert_eq!(ticket.companies, BTreeSet::from([w.acme.id]));
        assert_eq!(
            ticket.properties,
            BTreeMap::from([
                ("priority".into(), Value::text("high")),
                ("seats".into(), Value::Number(4))
            ])
        );
        let threads = t.ports.tickets.threads(ticket.id).await.unwrap();
        assert_eq!(threads[0].messages[0].body, "<p>Please</p>");
        // It shows in the filer's list and in a coworker's organization view.
        let bob = portal
            .list(&s, &w.bob, &TicketQuery::default())
            .await
            .unwrap();
        assert!(bob.page.tickets.iter().any(|t| t.id == ticket.id));
        let alice = portal
            .list(&s, &w.alice, &TicketQuery::default())
            .await
            .unwrap();
        assert!(alice.page.tickets.iter().any(|t| t.id == ticket.id));
        assert_eq!(
            t.ports.timeline.for_ticket(ticket.id, 5).await.unwrap()[0].kind,
            TimelineKind::TicketSubmitted
        );
        // A form that is not connected does not exist.
        let mut off = s.clone();
        off.support_form.enabled = false;
        assert_eq!(
            portal
                .submit_form(&off, &w.bob, FormInput::default())
                .await
                .err(),
            Some(Error::NotFound)
        );
    });
}

async fn account(t: &TestPorts, contact: &Contact, password: &str) -> Account {
    t.ports
        .accounts
        .create(Account {
            id: AccountId(0),
            contact: contact.id,
            email: contact.email.clone(),
            password_hash: Some(t.ports.hasher.hash(password).await.unwrap()),
            enabled: true,
            email_confirmed: true,
            language: None,
            time_zone: None,
            consent: None,
            created_at: T0,
        })
        .await
        .unwrap()
}

#[test]
fn a1_a2_login_decisions_and_no_enumeration() {
    use std::sync::atomic::Ordering;
    block_on(async {
        let (t, w, mut s) = setup(|_, _| {}).await;
        let accounts = Accounts::new(t.ports.clone());
        let alice = account(&t, &w.alice, "correct horse").await;
        // Wrong password and unknown email: the same error, each after one verification.
        let before = t.hasher.verifications.load(Ordering::SeqCst);
        assert_eq!(
            accounts.login("alice@acme.test", "wrong").await.err(),
            Some(Error::BadCredentials)
        );
        assert_eq!(
            accounts.login("nobody@acme.test", "wrong").await.err(),
            Some(Error::BadCredentials)
        );
        assert_eq!(t.hasher.verifications.load(Ordering::SeqCst) - before, 2);
        let (customer, session) = accounts
            .login(" ALICE@acme.test ", "correct horse")
            .await
            .unwrap();
        assert_eq!(customer.contact.id, w.alice.id);
        assert_eq!(session.session.token_hash, token_hash(&session.token));
        assert_ne!(
            session.token, session.session.token_hash,
            "only the hash is stored"
        );
        assert_eq!(session.token.len(), 64, "256 bits");
        // A1: without self-registration only access-group members enter.
        s.access.self_registration = false;
        let list = t.ports.directory.create_list("Customers").await.unwrap();
        s.access.access_groups = BTreeSet::from([list.id]);
        t.ports.settings.save(&s).await.unwrap();
        assert_eq!(
            accounts
                .login("alice@acme.test", "correct horse")
                .await
                .err(),
            Some(Error::EntryDenied(EntryDenied::NotInAccessGroup))
        );
        t.ports
            .directory
            .add_member(list.id, w.alice.id)
            .await
            .unwrap();
        assert!(
            accounts
                .login("alice@acme.test", "correct horse")
                .await
                .is_ok()
        );
        // Unconfirmed and disabled accounts stay out; disabling ends every session.
        let (_, live) = accounts
            .login("alice@acme.test", "correct horse")
            .await
            .unwrap();
        accounts.disable(&alice).await.unwrap();
        assert_eq!(accounts.resume(&live.token).await.unwrap(), None);
        assert_eq!(
            accounts
                .login("alice@acme.test", "correct horse")
                .await
                .err(),
            Some(Error::EntryDenied(EntryDenied::AccountDisabled))
        );
        let mut bob = account(&t, &w.bob, "pw-bob-123").await;
        t.ports
            .directory
            .add_member(list.id, w.bob.id)
            .await
            .unwrap();
        bob.email_confirmed = false;
        t.ports.accounts.update(&bob).await.unwrap();
        assert_eq!(
            accounts.login("bob@acme.test", "pw-bob-123").await.err(),
            Some(Error::EntryDenied(EntryDenied::EmailNotConfirmed))
        );
    });
}

#[test]
fn a5_sessions_end_after_idle_time_and_lifetime_and_at_logout() {
    block_on(async {
        let (t, w, mut s) = setup(|_, _| {}).await;
        s.session.idle = IdleTimeout::Minutes20;
        t.ports.settings.save(&s).await.unwrap();
        let accounts = Accounts::new(t.ports.clone());
        account(&t, &w.alice, "pw-alice-1").await;
        let (_, a) = accounts
            .login("alice@acme.test", "pw-alice-1")
            .await
            .unwrap();
        // Used every 19 minutes it lives until the 12-hour lifetime.
        for _ in 0..37 {
            t.clock.advance_seconds(19 * 60);
            assert!(accounts.resume(&a.token).await.unwrap().is_some());
        }
        t.clock.advance_seconds(19 * 60);
        assert_eq!(
            accounts.resume(&a.token).await.unwrap(),
            None,
            "absolute lifetime"
        );
        assert_eq!(
            t.ports.sessions.get(&a.session.token_hash).await.unwrap(),
            None,
            "deleted on the server"
        );
        let (_, b) = accounts
            .login("alice@acme.test", "pw-alice-1")
            .await
            .unwrap();
        t.clock.advance_seconds(20 * 60);
        assert_eq!(
            accounts.resume(&b.token).await.unwrap(),
            None,
            "idle timeout"
        );
        let (customer, c) = accounts
            .login("alice@acme.test", "pw-alice-1")
            .await
            .unwrap();
        let resumed = accounts.resume(&c.token).await.unwrap().unwrap();
        assert_eq!(accounts.customer(&resumed).await.unwrap(), Some(customer));
        accounts.logout(&c.token).await.unwrap();
        assert_eq!(accounts.resume(&c.token).await.unwrap(), None);
        assert_eq!(accounts.resume("not-a-token").await.unwrap(), None);
    });
}

#[test]
fn p14_settings_updates_need_the_permission_are_validated_and_audited() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let admin = PortalAdmin::new(t.ports.clone());
        let agent = StaffActor {
            agent: w.agent.id,
            can_manage_portal: false,
        };
        let boss = StaffActor {
            agent: w.agent.id,
            can_manage_portal: true,
        };
        let mut new = s.clone();
        new.name = "Acme Support".into();
        assert_eq!(
            admin.update_settings(agent, new.clone()).await.err(),
            Some(Error::PermissionDenied)
        );
        let mut invalid = new.clone();
        invalid.slug = "Admin!".into();
        invalid
            .columns
            .push(portal_core::settings::Column::of("nope"));
        let Err(Error::Invalid(errors)) = admin.update_settings(boss, invalid).await else {
            panic!()
        };
        let fields: BTreeSet<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, BTreeSet::from(["slug", "columns.6.property"]));
        assert_eq!(
            t.ports.settings.load().await.unwrap(),
            s,
            "nothing half-written"
        );
        let saved = admin.update_settings(boss, new.clone()).await.unwrap();
        assert_eq!(saved.version, s.version + 1);
        assert_eq!(saved.name, "Acme Support");
        let audit = t.ports.audit.recent(1).await.unwrap();
        assert_eq!(audit[0].actor, format!("agent:{}", w.agent.id));
        assert!(audit[0].detail.ends_with(": name"), "{}", audit[0].detail);
        // A second editor starting from the old version loses.
        assert!(matches!(
            admin.update_settings(boss, new).await,
            Err(Error::Conflict(_))
        ));
    });
}

#[test]
fn n3_explain_access_names_the_rule_for_each_ticket() {
    block_on(async {
        let (t, w, _) = setup(|w, s| {
            s.visibility.company_access = CompanyAccess::Filtered(Filter {
                groups: vec![
                    portal_core::filter::FilterGroup {
                        criteria: vec![Criterion::new(
                            "tier",
                            Operator::Equals(Value::text("platinum")),
                        )],
                    },
                    portal_core::filter::FilterGroup {
                        criteria: vec![Criterion::new(
                            "tier",
                            Operator::Equals(Value::text("gold")),
                        )],
                    },
                ],
            });
            s.visibility.ticket_filter = Some(Filter::all_of(vec![Criterion::new(
                "pipeline",
                Operator::Equals(Value::Number(w.support.id.0)),
            )]));
        })
        .await;
        let admin = PortalAdmin::new(t.ports.clone());
        let e = admin.explain_access(w.alice.id, 100).await.unwrap();
        let verdict = |id: TicketId| {
            e.tickets
                .iter()
                .find(|x| x.ticket.id == id)
                .map(|x| x.verdict)
        };
        assert_eq!(
            verdict(w.alice_ticket),
            Some(Verdict::Admitted {
                by: Admission::OwnTicket
            })
        );
        assert_eq!(
            verdict(w.bob_ticket),
            Some(Verdict::Admitted {
                by: Admission::CompanyTicketByGroup(1)
            })
        );
        assert_eq!(
            verdict(w.tickets[4]),
            Some(Verdict::Denied {
                by: Denial::VisibilityFilter
            })
        );
        assert_eq!(
            verdict(w.other_ticket),
            None,
            "other companies' tickets are not listed"
        );
        let bob = admin.explain_access(w.bob.id, 100).await.unwrap();
        let alice_for_bob = bob
            .tickets
            .iter()
            .find(|x| x.ticket.id == w.alice_ticket)
            .unwrap();
        assert_eq!(
            alice_for_bob.verdict,
            Verdict::Denied {
                by: Denial::NoGroupMatched
            }
        );
        assert_eq!(
            admin.explain_access(ContactId(9_999_999), 10).await.err(),
            Some(Error::NotFound)
        );
    });
}

#[test]
fn custom_properties_defined_in_the_catalog_are_columns_and_filters() {
    block_on(async {
        let (t, w, mut s) = setup(|_, _| {}).await;
        t.ports
            .catalog
            .define_property(
                ObjectKind::Ticket,
                PropertyDef::custom("region", "Region", ValueKind::Text),
            )
            .await
            .unwrap();
        s.columns
            .push(portal_core::settings::Column::of("priority"));
        let portal = PortalTickets::new(t.ports.clone());
        let q = TicketQuery {
            filters: vec![Criterion::new(
                "priority",
                Operator::Equals(Value::text("low")),
            )],
            ..TicketQuery::default()
        };
        let low = portal.list(&s, &w.alice, &q).await.unwrap();
        assert_eq!(
            ids(&low.page.tickets),
            BTreeSet::from([w.bob_ticket, w.tickets[4]])
        );
    });
}

#[test]
fn t1_the_list_counts_up_to_a_thousand_then_says_more() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        for i in 0..1001 {
            t.ports
                .tickets
                .create(NewTicket {
                    subject: format!("Many {i}"),
                    pipeline: w.support.id,
                    stage: w.open_stage,
                    status: TicketStatus::Open,
                    inbox: Some(w.inbox),
                    requester: Some(w.bob.id),
                    contacts: BTreeSet::from([w.bob.id]),
                    companies: BTreeSet::new(),
                    private: false,
                    properties: BTreeMap::new(),
                    owner: None,
                    created_at: T0,
                    first_message: None,
                })
                .await
                .unwrap();
        }
        let portal = PortalTickets::new(t.ports.clone());
        let bob = portal
            .list(
                &s,
                &w.bob,
                &TicketQuery {
                    view: View::Mine,
                    ..TicketQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((bob.total, bob.more), (1000, true));
        let alice = portal
            .list(
                &s,
                &w.alice,
                &TicketQuery {
                    view: View::Mine,
                    ..TicketQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((alice.total, alice.more), (3, false));
    });
}

#[test]
fn u3_an_imported_cell_with_a_control_character_is_refused_and_nothing_is_stored() {
    use portal_core::usecases::import::{ImportKind, Importer};
    use portal_core::usecases::records::Records;
    block_on(async {
        let t = memory_ports(T0);
        let importer = Importer::new(t.ports.clone());
        let records = Records::new(t.ports.clone());
        let row: BTreeMap<String, String> = [
            ("name".to_string(), "Nul\u{0}Corp".to_string()),
            ("domain".to_string(), "nul.example".to_string()),
        ]
        .into();
        let Err(Error::Invalid(list)) = importer.row(ImportKind::Companies, &row, Vec::new()).await
        else {
            panic!("a NUL in a company name was imported");
        };
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].field.as_str(), list[0].code.as_str()),
            ("name", "control_character")
        );
        // Neither the name as sent nor the name without the NUL was stored.
        assert!(records.company_named("Nul\u{0}Corp").await.is_err());
        assert!(records.company_named("NulCorp").await.is_err());
        // The same row without it is imported.
        let row: BTreeMap<String, String> = [("name".to_string(), "NulCorp".to_string())].into();
        importer
            .row(ImportKind::Companies, &row, Vec::new())
            .await
            .unwrap();
        assert!(
            records
                .company_named("NulCorp")
                .await
                .is_ok_and(|c| c.is_some())
        );
    });
}

/// C5: a ticket filed private is seen by its requester and participants only, not by a
/// colleague with company access; shared again, the colleague sees it at once; only the
/// requester changes it, only when customers may choose; a choice is refused when they may
/// not, and the default applies when none is sent.
#[test]
fn c5_a_private_ticket_is_seen_by_its_people_only_until_shared() {
    block_on(async {
        let (t, w, s) = setup(|_, s| {
            s.actions.customers_choose_privacy = true;
            s.actions.customers_add_ccs = true;
        })
        .await;
        let portal = PortalTickets::new(t.ports.clone());
        let form = |private| FormInput {
            subject: "Salary question".into(),
            description_html: "<p>confidential</p>".into(),
            fields: BTreeMap::new(),
            attachments: vec![],
            private,
            on_behalf: None,
            portal_url: "https://help.example.test/portal".into(),
        };
        let ticket = portal
            .submit_form(&s, &w.alice, form(Some(true)))
            .await
            .unwrap();
        assert!(ticket.private);
        let org = TicketQuery::default();
        let listed = |who: Contact| {
            let (portal, s, org) = (portal.clone(), s.clone(), org.clone());
            async move {
                let l = portal.list(&s, &who, &org).await.unwrap();
                l.page.tickets.iter().any(|x| x.id == ticket.id)
            }
        };
        assert!(listed(w.alice.clone()).await);
        assert!(
            !listed(w.bob.clone()).await,
            "a colleague lists a private ticket"
        );
        assert_eq!(
            portal.detail(&s, &w.bob, ticket.id).await.err(),
            Some(Error::NotFound)
        );
        // A participant sees it, private or not.
        portal
            .add_participant(&s, &w.alice, ticket.id, &w.bob.email)
            .await
            .unwrap();
        assert!(listed(w.bob.clone()).await);
        portal
            .remove_participant(&s, &w.alice, ticket.id, w.bob.id)
            .await
            .unwrap();
        assert!(!listed(w.bob.clone()).await);
        // Only the requester shares it.
        assert_eq!(
            portal.set_private(&s, &w.bob, ticket.id, false).await.err(),
            Some(Error::NotFound)
        );
        portal
            .set_private(&s, &w.alice, ticket.id, false)
            .await
            .unwrap();
        assert!(
            listed(w.bob.clone()).await,
            "shared again: the colleague sees it"
        );
        assert_eq!(
            portal.set_private(&s, &w.bob, ticket.id, true).await.err(),
            Some(Error::ActionDenied(ActionDenied::PrivacyNotRequester))
        );
        let events = t.ports.timeline.for_contact(w.alice.id, 50).await.unwrap();
        assert!(
            events
                .iter()
                .any(|e| e.kind == TimelineKind::PrivacyChanged { private: false })
        );
        // The portal decides alone: the default applies, a choice sent anyway is refused.
        let mut fixed = s.clone();
        fixed.actions.customers_choose_privacy = false;
        fixed.actions.private_by_default = true;
        let by_default = portal
            .submit_form(&fixed, &w.alice, form(None))
            .await
            .unwrap();
        assert!(by_default.private);
        assert_eq!(
            portal
                .submit_form(&fixed, &w.alice, form(Some(false)))
                .await
                .err(),
            Some(Error::ActionDenied(ActionDenied::PrivacyChoiceOff))
        );
        assert_eq!(
            portal
                .set_private(&fixed, &w.alice, by_default.id, false)
                .await
                .err(),
            Some(Error::ActionDenied(ActionDenied::PrivacyChoiceOff))
        );
        assert_eq!(
            portal.detail(&fixed, &w.bob, by_default.id).await.err(),
            Some(Error::NotFound),
            "private by default: the colleague does not see it"
        );
    })
}

/// C4: a company's portal admin reads who in the company viewed, exported, replied to,
/// closed and handed over which of its tickets; nothing about a private ticket, nothing a
/// CC of another company did, no staff event, no preview; anyone else gets `NotFound`;
/// entries past the retention are deleted.
#[test]
fn c4_the_company_admin_reads_the_companys_access_log_and_nothing_else() {
    use portal_core::organisation::{AccessAction, AccessLogQuery};
    block_on(async {
        let (t, w, s) = setup(|_, s| {
            s.actions.allow_close = true;
            s.actions.customers_add_ccs = true;
            s.actions.customers_choose_privacy = true;
        })
        .await;
        let portal = PortalTickets::new(t.ports.clone());
        let all = AccessLogQuery {
            limit: 100,
            ..AccessLogQuery::default()
        };
        // Not an admin yet: the log does not exist for Alice.
        assert_eq!(
            portal.access_log(&s, &w.alice, None, &all).await.err(),
            Some(Error::NotFound)
        );
        let records = portal_core::usecases::records::Records::new(t.ports.clone());
        records
            .set_company_admin(w.agent.id, w.alice.id, None, true)
            .await
            .unwrap();
        assert_eq!(
            records
                .set_company_admin(w.agent.id, w.carol.id, None, true)
                .await
                .err()
                .map(|e| matches!(e, Error::Invalid(_))),
            Some(true),
            "a contact without a company is nobody's admin"
        );
        // The journey: Bob views, replies to and closes his company ticket, exports his
        // list; Dave of Globex, copied in on Alice's ticket, views it; Alice makes a
        // private ticket and Bob's view of his own private ticket stays out.
        portal.detail(&s, &w.bob, w.bob_ticket).await.unwrap();
        portal
            .reply(
                &s,
                &w.bob,
                w.bob_ticket,
                portal_core::usecases::portal::ReplyInput {
                    body_html: "<p>more</p>".into(),
                    attachments: vec![],
                },
            )
            .await
            .unwrap();
        portal.close(&s, &w.bob, w.bob_ticket).await.unwrap();
        let mut export = portal
            .export(&s, &w.bob, &TicketQuery::default())
            .await
            .unwrap();
        while export.next_batch().await.unwrap().is_some() {}
        portal
            .add_participant(&s, &w.alice, w.alice_ticket, &w.dave.email)
            .await
            .unwrap();
        portal.detail(&s, &w.dave, w.alice_ticket).await.unwrap();
        let private = portal
            .submit_form(
                &s,
                &w.bob,
                FormInput {
                    subject: "Private matter".into(),
                    description_html: "<p>x</p>".into(),
                    fields: BTreeMap::new(),
                    attachments: vec![],
                    private: Some(true),
                    on_behalf: None,
                    portal_url: "https://help.example.test/portal".into(),
                },
            )
            .await
            .unwrap();
        portal.detail(&s, &w.bob, private.id).await.unwrap();
        // A staff preview of Bob's portal (A6) writes nothing.
        let pipelines = t.ports.catalog.pipelines().await.unwrap();
        portal
            .detail_with(&s, &pipelines, &w.bob, w.bob_ticket, true)
            .await
            .unwrap();
        let log = portal.access_log(&s, &w.alice, None, &all).await.unwrap();
        let got: Vec<_> = log
            .entries
            .iter()
            .map(|e| (e.event.contact, e.event.action, e.event.ticket))
            .collect();
        assert_eq!(
            got,
            vec![
                (w.bob.id, AccessAction::Exported, None),
                (w.bob.id, AccessAction::Closed, Some(w.bob_ticket)),
                (w.bob.id, AccessAction::Replied, Some(w.bob_ticket)),
                (w.bob.id, AccessAction::Viewed, Some(w.bob_ticket)),
            ]
        );
        assert_eq!(log.company.id, w.acme.id);
        assert!(log.entries.iter().all(|e| e.who == w.bob.full_name()));
        assert!(
            log.entries[0].event.count > 0,
            "the export says how many tickets"
        );
        assert!(log.colleagues.iter().any(|(id, _)| *id == w.bob.id));
        assert!(!log.colleagues.iter().any(|(id, _)| *id == w.dave.id));
        // Filters and the next page.
        let views = portal
            .access_log(
                &s,
                &w.alice,
                None,
                &AccessLogQuery {
                    action: Some(AccessAction::Viewed),
                    ..all.clone()
                },
            )
            .await
            .unwrap();
        assert_eq!(views.entries.len(), 1);
        let first = portal
            .access_log(
                &s,
                &w.alice,
                None,
                &AccessLogQuery {
                    limit: 3,
                    ..all.clone()
                },
            )
            .await
            .unwrap();
        assert_eq!(first.entries.len(), 3);
        let rest = portal
            .access_log(
                &s,
                &w.alice,
                None,
                &AccessLogQuery {
                    before: first.next,
                    ..all.clone()
                },
            )
            .await
            .unwrap();
        assert_eq!(rest.entries.len(), 1);
        assert_eq!(rest.next, None);
        // Bob, not an admin, has no log.
        assert_eq!(
            portal.access_log(&s, &w.bob, None, &all).await.err(),
            Some(Error::NotFound)
        );
        // Retention: a year later, the entries are gone.
        t.clock
            .advance_seconds(i64::from(s.access_log_days) * 86_400 + 1);
        assert_eq!(portal.purge_access_log().await.unwrap(), 4);
        assert!(
            portal
                .access_log(&s, &w.alice, None, &all)
                .await
                .unwrap()
                .entries
                .is_empty()
        );
    })
}

/// C2 with C4 and C5: a contact in two companies is a portal admin of each only where
/// staff made them one. Alice (Acme, also in Globex) made Globex's admin reads Globex's log
/// (the default with one company) and people; Acme's are not found for her. Dave's view of
/// Globex's ticket is in Globex's log, Bob's of Acme's is not; she limits Dave, not Bob. An
/// export of her Globex view is Globex's only, one of all her companies' tickets is in both
/// logs once she administers Acme too. Staff cannot make her admin of a company she is not
/// in; taken out of Globex, she no longer reads its log.
#[test]
fn c4_a_contact_in_two_companies_administers_each_on_its_own() {
    use portal_core::organisation::{AccessAction, AccessLogQuery};
    use portal_core::usecases::records::Records;
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let records = Records::new(t.ports.clone());
        let all = AccessLogQuery {
            limit: 100,
            ..AccessLogQuery::default()
        };
        let mut alice = w.alice.clone();
        alice.memberships = vec![Membership::of(w.globex.id)];
        t.ports.directory.update_contact(&alice).await.unwrap();
        let initech = t
            .ports
            .directory
            .create_company("Initech", None)
            .await
            .unwrap();
        assert!(matches!(
            records
                .set_company_admin(w.agent.id, alice.id, Some(initech.id), true)
                .await,
            Err(Error::Invalid(_))
        ));
        records
            .set_company_admin(w.agent.id, alice.id, Some(w.globex.id), true)
            .await
            .unwrap();
        assert_eq!(
            records.contact(alice.id).await.unwrap().admin_of,
            vec![w.globex.id]
        );
        let administered = |c: Vec<Company>| c.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(
            administered(portal.access_log_companies(&alice).await.unwrap()),
            vec![w.globex.id]
        );

        portal.detail(&s, &w.dave, w.other_ticket).await.unwrap();
        portal.detail(&s, &w.bob, w.bob_ticket).await.unwrap();
        let log = portal.access_log(&s, &alice, None, &all).await.unwrap();
        assert_eq!(log.company.id, w.globex.id);
        let entries = |l: &portal_core::usecases::organisation::LogPage| {
            l.entries
                .iter()
                .map(|e| (e.event.contact, e.event.action, e.event.ticket))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            entries(&log),
            vec![(w.dave.id, AccessAction::Viewed, Some(w.other_ticket))]
        );
        for chosen in [Some(w.acme.id), Some(initech.id), Some(CompanyId(9_999))] {
            assert_eq!(
                portal.access_log(&s, &alice, chosen, &all).await.err(),
                Some(Error::NotFound)
            );
            assert_eq!(
                portal.company_people(&s, &alice, chosen).await.err(),
                Some(Error::NotFound)
            );
        }
        let people = portal
            .company_people(&s, &alice, Some(w.globex.id))
            .await
            .unwrap();
        assert_eq!(
            people
                .colleagues
                .iter()
                .map(|c| c.contact.id)
                .collect::<Vec<_>>(),
            vec![w.dave.id]
        );
        let see_only = CompanyRights {
            see: true,
            reply: false,
            close: false,
        };
        assert_eq!(
            portal
                .limit_colleague(&s, &alice, Some(w.globex.id), w.dave.id, Some(see_only))
                .await,
            Ok(see_only)
        );
        assert_eq!(
            portal
                .limit_colleague(&s, &alice, None, w.bob.id, Some(see_only))
                .await
                .err(),
            Some(Error::NotFound),
            "Bob is Acme's, and she is no admin there"
        );

        // Exports: of the Globex view, Globex's only; of all her companies', both logs.
        let drain = |q: TicketQuery| {
            let portal = portal.clone();
            let s = s.clone();
            let alice = alice.clone();
            async move {
                let mut export = portal.export(&s, &alice, &q).await.unwrap();
                while export.next_batch().await.unwrap().is_some() {}
            }
        };
        drain(TicketQuery {
            view: View::Company(w.globex.id),
            ..TicketQuery::default()
        })
        .await;
        records
            .set_company_admin(w.agent.id, alice.id, Some(w.acme.id), true)
            .await
            .unwrap();
        assert_eq!(
            administered(portal.access_log_companies(&alice).await.unwrap()),
            vec![w.acme.id, w.globex.id],
            "primary first"
        );
        drain(TicketQuery::default()).await;
        let exports = AccessLogQuery {
            action: Some(AccessAction::Exported),
            ..all.clone()
        };
        let globex_exports = portal
            .access_log(&s, &alice, Some(w.globex.id), &exports)
            .await
            .unwrap();
        assert_eq!(globex_exports.entries.len(), 2);
        assert_eq!(globex_exports.companies.len(), 2);
        let acme_log = portal.access_log(&s, &alice, None, &all).await.unwrap();
        assert_eq!(acme_log.company.id, w.acme.id, "the primary company first");
        assert_eq!(
            entries(&acme_log),
            vec![
                (alice.id, AccessAction::Exported, None),
                (w.bob.id, AccessAction::Viewed, Some(w.bob_ticket)),
            ]
        );

        // Out of Globex: its log and people are gone for her, Acme's stay.
        alice.memberships.clear();
        t.ports.directory.update_contact(&alice).await.unwrap();
        assert_eq!(
            portal
                .access_log(&s, &alice, Some(w.globex.id), &all)
                .await
                .err(),
            Some(Error::NotFound)
        );
        assert_eq!(
            administered(portal.access_log_companies(&alice).await.unwrap()),
            vec![w.acme.id]
        );
    })
}

/// C2: an imported contact row names further companies (`companies`, `;`-separated names or
/// domains): the contact joins each (the portal's rules decide its rights); a second import
/// of the same row changes nothing; an unknown company is refused and nothing is written.
#[test]
fn c2_an_import_carries_a_contacts_further_companies() {
    use portal_core::usecases::import::{ImportKind, Imported, Importer};
    block_on(async {
        let (t, w, _) = setup(|_, _| {}).await;
        let importer = Importer::new(t.ports.clone());
        let row = |companies: &str| -> BTreeMap<String, String> {
            [
                ("external_id", "c-77"),
                ("email", "eve@example.test"),
                ("first_name", "Eve"),
                ("company", "Acme"),
                ("companies", companies),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        };
        assert!(matches!(
            importer
                .row(ImportKind::Contacts, &row("Nobody Inc"), Vec::new())
                .await,
            Err(Error::Invalid(_))
        ));
        assert!(
            t.ports
                .directory
                .contact_by_email("eve@example.test")
                .await
                .unwrap()
                .is_none(),
            "nothing written"
        );
        importer
            .row(ImportKind::Contacts, &row("Globex; Acme"), Vec::new())
            .await
            .unwrap();
        let eve = t
            .ports
            .directory
            .contact_by_email("eve@example.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(eve.primary_company, Some(w.acme.id));
        let companies: Vec<CompanyId> = eve.companies().iter().map(|m| m.company).collect();
        assert_eq!(companies, vec![w.acme.id, w.globex.id]);
        assert_eq!(
            importer
                .row(ImportKind::Contacts, &row("Globex"), Vec::new())
                .await
                .unwrap(),
            Imported::Existing
        );
    })
}

/// C1 with issue 17: copying in an address nobody has creates that contact when customers
/// may copy in anyone and the ticket's inbox makes contacts of unknown senders; otherwise
/// the one answer for addresses that cannot be added.
#[test]
fn c1_copying_in_an_unknown_address_creates_the_contact_when_the_inbox_allows_it() {
    block_on(async {
        let (t, w, s) = setup(|_, s| {
            s.actions.customers_add_ccs = true;
        })
        .await;
        let portal = PortalTickets::new(t.ports.clone());
        assert_eq!(
            portal
                .add_participant(&s, &w.alice, w.alice_ticket, "new.person@example.test")
                .await
                .err(),
            Some(Error::ActionDenied(ActionDenied::CcAddressRefused))
        );
        let mut open = s.clone();
        open.mail_creates_contacts = vec![w.inbox];
        let added = portal
            .add_participant(&open, &w.alice, w.alice_ticket, "new.person@example.test")
            .await
            .unwrap();
        assert_eq!(added.email, "new.person@example.test");
        assert_eq!(added.primary_company, None);
        let ticket = t.ports.tickets.get(w.alice_ticket).await.unwrap().unwrap();
        assert!(ticket.contacts.contains(&added.id));
        assert!(matches!(
            portal
                .add_participant(&open, &w.alice, w.alice_ticket, "not an address@")
                .await,
            Err(Error::Invalid(_))
        ));
        // Colleagues only: nobody new can be a colleague.
        open.actions.ccs_same_company = true;
        assert_eq!(
            portal
                .add_participant(&open, &w.alice, w.alice_ticket, "another@example.test")
                .await
                .err(),
            Some(Error::ActionDenied(ActionDenied::CcAddressRefused))
        );
        assert!(
            t.ports
                .directory
                .contact_by_email("another@example.test")
                .await
                .unwrap()
                .is_none()
        );
    })
}

/// C3 by a company's portal admin: Alice, Acme's admin, hands Bob's Acme ticket to their
/// colleague Cara, Bob not staying on it; Cara is the requester, Bob no longer on it, the
/// audit names Alice; not to someone outside Acme.
#[test]
fn c3_a_company_admin_hands_a_colleagues_ticket_over() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let cara = t
            .ports
            .directory
            .create_contact(NewContact {
                email: "cara@acme.test".into(),
                membership_email: None,
                first_name: "Cara".into(),
                last_name: "Acme".into(),
                primary_company: Some(w.acme.id),
                language: None,
                properties: BTreeMap::new(),
            })
            .await
            .unwrap();
        // Not an admin: refused.
        assert_eq!(
            portal
                .hand_over(
                    &s,
                    &w.alice,
                    w.bob_ticket,
                    &cara.email,
                    false,
                    "https://x.test"
                )
                .await
                .err(),
            Some(Error::ActionDenied(ActionDenied::CcNotRequester))
        );
        t.ports
            .access_log
            .set_admin(w.acme.id, w.alice.id, true)
            .await
            .unwrap();
        let people = portal.people(&s, &w.alice, w.bob_ticket).await.unwrap();
        assert!(people.may_hand_over);
        assert_eq!(
            portal
                .hand_over(
                    &s,
                    &w.alice,
                    w.bob_ticket,
                    &w.dave.email,
                    false,
                    "https://x.test"
                )
                .await
                .err(),
            Some(Error::ActionDenied(ActionDenied::HandOverRefused))
        );
        portal
            .hand_over(
                &s,
                &w.alice,
                w.bob_ticket,
                &cara.email,
                false,
                "https://x.test",
            )
            .await
            .unwrap();
        let ticket = t.ports.tickets.get(w.bob_ticket).await.unwrap().unwrap();
        assert_eq!(ticket.requester, Some(cara.id));
        assert!(
            !ticket.contacts.contains(&w.bob.id),
            "Bob did not stay on it"
        );
        let audit = t.ports.audit.recent(5).await.unwrap();
        let entry = audit
            .iter()
            .find(|e| e.action == "ticket.hand_over")
            .unwrap();
        assert_eq!(entry.actor, format!("contact:{}", w.alice.id.0));
        assert!(entry.detail.contains(&format!(
            "requester contact {} -> contact {}",
            w.bob.id.0, cara.id.0
        )));
    })
}

/// C5: a requester files a ticket on behalf of a colleague of the same company: the
/// colleague is its requester (and told by mail when they have a login), the filer a
/// participant who wrote the first message; anyone else (another company's contact, an
/// unknown address, oneself) is one field error and nothing is written.
#[test]
fn c5_a_ticket_filed_on_behalf_of_a_colleague_is_theirs_and_the_filer_stays_on_it() {
    block_on(async {
        let (t, w, s) = setup(|_, _| {}).await;
        let portal = PortalTickets::new(t.ports.clone());
        let form = |on_behalf: &str| FormInput {
            subject: "Bob's new laptop".into(),
            description_html: "<p>He needs one</p>".into(),
            fields: BTreeMap::new(),
            attachments: vec![],
            private: None,
            on_behalf: Some(on_behalf.to_string()),
            portal_url: "https://help.example.test/portal".into(),
        };
        for other in [
            w.dave.email.as_str(),
            "nobody@example.test",
            w.alice.email.as_str(),
        ] {
            let Err(Error::Invalid(e)) = portal.submit_form(&s, &w.alice, form(other)).await else {
                panic!("filed for {other}");
            };
            assert_eq!(
                (e[0].field.as_str(), e[0].code.as_str()),
                ("on_behalf", "not_a_colleague")
            );
        }
        let before = t.ports.audit.recent(100).await.unwrap().len();
        let ticket = portal
            .submit_form(&s, &w.alice, form(&w.bob.email))
            .await
            .unwrap();
        assert_eq!(ticket.requester, Some(w.bob.id));
        assert_eq!(ticket.contacts, BTreeSet::from([w.alice.id, w.bob.id]));
        let threads = t.ports.tickets.threads(ticket.id).await.unwrap();
        assert_eq!(threads[0].messages[0].author, Author::Contact(w.alice.id));
        let audit = t.ports.audit.recent(100).await.unwrap();
        assert_eq!(audit.len(), before + 1);
        assert_eq!(audit[0].action, "ticket.filed_on_behalf");
        // Bob finds it among his own tickets; Alice among those shared with her.
        let mine = TicketQuery {
            view: View::Mine,
            ..TicketQuery::default()
        };
        let bobs = portal.list(&s, &w.bob, &mine).await.unwrap();
        assert!(bobs.page.tickets.iter().any(|x| x.id == ticket.id));
        let shared = TicketQuery {
            view: View::Shared,
            ..TicketQuery::default()
        };
        let alices = portal.list(&s, &w.alice, &shared).await.unwrap();
        assert!(alices.page.tickets.iter().any(|x| x.id == ticket.id));
    })
}
