-- A contact's companies besides the primary one, and what staff and the company's portal
-- admins set for each membership (C2, C5): JSON, read with the contact.
ALTER TABLE contacts ADD COLUMN memberships TEXT NOT NULL DEFAULT '[]';
