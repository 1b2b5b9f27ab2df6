package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The assessment report's fixed texts and its completeness figures. */
final class ReportText {
  private ReportText() {}

  /** Completeness and confidence cards of the level's rows ({@code tot}: national agencies reported/expected). */
  static List<ReportModel.Headline> completeness(Dataset<Row> stats, Row tot, String level) {
    List<ReportModel.Headline> comp = new ArrayList<>();
    Row c = stats.where(col("iccs_l1").equalTo("ALL")).agg(sum("count"),
        sum(when(col("area_code").endsWith("#unallocated"), col("count")).otherwise(0)),
        sum(col("completeness").multiply(col("count"))), count(lit(1)),
        sum(when(col("confidence").equalTo("low"), 1).otherwise(0))).head();
    long levelTotal = c.isNullAt(0) ? 0 : c.getLong(0);
    comp.add(new ReportModel.Headline("Crimes allocated to a " + level + " area",
        levelTotal == 0 ? "\u2014" : String.format(Locale.UK, "%.1f%%", 100.0 * (levelTotal - c.getLong(1)) / levelTotal),
        "the rest are counted as \u2018not allocated\u2019 rows"));
    comp.add(new ReportModel.Headline("Crimes with a usable location",
        levelTotal == 0 || c.isNullAt(2) ? "\u2014" : String.format(Locale.UK, "%.1f%%", 100.0 * c.getDouble(2) / levelTotal),
        "point inside a known area (used by the hotspot analyses)"));
    comp.add(new ReportModel.Headline("Agencies that sent data",
        tot.isNullAt(2) ? "\u2014" : tot.getLong(2) + " of " + tot.getLong(3),
        "expected = every agency that ever reported for this jurisdiction"));
    comp.add(new ReportModel.Headline("Areas with low confidence", (c.isNullAt(4) ? 0 : c.getLong(4)) + " of " + c.getLong(3),
        "low = under 80% located, an agency missing, or fewer than 5 crimes"));
    return comp;
  }

  static List<ReportModel.Section> methods(double q, int k) {
    return List.of(
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
                + "each period's number of days as exposure, so a short month is not called a fall. Because hundreds "
                + "of changes are tested at once, p-values are adjusted with the Benjamini\u2013Hochberg procedure; "
                + "'significant' means the false-discovery-adjusted q-value is at most " + q + ". A change that is "
                + "not significant may still be real, but the data cannot distinguish it from chance: this report "
                + "calls it stable, ranks it as stable and never as a rise or fall.",
            "Early warnings compare the latest month with an expected band: the improved Farrington method "
                + "(Noufaily et al. 2013) where three or more years of history exist, otherwise a quasi-Poisson "
                + "limit from the first months of the series combined with a CUSUM for sustained shifts. With short "
                + "histories no seasonal adjustment is possible: treat warnings in seasonal offences with care.")),
        new ReportModel.Section("Harm and threat ranking", List.of(
            "Harm = crimes \u00d7 crime-severity weight (ONS Crime Severity Score style, conf/harm/harm_weights.csv). "
                + "Only the homicide (7,979) and attempted-murder (4,663) weights are published ONS figures; the others "
                + "are our own estimates on the same scale, marked as such in the table.",
            "Threat score = (0.6 \u00d7 harm percentile + 0.4 \u00d7 volume percentile) \u00d7 likelihood (trend "
                + "class: significant rise, stable, significant fall) \u00d7 confidence, in the spirit of MoRiLE. The "
                + "weights are configurable (ilp.assess.threat); the ranking supports judgement, it does not replace "
                + "it.")),
        new ReportModel.Section("Data completeness and disclosure", List.of(
            "Completeness figures above say how many crimes could be attributed and located, and whether every "
                + "agency sent data. A missing agency makes its area's period a gap (never a zero).",
            "This report is drawn from the gold tables (accredited analysts, unsuppressed). Published copies "
                + "(publish.*) suppress every count from 1 to " + (k - 1) + " and enough other cells that none can "
                + "be recomputed from totals; do not release this report outside the accredited audience.")));
  }
}
