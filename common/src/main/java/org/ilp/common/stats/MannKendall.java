package org.ilp.common.stats;

import java.util.Arrays;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Mann–Kendall test for a monotonic trend, with Kendall's tau and Sen's slope.
 *
 * <p>Sources: Mann, H. B. (1945), "Nonparametric tests against trend", <i>Econometrica</i> 13:245–259;
 * Kendall, M. G. (1975), <i>Rank Correlation Methods</i>, 4th ed., Griffin (variance with ties);
 * Sen, P. K. (1968), "Estimates of the regression coefficient based on Kendall's tau", <i>JASA</i>
 * 63:1379–1389; Gilbert, R. O. (1987), <i>Statistical Methods for Environmental Pollution
 * Monitoring</i>, Van Nostrand Reinhold, ch. 16 (§16.4 the test and its normal approximation, §16.5
 * Sen's estimator and its confidence interval). The conventions (continuity correction, rounding of the
 * confidence-interval ranks) are those of R's {@code trend::mk.test} and {@code trend::sens.slope}
 * (Pohlert), so results can be compared with R.
 *
 * <p>Missing values: {@code NaN} entries are treated as missing; they are dropped from S, the variance
 * and the tie counts, while Sen's pairwise slopes use the original positions as the time index (so a
 * gap of two periods counts as two periods), as in Gilbert §16.5.
 */
public final class MannKendall {

    private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1,
            NormalDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);

    /** Largest accepted number of non-missing values (the slopes need n(n-1)/2 doubles). */
    public static final int MAX_N = 10_000;

    private MannKendall() {
    }

    /**
     * Test result.
     *
     * @param n        number of non-missing observations
     * @param s        Mann–Kendall statistic S = sum_{i&lt;j} sign(x_j - x_i)
     * @param varS     variance of S under H0, corrected for ties
     * @param z        standardised statistic with continuity correction
     * @param pValue   two-sided p-value from the normal approximation
     * @param tau      Kendall's tau (tau-a) = S / (n(n-1)/2)
     * @param senSlope Sen's slope: median of the pairwise slopes, per time step
     * @param senLow   lower confidence limit of Sen's slope (NaN when the rank falls outside 1..N')
     * @param senHigh  upper confidence limit of Sen's slope (NaN when the rank falls outside 1..N')
     */
    public record Result(int n, long s, double varS, double z, double pValue, double tau,
                         double senSlope, double senLow, double senHigh) {
    }

    /**
     * Mann–Kendall test with a 95% confidence interval for Sen's slope; formulas, sources and the
     * worked example are given at {@link #test(double[], double)}.
     *
     * @param series observations in time order, equally spaced; NaN = missing
     * @return the test result
     */
    public static Result test(double[] series) {
        return test(series, 0.05);
    }

    /**
     * Mann–Kendall trend test, Kendall's tau and Sen's slope with a {@code 1 - alpha} confidence
     * interval. Formulas (Gilbert 1987, eqs. 16.3–16.5 and §16.5; Kendall 1975 for the tie correction):
     * <pre>
     *   S      = sum_{i&lt;j} sign(x_j - x_i)
     *   Var(S) = [ n(n-1)(2n+5) - sum_p t_p(t_p - 1)(2 t_p + 5) ] / 18     (t_p = size of tie group p)
     *   Z      = (S - 1)/sqrt(Var S) if S &gt; 0,  0 if S = 0,  (S + 1)/sqrt(Var S) if S &lt; 0
     *   p      = 2 (1 - Phi(|Z|))
     *   tau    = S / (n(n-1)/2)
     *   Sen    = median of Q_ij = (x_j - x_i)/(j - i) over the N' = n(n-1)/2 pairs i &lt; j
     *   C      = z_{1-alpha/2} sqrt(Var S),  M1 = (N' - C)/2,  M2 = (N' + C)/2
     *   CI     = [ Q_(M1), Q_(M2 + 1) ]  (ascending order statistics, 1-based)
     * </pre>
     * Gilbert's ranks M1 and M2 + 1 are generally not integers; they are rounded to the nearest integer
     * (half to even, R's {@code round}), exactly as in R's {@code trend::sens.slope}. When a rounded rank
     * falls outside {@code 1..N'} (very short series) the limit does not exist and is returned as NaN.
     * If every value is tied, Var(S) = 0 and S = 0; then Z = 0 and p = 1.
     *
     * <p>Worked example used in the tests (hand computation): x = (1, 3, 2, 3, 5, 4) gives S = 10,
     * Var(S) = (510 - 18)/18 = 82/3, Z = 9/sqrt(82/3) = 1.72146, p = 0.085168, tau = 2/3, Sen's slope
     * = 2/3 and 95% interval [-1, 2] (ranks 2 and 14 of the 15 slopes).
     *
     * <p>Short series: if fewer than 3 non-missing values are present, the test is not performed:
     * {@code z}, {@code pValue}, {@code senLow} and {@code senHigh} are NaN, while {@code s} and
     * {@code varS} hold their formula values (0 for n &lt;= 1) and {@code tau}/{@code senSlope} the
     * descriptive values for n = 2 (NaN for n &lt;= 1).
     *
     * <p>Cost: O(n^2) time and n(n-1)/2 doubles of memory for the slopes (n = 1000: 4 MB).
     *
     * @param series observations in time order, equally spaced; NaN = missing
     * @param alpha  1 - confidence level of the slope interval, in (0, 1)
     * @return the test result
     * @throws IllegalArgumentException for infinite values, alpha outside (0, 1), or more than 10,000
     *                                  non-missing values (50 million slopes, 400 MB)
     */
    public static Result test(double[] series, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0,1): " + alpha);
        }
        int[] pos = new int[series.length];
        int n = 0;
        for (int i = 0; i < series.length; i++) {
            double v = series[i];
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("infinite value at " + i);
            }
            if (!Double.isNaN(v)) {
                pos[n++] = i;
            }
        }
        if (n > MAX_N) {
            throw new IllegalArgumentException("series too long for the O(n^2) Sen slope: " + n);
        }
        // S and the pairwise slopes
        int pairs = (int) ((long) n * (n - 1) / 2);
        double[] slopes = new double[pairs];
        long s = 0;
        int k = 0;
        for (int a = 0; a < n; a++) {
            double xa = series[pos[a]];
            for (int b = a + 1; b < n; b++) {
                double diff = series[pos[b]] - xa;
                s += diff > 0 ? 1 : (diff < 0 ? -1 : 0);
                slopes[k++] = diff / (pos[b] - pos[a]);
            }
        }
        // Var(S) with the tie correction
        double[] sorted = new double[n];
        for (int a = 0; a < n; a++) {
            sorted[a] = series[pos[a]];
        }
        Arrays.sort(sorted);
        double tieSum = 0;
        for (int a = 0; a < n; ) {
            int b = a;
            while (b + 1 < n && sorted[b + 1] == sorted[a]) {
                b++;
            }
            double t = b - a + 1;
            tieSum += t * (t - 1) * (2 * t + 5);
            a = b + 1;
        }
        double dn = n;
        double varS = (dn * (dn - 1) * (2 * dn + 5) - tieSum) / 18.0;
        double tau = pairs > 0 ? s / (double) pairs : Double.NaN;
        Arrays.sort(slopes);
        double sen = median(slopes);
        if (n < 3) {
            return new Result(n, s, varS, Double.NaN, Double.NaN, tau, sen, Double.NaN, Double.NaN);
        }
        double z;
        if (s > 0) {
            z = (s - 1) / Math.sqrt(varS);
        } else if (s < 0) {
            z = (s + 1) / Math.sqrt(varS);
        } else {
            z = 0.0;
        }
        double p = Math.min(1.0, 2 * STD_NORMAL.cumulativeProbability(-Math.abs(z)));
        double c = STD_NORMAL.inverseCumulativeProbability(1 - alpha / 2) * Math.sqrt(varS);
        long rankLow = (long) Math.rint((pairs - c) / 2);
        long rankHigh = (long) Math.rint((pairs + c) / 2 + 1);
        double low = rankLow >= 1 && rankLow <= pairs ? slopes[(int) rankLow - 1] : Double.NaN;
        double high = rankHigh >= 1 && rankHigh <= pairs ? slopes[(int) rankHigh - 1] : Double.NaN;
        return new Result(n, s, varS, z, p, tau, sen, low, high);
    }

    private static double median(double[] sortedValues) {
        int m = sortedValues.length;
        if (m == 0) {
            return Double.NaN;
        }
        return m % 2 == 1 ? sortedValues[m / 2] : 0.5 * (sortedValues[m / 2 - 1] + sortedValues[m / 2]);
    }
}
