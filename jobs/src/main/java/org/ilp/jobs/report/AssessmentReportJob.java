package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.assess.Periods;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.UsageError;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * The assessment report people read: gold.crime_stats, gold.threat_assessment, gold.crime_trends and
 * gold.early_warnings of one assessed period and level → a self-contained HTML page and its Markdown
 * twin under {@code <warehouse>/reports/} ({@link ReportRenderer}: charts drawn with JFreeChart and
 * embedded, no network needed to view).
 *
 * <p>The request is checked first, against the list of what was assessed (one small query): a period,
 * period type, jurisdiction, level or area that does not exist is a usage error (exit 2) whose
 * message lists what does, before any report query runs.
 *
 * <p><b>Inputs:</b> the gold tables of an assessed period (run `ilp assess` first).
 * <b>Knobs:</b> --period (2019-02, 2024-Q4, 2024), --level national|regional|local, --area CODE (that area
 * and its children), --jurisdiction, --top N (threat rows, default 15).
 * <b>Output:</b> {@code reports/assessment_<jurisdiction>_<level>[_<area>]_<period>.html|.md}.
 */
public final class AssessmentReportJob {
  public static final String JOB = "report";

  private AssessmentReportJob() {}

  public record Params(Periods type, LocalDate period, String level, String area, String jurisdiction, int top) {
    public Params {
      if (!List.of("national", "regional", "local").contains(level)) {
        throw new IllegalArgumentException("--level must be national, regional or local: " + level);
      }
      if (top < 1) {
        throw new IllegalArgumentException("--top must be >= 1");
      }
      if (type == Periods.WEEK) {
        throw new IllegalArgumentException("reports cover assessed months, quarters or years, not weeks");
      }
    }

    /** Parses --period as written: its syntax names the type (2019-02, 2024-Q4, 2024). */
    public static Params of(String period, String level, String area, String jurisdiction, int top) {
      Periods type = Periods.typeOf(period, Periods.MONTH);
      return new Params(type, type.parse(period), level, area, jurisdiction, top);
    }

    public String label() {
      return type.format(period);
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("kind", "assessment");
      m.put("period_type", type.label());
      m.put("period", period.toString());
      m.put("level", level);
      m.put("area", area == null ? "" : area);
      m.put("jurisdiction", jurisdiction == null ? "" : jurisdiction);
      m.put("top", String.valueOf(top));
      return m;
    }
  }

  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("read", "gold tables of " + p.type().label() + " " + p.label());
    String jurisdiction = validate(spark, p);
    ReportModel model = AssessmentReportModel.build(spark, ctx, p, jurisdiction);
    ctx.stageDone(model.threats().size() + " threat rows, " + model.warningsTotal() + " early warnings");

    ctx.stage("render", "HTML and Markdown report");
    Path dir = ctx.config().warehouse().resolve("reports");
    String base = "assessment_" + jurisdiction + "_" + p.level() + (p.area() == null ? "" : "_" + p.area()) + "_"
        + p.label();
    List<Path> written;
    try {
      written = ReportRenderer.write(model, dir, base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.stageDone("files written: " + written);
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.GOLD_THREAT_ASSESSMENT.name(),
        (long) model.threats().size()), Map.of(), 0L, Delta.versions(spark, AssessmentReportModel.INPUTS), Map.of(),
        Duration.between(ctx.startedAt(), Instant.now()), "report " + written.get(0));
  }

  /**
   * Checks the request against what was assessed and returns the jurisdiction to report on.
   *
   * @throws UsageError naming what exists when the period, jurisdiction, level or area was not assessed
   */
  static String validate(SparkSession spark, Params p) {
    if (!Delta.exists(spark, Tables.GOLD_CRIME_STATS)) {
      throw new UsageError("nothing has been assessed yet (no " + Tables.GOLD_CRIME_STATS + "): run `ilp assess --period "
          + p.label() + "` first");
    }
    Map<String, TreeSet<String>> assessed = new TreeMap<>(); // "type period" -> jurisdictions
    boolean found = false;
    TreeSet<String> here = new TreeSet<>();
    for (Row r : Delta.read(spark, Tables.GOLD_CRIME_STATS).select("period_type", "period", "jurisdiction").distinct()
        .collectAsList()) {
      Periods t = Periods.of(r.getString(0));
      assessed.computeIfAbsent(t.label() + " " + t.format(r.getDate(1).toLocalDate()), k -> new TreeSet<>())
          .add(r.getString(2));
      if (t == p.type() && r.getDate(1).toLocalDate().equals(p.period())) {
        found = true;
        here.add(r.getString(2));
      }
    }
    if (!found) {
      throw new UsageError(p.type().label() + " " + p.label() + " has not been assessed (run `ilp assess --period "
          + p.label() + "`). Assessed: " + describe(assessed));
    }
    String j = p.jurisdiction();
    if (j == null) {
      if (here.size() > 1) {
        throw new UsageError("several jurisdictions were assessed for " + p.label() + " " + here
            + ": choose one with --jurisdiction");
      }
      j = here.first();
    } else if (!here.contains(j)) {
      throw new UsageError("jurisdiction '" + j + "' was not assessed for " + p.label() + "; assessed: " + here
          + ". Everything assessed: " + describe(assessed));
    }
    Column scope = col("period_type").equalTo(lit(p.type().label())).and(col("period").equalTo(lit(Date.valueOf(p.period()))))
        .and(col("jurisdiction").equalTo(lit(j)));
    List<String> levels = new ArrayList<>();
    Delta.read(spark, Tables.GOLD_CRIME_STATS).where(scope).select("level").distinct().collectAsList()
        .forEach(r -> levels.add(r.getString(0)));
    if (!levels.contains(p.level())) {
      throw new UsageError("no " + p.level() + " rows for " + j + " " + p.label() + "; levels: " + levels);
    }
    if (p.area() != null && Delta.read(spark, Tables.GOLD_CRIME_STATS).where(scope.and(col("area_code").equalTo(p.area())
        .or(col("parent_code").equalTo(p.area())))).isEmpty()) {
      throw new UsageError("area " + p.area() + " has no rows in the " + j + " assessment of " + p.label()
          + " (use an area code of ref.areas, e.g. from `ilp sql \"SELECT DISTINCT area_code, area_name FROM "
          + Tables.GOLD_CRIME_STATS + "\"`)");
    }
    return j;
  }

  private static String describe(Map<String, TreeSet<String>> assessed) {
    if (assessed.isEmpty()) {
      return "nothing";
    }
    List<String> parts = new ArrayList<>();
    assessed.forEach((k, v) -> parts.add(k + " " + v));
    return String.join("; ", parts);
  }
}
