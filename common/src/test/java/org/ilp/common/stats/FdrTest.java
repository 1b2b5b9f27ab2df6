package org.ilp.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Fdr#bh}, the one Benjamini–Hochberg implementation, on small frames with published and hand values. */
@ExtendWith(SparkTestSupport.class)
class FdrTest {
  static final StructType P = new StructType().add("id", DataTypes.IntegerType).add("family", DataTypes.StringType)
      .add("p", DataTypes.DoubleType);

  /** q-values in id order. */
  static List<Double> q(List<String> family, Object[]... rows) {
    List<Row> r = new ArrayList<>();
    for (Object[] o : rows) {
      r.add(row(o));
    }
    Dataset<Row> out = Fdr.bh(frame(P, r.toArray(Row[]::new)), "p", "q", family, "id").orderBy("id");
    List<Double> qs = new ArrayList<>();
    out.select("q").collectAsList().forEach(x -> qs.add(x.isNullAt(0) ? null : x.getDouble(0)));
    return qs;
  }

  static Object[][] column(double... p) {
    Object[][] rows = new Object[p.length][];
    for (int i = 0; i < p.length; i++) {
      rows[i] = new Object[] {i, "a", Double.isNaN(p[i]) ? null : p[i]};
    }
    return rows;
  }

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
    List<Double> q = q(List.of(), column(p));
    for (int i = 0; i < p.length; i++) {
      assertThat(q.get(i)).as("q[%d]", i).isCloseTo(expected[i], within(1e-12));
    }
    assertThat(q.stream().filter(v -> v <= 0.05).count()).isEqualTo(4);
  }

  @Test
  void smallHandExampleUnsortedWithTiesAndNull() {
    // p = (0.04, NA, 0.01, 0.03, 0.04, 0.5); m = 5 non-null values.
    // sorted: 0.01 (j=1), 0.03 (j=2), 0.04 (j=3), 0.04 (j=4), 0.5 (j=5); 5 p/j: 0.05, 0.075, 0.0666..., 0.05, 0.5
    // running min from the top: 0.5, 0.05, 0.05, 0.05, 0.05. R: p.adjust(c(0.04, NA, 0.01, 0.03, 0.04, 0.5), "BH")
    //   = 0.05 NA 0.05 0.05 0.05 0.5
    List<Double> q = q(List.of(), column(0.04, Double.NaN, 0.01, 0.03, 0.04, 0.5));
    assertThat(q.get(0)).isCloseTo(0.05, within(1e-15));
    assertThat(q.get(1)).isNull();
    assertThat(q.get(2)).isCloseTo(0.05, within(1e-15));
    assertThat(q.get(3)).isCloseTo(0.05, within(1e-15));
    assertThat(q.get(4)).isCloseTo(0.05, within(1e-15));
    assertThat(q.get(5)).isCloseTo(0.5, within(1e-15));
  }

  @Test
  void cappedAtOneAndEdgeCases() {
    // p = (0.9, 0.8): m = 2; j=2: 2*0.9/2 = 0.9; j=1: min(2*0.8/1 = 1.6, 0.9) = 0.9.
    assertThat(q(List.of(), column(0.9, 0.8))).containsExactly(0.9, 0.9);
    // p = (0.6, 0.0): j=1 2*0/1 = 0, j=2 0.6 -> (0.6, 0)
    assertThat(q(List.of(), column(0.6, 0.0))).containsExactly(0.6, 0.0);
    // a single p-value is unchanged; all-null stays null; ones stay one; (0.99, 0.2) -> (0.99, 0.4)
    assertThat(q(List.of(), column(0.3))).containsExactly(0.3);
    assertThat(q(List.of(), column(Double.NaN))).containsExactly((Double) null);
    assertThat(q(List.of(), column(1, 1, 1))).containsExactly(1.0, 1.0, 1.0);
    assertThat(q(List.of(), column(0.99, 0.2))).containsExactly(0.99, 0.4);
  }

  @Test
  void familiesAreAdjustedSeparately() {
    // family a: (0.01, 0.04) -> 2*0.01/1 = 0.02, 2*0.04/2 = 0.04; family b alone: 0.03 stays 0.03.
    // As one family of 3: sorted 0.01, 0.03, 0.04 -> 0.03, 0.045, 0.04 -> running min 0.03, 0.04, 0.04.
    Object[][] rows = {{0, "a", 0.01}, {1, "a", 0.04}, {2, "b", 0.03}};
    assertThat(q(List.of("family"), rows)).containsExactly(0.02, 0.04, 0.03);
    List<Double> one = q(List.of(), rows);
    assertThat(one.get(0)).isCloseTo(0.03, within(1e-15));
    assertThat(one.get(1)).isCloseTo(0.04, within(1e-15));
    assertThat(one.get(2)).isCloseTo(0.04, within(1e-15));
  }

  @Test
  void rejectsOutOfRange() {
    assertThatThrownBy(() -> q(List.of(), column(0.1, 1.5))).hasMessageContaining("p-values must be in [0, 1]");
    assertThatThrownBy(() -> q(List.of(), column(-0.01))).hasMessageContaining("p-values must be in [0, 1]");
  }
}
