package org.ilp.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RepeatExpectationTest {
  /** P(X ≤ h) for Binomial(n, p) by summing the pmf term by term: an implementation independent of the class's. */
  static double binomCdf(int h, int n, double p) {
    double s = 0;
    for (int k = 0; k <= h; k++) {
      double c = 1;
      for (int i = 0; i < k; i++) {
        c = c * (n - i) / (i + 1);
      }
      s += c * Math.pow(p, k) * Math.pow(1 - p, n - k);
    }
    return s;
  }

  @Test
  void poissonProbabilitiesByHand() {
    // λ = 0.6: 1 − 1.6 e^-0.6 (40-digit decimal arithmetic: 0.12190138224955770779...)
    assertThat(RepeatExpectation.probAtLeastTwo(0.6)).isCloseTo(0.12190138224955770779, within(1e-16));
    // small λ (the series): λ = 1e-4 gives 4.99966667916633334...e-9 in 40-digit arithmetic
    assertThat(RepeatExpectation.probAtLeastTwo(1e-4)).isCloseTo(4.9996666791663333e-9, within(1e-23));
    // the series and the closed form agree where they meet
    assertThat(RepeatExpectation.probAtLeastTwo(0.999999e-3) / RepeatExpectation.probAtLeastTwo(1.000001e-3))
        .isCloseTo(Math.pow(0.999999e-3 / 1.000001e-3, 2) * (1 - 0.999999e-3 * 2 / 3) / (1 - 1.000001e-3 * 2 / 3),
            within(1e-11));
    assertThat(RepeatExpectation.probAtLeastTwo(0)).isZero();
    // 10 targets, 6 incidents
    assertThat(RepeatExpectation.expectedTargetsHit(10, 6)).isCloseTo(10 * (1 - 0.5488116360940264), within(1e-12));
    assertThat(RepeatExpectation.expectedRepeatIncidents(10, 6)).isCloseTo(6 - 10 * (1 - 0.5488116360940264), within(1e-12));
    assertThat(RepeatExpectation.expectedRepeatTargets(10, 6)).isCloseTo(1.2190138224955782, within(1e-12));
  }

  @Test
  void pValueIsTheBinomialLowerTailOfTheTargetsHit() {
    // all four crimes of an area on one of its four locations: λ = 1, P(X ≤ 1) = e^-4 + 4 (1 − e^-1) e^-3
    double e1 = Math.exp(-1);
    assertThat(RepeatExpectation.pValue(4, 4, 1)).isCloseTo(Math.pow(e1, 4) + 4 * (1 - e1) * Math.pow(e1, 3), within(1e-14));
    assertThat(RepeatExpectation.pValue(10, 6, 3)).isCloseTo(binomCdf(3, 10, 1 - Math.exp(-0.6)), within(1e-14));
    assertThat(RepeatExpectation.pValue(200, 150, 90)).isCloseTo(binomCdf(90, 200, 1 - Math.exp(-0.75)), within(1e-12));
    // every target hit, or no crime: nothing to detect
    assertThat(RepeatExpectation.pValue(5, 9, 5)).isEqualTo(1.0);
    assertThat(RepeatExpectation.pValue(5, 0, 0)).isEqualTo(1.0);
    // fewer targets hit means more concentration: a smaller p
    assertThat(RepeatExpectation.pValue(100, 100, 40)).isLessThan(RepeatExpectation.pValue(100, 100, 60));
  }

  @Test
  void impossibleCountsAreRefused() {
    assertThatThrownBy(() -> RepeatExpectation.pValue(3, 5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RepeatExpectation.pValue(5, 2, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RepeatExpectation.pValue(5, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RepeatExpectation.expectedTargetsHit(0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RepeatExpectation.probAtLeastTwo(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
