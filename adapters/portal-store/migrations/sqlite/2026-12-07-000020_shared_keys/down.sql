DROP INDEX ticket_contacts_shared_status;
DROP INDEX ticket_contacts_shared;
