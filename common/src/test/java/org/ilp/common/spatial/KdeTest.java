package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KdeTest {

    /**
     * h = 100: K(0) = 3/(π·10⁴) = 9.5492966e−5;
     * K(50) = 3/(π·10⁴)·(1 − 0.25)² = 3/(π·10⁴)·0.5625 = 27/(16π·10⁴) = 5.3714793e−5;
     * K(100) = 0 (boundary excluded: 1 − 1 = 0 anyway), K(150) = 0.
     */
    @Test
    void kernelValuesByHand() {
        assertThat(Kde.quartic(0, 100)).isCloseTo(9.5492966e-5, within(1e-12));
        assertThat(Kde.quartic(0, 100)).isCloseTo(3 / (Math.PI * 1e4), within(1e-18));
        assertThat(Kde.quartic(50, 100)).isCloseTo(5.3714793e-5, within(1e-12));
        assertThat(Kde.quartic(50, 100)).isCloseTo(27 / (16 * Math.PI * 1e4), within(1e-18));
        assertThat(Kde.quartic(-50, 100)).isEqualTo(Kde.quartic(50, 100));
        assertThat(Kde.quartic(100, 100)).isEqualTo(0.0);
        assertThat(Kde.quartic(150, 100)).isEqualTo(0.0);
        assertThat(Kde.quartic(1, 0)).isNaN();
        assertThat(Kde.quartic(Double.NaN, 1)).isNaN();
    }

    /**
     * ∫∫ K = ∫₀ʰ 2πr·3/(πh²)(1 − r²/h²)² dr = 1 analytically; midpoint rule on a 400×400
     * grid over [−h, h]² (cell h/200) must give 1 within 1e−4, for two bandwidths.
     */
    @Test
    void kernelIntegratesToOne() {
        for (double h : new double[] {1.0, 250.0}) {
            int m = 400;
            double step = 2 * h / m;
            double acc = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double x = -h + (i + 0.5) * step;
                    double y = -h + (j + 0.5) * step;
                    acc += Kde.quartic(Math.hypot(x, y), h);
                }
            }
            assertThat(acc * step * step).isCloseTo(1.0, within(1e-4));
        }
    }

    /**
     * Centre (0,0), h = 100; points (0,0) w=1, (30,40) w=2 (d = 50), (0,100) w=1 (d = h) and
     * (500,0) w=7 (far): f = 1·3/(π10⁴) + 2·27/(16π10⁴) + 0 + 0 = (3 + 3.375)/(π10⁴)
     * = 6.375/(π·10⁴) = 2.0292255e−4. Second centre (1000,1000) sees nothing: 0.
     * With null weights: (3 + 1.6875)/(π10⁴) = 1.4920776e−4.
     */
    @Test
    void densityByHand() {
        double[] px = {0, 30, 0, 500};
        double[] py = {0, 40, 100, 0};
        double[] w = {1, 2, 1, 7};
        double[] f = Kde.densityAt(new double[] {0, 1000}, new double[] {0, 1000}, px, py, w, 100);
        assertThat(f[0]).isCloseTo(6.375 / (Math.PI * 1e4), within(1e-15));
        assertThat(f[0]).isCloseTo(2.0292255e-4, within(1e-11));
        assertThat(f[1]).isEqualTo(0.0);
        double[] g = Kde.densityAt(new double[] {0}, new double[] {0}, px, py, null, 100);
        assertThat(g[0]).isCloseTo(4.6875 / (Math.PI * 1e4), within(1e-15));
        assertThat(g[0]).isCloseTo(1.4920776e-4, within(1e-11));
        assertThatThrownBy(() -> Kde.densityAt(new double[1], new double[2], px, py, w, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kde.densityAt(new double[1], new double[1], px, py, w, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
