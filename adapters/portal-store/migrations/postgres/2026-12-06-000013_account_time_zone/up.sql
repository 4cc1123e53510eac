-- The time zone a customer reads times in (issue 18), an IANA name; NULL: the portal's.
ALTER TABLE accounts ADD COLUMN time_zone TEXT;
