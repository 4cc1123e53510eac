ALTER TABLE messages DROP COLUMN channel;
ALTER TABLE tickets DROP COLUMN channel;
