package org.ilp.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link PoissonRateTest}. Every expected p-value is checked twice: against a literal value
 * (the R call it equals is written next to it; the literal was computed independently with 40-digit
 * arithmetic by summing the binomial pmf over all i with pmf(i) <= pmf(x1)(1 + 1e-7), i.e. the
 * definition, and cross-checked with SciPy's {@code binomtest}, which implements R's algorithm), and
 * against an in-test brute-force loop over every i with commons-math {@code probability(i)} — a
 * different code path from the class under test (which uses tails of the incomplete beta function and
 * a binary search on the log pmf).
 */
class PoissonRateTestTest {

    /** The definition, by brute force: sum of dbinom(i) over all i with dbinom(i) <= dbinom(x)(1+1e-7). */
    private static double bruteForceP(int x, int n, double p) {
        if (n == 0) {
            return 1.0;
        }
        BinomialDistribution b = new BinomialDistribution(n, p);
        double d = b.probability(x) * (1 + 1e-7);
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double pi = b.probability(i);
            if (pi <= d) {
                sum += pi;
            }
        }
        return Math.min(1.0, sum);
    }

    private static Percentage rel(double pct) {
        return Percentage.withPercentage(pct);
    }

    @Test
    void armitageExampleFromRDocumentation() {
        // R's ?poisson.test example (Armitage, Berry & Matthews, cancer incidence by smoking):
        //   poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))
        //   count1 = 11, expected count1 = 6.7174, p-value = 0.07967
        //   95 percent confidence interval: 0.8584264 4.2772659 ; rate ratio 1.971488
        // = binom.test(11, 32, p = 800/3811). 40-digit brute force: p = 0.079668633033329474.
        // Rate ratio by hand: (11/800)/(21/3011) = 33121/16800 = 1.97148809523809...
        PoissonRateTest.Result r = PoissonRateTest.test(11, 800, 21, 3011);
        assertThat(r.pValue()).isCloseTo(0.079668633033329474, rel(1e-9));
        assertThat(r.pValue()).isCloseTo(bruteForceP(11, 32, 800.0 / 3811), rel(1e-9));
        assertThat(r.rateRatio()).isCloseTo(33121.0 / 16800.0, within(1e-13));
        assertThat(r.ciLow()).isCloseTo(0.858426403391619, rel(1e-8));
        assertThat(r.ciHigh()).isCloseTo(4.277265943654079, rel(1e-8));
        // R's printed 7 significant digits:
        assertThat(r.ciLow()).isCloseTo(0.8584264, within(5e-8));
        assertThat(r.ciHigh()).isCloseTo(4.2772659, within(5e-8));
        assertThat(PoissonRateTest.twoSidedP(11, 800, 21, 3011)).isEqualTo(r.pValue());
    }

    /** R's ?binom.test example (Mendel's peas, 682 of 925): 95 percent CI 0.7076683 0.7654066. */
    @Test
    void clopperPearsonIntervalOfRsBinomTestExample() {
        double[] ci = PoissonRateTest.binomialInterval(682, 925, 0.95);
        assertThat(ci[0]).isCloseTo(0.7076683, within(5e-8));
        assertThat(ci[1]).isCloseTo(0.7654066, within(5e-8));
        // the ends: none or all of n
        assertThat(PoissonRateTest.binomialInterval(0, 10, 0.95)[0]).isEqualTo(0.0);
        assertThat(PoissonRateTest.binomialInterval(10, 10, 0.95)[1]).isEqualTo(1.0);
        // x = 0: the upper limit is 1 - (alpha/2)^(1/n) (R: binom.test(0, 10) gives 0.3084971)
        assertThat(PoissonRateTest.binomialInterval(0, 10, 0.95)[1]).isCloseTo(1 - Math.pow(0.025, 0.1), within(1e-12));
    }

    @Test
    void zeroEventsInFirstGroup() {
        // poisson.test(c(0, 10), c(1, 1)) = binom.test(0, 10, 0.5).
        // By hand: d = 0.5^10 = 1/1024; terms <= d are i = 0 and i = 10 -> p = 2/1024 = 0.001953125.
        // CI: lower = 0 (x = 0); upper pU solves (1-pU)^10 = 0.025, so pU/(1-pU) = 0.025^(-1/10) - 1
        //     = exp(ln(40)/10) - 1 = 1.4461255495919292 - 1 = 0.4461255495919292.
        PoissonRateTest.Result r = PoissonRateTest.test(0, 1, 10, 1);
        assertThat(r.pValue()).isCloseTo(2.0 / 1024, within(1e-15));
        assertThat(r.pValue()).isCloseTo(bruteForceP(0, 10, 0.5), within(1e-15));
        assertThat(r.rateRatio()).isEqualTo(0.0);
        assertThat(r.ciLow()).isEqualTo(0.0);
        assertThat(r.ciHigh()).isCloseTo(Math.pow(0.025, -0.1) - 1, rel(1e-9));
    }

    @Test
    void zeroEventsInSecondGroupGivesInfiniteRatio() {
        // poisson.test(c(7, 0), c(1, 1)): p = 2 * 0.5^7 = 0.015625 (terms i = 0 and i = 7).
        // Rate ratio 7/0 = Inf; CI upper = Inf (x = n); lower pL solves pL^7 = 0.025:
        //   pL = 0.025^(1/7), RR_low = pL / (1 - pL) = 1.4413085188349697.
        PoissonRateTest.Result r = PoissonRateTest.test(7, 1, 0, 1);
        assertThat(r.pValue()).isCloseTo(0.015625, within(1e-15));
        assertThat(r.rateRatio()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.ciHigh()).isEqualTo(Double.POSITIVE_INFINITY);
        double pl = Math.pow(0.025, 1.0 / 7);
        assertThat(r.ciLow()).isCloseTo(pl / (1 - pl), rel(1e-9));
    }

    @Test
    void noEventsAtAll() {
        // n = 0: R's binom.test refuses n = 0; documented choice: p = 1, ratio NaN, CI [0, Inf].
        PoissonRateTest.Result r = PoissonRateTest.test(0, 3, 0, 5);
        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.rateRatio()).isNaN();
        assertThat(r.ciLow()).isEqualTo(0.0);
        assertThat(r.ciHigh()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void equalRatesGivePOne() {
        // poisson.test(c(15, 15), c(2, 2)): x1 = n p = 15 exactly -> p = 1 (R: "if (x == m) 1").
        // CI from SciPy binomtest(15, 30).proportion_ci('exact') = (0.31296, 0.68704) ->
        //   RR = p/(1-p): 0.45554112060980734, 2.1951915090812344 (reciprocals of each other:
        //   symmetric case, 1/0.45554112060980734 = 2.19519150908...).
        PoissonRateTest.Result r = PoissonRateTest.test(15, 2, 15, 2);
        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.rateRatio()).isEqualTo(1.0);
        assertThat(r.ciLow()).isCloseTo(0.45554112060980734, rel(1e-8));
        assertThat(r.ciHigh()).isCloseTo(2.1951915090812344, rel(1e-8));
        assertThat(r.ciLow() * r.ciHigh()).isCloseTo(1.0, within(1e-9));
        // Equal rates, unequal exposures: poisson.test(c(20, 10), c(2, 1)): m = 30 * 2/3 = 20 -> p = 1.
        assertThat(PoissonRateTest.twoSidedP(20, 2, 10, 1)).isEqualTo(1.0);
    }

    @Test
    void smallHandExampleWithUnequalNullProportion() {
        // poisson.test(c(3, 1), c(1, 2)) = binom.test(3, 4, p = 1/3). pmf of Bin(4, 1/3) in 81ths:
        //   i:    0   1   2   3   4
        //   81f: 16  32  24   8   1
        // d = f(3) = 8/81; terms <= d: i = 3, 4 -> p = 9/81 = 1/9.
        assertThat(PoissonRateTest.twoSidedP(3, 1, 1, 2)).isCloseTo(1.0 / 9, within(1e-15));
        // poisson.test(c(0, 4), c(1, 2)): d = 16/81; terms <= d: i = 0, 3, 4 -> (16+8+1)/81 = 25/81.
        assertThat(PoissonRateTest.twoSidedP(0, 1, 4, 2)).isCloseTo(25.0 / 81, within(1e-15));
        // Rate ratio (3/1)/(1/2) = 6; CI from SciPy exact: (0.4817604556585236, 314.98417654961605).
        PoissonRateTest.Result r = PoissonRateTest.test(3, 1, 1, 2);
        assertThat(r.rateRatio()).isEqualTo(6.0);
        assertThat(r.ciLow()).isCloseTo(0.4817604556585236, rel(1e-8));
        assertThat(r.ciHigh()).isCloseTo(314.98417654961605, rel(1e-8));
    }

    @Test
    void exactRationalCheckWithBigDecimal() {
        // binom.test(2, 10, 0.5): terms <= C(10,2)/1024 are i = 0,1,2,8,9,10:
        //   (1 + 10 + 45) * 2 / 1024 = 112/1024 = 0.109375. Re-derived below in exact BigDecimal.
        BigDecimal total = BigDecimal.ZERO;
        BigInteger d = binom(10, 2);
        for (int i = 0; i <= 10; i++) {
            if (binom(10, i).compareTo(d) <= 0) {
                total = total.add(new BigDecimal(binom(10, i)));
            }
        }
        double exact = total.divide(BigDecimal.valueOf(1024), MathContext.DECIMAL64).doubleValue();
        assertThat(exact).isEqualTo(0.109375);
        assertThat(PoissonRateTest.binomialTwoSidedP(2, 10, 0.5)).isCloseTo(exact, within(1e-15));
        // the mirror image x = 8 (tie with i = 2 is resolved by the 1e-7 tolerance, as in R)
        assertThat(PoissonRateTest.binomialTwoSidedP(8, 10, 0.5)).isCloseTo(exact, within(1e-15));
    }

    private static BigInteger binom(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    @Test
    void unequalExposures31Vs28Days() {
        // A month of 31 days vs one of 28 days.
        // poisson.test(c(45, 30), c(31, 28)) = binom.test(45, 75, 31/59): p = 0.2052472388837723
        //   (40-digit brute force), RR = (45/31)/(30/28) = 1260/930 = 1.3548387096774193,
        //   CI (SciPy exact, transformed): 0.8349852708817216, 2.2273309141596487.
        PoissonRateTest.Result r = PoissonRateTest.test(45, 31, 30, 28);
        assertThat(r.pValue()).isCloseTo(0.2052472388837723, rel(1e-9));
        assertThat(r.pValue()).isCloseTo(bruteForceP(45, 75, 31.0 / 59), rel(1e-9));
        assertThat(r.rateRatio()).isCloseTo(1260.0 / 930.0, within(1e-14));
        assertThat(r.ciLow()).isCloseTo(0.8349852708817216, rel(1e-8));
        assertThat(r.ciHigh()).isCloseTo(2.2273309141596487, rel(1e-8));
        // poisson.test(c(120, 90), c(31, 28)): p = 0.18963139818010663 (40-digit brute force).
        assertThat(PoissonRateTest.twoSidedP(120, 31, 90, 28)).isCloseTo(0.18963139818010663, rel(1e-9));
        assertThat(PoissonRateTest.twoSidedP(120, 31, 90, 28)).isCloseTo(bruteForceP(120, 210, 31.0 / 59), rel(1e-9));
    }

    @Test
    void largeCounts() {
        // poisson.test(c(12000, 11000), c(31, 30)) = binom.test(12000, 23000, 31/61):
        //   p = 3.9798849674200441e-05 (40-digit brute force over +-60 sd; SciPy binomtest
        //   3.979884967420059e-05), RR = (12000/31)/(11000/30) = 360000/341000 = 1.0557184750733137,
        //   CI (SciPy exact): 1.0286695647935615, 1.0834865182160243.
        PoissonRateTest.Result r = PoissonRateTest.test(12000, 31, 11000, 30);
        assertThat(r.pValue()).isCloseTo(3.9798849674200441e-05, rel(1e-7));
        assertThat(r.pValue()).isCloseTo(bruteForceP(12000, 23000, 31.0 / 61), rel(1e-7));
        assertThat(r.rateRatio()).isCloseTo(360000.0 / 341000.0, within(1e-14));
        assertThat(r.ciLow()).isCloseTo(1.0286695647935615, rel(1e-8));
        assertThat(r.ciHigh()).isCloseTo(1.0834865182160243, rel(1e-8));
    }

    @Test
    void tenMillionEventsIsFastAndCorrect() {
        // binom.test(5003000, 10^7, 0.5) = poisson.test(c(5003000, 4997000), c(1, 1)):
        //   40-digit brute force (terms within +-12 sd; beyond, terms are < 1e-31 of the sum):
        //   p = 0.057821285315837547; SciPy binomtest: 0.057821285315843185.
        //   Normal sanity check: z = 3000/sqrt(2.5e6) = 1.897, 2*(1-Phi(1.897)) = 0.0578.
        // CI (SciPy exact): 0.999960210752832, 1.00244276926521.
        long start = System.nanoTime();
        PoissonRateTest.Result r = PoissonRateTest.test(5_003_000, 1, 4_997_000, 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.pValue()).isCloseTo(0.057821285315837547, rel(1e-6));
        assertThat(r.ciLow()).isCloseTo(0.999960210752832, Offset.offset(1e-10));
        assertThat(r.ciHigh()).isCloseTo(1.00244276926521, Offset.offset(1e-10));
        assertThat(millis).as("time for n = 1e7 in ms").isLessThan(5000);
        // exact balance: m = n/2 = x -> p = 1
        assertThat(PoissonRateTest.twoSidedP(5_000_000, 1, 5_000_000, 1)).isEqualTo(1.0);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> PoissonRateTest.test(-1, 1, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoissonRateTest.test(1, 0, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoissonRateTest.test(1, 1, 2, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoissonRateTest.test(Integer.MAX_VALUE, 1, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneSampleRDocumentationExample() {
        // R's ?poisson.test: poisson.test(137, 24.19893) -> p-value < 2.2e-16,
        //   95% CI 4.753125 6.692709, event rate 5.661407.
        // 40-digit brute force of the definition with m = 24.19893: p = 2.8452272641144834e-56;
        // CI = qgamma(0.025, 137)/T, qgamma(0.975, 138)/T = 4.7531248048487507, 6.6927093341760737.
        PoissonRateTest.OneSampleResult r = PoissonRateTest.oneSample(137, 24.19893, 1);
        assertThat(r.pValue()).isLessThan(2.2e-16);
        assertThat(r.pValue()).isCloseTo(2.8452272641144834e-56, rel(1e-6));
        assertThat(r.rate()).isCloseTo(5.661407, within(5e-7));
        assertThat(r.ciLow()).isCloseTo(4.7531248048487507, rel(1e-9));
        assertThat(r.ciHigh()).isCloseTo(6.6927093341760737, rel(1e-9));
    }

    @Test
    void oneSampleHandExamples() {
        // poisson.test(0, 1, r = 3): m = 3, d = e^-3. pmf/e^-3 for i = 3..7: 4.5, 3.375, 2.025, 1.0125,
        //   0.434 -> first i >= 3 with pmf <= d is 7. p = P(X=0) + P(X>=7)
        //   = e^-3 + 1 - e^-3 (1 + 3 + 4.5 + 4.5 + 3.375 + 2.025 + 1.0125)
        //   = 0.049787068 + 1 - 0.966491465 = 0.08329560367670515.
        //   CI: [0, qgamma(0.975, 1)] = [0, -ln(0.025)] = [0, 3.6888794541139363].
        PoissonRateTest.OneSampleResult r = PoissonRateTest.oneSample(0, 1, 3);
        assertThat(r.pValue()).isCloseTo(0.08329560367670515, rel(1e-10));
        assertThat(r.ciLow()).isEqualTo(0.0);
        assertThat(r.ciHigh()).isCloseTo(-Math.log(0.025), rel(1e-10));
        // poisson.test(10, 2, r = 2): m = 4, x > m: p = 0.0081322427969338632 (40-digit brute force),
        //   rate 5, CI (2.3976943480662168, 9.1951780210088894).
        r = PoissonRateTest.oneSample(10, 2, 2);
        assertThat(r.pValue()).isCloseTo(0.0081322427969338632, rel(1e-9));
        assertThat(r.rate()).isEqualTo(5.0);
        assertThat(r.ciLow()).isCloseTo(2.3976943480662168, rel(1e-9));
        assertThat(r.ciHigh()).isCloseTo(9.1951780210088894, rel(1e-9));
        // poisson.test(2, 1, r = 6.5): x < m, p = 0.076915505961291193 (40-digit brute force).
        assertThat(PoissonRateTest.oneSample(2, 1, 6.5).pValue()).isCloseTo(0.076915505961291193, rel(1e-9));
        // m = 0: R returns (x == 0)
        assertThat(PoissonRateTest.oneSample(0, 1, 0).pValue()).isEqualTo(1.0);
        assertThat(PoissonRateTest.oneSample(1, 1, 0).pValue()).isEqualTo(0.0);
    }
}
