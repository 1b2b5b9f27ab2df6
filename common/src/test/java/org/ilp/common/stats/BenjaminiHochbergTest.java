package org.ilp.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {

    @Test
    void benjaminiHochberg1995WorkedExample() {
        // Benjamini & Hochberg (1995) §4: 15 p-values; at q = 0.05 the first four are rejected.
        double[] p = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
            0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};
        // By hand, 15 p_(j) / j:
        //  j=1 0.0015; j=2 0.003; j=3 0.0095; j=4 0.035625; j=5 0.0603; j=6 0.0695;
        //  j=7 0.447/7 = 0.0638571428...; j=8 0.0645; j=9 0.0765; j=10 0.486; j=11 6.393/11 = 0.5811818...;
        //  j=12 0.714875; j=13 9.792/13 = 0.7532307692...; j=14 11.385/14 = 0.8132142857...; j=15 1.
        // Running minimum from the top: j=6 takes min(0.0695, 0.0638571) = 0.0638571; all others
        // are already non-decreasing. (= R's p.adjust(p, "BH").)
        double[] expected = {0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.447 / 7, 0.447 / 7, 0.0645, 0.0765,
            0.486, 6.393 / 11, 0.714875, 9.792 / 13, 11.385 / 14, 1.0};
        double[] q = BenjaminiHochberg.qValues(p);
        for (int i = 0; i < p.length; i++) {
            assertThat(q[i]).as("q[%d]", i).isCloseTo(expected[i], within(1e-12));
        }
        long rejected = java.util.Arrays.stream(q).filter(v -> v <= 0.05).count();
        assertThat(rejected).isEqualTo(4);
    }

    @Test
    void smallHandExampleUnsortedWithTiesAndNaN() {
        // p = (0.04, NaN, 0.01, 0.03, 0.04, 0.5); m = 5 non-NaN values.
        // sorted: 0.01 (j=1), 0.03 (j=2), 0.04 (j=3), 0.04 (j=4), 0.5 (j=5)
        // 5 p/j: 0.05, 0.075, 0.0666..., 0.05, 0.5
        // running min from the top: j=5 0.5; j=4 0.05; j=3 min(0.0667, 0.05) = 0.05; j=2 min(0.075, 0.05)
        //   = 0.05; j=1 0.05. R: p.adjust(c(0.04, NA, 0.01, 0.03, 0.04, 0.5), "BH")
        //   = 0.05 NA 0.05 0.05 0.05 0.5
        double[] q = BenjaminiHochberg.qValues(new double[] {0.04, Double.NaN, 0.01, 0.03, 0.04, 0.5});
        assertThat(q[0]).isCloseTo(0.05, within(1e-15));
        assertThat(q[1]).isNaN();
        assertThat(q[2]).isCloseTo(0.05, within(1e-15));
        assertThat(q[3]).isCloseTo(0.05, within(1e-15));
        assertThat(q[4]).isCloseTo(0.05, within(1e-15));
        assertThat(q[5]).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void cappedAtOneAndEdgeCases() {
        // p = (0.9, 0.8): m = 2; 2*0.8/1 = 1.6 -> j=2: 2*0.9/2 = 0.9; j=1: min(1.6, 0.9) = 0.9.
        double[] q = BenjaminiHochberg.qValues(new double[] {0.9, 0.8});
        assertThat(q).containsExactly(0.9, 0.9);
        // p = (0.6, 0.0): j=1 2*0/1 = 0, j=2 0.6 -> (0.6, 0)
        assertThat(BenjaminiHochberg.qValues(new double[] {0.6, 0.0})).containsExactly(0.6, 0.0);
        // a single p-value is unchanged; empty and all-NaN inputs
        assertThat(BenjaminiHochberg.qValues(new double[] {0.3})).containsExactly(0.3);
        assertThat(BenjaminiHochberg.qValues(new double[0])).isEmpty();
        assertThat(BenjaminiHochberg.qValues(new double[] {Double.NaN})[0]).isNaN();
        // every value equal to 1 stays 1; values near 1 with large m never exceed 1
        assertThat(BenjaminiHochberg.qValues(new double[] {1, 1, 1})).containsExactly(1.0, 1.0, 1.0);
        assertThat(BenjaminiHochberg.qValues(new double[] {0.99, 0.2})).containsExactly(0.99, 0.4);
    }

    @Test
    void rejectsOutOfRange() {
        assertThatThrownBy(() -> BenjaminiHochberg.qValues(new double[] {0.1, 1.5}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenjaminiHochberg.qValues(new double[] {-0.01}))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
