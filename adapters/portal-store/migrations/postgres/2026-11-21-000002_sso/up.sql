-- Single sign-on: SAML requests waiting for their response (SECURITY rule 15) and the links
-- from an identity provider's user ids to contacts (A3).
CREATE TABLE sso_requests (
  id TEXT PRIMARY KEY,
  return_to TEXT,
  expires_at BIGINT NOT NULL
);
CREATE TABLE sso_links (
  kind TEXT NOT NULL,
  external_id TEXT NOT NULL,
  contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (kind, external_id)
);
CREATE INDEX companies_name_lower ON companies (lower(name));
CREATE INDEX companies_domain_lower ON companies (lower(domain));
