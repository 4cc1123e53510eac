DROP INDEX tickets_private;
INSERT OR IGNORE INTO ticket_companies (company_id, ticket_id, last_activity_at, status, created_at, requester_id)
  SELECT j.value, t.id, t.last_activity_at, t.status, t.created_at, t.requester_id
  FROM tickets t, json_each(t.company_ids) j WHERE t.private;
ALTER TABLE tickets DROP COLUMN private;
