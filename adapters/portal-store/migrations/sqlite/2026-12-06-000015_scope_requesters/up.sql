-- The associations carry the ticket's requester, so "who requested a ticket I may see" (the
-- list's "Requested by" menu) is one index probe per candidate, not a walk of their tickets.
ALTER TABLE ticket_contacts ADD COLUMN requester_id BIGINT;
ALTER TABLE ticket_companies ADD COLUMN requester_id BIGINT;
UPDATE ticket_contacts SET
  requester_id = (SELECT t.requester_id FROM tickets t WHERE t.id = ticket_contacts.ticket_id);
UPDATE ticket_companies SET
  requester_id = (SELECT t.requester_id FROM tickets t WHERE t.id = ticket_companies.ticket_id);
CREATE INDEX ticket_contacts_requester ON ticket_contacts (contact_id, requester_id);
CREATE INDEX ticket_companies_requester ON ticket_companies (company_id, requester_id);
