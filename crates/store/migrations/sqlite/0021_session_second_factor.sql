-- Whether a session was signed in with two factors: a password and a one-time code, or
-- an identity provider's sign-in (a SITHS card, BankID). Administrators act only in such
-- a session (issue 18, ASVS 2.2.x / 4.3.1). Sessions started before this migration
-- count as one factor: an administrator signs in again.
ALTER TABLE sessions ADD COLUMN multi_factor BOOLEAN NOT NULL DEFAULT FALSE;
