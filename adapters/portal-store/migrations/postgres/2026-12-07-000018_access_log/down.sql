DROP TABLE company_admins;
DROP TABLE access_log;
