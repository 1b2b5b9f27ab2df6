package org.ilp.common.spatial;

import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
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
     * The risk the forecast job computes, by hand: 50 m grid, cell (0,0) has its centre at (25,25);
     * as-of 2024-03-01, defaults (400 m, 56 days). Events (offset from the centre, age):
     * (+30,+40) d = 50 m = 1 cell, 3 d (0 wk)  → 1/2 · 1   = 0.5
     * (0,−150)  d = 3 cells, 15 d (2 wk)       → 1/4 · 1/3 = 1/12
     * (+300,0)  d = 6 cells, 49 d (7 wk)       → 1/7 · 1/8 = 1/56
     * (+500,0)  d &gt; 400 m                      → 0
     * (0,0)     60 d &gt; 56                       → 0
     * (0,0)     on the as-of day (not yet known) → 0
     * risk = 0.5 + 0.0833333 + 0.0178571 = 0.6011905
     */
    @Test
    void sparkRiskByHand() {
        StructType s = new StructType().add("day", DataTypes.DateType).add("x", DataTypes.DoubleType)
                .add("y", DataTypes.DoubleType);
        LocalDate asOf = LocalDate.of(2024, 3, 1);
        Object[][] ev = {{3, 55.0, 65.0}, {15, 25.0, -125.0}, {49, 325.0, 25.0}, {1, 525.0, 25.0}, {60, 25.0, 25.0},
            {0, 25.0, 25.0}};
        List<Row> rows = new ArrayList<>();
        for (Object[] e : ev) {
            rows.add(row(Date.valueOf(asOf.minusDays((Integer) e[0])), e[1], e[2]));
        }
        Grid grid = new Grid("EPSG:27700", 1.0, 50);
        Map<Long, Double> risk = new HashMap<>();
        Prospective.risk(grid.assign(frame(s, rows.toArray(Row[]::new)), "x", "y"), grid, asOf,
                Prospective.DEFAULT_BAND_M, Prospective.DEFAULT_MAX_AGE_DAYS).collectAsList()
                .forEach(r -> risk.put(r.getLong(0), r.getDouble(1)));
        assertThat(risk.get(Grid.cellId(0, 0))).isCloseTo(0.5 + 1.0 / 12 + 1.0 / 56, within(1e-12));
        assertThat(risk.get(Grid.cellId(0, 0))).isCloseTo(0.6011905, within(1e-7));
        // cell (10,0), centre (525,25): the 1-day-old event lies on it → 1; the 49-day-old one is 200 m
        // (4 cells) away → 1/5 · 1/8; the others are beyond 400 m or too old → 1.025
        assertThat(risk.get(Grid.cellId(10, 0))).isCloseTo(1.0 + 1.0 / (1 + 200.0 / 50) / 8, within(1e-12));
    }
}
