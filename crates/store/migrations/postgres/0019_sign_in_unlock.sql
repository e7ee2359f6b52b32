-- An administrator may lift a username's sign-in lock before its window has passed
-- (issue 18, ASVS 2.2.1): the lift is a row of its own in login_attempts, naming the
-- administrator, and failures before it no longer count.
ALTER TABLE login_attempts ADD COLUMN unlocked_by UUID REFERENCES accounts(id);
