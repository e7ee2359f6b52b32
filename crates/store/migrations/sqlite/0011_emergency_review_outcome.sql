-- The auditor's judgement of an emergency access: justified or not (with the note), shown
-- to the auditor and on the patient's own log page. NULL until reviewed.
ALTER TABLE emergency_accesses ADD COLUMN review_justified BOOLEAN;
