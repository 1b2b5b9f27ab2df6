package org.ilp.common.targets;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.spark.Keep;
import org.ilp.common.stats.RepeatExpectation;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ILP person targets on small, hand-computed cases. */
@ExtendWith(SparkTestSupport.class)
class TargetsTest {
  static final LocalDate FROM = LocalDate.of(2024, 1, 1);
  static final LocalDate TO = LocalDate.of(2024, 12, 31);
  static final StructType MENTIONS = new StructType().add("mention_id", DataTypes.StringType)
      .add("person_key", DataTypes.StringType).add("source", DataTypes.StringType)
      .add("record_id", DataTypes.StringType).add("event_date", DataTypes.DateType).add("role", DataTypes.StringType)
      .add("incident_ref", DataTypes.StringType).add("iccs_l2", DataTypes.StringType)
      .add("area_code", DataTypes.StringType).add("co_travellers", DataTypes.createArrayType(DataTypes.StringType))
      .add("crossing_point", DataTypes.StringType).add("supervision_end", DataTypes.DateType)
      .add("source_evaluation", DataTypes.IntegerType).add("intelligence_assessment", DataTypes.StringType)
      .add("iccs_l1", DataTypes.StringType);

  final SparkSession spark = SparkTestSupport.spark();
  final List<Row> rows = new ArrayList<>();

  void police(String person, String incident, String date, String role, String iccs, String area) {
    String id = "pp" + rows.size();
    rows.add(RowFactory.create(id, person, Mentions.POLICE, id, Date.valueOf(date), role, incident, iccs, area, null,
        null, null, null, null, null));
  }

  void intelligence(String report, String date, String... persons) {
    graded(report, date, null, null, 2, "B", persons);
  }

  void graded(String report, String date, String area, String theme, int evaluation, String assessment,
      String... persons) {
    for (int i = 0; i < persons.length; i++) {
      rows.add(RowFactory.create(report + "#" + (i + 1), persons[i], Mentions.INTELLIGENCE, report, Date.valueOf(date),
          "subject", null, null, area, null, null, null, evaluation, assessment, theme));
    }
  }

  void party(String date, String... persons) {
    for (String p : persons) {
      List<String> others = new ArrayList<>();
      for (String q : persons) {
        if (!q.equals(p)) {
          others.add("x-" + q + date);
        }
      }
      rows.add(RowFactory.create("x-" + p + date, p, Mentions.BORDER, "x-" + p + date, Date.valueOf(date), "traveller",
          null, null, null, scala.jdk.javaapi.CollectionConverters.asScala(others).toSeq(), "Dover", null, null, null, null));
    }
  }

  Dataset<Row> mentions() {
    return spark.createDataFrame(rows, MENTIONS);
  }

  /**
   * Three offenders in 2024 (366 days), harm A = 10, B = 100. P1: incidents on Mar 1 (R2), Jun 1 and Dec 20 (R1), all
   * A (also recorded as arrestee of Dec 20, and as a victim elsewhere: neither counts again); P2: Feb 1, B (R1), and
   * one in 2023 (outside); P3: Oct 1 and Nov 1, A (R2). Nationally: days since last 11 / 334 / 60, incidents 3 / 1 /
   * 2, gravity 30 / 100 / 20; R = 1 − d / 366, F = f / 3, G = g / 100 → P1 first, then P3, then P2. Area R1: P1 (2
   * incidents, 20, 11 days) and P2 (1, 100, 334): F = f / 2, G = g / 100.
   */
  @Test
  void prolificOffendersByRecencyFrequencyAndGravity() {
    police("P1", "i1", "2024-03-01", "suspect", "A", "R2");
    police("P1", "i2", "2024-06-01", "suspect", "A", "R1");
    police("P1", "i3", "2024-12-20", "suspect", "A", "R1");
    police("P1", "i3", "2024-12-20", "arrestee", "A", "R1");
    police("P1", "i9", "2024-12-21", "victim", "B", "R1");
    police("P2", "i4", "2024-02-01", "arrestee", "B", "R1");
    police("P2", "i0", "2023-02-01", "suspect", "B", "R1");
    police("P3", "i5", "2024-10-01", "suspect", "A", "R2");
    police("P3", "i6", "2024-11-01", "suspect", "A", "R2");
    Dataset<Row> harm = spark.createDataFrame(List.of(RowFactory.create("A", 10.0), RowFactory.create("B", 100.0)),
        new StructType().add("iccs_l2", DataTypes.StringType).add("weight", DataTypes.DoubleType));
    Map<String, Row> national = new HashMap<>();
    Map<String, Row> r1 = new HashMap<>();
    for (Row r : ProlificOffenders.rank(mentions(), harm, FROM, TO, 10).collectAsList()) {
      String level = r.getAs("level");
      String area = r.getAs("area_code");
      if (level.equals("national")) {
        national.put(r.getAs("person_key"), r);
      } else if (area.equals("R1")) {
        r1.put(r.getAs("person_key"), r);
      }
    }
    assertThat(national).containsOnlyKeys("P1", "P2", "P3");
    check(national.get("P1"), 3, 11, 30, 1 - 11 / 366.0, 1, .3, 1);
    check(national.get("P3"), 2, 60, 20, 1 - 60 / 366.0, 2 / 3.0, .2, 2);
    check(national.get("P2"), 1, 334, 100, 1 - 334 / 366.0, 1 / 3.0, 1, 3);
    assertThat(national.get("P1").<Long>getAs("offenders")).isEqualTo(3L);
    assertThat(r1).containsOnlyKeys("P1", "P2");
    check(r1.get("P1"), 2, 11, 20, 1 - 11 / 366.0, 1, .2, 1);
    check(r1.get("P2"), 1, 334, 100, 1 - 334 / 366.0, .5, 1, 2);
    assertThat(ProlificOffenders.rank(mentions(), harm, FROM, TO, 1).where(col("level").equalTo("national"))
        .select("person_key").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("P1");
  }

  static void check(Row r, long incidents, int days, double gravity, double rs, double fs, double gs, int rank) {
    assertThat(r.<Long>getAs("incidents")).isEqualTo(incidents);
    assertThat(r.<Integer>getAs("days_since_last")).isEqualTo(days);
    assertThat(r.<Double>getAs("gravity")).isEqualTo(gravity);
    assertThat(r.<Double>getAs("recency_score")).isCloseTo(rs, within(1e-12));
    assertThat(r.<Double>getAs("frequency_score")).isCloseTo(fs, within(1e-12));
    assertThat(r.<Double>getAs("gravity_score")).isCloseTo(gs, within(1e-12));
    assertThat(r.<Double>getAs("rfg_score")).isCloseTo(rs + fs + gs, within(1e-12));
    assertThat(r.<Integer>getAs("rank")).isEqualTo(rank);
  }

  /**
   * Victims in R1: V1 ×3 in 2024 (one incident recorded twice), V2 ×1 in 2024; V3 only in 2023 (at risk, not hit).
   * In R2: V4 ×2. So R1: L 3, H 2, n 4, one repeat victim with 3 of 4 incidents; R2: L 1, H 1, n 2. Expectations and
   * p from {@link RepeatExpectation} (tested against its worked example on its own); victims ranked V1, V4.
   */
  @Test
  void repeatVictimsAndWhetherTheyExceedChance() {
    police("V1", "a", "2024-01-05", "victim", "A", "R1");
    police("V1", "a", "2024-01-05", "victim", "A", "R1");
    police("V1", "b", "2024-03-05", "victim", "A", "R1");
    police("V1", "c", "2024-07-05", "victim", "A", "R1");
    police("V2", "d", "2024-07-05", "victim", "A", "R1");
    police("V3", "e", "2023-07-05", "victim", "A", "R1");
    police("V4", "f", "2024-02-05", "victim", "A", "R2");
    police("V4", "g", "2024-04-05", "victim", "A", "R2");
    police("S1", "g", "2024-04-05", "suspect", "A", "R2");
    RepeatVictims.Result r = RepeatVictims.of(mentions(), FROM, TO, 0.05, Keep.LAZY);
    List<Row> victims = r.victims().orderBy("rank", "person_key").collectAsList();
    assertThat(victims).extracting(v -> v.getAs("person_key")).containsExactly("V1", "V4");
    assertThat(victims.get(0).<Long>getAs("incidents")).isEqualTo(3L);
    assertThat(victims.get(0).<Date>getAs("first_date")).isEqualTo(Date.valueOf("2024-01-05"));
    assertThat(victims.get(0).<Date>getAs("last_date")).isEqualTo(Date.valueOf("2024-07-05"));
    assertThat(victims.get(0).<String>getAs("area_code")).isEqualTo("R1");
    assertThat(victims.get(0).<Double>getAs("share_of_victimisation")).isCloseTo(3 / 6.0, within(1e-12));
    Row a = r.areas().where(col("area_code").equalTo("R1")).head();
    assertThat(a.<Long>getAs("targets_at_risk")).isEqualTo(3L);
    assertThat(a.<Long>getAs("targets_hit")).isEqualTo(2L);
    assertThat(a.<Long>getAs("incidents")).isEqualTo(4L);
    assertThat(a.<Long>getAs("repeat_targets")).isEqualTo(1L);
    assertThat(a.<Double>getAs("repeat_share")).isCloseTo(0.75, within(1e-12));
    assertThat(a.<Double>getAs("expected_repeats")).isCloseTo(RepeatExpectation.expectedRepeatIncidents(3L, 4L),
        within(1e-12));
    assertThat(a.<Double>getAs("p_value")).isCloseTo(RepeatExpectation.pValue(3L, 4L, 2L), within(1e-12));
    assertThat(r.national().targetsAtRisk()).isEqualTo(4);
    assertThat(r.national().incidents()).isEqualTo(6);
    assertThat(r.national().repeatTargets()).isEqualTo(2);
    assertThat(r.national().repeatIncidents()).isEqualTo(5);
  }

  /**
   * Two cliques of four (A: a1..a4 offend together in one incident; B: b1..b4 in another) joined only through k, named
   * with a1 in an intelligence report and crossing the border with b1; and a pair x–y apart. Betweenness by hand:
   * every one of the 4 × 4 shortest paths between A and B runs a1–k–b1, so k = 16; a1 lies on the paths from a2..a4
   * (3) to k and to B (1 + 4): 15, b1 likewise; the rest 0. Normalised by (n − 1)(n − 2) / 2 = 28 (n = 9). Cut points
   * k, a1, b1; broker k. With a cap of 8 persons the nine-person network gets no betweenness.
   */
  @Test
  void networkComponentsBetweennessBrokerAndSubjectProfiles() {
    for (String p : List.of("a1", "a2", "a3", "a4")) {
      police(p, "iA", "2024-05-01", "suspect", "A", "R1");
    }
    for (String p : List.of("b1", "b2", "b3", "b4")) {
      police(p, "iB", "2024-06-01", p.equals("b2") ? "arrestee" : "suspect", "A", "R1");
    }
    police("x", "iX", "2024-06-01", "suspect", "A", "R1");
    police("y", "iX", "2024-06-01", "suspect", "A", "R1");
    police("v", "iX", "2024-06-01", "victim", "A", "R1"); // a victim is no co-offender
    police("z", "iOld", "2023-06-01", "suspect", "A", "R1");
    police("x", "iOld", "2023-06-01", "suspect", "A", "R1"); // outside the window
    intelligence("IR-1", "2024-07-01", "k", "a1");
    party("2024-08-01", "k", "b1");

    Dataset<Row> edges = OffenderNetwork.components(OffenderNetwork.edges(mentions(), FROM, TO)).cache();
    assertThat(edges.count()).isEqualTo(6 + 6 + 2 + 1);
    Row ka = edges.where(col("person_a").equalTo("a1").and(col("person_b").equalTo("k"))).head();
    assertThat(ka.<Long>getAs("intelligence")).isEqualTo(1L);
    assertThat(ka.<Long>getAs("co_offending")).isZero();
    Row kb = edges.where(col("person_a").equalTo("b1").and(col("person_b").equalTo("k"))).head();
    assertThat(kb.<Long>getAs("co_travel")).isEqualTo(1L);
    assertThat(kb.<Long>getAs("links")).isEqualTo(1L);
    assertThat(edges.select("component_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("a1", "x");

    Map<String, Row> persons = new HashMap<>();
    OffenderNetwork.persons(edges, 100).collectAsList().forEach(r -> persons.put(r.getAs("person_key"), r));
    assertThat(persons).hasSize(11);
    assertThat(persons.get("k").<Double>getAs("betweenness")).isEqualTo(16.0);
    assertThat(persons.get("k").<Double>getAs("betweenness_normalised")).isCloseTo(16 / 28.0, within(1e-12));
    assertThat(persons.get("a1").<Double>getAs("betweenness")).isEqualTo(15.0);
    assertThat(persons.get("b1").<Double>getAs("betweenness")).isEqualTo(15.0);
    assertThat(persons.get("a2").<Double>getAs("betweenness")).isZero();
    assertThat(persons.get("k").<Integer>getAs("degree")).isEqualTo(2);
    assertThat(persons.get("a1").<Integer>getAs("degree")).isEqualTo(4);
    assertThat(persons.get("k").<Long>getAs("component_size")).isEqualTo(9L);
    persons.forEach((p, r) -> {
      assertThat(r.<Boolean>getAs("cut_point")).as(p).isEqualTo(List.of("k", "a1", "b1").contains(p));
      assertThat(r.<Boolean>getAs("broker")).as(p).isEqualTo(p.equals("k"));
    });
    assertThat(persons.get("k").<Integer>getAs("rank_in_component")).isEqualTo(1);
    assertThat(persons.get("x").<Long>getAs("component_size")).isEqualTo(2L);

    Map<String, Row> capped = new HashMap<>();
    OffenderNetwork.persons(edges, 8).collectAsList().forEach(r -> capped.put(r.getAs("person_key"), r));
    assertThat(capped.get("k").<Double>getAs("betweenness")).isNull();
    assertThat(capped.get("k").<Boolean>getAs("broker")).isNull();
    assertThat(capped.get("k").<Integer>getAs("degree")).isEqualTo(2);
    assertThat(capped.get("x").<Double>getAs("betweenness")).isZero();

    // subject profiles: every record of a person, any date; associates from the window's network
    Map<String, Row> profiles = new HashMap<>();
    SubjectProfiles.of(mentions(), edges).collectAsList().forEach(r -> profiles.put(r.getAs("person_key"), r));
    Row k = profiles.get("k");
    assertThat(k.<Long>getAs("offences")).isZero();
    assertThat(k.<Long>getAs("intelligence_reports")).isEqualTo(1L);
    assertThat(k.<Long>getAs("border_crossings")).isEqualTo(1L);
    assertThat(k.<Date>getAs("last_crossing")).isEqualTo(Date.valueOf("2024-08-01"));
    assertThat(k.<String>getList(k.fieldIndex("crossing_points"))).containsExactly("Dover");
    assertThat(k.<Integer>getAs("best_source_evaluation")).isEqualTo(2);
    assertThat(k.<String>getAs("best_assessment")).isEqualTo("B");
    assertThat(k.<Long>getAs("associates")).isEqualTo(2L);
    assertThat(k.<String>getList(k.fieldIndex("associate_keys"))).containsExactly("a1", "b1");
    assertThat(k.<String>getAs("network_id")).isEqualTo("a1");
    assertThat(k.<String>getList(k.fieldIndex("sources"))).containsExactly(Mentions.BORDER, Mentions.INTELLIGENCE);
    Row x = profiles.get("x");
    assertThat(x.<Long>getAs("offences")).isEqualTo(2L); // 2023 and 2024: a profile is the whole history
    assertThat(x.<String, Long>getJavaMap(x.fieldIndex("offences_by_iccs_l1"))).containsEntry("A", 2L);
    assertThat(x.<Date>getAs("first_seen")).isEqualTo(Date.valueOf("2023-06-01"));
    assertThat(x.<Long>getAs("associates")).isEqualTo(1L); // y; z offended with x in 2023, outside the window
    assertThat(profiles.get("v").<Long>getAs("victimisations")).isEqualTo(1L);
    assertThat(profiles.get("v").<String>getAs("network_id")).isNull();
    edges.unpersist();
  }

  /**
   * Crimes of 2024 (harm 0501 = 10, 0201 = 100): R1 burglary 10 (harm 100), R1 assault 2 (200), R2 burglary 5 (50);
   * a 2023 month left out. Reports: two on R1 burglary (one graded 1/A: reliable; one 2/B), one on R2 drugs (1/B:
   * reliable). Shares of harm 100/350, 200/350, 50/350, 0 and of reports 2/3, 0, 0, 1/3 → gaps by hand; the
   * high-harm cell without intelligence (R1 assault) first.
   */
  @Test
  void intelligenceGapsSetHarmAgainstTheReportsHeld() {
    graded("IR-1", "2024-05-01", "R1", "05", 1, "A", "p1", "p2");
    graded("IR-2", "2024-06-01", "R1", "05", 2, "B", "p3");
    graded("IR-3", "2024-07-01", "R2", "07", 1, "B", "p4");
    StructType cs = new StructType().add("source_area_code", DataTypes.StringType).add("iccs_l1", DataTypes.StringType)
        .add("iccs_l2", DataTypes.StringType).add("period_month", DataTypes.DateType)
        .add("incidents", DataTypes.LongType);
    Dataset<Row> counts = spark.createDataFrame(List.of(
        RowFactory.create("R1", "05", "0501", Date.valueOf("2024-03-01"), 10L),
        RowFactory.create("R1", "02", "0201", Date.valueOf("2024-04-01"), 2L),
        RowFactory.create("R2", "05", "0501", Date.valueOf("2024-04-01"), 5L),
        RowFactory.create("R2", "02", "0201", Date.valueOf("2023-04-01"), 9L)), cs);
    Dataset<Row> harm = spark.createDataFrame(List.of(RowFactory.create("0501", 10.0), RowFactory.create("0201", 100.0)),
        new StructType().add("iccs_l2", DataTypes.StringType).add("weight", DataTypes.DoubleType));
    List<Row> gaps = IntelligenceGaps.of(counts, harm, mentions(), FROM, TO).orderBy("rank").collectAsList();
    assertThat(gaps).extracting(r -> r.getAs("area_code") + "/" + r.getAs("iccs_l1"))
        .containsExactly("R1/02", "R2/05", "R2/07", "R1/05");
    Row top = gaps.get(0);
    assertThat(top.<Long>getAs("crimes")).isEqualTo(2L);
    assertThat(top.<Double>getAs("harm")).isEqualTo(200.0);
    assertThat(top.<Long>getAs("reports")).isZero();
    assertThat(top.<Double>getAs("gap")).isCloseTo(200 / 350.0, within(1e-12));
    Row burglary = gaps.get(3);
    assertThat(burglary.<Long>getAs("reports")).isEqualTo(2L);
    assertThat(burglary.<Long>getAs("reliable_reports")).isEqualTo(1L);
    assertThat(burglary.<Double>getAs("gap")).isCloseTo(100 / 350.0 - 2 / 3.0, within(1e-12));
    assertThat(gaps.get(2).<Double>getAs("gap")).isCloseTo(-1 / 3.0, within(1e-12));
    assertThat(gaps.get(2).<Long>getAs("reliable_reports")).isEqualTo(1L);
  }
}
