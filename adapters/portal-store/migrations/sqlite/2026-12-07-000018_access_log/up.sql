-- The organisation's access log (C4): customers' views, exports, replies, closes and
-- hand-overs of their company's tickets, read newest first per company, and deleted after
-- the portal's retention.
CREATE TABLE access_log (
  id INTEGER PRIMARY KEY,
  company_id BIGINT NOT NULL,
  contact_id BIGINT NOT NULL,
  ticket_id BIGINT,
  action TEXT NOT NULL,
  count BIGINT NOT NULL DEFAULT 0,
  at BIGINT NOT NULL
);
CREATE INDEX access_log_company ON access_log (company_id, id);
CREATE INDEX access_log_at ON access_log (at);
-- The contacts who read their company's access log.
CREATE TABLE company_admins (
  company_id BIGINT NOT NULL,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (contact_id, company_id)
);
