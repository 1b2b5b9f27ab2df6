package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.ilp.common.spatial.GiStarPermutation.PermResult;
import org.ilp.common.spatial.GiStarPermutation.ValueHistogram;
import org.ilp.common.stats.GetisOrd;
import org.junit.jupiter.api.Test;

class GiStarPermutationTest {

    private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1);

    // ------------------------------------------------------------------ hand-computed z

    /**
     * 5×5 grid, centre value 10, the other 24 cells 1; queen neighbourhoods incl. the cell.
     * n = 25, Σx = 24 + 10 = 34, x̄ = 1.36, Σx² = 24 + 100 = 124, Σx²/n = 4.96,
     * S² = 4.96 − 1.36² = 4.96 − 1.8496 = 3.1104 (S = 1.76363…).
     * Centre: W = 9, Σ = 10 + 8·1 = 18, numerator = 18 − 1.36·9 = 18 − 12.24 = 5.76,
     *   (nW − W²)/(n−1) = (225 − 81)/24 = 6, denominator = sqrt(3.1104·6) = sqrt(18.6624) = 4.32,
     *   z = 5.76 / 4.32 = 4/3.
     * Corner: W = 4, Σ = 4, numerator = 4 − 5.44 = −1.44, (100 − 16)/24 = 3.5,
     *   denominator² = 3.1104·3.5 = 10.8864, z² = 2.0736/10.8864 = 4/21, z = −2/√21 = −0.436436.
     * Edge (non-corner): W = 6, Σ = 6, numerator = 6 − 8.16 = −2.16, (150 − 36)/24 = 4.75,
     *   denominator² = 3.1104·4.75 = 14.7744, z² = 4.6656/14.7744 = 6/19, z = −√(6/19) = −0.561951.
     */
    @Test
    void zMatchesHandComputation5x5() {
        long[] grid = new long[25];
        java.util.Arrays.fill(grid, 1L);
        grid[12] = 10L;
        ValueHistogram h = ValueHistogram.of(grid);
        assertThat(h.n()).isEqualTo(25);
        assertThat(h.mean()).isCloseTo(1.36, within(1e-15));
        assertThat(h.s()).isCloseTo(Math.sqrt(3.1104), within(1e-14));

        assertThat(GetisOrd.z(queenSum(grid, 5, 2, 2), 9, h.mean(), h.s(), h.n()))
                .isCloseTo(4.0 / 3.0, within(1e-12));
        assertThat(queenCount(5, 0, 0)).isEqualTo(4);
        assertThat(GetisOrd.z(queenSum(grid, 5, 0, 0), 4, h.mean(), h.s(), h.n()))
                .isCloseTo(-2.0 / Math.sqrt(21.0), within(1e-12));
        assertThat(queenCount(5, 0, 2)).isEqualTo(6);
        assertThat(GetisOrd.z(queenSum(grid, 5, 0, 2), 6, h.mean(), h.s(), h.n()))
                .isCloseTo(-Math.sqrt(6.0 / 19.0), within(1e-12));
        // permute() reports the same observed z
        PermResult r = GiStarPermutation.permute(10, 18, 9, h, 99, 1L, 12L);
        assertThat(r.z()).isCloseTo(4.0 / 3.0, within(1e-12));
    }

    /**
     * Same 5×5 grid: under CONDITIONAL randomisation x_i = 10 is held fixed and the 8 other
     * neighbours are drawn from 24 ones, so every permuted sum is 18 and every z_perm = z_obs:
     * pseudo p = (1 + 999)/(999 + 1) = 1, mean 4/3, sd 0. The analytic conditional expectation
     * (n − W)(x_i − x̄)/((n − 1)·denominator) = 16·8.64/(24·4.32) = 4/3 agrees. (A classical
     * normal p for z = 4/3 would be 0.18: the cell is high on its own, not a cluster.)
     */
    @Test
    void conditionalPermutationOfIsolatedPeakIsNotSignificant() {
        long[] grid = new long[25];
        java.util.Arrays.fill(grid, 1L);
        grid[12] = 10L;
        ValueHistogram h = ValueHistogram.of(grid);
        PermResult r = GiStarPermutation.permute(10, 18, 9, h, 999, 42L, 12L);
        assertThat(r.pseudoP()).isEqualTo(1.0);
        assertThat(r.zPermMean()).isCloseTo(4.0 / 3.0, within(1e-12));
        assertThat(r.zPermSd()).isCloseTo(0.0, within(1e-12));
        assertThat(GiStarPermutation.conditionalMean(10, 9, h.mean(), h.s(), h.n()))
                .isCloseTo(4.0 / 3.0, within(1e-12));
    }

    @Test
    void zFlagsDegenerateInputsWithNaN() {
        assertThat(GetisOrd.z(5, 3, 1.0, 0.0, 10)).isNaN();      // s == 0
        assertThat(GetisOrd.z(5, 10, 1.0, 1.0, 10)).isNaN();     // wi == n
        assertThat(GetisOrd.z(5, 11, 1.0, 1.0, 10)).isNaN();     // wi > n
        assertThat(GetisOrd.z(5, 0, 1.0, 1.0, 10)).isNaN();      // wi == 0
        assertThat(GetisOrd.z(5, 1, 1.0, 1.0, 1)).isNaN();       // n == 1
        assertThat(GetisOrd.z(5, 3, 1.0, Double.NaN, 10)).isNaN();
        ValueHistogram constant = ValueHistogram.of(new long[] {3, 3, 3, 3});
        PermResult r = GiStarPermutation.permute(3, 6, 2, constant, 99, 1, 1);
        assertThat(r.z()).isNaN();
        assertThat(r.pseudoP()).isNaN();
        // W = 1: nothing is drawn, every z_perm equals z_obs -> p = 1
        ValueHistogram h = ValueHistogram.of(new long[] {0, 1, 2, 3, 4});
        PermResult one = GiStarPermutation.permute(4, 4, 1, h, 99, 1, 1);
        assertThat(one.pseudoP()).isEqualTo(1.0);
        assertThat(one.zPermSd()).isCloseTo(0.0, within(1e-15));
        assertThat(GiStarPermutation.permute(4, 4, 2, h, 0, 1, 1).pseudoP()).isNaN();
        assertThatThrownBy(() -> GiStarPermutation.permute(7, 7, 2, h, 9, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ histogram & sampler

    @Test
    void histogramMatchesNaiveMultiset() {
        long[] vals = {5, 0, 2, 2, 7, 0, 0, 2, 9, 5, 2};
        ValueHistogram a = ValueHistogram.of(vals);
        Map<Long, Long> freq = new HashMap<>();
        for (long v : vals) {
            freq.merge(v, 1L, Long::sum);
        }
        freq.put(100L, 0L); // zero frequency ignored
        ValueHistogram b = ValueHistogram.of(freq);
        // Σx = 34, n = 11, x̄ = 34/11; Σx² = 25+0+4+4+49+0+0+4+81+25+4 = 196
        // S² = 196/11 − (34/11)² = (2156 − 1156)/121 = 1000/121
        for (ValueHistogram h : List.of(a, b)) {
            assertThat(h.n()).isEqualTo(11);
            assertThat(h.distinct()).isEqualTo(5);
            assertThat(h.mean()).isCloseTo(34.0 / 11.0, within(1e-14));
            assertThat(h.s()).isCloseTo(Math.sqrt(1000.0 / 121.0), within(1e-14));
            assertThat(h.total()).isEqualTo(34);
            assertThat(h.frequency(h.indexOf(2))).isEqualTo(4);
        }
        assertThatThrownBy(() -> ValueHistogram.of(Map.of(1L, -1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValueHistogram.of(new long[0]))
                .isInstanceOf(IllegalArgumentException.class);
        long[] sorted = vals.clone();
        java.util.Arrays.sort(sorted);
        for (int r = 0; r < sorted.length; r++) {
            assertThat(a.valueAt(r)).isEqualTo(sorted[r]);
        }
        // valueAtExcluding vs naive list with one copy removed, for every distinct value
        for (int k = 0; k < a.distinct(); k++) {
            List<Long> naive = new ArrayList<>();
            for (long v : sorted) {
                naive.add(v);
            }
            naive.remove(Long.valueOf(a.value(k)));
            for (int idx = 0; idx < naive.size(); idx++) {
                assertThat(a.valueAtExcluding(idx, k)).isEqualTo(naive.get(idx));
            }
        }
    }

    /**
     * Floyd's algorithm must give each of the C(11,3) = 165 subsets probability 1/165.
     * 66,000 draws → expected 400 per subset; Pearson χ² with 164 df must not be extreme
     * (p &gt; 0.001), and every draw has 3 distinct indices in 0..10.
     */
    @Test
    void floydSamplerIsUniformOverSubsets() {
        int m = 11;
        int k = 3;
        int draws = 66_000;
        Map<Integer, Integer> counts = new HashMap<>();
        GiStarPermutation.SplitMix64 rng = new GiStarPermutation.SplitMix64(12345L);
        GiStarPermutation.IndexSet set = new GiStarPermutation.IndexSet(k);
        long[] out = new long[k];
        for (int d = 0; d < draws; d++) {
            GiStarPermutation.floydSample(rng, m, k, out, set);
            int mask = 0;
            for (long i : out) {
                assertThat(i).isBetween(0L, (long) m - 1);
                mask |= 1 << i;
            }
            assertThat(Integer.bitCount(mask)).isEqualTo(k);
            counts.merge(mask, 1, Integer::sum);
        }
        assertThat(counts).hasSize(165);
        double expected = draws / 165.0;
        double chi2 = 0;
        for (int c : counts.values()) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        double p = 1 - new ChiSquaredDistribution(null, 164).cumulativeProbability(chi2);
        assertThat(p).isGreaterThan(0.001);
    }

    // ------------------------------------------------------------------ exact enumeration

    /**
     * n = 12 values; for x_i = 4 (unique) and x_i = 1 (repeated), W = 4: enumerate all
     * C(11,3) = 165 choices of the 3 other neighbours from a plain list (independent code) to
     * get the exact conditional distribution of z, its mean, sd and the exact two-sided
     * p = #{|D| ≥ |D_obs|}/165 with D = n·S − Σx·W (integer, so ties are exact).
     * Then compare permute() with R = 100,000.
     */
    @Test
    void permutationDistributionMatchesExactEnumeration() {
        long[] vals = {0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 7, 9};
        ValueHistogram h = ValueHistogram.of(vals);
        int w = 4;
        for (long xi : new long[] {4, 1}) {
            for (long obsOthers : new long[] {3, 12, 20}) {   // observed Σ of the 3 neighbours
                long sObs = xi + obsOthers;
                List<Long> others = new ArrayList<>();
                for (long v : vals) {
                    others.add(v);
                }
                others.remove(Long.valueOf(xi));
                long n = vals.length;
                long total = 35;            // 0+0+1+1+1+2+2+3+4+5+7+9
                long aObs = Math.abs(n * sObs - total * w);
                double sum = 0;
                double sumSq = 0;
                int extreme = 0;
                int cnt = 0;
                for (int a = 0; a < 11; a++) {
                    for (int b = a + 1; b < 11; b++) {
                        for (int c = b + 1; c < 11; c++) {
                            long s = xi + others.get(a) + others.get(b) + others.get(c);
                            double z = GetisOrd.z(s, w, h.mean(), h.s(), n);
                            sum += z;
                            sumSq += z * z;
                            if (Math.abs(n * s - total * w) >= aObs) {
                                extreme++;
                            }
                            cnt++;
                        }
                    }
                }
                assertThat(cnt).isEqualTo(165);
                double exactMean = sum / cnt;
                double exactSd = Math.sqrt(sumSq / cnt - exactMean * exactMean);
                double exactP = (double) extreme / cnt;
                // analytic conditional expectation (n − W)(x_i − x̄)/((n − 1)·denominator)
                assertThat(GiStarPermutation.conditionalMean(xi, w, h.mean(), h.s(), n))
                        .isCloseTo(exactMean, within(1e-12));

                int r = 100_000;
                PermResult res = GiStarPermutation.permute(xi, sObs, w, h, r, 7L, 3L);
                assertThat(res.zPermMean()).isCloseTo(exactMean, within(4 * exactSd / Math.sqrt(r)));
                assertThat(res.zPermSd()).isCloseTo(exactSd, within(0.02 * exactSd));
                double expectedPseudo = (1 + r * exactP) / (r + 1);
                assertThat(res.pseudoP()).isCloseTo(expectedPseudo,
                        within(3 * Math.sqrt(exactP * (1 - exactP) / r) + 1e-9));
            }
        }
    }

    // ------------------------------------------------------------------ naive list sampler

    /**
     * 30×30 Poisson(4) grid adjusted so that Σx = 4·900 (x̄ = 4 exactly). For several cells a
     * naive sampler (ArrayList of all values, one copy of x_i removed, partial Fisher–Yates with
     * java.util.Random) gives 20,000 permuted z; permute() with R = 19,999 must agree on the mean
     * and the tail probability within the Monte-Carlo error of the difference of two
     * estimates, and the mean must equal the analytic conditional mean — which is 0 for a
     * cell with x_i = x̄.
     */
    @Test
    void permuteAgreesWithNaiveListSampler() {
        int side = 30;
        long[] grid = poissonGrid(side, 4.0, 99L);
        long target = 4L * side * side;
        long diff = target - java.util.Arrays.stream(grid).sum();
        for (int i = 0; diff != 0; i = (i + 1) % grid.length) {   // nudge cells until Σx = 3600
            if (diff > 0) {
                grid[i]++;
                diff--;
            } else if (grid[i] > 0) {
                grid[i]--;
                diff++;
            }
        }
        ValueHistogram h = ValueHistogram.of(grid);
        assertThat(h.mean()).isEqualTo(4.0);
        // 3 interior cells with x_i = x̄ = 4 and 3 with x_i != 4
        List<Integer> cells = new ArrayList<>();
        int withMean = 0;
        int without = 0;
        for (int cell = 31; cell < grid.length && cells.size() < 6; cell += 37) {
            int row = cell / side;
            int col = cell % side;
            if (row == 0 || col == 0 || row == side - 1 || col == side - 1) {
                continue;
            }
            if (grid[cell] == 4 && withMean < 3) {
                cells.add(cell);
                withMean++;
            } else if (grid[cell] != 4 && without < 3) {
                cells.add(cell);
                without++;
            }
        }
        int r = 19_999;
        int checked = 0;
        int atMean = 0;
        for (int cell : cells) {
            int row = cell / side;
            int col = cell % side;
            int w = queenCount(side, row, col);
            long sObs = queenSum(grid, side, row, col);
            long xi = grid[cell];
            double zObs = GetisOrd.z(sObs, w, h.mean(), h.s(), h.n());
            // naive sampler
            List<Long> others = new ArrayList<>();
            for (long v : grid) {
                others.add(v);
            }
            others.remove(Long.valueOf(xi));
            Random rnd = new Random(cell);
            double sum = 0;
            double sumSq = 0;
            int extreme = 0;
            for (int d = 0; d < r; d++) {
                long s = xi;
                for (int j = 0; j < w - 1; j++) {          // partial Fisher–Yates
                    int pick = j + rnd.nextInt(others.size() - j);
                    Long tmp = others.get(j);
                    others.set(j, others.get(pick));
                    others.set(pick, tmp);
                    s += others.get(j);
                }
                double z = GetisOrd.z(s, w, h.mean(), h.s(), h.n());
                sum += z;
                sumSq += z * z;
                if (Math.abs(z) >= Math.abs(zObs) - 1e-12) {
                    extreme++;
                }
            }
            double naiveMean = sum / r;
            double naiveSd = Math.sqrt(sumSq / r - naiveMean * naiveMean);
            double naiveP = (double) extreme / r;
            PermResult res = GiStarPermutation.permute(xi, sObs, w, h, r, 2024L, cell);
            double tolMean = 4.5 * naiveSd / Math.sqrt(r);       // sqrt(2)·3.2σ of a difference
            assertThat(res.zPermMean()).isCloseTo(naiveMean, within(tolMean));
            assertThat(res.zPermSd()).isCloseTo(naiveSd, within(0.03 * naiveSd));
            double analytic = GiStarPermutation.conditionalMean(xi, w, h.mean(), h.s(), h.n());
            assertThat(res.zPermMean()).isCloseTo(analytic, within(3.2 * naiveSd / Math.sqrt(r)));
            if (xi == 4) {
                assertThat(analytic).isEqualTo(0.0);
                atMean++;
            }
            double tolP = 4.5 * Math.sqrt(naiveP * (1 - naiveP) / r) + 2.0 / r;
            assertThat(res.pseudoP()).isCloseTo(naiveP, within(tolP));
            checked++;
        }
        assertThat(checked).isEqualTo(6);
        assertThat(atMean).as("cells with x_i = mean").isEqualTo(3);
    }

    // ------------------------------------------------------------------ large grid vs analytic

    /**
     * 100×100 grid of Poisson(6) counts (n = 10,000), queen neighbourhoods (W = 9 inside).
     * Reference p for conditional randomisation, computed without any sampling:
     * (1) "convolution": the 8 neighbour draws approximated as i.i.d. from the empirical
     *     distribution of the other 9,999 values (finite-population factor (N−k)/(N−1) =
     *     0.9993), pmf of their sum by 8-fold convolution, p = P(|n·S − Σx·W| ≥ |n·S_obs − Σx·W|);
     * (2) "normal": the same event under a normal law for the sum with the exact conditional
     *     mean k·m_o and variance k·v_o·(N−k)/(N−1) (m_o, v_o = mean, variance of the others),
     *     with continuity correction — the analytic two-sided normal p of the conditional null.
     * For 8 cells spread over p ∈ [0.01, 1], pseudo p (R = 999) must lie within
     * 3·sqrt(p(1−p)/R) of its expectation (1 + R·p)/(R + 1) for reference (1), and within that
     * plus 0.01 (normal-approximation error) for reference (2).
     * NB: the classical 2(1 − Φ(|z|)) is NOT the target: under conditional randomisation the
     * null distribution of z has mean (n−W)(x_i−x̄)/((n−1)·denom) and sd ≈ sqrt((W−1)/W).
     */
    @Test
    void pseudoPMatchesAnalyticConditionalPOnLargePoissonGrid() {
        int side = 100;
        long[] grid = poissonGrid(side, 6.0, 7L);
        ValueHistogram h = ValueHistogram.of(grid);
        long n = h.n();
        long total = h.total();
        // candidate interior cells with their reference p
        double[] targets = {0.01, 0.03, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0};
        int[] best = new int[targets.length];
        double[] bestP = new double[targets.length];
        java.util.Arrays.fill(bestP, Double.NaN);
        Map<Long, double[]> pmfCache = new HashMap<>();
        for (int cell = 0; cell < grid.length; cell += 7) {
            int row = cell / side;
            int col = cell % side;
            if (row == 0 || col == 0 || row == side - 1 || col == side - 1) {
                continue;
            }
            long xi = grid[cell];
            double[] pmf = pmfCache.computeIfAbsent(xi, v -> sumPmf(h, v, 8));
            double p = convolutionP(pmf, xi, queenSum(grid, side, row, col), 9, n, total);
            for (int t = 0; t < targets.length; t++) {
                if (Double.isNaN(bestP[t]) || Math.abs(p - targets[t]) < Math.abs(bestP[t] - targets[t])) {
                    best[t] = cell;
                    bestP[t] = p;
                }
            }
        }
        int r = 999;
        for (int t = 0; t < targets.length; t++) {
            int cell = best[t];
            int row = cell / side;
            int col = cell % side;
            long xi = grid[cell];
            long sObs = queenSum(grid, side, row, col);
            double pConv = bestP[t];
            double pNorm = normalP(h, xi, sObs, 9);
            PermResult res = GiStarPermutation.permute(xi, sObs, 9, h, r, 31337L, cell);
            double tol = 3 * Math.sqrt(pConv * (1 - pConv) / r) + 1e-9;
            double expected = (1 + r * pConv) / (r + 1);
            assertThat(res.pseudoP()).as("cell %d target %.2f", cell, targets[t])
                    .isCloseTo(expected, within(tol));
            assertThat(res.pseudoP()).isCloseTo((1 + r * pNorm) / (r + 1), within(tol + 0.01));
            assertThat(Math.abs(pConv - targets[t])).isLessThan(0.05);
        }
    }

    // ------------------------------------------------------------------ reproducibility

    @Test
    void reproducibleAndSeedSensitive() {
        long[] grid = poissonGrid(40, 3.0, 5L);
        ValueHistogram h = ValueHistogram.of(grid);
        int cell = 41 + 40 * 10;
        int row = cell / 40;
        int col = cell % 40;
        long s = queenSum(grid, 40, row, col);
        PermResult a = GiStarPermutation.permute(grid[cell], s, 9, h, 999, 123L, cell);
        // other work in between must not matter (no shared state)
        GiStarPermutation.permute(grid[0], queenSum(grid, 40, 0, 0), 4, h, 999, 123L, 0);
        PermResult b = GiStarPermutation.permute(grid[cell], s, 9, h, 999, 123L, cell);
        assertThat(b).isEqualTo(a);
        // a histogram rebuilt from a map (other partitioning of the same data) gives the same
        Map<Long, Long> freq = new HashMap<>();
        for (long v : grid) {
            freq.merge(v, 1L, Long::sum);
        }
        assertThat(GiStarPermutation.permute(grid[cell], s, 9, ValueHistogram.of(freq), 999, 123L,
                cell)).isEqualTo(a);
        int differing = 0;
        for (long seed = 124; seed < 129; seed++) {
            if (GiStarPermutation.permute(grid[cell], s, 9, h, 999, seed, cell).pseudoP()
                    != a.pseudoP()) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThanOrEqualTo(3);
        assertThat(GiStarPermutation.mix(123L, cell)).isNotEqualTo(GiStarPermutation.mix(123L, cell + 1));
        assertThat(GiStarPermutation.mix(123L, cell)).isNotEqualTo(GiStarPermutation.mix(124L, cell));
    }

    @Test
    void histogramAndResultAreSerializable() throws Exception {
        long[] grid = poissonGrid(20, 2.0, 3L);
        ValueHistogram h = ValueHistogram.of(grid);
        ValueHistogram copy = roundTrip(h);
        assertThat(copy.n()).isEqualTo(h.n());
        assertThat(copy.mean()).isEqualTo(h.mean());
        assertThat(copy.s()).isEqualTo(h.s());
        long s = queenSum(grid, 20, 5, 5);
        PermResult a = GiStarPermutation.permute(grid[105], s, 9, h, 199, 9L, 105L);
        assertThat(GiStarPermutation.permute(grid[105], s, 9, copy, 199, 9L, 105L)).isEqualTo(a);
        assertThat(roundTrip(a)).isEqualTo(a);
    }

    /** n = 10⁶ cells, 300 distinct values, W = 9, R = 999: cost independent of n. */
    @Test
    void largeHistogramIsCheap() {
        Map<Long, Long> freq = new HashMap<>();
        long n = 0;
        for (long v = 0; v < 300; v++) {
            long f = 1 + (v * 7919) % 6000;
            freq.put(v, f);
            n += f;
        }
        freq.merge(0L, 1_000_000L - n, Long::sum);
        ValueHistogram h = ValueHistogram.of(freq);
        assertThat(h.n()).isEqualTo(1_000_000L);
        long start = System.nanoTime();
        double acc = 0;
        for (int cell = 0; cell < 200; cell++) {
            acc += GiStarPermutation.permute(cell % 300, 9.0 * (cell % 300), 9, h, 999, 1L, cell)
                    .pseudoP();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(acc).isPositive();
        assertThat(seconds).as("200 cells x 999 permutations").isLessThan(20.0);
    }

    // ------------------------------------------------------------------ helpers (test-only)

    private static long[] poissonGrid(int side, double lambda, long seed) {
        PoissonDistribution pd = new PoissonDistribution(new Well19937c(seed), lambda,
                PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS);
        long[] g = new long[side * side];
        for (int i = 0; i < g.length; i++) {
            g[i] = pd.sample();
        }
        return g;
    }

    private static long queenSum(long[] grid, int side, int row, int col) {
        long s = 0;
        for (int dr = -1; dr <= 1; dr++) {
            for (int dc = -1; dc <= 1; dc++) {
                int r = row + dr;
                int c = col + dc;
                if (r >= 0 && c >= 0 && r < side && c < side) {
                    s += grid[r * side + c];
                }
            }
        }
        return s;
    }

    private static int queenCount(int side, int row, int col) {
        int w = 0;
        for (int dr = -1; dr <= 1; dr++) {
            for (int dc = -1; dc <= 1; dc++) {
                int r = row + dr;
                int c = col + dc;
                if (r >= 0 && c >= 0 && r < side && c < side) {
                    w++;
                }
            }
        }
        return w;
    }

    /** pmf of the sum of k i.i.d. draws from the histogram minus one copy of xi (values ≥ 0). */
    private static double[] sumPmf(ValueHistogram h, long xi, int k) {
        int maxV = (int) h.value(h.distinct() - 1);
        double[] one = new double[maxV + 1];
        for (int d = 0; d < h.distinct(); d++) {
            one[(int) h.value(d)] = h.frequency(d);
        }
        one[(int) xi] -= 1;
        for (int v = 0; v <= maxV; v++) {
            one[v] /= (h.n() - 1);
        }
        double[] acc = {1.0};
        for (int step = 0; step < k; step++) {
            double[] next = new double[acc.length + maxV];
            for (int a = 0; a < acc.length; a++) {
                for (int v = 0; v <= maxV; v++) {
                    next[a + v] += acc[a] * one[v];
                }
            }
            acc = next;
        }
        return acc;
    }

    private static double convolutionP(double[] pmf, long xi, long sObs, int w, long n, long total) {
        long aObs = Math.abs(n * sObs - total * w);
        double p = 0;
        for (int s = 0; s < pmf.length; s++) {
            if (Math.abs(n * (xi + s) - total * w) >= aObs) {
                p += pmf[s];
            }
        }
        return Math.min(1.0, p);
    }

    private static double normalP(ValueHistogram h, long xi, long sObs, int w) {
        long n = h.n();
        long total = h.total();
        int k = w - 1;
        double bigN = n - 1;
        double sumSqAll = n * (h.s() * h.s() + h.mean() * h.mean());
        double mo = (total - xi) / bigN;
        double vo = (sumSqAll - (double) xi * xi) / bigN - mo * mo;
        double mu = xi + k * mo;
        double sd = Math.sqrt(k * vo * (bigN - k) / (bigN - 1));
        long aObs = Math.abs(n * sObs - total * w);
        if (aObs == 0) {
            return 1.0;
        }
        long hi = Math.floorDiv(total * w + aObs + n - 1, n);  // smallest S with n·S − TW ≥ A
        long lo = Math.floorDiv(total * w - aObs, n);          // largest S with TW − n·S ≥ A
        return (1 - STD_NORMAL.cumulativeProbability((hi - 0.5 - mu) / sd))
                + STD_NORMAL.cumulativeProbability((lo + 0.5 - mu) / sd);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T obj) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(obj);
        }
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            return (T) ois.readObject();
        }
    }
}
