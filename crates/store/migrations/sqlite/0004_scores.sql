-- Symptom and outcome scores, append-only: a correction is a new row naming the row it
-- corrects, so the original is never lost.
CREATE TABLE scores (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    instrument TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    band TEXT NOT NULL,
    items TEXT,
    flags TEXT NOT NULL,
    note TEXT NOT NULL,
    corrects BLOB REFERENCES scores(id),
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX scores_patient ON scores (patient_id, observed_on);
CREATE TRIGGER scores_no_update BEFORE UPDATE ON scores
BEGIN
    SELECT RAISE(ABORT, 'scores is append-only');
END;
CREATE TRIGGER scores_no_delete BEFORE DELETE ON scores
BEGIN
    SELECT RAISE(ABORT, 'scores is append-only');
END;
