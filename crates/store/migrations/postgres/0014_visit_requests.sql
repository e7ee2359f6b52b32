-- A patient's wish to move or cancel a booked visit (issue 17), and the coordinator's
-- decision on it. Nothing about the visit changes until the wish is approved, and then
-- the visit's new version and the decision commit together. Append-only.
CREATE TABLE visit_requests (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    appointment_id UUID NOT NULL REFERENCES appointments(id),
    kind TEXT NOT NULL CHECK (kind IN ('move', 'cancel')),
    wish TEXT NOT NULL,
    request_key TEXT,
    requested_by UUID NOT NULL REFERENCES accounts(id),
    requested_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX visit_requests_patient ON visit_requests (patient_id, requested_at);
CREATE UNIQUE INDEX visit_requests_request_key ON visit_requests (patient_id, request_key);
CREATE TRIGGER visit_requests_no_change BEFORE UPDATE OR DELETE ON visit_requests
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER visit_requests_no_truncate BEFORE TRUNCATE ON visit_requests
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE visit_request_decisions (
    request_id UUID PRIMARY KEY NOT NULL REFERENCES visit_requests(id),
    approved BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    decided_by UUID NOT NULL REFERENCES accounts(id),
    decided_at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER visit_request_decisions_no_change BEFORE UPDATE OR DELETE ON visit_request_decisions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER visit_request_decisions_no_truncate BEFORE TRUNCATE ON visit_request_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- The newest report (a patient's score or diary entry; ids are UUIDv7, ordered by
-- creation) a care-team member was shown when marking the reports read: what arrived
-- after the page was drawn stays unread.
ALTER TABLE patient_report_reviews ADD COLUMN reviewed_up_to UUID;
