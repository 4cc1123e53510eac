-- What ties a mail portal sent to the ticket it was about (issue 17): the hash of the token
-- in its Reply-To address and Message-ID, never the token itself, and the recipient it went
-- to. An answer by email finds its ticket through this table.
CREATE TABLE mail_threads (
  token_hash TEXT PRIMARY KEY,
  ticket_id BIGINT NOT NULL,
  contact_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX mail_threads_ticket ON mail_threads (ticket_id);
