package org.ilp.jobs.nearrepeat;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ilp.common.assess.Periods;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spatial.Knox;

/**
 * Parameters of {@link NearRepeatJob}, validated when built (CLI options over {@code ilp.nearrepeat}).
 *
 * @param from       first month of the period
 * @param to         last month of the period
 * @param scope      a jurisdiction (uk, chicago) or an area code of ref.areas (e.g. CHI-DIST-8)
 * @param offence    ICCS level-1 or level-2 code (e.g. 0501 burglary)
 * @param knox       bands, metric, permutations, seed and alpha of the Knox test
 * @param alertCellM side of the alert grid's cells in metres
 * @param alertMinRatio the least Knox ratio of a band that raises alerts ({@code NearRepeatAlerts#pattern})
 * @param force      recompute even when no input changed since the same run
 */
public record NearRepeatParams(LocalDate from, LocalDate to, String scope, String offence, Knox.Spec knox,
    double alertCellM, double alertMinRatio, boolean force) {

  public NearRepeatParams {
    if (from == null || to == null) {
      throw new IllegalArgumentException("--from and --to are required (months, e.g. --from 2016-01 --to 2017-12)");
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    if (scope == null || scope.isBlank()) {
      throw new IllegalArgumentException("--scope is required (uk, chicago or an area code)");
    }
    if (offence == null || !offence.matches("\\d{2}|\\d{4}")) {
      throw new IllegalArgumentException("--offence must be an ICCS level-1 (05) or level-2 (0501 burglary) code: "
          + offence);
    }
    if (!(alertMinRatio >= 1)) {
      throw new IllegalArgumentException("alert-min-ratio must be at least 1: " + alertMinRatio);
    }
    if (!(alertCellM >= 10)) {
      throw new IllegalArgumentException("alert cell size must be at least 10 m: " + alertCellM);
    }
  }

  public static NearRepeatParams of(IlpConfig config, String from, String to, String scope, String offence,
      String distanceBands, String timeBands, Integer permutations, Long seed, String metric, boolean force) {
    var c = config.raw().getConfig("ilp.nearrepeat");
    Knox.Spec spec = new Knox.Spec(
        Knox.parseBands("distance", distanceBands == null ? c.getString("distance-bands") : distanceBands),
        Knox.parseBands("time", timeBands == null ? c.getString("time-bands") : timeBands),
        Knox.Metric.parse(metric == null ? c.getString("metric") : metric),
        permutations == null ? c.getInt("permutations") : permutations, seed == null ? c.getLong("seed") : seed,
        c.getDouble("alpha"));
    return new NearRepeatParams(from == null ? null : Periods.MONTH.parse(from), to == null ? null : Periods.MONTH.parse(to),
        scope, offence, spec, c.getDouble("alert-cell-m"), c.getDouble("alert-min-ratio"), force);
  }

  /** The last day of the period. */
  public LocalDate periodTo() {
    return to.plusMonths(1).minusDays(1);
  }

  private static String bands(java.util.List<Knox.Band> b) {
    return String.join(",", b.stream().map(Knox.Band::toString).toList());
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("period_from", from.toString());
    m.put("period_to", periodTo().toString());
    m.put("scope", scope);
    m.put("offence", offence);
    m.put("distance_bands", bands(knox.distance()));
    m.put("time_bands", bands(knox.time()));
    m.put("metric", knox.metric().label());
    m.put("permutations", String.valueOf(knox.permutations()));
    m.put("seed", String.valueOf(knox.seed()));
    m.put("alpha", String.valueOf(knox.alpha()));
    m.put("alert_cell_m", String.valueOf(alertCellM));
    m.put("alert_min_ratio", String.valueOf(alertMinRatio));
    m.put("force", String.valueOf(force));
    return m;
  }
}
