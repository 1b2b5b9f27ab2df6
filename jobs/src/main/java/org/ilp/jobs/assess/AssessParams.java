package org.ilp.jobs.assess;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilp.common.assess.Periods;
import org.ilp.common.assess.SeriesAnalysis;
import org.ilp.common.config.IlpConfig;

/**
 * Parameters of {@link AssessJob}, validated when built. CLI options give the period, its type and
 * the jurisdictions; everything else comes from {@code ilp.assess} (conf/application.conf).
 *
 * @param type          period type (month, quarter, year)
 * @param period        first day of the assessed period
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
 */
public record AssessParams(Periods type, LocalDate period, List<String> jurisdictions, double q, String fdrFamily,
    int k, String harmWeights, List<String> seriesLevels, boolean weekly, SeriesAnalysis.WarningSettings warnings,
    ThreatWeights threat, List<String> publishLevels) {

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
    publishLevels = List.copyOf(publishLevels);
    jurisdictions = List.copyOf(jurisdictions);
    seriesLevels = List.copyOf(seriesLevels);
  }

  public static AssessParams of(IlpConfig config, String periodType, String period, List<String> jurisdictions) {
    Periods type = Periods.of(periodType);
    var c = config.raw().getConfig("ilp.assess");
    var t = c.getConfig("threat");
    Map<String, Double> like = new LinkedHashMap<>();
    t.getConfig("likelihood").entrySet().forEach(e -> like.put(e.getKey(), ((Number) e.getValue().unwrapped()).doubleValue()));
    Map<String, Double> conf = new LinkedHashMap<>();
    t.getConfig("confidence").entrySet().forEach(e -> conf.put(e.getKey(), ((Number) e.getValue().unwrapped()).doubleValue()));
    var ew = c.getConfig("early-warning");
    return new AssessParams(type, type.parse(period), jurisdictions == null ? List.of() : jurisdictions,
        c.getDouble("q"), c.getString("fdr-family"), c.getInt("disclosure-k"), c.getString("harm-weights"),
        c.getStringList("series-levels"), c.getBoolean("weekly-trends"),
        new SeriesAnalysis.WarningSettings(ew.getDouble("alpha"), ew.getInt("min-years"), ew.getInt("max-baseline"),
            ew.getInt("min-count")),
        new ThreatWeights(t.getDouble("harm-weight"), t.getDouble("volume-weight"), Map.copyOf(like), Map.copyOf(conf)),
        c.getStringList("publish-levels"));
  }

  public LocalDate prev() {
    return type.plus(period, -1);
  }

  public LocalDate yearAgo() {
    return type.yearAgo(period);
  }

  /** Last month inside the period: where the monthly series and early warnings are evaluated. */
  public LocalDate lastMonth() {
    return type.plus(period, 1).minusMonths(1);
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("period_type", type.label());
    m.put("period", period.toString());
    m.put("jurisdictions", jurisdictions.isEmpty() ? "(all with data)" : String.join(",", jurisdictions));
    m.put("q", String.valueOf(q));
    m.put("fdr_family", fdrFamily);
    m.put("disclosure_k", String.valueOf(k));
    m.put("harm_weights", harmWeights);
    m.put("series_levels", String.join(",", seriesLevels));
    m.put("weekly_trends", String.valueOf(weekly));
    m.put("early_warning_alpha", String.valueOf(warnings.alpha()));
    m.put("publish_levels", String.join(",", publishLevels));
    return m;
  }
}
