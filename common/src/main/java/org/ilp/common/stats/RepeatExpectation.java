package org.ilp.common.stats;

import org.apache.commons.math3.special.Beta;

/**
 * How concentrated crime on targets (locations, victims) is against what chance gives.
 *
 * <p>The model is the one repeat-victimisation research compares against (Nelson 1980; Trickett, Osborn, Seymour
 * &amp; Pease 1992, "What is different about high crime areas?", BJC 32(1); Farrell &amp; Pease 1993): if the {@code n}
 * incidents of an area fell at random on its {@code L} targets, each target's count would be Poisson with mean
 * {@code λ = n / L}. Then a target is hit at all with probability {@code 1 − e^(−λ)} and at least twice with
 * {@code π = 1 − e^(−λ) (1 + λ)}, so chance gives {@code L (1 − e^(−λ))} targets hit (prevalence), {@code L π} repeat
 * targets, and {@code n − L (1 − e^(−λ))} repeat incidents (incidence − prevalence: the incidents beyond each
 * target's first).
 *
 * <p>Crime is more concentrated than chance when fewer targets share the same incidents: the number of targets hit
 * {@code H} is then small. Under the model {@code H ~ Binomial(L, 1 − e^(−λ))}, and the one-sided p-value of
 * "more repeats than chance" is
 * <pre>  p = P(X ≤ H) = I_(e^(−λ))(L − H, H + 1)      (H &lt; L; p = 1 for H = L)</pre>
 * the regularised incomplete beta function (R: {@code pbinom(H, L, 1 - exp(-λ))}). The number of repeat targets
 * is not the test statistic: when λ is large, concentration leaves more targets untouched and can lower it. Given
 * {@code n}, the counts are multinomial and the occupied targets less variable than binomial, so the test errs on
 * the side of "no more than chance".
 *
 * <p>The number of targets at risk is rarely known (households, addresses): callers pass the targets ever recorded
 * in the area. That undercounts the targets never hit, which raises {@code λ} and lowers the targets chance leaves
 * untouched, so the test again errs towards "no more than chance"; with {@code H = L} it cannot detect anything.
 */
public final class RepeatExpectation {
  private RepeatExpectation() {}

  /** π = P(Poisson(λ) ≥ 2) = 1 − e^(−λ)(1 + λ), computed without cancellation for small λ. */
  public static double probAtLeastTwo(double lambda) {
    checkLambda(lambda);
    // 1 − e^−λ − λe^−λ = −expm1(−λ) − λe^−λ loses ~2ε/λ of relative precision to cancellation; below λ = 1e-3
    // the series Σ_{k≥2} (−1)^k (k−1) λ^k / k! = λ²/2 − λ³/3 + λ⁴/8 − λ⁵/30 + λ⁶/144 is exact to double precision
    if (lambda < 1e-3) {
      double l2 = lambda * lambda;
      return l2 * (0.5 + lambda * (-1.0 / 3 + lambda * (1.0 / 8 + lambda * (-1.0 / 30 + lambda / 144))));
    }
    return -Math.expm1(-lambda) - lambda * Math.exp(-lambda);
  }

  /** L π(n / L): repeat targets chance gives among {@code targets} targets hit {@code incidents} times. */
  public static double expectedRepeatTargets(long targets, long incidents) {
    check(targets, incidents, Math.min(targets, incidents));
    return targets == 0 ? 0 : targets * probAtLeastTwo((double) incidents / targets);
  }

  /** L (1 − e^(−n/L)): targets chance hits at least once. */
  public static double expectedTargetsHit(long targets, long incidents) {
    check(targets, incidents, Math.min(targets, incidents));
    return targets == 0 ? 0 : -targets * Math.expm1(-(double) incidents / targets);
  }

  /** n − L (1 − e^(−n/L)): repeat incidents (beyond each target's first) chance gives. */
  public static double expectedRepeatIncidents(long targets, long incidents) {
    return incidents - expectedTargetsHit(targets, incidents);
  }

  /** One-sided p of {@code hit} or fewer targets hit by chance: P(X ≤ H), X ~ Binomial(L, 1 − e^(−n/L)). */
  public static double pValue(long targets, long incidents, long hit) {
    check(targets, incidents, hit);
    if (hit >= targets || incidents == 0) {
      return 1.0;
    }
    double miss = Math.exp(-(double) incidents / targets);
    // P(X ≤ H) = I_(1−p)(L − H, H + 1) with 1 − p = e^(−λ)
    return Math.min(1.0, Beta.regularizedBeta(miss, targets - hit, hit + 1.0, 1e-15, 10_000));
  }

  private static void checkLambda(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and ≥ 0: " + lambda);
    }
  }

  private static void check(long targets, long incidents, long hit) {
    if (targets < 0 || incidents < 0 || hit < 0 || hit > targets || hit > incidents || (incidents > 0 && hit == 0)) {
      throw new IllegalArgumentException("need 0 < hit ≤ min(targets, incidents) (hit = 0 only without incidents):"
          + " targets " + targets + ", incidents " + incidents + ", hit " + hit);
    }
  }
}
