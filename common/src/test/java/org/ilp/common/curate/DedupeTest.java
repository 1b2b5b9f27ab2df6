package org.ilp.common.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Dedupe}'s named rules on hand-made rows: which row wins, what each loser is called. */
@ExtendWith(SparkTestSupport.class)
class DedupeTest {
  static final Timestamp T1 = Timestamp.valueOf("2024-03-01 00:00:00");
  static final Timestamp T2 = Timestamp.valueOf("2024-04-01 00:00:00");

  static final StructType UK = new StructType().add("tag", DataTypes.StringType)
      .add("source_record_id", DataTypes.StringType).add("lon", DataTypes.DoubleType).add("lat", DataTypes.DoubleType)
      .add("period_month", DataTypes.DateType).add("_ingested_at", DataTypes.TimestampType)
      .add("_source_file", DataTypes.StringType).add("_row_number", DataTypes.LongType)
      .add("content_hash", DataTypes.StringType);

  /** tag → {dup_rule, period_month, dedupe_key}. */
  static Map<String, String[]> run(StructType s, String strategy, Row... rows) {
    Map<String, String[]> out = new HashMap<>();
    for (Row r : Dedupe.apply(frame(s, rows), strategy, "fam").collectAsList()) {
      Object month = s.getFieldIndex("period_month").isDefined() ? r.getAs("period_month") : null;
      out.put(r.getAs("tag"), new String[] {r.getAs(Dedupe.RULE), String.valueOf(month), r.getAs("dedupe_key"),
          String.valueOf((Object) r.getAs("victim_count"))});
    }
    return out;
  }

  @Test
  void policeUkOneIncidentPerCrimeIdWithNamedLosers() {
    Date jan = Date.valueOf("2024-01-01");
    Date feb = Date.valueOf("2024-02-01");
    Map<String, String[]> d = run(UK, "police_uk",
        // A: the same Crime ID twice in one file
        row("A1", "A", 0.1, 51.0, jan, T1, "f1", 1L, "hA"), row("A2", "A", 0.1, 51.0, jan, T1, "f1", 2L, "hA"),
        // B: republished in a later month (Northern Ireland): the later row wins, the incident keeps January
        row("B1", "B", 0.1, 51.0, jan, T1, "f1", 3L, "hB1"), row("B2", "B", 0.1, 51.0, feb, T1, "f2", 1L, "hB2"),
        // C: a geocoded row and a "No Location" copy
        row("C1", "C", 0.1, 51.0, jan, T1, "f1", 4L, "hC1"), row("C2", "C", null, null, jan, T1, "f1", 5L, "hC2"),
        // D: the same month downloaded again later
        row("D1", "D", 0.1, 51.0, jan, T1, "f1", 6L, "hD"), row("D2", "D", 0.1, 51.0, jan, T2, "f3", 1L, "hD"),
        // no Crime ID: identical rows in one file are distinct incidents; a second download collapses onto them
        row("N1", null, 0.2, 51.0, jan, T1, "f1", 7L, "hN"), row("N2", null, 0.2, 51.0, jan, T1, "f1", 8L, "hN"),
        row("N3", null, 0.2, 51.0, jan, T2, "f3", 2L, "hN"),
        // E: a Crime ID published once (most records): its own winner, without the window
        row("E1", "E", 0.3, 51.0, feb, T1, "f2", 2L, "hE"));
    // in one file, the last row wins
    assertThat(d.get("A1")[0]).isEqualTo("dup.crime_id_same_file");
    assertThat(d.get("A2")[0]).isNull();
    assertThat(d.get("B2")[0]).isNull();
    assertThat(d.get("B2")[1]).isEqualTo("2024-01-01");
    assertThat(d.get("B1")[0]).isEqualTo("dup.crime_id_other_month");
    assertThat(d.get("C1")[0]).isNull();
    assertThat(d.get("C2")[0]).isEqualTo("dup.no_location_copy");
    assertThat(d.get("D2")[0]).isNull();
    assertThat(d.get("D1")[0]).isEqualTo("dup.republished_copy");
    // N1 and N2 are two incidents (ordinals 1 and 2 of the file); N3, the newer download's first such row,
    // is N1 again: it wins and N1 is the republished copy
    assertThat(d.get("N1")[2]).isNotEqualTo(d.get("N2")[2]);
    assertThat(d.get("N2")[0]).isNull();
    assertThat(d.get("N3")[0]).isNull();
    assertThat(d.get("N3")[2]).isEqualTo(d.get("N1")[2]);
    assertThat(d.get("N1")[0]).isEqualTo("dup.republished_copy");
    assertThat(d.get("E1")[0]).isNull();
    assertThat(d.get("E1")[1]).isEqualTo("2024-02-01");
    assertThat(d.values().stream().filter(v -> v[0] == null).count()).isEqualTo(7);
  }

  /** Groups of one record skip the window: the result is the window's over every record, row for row. */
  @Test
  void policeUkRanksOnlySharedGroupsAndGetsTheWindowsAnswer() {
    Date jan = Date.valueOf("2024-01-01");
    Dataset<Row> keyed = Dedupe.keys(frame(UK, row("A1", "A", 0.1, 51.0, jan, T1, "f1", 1L, "hA"),
        row("A2", "A", null, null, jan, T1, "f1", 2L, "hA"), row("B1", "B", 0.1, 51.0, jan, T1, "f1", 3L, "hB"),
        row("N1", null, 0.2, 51.0, jan, T1, "f1", 4L, "hN"), row("N2", null, 0.2, 51.0, jan, T2, "f2", 1L, "hN"),
        // identical rows of one file: two incidents, whose content hash no other file has
        row("S1", null, 0.3, 51.0, jan, T1, "f1", 5L, "hS"), row("S2", null, 0.3, 51.0, jan, T1, "f1", 6L, "hS")),
        "police_uk", "fam");
    java.util.function.Function<Dataset<Row>, List<String>> rows = d -> d.select("tag", Dedupe.RULE, "period_month",
        "dedupe_key", "victim_count").collectAsList().stream().map(Row::toString).sorted().toList();
    assertThat(rows.apply(Dedupe.policeUk(keyed))).hasSize(7).isEqualTo(rows.apply(Dedupe.policeUkRanked(keyed)));
  }

  static final StructType CHICAGO = new StructType().add("tag", DataTypes.StringType)
      .add("source_record_id", DataTypes.StringType).add("case_number", DataTypes.StringType)
      .add("updated_at", DataTypes.TimestampType).add("_ingested_at", DataTypes.TimestampType)
      .add("_source_file", DataTypes.StringType).add("_row_number", DataTypes.LongType);

  @Test
  void chicagoNewestUpdateWinsAndHomicideVictimsCollapseToOneCase() {
    Map<String, String[]> d = run(CHICAGO, "chicago",
        row("old", "1", "X1", T1, T1, "classic", 1L), row("new", "1", "X1", T2, T2, "api", 1L),
        row("v2", "2", "Y1", T1, T1, "classic", 2L), row("v3", "3", "Y1", T1, T1, "classic", 3L),
        row("solo", "10", null, T1, T1, "classic", 4L));
    assertThat(d.get("new")[0]).isNull();
    assertThat(d.get("old")[0]).isEqualTo("dup.republished_copy");
    assertThat(d.get("v2")[0]).isNull();
    assertThat(d.get("v3")[0]).isEqualTo("dup.case_number_per_victim");
    assertThat(d.get("v2")[3]).isEqualTo("2");
    assertThat(d.get("v2")[2]).isEqualTo("fam:case:Y1");
    assertThat(d.get("solo")[0]).isNull();
    assertThat(d.get("solo")[2]).isEqualTo("fam:id:10");
  }

  /** Records that share neither ID nor case skip the windows: the result is the windows' over every record. */
  @Test
  void chicagoRanksOnlySharedIdsAndCasesAndGetsTheWindowsAnswer() {
    Dataset<Row> keyed = Dedupe.keys(frame(CHICAGO, row("old", "1", "X1", T1, T1, "classic", 1L),
        row("new", "1", "X1", T2, T2, "api", 1L), row("v2", "2", "Y1", T1, T1, "classic", 2L),
        row("v3", "3", "Y1", T1, T1, "classic", 3L), row("moved", "4", "Z1", T1, T1, "classic", 4L),
        row("moved2", "4", "Z2", T2, T2, "api", 2L), row("solo", "10", null, T1, T1, "classic", 5L),
        row("alone", "11", "W1", T1, T1, "classic", 6L)), "chicago", "fam");
    java.util.function.Function<Dataset<Row>, List<String>> rows = d -> d.select("tag", Dedupe.RULE, "dedupe_key",
        "victim_count").collectAsList().stream().map(Row::toString).sorted().toList();
    assertThat(rows.apply(Dedupe.chicago(keyed))).hasSize(8).isEqualTo(rows.apply(Dedupe.chicagoRanked(keyed)));
  }

  static final StructType CONTENT = new StructType().add("tag", DataTypes.StringType)
      .add("_ingested_at", DataTypes.TimestampType).add("_source_file", DataTypes.StringType)
      .add("_row_number", DataTypes.LongType).add("content_hash", DataTypes.StringType);

  @Test
  void contentKeyKeepsIdenticalRowsOfOneFileAndCollapsesARepublishedFile() {
    Map<String, String[]> d = run(CONTENT, "content",
        row("a", T1, "f1", 1L, "h"), row("b", T1, "f1", 2L, "h"), row("c", T2, "f2", 1L, "h"), row("d", T1, "f1", 3L, "g"));
    assertThat(d.get("a")[0]).isEqualTo("dup.republished_copy"); // the newer file's first "h" wins
    assertThat(d.get("c")[0]).isNull();
    assertThat(d.get("b")[0]).isNull(); // the second "h" of f1 has no copy in f2
    assertThat(d.get("d")[0]).isNull();
  }
}
