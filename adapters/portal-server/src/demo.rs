//! The demo world written on first start: two companies, contacts with and without
//! company access, two pipelines, a few hundred tickets with threads, internal notes and
//! attachments, and portal logins. Written through the ports, like real data.

use std::collections::{BTreeMap, BTreeSet};

use portal_core::access::AccessSettings;
use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef};
use portal_core::settings::{Column, FormField, PortalSettings, SupportForm, default_columns};
use portal_core::visibility::{CompanyAccess, VisibilitySettings};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "portal-demo-2026";

/// The demo logins.
pub const LOGINS: [&str; 3] = [
    "anna@acme.example",
    "ben@acme.example",
    "carla@globex.example",
];

/// The demo's staff logins (at `/admin`).
pub const STAFF_LOGINS: [&str; 2] = ["sam@support.example", "kim@support.example"];

/// What the demo wrote.
#[derive(Debug, Clone)]
pub struct DemoWorld {
    /// Logins with what each shows.
    pub logins: Vec<(String, &'static str)>,
    /// Staff logins at `/admin` with what each may do.
    pub staff: Vec<(String, &'static str)>,
    /// Tickets written.
    pub tickets: usize,
}

fn err(e: impl std::fmt::Display) -> String {
    format!("demo: {e}")
}

/// Whether the database holds nothing yet (no settings saved, no pipelines).
pub async fn is_empty(p: &Ports) -> Result<bool, String> {
    Ok(p.settings.load().await.map_err(err)?.version == 0
        && p.catalog.pipelines().await.map_err(err)?.is_empty())
}

const SUBJECTS: [&str; 16] = [
    "Printer on the 3rd floor shows error E-52",
    "Invoice 2026-{n} has the wrong VAT rate",
    "Cannot log in to the VPN since the update",
    "Laptop battery drains in two hours",
    "Request: new licence for the design team",
    "Backup job failed last night",
    "Email to external partners bounces",
    "Order {n} arrived damaged",
    "Please change our billing address",
    "Wi-Fi drops in meeting room B",
    "Export to Excel cuts off long names",
    "Two-factor codes arrive late",
    "Return of 4 monitors (order {n})",
    "Shared calendar not syncing on phones",
    "Password reset link expired",
    "Question about the maintenance window",
];

const REPLIES: [&str; 5] = [
    "Thanks for reporting this. We are looking into it and will get back to you today.",
    "Could you send us a **screenshot** of the message and the time it happened?",
    "We pushed a fix. Please try again and let us know whether it works now.",
    "The replacement is on its way; you will get a tracking number by email.",
    "We have scheduled a technician for *tomorrow morning*.",
];

/// Writes the demo world into an empty database.
pub async fn write(p: &Ports) -> Result<DemoWorld, String> {
    let c = &p.catalog;
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
                stage("Waiting on you", false),
                stage("Closed", true),
            ],
        )
        .await
        .map_err(err)?;
    let returns = c
        .create_pipeline(
            "Returns",
            vec![
                stage("Requested", false),
                stage("Approved", false),
                stage("Refunded", true),
                stage("Rejected", true),
            ],
        )
        .await
        .map_err(err)?;
    let inbox = c.create_inbox("Support", support.id).await.map_err(err)?;
    c.create_inbox("Returns desk", returns.id)
        .await
        .map_err(err)?;
    let sam = c
        .create_agent(Agent {
            id: AgentId(0),
            first_name: "Sam".into(),
            last_name: "Jensen".into(),
            alias: Some("Sunny".into()),
            email: "sam@support.example".into(),
        })
        .await
        .map_err(err)?;
    let kim = c
        .create_agent(Agent {
            id: AgentId(0),
            first_name: "Kim".into(),
            last_name: "de Vries".into(),
            alias: None,
            email: "kim@support.example".into(),
        })
        .await
        .map_err(err)?;
    // Staff logins: Sam holds the portal-settings permission, Kim answers tickets.
    let staff_hash = p.hasher.hash(DEMO_PASSWORD).await.map_err(err)?;
    p.staff
        .set_staff_login(sam.id, StaffRole::Admin, &staff_hash, true)
        .await
        .map_err(err)?;
    p.staff
        .set_staff_login(kim.id, StaffRole::Agent, &staff_hash, true)
        .await
        .map_err(err)?;
    c.define_property(
        ObjectKind::Ticket,
        PropertyDef {
            options: vec!["low".into(), "normal".into(), "high".into()],
            ..PropertyDef::custom("priority", "Priority", ValueKind::Text)
        },
    )
    .await
    .map_err(err)?;
    c.define_property(
        ObjectKind::Contact,
        PropertyDef::custom("portal_role", "Portal role", ValueKind::Text),
    )
    .await
    .map_err(err)?;
    c.create_domain("localhost", "en").await.map_err(err)?;

    let d = &p.directory;
    let acme = d
        .create_company("Acme Corporation", Some("acme.example"))
        .await
        .map_err(err)?;
    let globex = d
        .create_company("Globex", Some("globex.example"))
        .await
        .map_err(err)?;
    let person = |email: &str,
                  first: &str,
                  last: &str,
                  company: CompanyId,
                  role: &str,
                  lang: Option<&str>| NewContact {
        email: email.into(),
        membership_email: None,
        first_name: first.into(),
        last_name: last.into(),
        primary_company: Some(company),
        language: lang.map(Into::into),
        properties: BTreeMap::from([("portal_role".into(), Value::text(role))]),
    };
    let anna = d
        .create_contact(person(
            "anna@acme.example",
            "Anna",
            "Berg",
            acme.id,
            "admin",
            None,
        ))
        .await
        .map_err(err)?;
    let ben = d
        .create_contact(person(
            "ben@acme.example",
            "Ben",
            "Olsen",
            acme.id,
            "member",
            None,
        ))
        .await
        .map_err(err)?;
    let carla = d
        .create_contact(person(
            "carla@globex.example",
            "Carla",
            "Virtanen",
            globex.id,
            "admin",
            Some("fi"),
        ))
        .await
        .map_err(err)?;
    let customers = d.create_list("Portal customers").await.map_err(err)?;
    for who in [&anna, &ben, &carla] {
        d.add_member(customers.id, who.id).await.map_err(err)?;
        let now = p.clock.now();
        p.accounts
            .create(Account {
                id: AccountId(0),
                contact: who.id,
                email: who.email.clone(),
                password_hash: Some(p.hasher.hash(DEMO_PASSWORD).await.map_err(err)?),
                enabled: true,
                email_confirmed: true,
                language: who.language.clone(),
                time_zone: None,
                consent: None,
                created_at: now,
            })
            .await
            .map_err(err)?;
    }
    // Anna and Carla are their companies' portal admins (C4, C5): the access log and what
    // colleagues may do, from their account pages.
    for (company, admin) in [(acme.id, anna.id), (globex.id, carla.id)] {
        p.access_log
            .set_admin(company, admin, true)
            .await
            .map_err(err)?;
    }

    let mut columns = default_columns();
    columns.push(Column::of("priority"));
    let settings = PortalSettings {
        enabled: true,
        name: "Acme Support".into(),
        // The demo runs on whatever address it is started at: no domain is chosen (P2), so
        // mails link to the instance's base address; the domain is there to be picked.
        domain: None,
        default_inbox: Some(inbox.id),
        columns,
        visibility: VisibilitySettings {
            company_access: CompanyAccess::Filtered(Filter::all_of(vec![Criterion::new(
                "portal_role",
                Operator::Equals(Value::text("admin")),
            )])),
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        },
        actions: portal_core::actions::ActionSettings {
            reply_when_closed: false,
            allow_close: true,
            close_stages: BTreeMap::from([(returns.id, returns.stages[2].id)]),
            customers_add_ccs: true,
            ccs_same_company: false,
            private_by_default: false,
            customers_choose_privacy: true,
        },
        // Access-group members log in; anyone else may register (and confirm by email).
        access: AccessSettings {
            access_groups: BTreeSet::from([customers.id]),
            self_registration: true,
            ..AccessSettings::default()
        },
        support_form: SupportForm {
            fields: vec![FormField {
                property: "priority".into(),
                label: None,
                required: false,
            }],
            ..SupportForm::default()
        },
        ..PortalSettings::default()
    };
    p.settings.save(&settings).await.map_err(err)?;

    let start = p.clock.now().plus_seconds(-3600 * 24 * 60);
    let blob_log = p
        .blobs
        .put(b"2026-11-20 08:14:02 ERROR spooler: E-52 fuser temperature\n".to_vec())
        .await
        .map_err(err)?;
    let blob_png = p
        .blobs
        .put(b"\x89PNG\r\n\x1a\n demo screenshot".to_vec())
        .await
        .map_err(err)?;
    let total = 300;
    for i in 0..total {
        let (company, requester) = match i % 10 {
            0 | 1 => (globex.id, carla.id),
            2..=5 => (acme.id, anna.id),
            _ => (acme.id, ben.id),
        };
        let pipeline = if i % 5 == 4 { &returns } else { &support };
        let st = &pipeline.stages[(i * 7 / 3) % pipeline.stages.len()];
        let subject = SUBJECTS[i % SUBJECTS.len()].replace("{n}", &format!("{}", 4100 + i));
        let created = start.plus_seconds((i as i64) * 4 * 3600);
        let mut first = NewMessageBody {
            author: Author::Contact(requester),
            visibility: MessageVisibility::Public,
            body: format!(
                "<p>Hello,</p><p>{subject}. It started this morning; ticket number {i} in our records.</p>"
            ),
            attachments: Vec::new(),
            mail_in: None,
            // Tickets arrive the ways a support team sees them arrive.
            channel: match i % 6 {
                1 | 4 => Channel::Email,
                5 => Channel::Api,
                _ => Channel::Portal,
            },
        };
        if i % 10 == 3 {
            first.attachments.push(NewAttachment {
                file_name: "spooler.log".into(),
                content_type: "text/plain; charset=utf-8".into(),
                size: 58,
                blob_key: blob_log.clone(),
            });
            first.attachments.push(NewAttachment {
                file_name: "screenshot.png".into(),
                content_type: "image/png".into(),
                size: 24,
                blob_key: blob_png.clone(),
            });
        }
        let ticket = p
            .tickets
            .create(NewTicket {
                subject,
                pipeline: pipeline.id,
                stage: st.id,
                status: if st.closed {
                    TicketStatus::Closed
                } else {
                    TicketStatus::Open
                },
                inbox: Some(inbox.id),
                requester: Some(requester),
                contacts: BTreeSet::from([requester]),
                companies: BTreeSet::from([company]),
                private: false,
                properties: BTreeMap::from([(
                    "priority".into(),
                    Value::text(["low", "normal", "high"][i % 3]),
                )]),
                owner: (i % 4 != 0).then_some(if i % 2 == 0 { sam.id } else { kim.id }),
                created_at: created,
                first_message: Some(first),
            })
            .await
            .map_err(err)?;
        let thread = p.tickets.threads(ticket.id).await.map_err(err)?[0].id;
        let mut at = created;
        let mut say = |author, visibility, body: String| {
            at = at.plus_seconds(1800);
            NewMessage {
                mails: Vec::new(),
                ticket: ticket.id,
                thread: ThreadTarget::Existing(thread),
                content: NewMessageBody {
                    author,
                    visibility,
                    body,
                    attachments: vec![],
                    mail_in: None,
                    channel: match author {
                        Author::Agent(_) => Channel::Inbox,
                        _ => Channel::Portal,
                    },
                },
                at,
            }
        };
        if i % 3 == 0 {
            let m = say(
                Author::Agent(sam.id),
                MessageVisibility::Internal,
                "<p>Internal: customer is on the premium plan, escalate if needed.</p>".into(),
            );
            p.tickets.add_message(m).await.map_err(err)?;
        }
        if i % 2 == 0 {
            let m = say(
                Author::Agent(kim.id),
                MessageVisibility::Public,
                format!(
                    "<p>{}</p>",
                    REPLIES[i % REPLIES.len()]
                        .replace("**", "")
                        .replace('*', "")
                ),
            );
            p.tickets.add_message(m).await.map_err(err)?;
        }
    }
    Ok(DemoWorld {
        logins: vec![
            (
                "anna@acme.example".into(),
                "Acme admin: sees all Acme tickets (organization view); Acme's access log from the account page",
            ),
            (
                "ben@acme.example".into(),
                "Acme member: sees only his own tickets",
            ),
            (
                "carla@globex.example".into(),
                "Globex admin and its access log, Finnish by default",
            ),
        ],
        staff: vec![
            (
                "sam@support.example".into(),
                "staff admin (inbox, explain access, settings)",
            ),
            (
                "kim@support.example".into(),
                "staff agent (inbox, explain access)",
            ),
        ],
        tickets: total,
    })
}
