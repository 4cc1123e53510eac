//! Generators of random worlds for property tests: companies, contacts with properties,
//! tickets with associations and properties, visibility settings with random filters.
//!
//! Values come from small domains so that filters match often and collisions (equal sort
//! keys, shared companies) are common.

use std::collections::{BTreeMap, BTreeSet};

use portal_core::filter::{Criterion, Filter, FilterGroup, Operator};
use portal_core::model::*;
use portal_core::query::{Direction, Sort, TicketQuery};
use portal_core::visibility::{CompanyAccess, View, VisibilitySettings};
use proptest::prelude::*;
use proptest::sample::select;

use crate::fixtures::T0;

/// A random world: plain records, no ports.
#[derive(Debug, Clone)]
pub struct ArbWorld {
    /// Company ids `1..=n`.
    pub companies: Vec<CompanyId>,
    /// Contacts, ids `101..`.
    pub contacts: Vec<Contact>,
    /// Tickets, ids `1001..`.
    pub tickets: Vec<Ticket>,
}

/// Text values filters and properties draw from.
pub const TEXTS: &[&str] = &[
    "high", "low", "High", "gold", "silver", "hi", "printer", "Ärger",
];
/// Subject words.
pub const WORDS: &[&str] = &[
    "printer",
    "invoice",
    "toner",
    "jam",
    "Drucker",
    "löschen",
    "login",
    "VPN",
    // The query words inside other words: a search matches the start of a word only.
    "reprinted",
    "overjammed",
];

fn text() -> impl Strategy<Value = Value> {
    select(TEXTS).prop_map(Value::text)
}

fn hour(h: i64) -> Timestamp {
    T0.plus_seconds(3600 * h)
}

/// A value of `kind` from the small domains.
pub fn value(kind: ValueKind) -> BoxedStrategy<Value> {
    match kind {
        ValueKind::Text => text().boxed(),
        ValueKind::Number => (0i64..6).prop_map(Value::Number).boxed(),
        ValueKind::Date => (0i64..6).prop_map(|h| Value::Date(hour(h))).boxed(),
    }
}

/// An operator that fits `kind`.
pub fn operator(kind: ValueKind) -> BoxedStrategy<Operator> {
    let v = || value(kind);
    let vs = || prop::collection::vec(value(kind), 1..3);
    let common = prop_oneof![
        v().prop_map(Operator::Equals),
        v().prop_map(Operator::NotEquals),
        vs().prop_map(Operator::IsAnyOf),
        vs().prop_map(Operator::IsNoneOf),
        Just(Operator::IsKnown),
        Just(Operator::IsUnknown),
    ];
    match kind {
        ValueKind::Text => prop_oneof![
            3 => common,
            1 => select(&["", "hi", "H", "print", "ä", "Ä"][..]).prop_map(|s| Operator::Contains(s.into())),
            1 => select(&["", "hi", "H", "print", "ä", "Ä"][..]).prop_map(|s| Operator::StartsWith(s.into())),
        ]
        .boxed(),
        _ => prop_oneof![
            3 => common,
            1 => v().prop_map(Operator::GreaterThan),
            1 => v().prop_map(Operator::LessThan),
        ]
        .boxed(),
    }
}

/// A filter over the named properties and their kinds: 1–3 groups of 1–3 criteria.
pub fn filter(props: &'static [(&'static str, ValueKind)]) -> BoxedStrategy<Filter> {
    let criterion = select(props)
        .prop_flat_map(|(name, kind)| operator(kind).prop_map(move |op| Criterion::new(name, op)));
    prop::collection::vec(
        prop::collection::vec(criterion, 1..4).prop_map(|criteria| FilterGroup { criteria }),
        1..4,
    )
    .prop_map(|groups| Filter { groups })
    .boxed()
}

/// Contact properties the generators use.
pub const CONTACT_PROPS: &[(&str, ValueKind)] = &[
    ("tier", ValueKind::Text),
    ("seats", ValueKind::Number),
    ("company", ValueKind::Number),
    ("first_name", ValueKind::Text),
];

/// Ticket properties the generators use.
pub const TICKET_PROPS: &[(&str, ValueKind)] = &[
    ("priority", ValueKind::Text),
    ("amount", ValueKind::Number),
    ("pipeline", ValueKind::Number),
    ("status", ValueKind::Text),
    ("owner", ValueKind::Number),
    ("created_at", ValueKind::Date),
    ("subject", ValueKind::Text),
];

fn access() -> impl Strategy<Value = CompanyAccess> {
    prop_oneof![
        Just(CompanyAccess::OwnOnly),
        Just(CompanyAccess::AllContacts),
        filter(CONTACT_PROPS).prop_map(CompanyAccess::Filtered),
    ]
}

/// Random visibility settings: company access per right (C5) and a V5 filter.
pub fn visibility() -> impl Strategy<Value = VisibilitySettings> {
    (
        access(),
        prop::option::of(access()),
        prop::option::of(access()),
        prop::option::of(filter(TICKET_PROPS)),
    )
        .prop_map(
            |(company_access, company_reply, company_close, ticket_filter)| VisibilitySettings {
                company_access,
                ticket_filter,
                company_reply,
                company_close,
            },
        )
}

/// Random rights on a company's tickets.
pub fn rights() -> impl Strategy<Value = CompanyRights> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(see, reply, close)| CompanyRights {
        see,
        reply,
        close,
    })
}

/// Random memberships of companies `1..=companies` (C2): a staff grant and a company admin's
/// limit now and then.
fn memberships(companies: i64) -> impl Strategy<Value = Vec<Membership>> {
    prop::collection::vec(
        (
            1..=companies,
            prop::option::weighted(0.3, rights()),
            prop::option::weighted(0.2, rights()),
        )
            .prop_map(|(c, granted, limited)| Membership {
                company: CompanyId(c),
                granted,
                limited,
            }),
        0..3,
    )
    .prop_map(|mut ms| {
        let mut seen = std::collections::BTreeSet::new();
        ms.retain(|m| seen.insert(m.company));
        ms
    })
}

fn contact(id: i64, companies: i64) -> impl Strategy<Value = Contact> {
    (
        prop::option::weighted(0.8, 1..=companies),
        prop::option::of(text()),
        prop::option::of(0i64..6),
        select(&["Ann", "Hi", "Ärger", ""][..]),
        memberships(companies),
    )
        .prop_map(move |(company, tier, seats, first, memberships)| {
            let mut properties = BTreeMap::new();
            if let Some(t) = tier {
                properties.insert("tier".into(), t);
            }
            if let Some(s) = seats {
                properties.insert("seats".into(), Value::Number(s));
            }
            Contact {
                id: ContactId(id),
                email: format!("c{id}@example.test"),
                membership_email: None,
                first_name: first.into(),
                last_name: "Test".into(),
                primary_company: company.map(CompanyId),
                language: None,
                properties,
                memberships,
            }
        })
}

/// A random ticket associated with some of `contacts` (ids `101..101+contacts`) and some of
/// `companies` (ids `1..=companies`).
pub fn ticket(id: i64, contacts: i64, companies: i64) -> impl Strategy<Value = Ticket> {
    (
        prop::collection::btree_set(101..101 + contacts, 0..3),
        (
            prop::collection::btree_set(1..=companies, 0..2),
            prop::bool::weighted(0.25),
        ),
        (1i64..=2, 0i64..3, prop::option::of(1i64..=2)),
        (prop::option::of(text()), prop::option::of(0i64..6)),
        (0i64..6, 0i64..4),
        prop::collection::vec(select(WORDS), 1..4),
    )
        .prop_map(
            move |(
                cs,
                (cos, private),
                (pipeline, stage, owner),
                (priority, amount),
                (created, idle),
                words,
            )| {
                let mut properties = BTreeMap::new();
                if let Some(p) = priority {
                    properties.insert("priority".into(), p);
                }
                if let Some(a) = amount {
                    properties.insert("amount".into(), Value::Number(a));
                }
                Ticket {
                    id: TicketId(id),
                    subject: words.join(" "),
                    pipeline: PipelineId(pipeline),
                    stage: StageId(pipeline * 10 + stage),
                    status: if stage == 2 {
                        TicketStatus::Closed
                    } else {
                        TicketStatus::Open
                    },
                    owner: owner.map(AgentId),
                    inbox: Some(InboxId(1)),
                    requester: cs.iter().next().map(|c| ContactId(*c)),
                    contacts: cs.into_iter().map(ContactId).collect::<BTreeSet<_>>(),
                    companies: cos.into_iter().map(CompanyId).collect::<BTreeSet<_>>(),
                    private,
                    properties,
                    created_at: hour(created),
                    last_activity_at: hour(created + idle),
                }
            },
        )
}

/// A random world of 1–3 companies, 1–6 contacts and 0–`max_tickets` tickets.
pub fn world(max_tickets: usize) -> impl Strategy<Value = ArbWorld> {
    (1i64..=3, 1i64..=6).prop_flat_map(move |(companies, contacts)| {
        let cs: Vec<_> = (0..contacts).map(|i| contact(101 + i, companies)).collect();
        let ts = prop::collection::vec(0..1i64, 0..=max_tickets).prop_flat_map(move |slots| {
            slots
                .iter()
                .enumerate()
                .map(|(i, _)| ticket(1001 + i as i64, contacts, companies))
                .collect::<Vec<_>>()
        });
        (cs, ts).prop_map(move |(contacts, tickets)| ArbWorld {
            companies: (1..=companies).map(CompanyId).collect(),
            contacts,
            tickets,
        })
    })
}

/// A random list query over the generated properties (no search words).
pub fn query() -> impl Strategy<Value = TicketQuery> {
    (
        select(
            &[
                View::Organization,
                View::Mine,
                View::Shared,
                View::Company(CompanyId(1)),
                View::Company(CompanyId(2)),
            ][..],
        ),
        prop::option::of(select(&[TicketStatus::Open, TicketStatus::Closed][..])),
        prop::option::of(filter(TICKET_PROPS)),
        select(
            &[
                "last_activity_at",
                "created_at",
                "subject",
                "owner",
                "priority",
                "amount",
                "status",
            ][..],
        ),
        select(&[Direction::Asc, Direction::Desc][..]),
        prop::option::of(select(
            &["printer", "PRINT", "jam dru", "löschen", "vp", "rint"][..],
        )),
        1usize..30,
    )
        .prop_map(
            |(view, status, filter, sort, direction, search, limit)| TicketQuery {
                view,
                status,
                filters: filter
                    .map(|f| {
                        f.groups
                            .into_iter()
                            .next()
                            .map(|g| g.criteria)
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                sort: Sort {
                    property: sort.into(),
                    direction,
                },
                search: search.map(Into::into),
                after: None,
                limit,
            },
        )
}
