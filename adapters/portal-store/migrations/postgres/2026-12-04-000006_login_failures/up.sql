-- Failed logins, shared by every server (SECURITY rule 4).
CREATE TABLE login_failures (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);
