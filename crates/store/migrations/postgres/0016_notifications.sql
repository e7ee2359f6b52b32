-- Notifications that carry no health data (issue 17). A patient's choice of how to be
-- told that something is new, as append-only versions; and the queue of notices to
-- send, which a worker claims, sends and marks (a queue's state, not a record: its
-- rows change).
CREATE TABLE notification_settings (
    account_id UUID NOT NULL REFERENCES accounts(id),
    version BIGINT NOT NULL,
    email TEXT,
    by_email BOOLEAN NOT NULL,
    mobile TEXT,
    by_sms BOOLEAN NOT NULL,
    set_by UUID NOT NULL REFERENCES accounts(id),
    set_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, version)
);
CREATE TRIGGER notification_settings_no_change BEFORE UPDATE OR DELETE ON notification_settings
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER notification_settings_no_truncate BEFORE TRUNCATE ON notification_settings
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE notification_outbox (
    id UUID PRIMARY KEY NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX notification_outbox_due ON notification_outbox (sent_at, next_attempt_at);
CREATE INDEX notification_outbox_account ON notification_outbox (account_id, created_at);
