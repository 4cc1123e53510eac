-- "Shared with me" (C1) walks only the viewer's association rows of tickets someone else
-- requested: partial indexes of exactly those rows, in the orders the lists walk.
CREATE INDEX ticket_contacts_shared ON ticket_contacts (contact_id, last_activity_at, ticket_id)
  WHERE requester_id IS NULL OR requester_id <> contact_id;
CREATE INDEX ticket_contacts_shared_status ON ticket_contacts (contact_id, status, last_activity_at, ticket_id)
  WHERE requester_id IS NULL OR requester_id <> contact_id;
