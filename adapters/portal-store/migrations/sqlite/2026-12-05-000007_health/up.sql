-- One row that /readyz rewrites, proving the database takes writes.
CREATE TABLE health (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL
);
-- Secrets every server of an installation shares (the key that signs anonymous CSRF
-- tokens), made by the first server that needs one.
CREATE TABLE server_keys (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
