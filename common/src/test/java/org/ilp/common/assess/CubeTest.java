package org.ilp.common.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Cube}: attribution by the recording agency and the count cube, on eight hand-made incidents
 * of January 2024 (areas: K04 nation with forces R1, R2; N9 a nation without forces):
 * <pre>
 *  #  agency  source area  LSOA  ICCS   match    → national / regional / local
 *  1  a1      R1           L1    0501   matched  → K04 / R1 / L1
 *  2  a1      R1           L1    0502   matched  → K04 / R1 / L1
 *  3  a1      R1           L2    0501   outside  → K04 / R1 / L2
 *  4  a2      R2           L1    0201   matched  → K04 / R2 / R2#unallocated (L1 belongs to R1: 2 of its 3 crimes)
 *  5  psni    N9           –     0201   matched  → N9 / N9#unallocated / –
 *  6  btp     –  (point in K04)  0201   matched  → K04 / K04#unallocated / –
 *  7  x       –  (no point)      0201   none     → uk#unallocated / – / –
 *  8  a1      R1           L1    ASB (not a crime) → not counted
 * </pre>
 * Harm weights: 0501 = 10, 0502 = 1, 0201 = 5.
 */
@ExtendWith(SparkTestSupport.class)
class CubeTest {
  static Map<String, Row> cube;
  static Dataset<Row> att;
  static Dataset<Row> counts;
  static Dataset<Row> incidents;

  static final StructType INCIDENTS = new StructType().add("source", DataTypes.StringType)
      .add("agency_code", DataTypes.StringType).add("source_area_code", DataTypes.StringType)
      .add("area_local", DataTypes.StringType).add("area_national", DataTypes.StringType)
      .add("area_match", DataTypes.StringType).add("iccs_l1", DataTypes.StringType).add("iccs_l2", DataTypes.StringType)
      .add("period_month", DataTypes.DateType).add("time_precision", DataTypes.StringType)
      .add("occurred_at", DataTypes.TimestampType).add("is_crime", DataTypes.BooleanType);

  @BeforeAll
  static void build() {
    Date jan = Date.valueOf("2024-01-01");
    Timestamp none = null;
    incidents = frame(INCIDENTS,
        row("s", "a1", "R1", "L1", "K04", "matched", "05", "0501", jan, "month", none, true),
        row("s", "a1", "R1", "L1", "K04", "matched", "05", "0502", jan, "month", none, true),
        row("s", "a1", "R1", "L2", null, "outside_all_areas", "05", "0501", jan, "month", none, true),
        row("s", "a2", "R2", "L1", "K04", "matched", "02", "0201", jan, "month", none, true),
        row("s", "psni", "N9", null, null, "matched", "02", "0201", jan, "month", none, true),
        row("s", "btp", null, null, "K04", "matched", "02", "0201", jan, "month", none, true),
        row("s", "x", null, null, null, "no_coordinates", "02", "0201", jan, "month", none, true),
        row("s", "a1", "R1", "L1", "K04", "matched", "08", "0899", jan, "month", none, false));
    Dataset<Row> areas = frame(new StructType().add("area_code", DataTypes.StringType).add("level", DataTypes.StringType)
            .add("parent_code", DataTypes.StringType),
        row("K04", "national", null), row("N9", "national", null), row("R1", "regional", "K04"),
        row("R2", "regional", "K04"));
    Dataset<Row> harm = frame(new StructType().add("iccs_l2", DataTypes.StringType).add("weight", DataTypes.DoubleType),
        row("0501", 10.0), row("0502", 1.0), row("0201", 5.0));
    counts = Cube.counts(incidents, org.apache.spark.sql.functions.lit(1));
    att = Cube.attributed(counts, areas, harm, Map.of("s", "uk"));
    cube = new HashMap<>();
    for (Row r : Cube.cube(att, Periods.MONTH).collectAsList()) {
      cube.put(r.getAs("level") + "|" + r.getAs("area_code") + "|" + r.getAs("iccs_l1") + "|" + r.getAs("iccs_l2"), r);
    }
  }

  static long count(String level, String area, String l1, String l2) {
    Row r = cube.get(level + "|" + area + "|" + l1 + "|" + l2);
    return r == null ? 0 : r.<Long>getAs("count");
  }

  @Test
  void crimesCountForTheAreaOfTheAgencyThatRecordedThem() {
    assertThat(count("national", "K04", "ALL", null)).isEqualTo(5);
    assertThat(count("national", "N9", "ALL", null)).isEqualTo(1);
    assertThat(count("national", "uk#unallocated", "ALL", null)).isEqualTo(1);
    assertThat(count("regional", "R1", "ALL", null)).isEqualTo(3);
    assertThat(count("regional", "R2", "ALL", null)).isEqualTo(1);
    assertThat(count("regional", "K04#unallocated", "ALL", null)).isEqualTo(1);
    assertThat(count("regional", "N9#unallocated", "ALL", null)).isEqualTo(1);
    assertThat(count("local", "L1", "ALL", null)).isEqualTo(2);
    assertThat(count("local", "L2", "ALL", null)).isEqualTo(1);
    assertThat(count("local", "R2#unallocated", "ALL", null)).isEqualTo(1);
    // anti-social behaviour (not a crime) is nowhere
    assertThat(cube.keySet()).noneMatch(k -> k.contains("08"));
    // every local area has one parent: the force that recorded most of its crimes
    assertThat(cube.get("local|L1|ALL|null").<String>getAs("parent_code")).isEqualTo("R1");
  }

  @Test
  void everyTotalIsTheSumOfItsParts() {
    // areas: nation = its forces + its unallocated remainder; force = its LSOAs + remainder
    assertThat(count("national", "K04", "ALL", null)).isEqualTo(count("regional", "R1", "ALL", null)
        + count("regional", "R2", "ALL", null) + count("regional", "K04#unallocated", "ALL", null));
    assertThat(count("regional", "R2", "ALL", null)).isEqualTo(count("local", "R2#unallocated", "ALL", null));
    // offences: all = level 1 sections; a section = its level-2 groups
    assertThat(count("national", "K04", "05", null)).isEqualTo(3);
    assertThat(count("national", "K04", "05", "0501")).isEqualTo(2);
    assertThat(count("national", "K04", "05", "0502")).isEqualTo(1);
    assertThat(count("national", "K04", "02", null)).isEqualTo(2);
    assertThat(count("national", "K04", "ALL", null)).isEqualTo(count("national", "K04", "05", null)
        + count("national", "K04", "02", null));
  }

  @Test
  void harmAndLocatedAreSummedWithTheCounts() {
    Row k04 = cube.get("national|K04|ALL|null");
    assertThat(k04.<Double>getAs("harm")).isCloseTo(10 + 1 + 10 + 5 + 5, within(1e-12));
    assertThat(k04.<Long>getAs("located")).isEqualTo(4); // #3 lies outside every area
    assertThat(cube.get("regional|R1|05|0501").<Double>getAs("harm")).isCloseTo(20, within(1e-12));
  }

  @Test
  void monthOnlySourcesHaveNoWeeklyCellsAndAgenciesAreCountedPerArea() {
    assertThat(Cube.cube(att, Periods.WEEK).count()).isZero();
    Map<String, Long> reported = new HashMap<>();
    for (Row r : Cube.agencies(att, Periods.MONTH).collectAsList()) {
      reported.put(r.getString(0), r.getLong(2));
    }
    assertThat(reported).containsEntry("K04", 3L).containsEntry("R1", 1L).containsEntry("R2", 1L)
        .containsEntry("N9", 1L);
  }

  @Test
  void aQuartersCubeIsTheSumOfItsMonthsCubes() {
    // the same incidents again in February: the first quarter holds both months
    Dataset<Row> twoMonths = att.unionByName(att.withColumn("period_month", org.apache.spark.sql.functions.lit(
        Date.valueOf("2024-02-01"))));
    List<Row> fromMonths = Cube.fromMonths(Cube.cube(twoMonths, Periods.MONTH), Periods.QUARTER).collectAsList();
    assertThat(fromMonths).containsExactlyInAnyOrderElementsOf(Cube.cube(twoMonths, Periods.QUARTER).collectAsList());
    Row k04 = fromMonths.stream().filter(r -> "national".equals(r.getAs("level")) && "K04".equals(r.getAs("area_code"))
        && "ALL".equals(r.getAs("iccs_l1"))).findFirst().orElseThrow();
    assertThat(k04.<String>getAs("period_type")).isEqualTo("quarter");
    assertThat(k04.<Date>getAs("period")).isEqualTo(Date.valueOf("2024-01-01"));
    assertThat(k04.<Long>getAs("count")).isEqualTo(2 * 5);
    assertThat(k04.<Double>getAs("harm")).isCloseTo(2 * 31, within(1e-12));
  }

  @Test
  void countsGroupTheCrimesAndChangesThatCancelLeaveNoGroup() {
    // seven crimes in seven groups (each differs in agency, area, match or code); anti-social behaviour is not counted
    assertThat(counts.count()).isEqualTo(7);
    assertThat(counts.agg(org.apache.spark.sql.functions.sum("incidents")).head().getLong(0)).isEqualTo(7);
    // a change feed that deletes and re-inserts every row: no group changes
    Column w = org.apache.spark.sql.functions.col("w");
    Dataset<Row> rewrite = incidents.withColumn("w", org.apache.spark.sql.functions.lit(-1))
        .unionByName(incidents.withColumn("w", org.apache.spark.sql.functions.lit(1)));
    assertThat(Cube.counts(rewrite, w).count()).isZero();
    // one crime recorded twice: one group of 2
    Dataset<Row> twice = incidents.limit(1).unionByName(incidents.limit(1)).withColumn("w",
        org.apache.spark.sql.functions.lit(1));
    assertThat(Cube.counts(twice, w).head().<Long>getAs("incidents")).isEqualTo(2);
    // a Chicago crime recorded at 02:30 wall-clock time is dated that day (shifting it by the zone again: the day before)
    Dataset<Row> early = incidents.limit(1).withColumn("source", org.apache.spark.sql.functions.lit("chicago_crimes"))
        .withColumn("time_precision", org.apache.spark.sql.functions.lit("minute"))
        .withColumn("occurred_at", org.apache.spark.sql.functions.to_timestamp(
            org.apache.spark.sql.functions.lit("2016-01-01 02:30:00")));
    assertThat(Cube.counts(early, org.apache.spark.sql.functions.lit(1)).head().<Date>getAs("occurred_date").toString())
        .isEqualTo("2016-01-01");
  }
}
