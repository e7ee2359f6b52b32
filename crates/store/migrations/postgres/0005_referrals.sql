-- Referrals from vårdcentraler and the triage decisions on them, append-only: a new
-- decision (a complement asked, then an acceptance) is a new row.
CREATE TABLE referrals (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    referrer_id UUID NOT NULL REFERENCES accounts(id),
    referring_unit_id UUID REFERENCES units(id),
    facts TEXT NOT NULL,
    details TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX referrals_patient ON referrals (patient_id);
CREATE INDEX referrals_referrer ON referrals (referrer_id);
CREATE TABLE referral_decisions (
    referral_id UUID NOT NULL REFERENCES referrals(id),
    seq BIGINT NOT NULL,
    decision TEXT NOT NULL,
    reply TEXT NOT NULL,
    decided_by UUID NOT NULL REFERENCES accounts(id),
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (referral_id, seq)
);
CREATE TRIGGER referrals_no_change BEFORE UPDATE OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER referrals_no_truncate BEFORE TRUNCATE ON referrals
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER referral_decisions_no_change BEFORE UPDATE OR DELETE ON referral_decisions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER referral_decisions_no_truncate BEFORE TRUNCATE ON referral_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
