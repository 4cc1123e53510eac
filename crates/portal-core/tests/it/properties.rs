//! Named properties of the visibility rules and the filter language (V1–V6), checked on
//! random worlds. `PROPTEST_CASES` sets the case count (default 1,000 here).

use std::collections::BTreeSet;

use portal_core::filter::{Filter, Operator, parse_text, to_text};
use portal_core::model::*;
use portal_core::property::PropertySource;
use portal_core::query::{TicketQuery, reference_page};
use portal_core::visibility::*;
use portal_testkit::arb::{self, ArbWorld};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn seen(w: &ArbWorld, scope: &Scope) -> BTreeSet<TicketId> {
    w.tickets
        .iter()
        .filter(|t| scope.admits(t))
        .map(|t| t.id)
        .collect()
}

fn with_access(v: &VisibilitySettings, access: CompanyAccess) -> VisibilitySettings {
    VisibilitySettings {
        company_access: access,
        ..v.clone()
    }
}

/// A naive restatement of the filter semantics documented in `portal_core::filter`.
#[allow(clippy::manual_contains)]
/// A filter within what the text form can say: dates at midnight, texts trimmed,
/// non-empty (where a value is needed) and without commas.
fn writable(f: Filter) -> Filter {
    let v = |v: Value| match v {
        Value::Date(t) => Value::Date(Timestamp(t.0.div_euclid(86_400_000) * 86_400_000)),
        Value::Text(s) => {
            let s = s.replace(',', ";").trim().to_string();
            Value::Text(if s.is_empty() { "x".into() } else { s })
        }
        other => other,
    };
    let needle = |s: String| s.trim().to_string();
    Filter {
        groups: f
            .groups
            .into_iter()
            .map(|mut g| {
                for c in &mut g.criteria {
                    c.op = match c.op.clone() {
                        Operator::Equals(x) => Operator::Equals(v(x)),
                        Operator::NotEquals(x) => Operator::NotEquals(v(x)),
                        Operator::IsAnyOf(xs) => Operator::IsAnyOf(xs.into_iter().map(v).collect()),
                        Operator::IsNoneOf(xs) => {
                            Operator::IsNoneOf(xs.into_iter().map(v).collect())
                        }
                        Operator::GreaterThan(x) => Operator::GreaterThan(v(x)),
                        Operator::LessThan(x) => Operator::LessThan(v(x)),
                        Operator::Contains(s) => Operator::Contains(needle(s)),
                        Operator::StartsWith(s) => Operator::StartsWith(needle(s)),
                        other => other,
                    };
                }
                g
            })
            .collect(),
    }
}

fn naive_matches(f: &Filter, record: &impl PropertySource) -> bool {
    let mut any_group = false;
    for g in &f.groups {
        let mut all = true;
        for c in &g.criteria {
            let actual = record.property(&c.property);
            let holds = match (&c.op, actual) {
                (Operator::IsKnown, a) => a.is_some(),
                (Operator::IsUnknown, a) => a.is_none(),
                (Operator::Equals(v), Some(a)) => a == *v,
                (Operator::NotEquals(v), Some(a)) => a != *v,
                (Operator::NotEquals(_), None) => true,
                (Operator::IsAnyOf(vs), Some(a)) => vs.contains(&a),
                (Operator::IsNoneOf(vs), Some(a)) => vs.iter().all(|v| *v != a),
                (Operator::IsNoneOf(_), None) => true,
                (Operator::Contains(n), Some(Value::Text(t))) => {
                    let lower = |s: &str| {
                        s.chars()
                            .map(|c| c.to_ascii_lowercase())
                            .collect::<String>()
                    };
                    lower(&t).contains(&lower(n))
                }
                (Operator::StartsWith(n), Some(Value::Text(t))) => {
                    let lower = |s: &str| {
                        s.chars()
                            .map(|c| c.to_ascii_lowercase())
                            .collect::<String>()
                    };
                    lower(&t).starts_with(&lower(n))
                }
                (Operator::GreaterThan(Value::Number(v)), Some(Value::Number(a))) => a > *v,
                (Operator::GreaterThan(Value::Date(v)), Some(Value::Date(a))) => a > *v,
                (Operator::LessThan(Value::Number(v)), Some(Value::Number(a))) => a < *v,
                (Operator::LessThan(Value::Date(v)), Some(Value::Date(a))) => a < *v,
                _ => false,
            };
            all &= holds;
        }
        any_group |= all;
    }
    any_group
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn v1_a_contact_always_sees_its_own_tickets_unless_v5_excludes_them(
        w in arb::world(20), v in arb::visibility(), view in prop::sample::select(&[View::Organization, View::Mine][..]),
    ) {
        for c in &w.contacts {
            let scope = Scope::for_viewer(&v, c, view);
            for t in w.tickets.iter().filter(|t| t.contacts.contains(&c.id)) {
                let v5 = v.ticket_filter.as_ref().is_none_or(|f| f.matches(t));
                prop_assert_eq!(scope.admits(t), v5);
            }
        }
    }

    #[test]
    fn v2_company_view_contains_own_view(w in arb::world(20), v in arb::visibility()) {
        for c in &w.contacts {
            let own = seen(&w, &Scope::for_viewer(&with_access(&v, CompanyAccess::OwnOnly), c, View::Organization));
            let company = seen(&w, &Scope::for_viewer(&with_access(&v, CompanyAccess::AllContacts), c, View::Organization));
            prop_assert!(own.is_subset(&company));
            // And the company view adds exactly the shared tickets (C5: not the private
            // ones) of the companies whose membership grants seeing them (C2), V5 letting
            // them through.
            let all = with_access(&v, CompanyAccess::AllContacts);
            for t in &w.tickets {
                let expected = (t.contacts.contains(&c.id)
                    || (!t.private
                        && c.companies().iter().any(|m| {
                            t.companies.contains(&m.company)
                                && company_grant_in(&all, c, m.company).granted()
                        })))
                    && v.ticket_filter.as_ref().is_none_or(|f| f.matches(t));
                prop_assert_eq!(company.contains(&t.id), expected);
            }
        }
    }

    #[test]
    fn v3_filtered_company_equals_company_for_matching_contacts_and_own_for_the_rest(
        w in arb::world(20), v in arb::visibility(), f in arb::filter(arb::CONTACT_PROPS),
    ) {
        let filtered = with_access(&v, CompanyAccess::Filtered(f.clone()));
        for c in &w.contacts {
            let got = seen(&w, &Scope::for_viewer(&filtered, c, View::Organization));
            let reference = if f.matches(c) { CompanyAccess::AllContacts } else { CompanyAccess::OwnOnly };
            let want = seen(&w, &Scope::for_viewer(&with_access(&v, reference), c, View::Organization));
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn v4_my_tickets_is_a_subset_of_organization_tickets(w in arb::world(20), v in arb::visibility()) {
        for c in &w.contacts {
            let mine = Scope::for_viewer(&v, c, View::Mine);
            let org = Scope::for_viewer(&v, c, View::Organization);
            prop_assert!(seen(&w, &mine).is_subset(&seen(&w, &org)));
            prop_assert!(mine.companies.is_empty());
            // "My tickets" is exactly the own tickets V5 lets through.
            for t in &w.tickets {
                let own = t.contacts.contains(&c.id) && v.ticket_filter.as_ref().is_none_or(|f| f.matches(t));
                prop_assert_eq!(mine.admits(t), own);
            }
            // The menu offers the organization view exactly when it shows more than "mine" could.
            let offered = available_views(&v, c).contains(&View::Organization);
            prop_assert_eq!(offered, !org.companies.is_empty());
        }
    }

    #[test]
    fn v5_applies_to_every_scope(
        w in arb::world(20), v in arb::visibility(), view in prop::sample::select(&[View::Organization, View::Mine, View::Shared][..]),
    ) {
        let unfiltered = VisibilitySettings { ticket_filter: None, ..v.clone() };
        for c in &w.contacts {
            let scope = Scope::for_viewer(&v, c, view);
            let wide = Scope::for_viewer(&unfiltered, c, view);
            for t in &w.tickets {
                let v5 = v.ticket_filter.as_ref().is_none_or(|f| f.matches(t));
                prop_assert_eq!(scope.admits(t), wide.admits(t) && v5);
            }
        }
    }

    #[test]
    fn no_ticket_without_an_association_to_the_contact_or_one_of_its_companies_is_ever_admitted(
        w in arb::world(20), v in arb::visibility(),
        view in prop::sample::select(&[View::Organization, View::Mine, View::Shared, View::Company(CompanyId(1)), View::Company(CompanyId(2))][..]),
    ) {
        for c in &w.contacts {
            let scope = Scope::for_viewer(&v, c, view);
            for t in w.tickets.iter().filter(|t| scope.admits(t)) {
                prop_assert!(
                    t.contacts.contains(&c.id)
                        || c.companies().iter().any(|m| t.companies.contains(&m.company))
                );
            }
        }
    }

    #[test]
    fn changing_another_companys_tickets_or_contacts_never_changes_what_a_contact_sees(
        w in arb::world(20), v in arb::visibility(), pick in 0usize..6,
        new_tickets in prop::collection::vec(arb::ticket(0, 6, 3), 20),
        new_tiers in prop::collection::vec(prop::option::of(prop::sample::select(arb::TEXTS)), 6),
    ) {
        let c = w.contacts[pick % w.contacts.len()].clone();
        let mine = |t: &Ticket| {
            t.contacts.contains(&c.id) || c.companies().iter().any(|m| t.companies.contains(&m.company))
        };
        let before = seen(&w, &Scope::for_viewer(&v, &c, View::Organization));
        let mut changed = w.clone();
        // Every ticket not associated with c or its company becomes another random ticket of
        // other contacts and companies.
        for (t, new) in changed.tickets.iter_mut().zip(new_tickets) {
            if !mine(t) {
                let mut new = Ticket { id: t.id, ..new };
                new.contacts.remove(&c.id);
                for m in c.companies() {
                    new.companies.remove(&m.company);
                }
                *t = new;
            }
        }
        // Every other contact gets another tier.
        for (other, tier) in changed.contacts.iter_mut().zip(new_tiers) {
            if other.id != c.id {
                match tier {
                    Some(x) => other.properties.insert("tier".into(), Value::text(x)),
                    None => other.properties.remove("tier"),
                };
            }
        }
        let after = seen(&changed, &Scope::for_viewer(&v, &c, View::Organization));
        prop_assert_eq!(before, after);
    }

    #[test]
    fn c1_shared_with_me_is_my_tickets_that_someone_else_requested(
        w in arb::world(20), v in arb::visibility(),
    ) {
        for c in &w.contacts {
            let mine = Scope::for_viewer(&v, c, View::Mine);
            let shared = Scope::for_viewer(&v, c, View::Shared);
            prop_assert_eq!(shared.view(), View::Shared);
            let want: BTreeSet<TicketId> = w
                .tickets
                .iter()
                .filter(|t| mine.admits(t) && t.requester != Some(c.id))
                .map(|t| t.id)
                .collect();
            prop_assert_eq!(seen(&w, &shared), want);
        }
    }

    #[test]
    fn c2_a_contact_in_two_companies_sees_the_union_of_what_each_grants(
        w in arb::world(20), v in arb::visibility(),
    ) {
        for c in &w.contacts {
            let all = seen(&w, &Scope::for_viewer(&v, c, View::Organization));
            let mut union = seen(&w, &Scope::for_viewer(&v, c, View::Mine));
            for m in c.companies() {
                let one = seen(&w, &Scope::for_viewer(&v, c, View::Company(m.company)));
                // One company's view: the own tickets and that company's shared ones, when
                // its membership grants seeing them.
                let grants = company_grant_in(&v, c, m.company).granted();
                for t in &w.tickets {
                    let want = Scope::for_viewer(&v, c, View::Mine).admits(t)
                        || (grants
                            && !t.private
                            && t.companies.contains(&m.company)
                            && v.ticket_filter.as_ref().is_none_or(|f| f.matches(t)));
                    prop_assert_eq!(one.contains(&t.id), want);
                }
                union.extend(one);
            }
            prop_assert_eq!(all, union);
            // A company the contact does not belong to shows nothing of it.
            let stranger = CompanyId(99);
            prop_assert_eq!(
                seen(&w, &Scope::for_viewer(&v, c, View::Company(stranger))),
                seen(&w, &Scope::for_viewer(&v, c, View::Mine))
            );
        }
    }

    #[test]
    fn c5_answering_and_closing_need_seeing_and_their_own_right(
        w in arb::world(20), v in arb::visibility(),
    ) {
        use portal_core::actions::{CompanyRight, may_act_on};
        for c in &w.contacts {
            let org = Scope::for_viewer(&v, c, View::Organization);
            for t in w.tickets.iter().filter(|t| org.admits(t)) {
                for right in [CompanyRight::Reply, CompanyRight::Close] {
                    let ok = may_act_on(&v, c, t, right).is_ok();
                    let by_company = t.companies.iter().any(|co| {
                        let r = company_rights(&v, c, *co);
                        r.see && match right {
                            CompanyRight::Reply => r.reply,
                            CompanyRight::Close => r.close,
                        }
                    });
                    prop_assert_eq!(ok, t.contacts.contains(&c.id) || by_company);
                }
            }
            for m in c.companies() {
                let r = company_rights(&v, c, m.company);
                prop_assert!(r.see || (!r.reply && !r.close), "a right without seeing");
                prop_assert_eq!(r.see, company_grant_in(&v, c, m.company).granted());
            }
        }
    }

    #[test]
    fn c5_a_private_ticket_is_seen_only_by_its_people(
        w in arb::world(20), v in arb::visibility(),
        view in prop::sample::select(&[View::Organization, View::Mine, View::Shared][..]),
    ) {
        for c in &w.contacts {
            let scope = Scope::for_viewer(&v, c, view);
            for t in w.tickets.iter().filter(|t| t.private) {
                if scope.admits(t) {
                    prop_assert!(t.contacts.contains(&c.id), "{:?} sees {:?}, private, not theirs", c.id, t.id);
                }
            }
        }
    }

    #[test]
    fn c5_making_a_ticket_private_never_widens_and_keeps_it_for_its_people(
        w in arb::world(20), v in arb::visibility(), pick_ticket in 0usize..20,
        view in prop::sample::select(&[View::Organization, View::Mine, View::Shared][..]),
    ) {
        prop_assume!(!w.tickets.is_empty());
        let i = pick_ticket % w.tickets.len();
        let mut changed = w.clone();
        changed.tickets[i].private = true;
        let t = &changed.tickets[i];
        for c in &w.contacts {
            let before = seen(&w, &Scope::for_viewer(&v, c, view));
            let after = seen(&changed, &Scope::for_viewer(&v, c, view));
            prop_assert!(after.is_subset(&before), "{:?} saw more after making it private", c.id);
            if t.contacts.contains(&c.id) {
                // Its people keep it.
                prop_assert_eq!(&before, &after);
            }
            // Only this ticket can disappear, and only from someone not on it.
            let lost: BTreeSet<_> = before.difference(&after).copied().collect();
            prop_assert!(lost.is_empty() || lost == BTreeSet::from([t.id]));
        }
    }

    #[test]
    fn c1_removing_a_participant_never_widens_what_anyone_sees(
        w in arb::world(20), v in arb::visibility(), pick_ticket in 0usize..20, pick_contact in 0usize..6,
        view in prop::sample::select(&[View::Organization, View::Mine, View::Shared][..]),
    ) {
        prop_assume!(!w.tickets.is_empty());
        let i = pick_ticket % w.tickets.len();
        let gone = w.contacts[pick_contact % w.contacts.len()].id;
        let mut changed = w.clone();
        changed.tickets[i].contacts.remove(&gone);
        for c in &w.contacts {
            let before = seen(&w, &Scope::for_viewer(&v, c, view));
            let after = seen(&changed, &Scope::for_viewer(&v, c, view));
            prop_assert!(after.is_subset(&before), "{:?} saw more after a removal", c.id);
            if c.id != gone {
                // Nobody else's view changes at all.
                prop_assert_eq!(&before, &after);
            }
        }
        // The one taken off keeps the ticket only through their company's access.
        let c = w.contacts.iter().find(|c| c.id == gone).unwrap();
        let scope = Scope::for_viewer(&v, c, view);
        let t = &changed.tickets[i];
        if scope.admits(t) {
            prop_assert!(scope.companies.iter().any(|co| t.companies.contains(co)));
        }
    }

    #[test]
    fn c1_a_participant_sees_the_ticket_in_every_view_unless_v5_hides_it(
        w in arb::world(20), v in arb::visibility(), pick_ticket in 0usize..20, pick_contact in 0usize..6,
    ) {
        prop_assume!(!w.tickets.is_empty());
        let i = pick_ticket % w.tickets.len();
        let c = w.contacts[pick_contact % w.contacts.len()].clone();
        let mut changed = w.clone();
        changed.tickets[i].contacts.insert(c.id);
        let t = &changed.tickets[i];
        let hidden = v.ticket_filter.as_ref().is_some_and(|f| !f.matches(t));
        for view in [View::Organization, View::Mine] {
            let scope = Scope::for_viewer(&v, &c, view);
            prop_assert_eq!(scope.admits(t), !hidden);
            // Adding a participant shows nobody else anything new.
            for other in w.contacts.iter().filter(|o| o.id != c.id) {
                let s = Scope::for_viewer(&v, other, view);
                prop_assert_eq!(seen(&w, &s), seen(&changed, &s));
            }
        }
    }

    #[test]
    fn v6_internal_messages_are_never_visible_and_only_the_oldest_thread_shows(
        threads in prop::collection::vec(
            (0i64..5, prop::collection::vec(any::<bool>(), 0..5)), 0..4),
    ) {
        let threads: Vec<Thread> = threads
            .into_iter()
            .enumerate()
            .map(|(i, (start, publics))| Thread {
                id: ThreadId(i as i64 + 1),
                ticket: TicketId(1),
                inbox: InboxId(1),
                created_at: Timestamp(start),
                messages: publics
                    .into_iter()
                    .enumerate()
                    .map(|(j, public)| Message {
                        id: MessageId((i * 10 + j) as i64),
                        thread: ThreadId(i as i64 + 1),
                        author: Author::System,
                        visibility: if public { MessageVisibility::Public } else { MessageVisibility::Internal },
                        body: "x".into(),
                        created_at: Timestamp(start),
                        attachments: vec![Attachment {
                            id: AttachmentId((i * 10 + j) as i64),
                            file_name: "f".into(),
                            content_type: "text/plain".into(),
                            size: 1,
                            blob_key: "k".into(),
                        }],
                        channel: Default::default(),
                    })
                    .collect(),
            })
            .collect();
        let shown = customer_thread(&threads);
        prop_assert_eq!(shown.is_some(), !threads.is_empty());
        if let Some(shown) = shown {
            let oldest = threads.iter().min_by_key(|t| (t.created_at, t.id)).unwrap();
            prop_assert_eq!(shown.id, oldest.id);
            prop_assert!(shown.messages.iter().all(|m| m.visibility == MessageVisibility::Public));
            let publics = oldest.messages.iter().filter(|m| m.visibility == MessageVisibility::Public).count();
            prop_assert_eq!(shown.messages.len(), publics);
        }
        for t in &threads {
            for m in &t.messages {
                let visible = attachment_visible(&threads, m.attachments[0].id);
                let expected = m.visibility == MessageVisibility::Public
                    && threads.iter().min_by_key(|x| (x.created_at, x.id)).map(|x| x.id) == Some(t.id);
                prop_assert_eq!(visible, expected);
            }
        }
    }

    #[test]
    fn the_filter_evaluator_agrees_with_a_naive_reference_evaluator(
        w in arb::world(20), tf in arb::filter(arb::TICKET_PROPS), cf in arb::filter(arb::CONTACT_PROPS),
    ) {
        for t in &w.tickets {
            prop_assert_eq!(tf.matches(t), naive_matches(&tf, t));
        }
        for c in &w.contacts {
            prop_assert_eq!(cf.matches(c), naive_matches(&cf, c));
        }
    }

    #[test]
    fn the_settings_text_of_a_filter_parses_back_to_the_same_filter(
        tf in arb::filter(arb::TICKET_PROPS), cf in arb::filter(arb::CONTACT_PROPS),
    ) {
        for (f, props) in [(tf, arb::TICKET_PROPS), (cf, arb::CONTACT_PROPS)] {
            let f = writable(f);
            let text = to_text(&f);
            let kind_of = |p: &str| props.iter().find(|(n, _)| *n == p).map(|(_, k)| *k);
            prop_assert_eq!(parse_text(&text, kind_of), Ok(f), "{}", text);
        }
    }

    #[test]
    fn n3_explain_agrees_with_the_organization_scope(w in arb::world(20), v in arb::visibility()) {
        for c in &w.contacts {
            let scope = Scope::for_viewer(&v, c, View::Organization);
            for t in &w.tickets {
                let verdict = explain(&v, c, t);
                prop_assert_eq!(verdict.admitted(), scope.admits(t), "{:?}", verdict);
                if let Verdict::Admitted { by: Admission::CompanyTicketByGroup(g) } = verdict {
                    let CompanyAccess::Filtered(f) = &v.company_access else { panic!("group without filter") };
                    prop_assert!(f.groups[g].matches(c));
                }
            }
        }
    }

    #[test]
    fn t1_keyset_pages_concatenate_to_the_whole_ordered_list(
        w in arb::world(25), v in arb::visibility(), q in arb::query(), pick in 0usize..6,
    ) {
        let c = &w.contacts[pick % w.contacts.len()];
        let scope = Scope::for_viewer(&v, c, q.view);
        let texts: Vec<(Ticket, String)> = w.tickets.iter().map(|t| (t.clone(), t.subject.clone())).collect();
        let rows = || texts.iter().map(|(t, s)| (t, s.as_str()));
        let full = reference_page(&scope, &TicketQuery { limit: 200, after: None, ..q.clone() }, rows());
        prop_assert!(full.next.is_none());
        let mut paged = Vec::new();
        let mut query = q.clone();
        loop {
            let page = reference_page(&scope, &query, rows());
            prop_assert!(page.tickets.len() <= query.limit);
            paged.extend(page.tickets);
            match page.next { Some(c) => query.after = Some(c), None => break }
        }
        prop_assert_eq!(&paged, &full.tickets);
        for t in &full.tickets {
            prop_assert!(scope.admits(t));
        }
    }
}
