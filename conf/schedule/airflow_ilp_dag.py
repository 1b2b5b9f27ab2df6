"""Airflow DAG for ilp-lakehouse on a Spark cluster (example; adapt paths and connection ids).

One task per job, so a failing step is visible and retried on its own. Every job is idempotent:
ingest skips files already in ops.ingest_manifest (by SHA-256), curate is a no-op when no bronze or
ref table changed, and both recover from a run killed half-way.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/ilp/ilp-jobs-0.1.0-shaded.jar"  # mvn -Pshade,cluster -DskipTests package
COMMON = ["--warehouse", "s3a://ilp/warehouse", "--set", "ilp.spark.master=cluster",
          "--set", "ilp.spark.metastore=none"]
LANDING = "s3a://ilp/landing"

with DAG("ilp_lakehouse_nightly", start_date=datetime(2026, 1, 1), schedule="15 2 * * *",
         catchup=False, default_args={"retries": 2, "retry_delay": timedelta(minutes=10)}) as dag:
    ref = SparkSubmitOperator(task_id="ref", application=JAR,
                              java_class="org.ilp.jobs.cli.IlpCommand", application_args=["ref", *COMMON])
    ingests = [
        SparkSubmitOperator(task_id=f"ingest_{src}", application=JAR, java_class="org.ilp.jobs.cli.IlpCommand",
                            application_args=["ingest", "--source", src, "--input", f"{LANDING}/{src}", *COMMON])
        for src in ("police_uk_street", "police_uk_stop_search", "chicago_crimes")
    ]
    curate = SparkSubmitOperator(task_id="curate", application=JAR, java_class="org.ilp.jobs.cli.IlpCommand",
                                 application_args=["curate", *COMMON])
    ref >> ingests >> curate
