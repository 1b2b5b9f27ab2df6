package org.ilp.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MannKendallTest {

    @Test
    void handExampleWithOneTie() {
        // x = (1, 3, 2, 3, 5, 4), time index 1..6.
        // S by rows (sign(x_j - x_i), j > i):
        //   i=1 (1): +,+,+,+,+       = +5
        //   i=2 (3): -,0,+,+         = +1
        //   i=3 (2): +,+,+           = +3
        //   i=4 (3): +,+             = +2
        //   i=5 (5): -               = -1      S = 10
        // Ties: the value 3 twice (t = 2): 2*1*9 = 18. n(n-1)(2n+5) = 6*5*17 = 510.
        // Var(S) = (510 - 18)/18 = 82/3 = 27.333...; sqrt = 5.2281290471...
        // Z = (10 - 1)/sqrt(82/3) = 1.7214571252710134; p = 2(1 - Phi(Z)) = 0.0851679058839559
        //   (trend::mk.test in R uses these same formulas, so trend::mk.test(c(1,3,2,3,5,4)) reports
        //   z = 1.7215, p-value = 0.08517; trend::sens.slope the interval below).
        // tau = 10 / 15 = 0.6666...
        // Slopes (x_j - x_i)/(j - i):
        //   i=1: 2/1, 1/2, 2/3, 4/4, 3/5 = 2, 0.5, 0.667, 1, 0.6
        //   i=2: -1/1, 0/2, 2/3, 1/4     = -1, 0, 0.667, 0.25
        //   i=3: 1/1, 3/2, 2/3           = 1, 1.5, 0.667
        //   i=4: 2/1, 1/2                = 2, 0.5
        //   i=5: -1/1                    = -1
        // sorted (N' = 15): -1, -1, 0, 0.25, 0.5, 0.5, 0.6, 2/3, 2/3, 2/3, 1, 1, 1.5, 2, 2
        // Sen = 8th = 2/3.
        // 95%: C = 1.959964 * 5.228129 = 10.246945; M1 = (15 - C)/2 = 2.3765 -> rank 2 -> -1;
        //      M2 + 1 = (15 + C)/2 + 1 = 13.6235 -> rank 14 -> 2.      CI = [-1, 2]
        // 90%: C = 1.644854 * 5.228129 = 8.599507; M1 = 3.2002 -> rank 3 -> 0;
        //      M2 + 1 = 12.7998 -> rank 13 -> 1.5.                     CI = [0, 1.5]
        double[] x = {1, 3, 2, 3, 5, 4};
        MannKendall.Result r = MannKendall.test(x);
        assertThat(r.n()).isEqualTo(6);
        assertThat(r.s()).isEqualTo(10);
        assertThat(r.varS()).isCloseTo(82.0 / 3, within(1e-12));
        assertThat(r.z()).isCloseTo(1.7214571252710134, within(1e-12));
        assertThat(r.pValue()).isCloseTo(0.0851679058839559, within(1e-12));
        assertThat(r.tau()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(r.senSlope()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(r.senLow()).isEqualTo(-1.0);
        assertThat(r.senHigh()).isEqualTo(2.0);
        MannKendall.Result r90 = MannKendall.test(x, 0.10);
        assertThat(r90.senLow()).isEqualTo(0.0);
        assertThat(r90.senHigh()).isEqualTo(1.5);
        assertThat(r90.pValue()).isEqualTo(r.pValue());
    }

    @Test
    void strictlyIncreasingSeries() {
        // x_i = i, n = 10: S = 45, Var(S) = 10*9*25/18 = 125, Z = 44/sqrt(125) = 3.9354796403996297,
        // p = 2(1 - Phi(Z)) = 8.303070332644974e-05, tau = 1, every slope = 1 so Sen = CI = 1.
        double[] x = new double[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i + 1;
        }
        MannKendall.Result r = MannKendall.test(x);
        assertThat(r.s()).isEqualTo(45);
        assertThat(r.varS()).isEqualTo(125.0);
        assertThat(r.z()).isCloseTo(3.9354796403996297, within(1e-12));
        assertThat(r.pValue()).isCloseTo(8.303070332644974e-05, within(1e-15));
        assertThat(r.tau()).isEqualTo(1.0);
        assertThat(r.senSlope()).isEqualTo(1.0);
        assertThat(r.senLow()).isEqualTo(1.0);
        assertThat(r.senHigh()).isEqualTo(1.0);
        // Reversed series: S = -45, Z = (S + 1)/sqrt(125) = -3.93548, same p, slope -1.
        double[] rev = new double[10];
        for (int i = 0; i < 10; i++) {
            rev[i] = 10 - i;
        }
        MannKendall.Result d = MannKendall.test(rev);
        assertThat(d.s()).isEqualTo(-45);
        assertThat(d.z()).isCloseTo(-3.9354796403996297, within(1e-12));
        assertThat(d.pValue()).isCloseTo(r.pValue(), within(1e-15));
        assertThat(d.senSlope()).isEqualTo(-1.0);
    }

    @Test
    void allTiedSeries() {
        // (5,5,5,5): S = 0; one tie group t = 4 -> Var = (4*3*13 - 4*3*13)/18 = 0; Z := 0, p = 1;
        // all 6 slopes 0; C = 0 -> ranks round(3) = 3 and round(4) = 4 -> [0, 0].
        MannKendall.Result r = MannKendall.test(new double[] {5, 5, 5, 5});
        assertThat(r.s()).isZero();
        assertThat(r.varS()).isZero();
        assertThat(r.z()).isZero();
        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.tau()).isZero();
        assertThat(r.senSlope()).isZero();
        assertThat(r.senLow()).isZero();
        assertThat(r.senHigh()).isZero();
    }

    @Test
    void threePointsHaveNoAttainableInterval() {
        // (2, 1, 4): S = -1 + 1 + 1 = 1, Var = 3*2*11/18 = 11/3, Z = 0 (S - 1 = 0), p = 1.
        // slopes: (1-2)/1 = -1, (4-2)/2 = 1, (4-1)/1 = 3 -> Sen = 1.
        // C = 1.96 * sqrt(11/3) = 3.753; ranks round(-0.38) = 0 and round(4.38) = 4 lie outside 1..3 -> NaN.
        MannKendall.Result r = MannKendall.test(new double[] {2, 1, 4});
        assertThat(r.s()).isEqualTo(1);
        assertThat(r.varS()).isCloseTo(11.0 / 3, within(1e-12));
        assertThat(r.z()).isZero();
        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.senSlope()).isEqualTo(1.0);
        assertThat(r.senLow()).isNaN();
        assertThat(r.senHigh()).isNaN();
    }

    @Test
    void missingValuesKeepTheirTimePositions() {
        // (1, NaN, 2, 3): n = 3 observed at t = 0, 2, 3. S = 3, Var = 11/3, Z = 2/sqrt(11/3) = 1.044466
        // slopes: (2-1)/2 = 0.5, (3-1)/3 = 0.6667, (3-2)/1 = 1 -> Sen = 2/3.
        MannKendall.Result r = MannKendall.test(new double[] {1, Double.NaN, 2, 3});
        assertThat(r.n()).isEqualTo(3);
        assertThat(r.s()).isEqualTo(3);
        assertThat(r.z()).isCloseTo(2 / Math.sqrt(11.0 / 3), within(1e-12));
        assertThat(r.senSlope()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void tooShortSeries() {
        // n = 2: S = 1, Var = 2*1*9/18 = 1, tau = 1, Sen = 3 (single slope); no test: z, p, CI NaN.
        MannKendall.Result two = MannKendall.test(new double[] {1, 4});
        assertThat(two.n()).isEqualTo(2);
        assertThat(two.s()).isEqualTo(1);
        assertThat(two.varS()).isEqualTo(1.0);
        assertThat(two.tau()).isEqualTo(1.0);
        assertThat(two.senSlope()).isEqualTo(3.0);
        assertThat(two.z()).isNaN();
        assertThat(two.pValue()).isNaN();
        assertThat(two.senLow()).isNaN();
        MannKendall.Result none = MannKendall.test(new double[] {Double.NaN});
        assertThat(none.n()).isZero();
        assertThat(none.s()).isZero();
        assertThat(none.varS()).isZero();
        assertThat(none.tau()).isNaN();
        assertThat(none.senSlope()).isNaN();
        assertThat(none.pValue()).isNaN();
        assertThat(MannKendall.test(new double[0]).pValue()).isNaN();
    }

    @Test
    void tieCorrectionWithSeveralGroups() {
        // (1, 1, 2, 2, 2, 3): S by rows: i=1: 0,+,+,+,+ = 4; i=2: +,+,+,+ = 4; i=3: 0,0,+ = 1;
        //   i=4: 0,+ = 1; i=5: + = 1 -> S = 11.
        // ties: t=2 -> 2*1*9 = 18; t=3 -> 3*2*11 = 66; n term 510 -> Var = (510 - 84)/18 = 23.6667.
        // Z = 10/sqrt(23.6667) = 2.0555661, tau = 11/15.
        MannKendall.Result r = MannKendall.test(new double[] {1, 1, 2, 2, 2, 3});
        assertThat(r.s()).isEqualTo(11);
        assertThat(r.varS()).isCloseTo(426.0 / 18, within(1e-12));
        assertThat(r.z()).isCloseTo(10 / Math.sqrt(426.0 / 18), within(1e-12));
        assertThat(r.tau()).isCloseTo(11.0 / 15, within(1e-15));
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> MannKendall.test(new double[] {1, Double.POSITIVE_INFINITY, 2}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MannKendall.test(new double[] {1, 2, 3}, 1.0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publishedWorkedExampleByHand() {
        // "A Mann-Kendall Example (by hand)", College of the Holy Cross (mathcs.holycross.edu/~little/Montserrat/
        // MannKendallByHand.txt): 14 values, 72 increases, 18 decreases, one tie -> S = 54;
        // V = 14*13*33/18 - 2*1*9/18 = 332.667; Z = (S - 1)/sqrt(V) = 2.9058; one-sided p = 0.0018.
        double[] y = {12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7};
        MannKendall.Result r = MannKendall.test(y);
        assertThat(r.s()).isEqualTo(54);
        assertThat(r.varS()).isCloseTo(14.0 * 13 * 33 / 18 - 2.0 * 1 * 9 / 18, within(1e-9));
        assertThat(r.z()).isCloseTo(2.9058, within(5e-5));
        assertThat(r.pValue() / 2).isCloseTo(0.0018, within(5e-5));
        // Sen's slope: the median of the 90 pairwise slopes with distinct values (and the tie's 0), by brute force
        java.util.List<Double> slopes = new java.util.ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            for (int j = i + 1; j < y.length; j++) {
                slopes.add((y[j] - y[i]) / (j - i));
            }
        }
        java.util.Collections.sort(slopes);
        double median = slopes.get(45); // 91 slopes: the 46th
        assertThat(r.senSlope()).isCloseTo(median, within(1e-12));
    }
}
