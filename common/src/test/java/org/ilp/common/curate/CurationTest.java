package org.ilp.common.curate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Curation} on hand-made police.uk bronze rows: the first rule each row breaks, location
 * quality, and the point-in-polygon area join against a 1°×1° square force area.
 */
@ExtendWith(SparkTestSupport.class)
class CurationTest {
  static final SourceSpec SPEC = SourceSpec.load("police_uk_street");
  static Map<String, Row> ruled;
  static Map<String, Row> located;

  /** A bronze row: Crime ID (used as the tag), Month, Longitude, Latitude, Crime type; the rest fixed. */
  static Row bronze(String id, String month, String lon, String lat, String type, String corrupt, long n) {
    return row(id, month, "Kent Police", "Kent Police", lon, lat, "On or near Mill Lane", "E01024000", "Maidstone 001A",
        type, "Under investigation", null, null, corrupt, "/l/f.csv", "c0ffee", n, "run", Timestamp.valueOf(
            "2024-03-01 00:00:00"));
  }

  @BeforeAll
  static void curate() {
    Dataset<Row> b = frame(Tables.bronze(SPEC).schema(),
        bronze("ok", " 2024-01 ", " 0.5 ", "51.5", "Burglary", null, 1),
        bronze("badmonth", "2024-13", "0.5", "51.5", "Burglary", null, 2),
        bronze("notype", "2024-01", "0.5", "51.5", " ", null, 3),
        bronze("unknown", "2024-01", "0.5", "51.5", "Teleportation", null, 4),
        bronze("badlon", "2024-01", "abc", "51.5", "Burglary", null, 5),
        bronze("corrupt", null, null, null, null, "a,broken,\"record", 6),
        bronze("zero", "2024-01", "0", "0", "Burglary", null, 7),
        bronze("far", "2024-01", "0.5", "91", "Burglary", null, 8),
        bronze("noxy", "2024-01", null, null, "Anti-social behaviour", null, 9),
        bronze("outside", "2024-01", "1.5", "51.5", "Burglary", null, 10));
    Dataset<Row> taxonomy = frame(new StructType().add("scheme", DataTypes.StringType)
            .add("source_category", DataTypes.StringType).add("iccs_l1", DataTypes.StringType)
            .add("iccs_l2", DataTypes.StringType).add("is_crime", DataTypes.BooleanType),
        row("police_uk_crime_type", "Burglary", "05", "0501", true),
        row("police_uk_crime_type", "Anti-social behaviour", "08", "0899", false));
    Dataset<Row> r = Curation.withRules(Curation.withTaxonomy(Curation.canonical(b, SPEC), SPEC, taxonomy), SPEC);
    ruled = new HashMap<>();
    r.collectAsList().forEach(x -> ruled.put(x.getAs("source_record_id"), x));
    Dataset<Row> areas = frame(new StructType().add("area_code", DataTypes.StringType).add("level", DataTypes.StringType)
            .add("parent_code", DataTypes.StringType).add("jurisdiction", DataTypes.StringType)
            .add("wkt", DataTypes.StringType),
        row("R1", "regional", "K04", "uk", "POLYGON((0 51, 1 51, 1 52, 0 52, 0 51))"),
        row("K04", "national", null, "uk", null))
        .withColumn("geom", expr("CASE WHEN wkt IS NULL THEN NULL ELSE ST_GeomFromWKT(wkt) END"));
    Dataset<Row> loc = Curation.withLocation(r.where(col("rule").isNull()),
        new Curation.Bounds(-8.7, 1.9, 49.8, 60.9)).withColumn("dedupe_key", col("source_record_id"));
    located = new HashMap<>();
    Curation.withAreas(loc, areas, "uk", true).collectAsList()
        .forEach(x -> located.put(x.getAs("source_record_id"), x));
  }

  @Test
  void eachRowFailsOnTheFirstRuleItBreaksWithAReasonAndCorruptRecordsAreNotCurated() {
    assertThat(ruled).doesNotContainKey("corrupt"); // quarantined at ingest already
    Map<String, String> rule = new HashMap<>();
    ruled.forEach((k, v) -> rule.put(k, v.getAs("rule")));
    assertThat(rule).containsEntry("ok", null).containsEntry("badmonth", "parse.period_month")
        .containsEntry("notype", "required.source_category").containsEntry("unknown", "taxonomy.unmapped")
        .containsEntry("badlon", "parse.lon").containsEntry("zero", null).containsEntry("far", null)
        .containsEntry("noxy", null);
    assertThat(ruled.get("badmonth").<String>getAs("reason")).contains("2024-13");
    assertThat(ruled.get("unknown").<String>getAs("reason")).contains("Teleportation").contains("conf/");
    // values are trimmed before they are parsed
    assertThat(ruled.get("ok").<Double>getAs("lon")).isEqualTo(0.5);
    assertThat(ruled.get("ok").getAs("period_month").toString()).isEqualTo("2024-01-01");
    assertThat(ruled.get("noxy").<Boolean>getAs("is_crime")).isFalse();
  }

  @Test
  void coordinatesAreFlaggedNeverCorrectedAndOnlyGoodPointsAreJoined() {
    Map<String, String> quality = new HashMap<>();
    Map<String, String> match = new HashMap<>();
    located.forEach((k, v) -> {
      quality.put(k, v.getAs("location_quality"));
      match.put(k, v.getAs("area_match"));
    });
    assertThat(quality).containsEntry("ok", "ok").containsEntry("zero", "zero_zero").containsEntry("far", "out_of_range")
        .containsEntry("noxy", "missing").containsEntry("outside", "ok");
    assertThat(match).containsEntry("ok", "matched").containsEntry("zero", "invalid_coordinates")
        .containsEntry("far", "invalid_coordinates").containsEntry("noxy", "no_coordinates")
        .containsEntry("outside", "outside_all_areas");
    assertThat(located.get("far").<Double>getAs("lat")).isEqualTo(91.0);
    assertThat((Object) located.get("far").getAs("geom")).isNull();
    Row ok = located.get("ok");
    assertThat(ok.<String>getAs("area_regional")).isEqualTo("R1");
    assertThat(ok.<String>getAs("area_national")).isEqualTo("K04");
    // police.uk names the LSOA: the local area comes from the record, not from a polygon
    assertThat(ok.<String>getAs("area_local")).isEqualTo("E01024000");
    assertThat(ok.<String>getAs("area_local_method")).isEqualTo("source");
    List<String> outsideCodes = new ArrayList<>();
    outsideCodes.add(located.get("outside").getAs("area_regional"));
    assertThat(outsideCodes).containsOnlyNulls();
  }
}
