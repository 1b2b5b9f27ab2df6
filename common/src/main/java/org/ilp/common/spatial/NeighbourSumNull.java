package org.ilp.common.spatial;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The randomisation null distribution of a Gi* neighbourhood: under conditional randomisation the
 * k = W_i − 1 neighbours of a cell are a random draw from the other cells' values, so their sum T_k
 * has (to O(k/n), drawing with replacement) the k-fold convolution of the empirical distribution of
 * cell values. Because Gi* z is an increasing function of the neighbourhood sum for fixed x_i and
 * W_i, the p of z under this null is exact from the tails of T_k, t = (Σ_j w_ij x_j) − x_i:
 * {@link #twoSided} doubles the smaller tail; {@link #twoSidedAbout} folds on |z| as the
 * permutation pseudo-p does (used by the hotspot job)
 * — the exact limit of the conditional-permutation pseudo-p as R → ∞, with a resolution fine enough
 * for a false-discovery-rate correction over 10⁴–10⁶ cells (a pseudo-p cannot go below 1/(R+1)),
 * and without the normal approximation that makes the analytic Gi* p anti-conservative for sparse
 * counts (e.g. a neighbourhood sum of 4 where 0.9 is expected: normal one-sided 0.0005, exact 0.013).
 * Built once from the histogram of cell values and broadcast.
 */
public final class NeighbourSumNull implements Serializable {
  private final double[][] upper; // upper[k][t] = P(T_k >= t)
  private final double[][] lower; // lower[k][t] = P(T_k <= t)

  private NeighbourSumNull(double[][] upper, double[][] lower) {
    this.upper = upper;
    this.lower = lower;
  }

  /**
   * @param freq value → number of cells (all cells of the grid, values &gt;= 0)
   * @param maxK the largest number of neighbours (W_i − 1) needed
   */
  public static NeighbourSumNull of(Map<Long, Long> freq, int maxK) {
    TreeMap<Long, Long> f = new TreeMap<>(freq);
    long n = f.values().stream().mapToLong(Long::longValue).sum();
    if (n == 0 || f.firstKey() < 0) {
      throw new IllegalArgumentException("need at least one cell and non-negative values");
    }
    int distinct = f.size();
    int[] v = new int[distinct];
    double[] pv = new double[distinct];
    int i = 0;
    for (Map.Entry<Long, Long> e : f.entrySet()) {
      v[i] = Math.toIntExact(e.getKey());
      pv[i] = (double) e.getValue() / n;
      i++;
    }
    int maxV = v[distinct - 1];
    double[][] up = new double[maxK + 1][];
    double[][] lo = new double[maxK + 1][];
    double[] pmf = {1.0}; // T_0 = 0
    for (int k = 0; k <= maxK; k++) {
      if (k > 0) {
        double[] next = new double[pmf.length + maxV];
        for (int t = 0; t < pmf.length; t++) {
          if (pmf[t] == 0) {
            continue;
          }
          for (int j = 0; j < distinct; j++) {
            next[t + v[j]] += pmf[t] * pv[j];
          }
        }
        pmf = next;
      }
      double[] u = new double[pmf.length + 1];
      for (int t = pmf.length - 1; t >= 0; t--) {
        u[t] = u[t + 1] + pmf[t];
      }
      double[] l = new double[pmf.length];
      double acc = 0;
      for (int t = 0; t < pmf.length; t++) {
        acc += pmf[t];
        l[t] = acc;
      }
      up[k] = u;
      lo[k] = l;
    }
    return new NeighbourSumNull(up, lo);
  }

  /** P(T_k ≥ t). */
  public double upper(int k, long t) {
    double[] u = upper[k];
    return t <= 0 ? 1.0 : t >= u.length ? 0.0 : Math.min(1.0, u[(int) t]);
  }

  /** P(T_k ≤ t). */
  public double lower(int k, long t) {
    double[] l = lower[k];
    return t < 0 ? 0.0 : t >= l.length ? 1.0 : Math.min(1.0, l[(int) t]);
  }

  /** Two-sided p of a neighbourhood sum t of k neighbours. */
  public double twoSided(int k, long t) {
    if (k < 1 || k >= upper.length) {
      throw new IllegalArgumentException("k out of range: " + k);
    }
    return Math.min(1.0, 2 * Math.min(upper(k, t), lower(k, t)));
  }

  /**
   * Two-sided p folded on |z|, as the conditional-permutation pseudo-p defines it: z is proportional
   * to T − t0 with t0 = x̄ W_i − x_i (the neighbourhood sum at which z = 0), so
   * p = P(|T − t0| ≥ |t − t0|) = P(T ≥ t0 + d) + P(T ≤ t0 − d), d = |t − t0|.
   */
  public double twoSidedAbout(int k, long t, double t0) {
    if (k < 1 || k >= upper.length) {
      throw new IllegalArgumentException("k out of range: " + k);
    }
    double d = Math.abs(t - t0);
    long hi = (long) Math.ceil(t0 + d - 1e-9);
    long lo = (long) Math.floor(t0 - d + 1e-9);
    double p = upper(k, hi) + (lo >= 0 ? lower(k, lo) : 0.0);
    return Math.min(1.0, p);
  }

  public int maxK() {
    return upper.length - 1;
  }
}
