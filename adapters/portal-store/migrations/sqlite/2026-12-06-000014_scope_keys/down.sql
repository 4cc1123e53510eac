DROP INDEX ticket_companies_created;
DROP INDEX ticket_companies_status;
DROP INDEX ticket_contacts_created;
DROP INDEX ticket_contacts_status;
ALTER TABLE ticket_companies DROP COLUMN created_at;
ALTER TABLE ticket_companies DROP COLUMN status;
ALTER TABLE ticket_contacts DROP COLUMN created_at;
ALTER TABLE ticket_contacts DROP COLUMN status;
