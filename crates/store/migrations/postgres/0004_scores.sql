-- Symptom and outcome scores, append-only: a correction is a new row naming the row it
-- corrects, so the original is never lost.
CREATE TABLE scores (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    instrument TEXT NOT NULL,
    observed_on DATE NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    band TEXT NOT NULL,
    items TEXT,
    flags TEXT NOT NULL,
    note TEXT NOT NULL,
    corrects UUID REFERENCES scores(id),
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX scores_patient ON scores (patient_id, observed_on);
CREATE TRIGGER scores_no_change BEFORE UPDATE OR DELETE ON scores
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER scores_no_truncate BEFORE TRUNCATE ON scores
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
