-- Heavy work a user starts and follows on a page of its own (the week planner's search,
-- issue 18): its state is here, not in one instance's memory, so every instance behind a
-- load balancer shows the same job, stops it, and sees it end. The instance that runs
-- the work beats its heart here; a job whose heart stopped (its instance died) ends as
-- lost. Operational state, not a clinical record: rows change, and finished rows go.
-- Times are milliseconds since 1970, for sub-second progress and timeouts.
CREATE TABLE work_jobs (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES units(id),
    job_key TEXT NOT NULL,
    time_limit DOUBLE PRECISION NOT NULL,
    created_ms BIGINT NOT NULL,
    began_ms BIGINT,
    seen_ms BIGINT NOT NULL,
    beat_ms BIGINT NOT NULL,
    stop_cause TEXT CHECK (stop_cause IN ('by_user', 'abandoned')),
    outcome TEXT CHECK (outcome IN ('done', 'stopped', 'failed', 'lost')),
    result_version BIGINT,
    finished_ms BIGINT
);
-- One unfinished job per unit and thing made, whichever instance asks.
CREATE UNIQUE INDEX work_jobs_one_unfinished ON work_jobs (unit_id, job_key)
    WHERE finished_ms IS NULL;
