-- What the patient reports between visits (issue 17): self-rated scores the care team
-- assigns, a short daily diary, and the care team's mark that it has read the reports.
-- All append-only. A score or diary entry carries the request key of the form that sent
-- it, so a double tap stores it once.
ALTER TABLE scores ADD COLUMN reported_by_patient BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE scores ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX scores_request_key ON scores (patient_id, request_key);

-- An instrument the care team asks the patient to fill in, on a rhythm: before each
-- dose change of the plan in force, or every N days. Where the instrument has no
-- official bands, the clinician's cut-offs for this patient band the answers. Ending
-- an assignment is a new row that replaces it.
CREATE TABLE score_assignments (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    instrument TEXT NOT NULL,
    rhythm TEXT NOT NULL CHECK (rhythm IN ('before_step', 'every_days')),
    every_days BIGINT,
    starts_on DATE NOT NULL,
    moderate_from DOUBLE PRECISION,
    severe_from DOUBLE PRECISION,
    replaces UUID REFERENCES score_assignments(id),
    ended BOOLEAN NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX score_assignments_patient ON score_assignments (patient_id);
CREATE TRIGGER score_assignments_no_change BEFORE UPDATE OR DELETE ON score_assignments
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER score_assignments_no_truncate BEFORE TRUNCATE ON score_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- The patient's diary: was the dose taken as planned, sleep, anxiety and pain (0–10,
-- each optional), what needs a person (flags), and free text.
CREATE TABLE diary_entries (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    day DATE NOT NULL,
    dose_taken TEXT NOT NULL CHECK (dose_taken IN ('as_planned', 'less', 'more', 'unsure')),
    sleep INTEGER,
    anxiety INTEGER,
    pain INTEGER,
    flags TEXT NOT NULL,
    note TEXT NOT NULL,
    request_key TEXT,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX diary_entries_patient ON diary_entries (patient_id, day);
CREATE UNIQUE INDEX diary_entries_request_key ON diary_entries (patient_id, request_key);
CREATE TRIGGER diary_entries_no_change BEFORE UPDATE OR DELETE ON diary_entries
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER diary_entries_no_truncate BEFORE TRUNCATE ON diary_entries
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- A care-team member has read the patient's reports up to this moment.
CREATE TABLE patient_report_reviews (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    reviewed_by UUID NOT NULL REFERENCES accounts(id),
    reviewed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX patient_report_reviews_patient ON patient_report_reviews (patient_id, reviewed_at);
CREATE TRIGGER patient_report_reviews_no_change BEFORE UPDATE OR DELETE ON patient_report_reviews
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER patient_report_reviews_no_truncate BEFORE TRUNCATE ON patient_report_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- The newest diary entry a signed plan version was signed over (ids are UUIDv7, ordered
-- by creation), as `scores_seen` is for scores: entries up to it were before the
-- prescriber and move no new proposal.
ALTER TABLE taper_plan_versions ADD COLUMN diary_seen UUID;
