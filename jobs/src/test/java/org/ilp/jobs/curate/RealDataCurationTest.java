package org.ilp.jobs.curate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.testing.RealCsv;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.ilp.jobs.ingest.IngestJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingest + curate on slices of the real police.uk and Chicago files; every expectation is recounted
 * from the CSV files in plain Java ({@link RealCsv}), not taken from the pipeline.
 */
@ExtendWith(SparkTestSupport.class)
@Order(10)
class RealDataCurationTest {
  static SparkSession spark;

  @BeforeAll
  static void pipeline() {
    spark = Warehouses.real();
  }

  static long count(String sql) {
    return spark.sql(sql).head().getLong(0);
  }

  @Test
  void everyFileReconcilesExactly() {
    List<Row> rows = spark.sql("SELECT path, rows_read, rows_accepted, rows_duplicate, rows_quarantined "
        + "FROM ops.ingest_manifest").collectAsList();
    assertThat(rows).hasSizeGreaterThan(40);
    for (Row r : rows) {
      assertThat(r.getLong(1)).as(r.getString(0)).isEqualTo(r.getLong(2) + r.getLong(3) + r.getLong(4));
    }
    // rows_read equals an independent record count of each file
    Map<String, Long> read = new HashMap<>();
    rows.forEach(r -> read.put(r.getString(0), r.getLong(1)));
    for (Path f : RealCsv.files(RealCsv.dir("police_uk_street"))) {
      long n = RealCsv.records(f).size();
      assertThat(read.get(f.toString())).as(f.toString()).isEqualTo(n);
    }
  }

  @Test
  void policeUkIncidentsEqualAnIndependentCountUnderTheRules() {
    // Rule: one incident per Crime ID; rows without a Crime ID are each an incident.
    Set<String> ids = new HashSet<>();
    long noId = 0;
    for (Path dir : List.of(RealCsv.dir("police_uk_street"), RealCsv.dir("police_uk_street_pip_2019-01"))) {
      for (Path f : RealCsv.files(dir)) {
        for (String[] r : RealCsv.records(f)) {
          if (RealCsv.blank(r[0])) {
            noId++;
          } else {
            ids.add(r[0]);
          }
        }
      }
    }
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE source = 'police_uk_street'"))
        .isEqualTo(ids.size() + noId);
    assertThat(count("SELECT count(DISTINCT incident_id) FROM silver.incidents")).isEqualTo(
        count("SELECT count(*) FROM silver.incidents"));
  }

  @Test
  void avonAndSomersetNoLocationCopiesAreNamedDuplicates() {
    Path f = RealCsv.dir("police_uk_street").resolve("2018-10/2018-10-avon-and-somerset-street.csv.gz");
    Map<String, int[]> byId = new HashMap<>(); // {geocoded, not geocoded}
    for (String[] r : RealCsv.records(f)) {
      if (!RealCsv.blank(r[0])) {
        int[] c = byId.computeIfAbsent(r[0], k -> new int[2]);
        c[RealCsv.blank(r[4]) ? 1 : 0]++;
      }
    }
    long copies = byId.values().stream().filter(c -> c[0] >= 1).mapToLong(c -> c[1]).sum();
    assertThat(copies).isGreaterThan(20);
    assertThat(count("SELECT duplicate_rules['dup.no_location_copy'] FROM ops.ingest_manifest WHERE path = '" + f + "'"))
        .isEqualTo(copies);
    // the kept row of such a crime is the geocoded one
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE source_file = '" + f + "' AND source_record_id IN ("
        + String.join(",", byId.entrySet().stream().filter(e -> e.getValue()[0] >= 1 && e.getValue()[1] >= 1)
            .map(e -> "'" + e.getKey() + "'").toList()) + ") AND lon IS NULL")).isZero();
  }

  @Test
  void northernIrelandRepublishedCrimesKeepTheirFirstMonth() {
    Path dir = RealCsv.dir("police_uk_street");
    Set<String> oct = new HashSet<>(); // Crime IDs of October (NI anti-social behaviour rows have none)
    Set<String> all = new HashSet<>();
    long octNoId = 0;
    long withId = 0;
    for (String[] r : RealCsv.records(dir.resolve("2018-10/2018-10-northern-ireland-street.csv.gz"))) {
      if (RealCsv.blank(r[0])) {
        octNoId++;
      } else {
        oct.add(r[0]);
        all.add(r[0]);
        withId++;
      }
    }
    Set<String> both = new HashSet<>(); // Crime IDs published in October and again in November
    for (String[] r : RealCsv.records(dir.resolve("2018-11/2018-11-northern-ireland-street.csv.gz"))) {
      if (!RealCsv.blank(r[0])) {
        if (oct.contains(r[0])) {
          both.add(r[0]);
        }
        all.add(r[0]);
        withId++;
      }
    }
    assertThat(both).hasSizeGreaterThanOrEqualTo(80); // the slice was cut around 80 of them (real/README.md)
    // the point-in-polygon slice holds Northern Ireland's 2019-01 file, which republishes some of them again
    for (String[] r : RealCsv.records(RealCsv.dir("police_uk_street_pip_2019-01")
        .resolve("2019-01-northern-ireland-street.csv.gz"))) {
      if (!RealCsv.blank(r[0])) {
        all.add(r[0]);
        withId++;
      }
    }
    // every surplus row of a repeated Crime ID is a named duplicate, and republication is the main one
    assertThat(count("SELECT sum(rows_duplicate) FROM ops.ingest_manifest WHERE file_name LIKE '%northern-ireland%'"))
        .isEqualTo(withId - all.size());
    // each ID published in both months leaves a loser in the other month (named no_location_copy
    // instead when only the kept row has coordinates)
    assertThat(count("SELECT sum(coalesce(duplicate_rules['dup.crime_id_other_month'], 0) "
        + "+ coalesce(duplicate_rules['dup.no_location_copy'], 0)) FROM ops.ingest_manifest "
        + "WHERE file_name LIKE '%northern-ireland%'")).isGreaterThanOrEqualTo(both.size());
    // republished in November, counted once, in October (the first month it was published)
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE agency_code = 'northern-ireland' "
        + "AND period_month = DATE'2018-10-01'")).isEqualTo(oct.size() + octNoId);
  }

  @Test
  void chicagoHomicideVictimsCollapseToOneIncidentPerCase() {
    Map<String, Set<String>> idsByCase = new HashMap<>();
    for (String[] r : RealCsv.records(RealCsv.dir("chicago_crimes").resolve("chicago_crimes_2017_sample.csv.gz"))) {
      idsByCase.computeIfAbsent(r[1], k -> new HashSet<>()).add(r[0]);
    }
    long extraVictims = idsByCase.values().stream().mapToLong(s -> s.size() - 1).sum();
    assertThat(extraVictims).isGreaterThan(10);
    assertThat(count("SELECT sum(coalesce(duplicate_rules['dup.case_number_per_victim'], 0)) FROM ops.ingest_manifest "
        + "WHERE source = 'chicago_crimes'")).isEqualTo(extraVictims);
    long maxVictims = idsByCase.values().stream().mapToLong(Set::size).max().orElseThrow();
    assertThat(spark.sql("SELECT max(victim_count) FROM silver.incidents WHERE source = 'chicago_crimes'").head().getInt(0))
        .isEqualTo((int) maxVictims);
    // both layouts (classic and API) landed, with dates parsed
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE source = 'chicago_crimes' AND year(occurred_at) = 2024"))
        .isEqualTo(1000);
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE source = 'chicago_crimes' AND iccs_l2 IS NULL")).isZero();
  }

  @Test
  void ukPointsFallInTheForceThatReportedThem() {
    // forces with a polygon, excluding City of London (coarse polygon); BTP and NI have none
    Row r = spark.sql("SELECT count(*), sum(CASE WHEN area_regional = source_area_code THEN 1 ELSE 0 END) "
        + "FROM silver.incidents WHERE source = 'police_uk_street' AND agency_level = 'regional' "
        + "AND agency_code <> 'city-of-london' AND geom IS NOT NULL").head();
    assertThat(r.getLong(0)).isGreaterThan(4000);
    assertThat((double) r.getLong(1) / r.getLong(0)).isGreaterThanOrEqualTo(0.97);
    // national level follows: every matched England/Wales point is in K04000001
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE area_regional LIKE 'E23%' AND area_national <> 'K04000001'"))
        .isZero();
    // Northern Ireland has no polygon: flagged, not invented
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE agency_code = 'northern-ireland' AND geom IS NOT NULL "
        + "AND area_match <> 'outside_all_areas'")).isZero();
  }

  @Test
  void chicagoPointsFallInTheDistrictTheyName() {
    Row r = spark.sql("SELECT count(*), sum(CASE WHEN area_regional = source_area_code THEN 1 ELSE 0 END) "
        + "FROM silver.incidents WHERE source = 'chicago_crimes' AND geom IS NOT NULL AND source_area_code IS NOT NULL").head();
    assertThat(r.getLong(0)).isGreaterThan(3000);
    assertThat((double) r.getLong(1) / r.getLong(0)).isGreaterThanOrEqualTo(0.98);
    assertThat(count("SELECT count(*) FROM silver.incidents WHERE source = 'chicago_crimes' AND area_local LIKE 'CHI-BEAT-%' "
        + "AND area_local_method = 'spatial'")).isGreaterThan(3000);
  }

  @Test
  void areaCodesEqualSedonasPointInPolygonJoin() {
    // the row lookup (AreaIndex) against Sedona's broadcast ST_Intersects join, the smallest code per level
    String sedona = "SELECT i.incident_id, "
        + "min(CASE WHEN a.level = 'local' THEN a.area_code END) AS local, "
        + "min(CASE WHEN a.level = 'regional' THEN a.area_code END) AS regional, "
        + "min(CASE WHEN a.level = 'community' THEN a.area_code END) AS community "
        + "FROM silver.incidents i JOIN ref.areas a ON a.jurisdiction = CASE WHEN i.source = 'chicago_crimes' "
        + "THEN 'chicago' ELSE 'uk' END AND a.level IN ('local', 'regional', 'community') AND a.geom IS NOT NULL "
        + "AND ST_Intersects(a.geom, i.geom) GROUP BY i.incident_id";
    spark.sql(sedona).createOrReplaceTempView("sedona_areas");
    Row r = spark.sql("SELECT count(*), "
        + "sum(CASE WHEN NOT (i.area_regional <=> s.regional) OR NOT (i.area_community <=> s.community) "
        + "OR (i.area_local_method = 'spatial' AND NOT (i.area_local <=> s.local)) THEN 1 ELSE 0 END), "
        + "sum(CASE WHEN i.area_match = 'matched' THEN 1 ELSE 0 END) "
        + "FROM silver.incidents i LEFT JOIN sedona_areas s ON i.incident_id = s.incident_id WHERE i.geom IS NOT NULL")
        .head();
    assertThat(r.getLong(2)).isGreaterThan(8000);
    assertThat(r.getLong(1)).as("points whose area codes differ from Sedona's join, of " + r.getLong(0)).isZero();
  }

  @Test
  void stopSearchIsTypedWithForceAndMonthInLocalTime() {
    long city = RealCsv.records(RealCsv.dir("police_uk_stop_search").resolve("2018-10/2018-10-city-of-london-stop-and-search.csv.gz")).size();
    assertThat(count("SELECT count(*) FROM silver.stop_search WHERE source_area_code = 'E23000034'")).isEqualTo(city);
    assertThat(count("SELECT count(*) FROM silver.stop_search WHERE occurred_at IS NULL OR period_month IS NULL")).isZero();
  }

  @Test
  void curateTwiceOnTheSameInputsWritesNothing() {
    long v = org.ilp.common.table.Delta.version(spark, Tables.SILVER_INCIDENTS);
    var p = CurateJob.Params.of(SparkTestSupport.config(), List.of(), false);
    var r = Warehouses.run(CurateJob.JOB, p.asMap(), ctx -> CurateJob.run(ctx, p));
    assertThat(r.status()).isEqualTo("noop");
    assertThat(org.ilp.common.table.Delta.version(spark, Tables.SILVER_INCIDENTS)).isEqualTo(v);
  }
}
