ALTER TABLE messages DROP COLUMN channel;
