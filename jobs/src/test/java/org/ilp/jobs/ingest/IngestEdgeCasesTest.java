package org.ilp.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.curate.Curation;
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

  // bad files and malformed records of every kind: CorpusTest (the corpus of broken dumps)

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

  static final String INTEL = "source { name = test_intel_reports, description = test, jurisdiction = uk, "
      + "target = persons, format = jsonl, file-pattern = \".*\\\\.jsonl(\\\\.gz)?$\", "
      + "columns = [report_id, submitted_at, grading, subjects, text], crs = \"EPSG:4326\", timezone = UTC, "
      + "canonical {}, dedupe = content, source-area-map = none }";
  static final String CROSSINGS = "source { name = test_crossings, description = test, jurisdiction = uk, "
      + "target = persons, format = parquet, file-pattern = \".*\\\\.parquet$\", "
      + "columns = [crossing_id, crossed_at, person, co_travellers, party_size], crs = \"EPSG:4326\", timezone = UTC, "
      + "canonical {}, dedupe = content, source-area-map = none }";

  /**
   * JSON Lines and Parquet files reconcile as CSV files do: every record read is in bronze or in quarantine with a
   * reason at its file and row, a file that cannot be read is rejected with a reason, and the others go on.
   */
  @Test
  void jsonLinesAndParquetFilesReconcileLikeCsv() throws Exception {
    write("j/a.jsonl", String.join("\n",
        "{\"report_id\":\"r1\",\"submitted_at\":\"2024-01-02T10:00:00Z\",\"grading\":{\"source\":1,\"intel\":\"A\"},"
            + "\"subjects\":[{\"name\":\"X\"}],\"text\":\"caf\u00e9, \\\"quoted\\\"\"}",
        "{\"report_id\":\"r2\",\"submitted_at\":5,\"subjects\":[],\"extra_key\":\"kept\"}",
        "{\"report_id\":\"r3\", broken",
        "",
        "\"just a string\"") + "\n");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("j/b.jsonl.gz")))) {
      o.write("{\"report_id\":\"r4\",\"text\":\"gz\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] noise = new byte[3000];
    new java.util.Random(5).nextBytes(noise);
    Files.write(dir.resolve("j/c.jsonl"), noise);
    write("j/d.jsonl", "\n\n");
    JobResult jr = ingestSpec(SourceSpec.parse(INTEL), dir.resolve("j"));
    assertThat(jr.status()).isEqualTo("succeeded");

    // Parquet written by Spark: a good file, one of another schema, one cut short, one of 0 bytes
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("crossing_id", "string").add("crossed_at", "timestamp")
        .add("person", new org.apache.spark.sql.types.StructType().add("given", "string").add("family", "string"))
        .add("co_travellers", org.apache.spark.sql.types.DataTypes.createArrayType(
            org.apache.spark.sql.types.DataTypes.StringType))
        .add("party_size", "int");
    Path good = parquetFile(spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create("c1", java.sql.Timestamp.valueOf("2024-03-04 05:06:07"),
            org.apache.spark.sql.RowFactory.create("ANNA", "NOWAK"), List.of("p2", "p3"), 3),
        org.apache.spark.sql.RowFactory.create("c2", null, null, null, null)), schema), "p/x1.parquet");
    parquetFile(spark.range(3).selectExpr("id AS a", "'b' AS b"), "p/x2.parquet");
    byte[] all = Files.readAllBytes(good);
    Files.write(dir.resolve("p/x3.parquet"), java.util.Arrays.copyOf(all, all.length / 2));
    Files.write(dir.resolve("p/x4.parquet"), new byte[0]);
    assertThat(ingestSpec(SourceSpec.parse(CROSSINGS), dir.resolve("p")).status()).isEqualTo("succeeded");

    Map<String, Row> byName = new java.util.HashMap<>();
    spark.sql("SELECT file_name, status, rows_read, rows_bronze, rows_quarantined_ingest, status_reason, extra_columns "
        + "FROM ops.ingest_manifest").collectAsList().forEach(x -> byName.put(x.getString(0), x));
    assertThat(byName).hasSize(8);
    assertThat(byName.get("a.jsonl").getLong(2)).isEqualTo(4); // the blank line is no record
    assertThat(byName.get("a.jsonl").getLong(3)).isEqualTo(2); // in bronze, not counting the corrupt ones
    assertThat(byName.get("a.jsonl").getLong(4)).isEqualTo(2);
    assertThat(byName.get("a.jsonl").getString(6)).isEqualTo("extra_key");
    assertThat(byName.get("b.jsonl.gz").getLong(3)).isEqualTo(1);
    assertThat(byName.get("c.jsonl").getString(1)).isEqualTo("rejected");
    assertThat(byName.get("c.jsonl").getString(5)).contains("no line is a JSON object");
    assertThat(byName.get("d.jsonl").getString(1)).isEqualTo("empty");
    assertThat(byName.get("x1.parquet").getLong(3)).isEqualTo(2);
    assertThat(byName.get("x2.parquet").getString(1)).isEqualTo("rejected");
    assertThat(byName.get("x2.parquet").getString(5)).contains("header does not look like source test_crossings");
    assertThat(byName.get("x3.parquet").getString(1)).isEqualTo("rejected");
    assertThat(byName.get("x3.parquet").getString(5)).contains("not a Parquet file");
    assertThat(byName.get("x4.parquet").getString(1)).isEqualTo("empty");
    // ingest's part of the reconciliation (curation adds accepted and duplicate rows)
    assertThat(spark.sql("SELECT count(*) FROM ops.ingest_manifest "
        + "WHERE rows_read <> rows_bronze + rows_quarantined_ingest").head().getLong(0)).isZero();

    Map<String, Row> intel = new java.util.HashMap<>();
    spark.sql("SELECT report_id, submitted_at, grading, subjects, text, _extra['extra_key'], _row_number "
        + "FROM bronze.test_intel_reports WHERE _corrupt_record IS NULL").collectAsList()
        .forEach(x -> intel.put(x.getString(0), x));
    assertThat(intel).containsOnlyKeys("r1", "r2", "r4");
    assertThat(intel.get("r1").getString(2)).isEqualTo("{\"source\":1,\"intel\":\"A\"}");
    assertThat(intel.get("r1").getString(3)).isEqualTo("[{\"name\":\"X\"}]");
    assertThat(intel.get("r1").getString(4)).isEqualTo("caf\u00e9, \"quoted\"");
    assertThat(intel.get("r2").getString(1)).isEqualTo("5");
    assertThat(intel.get("r2").getString(5)).isEqualTo("kept");
    assertThat(intel.get("r2").getLong(6)).isEqualTo(2);
    assertThat(spark.sql("SELECT row_number, reason FROM ops.quarantine WHERE source = 'test_intel_reports' "
        + "AND row_number IS NOT NULL ORDER BY row_number").collectAsList())
        .extracting(x -> x.getLong(0) + ": " + x.getString(1).substring(0, 25))
        .containsExactly("3: line is not a JSON object", "4: line is not a JSON object");
    Row c1 = spark.sql("SELECT crossed_at, person, co_travellers, party_size FROM bronze.test_crossings "
        + "WHERE crossing_id = 'c1'").head();
    assertThat(c1.getString(0)).isEqualTo("2024-03-04 05:06:07");
    assertThat(c1.getString(1)).isEqualTo("{\"given\":\"ANNA\",\"family\":\"NOWAK\"}");
    assertThat(c1.getString(2)).isEqualTo("[\"p2\",\"p3\"]");
    assertThat(c1.getString(3)).isEqualTo("3");
  }

  JobResult ingestSpec(SourceSpec spec, Path input) {
    var p = new IngestJob.Params(spec, List.of(input.toString()));
    JobContext ctx = new JobContext(spark, SparkTestSupport.config(), "ingest", p.asMap());
    JobResult r = IngestJob.run(ctx, p);
    ctx.audit(r, null);
    return r;
  }

  /** Writes a frame as one Parquet file at {@code rel} (Spark writes a folder; its one part file is moved). */
  Path parquetFile(org.apache.spark.sql.Dataset<Row> df, String rel) throws IOException {
    Path tmp = dir.resolve("spark-" + rel.replace('/', '-'));
    df.coalesce(1).write().parquet(tmp.toString());
    Path part;
    try (var s = Files.list(tmp)) {
      part = s.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path target = dir.resolve(rel);
    Files.createDirectories(target.getParent());
    return Files.move(part, target);
  }
}
