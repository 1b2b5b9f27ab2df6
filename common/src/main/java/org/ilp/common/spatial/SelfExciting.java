package org.ilp.common.spatial;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Grid self-exciting point process (Hawkes process per cell with an exponential triggering
 * kernel), after Mohler G. (2014), "Marked point process hotspot maps for homicide and gun crime
 * prediction in Chicago", International Journal of Forecasting 30(3):491–497; see also Mohler et
 * al. (2011), JASA 106:100–108 for the EM / branching-structure approach (Veen &amp; Schoenberg
 * 2008).
 *
 * <p>For cell n with event times t_1 &lt; t_2 &lt; … in [0, T] (days):
 * <pre>  λ_n(t) = μ_n + Σ_{t_i &lt; t} θ ω exp(−ω (t − t_i))</pre>
 * with μ_n per cell and θ (mean number of direct offspring per event) and ω (1/ω = mean
 * triggering delay, days) shared by all cells.
 *
 * <p>EM (Mohler 2014, §2): E-step p_ii = μ_n / λ_n(t_i), p_ij = θω e^{−ω(t_i − t_j)} / λ_n(t_i)
 * for j &lt; i; M-step μ_n = Σ_i p_ii / T, θ = Σ_{i&gt;j} p_ij / N (N = all events),
 * ω = Σ p_ij / Σ p_ij (t_i − t_j). This M-step ignores the edge effect of events near T
 * (their offspring after T are unobserved: the exact compensator is
 * θ Σ_i (1 − e^{−ω(T − t_i)}), not θN), a bias of order 1/(ωT) that is negligible when the
 * window is much longer than 1/ω.
 *
 * <p>Truncation (cost control): in the E-step and the log-likelihood, event i only looks back at
 * past events j of the same cell with ω·(t_i − t_j) ≤ {@code cutoff} (default 10, i.e.
 * 10/ω days; the neglected kernel mass per pair is ≤ e^{−10} ≈ 4.5·10⁻⁵ of θ) and at most
 * {@code maxPast} of them (default 500, the most recent). Cost per iteration is therefore
 * O(N · min(maxPast, events in a 10/ω window)), not O(N²).
 * {@link #intensity} and {@link #expectedCount} are exact (they stop only once
 * ω·lag &gt; 50, where e^{−50} ≈ 2·10⁻²² is below double precision of any result).
 *
 * <p>Statistical caveats (observed on simulated data, see the tests): (1) in finite windows the
 * MLE is biased — θ low and ω high by a few percent (200 sparse cells over 3000 days:
 * θ̂ ≈ 0.28, ω̂ ≈ 0.108 for θ = 0.3, ω = 0.1), vanishing as ωT grows; (2) when the background is
 * dense relative to the kernel (μ_n/ω ≫ 1 events per kernel time-scale) ω is weakly identified
 * and EM converges slowly (thousands of iterations), so a small relative-change {@code tol}
 * may stop it before the likelihood has flattened — check {@link Fit#iterations()} and
 * {@link Fit#logLik()}.
 */
public final class SelfExciting {

    /** Default E-step truncation, in units of 1/ω (e^{−10} ≈ 4.5e−5). */
    public static final double DEFAULT_CUTOFF = 10.0;
    /** Default cap on the number of past events each event looks back at. */
    public static final int DEFAULT_MAX_PAST = 500;
    /** Default initial θ. */
    public static final double DEFAULT_THETA0 = 0.5;
    /** Default initial ω, 1/day. */
    public static final double DEFAULT_OMEGA0 = 1.0;

    /** ω·lag beyond which terms are dropped in the "exact" evaluators (e^{−50} ≈ 2e−22). */
    private static final double EXACT_CUTOFF = 50.0;
    /** Absolute floor for the relative-change convergence test of θ (θ → 0 on Poisson data). */
    static final double THETA_FLOOR = 1e-6;

    private SelfExciting() {
    }

    /**
     * Fitted parameters. {@code mu} is indexed like the input cells (do not mutate it);
     * {@code iterations} is the number of EM iterations run ({@code maxIter} when not converged);
     * {@code logLik} is the log-likelihood at the returned parameters,
     * Σ_n Σ_i log λ_n(t_i) − Σ_n μ_n T − θ Σ_i (1 − e^{−ω(T − t_i)}) (Daley &amp; Vere-Jones 2003,
     * Prop. 7.2.III), with the E-step truncation applied to λ.
     *
     * @param theta      branching ratio θ
     * @param omega      decay rate ω, 1/day
     * @param mu         background rate μ_n per cell, events/day
     * @param iterations EM iterations performed
     * @param logLik     log-likelihood at the fit
     */
    public record Fit(double theta, double omega, double[] mu, int iterations, double logLik)
            implements Serializable {
    }

    /**
     * EM fit with defaults θ₀ = 0.5, ω₀ = 1/day, μ₀,n = N_n/(2T), cutoff 10/ω, at most 500 past
     * events per event (Mohler 2014, EM of §2; see class Javadoc).
     *
     * @param eventTimesPerCell per cell, event times in days since the window start, ascending,
     *                          within [0, T]
     * @param T                 window length, days (&gt; 0)
     * @param maxIter           maximum EM iterations (≥ 1)
     * @param tol               convergence: max relative change of θ, ω and every μ_n
     * @return the fit
     */
    public static Fit fit(double[][] eventTimesPerCell, double T, int maxIter, double tol) {
        return fit(eventTimesPerCell, T, maxIter, tol, DEFAULT_THETA0, DEFAULT_OMEGA0,
                DEFAULT_CUTOFF, DEFAULT_MAX_PAST);
    }

    /**
     * EM fit (Mohler 2014, §2) with explicit start values and truncation.
     *
     * @param eventTimesPerCell per cell, ascending event times in [0, T], days
     * @param T                 window length, days (&gt; 0)
     * @param maxIter           maximum EM iterations (≥ 1)
     * @param tol               convergence: max relative change of θ (floored at 1e−6), ω and
     *                          each μ_n between iterations
     * @param theta0            initial θ (&gt; 0)
     * @param omega0            initial ω (&gt; 0)
     * @param cutoff            E-step look-back window in units of 1/ω (&gt; 0)
     * @param maxPast           maximum past events per event (≥ 1)
     * @return the fit; with no events at all: θ = 0, ω = ω₀, μ = 0, 0 iterations, logLik 0
     * @throws IllegalArgumentException on invalid arguments or unsorted / out-of-window times
     */
    public static Fit fit(double[][] eventTimesPerCell, double T, int maxIter, double tol,
                          double theta0, double omega0, double cutoff, int maxPast) {
        if (!(T > 0) || maxIter < 1 || !(tol >= 0) || !(theta0 > 0) || !(omega0 > 0)
                || !(cutoff > 0) || maxPast < 1) {
            throw new IllegalArgumentException("invalid EM arguments");
        }
        final int cells = eventTimesPerCell.length;
        long nTotal = 0;
        for (double[] ts : eventTimesPerCell) {
            for (int i = 0; i < ts.length; i++) {
                if (!(ts[i] >= 0 && ts[i] <= T) || (i > 0 && ts[i] < ts[i - 1])) {
                    throw new IllegalArgumentException("event times must be sorted within [0, T]");
                }
            }
            nTotal += ts.length;
        }
        double[] mu = new double[cells];
        if (nTotal == 0) {
            return new Fit(0.0, omega0, mu, 0, 0.0);
        }
        for (int c = 0; c < cells; c++) {
            mu[c] = eventTimesPerCell[c].length / (2.0 * T);
        }
        double theta = theta0;
        double omega = omega0;
        final double[] trig = new double[maxPast];
        final double[] lag = new double[maxPast];
        double[] sumPii = new double[cells];
        int iter = 0;
        boolean converged = false;
        while (iter < maxIter && !converged) {
            iter++;
            // Σ p_ij and Σ p_ij (t_i − t_j) over the cells, exact (rounded once): the same bits in any cell order,
            // as DistributedSelfExciting sums them
            java.math.BigDecimal sumPx = java.math.BigDecimal.ZERO;
            java.math.BigDecimal sumPLagx = java.math.BigDecimal.ZERO;
            final double maxLag = cutoff / omega;
            final double thetaOmega = theta * omega;
            final double[] e = new double[3];
            for (int c = 0; c < cells; c++) {
                eStep(eventTimesPerCell[c], mu[c], thetaOmega, omega, maxLag, maxPast, trig, lag, e);
                sumPii[c] = e[0];
                sumPx = sumPx.add(new java.math.BigDecimal(e[1]));
                sumPLagx = sumPLagx.add(new java.math.BigDecimal(e[2]));
            }
            double sumP = sumPx.doubleValue();
            double sumPLag = sumPLagx.doubleValue();
            // M-step
            double change = 0.0;
            for (int c = 0; c < cells; c++) {
                double nm = sumPii[c] / T;
                if (mu[c] > 0) {
                    change = Math.max(change, Math.abs(nm - mu[c]) / mu[c]);
                }
                mu[c] = nm;
            }
            double newTheta = sumP / nTotal;
            double newOmega = sumPLag > 0 ? sumP / sumPLag : omega;
            change = Math.max(change, Math.abs(newTheta - theta) / Math.max(theta, THETA_FLOOR));
            change = Math.max(change, Math.abs(newOmega - omega) / omega);
            theta = newTheta;
            omega = newOmega;
            converged = change <= tol;
        }
        double ll = logLikelihood(theta, omega, mu, eventTimesPerCell, T, cutoff, maxPast);
        return new Fit(theta, omega, mu, iter, ll);
    }

    /**
     * The E-step of one cell (the one implementation, local and distributed): into {@code out} Σ_i p_ii, Σ p_ij and
     * Σ p_ij (t_i − t_j) over the cell's events, under the truncation (lags ≤ maxLag, at most maxPast past events);
     * {@code trig} and {@code lag} are scratch arrays of length ≥ maxPast.
     */
    static void eStep(double[] ts, double muC, double thetaOmega, double omega, double maxLag, int maxPast,
                      double[] trig, double[] lag, double[] out) {
        double pii = 0.0;
        double sumP = 0.0;
        double sumPLag = 0.0;
        for (int i = 0; i < ts.length; i++) {
            int m = 0;
            double lam = muC;
            for (int j = i - 1; j >= 0 && m < maxPast; j--) {
                double l = ts[i] - ts[j];
                if (l > maxLag) {
                    break;
                }
                double g = thetaOmega * Math.exp(-omega * l);
                trig[m] = g;
                lag[m++] = l;
                lam += g;
            }
            if (!(lam > 0)) {        // cannot happen with μ_n > 0; be safe
                pii += 1.0;
                continue;
            }
            pii += muC / lam;
            for (int q = 0; q < m; q++) {
                double p = trig[q] / lam;
                sumP += p;
                sumPLag += p * lag[q];
            }
        }
        out[0] = pii;
        out[1] = sumP;
        out[2] = sumPLag;
    }

    /** A finite double as an exact decimal; ±∞ and NaN as null (the caller's sum is then not finite). */
    static java.math.BigDecimal exact(double x) {
        return Double.isFinite(x) ? new java.math.BigDecimal(x) : null;
    }

    /** One cell's term of {@link #logLikelihood}: Σ_i log λ_n(t_i) − μ_n T − θ Σ_i (1 − e^{−ω(T − t_i)}). */
    static double cellLogLikelihood(double theta, double omega, double muC, double[] ts, double T, double maxLag,
                                    int maxPast) {
        double ll = -muC * T;
        for (int i = 0; i < ts.length; i++) {
            double lam = muC;
            int m = 0;
            for (int j = i - 1; j >= 0 && m < maxPast; j--, m++) {
                double l = ts[i] - ts[j];
                if (l > maxLag) {
                    break;
                }
                lam += theta * omega * Math.exp(-omega * l);
            }
            ll += Math.log(lam);
            ll -= theta * (1.0 - Math.exp(-omega * (T - ts[i])));
        }
        return ll;
    }

    /**
     * Log-likelihood of the grid Hawkes model (Daley &amp; Vere-Jones 2003, Prop. 7.2.III; Ogata
     * 1978): Σ_n [Σ_i log λ_n(t_i) − μ_n T] − θ Σ_{all i} (1 − e^{−ω(T − t_i)}), with λ evaluated
     * under the same truncation as the EM (look-back ω·lag ≤ cutoff, at most maxPast events).
     *
     * @param theta   θ
     * @param omega   ω
     * @param mu      μ_n per cell
     * @param times   per cell, ascending event times in [0, T]
     * @param T       window length
     * @param cutoff  look-back window in units of 1/ω
     * @param maxPast maximum past events per event
     * @return the log-likelihood (−∞ if some event has zero intensity)
     */
    public static double logLikelihood(double theta, double omega, double[] mu, double[][] times,
                                       double T, double cutoff, int maxPast) {
        java.math.BigDecimal ll = java.math.BigDecimal.ZERO;
        final double maxLag = cutoff / omega;
        for (int c = 0; c < times.length; c++) {
            double x = cellLogLikelihood(theta, omega, mu[c], times[c], T, maxLag, maxPast);
            if (!Double.isFinite(x)) {
                return x;
            }
            ll = ll.add(new java.math.BigDecimal(x));
        }
        return ll.doubleValue(); // exact sum, rounded once: the same in any cell order
    }

    /**
     * Conditional intensity λ_n(t) = μ_n + Σ_{t_i &lt; t} θω e^{−ω(t − t_i)} (Mohler 2014, eq. 1),
     * summing every past event (terms with ω(t − t_i) &gt; 50 are below double precision and
     * skipped).
     *
     * @param f     the fit
     * @param cell  index of the cell in {@code f.mu()}
     * @param times that cell's event times, ascending
     * @param t     evaluation time, days
     * @return λ_n(t), events/day
     */
    public static double intensity(Fit f, int cell, double[] times, double t) {
        final double theta = f.theta();
        final double omega = f.omega();
        double lam = f.mu()[cell];
        for (int j = lastBefore(times, t); j >= 0; j--) {
            double l = t - times[j];
            if (omega * l > EXACT_CUTOFF) {
                break;
            }
            lam += theta * omega * Math.exp(-omega * l);
        }
        return lam;
    }

    /**
     * Expected count in (t0, t0 + H]: closed-form integral of the conditional intensity,
     * <pre>
     *   ∫_{t0}^{t0+H} λ_n(t) dt = μ_n H + Σ_{t_i &lt; t0+H} θ ( e^{−ω·max(0, t0 − t_i)} − e^{−ω(t0 + H − t_i)} )
     * </pre>
     * (each exponential term integrates to θ(e^{−ω a} − e^{−ω b}) over lags [a, b]). Events in
     * {@code times} inside the window contribute from their own time on; for a pure forecast
     * pass only the history before t0 (then this is the expected number of background events
     * plus direct offspring of past events, without offspring of future events).
     *
     * @param f           the fit
     * @param cell        index of the cell in {@code f.mu()}
     * @param times       that cell's event times, ascending
     * @param t0          window start, days
     * @param horizonDays H ≥ 0, days
     * @return the expected number of events
     */
    public static double expectedCount(Fit f, int cell, double[] times, double t0,
                                       double horizonDays) {
        return expectedCount(f.theta(), f.omega(), f.mu()[cell], times, t0, horizonDays);
    }

    /** As {@link #expectedCount(Fit, int, double[], double, double)} for one cell's θ, ω and μ_n. */
    public static double expectedCount(double theta, double omega, double mu, double[] times, double t0,
                                       double horizonDays) {
        if (!(horizonDays >= 0)) {
            throw new IllegalArgumentException("horizon must be >= 0: " + horizonDays);
        }
        final double t1 = t0 + horizonDays;
        double acc = mu * horizonDays;
        for (int j = lastBefore(times, t1); j >= 0; j--) {
            double a = Math.max(0.0, t0 - times[j]);
            if (omega * a > EXACT_CUTOFF) {
                break;
            }
            acc += theta * (Math.exp(-omega * a) - Math.exp(-omega * (t1 - times[j])));
        }
        return acc;
    }

    /** Index of the last element strictly less than t (−1 if none), by binary search. */
    private static int lastBefore(double[] times, double t) {
        int k = Arrays.binarySearch(times, t);
        if (k < 0) {
            return -k - 2;
        }
        while (k > 0 && times[k - 1] == t) {
            k--;
        }
        return k - 1;
    }
}
