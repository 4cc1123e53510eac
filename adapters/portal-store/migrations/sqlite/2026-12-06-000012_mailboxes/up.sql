-- The IMAP mailboxes kept on the staff side (issue 17). The password is sealed with the
-- server's secret key (never stored readable); a round's end and error are recorded for
-- staff to see.
CREATE TABLE mailboxes (
  id INTEGER PRIMARY KEY,
  inbox_id BIGINT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  tls BOOLEAN NOT NULL,
  user_name TEXT NOT NULL,
  sealed_password TEXT NOT NULL,
  folder TEXT NOT NULL,
  delete_taken BOOLEAN NOT NULL,
  poll_seconds INTEGER NOT NULL,
  enabled BOOLEAN NOT NULL,
  checked_at BIGINT,
  last_error TEXT
);
