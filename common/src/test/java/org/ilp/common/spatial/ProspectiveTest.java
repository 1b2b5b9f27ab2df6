package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProspectiveTest {

    /**
     * 50 m cells, D = 400 m, Tmax = 56 days (Bowers et al. 2004 defaults):
     * d = 0, age 0           → 1/(1+0)·1/(1+0) = 1
     * d = 100 m (2 cells), age 10 d (1 whole week) → 1/3 · 1/2 = 1/6
     * d = 75 m (1.5 cells), age 6.9 d (0 weeks)    → 1/2.5 · 1 = 0.4
     * d = 400 m (8 cells), age 56 d (8 weeks)      → 1/9 · 1/9 = 1/81 (both bounds inclusive)
     * d = 400.01 m → 0; age 56.01 d → 0; age −1 d (future) → 0
     */
    @Test
    void weightsByHand() {
        assertThat(Prospective.weight(0, 0, 50)).isEqualTo(1.0);
        assertThat(Prospective.weight(100, 10, 50)).isCloseTo(1.0 / 6.0, within(1e-15));
        assertThat(Prospective.weight(75, 6.9, 50)).isCloseTo(0.4, within(1e-15));
        assertThat(Prospective.weight(400, 56, 50)).isCloseTo(1.0 / 81.0, within(1e-15));
        assertThat(Prospective.weight(400.01, 0, 50)).isEqualTo(0.0);
        assertThat(Prospective.weight(0, 56.01, 50)).isEqualTo(0.0);
        assertThat(Prospective.weight(0, -1, 50)).isEqualTo(0.0);
        // explicit bandwidths: 100 m cells, D = 200, Tmax = 14: d = 150 (1.5 cells), 13 d (1 wk)
        // → 1/2.5 · 1/2 = 0.2
        assertThat(Prospective.weight(150, 13, 100, 200, 14)).isCloseTo(0.2, within(1e-15));
        assertThat(Prospective.weight(Double.NaN, 1, 50)).isNaN();
        assertThatThrownBy(() -> Prospective.weight(-1, 0, 50))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Prospective.weight(1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Cell centre (0,0), 50 m cells, defaults. Events:
     * (30,40)  d = 50 m = 1 cell, age 3 d (0 wk)   → 1/2 · 1   = 0.5
     * (0,−150) d = 3 cells,        age 15 d (2 wk) → 1/4 · 1/3 = 1/12
     * (300,0)  d = 6 cells,        age 49 d (7 wk) → 1/7 · 1/8 = 1/56
     * (500,0)  d &gt; 400 m                           → 0
     * (0,0)    age 60 d &gt; 56                        → 0
     * risk = 0.5 + 0.0833333 + 0.0178571 = 0.6011905
     */
    @Test
    void riskByHand() {
        double risk = Prospective.risk(0, 0,
                new double[] {30, 0, 300, 500, 0},
                new double[] {40, -150, 0, 0, 0},
                new double[] {3, 15, 49, 1, 60},
                50, Prospective.DEFAULT_BAND_M, Prospective.DEFAULT_MAX_AGE_DAYS);
        assertThat(risk).isCloseTo(0.5 + 1.0 / 12 + 1.0 / 56, within(1e-12));
        assertThat(risk).isCloseTo(0.6011905, within(1e-7));
    }
}
