package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.curate.Increment;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Delta;
import org.ilp.common.spark.JobContext;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * The curate run's state besides bronze and silver: which earlier records an increment re-ranks (from
 * ops.curate_verdicts), and the run's writes, once for all sources.
 */
final class CurateState {
  private CurateState() {}

  /** An increment's touched groups, the earlier records to re-rank (their keys, files and count). */
  record Earlier(Dataset<Row> groups, Dataset<Row> keys, List<String> files, long rows) {}

  /** The earlier records of the groups the new records ({@code keyed}, from the {@code fresh} files) touch. */
  static Earlier earlier(SparkSession spark, SourceSpec spec, Dataset<Row> keyed, List<String> fresh) {
    Dataset<Row> verdicts = Delta.read(spark, Tables.OPS_CURATE_VERDICTS).where(col("source").equalTo(spec.name())
        .and(not(col("file_checksum").isin(fresh.toArray()))));
    Increment.Scope scope = Increment.of(keyed, verdicts, spec.dedupe(), keyed.count() <= Increment.FEW);
    Dataset<Row> keys = Keep.MATERIALIZE.apply(scope.earlier());
    List<String> files = keys.select("file_checksum").distinct().collectAsList().stream().map(r -> r.getString(0))
        .toList();
    return new Earlier(Keep.MATERIALIZE.apply(scope.groups()), keys, files, keys.count());
  }

  /**
   * One source's curated rows, waiting for the run's writes: its silver rows (and the ids of touched groups
   * that lost theirs), quarantine rows (and flags that no longer hold), verdicts, the files to reconcile
   * (null: all), its ops.dq_results rows and summary. {@code full}: its silver, quarantine and verdict rows
   * replace all of the source's.
   */
  record Pending(SourceSpec spec, boolean full, Dataset<Row> silver, Dataset<Row> silverDeletes,
      Dataset<Row> quarantine, Dataset<Row> unflagged, Dataset<Row> verdicts, List<String> touched,
      List<String> fresh, Reconciliation.Counts counts, List<Row> dq, String summary) {}

  /**
   * The run's writes for all sources (a nightly run's cost is the commits as much as the rows), in order:
   * silver.incidents, silver.stop_search, ops.quarantine, ops.curate_verdicts, then the reconciliation of the
   * touched files (ops.ingest_manifest) and the dq rows.
   * <ul>
   *   <li>sources curated in full: their rows replaced (Delta's replaceWhere, one commit, no join);</li>
   *   <li>otherwise one MERGE per table; an increment's verdicts: the new files' rows replaced, then a MERGE
   *       of the re-ranked earlier records' verdicts when there are any; an increment's silver rows when no earlier
   *       record was re-ranked: the new files' rows replaced;</li>
   * </ul>
   * Verdicts come before the reconciliation
   * that counts them; a run that dies in between leaves its files uncurated, so the next run redoes them.
   */
  static void write(JobContext ctx, List<Pending> done, Timestamp now) {
    SparkSession spark = ctx.spark();
    ctx.stage("write", "silver, quarantine and verdicts of " + done.size() + " source(s); reconcile files");
    for (TableDef target : done.stream().map(d -> Tables.silverFor(d.spec())).distinct().toList()) {
      List<Pending> mine = done.stream().filter(d -> Tables.silverFor(d.spec()).equals(target)).toList();
      Dataset<Row> silver = union(mine.stream().map(Pending::silver).toList());
      if (mine.stream().allMatch(Pending::full)) { // their rows replaced outright, no join with the old rows
        timed(ctx, () -> Writes.replace(target, silver, fullScope(mine, null)));
      } else if (mine.stream().noneMatch(d -> d.full() || d.touched().size() > d.fresh().size())) {
        // an increment whose groups are all new (no earlier record to re-rank): each group's winner comes from a new
        // file, so its rows replace whatever an interrupted run left of the new files' rows, with no join with
        // silver (at 9.4 M rows, the MERGE's join of 75,029 new rows took 6 of a 65 s nightly run)
        Column fresh = freshScope(mine);
        timed(ctx, () -> Writes.replace(target, silver, fresh)); // Delta refuses a row outside it
      } else {
        timed(ctx, () -> Writes.upsert(target, silver, union(mine.stream().map(Pending::silverDeletes)
            .filter(java.util.Objects::nonNull).toList()), "record_hash", fullScope(mine, null)));
      }
    }
    // the ops tables of sources curated in full are replaced outright (no join with their old rows)
    Column quarantineScope = fullScope(done, col("stage").equalTo(lit("curate")));
    Dataset<Row> quarantine = union(done.stream().map(Pending::quarantine).toList());
    Dataset<Row> verdicts = union(done.stream().map(Pending::verdicts).toList());
    if (done.stream().allMatch(Pending::full)) {
      timed(ctx, () -> Writes.replace(Tables.OPS_QUARANTINE, quarantine, quarantineScope));
      timed(ctx, () -> Writes.replace(Tables.OPS_CURATE_VERDICTS, verdicts, fullScope(done, null)));
    } else {
      timed(ctx, () -> Writes.upsert(Tables.OPS_QUARANTINE, quarantine,
          union(done.stream().map(Pending::unflagged).filter(java.util.Objects::nonNull).toList()), null,
          quarantineScope));
      if (done.stream().anyMatch(Pending::full)) {
        timed(ctx, () -> Writes.upsert(Tables.OPS_CURATE_VERDICTS, verdicts, null, null, fullScope(done, null)));
      } else {
        // an increment: the new files' verdicts replace whatever an interrupted run left of them (no join with the
        // table: at 10M verdicts a MERGE of 96k new rows took 24 s); only re-ranked earlier records are MERGEd
        Column fresh = freshScope(done);
        timed(ctx, () -> Writes.replace(Tables.OPS_CURATE_VERDICTS, verdicts.where(fresh), fresh));
        if (done.stream().anyMatch(d -> d.touched().size() > d.fresh().size())) {
          timed(ctx, () -> Writes.upsert(Tables.OPS_CURATE_VERDICTS, verdicts.where(not(fresh)), null, null, null));
        }
      }
    }
    Map<String, List<String>> touched = new LinkedHashMap<>();
    done.forEach(d -> touched.put(d.spec().name(), d.touched()));
    Reconciliation.manifest(ctx, touched, now);
    Writes.append(Tables.OPS_DQ_RESULTS, spark.createDataFrame(done.stream().flatMap(d -> d.dq().stream()).toList(),
        Tables.OPS_DQ_RESULTS.schema()));
    ctx.stageDone("written");
  }

  /** Logs a write's rows and time (the write stage's progress). */
  private static void timed(JobContext ctx, java.util.function.Supplier<Writes.WriteResult> write) {
    long t0 = System.nanoTime();
    Writes.WriteResult w = write.get();
    ctx.info("      {}: version {}, {} rows written, {} deleted ({} s)", w.table().name(), w.version(),
        String.format("%,d", w.rowsWritten()), String.format("%,d", w.rowsDeleted()), (System.nanoTime() - t0) / 1_000_000_000);
  }

  /** The rows of the sources curated in full, which their new rows replace (null when none was). */
  private static Column fullScope(List<Pending> done, Column within) {
    List<String> full = done.stream().filter(Pending::full).map(d -> d.spec().name()).toList();
    if (full.isEmpty()) {
      return null;
    }
    Column scope = col("source").isin(full.toArray());
    return within == null ? scope : within.and(scope);
  }

  /** The rows of the sources' new files (file_checksum is the record's file, or the silver winner's). */
  private static Column freshScope(List<Pending> increments) {
    return increments.stream().map(d -> col("source").equalTo(d.spec().name())
        .and(col("file_checksum").isin(d.fresh().toArray()))).reduce(Column::or).orElseThrow();
  }

  private static Dataset<Row> union(List<Dataset<Row>> frames) {
    return frames.isEmpty() ? null : frames.stream().reduce(Dataset::unionByName).orElseThrow();
  }
}
