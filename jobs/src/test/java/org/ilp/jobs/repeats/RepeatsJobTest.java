package org.ilp.jobs.repeats;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
class RepeatsJobTest {
  static final StructType SILVER = new StructType().add("incident_id", DataTypes.StringType)
      .add("source", DataTypes.StringType).add("period_month", DataTypes.DateType).add("is_crime", DataTypes.BooleanType)
      .add("iccs_l1", DataTypes.StringType).add("iccs_l2", DataTypes.StringType).add("location_text", DataTypes.StringType)
      .add("lon", DataTypes.DoubleType).add("lat", DataTypes.DoubleType).add("area_local", DataTypes.StringType)
      .add("area_regional", DataTypes.StringType).add("location_key", DataTypes.StringType);

  final List<Row> rows = new ArrayList<>();

  void add(String key, String month, boolean crime, String iccs, String area) {
    rows.add(RowFactory.create("i" + rows.size(), "chicago_crimes", Date.valueOf(month + "-01"), crime,
        iccs.substring(0, 2), iccs, key == null ? null : key + ", STREET", 1.0 + rows.size(), 2.0, area, "R", key));
  }

  /**
   * Five blocks (window 2017-01..2017-12): L1 three crimes in area X and an older record in Y (its area is X, the one
   * most of its records name); L2 one crime and one non-crime record in X; L3 two records before the window in Y
   * (at risk, not hit); L4 two crimes in Y; L5 two crimes in Y without coordinates; one crime without a location.
   * By hand: X has 2 locations at risk, 4 crimes on 2 of them; Y 3 at risk, 4 crimes on 2; the repeat locations are
   * L1 (rank 1, 3 of 8 crimes), L4 and L5 (rank 2).
   */
  @Test
  void repeatLocationsAndTheirAreasByHand() {
    add("L1", "2017-02", true, "0501", "X");
    add("L1", "2017-05", true, "0501", "X");
    add("L1", "2017-07", true, "0301", "X");
    add("L1", "2016-03", true, "0501", "Y");
    add("L2", "2017-04", true, "0501", "X");
    add("L2", "2017-04", false, "9999", "X");
    add("L3", "2016-01", true, "0501", "Y");
    add("L3", "2016-02", true, "0501", "Y");
    add("L4", "2017-11", true, "0501", "Y");
    add("L4", "2017-12", true, "0501", "Y");
    add(null, "2017-06", true, "0501", "X");
    for (String month : List.of("2017-03-01", "2017-08-01")) { // a block without coordinates, twice
      rows.add(RowFactory.create("i" + rows.size(), "chicago_crimes", Date.valueOf(month), true, "05", "0501",
          "L5, STREET", null, null, "Y", "R", "L5"));
    }
    Dataset<Row> silver = SparkTestSupport.spark().createDataFrame(rows, SILVER);
    RepeatParams p = new RepeatParams(java.time.LocalDate.parse("2017-12-01"), 12, "chicago", null, 0.05, false);
    RepeatsJob.Outputs o = RepeatsJob.transform(silver, p, "run-1", Keep.LAZY);

    List<Row> locs = o.locations().orderBy("rank", "location_key").collectAsList();
    assertThat(locs).extracting(r -> r.getAs("location_key") + " " + r.getAs("area_code") + " " + r.getAs("incidents")
        + " " + r.getAs("rank") + " " + r.getAs("first_month") + ".." + r.getAs("last_month"))
        .containsExactly("L1 X 3 1 2017-02-01..2017-07-01", "L4 Y 2 2 2017-11-01..2017-12-01",
            "L5 Y 2 2 2017-03-01..2017-08-01");
    assertThat(locs.get(2).isNullAt(locs.get(2).fieldIndex("lon"))).isTrue(); // no coordinates: no mean
    assertThat(locs.get(0).<Double>getAs("share_of_scope")).isEqualTo(3.0 / 8);
    assertThat(locs.get(0).<Double>getAs("lon")).isEqualTo((1.0 + 2.0 + 3.0) / 3); // the mean of its window's points
    assertThat(o.locations().columns()).containsExactly(Tables.GOLD_REPEAT_LOCATIONS.columns().toArray(String[]::new));

    Map<String, Row> areas = o.areas().collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("area_code"), r -> r));
    assertThat(areas.keySet()).containsExactlyInAnyOrder("X", "Y", "chicago");
    assertThat(counts(areas.get("X"))).isEqualTo("local L=2 H=2 n=4 R=1 Rn=3 rep=2");
    assertThat(counts(areas.get("Y"))).isEqualTo("local L=3 H=2 n=4 R=2 Rn=4 rep=2");
    Row scope = areas.get("chicago");
    assertThat(counts(scope)).isEqualTo("scope L=5 H=4 n=8 R=3 Rn=7 rep=4");
    assertThat(scope.<Long>getAs("unlocated_incidents")).isEqualTo(1L);
    assertThat(scope.isNullAt(scope.fieldIndex("q_value"))).isTrue();
    assertThat(o.areas().where(col("exceeds_chance")).count()).isZero(); // six crimes prove nothing

    // burglary only (0501): L1 keeps two of its three crimes in the window
    RepeatParams burglary = new RepeatParams(p.periodEnd(), 12, "chicago", "0501", 0.05, false);
    assertThat(RepeatsJob.transform(silver, burglary, "run-2", Keep.LAZY).locations().orderBy("rank", "location_key")
        .collectAsList()).extracting(r -> r.getAs("location_key") + " " + r.getAs("incidents"))
        .containsExactly("L1 2", "L4 2", "L5 2");
  }

  /**
   * A location's home is the local area most of its records name, any month and any record: T1's tie goes to the
   * smallest code (A), T2's to the named area before none (C), and T3's two crimes of the window in E weigh less than
   * its three older records in D.
   */
  @Test
  void aLocationsHomeIsTheAreaMostOfItsRecordsName() {
    add("T1", "2017-02", true, "0501", "B");
    add("T1", "2017-03", true, "0501", "A");
    add("T2", "2017-02", true, "0501", null);
    add("T2", "2017-03", true, "0501", "C");
    add("T3", "2017-04", true, "0501", "E");
    add("T3", "2017-05", true, "0501", "E");
    add("T3", "2016-05", true, "0501", "D");
    add("T3", "2016-06", false, "9999", "D");
    add("T3", "2015-01", true, "0301", "D");
    Dataset<Row> silver = SparkTestSupport.spark().createDataFrame(rows, SILVER);
    RepeatParams p = new RepeatParams(java.time.LocalDate.parse("2017-12-01"), 12, "chicago", null, 0.05, false);
    assertThat(RepeatsJob.transform(silver, p, "run-1", Keep.LAZY).locations().orderBy("location_key").collectAsList())
        .extracting(r -> r.getAs("location_key") + " " + r.getAs("area_code") + " " + r.getAs("incidents"))
        .containsExactly("T1 A 2", "T2 C 2", "T3 D 2");
  }

  static String counts(Row r) {
    return r.getAs("level") + " L=" + r.getAs("locations_at_risk") + " H=" + r.getAs("locations_hit") + " n="
        + r.getAs("incidents") + " R=" + r.getAs("repeat_locations") + " Rn=" + r.getAs("repeat_incidents") + " rep="
        + r.getAs("repeats");
  }

  @Test
  void paramsAreValidated() {
    assertThatThrownBy(() -> new RepeatParams(java.time.LocalDate.parse("2017-12-01"), 12, "mars", null, 0.05, false))
        .hasMessageContaining("--scope");
    assertThatThrownBy(() -> new RepeatParams(java.time.LocalDate.parse("2017-12-01"), 0, "uk", null, 0.05, false))
        .hasMessageContaining("--months");
    assertThatThrownBy(() -> new RepeatParams(null, 12, "uk", null, 0.05, false)).hasMessageContaining("--to");
    assertThat(new RepeatParams(java.time.LocalDate.parse("2017-12-01"), 12, "uk", null, 0.05, false).period())
        .isEqualTo(java.time.LocalDate.parse("2017-01-01"));
  }

  /** The specs' location keys: police.uk's snapped point with its text, Chicago's block (none without one). */
  @Test
  void locationKeysFollowTheSpecs() {
    StructType s = new StructType().add("source", DataTypes.StringType).add("location_text", DataTypes.StringType)
        .add("lon", DataTypes.DoubleType).add("lat", DataTypes.DoubleType);
    List<Row> in = List.of(RowFactory.create("police_uk_street", "On or near Park Road", -1.5, 52.25),
        RowFactory.create("police_uk_street", "No Location", null, null),
        RowFactory.create("chicago_crimes", "047XX S WESTERN AVE, STREET", -87.6, 41.8),
        RowFactory.create("chicago_crimes", "0000X N STATE ST, SIDEWALK", -87.6, 41.8),
        RowFactory.create("chicago_crimes", "STREET", -87.6, 41.8));
    assertThat(SparkTestSupport.spark().createDataFrame(in, s).select(RepeatsJob.locationKey()).collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("On or near Park Road @ -1.5,52.25", null, "047XX S WESTERN AVE", "0000X N STATE ST", null);
  }
}
