//! The exhaustive policy table: every kind of viewer × every relation to a ticket × ticket
//! state × permission mode × action, decided by the real use cases over in-memory ports,
//! printed as a ✔/✘ table and compared with the committed `policy_table.txt`.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite the file after a deliberate rule change, then review the
//! diff. `every_combination_is_covered` fails when a variant is added to one of the
//! dimensions without being listed in its `ALL`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use portal_core::Error;
use portal_core::access::AccessSettings;
use portal_core::filter::{Criterion, Filter, Operator};
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::query::TicketQuery;
use portal_core::settings::PortalSettings;
use portal_core::usecases::portal::{PortalTickets, ReplyInput};
use portal_core::visibility::{CompanyAccess, View, VisibilitySettings};
use portal_testkit::block_on;
use portal_testkit::fixtures::{T0, body};
use portal_testkit::memory::memory_ports;

macro_rules! dimension {
    ($name:ident { $($variant:ident => $label:literal),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum $name { $($variant),* }
        impl $name {
            const ALL: &'static [$name] = &[$($name::$variant),*];
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
            /// Exhaustive: a new variant must be given a position here.
            fn index(self) -> usize {
                Self::ALL.iter().position(|x| *x == self).unwrap_or(usize::MAX)
            }
        }
    };
}

dimension!(Viewer {
    CompanyMatching => "contact, company, meets V3 filter",
    CompanyAdmin => "company's portal admin, meets V3 filter",
    GlobexAdmin => "in Globex too, Globex's portal admin only, meets V3 filter",
    CompanyNotMatching => "contact, company, fails V3 filter",
    NoCompany => "contact without company",
});

dimension!(Relation {
    Own => "own",
    OwnCompany => "own company's",
    OwnAndCompany => "own + own company's",
    OtherCompany => "other company's",
    Coworker => "a coworker's, no company",
    OwnHiddenByV5 => "own, V5 excludes",
    CompanyHiddenByV5 => "own company's, V5 excludes",
    CcOnOtherCompany => "CC'd on another company's",
    FormerCc => "taken off another company's",
    FormerRequester => "own company's, handed to a coworker",
    CoworkerPrivate => "a coworker's private, own company's",
    OwnPrivate => "own private + own company's",
    SecondCompany => "second company's (viewer also in Globex)",
});

dimension!(State {
    Open => "open",
    Closed => "closed",
});

dimension!(Access {
    OwnOnly => "own only",
    Company => "company",
    CompanySeeOnly => "company, see only",
    Filtered => "filtered company",
});

dimension!(Action {
    ListOrganization => "list org",
    ListMine => "list mine",
    ListShared => "list shared",
    Search => "search",
    Export => "export",
    View => "view",
    DownloadPublic => "download",
    DownloadInternal => "dl internal",
    Reply => "reply",
    Close => "close",
    NamedInFilter => "named",
    ToldOfReply => "told",
    AddColleague => "add colleague",
    AddOutsider => "add outsider",
    Leave => "leave",
    HandOver => "hand over",
    TogglePrivate => "make private/shared",
    InAccessLog => "coworker's view logged",
});

#[derive(Debug, Clone, Copy)]
struct Mode {
    access: Access,
    reply_when_closed: bool,
    allow_close: bool,
}

fn modes() -> Vec<Mode> {
    let mut out = Vec::new();
    for access in Access::ALL {
        for reply_when_closed in [false, true] {
            for allow_close in [false, true] {
                out.push(Mode {
                    access: *access,
                    reply_when_closed,
                    allow_close,
                });
            }
        }
    }
    out
}

fn new_contact(email: &str, company: Option<CompanyId>, tier: &str) -> NewContact {
    NewContact {
        email: email.into(),
        membership_email: None,
        first_name: "Pat".into(),
        last_name: "Doe".into(),
        primary_company: company,
        language: None,
        properties: BTreeMap::from([("tier".into(), Value::text(tier))]),
    }
}

/// Decides every action for one combination through the use cases.
fn decide(viewer: Viewer, relation: Relation, state: State, mode: Mode) -> Vec<bool> {
    block_on(async {
        let t = memory_ports(T0);
        let p = &t.ports;
        let acme = p.directory.create_company("Acme", None).await.unwrap();
        let globex = p.directory.create_company("Globex", None).await.unwrap();
        let (company, tier) = match viewer {
            Viewer::CompanyMatching | Viewer::CompanyAdmin | Viewer::GlobexAdmin => {
                (Some(acme.id), "gold")
            }
            Viewer::CompanyNotMatching => (Some(acme.id), "silver"),
            Viewer::NoCompany => (None, "gold"),
        };
        let mut me = p
            .directory
            .create_contact(new_contact("me@x.test", company, tier))
            .await
            .unwrap();
        if relation == Relation::SecondCompany || viewer == Viewer::GlobexAdmin {
            // A member of Globex besides its primary company (C2).
            me.memberships = vec![Membership::of(globex.id)];
            p.directory.update_contact(&me).await.unwrap();
        }
        let coworker = p
            .directory
            .create_contact(new_contact("co@x.test", Some(acme.id), "gold"))
            .await
            .unwrap();
        let stranger = p
            .directory
            .create_contact(new_contact("st@x.test", Some(globex.id), "gold"))
            .await
            .unwrap();
        p.directory
            .create_contact(new_contact("out@x.test", Some(globex.id), "gold"))
            .await
            .unwrap();
        let pipeline = p
            .catalog
            .create_pipeline(
                "Support",
                vec![
                    NewStage {
                        label: "New".into(),
                        closed: false,
                    },
                    NewStage {
                        label: "Closed".into(),
                        closed: true,
                    },
                ],
            )
            .await
            .unwrap();
        let inbox = p.catalog.create_inbox("Inbox", pipeline.id).await.unwrap();
        let settings = PortalSettings {
            enabled: true,
            default_inbox: Some(inbox.id),
            visibility: VisibilitySettings {
                company_access: match mode.access {
                    Access::OwnOnly => CompanyAccess::OwnOnly,
                    Access::Company | Access::CompanySeeOnly => CompanyAccess::AllContacts,
                    Access::Filtered => {
                        CompanyAccess::Filtered(Filter::all_of(vec![Criterion::new(
                            "tier",
                            Operator::Equals(Value::text("gold")),
                        )]))
                    }
                },
                ticket_filter: Some(Filter::all_of(vec![Criterion::new(
                    "priority",
                    Operator::IsNoneOf(vec![Value::text("hidden")]),
                )])),
                // "See only": the company's tickets are read, not answered or closed (C5).
                company_reply: (mode.access == Access::CompanySeeOnly)
                    .then_some(CompanyAccess::OwnOnly),
                company_close: (mode.access == Access::CompanySeeOnly)
                    .then_some(CompanyAccess::OwnOnly),
            },
            actions: portal_core::actions::ActionSettings {
                reply_when_closed: mode.reply_when_closed,
                allow_close: mode.allow_close,
                close_stages: BTreeMap::new(),
                customers_add_ccs: true,
                ccs_same_company: true,
                private_by_default: false,
                customers_choose_privacy: true,
            },
            access: AccessSettings {
                self_registration: true,
                ..AccessSettings::default()
            },
            ..PortalSettings::default()
        };
        let (contacts, companies, hidden): (Vec<ContactId>, Vec<CompanyId>, bool) = match relation {
            Relation::Own => (vec![me.id], vec![], false),
            Relation::OwnCompany => (vec![coworker.id], vec![acme.id], false),
            Relation::OwnAndCompany => (vec![me.id], vec![acme.id], false),
            Relation::OtherCompany => (vec![stranger.id], vec![globex.id], false),
            Relation::Coworker => (vec![coworker.id], vec![], false),
            Relation::OwnHiddenByV5 => (vec![me.id], vec![], true),
            Relation::CompanyHiddenByV5 => (vec![coworker.id], vec![acme.id], true),
            Relation::FormerRequester | Relation::OwnPrivate => (vec![me.id], vec![acme.id], false),
            Relation::CoworkerPrivate => (vec![coworker.id], vec![acme.id], false),
            Relation::SecondCompany => (vec![stranger.id], vec![globex.id], false),
            Relation::CcOnOtherCompany | Relation::FormerCc => {
                (vec![stranger.id, me.id], vec![globex.id], false)
            }
        };
        let stage = &pipeline.stages[if state == State::Closed { 1 } else { 0 }];
        let blob = p.blobs.put(b"file".to_vec()).await.unwrap();
        let attach = |name: &str| NewAttachment {
            file_name: name.into(),
            content_type: "text/plain".into(),
            size: 4,
            blob_key: blob.clone(),
        };
        let mut first = body(
            Author::Contact(contacts[0]),
            MessageVisibility::Public,
            "zebra crossing",
        );
        first.attachments.push(attach("public.txt"));
        let ticket = p
            .tickets
            .create(NewTicket {
                subject: "Zebra ticket".into(),
                pipeline: pipeline.id,
                stage: stage.id,
                status: if stage.closed {
                    TicketStatus::Closed
                } else {
                    TicketStatus::Open
                },
                inbox: Some(inbox.id),
                requester: Some(contacts[0]),
                contacts: contacts.iter().copied().collect::<BTreeSet<_>>(),
                companies: companies.into_iter().collect::<BTreeSet<_>>(),
                private: matches!(relation, Relation::CoworkerPrivate | Relation::OwnPrivate),
                properties: if hidden {
                    BTreeMap::from([("priority".into(), Value::text("hidden"))])
                } else {
                    BTreeMap::new()
                },
                owner: None,
                created_at: T0,
                first_message: Some(first),
            })
            .await
            .unwrap();
        let thread = p.tickets.threads(ticket.id).await.unwrap()[0].id;
        let mut note = body(
            Author::Agent(AgentId(1)),
            MessageVisibility::Internal,
            "internal",
        );
        note.attachments.push(attach("internal.txt"));
        p.tickets
            .add_message(NewMessage {
                mails: Vec::new(),
                ticket: ticket.id,
                thread: ThreadTarget::Existing(thread),
                content: note,
                at: T0,
            })
            .await
            .unwrap();
        let threads = p.tickets.threads(ticket.id).await.unwrap();
        let public_att = threads[0].messages[0].attachments[0].id;
        let internal_att = threads[0].messages[1].attachments[0].id;

        let portal = PortalTickets::new(p.clone());
        match viewer {
            Viewer::CompanyAdmin => p.access_log.set_admin(acme.id, me.id, true).await.unwrap(),
            // C2 + C4: an admin of the second company is none of the first.
            Viewer::GlobexAdmin => p
                .access_log
                .set_admin(globex.id, me.id, true)
                .await
                .unwrap(),
            _ => {}
        }
        // C4: the coworker opens the ticket first, when they may (a refusal logs nothing).
        let _ = portal.detail(&settings, &coworker, ticket.id).await;
        if relation == Relation::FormerRequester {
            // Handed to the coworker, the viewer not staying on it.
            p.tickets
                .set_people(
                    ticket.id,
                    Some(coworker.id),
                    BTreeSet::from([coworker.id]),
                    T0,
                )
                .await
                .unwrap();
        }
        if relation == Relation::FormerCc {
            // The requester takes the viewer off through the use case.
            portal
                .remove_participant(&settings, &stranger, ticket.id, me.id)
                .await
                .unwrap();
        }
        let in_list = |q: TicketQuery| {
            let portal = portal.clone();
            let settings = settings.clone();
            let me = me.clone();
            async move {
                let list = portal.list(&settings, &me, &q).await.unwrap();
                list.page.tickets.iter().any(|x| x.id == ticket.id)
            }
        };
        let org = TicketQuery {
            view: View::Organization,
            ..TicketQuery::default()
        };
        let mine = TicketQuery {
            view: View::Mine,
            ..TicketQuery::default()
        };
        let search = TicketQuery {
            search: Some("zebra".into()),
            ..org.clone()
        };
        let mut exported = false;
        let mut export = portal.export(&settings, &me, &org).await.unwrap();
        while let Some(rows) = export.next_batch().await.unwrap() {
            exported |= rows.iter().any(|x| x.id == ticket.id);
        }
        let view = portal.detail(&settings, &me, ticket.id).await;
        let dl = portal.attachment(&settings, &me, public_att).await;
        let dl_internal = portal.attachment(&settings, &me, internal_att).await;
        let reply = portal
            .reply(
                &settings,
                &me,
                ticket.id,
                ReplyInput {
                    body_html: "<p>thanks</p>".into(),
                    attachments: vec![],
                },
            )
            .await;
        let close = portal.close(&settings, &me, ticket.id).await;

        // Names shown in filters: is the ticket's requester offered to the viewer in the
        // "Requested by" menu of the list (either view), with every contact a candidate?
        let candidates = vec![
            (me.id, "me".to_string()),
            (coworker.id, "coworker".to_string()),
            (stranger.id, "stranger".to_string()),
        ];
        // The requester now (a hand-over changed it for one relation).
        let requester = p.tickets.get(ticket.id).await.unwrap().unwrap().requester;
        let mut named = false;
        for q in [&org, &mine] {
            let list = portal.list(&settings, &me, q).await.unwrap();
            let menu = portal
                .requester_choices(&list.scope, &candidates)
                .await
                .unwrap();
            named |= menu.iter().any(|(id, _)| Some(*id) == requester);
            // Only names of requesters on tickets the same scope lists.
            for (id, _) in &menu {
                assert!(
                    list.page.tickets.iter().any(|t| t.requester == Some(*id)),
                    "a name offered without a ticket in scope"
                );
            }
        }

        // Notifications: a staff public reply mails the viewer only when they have a login
        // and the page it links to shows them the ticket.
        let agent = p
            .catalog
            .create_agent(Agent {
                id: AgentId(0),
                email: "agent@support.test".into(),
                first_name: "Sam".into(),
                last_name: "Agent".into(),
                alias: None,
            })
            .await
            .unwrap();
        p.accounts
            .create(Account {
                id: AccountId(0),
                contact: me.id,
                email: "me@x.test".into(),
                password_hash: None,
                enabled: true,
                email_confirmed: true,
                language: None,
                time_zone: None,
                consent: None,
                created_at: T0,
            })
            .await
            .unwrap();
        p.settings.save(&settings).await.unwrap();
        let inbox_cases = portal_core::usecases::inbox::StaffInbox::new(
            p.clone(),
            portal_core::actions::UploadLimits::default(),
        );
        let member = portal_core::usecases::inbox::StaffMember {
            agent,
            role: StaffRole::Agent,
        };
        inbox_cases
            .answer(
                &member,
                ticket.id,
                portal_core::usecases::inbox::AnswerInput {
                    body_html: "<p>news</p>".into(),
                    attachments: vec![],
                    internal: false,
                    new_conversation: false,
                    channel: portal_core::model::Channel::Api,
                },
                "https://help.x.test/portal",
            )
            .await
            .unwrap();
        let queued = p
            .outbox
            .claim(Timestamp(i64::MAX / 2), Timestamp(i64::MAX / 2), 100)
            .await
            .unwrap();
        let told = queued.iter().any(|m| m.mail.to == "me@x.test");
        // Whoever is told may open what the mail links to.
        assert!(
            !told || view.is_ok(),
            "told of a ticket the viewer cannot open"
        );

        // V7: whatever is refused for a hidden ticket is refused as "not found".
        let visible = view.is_ok();
        for (what, err) in [
            ("view", view.as_ref().err()),
            ("download", dl.as_ref().err()),
            ("internal download", dl_internal.as_ref().err()),
            ("reply", reply.as_ref().err()),
            ("close", close.as_ref().err()),
        ] {
            if let Some(e) = err {
                if !visible || what == "internal download" {
                    assert_eq!(
                        e,
                        &Error::NotFound,
                        "{what} of a hidden ticket must be NotFound"
                    );
                } else {
                    assert!(matches!(e, Error::ActionDenied(_)), "{what}: {e:?}");
                }
            }
        }
        if let Ok(d) = &view {
            assert!(
                d.thread
                    .as_ref()
                    .unwrap()
                    .messages
                    .iter()
                    .all(|m| m.visibility == MessageVisibility::Public)
            );
            assert_eq!(d.may_reply, reply.is_ok());
            assert_eq!(d.may_close, close.is_ok());
        }
        let shared = TicketQuery {
            view: View::Shared,
            ..TicketQuery::default()
        };
        let (listed_org, listed_mine, listed_shared, searched) = (
            in_list(org.clone()).await,
            in_list(mine).await,
            in_list(shared).await,
            in_list(search).await,
        );
        // C1, last (they change who is on the ticket): copy in a colleague, someone of
        // another company (refused: CCs are limited to the requester's company here), then
        // leave the ticket.
        let add_colleague = portal
            .add_participant(&settings, &me, ticket.id, "co@x.test")
            .await;
        let add_outsider = portal
            .add_participant(&settings, &me, ticket.id, "out@x.test")
            .await;
        let leave = portal
            .remove_participant(&settings, &me, ticket.id, me.id)
            .await;
        // C5, after the people changed: the viewer flips who sees the ticket.
        let toggle = match p.tickets.get(ticket.id).await.unwrap() {
            Some(now) => {
                portal
                    .set_private(&settings, &me, ticket.id, !now.private)
                    .await
            }
            None => Err(Error::NotFound),
        };
        let hand_over = portal
            .hand_over(
                &settings,
                &me,
                ticket.id,
                "co@x.test",
                true,
                "https://x.test/portal",
            )
            .await;
        for (what, r) in [
            ("add colleague", add_colleague.as_ref().err()),
            ("add outsider", add_outsider.as_ref().err()),
            ("leave", leave.as_ref().err()),
            ("hand over", hand_over.as_ref().err()),
            ("make private/shared", toggle.as_ref().err()),
        ] {
            if let Some(e) = r {
                // Having left, the viewer may no longer see the ticket at all.
                if (what == "hand over" || what == "make private/shared") && leave.is_ok() {
                    assert!(
                        matches!(e, Error::ActionDenied(_) | Error::NotFound),
                        "{what}: {e:?}"
                    );
                } else if visible {
                    assert!(matches!(e, Error::ActionDenied(_)), "{what}: {e:?}");
                } else {
                    assert_eq!(e, &Error::NotFound, "{what} of a hidden ticket");
                }
            }
        }
        // C4: the viewer's access log shows the coworker's view of this ticket.
        let in_log = match portal
            .access_log(
                &settings,
                &me,
                None,
                &portal_core::organisation::AccessLogQuery {
                    limit: 100,
                    contact: Some(coworker.id),
                    ..Default::default()
                },
            )
            .await
        {
            Ok(log) => log
                .entries
                .iter()
                .any(|e| e.event.ticket == Some(ticket.id)),
            Err(e) => {
                assert_eq!(e, Error::NotFound, "the log of a non-admin does not exist");
                false
            }
        };
        let decided = BTreeMap::from([
            (Action::ListOrganization.index(), listed_org),
            (Action::ListMine.index(), listed_mine),
            (Action::ListShared.index(), listed_shared),
            (Action::Search.index(), searched),
            (Action::Export.index(), exported),
            (Action::View.index(), visible),
            (Action::DownloadPublic.index(), dl.is_ok()),
            (Action::DownloadInternal.index(), dl_internal.is_ok()),
            (Action::Reply.index(), reply.is_ok()),
            (Action::Close.index(), close.is_ok()),
            (Action::NamedInFilter.index(), named),
            (Action::ToldOfReply.index(), told),
            (Action::AddColleague.index(), add_colleague.is_ok()),
            (Action::AddOutsider.index(), add_outsider.is_ok()),
            (Action::Leave.index(), leave.is_ok()),
            (Action::HandOver.index(), hand_over.is_ok()),
            (Action::TogglePrivate.index(), toggle.is_ok()),
            (Action::InAccessLog.index(), in_log),
        ]);
        assert_eq!(decided.len(), Action::ALL.len(), "every action decided");
        decided.into_values().collect()
    })
}

fn table() -> (String, usize) {
    let mut out = String::new();
    let headers: Vec<&str> = Action::ALL.iter().map(|a| a.label()).collect();
    writeln!(
        out,
        "# portal policy table: ✔ allowed, ✘ refused (V1–V7, T3–T5, C1); named: the requester is offered in the viewer's \"Requested by\" filter; told: a staff reply is mailed to the viewer; list shared: the \"Shared with me\" view (requested by someone else); add colleague / add outsider: the viewer copies in a contact of Acme / of Globex (customers may add CCs of their own company only); leave: the viewer takes themselves off; hand over: the viewer makes the coworker the requester, staying on it (C3); make private/shared: the viewer, after the changes before it, flips whether the ticket is private (C5; customers may choose); coworker's view logged: the coworker (of Acme) opened the ticket first, and the viewer's company access log shows it (C4; only a portal admin has a log, and reads it of the companies they administer); second company's: the viewer belongs to Globex too (C2); company, see only: company access without the rights to answer or close (C5)"
    )
    .unwrap();
    writeln!(
        out,
        "# viewer | ticket | state | access | reply closed | close || {}",
        headers.join(" | ")
    )
    .unwrap();
    let mut cells = 0;
    for viewer in Viewer::ALL {
        for relation in Relation::ALL {
            for state in State::ALL {
                for mode in modes() {
                    let row = decide(*viewer, *relation, *state, mode);
                    cells += row.len();
                    let marks: Vec<&str> =
                        row.iter().map(|ok| if *ok { "✔" } else { "✘" }).collect();
                    writeln!(
                        out,
                        "{} | {} | {} | {} | {} | {} || {}",
                        viewer.label(),
                        relation.label(),
                        state.label(),
                        mode.access.label(),
                        if mode.reply_when_closed { "on" } else { "off" },
                        if mode.allow_close { "on" } else { "off" },
                        marks.join(" ")
                    )
                    .unwrap();
                }
            }
        }
    }
    (out, cells)
}

#[test]
fn the_policy_table_matches_the_golden_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/policy_table.txt");
    let (got, cells) = table();
    assert_eq!(
        cells,
        Viewer::ALL.len()
            * Relation::ALL.len()
            * State::ALL.len()
            * modes().len()
            * Action::ALL.len()
    );
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap_or_default();
    if got != want {
        for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
            if g != w {
                panic!(
                    "policy table differs at line {}:\n  got:  {g}\n  want: {w}\n(UPDATE_GOLDEN=1 rewrites it)",
                    i + 1
                );
            }
        }
        panic!("policy table differs in length (UPDATE_GOLDEN=1 rewrites it)");
    }
}

#[test]
fn every_combination_is_covered() {
    // Each dimension's ALL lists every variant exactly once (an exhaustive match in `label`
    // forces new variants to be named; `index` finds each in ALL).
    fn check<T: Copy + PartialEq + std::fmt::Debug>(all: &[T], index: impl Fn(T) -> usize) {
        for (i, v) in all.iter().enumerate() {
            assert_eq!(index(*v), i, "{v:?} listed twice or missing");
        }
    }
    check(Viewer::ALL, Viewer::index);
    check(Relation::ALL, Relation::index);
    check(State::ALL, State::index);
    check(Access::ALL, Access::index);
    check(Action::ALL, Action::index);
    // Every golden row is one combination, and every combination has a row.
    let golden = include_str!("policy_table.txt");
    let rows = golden.lines().filter(|l| !l.starts_with('#')).count();
    assert_eq!(
        rows,
        Viewer::ALL.len() * Relation::ALL.len() * State::ALL.len() * modes().len()
    );
}
