package org.ilp.jobs.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.assess.Periods;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Series} (zeros where the area reported, gaps where it did not) and {@link Publish} (what is blanked). */
@ExtendWith(SparkTestSupport.class)
class SeriesAndPublishTest {
  static final StructType CUBE = CrimeStatsTest.CUBE;

  @Test
  void aSeriesIsZeroWhereTheAreaReportedAndAGapWhereItSentNothing() {
    // force R1, January to June 2024: no data at all in April; burglary (0501) only in January, February, June
    List<Row> cube = new ArrayList<>();
    long[] all = {5, 6, 4, 0, 7, 9};
    long[] burglary = {2, 1, 0, 0, 0, 3};
    for (int m = 0; m < 6; m++) {
      if (m == 3) {
        continue; // April: R1 sent nothing
      }
      Date d = Date.valueOf(java.time.LocalDate.of(2024, m + 1, 1));
      cube.add(row("month", d, "uk", "regional", "R1", "K04", "ALL", null, all[m], 1.0, all[m]));
      cube.add(row("month", d, "uk", "regional", "R1", "K04", "05", null, all[m], 1.0, all[m]));
      if (burglary[m] > 0) {
        cube.add(row("month", d, "uk", "regional", "R1", "K04", "05", "0501", burglary[m], 1.0, burglary[m]));
      }
    }
    AssessParams p = AssessParams.of(SparkTestSupport.config(), "month", "2024-06", List.of(), false);
    Map<String, Row> s = new HashMap<>();
    for (Row r : Series.analyse(frame(CUBE, cube.toArray(Row[]::new)), Periods.MONTH, p, "run").collectAsList()) {
      if ("0501".equals(r.getAs("iccs_l2"))) {
        s.put(r.getAs("period").toString(), r);
      }
    }
    assertThat(s.keySet()).containsExactlyInAnyOrder("2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
        "2024-05-01", "2024-06-01");
    assertThat(s.get("2024-03-01").<Long>getAs("count")).isZero();  // reported, no burglary
    assertThat((Object) s.get("2024-04-01").getAs("count")).isNull(); // nothing reported: a gap
    assertThat((Object) s.get("2024-03-01").getAs("rolling_3")).isEqualTo(1.0); // (2 + 1 + 0) / 3
    assertThat((Object) s.get("2024-05-01").getAs("rolling_3")).isNull(); // the window holds the gap
    // the evaluated month carries the early warning; the others do not
    assertThat(s.get("2024-06-01").<Boolean>getAs("is_last")).isTrue();
    assertThat((Object) s.get("2024-06-01").getAs("method")).isNotNull();
    assertThat((Object) s.get("2024-05-01").getAs("method")).isNull();
    assertThat(s.get("2024-06-01").<Date>getAs("as_of").toString()).isEqualTo("2024-06-01");
  }

  @Test
  void publishedCopiesBlankSuppressedCountsAndEverythingThatWouldRevealThem() {
    StructType s = Tables.GOLD_CRIME_STATS.schema();
    Object[] v = new Object[s.size()];
    Map<String, Object> m = new HashMap<>();
    m.put("period_type", "month");
    m.put("period", Date.valueOf("2024-12-01"));
    m.put("prev_period", Date.valueOf("2024-11-01"));
    m.put("yoy_period", Date.valueOf("2023-12-01"));
    m.put("jurisdiction", "uk");
    m.put("level", "regional");
    m.put("area_code", "R1");
    m.put("iccs_l1", "05");
    m.put("iccs_l2", "0501");
    m.put("count", 2L);
    m.put("rate_per_100k", 0.2);
    m.put("harm", 20.0);
    m.put("prev_count", 9L);
    m.put("prev_change", -7L);
    m.put("prev_change_pct", -77.8);
    m.put("p_value_prev", 0.06);
    m.put("yoy_count", 8L);
    m.put("yoy_change_pct", -75.0);
    m.put("p_value_yoy", 0.1);
    m.put("significant_yoy", false);
    for (int i = 0; i < v.length; i++) {
      v[i] = m.get(s.fieldNames()[i]);
    }
    StructType pat = new StructType().add("period_type", DataTypes.StringType).add("period", DataTypes.DateType)
        .add("jurisdiction", DataTypes.StringType).add("area_code", DataTypes.StringType)
        .add("iccs_l1", DataTypes.StringType).add("iccs_l2", DataTypes.StringType).add("status", DataTypes.StringType);
    AssessParams p = AssessParams.of(SparkTestSupport.config(), "month", "2024-12", List.of(), false);
    Row out = Publish.crimeStats(SparkTestSupport.spark().createDataFrame(List.of(RowFactory.create(v)), s),
        frame(pat, row("month", Date.valueOf("2024-12-01"), "uk", "R1", "05", "0501", "primary")), p).head();
    assertThat(out.<Boolean>getAs("suppressed")).isTrue();
    assertThat(out.<String>getAs("suppression")).isEqualTo("primary");
    for (String c : List.of("count", "rate_per_100k", "harm", "prev_change", "prev_change_pct", "p_value_prev",
        "yoy_change_pct", "p_value_yoy", "significant")) {
      assertThat((Object) out.getAs(c)).as(c).isNull();
    }
    // last month's and last year's counts were published (no status row: published)
    assertThat(out.<Long>getAs("prev_count")).isEqualTo(9);
    assertThat(out.<Boolean>getAs("prev_suppressed")).isFalse();
    assertThat(out.schema().fieldNames()).containsExactly(Tables.PUBLISH_CRIME_STATS.schema().fieldNames());
  }
}
