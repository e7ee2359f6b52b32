#!/usr/bin/env python3
"""DuckDB's count of long-term users from a dispensing file, for `trappa bench-needs`.

Usage: needs_duckdb.py FILE REFERENCE (YYYY-MM-DD). Prints JSON: the DuckDB version,
seconds, peak memory (MiB) and the long-term users per group — patients dispensed more
than 0.5 DDD a day of the group over the 365 days ending on REFERENCE (VGR's indicator:
N05BA, N05CD and N05CF together; N02A; N03AX16). Needs `pip install duckdb`.
"""
import json
import resource
import sys
import time

import duckdb

path, reference = sys.argv[1], sys.argv[2]
started = time.perf_counter()
con = duckdb.connect()
rows = con.execute(
    """
    WITH d AS (
      SELECT patient, ddd,
             CASE WHEN atc LIKE 'N05BA%' OR atc LIKE 'N05CD%' OR atc LIKE 'N05CF%' THEN 'benzodiazepines'
                  WHEN atc LIKE 'N02A%' THEN 'opioids'
                  WHEN atc LIKE 'N03AX16%' THEN 'pregabalin' END AS grp
      FROM read_csv(?, header = true, columns = {
        'patient': 'VARCHAR', 'date': 'DATE', 'atc': 'VARCHAR', 'product': 'VARCHAR',
        'strength': 'VARCHAR', 'quantity': 'DOUBLE', 'ddd': 'DOUBLE',
        'prescriber_unit': 'VARCHAR', 'municipality': 'VARCHAR', 'sex': 'VARCHAR',
        'age_band': 'VARCHAR'})
      WHERE date BETWEEN CAST(? AS DATE) - INTERVAL 364 DAY AND CAST(? AS DATE)
    )
    SELECT grp, count(*) FROM (
      SELECT patient, grp, sum(ddd) AS total FROM d WHERE grp IS NOT NULL GROUP BY patient, grp
    ) WHERE total > 0.5 * 365 GROUP BY grp
    """,
    [path, reference, reference],
).fetchall()
seconds = time.perf_counter() - started
print(json.dumps({
    "version": duckdb.__version__,
    "seconds": seconds,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "long_term": {g: n for g, n in rows},
}))
