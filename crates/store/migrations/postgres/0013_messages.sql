-- Secure messages between the patient and the care team (issue 17), part of the record:
-- append-only threads and messages, and who has read each message when. A message the
-- patient sends carries the form's request key, so a double tap sends it once. Trappa's
-- automatic reply (when to expect an answer, what to do if it cannot wait) has no author.
CREATE TABLE message_threads (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    subject TEXT NOT NULL,
    started_by UUID NOT NULL REFERENCES accounts(id),
    started_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX message_threads_patient ON message_threads (patient_id, started_at);
CREATE TRIGGER message_threads_no_change BEFORE UPDATE OR DELETE ON message_threads
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER message_threads_no_truncate BEFORE TRUNCATE ON message_threads
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE messages (
    id UUID PRIMARY KEY NOT NULL,
    thread_id UUID NOT NULL REFERENCES message_threads(id),
    patient_id UUID NOT NULL REFERENCES patients(id),
    body TEXT NOT NULL,
    from_patient BOOLEAN NOT NULL,
    automatic BOOLEAN NOT NULL,
    authored_by UUID REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    request_key TEXT
);
CREATE INDEX messages_thread ON messages (thread_id, authored_at);
CREATE INDEX messages_patient ON messages (patient_id, authored_at);
CREATE UNIQUE INDEX messages_request_key ON messages (patient_id, request_key);
CREATE TRIGGER messages_no_change BEFORE UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER messages_no_truncate BEFORE TRUNCATE ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE message_reads (
    message_id UUID NOT NULL REFERENCES messages(id),
    account_id UUID NOT NULL REFERENCES accounts(id),
    read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, account_id)
);
CREATE TRIGGER message_reads_no_change BEFORE UPDATE OR DELETE ON message_reads
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER message_reads_no_truncate BEFORE TRUNCATE ON message_reads
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
