package org.ilp.jobs.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Threat}: a change is a rise or a fall only when it is significant. The case analysts saw on
 * the demo warehouse (UK 2024-12): a non-significant −15.9% for the most harmful cell (Metropolitan
 * assaults) counted as a "decrease" and sank it to 15th, while a non-significant +2.9% (West Midlands
 * assaults) counted as an "increase" and ranked first.
 */
@ExtendWith(SparkTestSupport.class)
class ThreatTest {
  static final StructType S = Tables.GOLD_CRIME_STATS.schema();

  /** A regional level-2 crime_stats row of 2024-12 with the given figures (the rest as the job fills them). */
  static Row stats(String area, String l2, long count, Long yoy, Double p, Double q, double harm) {
    Map<String, Object> v = new HashMap<>();
    v.put("period_type", "month");
    v.put("period", Date.valueOf("2024-12-01"));
    v.put("period_days", 31);
    v.put("jurisdiction", "uk");
    v.put("level", "regional");
    v.put("area_code", area);
    v.put("area_name", area);
    v.put("parent_code", "K04");
    v.put("iccs_l1", l2.substring(0, 2));
    v.put("iccs_l2", l2);
    v.put("count", count);
    v.put("harm", harm);
    v.put("yoy_count", yoy);
    v.put("yoy_change_pct", yoy == null ? null : 100.0 * (count - yoy) / yoy);
    v.put("p_value_yoy", p);
    v.put("q_value_yoy", q);
    v.put("confidence", "high");
    v.put("run_id", "t");
    List<Object> values = new ArrayList<>();
    for (String c : S.fieldNames()) {
      values.add(v.get(c));
    }
    return RowFactory.create(values.toArray());
  }

  static Map<String, Row> assess(Row... rows) {
    AssessParams p = AssessParams.of(SparkTestSupport.config(), "month", "2024-12", List.of(), false);
    Map<String, Row> out = new HashMap<>();
    Threat.assess(SparkTestSupport.spark().createDataFrame(List.of(rows), S), p).collectAsList()
        .forEach(r -> out.put(r.getAs("area_code"), r));
    return out;
  }

  @Test
  void aChangeThatIsNotSignificantIsStableWhateverItsSignAndCannotReorderTheRanking() {
    Map<String, Row> t = assess(
        stats("metropolitan", "0201", 132, 157L, 0.16, 0.40, 660),   // −15.9%, not significant, most harm
        stats("west-midlands", "0201", 106, 103L, 0.932, 0.95, 530), // +2.9%, not significant
        stats("kent", "0501", 60, 30L, 0.0002, 0.001, 300),          // +100%, significant
        stats("essex", "0502", 40, 40L, 1.0, 1.0, 40),              // unchanged
        stats("surrey", "0401", 20, null, null, null, 20));          // nothing to compare with
    assertThat(t.get("metropolitan").<String>getAs("trend_class")).isEqualTo("stable");
    assertThat(t.get("west-midlands").<String>getAs("trend_class")).isEqualTo("stable");
    assertThat(t.get("kent").<String>getAs("trend_class")).isEqualTo("significant-increase");
    assertThat(t.get("essex").<String>getAs("trend_class")).isEqualTo("stable");
    assertThat(t.get("surrey").<String>getAs("trend_class")).isEqualTo("no comparison");
    // stable and "no comparison" weigh the same (ilp.assess.threat.likelihood.stable = 0.5)
    assertThat(t.get("metropolitan").<Double>getAs("likelihood")).isEqualTo(0.5);
    assertThat(t.get("surrey").<Double>getAs("likelihood")).isEqualTo(0.5);
    assertThat(t.get("kent").<Double>getAs("likelihood")).isEqualTo(1.0);
    // by hand: harm and volume percentiles over the 5 cells, w = 0.6 / 0.4, confidence high (1.0)
    //   metropolitan (1.0, 1.0) × 0.5 = 0.5; west-midlands (0.75, 0.75) × 0.5 = 0.375; kent (0.5, 0.5) × 1.0 = 0.5
    assertThat(t.get("metropolitan").<Double>getAs("threat_score")).isCloseTo(0.5, within(1e-12));
    assertThat(t.get("west-midlands").<Double>getAs("threat_score")).isCloseTo(0.375, within(1e-12));
    assertThat(t.get("kent").<Double>getAs("threat_score")).isCloseTo(0.5, within(1e-12));
    // the most harmful cell outranks a non-significant "rise" of a less harmful one (ties: more harm first)
    assertThat(t.get("metropolitan").<Integer>getAs("threat_rank")).isEqualTo(1);
    assertThat(t.get("kent").<Integer>getAs("threat_rank")).isEqualTo(2);
    assertThat(t.get("west-midlands").<Integer>getAs("threat_rank")).isEqualTo(3);
    assertThat(t.get("west-midlands").<String>getAs("rationale")).contains("+2.9% on last year (p=0.932, not significant)");
  }

  /**
   * A backfill assesses several periods in one run: each period's cells are scored and ranked among themselves, as
   * when the period is assessed alone (a month's "harm rank k of n" counts that month's cells only).
   */
  @Test
  void eachPeriodOfABackfillIsRankedAlone() {
    Row dec = stats("kent", "0501", 60, 30L, 0.0002, 0.001, 300);
    Row decLow = stats("essex", "0502", 40, 40L, 1.0, 1.0, 40);
    Row nov = RowFactory.create(java.util.stream.IntStream.range(0, S.size())
        .mapToObj(i -> S.fieldNames()[i].equals("period") ? Date.valueOf("2024-11-01")
            : S.fieldNames()[i].equals("area_code") ? "surrey" : stats("surrey", "0401", 900, 100L, 1e-9, 1e-8, 9000)
            .get(i)).toArray());
    AssessParams p = AssessParams.of(SparkTestSupport.config(), "month", "2024-11", "2024-12", List.of(), false);
    Map<String, Row> t = new HashMap<>();
    Threat.assess(SparkTestSupport.spark().createDataFrame(List.of(dec, decLow, nov), S), p).collectAsList()
        .forEach(r -> t.put(r.getAs("area_code"), r));
    // November's one cell, far more harmful, does not push December's cells down
    assertThat(t.get("surrey").<Integer>getAs("threat_rank")).isEqualTo(1);
    assertThat(t.get("kent").<Integer>getAs("threat_rank")).isEqualTo(1);
    assertThat(t.get("essex").<Integer>getAs("threat_rank")).isEqualTo(2);
    assertThat(t.get("kent").<Double>getAs("harm_score")).isEqualTo(1.0);
    assertThat(t.get("kent").<String>getAs("rationale")).contains("harm rank 1 of 2;");
    assertThat(t.get("surrey").<String>getAs("rationale")).contains("harm rank 1 of 1;");
    // December alone gives the same rows
    Map<String, Row> alone = assess(dec, decLow);
    for (String a : List.of("kent", "essex")) {
      assertThat(t.get(a)).isEqualTo(alone.get(a));
    }
  }
}
