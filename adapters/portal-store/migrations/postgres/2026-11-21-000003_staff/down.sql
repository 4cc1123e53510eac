DROP INDEX tickets_inbox;
DROP INDEX tickets_owner;
DROP TABLE staff_logins;
