-- A patient's taper plan: every draft and every signature is a new version (author,
-- time, reason; the signer for an active version). `current_version` moves by
-- compare-and-set, so a stale form changes nothing.
CREATE TABLE taper_plans (
    patient_id UUID PRIMARY KEY NOT NULL REFERENCES patients(id),
    current_version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE taper_plan_versions (
    patient_id UUID NOT NULL REFERENCES taper_plans(patient_id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    plan TEXT NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    signed_by UUID REFERENCES accounts(id),
    PRIMARY KEY (patient_id, version)
);
CREATE TRIGGER taper_plan_versions_no_change BEFORE UPDATE OR DELETE ON taper_plan_versions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER taper_plan_versions_no_truncate BEFORE TRUNCATE ON taper_plan_versions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
