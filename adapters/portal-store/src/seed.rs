//! Bulk seeding for scale tests, benchmarks and the demo: a world of many tickets written
//! by set-based SQL per backend (a recursive CTE on SQLite, `generate_series` on PostgreSQL),
//! in batches, far faster than row-by-row inserts through the ports.
//!
//! Two shapes ([`Shape`]). Both: `companies` companies with `contacts_per_company` contacts
//! each; ticket `x` belongs to company `x % companies` and to one of its contacts, has one
//! thread with a public message from its requester, a public answer from the agent and an
//! internal note, and a `priority` property (high, normal or low). Subjects and bodies draw
//! from a small vocabulary so searches hit.
//! - [`Shape::Spread`]: the contacts share their company's tickets evenly, every fifth ticket
//!   is closed, no ticket has an owner.
//! - [`Shape::Company`]: a real company's shape: its first contact requests every fifth
//!   ticket, the others share the rest; 30 % of the tickets are open (a third of those in
//!   the "New" stage, two thirds "In progress"), and every ticket past "New" is owned by the
//!   agent.

use diesel::connection::SimpleConnection;
use portal_core::model::{Agent, AgentId, CompanyId, ContactId, Timestamp, ValueKind};
use portal_core::ports::{NewContact, NewStage};
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::{PortError, PortResult};

use crate::db::{Db, port_error};
use crate::{Backend, Store};

/// How the tickets spread over contacts and stages (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Evenly over the contacts, 80 % open, no owners.
    Spread,
    /// A fifth to the first contact of each company, 30 % open, owners past "New".
    Company,
}

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    /// How the tickets spread.
    pub shape: Shape,
    /// Tickets in all.
    pub tickets: u64,
    /// Companies the tickets spread over.
    pub companies: u64,
    /// Contacts per company.
    pub contacts_per_company: u64,
    /// Rows per statement.
    pub batch: u64,
    /// Collaboration (C1, C2): every fourth ticket of each company has a participant from
    /// the next company besides its requester, and the first contact of each company also
    /// belongs to the next company.
    pub collaboration: bool,
    /// Time of the first ticket.
    pub start: Timestamp,
}

impl SeedPlan {
    /// `tickets` tickets spread over 10 companies of 20 contacts, 100,000 rows a batch.
    pub fn new(tickets: u64) -> SeedPlan {
        SeedPlan {
            shape: Shape::Spread,
            tickets,
            companies: 10,
            contacts_per_company: 20,
            batch: 100_000,
            collaboration: false,
            start: Timestamp(1_767_225_600_000),
        }
    }

    /// `tickets` tickets of one company of 50 contacts, shaped like a real company's.
    pub fn company(tickets: u64) -> SeedPlan {
        SeedPlan {
            shape: Shape::Company,
            companies: 1,
            contacts_per_company: 50,
            ..SeedPlan::new(tickets)
        }
    }

    /// [`SeedPlan::company`] for two companies with collaboration: every fourth ticket of
    /// each company has a participant from the other, and the first contact of each
    /// company (the bench's viewer among them) belongs to the other company too.
    pub fn collaboration(tickets: u64) -> SeedPlan {
        SeedPlan {
            collaboration: true,
            companies: 2,
            ..SeedPlan::company(tickets)
        }
    }
}

/// What was seeded.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The agent who answers every ticket.
    pub agent: AgentId,
    /// The companies, in order.
    pub companies: Vec<CompanyId>,
    /// The contacts of each company, in order.
    pub contacts: Vec<Vec<ContactId>>,
}

/// The subject and body vocabulary.
pub const WORDS: [&str; 8] = [
    "printer", "invoice", "login", "network", "laptop", "license", "backup", "email",
];

fn word_case(expr: &str) -> String {
    let mut s = format!("CASE ({expr}) % {}", WORDS.len());
    for (i, w) in WORDS.iter().enumerate() {
        s.push_str(&format!(" WHEN {i} THEN '{w}'"));
    }
    s.push_str(" END");
    s
}

/// Seeds an empty store (the catalog, companies and contacts through the ports, the
/// tickets, associations, properties, threads, messages and search index by bulk SQL).
/// `progress` is told how many tickets are written after each batch.
pub async fn seed(
    store: &Store,
    plan: &SeedPlan,
    mut progress: impl FnMut(u64),
) -> PortResult<Seeded> {
    use portal_core::ports::{Directory, HelpDeskCatalog};
    let pipeline = store
        .create_pipeline(
            "Support",
            vec![
                NewStage {
                    label: "New".into(),
                    closed: false,
                },
                NewStage {
                    label: "In progress".into(),
                    closed: false,
                },
                NewStage {
                    label: "Closed".into(),
                    closed: true,
                },
            ],
        )
        .await?;
    let inbox = store.create_inbox("Support", pipeline.id).await?;
    // A world seeded beside the demo world finds the demo's priority already defined.
    match store
        .define_property(
            ObjectKind::Ticket,
            PropertyDef {
                options: vec!["high".into(), "normal".into(), "low".into()],
                ..PropertyDef::custom("priority", "Priority", ValueKind::Text)
            },
        )
        .await
    {
        Ok(_) | Err(portal_core::PortError::Conflict(_)) => {}
        Err(e) => return Err(e),
    }
    let agent = store
        .create_agent(Agent {
            id: AgentId(0),
            first_name: "Sam".into(),
            last_name: "Agent".into(),
            alias: None,
            email: "sam.agent@support.example".into(),
        })
        .await?;
    let mut companies = Vec::new();
    let mut contacts = Vec::new();
    for c in 0..plan.companies {
        let company = store
            .create_company(&format!("Company {c}"), Some(&format!("c{c}.example")))
            .await?;
        let mut people = Vec::new();
        for p in 0..plan.contacts_per_company {
            let contact = store
                .create_contact(NewContact {
                    email: format!("p{p}@c{c}.example"),
                    membership_email: None,
                    first_name: format!("Person{p}"),
                    last_name: format!("C{c}"),
                    primary_company: Some(company.id),
                    language: None,
                    properties: Default::default(),
                })
                .await?;
            people.push(contact.id);
        }
        companies.push(company.id);
        contacts.push(people);
    }
    // Ids of the companies and contacts are consecutive in a fresh store; the SQL relies on it.
    let first_company = companies.first().map_or(1, |c| c.0);
    let first_contact = contacts.first().and_then(|c| c.first()).map_or(1, |c| c.0);
    for (i, c) in companies.iter().enumerate() {
        if c.0 != first_company + i as i64 {
            return Err(PortError::Backend("seed needs an empty store".into()));
        }
    }
    if plan.collaboration && companies.len() > 1 {
        // The first contact of each company belongs to the next company too (C2).
        for (i, people) in contacts.iter().enumerate() {
            let Some(first) = people.first() else {
                continue;
            };
            if let Some(mut c) = store.contact(*first).await? {
                c.memberships = vec![portal_core::model::Membership::of(
                    companies[(i + 1) % companies.len()],
                )];
                store.update_contact(&c).await?;
            }
        }
    }
    let stages = Stages {
        new: pipeline.stages[0].id.0,
        progress: pipeline.stages[1].id.0,
        closed: pipeline.stages[2].id.0,
        agent: agent.id.0,
    };
    let p = plan.clone();
    let base: i64 = store
        .run(|c| {
            #[derive(diesel::QueryableByName)]
            struct Max {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                m: i64,
            }
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT COALESCE(MAX(id), 0) AS m FROM tickets")
                .get_result::<Max>(c)
                .map(|r| r.m)
                .map_err(port_error)
        })
        .await?;
    let mut done = 0;
    while done < plan.tickets {
        let from = done + 1;
        let to = (done + plan.batch).min(plan.tickets);
        let (p, inbox, stages) = (p.clone(), inbox.id.0, stages);
        store
            .run(move |c| {
                let backend = match c {
                    Db::Sqlite(_) => Backend::Sqlite,
                    Db::Pg(_) => Backend::Postgres,
                };
                let sql = batch_sql(
                    backend,
                    &p,
                    base,
                    from,
                    to,
                    first_company,
                    first_contact,
                    stages,
                    inbox,
                );
                c.batch_execute(&sql).map_err(port_error)
            })
            .await?;
        done = to;
        progress(done);
    }
    store
        .run(|c| {
            // Statistics for the planner; on PostgreSQL also the visibility map that
            // index-only scans need (what autovacuum does on a live database): without it
            // the planner reads a large company's association rows from the table.
            let sql = match c {
                Db::Sqlite(_) => "ANALYZE;",
                Db::Pg(_) => "VACUUM ANALYZE;",
            };
            c.batch_execute(sql).map_err(port_error)
        })
        .await?;
    Ok(Seeded {
        agent: agent.id,
        companies,
        contacts,
    })
}

/// The stage ids and the agent the SQL writes.
#[derive(Debug, Clone, Copy)]
struct Stages {
    new: i64,
    progress: i64,
    closed: i64,
    agent: i64,
}

#[allow(clippy::too_many_arguments)]
fn batch_sql(
    backend: Backend,
    p: &SeedPlan,
    base: i64,
    from: u64,
    to: u64,
    first_company: i64,
    first_contact: i64,
    stages: Stages,
    inbox: i64,
) -> String {
    let seq = match backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(x) AS (SELECT {from} UNION ALL SELECT x + 1 FROM seq WHERE x < {to}) "
        ),
        Backend::Postgres => String::new(),
    };
    let from_seq = match backend {
        Backend::Sqlite => "FROM seq".to_string(),
        Backend::Postgres => {
            format!("FROM generate_series({from}::bigint, {to}::bigint) AS seq(x)")
        }
    };
    let (cs, cpc, start) = (p.companies as i64, p.contacts_per_company as i64, p.start.0);
    let Stages {
        new,
        progress,
        closed,
        agent,
    } = stages;
    let id = format!("({base} + x)");
    let company = format!("({first_company} + x % {cs})");
    // `y`: the ticket's place among its company's tickets.
    let y = format!("(x / {cs})");
    let (contact, stage, status, owner) = match p.shape {
        Shape::Spread => (
            format!("({first_contact} + (x % {cs}) * {cpc} + {y} % {cpc})"),
            format!("CASE WHEN {y} % 5 = 0 THEN {closed} ELSE {new} END"),
            format!("CASE WHEN {y} % 5 = 0 THEN 'closed' ELSE 'open' END"),
            "NULL".to_string(),
        ),
        Shape::Company => {
            let rest = (cpc - 1).max(1);
            let step = format!("(({y} / 5) % 10)");
            (
                format!(
                    "({first_contact} + (x % {cs}) * {cpc} + CASE WHEN {y} % 5 = 0 THEN 0 ELSE 1 + ({y} / 5) % {rest} END)"
                ),
                format!(
                    "CASE WHEN {step} = 0 THEN {new} WHEN {step} < 3 THEN {progress} ELSE {closed} END"
                ),
                format!("CASE WHEN {step} < 3 THEN 'open' ELSE 'closed' END"),
                format!("CASE WHEN {step} = 0 THEN NULL ELSE {agent} END"),
            )
        }
    };
    // A participant (C1) on every fourth ticket of each company with collaboration: the
    // contact of the next company in the ticket's place; 0 (no contact) otherwise.
    let participant = if p.collaboration && cs > 1 {
        format!(
            "CASE WHEN {y} % 4 = 0 THEN {first_contact} + ((x + 1) % {cs}) * {cpc} + {y} % {cpc} ELSE 0 END"
        )
    } else {
        "0".to_string()
    };
    let contact_ids = format!(
        "'[' || {contact} || CASE WHEN {participant} > 0 THEN ',' || ({participant}) ELSE '' END || ']'"
    );
    let created = format!("({start} + x * 60000)");
    let activity = format!("({start} + x * 60000 + (x % 7) * 3600000)");
    let w1 = word_case("x");
    let w2 = word_case("x / 8");
    let priority = "CASE x % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'normal' ELSE 'low' END";
    let mut sql = String::new();
    sql.push_str("BEGIN;\n");
    sql.push_str(&format!(
        "{seq}INSERT INTO tickets (id, subject, pipeline_id, stage_id, status, owner_id, inbox_id, requester_id, \
         contact_ids, company_ids, properties, created_at, last_activity_at, search_doc) \
         SELECT {id}, 'Ticket ' || x || ' ' || ({w1}) || ' ' || ({w2}), 1, \
         {stage}, {status}, {owner}, {inbox}, {contact}, {contact_ids}, '[' || {company} || ']', \
         '{{\"priority\":{{\"kind\":\"text\",\"value\":\"' || ({priority}) || '\"}}}}', {created}, {activity}, \
         'ticket ' || x || ' ' || ({w1}) || ' ' || ({w2}) || ' hello the is broken thank you we are looking into' \
         {from_seq};\n"
    ));
    sql.push_str(&format!(
        "{seq}INSERT INTO ticket_contacts (contact_id, ticket_id, last_activity_at, status, created_at, requester_id) SELECT {contact}, {id}, {activity}, {status}, {created}, {contact} {from_seq};\n"
    ));
    if participant != "0" {
        sql.push_str(&format!(
            "{seq}INSERT INTO ticket_contacts (contact_id, ticket_id, last_activity_at, status, created_at, requester_id) SELECT {participant}, {id}, {activity}, {status}, {created}, {contact} {from_seq} WHERE {participant} > 0;\n"
        ));
    }
    sql.push_str(&format!(
        "{seq}INSERT INTO ticket_companies (company_id, ticket_id, last_activity_at, status, created_at, requester_id) SELECT {company}, {id}, {activity}, {status}, {created}, {contact} {from_seq};\n"
    ));
    sql.push_str(&format!(
        "{seq}INSERT INTO ticket_props (ticket_id, name, kind, text_value, num_value) SELECT {id}, 'priority', 'text', {priority}, NULL {from_seq};\n"
    ));
    sql.push_str(&format!(
        "{seq}INSERT INTO threads (id, ticket_id, inbox_id, created_at) SELECT {id}, {id}, {inbox}, {created} {from_seq};\n"
    ));
    let (t, f) = match backend {
        Backend::Sqlite => ("1", "0"),
        Backend::Postgres => ("TRUE", "FALSE"),
    };
    sql.push_str(&format!(
        "{seq}INSERT INTO messages (id, thread_id, author_kind, author_id, public, body, created_at) \
         SELECT 3 * {id} - 2, {id}, 'contact', {contact}, {t}, '<p>Hello, the ' || ({w2}) || ' is broken.</p>', {created} {from_seq};\n"
    ));
    sql.push_str(&format!(
        "{seq}INSERT INTO messages (id, thread_id, author_kind, author_id, public, body, created_at) \
         SELECT 3 * {id} - 1, {id}, 'agent', {agent}, {t}, '<p>Thank you, we are looking into the ' || ({w2}) || '.</p>', {created} + 1800000 {from_seq};\n"
    ));
    sql.push_str(&format!(
        "{seq}INSERT INTO messages (id, thread_id, author_kind, author_id, public, body, created_at) \
         SELECT 3 * {id}, {id}, 'system', NULL, {f}, 'internal: check the contract', {activity} {from_seq};\n"
    ));
    if backend == Backend::Sqlite {
        sql.push_str(&format!(
            "INSERT INTO ticket_fts (rowid, doc) SELECT id, search_doc FROM tickets WHERE id BETWEEN {} AND {};\n",
            base + from as i64,
            base + to as i64
        ));
    }
    sql.push_str("COMMIT;\n");
    if backend == Backend::Postgres {
        // Identity columns continue after the explicit ids.
        for t in ["tickets", "threads", "messages"] {
            sql.push_str(&format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}));\n"
            ));
        }
    }
    sql
}
