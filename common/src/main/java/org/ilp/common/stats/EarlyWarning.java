package org.ilp.common.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Early-warning (outbreak / aberration) detectors for count time series.
 *
 * <ul>
 *   <li>{@link #noufaily}: the improved Farrington method (Farrington, Andrews, Beale &amp; Catchpole
 *       1996, <i>JRSS A</i> 159:547–563; Noufaily, Enki, Farrington, Garthwaite, Andrews &amp; Charlett
 *       2013, <i>Statistics in Medicine</i> 32:1206–1222), following R's
 *       {@code surveillance::farringtonFlexible} with the Noufaily options
 *       ({@code weightsThreshold = 2.58}, {@code thresholdMethod = "nbPlugin"}, one-sided alpha)
 *       but with Farrington's reference values (b years × (2w+1) periods, i.e. {@code noPeriods = 1});
 *       Noufaily's 10-level seasonal factor over the full history is <b>not</b> implemented.</li>
 *   <li>{@link #poissonControlLimit}: a Shewhart-type Poisson control limit for short series.</li>
 *   <li>{@link #poissonCusum}: Lucas's one-sided Poisson CUSUM (Lucas, J. M. 1985, "Counted data
 *       CUSUM's", <i>Technometrics</i> 27(2):129–144).</li>
 * </ul>
 */
public final class EarlyWarning {

    /** Farrington/Noufaily threshold on Anscombe residuals above which a baseline point is down-weighted. */
    public static final double NOUFAILY_WEIGHTS_THRESHOLD = 2.58;
    /** Significance level of the trend test (Farrington 1996). */
    public static final double TREND_P_THRESHOLD = 0.05;
    /** Minimum number of complete baseline years for {@link #noufaily}. */
    public static final int MIN_YEARS = 3;

    /** R's fuzz in qpois/qnbinom, ensuring left continuity of the quantile. */
    private static final double QUANTILE_FUZZ = 1 - 64 * Math.ulp(1.0);
    private static final int MAX_IRLS_ITERATIONS = 100;
    private static final double IRLS_EPSILON = 1e-8;

    private EarlyWarning() {
    }

    /**
     * Outcome of a detector for one time point.
     *
     * @param alarm          observed count &gt; upperBound
     * @param expected       predicted (in-control) mean at the evaluated time point
     * @param upperBound     threshold: the (1 - alpha) quantile of the predictive distribution
     * @param excess         observed - expected (signed; positive = more incidents than expected)
     * @param method         "noufaily", "noufaily-zero-baseline" (all reference values are 0: expected
     *                       0, bound 0), "poisson-control-limit" or "insufficient-history" (then alarm
     *                       is false and the numeric fields are NaN)
     * @param baselinePoints number of reference values used
     * @param trendUsed      whether a linear time trend was kept in the final model
     * @param dispersion     phi used for the threshold (&gt;= 1; 1 for the Poisson methods)
     */
    public record Warning(boolean alarm, double expected, double upperBound, double excess, String method,
                          int baselinePoints, boolean trendUsed, double dispersion) {
    }

    /**
     * Result of the Poisson CUSUM.
     *
     * @param mu0             in-control mean (mean of the first k counts)
     * @param referenceValue  Lucas's reference value k_ref = (mu1 - mu0)/(ln mu1 - ln mu0)
     * @param h               decision interval
     * @param cusum           S_t aligned with the input (NaN for the baseline points 0..k-1)
     * @param firstAlarmIndex first index with S_t &gt;= h, or -1
     * @param alarmSince      if the last S_t &gt;= h, the start of the current unbroken run of
     *                        S &gt;= h (the CUSUM is not reset after a signal); otherwise -1
     * @param alarm           whether the last point is in alarm (S_last &gt;= h)
     */
    public record CusumResult(double mu0, double referenceValue, double h, double[] cusum, int firstAlarmIndex,
                              int alarmSince, boolean alarm) {
    }

    // =============================================================================================
    // Improved Farrington (Noufaily et al. 2013)
    // =============================================================================================

    /**
     * Noufaily detector for the last point of the series with the recommended defaults: b = 5 years,
     * half-window w = 3 for weekly data (freq 52) and w = 1 for monthly or other data. See
     * {@link #noufaily(long[], int, int, int, int, double)}.
     *
     * @param counts counts in time order, equally spaced, non-negative
     * @param freq   periods per year (12 monthly, 52 weekly)
     * @param alpha  one-sided level, e.g. 0.01
     * @return the warning for the last time point
     */
    public static Warning noufaily(long[] counts, int freq, double alpha) {
        int w = freq == 52 ? 3 : 1;
        return noufaily(counts, counts.length - 1, freq, 5, w, alpha);
    }

    /**
     * Improved Farrington detector (Noufaily et al. 2013) evaluated at time index {@code t0}.
     *
     * <p>Steps (Farrington et al. 1996 §3; Noufaily et al. 2013 §3–4; surveillance::farringtonFlexible):
     * <ol>
     *   <li><b>Reference values</b>: for each year i = 1..b the window of periods
     *       {@code t0 - i*freq - w .. t0 - i*freq + w}; a year is used only if its window lies wholly
     *       inside the series. At least {@value #MIN_YEARS} years are required, otherwise the result
     *       has method "insufficient-history".</li>
     *   <li><b>Model</b>: quasi-Poisson GLM {@code log mu_t = alpha + beta t} (t = time index, centred
     *       for numerical stability, which does not change fits or tests), fitted by IRLS with prior
     *       weights omega: working weights {@code W = omega mu}, working response
     *       {@code z = eta + (y - mu)/mu}, {@code beta = (X'WX)^-1 X'Wz}, started from
     *       {@code mu = y + 0.1} and stopped when {@code |dev - dev_old|/(|dev| + 0.1) < 1e-8}
     *       (R's glm.fit rule) and the coefficients have settled to 1e-12 relative.</li>
     *   <li><b>Dispersion</b>: {@code phi = max(1, sum omega (y - mu)^2/mu / (n - p))} (Farrington 1996
     *       eq. 3; p = 1 or 2 parameters).</li>
     *   <li><b>Down-weighting</b>: Anscombe residuals of the unweighted fit,
     *       {@code s_i = 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h_ii))}, with h_ii the GLM
     *       hat values {@code W_i x_i'(X'WX)^-1 x_i}; weights {@code omega_i = s_i^-2} if
     *       {@code s_i > 2.58} (Noufaily's threshold; Farrington used 1), else 1, rescaled so that
     *       {@code sum omega = n}; the model is refitted with these weights and phi re-estimated.</li>
     *   <li><b>Trend</b>: kept only if the Wald t-test of beta (quasi-likelihood standard error, t
     *       distribution with n - 2 df, as R's summary.glm) has p &lt; 0.05 and the prediction at t0
     *       does not exceed the largest reference value; otherwise steps 2–4 are redone with the
     *       intercept only. A trend is also dropped when its maximum-likelihood estimate does not
     *       exist (the positive counts sit at a single extreme time point) or IRLS fails.</li>
     *   <li><b>Threshold</b> (Noufaily "nbPlugin"): with {@code mu0 = exp(alpha + beta t0)}, the
     *       upper bound is the (1 - alpha) quantile of the negative binomial with mean mu0 and variance
     *       phi mu0 (size mu0/(phi - 1), prob 1/phi), or of Poisson(mu0) when phi = 1; estimation
     *       uncertainty in mu0 is not added (plug-in). Alarm iff observed &gt; bound.</li>
     * </ol>
     * If every reference value is 0 the fit is degenerate (mu = 0): the result has expected 0, bound 0,
     * phi 1 and method "noufaily-zero-baseline", so any positive count alarms; callers wanting
     * Farrington's "at least 5 cases in the last 4 weeks" style rule must apply it themselves.
     *
     * @param counts counts in time order, equally spaced, non-negative
     * @param t0     index of the time point to evaluate
     * @param freq   periods per year (&gt;= 2; 12 monthly, 52 weekly)
     * @param b      number of past years to use (&gt;= 3)
     * @param w      half-width of the window (0 &lt;= w, 2w + 1 &lt;= freq)
     * @param alpha  one-sided level in (0, 1)
     * @return the warning for t0 (method "insufficient-history" if fewer than 3 complete years)
     */
    public static Warning noufaily(long[] counts, int t0, int freq, int b, int w, double alpha) {
        if (freq < 2 || b < MIN_YEARS || w < 0 || 2 * w + 1 > freq) {
            throw new IllegalArgumentException("need freq >= 2, b >= 3, 0 <= w, 2w+1 <= freq");
        }
        if (t0 < 0 || t0 >= counts.length) {
            throw new IllegalArgumentException("t0 out of range: " + t0);
        }
        checkAlpha(alpha);
        checkCounts(counts);
        // Step 1: reference values
        List<double[]> ref = new ArrayList<>();
        int years = 0;
        for (int i = 1; i <= b; i++) {
            int centre = t0 - i * freq;
            if (centre - w < 0) {
                continue;
            }
            years++;
            for (int j = -w; j <= w; j++) {
                ref.add(new double[] {centre + j, counts[centre + j]});
            }
        }
        int m = ref.size();
        if (years < MIN_YEARS) {
            return new Warning(false, Double.NaN, Double.NaN, Double.NaN, "insufficient-history", m, false,
                    Double.NaN);
        }
        double[] t = new double[m];
        double[] y = new double[m];
        double tMean = 0;
        double yMax = 0;
        double ySum = 0;
        for (int i = 0; i < m; i++) {
            t[i] = ref.get(i)[0];
            y[i] = ref.get(i)[1];
            tMean += t[i] / m;
            yMax = Math.max(yMax, y[i]);
            ySum += y[i];
        }
        double observed = counts[t0];
        if (ySum == 0) {
            return new Warning(observed > 0, 0.0, 0.0, observed, "noufaily-zero-baseline", m, false, 1.0);
        }
        for (int i = 0; i < m; i++) {
            t[i] -= tMean;
        }
        double tNow = t0 - tMean;

        // Steps 2-5 with trend, if the trend MLE exists
        Fit fit = trendEstimable(t, y) ? fitReweighted(t, y, true) : null;
        boolean trendUsed = false;
        if (fit != null) {
            double mu0 = Math.exp(fit.beta0 + fit.beta1 * tNow);
            trendUsed = fit.trendP < TREND_P_THRESHOLD && mu0 <= yMax;
        }
        if (!trendUsed) {
            fit = fitReweighted(t, y, false);
            if (fit == null) {
                // cannot happen for an intercept-only model with a positive total; guard anyway
                throw new IllegalStateException("intercept-only quasi-Poisson fit did not converge");
            }
        }
        double mu0 = Math.exp(fit.beta0 + (trendUsed ? fit.beta1 * tNow : 0.0));
        double phi = fit.phi;
        // Step 6: negative binomial (or Poisson) plug-in quantile
        double bound = negBinomialQuantile(mu0, phi, 1 - alpha);
        return new Warning(observed > bound, mu0, bound, observed - mu0, "noufaily", m, trendUsed, phi);
    }

    /** A fitted quasi-Poisson log-linear model. */
    private record Fit(double beta0, double beta1, double[] mu, double[] hat, double phi, double phiRaw,
                       double trendP) {
    }

    /**
     * Farrington's fit-reweight-refit (steps 2–4). Returns null if IRLS fails.
     */
    private static Fit fitReweighted(double[] t, double[] y, boolean trend) {
        int m = y.length;
        double[] ones = new double[m];
        Arrays.fill(ones, 1.0);
        Fit first = irls(t, y, ones, trend);
        if (first == null) {
            return null;
        }
        double[] omega = new double[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double mu = first.mu[i];
            double oneMinusH = 1 - first.hat[i];
            double s = oneMinusH > 0
                    ? 1.5 * (Math.pow(y[i], 2.0 / 3) * Math.pow(mu, -1.0 / 6) - Math.sqrt(mu))
                            / Math.sqrt(first.phi * oneMinusH)
                    : 0.0;
            omega[i] = s > NOUFAILY_WEIGHTS_THRESHOLD ? 1 / (s * s) : 1.0;
            sum += omega[i];
        }
        double gamma = m / sum;
        for (int i = 0; i < m; i++) {
            omega[i] *= gamma;
        }
        return irls(t, y, omega, trend);
    }

    /**
     * Maximum-likelihood existence check for log mu = a + b t (Haberman 1974): the MLE fails to exist
     * only if all positive counts share one time point that is the smallest or largest time.
     */
    private static boolean trendEstimable(double[] t, double[] y) {
        double tMin = Double.POSITIVE_INFINITY;
        double tMax = Double.NEGATIVE_INFINITY;
        double posMin = Double.POSITIVE_INFINITY;
        double posMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.length; i++) {
            tMin = Math.min(tMin, t[i]);
            tMax = Math.max(tMax, t[i]);
            if (y[i] > 0) {
                posMin = Math.min(posMin, t[i]);
                posMax = Math.max(posMax, t[i]);
            }
        }
        if (posMin < posMax) {
            return true;
        }
        return posMin > tMin && posMin < tMax;
    }

    /**
     * IRLS for the quasi-Poisson GLM with log link and prior weights omega; one parameter (intercept)
     * or two (intercept + slope on t). Also returns hat values, phi = max(1, Pearson/(n-p)) and the
     * Wald t-test p-value of the slope. Returns null when the iteration does not converge.
     */
    private static Fit irls(double[] t, double[] y, double[] omega, boolean trend) {
        int m = y.length;
        int p = trend ? 2 : 1;
        double[] mu = new double[m];
        double[] eta = new double[m];
        for (int i = 0; i < m; i++) {
            mu[i] = y[i] + 0.1;
            eta[i] = Math.log(mu[i]);
        }
        double devOld = deviance(y, mu, omega);
        double b0 = 0;
        double b1 = 0;
        double prevB0 = Double.NaN;
        double prevB1 = Double.NaN;
        boolean converged = false;
        for (int iter = 0; iter < MAX_IRLS_ITERATIONS; iter++) {
            // weighted least squares of z on (1, t) with weights W = omega * mu
            double s0 = 0, s1 = 0, s2 = 0, r0 = 0, r1 = 0;
            for (int i = 0; i < m; i++) {
                double wi = omega[i] * mu[i];
                double z = eta[i] + (y[i] - mu[i]) / mu[i];
                s0 += wi;
                s1 += wi * t[i];
                s2 += wi * t[i] * t[i];
                r0 += wi * z;
                r1 += wi * z * t[i];
            }
            if (trend) {
                double det = s0 * s2 - s1 * s1;
                if (!(det > 0)) {
                    return null;
                }
                b0 = (s2 * r0 - s1 * r1) / det;
                b1 = (s0 * r1 - s1 * r0) / det;
            } else {
                b0 = r0 / s0;
                b1 = 0;
            }
            for (int i = 0; i < m; i++) {
                eta[i] = b0 + b1 * t[i];
                mu[i] = Math.exp(eta[i]);
            }
            double dev = deviance(y, mu, omega);
            if (!Double.isFinite(dev)) {
                return null;
            }
            // R's glm.fit stops when |dev - dev_old|/(|dev| + 0.1) < 1e-8, which leaves the
            // coefficients accurate to only ~1e-9; we additionally require the coefficients to have
            // settled (Newton converges quadratically, so this costs one or two more iterations).
            boolean devSettled = Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < IRLS_EPSILON;
            boolean betaSettled = Math.abs(b0 - prevB0) <= 1e-12 * (1 + Math.abs(b0))
                    && Math.abs(b1 - prevB1) <= 1e-12 * (1 + Math.abs(b1));
            if (devSettled && betaSettled) {
                converged = true;
                break;
            }
            // accept R's criterion alone if the coefficients never settle to 1e-12 (rounding noise)
            converged = devSettled;
            devOld = dev;
            prevB0 = b0;
            prevB1 = b1;
        }
        if (!converged) {
            return null;
        }
        // Fisher information X'WX at the final mu; its inverse gives hat values and the slope variance.
        double s0 = 0, s1 = 0, s2 = 0, pearson = 0;
        for (int i = 0; i < m; i++) {
            double wi = omega[i] * mu[i];
            s0 += wi;
            s1 += wi * t[i];
            s2 += wi * t[i] * t[i];
            double r = y[i] - mu[i];
            pearson += omega[i] * r * r / mu[i];
        }
        double[] hat = new double[m];
        double det = s0 * s2 - s1 * s1;
        for (int i = 0; i < m; i++) {
            double wi = omega[i] * mu[i];
            hat[i] = trend ? wi * (s2 - 2 * s1 * t[i] + s0 * t[i] * t[i]) / det : wi / s0;
        }
        double phiRaw = pearson / (m - p);
        double phi = Math.max(1.0, phiRaw);
        double trendP = Double.NaN;
        if (trend) {
            double se = Math.sqrt(phiRaw * s0 / det);
            double tStat = b1 / se;
            if (Double.isFinite(tStat)) {
                TDistribution td = new TDistribution(null, m - p, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);
                trendP = 2 * td.cumulativeProbability(-Math.abs(tStat));
            }
        }
        return new Fit(b0, b1, mu, hat, phi, phiRaw, trendP);
    }

    /** Poisson deviance with prior weights: 2 sum omega [y log(y/mu) - (y - mu)]. */
    private static double deviance(double[] y, double[] mu, double[] omega) {
        double d = 0;
        for (int i = 0; i < y.length; i++) {
            double term = y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0.0;
            d += 2 * omega[i] * (term - (y[i] - mu[i]));
        }
        return d;
    }

    // =============================================================================================
    // Quantiles
    // =============================================================================================

    /**
     * Poisson quantile: the smallest k with {@code P(X <= k) >= prob} for {@code X ~ Poisson(mu)}, using
     * {@code P(X <= k) = Q(k + 1, mu)} (regularised upper incomplete gamma) and R's qpois fuzz
     * {@code prob * (1 - 64 eps)} for left continuity, so it equals R's {@code qpois(prob, mu)}.
     * Example: {@code poissonQuantile(2, 0.95) = 5} because P(X &lt;= 4) = 7 e^-2 = 0.947347 &lt; 0.95
     * &lt;= P(X &lt;= 5) = 7.2667 e^-2 = 0.983436.
     *
     * @param mu   mean, finite and &gt;= 0 (mu = 0 gives 0)
     * @param prob probability in [0, 1) (prob = 0 gives 0)
     * @return the quantile
     */
    public static long poissonQuantile(double mu, double prob) {
        if (!(mu >= 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("mu must be finite and >= 0: " + mu);
        }
        if (!(prob >= 0 && prob < 1)) {
            throw new IllegalArgumentException("prob must be in [0,1): " + prob);
        }
        if (mu == 0 || prob == 0) {
            return 0;
        }
        return discreteQuantile(k -> Gamma.regularizedGammaQ(k + 1.0, mu), mu, Math.sqrt(mu), prob);
    }

    /**
     * Negative binomial quantile in the mean/dispersion parametrisation used by Noufaily et al. (2013):
     * mean mu, variance phi mu, i.e. R's {@code qnbinom(prob, size = mu/(phi - 1), mu = mu)}
     * (prob parameter 1/phi). {@code P(Y <= k) = I_{1/phi}(size, k + 1)} (regularised incomplete beta).
     * For {@code phi == 1} this is {@link #poissonQuantile}. Example: mu = 2, phi = 2 gives size 2,
     * prob 1/2, P(Y = k) = (k + 1)/2^(k+2); P(Y &lt;= k) = 1 - (k + 3)/2^(k+2); the 0.95 quantile is 6
     * (P(Y &lt;= 5) = 1 - 8/128 = 0.9375, P(Y &lt;= 6) = 1 - 9/256 = 0.96484).
     *
     * @param mu   mean, finite and &gt;= 0
     * @param phi  dispersion (variance/mean), &gt;= 1
     * @param prob probability in [0, 1)
     * @return the quantile
     */
    public static long negBinomialQuantile(double mu, double phi, double prob) {
        if (!(phi >= 1) || Double.isInfinite(phi)) {
            throw new IllegalArgumentException("phi must be finite and >= 1: " + phi);
        }
        if (phi == 1 || mu == 0) {
            return poissonQuantile(mu, prob);
        }
        if (!(mu > 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("mu must be finite and >= 0: " + mu);
        }
        if (!(prob >= 0 && prob < 1)) {
            throw new IllegalArgumentException("prob must be in [0,1): " + prob);
        }
        double size = mu / (phi - 1);
        double pr = 1 / phi;
        return discreteQuantile(k -> Beta.regularizedBeta(pr, size, k + 1.0), mu, Math.sqrt(phi * mu), prob);
    }

    /** Smallest k >= 0 with cdf(k) >= prob * (1 - 64 eps), searched from a normal start. */
    private static long discreteQuantile(LongToDoubleFunction cdf, double mean, double sd,
                                         double prob) {
        double target = prob * QUANTILE_FUZZ;
        long k = Math.max(0, (long) Math.floor(mean + sd * normalQuantileApprox(prob)));
        if (cdf.applyAsDouble(k) >= target) {
            while (k > 0 && cdf.applyAsDouble(k - 1) >= target) {
                k--;
            }
        } else {
            do {
                k++;
            } while (cdf.applyAsDouble(k) < target);
        }
        return k;
    }

    /** Rough normal quantile for the search start only (accuracy irrelevant to the result). */
    private static double normalQuantileApprox(double p) {
        return new NormalDistribution(null, 0, 1, 1e-6).inverseCumulativeProbability(Math.min(Math.max(p, 1e-12), 1 - 1e-12));
    }

    // =============================================================================================
    // Short-series detectors
    // =============================================================================================

    /**
     * Shewhart-type Poisson control limit for the last point of a short series: expected = mean of the
     * k counts before the last one, upper bound = {@code qpois(1 - alpha, expected)}
     * ({@link #poissonQuantile}), alarm iff last count &gt; bound (e.g. Montgomery, <i>Introduction to
     * Statistical Quality Control</i>, c-chart with exact Poisson limits). Example: previous counts
     * (1, 2, 3) give expected 2 and, at alpha = 0.05, bound 5; a last count of 6 alarms.
     *
     * @param counts counts in time order (&gt;= 0)
     * @param k      baseline length (&gt;= 3)
     * @param alpha  one-sided level in (0, 1)
     * @return the warning; "insufficient-history" when fewer than k + 1 counts are given
     */
    public static Warning poissonControlLimit(long[] counts, int k, double alpha) {
        if (k < 3) {
            throw new IllegalArgumentException("k must be >= 3: " + k);
        }
        checkAlpha(alpha);
        checkCounts(counts);
        int n = counts.length;
        if (n < k + 1) {
            return new Warning(false, Double.NaN, Double.NaN, Double.NaN, "insufficient-history",
                    Math.max(0, n - 1), false, Double.NaN);
        }
        double sum = 0;
        for (int i = n - 1 - k; i < n - 1; i++) {
            sum += counts[i];
        }
        double expected = sum / k;
        double bound = poissonQuantile(expected, 1 - alpha);
        double observed = counts[n - 1];
        return new Warning(observed > bound, expected, bound, observed - expected, "poisson-control-limit", k,
                false, 1.0);
    }


    /**
     * Outcome of {@link #phaseOneLimit}: the warning for the last point plus the index from which the
     * series has stayed above its bound without a break (-1 when the last point does not alarm).
     */
    public record PhaseOne(Warning warning, int since, double cusum, boolean cusumAlarm) {
    }

    /** Reference value k and decision interval h of the standardised CUSUM in {@link #phaseOneLimit}. */
    public static final double CUSUM_K = 0.5;
    public static final double CUSUM_H = 5.0;

    /**
     * Quasi-Poisson phase-I control limit for short series with unequal exposures (the method used
     * when the history is too short for {@link #noufaily}). Phase I (Montgomery, <i>Introduction to
     * Statistical Quality Control</i>, ch. 7, c/u-charts) estimates the in-control rate per day from
     * the first {@code baseline} periods, which come before any later change and so are not
     * contaminated by it:
     * <pre>  r = Σ_{i&lt;b} y_i / Σ_{i&lt;b} d_i,   e_i = r d_i,
     *  phi = max(1, Σ_{i&lt;b} (y_i - e_i)² / e_i / (b - 1))          (Pearson dispersion, as Farrington 1996)
     *  U_t = qnbinom(1 - alpha; mean e_t, variance phi e_t)          (qpois when phi = 1)</pre>
     * and the last point alarms when {@code y_last > U_last} (Shewhart part, for sudden jumps) or when a
     * standardised upper CUSUM of the points after the baseline is at or above h (for sustained
     * shifts a single-point limit misses): the combined Shewhart–CUSUM scheme of Lucas (1982,
     * <i>J. Quality Technology</i> 14:51–59),
     * <pre>  z_t = (y_t - e_t) / sqrt(phi e_t),   S_t = max(0, S_{t-1} + z_t - k),   S_{b-1} = 0,   k = 0.5, h = 5</pre>
     * (for normal data ARL0 ≈ 465 and a 1-sigma shift is found in about 10 periods; Montgomery
     * table 9.3). {@code since} is the first index of the current excursion: the unbroken run of
     * points above U ending at the last point, or, for a CUSUM alarm, the point after S was last 0.
     * Example: counts (10, 10, 10, 10, 30), days all 30, baseline 4: r = 1/3 per day, e = 10, phi = 1,
     * U = qpois(0.99, 10) = 18, 30 &gt; 18 alarms with excess 20.
     *
     * @param counts   counts in time order (&gt;= 0)
     * @param days     exposure (days) of each period, same length, &gt; 0
     * @param baseline phase-I length b, 3 &lt;= b &lt;= n - 1
     * @param alpha    one-sided level in (0, 1)
     * @return the warning (method {@code "quasi-poisson-phase1"}) and since
     */
    public static PhaseOne phaseOneLimit(long[] counts, double[] days, int baseline, double alpha) {
        checkAlpha(alpha);
        checkCounts(counts);
        int n = counts.length;
        if (days.length != n) {
            throw new IllegalArgumentException("counts and days differ in length");
        }
        if (baseline < 3 || baseline > n - 1) {
            throw new IllegalArgumentException("baseline must be in [3, n-1]: " + baseline + " (n = " + n + ")");
        }
        double y = 0;
        double d = 0;
        for (int i = 0; i < baseline; i++) {
            if (!(days[i] > 0)) {
                throw new IllegalArgumentException("days must be > 0 at " + i);
            }
            y += counts[i];
            d += days[i];
        }
        double rate = y / d;
        double chi = 0;
        for (int i = 0; i < baseline; i++) {
            double e = rate * days[i];
            if (e > 0) {
                chi += (counts[i] - e) * (counts[i] - e) / e;
            }
        }
        double phi = Math.max(1.0, chi / (baseline - 1));
        double[] bound = new double[n];
        for (int i = baseline; i < n; i++) {
            bound[i] = negBinomialQuantile(rate * days[i], phi, 1 - alpha);
        }
        double expected = rate * days[n - 1];
        boolean shewhart = counts[n - 1] > bound[n - 1];
        double cusum = 0;
        int lastZero = baseline - 1;
        for (int i = baseline; i < n; i++) {
            double e = rate * days[i];
            double z = e > 0 ? (counts[i] - e) / Math.sqrt(phi * e) : (counts[i] > 0 ? CUSUM_H : 0);
            cusum = Math.max(0, cusum + z - CUSUM_K);
            if (cusum == 0) {
                lastZero = i;
            }
        }
        boolean cusumAlarm = cusum >= CUSUM_H;
        boolean alarm = shewhart || cusumAlarm;
        int since = -1;
        if (shewhart) {
            since = n - 1;
            while (since - 1 >= baseline && counts[since - 1] > bound[since - 1]) {
                since--;
            }
        }
        if (cusumAlarm) {
            since = since < 0 ? lastZero + 1 : Math.min(since, lastZero + 1);
        }
        Warning w = new Warning(alarm, expected, bound[n - 1], counts[n - 1] - expected,
                cusumAlarm && !shewhart ? "quasi-poisson-phase1-cusum" : "quasi-poisson-phase1", baseline, false, phi);
        return new PhaseOne(w, since, cusum, cusumAlarm);
    }

    /**
     * Poisson CUSUM with the defaults shiftRatio = 1.5 and h = 4; see
     * {@link #poissonCusum(long[], int, double, double)} for the formulas (Lucas 1985) and the
     * worked example.
     *
     * @param counts counts in time order (&gt;= 0), at least k + 1
     * @param k      baseline length (&gt;= 3)
     * @return the CUSUM path and alarm state
     */
    public static CusumResult poissonCusum(long[] counts, int k) {
        return poissonCusum(counts, k, 1.5, 4.0);
    }

    /**
     * One-sided (upper) Poisson CUSUM of Lucas (1985). The in-control mean mu0 is the mean of the first
     * k counts; the out-of-control mean to detect is {@code mu1 = shiftRatio * mu0}; the reference
     * value is the likelihood-ratio value
     * <pre>  k_ref = (mu1 - mu0) / (ln mu1 - ln mu0) = mu0 (r - 1) / ln r      (r = shiftRatio)</pre>
     * (the second form is also defined for mu0 = 0, giving k_ref = 0). From t = k on,
     * <pre>  S_t = max(0, S_{t-1} + y_t - k_ref),   S_{k-1} = 0</pre>
     * and a signal is given when {@code S_t >= h} (Lucas 1985; as R's surveillance::algo.cusum). The
     * CUSUM is not reset after a signal, so {@code alarmSince} reports how long the current excursion
     * has lasted. h is in count units and must be chosen for the desired in-control average run length
     * (ARL; Lucas 1985 tables, or R's surveillance::findH). The default 4 is lenient: by Monte Carlo
     * (4000 runs) with r = 1.5, mu0 = 4 and h = 4 give an in-control ARL of only about 25 periods
     * (mu0 = 20: about 26), whereas mu0 = 4 and h = 10 give about 400 with an ARL of about 2.6 after a
     * 2.5-fold increase.
     * Example: mu0 = 2, r = 1.5 gives k_ref = 1/ln 1.5 = 2.4663.
     *
     * @param counts     counts in time order (&gt;= 0), at least k + 1
     * @param k          baseline length (&gt;= 3)
     * @param shiftRatio r = mu1/mu0 (&gt; 1)
     * @param h          decision interval (&gt; 0)
     * @return the CUSUM path and alarm state
     */
    public static CusumResult poissonCusum(long[] counts, int k, double shiftRatio, double h) {
        if (k < 3) {
            throw new IllegalArgumentException("k must be >= 3: " + k);
        }
        if (!(shiftRatio > 1) || Double.isInfinite(shiftRatio)) {
            throw new IllegalArgumentException("shiftRatio must be finite and > 1: " + shiftRatio);
        }
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("h must be finite and > 0: " + h);
        }
        checkCounts(counts);
        int n = counts.length;
        if (n < k + 1) {
            throw new IllegalArgumentException("need at least k + 1 counts: " + n);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += counts[i];
        }
        double mu0 = sum / k;
        double kRef = mu0 * (shiftRatio - 1) / Math.log(shiftRatio);
        double[] cusum = new double[n];
        Arrays.fill(cusum, 0, k, Double.NaN);
        double s = 0;
        int first = -1;
        int since = -1;
        for (int t = k; t < n; t++) {
            s = Math.max(0.0, s + counts[t] - kRef);
            cusum[t] = s;
            if (s >= h) {
                if (first < 0) {
                    first = t;
                }
                if (since < 0) {
                    since = t;
                }
            } else {
                since = -1;
            }
        }
        return new CusumResult(mu0, kRef, h, cusum, first, since, since >= 0);
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0,1): " + alpha);
        }
    }

    private static void checkCounts(long[] counts) {
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("counts must be >= 0: " + c);
            }
        }
    }
}
