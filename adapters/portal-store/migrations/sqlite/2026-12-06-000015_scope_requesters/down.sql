DROP INDEX ticket_companies_requester;
DROP INDEX ticket_contacts_requester;
ALTER TABLE ticket_companies DROP COLUMN requester_id;
ALTER TABLE ticket_contacts DROP COLUMN requester_id;
