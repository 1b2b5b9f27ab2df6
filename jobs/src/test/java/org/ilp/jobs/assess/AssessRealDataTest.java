package org.ilp.jobs.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.publish.DisclosureControl;
import org.ilp.common.publish.SuppressionAudit;
import org.ilp.common.ref.CsvConf;
import org.ilp.common.spark.JobResult;
import org.ilp.common.stats.PoissonRateTest;
import org.ilp.common.testing.RealCsv;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `assess` on the real police.uk slices (2018-10: Avon and Somerset, BTP, City of London, Northern
 * Ireland; 2018-11: Northern Ireland; 2019-01: 120 rows of each of 41 forces). Counts are checked
 * against a count written independently in plain Java over the CSV files; the published copy is
 * attacked with linear programming ({@link SuppressionAudit}).
 */
@ExtendWith(SparkTestSupport.class)
@Order(11)
class AssessRealDataTest {
  static SparkSession spark;

  @BeforeAll
  static void pipeline() {
    spark = Warehouses.real();
  }

  /** The fixture's assessment run (2018-10 .. 2019-01), from ops.job_runs. */
  static Row backfillRun() {
    return spark.sql("SELECT run_id, rows_out, output_versions FROM ops.job_runs WHERE job = 'assess' AND status = "
        + "'succeeded' AND parameters['period'] = '2018-10-01' AND parameters['to'] = '2019-01-01' "
        + "ORDER BY started_at LIMIT 1").head();
  }

  /**
   * Benjamini–Hochberg by its definition, q_i = min over p_j ≥ p_i of m·p_j / rank_j (O(m²), written
   * independently of the shipped Spark implementation).
   */
  static double[] bhByDefinition(double[] p) {
    int m = p.length;
    double[] sorted = p.clone();
    java.util.Arrays.sort(sorted);
    double[] q = new double[m];
    for (int i = 0; i < m; i++) {
      double best = 1.0;
      for (int j = 0; j < m; j++) {
        if (sorted[j] >= p[i]) {
          int rank = j + 1;
          while (rank < m && sorted[rank] == sorted[j]) {
            rank++; // the largest rank of tied values: the step-up procedure rejects ties together
          }
          best = Math.min(best, m * sorted[j] / rank);
        }
      }
      q[i] = best;
    }
    return q;
  }

  static long count(String sql) {
    return spark.sql(sql).head().getLong(0);
  }

  /** Independent count: crimes (not anti-social behaviour) per (month, "Falls within"), one per Crime ID in its first month. */
  static Map<String, Long> independentCounts() {
    Map<String, String> firstMonth = new HashMap<>(); // Crime ID -> month|falls within
    Map<String, Long> out = new HashMap<>();
    for (Path dir : List.of(RealCsv.dir("police_uk_street"), RealCsv.dir("police_uk_street_pip_2019-01"))) {
      for (Path f : RealCsv.files(dir)) {
        for (String[] r : RealCsv.records(f)) {
          if ("Anti-social behaviour".equals(r[9])) {
            continue;
          }
          String key = r[1] + "|" + r[3];
          if (RealCsv.blank(r[0])) {
            out.merge(key, 1L, Long::sum);
          } else {
            firstMonth.merge(r[0], key, (a, b) -> a.compareTo(b) <= 0 ? a : b);
          }
        }
      }
    }
    firstMonth.values().forEach(k -> out.merge(k, 1L, Long::sum));
    return out;
  }

  @Test
  void forceAndNationalCountsPerMonthEqualAnIndependentCount() {
    Map<String, String> forceCode = new HashMap<>();
    Map<String, String> forceLevel = new HashMap<>();
    for (Map<String, String> a : CsvConf.read("areas/agencies.csv")) {
      forceCode.put(a.get("agency_name"), a.get("area_code"));
      forceLevel.put(a.get("agency_name"), a.get("agency_level"));
    }
    Map<String, Long> expected = independentCounts();
    // the assessment's all-crime counts per month, level and area, read once
    Map<String, Long> gold = new HashMap<>();
    spark.sql("SELECT substr(cast(period AS string), 1, 7), level, area_code, count FROM gold.crime_stats "
        + "WHERE iccs_l1 = 'ALL'").collectAsList().forEach(r -> gold.put(r.getString(0) + "|" + r.getString(1) + "|"
        + r.getString(2), r.getLong(3)));
    Map<String, Long> ew = new HashMap<>(); // month -> E&W forces + BTP
    int checked = 0;
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      String month = e.getKey().split("\\|")[0];
      String force = e.getKey().split("\\|")[1];
      if (!List.of("2018-10", "2019-01").contains(month)) {
        continue;
      }
      String code = forceCode.get(force);
      if ("regional".equals(forceLevel.get(force))) {
        assertThat(gold.get(month + "|regional|" + code)).as(force + " " + month).isEqualTo(e.getValue());
        checked++;
      }
      if (code == null || code.startsWith("E") || code.startsWith("W")) {
        ew.merge(month, e.getValue(), Long::sum);
      } else {
        assertThat(gold.get(month + "|national|" + code)).as(force + " " + month).isEqualTo(e.getValue());
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(40); // 2019-01: 40 forces of E&W (NI is national); 2018-10: Avon, City
    for (Map.Entry<String, Long> e : ew.entrySet()) {
      // BTP has no territory: its crimes count nationally where their point lies (or as unallocated)
      assertThat(gold.getOrDefault(e.getKey() + "|national|K04000001", 0L)
          + gold.getOrDefault(e.getKey() + "|national|uk#unallocated", 0L))
          .as("England and Wales " + e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void totalsAreTheSumsOfTheirParts() {
    // every level-1 row is the sum of its level-2 rows, and every national row the sum of its regional rows
    assertThat(count("SELECT count(*) FROM gold.crime_stats a JOIN (SELECT period, level, area_code, iccs_l1, sum(count) s "
        + "FROM gold.crime_stats WHERE iccs_l2 IS NOT NULL GROUP BY 1, 2, 3, 4) b USING (period, level, area_code, iccs_l1) "
        + "WHERE a.iccs_l2 IS NULL AND a.count <> b.s")).isZero();
    assertThat(count("SELECT count(*) FROM gold.crime_stats n JOIN (SELECT period, parent_code, iccs_l1, iccs_l2, "
        + "sum(count) s FROM gold.crime_stats WHERE level = 'regional' GROUP BY 1, 2, 3, 4) r "
        + "ON n.period = r.period AND n.area_code = r.parent_code AND n.iccs_l1 = r.iccs_l1 AND n.iccs_l2 <=> r.iccs_l2 "
        + "WHERE n.level = 'national' AND n.count <> r.s")).isZero();
    assertThat(count("SELECT count(*) FROM gold.crime_stats WHERE level = 'national'")).isGreaterThan(10);
  }

  @Test
  void pValuesAndQValuesMatchTheirDefinitions() {
    // 2019-01 vs 2018-12: no data in December -> prev is null, never 0; 2018-10 has no earlier month either
    assertThat(count("SELECT count(*) FROM gold.crime_stats WHERE period = DATE'2019-01-01' AND prev_count IS NOT NULL"))
        .isZero();
    assertThat(count("SELECT count(*) FROM gold.crime_stats WHERE yoy_count IS NOT NULL")).isZero();
    // Northern Ireland 2018-11: the change from October, row by row
    List<Row> rows = spark.sql("SELECT count, prev_count, p_value_prev, q_value_prev, period_days FROM gold.crime_stats "
        + "WHERE period = DATE'2018-11-01' AND p_value_prev IS NOT NULL ORDER BY area_code, iccs_l1, iccs_l2").collectAsList();
    assertThat(rows).hasSizeGreaterThan(5);
    double[] p = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertThat(r.getInt(4)).isEqualTo(30);
      p[i] = PoissonRateTest.twoSidedP(r.getLong(0), 30, r.getLong(1), 31);
      assertThat(r.getDouble(2)).isCloseTo(p[i], within(1e-12));
    }
    double[] q = bhByDefinition(p);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).getDouble(3)).isCloseTo(q[i], within(1e-12));
    }
    // one run per period's rows (replace is per period)
    assertThat(count("SELECT count(DISTINCT run_id) FROM gold.crime_stats WHERE period = DATE'2018-10-01'")).isEqualTo(1);
    assertThat(count("SELECT count(DISTINCT run_id) FROM gold.crime_stats WHERE period = DATE'2018-11-01'")).isEqualTo(1);
    // the backfill skipped 2018-12, which has no data: no rows, not zeros
    assertThat(count("SELECT count(*) FROM gold.crime_stats WHERE period = DATE'2018-12-01'")).isZero();
  }

  @Test
  void reRunningAPeriodReplacesItsRowsOnly() {
    long before = count("SELECT count(*) FROM gold.crime_stats");
    long oct = count("SELECT count(*) FROM gold.crime_stats WHERE period = DATE'2018-10-01'");
    // unchanged inputs: repeating the fixture's run is a no-op; a forced run of one month replaces that month
    // only (the other months keep the rows of the first run)
    String backfill = backfillRun().getString(0);
    JobResult noop = Warehouses.assess(Warehouses.REAL_FROM, Warehouses.REAL_TO, false);
    assertThat(noop.status()).isEqualTo("noop");
    assertThat(count("SELECT count(*) FROM gold.crime_stats WHERE run_id <> '" + backfill + "'")).isZero();
    JobResult again = Warehouses.assess("2018-10", true);
    assertThat(again.status()).isEqualTo("succeeded");
    for (String t : List.of("gold.crime_stats", "gold.threat_assessment", "publish.crime_stats")) {
      assertThat(count("SELECT count(*) FROM " + t + " WHERE period <> DATE'2018-10-01' AND run_id <> '" + backfill + "'"))
          .as(t).isZero();
    }
    assertThat(count("SELECT count(*) FROM gold.crime_stats")).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM gold.crime_stats WHERE period = DATE'2018-10-01'")).isEqualTo(oct);
    assertThat(spark.sql("SELECT DISTINCT run_id FROM gold.crime_stats WHERE period = DATE'2018-10-01'")
        .collectAsList()).extracting(r -> r.getString(0)).containsExactly(again.runId());
    assertThat(count("SELECT count(*) FROM ops.job_runs WHERE job = 'assess' AND status = 'succeeded'")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void publishedTablesShowNoSmallCountAndNoSuppressedValueCanBeRecomputed() {
    int k = SparkTestSupport.config().raw().getInt("ilp.assess.disclosure-k");
    for (String sql : List.of("SELECT count(*) FROM publish.crime_stats WHERE count BETWEEN 1 AND " + (k - 1)
            + " OR prev_count BETWEEN 1 AND " + (k - 1) + " OR yoy_count BETWEEN 1 AND " + (k - 1),
        "SELECT count(*) FROM publish.threat_assessment WHERE count BETWEEN 1 AND " + (k - 1)
            + " OR base_count BETWEEN 1 AND " + (k - 1),
        "SELECT count(*) FROM publish.crime_trends WHERE count BETWEEN 1 AND " + (k - 1)
            + " OR yoy_count BETWEEN 1 AND " + (k - 1),
        "SELECT count(*) FROM publish.early_warnings WHERE observed BETWEEN 1 AND " + (k - 1))) {
      assertThat(count(sql)).as(sql).isZero();
    }
    assertThat(count("SELECT count(*) FROM publish.crime_stats WHERE suppressed")).isGreaterThan(20);
    assertThat(count("SELECT count(*) FROM publish.crime_stats WHERE suppressed AND count IS NOT NULL")).isZero();
    // the attacker: every relation the published table itself shows, every published count, x >= 0
    for (Row period : spark.sql("SELECT DISTINCT period, jurisdiction FROM publish.crime_stats").collectAsList()) {
      List<Row> rows = spark.sql("SELECT area_code, parent_code, iccs_l1, iccs_l2, count, suppressed FROM publish.crime_stats "
          + "WHERE period = DATE'" + period.getDate(0) + "' AND jurisdiction = '" + period.getString(1) + "'").collectAsList();
      List<DisclosureControl.Cell> cells = new ArrayList<>();
      Map<String, String> areaParent = new HashMap<>();
      Map<String, String> offParent = new HashMap<>();
      Map<DisclosureControl.Key, DisclosureControl.Status> status = new HashMap<>();
      for (Row r : rows) {
        String node = r.isNullAt(3) ? r.getString(2) : r.getString(3);
        if (!r.isNullAt(1)) {
          areaParent.put(r.getString(0), r.getString(1));
        }
        if (!r.isNullAt(3)) {
          offParent.put(r.getString(3), r.getString(2));
        } else if (!"ALL".equals(r.getString(2))) {
          offParent.put(r.getString(2), "ALL");
        }
        cells.add(new DisclosureControl.Cell(r.getString(0), node, r.isNullAt(4) ? 0 : r.getLong(4)));
        status.put(new DisclosureControl.Key(r.getString(0), node),
            r.getBoolean(5) ? DisclosureControl.Status.SECONDARY : DisclosureControl.Status.PUBLISHED);
      }
      assertThat(SuppressionAudit.exposed(cells, areaParent, offParent, status)).as(period.toString()).isEmpty();
    }
  }

  /**
   * The publish, gold and ops log tables keep a symlink manifest (for engines that read Parquet but not Delta, and the
   * notebooks) that lists exactly the files of their current version, after the backfill and any re-run; the other
   * tables (silver and bronze, deletion vectors) have none.
   */
  @Test
  void servedTablesKeepASymlinkManifestOfTheirCurrentFiles() throws java.io.IOException {
    List<String> kept = new ArrayList<>();
    for (org.ilp.common.table.TableDef t : org.ilp.common.table.Tables.all()) {
      if (!org.ilp.common.table.Delta.exists(spark, t)) {
        continue;
      }
      Path dir = Path.of(java.net.URI.create(org.ilp.common.table.Delta.location(spark, t)))
          .resolve(org.ilp.common.table.Writes.MANIFEST_DIR);
      if (!t.symlinkManifest()) {
        assertThat(dir).as(t.name()).doesNotExist();
        continue;
      }
      List<String> listed = java.nio.file.Files.readAllLines(dir.resolve("manifest")).stream()
          .map(l -> Path.of(java.net.URI.create(l)).toString()).toList();
      List<String> current = java.util.Arrays.stream(spark.table(t.name()).inputFiles())
          .map(f -> Path.of(java.net.URI.create(f)).toString()).toList();
      assertThat(listed).as(t.name()).containsExactlyInAnyOrderElementsOf(current);
      kept.add(t.name());
    }
    assertThat(kept).contains("publish.crime_stats", "publish.threat_assessment", "publish.crime_trends",
        "publish.early_warnings", "gold.crime_stats", "ops.job_runs", "ops.ingest_manifest");
  }

  @Test
  void theRunIsAuditedAndSummarised() {
    Row first = backfillRun();
    assertThat(first.<String, Long>getJavaMap(1).get("gold.crime_stats")).isGreaterThan(100);
    assertThat(first.<String, Long>getJavaMap(2)).containsKey("publish.crime_stats");
    assertThat(count("SELECT count(*) FROM gold.early_warnings WHERE method IS NULL")).isZero();
    assertThat(count("SELECT count(*) FROM gold.threat_assessment WHERE rationale IS NULL OR threat_rank IS NULL")).isZero();
  }
}
