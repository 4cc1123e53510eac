//! portal-testkit's one integration-test binary: the contract suites against the in-memory
//! adapter, and proof that the suites catch broken adapters.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use async_trait::async_trait;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::query::{TicketPage, TicketQuery};
use portal_core::visibility::Scope;
use portal_testkit::block_on;
use portal_testkit::contract::CONTRACTS;
use portal_testkit::fixtures::T0;
use portal_testkit::memory::memory_ports;

#[test]
fn every_contract_holds_for_the_memory_adapter() {
    for contract in CONTRACTS {
        let ports = memory_ports(T0).ports;
        block_on((contract.run)(ports));
    }
    assert_eq!(CONTRACTS.len(), 40);
}

/// A ticket repository that forgets the scope on one path: the kind of bug V7 is about.
struct Leaky {
    inner: Arc<dyn TicketRepository>,
    leak_find: bool,
    skip_activity: bool,
}

#[async_trait]
impl TicketRepository for Leaky {
    async fn list(&self, scope: &Scope, query: &TicketQuery) -> PortResult<TicketPage> {
        self.inner.list(scope, query).await
    }
    async fn count(&self, scope: &Scope, query: &TicketQuery) -> PortResult<u64> {
        self.inner.count(scope, query).await
    }
    async fn find(&self, scope: &Scope, id: TicketId) -> PortResult<Option<Ticket>> {
        if self.leak_find {
            self.inner.get(id).await
        } else {
            self.inner.find(scope, id).await
        }
    }
    async fn get(&self, id: TicketId) -> PortResult<Option<Ticket>> {
        self.inner.get(id).await
    }
    async fn set_people(
        &self,
        id: TicketId,
        requester: Option<ContactId>,
        contacts: std::collections::BTreeSet<ContactId>,
        at: Timestamp,
    ) -> PortResult<()> {
        self.inner.set_people(id, requester, contacts, at).await
    }
    async fn set_private(&self, id: TicketId, private: bool, at: Timestamp) -> PortResult<()> {
        self.inner.set_private(id, private, at).await
    }
    async fn requesters_within(
        &self,
        scope: &Scope,
        among: &[ContactId],
    ) -> PortResult<std::collections::BTreeSet<ContactId>> {
        if self.leak_find {
            // Forgets the scope: every candidate is named.
            Ok(among.iter().copied().collect())
        } else {
            self.inner.requesters_within(scope, among).await
        }
    }
    async fn inbox(&self, q: &InboxQuery) -> PortResult<Vec<Ticket>> {
        self.inner.inbox(q).await
    }
    async fn set_owner(&self, id: TicketId, o: Option<AgentId>, at: Timestamp) -> PortResult<()> {
        self.inner.set_owner(id, o, at).await
    }
    async fn related(
        &self,
        c: ContactId,
        co: Option<CompanyId>,
        l: usize,
    ) -> PortResult<Vec<Ticket>> {
        self.inner.related(c, co, l).await
    }
    async fn threads(&self, ticket: TicketId) -> PortResult<Vec<Thread>> {
        self.inner.threads(ticket).await
    }
    async fn create(&self, new: NewTicket) -> PortResult<Ticket> {
        self.inner.create(new).await
    }
    async fn add_message(&self, new: NewMessage) -> PortResult<Message> {
        if self.skip_activity {
            // Writes the message but leaves last activity where it was.
            let before = self.inner.get(new.ticket).await?;
            let m = self.inner.add_message(new.clone()).await?;
            if let Some(t) = before {
                self.inner
                    .move_to_stage(t.id, t.stage, t.status, t.last_activity_at)
                    .await?;
            }
            return Ok(m);
        }
        self.inner.add_message(new).await
    }
    async fn move_to_stage(
        &self,
        id: TicketId,
        s: StageId,
        st: TicketStatus,
        at: Timestamp,
    ) -> PortResult<()> {
        self.inner.move_to_stage(id, s, st, at).await
    }
    async fn attachment(&self, id: AttachmentId) -> PortResult<Option<(TicketId, Attachment)>> {
        self.inner.attachment(id).await
    }
    async fn update_ticket(
        &self,
        id: TicketId,
        subject: &str,
        properties: &Properties,
        at: Timestamp,
    ) -> PortResult<()> {
        self.inner.update_ticket(id, subject, properties, at).await
    }
    async fn update_message(
        &self,
        ticket: TicketId,
        message: MessageId,
        body: &str,
    ) -> PortResult<()> {
        self.inner.update_message(ticket, message, body).await
    }
}

fn fails(name: &str, leak_find: bool, skip_activity: bool) -> bool {
    let t = memory_ports(T0);
    let mut ports = t.ports;
    ports.tickets = Arc::new(Leaky {
        inner: Arc::new(t.memory),
        leak_find,
        skip_activity,
    });
    let contract = CONTRACTS.iter().find(|c| c.name == name).unwrap();
    std::panic::catch_unwind(AssertUnwindSafe(|| block_on((contract.run)(ports)))).is_err()
}

#[test]
fn the_contracts_catch_a_repository_that_ignores_the_scope_or_the_activity_time() {
    assert!(!fails(
        "tickets_find_answers_none_outside_the_scope",
        false,
        false
    ));
    assert!(fails(
        "tickets_find_answers_none_outside_the_scope",
        true,
        false
    ));
    assert!(!fails(
        "tickets_requesters_within_names_only_requesters_of_admitted_tickets",
        false,
        false
    ));
    assert!(fails(
        "tickets_requesters_within_names_only_requesters_of_admitted_tickets",
        true,
        false
    ));
    assert!(!fails(
        "tickets_add_message_moves_activity_and_checks_the_thread",
        false,
        false
    ));
    assert!(fails(
        "tickets_add_message_moves_activity_and_checks_the_thread",
        false,
        true
    ));
}
