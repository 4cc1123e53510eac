-- One row that /readyz rewrites, proving the database takes writes.
CREATE TABLE health (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL
);
