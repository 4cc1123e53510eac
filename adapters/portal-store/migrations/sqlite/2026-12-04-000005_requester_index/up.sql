-- The "Requested by" filter asks which contacts requested a ticket in a viewer's scope.
CREATE INDEX tickets_requester ON tickets (requester_id);
