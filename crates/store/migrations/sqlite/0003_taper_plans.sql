-- A patient's taper plan: every draft and every signature is a new version (author,
-- time, reason; the signer for an active version). `current_version` moves by
-- compare-and-set, so a stale form changes nothing.
CREATE TABLE taper_plans (
    patient_id BLOB PRIMARY KEY NOT NULL REFERENCES patients(id),
    current_version BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE taper_plan_versions (
    patient_id BLOB NOT NULL REFERENCES taper_plans(patient_id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    plan TEXT NOT NULL,
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    signed_by BLOB REFERENCES accounts(id),
    PRIMARY KEY (patient_id, version)
);
CREATE TRIGGER taper_plan_versions_no_update BEFORE UPDATE ON taper_plan_versions
BEGIN
    SELECT RAISE(ABORT, 'taper_plan_versions is append-only');
END;
CREATE TRIGGER taper_plan_versions_no_delete BEFORE DELETE ON taper_plan_versions
BEGIN
    SELECT RAISE(ABORT, 'taper_plan_versions is append-only');
END;
