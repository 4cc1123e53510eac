//! The bulk seeder writes worlds the rest of the code agrees with: the search documents are
//! the core's, and the SQL answers equal the core's reference over the seeded tickets.

use portal_core::filter::{Criterion, Operator};
use portal_core::model::{TicketStatus, Value};
use portal_core::ports::{Directory, TicketRepository};
use portal_core::query::{Direction, Sort, TicketQuery, reference_page, searchable_text};
use portal_core::visibility::{CompanyAccess, Scope, View, VisibilitySettings};
use portal_store::repo_support::search_doc;
use portal_store::seed::{SeedPlan, Shape, seed};

use crate::harness::{backends, fresh};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_worlds_agree_with_the_core() {
    for (backend, shape) in backends()
        .into_iter()
        .flat_map(|b| [(b, Shape::Spread), (b, Shape::Company)])
    {
        let db = fresh(backend).await;
        let plan = SeedPlan {
            batch: 700,
            ..match shape {
                Shape::Spread => SeedPlan::new(2_000),
                Shape::Company => SeedPlan::company(2_000),
            }
        };
        let mut batches = 0;
        let seeded = seed(&db.store, &plan, |_| batches += 1).await.unwrap();
        assert_eq!(batches, 3);
        let s = &db.store;
        let mut all = Vec::new();
        for id in 1..=2_000 {
            let t = s
                .get(portal_core::model::TicketId(id))
                .await
                .unwrap()
                .unwrap();
            let threads = s.threads(t.id).await.unwrap();
            assert_eq!(threads.len(), 1);
            assert_eq!(threads[0].messages.len(), 3);
            let text = searchable_text(&t, &threads);
            all.push((t, text));
        }
        // The stored search document is the core's normalised text (spot check).
        let docs: Vec<String> = all.iter().take(5).map(|(_, x)| search_doc(x)).collect();
        assert!(docs[0].starts_with("ticket 1 "), "{}", docs[0]);
        let viewer = s.contact(seeded.contacts[0][0]).await.unwrap().unwrap();
        let settings = VisibilitySettings {
            company_access: CompanyAccess::AllContacts,
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        };
        for view in [View::Organization, View::Mine] {
            let scope = Scope::for_viewer(&settings, &viewer, view);
            for q in [
                TicketQuery::default(),
                TicketQuery {
                    search: Some("printer brok".into()),
                    ..TicketQuery::default()
                },
                TicketQuery {
                    search: Some("contract".into()),
                    ..TicketQuery::default()
                },
                TicketQuery {
                    sort: Sort {
                        property: "priority".into(),
                        direction: Direction::Asc,
                    },
                    ..TicketQuery::default()
                },
                TicketQuery {
                    status: Some(TicketStatus::Open),
                    ..TicketQuery::default()
                },
                TicketQuery {
                    status: Some(TicketStatus::Open),
                    search: Some("printer".into()),
                    ..TicketQuery::default()
                },
                TicketQuery {
                    status: Some(TicketStatus::Open),
                    filters: vec![Criterion::new(
                        "priority",
                        Operator::Equals(Value::text("high")),
                    )],
                    ..TicketQuery::default()
                },
                TicketQuery {
                    sort: Sort {
                        property: "created_at".into(),
                        direction: Direction::Asc,
                    },
                    ..TicketQuery::default()
                },
                TicketQuery {
                    status: Some(TicketStatus::Closed),
                    sort: Sort {
                        property: "created_at".into(),
                        direction: Direction::Desc,
                    },
                    ..TicketQuery::default()
                },
            ] {
                let got = s.list(&scope, &q).await.unwrap();
                let want = reference_page(&scope, &q, all.iter().map(|(t, x)| (t, x.as_str())));
                assert_eq!(got, want, "{backend:?} {shape:?} {view:?} {q:?}");
                // The next page too: the cursor walks the same index.
                if let Some(next) = &got.next {
                    let q2 = TicketQuery {
                        after: Some(next.clone()),
                        ..q.clone()
                    };
                    let got2 = s.list(&scope, &q2).await.unwrap();
                    let want2 =
                        reference_page(&scope, &q2, all.iter().map(|(t, x)| (t, x.as_str())));
                    assert_eq!(got2, want2, "{backend:?} {shape:?} {view:?} {q2:?}");
                }
                assert_eq!(
                    s.count(&scope, &q).await.unwrap(),
                    all.iter()
                        .filter(|(t, x)| scope.admits(t) && q.matches(t, x))
                        .count() as u64
                );
            }
        }
        // The internal note's words are never found.
        let org = Scope::for_viewer(&settings, &viewer, View::Organization);
        let internal = TicketQuery {
            search: Some("contract".into()),
            ..TicketQuery::default()
        };
        assert_eq!(s.count(&org, &internal).await.unwrap(), 0);
    }
}
