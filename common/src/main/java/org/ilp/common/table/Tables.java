package org.ilp.common.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.*;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Every table name and every fixed schema, declared once. Layers: raw → bronze → silver → gold →
 * publish; ops (audit) and ref (reference data) beside them.
 */
public final class Tables {
  private Tables() {}

  public static final List<String> DATABASES = List.of("bronze", "silver", "gold", "publish", "ops", "ref");

  // bronze: raw strings + lineage, append-only (one per source spec; names come from the spec)
  public static final String BRONZE_POLICE_UK_STREET = "bronze.police_uk_street";
  public static final String BRONZE_POLICE_UK_STOP_SEARCH = "bronze.police_uk_stop_search";
  public static final String BRONZE_CHICAGO_CRIMES = "bronze.chicago_crimes";

  // silver
  public static final String SILVER_INCIDENTS = "silver.incidents";
  public static final String SILVER_STOP_SEARCH = "silver.stop_search";

  // ref
  public static final String REF_AREAS = "ref.areas";
  public static final String REF_POPULATION = "ref.population";
  public static final String REF_OFFENCE_TAXONOMY = "ref.offence_taxonomy";

  // gold: accredited analysts (unsuppressed)
  public static final String GOLD_CRIME_STATS = "gold.crime_stats";
  public static final String GOLD_THREAT_ASSESSMENT = "gold.threat_assessment";
  public static final String GOLD_CRIME_TRENDS = "gold.crime_trends";
  public static final String GOLD_EARLY_WARNINGS = "gold.early_warnings";

  // publish: disclosure-controlled copies for dashboards and the public
  public static final String PUBLISH_CRIME_STATS = "publish.crime_stats";
  public static final String PUBLISH_THREAT_ASSESSMENT = "publish.threat_assessment";
  public static final String PUBLISH_CRIME_TRENDS = "publish.crime_trends";
  public static final String PUBLISH_EARLY_WARNINGS = "publish.early_warnings";

  // ops
  public static final String OPS_JOB_RUNS = "ops.job_runs";
  public static final String OPS_INGEST_MANIFEST = "ops.ingest_manifest";
  public static final String OPS_QUARANTINE = "ops.quarantine";
  public static final String OPS_DQ_RESULTS = "ops.dq_results";

  /** Lineage columns every bronze table carries after the source's own columns. */
  public static final List<String> BRONZE_LINEAGE = List.of(
      "_extra", "_source_file", "_file_checksum", "_row_number", "_ingest_run_id", "_ingested_at");

  public static final StructType INGEST_MANIFEST = new StructType()
      .add("source", StringType, false)
      .add("path", StringType, false)
      .add("file_name", StringType, false)
      .add("checksum", StringType, false)
      .add("bytes", LongType, false)
      .add("status", StringType, false) // ingested | empty | rejected
      .add("status_reason", StringType, true)
      .add("header_columns", StringType, true)
      .add("extra_columns", StringType, true)
      .add("missing_columns", StringType, true)
      .add("rows_read", LongType, false)
      .add("rows_bronze", LongType, false)
      .add("rows_accepted", LongType, true) // known after curation
      .add("rows_duplicate", LongType, true) // known after curation
      .add("rows_quarantined", LongType, false)
      .add("rows_quarantined_ingest", LongType, false)
      .add("duplicate_rules", createMapType(StringType, LongType), true)
      .add("run_id", StringType, false)
      .add("ingested_at", TimestampType, false)
      .add("curated_run_id", StringType, true)
      .add("curated_at", TimestampType, true);

  public static final StructType QUARANTINE = new StructType()
      .add("source", StringType, false)
      .add("stage", StringType, false) // ingest | curate
      .add("source_file", StringType, true)
      .add("file_checksum", StringType, true)
      .add("row_number", LongType, true)
      .add("raw_text", StringType, true)
      .add("rule", StringType, false)
      .add("reason", StringType, false)
      // rejected: kept out of silver (counted in rows_quarantined); flagged: kept in silver with a flag
      .add("disposition", StringType, false)
      .add("run_id", StringType, false)
      .add("quarantined_at", TimestampType, false);

  public static final StructType JOB_RUNS = new StructType()
      .add("run_id", StringType, false)
      .add("job", StringType, false)
      .add("parameters", createMapType(StringType, StringType), true)
      .add("started_at", TimestampType, false)
      .add("ended_at", TimestampType, true)
      .add("duration_ms", LongType, true)
      .add("status", StringType, false) // succeeded | failed | noop
      .add("error", StringType, true)
      .add("rows_in", createMapType(StringType, LongType), true)
      .add("rows_out", createMapType(StringType, LongType), true)
      .add("rows_quarantined", LongType, true)
      .add("input_versions", createMapType(StringType, LongType), true)
      .add("output_versions", createMapType(StringType, LongType), true)
      .add("user", StringType, true)
      .add("host", StringType, true)
      .add("app_version", StringType, true);

  public static final StructType DQ_RESULTS = new StructType()
      .add("run_id", StringType, false)
      .add("job", StringType, false)
      .add("table_name", StringType, false)
      .add("source", StringType, true)
      .add("rule", StringType, false)
      .add("description", StringType, true)
      .add("rows_checked", LongType, false)
      .add("rows_failed", LongType, false)
      .add("checked_at", TimestampType, false);

  /**
   * Rows of {@link #QUARANTINE} for records of a bronze-derived frame (one with the lineage columns
   * {@code _source_file, _file_checksum, _row_number}): the one place the quarantine layout is built.
   *
   * @param disposition {@code rejected} (kept out of silver) or {@code flagged} (kept, with a flag)
   */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> quarantineRows(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> records, String source, String stage,
      org.apache.spark.sql.Column rawText, org.apache.spark.sql.Column rule, org.apache.spark.sql.Column reason,
      String disposition, String runId, java.sql.Timestamp at) {
    return records.select(
        lit(source).as("source"), lit(stage).as("stage"), col("_source_file").as("source_file"),
        col("_file_checksum").as("file_checksum"), col("_row_number").as("row_number"), rawText.as("raw_text"),
        rule.as("rule"), reason.as("reason"), lit(disposition).as("disposition"), lit(runId).as("run_id"),
        lit(at).as("quarantined_at"));
  }

  public static void ensureDatabases(SparkSession spark, Path warehouse) {
    for (String db : DATABASES) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + db + " LOCATION '"
          + warehouse.resolve(db).toUri() + "'");
    }
  }

  /** bronze table for a source name, e.g. police_uk_street → bronze.police_uk_street. */
  public static String bronzeFor(String source) {
    return "bronze." + source;
  }

}
