package org.ilp.common.assess;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ilp.common.stats.EarlyWarning;
import org.ilp.common.stats.MannKendall;

/**
 * Everything computed over one count series (one area × offence group × period type): rolling means,
 * year-on-year change, the Mann–Kendall trend with Sen's slope, and the early warning for the last
 * period. Pure Java, called once per series from Spark's {@code flatMapGroups}.
 *
 * <p>Gaps: a period where the area had no data at all (its agencies sent nothing) is {@code null}
 * and stays null — it is never a zero. Rolling means need every member present; MK skips gaps.
 *
 * <p>Length of period: MK and Sen run on day-adjusted counts {@code y · mean(days) / days}, so a
 * short February is not read as a fall; the early warning uses days as exposure
 * ({@link EarlyWarning#phaseOneLimit}); the rolling means and changes are on raw counts.
 */
public final class SeriesAnalysis {
  private SeriesAnalysis() {}

  /** One period of a series; count null = no data. */
  public record Point(LocalDate period, Long count, int days) implements Serializable {}

  /** One output row of gold.crime_trends. */
  public record TrendPoint(LocalDate period, Long count, int days, Double rolling3, Double rolling12, Long yoyCount,
      Double yoyChangePct) implements Serializable {}

  /** Series-level trend: Mann–Kendall (two-sided) and Sen's slope in counts per period. */
  public record Trend(int n, Double tau, Double z, Double pValue, Double senSlope, Double senLow, Double senHigh,
      String direction) implements Serializable {}

  /** The early warning of the last period. */
  public record Alarm(LocalDate period, Long observed, boolean alarm, String method, Double expected,
      Double upperBound, Double excess, LocalDate since, int baselinePoints, Double dispersion)
      implements Serializable {}

  public record Result(List<TrendPoint> points, Trend trend, Alarm alarm) implements Serializable {}

  /**
   * Early-warning settings (see conf: ilp.assess.early-warning). {@code minCount}: no alarm on fewer
   * crimes than this in the evaluated period, whatever the method says (Farrington et al. 1996 ask
   * for at least 5 cases; a jump from 0.3 expected to 2 observed is not an operational warning).
   */
  public record WarningSettings(double alpha, int minYears, int maxBaseline, int minCount) implements Serializable {}

  /**
   * Analyses a series sorted by period, equally spaced (missing periods given as null counts).
   *
   * @param points   the series, oldest first
   * @param perYear  periods per year (12, 52, 4, 1)
   * @param trendAlpha level of the trend call ({@code direction} = increasing/decreasing when p &lt; it)
   */
  public static Result analyse(List<Point> points, int perYear, double trendAlpha, WarningSettings ws) {
    int n = points.size();
    List<TrendPoint> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Point p = points.get(i);
      Long yoy = i - perYear >= 0 ? points.get(i - perYear).count() : null;
      Double yoyPct = p.count() != null && yoy != null && yoy > 0 ? 100.0 * (p.count() - yoy) / yoy : null;
      out.add(new TrendPoint(p.period(), p.count(), p.days(), rolling(points, i, 3), rolling(points, i, 12), yoy,
          yoyPct));
    }
    return new Result(out, trend(points, trendAlpha), alarm(points, perYear, ws));
  }

  static Double rolling(List<Point> points, int i, int w) {
    if (i + 1 < w) {
      return null;
    }
    double s = 0;
    for (int j = i - w + 1; j <= i; j++) {
      Long c = points.get(j).count();
      if (c == null) {
        return null;
      }
      s += c;
    }
    return s / w;
  }

  static Trend trend(List<Point> points, double alpha) {
    double meanDays = points.stream().mapToInt(Point::days).average().orElse(1);
    double[] y = new double[points.size()];
    int present = 0;
    for (int i = 0; i < y.length; i++) {
      Long c = points.get(i).count();
      y[i] = c == null ? Double.NaN : c * meanDays / points.get(i).days();
      present += c == null ? 0 : 1;
    }
    if (present < 4) {
      return new Trend(present, null, null, null, null, null, null, "too short");
    }
    MannKendall.Result r = MannKendall.test(y, 0.05);
    String dir = Double.isNaN(r.pValue()) || r.pValue() >= alpha ? "no significant trend"
        : r.s() > 0 ? "increasing" : "decreasing";
    return new Trend(r.n(), nan(r.tau()), nan(r.z()), nan(r.pValue()), nan(r.senSlope()), nan(r.senLow()),
        nan(r.senHigh()), dir);
  }

  /**
   * Chooses the method: the improved Farrington (Noufaily) detector when at least {@code minYears}
   * years precede the last period with no gaps, otherwise the phase-I quasi-Poisson limit on the
   * gap-free tail (baseline = its first min(maxBaseline, m - 1) periods, at least 3), otherwise
   * "insufficient-history".
   */
  static Alarm alarm(List<Point> points, int perYear, WarningSettings ws) {
    int n = points.size();
    Point last = points.get(n - 1);
    if (last.count() == null) {
      return new Alarm(last.period(), null, false, "no-data", null, null, null, null, 0, null);
    }
    int start = n - 1;
    while (start - 1 >= 0 && points.get(start - 1).count() != null) {
      start--;
    }
    int m = n - start;
    long[] y = new long[m];
    double[] d = new double[m];
    for (int i = 0; i < m; i++) {
      y[i] = points.get(start + i).count();
      d[i] = points.get(start + i).days();
    }
    int halfWindow = perYear == 52 ? 3 : 1;
    int years = perYear > 1 ? (m - 1 - halfWindow) / perYear : 0;
    if (perYear > 1 && years >= Math.max(EarlyWarning.MIN_YEARS, ws.minYears())) {
      // Noufaily's default b = 5 years of reference values, fewer when fewer exist
      EarlyWarning.Warning w = EarlyWarning.noufaily(y, m - 1, perYear, Math.min(5, years), halfWindow, ws.alpha());
      return new Alarm(last.period(), last.count(), w.alarm() && last.count() >= ws.minCount(), w.method(), nan(w.expected()), nan(w.upperBound()),
          nan(w.excess()), w.alarm() ? last.period() : null, w.baselinePoints(), nan(w.dispersion()));
    }
    if (m - 1 < 3) {
      return new Alarm(last.period(), last.count(), false, "insufficient-history", null, null, null, null, m - 1, null);
    }
    int b = Math.max(3, Math.min(ws.maxBaseline(), m - 1));
    EarlyWarning.PhaseOne r = EarlyWarning.phaseOneLimit(y, d, b, ws.alpha());
    EarlyWarning.Warning w = r.warning();
    boolean alarm = w.alarm() && last.count() >= ws.minCount();
    return new Alarm(last.period(), last.count(), alarm, w.method(), nan(w.expected()), nan(w.upperBound()),
        nan(w.excess()), !alarm || r.since() < 0 ? null : points.get(start + r.since()).period(), b, nan(w.dispersion()));
  }

  private static Double nan(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
