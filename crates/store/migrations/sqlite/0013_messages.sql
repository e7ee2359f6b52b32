-- Secure messages between the patient and the care team (issue 17), part of the record:
-- append-only threads and messages, and who has read each message when. A message the
-- patient sends carries the form's request key, so a double tap sends it once. Trappa's
-- automatic reply (when to expect an answer, what to do if it cannot wait) has no author.
CREATE TABLE message_threads (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patients(id),
    subject TEXT NOT NULL,
    started_by BLOB NOT NULL REFERENCES accounts(id),
    started_at TEXT NOT NULL
);
CREATE INDEX message_threads_patient ON message_threads (patient_id, started_at);
CREATE TRIGGER message_threads_no_update BEFORE UPDATE ON message_threads
BEGIN
    SELECT RAISE(ABORT, 'message_threads is append-only');
END;
CREATE TRIGGER message_threads_no_delete BEFORE DELETE ON message_threads
BEGIN
    SELECT RAISE(ABORT, 'message_threads is append-only');
END;

CREATE TABLE messages (
    id BLOB PRIMARY KEY NOT NULL,
    thread_id BLOB NOT NULL REFERENCES message_threads(id),
    patient_id BLOB NOT NULL REFERENCES patients(id),
    body TEXT NOT NULL,
    from_patient BOOLEAN NOT NULL,
    automatic BOOLEAN NOT NULL,
    authored_by BLOB REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    request_key TEXT
);
CREATE INDEX messages_thread ON messages (thread_id, authored_at);
CREATE INDEX messages_patient ON messages (patient_id, authored_at);
CREATE UNIQUE INDEX messages_request_key ON messages (patient_id, request_key);
CREATE TRIGGER messages_no_update BEFORE UPDATE ON messages
BEGIN
    SELECT RAISE(ABORT, 'messages is append-only');
END;
CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages
BEGIN
    SELECT RAISE(ABORT, 'messages is append-only');
END;

CREATE TABLE message_reads (
    message_id BLOB NOT NULL REFERENCES messages(id),
    account_id BLOB NOT NULL REFERENCES accounts(id),
    read_at TEXT NOT NULL,
    PRIMARY KEY (message_id, account_id)
);
CREATE TRIGGER message_reads_no_update BEFORE UPDATE ON message_reads
BEGIN
    SELECT RAISE(ABORT, 'message_reads is append-only');
END;
CREATE TRIGGER message_reads_no_delete BEFORE DELETE ON message_reads
BEGIN
    SELECT RAISE(ABORT, 'message_reads is append-only');
END;
