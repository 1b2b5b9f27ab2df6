package org.ilp.common.spatial;

import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
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

    static final StructType XY = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    static final StructType CELLS = new StructType().add("cell_id", DataTypes.LongType);

    static Map<Long, Double> surface(Grid grid, double h, long[] cells, double[] px, double[] py) {
        List<Row> pts = new ArrayList<>();
        for (int i = 0; i < px.length; i++) {
            pts.add(row(px[i], py[i]));
        }
        List<Row> cs = new ArrayList<>();
        for (long c : cells) {
            cs.add(row(c));
        }
        Dataset<Row> assigned = grid.assign(frame(XY, pts.toArray(Row[]::new)), "x", "y");
        Map<Long, Double> out = new HashMap<>();
        Kde.surface(frame(CELLS, cs.toArray(Row[]::new)), assigned, grid, h).collectAsList()
                .forEach(r -> out.put(r.getLong(0), r.getDouble(1)));
        return out;
    }

    /**
     * The density the jobs compute, by hand: a 100 m grid (metres), cell (0,0) has its centre at
     * (50,50); h = 100; points at distances 0, 50 (30,40 away), 100 (= h) and 500 from it:
     * f = (3 + 3·0.5625 + 0 + 0)/(π10⁴) = 4.6875/(π·10⁴) per m² = 149.2077591 per km². The cell
     * (10,10) (centre (1050,1050)) sees nothing: 0.
     */
    @Test
    void sparkSurfaceByHand() {
        Map<Long, Double> f = surface(new Grid("EPSG:27700", 1.0, 100), 100,
                new long[] {Grid.cellId(0, 0), Grid.cellId(10, 10)},
                new double[] {50, 80, 50, 550}, new double[] {50, 90, 150, 50});
        assertThat(f.get(Grid.cellId(0, 0))).isCloseTo(4.6875 / (Math.PI * 1e4) * 1e6, within(1e-9));
        assertThat(f.get(Grid.cellId(0, 0))).isCloseTo(149.2077591, within(1e-6));
        assertThat(f.get(Grid.cellId(10, 10))).isEqualTo(0.0);
        // in US feet (EPSG:3435): the same metres expressed in feet give the same density per km²
        double ft = 0.3048006096012192;
        Map<Long, Double> g = surface(new Grid("EPSG:3435", ft, 100), 100, new long[] {Grid.cellId(0, 0)},
                new double[] {50 / ft, 80 / ft, 50 / ft, 550 / ft}, new double[] {50 / ft, 90 / ft, 150 / ft, 50 / ft});
        assertThat(g.get(Grid.cellId(0, 0))).isCloseTo(149.2077591, within(1e-6));
    }

    /** Σ K over every point, by brute force (the reference the Spark pairing must equal). */
    static double bruteForce(double cx, double cy, double[] px, double[] py, double h) {
        double acc = 0;
        for (int i = 0; i < px.length; i++) {
            acc += Kde.quartic(Math.hypot(cx - px[i], cy - py[i]), h);
        }
        return acc * 1e6;
    }

    @Test
    void sparkSurfaceEqualsBruteForceOnRandomPoints() {
        Grid grid = new Grid("EPSG:27700", 1.0, 250);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        double[] px = new double[60];
        double[] py = new double[60];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextDouble(0, 2000);
            py[i] = rnd.nextDouble(0, 2000);
        }
        long[] cells = new long[64];
        for (int i = 0; i < 64; i++) {
            cells[i] = Grid.cellId(i / 8, i % 8);
        }
        Map<Long, Double> f = surface(grid, 600, cells, px, py);
        for (int i = 0; i < 64; i++) {
            double expected = bruteForce((i / 8 + 0.5) * 250, (i % 8 + 0.5) * 250, px, py, 600);
            assertThat(f.get(cells[i])).as("cell %d", i).isCloseTo(expected, within(1e-9));
        }
    }
}
