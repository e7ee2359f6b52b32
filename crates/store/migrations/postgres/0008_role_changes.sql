-- Every change of an account's roles, append-only, with who made it and when: the
-- separation of duties an auditor reviews (issue 13). `changed_by` is NULL for roles
-- given when Trappa was set up (create-admin, the demo). A review is its own row.
CREATE TABLE role_changes (
    id UUID PRIMARY KEY NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('granted', 'revoked')),
    changed_by UUID REFERENCES accounts(id),
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX role_changes_by_account ON role_changes (account_id, role, changed_at);
CREATE TABLE role_change_reviews (
    role_change_id UUID PRIMARY KEY NOT NULL REFERENCES role_changes(id),
    reviewed_by UUID NOT NULL REFERENCES accounts(id),
    reviewed_at TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL
);
CREATE TRIGGER role_changes_no_change BEFORE UPDATE OR DELETE ON role_changes
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER role_changes_no_truncate BEFORE TRUNCATE ON role_changes
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER role_change_reviews_no_change BEFORE UPDATE OR DELETE ON role_change_reviews
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER role_change_reviews_no_truncate BEFORE TRUNCATE ON role_change_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
-- The roles accounts hold today, recorded as given at setup.
INSERT INTO role_changes (id, account_id, role, change, changed_by, changed_at)
SELECT gen_random_uuid(), account_id, role, 'granted', NULL, now()
FROM account_roles;
