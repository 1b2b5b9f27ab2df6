"""Read the ilp-lakehouse warehouse from Python without Spark.

The gold and publish tables (and the ops logs job_runs, ingest_manifest, dq_results) keep a symlink manifest, the
Parquet files of their current Delta version (docs/bi.md); the person-level gold tables do not (they are read through
`ilp sql` with a purpose, each consultation logged): DuckDB reads those files, so a notebook sees exactly the
version a BI tool sees. GIS layers are files under <warehouse>/exports/ (GeoParquet, read by GeoPandas).

    from ilp_tables import connect, layers
    con = connect()                      # DuckDB views named as in Spark: publish.crime_stats, gold.hotspot_cells, ...
    con.sql("SELECT * FROM publish.threat_assessment LIMIT 5").df()

The warehouse: $ILP_WAREHOUSE, else ../warehouse beside this folder (what `./ilp demo` builds).
"""
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb

WAREHOUSE = Path(os.environ.get("ILP_WAREHOUSE", Path(__file__).resolve().parent.parent / "warehouse")).resolve()
MANIFEST = Path("_symlink_format_manifest") / "manifest"


def tables():
    """Every table of the warehouse that keeps a manifest: {"publish.crime_stats": [parquet files], ...}."""
    if not WAREHOUSE.is_dir():
        raise FileNotFoundError(f"no warehouse at {WAREHOUSE}: run ./ilp demo, or set ILP_WAREHOUSE")
    out = {}
    for manifest in sorted(WAREHOUSE.glob(f"*/*/{MANIFEST}")):
        table_dir = manifest.parent.parent
        files = [unquote(urlparse(u).path) for u in manifest.read_text().split()]
        out[f"{table_dir.parent.name}.{table_dir.name}"] = files
    return out


def connect():
    """An in-memory DuckDB with one view per table (empty tables left out: nothing to read)."""
    con = duckdb.connect()
    for name, files in tables().items():
        if not files:
            continue
        schema, table = name.split(".")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        con.execute(f"CREATE VIEW {schema}.{table} AS SELECT * FROM read_parquet([{listed}])")
    return con


def layers(kind):
    """The GIS layer files of one kind of run (hotspots, forecasts, nearrepeat), newest folder first."""
    root = WAREHOUSE / "exports" / kind
    if not root.is_dir():
        return []
    return sorted((d for d in root.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime, reverse=True)
