-- Staff API tokens for /api/v1: only the SHA-256 of each token is kept.
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  agent_id BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_agent ON api_tokens (agent_id, id);
