package org.ilp.common.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Hochberg false-discovery-rate adjustment ("BH" q-values), identical to R's
 * {@code p.adjust(p, method = "BH")}.
 *
 * <p>Source: Benjamini, Y. &amp; Hochberg, Y. (1995), "Controlling the false discovery rate: a practical
 * and powerful approach to multiple testing", <i>J. R. Statist. Soc. B</i> 57(1):289–300. Their step-up
 * procedure rejects H_(1..k) for the largest k with {@code p_(k) <= k q / m}; the adjusted p-values are
 * the smallest q at which each hypothesis is rejected.
 */
public final class BenjaminiHochberg {

    private BenjaminiHochberg() {
    }

    /**
     * BH adjusted p-values. With {@code m} the number of non-NaN entries and {@code p_(1) <= ... <= p_(m)}
     * the sorted non-NaN p-values,
     * <pre>  q_(i) = min_{j >= i} min(1, m p_(j) / j)</pre>
     * (R: {@code pmin(1, cummin(n / i * p[o]))[ro]} with {@code o} the decreasing order). A hypothesis is
     * rejected at FDR level {@code q} iff its adjusted value is {@code <= q}. NaN entries are ignored
     * (they do not count in {@code m}, as in R where the default {@code n} is the number of non-NA
     * values) and are returned as NaN in the same positions; ties receive equal adjusted values.
     *
     * <p>Worked example (Benjamini &amp; Hochberg 1995, §4, the 15 p-values 0.0001 ... 1.000): the adjusted
     * values of the four smallest are 0.0015, 0.003, 0.0095, 0.035625 and the fifth is 0.0603, so at
     * q = 0.05 exactly the first four hypotheses are rejected, as in the paper.
     *
     * @param p p-values in [0, 1] or NaN; not modified
     * @return a new array of adjusted p-values, aligned with {@code p}
     * @throws IllegalArgumentException if a value is outside [0, 1] (and not NaN)
     */
    public static double[] qValues(double[] p) {
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        for (double v : p) {
            if (!Double.isNaN(v) && (v < 0 || v > 1)) {
                throw new IllegalArgumentException("p-values must be in [0,1]: " + v);
            }
        }
        Integer[] idx = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed().toArray(Integer[]::new);
        int m = idx.length;
        // sort indices by p descending, then walk from the largest p down keeping the running minimum
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> p[i]).reversed());
        double running = Double.POSITIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            int rank = m - k; // rank of this p among the m sorted values, 1-based ascending
            double candidate = (double) m / rank * p[idx[k]];
            running = Math.min(running, candidate);
            q[idx[k]] = Math.min(1.0, running);
        }
        return q;
    }
}
