-- Referrals from vårdcentraler and the triage decisions on them, append-only: a new
-- decision (a complement asked, then an acceptance) is a new row.
CREATE TABLE referrals (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    referrer_id BLOB NOT NULL REFERENCES accounts(id),
    referring_unit_id BLOB REFERENCES units(id),
    facts TEXT NOT NULL,
    details TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX referrals_patient ON referrals (patient_id);
CREATE INDEX referrals_referrer ON referrals (referrer_id);
CREATE TABLE referral_decisions (
    referral_id BLOB NOT NULL REFERENCES referrals(id),
    seq BIGINT NOT NULL,
    decision TEXT NOT NULL,
    reply TEXT NOT NULL,
    decided_by BLOB NOT NULL REFERENCES accounts(id),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (referral_id, seq)
);
CREATE TRIGGER referrals_no_update BEFORE UPDATE ON referrals
BEGIN
    SELECT RAISE(ABORT, 'referrals is append-only');
END;
CREATE TRIGGER referrals_no_delete BEFORE DELETE ON referrals
BEGIN
    SELECT RAISE(ABORT, 'referrals is append-only');
END;
CREATE TRIGGER referral_decisions_no_update BEFORE UPDATE ON referral_decisions
BEGIN
    SELECT RAISE(ABORT, 'referral_decisions is append-only');
END;
CREATE TRIGGER referral_decisions_no_delete BEFORE DELETE ON referral_decisions
BEGIN
    SELECT RAISE(ABORT, 'referral_decisions is append-only');
END;
