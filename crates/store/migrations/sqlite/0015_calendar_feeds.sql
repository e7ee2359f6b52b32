-- A patient's calendar subscription (issue 17): the secret in its address is derived
-- from the feed's id under a key of the server's, so no secret is stored. A feed ends
-- when the patient revokes it or makes a new one; an ended feed answers nothing.
-- Append-only: the end is a row of its own.
CREATE TABLE calendar_feeds (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    account_id BLOB NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL
);
CREATE INDEX calendar_feeds_patient ON calendar_feeds (patient_id, created_at);
CREATE TRIGGER calendar_feeds_no_update BEFORE UPDATE ON calendar_feeds
BEGIN
    SELECT RAISE(ABORT, 'calendar_feeds is append-only');
END;
CREATE TRIGGER calendar_feeds_no_delete BEFORE DELETE ON calendar_feeds
BEGIN
    SELECT RAISE(ABORT, 'calendar_feeds is append-only');
END;

CREATE TABLE calendar_feed_ends (
    feed_id BLOB PRIMARY KEY NOT NULL REFERENCES calendar_feeds(id),
    ended_by BLOB NOT NULL REFERENCES accounts(id),
    ended_at TEXT NOT NULL
);
CREATE TRIGGER calendar_feed_ends_no_update BEFORE UPDATE ON calendar_feed_ends
BEGIN
    SELECT RAISE(ABORT, 'calendar_feed_ends is append-only');
END;
CREATE TRIGGER calendar_feed_ends_no_delete BEFORE DELETE ON calendar_feed_ends
BEGIN
    SELECT RAISE(ABORT, 'calendar_feed_ends is append-only');
END;
