//! portal-core embedded in another program, with no HTTP at all: the core wired to the
//! testkit's in-memory ports, walking a customer and a staff journey through the use cases
//! (docs/embedding.md). Run it with `cargo run -p portal-core --example embed`; it prints
//! each step and exits non-zero when a rule answers differently than described.
//!
//! A real embedding implements the ports (`portal_core::ports`) over its own storage, or
//! uses the `portal-store` adapter; the use cases are the same.

// An example tells its reader each step on standard output.
#![allow(clippy::print_stdout)]

use std::collections::BTreeSet;

use portal_core::Error;
use portal_core::access::AccessSettings;
use portal_core::actions::ActionSettings;
use portal_core::model::{AccountId, StaffRole, Timestamp};
use portal_core::ports::Account;
use portal_core::query::TicketQuery;
use portal_core::settings::PortalSettings;
use portal_core::usecases::accounts::Accounts;
use portal_core::usecases::inbox::{AnswerInput, StaffAuth, StaffInbox};
use portal_core::usecases::portal::{PortalTickets, ReplyInput};
use portal_core::usecases::throttle::{LoginTry, Throttle};
use portal_core::visibility::{CompanyAccess, VisibilitySettings};
use portal_testkit::fixtures::seed_world;
use portal_testkit::memory::memory_ports;

const PORTAL_URL: &str = "https://support.example.com/portal";

fn main() {
    if let Err(e) = portal_testkit::block_on(journey()) {
        eprintln!("the journey went wrong: {e}");
        std::process::exit(1);
    }
}

/// Fails with what was expected when a use case answers otherwise.
fn expect(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        println!("ok: {what}");
        Ok(())
    } else {
        Err(what.to_string())
    }
}

async fn journey() -> Result<(), String> {
    let fail = |e: Error| e.to_string();

    // The ports: in memory here; a service passes its own implementations.
    let t = memory_ports(Timestamp(1_796_000_000_000));
    let ports = t.ports.clone();
    let world = seed_world(&ports).await;

    // The settings an admin would choose: the portal on, every contact of a company sees
    // the company's tickets (V3), customers may close tickets (T5), only members of the
    // "Customers" list may log in (A1).
    let customers = ports
        .directory
        .create_list("Customers")
        .await
        .map_err(|e| e.to_string())?;
    for c in [&world.alice, &world.bob] {
        ports
            .directory
            .add_member(customers.id, c.id)
            .await
            .map_err(|e| e.to_string())?;
    }
    let settings = PortalSettings {
        enabled: true,
        default_inbox: Some(world.inbox),
        visibility: VisibilitySettings {
            company_access: CompanyAccess::AllContacts,
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        },
        actions: ActionSettings {
            allow_close: true,
            ..ActionSettings::default()
        },
        access: AccessSettings {
            access_groups: BTreeSet::from([customers.id]),
            ..AccessSettings::default()
        },
        ..PortalSettings::default()
    };
    let settings = ports
        .settings
        .save(&settings)
        .await
        .map_err(|e| e.to_string())?;

    // A login for Alice (an invitation would set it through `Accounts::accept_invitation`).
    ports
        .accounts
        .create(Account {
            id: AccountId(0),
            contact: world.alice.id,
            email: world.alice.email.clone(),
            password_hash: Some(
                ports
                    .hasher
                    .hash("correct horse")
                    .await
                    .map_err(|e| e.to_string())?,
            ),
            enabled: true,
            email_confirmed: true,
            language: None,
            time_zone: None,
            consent: None,
            created_at: Timestamp(0),
        })
        .await
        .map_err(|e| e.to_string())?;

    // The use cases: one value each, cheap to clone, over the same ports.
    let accounts = Accounts::new(ports.clone());
    let throttle = Throttle::new(ports.clone());
    let portal = PortalTickets::new(ports.clone());
    let staff = StaffAuth::new(ports.clone());
    let inbox = StaffInbox::new(ports.clone(), Default::default());

    // --- the customer: log in (through the throttle, as every adapter does), list, reply.
    let login = |password: &'static str| {
        let try_ = LoginTry {
            realm: "customer",
            email: "alice@acme.test",
            client: "198.51.100.7",
        };
        let accounts = accounts.clone();
        let throttle = throttle.clone();
        async move {
            throttle
                .guard(&try_, accounts.login("alice@acme.test", password))
                .await
        }
    };
    let (customer, session) = login("correct horse").await.map_err(fail)?;
    expect(customer.contact.id == world.alice.id, "Alice logs in")?;

    let list = portal
        .list(&settings, &customer.contact, &TicketQuery::default())
        .await
        .map_err(fail)?;
    expect(
        list.page.tickets.iter().any(|t| t.id == world.alice_ticket)
            && list.page.tickets.iter().any(|t| t.id == world.bob_ticket)
            && !list.page.tickets.iter().any(|t| t.id == world.other_ticket),
        "her list holds her company's tickets and no other company's (V3)",
    )?;
    expect(
        portal
            .detail(&settings, &customer.contact, world.other_ticket)
            .await
            .err()
            == Some(Error::NotFound),
        "another company's ticket is not found, not forbidden (V7)",
    )?;
    portal
        .reply(
            &settings,
            &customer.contact,
            world.alice_ticket,
            ReplyInput {
                body_html: "<p>Still broken after the update.</p>".into(),
                attachments: Vec::new(),
            },
        )
        .await
        .map_err(fail)?;
    println!("ok: Alice replies on her ticket");

    // --- the staff member: a login, the inbox, a public answer.
    staff
        .create_login(
            "sam@support.test",
            "Sam",
            "Support",
            "staff password 1",
            StaffRole::Agent,
        )
        .await
        .map_err(fail)?;
    let (member, _session) = staff
        .login("sam@support.test", "staff password 1")
        .await
        .map_err(fail)?;
    let (ticket, _) = inbox.ticket(world.alice_ticket).await.map_err(fail)?;
    expect(
        ticket.id == world.alice_ticket,
        "Sam opens Alice's ticket in the inbox",
    )?;
    inbox
        .answer(
            &member,
            world.alice_ticket,
            AnswerInput {
                body_html: "<p>Fixed in 2.4.1.</p>".into(),
                attachments: Vec::new(),
                internal: false,
                new_conversation: false,
                channel: portal_core::model::Channel::Inbox,
            },
            PORTAL_URL,
        )
        .await
        .map_err(fail)?;
    let detail = portal
        .detail(&settings, &customer.contact, world.alice_ticket)
        .await
        .map_err(fail)?;
    expect(
        detail
            .thread
            .iter()
            .flat_map(|t| &t.messages)
            .any(|m| m.body.contains("Fixed in 2.4.1")),
        "Alice sees Sam's answer",
    )?;

    // --- the customer closes the ticket (T5).
    portal
        .close(&settings, &customer.contact, world.alice_ticket)
        .await
        .map_err(fail)?;
    let detail = portal
        .detail(&settings, &customer.contact, world.alice_ticket)
        .await
        .map_err(fail)?;
    expect(detail.ticket.status.as_str() == "closed", "Alice closes it")?;

    // --- a throttled login: five wrong passwords, then even the right one waits (rule 4).
    for _ in 0..5 {
        let _ = login("wrong").await;
    }
    expect(
        matches!(login("correct horse").await, Err(Error::Throttled(_))),
        "after five failures the sixth try is throttled",
    )?;

    // --- a revoked access: Alice leaves the access group; her open session ends (A1).
    ports
        .directory
        .remove_member(customers.id, world.alice.id)
        .await
        .map_err(|e| e.to_string())?;
    expect(
        accounts
            .resume_customer(&session.token, &settings)
            .await
            .map_err(fail)?
            .is_none(),
        "removed from the access group, her session is refused at the next request",
    )?;
    println!("the journey is complete");
    Ok(())
}
