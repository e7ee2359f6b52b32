-- The access log partitioned by month (issue 18, item 6): at the scale of a nation it
-- holds hundreds of millions of rows, and retention must not scan them. Each month is a
-- partition of its own (`access_log_yYYYYmMM`, bounds in UTC); retention drops whole
-- partitions (`trappa_prune_access_log`); a default partition catches any row outside
-- the months made so far, so no write ever fails for want of one.
--
-- PostgreSQL 15 has no identity column on a partitioned table: the id comes from a
-- sequence, and the primary key includes the partition key.

ALTER TABLE access_log RENAME TO access_log_unpartitioned;
ALTER INDEX access_log_by_patient RENAME TO access_log_unpartitioned_by_patient;
ALTER INDEX access_log_by_account RENAME TO access_log_unpartitioned_by_account;
ALTER INDEX access_log_by_time RENAME TO access_log_unpartitioned_by_time;

CREATE SEQUENCE access_log_ids AS BIGINT;
SELECT setval('access_log_ids', COALESCE((SELECT MAX(id) FROM access_log_unpartitioned), 0) + 1, FALSE);

CREATE TABLE access_log (
    id BIGINT NOT NULL DEFAULT nextval('access_log_ids'),
    at TIMESTAMPTZ NOT NULL,
    account_id UUID,
    username TEXT NOT NULL,
    role TEXT,
    unit_id UUID,
    patient_id UUID,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    basis TEXT,
    emergency_access_id UUID,
    outcome TEXT NOT NULL,
    flagged BOOLEAN NOT NULL,
    request_id TEXT NOT NULL,
    client_ip TEXT,
    detail TEXT,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE access_log_ids OWNED BY access_log.id;
CREATE INDEX access_log_by_patient ON access_log (patient_id, id);
CREATE INDEX access_log_by_account ON access_log (account_id, id);
CREATE INDEX access_log_by_time ON access_log (at);
CREATE TABLE access_log_default PARTITION OF access_log DEFAULT;

-- The month partition that holds `month_start` (its first instant, UTC), made with the
-- log's guards unless it exists. Not made while the default partition holds rows of that
-- month (PostgreSQL would refuse): those rows stay in the default, where every query
-- still finds them. Serialised by an advisory lock, so instances may call it together.
CREATE FUNCTION trappa_access_log_month(month_start TIMESTAMPTZ) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    first TIMESTAMPTZ := date_trunc('month', month_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    next TIMESTAMPTZ := ((date_trunc('month', month_start AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC');
    name TEXT := 'access_log_' || to_char(first AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('trappa_access_log_month'));
    IF to_regclass(name) IS NOT NULL THEN
        RETURN FALSE;
    END IF;
    IF EXISTS (SELECT 1 FROM access_log_default WHERE at >= first AND at < next) THEN
        RAISE NOTICE 'access_log_default holds rows of %; % not made', first, name;
        RETURN FALSE;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF access_log FOR VALUES FROM (%L) TO (%L)',
                   name, first, next);
    -- Row triggers are cloned to every partition; a statement trigger is not.
    EXECUTE format('CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change()', name);
    RETURN TRUE;
END;
$$;

-- Makes the month partitions from `from_month` through `months_ahead` months after now;
-- returns how many it made. The server calls it at start and daily.
CREATE FUNCTION trappa_access_log_months(from_month TIMESTAMPTZ, months_ahead INTEGER)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    m TIMESTAMPTZ := from_month;
    made INTEGER := 0;
BEGIN
    WHILE m < now() + make_interval(months => months_ahead + 1) LOOP
        IF trappa_access_log_month(m) THEN
            made := made + 1;
        END IF;
        m := m + interval '1 month';
    END LOOP;
    RETURN made;
END;
$$;

-- Retention: drops every month partition wholly before `cutoff`, and deletes the
-- default partition's rows before it (normally none). Rows of the month the cutoff
-- falls in stay until that month is wholly past: the log is kept at least as long as
-- the setting, never shorter. A cutoff within five years is refused, as the row
-- trigger refuses a delete. Returns the rows removed.
CREATE FUNCTION trappa_prune_access_log(cutoff TIMESTAMPTZ) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    part RECORD;
    removed BIGINT := 0;
    n BIGINT;
BEGIN
    IF cutoff > now() - interval '5 years' THEN
        RAISE EXCEPTION 'access_log rows are kept at least five years';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('trappa_access_log_month'));
    FOR part IN
        SELECT c.relname AS name,
               make_timestamptz(substr(c.relname, 13, 4)::int, substr(c.relname, 18, 2)::int, 1, 0, 0, 0, 'UTC')
                   + interval '1 month' AS upper_bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'access_log'::regclass AND c.relname ~ '^access_log_y[0-9]{4}m[0-9]{2}$'
    LOOP
        IF part.upper_bound <= cutoff THEN
            EXECUTE format('SELECT count(*) FROM %I', part.name) INTO n;
            EXECUTE format('DROP TABLE %I', part.name);
            removed := removed + n;
        END IF;
    END LOOP;
    DELETE FROM access_log_default WHERE at < cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN removed + n;
END;
$$;

-- The months the rows so far need (at most ten years back; older rows go to the
-- default partition) and a year ahead, then the rows.
SELECT trappa_access_log_months(
    GREATEST(COALESCE((SELECT MIN(at) FROM access_log_unpartitioned), now()), now() - interval '10 years'),
    12);
INSERT INTO access_log SELECT * FROM access_log_unpartitioned;
DROP TABLE access_log_unpartitioned;

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER access_log_retention BEFORE DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION trappa_access_log_retention();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log_default
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
