package org.ilp.common.stats;

import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Exact tests for Poisson rates, reproducing R's {@code poisson.test} (package {@code stats}).
 *
 * <h2>Two-sample test (comparison of two rates)</h2>
 * Given counts {@code x1 ~ Poisson(lambda1 t1)} and {@code x2 ~ Poisson(lambda2 t2)}, the conditional
 * distribution of {@code x1} given {@code n = x1 + x2} is {@code Binomial(n, p)} with
 * {@code p = lambda1 t1 / (lambda1 t1 + lambda2 t2)}. Under H0: {@code lambda1 = lambda2} this is
 * {@code p0 = t1 / (t1 + t2)} (Przyborowski &amp; Wilenski 1940; Cox 1953; Armitage, Berry &amp; Matthews,
 * <i>Statistical Methods in Medical Research</i>, 4th ed. 2002, §5.3). Hence
 * {@code poisson.test(c(x1, x2), c(t1, t2))} is exactly {@code binom.test(x1, x1 + x2, p = t1/(t1+t2))}.
 *
 * <h2>Two-sided p-value: R's "minimum likelihood" rule</h2>
 * With {@code d = dbinom(x, n, p)} and {@code relErr = 1 + 1e-7}, the two-sided p-value is
 * <pre>  p = min(1, sum_{i : dbinom(i) &lt;= d * relErr} dbinom(i))</pre>
 * (Sterne 1954; this is the rule of R's {@code binom.test}/{@code poisson.test} source code). As in R the
 * sum is evaluated through the two tails: since the pmf is unimodal, the indices with
 * {@code dbinom(i) <= d*relErr} are the whole tail on {@code x}'s side of the mean {@code m = n p} plus a
 * tail {@code [c, n]} (or {@code [0, c]}) on the other side, so
 * <pre>  x &lt; m:  p = P(X &lt;= x) + P(X &gt;= c),   c = min{ i &gt;= ceil(m)  : dbinom(i) &lt;= d relErr }
 *   x &gt; m:  p = P(X &lt;= c) + P(X &gt;= x),   c = max{ i &lt;= floor(m) : dbinom(i) &lt;= d relErr }
 *   x == m: p = 1</pre>
 * The cut point {@code c} is found by binary search on the log pmf (the pmf is monotone on each side of
 * the mean), and the tails are regularised incomplete beta functions:
 * {@code P(X >= k) = I_p(k, n-k+1)}, {@code P(X <= k) = I_{1-p}(n-k, k+1)}. The cost is
 * {@code O(log n)} pmf evaluations plus two incomplete-beta evaluations, so {@code n = 10^7} and beyond
 * take milliseconds. The only deviation from R is that comparisons are made on the log scale, so where
 * R's {@code dbinom} underflows to 0 (p-values below ~1e-300) this class still orders the terms
 * correctly; any p-value that R reports as a positive double is reproduced.
 *
 * <h2>Confidence interval for the rate ratio</h2>
 * The exact (Clopper &amp; Pearson 1934) interval {@code [pL, pU]} for {@code p} solves
 * {@code P(X >= x1 | pL) = alpha/2} and {@code P(X <= x1 | pU) = alpha/2}, with {@code pL = 0} when
 * {@code x1 = 0} and {@code pU = 1} when {@code x1 = n} (R: {@code qbeta(alpha/2, x, n-x+1)},
 * {@code qbeta(1-alpha/2, x+1, n-x)}). Since {@code p/(1-p) = RR * t1/t2}, the interval for the rate
 * ratio {@code RR = lambda1/lambda2} is {@code [pL/(1-pL), pU/(1-pU)] * t2/t1}, exactly as R's
 * {@code poisson.test} transforms it. The equations are solved by bisection on the log-odds scale to a
 * relative accuracy of about 1e-12 in the ratio.
 *
 * <p>Reference example used in the tests (from R's {@code ?poisson.test}, data of Armitage et al.):
 * {@code poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))} gives rate ratio 1.971488,
 * p-value 0.07967 and 95% CI (0.8584264, 4.2772659).
 */
public final class PoissonRateTest {

    /** log of R's tolerance relErr = 1 + 1e-7 for "as or less likely than the observed". */
    private static final double LOG_REL_ERR = Math.log1p(1e-7);

    private PoissonRateTest() {
    }

    /**
     * Result of the two-sample comparison.
     *
     * @param pValue    exact two-sided p-value (minimum-likelihood rule), in [0, 1]
     * @param rateRatio {@code (x1/t1)/(x2/t2)}: {@code NaN} when {@code x1 = x2 = 0},
     *                  {@code +Infinity} when {@code x2 = 0 < x1}, {@code 0} when {@code x1 = 0 < x2}
     *                  (the same values R's arithmetic gives)
     * @param ciLow     lower exact confidence limit of the rate ratio (0 when {@code x1 = 0})
     * @param ciHigh    upper exact confidence limit ({@code +Infinity} when {@code x2 = 0}); when
     *                  {@code x1 = x2 = 0} the interval is the uninformative {@code [0, +Infinity]}
     */
    public record Result(double pValue, double rateRatio, double ciLow, double ciHigh) {
    }

    /**
     * Result of the one-sample test.
     *
     * @param pValue exact two-sided p-value for H0: rate = r
     * @param rate   the estimate {@code x/t}
     * @param ciLow  exact lower confidence limit of the rate, {@code qgamma(alpha/2, x)/t} (0 if x = 0)
     * @param ciHigh exact upper confidence limit of the rate, {@code qgamma(1-alpha/2, x+1)/t}
     */
    public record OneSampleResult(double pValue, double rate, double ciLow, double ciHigh) {
    }

    /**
     * Two-sample exact comparison of Poisson rates with a 95% confidence interval; identical to R's
     * {@code poisson.test(c(x1, x2), c(t1, t2))}. See the class documentation for the formulas
     * (conditional binomial test, minimum-likelihood two-sided p, Clopper–Pearson interval transformed
     * by {@code RR = p/(1-p) * t2/t1}). Worked example (Armitage et al., R's {@code ?poisson.test}):
     * {@code test(11, 800, 21, 3011)} gives p = 0.07967, RR = 1.971488, CI (0.8584264, 4.2772659).
     *
     * @param x1 events in group 1 (&gt;= 0)
     * @param t1 exposure (time base) of group 1 (finite, &gt; 0)
     * @param x2 events in group 2 (&gt;= 0)
     * @param t2 exposure of group 2 (finite, &gt; 0)
     * @return p-value, rate ratio and 95% exact interval; if {@code x1 + x2 = 0} the p-value is 1, the
     *         ratio NaN and the interval {@code [0, +Infinity]}
     * @throws IllegalArgumentException for negative counts, non-positive or non-finite exposures, or
     *                                  {@code x1 + x2 > Integer.MAX_VALUE}
     */
    public static Result test(long x1, double t1, long x2, double t2) {
        return test(x1, t1, x2, t2, 0.95);
    }

    /**
     * As {@link #test(long, double, long, double)} with a chosen confidence level ({@code conf.level}
     * in R).
     *
     * @param x1        events in group 1 (&gt;= 0)
     * @param t1        exposure of group 1 (finite, &gt; 0)
     * @param x2        events in group 2 (&gt;= 0)
     * @param t2        exposure of group 2 (finite, &gt; 0)
     * @param confLevel confidence level in (0, 1)
     * @return p-value, rate ratio and exact interval (conventions as in the 95% overload)
     */
    public static Result test(long x1, double t1, long x2, double t2, double confLevel) {
        int n = checkTwoSample(x1, t1, x2, t2);
        if (!(confLevel > 0 && confLevel < 1)) {
            throw new IllegalArgumentException("confLevel must be in (0,1): " + confLevel);
        }
        double pValue = twoSidedP(x1, t1, x2, t2);
        double rateRatio = (x1 / t1) / (x2 / t2);
        if (n == 0) {
            return new Result(pValue, Double.NaN, 0.0, Double.POSITIVE_INFINITY);
        }
        double[] theta = logitInterval((int) x1, n, confLevel);
        double ratioScale = t2 / t1;
        // p / (1 - p) = exp(theta) = RR * t1 / t2 (exp(-inf) = 0, exp(+inf) = +inf at the ends)
        double low = Math.exp(theta[0]) * ratioScale;
        double high = Math.exp(theta[1]) * ratioScale;
        return new Result(pValue, rateRatio, low, high);
    }

    /**
     * The exact (Clopper &amp; Pearson 1934) confidence interval of a binomial proportion, R's
     * {@code binom.test(x, n)$conf.int}: {@code pL} solves {@code P(X >= x | pL) = alpha/2} ({@code 0} when
     * {@code x = 0}), {@code pU} solves {@code P(X <= x | pU) = alpha/2} ({@code 1} when {@code x = n}), i.e.
     * {@code qbeta(alpha/2, x, n-x+1)} and {@code qbeta(1-alpha/2, x+1, n-x)}. Worked example (R's
     * {@code ?binom.test}, Mendel's peas): {@code binomialInterval(682, 925, 0.95)} = (0.7076683, 0.7654066).
     *
     * @return {@code {pL, pU}}
     */
    public static double[] binomialInterval(int x, int n, double confLevel) {
        double[] theta = logitInterval(x, n, confLevel);
        return new double[] {invLogit(theta[0]), invLogit(theta[1])};
    }

    /** {@link #binomialInterval} on the log-odds scale ({@code -inf} when x = 0, {@code +inf} when x = n). */
    private static double[] logitInterval(int x, int n, double confLevel) {
        if (n <= 0 || x < 0 || x > n || !(confLevel > 0 && confLevel < 1)) {
            throw new IllegalArgumentException("binomialInterval needs 0 <= x <= n, n > 0, 0 < confLevel < 1: " + x
                + ", " + n + ", " + confLevel);
        }
        double alpha = 1 - confLevel;
        // P(X >= x | p) increases with p: solved on theta = logit(p)
        double low = x == 0 ? Double.NEGATIVE_INFINITY
            : solveLogit(th -> binomUpperTail(x, n, invLogit(th), invLogit(-th)), alpha / 2);
        // P(X <= x | p) decreases with p: 1 - P(X <= x) = P(X >= x+1) = 1 - alpha/2
        double high = x == n ? Double.POSITIVE_INFINITY
            : solveLogit(th -> binomUpperTail(x + 1, n, invLogit(th), invLogit(-th)), 1 - alpha / 2);
        return new double[] {low, high};
    }

    /**
     * Exact two-sided p-value of the two-sample comparison, i.e. R's
     * {@code poisson.test(c(x1, x2), c(t1, t2))$p.value} =
     * {@code binom.test(x1, x1 + x2, t1/(t1+t2))$p.value}; formula in the class documentation
     * (minimum-likelihood rule with relErr = 1 + 1e-7). Returns 1 when {@code x1 + x2 = 0}.
     * Example: {@code twoSidedP(11, 800, 21, 3011) = 0.07967} (R's {@code ?poisson.test}).
     *
     * @param x1 events in group 1
     * @param t1 exposure of group 1
     * @param x2 events in group 2
     * @param t2 exposure of group 2
     * @return the two-sided p-value in [0, 1]
     * @throws IllegalArgumentException as for {@link #test(long, double, long, double)}
     */
    public static double twoSidedP(long x1, double t1, long x2, double t2) {
        int n = checkTwoSample(x1, t1, x2, t2);
        double sum = t1 + t2;
        // R: p = r*T[1]/(r*T[1] + T[2]) with r = 1; q computed directly (not as 1 - p) for accuracy.
        return binomialTwoSidedP((int) x1, n, t1 / sum, t2 / sum);
    }

    /**
     * Exact two-sided binomial p-value, R's {@code binom.test(x, n, p)$p.value} (minimum-likelihood
     * rule, relErr = 1 + 1e-7; see the class documentation). Returns 1 when {@code n = 0}.
     * Example: {@code binomialTwoSidedP(2, 10, 0.5) = 112/1024 = 0.109375} (1+10+45 terms on each side).
     *
     * @param x successes, {@code 0 <= x <= n}
     * @param n trials, {@code >= 0}
     * @param p success probability in [0, 1]
     * @return the two-sided p-value in [0, 1]
     */
    public static double binomialTwoSidedP(int x, int n, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in [0,1]: " + p);
        }
        return binomialTwoSidedP(x, n, p, 1 - p);
    }

    /**
     * One-sample exact Poisson test of H0: rate = r, R's {@code poisson.test(x, t, r)} (two-sided,
     * 95% interval). Two-sided p by the same minimum-likelihood rule applied to {@code Poisson(m = r t)}:
     * <pre>  x &lt; m: p = P(X &lt;= x) + P(X &gt;= c), c = min{ i &gt;= ceil(m): dpois(i, m) &lt;= d relErr }
     *   x &gt; m: p = P(X &lt;= c) + P(X &gt;= x), c = max{ i &lt;= floor(m): dpois(i, m) &lt;= d relErr }</pre>
     * with {@code d = dpois(x, m)}; if {@code m = 0} the p-value is 1 when {@code x = 0}, else 0 (R).
     * Tails: {@code P(X <= k) = Q(k+1, m)}, {@code P(X >= k) = P(k, m)} (regularised gamma).
     * Interval (Garwood 1936): {@code [qgamma(alpha/2, x), qgamma(1-alpha/2, x+1)] / t}, lower limit 0
     * when {@code x = 0}. Example (R's {@code ?poisson.test}): {@code oneSample(137, 24.19893, 1)}
     * gives p &lt; 2.2e-16, rate 5.661407, 95% CI (4.753125, 6.692709).
     *
     * @param x events (&gt;= 0)
     * @param t exposure (finite, &gt; 0)
     * @param r hypothesised rate (finite, &gt;= 0)
     * @return p-value, rate estimate and exact 95% interval
     */
    public static OneSampleResult oneSample(long x, double t, double r) {
        return oneSample(x, t, r, 0.95);
    }

    /**
     * As {@link #oneSample(long, double, double)} with a chosen confidence level.
     *
     * @param x         events (&gt;= 0)
     * @param t         exposure (finite, &gt; 0)
     * @param r         hypothesised rate (finite, &gt;= 0)
     * @param confLevel confidence level in (0, 1)
     * @return p-value, rate estimate and exact interval
     */
    public static OneSampleResult oneSample(long x, double t, double r, double confLevel) {
        if (x < 0 || x > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("x must be in [0, Integer.MAX_VALUE]: " + x);
        }
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("t must be finite and > 0: " + t);
        }
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw new IllegalArgumentException("r must be finite and >= 0: " + r);
        }
        if (!(confLevel > 0 && confLevel < 1)) {
            throw new IllegalArgumentException("confLevel must be in (0,1): " + confLevel);
        }
        double p = poissonTwoSidedP(x, r * t);
        double alpha = 1 - confLevel;
        double low = x == 0 ? 0.0 : gammaQuantile(x, alpha / 2) / t;
        double high = gammaQuantile(x + 1.0, 1 - alpha / 2) / t;
        return new OneSampleResult(p, x / t, low, high);
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    private static int checkTwoSample(long x1, double t1, long x2, double t2) {
        if (x1 < 0 || x2 < 0) {
            throw new IllegalArgumentException("counts must be >= 0: " + x1 + ", " + x2);
        }
        if (!(t1 > 0) || !(t2 > 0) || Double.isInfinite(t1) || Double.isInfinite(t2)) {
            throw new IllegalArgumentException("exposures must be finite and > 0: " + t1 + ", " + t2);
        }
        if (x1 + x2 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("x1 + x2 must not exceed Integer.MAX_VALUE");
        }
        return (int) (x1 + x2);
    }

    /** Binomial minimum-likelihood two-sided p with p and q = 1 - p passed separately. */
    static double binomialTwoSidedP(int x, int n, double p, double q) {
        if (n < 0 || x < 0 || x > n) {
            throw new IllegalArgumentException("need 0 <= x <= n: x=" + x + ", n=" + n);
        }
        if (n == 0) {
            return 1.0;
        }
        double m = n * p;
        if (x == m) {
            return 1.0;
        }
        if (p == 0 || q == 0) {
            // Degenerate: the observed x is impossible (x != m), every other point has probability 0
            // except the certain one, which is more likely; R returns 0 here.
            return 0.0;
        }
        BinomialDistribution dist = new BinomialDistribution(null, n, p);
        double limit = dist.logProbability(x) + LOG_REL_ERR;
        double pv;
        if (x < m) {
            // pmf is non-increasing on [ceil(m), n]; find the first index whose pmf <= d * relErr.
            int lo = (int) Math.ceil(m);
            int hi = n + 1; // sentinel: "no such index"
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (dist.logProbability(mid) <= limit) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            pv = binomLowerTail(x, n, p, q) + binomUpperTail(lo, n, p, q);
        } else {
            // pmf is non-decreasing on [0, floor(m)]; find the last index whose pmf <= d * relErr.
            int lo = -1; // sentinel: "no such index"
            int hi = (int) Math.floor(m);
            while (lo < hi) {
                int mid = hi - (hi - lo) / 2;
                if (dist.logProbability(mid) <= limit) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            pv = binomLowerTail(lo, n, p, q) + binomUpperTail(x, n, p, q);
        }
        return Math.min(1.0, pv);
    }

    /** P(X >= k) for X ~ Binomial(n, p) = I_p(k, n-k+1). */
    static double binomUpperTail(int k, int n, double p, double q) {
        if (k <= 0) {
            return 1.0;
        }
        if (k > n) {
            return 0.0;
        }
        if (p == 0) {
            return 0.0;
        }
        if (q == 0) {
            return 1.0;
        }
        // Direct form: accurate in relative terms when the tail is small (commons-math switches to the
        // complement internally only when the result is large).
        return Beta.regularizedBeta(p, k, n - k + 1.0);
    }

    /** P(X <= k) for X ~ Binomial(n, p) = I_{1-p}(n-k, k+1). */
    static double binomLowerTail(int k, int n, double p, double q) {
        if (k < 0) {
            return 0.0;
        }
        if (k >= n) {
            return 1.0;
        }
        if (q == 0) {
            return 0.0;
        }
        if (p == 0) {
            return 1.0;
        }
        return Beta.regularizedBeta(q, n - k, k + 1.0);
    }

    /** Poisson minimum-likelihood two-sided p-value for observed x and mean m (R's poisson.test). */
    static double poissonTwoSidedP(long xl, double m) {
        int x = (int) xl;
        if (m == 0) {
            return x == 0 ? 1.0 : 0.0;
        }
        if (x == m) {
            return 1.0;
        }
        PoissonDistribution dist = new PoissonDistribution(null, m, PoissonDistribution.DEFAULT_EPSILON,
                PoissonDistribution.DEFAULT_MAX_ITERATIONS);
        double limit = dist.logProbability(x) + LOG_REL_ERR;
        double pv;
        if (x < m) {
            // pmf non-increasing on [ceil(m), inf): bracket the cut by doubling, then bisect.
            long lo = (long) Math.ceil(m);
            long hi = Math.max(lo, (long) Math.ceil(2 * m - x));
            while (dist.logProbability(clampInt(hi)) > limit) {
                lo = hi + 1;
                hi = 2 * hi + 1;
            }
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                if (dist.logProbability(clampInt(mid)) <= limit) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            pv = poissonLowerTail(x, m) + poissonUpperTail(lo, m);
        } else {
            long lo = -1;
            long hi = (long) Math.floor(m);
            while (lo < hi) {
                long mid = hi - (hi - lo) / 2;
                if (dist.logProbability(clampInt(mid)) <= limit) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            pv = poissonLowerTail(lo, m) + poissonUpperTail(x, m);
        }
        return Math.min(1.0, pv);
    }

    private static int clampInt(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    /** P(X <= k), X ~ Poisson(m): regularised upper incomplete gamma Q(k+1, m). */
    static double poissonLowerTail(long k, double m) {
        if (k < 0) {
            return 0.0;
        }
        return Gamma.regularizedGammaQ(k + 1.0, m);
    }

    /** P(X >= k), X ~ Poisson(m): regularised lower incomplete gamma P(k, m). */
    static double poissonUpperTail(long k, double m) {
        if (k <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaP((double) k, m);
    }

    /** Quantile of Gamma(shape, rate 1): solves P(shape, v) = prob by bisection on log v. */
    static double gammaQuantile(double shape, double prob) {
        // Bracket: the quantile lies in (0, inf); expand on the log scale from the mean.
        double loLog = Math.log(shape) - 1;
        double hiLog = Math.log(shape) + 1;
        while (Gamma.regularizedGammaP(shape, Math.exp(loLog)) > prob) {
            loLog -= 2 * (hiLog - loLog);
        }
        while (Gamma.regularizedGammaP(shape, Math.exp(hiLog)) < prob) {
            hiLog += 2 * (hiLog - loLog);
        }
        for (int i = 0; i < 200 && hiLog - loLog > 1e-13; i++) {
            double mid = 0.5 * (loLog + hiLog);
            if (Gamma.regularizedGammaP(shape, Math.exp(mid)) < prob) {
                loLog = mid;
            } else {
                hiLog = mid;
            }
        }
        return Math.exp(0.5 * (loLog + hiLog));
    }

    private static double invLogit(double theta) {
        return 1.0 / (1.0 + Math.exp(-theta));
    }

    /**
     * Solves {@code f(theta) = target} for an increasing function of the log-odds {@code theta} by
     * bracketing and bisection, to an absolute accuracy of about 1e-12 in theta (relative 1e-12 in the
     * odds).
     */
    private static double solveLogit(DoubleUnaryOperator f, double target) {
        double lo = -1;
        double hi = 1;
        while (f.applyAsDouble(lo) > target && lo > -800) {
            lo -= 2 * (hi - lo);
        }
        while (f.applyAsDouble(hi) < target && hi < 800) {
            hi += 2 * (hi - lo);
        }
        for (int i = 0; i < 300 && hi - lo > 1e-12 * Math.max(1, Math.abs(lo)); i++) {
            double mid = 0.5 * (lo + hi);
            if (f.applyAsDouble(mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
