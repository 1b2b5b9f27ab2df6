package org.ilp.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.assess.CrimeCounts;
import org.ilp.common.assess.Cube;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gold in increments: a scheduled run recomputes a gold product only when the silver rows it reads changed, judged
 * from silver's change data feed, and what it recomputes equals what a run over unchanged rows had written.
 */
@ExtendWith(SparkTestSupport.class)
@Order(24)
class IncrementalGoldTest {
  static final List<TableDef> GOLD = Tables.all().stream()
      .filter(t -> t.database().equals("gold") || t.database().equals("publish")).toList();

  /**
   * On the generated warehouse (both jurisdictions assessed, Chicago's hotspots and forecasts computed, and — in the
   * whole suite — silver rewritten by a full re-curate since): a night that changes one UK record and rewrites
   * a Chicago record as it was makes `ilp run` recompute the UK assessment only. The record's changed column is
   * not one the assessment reads, so every gold and publish table then holds the same rows as before (run ids
   * aside): what a skipped step kept and what a recomputed one wrote are what a full recompute gives.
   */
  @Test
  void aRunRecomputesOnlyTheProductsWhoseSilverRowsChanged() {
    SparkSession spark = Warehouses.generated();
    Map<String, Long> before = versions(spark);
    Row uk = spark.sql("SELECT incident_id, outcome FROM silver.incidents WHERE source = 'police_uk_street' AND is_crime "
        + "ORDER BY incident_id LIMIT 1").head();
    String id = uk.getString(0);
    spark.sql("UPDATE silver.incidents SET outcome = 'Changed by a test' WHERE incident_id = '" + id + "'");
    // a rewrite of a Chicago record that puts back the same row: a change of version, not of rows
    String chicago = spark.sql("SELECT min(incident_id) FROM silver.incidents WHERE source = 'chicago_crimes' AND arrest")
        .head().getString(0);
    spark.sql("UPDATE silver.incidents SET outcome = outcome WHERE incident_id = '" + chicago + "'");
    try {
      // the UK's assessment and repeat locations read the changed rows; nothing of Chicago's recomputes
      assertThat(run(spark, Warehouses.landing())).containsOnlyKeys("assess", "repeats").containsEntry("assess", "uk")
          .containsEntry("repeats", "uk");
      Map<String, Long> after = versions(spark);
      assertThat(after.keySet()).containsExactlyElementsOf(before.keySet()).contains("gold.crime_stats",
          "gold.hotspot_cells", "gold.forecasts", "gold.repeat_location_areas", "gold.prolific_offenders");
      // a table without a new version holds the same rows by construction; one the run rewrote is compared with the
      // version before it (time travel), so only what was recomputed is read, and as digests (run ids and times aside)
      List<String> rewritten = before.keySet().stream().filter(t -> !after.get(t).equals(before.get(t))).toList();
      // an order-free digest of each version, all in one query; the rows themselves only to show a difference
      List<org.ilp.common.table.TableDigest> digests = org.ilp.common.table.TableDigest.ofEach(rewritten.stream()
          .flatMap(t -> java.util.stream.Stream.of(spark.table(t),
              spark.sql("SELECT * FROM " + t + " VERSION AS OF " + before.get(t)))).toList());
      for (int i = 0; i < rewritten.size(); i++) {
        String t = rewritten.get(i);
        var now = digests.get(2 * i);
        var was = digests.get(2 * i + 1);
        if (now.rows() != was.rows() || !now.hash().equals(was.hash())) {
          assertThat(rows(spark, t, -1)).as(t).containsExactlyElementsOf(rows(spark, t, before.get(t)));
        }
        assertThat(now.hash()).as(t).isEqualTo(was.hash());
      }
      assertThat(rewritten).hasSizeGreaterThanOrEqualTo(5); // the assessment's and the repeat locations' tables
      assertThat(after.get("gold.hotspot_cells")).isEqualTo(before.get("gold.hotspot_cells"));
    } finally {
      spark.sql("UPDATE silver.incidents SET outcome = " + (uk.isNullAt(1) ? "NULL"
          : "'" + uk.getString(1).replace("'", "''") + "'") + " WHERE incident_id = '" + id + "'");
    }
  }

  /**
   * gold.crime_counts, kept by adding silver's changes, equals one count of silver: after a change that moves crimes
   * between groups (an increment of one month), and after the change is undone on a damaged table (a group would go
   * negative: one full count repairs it). The scheduled runs that built the warehouse kept it before.
   */
  @Test
  void crimeCountsKeptByAddingSilversChangesEqualOneCountOfSilver() {
    SparkSession spark = Warehouses.generated();
    // the crimes of the first month and the smallest ICCS code of the UK source
    Row first = spark.sql("SELECT min(period_month), min(iccs_l2) FROM silver.incidents WHERE source = "
        + "'police_uk_street' AND is_crime").head();
    String group = " WHERE source = 'police_uk_street' AND period_month = DATE'" + first.getDate(0) + "' AND iccs_l2 = '"
        + first.getString(1) + "'";
    String where = group + " AND is_crime";
    String undo = "UPDATE silver.incidents SET area_local = substring(area_local, 9) WHERE area_local LIKE 'changed:%'";
    spark.sql("UPDATE silver.incidents SET area_local = concat('changed:', area_local)" + where);
    boolean undone = false;
    try {
      CrimeCounts.Refresh r = CrimeCounts.refresh(spark, false);
      assertThat(r.how()).isEqualTo("increment");
      assertThat(r.months()).isEqualTo(1);
      assertThat(counts(spark)).isEqualTo(recount(spark));
      // damage: a group of the month loses 10^6 incidents; undoing the change finds it and counts anew
      spark.sql("UPDATE gold.crime_counts SET incidents = incidents - 1000000" + group);
      spark.sql(undo);
      undone = true;
      CrimeCounts.Refresh repair = CrimeCounts.refresh(spark, false);
      assertThat(repair.how()).isEqualTo("full");
      assertThat(repair.why()).contains("below zero");
    } finally {
      if (!undone) {
        spark.sql(undo);
        CrimeCounts.refresh(spark, false);
      }
    }
    assertThat(counts(spark)).isEqualTo(recount(spark));
  }

  static List<String> counts(SparkSession spark) {
    return sorted(Delta.read(spark, Tables.GOLD_CRIME_COUNTS));
  }

  static List<String> recount(SparkSession spark) {
    return sorted(Cube.counts(Delta.read(spark, Tables.SILVER_INCIDENTS), org.apache.spark.sql.functions.lit(1))
        .select(Tables.GOLD_CRIME_COUNTS.selection()));
  }

  static List<String> sorted(org.apache.spark.sql.Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  /** Runs `ilp run` on the landing; the gold steps that computed (not no-ops): job → jurisdictions or scope. */
  static Map<String, String> run(SparkSession spark, Path landing) {
    long runs = spark.table("ops.job_runs").count();
    assertThat(IlpCommandTestAccess.pipeline(spark, landing,
        List.of(Map.entry("police_uk_street", landing.resolve("bad_files").toString())))).isZero();
    Map<String, String> computed = new LinkedHashMap<>();
    for (Row r : spark.sql("SELECT job, status, coalesce(parameters['jurisdictions'], parameters['scope'], 'all') FROM "
        + "(SELECT * FROM ops.job_runs ORDER BY started_at DESC LIMIT " + (spark.table("ops.job_runs").count() - runs)
        + ") WHERE job NOT IN ('ref', 'ingest', 'curate')").collectAsList()) {
      if (!"noop".equals(r.getString(1))) {
        computed.merge(r.getString(0), r.getString(2), (a, b) -> a + "," + b);
      }
    }
    return computed;
  }

  /** The Delta version of every gold and publish table that exists. */
  static Map<String, Long> versions(SparkSession spark) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableDef t : GOLD) {
      if (Delta.exists(spark, t)) {
        out.put(t.name(), Delta.version(spark, t));
      }
    }
    return out;
  }

  /** A table's rows at a version (-1: the current one), sorted, without the run id that wrote them. */
  static List<String> rows(SparkSession spark, String table, long version) {
    return spark.sql("SELECT * FROM " + table + (version < 0 ? "" : " VERSION AS OF " + version)).drop("run_id")
        .collectAsList().stream().map(Row::toString).sorted().toList();
  }
}
