-- The rest of the patient's path (issue 4), all append-only: the referrer's answers to
-- a complement request, appointments as versions (booked, moved, held, cancelled),
-- journal notes as versions (corrections keep the original), and the path's events
-- (aftercare started, follow-ups, relapse, outcome questionnaires, discharge).
CREATE TABLE referral_complements (
    referral_id UUID NOT NULL REFERENCES referrals(id),
    seq BIGINT NOT NULL,
    answer TEXT NOT NULL,
    facts TEXT,
    answered_by UUID NOT NULL REFERENCES accounts(id),
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (referral_id, seq)
);
CREATE TABLE appointments (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    created_by UUID NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointments_patient ON appointments (patient_id);
CREATE TABLE appointment_versions (
    appointment_id UUID NOT NULL REFERENCES appointments(id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    minutes BIGINT NOT NULL,
    clinician_id UUID REFERENCES accounts(id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'done', 'cancelled', 'no_show')),
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (appointment_id, version)
);
CREATE INDEX appointment_versions_start ON appointment_versions (starts_at);
CREATE TABLE journal_notes (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    appointment_id UUID REFERENCES appointments(id),
    kind TEXT NOT NULL,
    created_by UUID NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX journal_notes_patient ON journal_notes (patient_id, created_at);
CREATE TABLE journal_note_versions (
    note_id UUID NOT NULL REFERENCES journal_notes(id),
    version BIGINT NOT NULL,
    fields TEXT NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (note_id, version)
);
CREATE TABLE path_events (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    kind TEXT NOT NULL CHECK (kind IN ('aftercare_started', 'follow_up', 'relapse', 'outcome', 'discharged')),
    occurred_on DATE NOT NULL,
    data TEXT NOT NULL,
    corrects UUID REFERENCES path_events(id),
    recorded_by UUID NOT NULL REFERENCES accounts(id),
    recorded_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX path_events_patient ON path_events (patient_id, occurred_on);
CREATE INDEX path_events_kind ON path_events (kind, occurred_on);
CREATE TRIGGER referral_complements_no_change BEFORE UPDATE OR DELETE ON referral_complements
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER referral_complements_no_truncate BEFORE TRUNCATE ON referral_complements
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER appointments_no_change BEFORE UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER appointments_no_truncate BEFORE TRUNCATE ON appointments
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER appointment_versions_no_change BEFORE UPDATE OR DELETE ON appointment_versions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER appointment_versions_no_truncate BEFORE TRUNCATE ON appointment_versions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER journal_notes_no_change BEFORE UPDATE OR DELETE ON journal_notes
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER journal_notes_no_truncate BEFORE TRUNCATE ON journal_notes
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER journal_note_versions_no_change BEFORE UPDATE OR DELETE ON journal_note_versions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER journal_note_versions_no_truncate BEFORE TRUNCATE ON journal_note_versions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER path_events_no_change BEFORE UPDATE OR DELETE ON path_events
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER path_events_no_truncate BEFORE TRUNCATE ON path_events
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
