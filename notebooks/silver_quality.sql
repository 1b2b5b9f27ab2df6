-- silver_quality.sql: checks after an ingest/curate run. Run a cell with ./ilp sql "<cell>".

-- 1. Every file reconciles: rows read = accepted + duplicates + quarantined (expect no rows)
SELECT source, path, rows_read, rows_accepted, rows_duplicate, rows_quarantined
FROM ops.ingest_manifest
WHERE rows_read <> rows_accepted + rows_duplicate + rows_quarantined;

-- 2. Files that were empty or rejected, and why
SELECT source, path, status, status_reason FROM ops.ingest_manifest WHERE status <> 'ok';

-- 3. Quarantine by rule: rejected (kept out of silver) and flagged (kept, with a flag)
SELECT source, stage, disposition, rule, count(*) AS n
FROM ops.quarantine GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- 4. Duplicates by named rule, per source
SELECT source, rule, sum(n) AS n
FROM (SELECT source, explode(duplicate_rules) AS (rule, n) FROM ops.ingest_manifest)
GROUP BY 1, 2 ORDER BY 1, 2;

-- 5. Location quality and spatial match per source (share outside every area)
SELECT source, location_quality, area_match, count(*) AS n,
       round(100 * count(*) / sum(count(*)) OVER (PARTITION BY source), 2) AS pct
FROM silver.incidents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- 6. Points that fall in the force / district the source names (police.uk: forces with a polygon)
SELECT source, agency_code, count(*) AS located,
       round(100 * avg(CASE WHEN area_regional = source_area_code THEN 1 ELSE 0 END), 2) AS pct_in_own_area
FROM silver.incidents WHERE geom IS NOT NULL AND source_area_code IS NOT NULL
GROUP BY 1, 2 ORDER BY pct_in_own_area;

-- 7. The latest runs
SELECT run_id, job, status, started_at, duration_ms, rows_in, rows_out, output_versions
FROM ops.job_runs ORDER BY started_at DESC LIMIT 20;

-- 8. Time travel: silver as it was at an earlier version (see DESCRIBE HISTORY silver.incidents)
SELECT outcome, count(*) FROM silver.incidents VERSION AS OF 0 GROUP BY 1 ORDER BY 2 DESC;
