package org.ilp.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduled pipeline (`ilp run`: ref → ingest all sources → curate) over the generator's output,
 * checked against the generator's own ground truth: every planted malformed record is in
 * ops.quarantine at its file and row with a reason, bad files are recorded not fatal, each planted
 * duplicate kind is counted under its rule, and a second run changes nothing.
 */
@ExtendWith(SparkTestSupport.class)
@Order(20)
class GeneratedDataPipelineTest {
  static Path landing;
  static SparkSession spark;
  static JsonNode truth;

  @BeforeAll
  static void runPipeline() {
    spark = Warehouses.generated();
    landing = Warehouses.landing();
    truth = Warehouses.truth();
  }

  static long count(String sql) {
    return spark.sql(sql).head().getLong(0);
  }

  static String base(String file) {
    return file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file;
  }

  @Test
  void everyPlantedMalformedRecordIsInQuarantineWithAReason() {
    JsonNode rows = truth.get("malformed_rows").get("rows");
    assertThat(rows.size()).isGreaterThanOrEqualTo(20);
    // one read of the quarantine; each planted record is looked up by file name and row
    Map<String, List<Row>> byFileRow = new java.util.HashMap<>();
    for (Row q : spark.sql("SELECT source_file, row_number, rule, reason, disposition FROM ops.quarantine "
        + "WHERE row_number IS NOT NULL").collectAsList()) {
      String name = q.getString(0).substring(q.getString(0).lastIndexOf('/') + 1);
      byFileRow.computeIfAbsent(base(name) + ":" + q.getLong(1), k -> new java.util.ArrayList<>()).add(q);
    }
    for (JsonNode m : rows) {
      String kind = m.get("kind").asText();
      String file = m.get("file").asText();
      List<Row> q = byFileRow.getOrDefault(base(file.substring(file.lastIndexOf('/') + 1)) + ":" + m.get("row").asLong(),
          List.of());
      assertThat(q).as(kind + " at " + file + ":" + m.get("row").asLong()).hasSize(1);
      assertThat(q.get(0).getString(3)).isNotBlank();
      boolean coordinates = kind.contains("out_of_range") || kind.equals("zero_coordinates");
      assertThat(q.get(0).getString(4)).as(kind).isEqualTo(coordinates ? "flagged" : "rejected");
    }
  }

  @Test
  void badFilesAreRecordedAndTheRunGoesOn() {
    Map<String, String> expected = Map.of("truncated_gzip", "rejected", "empty_file", "empty",
        "header_only", "ok", "unknown_extra_column", "ok");
    Map<String, String> status = new java.util.HashMap<>();
    spark.sql("SELECT path, status FROM ops.ingest_manifest").collectAsList().forEach(r -> status.put(r.getString(0),
        r.getString(1)));
    for (JsonNode f : truth.get("bad_files")) {
      List<String> hits = status.keySet().stream().filter(k -> k.endsWith("/" + f.get("path").asText())).toList();
      assertThat(hits).as(f.get("path").asText()).hasSize(1);
      assertThat(status.get(hits.get(0))).as(f.get("path").asText()).isEqualTo(expected.get(f.get("kind").asText()));
    }
    assertThat(count("SELECT count(*) FROM ops.ingest_manifest WHERE extra_columns = 'extra_note'")).isEqualTo(1);
  }

  @Test
  void plantedDuplicatesAreCountedUnderTheirRules() {
    JsonNode d = truth.get("duplicates");
    assertThat(count("SELECT sum(coalesce(duplicate_rules['dup.no_location_copy'], 0)) FROM ops.ingest_manifest"))
        .isEqualTo(d.get("uk_no_location_copies").get("count").asLong());
    assertThat(count("SELECT sum(coalesce(duplicate_rules['dup.crime_id_other_month'], 0)) FROM ops.ingest_manifest"))
        .isEqualTo(d.get("ni_repeated_crime_ids").get("count").asLong());
    assertThat(count("SELECT sum(coalesce(duplicate_rules['dup.case_number_per_victim'], 0)) FROM ops.ingest_manifest"))
        .isEqualTo(d.get("chicago_homicide_multi_victim").get("extra_victim_rows").asLong());
    assertThat(count("SELECT sum(coalesce(duplicate_rules['dup.republished_copy'], 0)) FROM ops.ingest_manifest "
        + "WHERE source = 'chicago_crimes'")).isEqualTo(d.get("chicago_api_republished").get("count").asLong());
    List<String> ids = new java.util.ArrayList<>();
    d.get("city_of_london_republished").get("instances").forEach(i -> ids.add("'" + i.get("crime_id").asText() + "'"));
    d.get("chicago_api_republished").get("instances").forEach(i -> ids.add("'" + i.get("id").asText() + "'"));
    Map<String, Row> silver = new java.util.HashMap<>();
    spark.sql("SELECT source, source_record_id, outcome, arrest FROM silver.incidents WHERE source_record_id IN ("
        + String.join(",", ids) + ")").collectAsList().forEach(r -> silver.put(r.getString(0) + "|" + r.getString(1), r));
    for (JsonNode i : d.get("city_of_london_republished").get("instances")) {
      assertThat(silver.get("police_uk_street|" + i.get("crime_id").asText()).getString(2))
          .isEqualTo(i.get("new_outcome").asText());
    }
    for (JsonNode i : d.get("chicago_api_republished").get("instances")) {
      assertThat(silver.get("chicago_crimes|" + i.get("id").asText()).getBoolean(3))
          .isEqualTo(i.get("arrest_after").asBoolean());
    }
    // every file reconciles
    assertThat(count("SELECT count(*) FROM ops.ingest_manifest WHERE rows_read <> rows_accepted + rows_duplicate + rows_quarantined"))
        .isZero();
  }

  @Test
  void generatedPointsLandInTheAreasTheyWereDrawnFrom() {
    Row r = spark.sql("SELECT count(*), sum(CASE WHEN area_regional = source_area_code THEN 1 ELSE 0 END) "
        + "FROM silver.incidents WHERE agency_level = 'regional' AND geom IS NOT NULL").head();
    assertThat(r.getLong(0)).isGreaterThan(2000);
    assertThat((double) r.getLong(1) / r.getLong(0)).isGreaterThan(0.99);
  }

  @Test
  void tablesListsEveryTableOfTheFoundation() {
    String listing = String.join("\n", TablesCommand.describe(spark));
    for (String t : List.of("bronze.police_uk_street", "bronze.police_uk_stop_search", "bronze.chicago_crimes",
        "silver.incidents", "silver.stop_search", "ref.areas", "ref.population", "ref.offence_taxonomy",
        "ops.job_runs", "ops.ingest_manifest", "ops.quarantine", "ops.dq_results")) {
      assertThat(listing).contains(t);
    }
    // the counts (one query over every table's statistics) are each table's own
    for (String t : List.of("silver.incidents", "ops.quarantine", "gold.crime_stats")) {
      assertThat(listing).containsPattern("(?m)^" + java.util.regex.Pattern.quote(t) + " +"
          + java.util.regex.Pattern.quote(String.format("%,d", spark.table(t).count())) + " ");
    }
  }

  @Test
  void aSecondRunChangesNothing() {
    Map<String, Long> before = new java.util.TreeMap<>();
    for (TableDef t : Tables.all()) {
      before.put(t.name(), Delta.version(spark, t));
    }
    long rows = count("SELECT count(*) FROM silver.incidents");
    long stats = count("SELECT count(*) FROM gold.crime_stats");
    long cells = count("SELECT count(*) FROM gold.hotspot_cells");
    long evals = count("SELECT count(*) FROM gold.forecast_evaluation");
    long runs = count("SELECT count(*) FROM ops.job_runs");
    int rc = IlpCommandTestAccess.pipeline(spark, landing,
        List.of(Map.entry("police_uk_street", landing.resolve("bad_files").toString())));
    assertThat(rc).isZero();
    // every step is a no-op: no table but the run log gets a commit (bronze, silver, gold and publish alike), and
    // the run log one commit for all the steps' rows
    for (TableDef t : Tables.all()) {
      assertThat(Delta.version(spark, t)).as(t.name())
          .isEqualTo(before.get(t.name()) + (t == Tables.OPS_JOB_RUNS ? 1 : 0));
    }
    assertThat(count("SELECT count(*) FROM silver.incidents")).isEqualTo(rows);
    assertThat(count("SELECT count(*) FROM gold.crime_stats")).isEqualTo(stats).isGreaterThan(0);
    assertThat(count("SELECT count(*) FROM gold.hotspot_cells")).isEqualTo(cells).isGreaterThan(0);
    assertThat(count("SELECT count(*) FROM gold.forecast_evaluation")).isEqualTo(evals).isGreaterThan(0);
    long newRuns = count("SELECT count(*) FROM ops.job_runs") - runs;
    assertThat(newRuns).isGreaterThanOrEqualTo(7);
    assertThat(count("SELECT count(*) FROM (SELECT * FROM ops.job_runs ORDER BY started_at DESC LIMIT " + newRuns
        + ") WHERE status <> 'noop'")).isZero();
  }
}
