-- A private ticket (C5) is seen only by its requester and participants. `ticket_companies`
-- holds the keys company access walks, so a private ticket has no rows there: every scope
-- with a company (list, count, search, find) leaves it out without a further condition.
ALTER TABLE tickets ADD COLUMN private BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX tickets_private ON tickets (id) WHERE private;
