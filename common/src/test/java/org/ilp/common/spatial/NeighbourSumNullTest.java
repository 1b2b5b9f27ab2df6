package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourSumNullTest {

  @Test
  void handExampleOfTwoNeighbours() {
    // values: 8 cells of 0, 2 of 1 -> p(0) = 0.8, p(1) = 0.2. Two neighbours: T in {0, 1, 2} with
    // probabilities 0.64, 0.32, 0.04. P(T >= 2) = 0.04, P(T <= 2) = 1 -> two-sided p = 0.08;
    // P(T >= 1) = 0.36, P(T <= 1) = 0.96 -> 0.72; t = 0: P(T <= 0) = 0.64 -> 1.
    NeighbourSumNull nul = NeighbourSumNull.of(Map.of(0L, 8L, 1L, 2L), 2);
    assertThat(nul.upper(2, 2)).isCloseTo(0.04, within(1e-12));
    assertThat(nul.twoSided(2, 2)).isCloseTo(0.08, within(1e-12));
    assertThat(nul.twoSided(2, 1)).isCloseTo(0.72, within(1e-12));
    assertThat(nul.twoSided(2, 0)).isCloseTo(1.0, within(1e-12));
    assertThat(nul.upper(2, 3)).isZero();
    // folded on |z| about t0 = 0.5: t = 2 is d = 1.5 away -> P(T >= 2) + P(T <= -1) = 0.04
    assertThat(nul.twoSidedAbout(2, 2, 0.5)).isCloseTo(0.04, within(1e-12));
    // t = 0: d = 0.5 -> P(T >= 1) + P(T <= 0) = 1
    assertThat(nul.twoSidedAbout(2, 0, 0.5)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void agreesWithTheConditionalPermutationPseudoPOnALargeGrid() {
    // 100 x 100 cells of Poisson(0.3): sparse counts, where the normal approximation fails.
    Random rnd = new Random(3);
    long[] x = new long[10_000];
    java.util.Map<Long, Long> freq = new java.util.HashMap<>();
    for (int i = 0; i < x.length; i++) {
      double l = Math.exp(-0.3);
      long k = 0;
      double prod = rnd.nextDouble();
      while (prod > l) {
        k++;
        prod *= rnd.nextDouble();
      }
      x[i] = k;
      freq.merge(k, 1L, Long::sum);
    }
    NeighbourSumNull nul = NeighbourSumNull.of(freq, 8);
    GiStarPermutation.ValueHistogram h = GiStarPermutation.ValueHistogram.of(x);
    int r = 9_999;
    for (long[] c : new long[][] {{1, 4}, {0, 3}, {2, 5}, {0, 1}}) {
      long xi = c[0];
      long nbSum = c[1];
      double exact = nul.twoSidedAbout(8, nbSum, h.mean() * 9 - xi);
      double pseudo = GiStarPermutation.permute(xi, xi + nbSum, 9, h, r, 11, 42).pseudoP();
      // within Monte Carlo error of the pseudo-p (plus the O(k/n) with/without-replacement difference)
      assertThat(pseudo).as("x=%d, neighbours=%d", xi, nbSum)
          .isCloseTo(exact, within(4 * Math.sqrt(exact * (1 - exact) / r) + 2.0 / r));
    }
  }
}
