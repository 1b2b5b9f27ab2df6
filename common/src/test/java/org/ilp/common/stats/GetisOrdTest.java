package org.ilp.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GetisOrdTest {

    /*
     * Hand-built 5x5 grid with a hot centre:
     *
     *     1 1 1 1 1
     *     1 2 2 2 1
     *     1 2 9 2 1
     *     1 2 2 2 1
     *     1 1 1 1 1
     *
     * n = 25; sum x = 16*1 + 8*2 + 9 = 41 -> xbar = 41/25 = 1.64
     * sum x^2 = 16 + 32 + 81 = 129 -> sum x^2 / n = 5.16; S^2 = 5.16 - 1.64^2 = 5.16 - 2.6896 = 2.4704
     *   (= 1544/625), S = 1.571750...
     */
    private static final double[][] GRID = {
        {1, 1, 1, 1, 1},
        {1, 2, 2, 2, 1},
        {1, 2, 9, 2, 1},
        {1, 2, 2, 2, 1},
        {1, 1, 1, 1, 1},
    };
    private static final double MEAN = 1.64;
    private static final double S = Math.sqrt(2.4704);

    @Test
    void meanAndSOfTheGrid() {
        double sum = 0;
        double sq = 0;
        for (double[] row : GRID) {
            for (double v : row) {
                sum += v;
                sq += v * v;
            }
        }
        assertThat(sum / 25).isCloseTo(MEAN, within(1e-15));
        assertThat(Math.sqrt(sq / 25 - MEAN * MEAN)).isCloseTo(S, within(1e-12));
    }

    @Test
    void centreCellOfHotGrid() {
        // Centre (2,2), queen 3x3 neighbourhood incl. itself: 8*2 + 9 = 25, W = 9.
        // numerator = 25 - 1.64*9 = 25 - 14.76 = 10.24
        // n W - W^2 = 225 - 81 = 144; 144/(n-1) = 144/24 = 6 -> denominator = S sqrt(6) = sqrt(14.8224)
        // Gi* = 10.24 / sqrt(14.8224) = (256/25)/sqrt(9264/625) = 256/sqrt(9264) = 64/sqrt(579)
        //     = 2.659749231754825;  two-sided p = 2(1 - Phi(2.6597)) = 0.007819884981521879
        double z = GetisOrd.z(25, 9, MEAN, S, 25);
        assertThat(z).isCloseTo(64 / Math.sqrt(579), within(1e-12));
        assertThat(z).isCloseTo(2.659749231754825, within(1e-12));
        assertThat(GetisOrd.twoSidedP(z)).isCloseTo(0.007819884981521879, within(1e-12));
    }

    @Test
    void cornerCellOfHotGrid() {
        // Corner (0,0): neighbourhood (0,0),(0,1),(1,0),(1,1) = 1 + 1 + 1 + 2 = 5, W = 4.
        // numerator = 5 - 1.64*4 = 5 - 6.56 = -1.56
        // n W - W^2 = 100 - 16 = 84; 84/24 = 3.5 -> denominator = sqrt(2.4704 * 3.5) = sqrt(8.6464)
        // Gi* = -1.56 / sqrt(8.6464) = -39/sqrt(5404) = -0.5305263227461696
        // two-sided p = 0.5957470634848219
        double z = GetisOrd.z(5, 4, MEAN, S, 25);
        assertThat(z).isCloseTo(-39 / Math.sqrt(5404), within(1e-12));
        assertThat(z).isCloseTo(-0.5305263227461696, within(1e-12));
        assertThat(GetisOrd.twoSidedP(z)).isCloseTo(0.5957470634848219, within(1e-12));
    }

    @Test
    void undefinedCasesReturnNaN() {
        // no variation: S = 0
        assertThat(GetisOrd.z(9, 9, 1, 0, 25)).isNaN();
        // neighbourhood = whole grid: n W - W^2 = 25*25 - 625 = 0
        assertThat(GetisOrd.z(41, 25, MEAN, S, 25)).isNaN();
        // on a 2x2 grid every queen neighbourhood is the whole grid: W = n = 4
        assertThat(GetisOrd.z(10, 4, 2.5, Math.sqrt(1.25), 4)).isNaN();
        assertThat(GetisOrd.twoSidedP(Double.NaN)).isNaN();
    }

    @Test
    void pValueReference() {
        // 2(1 - Phi(1.959963984540054)) = 0.05; z = 0 -> 1; symmetric in the sign of z.
        assertThat(GetisOrd.twoSidedP(1.959963984540054)).isCloseTo(0.05, within(1e-12));
        assertThat(GetisOrd.twoSidedP(-1.959963984540054)).isCloseTo(0.05, within(1e-12));
        assertThat(GetisOrd.twoSidedP(0)).isEqualTo(1.0);
    }

    @Test
    void invalidArgumentsAreFlaggedNotThrown() {
        // the job computes z for every cell of a grid: an impossible neighbourhood is a NaN flag, never an exception
        assertThat(GetisOrd.z(1, 0, 1, 1, 10)).isNaN();      // W = 0
        assertThat(GetisOrd.z(1, 11, 1, 1, 10)).isNaN();     // W > n
        assertThat(GetisOrd.z(1, 1, 1, 1, 1)).isNaN();       // n = 1
        assertThat(GetisOrd.z(1, 1, 1, -1, 10)).isNaN();     // S < 0
        assertThat(GetisOrd.z(Double.NaN, 2, 1, 1, 10)).isNaN();
        assertThat(GetisOrd.denominator(9, Math.sqrt(2.4704), 25)).isCloseTo(Math.sqrt(14.8224), within(1e-12));
    }
}
