-- The newest score a signed plan version was signed over (score ids are UUIDv7, ordered
-- by creation): scores up to it were seen at signing and move no new proposal.
ALTER TABLE taper_plan_versions ADD COLUMN scores_seen UUID;
