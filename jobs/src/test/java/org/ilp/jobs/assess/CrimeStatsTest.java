package org.ilp.jobs.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.ref.Reference;
import org.ilp.common.stats.PoissonRateTest;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CrimeStats} for December 2024 on a hand-made cube: force R1 sent data in every period, force R2
 * only now; the nation K04 had one reporting agency in November and December 2023 and two now.
 * <pre>
 *                 2024-12   2024-11   2023-12
 *   R1  0501         20         8        15
 *   R1  0502          0         4         –
 *   R2  0501         10         –         –
 * </pre>
 */
@ExtendWith(SparkTestSupport.class)
class CrimeStatsTest {
  static Map<String, Row> out;

  static final StructType CUBE = new StructType().add("period_type", DataTypes.StringType)
      .add("period", DataTypes.DateType).add("jurisdiction", DataTypes.StringType).add("level", DataTypes.StringType)
      .add("area_code", DataTypes.StringType).add("parent_code", DataTypes.StringType)
      .add("iccs_l1", DataTypes.StringType).add("iccs_l2", DataTypes.StringType).add("count", DataTypes.LongType)
      .add("harm", DataTypes.DoubleType).add("located", DataTypes.LongType);

  static void cells(List<Row> rows, String period, String area, String parent, String level, long c0501, long c0502) {
    Date d = Date.valueOf(period);
    long all = c0501 + c0502;
    rows.add(row("month", d, "uk", level, area, parent, "ALL", null, all, all * 1.0, all));
    rows.add(row("month", d, "uk", level, area, parent, "05", null, all, all * 1.0, all));
    rows.add(row("month", d, "uk", level, area, parent, "05", "0501", c0501, c0501 * 1.0, c0501));
    if (c0502 > 0) {
      rows.add(row("month", d, "uk", level, area, parent, "05", "0502", c0502, c0502 * 1.0, c0502));
    }
  }

  @BeforeAll
  static void compute() {
    List<Row> cube = new ArrayList<>();
    cells(cube, "2024-12-01", "R1", "K04", "regional", 20, 0);
    cells(cube, "2024-12-01", "R2", "K04", "regional", 10, 0);
    cells(cube, "2024-12-01", "K04", null, "national", 30, 0);
    cells(cube, "2024-11-01", "R1", "K04", "regional", 8, 4);
    cells(cube, "2024-11-01", "K04", null, "national", 8, 4);
    cells(cube, "2023-12-01", "R1", "K04", "regional", 15, 0);
    cells(cube, "2023-12-01", "K04", null, "national", 15, 0);
    StructType ag = new StructType().add("area_code", DataTypes.StringType).add("period", DataTypes.DateType)
        .add("agencies_reported", DataTypes.LongType).add("agencies_expected", DataTypes.LongType);
    List<Row> agencies = new ArrayList<>();
    for (String p : List.of("2024-12-01", "2024-11-01", "2023-12-01")) {
      agencies.add(row("R1", Date.valueOf(p), 1L, 1L));
      agencies.add(row("K04", Date.valueOf(p), p.equals("2024-12-01") ? 2L : 1L, 2L));
    }
    agencies.add(row("R2", Date.valueOf("2024-12-01"), 1L, 1L));
    StructType pop = new StructType().add("area_code", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("population", DataTypes.LongType).add("source", DataTypes.StringType);
    StructType names = new StructType().add("area_code", DataTypes.StringType).add("area_name", DataTypes.StringType);
    AssessParams p = AssessParams.of(SparkTestSupport.config(), "month", "2024-12", List.of(), false);
    out = new HashMap<>();
    CrimeStats.of(frame(CUBE, cube.toArray(Row[]::new)), frame(ag, agencies.toArray(Row[]::new)),
            frame(pop, row("R1", 2021, 900L, "census"), row("R1", 2025, 1000L, "estimate")),
            frame(names, row("R1", "Force One"), row("R2", "Force Two"), row("K04", "Nation")),
            Reference.offenceNames(SparkTestSupport.spark()), p, "run")
        .collectAsList().forEach(r -> out.put(r.getAs("area_code") + "|" + r.getAs("iccs_l1") + "|" + r.getAs("iccs_l2"), r));
  }

  @Test
  void aComparisonIsAGapNotAZeroWhenTheAreaSentNothingOrFewerAgenciesReported() {
    Row r1 = out.get("R1|ALL|null");
    assertThat(r1.<Long>getAs("count")).isEqualTo(20);
    assertThat(r1.<Long>getAs("prev_count")).isEqualTo(12);
    assertThat(r1.<Long>getAs("yoy_count")).isEqualTo(15);
    // R2 sent nothing before: null, never 0
    assertThat((Object) out.get("R2|ALL|null").getAs("prev_count")).isNull();
    assertThat((Object) out.get("R2|ALL|null").getAs("yoy_count")).isNull();
    // the nation had one agency reporting then and two now: not comparable
    assertThat((Object) out.get("K04|ALL|null").getAs("prev_count")).isNull();
    assertThat((Object) out.get("K04|ALL|null").getAs("yoy_count")).isNull();
    // a cell with no crime now but some before is a row with 0, and present periods without it are 0
    Row r1b = out.get("R1|05|0502");
    assertThat(r1b.<Long>getAs("count")).isZero();
    assertThat(r1b.<Long>getAs("prev_count")).isEqualTo(4);
    assertThat(r1b.<Long>getAs("yoy_count")).isZero();
    assertThat((Object) r1b.getAs("prev_change_pct")).isEqualTo(-100.0);
  }

  @Test
  void changesAreTestedWithDaysAsExposureAndAdjustedOverTheTable() {
    Row r1 = out.get("R1|ALL|null");
    assertThat(r1.<Double>getAs("p_value_prev")).isCloseTo(PoissonRateTest.twoSidedP(20, 31, 12, 30), within(1e-15));
    assertThat(r1.<Double>getAs("p_value_yoy")).isCloseTo(PoissonRateTest.twoSidedP(20, 31, 15, 31), within(1e-15));
    assertThat(r1.<Double>getAs("prev_change_pct")).isCloseTo(100.0 * 8 / 12, within(1e-12));
    // q ≥ p, and significant = q ≤ 0.05
    for (Row r : out.values()) {
      Double p = r.getAs("p_value_prev");
      Double q = r.getAs("q_value_prev");
      if (p != null) {
        assertThat(q).isGreaterThanOrEqualTo(p);
        assertThat(r.<Boolean>getAs("significant_prev")).isEqualTo(q <= 0.05);
      }
    }
    assertThat(r1.<Integer>getAs("period_days")).isEqualTo(31);
  }

  @Test
  void populationOfTheNearestYearNamesAndConfidence() {
    Row r1 = out.get("R1|ALL|null");
    assertThat(r1.<Long>getAs("population")).isEqualTo(1000); // 2025 is 1 year from 2024, 2021 is 3
    assertThat(r1.<Double>getAs("rate_per_100k")).isCloseTo(2000.0, within(1e-9));
    assertThat(r1.<String>getAs("area_name")).isEqualTo("Force One");
    assertThat(r1.<String>getAs("iccs_l1_name")).isEqualTo("All crime");
    assertThat(out.get("R1|05|0501").<String>getAs("iccs_l2_name")).isEqualToIgnoringCase("Burglary");
    assertThat(r1.<Double>getAs("completeness")).isEqualTo(1.0);
    assertThat(r1.<String>getAs("confidence")).isEqualTo("high");         // located, every agency, ≥ 20
    assertThat(out.get("R2|ALL|null").<String>getAs("confidence")).isEqualTo("medium"); // 10 crimes
    assertThat(out.get("K04|ALL|null").<String>getAs("confidence")).isEqualTo("high");
  }

  /**
   * What an assessment's monthly cube holds (AssessParams.cellsRead): every month of the trended and published levels
   * (national, regional); the local areas only in the months of the periods the statistics compare — a month: itself,
   * the month before and a year before; a quarter: its three months, the quarter before and a year before.
   */
  @Test
  void theCubeKeepsEveryMonthOfTrendedLevelsAndOfTheLocalAreasOnlyTheComparedPeriods() {
    StructType s = new StructType().add("level", DataTypes.StringType).add("period", DataTypes.DateType);
    List<Row> cells = new ArrayList<>();
    for (String level : List.of("national", "regional", "local")) {
      for (String m : List.of("2023-10", "2023-12", "2024-05", "2024-06", "2024-07", "2024-10", "2024-11", "2024-12")) {
        cells.add(org.apache.spark.sql.RowFactory.create(level, Date.valueOf(m + "-01")));
      }
    }
    var cube = SparkTestSupport.spark().createDataFrame(cells, s);
    AssessParams month = AssessParams.of(SparkTestSupport.config(), "month", "2024-12", List.of(), false);
    assertThat(read(cube, month)).containsExactly("local 2023-12-01", "local 2024-11-01", "local 2024-12-01");
    AssessParams quarter = AssessParams.of(SparkTestSupport.config(), "quarter", "2024-Q4", List.of(), false);
    assertThat(read(cube, quarter)).containsExactly("local 2023-10-01", "local 2023-12-01", "local 2024-07-01",
        "local 2024-10-01", "local 2024-11-01", "local 2024-12-01");
  }

  /** The cube's cells an assessment reads: every national and regional one, and the local ones listed. */
  static List<String> read(org.apache.spark.sql.Dataset<Row> cube, AssessParams p) {
    List<Date> compared = List.of(Date.valueOf(p.period()), Date.valueOf(p.prev()), Date.valueOf(p.yearAgo()));
    List<Row> kept = cube.where(p.cellsRead(compared)).collectAsList();
    assertThat(kept.stream().filter(r -> !r.getString(0).equals("local"))).hasSize(16);
    return kept.stream().filter(r -> r.getString(0).equals("local")).map(r -> r.getString(0) + " " + r.getDate(1))
        .sorted().toList();
  }
}
