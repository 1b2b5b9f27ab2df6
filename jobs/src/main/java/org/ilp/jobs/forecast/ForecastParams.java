package org.ilp.jobs.forecast;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of {@link ForecastJob}, validated when built.
 *
 * @param asOf          forecast start: the window is [as-of, as-of + horizon)
 * @param horizon       1w | 1m
 * @param scope         uk, chicago or an area code of ref.areas
 * @param offence       ICCS level-1 or level-2 code, null = all crime
 * @param cellM         cell side in metres
 * @param backtests     earlier as-of dates evaluated (one horizon apart)
 * @param kdeBandwidthM bandwidth of the KDE method
 * @param force         recompute even when no input changed since the same run
 */
public record ForecastParams(LocalDate asOf, String horizon, String scope, String offence, double cellM, int backtests,
    double kdeBandwidthM, boolean force) {

  public ForecastParams {
    if (!List.of("1w", "1m").contains(horizon)) {
      throw new IllegalArgumentException("--horizon must be 1w or 1m: " + horizon);
    }
    if (backtests < 0 || backtests > 60) {
      throw new IllegalArgumentException("--backtests must be in 0..60: " + backtests);
    }
    if (offence != null && !offence.matches("\\d{2}|\\d{4}")) {
      throw new IllegalArgumentException("--offence must be an ICCS level-1 or level-2 code: " + offence);
    }
    if (!(cellM >= 10)) {
      throw new IllegalArgumentException("cell size must be at least 10 m: " + cellM);
    }
    if (scope == null || scope.isBlank()) {
      throw new IllegalArgumentException("--scope is required (uk, chicago or an area code)");
    }
  }

  /** End of the window that starts at {@code from}. */
  public LocalDate end(LocalDate from) {
    return "1w".equals(horizon) ? from.plusWeeks(1) : from.plusMonths(1);
  }

  /** Start of the horizon that ends at {@code to}. */
  public LocalDate start(LocalDate to) {
    return "1w".equals(horizon) ? to.minusWeeks(1) : to.minusMonths(1);
  }

  /** The as-of date {@code b} backtests before this one. */
  public LocalDate asOf(int b) {
    return "1w".equals(horizon) ? asOf.minusWeeks(b) : asOf.minusMonths(b);
  }

  public String offenceLabel() {
    return offence == null ? "all" : offence;
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("as_of", asOf.toString());
    m.put("horizon", horizon);
    m.put("scope", scope);
    m.put("offence", offenceLabel());
    m.put("cell_m", String.valueOf(cellM));
    m.put("backtests", String.valueOf(backtests));
    m.put("kde_bandwidth_m", String.valueOf(kdeBandwidthM));
    m.put("force", String.valueOf(force));
    return m;
  }
}
