-- The outbox row a thread token was sent in (issue 17): a bounce names the mail by its
-- Message-ID, which carries the token, and marks that mail failed for staff.
ALTER TABLE mail_threads ADD COLUMN outbox_id BIGINT;
