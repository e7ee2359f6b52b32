-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- the schema-parity test compares the two.

CREATE TABLE units (
    id BLOB PRIMARY KEY NOT NULL,
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
    id BLOB PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    profession TEXT,
    hsa_id TEXT UNIQUE,
    unit_id BLOB REFERENCES units(id),
    patient_id BLOB,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step BIGINT,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE account_roles (
    account_id BLOB NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE patients (
    id BLOB PRIMARY KEY NOT NULL,
    current_version BIGINT NOT NULL,
    queue TEXT CHECK (queue IN ('triage', 'waiting')),
    created_at TEXT NOT NULL,
    created_by BLOB NOT NULL REFERENCES accounts(id)
);

CREATE TABLE patient_versions (
    patient_id BLOB NOT NULL REFERENCES patients(id),
    version BIGINT NOT NULL,
    personal_identity TEXT NOT NULL,
    id_kind TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    street_address TEXT,
    postal_code TEXT,
    city TEXT,
    home_unit_id BLOB REFERENCES units(id),
    protected_identity BOOLEAN NOT NULL,
    synthetic BOOLEAN NOT NULL,
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (patient_id, version)
);
CREATE INDEX patient_versions_identity ON patient_versions (personal_identity);
CREATE INDEX patient_versions_search ON patient_versions (search_key);

CREATE TABLE care_team_members (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    account_id BLOB NOT NULL REFERENCES accounts(id),
    function TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by BLOB NOT NULL REFERENCES accounts(id),
    ended_at TEXT,
    ended_by BLOB REFERENCES accounts(id)
);
CREATE INDEX care_team_by_patient ON care_team_members (patient_id, account_id);
CREATE INDEX care_team_by_account ON care_team_members (account_id);

CREATE TABLE emergency_accesses (
    id BLOB PRIMARY KEY NOT NULL,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    patient_id BLOB NOT NULL REFERENCES patients(id),
    role TEXT NOT NULL,
    reason TEXT NOT NULL,
    started_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    reviewed_by BLOB REFERENCES accounts(id),
    reviewed_at TEXT,
    review_note TEXT
);
CREATE INDEX emergency_by_account_patient ON emergency_accesses (account_id, patient_id);

CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TEXT NOT NULL,
    account_id BLOB,
    username TEXT NOT NULL,
    role TEXT,
    unit_id BLOB,
    patient_id BLOB,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    basis TEXT,
    emergency_access_id BLOB,
    outcome TEXT NOT NULL,
    flagged BOOLEAN NOT NULL,
    request_id TEXT NOT NULL,
    client_ip TEXT,
    detail TEXT
);
CREATE INDEX access_log_by_patient ON access_log (patient_id, id);
CREATE INDEX access_log_by_account ON access_log (account_id, id);
CREATE INDEX access_log_by_time ON access_log (at);

-- The access log and clinical versions are append-only (PDL; HSLF-FS 2016:40 4 kap 9 §).
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
-- Rows may only leave through retention pruning, and never before five years.
CREATE TRIGGER access_log_retention BEFORE DELETE ON access_log
WHEN OLD.at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-5 years')
BEGIN
    SELECT RAISE(ABORT, 'access_log rows are kept at least five years');
END;
CREATE TRIGGER patient_versions_no_update BEFORE UPDATE ON patient_versions
BEGIN
    SELECT RAISE(ABORT, 'patient_versions is append-only');
END;
CREATE TRIGGER patient_versions_no_delete BEFORE DELETE ON patient_versions
BEGIN
    SELECT RAISE(ABORT, 'patient_versions is append-only');
END;

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    active_role TEXT NOT NULL,
    second_factor_pending BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    username TEXT NOT NULL,
    client_ip TEXT,
    at TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_username ON login_attempts (username, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (client_ip, at);
