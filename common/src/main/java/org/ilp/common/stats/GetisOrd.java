package org.ilp.common.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The local Getis–Ord Gi* statistic for binary weights that include the cell itself: the one
 * implementation of the z-score, used by the hotspot map, the emerging-hotspot slices and the
 * permutation test ({@link org.ilp.common.spatial.GiStarPermutation}).
 *
 * <p>Sources: Getis, A. &amp; Ord, J. K. (1992), "The analysis of spatial association by use of distance
 * statistics", <i>Geographical Analysis</i> 24(3):189–206; Ord, J. K. &amp; Getis, A. (1995), "Local
 * spatial autocorrelation statistics: distributional issues and an application", <i>Geographical
 * Analysis</i> 27(4):286–306, eq. (14)–(15), the standardised Gi*.
 *
 * <p>With binary weights w_ij in {0, 1} and w_ii = 1, Σ_j w_ij = Σ_j w_ij² = W_i = |N_i|, so
 * <pre>
 *   z_i = ( Σ_{j in N_i} x_j − x̄ W_i ) / ( S · sqrt( (n W_i − W_i²) / (n − 1) ) ),
 *   x̄ = Σ_j x_j / n,   S = sqrt( Σ_j x_j² / n − x̄² )      (all n cells, i included)
 * </pre>
 * Worked example (tests): on the 5×5 grid with border 1s, inner ring 2s and centre 9 (n = 25,
 * x̄ = 1.64, S² = 2.4704) the centre's 3×3 neighbourhood (sum 25, W = 9) gives
 * z = 10.24 / sqrt(6 S²) = 64/√579 = 2.6597.
 */
public final class GetisOrd {

    private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1,
            NormalDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);

    private GetisOrd() {
    }

    /**
     * Gi* z-score (formula in the class comment).
     *
     * @param sumNeighbourhood Σ_j w_ij x_j over the neighbourhood, the cell itself included
     * @param wi               W_i, the number of cells in the neighbourhood (cell included)
     * @param mean             x̄ over all n cells
     * @param s                S = sqrt(Σx²/n − x̄²) over all n cells (population form)
     * @param n                number of cells
     * @return the z-score, or NaN — a flag, never an exception — where it is undefined: S not &gt; 0
     *         (every cell has the same value), n &lt; 2, W_i &lt; 1, W_i ≥ n (the neighbourhood is the
     *         whole grid and carries no local information), or a non-finite argument
     */
    public static double z(double sumNeighbourhood, int wi, double mean, double s, long n) {
        double denom = denominator(wi, s, n);
        return Double.isNaN(denom) || !Double.isFinite(sumNeighbourhood) || !Double.isFinite(mean)
            ? Double.NaN : (sumNeighbourhood - mean * wi) / denom;
    }

    /** S·sqrt((nW − W²)/(n − 1)), the denominator of z; NaN when not a positive finite number. */
    public static double denominator(int wi, double s, long n) {
        if (!(s > 0) || !Double.isFinite(s) || n < 2 || wi < 1 || wi >= n) {
            return Double.NaN;
        }
        double w = wi;
        double nd = (double) n;
        double denom = s * Math.sqrt((nd * w - w * w) / (nd - 1.0));
        return denom > 0 && !Double.isInfinite(denom) ? denom : Double.NaN;
    }

    /**
     * Two-sided p-value of a Gi* z-score under the normal approximation (Ord &amp; Getis 1995):
     * {@code p = 2 (1 - Phi(|z|))}, computed as {@code 2 Phi(-|z|)} to keep precision in the tail.
     * Example: z = 1.959964 gives p = 0.05. NaN for NaN input.
     */
    public static double twoSidedP(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        return Math.min(1.0, 2 * STD_NORMAL.cumulativeProbability(-Math.abs(z)));
    }
}
