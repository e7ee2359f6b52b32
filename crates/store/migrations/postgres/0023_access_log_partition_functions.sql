-- The access log's partition functions of migration 0022, made safe to run beside a
-- busy server (issue 18, after review):
-- - a partition is made or dropped only if the log's lock is had within two seconds
--   (`lock_timeout`): a long reader (a backup's snapshot, a large extract) holding the
--   log must not queue every request's log entry behind the wait; the server tries
--   again ten minutes later, and a year of months is made ahead;
-- - each month is made on its own (a subtransaction): one that cannot be made now (the
--   default partition holds rows of it, or the lock is busy) does not undo the others;
-- - month bounds are computed in UTC whatever the session's time zone, and the names
--   resolve in the schema the log was made in, whatever the caller's search path;
-- - retention counts the months it will drop before it drops the first, so the log's
--   lock is held only for the drops.

CREATE OR REPLACE FUNCTION trappa_access_log_month(month_start TIMESTAMPTZ) RETURNS BOOLEAN
LANGUAGE plpgsql SET search_path FROM CURRENT SET lock_timeout = '2s' AS $$
DECLARE
    month_utc TIMESTAMP := date_trunc('month', month_start AT TIME ZONE 'UTC');
    first TIMESTAMPTZ := month_utc AT TIME ZONE 'UTC';
    next TIMESTAMPTZ := (month_utc + interval '1 month') AT TIME ZONE 'UTC';
    name TEXT := 'access_log_' || to_char(month_utc, '"y"YYYY"m"MM');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('trappa_access_log_month'));
    IF to_regclass(name) IS NOT NULL THEN
        RETURN FALSE;
    END IF;
    IF EXISTS (SELECT 1 FROM access_log_default WHERE at >= first AND at < next) THEN
        RAISE WARNING 'access_log_default holds rows of %; % not made', first, name;
        RETURN FALSE;
    END IF;
    BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF access_log FOR VALUES FROM (%L) TO (%L)',
                       name, first, next);
        -- Row triggers are cloned to every partition; a statement trigger is not.
        EXECUTE format('CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change()', name);
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING '% not made now: %', name, SQLERRM;
        RETURN FALSE;
    END;
    RETURN TRUE;
END;
$$;

CREATE OR REPLACE FUNCTION trappa_access_log_months(from_month TIMESTAMPTZ, months_ahead INTEGER)
RETURNS INTEGER LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
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

CREATE OR REPLACE FUNCTION trappa_prune_access_log(cutoff TIMESTAMPTZ) RETURNS BIGINT
LANGUAGE plpgsql SET search_path FROM CURRENT SET lock_timeout = '2s' AS $$
DECLARE
    part RECORD;
    doomed TEXT[] := ARRAY[]::TEXT[];
    removed BIGINT := 0;
    n BIGINT;
BEGIN
    IF cutoff > now() - interval '5 years' THEN
        RAISE EXCEPTION 'access_log rows are kept at least five years';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('trappa_access_log_month'));
    FOR part IN
        SELECT c.relname AS name
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'access_log'::regclass
          AND c.relname ~ '^access_log_y[0-9]{4}m[0-9]{2}$'
          AND (make_timestamp(substr(c.relname, 13, 4)::int, substr(c.relname, 18, 2)::int, 1, 0, 0, 0)
               + interval '1 month') AT TIME ZONE 'UTC' <= cutoff
    LOOP
        EXECUTE format('SELECT count(*) FROM %I', part.name) INTO n;
        removed := removed + n;
        doomed := doomed || part.name::TEXT;
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(doomed, 1), 0) LOOP
        EXECUTE format('DROP TABLE %I', doomed[i]);
    END LOOP;
    DELETE FROM access_log_default WHERE at < cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN removed + n;
END;
$$;
