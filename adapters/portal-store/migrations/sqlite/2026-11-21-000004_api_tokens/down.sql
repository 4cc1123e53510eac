DROP INDEX api_tokens_agent;
DROP TABLE api_tokens;
