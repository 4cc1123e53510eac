//! A small world written through the ports: two companies, four contacts, two pipelines,
//! tickets with threads, internal notes and an attachment. Contracts and use-case tests
//! build on it.

use std::collections::{BTreeMap, BTreeSet};

use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::visibility::Scope;

/// The time the fixtures start at: 2026-01-01T00:00:00Z.
pub const T0: Timestamp = Timestamp(1_767_225_600_000);

/// A message body.
pub fn body(author: Author, visibility: MessageVisibility, html: &str) -> NewMessageBody {
    NewMessageBody {
        author,
        visibility,
        body: html.into(),
        attachments: Vec::new(),
        mail_in: None,
        channel: match author {
            Author::Contact(_) => portal_core::model::Channel::Portal,
            _ => portal_core::model::Channel::Inbox,
        },
    }
}

/// What [`seed_world`] wrote.
#[derive(Debug, Clone)]
pub struct World {
    /// Acme, with Alice and Bob.
    pub acme: Company,
    /// Globex, with Dave.
    pub globex: Company,
    /// Acme, tier gold.
    pub alice: Contact,
    /// Acme, tier silver.
    pub bob: Contact,
    /// No company.
    pub carol: Contact,
    /// Globex.
    pub dave: Contact,
    /// The support inbox.
    pub inbox: InboxId,
    /// The support pipeline (one closed stage).
    pub support: Pipeline,
    /// The returns pipeline (two closed stages).
    pub returns: Pipeline,
    /// An open stage of `support`.
    pub open_stage: StageId,
    /// The closed stage of `support`.
    pub closed_stage: StageId,
    /// An agent.
    pub agent: Agent,
    /// Alice's ticket (priority high, with an attachment).
    pub alice_ticket: TicketId,
    /// Bob's ticket (Acme, priority low).
    pub bob_ticket: TicketId,
    /// Dave's ticket (Globex).
    pub other_ticket: TicketId,
    /// Alice's ticket without a thread.
    pub bare_ticket: TicketId,
    /// Every ticket.
    pub tickets: Vec<TicketId>,
}

impl World {
    /// Scopes worth checking: own, company, filtered, other viewers.
    pub fn scopes(&self) -> Vec<Scope> {
        let own = |c: &Contact| Scope {
            contact: c.id,
            companies: vec![],
            ticket_filter: None,
            shared_only: false,
        };
        let company = |c: &Contact| Scope {
            companies: c.primary_company.into_iter().collect(),
            ..own(c)
        };
        vec![
            own(&self.alice),
            company(&self.alice),
            own(&self.bob),
            own(&self.carol),
            company(&self.dave),
            Scope {
                ticket_filter: Some(Filter {
                    groups: vec![
                        portal_core::filter::FilterGroup {
                            criteria: vec![Criterion::new(
                                "priority",
                                Operator::Equals(Value::text("high")),
                            )],
                        },
                        portal_core::filter::FilterGroup {
                            criteria: vec![Criterion::new(
                                "pipeline",
                                Operator::Equals(Value::Number(self.returns.id.0)),
                            )],
                        },
                    ],
                }),
                ..company(&self.alice)
            },
        ]
    }
}

fn contact(email: &str, first: &str, company: Option<CompanyId>, tier: &str) -> NewContact {
    NewContact {
        email: email.into(),
        membership_email: Some(format!("member.{email}")),
        first_name: first.into(),
        last_name: "Example".into(),
        primary_company: company,
        language: None,
        properties: BTreeMap::from([("tier".into(), Value::text(tier))]),
    }
}

/// Writes the world through the ports.
pub async fn seed_world(p: &Ports) -> World {
    let d = &p.directory;
    let c = &p.catalog;
    let acme = d.create_company("Acme", Some("acme.test")).await.unwrap();
    let globex = d.create_company("Globex", None).await.unwrap();
    let alice = d
        .create_contact(contact("alice@acme.test", "Alice", Some(acme.id), "gold"))
        .await
        .unwrap();
    let bob = d
        .create_contact(contact("bob@acme.test", "Bob", Some(acme.id), "silver"))
        .await
        .unwrap();
    let carol = d
        .create_contact(contact("carol@home.test", "Carol", None, "gold"))
        .await
        .unwrap();
    let dave = d
        .create_contact(contact("dave@globex.test", "Dave", Some(globex.id), "gold"))
        .await
        .unwrap();
    let stage = |label: &str, closed| NewStage {
        label: label.into(),
        closed,
    };
    let support = c
        .create_pipeline(
            "Support",
            vec![
                stage("New", false),
                stage("Waiting on us", false),
                stage("Closed", true),
            ],
        )
        .await
        .unwrap();
    let returns = c
        .create_pipeline(
            "Returns",
            vec![
                stage("Requested", false),
                stage("Refunded", true),
                stage("Rejected", true),
            ],
        )
        .await
        .unwrap();
    let inbox = c
        .create_inbox("Support inbox", support.id)
        .await
        .unwrap()
        .id;
    for (object, def) in [
        (
            ObjectKind::Ticket,
            PropertyDef::custom("priority", "Priority", ValueKind::Text),
        ),
        (
            ObjectKind::Ticket,
            PropertyDef::custom("seats", "Seats", ValueKind::Number),
        ),
        (
            ObjectKind::Contact,
            PropertyDef::custom("tier", "Tier", ValueKind::Text),
        ),
    ] {
        c.define_property(object, def).await.unwrap();
    }
    let agent = c
        .create_agent(Agent {
            id: AgentId(0),
            first_name: "Sam".into(),
            last_name: "Support".into(),
            alias: Some("Sunny".into()),
            email: "sam@help.test".into(),
        })
        .await
        .unwrap();
    let open_stage = support.stages[0].id;
    let closed_stage = support.stages[2].id;
    let blob = p.blobs.put(b"\x89PNG fake".to_vec()).await.unwrap();

    struct Spec<'a> {
        subject: &'a str,
        who: &'a Contact,
        company: bool,
        pipeline: &'a Pipeline,
        stage: usize,
        priority: Option<&'a str>,
        seats: Option<i64>,
        owner: bool,
        messages: &'a [(MessageVisibility, &'a str)],
    }
    use MessageVisibility::{Internal, Public};
    let specs = [
        Spec {
            subject: "Printer on fire",
            who: &alice,
            company: true,
            pipeline: &support,
            stage: 0,
            priority: Some("high"),
            seats: Some(3),
            owner: true,
            messages: &[
                (Public, "<p>The <b>printer</b> smokes</p>"),
                (Internal, "secret note: toner"),
            ],
        },
        Spec {
            subject: "Invoice question",
            who: &bob,
            company: true,
            pipeline: &support,
            stage: 1,
            priority: Some("low"),
            seats: Some(1),
            owner: false,
            messages: &[(Public, "Why is the invoice so high?")],
        },
        Spec {
            subject: "Globex outage",
            who: &dave,
            company: true,
            pipeline: &support,
            stage: 0,
            priority: Some("high"),
            seats: Some(9),
            owner: true,
            messages: &[(Public, "Everything is down")],
        },
        Spec {
            subject: "Phone call follow-up",
            who: &alice,
            company: false,
            pipeline: &support,
            stage: 0,
            priority: None,
            seats: None,
            owner: false,
            messages: &[],
        },
        Spec {
            subject: "Toner jam",
            who: &bob,
            company: true,
            pipeline: &returns,
            stage: 1,
            priority: Some("low"),
            seats: Some(2),
            owner: true,
            messages: &[(Public, "Jammed again"), (Internal, "secret escalate")],
        },
        Spec {
            subject: "Return the åland order",
            who: &alice,
            company: true,
            pipeline: &returns,
            stage: 2,
            priority: Some("high"),
            seats: Some(5),
            owner: false,
            messages: &[(Public, "Wrong size")],
        },
        Spec {
            subject: "Carol asks",
            who: &carol,
            company: false,
            pipeline: &support,
            stage: 2,
            priority: None,
            seats: Some(2),
            owner: true,
            messages: &[(Public, "Hello printer people")],
        },
        Spec {
            subject: "Acme-wide license",
            who: &bob,
            company: true,
            pipeline: &support,
            stage: 2,
            priority: Some("medium"),
            seats: Some(3),
            owner: false,
            messages: &[(Public, "Renewal")],
        },
    ];
    let mut tickets = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let at = T0.plus_seconds(3600 * i as i64 - 1800);
        let stage = &s.pipeline.stages[s.stage];
        let mut properties = BTreeMap::new();
        if let Some(pr) = s.priority {
            properties.insert("priority".into(), Value::text(pr));
        }
        if let Some(n) = s.seats {
            properties.insert("seats".into(), Value::Number(n));
        }
        let first = s.messages.first().map(|(v, text)| {
            let mut b = body(Author::Contact(s.who.id), *v, text);
            if i == 0 {
                b.attachments.push(NewAttachment {
                    file_name: "screenshot.png".into(),
                    content_type: "image/png".into(),
                    size: 9,
                    blob_key: blob.clone(),
                });
            }
            b
        });
        let t = p
            .tickets
            .create(NewTicket {
                subject: s.subject.into(),
                pipeline: s.pipeline.id,
                stage: stage.id,
                status: if stage.closed {
                    TicketStatus::Closed
                } else {
                    TicketStatus::Open
                },
                inbox: Some(inbox),
                requester: Some(s.who.id),
                contacts: BTreeSet::from([s.who.id]),
                companies: if s.company {
                    s.who.primary_company.into_iter().collect()
                } else {
                    BTreeSet::new()
                },
                private: false,
                properties,
                owner: s.owner.then_some(agent.id),
                created_at: at,
                first_message: first,
            })
            .await
            .unwrap();
        for (j, (v, text)) in s.messages.iter().enumerate().skip(1) {
            let thread = p.tickets.threads(t.id).await.unwrap()[0].id;
            p.tickets
                .add_message(NewMessage {
                    mails: Vec::new(),
                    ticket: t.id,
                    thread: ThreadTarget::Existing(thread),
                    content: body(Author::Agent(agent.id), *v, text),
                    at: at.plus_seconds(60 * j as i64),
                })
                .await
                .unwrap();
        }
        tickets.push(t.id);
    }
    // A second, newer thread on Bob's ticket: the customer never sees it, search never finds it.
    p.tickets
        .add_message(NewMessage {
            mails: Vec::new(),
            ticket: tickets[1],
            thread: ThreadTarget::New(inbox),
            content: body(
                Author::Agent(agent.id),
                MessageVisibility::Public,
                "printer elsewhere",
            ),
            at: T0.plus_seconds(86_400),
        })
        .await
        .unwrap();
    World {
        alice_ticket: tickets[0],
        bob_ticket: tickets[1],
        other_ticket: tickets[2],
        bare_ticket: tickets[3],
        tickets,
        acme,
        globex,
        alice,
        bob,
        carol,
        dave,
        inbox,
        open_stage,
        closed_stage,
        support,
        returns,
        agent,
    }
}

/// A ticket with nobody on it, open, in pipeline 1 stage 10, at [`T0`]: the base of rule
/// tests that set only what they are about.
pub fn blank_ticket() -> Ticket {
    Ticket {
        id: TicketId(1),
        subject: "A ticket".into(),
        pipeline: PipelineId(1),
        stage: StageId(10),
        status: TicketStatus::Open,
        owner: None,
        inbox: None,
        requester: None,
        contacts: BTreeSet::new(),
        companies: BTreeSet::new(),
        private: false,
        properties: BTreeMap::new(),
        created_at: T0,
        last_activity_at: T0,
    }
}
