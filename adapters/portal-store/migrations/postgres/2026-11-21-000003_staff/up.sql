-- Staff logins (P14: admin or agent), separate from customer accounts.
CREATE TABLE staff_logins (
  agent_id BIGINT PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  enabled BOOLEAN NOT NULL
);
-- The inbox filters by owner and inbox, newest activity first.
CREATE INDEX tickets_owner ON tickets (owner_id, last_activity_at);
CREATE INDEX tickets_inbox ON tickets (inbox_id, last_activity_at);
