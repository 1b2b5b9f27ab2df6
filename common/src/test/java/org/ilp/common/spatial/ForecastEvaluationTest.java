package org.ilp.common.spatial;

import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ilp.common.spatial.ForecastEvaluation.Result;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10 equal cells (id = index):
 * <pre>
 *   id      0    1    2    3    4    5    6    7     8    9
 *   score  0.9  0.1  0.5  0.5  0.3  0.8  0.2  0.05  0.7  0.4
 *   count   3    5    0    2    1    4    0    0     2    1     total = 18
 * </pre>
 * Ranking by score (ties by id): 0, 5, 8, 2, 3, 9, 4, 6, 1, 7.
 * Counts sorted descending: 5, 4, 3, 2, 2, 1, 1, 0, 0, 0.
 */
@ExtendWith(SparkTestSupport.class)
class ForecastEvaluationTest {

    private static final double[] SCORES = {0.9, 0.1, 0.5, 0.5, 0.3, 0.8, 0.2, 0.05, 0.7, 0.4};
    private static final long[] COUNTS = {3, 5, 0, 2, 1, 4, 0, 0, 2, 1};

    /**
     * c = 0.10: k = ⌈1.0⌉ = 1 → {0}, hits 3, hit rate 3/18 = 0.1667, PAI = 0.1667/0.1 = 1.6667,
     * best = 5 → PEI = 3/5 = 0.6 (PAI* = (5/18)/0.1 = 2.7778, 1.6667/2.7778 = 0.6).
     * c = 0.05 and 0.01 also select ⌈0.5⌉ = ⌈0.1⌉ = 1 cell: same numbers.
     */
    @Test
    void singleCellCoverage() {
        for (double c : new double[] {0.10, 0.05, 0.01}) {
            Result r = ForecastEvaluation.evaluate(SCORES, COUNTS, c);
            assertThat(r.coverage()).isEqualTo(c);
            assertThat(r.cellsSelected()).isEqualTo(1);
            assertThat(r.hits()).isEqualTo(3);
            assertThat(r.totalEvents()).isEqualTo(18);
            assertThat(r.hitRate()).isCloseTo(3.0 / 18, within(1e-15));
            assertThat(r.pai()).isCloseTo(1.6666667, within(1e-7));
            assertThat(r.pei()).isCloseTo(0.6, within(1e-15));
        }
    }

    /**
     * c = 0.3: k = 3 → {0, 5, 8}, hits 3 + 4 + 2 = 9, hit rate 0.5, PAI = 0.5/0.3 = 1.6667,
     * best 3 = 5 + 4 + 3 = 12 → PEI = 9/12 = 0.75.
     * c = 0.4: k = 4 → adds cell 2 (score 0.5 tie with 3, lower id first) with 0 events:
     * hits 9, hit rate 0.5, PAI = 1.25, best 4 = 14 → PEI = 9/14 = 0.642857.
     * (Breaking the tie the other way would give 11 hits.)
     */
    @Test
    void multiCellCoverageAndTies() {
        Result r3 = ForecastEvaluation.evaluate(SCORES, COUNTS, 0.3);
        assertThat(r3.cellsSelected()).isEqualTo(3);
        assertThat(r3.hits()).isEqualTo(9);
        assertThat(r3.hitRate()).isCloseTo(0.5, within(1e-15));
        assertThat(r3.pai()).isCloseTo(0.5 / 0.3, within(1e-12));
        assertThat(r3.pei()).isCloseTo(0.75, within(1e-15));

        Result r4 = ForecastEvaluation.evaluate(SCORES, COUNTS, 0.4);
        assertThat(r4.cellsSelected()).isEqualTo(4);
        assertThat(r4.hits()).isEqualTo(9);
        assertThat(r4.pai()).isCloseTo(1.25, within(1e-12));
        assertThat(r4.pei()).isCloseTo(9.0 / 14, within(1e-15));

        // explicit ids: give cell 3 the smaller id, now it wins the tie → 9 + 2 = 11 hits
        long[] ids = {10, 11, 13, 12, 14, 15, 16, 17, 18, 19};
        Result swapped = ForecastEvaluation.evaluate(ids, SCORES, COUNTS, 0.4);
        assertThat(swapped.hits()).isEqualTo(11);
        assertThat(swapped.pei()).isCloseTo(11.0 / 14, within(1e-15));

        // full coverage: hit rate 1, PAI 1, PEI 1
        Result all = ForecastEvaluation.evaluate(SCORES, COUNTS, 1.0);
        assertThat(all.hitRate()).isEqualTo(1.0);
        assertThat(all.pai()).isEqualTo(1.0);
        assertThat(all.pei()).isEqualTo(1.0);
    }

    @Test
    void edgeCases() {
        Result none = ForecastEvaluation.evaluate(SCORES, new long[10], 0.1);
        assertThat(none.totalEvents()).isZero();
        assertThat(none.hits()).isZero();
        assertThat(none.hitRate()).isNaN();
        assertThat(none.pai()).isNaN();
        assertThat(none.pei()).isNaN();
        // 0.07·100 = 7.000000000000001 in binary floating point; k must be 7
        assertThat(ForecastEvaluation.selectedCells(0.07, 100)).isEqualTo(7);
        assertThat(ForecastEvaluation.selectedCells(0.05, 1001)).isEqualTo(51);   // ⌈50.05⌉
        // NaN scores rank last
        Result nan = ForecastEvaluation.evaluate(new double[] {Double.NaN, 0.1, 0.2},
                new long[] {9, 1, 2}, 0.34);                                       // k = ⌈1.02⌉ = 2
        assertThat(nan.cellsSelected()).isEqualTo(2);
        assertThat(nan.hits()).isEqualTo(3);
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(SCORES, COUNTS, 0.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(SCORES, COUNTS, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(SCORES, new long[3], 0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The Spark path the forecast job uses: the same 10 cells as one (as-of, method) group, plus a
     * second method whose scores are all null (a method that does not apply to month-only sources)
     * and must yield no rows. At c = 0.3: k = 3 → cells 0, 5, 8, hits 3 + 4 + 2 = 9, hit rate 0.5,
     * PAI 0.5/0.3 = 1.6667, best 5 + 4 + 3 = 12, PEI 0.75.
     */
    @Test
    void sparkEvaluationCallsThisImplementationPerGroup() {
        StructType s = new StructType().add("as_of", DataTypes.DateType).add("cell_id", DataTypes.LongType)
                .add("actual", DataTypes.LongType).add("good", DataTypes.DoubleType).add("none", DataTypes.DoubleType);
        java.sql.Date d = java.sql.Date.valueOf("2024-01-01");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row(d, (long) i, COUNTS[i], SCORES[i], null));
        }
        List<Row> out = ForecastEvaluation.evaluate(frame(s, rows.toArray(Row[]::new)), List.of("good", "none"),
                new double[] {0.3, 0.1}).orderBy("coverage").collectAsList();
        assertThat(out).hasSize(2);
        Row r1 = out.get(0);
        assertThat(r1.getString(1)).isEqualTo("good");
        assertThat(r1.getLong(3)).isEqualTo(1);
        assertThat(r1.getLong(4)).isEqualTo(3);
        assertThat(r1.getDouble(7)).isCloseTo(1.6666667, within(1e-7));
        Row r3 = out.get(1);
        assertThat(r3.getDouble(2)).isEqualTo(0.3);
        assertThat(r3.getLong(3)).isEqualTo(3);
        assertThat(r3.getLong(4)).isEqualTo(9);
        assertThat(r3.getLong(5)).isEqualTo(18);
        assertThat(r3.getDouble(6)).isCloseTo(0.5, within(1e-15));
        assertThat(r3.getDouble(7)).isCloseTo(0.5 / 0.3, within(1e-12));
        assertThat(r3.getDouble(8)).isCloseTo(0.75, within(1e-15));
    }
}
