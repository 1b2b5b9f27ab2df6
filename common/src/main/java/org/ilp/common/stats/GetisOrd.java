package org.ilp.common.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Local Getis–Ord Gi* hot-spot statistic for binary weights that include the cell itself.
 *
 * <p>Sources: Getis, A. &amp; Ord, J. K. (1992), "The analysis of spatial association by use of distance
 * statistics", <i>Geographical Analysis</i> 24(3):189–206; Ord, J. K. &amp; Getis, A. (1995), "Local
 * spatial autocorrelation statistics: distributional issues and an application", <i>Geographical
 * Analysis</i> 27(4):286–306, eq. (14)–(15), the standardised Gi* (which is itself approximately a
 * standard normal z-score under the null of no spatial association).
 *
 * <p>With binary weights w_ij in {0, 1} and w_ii = 1, sum_j w_ij = sum_j w_ij^2 = W_i = |N_i|, so
 * <pre>
 *   Gi* = ( sum_{j in N_i} x_j - xbar W_i ) / ( S sqrt( (n W_i - W_i^2) / (n - 1) ) ),
 *   xbar = sum_j x_j / n,   S = sqrt( sum_j x_j^2 / n - xbar^2 )      (all n cells, i included)
 * </pre>
 */
public final class GetisOrd {

    private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1,
            NormalDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);

    private GetisOrd() {
    }

    /**
     * Standardised local Gi* for binary self-inclusive weights (Ord &amp; Getis 1995, eq. 14 with
     * binary weights; formula in the class documentation). Worked example (tests): on the 5×5 grid
     * with border 1s, inner ring 2s and centre 9 (n = 25, xbar = 1.64, S^2 = 2.4704), the centre cell
     * with its 3×3 queen neighbourhood (sum 25, W = 9) has Gi* = 10.24 / sqrt(6 S^2) = 2.6597.
     *
     * @param sumNeighbours sum of x_j over the neighbourhood N_i, cell i included
     * @param wi            W_i = |N_i| (&gt;= 1)
     * @param mean          xbar over all n cells
     * @param s             S = sqrt(sum x^2 / n - xbar^2) over all n cells (population form)
     * @param n             number of cells (&gt;= 2)
     * @return the z-score; NaN when it is undefined: {@code S = 0} (no variation: every cell has the
     *         same value) or {@code n W_i - W_i^2 <= 0} (the neighbourhood is the whole grid, so the
     *         neighbourhood sum equals the grand total and carries no local information)
     * @throws IllegalArgumentException if {@code n < 2}, {@code wi < 1}, {@code wi > n}, {@code s < 0}
     *                                  or an argument is not finite
     */
    public static double giStar(double sumNeighbours, int wi, double mean, double s, long n) {
        if (n < 2 || wi < 1 || wi > n) {
            throw new IllegalArgumentException("need n >= 2 and 1 <= wi <= n: wi=" + wi + ", n=" + n);
        }
        if (!Double.isFinite(sumNeighbours) || !Double.isFinite(mean) || !Double.isFinite(s) || s < 0) {
            throw new IllegalArgumentException("sum, mean and s must be finite, s >= 0");
        }
        double w = wi;
        double dn = n;
        double spread = dn * w - w * w;
        if (s == 0 || spread <= 0) {
            return Double.NaN;
        }
        return (sumNeighbours - mean * w) / (s * Math.sqrt(spread / (dn - 1)));
    }

    /**
     * Gi* for every cell of a rectangular grid with queen contiguity including the cell itself (the
     * up-to-3×3 block centred on the cell, truncated at the edges), using {@link #giStar}. The mean and
     * S are taken over all cells of the grid.
     *
     * @param grid rectangular array of finite values, at least 2 cells
     * @return Gi* z-scores with the same shape (NaN where undefined, see {@link #giStar})
     */
    public static double[][] giStarQueen(double[][] grid) {
        int rows = grid.length;
        int cols = rows == 0 ? 0 : grid[0].length;
        long n = (long) rows * cols;
        double sum = 0;
        double sumSq = 0;
        for (double[] row : grid) {
            if (row.length != cols) {
                throw new IllegalArgumentException("grid must be rectangular");
            }
            for (double v : row) {
                sum += v;
                sumSq += v * v;
            }
        }
        double mean = sum / n;
        // Population S; clamp tiny negative rounding to 0 (exact zero for constant grids).
        double s = Math.sqrt(Math.max(0.0, sumSq / n - mean * mean));
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double local = 0;
                int w = 0;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr;
                        int cc = c + dc;
                        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) {
                            local += grid[rr][cc];
                            w++;
                        }
                    }
                }
                out[r][c] = giStar(local, w, mean, s, n);
            }
        }
        return out;
    }

    /**
     * Two-sided p-value of a Gi* z-score under the normal approximation (Ord &amp; Getis 1995):
     * {@code p = 2 (1 - Phi(|z|))}, computed as {@code 2 Phi(-|z|)} to keep precision in the tail.
     * Example: z = 1.959964 gives p = 0.05. NaN for NaN input.
     *
     * @param z a Gi* z-score
     * @return the two-sided p-value
     */
    public static double twoSidedP(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        return Math.min(1.0, 2 * STD_NORMAL.cumulativeProbability(-Math.abs(z)));
    }
}
