"""Airflow DAG for ilp-lakehouse on a Spark cluster (example; adapt paths and connection ids).

One task per job, from the raw files to the reports, so a failing step is visible and retried on its own:

    ref >> ingest_<source> (7) >> curate >> assess_<jurisdiction> >> report_assessment_<jurisdiction>
    curate >> repeats_<jurisdiction>, hotspots_chicago >> report_hotspots_chicago, forecast_chicago,
              nearrepeat_chicago_0501
    ingest_<person source> (4) >> persons >> targets >> report_intelligence

Every job is idempotent. ingest skips files already in ops.ingest_manifest (same path, size and time, or the same
SHA-256); curate and every gold job are no-ops when the silver rows they read did not change since their last run with
the same parameters (status "noop" in ops.job_runs, no Delta commit), so re-running a night, or a backfill over nights
already run, costs seconds. A usage error (e.g. a period with no data) exits 2, a failure 1: both fail the task.

Dates come from the run's logical date, never from the wall clock, so a re-run or a backfill of a past night does what
that night did: the products are of the month before the logical date's month (police.uk publishes a month at a
time). `ilp run --as-of {{ ds }}` does the same on the embedded default in one process (see crontab.example).
The person tasks need the pseudonymisation key on the workers (ILP_PSEUDONYM_KEY from a secrets backend, never in
this file or in the task logs).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/ilp/ilp-jobs-0.1.0-shaded.jar"  # mvn -Pshade,cluster -DskipTests package
MAIN = "org.ilp.jobs.cli.IlpCommand"
COMMON = ["--warehouse", "s3a://ilp/warehouse", "--set", "ilp.spark.master=cluster",
          "--set", "ilp.spark.metastore=none"]
LANDING = "s3a://ilp/landing"
# the month before the logical date, e.g. 2024-12 for the run of 2025-01-05
MONTH = "{{ (data_interval_start - macros.dateutil.relativedelta.relativedelta(months=1)).strftime('%Y-%m') }}"
# the forecast's window: the month after MONTH (the logical date's month), backtested on the months up to MONTH
FORECAST_AS_OF = "{{ data_interval_start.strftime('%Y-%m-01') }}"
# the near-repeat window: the 12 months ending with MONTH (ilp.nearrepeat.window-months)
NEARREPEAT_FROM = "{{ (data_interval_start - macros.dateutil.relativedelta.relativedelta(months=12)).strftime('%Y-%m') }}"

PLACE_SOURCES = ("police_uk_street", "police_uk_stop_search", "chicago_crimes")
PERSON_SOURCES = ("police_persons", "intelligence_reports", "border_crossings", "prison_releases")
JURISDICTIONS = ("uk", "chicago")


def ilp(task_id, *args):
    return SparkSubmitOperator(task_id=task_id, application=JAR, java_class=MAIN,
                               application_args=[*args, *COMMON])


with DAG("ilp_lakehouse_nightly", start_date=datetime(2026, 1, 1), schedule="15 2 * * *",
         catchup=False, default_args={"retries": 2, "retry_delay": timedelta(minutes=10)}) as dag:
    ref = ilp("ref", "ref")
    ingests = [ilp(f"ingest_{src}", "ingest", "--source", src, "--input", f"{LANDING}/{src}")
               for src in PLACE_SOURCES]
    curate = ilp("curate", "curate")
    ref >> ingests >> curate

    for j in JURISDICTIONS:
        assess = ilp(f"assess_{j}", "assess", "--period", MONTH, "--jurisdiction", j)
        report = ilp(f"report_assessment_{j}", "report", "assessment", "--period", MONTH, "--jurisdiction", j)
        repeats = ilp(f"repeats_{j}", "repeats", "--to", MONTH, "--scope", j)
        curate >> assess >> report
        curate >> repeats

    hotspots = ilp("hotspots_chicago", "hotspots", "--period", MONTH, "--scope", "chicago")
    hotspot_page = ilp("report_hotspots_chicago", "report", "hotspots", "--period", MONTH, "--scope", "chicago")
    forecast = ilp("forecast_chicago", "forecast", "--as-of", FORECAST_AS_OF, "--scope", "chicago", "--backtests", "3")
    nearrepeat = ilp("nearrepeat_chicago_0501", "nearrepeat", "--from", NEARREPEAT_FROM, "--to", MONTH,
                     "--scope", "chicago", "--offence", "0501")
    curate >> [hotspots, forecast, nearrepeat]
    [hotspots, forecast, nearrepeat] >> hotspot_page

    person_ingests = [ilp(f"ingest_{src}", "ingest", "--source", src, "--input", f"{LANDING}/{src}")
                      for src in PERSON_SOURCES]
    persons = ilp("persons", "persons")
    targets = ilp("targets", "targets", "--to", MONTH)
    intelligence = ilp("report_intelligence", "report", "intelligence", "--period", MONTH)
    ref >> person_ingests >> persons >> targets >> intelligence
