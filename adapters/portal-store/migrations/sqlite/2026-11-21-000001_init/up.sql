-- portal schema, SQLite. Times are BIGINT milliseconds since the epoch (UTC).
CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  domain TEXT
);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  email_lower TEXT NOT NULL UNIQUE,
  membership_email TEXT,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  primary_company_id BIGINT REFERENCES companies(id),
  language TEXT,
  properties TEXT NOT NULL
);
CREATE INDEX contacts_company ON contacts (primary_company_id, id);
CREATE TABLE lists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE list_members (
  list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (list_id, contact_id)
);
CREATE INDEX list_members_contact ON list_members (contact_id, list_id);
CREATE TABLE pipelines (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL
);
CREATE TABLE stages (
  id INTEGER PRIMARY KEY,
  pipeline_id BIGINT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  label TEXT NOT NULL,
  closed BOOLEAN NOT NULL
);
CREATE INDEX stages_pipeline ON stages (pipeline_id, position);
CREATE TABLE inboxes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  pipeline_id BIGINT NOT NULL REFERENCES pipelines(id)
);
CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  alias TEXT,
  email TEXT NOT NULL,
  email_lower TEXT NOT NULL UNIQUE
);
CREATE TABLE domains (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL,
  host_lower TEXT NOT NULL UNIQUE,
  language TEXT NOT NULL
);
CREATE TABLE property_defs (
  object TEXT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  kind TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (object, name)
);
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  subject TEXT NOT NULL,
  pipeline_id BIGINT NOT NULL,
  stage_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  owner_id BIGINT,
  inbox_id BIGINT,
  requester_id BIGINT,
  contact_ids TEXT NOT NULL,
  company_ids TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_activity_at BIGINT NOT NULL,
  search_doc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tickets_activity ON tickets (last_activity_at, id);
CREATE INDEX tickets_pipeline ON tickets (pipeline_id, stage_id);
-- Associations carry the default sort key so a company's newest tickets come straight off
-- the index, however many tickets the company has.
CREATE TABLE ticket_contacts (
  contact_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  last_activity_at BIGINT NOT NULL,
  PRIMARY KEY (contact_id, ticket_id)
);
CREATE INDEX ticket_contacts_activity ON ticket_contacts (contact_id, last_activity_at, ticket_id);
CREATE INDEX ticket_contacts_ticket ON ticket_contacts (ticket_id);
CREATE TABLE ticket_companies (
  company_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  last_activity_at BIGINT NOT NULL,
  PRIMARY KEY (company_id, ticket_id)
);
CREATE INDEX ticket_companies_activity ON ticket_companies (company_id, last_activity_at, ticket_id);
CREATE INDEX ticket_companies_ticket ON ticket_companies (ticket_id);
CREATE TABLE ticket_props (
  ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  text_value TEXT,
  num_value BIGINT,
  PRIMARY KEY (ticket_id, name)
);
CREATE INDEX ticket_props_text ON ticket_props (name, text_value);
CREATE INDEX ticket_props_num ON ticket_props (name, num_value);
CREATE TABLE threads (
  id INTEGER PRIMARY KEY,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  inbox_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX threads_ticket ON threads (ticket_id, created_at, id);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  author_kind TEXT NOT NULL,
  author_id BIGINT,
  public BOOLEAN NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_thread ON messages (thread_id, id);
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  blob_key TEXT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id, id);
CREATE TABLE blobs (
  id INTEGER PRIMARY KEY,
  bytes BLOB NOT NULL
);
CREATE TABLE settings (
  id BIGINT PRIMARY KEY,
  version BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  contact_id BIGINT NOT NULL UNIQUE REFERENCES contacts(id),
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  enabled BOOLEAN NOT NULL,
  email_confirmed BOOLEAN NOT NULL,
  language TEXT,
  consent_text TEXT,
  consent_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  principal_kind TEXT NOT NULL,
  principal_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  csrf_secret TEXT NOT NULL
);
CREATE INDEX sessions_principal ON sessions (principal_kind, principal_id);
CREATE TABLE one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  contact_id BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX one_time_tokens_contact ON one_time_tokens (contact_id, purpose);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  mail TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  state TEXT NOT NULL,
  last_error TEXT
);
CREATE INDEX outbox_due ON outbox (state, due_at, id);
CREATE TABLE timeline (
  id INTEGER PRIMARY KEY,
  contact_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL,
  event TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX timeline_contact ON timeline (contact_id, id);
CREATE INDEX timeline_ticket ON timeline (ticket_id, id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE TABLE replay_ids (
  namespace TEXT NOT NULL,
  id TEXT NOT NULL,
  keep_until BIGINT NOT NULL,
  PRIMARY KEY (namespace, id)
);
-- Full-text search over the core's normalised search text (subject and the customer's
-- thread, never internal notes); rowid = ticket id.
CREATE VIRTUAL TABLE ticket_fts USING fts5(doc, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
