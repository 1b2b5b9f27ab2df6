package org.ilp.jobs.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What an assessment report shows, independent of how it is rendered ({@link ReportRenderer}). */
public record ReportModel(String title, String subtitle, String handling, List<Headline> headlines,
    List<ThreatRow> threats, List<TrendChart> trends, List<WarningRow> warnings, List<Headline> completeness,
    List<Section> methods, Map<String, String> provenance) {

  public record Headline(String label, String value, String note) {}

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
