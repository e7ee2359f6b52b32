-- PostgreSQL partitions the access log by month (issue 18, item 6; its migration of the
-- same number). SQLite serves one unit on one machine: its log stays one table, pruned
-- by a delete. Nothing to change here; the file keeps the two histories in step.
SELECT 1;
