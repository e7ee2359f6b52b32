-- A unit's planning documents as JSON, in append-only versions (author, time, reason):
-- the team's availability (working weeks, days at the base, leave, rooms lent by host
-- vårdcentraler) under kind 'planning_setup', and each week's saved plan under
-- 'week_plan:YYYY-MM-DD' (its Monday). A new version is written only if the current one
-- is still the one the change was based on.
CREATE TABLE unit_documents (
    unit_id UUID NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (unit_id, kind, version)
);
CREATE TRIGGER unit_documents_no_change BEFORE UPDATE OR DELETE ON unit_documents
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER unit_documents_no_truncate BEFORE TRUNCATE ON unit_documents
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
