-- A patient's calendar subscription (issue 17): the secret in its address is derived
-- from the feed's id under a key of the server's, so no secret is stored. A feed ends
-- when the patient revokes it or makes a new one; an ended feed answers nothing.
-- Append-only: the end is a row of its own.
CREATE TABLE calendar_feeds (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    account_id UUID NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX calendar_feeds_patient ON calendar_feeds (patient_id, created_at);
CREATE TRIGGER calendar_feeds_no_change BEFORE UPDATE OR DELETE ON calendar_feeds
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER calendar_feeds_no_truncate BEFORE TRUNCATE ON calendar_feeds
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE calendar_feed_ends (
    feed_id UUID PRIMARY KEY NOT NULL REFERENCES calendar_feeds(id),
    ended_by UUID NOT NULL REFERENCES accounts(id),
    ended_at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER calendar_feed_ends_no_change BEFORE UPDATE OR DELETE ON calendar_feed_ends
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER calendar_feed_ends_no_truncate BEFORE TRUNCATE ON calendar_feed_ends
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
