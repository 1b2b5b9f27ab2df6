package org.ilp.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.ilp.jobs.curate.CurateJob;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Bad files and malformed records: recorded with a reason, never fatal, nothing silently dropped. */
@ExtendWith(SparkTestSupport.class)
@Order(2)
class IngestEdgeCasesTest {
  static final String HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
      + "LSOA name,Crime type,Last outcome category,Context";
  static final String KENT = "Kent Police,Kent Police";

  @TempDir Path dir;
  SparkSession spark;

  @BeforeEach
  void reset() {
    spark = Warehouses.scratch();
  }

  JobResult ingest(Path... inputs) {
    var p = new IngestJob.Params(SourceSpec.load("police_uk_street"),
        java.util.Arrays.stream(inputs).map(Path::toString).toList());
    JobContext ctx = new JobContext(spark, SparkTestSupport.config(), "ingest", p.asMap());
    JobResult r = IngestJob.run(ctx, p);
    ctx.audit(r, null);
    return r;
  }

  void curate() {
    var p = CurateJob.Params.of(SparkTestSupport.config(), List.of("police_uk_street"), false);
    JobContext ctx = new JobContext(spark, SparkTestSupport.config(), "curate", p.asMap());
    ctx.audit(CurateJob.run(ctx, p), null);
  }

  Path write(String rel, String content) throws IOException {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  static String row(String id, String month, String lon, String lat, String type) {
    return String.join(",", id, month, KENT, lon, lat, "On or near Mill Lane", "E01024000", "Maidstone 001A", type,
        "Under investigation", "");
  }

  @Test
  void badFilesAreRecordedNotFatal() throws IOException {
    Path good = write("in/2024-01-kent-street.csv", HEADER + "\n" + row("a1", "2024-01", "0.52", "51.27", "Burglary") + "\n");
    write("in/2024-02-kent-street.csv", ""); // empty
    write("in/2024-03-kent-street.csv", HEADER + "\n"); // header only
    write("in/2024-04-kent-street.csv", HEADER + ",Extra note\n" + row("a4", "2024-04", "0.52", "51.27", "Drugs") + ",hello\n");
    // truncated gzip: a valid archive cut short
    Path gz = dir.resolve("in/2024-05-kent-street.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      StringBuilder b = new StringBuilder(HEADER).append('\n');
      for (int i = 0; i < 2000; i++) {
        b.append(row("t" + i, "2024-05", "0.52", "51.27", "Robbery")).append('\n');
      }
      o.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(all, all.length * 2 / 3));
    write("in/README.txt", "not data"); // not a source file: skipped
    // named .gz but not gzip at all; binary bytes under a .csv name
    write("in/2024-06-kent-street.csv.gz", HEADER + "\n" + row("g6", "2024-06", "0.52", "51.27", "Drugs") + "\n");
    byte[] noise = new byte[5000];
    new java.util.Random(3).nextBytes(noise);
    Files.write(dir.resolve("in/2024-07-kent-street.csv"), noise);
    // no read permission (where the JVM honours it: not as root)
    Path locked = write("in/2024-08-kent-street.csv", HEADER + "\n" + row("l8", "2024-08", "0.52", "51.27", "Drugs") + "\n");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    boolean lockedIsReadable = java.nio.file.Files.isReadable(locked);

    JobResult r = ingest(dir.resolve("in"));
    assertThat(r.status()).isEqualTo("succeeded");
    Map<String, Row> byName = new java.util.HashMap<>();
    spark.sql("SELECT file_name, status, rows_read, extra_columns, status_reason FROM ops.ingest_manifest")
        .collectAsList().forEach(x -> byName.put(x.getString(0), x));
    assertThat(byName).hasSize(8);
    assertThat(byName.get("2024-06-kent-street.csv.gz").getString(1)).isEqualTo("rejected");
    assertThat(byName.get("2024-06-kent-street.csv.gz").getString(4)).contains("not gzip");
    assertThat(byName.get("2024-07-kent-street.csv").getString(1)).isEqualTo("rejected");
    assertThat(byName.get("2024-08-kent-street.csv").getString(1)).isEqualTo(lockedIsReadable ? "ok" : "rejected");
    // every other file goes on to silver, even when another source cannot be curated at all (a bronze table
    // another tool broke): that source fails the run, after the others are curated and reconciled
    spark.sql("CREATE TABLE bronze.chicago_crimes (not_a_chicago_column STRING) USING delta");
    var cp = CurateJob.Params.of(SparkTestSupport.config(), List.of("police_uk_street", "chicago_crimes"), false);
    JobContext cctx = new JobContext(spark, SparkTestSupport.config(), "curate", cp.asMap());
    IllegalStateException failed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> CurateJob.run(cctx, cp));
    cctx.audit(null, failed);
    assertThat(failed.getMessage()).contains("curate failed for [chicago_crimes]").contains("other sources were curated");
    assertThat(spark.sql("SELECT status FROM ops.job_runs WHERE job = 'curate'").head().getString(0)).isEqualTo("failed");
    assertThat(spark.sql("SELECT sum(rows_accepted) FROM ops.ingest_manifest").head().getLong(0))
        .isEqualTo(lockedIsReadable ? 3 : 2);
    assertThat(spark.sql("SELECT source_record_id FROM silver.incidents ORDER BY 1").collectAsList())
        .extracting(x -> x.getString(0)).containsExactlyElementsOf(lockedIsReadable ? List.of("a1", "a4", "l8")
            : List.of("a1", "a4"));
    assertThat(byName.get("2024-02-kent-street.csv").getString(1)).isEqualTo("empty");
    assertThat(byName.get("2024-03-kent-street.csv").getString(1)).isEqualTo("ok");
    assertThat(byName.get("2024-03-kent-street.csv").getLong(2)).isZero();
    assertThat(byName.get("2024-04-kent-street.csv").getString(3)).isEqualTo("extra_note");
    assertThat(byName.get("2024-05-kent-street.csv.gz").getString(1)).isEqualTo("rejected");
    assertThat(byName.get("2024-05-kent-street.csv.gz").getString(4)).contains("truncated");
    assertThat(spark.sql("SELECT _extra['extra_note'] FROM bronze.police_uk_street WHERE crime_id = 'a4'").head().getString(0))
        .isEqualTo("hello");
    assertThat(spark.sql("SELECT source_file, rule FROM ops.quarantine WHERE stage = 'ingest'").collectAsList())
        .extracting(x -> x.getString(0).substring(x.getString(0).lastIndexOf('/') + 1) + ":" + x.getString(1))
        .containsExactlyInAnyOrderElementsOf(lockedIsReadable
            ? List.of("2024-05-kent-street.csv.gz:file.unreadable_compression",
                "2024-06-kent-street.csv.gz:file.unreadable_compression", "2024-07-kent-street.csv:file.header_mismatch")
            : List.of("2024-05-kent-street.csv.gz:file.unreadable_compression",
                "2024-06-kent-street.csv.gz:file.unreadable_compression", "2024-07-kent-street.csv:file.header_mismatch",
                "2024-08-kent-street.csv:file.unreadable"));

    // the same inputs again: nothing new
    long v = Delta.version(spark, Tables.bronze(SourceSpec.load("police_uk_street")));
    assertThat(ingest(dir.resolve("in")).status()).isEqualTo("noop");
    assertThat(Delta.version(spark, Tables.bronze(SourceSpec.load("police_uk_street")))).isEqualTo(v);
    // a changed file with the same name is a new version, ingested and counted
    Files.writeString(good, HEADER + "\n" + row("a1", "2024-01", "0.52", "51.27", "Burglary") + "\n"
        + row("a2", "2024-01", "0.53", "51.28", "Drugs") + "\n");
    JobResult again = ingest(dir.resolve("in"));
    assertThat(again.rowsIn().get("records")).isEqualTo(2L);
    assertThat(spark.sql("SELECT count(*) FROM ops.ingest_manifest WHERE file_name = '2024-01-kent-street.csv'")
        .head().getLong(0)).isEqualTo(2);
  }

  @Test
  void everyMalformedKindIsQuarantinedWithARuleAndFilesReconcile() throws IOException {
    String data = HEADER + "\n"
        + row("ok1", "2024-01", "0.52", "51.27", "Burglary") + "\n"
        + "short,2024-01,Kent Police\n" // too few fields
        + row("long", "2024-01", "0.52", "51.27", "Burglary") + ",x,y\n" // too many fields
        + row("badmonth", "2024-13", "0.52", "51.27", "Burglary") + "\n"
        + row("badlon", "2024-01", "east", "51.27", "Burglary") + "\n"
        + row("unknown", "2024-01", "0.52", "51.27", "Teleportation offences") + "\n"
        + row("blanktype", "2024-01", "0.52", "51.27", "") + "\n"
        + row("zero", "2024-01", "0", "0", "Drugs") + "\n"
        + row("far", "2024-01", "200", "91.5", "Drugs") + "\n"
        + String.join(",", "nl", "2024-01", KENT, "0.52", "51.27", "\"On or near\nMill Lane\"", "E01024000",
            "Maidstone 001A", "Drugs", "Under investigation", "") + "\n";
    write("in/2024-01-kent-street.csv", data);
    ingest(dir.resolve("in"));
    curate();
    Map<String, String> ruleById = new java.util.HashMap<>();
    for (Row q : spark.sql("SELECT coalesce(get_json_object(raw_text, '$.crime_id'), raw_text), rule, reason "
        + "FROM ops.quarantine WHERE disposition = 'rejected'").collectAsList()) {
      assertThat(q.getString(2)).isNotBlank();
      ruleById.put(q.getString(0).split(",")[0], q.getString(1));
    }
    assertThat(ruleById).containsEntry("short", "parse.malformed_record").containsEntry("long", "parse.malformed_record")
        .containsEntry("badmonth", "parse.period_month").containsEntry("badlon", "parse.lon")
        .containsEntry("unknown", "taxonomy.unmapped").containsEntry("blanktype", "required.source_category")
        .hasSize(6);
    // bad coordinates: listed in quarantine as flagged, kept in silver, not corrected
    assertThat(spark.sql("SELECT get_json_object(raw_text, '$.crime_id'), rule FROM ops.quarantine "
        + "WHERE disposition = 'flagged' ORDER BY 1").collectAsList()).extracting(x -> x.getString(0) + ":" + x.getString(1))
        .containsExactly("far:location.out_of_range", "zero:location.zero_zero");
    assertThat(spark.sql("SELECT source_record_id, location_quality, lon FROM silver.incidents ORDER BY 1").collectAsList())
        .extracting(x -> x.getString(0) + ":" + x.getString(1) + ":" + x.get(2))
        .containsExactly("far:out_of_range:200.0", "nl:ok:0.52", "ok1:ok:0.52", "zero:zero_zero:0.0");
    // a quoted newline is one record
    Row m = spark.sql("SELECT rows_read, rows_accepted, rows_duplicate, rows_quarantined FROM ops.ingest_manifest").head();
    assertThat(m.getLong(0)).isEqualTo(10);
    assertThat(m.getLong(1) + m.getLong(2) + m.getLong(3)).isEqualTo(10);
    assertThat(spark.sql("SELECT rows_failed FROM ops.dq_results WHERE rule = 'taxonomy.unmapped'").head().getLong(0))
        .isEqualTo(1);
  }

  @Test
  void rowsOfAnInterruptedRunAreRemovedBeforeTheNextIngest() throws IOException {
    write("in/2024-01-kent-street.csv", HEADER + "\n" + row("a1", "2024-01", "0.52", "51.27", "Burglary") + "\n");
    ingest(dir.resolve("in"));
    // simulate a run killed after its bronze append but before its manifest rows
    spark.sql("INSERT INTO bronze.police_uk_street SELECT crime_id, month, reported_by, falls_within, longitude, "
        + "latitude, location, lsoa_code, lsoa_name, crime_type, last_outcome_category, context, _extra, "
        + "_corrupt_record, '/x/2024-02-kent-street.csv', 'abc', _row_number, 'ingest-killed', _ingested_at "
        + "FROM bronze.police_uk_street");
    write("in2/2024-02-kent-street.csv", HEADER + "\n" + row("b1", "2024-02", "0.52", "51.27", "Burglary") + "\n");
    ingest(dir.resolve("in2"));
    assertThat(spark.sql("SELECT count(*) FROM bronze.police_uk_street WHERE _ingest_run_id = 'ingest-killed'")
        .head().getLong(0)).isZero();
    assertThat(spark.sql("SELECT count(*) FROM bronze.police_uk_street").head().getLong(0)).isEqualTo(2);
  }

  /**
   * A scheduled run does not read again a file it ingested: the same path, size and modification time are taken as
   * the same file (shown here by bytes changed behind an unchanged time, which a real delivery never does). A new
   * time makes the file read, checksummed and, as new bytes, ingested as a new version.
   */
  @Test
  void aFileWithTheSamePathSizeAndTimeIsNotReadAgain() throws IOException {
    Path f = write("in/2024-01-kent-street.csv", HEADER + "\n" + row("a1", "2024-01", "0.52", "51.27", "Burglary") + "\n");
    assertThat(ingest(dir.resolve("in")).status()).isEqualTo("succeeded");
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(f);
    Files.writeString(f, HEADER + "\n" + row("a2", "2024-01", "0.52", "51.27", "Burglary") + "\n");
    Files.setLastModifiedTime(f, time);
    assertThat(ingest(dir.resolve("in")).status()).isEqualTo("noop");
    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(time.toMillis() + 1000));
    assertThat(ingest(dir.resolve("in")).status()).isEqualTo("succeeded");
    assertThat(spark.sql("SELECT crime_id FROM bronze.police_uk_street ORDER BY crime_id").collectAsList().toString())
        .isEqualTo("[[a1], [a2]]");
    assertThat(spark.sql("SELECT count(*) FROM ops.ingest_manifest WHERE modified_at IS NOT NULL").head().getLong(0))
        .isEqualTo(2);
  }
}
