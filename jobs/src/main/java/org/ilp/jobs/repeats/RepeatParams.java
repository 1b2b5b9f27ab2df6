package org.ilp.jobs.repeats;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ilp.common.assess.Periods;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.ref.Reference;

/**
 * Parameters of {@link RepeatsJob}, validated when built (CLI options over {@code ilp.repeats}).
 *
 * @param periodEnd the last month of the window
 * @param months    the window in months, ending at {@code periodEnd}
 * @param scope     a jurisdiction (uk, chicago)
 * @param offence   optional ICCS level-1 or level-2 code (e.g. 0501 burglary); null = all crime
 * @param alpha     significance level of "more repeats than chance" (q of the areas, p of the scope)
 * @param force     recompute even when no input changed since the same run
 */
public record RepeatParams(LocalDate periodEnd, int months, String scope, String offence, double alpha, boolean force) {

  public RepeatParams {
    if (periodEnd == null) {
      throw new IllegalArgumentException("--to is required (the last month of the window, e.g. 2017-12)");
    }
    if (months < 1 || months > 120) {
      throw new IllegalArgumentException("--months must be in 1..120: " + months);
    }
    if (scope == null || !Reference.jurisdictions().containsValue(scope)) {
      throw new IllegalArgumentException("--scope must be a jurisdiction " + new java.util.TreeSet<>(
          Reference.jurisdictions().values()) + ": " + scope);
    }
    if (offence != null && !offence.matches("\\d{2}|\\d{4}")) {
      throw new IllegalArgumentException("--offence must be an ICCS level-1 (05) or level-2 (0501) code: " + offence);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
    }
  }

  public static RepeatParams of(IlpConfig config, String to, Integer months, String scope, String offence, boolean force) {
    var c = config.raw().getConfig("ilp.repeats");
    return new RepeatParams(to == null ? null : Periods.MONTH.parse(to), months == null ? c.getInt("window-months") : months,
        scope, offence, c.getDouble("alpha"), force);
  }

  /** The first month of the window. */
  public LocalDate period() {
    return periodEnd.minusMonths(months - 1L);
  }

  /** The offence as written in the tables: the ICCS code or "all". */
  public String offenceLabel() {
    return offence == null ? "all" : offence;
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("period", period().toString());
    m.put("period_end", periodEnd.toString());
    m.put("scope", scope);
    m.put("offence", offenceLabel());
    m.put("alpha", String.valueOf(alpha));
    m.put("location_keys_sha256", RepeatsJob.locationKeysHash());
    m.put("force", String.valueOf(force));
    return m;
  }
}
