"""Airflow DAG for ilp-lakehouse on a Spark cluster (example; adapt paths and connection ids).

One task per job, so a failing step is visible and retried on its own:

    ref >> ingest_* >> curate >> assess >> [hotspots_chicago, forecast_chicago] >> reports

Every job is idempotent. ingest skips files already in ops.ingest_manifest (by SHA-256); curate,
assess, hotspots and forecast are no-ops when none of their input tables changed since their last run
with the same parameters (status "noop" in ops.job_runs, no Delta commit), so re-running a night, or
re-assessing last month every night, costs seconds. A usage error (e.g. a period with no data) exits 2,
a failure 1: both fail the task.

The nightly run assesses the previous calendar month of its logical date (police.uk publishes a month
at a time; `ilp run` on the embedded default does the same with "latest complete month").
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/ilp/ilp-jobs-0.1.0-shaded.jar"  # mvn -Pshade,cluster -DskipTests package
MAIN = "org.ilp.jobs.cli.IlpCommand"
COMMON = ["--warehouse", "s3a://ilp/warehouse", "--set", "ilp.spark.master=cluster",
          "--set", "ilp.spark.metastore=none"]
LANDING = "s3a://ilp/landing"
# the month before the logical date, e.g. 2024-12 for a run on 2025-01-05
MONTH = "{{ (data_interval_start - macros.dateutil.relativedelta.relativedelta(months=1)).strftime('%Y-%m') }}"
AS_OF = "{{ (data_interval_start - macros.dateutil.relativedelta.relativedelta(months=1)).strftime('%Y-%m-01') }}"


def ilp(task_id, *args):
    return SparkSubmitOperator(task_id=task_id, application=JAR, java_class=MAIN,
                               application_args=[*args, *COMMON])


with DAG("ilp_lakehouse_nightly", start_date=datetime(2026, 1, 1), schedule="15 2 * * *",
         catchup=False, default_args={"retries": 2, "retry_delay": timedelta(minutes=10)}) as dag:
    ref = ilp("ref", "ref")
    ingests = [ilp(f"ingest_{src}", "ingest", "--source", src, "--input", f"{LANDING}/{src}")
               for src in ("police_uk_street", "police_uk_stop_search", "chicago_crimes")]
    curate = ilp("curate", "curate")
    assess = ilp("assess", "assess", "--period", MONTH)
    hotspots = ilp("hotspots_chicago", "hotspots", "--period", MONTH, "--scope", "chicago")
    forecast = ilp("forecast_chicago", "forecast", "--as-of", AS_OF, "--scope", "chicago", "--backtests", "3")
    reports = [ilp(f"report_{j}", "report", "assessment", "--period", MONTH, "--jurisdiction", j)
               for j in ("uk", "chicago")]
    hotspot_page = ilp("report_hotspots_chicago", "report", "hotspots", "--period", MONTH, "--scope", "chicago")
    ref >> ingests >> curate >> assess
    assess >> reports
    curate >> [hotspots, forecast]
    hotspots >> hotspot_page
