package org.ilp.jobs.curate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.table.Delta;
import org.ilp.common.testing.RealCsv;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.ilp.jobs.ingest.IngestJob;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two real City of London downloads of 2018-10 disagree on some outcomes. Ingesting the second
 * later must update exactly those incidents (newer data wins, via MERGE), keep the count, and leave
 * the first state reachable by Delta time travel. Runs on the real-data warehouse (which holds the first download),
 * after the classes that read it: the second download changes it, so it is marked for a rebuild afterwards.
 */
@ExtendWith(SparkTestSupport.class)
@Order(12)
class CorrectionsMergeTest {
  @Test
  void newerDownloadWinsAndOlderStateStaysReachable() {
    SparkSession spark = Warehouses.real();
    Path first = RealCsv.dir("police_uk_street").resolve("2018-10/2018-10-city-of-london-street.csv.gz");
    Path second = RealCsv.dir("police_uk_street_second_download").resolve("2018-10/2018-10-city-of-london-street.csv.gz");
    // independent: Crime IDs whose outcome differs between the downloads
    // (only Crime IDs that occur once in each file, so "the" outcome of each download is unambiguous)
    Map<String, String> a = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String[] r : RealCsv.records(first)) {
      if (!RealCsv.blank(r[0])) {
        a.put(r[0], r[10]);
        seen.merge(r[0], 1, Integer::sum);
      }
    }
    Map<String, String> b = new HashMap<>();
    for (String[] r : RealCsv.records(second)) {
      if (!RealCsv.blank(r[0])) {
        b.put(r[0], r[10]);
        seen.merge(r[0], 100, Integer::sum);
      }
    }
    Map<String, String> changed = new HashMap<>();
    b.forEach((id, outcome) -> {
      if (seen.get(id) == 101 && !java.util.Objects.equals(a.get(id), outcome)) {
        changed.put(id, outcome);
      }
    });
    assertThat(changed).isNotEmpty();

    // the real warehouse curated the first download with every other file
    assertThat(spark.sql("SELECT count(*) FROM ops.ingest_manifest WHERE path = '" + first + "' AND rows_accepted > 0")
        .head().getLong(0)).isOne();
    long v1 = Delta.version(spark, Tables.SILVER_INCIDENTS);
    long n1 = spark.table("silver.incidents").count();
    Warehouses.invalidate(); // the second download changes the shared warehouse
    ingestAndCurate(spark, second);
    long v2 = Delta.version(spark, Tables.SILVER_INCIDENTS);
    assertThat(v2).isGreaterThan(v1);
    assertThat(spark.table("silver.incidents").count()).isEqualTo(n1);

    // two reads for all the changed incidents: now, and as of the first download's version
    String ids = changed.keySet().stream().map(id -> "'" + id + "'").collect(java.util.stream.Collectors.joining(","));
    Map<String, List<Row>> now = new HashMap<>();
    spark.sql("SELECT source_record_id, outcome, source_file FROM silver.incidents WHERE source_record_id IN (" + ids
        + ")").collectAsList().forEach(r -> now.computeIfAbsent(r.getString(0), k -> new java.util.ArrayList<>()).add(r));
    Map<String, String> before = new HashMap<>();
    spark.sql("SELECT source_record_id, outcome FROM silver.incidents VERSION AS OF " + v1 + " WHERE source_record_id IN ("
        + ids + ")").collectAsList().forEach(r -> before.put(r.getString(0), r.getString(1)));
    for (Map.Entry<String, String> e : changed.entrySet()) {
      assertThat(now.get(e.getKey())).as(e.getKey()).hasSize(1);
      assertThat(now.get(e.getKey()).get(0).getString(1)).isEqualTo(e.getValue());
      assertThat(now.get(e.getKey()).get(0).getString(2)).contains("second_download");
      assertThat(before.get(e.getKey())).as(e.getKey()).isEqualTo(a.get(e.getKey()));
    }
    // the MERGE touched only what changed: every incident of the first download is now a republished copy
    Row m = spark.sql("SELECT rows_accepted, rows_duplicate FROM ops.ingest_manifest WHERE path = '" + first + "'").head();
    assertThat(m.getLong(0)).isZero();
    assertThat(m.getLong(1)).isEqualTo(RealCsv.records(first).size());
  }

  static void ingestAndCurate(SparkSession spark, Path file) {
    var p = new IngestJob.Params(SourceSpec.load("police_uk_street"), List.of(file.toString()));
    JobContext ctx = new JobContext(spark, SparkTestSupport.config(), "ingest", p.asMap());
    ctx.audit(IngestJob.run(ctx, p), null);
    // the MERGE path of an increment that re-ranks earlier records (a table this small is otherwise replaced: the
    // generated warehouse's increment, IncrementalCurateTest)
    var c = CurateJob.Params.of(SparkTestSupport.config(), List.of("police_uk_street"), false).withReplaceMaxBytes(0);
    JobContext cctx = new JobContext(spark, SparkTestSupport.config(), "curate", c.asMap());
    cctx.audit(CurateJob.run(cctx, c), null);
  }
}
