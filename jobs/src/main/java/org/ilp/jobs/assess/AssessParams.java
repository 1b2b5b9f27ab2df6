package org.ilp.jobs.assess;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.functions;
import org.ilp.common.assess.Periods;
import org.ilp.common.assess.SeriesAnalysis;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.config.IlpConfig;

/**
 * Parameters of {@link AssessJob}, validated when built. CLI options give the period, its type and
 * the jurisdictions; everything else comes from {@code ilp.assess} (conf/application.conf).
 *
 * @param type          period type (month, quarter, year)
 * @param period        first day of the (first) assessed period
 * @param to            first day of the last assessed period (= period for one; a backfill assesses each
 *                      period from period to {@code to} in one run)
 * @param jurisdictions jurisdictions to assess; empty = every jurisdiction with data in the period
 * @param q             FDR level for {@code significant}
 * @param fdrFamily     "table" or "level"
 * @param k             disclosure threshold: counts 1..k-1 are suppressed in publish.*
 * @param harmWeights   harm weight CSV (path or name under conf/)
 * @param seriesLevels  area levels with trend series and early warnings
 * @param weekly        weekly trend series for dated sources
 * @param warnings      early-warning settings
 * @param threat        threat-score weights
 * @param publishLevels area levels copied (disclosure-controlled) to publish.*
 * @param force         recompute even when no input changed since the same assessment last ran
 */
public record AssessParams(Periods type, LocalDate period, LocalDate to, List<String> jurisdictions, double q, String fdrFamily,
    int k, String harmWeights, List<String> seriesLevels, boolean weekly, SeriesAnalysis.WarningSettings warnings,
    ThreatWeights threat, List<String> publishLevels, boolean force) {

  /** Weights of the composite threat score (see conf ilp.assess.threat). */
  public record ThreatWeights(double harm, double volume, Map<String, Double> likelihood, Map<String, Double> confidence)
      implements java.io.Serializable {}

  public AssessParams {
    if (type == Periods.WEEK) {
      throw new IllegalArgumentException("assess --period-type must be month, quarter or year (weeks feed the trends only)");
    }
    if (!type.start(period).equals(period)) {
      throw new IllegalArgumentException("period " + period + " is not the first day of a " + type.label());
    }
    if (to == null) {
      to = period;
    }
    if (!type.start(to).equals(to) || to.isBefore(period)) {
      throw new IllegalArgumentException("--to " + to + " must be the first day of a " + type.label() + " not before "
          + period);
    }
    if (type.plus(period, 120).isBefore(to)) {
      throw new IllegalArgumentException("at most 120 periods in one run: " + period + " .. " + to);
    }
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("ilp.assess.q must be in (0, 1): " + q);
    }
    if (!List.of("table", "level").contains(fdrFamily)) {
      throw new IllegalArgumentException("ilp.assess.fdr-family must be table or level: " + fdrFamily);
    }
    if (k < 1) {
      throw new IllegalArgumentException("ilp.assess.disclosure-k must be >= 1: " + k);
    }
    for (String l : seriesLevels) {
      if (!List.of("national", "regional", "local").contains(l)) {
        throw new IllegalArgumentException("ilp.assess.series-levels: unknown level " + l);
      }
    }
    for (String l : publishLevels) {
      if (!List.of("national", "regional", "local").contains(l)) {
        throw new IllegalArgumentException("ilp.assess.publish-levels: unknown level " + l);
      }
    }
    for (String c : Threat.CLASSES) {
      if (!threat.likelihood().containsKey(c)) {
        throw new IllegalArgumentException("ilp.assess.threat.likelihood needs a weight for " + c + " (has "
            + threat.likelihood().keySet() + ")");
      }
    }
    publishLevels = List.copyOf(publishLevels);
    jurisdictions = List.copyOf(jurisdictions);
    seriesLevels = List.copyOf(seriesLevels);
  }

  /**
   * @param periodType month | quarter | year, or null to take the type the period's syntax names
   *                   (2018-Q4 a quarter, 2018 a year, 2018-12 a month)
   */
  public static AssessParams of(IlpConfig config, String periodType, String period, List<String> jurisdictions,
      boolean force) {
    return of(config, periodType, period, null, jurisdictions, force);
  }

  /** As above, for the periods from {@code period} to {@code to} (null: just one). */
  public static AssessParams of(IlpConfig config, String periodType, String period, String to, List<String> jurisdictions,
      boolean force) {
    Periods type = periodType == null ? Periods.typeOf(period, Periods.MONTH) : Periods.of(periodType);
    var c = config.raw().getConfig("ilp.assess");
    var t = c.getConfig("threat");
    Map<String, Double> like = new LinkedHashMap<>();
    t.getConfig("likelihood").entrySet().forEach(e -> like.put(e.getKey(), ((Number) e.getValue().unwrapped()).doubleValue()));
    Map<String, Double> conf = new LinkedHashMap<>();
    t.getConfig("confidence").entrySet().forEach(e -> conf.put(e.getKey(), ((Number) e.getValue().unwrapped()).doubleValue()));
    var ew = c.getConfig("early-warning");
    return new AssessParams(type, type.parse(period), to == null ? null : type.parse(to),
        jurisdictions == null ? List.of() : jurisdictions,
        c.getDouble("q"), c.getString("fdr-family"), c.getInt("disclosure-k"), c.getString("harm-weights"),
        c.getStringList("series-levels"), c.getBoolean("weekly-trends"),
        new SeriesAnalysis.WarningSettings(ew.getDouble("alpha"), ew.getInt("min-years"), ew.getInt("max-baseline"),
            ew.getInt("min-count")),
        new ThreatWeights(t.getDouble("harm-weight"), t.getDouble("volume-weight"), Map.copyOf(like), Map.copyOf(conf)),
        c.getStringList("publish-levels"), force);
  }

  /** Every assessed period, in order. */
  public List<LocalDate> periods() {
    List<LocalDate> out = new java.util.ArrayList<>();
    for (LocalDate d = period; !d.isAfter(to); d = type.plus(d, 1)) {
      out.add(d);
    }
    return out;
  }

  /** These parameters for one of the periods. */
  public AssessParams only(LocalDate p) {
    return new AssessParams(type, p, p, jurisdictions, q, fdrFamily, k, harmWeights, seriesLevels, weekly, warnings,
        threat, publishLevels, force);
  }

  /**
   * The area levels whose every month (and week) an assessment reads: those with trend series and those published
   * (their series are published too); the other levels only in the periods their statistics compare.
   */
  public List<String> everyMonthLevels() {
    return java.util.stream.Stream.concat(seriesLevels.stream(), publishLevels.stream()).distinct().toList();
  }

  /**
   * The cells of a monthly cube (columns {@code level}, {@code period}) that an assessment of {@code compared} (the
   * first days of its periods and of those they are compared with) reads: every month of {@link #everyMonthLevels},
   * the other levels' (the local areas: most of a cube) only in the months of the compared periods.
   */
  public org.apache.spark.sql.Column cellsRead(List<java.sql.Date> compared) {
    return functions.col("level").isin(everyMonthLevels().toArray()).or(functions.to_date(functions.date_trunc(
        type.truncUnit(), functions.col("period"))).isin(compared.toArray()));
  }

  /** How the run's periods are written: 2018-10, or 2018-10..2019-01. */
  public String label() {
    return type.format(period) + (to.equals(period) ? "" : ".." + type.format(to));
  }

  /** The period before the (first) period. */
  public LocalDate prev() {
    return type.plus(period, -1);
  }

  /** The same period a year before the (first) period. */
  public LocalDate yearAgo() {
    return type.yearAgo(period);
  }

  /** Last month inside the (last) period: where the monthly series and early warnings are evaluated. */
  public LocalDate lastMonth() {
    return type.plus(to, 1).minusMonths(1);
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("period_type", type.label());
    m.put("period", period.toString());
    m.put("to", to.toString());
    m.put("jurisdictions", jurisdictions.isEmpty() ? "(all with data)" : String.join(",", jurisdictions));
    m.put("q", String.valueOf(q));
    m.put("fdr_family", fdrFamily);
    m.put("disclosure_k", String.valueOf(k));
    m.put("harm_weights", harmWeights);
    // the weights' content, so an edited weight table makes the next scheduled run recompute
    m.put("harm_weights_sha256", ConfFiles.sha256(harmWeights));
    m.put("series_levels", String.join(",", seriesLevels));
    m.put("weekly_trends", String.valueOf(weekly));
    m.put("early_warning_alpha", String.valueOf(warnings.alpha()));
    m.put("publish_levels", String.join(",", publishLevels));
    m.put("likelihood", new java.util.TreeMap<>(threat.likelihood()).toString());
    m.put("force", String.valueOf(force));
    return m;
  }
}
