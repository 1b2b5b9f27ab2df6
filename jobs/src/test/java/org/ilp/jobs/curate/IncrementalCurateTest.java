package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.ilp.common.curate.Curation;
import org.ilp.common.curate.Increment;
import org.ilp.common.ref.RefData;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The property of the incremental curate: however the files arrive, curating them as they come leaves
 * silver, the verdicts, the curate quarantine and every file's reconciliation exactly as one full curate of
 * all of them does.
 */
@ExtendWith(SparkTestSupport.class)
@Order(23)
class IncrementalCurateTest {

  /**
   * The generated warehouse (all three sources, with the planted cross-file duplicates: republished downloads,
   * Crime IDs repeated in later months, Chicago updates and multi-victim cases) was built from a random half of
   * its files, curated, then the rest, curated incrementally by `ilp run` ({@link Warehouses#generated}). A full
   * curate of the same bronze must change nothing.
   */
  @Test
  void aWarehouseBuiltInIncrementsEqualsOneFullCurate() {
    SparkSession spark = Warehouses.generated();
    // it was built in increments: the last curate read only the files the first one had not seen
    List<Row> runs = spark.sql("SELECT rows_in['bronze.police_uk_street'] FROM ops.job_runs WHERE job = 'curate' "
        + "AND status = 'succeeded' ORDER BY started_at").collectAsList();
    assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
    long bronze = spark.table("bronze.police_uk_street").where(col("_corrupt_record").isNull()).count();
    assertThat(runs.get(0).getLong(0) + runs.get(runs.size() - 1).getLong(0)).isEqualTo(bronze);

    Map<String, List<String>> incremental = state(spark);
    assertThat(incremental.get("silver")).hasSizeGreaterThan((int) (Warehouses.GENERATED_ROWS * 0.9));
    var p = CurateJob.Params.of(SparkTestSupport.config(), List.of(), true);
    assertThat(Warehouses.run(CurateJob.JOB, p.asMap(), ctx -> CurateJob.run(ctx, p)).summary())
        .contains("(full)").doesNotContain("(incremental)");
    Map<String, List<String>> once = state(spark);
    for (String table : once.keySet()) {
      assertThat(incremental.get(table)).as("%s built in increments vs one full curate", table)
          .containsExactlyElementsOf(once.get(table));
    }
  }

  /** The curated state, sorted, without the columns that name the run that wrote a row. */
  static Map<String, List<String>> state(SparkSession spark) {
    return Map.of(
        "silver", strings(spark, "SELECT incident_id, record_hash FROM silver.incidents UNION ALL "
            + "SELECT stop_id, record_hash FROM silver.stop_search"),
        "verdicts", strings(spark, "SELECT source, file_checksum, row_number, dedupe_key, source_record_id, verdict, "
            + "rule, silver_id FROM ops.curate_verdicts"),
        "quarantine", strings(spark, "SELECT source, file_checksum, row_number, rule, reason, disposition, raw_text "
            + "FROM ops.quarantine WHERE stage = 'curate'"),
        "manifest", strings(spark, "SELECT source, checksum, rows_read, rows_accepted, rows_duplicate, "
            + "rows_quarantined, CAST(duplicate_rules AS STRING) FROM ops.ingest_manifest"));
  }

  static List<String> strings(SparkSession spark, String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  /**
   * The hardest increment: a Chicago update that moves records to other case numbers. Record 9000001 leaves case
   * JZ100001 for JZ100009, so JZ100001 gets a new winner (9000002, a loser before); 9000003 leaves JZ100003 for
   * JZ100001, so JZ100003 has no record left and its incident goes. The increment's verdicts and silver rows of
   * the touched groups equal a full run's over both files (pure core, no tables written).
   */
  @Test
  void anUpdateThatMovesRecordsBetweenCasesGivesTheFullRunsVerdicts() {
    SparkSession spark = Warehouses.generated(); // for its ref tables
    SourceSpec spec = SourceSpec.load("chicago_crimes");
    Dataset<Row> first = bronze(spark, spec, "f1", row(9000001, "JZ100001", "01/02/2024"),
        row(9000002, "JZ100001", "01/02/2024"), row(9000003, "JZ100003", "01/02/2024"));
    Dataset<Row> update = bronze(spark, spec, "f2", row(9000001, "JZ100009", "02/03/2024"),
        row(9000003, "JZ100001", "02/03/2024"));
    Dataset<Row> areas = Delta.read(spark, Tables.REF_AREAS);
    Dataset<Row> taxonomy = Delta.read(spark, Tables.REF_OFFENCE_TAXONOMY);
    Dataset<Row> agencies = Curation.agencies(spark, RefData.agencies());
    Curation.Bounds bounds = CurateJob.Params.of(SparkTestSupport.config(), List.of("chicago_crimes"), false).bounds()
        .get("chicago");

    // each frame computed once (the plans are deep: windows and a spatial join)
    Keep once = Keep.MATERIALIZE;
    CurateJob.Curated before = CurateJob.transform(first, spec, areas, taxonomy, agencies, bounds, once);
    CurateJob.Prepared fresh = CurateJob.prepare(update, spec, taxonomy, bounds, once);
    Increment.Scope scope = Increment.of(fresh.keyed(), Reconciliation.verdicts(before, spec, "w", "r1"), spec.dedupe());
    CurateJob.Curated inc = CurateJob.resolve(fresh, CurateJob.earlier(first, scope.earlier(), spec, taxonomy, bounds),
        scope.groups(), spec, areas, agencies, once);
    CurateJob.Curated full = CurateJob.transform(first.unionByName(update), spec, areas, taxonomy, agencies, bounds,
        once);

    assertThat(strings(scope.groups().orderBy("dedupe_key"))).containsExactly("[chicago_crimes:case:JZ100001]",
        "[chicago_crimes:case:JZ100003]", "[chicago_crimes:case:JZ100009]");
    assertThat(strings(inc.silver().select("case_number", "source_record_id", "victim_count", "record_hash")))
        .containsExactlyElementsOf(strings(full.silver().select("case_number", "source_record_id", "victim_count",
            "record_hash")))
        .containsExactly("[JZ100001,9000002,3," + hash(full, "JZ100001") + "]",
            "[JZ100009,9000001,1," + hash(full, "JZ100009") + "]");
    String[] verdict = {"file_checksum", "row_number", "dedupe_key", "verdict", "rule", "silver_id"};
    assertThat(strings(Reconciliation.verdicts(inc, spec, "w", "r2").selectExpr(verdict)))
        .containsExactlyElementsOf(strings(Reconciliation.verdicts(full, spec, "w", "r2").selectExpr(verdict)));
  }

  static String hash(CurateJob.Curated c, String caseNumber) {
    return c.silver().where(col("case_number").equalTo(caseNumber)).select("record_hash").head().getString(0);
  }

  static List<String> strings(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  static Map<String, String> row(long id, String caseNumber, String day) {
    return Map.ofEntries(Map.entry("id", String.valueOf(id)), Map.entry("case_number", caseNumber),
        Map.entry("date", day + " 10:00:00 PM"), Map.entry("block", "040XX N KEDZIE AVE"), Map.entry("iucr", "0610"),
        Map.entry("primary_type", "BURGLARY"), Map.entry("description", "FORCIBLE ENTRY"),
        Map.entry("location_description", "RESIDENCE"), Map.entry("arrest", "false"), Map.entry("domestic", "false"),
        Map.entry("beat", "1724"), Map.entry("district", "017"), Map.entry("updated_on", day + " 11:00:00 PM"),
        Map.entry("latitude", "41.955"), Map.entry("longitude", "-87.708"));
  }

  /** Bronze rows of one file: the given raw values, lineage filled in, every other column null. */
  @SafeVarargs
  static Dataset<Row> bronze(SparkSession spark, SourceSpec spec, String file, Map<String, String>... rows) {
    List<Row> out = new ArrayList<>();
    long n = 0;
    for (Map<String, String> r : rows) {
      n++;
      List<Object> values = new ArrayList<>();
      for (StructField f : Tables.bronze(spec).schema().fields()) {
        values.add(switch (f.name()) {
          case "_source_file" -> "/landing/chicago_crimes/" + file + ".csv";
          case "_file_checksum" -> file;
          case "_row_number" -> n;
          case "_ingest_run_id" -> "ingest-" + file;
          case "_ingested_at" -> Timestamp.valueOf("2024-03-01 00:00:00");
          default -> r.get(f.name());
        });
      }
      out.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(out, Tables.bronze(spec).schema());
  }
}
