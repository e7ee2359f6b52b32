-- A unit's planning documents as JSON, in append-only versions (author, time, reason):
-- the team's availability (working weeks, days at the base, leave, rooms lent by host
-- vårdcentraler) under kind 'planning_setup', and each week's saved plan under
-- 'week_plan:YYYY-MM-DD' (its Monday). A new version is written only if the current one
-- is still the one the change was based on.
CREATE TABLE unit_documents (
    unit_id BLOB NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (unit_id, kind, version)
);
CREATE TRIGGER unit_documents_no_update BEFORE UPDATE ON unit_documents
BEGIN
    SELECT RAISE(ABORT, 'unit_documents is append-only');
END;
CREATE TRIGGER unit_documents_no_delete BEFORE DELETE ON unit_documents
BEGIN
    SELECT RAISE(ABORT, 'unit_documents is append-only');
END;
