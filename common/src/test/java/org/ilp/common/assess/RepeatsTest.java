package org.ilp.common.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.stats.RepeatExpectation;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
class RepeatsTest {
  /**
   * Area A: 4 locations at risk, crimes a1 ×3 and a2 ×1 (n = 4, H = 2: one repeat location holding 3 of 4 crimes,
   * 2 repeats); area B: 3 at risk, one crime. Counts by hand; expectations and p from {@link RepeatExpectation}
   * (tested on its own); q by Benjamini–Hochberg over the two areas by hand; the scope's p by the normal formula.
   */
  @Test
  void areasCountRepeatsAndTestThemAgainstChance() {
    SparkSession spark = SparkTestSupport.spark();
    List<Row> ev = new ArrayList<>();
    Date m = Date.valueOf("2017-01-01");
    for (String[] e : new String[][] {{"a1", "A"}, {"a1", "A"}, {"a1", "A"}, {"a2", "A"}, {"b1", "B"}}) {
      ev.add(RowFactory.create(e[0], e[1], "i" + ev.size(), m));
    }
    Dataset<Row> events = spark.createDataFrame(ev, new StructType().add("target_key", DataTypes.StringType)
        .add("area_code", DataTypes.StringType).add("incident_id", DataTypes.StringType).add("period_month", DataTypes.DateType));
    Dataset<Row> atRisk = spark.createDataFrame(List.of(RowFactory.create("A", 4L), RowFactory.create("B", 3L)),
        new StructType().add("area_code", DataTypes.StringType).add("targets_at_risk", DataTypes.LongType));
    Dataset<Row> areas = Repeats.areas(events.groupBy("area_code", "target_key").count().withColumnRenamed("count", "n"),
        atRisk, 0.05);
    Map<String, Row> byArea = areas.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("area_code"), r -> r));
    Row a = byArea.get("A");
    assertThat(List.of(a.<Long>getAs("targets_hit"), a.<Long>getAs("incidents"), a.<Long>getAs("repeat_targets"),
        a.<Long>getAs("repeat_incidents"), a.<Long>getAs("repeats"))).containsExactly(2L, 4L, 1L, 3L, 2L);
    assertThat(a.<Double>getAs("repeat_share")).isEqualTo(0.75);
    assertThat(a.<Double>getAs("expected_repeats")).isCloseTo(4 * Math.exp(-1), within(1e-12));
    assertThat(a.<Double>getAs("excess_ratio")).isCloseTo(2 / (4 * Math.exp(-1)), within(1e-12));
    double pA = RepeatExpectation.pValue(4, 4, 2);
    double pB = RepeatExpectation.pValue(3, 1, 1);
    assertThat(a.<Double>getAs("p_value")).isEqualTo(pA);
    Row b = byArea.get("B");
    assertThat(List.of(b.<Long>getAs("repeat_targets"), b.<Long>getAs("repeats"))).containsExactly(0L, 0L);
    assertThat(b.<Double>getAs("p_value")).isEqualTo(pB);
    // BH with m = 2: the larger p keeps its value, the smaller gets min(2 p, the larger)
    assertThat(a.<Double>getAs("q_value")).isCloseTo(pA <= pB ? Math.min(2 * pA, pB) : pA, within(1e-15));
    assertThat(a.<Boolean>getAs("exceeds_chance")).isFalse(); // four crimes prove nothing

    Repeats.Totals t = Repeats.scope(areas);
    assertThat(List.of(t.targetsAtRisk(), t.targetsHit(), t.incidents(), t.repeatTargets(), t.repeatIncidents()))
        .containsExactly(7L, 3L, 5L, 1L, 3L);
    double hA = 1 - Math.exp(-1);
    double hB = 1 - Math.exp(-1.0 / 3);
    double eh = 4 * hA + 3 * hB;
    double v = 4 * hA * (1 - hA) + 3 * hB * (1 - hB);
    assertThat(t.expectedRepeats()).isCloseTo(5 - eh, within(1e-12));
    assertThat(t.pValue()).isCloseTo(Repeats.scopePValue(3, eh, v), within(1e-12));
  }

  @Test
  void scopePValueByHand() {
    // Φ((10 + ½ − 15) / 2) = Φ(−2.25)
    assertThat(Repeats.scopePValue(10, 15, 4)).isCloseTo(0.012224472655044696, within(1e-12));
    assertThat(Repeats.scopePValue(3, 3, 0)).isEqualTo(1.0);
  }
}
