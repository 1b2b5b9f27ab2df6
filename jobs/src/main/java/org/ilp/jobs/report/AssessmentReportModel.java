package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.assess.Periods;
import org.ilp.common.spark.JobContext;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;

/** Reads the gold tables of one assessment into a {@link ReportModel} (small, collected results only). */
final class AssessmentReportModel {
  private AssessmentReportModel() {}

  static final List<TableDef> INPUTS = List.of(Tables.GOLD_CRIME_STATS, Tables.GOLD_THREAT_ASSESSMENT,
      Tables.GOLD_CRIME_TRENDS, Tables.GOLD_EARLY_WARNINGS);
  static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);
  static final int WARNING_ROWS = 25;
  static final Map<String, String> LEVEL_NAMES = Map.of(
      "uk|national", "nations (England and Wales, Northern Ireland)",
      "uk|regional", "police force areas",
      "uk|local", "LSOAs (as police.uk assigns them)",
      "chicago|national", "the City of Chicago",
      "chicago|regional", "police districts",
      "chicago|local", "police beats");
  static final Map<String, String> JURISDICTION_NAMES = Map.of("uk", "United Kingdom (police.uk)",
      "chicago", "Chicago (CPD)");

  static ReportModel build(SparkSession spark, JobContext ctx, AssessmentReportJob.Params p, String jurisdiction) {
    Column inPeriod = col("period_type").equalTo(lit(p.type().label())).and(col("period").equalTo(lit(Date.valueOf(p.period()))))
        .and(col("jurisdiction").equalTo(lit(jurisdiction)));
    Column scope = col("level").equalTo(p.level());
    if (p.area() != null) {
      scope = scope.and(col("area_code").equalTo(p.area()).or(col("parent_code").equalTo(p.area())));
    }
    Dataset<Row> allStats = Delta.read(spark, Tables.GOLD_CRIME_STATS).where(inPeriod);
    Dataset<Row> stats = allStats.where(scope);
    Dataset<Row> threat = Delta.read(spark, Tables.GOLD_THREAT_ASSESSMENT).where(inPeriod).where(scope);
    LocalDate lastMonth = p.type().plus(p.period(), 1).minusMonths(1);
    Dataset<Row> warnings = Delta.read(spark, Tables.GOLD_EARLY_WARNINGS).where(col("period_type").equalTo("month")
        .and(col("period").equalTo(lit(Date.valueOf(lastMonth)))).and(col("jurisdiction").equalTo(jurisdiction))).where(scope);
    double q = ctx.config().raw().getDouble("ilp.assess.q");
    String jName = JURISDICTION_NAMES.getOrDefault(jurisdiction, jurisdiction);
    String levelName = LEVEL_NAMES.getOrDefault(jurisdiction + "|" + p.level(), p.level() + " areas");
    String when = p.type() == Periods.MONTH ? p.period().format(MONTH) : p.label();
    String title = "Threat assessment: " + jName + " \u2014 " + when;
    String subtitle = capital(p.type().label()) + "ly assessment \u00b7 level: " + p.level() + " (" + levelName + ")"
        + (p.area() == null ? "" : " \u00b7 area " + p.area()) + " \u00b7 notifiable crime, ICCS offence groups";

    // the level above, all crime: the nation / city above regional areas, the region above local areas
    String parentLevel = "local".equals(p.level()) ? "regional" : "national";
    Column parentScope = col("level").equalTo(parentLevel).and(col("iccs_l1").equalTo("ALL"));
    if ("local".equals(p.level()) && p.area() != null) {
      parentScope = parentScope.and(col("area_code").equalTo(p.area()));
    }
    List<ReportModel.ContextRow> context = new ArrayList<>();
    if (!"national".equals(p.level())) {
      for (Row r : allStats.where(parentScope).orderBy(col("count").desc()).collectAsList()) {
        context.add(contextRow(r));
      }
    }
    // national rows, all crime: the headline total
    Row tot = allStats.where(col("level").equalTo("national").and(col("iccs_l1").equalTo("ALL")))
        .agg(sum("count"), max("run_id"), sum("agencies_reported"), sum("agencies_expected"), sum("harm")).head();
    List<ReportModel.Headline> heads = new ArrayList<>();
    long total = tot.isNullAt(0) ? 0 : tot.getLong(0);
    List<ReportModel.ContextRow> national = new ArrayList<>();
    for (Row r : allStats.where(col("level").equalTo("national").and(col("iccs_l1").equalTo("ALL"))).collectAsList()) {
      national.add(contextRow(r));
    }
    heads.add(new ReportModel.Headline("Recorded crimes", String.format(Locale.UK, "%,d", total),
        national.size() == 1 ? changeNote(national.get(0)) : "in " + national.size() + " national areas: see below"));
    heads.add(new ReportModel.Headline("Harm (crime-severity weighted)", String.format(Locale.UK, "%,.0f",
        tot.isNullAt(4) ? 0.0 : tot.getDouble(4)), "sum of harm weights, conf/harm"));
    Row classes = threat.agg(count(lit(1)), count(when(col("trend_class").equalTo("significant-increase"), 1)),
        count(when(col("trend_class").equalTo("significant-decrease"), 1))).head();
    long threatsTotal = classes.getLong(0);
    long rises = classes.getLong(1);
    long falls = classes.getLong(2);
    heads.add(new ReportModel.Headline("Significant rises", String.valueOf(rises), String.format(Locale.UK,
        "%d significant falls, among %,d %s \u00d7 offence groups (BH q \u2264 %s)", falls, threatsTotal, p.level(), q)));
    long alarms = warnings.where(col("alarm")).count();
    heads.add(new ReportModel.Headline("Early warnings", String.valueOf(alarms), "series above their expected band"));

    List<Row> top = threat.orderBy("threat_rank").limit(p.top()).join(stats.where(col("iccs_l2").isNotNull())
            .select(col("area_code"), col("iccs_l2"), col("prev_count").as("_prev"), col("yoy_count").as("_yoy")),
        new String[] {"area_code", "iccs_l2"}, "left").orderBy("threat_rank").collectAsList();
    List<ReportModel.ThreatRow> rows = new ArrayList<>();
    for (Row r : top) {
      rows.add(new ReportModel.ThreatRow(r.<Integer>getAs("threat_rank"), r.getAs("area_name"), r.getAs("iccs_l2_name"),
          r.<Long>getAs("count"), r.getAs("_prev"), r.getAs("_yoy"), r.getAs("change_pct"), r.getAs("change_p"),
          Boolean.TRUE.equals(r.getAs("change_significant")), r.<Double>getAs("harm"), r.getAs("rate_per_100k"),
          r.<Double>getAs("threat_score"), r.<String>getAs("trend_class").replace('-', ' '), r.getAs("confidence"),
          r.getAs("rationale")));
    }
    List<ReportModel.TrendChart> charts = p.type() == Periods.MONTH ? charts(spark, top, warnings, lastMonth) : List.of();
    List<ReportModel.WarningRow> warn = new ArrayList<>();
    for (Row r : warnings.where(col("alarm")).orderBy(col("excess").desc()).limit(WARNING_ROWS).collectAsList()) {
      warn.add(new ReportModel.WarningRow(r.getAs("area_name"), r.getAs("iccs_l2") == null
          ? r.<String>getAs("iccs_l1_name") + " (all)" : r.getAs("iccs_l2_name"), r.<Date>getAs("period").toLocalDate(),
          r.<Long>getAs("observed"), r.<Double>getAs("expected"), r.<Double>getAs("upper_bound"), r.<Double>getAs("excess"),
          r.getAs("method"), r.getAs("since") == null ? null : r.<Date>getAs("since").toLocalDate()));
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("Report run", ctx.runId());
    prov.put("Assessment run", tot.isNullAt(1) ? "\u2014" : tot.getString(1));
    prov.put("Period", p.label() + " (" + p.type().label() + ")");
    prov.put("Level / area", p.level() + (p.area() == null ? "" : " / " + p.area()));
    prov.put("Jurisdiction", jurisdiction);
    INPUTS.forEach(t -> prov.put(t + " version", String.valueOf(Delta.version(spark, t))));
    prov.put("Generated", Instant.now().toString());
    String heading = context.isEmpty() ? null : "All crime, " + parentLevel + " level (the areas above this report's)";
    return new ReportModel(title, subtitle, "RESTRICTED \u2014 gold tier: unsuppressed counts for accredited analysts only",
        heads, heading, context, rows, threatsTotal, rises, falls, charts, warn, alarms,
        ReportText.completeness(stats, tot, p.level()), ReportText.methods(q,
            ctx.config().raw().getInt("ilp.assess.disclosure-k")), prov);
  }

  static ReportModel.ContextRow contextRow(Row r) {
    boolean yoy = !r.isNullAt(r.fieldIndex("yoy_count"));
    String pre = yoy ? "yoy" : "prev";
    Long base = r.getAs(pre + "_count");
    return new ReportModel.ContextRow(r.getAs("area_name"), r.<Long>getAs("count"), base,
        base == null ? null : yoy ? "the same period last year" : "the previous period", r.getAs(pre + "_change_pct"),
        r.getAs("p_value_" + pre), r.getAs("q_value_" + pre), Boolean.TRUE.equals(r.getAs("significant_" + pre)));
  }

  static String changeNote(ReportModel.ContextRow c) {
    if (c.baseCount() == null) {
      return "no comparable earlier period";
    }
    return ReportRenderer.change(c) + " on " + c.basis();
  }

  /** Trend charts of the top six threats (monthly series of the assessment). */
  static List<ReportModel.TrendChart> charts(SparkSession spark, List<Row> top, Dataset<Row> warnings, LocalDate asOf) {
    List<ReportModel.TrendChart> charts = new ArrayList<>();
    for (Row r : top.subList(0, Math.min(6, top.size()))) {
      String area = r.getAs("area_code");
      String l2 = r.getAs("iccs_l2");
      List<Row> s = Delta.read(spark, Tables.GOLD_CRIME_TRENDS).where(col("period_type").equalTo("month")
              .and(col("as_of").equalTo(lit(Date.valueOf(asOf)))).and(col("area_code").equalTo(area))
              .and(col("iccs_l2").equalTo(l2)).and(col("period").leq(lit(Date.valueOf(asOf)))))
          .select("period", "count", "rolling_3").orderBy("period").collectAsList();
      if (s.isEmpty()) {
        continue;
      }
      List<LocalDate> periods = new ArrayList<>();
      double[] counts = new double[s.size()];
      double[] roll = new double[s.size()];
      double[] exp = new double[s.size()];
      double[] up = new double[s.size()];
      Arrays.fill(exp, Double.NaN);
      Arrays.fill(up, Double.NaN);
      for (int i = 0; i < s.size(); i++) {
        periods.add(s.get(i).getDate(0).toLocalDate());
        counts[i] = s.get(i).isNullAt(1) ? Double.NaN : s.get(i).getLong(1);
        roll[i] = s.get(i).isNullAt(2) ? Double.NaN : s.get(i).getDouble(2);
      }
      List<Row> w = warnings.where(col("area_code").equalTo(area).and(col("iccs_l2").equalTo(l2)))
          .select("expected", "upper_bound", "alarm").collectAsList();
      Integer alarmIndex = null;
      if (!w.isEmpty() && !w.get(0).isNullAt(0)) {
        exp[s.size() - 1] = w.get(0).getDouble(0);
        up[s.size() - 1] = w.get(0).getDouble(1);
        alarmIndex = Boolean.TRUE.equals(w.get(0).getAs("alarm")) ? s.size() - 1 : null;
      }
      charts.add(new ReportModel.TrendChart(r.getAs("iccs_l2_name") + " \u2014 " + r.getAs("area_name"), periods, counts,
          roll, exp, up, alarmIndex));
    }
    return charts;
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
