-- Every mail portal fetched (issue 17), stored before it is read: its raw bytes are a blob,
-- one mail is one row per inbox (digest = SHA-256 of the bytes), and the row says what
-- became of it. A mail is `taken` in the transaction that writes its ticket or message.
CREATE TABLE inbound_mails (
  id INTEGER PRIMARY KEY,
  inbox_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  digest TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  size BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT,
  sender TEXT,
  subject TEXT,
  ticket_id BIGINT,
  message_id BIGINT,
  lease_until BIGINT NOT NULL,
  UNIQUE (inbox_id, digest)
);
CREATE INDEX inbound_mails_state ON inbound_mails (state, id);
CREATE INDEX inbound_mails_ticket ON inbound_mails (ticket_id);
