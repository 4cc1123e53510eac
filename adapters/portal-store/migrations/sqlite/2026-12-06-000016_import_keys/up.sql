-- Records made by `portal import` from files of another system, by the external id the
-- file gave them (kind: company, contact, ticket, message), so a second import of the same
-- files updates them instead of making them again (issue 20).
CREATE TABLE import_keys (
  kind TEXT NOT NULL,
  external_id TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  PRIMARY KEY (kind, external_id)
);
