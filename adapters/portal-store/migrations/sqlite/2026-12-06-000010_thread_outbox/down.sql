ALTER TABLE mail_threads DROP COLUMN outbox_id;
