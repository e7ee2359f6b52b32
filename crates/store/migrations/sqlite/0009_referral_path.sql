-- Whether a referral opens (or continues) the patient's path. A referral for a person
-- who is already waiting or in care is kept for the care team and the referrer, but
-- does not restart the path: its clock, the waiting list and the board's measures go
-- by the latest referral on the path.
ALTER TABLE referrals ADD COLUMN path BOOLEAN NOT NULL DEFAULT TRUE;
