-- The rest of the patient's path (issue 4), all append-only: the referrer's answers to
-- a complement request, appointments as versions (booked, moved, held, cancelled),
-- journal notes as versions (corrections keep the original), and the path's events
-- (aftercare started, follow-ups, relapse, outcome questionnaires, discharge).
CREATE TABLE referral_complements (
    referral_id BLOB NOT NULL REFERENCES referrals(id),
    seq BIGINT NOT NULL,
    answer TEXT NOT NULL,
    facts TEXT,
    answered_by BLOB NOT NULL REFERENCES accounts(id),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (referral_id, seq)
);
CREATE TABLE appointments (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    created_by BLOB NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL
);
CREATE INDEX appointments_patient ON appointments (patient_id);
CREATE TABLE appointment_versions (
    appointment_id BLOB NOT NULL REFERENCES appointments(id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    clinician_id BLOB REFERENCES accounts(id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'done', 'cancelled', 'no_show')),
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (appointment_id, version)
);
CREATE INDEX appointment_versions_start ON appointment_versions (starts_at);
CREATE TABLE journal_notes (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    appointment_id BLOB REFERENCES appointments(id),
    kind TEXT NOT NULL,
    created_by BLOB NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL
);
CREATE INDEX journal_notes_patient ON journal_notes (patient_id, created_at);
CREATE TABLE journal_note_versions (
    note_id BLOB NOT NULL REFERENCES journal_notes(id),
    version BIGINT NOT NULL,
    fields TEXT NOT NULL,
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (note_id, version)
);
CREATE TABLE path_events (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    kind TEXT NOT NULL CHECK (kind IN ('aftercare_started', 'follow_up', 'relapse', 'outcome', 'discharged')),
    occurred_on TEXT NOT NULL,
    data TEXT NOT NULL,
    corrects BLOB REFERENCES path_events(id),
    recorded_by BLOB NOT NULL REFERENCES accounts(id),
    recorded_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX path_events_patient ON path_events (patient_id, occurred_on);
CREATE INDEX path_events_kind ON path_events (kind, occurred_on);
CREATE TRIGGER referral_complements_no_update BEFORE UPDATE ON referral_complements
BEGIN
    SELECT RAISE(ABORT, 'referral_complements is append-only');
END;
CREATE TRIGGER referral_complements_no_delete BEFORE DELETE ON referral_complements
BEGIN
    SELECT RAISE(ABORT, 'referral_complements is append-only');
END;
CREATE TRIGGER appointments_no_update BEFORE UPDATE ON appointments
BEGIN
    SELECT RAISE(ABORT, 'appointments is append-only');
END;
CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
BEGIN
    SELECT RAISE(ABORT, 'appointments is append-only');
END;
CREATE TRIGGER appointment_versions_no_update BEFORE UPDATE ON appointment_versions
BEGIN
    SELECT RAISE(ABORT, 'appointment_versions is append-only');
END;
CREATE TRIGGER appointment_versions_no_delete BEFORE DELETE ON appointment_versions
BEGIN
    SELECT RAISE(ABORT, 'appointment_versions is append-only');
END;
CREATE TRIGGER journal_notes_no_update BEFORE UPDATE ON journal_notes
BEGIN
    SELECT RAISE(ABORT, 'journal_notes is append-only');
END;
CREATE TRIGGER journal_notes_no_delete BEFORE DELETE ON journal_notes
BEGIN
    SELECT RAISE(ABORT, 'journal_notes is append-only');
END;
CREATE TRIGGER journal_note_versions_no_update BEFORE UPDATE ON journal_note_versions
BEGIN
    SELECT RAISE(ABORT, 'journal_note_versions is append-only');
END;
CREATE TRIGGER journal_note_versions_no_delete BEFORE DELETE ON journal_note_versions
BEGIN
    SELECT RAISE(ABORT, 'journal_note_versions is append-only');
END;
CREATE TRIGGER path_events_no_update BEFORE UPDATE ON path_events
BEGIN
    SELECT RAISE(ABORT, 'path_events is append-only');
END;
CREATE TRIGGER path_events_no_delete BEFORE DELETE ON path_events
BEGIN
    SELECT RAISE(ABORT, 'path_events is append-only');
END;
