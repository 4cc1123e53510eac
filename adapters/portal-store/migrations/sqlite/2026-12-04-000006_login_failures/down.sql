DROP INDEX login_failures_at;
DROP INDEX login_failures_key_at;
DROP TABLE login_failures;
