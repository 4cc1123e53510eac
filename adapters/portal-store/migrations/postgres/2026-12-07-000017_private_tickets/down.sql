DROP INDEX tickets_private;
INSERT INTO ticket_companies (company_id, ticket_id, last_activity_at, status, created_at, requester_id)
  SELECT j.value::bigint, t.id, t.last_activity_at, t.status, t.created_at, t.requester_id
  FROM tickets t, jsonb_array_elements_text(t.company_ids::jsonb) j WHERE t.private
  ON CONFLICT DO NOTHING;
ALTER TABLE tickets DROP COLUMN private;
