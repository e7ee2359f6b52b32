-- Every change of an account's roles, append-only, with who made it and when: the
-- separation of duties an auditor reviews (issue 13). `changed_by` is NULL for roles
-- given when Trappa was set up (create-admin, the demo). A review is its own row.
CREATE TABLE role_changes (
    id BLOB PRIMARY KEY NOT NULL,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('granted', 'revoked')),
    changed_by BLOB REFERENCES accounts(id),
    changed_at TEXT NOT NULL
);
CREATE INDEX role_changes_by_account ON role_changes (account_id, role, changed_at);
CREATE TABLE role_change_reviews (
    role_change_id BLOB PRIMARY KEY NOT NULL REFERENCES role_changes(id),
    reviewed_by BLOB NOT NULL REFERENCES accounts(id),
    reviewed_at TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE TRIGGER role_changes_no_update BEFORE UPDATE ON role_changes
BEGIN
    SELECT RAISE(ABORT, 'role_changes is append-only');
END;
CREATE TRIGGER role_changes_no_delete BEFORE DELETE ON role_changes
BEGIN
    SELECT RAISE(ABORT, 'role_changes is append-only');
END;
CREATE TRIGGER role_change_reviews_no_update BEFORE UPDATE ON role_change_reviews
BEGIN
    SELECT RAISE(ABORT, 'role_change_reviews is append-only');
END;
CREATE TRIGGER role_change_reviews_no_delete BEFORE DELETE ON role_change_reviews
BEGIN
    SELECT RAISE(ABORT, 'role_change_reviews is append-only');
END;
-- The roles accounts hold today, recorded as given at setup.
INSERT INTO role_changes (id, account_id, role, change, changed_by, changed_at)
SELECT randomblob(16), account_id, role, 'granted', NULL, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM account_roles;
