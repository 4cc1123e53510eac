DROP INDEX tickets_requester;
