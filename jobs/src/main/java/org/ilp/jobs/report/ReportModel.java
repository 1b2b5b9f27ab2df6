package org.ilp.jobs.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What an assessment report shows, independent of how it is rendered ({@link ReportRenderer}). Every
 * figure a card or a judgement states is computed here once, from the same rows the tables show, so
 * the page cannot contradict itself.
 *
 * @param context        the all-crime rows of the level above (the nation or city above regional areas),
 *                       shown above the ranked table with their own significance
 * @param threats        the top threat rows shown in the ranked table
 * @param threatsTotal   threat rows at the level (the ranked table's universe)
 * @param significantRises  rows of that universe with a significant rise
 * @param significantFalls  rows of that universe with a significant fall
 * @param warnings       the largest early warnings shown in the table
 * @param warningsTotal  early warnings (alarms) at the level in all
 */
public record ReportModel(String title, String subtitle, String handling, List<Headline> headlines,
    String contextHeading, List<ContextRow> context, List<ThreatRow> threats, long threatsTotal, long significantRises,
    long significantFalls, List<TrendChart> trends, List<WarningRow> warnings, long warningsTotal,
    List<Headline> completeness, List<Section> methods, Map<String, String> provenance) {

  public record Headline(String label, String value, String note) {}

  /** One all-crime row of the level above: its count, change and whether the change is significant. */
  public record ContextRow(String area, long count, Long baseCount, String basis, Double changePct, Double pValue,
      Double qValue, boolean significant) {}

  /** Nullable boxed fields mean "no data" and are rendered as a dash, never as 0. */
  public record ThreatRow(int rank, String area, String offence, long count, Long prevCount, Long yoyCount,
      Double changePct, Double pValue, boolean significant, double harm, Double ratePer100k, double score, String trend,
      String confidence, String rationale) {}

  /** Series of one chart; NaN = no value; alarmIndex null when the last point is not an alarm. */
  public record TrendChart(String title, List<LocalDate> periods, double[] counts, double[] rolling3, double[] expected,
      double[] upperBound, Integer alarmIndex) {}

  public record WarningRow(String area, String offence, LocalDate period, Long observed, Double expected,
      Double upperBound, Double excess, String method, LocalDate since) {}

  public record Section(String heading, List<String> paragraphs) {}
}
