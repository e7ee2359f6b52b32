-- A record that corrects or replaces another points to it; every read of the current
-- records asks "is this one corrected?" (NOT EXISTS … WHERE x.corrects = s.id). Without
-- an index that question scans the whole table for every row, so a nurse's start page
-- slowed with the number of scores ever written (over a second after twenty minutes of
-- the load test, issue 18). Partial: only the rows that do point somewhere.
CREATE INDEX scores_by_corrects ON scores (corrects) WHERE corrects IS NOT NULL;
CREATE INDEX path_events_by_corrects ON path_events (corrects) WHERE corrects IS NOT NULL;
CREATE INDEX score_assignments_by_replaces ON score_assignments (replaces) WHERE replaces IS NOT NULL;
