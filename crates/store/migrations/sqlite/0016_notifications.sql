-- Notifications that carry no health data (issue 17). A patient's choice of how to be
-- told that something is new, as append-only versions; and the queue of notices to
-- send, which a worker claims, sends and marks (a queue's state, not a record: its
-- rows change).
CREATE TABLE notification_settings (
    account_id BLOB NOT NULL REFERENCES accounts(id),
    version INTEGER NOT NULL,
    email TEXT,
    by_email BOOLEAN NOT NULL,
    mobile TEXT,
    by_sms BOOLEAN NOT NULL,
    set_by BLOB NOT NULL REFERENCES accounts(id),
    set_at TEXT NOT NULL,
    PRIMARY KEY (account_id, version)
);
CREATE TRIGGER notification_settings_no_update BEFORE UPDATE ON notification_settings
BEGIN
    SELECT RAISE(ABORT, 'notification_settings is append-only');
END;
CREATE TRIGGER notification_settings_no_delete BEFORE DELETE ON notification_settings
BEGIN
    SELECT RAISE(ABORT, 'notification_settings is append-only');
END;

CREATE TABLE notification_outbox (
    id BLOB PRIMARY KEY NOT NULL,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX notification_outbox_due ON notification_outbox (sent_at, next_attempt_at);
CREATE INDEX notification_outbox_account ON notification_outbox (account_id, created_at);
