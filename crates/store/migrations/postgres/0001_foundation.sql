-- Foundation schema (PostgreSQL). Keep in step with ../sqlite/0001_foundation.sql:
-- the schema-parity test compares the two.

CREATE TABLE units (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('tapering_unit', 'vardcentral', 'municipality')),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    hsa_id TEXT,
    kommunkod TEXT,
    municipality_name TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    population BIGINT,
    source TEXT NOT NULL
);

CREATE TABLE accounts (
    id UUID PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    profession TEXT,
    hsa_id TEXT UNIQUE,
    unit_id UUID REFERENCES units(id),
    patient_id UUID,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step BIGINT,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE account_roles (
    account_id UUID NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE patients (
    id UUID PRIMARY KEY NOT NULL,
    current_version BIGINT NOT NULL,
    queue TEXT CHECK (queue IN ('triage', 'waiting')),
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID NOT NULL REFERENCES accounts(id)
);

CREATE TABLE patient_versions (
    patient_id UUID NOT NULL REFERENCES patients(id),
    version BIGINT NOT NULL,
    personal_identity TEXT NOT NULL,
    id_kind TEXT NOT NULL,
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    street_address TEXT,
    postal_code TEXT,
    city TEXT,
    home_unit_id UUID REFERENCES units(id),
    protected_identity BOOLEAN NOT NULL,
    synthetic BOOLEAN NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (patient_id, version)
);
CREATE INDEX patient_versions_identity ON patient_versions (personal_identity);
CREATE INDEX patient_versions_search ON patient_versions (search_key);

CREATE TABLE care_team_members (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    account_id UUID NOT NULL REFERENCES accounts(id),
    function TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    added_by UUID NOT NULL REFERENCES accounts(id),
    ended_at TIMESTAMPTZ,
    ended_by UUID REFERENCES accounts(id)
);
CREATE INDEX care_team_by_patient ON care_team_members (patient_id, account_id);
CREATE INDEX care_team_by_account ON care_team_members (account_id);

CREATE TABLE emergency_accesses (
    id UUID PRIMARY KEY NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts(id),
    patient_id UUID NOT NULL REFERENCES patients(id),
    role TEXT NOT NULL,
    reason TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    reviewed_by UUID REFERENCES accounts(id),
    reviewed_at TIMESTAMPTZ,
    review_note TEXT
);
CREATE INDEX emergency_by_account_patient ON emergency_accesses (account_id, patient_id);

CREATE TABLE access_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    account_id UUID,
    username TEXT NOT NULL,
    role TEXT,
    unit_id UUID,
    patient_id UUID,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    basis TEXT,
    emergency_access_id UUID,
    outcome TEXT NOT NULL,
    flagged BOOLEAN NOT NULL,
    request_id TEXT NOT NULL,
    client_ip TEXT,
    detail TEXT
);
CREATE INDEX access_log_by_patient ON access_log (patient_id, id);
CREATE INDEX access_log_by_account ON access_log (account_id, id);
CREATE INDEX access_log_by_time ON access_log (at);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts(id),
    active_role TEXT NOT NULL,
    second_factor_pending BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL,
    client_ip TEXT,
    at TIMESTAMPTZ NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_username ON login_attempts (username, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (client_ip, at);

-- The access log and clinical versions are append-only (PDL; HSLF-FS 2016:40 4 kap 9 §),
-- enforced here by the database as well as by the application.
CREATE FUNCTION trappa_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE FUNCTION trappa_access_log_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.at >= now() - interval '5 years' THEN
        RAISE EXCEPTION 'access_log rows are kept at least five years';
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER access_log_retention BEFORE DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION trappa_access_log_retention();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER patient_versions_no_update BEFORE UPDATE OR DELETE ON patient_versions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER patient_versions_no_truncate BEFORE TRUNCATE ON patient_versions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
