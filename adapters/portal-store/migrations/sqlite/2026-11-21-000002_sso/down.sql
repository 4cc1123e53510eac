DROP INDEX companies_domain_lower;
DROP INDEX companies_name_lower;
DROP TABLE sso_links;
DROP TABLE sso_requests;
