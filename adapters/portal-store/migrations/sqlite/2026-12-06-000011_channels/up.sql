-- The way a ticket or a message came in (issue 17): portal, email, api, inbox, import.
ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal';
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal';
-- What earlier rows tell: agents write in the inbox, mails are linked to their message,
-- and a ticket came the way its first message did.
UPDATE messages SET channel = 'inbox' WHERE author_kind = 'agent';
UPDATE messages SET channel = 'email'
  WHERE id IN (SELECT message_id FROM inbound_mails WHERE message_id IS NOT NULL);
UPDATE tickets SET channel = 'email'
  WHERE id IN (
    SELECT i.ticket_id FROM inbound_mails i
    WHERE i.message_id = (
      SELECT MIN(m.id) FROM messages m JOIN threads t ON t.id = m.thread_id
      WHERE t.ticket_id = i.ticket_id
    )
  );
