ALTER TABLE contacts DROP COLUMN memberships;
