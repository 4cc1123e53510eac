//! The port contract suites: every MUST in `portal_core::ports`, as tests any implementation
//! runs. Each contract takes fresh, empty [`Ports`]; storage adapters call [`CONTRACTS`] once
//! per backend with a new database for each entry.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::BoxFuture;
use portal_core::PortError;
use portal_core::filter::{Criterion, Operator};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef, ticket_props};
use portal_core::query::{Direction, Sort, TicketQuery, reference_page, searchable_text};
use portal_core::settings::PortalSettings;
use portal_core::visibility::{Scope, View};

use crate::fixtures::{T0, body, seed_world};

/// A named contract test.
pub struct Contract {
    /// Its name (what it proves).
    pub name: &'static str,
    /// The test; panics on a broken contract.
    pub run: fn(Ports) -> BoxFuture<'static, ()>,
}

macro_rules! contracts {
    ($($name:ident),* $(,)?) => {
        /// Every contract, in order.
        pub const CONTRACTS: &[Contract] = &[
            $(Contract { name: stringify!($name), run: |p| Box::pin($name(p)) },)*
        ];
    };
}

contracts!(
    tickets_find_answers_none_outside_the_scope,
    tickets_list_and_count_agree_with_the_reference,
    tickets_keyset_paging_visits_every_row_once,
    tickets_add_message_moves_activity_and_checks_the_thread,
    tickets_move_to_stage,
    tickets_attachment_and_related,
    directory_contacts_lists_and_memberships,
    catalog_pipelines_inboxes_agents_domains_properties,
    settings_versioned_saves,
    settings_server_keys_are_made_once_and_shared,
    settings_check_writable_on_a_healthy_store,
    accounts_unique_by_email_and_contact,
    sessions_store_touch_and_delete,
    tokens_are_single_use_and_expire,
    blobs_round_trip,
    outbox_claims_never_overlap,
    timeline_and_audit_newest_first,
    replay_guard_admits_an_id_once,
    sso_requests_are_taken_once_and_links_replace,
    directory_finds_a_company_by_name_or_domain,
    directory_remembers_imported_records_by_kind_and_external_id,
    tickets_inbox_filters_orders_and_pages_like_the_reference,
    tickets_set_owner,
    staff_logins_by_email_and_agent,
    tickets_oldest_thread_is_the_customer_conversation,
    tokens_issue_writes_the_token_and_its_mail_together,
    outbox_dead_letters_are_listed_and_retried,
    directory_pages_searches_and_updates_records,
    tickets_update_replaces_subject_and_properties,
    catalog_adds_stages_and_updates_agents,
    api_tokens_are_found_by_hash_and_revoked_by_their_agent,
    tickets_update_message_changes_one_message_of_its_ticket,
    tickets_requesters_within_names_only_requesters_of_admitted_tickets,
    login_attempts_count_per_key_since_a_time_and_clear,
    outbox_keeps_a_thread_tokens_hash_with_its_mail,
    inbound_mails_are_stored_once_leased_once_and_taken_with_their_message,
    mailboxes_are_saved_listed_checked_and_removed,
    tickets_set_people_changes_who_sees_a_ticket_at_once,
    tickets_set_private_keeps_company_access_out_at_once,
    access_log_pages_newest_first_filters_and_purges,
);

async fn tickets_find_answers_none_outside_the_scope(p: Ports) {
    let w = seed_world(&p).await;
    let own = Scope {
        contact: w.alice.id,
        companies: vec![],
        ticket_filter: None,
        shared_only: false,
    };
    let company = Scope {
        companies: w.alice.primary_company.into_iter().collect(),
        ..own.clone()
    };
    // Alice's own ticket: visible in both scopes.
    assert!(
        p.tickets
            .find(&own, w.alice_ticket)
            .await
            .unwrap()
            .is_some()
    );
    // Bob's ticket of the same company: only in the company scope.
    assert!(p.tickets.find(&own, w.bob_ticket).await.unwrap().is_none());
    assert!(
        p.tickets
            .find(&company, w.bob_ticket)
            .await
            .unwrap()
            .is_some()
    );
    // Another company's ticket: never; a missing ticket: the same answer.
    assert!(
        p.tickets
            .find(&company, w.other_ticket)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        p.tickets
            .find(&company, TicketId(9_999_999))
            .await
            .unwrap()
            .is_none()
    );
    // A V5 filter hides tickets it does not match.
    let filtered = Scope {
        ticket_filter: Some(portal_core::filter::Filter::all_of(vec![Criterion::new(
            "priority",
            Operator::Equals(Value::text("high")),
        )])),
        ..company.clone()
    };
    let high = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(high.properties.get("priority"), Some(&Value::text("high")));
    assert!(
        p.tickets
            .find(&filtered, w.alice_ticket)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        p.tickets
            .find(&filtered, w.bob_ticket)
            .await
            .unwrap()
            .is_none()
    );
}

async fn all_with_text(p: &Ports, ids: &[TicketId]) -> Vec<(Ticket, String)> {
    let mut out = Vec::new();
    for id in ids {
        let t = p.tickets.get(*id).await.unwrap().unwrap();
        let threads = p.tickets.threads(*id).await.unwrap();
        let text = searchable_text(&t, &threads);
        out.push((t, text));
    }
    out
}

fn queries() -> Vec<TicketQuery> {
    let mut out = Vec::new();
    for property in [
        ticket_props::LAST_ACTIVITY_AT,
        ticket_props::CREATED_AT,
        ticket_props::SUBJECT,
        ticket_props::OWNER,
        ticket_props::STATUS,
        "priority",
        "seats",
    ] {
        for direction in [Direction::Asc, Direction::Desc] {
            out.push(TicketQuery {
                sort: Sort {
                    property: property.into(),
                    direction,
                },
                limit: 200,
                ..TicketQuery::default()
            });
        }
    }
    let base = TicketQuery {
        limit: 200,
        ..TicketQuery::default()
    };
    for search in [
        "printer",
        "PRINT",
        "toner jam",
        "secret",
        "nothing-like-this",
        "å",
    ] {
        out.push(TicketQuery {
            search: Some(search.into()),
            ..base.clone()
        });
    }
    for status in [TicketStatus::Open, TicketStatus::Closed] {
        out.push(TicketQuery {
            status: Some(status),
            ..base.clone()
        });
    }
    for op in [
        Operator::Equals(Value::text("high")),
        Operator::NotEquals(Value::text("high")),
        Operator::IsAnyOf(vec![Value::text("high"), Value::text("low")]),
        Operator::IsNoneOf(vec![Value::text("low")]),
        Operator::Contains("IG".into()),
        Operator::StartsWith("l".into()),
        Operator::IsKnown,
        Operator::IsUnknown,
    ] {
        out.push(TicketQuery {
            filters: vec![Criterion::new("priority", op)],
            ..base.clone()
        });
    }
    for op in [
        Operator::GreaterThan(Value::Number(2)),
        Operator::LessThan(Value::Number(3)),
        Operator::Equals(Value::Number(3)),
    ] {
        out.push(TicketQuery {
            filters: vec![Criterion::new("seats", op)],
            ..base.clone()
        });
    }
    out.push(TicketQuery {
        filters: vec![Criterion::new(
            ticket_props::CREATED_AT,
            Operator::GreaterThan(Value::Date(T0.plus_seconds(3600))),
        )],
        ..base.clone()
    });
    out
}

async fn tickets_list_and_count_agree_with_the_reference(p: Ports) {
    let w = seed_world(&p).await;
    let all = all_with_text(&p, &w.tickets).await;
    for scope in w.scopes() {
        for query in queries() {
            let got = p.tickets.list(&scope, &query).await.unwrap();
            let want = reference_page(&scope, &query, all.iter().map(|(t, x)| (t, x.as_str())));
            assert_eq!(got, want, "list of {query:?} in {scope:?}");
            let count = p.tickets.count(&scope, &query).await.unwrap();
            let expected = all
                .iter()
                .filter(|(t, x)| scope.admits(t) && query.matches(t, x))
                .count() as u64;
            assert_eq!(count, expected, "count of {query:?} in {scope:?}");
            for cap in [0, 1, 2, 3, 5, 100] {
                let capped = p.tickets.count_up_to(&scope, &query, cap).await.unwrap();
                assert_eq!(
                    capped,
                    expected.min(cap),
                    "count up to {cap} of {query:?} in {scope:?}"
                );
            }
            let (page, n) = p.tickets.list_counted(&scope, &query, 3).await.unwrap();
            assert_eq!(page, want, "list_counted page of {query:?}");
            assert_eq!(n, expected.min(3), "list_counted count of {query:?}");
        }
    }
}

async fn tickets_keyset_paging_visits_every_row_once(p: Ports) {
    let w = seed_world(&p).await;
    let scope = w.scopes().into_iter().last().unwrap();
    for query in queries().into_iter().take(14) {
        let full = p.tickets.list(&scope, &query).await.unwrap().tickets;
        let mut paged = Vec::new();
        let mut q = TicketQuery { limit: 3, ..query };
        loop {
            let page = p.tickets.list(&scope, &q).await.unwrap();
            assert!(page.tickets.len() <= 3);
            paged.extend(page.tickets);
            match page.next {
                Some(c) => q.after = Some(c),
                None => break,
            }
        }
        assert_eq!(paged, full, "paging {:?}", q.sort);
    }
}

async fn tickets_add_message_moves_activity_and_checks_the_thread(p: Ports) {
    let w = seed_world(&p).await;
    let at = T0.plus_seconds(86_400 * 30);
    let threads = p.tickets.threads(w.alice_ticket).await.unwrap();
    let thread = threads[0].id;
    let m = p
        .tickets
        .add_message(NewMessage {
            mails: Vec::new(),
            ticket: w.alice_ticket,
            thread: ThreadTarget::Existing(thread),
            content: body(
                Author::Contact(w.alice.id),
                MessageVisibility::Public,
                "<p>More</p>",
            ),
            at,
        })
        .await
        .unwrap();
    assert_eq!(m.thread, thread);
    assert_eq!(m.created_at, at);
    let t = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.last_activity_at, at);
    let after = p.tickets.threads(w.alice_ticket).await.unwrap();
    assert_eq!(after[0].messages.last().unwrap().id, m.id);
    // A thread of another ticket, a missing ticket: NotFound, nothing written.
    let wrong = p
        .tickets
        .add_message(NewMessage {
            mails: Vec::new(),
            ticket: w.bob_ticket,
            thread: ThreadTarget::Existing(thread),
            content: body(Author::Contact(w.bob.id), MessageVisibility::Public, "x"),
            at,
        })
        .await;
    assert_eq!(wrong, Err(PortError::NotFound));
    let missing = p
        .tickets
        .add_message(NewMessage {
            mails: Vec::new(),
            ticket: TicketId(9_999_999),
            thread: ThreadTarget::New(w.inbox),
            content: body(Author::System, MessageVisibility::Public, "x"),
            at,
        })
        .await;
    assert_eq!(missing, Err(PortError::NotFound));
    assert_eq!(p.tickets.threads(w.alice_ticket).await.unwrap(), after);
    let bob = p.tickets.get(w.bob_ticket).await.unwrap().unwrap();
    assert!(bob.last_activity_at < at);
    // A new thread on a ticket without one.
    let before = p.tickets.threads(w.bare_ticket).await.unwrap();
    assert!(before.is_empty());
    let m = p
        .tickets
        .add_message(NewMessage {
            mails: Vec::new(),
            ticket: w.bare_ticket,
            thread: ThreadTarget::New(w.inbox),
            content: NewMessageBody {
                channel: Channel::Email,
                ..body(
                    Author::Contact(w.alice.id),
                    MessageVisibility::Public,
                    "first",
                )
            },
            at,
        })
        .await
        .unwrap();
    let threads = p.tickets.threads(w.bare_ticket).await.unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].inbox, w.inbox);
    // A message keeps the way it came in (issue 17).
    assert_eq!(m.channel, Channel::Email);
    assert_eq!(threads[0].messages, vec![m]);
    // P4: a ticket without an inbox joins the inbox its first conversation opens in, and
    // that inbox's filter lists it; a ticket with an inbox keeps its own.
    let phone = p
        .tickets
        .create(NewTicket {
            subject: "Phone call".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: None,
            requester: Some(w.carol.id),
            contacts: BTreeSet::from([w.carol.id]),
            companies: BTreeSet::new(),
            private: false,
            properties: BTreeMap::new(),
            owner: None,
            created_at: T0,
            first_message: None,
        })
        .await
        .unwrap();
    let other_inbox = p
        .catalog
        .create_inbox("Phone", w.support.id)
        .await
        .unwrap()
        .id;
    for ticket in [phone.id, w.alice_ticket] {
        p.tickets
            .add_message(NewMessage {
                mails: Vec::new(),
                ticket,
                thread: ThreadTarget::New(other_inbox),
                content: body(Author::Contact(w.carol.id), MessageVisibility::Public, "hi"),
                at,
            })
            .await
            .unwrap();
    }
    assert_eq!(
        p.tickets.get(phone.id).await.unwrap().unwrap().inbox,
        Some(other_inbox)
    );
    assert_eq!(
        p.tickets.get(w.alice_ticket).await.unwrap().unwrap().inbox,
        Some(w.inbox)
    );
    let listed = p
        .tickets
        .inbox(&InboxQuery {
            inbox: Some(other_inbox),
            limit: 50,
            ..InboxQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![phone.id]
    );
    let by_api = p
        .tickets
        .create(NewTicket {
            subject: "Filed by a script".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: Some(w.inbox),
            requester: Some(w.carol.id),
            contacts: BTreeSet::from([w.carol.id]),
            companies: BTreeSet::new(),
            private: false,
            properties: BTreeMap::new(),
            owner: None,
            created_at: T0,
            first_message: Some(NewMessageBody {
                channel: Channel::Api,
                ..body(Author::Contact(w.carol.id), MessageVisibility::Public, "hi")
            }),
        })
        .await
        .unwrap();
    assert_eq!(
        p.tickets.threads(by_api.id).await.unwrap()[0].messages[0].channel,
        Channel::Api
    );
    // A ticket came the way its first message did; one opened without a message, by an
    // agent. Unknown tickets are left out.
    let empty = p
        .tickets
        .create(NewTicket {
            subject: "Noted on the phone".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: Some(w.inbox),
            requester: Some(w.carol.id),
            contacts: BTreeSet::from([w.carol.id]),
            companies: BTreeSet::new(),
            private: false,
            properties: BTreeMap::new(),
            owner: None,
            created_at: T0,
            first_message: None,
        })
        .await
        .unwrap();
    assert_eq!(
        p.tickets
            .channels(&[by_api.id, w.bare_ticket, empty.id, TicketId(999_999)])
            .await
            .unwrap(),
        BTreeMap::from([
            (by_api.id, Channel::Api),
            (w.bare_ticket, Channel::Email),
            (empty.id, Channel::Inbox),
        ])
    );
    // The mails a message causes are queued with it, and not when it is refused.
    let notice = |to: &str| OutgoingMail {
        files: Vec::new(),
        to: to.into(),
        language: "en".into(),
        template: "reply_notification".into(),
        vars: Default::default(),
        thread: None,
    };
    let refused = p
        .tickets
        .add_message(NewMessage {
            mails: vec![notice("never@x.test")],
            ticket: TicketId(987_654),
            thread: ThreadTarget::New(w.inbox),
            content: body(Author::Agent(w.agent.id), MessageVisibility::Public, "lost"),
            at,
        })
        .await;
    assert_eq!(refused, Err(PortError::NotFound));
    p.tickets
        .add_message(NewMessage {
            mails: vec![notice("one@x.test"), notice("two@x.test")],
            ticket: w.bare_ticket,
            thread: ThreadTarget::Existing(threads[0].id),
            content: body(
                Author::Agent(w.agent.id),
                MessageVisibility::Public,
                "answer",
            ),
            at,
        })
        .await
        .unwrap();
    let queued = p.outbox.claim(at, at.plus_seconds(60), 10).await.unwrap();
    let to: Vec<&str> = queued.iter().map(|q| q.mail.to.as_str()).collect();
    assert_eq!(to, vec!["one@x.test", "two@x.test"]);
}

async fn tickets_move_to_stage(p: Ports) {
    let w = seed_world(&p).await;
    let at = T0.plus_seconds(999_999);
    p.tickets
        .move_to_stage(w.alice_ticket, w.closed_stage, TicketStatus::Closed, at)
        .await
        .unwrap();
    let t = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(
        (t.stage, t.status, t.last_activity_at),
        (w.closed_stage, TicketStatus::Closed, at)
    );
    let missing = p
        .tickets
        .move_to_stage(
            TicketId(9_999_999),
            w.closed_stage,
            TicketStatus::Closed,
            at,
        )
        .await;
    assert_eq!(missing, Err(PortError::NotFound));
}

async fn tickets_attachment_and_related(p: Ports) {
    let w = seed_world(&p).await;
    let threads = p.tickets.threads(w.alice_ticket).await.unwrap();
    let att = threads[0].messages[0].attachments[0].clone();
    assert_eq!(att.file_name, "screenshot.png");
    assert_eq!(
        p.tickets.attachment(att.id).await.unwrap(),
        Some((w.alice_ticket, att))
    );
    assert_eq!(
        p.tickets.attachment(AttachmentId(9_999_999)).await.unwrap(),
        None
    );
    let related = p
        .tickets
        .related(w.alice.id, w.alice.primary_company, 1000)
        .await
        .unwrap();
    let ids: BTreeSet<TicketId> = related.iter().map(|t| t.id).collect();
    assert!(ids.contains(&w.alice_ticket) && ids.contains(&w.bob_ticket));
    assert!(!ids.contains(&w.other_ticket));
    let order: Vec<_> = related.iter().map(|t| (t.last_activity_at, t.id)).collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted, "most recent activity first");
    assert_eq!(
        p.tickets.related(w.alice.id, None, 1).await.unwrap().len(),
        1
    );
}

fn new_contact(email: &str, company: Option<CompanyId>) -> NewContact {
    NewContact {
        email: email.into(),
        membership_email: None,
        first_name: "F".into(),
        last_name: "L".into(),
        primary_company: company,
        language: Some("de".into()),
        properties: BTreeMap::from([("tier".into(), Value::text("gold"))]),
    }
}

async fn directory_contacts_lists_and_memberships(p: Ports) {
    let d = &p.directory;
    let acme = d.create_company("Acme", Some("acme.test")).await.unwrap();
    assert_eq!(d.company(acme.id).await.unwrap(), Some(acme.clone()));
    let c = d
        .create_contact(new_contact("Ann@Acme.test", Some(acme.id)))
        .await
        .unwrap();
    assert_eq!(d.contact(c.id).await.unwrap(), Some(c.clone()));
    assert_eq!(
        d.contact_by_email("ann@ACME.test").await.unwrap(),
        Some(c.clone())
    );
    assert!(matches!(
        d.create_contact(new_contact("ANN@acme.test", None)).await,
        Err(PortError::Conflict(_))
    ));
    let c2 = d
        .create_contact(new_contact("ben@acme.test", None))
        .await
        .unwrap();
    let mut changed = c2.clone();
    changed.email = "ann@acme.test".into();
    assert!(matches!(
        d.update_contact(&changed).await,
        Err(PortError::Conflict(_))
    ));
    changed.email = "ben2@acme.test".into();
    changed.primary_company = Some(acme.id);
    changed.properties.insert("seats".into(), Value::Number(4));
    d.update_contact(&changed).await.unwrap();
    assert_eq!(d.contact(c2.id).await.unwrap(), Some(changed.clone()));
    let ghost = Contact {
        id: ContactId(9_999_999),
        ..changed.clone()
    };
    assert_eq!(d.update_contact(&ghost).await, Err(PortError::NotFound));
    let people = |company: CompanyId| async move {
        let contacts = d.company_contacts(company).await.unwrap();
        contacts.iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(people(acme.id).await, vec![c.id, c2.id]);
    // A further membership makes a contact one of the company's people (C2); a membership
    // of a company whose number begins with Acme's does not.
    let mut trap = d.create_company("Trap", None).await.unwrap();
    for _ in 0..1_000 {
        if trap.id.0.to_string().starts_with(&acme.id.0.to_string()) {
            break;
        }
        trap = d.create_company("Trap", None).await.unwrap();
    }
    assert_ne!(trap.id, acme.id);
    let further = |email: &str, company: CompanyId, primary: Option<CompanyId>| {
        let new = new_contact(email, primary);
        async move {
            let stored = d.create_contact(new).await.unwrap();
            let stored = Contact {
                memberships: vec![Membership {
                    granted: Some(CompanyRights::ALL),
                    ..Membership::of(company)
                }],
                ..stored
            };
            d.update_contact(&stored).await.unwrap();
            stored
        }
    };
    let outsider = further("cy@trap.test", trap.id, None).await;
    let member = further("dee@trap.test", acme.id, Some(trap.id)).await;
    assert_eq!(people(acme.id).await, vec![c.id, c2.id, member.id]);
    assert_eq!(people(trap.id).await, vec![outsider.id, member.id]);
    let list = d.create_list("VIP").await.unwrap();
    let other = d.create_list("Beta").await.unwrap();
    assert_eq!(d.lists().await.unwrap(), vec![list.clone(), other.clone()]);
    d.add_member(list.id, c.id).await.unwrap();
    d.add_member(list.id, c.id).await.unwrap();
    d.add_member(other.id, c.id).await.unwrap();
    assert_eq!(
        d.add_member(ListId(9_999_999), c.id).await,
        Err(PortError::NotFound)
    );
    assert_eq!(
        d.add_member(list.id, ContactId(9_999_999)).await,
        Err(PortError::NotFound)
    );
    assert_eq!(d.members(list.id).await.unwrap(), vec![c.id]);
    assert_eq!(
        d.memberships(c.id).await.unwrap(),
        BTreeSet::from([list.id, other.id])
    );
    d.remove_member(list.id, c.id).await.unwrap();
    d.remove_member(list.id, c2.id).await.unwrap();
    assert_eq!(
        d.memberships(c.id).await.unwrap(),
        BTreeSet::from([other.id])
    );
}

async fn catalog_pipelines_inboxes_agents_domains_properties(p: Ports) {
    let c = &p.catalog;
    let pl = c
        .create_pipeline(
            "Support",
            vec![
                NewStage {
                    label: "New".into(),
                    closed: false,
                },
                NewStage {
                    label: "Waiting".into(),
                    closed: false,
                },
                NewStage {
                    label: "Done".into(),
                    closed: true,
                },
            ],
        )
        .await
        .unwrap();
    let labels: Vec<_> = pl
        .stages
        .iter()
        .map(|s| (s.label.as_str(), s.closed))
        .collect();
    assert_eq!(
        labels,
        vec![("New", false), ("Waiting", false), ("Done", true)]
    );
    assert_eq!(c.pipelines().await.unwrap(), vec![pl.clone()]);
    let inbox = c.create_inbox("Helpdesk", pl.id).await.unwrap();
    assert_eq!(inbox.pipeline, pl.id);
    assert_eq!(c.inboxes().await.unwrap(), vec![inbox]);
    assert_eq!(
        c.create_inbox("x", PipelineId(9_999_999)).await,
        Err(PortError::NotFound)
    );
    let agent = Agent {
        id: AgentId(0),
        first_name: "Sam".into(),
        last_name: "Agent".into(),
        alias: Some("Support Sam".into()),
        email: "sam@help.test".into(),
    };
    let a = c.create_agent(agent.clone()).await.unwrap();
    assert_eq!(
        Agent {
            id: a.id,
            ..agent.clone()
        },
        a
    );
    assert!(matches!(
        c.create_agent(Agent {
            email: "SAM@help.test".into(),
            ..agent
        })
        .await,
        Err(PortError::Conflict(_))
    ));
    assert_eq!(c.agents().await.unwrap(), vec![a]);
    let d = c.create_domain("help.acme.test", "da").await.unwrap();
    assert!(matches!(
        c.create_domain("help.acme.test", "de").await,
        Err(PortError::Conflict(_))
    ));
    let d2 = Domain {
        language: "fi".into(),
        ..d.clone()
    };
    c.update_domain(&d2).await.unwrap();
    assert_eq!(c.domains().await.unwrap(), vec![d2.clone()]);
    assert_eq!(
        c.update_domain(&Domain {
            id: DomainId(9_999_999),
            ..d2
        })
        .await,
        Err(PortError::NotFound)
    );
    let def = PropertyDef::custom("priority", "Priority", ValueKind::Text);
    c.define_property(ObjectKind::Ticket, def.clone())
        .await
        .unwrap();
    assert!(matches!(
        c.define_property(ObjectKind::Ticket, def.clone()).await,
        Err(PortError::Conflict(_))
    ));
    c.define_property(ObjectKind::Contact, def.clone())
        .await
        .unwrap();
    assert_eq!(
        c.property_defs(ObjectKind::Ticket).await.unwrap(),
        vec![def]
    );
}

async fn settings_versioned_saves(p: Ports) {
    let s = &p.settings;
    let fresh = s.load().await.unwrap();
    assert_eq!(fresh, PortalSettings::default());
    let mut changed = fresh.clone();
    changed.name = "Acme help".into();
    let saved = s.save(&changed).await.unwrap();
    assert_eq!(saved.version, fresh.version + 1);
    assert_eq!(s.load().await.unwrap(), saved);
    // A save from the stale version loses and writes nothing.
    let mut stale = fresh;
    stale.name = "Stale".into();
    assert!(matches!(s.save(&stale).await, Err(PortError::Conflict(_))));
    assert_eq!(s.load().await.unwrap().name, "Acme help");
}

async fn settings_server_keys_are_made_once_and_shared(p: Ports) {
    let s = &p.settings;
    // Racing first callers all get one key: the first stored.
    let racers = (0..8).map(|i| s.server_key("k", format!("candidate-{i}")));
    let keys = futures::future::join_all(racers).await;
    let first = keys[0].as_ref().unwrap().clone();
    assert!(first.starts_with("candidate-"));
    for k in &keys {
        assert_eq!(k.as_ref().unwrap(), &first);
    }
    assert_eq!(s.server_key("k", "later".into()).await.unwrap(), first);
    // Names are separate.
    assert_eq!(s.server_key("other", "x".into()).await.unwrap(), "x");
}

async fn settings_check_writable_on_a_healthy_store(p: Ports) {
    p.settings.check_writable().await.unwrap();
    p.settings.check_writable().await.unwrap();
}

async fn accounts_unique_by_email_and_contact(p: Ports) {
    let c1 = p
        .directory
        .create_contact(new_contact("a@x.test", None))
        .await
        .unwrap();
    let c2 = p
        .directory
        .create_contact(new_contact("b@x.test", None))
        .await
        .unwrap();
    let account = |contact: ContactId, email: &str| Account {
        id: AccountId(0),
        contact,
        email: email.into(),
        password_hash: Some("h".into()),
        enabled: true,
        email_confirmed: true,
        language: None,
        time_zone: None,
        consent: Some(Consent {
            text: "ok".into(),
            at: T0,
        }),
        created_at: T0,
    };
    let a = p.accounts.create(account(c1.id, "A@x.test")).await.unwrap();
    assert_eq!(a.email, "a@x.test");
    assert_eq!(
        p.accounts.by_email("a@X.TEST").await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(p.accounts.by_id(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(p.accounts.by_contact(c1.id).await.unwrap(), Some(a.clone()));
    assert!(matches!(
        p.accounts.create(account(c2.id, "a@x.TEST")).await,
        Err(PortError::Conflict(_))
    ));
    assert!(matches!(
        p.accounts.create(account(c1.id, "z@x.test")).await,
        Err(PortError::Conflict(_))
    ));
    let updated = Account {
        enabled: false,
        language: Some("nl".into()),
        time_zone: Some("Europe/Helsinki".into()),
        ..a.clone()
    };
    p.accounts.update(&updated).await.unwrap();
    assert_eq!(p.accounts.by_id(a.id).await.unwrap(), Some(updated.clone()));
    // A customer session reads back with its account and contact; a staff one without.
    let s = Session {
        token_hash: "acc-h1".into(),
        principal: Principal::Customer(a.id),
        created_at: T0,
        last_seen: T0,
        csrf_secret: "c".into(),
    };
    p.sessions.insert(s.clone()).await.unwrap();
    let got = p
        .sessions
        .get_with_customer("acc-h1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.0, s);
    let (acc, contact) = got.1.expect("the customer");
    // Every field read back, consent, language and time zone included.
    assert_eq!(acc, updated);
    assert_eq!(contact, c1);
    let staff = Session {
        token_hash: "acc-h2".into(),
        principal: Principal::Staff(AgentId(1)),
        ..s.clone()
    };
    p.sessions.insert(staff.clone()).await.unwrap();
    assert_eq!(
        p.sessions.get_with_customer("acc-h2").await.unwrap(),
        Some((staff, None))
    );
    assert_eq!(p.sessions.get_with_customer("nope").await.unwrap(), None);
    let ghost = Account {
        id: AccountId(9_999_999),
        ..updated
    };
    assert_eq!(p.accounts.update(&ghost).await, Err(PortError::NotFound));
    assert_eq!(p.accounts.by_email("nobody@x.test").await.unwrap(), None);
}

async fn sessions_store_touch_and_delete(p: Ports) {
    let s = &p.sessions;
    let session = |h: &str, who: Principal| Session {
        token_hash: h.into(),
        principal: who,
        created_at: T0,
        last_seen: T0,
        csrf_secret: "c".into(),
    };
    let alice = Principal::Customer(AccountId(1));
    let staff = Principal::Staff(AgentId(1));
    for (h, who) in [("h1", alice), ("h2", alice), ("h3", alice), ("h4", staff)] {
        s.insert(session(h, who)).await.unwrap();
    }
    assert!(matches!(
        s.insert(session("h1", staff)).await,
        Err(PortError::Conflict(_))
    ));
    assert_eq!(s.get("h1").await.unwrap(), Some(session("h1", alice)));
    s.touch("h1", T0.plus_seconds(60)).await.unwrap();
    s.touch("h1", T0.plus_seconds(30)).await.unwrap();
    assert_eq!(
        s.get("h1").await.unwrap().unwrap().last_seen,
        T0.plus_seconds(60)
    );
    s.delete("h2").await.unwrap();
    s.delete("h2").await.unwrap();
    assert_eq!(s.get("h2").await.unwrap(), None);
    assert_eq!(s.delete_all(alice, Some("h1")).await.unwrap(), 1);
    assert!(s.get("h1").await.unwrap().is_some());
    assert!(s.get("h3").await.unwrap().is_none());
    assert!(
        s.get("h4").await.unwrap().is_some(),
        "another principal keeps its sessions"
    );
    assert_eq!(s.delete_all(alice, None).await.unwrap(), 1);
    assert!(s.get("h1").await.unwrap().is_none());
}

async fn tokens_are_single_use_and_expire(p: Ports) {
    let c = p
        .directory
        .create_contact(new_contact("t@x.test", None))
        .await
        .unwrap();
    let t = &p.tokens;
    let token = |h: &str, purpose: TokenPurpose| OneTimeToken {
        token_hash: h.into(),
        purpose,
        contact: c.id,
        expires_at: T0.plus_seconds(purpose.lifetime_seconds()),
    };
    t.insert(token("r1", TokenPurpose::PasswordReset))
        .await
        .unwrap();
    assert!(matches!(
        t.insert(token("r1", TokenPurpose::PasswordReset)).await,
        Err(PortError::Conflict(_))
    ));
    // The wrong purpose neither works nor uses the token up.
    assert_eq!(
        t.consume("r1", TokenPurpose::LoginLink, T0).await.unwrap(),
        None
    );
    let used = t
        .consume("r1", TokenPurpose::PasswordReset, T0)
        .await
        .unwrap();
    assert_eq!(used, Some(token("r1", TokenPurpose::PasswordReset)));
    assert_eq!(
        t.consume("r1", TokenPurpose::PasswordReset, T0)
            .await
            .unwrap(),
        None
    );
    // Expiry: usable one second before, not at the moment it ends.
    t.insert(token("r2", TokenPurpose::PasswordReset))
        .await
        .unwrap();
    let end = T0.plus_seconds(15 * 60);
    assert_eq!(
        t.consume("r2", TokenPurpose::PasswordReset, end)
            .await
            .unwrap(),
        None
    );
    t.insert(token("r3", TokenPurpose::PasswordReset))
        .await
        .unwrap();
    let just = end.plus_seconds(-1);
    assert!(
        t.consume("r3", TokenPurpose::PasswordReset, just)
            .await
            .unwrap()
            .is_some()
    );
    // Two uses at once: exactly one wins.
    t.insert(token("r4", TokenPurpose::Registration))
        .await
        .unwrap();
    let (a, b) = futures::join!(
        t.consume("r4", TokenPurpose::Registration, T0),
        t.consume("r4", TokenPurpose::Registration, T0)
    );
    assert_eq!(a.unwrap().is_some() as u8 + b.unwrap().is_some() as u8, 1);
    // Revoke drops only that contact's tokens of that purpose.
    t.insert(token("r5", TokenPurpose::LoginLink))
        .await
        .unwrap();
    t.insert(token("r6", TokenPurpose::Registration))
        .await
        .unwrap();
    t.revoke(c.id, TokenPurpose::LoginLink).await.unwrap();
    assert_eq!(
        t.consume("r5", TokenPurpose::LoginLink, T0).await.unwrap(),
        None
    );
    assert!(
        t.consume("r6", TokenPurpose::Registration, T0)
            .await
            .unwrap()
            .is_some()
    );
}

async fn blobs_round_trip(p: Ports) {
    let b = &p.blobs;
    let k1 = b.put(b"hello".to_vec()).await.unwrap();
    let k2 = b.put(vec![0u8; 70_000]).await.unwrap();
    assert_ne!(k1, k2);
    assert_eq!(b.get(&k1).await.unwrap(), Some(b"hello".to_vec()));
    assert_eq!(b.get(&k2).await.unwrap().map(|v| v.len()), Some(70_000));
    b.delete(&k1).await.unwrap();
    b.delete(&k1).await.unwrap();
    assert_eq!(b.get(&k1).await.unwrap(), None);
    assert_eq!(b.get("no-such-key").await.unwrap(), None);
}

async fn outbox_claims_never_overlap(p: Ports) {
    let o = &p.outbox;
    let mail = |to: &str| OutgoingMail {
        files: Vec::new(),
        to: to.into(),
        language: "en".into(),
        template: "registration".into(),
        vars: BTreeMap::from([("link".into(), "https://x.test/r".into())]),
        thread: None,
    };
    let id1 = o.enqueue(mail("a@x.test"), T0).await.unwrap();
    let id2 = o.enqueue(mail("b@x.test"), T0).await.unwrap();
    let id3 = o
        .enqueue(mail("c@x.test"), T0.plus_seconds(100))
        .await
        .unwrap();
    let lease = T0.plus_seconds(60);
    let first = o
        .claim(T0.plus_seconds(100), lease.plus_seconds(100), 2)
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![id1, id2]
    );
    assert_eq!(first[0].mail, mail("a@x.test"));
    assert_eq!(first[0].attempts, 0);
    // While leased, nobody else gets them.
    let second = o
        .claim(T0.plus_seconds(100), lease.plus_seconds(100), 10)
        .await
        .unwrap();
    assert_eq!(second.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id3]);
    o.mark_sent(id1, T0).await.unwrap();
    o.mark_failed(id2, "550 mailbox unavailable", T0.plus_seconds(500), false)
        .await
        .unwrap();
    // After the leases end: the sent one never returns; the failed one when due.
    let later = o
        .claim(T0.plus_seconds(400), T0.plus_seconds(460), 10)
        .await
        .unwrap();
    assert_eq!(later.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id3]);
    let due = o
        .claim(T0.plus_seconds(500), T0.plus_seconds(560), 10)
        .await
        .unwrap();
    assert_eq!(
        due.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(),
        vec![(id2, 1), (id3, 0)],
        "the failed mail when due, and the one whose lease ran out"
    );
    o.mark_failed(id2, "again", T0.plus_seconds(600), true)
        .await
        .unwrap();
    o.mark_failed(id3, "again", T0.plus_seconds(600), true)
        .await
        .unwrap();
    assert!(
        o.claim(T0.plus_seconds(10_000), T0.plus_seconds(10_060), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(o.mark_sent(9_999_999, T0).await, Err(PortError::NotFound));
    // Two claims at once never share a mail, and together with a later claim miss none.
    for i in 0..6 {
        o.enqueue(mail(&format!("r{i}@x.test")), T0).await.unwrap();
    }
    let now = T0.plus_seconds(20_000);
    let lease = now.plus_seconds(60);
    let (a, b) = futures::join!(o.claim(now, lease, 4), o.claim(now, lease, 4));
    let (a, b) = (a.unwrap(), b.unwrap());
    let rest = o.claim(now, lease, 10).await.unwrap();
    let all: Vec<i64> = a.iter().chain(&b).chain(&rest).map(|m| m.id).collect();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len(), "a mail was handed out twice");
    assert_eq!(distinct.len(), 6, "a mail was lost");
}

async fn timeline_and_audit_newest_first(p: Ports) {
    let ev = |contact: i64, ticket: i64, at: i64| TimelineEvent {
        contact: ContactId(contact),
        ticket: TicketId(ticket),
        kind: TimelineKind::TicketSubmitted,
        at: T0.plus_seconds(at),
    };
    for e in [ev(1, 10, 1), ev(2, 10, 2), ev(1, 11, 3), ev(1, 10, 4)] {
        p.timeline.append(e).await.unwrap();
    }
    assert_eq!(
        p.timeline.for_contact(ContactId(1), 10).await.unwrap(),
        vec![ev(1, 10, 4), ev(1, 11, 3), ev(1, 10, 1)]
    );
    assert_eq!(
        p.timeline.for_ticket(TicketId(10), 2).await.unwrap(),
        vec![ev(1, 10, 4), ev(2, 10, 2)]
    );
    let entry = |n: i64| AuditEntry {
        actor: "agent:1".into(),
        action: "settings.update".into(),
        detail: format!("change {n}"),
        at: T0.plus_seconds(n),
    };
    for n in 1..=3 {
        p.audit.record(entry(n)).await.unwrap();
    }
    assert_eq!(p.audit.recent(2).await.unwrap(), vec![entry(3), entry(2)]);
}

async fn replay_guard_admits_an_id_once(p: Ports) {
    let r = &p.replay;
    let keep = T0.plus_seconds(300);
    assert!(r.first_use("jwt", "jti-1", keep).await.unwrap());
    assert!(!r.first_use("jwt", "jti-1", keep).await.unwrap());
    assert!(
        r.first_use("saml", "jti-1", keep).await.unwrap(),
        "namespaces are separate"
    );
    let (a, b) = futures::join!(
        r.first_use("jwt", "jti-2", keep),
        r.first_use("jwt", "jti-2", keep)
    );
    assert_eq!(a.unwrap() as u8 + b.unwrap() as u8, 1);
}

async fn sso_requests_are_taken_once_and_links_replace(p: Ports) {
    let w = seed_world(&p).await;
    let s = &p.sso;
    let request = |id: &str| PendingSsoRequest {
        id: id.into(),
        return_to: Some("/acme/tickets/1".into()),
        expires_at: T0.plus_seconds(600),
    };
    s.insert_request(request("_r1")).await.unwrap();
    assert!(matches!(
        s.insert_request(request("_r1")).await,
        Err(PortError::Conflict(_))
    ));
    assert_eq!(s.take_request("_unknown", T0).await.unwrap(), None);
    assert_eq!(
        s.take_request("_r1", T0).await.unwrap(),
        Some(request("_r1"))
    );
    assert_eq!(s.take_request("_r1", T0).await.unwrap(), None, "used once");
    s.insert_request(request("_r2")).await.unwrap();
    assert_eq!(
        s.take_request("_r2", T0.plus_seconds(600)).await.unwrap(),
        None,
        "expired"
    );
    s.insert_request(request("_r3")).await.unwrap();
    let (a, b) = futures::join!(s.take_request("_r3", T0), s.take_request("_r3", T0));
    assert_eq!(
        a.unwrap().is_some() as u8 + b.unwrap().is_some() as u8,
        1,
        "two racing takes: one wins"
    );

    assert_eq!(s.linked_contact(SsoKind::Saml, "u-1").await.unwrap(), None);
    s.link(SsoKind::Saml, "u-1", w.alice.id).await.unwrap();
    s.link(SsoKind::Saml, "u-1", w.alice.id).await.unwrap();
    assert_eq!(
        s.linked_contact(SsoKind::Saml, "u-1").await.unwrap(),
        Some(w.alice.id)
    );
    assert_eq!(
        s.linked_contact(SsoKind::Jwt, "u-1").await.unwrap(),
        None,
        "kinds are separate"
    );
    s.link(SsoKind::Saml, "u-1", w.bob.id).await.unwrap();
    assert_eq!(
        s.linked_contact(SsoKind::Saml, "u-1").await.unwrap(),
        Some(w.bob.id),
        "a new link replaces the old one"
    );
}

async fn directory_remembers_imported_records_by_kind_and_external_id(p: Ports) {
    let d = &p.directory;
    assert_eq!(d.imported("ticket", "ZD-1").await.unwrap(), None);
    d.remember_import("ticket", "ZD-1", 7).await.unwrap();
    d.remember_import("message", "ZD-1", 9).await.unwrap();
    assert_eq!(d.imported("ticket", "ZD-1").await.unwrap(), Some(7));
    assert_eq!(d.imported("message", "ZD-1").await.unwrap(), Some(9));
    assert_eq!(
        d.imported("ticket", "zd-1").await.unwrap(),
        None,
        "ids are exact"
    );
    d.remember_import("ticket", "ZD-1", 8).await.unwrap();
    assert_eq!(
        d.imported("ticket", "ZD-1").await.unwrap(),
        Some(8),
        "replaced"
    );
}

async fn directory_finds_a_company_by_name_or_domain(p: Ports) {
    let d = &p.directory;
    let acme = d
        .create_company("Acme Corp", Some("acme.example"))
        .await
        .unwrap();
    let globex = d.create_company("Globex", None).await.unwrap();
    let by = |k: &'static str| {
        let d = d.clone();
        async move { d.company_by_name_or_domain(k).await.unwrap().map(|c| c.id) }
    };
    assert_eq!(by("Acme Corp").await, Some(acme.id));
    assert_eq!(by("ACME corp").await, Some(acme.id));
    assert_eq!(by("Acme.Example").await, Some(acme.id));
    assert_eq!(by("globex").await, Some(globex.id));
    assert_eq!(by("Acme").await, None, "whole names only");
    assert_eq!(by("").await, None);
}

async fn tickets_inbox_filters_orders_and_pages_like_the_reference(p: Ports) {
    let w = seed_world(&p).await;
    p.tickets
        .set_owner(w.bob_ticket, Some(w.agent.id), T0.plus_seconds(7))
        .await
        .unwrap();
    let everything = InboxQuery {
        limit: 10_000,
        ..InboxQuery::default()
    };
    let all = p.tickets.inbox(&everything).await.unwrap();
    for id in &w.tickets {
        assert!(
            all.iter().any(|t| t.id == *id),
            "{id:?} in the unfiltered inbox"
        );
    }
    let mut texts = Vec::new();
    for t in &all {
        let threads = p.tickets.threads(t.id).await.unwrap();
        texts.push((t.clone(), searchable_text(t, &threads)));
    }
    let reference = |q: &InboxQuery| {
        let mut out: Vec<TicketId> = texts
            .iter()
            .filter(|(t, x)| q.matches(t, x))
            .map(|(t, _)| t)
            .cloned()
            .collect::<Vec<Ticket>>()
            .into_iter()
            .map(|t| t.id)
            .collect();
        let order: BTreeMap<TicketId, (Timestamp, TicketId)> = texts
            .iter()
            .map(|(t, _)| (t.id, (t.last_activity_at, t.id)))
            .collect();
        out.sort_by_key(|id| std::cmp::Reverse(order[id]));
        out.truncate(q.limit);
        out
    };
    let first_words: Vec<String> = texts
        .iter()
        .filter_map(|(t, _)| t.subject.split_whitespace().next().map(str::to_string))
        .take(3)
        .collect();
    let mut queries = vec![
        everything.clone(),
        InboxQuery {
            inbox: Some(w.inbox),
            limit: 100,
            ..InboxQuery::default()
        },
        InboxQuery {
            pipeline: Some(w.support.id),
            limit: 100,
            ..InboxQuery::default()
        },
        InboxQuery {
            stage: Some(w.closed_stage),
            limit: 100,
            ..InboxQuery::default()
        },
        InboxQuery {
            status: Some(TicketStatus::Open),
            limit: 100,
            ..InboxQuery::default()
        },
        InboxQuery {
            owner: Some(OwnerFilter::Agent(w.agent.id)),
            limit: 100,
            ..InboxQuery::default()
        },
        InboxQuery {
            owner: Some(OwnerFilter::Unassigned),
            limit: 100,
            ..InboxQuery::default()
        },
        InboxQuery {
            limit: 2,
            ..InboxQuery::default()
        },
    ];
    for word in first_words {
        let prefix: String = word.chars().take(3).collect();
        queries.push(InboxQuery {
            search: prefix.to_lowercase(),
            limit: 100,
            ..InboxQuery::default()
        });
    }
    for q in &queries {
        let got: Vec<TicketId> = p
            .tickets
            .inbox(q)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(got, reference(q), "{q:?}");
    }
    // Keyset paging visits every ticket once.
    let mut seen = Vec::new();
    let mut q = InboxQuery {
        limit: 2,
        ..InboxQuery::default()
    };
    loop {
        let page = p.tickets.inbox(&q).await.unwrap();
        if page.is_empty() {
            break;
        }
        let last = page.last().unwrap();
        q.before = Some((last.last_activity_at, last.id));
        seen.extend(page.iter().map(|t| t.id));
    }
    assert_eq!(seen, reference(&everything));
    // Internal notes are never searched.
    let secret = p
        .tickets
        .inbox(&InboxQuery {
            search: "escalate".into(),
            limit: 100,
            ..InboxQuery::default()
        })
        .await
        .unwrap();
    assert!(secret.is_empty());
}

async fn tickets_set_owner(p: Ports) {
    let w = seed_world(&p).await;
    let at = T0.plus_seconds(99);
    p.tickets
        .set_owner(w.alice_ticket, Some(w.agent.id), at)
        .await
        .unwrap();
    let t = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.owner, Some(w.agent.id));
    assert_eq!(t.last_activity_at, at);
    p.tickets.set_owner(w.alice_ticket, None, at).await.unwrap();
    assert_eq!(
        p.tickets.get(w.alice_ticket).await.unwrap().unwrap().owner,
        None
    );
    assert!(matches!(
        p.tickets.set_owner(TicketId(987_654), None, at).await,
        Err(PortError::NotFound)
    ));
}

async fn staff_logins_by_email_and_agent(p: Ports) {
    let w = seed_world(&p).await;
    let s = &p.staff;
    assert_eq!(s.staff_by_email(&w.agent.email).await.unwrap(), None);
    s.set_staff_login(w.agent.id, StaffRole::Agent, "hash-1", true)
        .await
        .unwrap();
    let login = s
        .staff_by_email(&w.agent.email.to_uppercase())
        .await
        .unwrap()
        .expect("found case-insensitively");
    assert_eq!(login.agent, w.agent);
    assert_eq!(login.role, StaffRole::Agent);
    assert_eq!(login.password_hash, "hash-1");
    assert!(login.enabled);
    s.set_staff_login(w.agent.id, StaffRole::Admin, "hash-2", false)
        .await
        .unwrap();
    let again = s.staff_by_agent(w.agent.id).await.unwrap().unwrap();
    assert_eq!(
        (again.role, again.password_hash.as_str(), again.enabled),
        (StaffRole::Admin, "hash-2", false)
    );
    assert!(matches!(
        s.set_staff_login(AgentId(987_654), StaffRole::Admin, "h", true)
            .await,
        Err(PortError::NotFound)
    ));
    assert_eq!(s.staff_by_agent(AgentId(987_654)).await.unwrap(), None);
}

async fn tickets_oldest_thread_is_the_customer_conversation(p: Ports) {
    let w = seed_world(&p).await;
    for id in &w.tickets {
        let threads = p.tickets.threads(*id).await.unwrap();
        let expected = portal_core::visibility::customer_thread(&threads).map(|t| t.id);
        assert_eq!(
            p.tickets.oldest_thread(*id).await.unwrap(),
            expected,
            "{id:?}"
        );
    }
    assert_eq!(
        p.tickets.oldest_thread(TicketId(987_654)).await.unwrap(),
        None
    );
}

async fn tokens_issue_writes_the_token_and_its_mail_together(p: Ports) {
    let c = p
        .directory
        .create_contact(new_contact("issue@x.test", None))
        .await
        .unwrap();
    let token = |h: &str| OneTimeToken {
        token_hash: h.into(),
        purpose: TokenPurpose::LoginLink,
        contact: c.id,
        expires_at: T0.plus_seconds(900),
    };
    let mail = |link: &str| OutgoingMail {
        files: Vec::new(),
        to: "issue@x.test".into(),
        language: "de".into(),
        template: "login_link".into(),
        vars: [("link".to_string(), link.to_string())].into(),
        thread: None,
    };
    p.tokens.issue(token("h1"), mail("one"), T0).await.unwrap();
    p.tokens.issue(token("h2"), mail("two"), T0).await.unwrap();
    assert_eq!(
        p.tokens
            .consume("h1", TokenPurpose::LoginLink, T0)
            .await
            .unwrap(),
        None,
        "a new link replaces the earlier one"
    );
    // Another contact's token with a hash already stored: refused, and neither that token,
    // nor its mail, nor the removal of the other contact's tokens is written.
    let other = p
        .directory
        .create_contact(new_contact("other@x.test", None))
        .await
        .unwrap();
    assert!(matches!(
        p.tokens
            .issue(
                OneTimeToken {
                    contact: other.id,
                    ..token("h2")
                },
                mail("three"),
                T0
            )
            .await,
        Err(PortError::Conflict(_))
    ));
    let queued = p.outbox.claim(T0, T0.plus_seconds(60), 10).await.unwrap();
    let links: Vec<&str> = queued
        .iter()
        .map(|q| q.mail.vars["link"].as_str())
        .collect();
    assert_eq!(
        links,
        vec!["one", "two"],
        "both mails, and not the refused one"
    );
    assert_eq!(queued[1].mail, mail("two"));
    assert!(
        p.tokens
            .consume("h2", TokenPurpose::LoginLink, T0)
            .await
            .unwrap()
            .is_some()
    );
}

async fn outbox_dead_letters_are_listed_and_retried(p: Ports) {
    let o = &p.outbox;
    let mail = |to: &str| OutgoingMail {
        files: Vec::new(),
        to: to.into(),
        language: "en".into(),
        template: "registration".into(),
        vars: Default::default(),
        thread: None,
    };
    let a = o.enqueue(mail("a@x.test"), T0).await.unwrap();
    let b = o.enqueue(mail("b@x.test"), T0).await.unwrap();
    assert!(o.dead(10).await.unwrap().is_empty());
    o.claim(T0, T0.plus_seconds(60), 10).await.unwrap();
    o.mark_failed(a, "550 mailbox unavailable", T0, true)
        .await
        .unwrap();
    o.mark_failed(b, "421 try later", T0.plus_seconds(30), false)
        .await
        .unwrap();
    let dead = o.dead(10).await.unwrap();
    assert_eq!(dead.len(), 1, "only the dead one");
    assert_eq!(dead[0].id, a);
    assert_eq!(dead[0].mail, mail("a@x.test"));
    assert_eq!(dead[0].attempts, 1);
    assert_eq!(dead[0].last_error, "550 mailbox unavailable");
    assert!(
        matches!(o.retry(b, T0).await, Err(PortError::NotFound)),
        "not dead"
    );
    o.retry(a, T0.plus_seconds(100)).await.unwrap();
    assert!(o.dead(10).await.unwrap().is_empty());
    let again = o
        .claim(T0.plus_seconds(100), T0.plus_seconds(160), 10)
        .await
        .unwrap();
    assert!(
        again.iter().any(|q| q.id == a && q.attempts == 0),
        "queued again, attempts reset"
    );
}

async fn directory_pages_searches_and_updates_records(p: Ports) {
    let w = seed_world(&p).await;
    let d = &p.directory;
    let all = |limit| RecordQuery {
        limit,
        ..RecordQuery::default()
    };
    let contacts = d.contacts(&all(100)).await.unwrap();
    let ids: Vec<ContactId> = contacts.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        vec![w.alice.id, w.bob.id, w.carol.id, w.dave.id],
        "by id"
    );
    assert_eq!(contacts[0], w.alice);
    // Keyset pages of two visit every contact once.
    let first = d.contacts(&all(2)).await.unwrap();
    let second = d
        .contacts(&RecordQuery {
            after: Some(first[1].id.0),
            ..all(2)
        })
        .await
        .unwrap();
    let paged: Vec<ContactId> = first.iter().chain(&second).map(|c| c.id).collect();
    assert_eq!(paged, ids);
    let search = |q: &str| RecordQuery {
        search: Some(q.into()),
        ..all(100)
    };
    let found = |v: Vec<Contact>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        found(d.contacts(&search("ACME.test")).await.unwrap()),
        vec![w.alice.id, w.bob.id]
    );
    assert_eq!(
        found(d.contacts(&search("caro")).await.unwrap()),
        vec![w.carol.id],
        "first name"
    );
    assert_eq!(
        found(d.contacts(&search("%")).await.unwrap()),
        Vec::<ContactId>::new(),
        "% is literal"
    );
    assert_eq!(
        found(d.contacts(&search("_")).await.unwrap()),
        Vec::<ContactId>::new(),
        "_ is literal"
    );
    assert_eq!(
        found(
            d.contacts(&RecordQuery {
                company: Some(w.acme.id),
                ..all(100)
            })
            .await
            .unwrap()
        ),
        vec![w.alice.id, w.bob.id]
    );
    // A further company counts as the primary one does (C2), in every page of the keyset.
    let dave_in_acme = Contact {
        memberships: vec![Membership::of(w.acme.id)],
        ..w.dave.clone()
    };
    d.update_contact(&dave_in_acme).await.unwrap();
    let of_acme = |after: Option<i64>, limit| RecordQuery {
        company: Some(w.acme.id),
        after,
        ..all(limit)
    };
    assert_eq!(
        found(d.contacts(&of_acme(None, 100)).await.unwrap()),
        vec![w.alice.id, w.bob.id, w.dave.id]
    );
    let first = found(d.contacts(&of_acme(None, 2)).await.unwrap());
    assert_eq!(first, vec![w.alice.id, w.bob.id]);
    assert_eq!(
        found(d.contacts(&of_acme(Some(w.bob.id.0), 2)).await.unwrap()),
        vec![w.dave.id]
    );
    d.update_contact(&w.dave).await.unwrap();
    let companies = d.companies(&all(100)).await.unwrap();
    assert_eq!(companies, vec![w.acme.clone(), w.globex.clone()]);
    assert_eq!(
        d.companies(&search("acme.TEST")).await.unwrap(),
        vec![w.acme.clone()],
        "domain"
    );
    assert_eq!(
        d.companies(&RecordQuery {
            after: Some(w.acme.id.0),
            ..all(100)
        })
        .await
        .unwrap(),
        vec![w.globex.clone()]
    );
    let renamed = Company {
        name: "Acme Corp".into(),
        domain: None,
        ..w.acme.clone()
    };
    d.update_company(&renamed).await.unwrap();
    assert_eq!(d.company(w.acme.id).await.unwrap(), Some(renamed.clone()));
    assert!(matches!(
        d.update_company(&Company {
            id: CompanyId(987_654),
            ..renamed
        })
        .await,
        Err(PortError::NotFound)
    ));
    let list = d.create_list("Old").await.unwrap();
    d.rename_list(list.id, "New").await.unwrap();
    assert_eq!(d.lists().await.unwrap().last().unwrap().name, "New");
    assert!(matches!(
        d.rename_list(ListId(987_654), "x").await,
        Err(PortError::NotFound)
    ));
}

async fn tickets_update_replaces_subject_and_properties(p: Ports) {
    let w = seed_world(&p).await;
    let at = T0.plus_seconds(500);
    let props = BTreeMap::from([("priority".to_string(), Value::text("urgent"))]);
    p.tickets
        .update_ticket(w.alice_ticket, "Zeppelin overheating", &props, at)
        .await
        .unwrap();
    let t = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.subject, "Zeppelin overheating");
    assert_eq!(t.properties, props);
    assert_eq!(t.last_activity_at, at);
    let scope = Scope {
        contact: w.alice.id,
        companies: w.alice.primary_company.into_iter().collect(),
        ticket_filter: None,
        shared_only: false,
    };
    let ids = |page: portal_core::query::TicketPage| {
        page.tickets.into_iter().map(|t| t.id).collect::<Vec<_>>()
    };
    let by_priority = |v: &str| TicketQuery {
        filters: vec![Criterion::new("priority", Operator::Equals(Value::text(v)))],
        limit: 50,
        ..TicketQuery::default()
    };
    assert_eq!(
        ids(p
            .tickets
            .list(&scope, &by_priority("urgent"))
            .await
            .unwrap()),
        vec![w.alice_ticket]
    );
    assert!(
        !ids(p.tickets.list(&scope, &by_priority("high")).await.unwrap()).contains(&w.alice_ticket),
        "the old value no longer matches"
    );
    let search = TicketQuery {
        search: Some("zeppelin".into()),
        limit: 50,
        ..TicketQuery::default()
    };
    assert_eq!(
        ids(p.tickets.list(&scope, &search).await.unwrap()),
        vec![w.alice_ticket]
    );
    assert!(matches!(
        p.tickets
            .update_ticket(TicketId(987_654), "x", &props, at)
            .await,
        Err(PortError::NotFound)
    ));
}

async fn catalog_adds_stages_and_updates_agents(p: Ports) {
    let w = seed_world(&p).await;
    let c = &p.catalog;
    let stage = c
        .add_stage(
            w.support.id,
            NewStage {
                label: "Waiting on us".into(),
                closed: false,
            },
        )
        .await
        .unwrap();
    let support = c
        .pipelines()
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == w.support.id)
        .unwrap();
    assert_eq!(support.stages.len(), w.support.stages.len() + 1);
    assert_eq!(support.stages.last(), Some(&stage), "appended last");
    assert!(matches!(
        c.add_stage(
            PipelineId(987_654),
            NewStage {
                label: "x".into(),
                closed: false
            }
        )
        .await,
        Err(PortError::NotFound)
    ));
    let other = c
        .create_agent(Agent {
            id: AgentId(0),
            first_name: "Olga".into(),
            last_name: "Other".into(),
            alias: None,
            email: "olga@support.test".into(),
        })
        .await
        .unwrap();
    let aliased = Agent {
        alias: Some("Support Team".into()),
        first_name: "Ann".into(),
        ..w.agent.clone()
    };
    c.update_agent(&aliased).await.unwrap();
    let agents = c.agents().await.unwrap();
    assert!(agents.contains(&aliased) && agents.contains(&other));
    assert!(matches!(
        c.update_agent(&Agent {
            email: "OLGA@support.test".into(),
            ..aliased.clone()
        })
        .await,
        Err(PortError::Conflict(_))
    ));
    assert!(matches!(
        c.update_agent(&Agent {
            id: AgentId(987_654),
            email: "nobody@support.test".into(),
            ..aliased
        })
        .await,
        Err(PortError::NotFound)
    ));
}

async fn api_tokens_are_found_by_hash_and_revoked_by_their_agent(p: Ports) {
    let w = seed_world(&p).await;
    let s = &p.staff;
    let other = p
        .catalog
        .create_agent(Agent {
            id: AgentId(0),
            first_name: "Olga".into(),
            last_name: "Other".into(),
            alias: None,
            email: "olga@support.test".into(),
        })
        .await
        .unwrap();
    let token = |agent, hash: &str| ApiToken {
        id: 0,
        agent,
        name: format!("token {hash}"),
        token_hash: hash.into(),
        created_at: T0,
    };
    let a = s.create_api_token(token(w.agent.id, "h-a")).await.unwrap();
    let b = s.create_api_token(token(other.id, "h-b")).await.unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(s.api_token("h-a").await.unwrap(), Some(a.clone()));
    assert_eq!(s.api_token("h-zzz").await.unwrap(), None);
    assert_eq!(s.api_tokens(w.agent.id).await.unwrap(), vec![a.clone()]);
    assert!(matches!(
        s.create_api_token(token(other.id, "h-a")).await,
        Err(PortError::Conflict(_))
    ));
    assert!(matches!(
        s.create_api_token(token(AgentId(987_654), "h-c")).await,
        Err(PortError::NotFound)
    ));
    assert!(matches!(
        s.revoke_api_token(w.agent.id, b.id).await,
        Err(PortError::NotFound)
    ));
    assert_eq!(
        s.api_token("h-b").await.unwrap(),
        Some(b),
        "another agent's token stays"
    );
    s.revoke_api_token(w.agent.id, a.id).await.unwrap();
    assert_eq!(s.api_token("h-a").await.unwrap(), None);
    assert!(matches!(
        s.revoke_api_token(w.agent.id, a.id).await,
        Err(PortError::NotFound)
    ));
}

async fn tickets_update_message_changes_one_message_of_its_ticket(p: Ports) {
    let w = seed_world(&p).await;
    let threads = p.tickets.threads(w.alice_ticket).await.unwrap();
    let first = threads[0].messages[0].clone();
    p.tickets
        .update_message(w.alice_ticket, first.id, "<p>Quokka sighting</p>")
        .await
        .unwrap();
    let again = p.tickets.threads(w.alice_ticket).await.unwrap();
    let changed = again[0].messages.iter().find(|m| m.id == first.id).unwrap();
    assert_eq!(changed.body, "<p>Quokka sighting</p>");
    assert_eq!(changed.visibility, first.visibility);
    assert_eq!(changed.created_at, first.created_at);
    if first.visibility == MessageVisibility::Public {
        let scope = Scope {
            contact: w.alice.id,
            companies: vec![],
            ticket_filter: None,
            shared_only: false,
        };
        let q = TicketQuery {
            search: Some("quokka".into()),
            limit: 10,
            ..TicketQuery::default()
        };
        let found: Vec<TicketId> = p
            .tickets
            .list(&scope, &q)
            .await
            .unwrap()
            .tickets
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(found, vec![w.alice_ticket], "search sees the new text");
    }
    // A message of another ticket is NotFound through this one, and stays as it was.
    let other = p.tickets.threads(w.other_ticket).await.unwrap();
    let foreign = other[0].messages[0].clone();
    assert!(matches!(
        p.tickets
            .update_message(w.alice_ticket, foreign.id, "x")
            .await,
        Err(PortError::NotFound)
    ));
    let still = p.tickets.threads(w.other_ticket).await.unwrap();
    assert_eq!(still[0].messages[0].body, foreign.body);
    assert!(matches!(
        p.tickets
            .update_message(TicketId(987_654), first.id, "x")
            .await,
        Err(PortError::NotFound)
    ));
}

async fn tickets_requesters_within_names_only_requesters_of_admitted_tickets(p: Ports) {
    let w = seed_world(&p).await;
    let everyone = [
        w.alice.id,
        w.bob.id,
        w.carol.id,
        w.dave.id,
        ContactId(9_999_999),
    ];
    let mut all = Vec::new();
    for id in &w.tickets {
        all.push(p.tickets.get(*id).await.unwrap().unwrap());
    }
    for scope in w.scopes() {
        let expected: BTreeSet<ContactId> = all
            .iter()
            .filter(|t| scope.admits(t))
            .filter_map(|t| t.requester)
            .filter(|c| everyone.contains(c))
            .collect();
        assert_eq!(
            p.tickets
                .requesters_within(&scope, &everyone)
                .await
                .unwrap(),
            expected,
            "{scope:?}"
        );
        // Only the candidates asked about are answered.
        let only_dave = p
            .tickets
            .requesters_within(&scope, &[w.dave.id])
            .await
            .unwrap();
        assert!(only_dave.iter().all(|c| *c == w.dave.id));
        assert!(
            p.tickets
                .requesters_within(&scope, &[])
                .await
                .unwrap()
                .is_empty()
        );
    }
    // Bob's ticket is Acme's: Alice's own scope never names Bob, her company scope does.
    let own = Scope {
        contact: w.alice.id,
        companies: vec![],
        ticket_filter: None,
        shared_only: false,
    };
    assert!(
        !p.tickets
            .requesters_within(&own, &everyone)
            .await
            .unwrap()
            .contains(&w.bob.id)
    );
    let company = Scope {
        companies: w.alice.primary_company.into_iter().collect(),
        ..own
    };
    assert!(
        p.tickets
            .requesters_within(&company, &everyone)
            .await
            .unwrap()
            .contains(&w.bob.id)
    );
}

async fn login_attempts_count_per_key_since_a_time_and_clear(p: Ports) {
    let a = p.attempts.as_ref();
    assert_eq!(a.failures_since("k", T0).await.unwrap(), (0, None));
    for s in [0, 10, 20] {
        a.record_failure("k", T0.plus_seconds(s)).await.unwrap();
    }
    a.record_failure("other", T0.plus_seconds(30))
        .await
        .unwrap();
    assert_eq!(
        a.failures_since("k", T0).await.unwrap(),
        (3, Some(T0.plus_seconds(20)))
    );
    // At or after `since`.
    assert_eq!(
        a.failures_since("k", T0.plus_seconds(10)).await.unwrap(),
        (2, Some(T0.plus_seconds(20)))
    );
    assert_eq!(
        a.failures_since("k", T0.plus_seconds(21)).await.unwrap(),
        (0, None)
    );
    a.clear("k").await.unwrap();
    assert_eq!(a.failures_since("k", T0).await.unwrap(), (0, None));
    assert_eq!(
        a.failures_since("other", T0).await.unwrap(),
        (1, Some(T0.plus_seconds(30))),
        "keys are counted apart"
    );
    // Clearing a key without failures is not an error.
    a.clear("never").await.unwrap();
}

async fn outbox_keeps_a_thread_tokens_hash_with_its_mail(p: Ports) {
    use portal_core::usecases::accounts::token_hash;
    let w = seed_world(&p).await;
    let at = T0.plus_seconds(500);
    let mail = |to: &str, ticket: TicketId, token: &str| OutgoingMail {
        files: Vec::new(),
        to: to.into(),
        language: "en".into(),
        template: "reply_notification".into(),
        vars: Default::default(),
        thread: Some(MailThread {
            ticket,
            contact: w.alice.id,
            token: token.into(),
        }),
    };
    let t1 = "0123456789abcdef0123456789abcdef";
    let t2 = "fedcba9876543210fedcba9876543210";
    let t3 = "00000000000000000000000000000003";
    // Queued on its own, the mail keeps its token for the sender; the thread table keeps
    // only the hash.
    let queued = p
        .outbox
        .enqueue(mail("a@x.test", w.alice_ticket, t1), at)
        .await
        .unwrap();
    assert_eq!(
        p.outbox.thread(&token_hash(t1)).await.unwrap(),
        Some(ThreadToken {
            ticket: w.alice_ticket,
            contact: w.alice.id,
            created_at: at,
            outbox: Some(queued),
        })
    );
    assert_eq!(p.outbox.thread(t1).await.unwrap(), None, "not by the token");
    let claimed = p.outbox.claim(at, at.plus_seconds(60), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].mail, mail("a@x.test", w.alice_ticket, t1));
    // Sent, then returned by the recipient's server: dead, with the reason, for staff.
    p.outbox.mark_sent(queued, at).await.unwrap();
    p.outbox
        .bounce(queued, "returned: no such user")
        .await
        .unwrap();
    let dead = p.outbox.dead(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (dead[0].id, dead[0].last_error.as_str()),
        (queued, "returned: no such user")
    );
    assert_eq!(
        p.outbox.bounce(9_999_999, "x").await,
        Err(PortError::NotFound)
    );
    p.outbox.retry(queued, at).await.unwrap();
    assert_eq!(
        p.outbox
            .claim(at, at.plus_seconds(60), 10)
            .await
            .unwrap()
            .len(),
        1,
        "sendable again"
    );
    // Queued with a message: recorded in the same write, and not at all when it is refused.
    let refused = p
        .tickets
        .add_message(NewMessage {
            mails: vec![mail("b@x.test", TicketId(987_654), t3)],
            ticket: TicketId(987_654),
            thread: ThreadTarget::New(w.inbox),
            content: body(Author::Agent(w.agent.id), MessageVisibility::Public, "lost"),
            at,
        })
        .await;
    assert_eq!(refused, Err(PortError::NotFound));
    assert_eq!(p.outbox.thread(&token_hash(t3)).await.unwrap(), None);
    p.tickets
        .add_message(NewMessage {
            mails: vec![mail("b@x.test", w.bare_ticket, t2)],
            ticket: w.bare_ticket,
            thread: ThreadTarget::New(w.inbox),
            content: body(Author::Agent(w.agent.id), MessageVisibility::Public, "hi"),
            at,
        })
        .await
        .unwrap();
    assert_eq!(
        p.outbox
            .thread(&token_hash(t2))
            .await
            .unwrap()
            .map(|t| t.ticket),
        Some(w.bare_ticket)
    );
}

async fn inbound_mails_are_stored_once_leased_once_and_taken_with_their_message(p: Ports) {
    use portal_core::mail_in::{InboundState, NewInboundMail};
    let w = seed_world(&p).await;
    let at = T0.plus_seconds(600);
    let new = |digest: &str, key: &str| NewInboundMail {
        inbox: w.inbox,
        source: "pipe".into(),
        digest: digest.into(),
        blob_key: key.into(),
        size: 42,
        at,
    };
    // One mail per digest and inbox: a second store answers the first mail's id.
    let (a, fresh) = p.inbound.store(new("d1", "blob-a")).await.unwrap();
    assert!(fresh);
    assert_eq!(
        p.inbound.store(new("d1", "blob-b")).await.unwrap(),
        (a, false)
    );
    let (b, _) = p.inbound.store(new("d2", "blob-c")).await.unwrap();
    let stored = p.inbound.get(a).await.unwrap().unwrap();
    assert_eq!(
        (
            stored.state,
            stored.blob_key.as_str(),
            stored.size,
            stored.inbox
        ),
        (InboundState::Pending, "blob-a", 42, w.inbox)
    );
    assert_eq!(p.inbound.get(9_999_999).await.unwrap(), None);
    // A lease is held by one holder until it runs out.
    let until = at.plus_seconds(300);
    assert!(p.inbound.lease(a, at, until).await.unwrap());
    assert!(!p.inbound.lease(a, at, until).await.unwrap());
    assert_eq!(p.inbound.pending(at, 10).await.unwrap(), vec![b]);
    assert_eq!(p.inbound.pending(until, 10).await.unwrap(), vec![a, b]);
    assert!(
        p.inbound
            .lease(a, until, until.plus_seconds(300))
            .await
            .unwrap()
    );
    // Taken only in the write of its message, once; a second write is refused whole.
    p.inbound
        .describe(a, Some("alice@acme.test"), "Printer")
        .await
        .unwrap();
    let mut content = body(
        Author::Contact(w.alice.id),
        MessageVisibility::Public,
        "by mail",
    );
    content.mail_in = Some(a);
    let message = p
        .tickets
        .add_message(NewMessage {
            mails: vec![],
            ticket: w.alice_ticket,
            thread: ThreadTarget::New(w.inbox),
            content: content.clone(),
            at,
        })
        .await
        .unwrap();
    let taken = p.inbound.get(a).await.unwrap().unwrap();
    assert_eq!(
        (
            taken.state,
            taken.ticket,
            taken.message,
            taken.sender.as_deref(),
            taken.subject.as_deref()
        ),
        (
            InboundState::Taken,
            Some(w.alice_ticket),
            Some(message.id),
            Some("alice@acme.test"),
            Some("Printer")
        )
    );
    let threads_before = p.tickets.threads(w.alice_ticket).await.unwrap();
    let again = p
        .tickets
        .add_message(NewMessage {
            mails: vec![],
            ticket: w.alice_ticket,
            thread: ThreadTarget::New(w.inbox),
            content,
            at,
        })
        .await;
    assert_eq!(again, Err(PortError::NotFound));
    assert_eq!(
        p.tickets.threads(w.alice_ticket).await.unwrap(),
        threads_before
    );
    assert_eq!(
        p.inbound
            .of_ticket(w.alice_ticket)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
        vec![a]
    );
    assert_eq!(
        p.inbound.settle(a, InboundState::Dropped, "bulk").await,
        Err(PortError::NotFound)
    );
    // Quarantine: listed, put back, deleted; only quarantined mails are.
    p.inbound
        .settle(b, InboundState::Quarantined, "unknown_sender")
        .await
        .unwrap();
    let q = p.inbound.quarantined(10).await.unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0].id, q[0].reason.as_deref()),
        (b, Some("unknown_sender"))
    );
    assert_eq!(p.inbound.delete(a).await, Err(PortError::NotFound));
    assert_eq!(p.inbound.requeue(a).await, Err(PortError::NotFound));
    p.inbound.requeue(b).await.unwrap();
    assert_eq!(
        p.inbound.get(b).await.unwrap().unwrap().state,
        InboundState::Pending
    );
    assert!(p.inbound.quarantined(10).await.unwrap().is_empty());
    p.inbound
        .settle(b, InboundState::Quarantined, "empty")
        .await
        .unwrap();
    assert_eq!(p.inbound.delete(b).await.unwrap(), "blob-c");
    assert_eq!(p.inbound.get(b).await.unwrap(), None);
    // A ticket filed from a mail takes it in the same write.
    let (c, _) = p.inbound.store(new("d3", "blob-d")).await.unwrap();
    let mut first = body(
        Author::Contact(w.carol.id),
        MessageVisibility::Public,
        "new",
    );
    first.mail_in = Some(c);
    let ticket = p
        .tickets
        .create(NewTicket {
            subject: "By mail".into(),
            pipeline: w.support.id,
            stage: w.open_stage,
            status: TicketStatus::Open,
            inbox: Some(w.inbox),
            requester: Some(w.carol.id),
            contacts: BTreeSet::from([w.carol.id]),
            companies: BTreeSet::new(),
            private: false,
            properties: Default::default(),
            owner: None,
            created_at: at,
            first_message: Some(first),
        })
        .await
        .unwrap();
    let taken = p.inbound.get(c).await.unwrap().unwrap();
    assert_eq!(
        (taken.state, taken.ticket),
        (InboundState::Taken, Some(ticket.id))
    );
}

async fn mailboxes_are_saved_listed_checked_and_removed(p: Ports) {
    use portal_core::mail_in::{Mailbox, MailboxPlace};
    let w = seed_world(&p).await;
    let place = MailboxPlace {
        inbox: w.inbox,
        host: "imap.example.com".into(),
        port: 993,
        tls: true,
        user: "support@example.com".into(),
        folder: "INBOX".into(),
        delete_taken: false,
        poll_seconds: 30,
        enabled: true,
    };
    let new = Mailbox {
        id: 0,
        place: place.clone(),
        sealed_password: "sealed-1".into(),
        checked_at: None,
        last_error: None,
    };
    let support = MailboxPlace {
        folder: "Support".into(),
        port: 143,
        tls: false,
        enabled: false,
        ..place.clone()
    };
    let id = p.inbound.save_mailbox(&new).await.unwrap();
    assert!(id > 0);
    let other = p
        .inbound
        .save_mailbox(&Mailbox {
            place: support.clone(),
            ..new.clone()
        })
        .await
        .unwrap();
    assert_ne!(id, other);
    let listed = p.inbound.mailboxes().await.unwrap();
    assert_eq!(
        listed,
        vec![
            Mailbox { id, ..new.clone() },
            Mailbox {
                id: other,
                place: support,
                ..new.clone()
            }
        ]
    );
    // A round is recorded; saving again clears it (the next round tells).
    let at = T0.plus_seconds(60);
    p.inbound
        .mailbox_checked(id, at, Some("login refused"))
        .await
        .unwrap();
    let got = p.inbound.mailboxes().await.unwrap().remove(0);
    assert_eq!(
        (got.checked_at, got.last_error.as_deref()),
        (Some(at), Some("login refused"))
    );
    p.inbound.mailbox_checked(id, at, None).await.unwrap();
    assert_eq!(p.inbound.mailboxes().await.unwrap()[0].last_error, None);
    let changed = Mailbox {
        id,
        place: MailboxPlace {
            host: "mail.example.com".into(),
            ..place.clone()
        },
        sealed_password: "sealed-2".into(),
        checked_at: Some(at),
        ..new.clone()
    };
    assert_eq!(p.inbound.save_mailbox(&changed).await.unwrap(), id);
    let got = p.inbound.mailboxes().await.unwrap().remove(0);
    assert_eq!(
        got,
        Mailbox {
            checked_at: None,
            ..changed.clone()
        }
    );
    // Saving or removing one that is not there is NotFound; a round for one removed
    // meanwhile is no error.
    let missing = Mailbox {
        id: other + 1000,
        ..new.clone()
    };
    assert!(matches!(
        p.inbound.save_mailbox(&missing).await,
        Err(PortError::NotFound)
    ));
    p.inbound.delete_mailbox(other).await.unwrap();
    assert!(matches!(
        p.inbound.delete_mailbox(other).await,
        Err(PortError::NotFound)
    ));
    p.inbound.mailbox_checked(other, at, None).await.unwrap();
    assert_eq!(
        p.inbound
            .mailboxes()
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
        vec![id]
    );
}

async fn tickets_set_people_changes_who_sees_a_ticket_at_once(p: Ports) {
    let w = seed_world(&p).await;
    let own = |c: &Contact| Scope {
        contact: c.id,
        companies: vec![],
        ticket_filter: None,
        shared_only: false,
    };
    let mine = TicketQuery {
        view: View::Mine,
        ..TicketQuery::default()
    };
    let search = TicketQuery {
        search: Some("printer".into()),
        ..mine.clone()
    };
    let sees = |c: Contact, q: TicketQuery| {
        let p = p.clone();
        async move {
            let scope = own(&c);
            let found = p
                .tickets
                .find(&scope, w.alice_ticket)
                .await
                .unwrap()
                .is_some();
            let listed = p
                .tickets
                .list(&scope, &q)
                .await
                .unwrap()
                .tickets
                .iter()
                .any(|t| t.id == w.alice_ticket);
            let counted = p.tickets.count(&scope, &q).await.unwrap();
            (found, listed, counted)
        }
    };
    let before = sees(w.dave.clone(), mine.clone()).await;
    assert_eq!((before.0, before.1), (false, false));
    // Dave (Globex) is copied in: he sees Alice's ticket in every read, search included.
    let at = T0.plus_seconds(500_000);
    p.tickets
        .set_people(
            w.alice_ticket,
            Some(w.alice.id),
            BTreeSet::from([w.alice.id, w.dave.id]),
            at,
        )
        .await
        .unwrap();
    let t = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert_eq!(t.requester, Some(w.alice.id));
    assert_eq!(t.contacts, BTreeSet::from([w.alice.id, w.dave.id]));
    assert_eq!(t.last_activity_at, at);
    let cc = sees(w.dave.clone(), mine.clone()).await;
    assert_eq!((cc.0, cc.1, cc.2), (true, true, before.2 + 1));
    let searched = sees(w.dave.clone(), search.clone()).await;
    assert!(searched.1, "the CC finds the ticket by search");
    // Handed over to Bob, Alice taken off: she loses it, Bob is the requester everywhere.
    p.tickets
        .set_people(
            w.alice_ticket,
            Some(w.bob.id),
            BTreeSet::from([w.bob.id, w.dave.id]),
            at,
        )
        .await
        .unwrap();
    assert!(!sees(w.alice.clone(), mine.clone()).await.0);
    assert!(sees(w.bob.clone(), mine.clone()).await.0);
    let named = p
        .tickets
        .requesters_within(&own(&w.dave), &[w.alice.id, w.bob.id])
        .await
        .unwrap();
    assert_eq!(named, BTreeSet::from([w.bob.id]));
    // Dave removed: gone from his reads at once.
    p.tickets
        .set_people(
            w.alice_ticket,
            Some(w.bob.id),
            BTreeSet::from([w.bob.id]),
            at,
        )
        .await
        .unwrap();
    assert_eq!(sees(w.dave.clone(), mine).await, before);
    assert_eq!(
        p.tickets
            .set_people(TicketId(9_999_999), None, BTreeSet::new(), at)
            .await,
        Err(PortError::NotFound)
    );
}

async fn tickets_set_private_keeps_company_access_out_at_once(p: Ports) {
    let w = seed_world(&p).await;
    let company = |c: &Contact| Scope {
        contact: c.id,
        companies: c.primary_company.into_iter().collect(),
        ticket_filter: None,
        shared_only: false,
    };
    let org = TicketQuery::default();
    let search = TicketQuery {
        search: Some("printer".into()),
        ..org.clone()
    };
    // (found, listed, counted, found by search, Alice named in the requester filter)
    let sees = |c: Contact| {
        let p = p.clone();
        let (org, search) = (org.clone(), search.clone());
        async move {
            let scope = company(&c);
            let found = p
                .tickets
                .find(&scope, w.alice_ticket)
                .await
                .unwrap()
                .is_some();
            let listed = p
                .tickets
                .list(&scope, &org)
                .await
                .unwrap()
                .tickets
                .iter()
                .any(|t| t.id == w.alice_ticket);
            let counted = p.tickets.count(&scope, &org).await.unwrap();
            let searched = p
                .tickets
                .list(&scope, &search)
                .await
                .unwrap()
                .tickets
                .iter()
                .any(|t| t.id == w.alice_ticket);
            let named = p
                .tickets
                .requesters_within(&scope, &[w.alice.id])
                .await
                .unwrap()
                .contains(&w.alice.id);
            (found, listed, counted, searched, named)
        }
    };
    let shared = sees(w.bob.clone()).await;
    assert_eq!(
        (shared.0, shared.1, shared.3),
        (true, true, true),
        "Bob sees Alice's company ticket"
    );
    let at = T0.plus_seconds(600_000);
    p.tickets
        .set_private(w.alice_ticket, true, at)
        .await
        .unwrap();
    let t = p.tickets.get(w.alice_ticket).await.unwrap().unwrap();
    assert!(t.private);
    assert_eq!(t.last_activity_at, at);
    assert_eq!(
        t.companies,
        BTreeSet::from([w.acme.id]),
        "still Acme's ticket"
    );
    let private = sees(w.bob.clone()).await;
    assert_eq!(
        (private.0, private.1, private.2, private.3),
        (false, false, shared.2 - 1, false),
        "a colleague loses a private ticket in every read"
    );
    // Staff still find it among the company's tickets (explain-access).
    let related = p
        .tickets
        .related(w.bob.id, Some(w.acme.id), 100)
        .await
        .unwrap();
    assert!(related.iter().any(|t| t.id == w.alice_ticket && t.private));
    // Alice is the requester: she keeps it.
    let alice = sees(w.alice.clone()).await;
    assert_eq!(
        (alice.0, alice.1, alice.3, alice.4),
        (true, true, true, true)
    );
    // Shared again: Bob sees it at once, with its latest activity.
    let later = at.plus_seconds(60);
    p.tickets
        .set_private(w.alice_ticket, false, later)
        .await
        .unwrap();
    let again = sees(w.bob.clone()).await;
    assert_eq!(
        (again.0, again.1, again.2, again.3),
        (true, true, shared.2, true)
    );
    let first = p
        .tickets
        .list(&company(&w.bob), &org)
        .await
        .unwrap()
        .tickets
        .first()
        .map(|t| t.id);
    assert_eq!(first, Some(w.alice_ticket), "sorted by its new activity");
    assert_eq!(
        p.tickets.set_private(TicketId(9_999_999), true, at).await,
        Err(PortError::NotFound)
    );
}

async fn access_log_pages_newest_first_filters_and_purges(p: Ports) {
    use portal_core::organisation::{AccessAction, AccessLogQuery, NewAccessEvent, matches};
    let w = seed_world(&p).await;
    let log = &p.access_log;
    let mut written = Vec::new();
    for i in 0..7i64 {
        let (company, contact) = if i == 3 {
            (w.globex.id, w.dave.id)
        } else if i % 2 == 0 {
            (w.acme.id, w.alice.id)
        } else {
            (w.acme.id, w.bob.id)
        };
        let e = NewAccessEvent {
            company,
            contact,
            ticket: (i != 5).then_some(w.alice_ticket),
            action: match i {
                5 => AccessAction::Exported,
                6 => AccessAction::Replied,
                _ => AccessAction::Viewed,
            },
            count: if i == 5 { 42 } else { 0 },
            at: T0.plus_seconds(i * 3600),
        };
        log.record(e.clone()).await.unwrap();
        written.push(e);
    }
    let all = log
        .page(
            w.acme.id,
            &AccessLogQuery {
                limit: 100,
                ..AccessLogQuery::default()
            },
        )
        .await
        .unwrap();
    // Acme's six, newest first, nothing of Globex's.
    assert_eq!(all.len(), 6);
    assert!(all.windows(2).all(|p| p[0].id > p[1].id));
    assert!(all.iter().all(|e| e.company == w.acme.id));
    assert_eq!(all[0].action, AccessAction::Replied);
    assert_eq!(all[1].action, AccessAction::Exported);
    assert_eq!((all[1].ticket, all[1].count), (None, 42));
    // Each filter, and the cursor, as the core's reference says.
    let queries = [
        AccessLogQuery {
            contact: Some(w.bob.id),
            ..AccessLogQuery::default()
        },
        AccessLogQuery {
            action: Some(AccessAction::Viewed),
            ..AccessLogQuery::default()
        },
        AccessLogQuery {
            ticket: Some(w.alice_ticket),
            ..AccessLogQuery::default()
        },
        AccessLogQuery {
            from: Some(T0.plus_seconds(2 * 3600)),
            until: Some(T0.plus_seconds(6 * 3600)),
            ..AccessLogQuery::default()
        },
        AccessLogQuery {
            before: Some(all[2].id),
            ..AccessLogQuery::default()
        },
    ];
    for q in queries {
        let q = AccessLogQuery { limit: 100, ..q };
        let got = log.page(w.acme.id, &q).await.unwrap();
        let want: Vec<_> = all.iter().filter(|e| matches(&q, e)).cloned().collect();
        assert_eq!(got, want, "{q:?}");
        assert!(!got.is_empty(), "{q:?}");
    }
    let two = log
        .page(
            w.acme.id,
            &AccessLogQuery {
                limit: 2,
                ..AccessLogQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(two, all[..2].to_vec());
    // Purge: everything before the cut goes, in every company.
    assert_eq!(log.purge(T0.plus_seconds(3 * 3600 + 1)).await.unwrap(), 4);
    let left = log
        .page(
            w.acme.id,
            &AccessLogQuery {
                limit: 100,
                ..AccessLogQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(left, all[..3].to_vec());
    // Portal admins.
    assert!(log.admin_of(w.alice.id).await.unwrap().is_empty());
    log.set_admin(w.acme.id, w.alice.id, true).await.unwrap();
    log.set_admin(w.acme.id, w.alice.id, true).await.unwrap();
    assert_eq!(log.admin_of(w.alice.id).await.unwrap(), vec![w.acme.id]);
    assert!(log.admin_of(w.bob.id).await.unwrap().is_empty());
    log.set_admin(w.acme.id, w.alice.id, false).await.unwrap();
    assert!(log.admin_of(w.alice.id).await.unwrap().is_empty());
}
