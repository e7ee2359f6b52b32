-- PostgreSQL's partition functions are made safe beside a busy server (its migration of
-- the same number). SQLite's log is one table: nothing to change here.
SELECT 1;
