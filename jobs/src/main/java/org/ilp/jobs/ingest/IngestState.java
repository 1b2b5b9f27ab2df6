package org.ilp.jobs.ingest;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.RunLog;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/** What {@link IngestJob} knows from earlier runs: files already ingested, and bronze rows of interrupted runs. */
final class IngestState {
  private IngestState() {}

  /**
   * The source's ingested file versions from the manifest (one query): their checksums (→ a file name), paths, and their
   * {@code path|time|bytes} stamps ({@link org.ilp.common.source.FileScanner#stamp}) where the manifest has the time.
   */
  static void knownFiles(SparkSession spark, String source, Map<String, String> checksums, Set<String> paths,
      Set<String> stamps) {
    if (!Delta.exists(spark, Tables.OPS_INGEST_MANIFEST)) {
      return;
    }
    for (Row r : Delta.read(spark, Tables.OPS_INGEST_MANIFEST).where(col("source").equalTo(source))
        .select(col("checksum"), col("path"), col("bytes"), col("modified_at"), col("file_name")).collectAsList()) {
      checksums.putIfAbsent(r.getString(0), r.getString(4));
      paths.add(r.getString(1));
      if (!r.isNullAt(3)) {
        stamps.add(r.getString(1) + "|" + r.getTimestamp(3).getTime() + "|" + r.getLong(2));
      }
    }
  }

  /** The modification time of a {@link org.ilp.common.source.FileScanner#stamp} ({@code time|bytes}), or null. */
  static Timestamp modifiedAt(String stamp) {
    return stamp == null ? null : new Timestamp(Long.parseLong(stamp.substring(0, stamp.indexOf('|'))));
  }

  /**
   * Whether bronze is at the version the last completed ingest of the source left it (a run's log row is written
   * after its manifest): then no run was interrupted since, and the scan of bronze's run ids is not needed.
   */
  static boolean bronzeAsLeft(SparkSession spark, SourceSpec spec, TableDef bronze) {
    for (Row r : RunLog.of(spark).runs(IngestJob.JOB)) {
      Map<String, String> p = r.isNullAt(r.fieldIndex("parameters")) ? null : r.getJavaMap(r.fieldIndex("parameters"));
      String status = r.getAs("status");
      if (p != null && spec.name().equals(p.get("source")) && ("succeeded".equals(status) || "noop".equals(status))) {
        Long left = versionOf(r, "output_versions", bronze);
        left = left != null ? left : versionOf(r, "input_versions", bronze);
        return left != null && left == Delta.version(spark, bronze);
      }
    }
    return false;
  }

  private static Long versionOf(Row run, String column, TableDef table) {
    Map<String, Long> m = run.isNullAt(run.fieldIndex(column)) ? null : run.getJavaMap(run.fieldIndex(column));
    return m == null ? null : m.get(table.name());
  }

  /** Deletes bronze rows of runs that never wrote their manifest (a run killed mid-way). */
  static long deleteOrphans(JobContext ctx, SourceSpec spec) {
    SparkSession spark = ctx.spark();
    TableDef bronze = Tables.bronze(spec);
    if (!Delta.exists(spark, bronze) || bronzeAsLeft(spark, spec, bronze)) {
      return 0;
    }
    Set<String> manifestRuns = Delta.readOrEmpty(spark, Tables.OPS_INGEST_MANIFEST).where(col("source").equalTo(spec.name()))
        .select("run_id").distinct().collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    List<String> bronzeRuns = Delta.read(spark, bronze).select("_ingest_run_id").distinct().collectAsList().stream()
        .map(r -> r.getString(0)).filter(r -> !manifestRuns.contains(r)).toList();
    if (bronzeRuns.isEmpty()) {
      return 0;
    }
    ctx.info("      removing bronze rows of {} interrupted run(s): {}", bronzeRuns.size(), bronzeRuns);
    Writes.delete(spark, bronze, col("_ingest_run_id").isin(bronzeRuns.toArray()));
    // their quarantine rows too, so the re-ingest does not count them twice
    Writes.delete(spark, Tables.OPS_QUARANTINE,
        col("source").equalTo(spec.name()).and(col("run_id").isin(bronzeRuns.toArray())));
    return bronzeRuns.size();
  }
}
