package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobContext;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/** Reads the gold tables of one assessment into a {@link ReportModel} (small, collected results only). */
final class AssessmentReportModel {
  private AssessmentReportModel() {}

  static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);
  static final Map<String, String> LEVEL_NAMES = Map.of(
      "uk|national", "nations (England and Wales, Northern Ireland)",
      "uk|regional", "police force areas",
      "uk|local", "LSOAs (as police.uk assigns them)",
      "chicago|national", "the City of Chicago",
      "chicago|regional", "police districts",
      "chicago|local", "police beats");
  static final Map<String, String> JURISDICTION_NAMES = Map.of("uk", "United Kingdom (police.uk)",
      "chicago", "Chicago (CPD)");

  static ReportModel build(SparkSession spark, JobContext ctx, AssessmentReportJob.Params p, String jurisdiction,
      Dataset<Row> stats, Dataset<Row> threat, Dataset<Row> warnings) {
    String jName = JURISDICTION_NAMES.getOrDefault(jurisdiction, jurisdiction);
    String levelName = LEVEL_NAMES.getOrDefault(jurisdiction + "|" + p.level(), p.level() + " areas");
    String month = p.period().format(MONTH);
    String title = "Threat assessment: " + jName + " \u2014 " + month;
    String subtitle = "Monthly assessment \u00b7 level: " + p.level() + " (" + levelName + ")"
        + (p.area() == null ? "" : " \u00b7 area " + p.area()) + " \u00b7 notifiable crime, ICCS offence groups";

    // headline figures from the jurisdiction's national rows (all crime)
    Dataset<Row> national = spark.table(Tables.GOLD_CRIME_STATS).where(col("period_type").equalTo("month")
        .and(col("period").equalTo(java.sql.Date.valueOf(p.period()))).and(col("jurisdiction").equalTo(jurisdiction))
        .and(col("level").equalTo("national")).and(col("iccs_l1").equalTo("ALL")));
    Row tot = national.agg(sum("count"), sum("prev_count"), sum("yoy_count"), sum("harm"), max("run_id"),
        min("completeness"), sum("agencies_reported"), sum("agencies_expected")).head();
    List<ReportModel.Headline> heads = new ArrayList<>();
    long total = tot.isNullAt(0) ? 0 : tot.getLong(0);
    heads.add(new ReportModel.Headline("Recorded crimes", String.format(Locale.UK, "%,d", total),
        tot.isNullAt(2) ? (tot.isNullAt(1) ? "no earlier month to compare"
            : pct(total, tot.getLong(1)) + " on the previous month")
            : pct(total, tot.getLong(2)) + " on the same month last year"));
    heads.add(new ReportModel.Headline("Harm (crime-severity weighted)", String.format(Locale.UK, "%,.0f",
        tot.isNullAt(3) ? 0.0 : tot.getDouble(3)), "sum of harm weights, conf/harm"));
    long sigUp = threat.where(col("trend_class").equalTo("significant-increase")).count();
    long sigDown = threat.where(col("trend_class").equalTo("significant-decrease")).count();
    heads.add(new ReportModel.Headline("Significant rises", String.valueOf(sigUp),
        sigDown + " significant falls (BH q \u2264 " + ctx.config().raw().getDouble("ilp.assess.q") + ")"));
    long alarms = warnings.where(col("alarm")).count();
    heads.add(new ReportModel.Headline("Early warnings", String.valueOf(alarms), "series above their expected band"));

    // ranked threats
    List<ReportModel.ThreatRow> rows = new ArrayList<>();
    List<Row> top = threat.orderBy("threat_rank").limit(p.top()).join(stats.where(col("iccs_l2").isNotNull())
            .select(col("area_code"), col("iccs_l2"), col("prev_count").as("_prev"), col("yoy_count").as("_yoy")),
        new String[] {"area_code", "iccs_l2"}, "left").orderBy("threat_rank").collectAsList();
    for (Row r : top) {
      rows.add(new ReportModel.ThreatRow(r.<Integer>getAs("threat_rank"), r.getAs("area_name"), r.getAs("iccs_l2_name"),
          r.<Long>getAs("count"), r.getAs("_prev"), r.getAs("_yoy"), r.getAs("change_pct"), r.getAs("change_p"),
          Boolean.TRUE.equals(r.getAs("change_significant")), r.<Double>getAs("harm"), r.getAs("rate_per_100k"),
          r.<Double>getAs("threat_score"), r.<String>getAs("trend_class").replace('-', ' '), r.getAs("confidence"),
          r.getAs("rationale")));
    }

    // trend charts of the top six threats
    List<ReportModel.TrendChart> charts = new ArrayList<>();
    for (Row r : top.subList(0, Math.min(6, top.size()))) {
      String area = r.getAs("area_code");
      String l2 = r.getAs("iccs_l2");
      List<Row> s = spark.table(Tables.GOLD_CRIME_TRENDS).where(col("period_type").equalTo("month")
              .and(col("as_of").equalTo(java.sql.Date.valueOf(p.period())))
              .and(col("area_code").equalTo(area)).and(col("iccs_l2").equalTo(l2))
              .and(col("period").leq(java.sql.Date.valueOf(p.period()))))
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

    // early warnings
    List<ReportModel.WarningRow> warn = new ArrayList<>();
    for (Row r : warnings.where(col("alarm")).orderBy(col("excess").desc()).limit(25).collectAsList()) {
      warn.add(new ReportModel.WarningRow(r.getAs("area_name"), r.getAs("iccs_l2") == null
          ? r.<String>getAs("iccs_l1_name") + " (all)" : r.getAs("iccs_l2_name"), r.<java.sql.Date>getAs("period").toLocalDate(),
          r.<Long>getAs("observed"), r.<Double>getAs("expected"), r.<Double>getAs("upper_bound"), r.<Double>getAs("excess"),
          r.getAs("method"), r.getAs("since") == null ? null : r.<java.sql.Date>getAs("since").toLocalDate()));
    }

    // completeness and confidence
    List<ReportModel.Headline> comp = new ArrayList<>();
    Row c = stats.where(col("iccs_l1").equalTo("ALL")).agg(sum("count"),
        sum(when(col("area_code").endsWith("#unallocated"), col("count")).otherwise(0)),
        sum(col("completeness").multiply(col("count"))), count(lit(1)),
        sum(when(col("confidence").equalTo("low"), 1).otherwise(0))).head();
    long levelTotal = c.isNullAt(0) ? 0 : c.getLong(0);
    comp.add(new ReportModel.Headline("Crimes allocated to a " + p.level() + " area",
        levelTotal == 0 ? "\u2014" : String.format(Locale.UK, "%.1f%%", 100.0 * (levelTotal - c.getLong(1)) / levelTotal),
        "the rest are counted as \u2018not allocated\u2019 rows"));
    comp.add(new ReportModel.Headline("Crimes with a usable location",
        levelTotal == 0 || c.isNullAt(2) ? "\u2014" : String.format(Locale.UK, "%.1f%%", 100.0 * c.getDouble(2) / levelTotal),
        "point inside a known area (used by the hotspot analyses)"));
    comp.add(new ReportModel.Headline("Agencies that sent data",
        tot.isNullAt(6) ? "\u2014" : tot.getLong(6) + " of " + tot.getLong(7),
        "expected = every agency that ever reported for this jurisdiction"));
    comp.add(new ReportModel.Headline("Areas with low confidence", c.getLong(4) + " of " + c.getLong(3),
        "low = under 80% located, an agency missing, or fewer than 5 crimes"));

    List<ReportModel.Section> methods = List.of(
        new ReportModel.Section("What is counted", List.of(
            "Notifiable crimes recorded by the agencies in silver.incidents, one per incident after de-duplication "
                + "(anti-social behaviour and Chicago's non-criminal records are excluded). Each crime counts for the "
                + "area of the agency that recorded it (police-recorded-crime convention); crimes of national bodies "
                + "without territory (e.g. British Transport Police) count nationally where their point lies.",
            "Offences are grouped by the UN International Classification of Crime for Statistical Purposes (ICCS). "
                + "police.uk's categories are coarse: 'Violence and sexual offences' is one group (ICCS 0201), so "
                + "homicide and sexual offences cannot be separated in UK figures.")),
        new ReportModel.Section("What \u2018significant\u2019 means here", List.of(
            "A change is tested with the exact conditional test for two Poisson rates (as R's poisson.test), with "
                + "each month's number of days as exposure, so a short month is not called a fall. Because hundreds "
                + "of changes are tested at once, p-values are adjusted with the Benjamini\u2013Hochberg procedure; "
                + "'significant' means the false-discovery-adjusted q-value is at most "
                + ctx.config().raw().getDouble("ilp.assess.q") + ". A change that is not significant may still be "
                + "real, but the data cannot distinguish it from chance; it should not be reported as a rise or fall.",
            "Early warnings compare the latest month with an expected band: the improved Farrington method "
                + "(Noufaily et al. 2013) where three or more years of history exist, otherwise a quasi-Poisson "
                + "limit from the first months of the series combined with a CUSUM for sustained shifts. With short "
                + "histories no seasonal adjustment is possible: treat warnings in seasonal offences with care.")),
        new ReportModel.Section("Harm and threat ranking", List.of(
            "Harm = crimes \u00d7 crime-severity weight (ONS Crime Severity Score style, conf/harm/harm_weights.csv). "
                + "Only the homicide (7,979) and attempted-murder (4,663) weights are published ONS figures; the others "
                + "are our own estimates on the same scale, marked as such in the table.",
            "Threat score = (0.6 \u00d7 harm percentile + 0.4 \u00d7 volume percentile) \u00d7 likelihood (trend "
                + "class) \u00d7 confidence, in the spirit of MoRiLE. The weights are configurable "
                + "(ilp.assess.threat); the ranking supports judgement, it does not replace it.")),
        new ReportModel.Section("Data completeness and disclosure", List.of(
            "Completeness figures above say how many crimes could be attributed and located, and whether every "
                + "agency sent data. A missing agency makes its area's month a gap (never a zero).",
            "This report is drawn from the gold tables (accredited analysts, unsuppressed). Published copies "
                + "(publish.*) suppress every count from 1 to " + (ctx.config().raw().getInt("ilp.assess.disclosure-k") - 1)
                + " and enough other cells that none can be recomputed from totals; do not release this report "
                + "outside the accredited audience."))
    );
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("Report run", ctx.runId());
    prov.put("Assessment run", tot.isNullAt(4) ? "\u2014" : tot.getString(4));
    prov.put("Period", p.period().toString() + " (month)");
    prov.put("Level / area", p.level() + (p.area() == null ? "" : " / " + p.area()));
    prov.put("Jurisdiction", jurisdiction);
    for (String t : List.of(Tables.GOLD_CRIME_STATS, Tables.GOLD_THREAT_ASSESSMENT, Tables.GOLD_CRIME_TRENDS,
        Tables.GOLD_EARLY_WARNINGS)) {
      prov.put(t + " version", String.valueOf(Delta.version(spark, t)));
    }
    prov.put("Generated", Instant.now().toString());
    String handling = "RESTRICTED \u2014 gold tier: unsuppressed counts for accredited analysts only";
    return new ReportModel(title, subtitle, handling, heads, rows, charts, warn, comp, methods, prov);
  }

  static String pct(long now, long before) {
    if (before == 0) {
      return now == 0 ? "no change" : "up from none";
    }
    double c = 100.0 * (now - before) / before;
    return String.format(Locale.UK, "%s%.1f%%", c >= 0 ? "+" : "\u2212", Math.abs(c));
  }
}
