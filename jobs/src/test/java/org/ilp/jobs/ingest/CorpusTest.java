package org.ilp.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.curate.CurateJob;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, point 5: a corpus of broken dumps (test resources corpus/, made by corpus/make_corpus.py: one defect a
 * file) plus what only a file system can hold (a symlink loop, a directory where a file is expected, the same file
 * under two names, a file changed after ingest). Every file ends in ops.ingest_manifest with a status and a reason,
 * every record in silver or in ops.quarantine with a rule (its Crime ID says which), nothing crashes, no good record
 * is lost.
 */
@ExtendWith(SparkTestSupport.class)
@Order(2)
class CorpusTest {
  @TempDir Path dir;

  static JobResult ingest(SparkSession spark, Path in) {
    var p = new IngestJob.Params(SourceSpec.load("police_uk_street"), List.of(in.toString()));
    JobContext ctx = new JobContext(spark, SparkTestSupport.config(), "ingest", p.asMap());
    JobResult r = IngestJob.run(ctx, p);
    ctx.audit(r, null);
    return r;
  }

  @Test
  void everyFileAndRecordOfTheCorpusIsAccountedFor() throws Exception {
    SparkSession spark = Warehouses.scratch();
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Path corpus = Path.of(getClass().getResource("/corpus/police_uk_street").toURI());
    try (var s = Files.list(corpus)) {
      for (Path f : s.toList()) {
        Files.copy(f, in.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    Files.copy(in.resolve("2024-01-kent-street.csv"), in.resolve("2025-10-kent-street.csv")); // the same bytes again
    Files.createDirectories(in.resolve("2026-01-kent-street.csv")); // a directory where a file is expected
    Files.createSymbolicLink(in.resolve("loop"), in); // a symlink loop
    // no read permission (where the JVM honours it: not as root)
    Path locked = Files.writeString(in.resolve("2026-02-kent-street.csv"), Files.readString(in.resolve(
        "2024-01-kent-street.csv")).replace("ok-clean-", "ok-locked-"));
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    boolean lockedIsReadable = Files.isReadable(locked);

    assertThat(ingest(spark, in).status()).isEqualTo("succeeded");
    // every file goes on to silver, even when another source cannot be curated at all (a bronze table another tool
    // broke): that source fails the run, after the others are curated and reconciled
    spark.sql("CREATE TABLE bronze.chicago_crimes (not_a_chicago_column STRING) USING delta");
    var cp = CurateJob.Params.of(SparkTestSupport.config(), List.of("police_uk_street", "chicago_crimes"), false);
    JobContext cctx = new JobContext(spark, SparkTestSupport.config(), "curate", cp.asMap());
    IllegalStateException failed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> CurateJob.run(cctx, cp));
    cctx.audit(null, failed);
    assertThat(failed.getMessage()).contains("curate failed for [chicago_crimes]").contains("other sources were curated");
    assertThat(spark.sql("SELECT status FROM ops.job_runs WHERE job = 'curate'").head().getString(0)).isEqualTo("failed");

    // every file: a status and, where not ok, a reason
    Map<String, Row> files = new TreeMap<>();
    spark.sql("SELECT file_name, status, status_reason, rows_read, rows_accepted + rows_duplicate + rows_quarantined, "
        + "missing_columns FROM ops.ingest_manifest").collectAsList().forEach(r -> files.put(r.getString(0), r));
    Map<String, String> status = new TreeMap<>();
    files.forEach((k, v) -> status.put(k, v.getString(1)));
    Map<String, String> expected = new TreeMap<>(Map.ofEntries(Map.entry("2024-01-kent-street.csv", "ok"),
        Map.entry("2024-02-kent-street.csv", "rejected"), Map.entry("2024-03-kent-street.csv", "ok"),
        Map.entry("2024-04-kent-street.csv", "ok"), Map.entry("2024-05-kent-street.csv", "ok"),
        Map.entry("2024-06-kent-street.csv", "ok"), Map.entry("2024-07-kent-street.csv", "ok"),
        Map.entry("2024-08-kent-street.csv", "ok"), Map.entry("2024-09-kent-street.csv", "ok"),
        Map.entry("2024-10-kent-street.csv", "rejected"), Map.entry("2024-11-kent-street.csv", "ok"),
        Map.entry("2024-12-kent-street.csv", "ok"), Map.entry("2025-01-kent-street.csv", "ok"),
        Map.entry("2025-02-kent-street.csv", "ok"), Map.entry("2025-03-kent-street.csv", "ok"),
        Map.entry("2025-04-kent-street.csv", "empty"), Map.entry("2025-05-kent-street.csv", "ok"),
        Map.entry("2025-06-kent-street.csv.gz", "rejected"), Map.entry("2025-07-kent-street.csv", "rejected"),
        Map.entry("2025-08-kent-street.csv.gz", "rejected"), Map.entry("2025-09-kent-street.csv", "ok"),
        Map.entry("2025-10-kent-street.csv", "duplicate"), Map.entry("2025-11-kent-street.csv", "ok"),
        Map.entry("2026-02-kent-street.csv", lockedIsReadable ? "ok" : "rejected"), Map.entry("README.txt", "unrecognised")));
    assertThat(status).isEqualTo(expected);
    files.values().stream().filter(r -> !"ok".equals(r.getString(1)))
        .forEach(r -> assertThat(r.getString(2)).as(r.getString(0)).isNotBlank().doesNotContain("\uFFFD"));
    assertThat(files.get("2024-02-kent-street.csv").getString(2)).contains("separated by ';'");
    assertThat(files.get("2024-10-kent-street.csv").getString(2)).contains("not named .gz");
    assertThat(files.get("2025-07-kent-street.csv").getString(2)).contains("binary content");
    assertThat(files.get("2025-06-kent-street.csv.gz").getString(2)).contains("truncated");
    assertThat(files.get("2025-10-kent-street.csv").getString(2)).contains("2024-01-kent-street.csv");
    assertThat(files.get("README.txt").getString(2)).contains("not one of source police_uk_street's");
    assertThat(files.get("2024-07-kent-street.csv").getString(5)).isEqualTo("context");
    if (!lockedIsReadable) {
      assertThat(files.get("2026-02-kent-street.csv").getString(2)).contains("cannot read the file");
    }
    assertThat(spark.sql("SELECT extra_columns FROM ops.ingest_manifest WHERE file_name = '2025-11-kent-street.csv'")
        .head().getString(0)).isEqualTo("extra_note");
    assertThat(spark.sql("SELECT _extra['extra_note'] FROM bronze.police_uk_street WHERE crime_id = 'ok-extra-col'")
        .head().getString(0)).isEqualTo("hello");
    files.values().forEach(r -> assertThat(r.getLong(4)).as("reconciles: " + r.getString(0)).isEqualTo(r.getLong(3)));

    // every record: in silver (ok-*, f-*) or quarantined with its rule (q-*); nothing of a rejected file (x-*)
    Map<String, Row> silver = new HashMap<>();
    spark.sql("SELECT source_record_id, location_text, iccs_l2, location_quality FROM silver.incidents").collectAsList()
        .forEach(r -> silver.put(r.getString(0), r));
    assertThat(silver.keySet().stream().filter(k -> !k.startsWith("ok-locked-")).toList()).containsExactlyInAnyOrder("ok-clean-1", "ok-clean-2", "ok-bom", "ok-latin1",
        "ok-crlf-1", "ok-crlf-2", "ok-quoted", "ok-missing-col", "ok-reordered", "ok-before-repeat", "ok-after-repeat",
        "ok-after-overlong", "ok-after-nul", "ok-month", "ok-odd-case", "ok-after-short", "ok-extra-col", "f-swapped",
        "f-zero");
    assertThat(silver.get("ok-latin1").getString(1)).isEqualTo("On or near Caf\u00e9 Row");
    assertThat(silver.get("ok-crlf-2").getString(1)).isEqualTo("On or near Mill Lane");
    assertThat(silver.get("ok-quoted").getString(1)).isEqualTo("On or near \"Mill\" Lane\nRear");
    assertThat(silver.get("ok-odd-case").getString(2)).isEqualTo("0501");
    assertThat(silver.get("f-swapped").getString(3)).isEqualTo("out_of_range");
    Map<String, String> rules = new TreeMap<>();
    spark.sql("SELECT coalesce(get_json_object(raw_text, '$.crime_id'), split(raw_text, ',')[0]), rule, disposition, "
        + "reason FROM ops.quarantine WHERE row_number IS NOT NULL").collectAsList().forEach(r -> {
          assertThat(r.getString(3)).as(r.getString(0)).isNotBlank();
          // the repeated header row breaks every parse rule (month, longitude, latitude): whichever is checked first
          rules.put(r.getString(0), r.getString(0).equals("Crime ID") && r.getString(1).startsWith("parse.")
              ? "parse.* " + r.getString(2) : r.getString(1) + " " + r.getString(2));
        });
    assertThat(rules).isEqualTo(new TreeMap<>(Map.ofEntries(
        Map.entry("q-unbalanced", "parse.malformed_record rejected"), Map.entry("Crime ID", "parse.* rejected"),
        Map.entry("q-overlong", "parse.field_too_long rejected"), Map.entry("q-nul", "parse.control_characters rejected"),
        Map.entry("q-month-13", "parse.period_month rejected"), Map.entry("q-far-future", "range.period_month rejected"),
        Map.entry("q-text-lon", "parse.lon rejected"), Map.entry("q-unknown-category", "taxonomy.unmapped rejected"),
        Map.entry("q-unknown-force", "agency.unknown rejected"), Map.entry("f-swapped", "location.out_of_range flagged"),
        Map.entry("f-zero", "location.zero_zero flagged"), Map.entry("q-short", "parse.malformed_record rejected"),
        Map.entry("q-long", "parse.malformed_record rejected"), Map.entry("q-blank-type", "required.source_category rejected"))));
    if (lockedIsReadable) {
      assertThat(silver).containsKeys("ok-locked-1", "ok-locked-2");
    }
    // the data-quality log counts each rule's failures
    assertThat(spark.sql("SELECT rows_failed FROM ops.dq_results WHERE rule = 'taxonomy.unmapped'").head().getLong(0))
        .isEqualTo(1);

    // the same inputs again: nothing new (nothing listed again); a file changed after ingest is a new version
    long manifestRows = files.size();
    long bronzeVersion = org.ilp.common.table.Delta.version(spark, org.ilp.common.table.Tables.bronze(
        SourceSpec.load("police_uk_street")));
    assertThat(ingest(spark, in).status()).isEqualTo("noop");
    assertThat(org.ilp.common.table.Delta.version(spark, org.ilp.common.table.Tables.bronze(
        SourceSpec.load("police_uk_street")))).isEqualTo(bronzeVersion);
    Files.writeString(in.resolve("2024-05-kent-street.csv"), Files.readString(in.resolve("2024-05-kent-street.csv"))
        + String.join(",", "ok-crlf-3", "2024-01", "Kent Police", "Kent Police", "0.52", "51.27", "On or near Mill Lane",
            "E01024000", "Maidstone 001A", "Burglary", "Under investigation", "") + "\r\n");
    ingest(spark, in); // (its curate is IncrementalCurateTest's subject)
    assertThat(spark.sql("SELECT file_name, rows_read FROM ops.ingest_manifest").count()).isEqualTo(manifestRows + 1);
    assertThat(spark.sql("SELECT rows_read FROM ops.ingest_manifest WHERE file_name = '2024-05-kent-street.csv' "
        + "ORDER BY ingested_at").collectAsList()).extracting(r -> r.getLong(0)).containsExactly(2L, 3L);
  }
}
