package org.ilp.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.report.AssessmentReportJob;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What users see of the generated warehouse: the column comments a BI tool shows, the hotspot pages'
 * emerging classes against the month's map, the assessment report's numbers against the gold tables,
 * and `report` refusing what was never assessed.
 */
@ExtendWith(SparkTestSupport.class)
@Order(22)
class GeneratedProductsTest {
  static SparkSession spark;

  @BeforeAll
  static void warehouse() {
    spark = Warehouses.generated();
  }

  static long count(String sql) {
    return spark.sql(sql).head().getLong(0);
  }

  /** Where the tables for the Spark-free reader go (the interop module's test reads them: ../jobs/target/...). */
  static final Path INTEROP_FIXTURE = Path.of("target", "interop-fixture");

  /**
   * The fixture of the interop module's test (Delta Kernel, no Spark on its class path): every gold and publish table
   * of the generated warehouse copied as it is on disk (its Delta log and files), with the rows Spark reads as JSON
   * lines beside it ({@code <table>.expected.jsonl}). That test must read the same rows.
   */
  @Test
  void goldAndPublishTablesAreExportedForTheSparkFreeReader() throws Exception {
    org.apache.commons.io.FileUtils.deleteDirectory(INTEROP_FIXTURE.toFile());
    Files.createDirectories(INTEROP_FIXTURE);
    List<String> exported = new java.util.ArrayList<>();
    for (TableDef t : Tables.all()) {
      if (!(t.database().equals("gold") || t.database().equals("publish")) || !Delta.exists(spark, t)) {
        continue;
      }
      Path copy = INTEROP_FIXTURE.resolve(t.name());
      org.apache.commons.io.FileUtils.copyDirectory(Path.of(java.net.URI.create(Delta.location(spark, t))).toFile(),
          copy.toFile());
      // the table as the catalog has it: the version just copied (nothing writes meanwhile)
      List<String> rows = spark.table(t.name()).toJSON().collectAsList();
      Files.write(INTEROP_FIXTURE.resolve(t.name() + ".expected.jsonl"), rows);
      exported.add(t.name());
    }
    assertThat(exported).contains("gold.crime_stats", "gold.hotspot_cells", "gold.forecasts", "publish.crime_stats",
        "publish.threat_assessment").hasSizeGreaterThan(15);
  }

  @Test
  void everyTableHasItsContractsCommentOnEveryColumn() {
    int tables = 0;
    for (TableDef t : Tables.all()) {
      if (!Delta.exists(spark, t)) {
        continue;
      }
      tables += Tables.ON_REQUEST.contains(t) ? 0 : 1;
      Map<String, String> comments = new HashMap<>();
      for (Row r : spark.sql("DESCRIBE TABLE " + t.name()).collectAsList()) {
        if (!r.getString(0).startsWith("#") && !r.getString(0).isBlank()) {
          comments.put(r.getString(0), r.getString(2));
        }
      }
      assertThat(comments.keySet()).as(t.name()).containsExactlyInAnyOrderElementsOf(t.columns());
      t.columns().forEach(c -> assertThat(comments.get(c)).as(t.name() + "." + c).isEqualTo(t.commentOf(c)));
    }
    // `ilp run` wrote every table of the registry but those written on request (ops.disclosure_log)
    assertThat(tables).isEqualTo(Tables.all().size() - Tables.ON_REQUEST.size());
  }

  @Test
  void aNewOrConsecutiveHotSpotIsAHotSpotOnTheMonthsMap() {
    String join = " FROM gold.emerging_hotspots e JOIN gold.hotspot_cells c USING (period, period_end, scope, offence, "
        + "cell_size_m, cell_id) WHERE e.period = e.period_end ";
    assertThat(count("SELECT count(*)" + join)).isGreaterThan(5000);
    // the final slice is the map of that month, cell by cell
    assertThat(count("SELECT count(*)" + join + "AND e.final_class <> c.class")).isZero();
    // every pattern whose definition needs the final slice hot is hot on the map
    assertThat(count("SELECT count(*)" + join + "AND e.pattern IN ('new hot spot', 'consecutive hot spot', "
        + "'intensifying hot spot', 'diminishing hot spot', 'sporadic hot spot', 'oscillating hot spot') "
        + "AND c.class NOT LIKE 'hot%'")).isZero();
    assertThat(count("SELECT count(*)" + join + "AND e.pattern IN ('new hot spot', 'consecutive hot spot')"))
        .as("the planted hotspots' cells").isGreaterThan(0);
  }

  @Test
  void theAssessmentReportShowsTheCityRowAndUsesTheGoldTablesNumbersEverywhere() throws Exception {
    var p = AssessmentReportJob.Params.of("2024-12", "regional", null, "chicago", 15);
    Warehouses.run(AssessmentReportJob.JOB, p.asMap(), ctx -> AssessmentReportJob.run(ctx, p));
    String html = Files.readString(SparkTestSupport.warehouse().resolve("reports/assessment_chicago_regional_2024-12.html"));
    String scope = " WHERE jurisdiction = 'chicago' AND period_type = 'month' AND period = DATE'2024-12-01' "
        + "AND level = 'regional' ";
    long rises = count("SELECT count(*) FROM gold.threat_assessment" + scope + "AND trend_class = 'significant-increase'");
    long alarms = count("SELECT count(*) FROM gold.early_warnings" + scope + "AND alarm");
    long groups = count("SELECT count(*) FROM gold.threat_assessment" + scope);
    // the city-wide row, with the significance gold.crime_stats gives it, above the ranked table
    Row city = spark.sql("SELECT count, significant, yoy_change_pct FROM gold.crime_stats WHERE jurisdiction = 'chicago' "
        + "AND period = DATE'2024-12-01' AND level = 'national' AND iccs_l1 = 'ALL'").head();
    int at = html.indexOf("City of Chicago</td>");
    assertThat(at).isPositive().isLessThan(html.indexOf("Ranked threats</h2>"));
    String cityRow = html.substring(at, html.indexOf("</tr>", at));
    assertThat(cityRow).contains(String.format(java.util.Locale.UK, "%,d", city.getLong(0)));
    assertThat(cityRow).contains(city.isNullAt(1) ? "no comparable earlier period"
        : city.getBoolean(1) ? "significant" : "no significant change");
    // the cards and the judgements state the same counts as the tables
    assertThat(html).contains("<div class=\"lab\">Significant rises</div><div class=\"val\">" + rises + "</div>");
    assertThat(html).contains(String.format(java.util.Locale.UK, "among %,d regional", groups));
    assertThat(html).contains("<div class=\"lab\">Early warnings</div><div class=\"val\">" + alarms + "</div>");
    if (alarms > 0) {
      assertThat(html).contains(alarms + " early warning" + (alarms == 1 ? ";" : "s;"));
    }
    assertThat(Files.exists(SparkTestSupport.warehouse().resolve("reports/assessment_chicago_regional_2024-12.md")))
        .isTrue();
  }

  static String[] cli(String... args) {
    return IlpCommandTestAccess.execute(args);
  }

  @Test
  void reportRefusesWhatWasNeverAssessedAndSaysWhatWas() {
    Path wh = SparkTestSupport.warehouse();
    java.util.function.Function<String[], String[]> run = a -> {
      String[] all = new String[a.length + 2];
      System.arraycopy(a, 0, all, 0, a.length);
      all[a.length] = "--warehouse";
      all[a.length + 1] = wh.toString();
      return cli(all);
    };
    for (List<String> args : List.of(List.of("report", "assessment", "--period", "2024-Q4"),
        List.of("report", "assessment", "--period", "2023-05"),
        List.of("report", "assessment", "--period", "2024-12", "--jurisdiction", "london"))) {
      String[] r = run.apply(args.toArray(String[]::new));
      assertThat(r[0]).as(args.toString()).isEqualTo("2");
      String said = r[1] + r[2] + logOf(args);
      assertThat(said).as(args.toString()).contains("month 2024-12");
    }
    // a period in no known syntax is refused before any Spark work
    String[] bad = run.apply(new String[] {"report", "assessment", "--period", "Dec 2024"});
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[2]).contains("cannot read period");
    // the session the tests share is still up
    assertThat(spark.sql("SELECT 1").head().getInt(0)).isEqualTo(1);
  }

  /** The usage error a job run reports: its ops.job_runs row (the console log goes to the test log). */
  static String logOf(List<String> args) {
    return spark.sql("SELECT error FROM ops.job_runs WHERE job = 'report' AND status = 'failed' ORDER BY started_at DESC "
        + "LIMIT 1").head().getString(0);
  }
}
