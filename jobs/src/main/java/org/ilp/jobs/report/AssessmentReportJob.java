package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * The assessment report people read: gold.threat_assessment, gold.crime_stats, gold.crime_trends
 * and gold.early_warnings of one period and level → a self-contained HTML page and its Markdown
 * twin under {@code <warehouse>/reports/} ({@link ReportRenderer}: charts drawn with JFreeChart and
 * embedded, no network needed to view).
 *
 * <p><b>Inputs:</b> the gold tables of an assessed month (run `ilp assess` first).
 * <b>Knobs:</b> --period, --level national|regional|local, --area CODE (that area and its children),
 * --jurisdiction, --top N (threat rows, default 15).
 * <b>Output:</b> {@code reports/assessment_<jurisdiction>_<level>[_<area>]_<yyyy-mm>.html|.md}.
 */
public final class AssessmentReportJob {
  public static final String JOB = "report";

  private AssessmentReportJob() {}

  public record Params(LocalDate period, String level, String area, String jurisdiction, int top) {
    public Params {
      if (!List.of("national", "regional", "local").contains(level)) {
        throw new IllegalArgumentException("--level must be national, regional or local: " + level);
      }
      if (top < 1) {
        throw new IllegalArgumentException("--top must be >= 1");
      }
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("period", period.toString());
      m.put("level", level);
      m.put("area", area == null ? "" : area);
      m.put("jurisdiction", jurisdiction == null ? "" : jurisdiction);
      m.put("top", String.valueOf(top));
      return m;
    }
  }

  public static JobResult run(JobContext ctx, Params p) {
    Instant start = Instant.now();
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("read", "gold tables of " + p.period());
    for (String t : List.of(Tables.GOLD_CRIME_STATS, Tables.GOLD_THREAT_ASSESSMENT, Tables.GOLD_CRIME_TRENDS,
        Tables.GOLD_EARLY_WARNINGS)) {
      if (!Delta.exists(spark, t)) {
        throw new IllegalStateException(t + " does not exist: run `ilp assess --period " + p.period() + "` first");
      }
    }
    Date period = Date.valueOf(p.period());
    Column inPeriod = col("period_type").equalTo("month").and(col("period").equalTo(period));
    Dataset<Row> stats = spark.table(Tables.GOLD_CRIME_STATS).where(inPeriod);
    String jurisdiction = p.jurisdiction();
    if (jurisdiction == null) {
      List<Row> js = stats.select("jurisdiction").distinct().orderBy("jurisdiction").collectAsList();
      if (js.isEmpty()) {
        throw new IllegalArgumentException("no assessment for " + p.period() + ": run `ilp assess --period "
            + p.period().toString().substring(0, 7) + "` first");
      }
      if (js.size() > 1) {
        throw new IllegalArgumentException("several jurisdictions assessed for " + p.period() + " " + js
            + ": choose one with --jurisdiction");
      }
      jurisdiction = js.get(0).getString(0);
    }
    Column scope = col("jurisdiction").equalTo(jurisdiction).and(col("level").equalTo(p.level()));
    if (p.area() != null) {
      scope = scope.and(col("area_code").equalTo(p.area()).or(col("parent_code").equalTo(p.area())));
    }
    Dataset<Row> threat = spark.table(Tables.GOLD_THREAT_ASSESSMENT).where(inPeriod).where(scope);
    Dataset<Row> warnings = spark.table(Tables.GOLD_EARLY_WARNINGS).where(inPeriod).where(scope);
    ReportModel model = AssessmentReportModel.build(spark, ctx, p, jurisdiction, stats.where(scope), threat, warnings);
    ctx.stageDone("threat rows in the report", model.threats().size());

    ctx.stage("render", "HTML and Markdown report");
    Path dir = ctx.config().warehouse().resolve("reports");
    String base = "assessment_" + jurisdiction + "_" + p.level() + (p.area() == null ? "" : "_" + p.area()) + "_"
        + p.period().toString().substring(0, 7);
    List<Path> written;
    try {
      written = ReportRenderer.write(model, dir, base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.stageDone("files written: " + written, written.size());
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.GOLD_THREAT_ASSESSMENT, (long) model.threats().size()),
        Map.of(), 0L, Map.of(Tables.GOLD_CRIME_STATS, Delta.version(spark, Tables.GOLD_CRIME_STATS)), Map.of(),
        Duration.between(start, Instant.now()), "report " + written.get(0));
  }
}
