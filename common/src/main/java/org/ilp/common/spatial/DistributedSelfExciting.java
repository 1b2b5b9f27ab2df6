package org.ilp.common.spatial;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * The EM of {@link SelfExciting} as Spark aggregations: the cells' event times stay where they are (an RDD of
 * {@link Cell}s, cached), each iteration runs the one per-cell E-step ({@link SelfExciting#eStep}) on the executors,
 * keeps each cell's new background rate μ_n with the cell, and returns only Σ p_ij, Σ p_ij·lag and the largest
 * relative change of a μ_n to the driver, which updates θ and ω and broadcasts them with the next iteration's
 * closure. Nothing the size of the events reaches the driver.
 *
 * <p>The sums over cells are exact (each cell's double added as a {@link BigDecimal}, rounded once), so they do not
 * depend on how the cells are partitioned or in which order partitions finish: the fit equals {@link SelfExciting#fit}
 * bit for bit, which sums the same way.
 */
public final class DistributedSelfExciting {
  private DistributedSelfExciting() {}

  /** One cell: its id, ascending event times in [0, T] (days) and its current background rate μ_n. */
  public static final class Cell implements Serializable {
    private static final long serialVersionUID = 1L;
    public final long id;
    public final double[] times;
    public final double mu;
    final double change;
    final double sumP;
    final double sumPLag;

    public Cell(long id, double[] times, double mu) {
      this(id, times, mu, 0, 0, 0);
    }

    Cell(long id, double[] times, double mu, double change, double sumP, double sumPLag) {
      this.id = id;
      this.times = times;
      this.mu = mu;
      this.change = change;
      this.sumP = sumP;
      this.sumPLag = sumPLag;
    }
  }

  /** The fit's shared parameters and the cells with their fitted μ_n (cached; unpersist when done). */
  public record Result(double theta, double omega, int iterations, double logLik, JavaRDD<Cell> cells) {}

  /** {@link SelfExciting#fit(double[][], double, int, double)}'s EM with its defaults, over distributed cells. */
  public static Result fit(JavaRDD<Cell> cells, double T, int maxIter, double tol) {
    return fit(cells, T, maxIter, tol, SelfExciting.DEFAULT_THETA0, SelfExciting.DEFAULT_OMEGA0,
        SelfExciting.DEFAULT_CUTOFF, SelfExciting.DEFAULT_MAX_PAST);
  }

  /** As {@link SelfExciting#fit(double[][], double, int, double, double, double, double, int)}. */
  public static Result fit(JavaRDD<Cell> input, double T, int maxIter, double tol, double theta0, double omega0,
      double cutoff, int maxPast) {
    if (!(T > 0) || maxIter < 1 || !(tol >= 0) || !(theta0 > 0) || !(omega0 > 0) || !(cutoff > 0) || maxPast < 1) {
      throw new IllegalArgumentException("invalid EM arguments");
    }
    JavaRDD<Cell> state = input.map(c -> new Cell(c.id, c.times, c.times.length / (2.0 * T)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long nTotal = state.map(c -> (long) c.times.length).fold(0L, Long::sum);
    if (nTotal == 0) {
      return new Result(0.0, omega0, 0, 0.0, state);
    }
    double theta = theta0;
    double omega = omega0;
    int iter = 0;
    boolean converged = false;
    while (iter < maxIter && !converged) {
      iter++;
      final double om = omega;
      final double thetaOmega = theta * omega;
      final double maxLag = cutoff / omega;
      JavaRDD<Cell> next = state.mapPartitions((Iterator<Cell> it) -> {
        double[] trig = new double[maxPast];
        double[] lag = new double[maxPast];
        double[] e = new double[3];
        java.util.List<Cell> out = new java.util.ArrayList<>();
        while (it.hasNext()) {
          Cell c = it.next();
          SelfExciting.eStep(c.times, c.mu, thetaOmega, om, maxLag, maxPast, trig, lag, e);
          double nm = e[0] / T;
          out.add(new Cell(c.id, c.times, nm, c.mu > 0 ? Math.abs(nm - c.mu) / c.mu : 0.0, e[1], e[2]));
        }
        return out.iterator();
      }).persist(StorageLevel.MEMORY_AND_DISK());
      if (iter % 20 == 0) {
        next.rdd().localCheckpoint(); // a bounded lineage over hundreds of iterations
      }
      Sums s = next.mapPartitions((Iterator<Cell> it) -> {
        Sums p = new Sums();
        it.forEachRemaining(p::add);
        return List.of(p).iterator();
      }).reduce(Sums::merge);
      state.unpersist(false);
      state = next;
      double sumP = s.sumP.doubleValue();
      double sumPLag = s.sumPLag.doubleValue();
      double newTheta = sumP / nTotal;
      double newOmega = sumPLag > 0 ? sumP / sumPLag : omega;
      double change = s.maxChange;
      change = Math.max(change, Math.abs(newTheta - theta) / Math.max(theta, SelfExciting.THETA_FLOOR));
      change = Math.max(change, Math.abs(newOmega - omega) / omega);
      theta = newTheta;
      omega = newOmega;
      converged = change <= tol;
    }
    final double th = theta;
    final double om = omega;
    final double maxLag = cutoff / omega;
    JavaRDD<Double> terms = state.map(c -> SelfExciting.cellLogLikelihood(th, om, c.mu, c.times, T, maxLag, maxPast));
    double ll = terms.filter(x -> !Double.isFinite(x)).take(1).stream().findFirst()
        .orElseGet(() -> terms.map(SelfExciting::exact).fold(BigDecimal.ZERO, BigDecimal::add).doubleValue());
    return new Result(theta, omega, iter, ll, state);
  }

  /** Exact partial sums of one partition (or of several, merged). */
  static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    BigDecimal sumP = BigDecimal.ZERO;
    BigDecimal sumPLag = BigDecimal.ZERO;
    double maxChange;

    void add(Cell c) {
      sumP = sumP.add(new BigDecimal(c.sumP));
      sumPLag = sumPLag.add(new BigDecimal(c.sumPLag));
      maxChange = Math.max(maxChange, c.change);
    }

    static Sums merge(Sums a, Sums b) {
      Sums m = new Sums();
      m.sumP = a.sumP.add(b.sumP);
      m.sumPLag = a.sumPLag.add(b.sumPLag);
      m.maxChange = Math.max(a.maxChange, b.maxChange);
      return m;
    }
  }
}
