-- The way a message came in (issue 17): portal, email, api, inbox, import. A ticket came
-- the way its first message did. (Not a column of `tickets`: on SQLite a column added
-- there lands after `search_doc`, and every list would read past that long text.)
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal';
-- What earlier rows tell: agents write in the inbox, and mails are linked to their message.
UPDATE messages SET channel = 'inbox' WHERE author_kind = 'agent';
UPDATE messages SET channel = 'email'
  WHERE id IN (SELECT message_id FROM inbound_mails WHERE message_id IS NOT NULL);
