-- The associations carry the ticket's status and creation time too, so the open/closed
-- filter, its counts and the sort by creation walk one index of the scope's keys without
-- reading a ticket row they do not show.
ALTER TABLE ticket_contacts ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE ticket_contacts ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket_companies ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE ticket_companies ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
UPDATE ticket_contacts a SET status = t.status, created_at = t.created_at
  FROM tickets t WHERE t.id = a.ticket_id;
UPDATE ticket_companies a SET status = t.status, created_at = t.created_at
  FROM tickets t WHERE t.id = a.ticket_id;
CREATE INDEX ticket_contacts_status ON ticket_contacts (contact_id, status, last_activity_at, ticket_id);
CREATE INDEX ticket_contacts_created ON ticket_contacts (contact_id, created_at, ticket_id);
CREATE INDEX ticket_companies_status ON ticket_companies (company_id, status, last_activity_at, ticket_id);
CREATE INDEX ticket_companies_created ON ticket_companies (company_id, created_at, ticket_id);
