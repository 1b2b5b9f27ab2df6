package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.curate.Curation;
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

  /**
   * An increment's touched groups, the earlier records to re-rank (their keys, files and count), and its touched
   * groups that have earlier records ({@code reranked}: dedupe key → silver id), or null when there are more than
   * {@link #REPLACE_MAX}; the earlier records ({@code records}: file → record numbers), or null when more.
   */
  record Earlier(Dataset<Row> groups, Dataset<Row> keys, List<String> files, long rows, Map<String, String> reranked,
      Map<String, List<Long>> records) {
    /**
     * The earlier records in a replace condition: per file, its record numbers (Delta takes only conditions it can
     * translate to source filters: equality and IN of columns).
     */
    Column named() {
      return records.entrySet().stream().map(f -> col("file_checksum").equalTo(f.getKey())
          .and(col("row_number").isin(f.getValue().toArray()))).reduce(Column::or).orElseThrow();
    }
  }

  /**
   * At most this many re-ranked groups per source are named in the increment's replace condition (their silver ids,
   * their verdicts' dedupe keys); above it, a MERGE joins them. A replace writes the new rows without joining the old
   * ones (a MERGE of 61,218 silver rows took 10 of a 37 s increment of the generated data, its replace 1 s).
   */
  static final int REPLACE_MAX = 10_000;

  /** The earlier records of the groups the new records ({@code keyed}, from the {@code fresh} files) touch. */
  static Earlier earlier(SparkSession spark, SourceSpec spec, Dataset<Row> keyed, List<String> fresh) {
    Dataset<Row> verdicts = Delta.read(spark, Tables.OPS_CURATE_VERDICTS).where(col("source").equalTo(spec.name())
        .and(not(col("file_checksum").isin(fresh.toArray()))));
    Increment.Scope scope = Increment.of(keyed, verdicts, spec.dedupe(), keyed.count() <= Increment.FEW);
    Dataset<Row> keys = Keep.MATERIALIZE.apply(scope.earlier());
    List<String> files = keys.select("file_checksum").distinct().collectAsList().stream().map(r -> r.getString(0))
        .toList();
    Dataset<Row> groups = Keep.MATERIALIZE.apply(scope.groups());
    Map<String, String> reranked = new LinkedHashMap<>();
    Map<String, List<Long>> records = new LinkedHashMap<>();
    long named = 0;
    if (!files.isEmpty()) {
      for (Row r : keys.select("file_checksum", "row_number").limit(REPLACE_MAX + 1).collectAsList()) {
        records.computeIfAbsent(r.getString(0), k -> new java.util.ArrayList<>()).add(r.getLong(1));
        named++;
      } // Chicago re-ranks records of other cases too: only the touched groups' rows are rewritten
      List<Row> g = keys.select("dedupe_key").distinct().join(groups, "dedupe_key")
          .select(col("dedupe_key"), Curation.silverId(col("dedupe_key"))).limit(REPLACE_MAX + 1).collectAsList();
      g.forEach(r -> reranked.put(r.getString(0), r.getString(1)));
    }
    // the named records are all of them when at most REPLACE_MAX (no count needed)
    long rows = named <= REPLACE_MAX ? named : keys.count();
    return new Earlier(groups, keys, files, rows, reranked.size() > REPLACE_MAX ? null : reranked,
        named > REPLACE_MAX ? null : records);
  }

  /**
   * One source's curated rows, waiting for the run's writes: its silver rows, quarantine rows (and flags that no
   * longer hold), verdicts, its ops.dq_results rows and summary; {@code earlier}: what an increment re-ranked (null:
   * curated in full, its silver, quarantine and verdict rows replace all of the source's).
   */
  record Pending(SourceSpec spec, Earlier earlier, Dataset<Row> silver, Dataset<Row> quarantine,
      Dataset<Row> unflagged, Dataset<Row> verdicts, List<String> fresh, Reconciliation.Counts counts, List<Row> dq,
      String summary) {
    boolean full() {
      return earlier == null;
    }

    /** Whether earlier records were re-ranked (their files are reconciled again). */
    boolean reranks() {
      return earlier != null && !earlier.files().isEmpty();
    }

    /** The files to reconcile: the new ones and those of re-ranked earlier records (null: all of the source's). */
    List<String> touched() {
      if (earlier == null) {
        return null;
      }
      List<String> all = new java.util.ArrayList<>(fresh);
      all.addAll(earlier.files());
      return all;
    }

    /** The silver ids of the touched groups: one that no longer has a winner (a Chicago case whose records all moved) loses its row. */
    Dataset<Row> silverDeletes() {
      return earlier == null ? null
          : earlier.groups().select(Curation.silverId(col("dedupe_key")).as(Tables.silverFor(spec).keys().get(0)));
    }
  }

  /**
   * The run's writes for all sources (a nightly run's cost is the commits as much as the rows): silver.incidents,
   * silver.stop_search, ops.quarantine and ops.curate_verdicts at once ({@link Writes#concurrently}), then the
   * reconciliation of the touched files (ops.ingest_manifest) and the dq rows.
   * <ul>
   *   <li>sources curated in full: their rows replaced (Delta's replaceWhere, one commit, no join);</li>
   *   <li>increments: silver and verdicts replaced in the new files' rows and the re-ranked groups' (named in the
   *       condition) when {@link #replaced}; quarantine rows replaced in the new files and the re-ranked earlier
   *       records (named in the condition: a flag that no longer holds goes), or MERGEd when they are too many;</li>
   *   <li>otherwise (full and increments mixed, or many re-ranked groups in a large table) one MERGE per table; an
   *       increment's verdicts: the new files' rows replaced, then a MERGE of the re-ranked earlier records'.</li>
   * </ul>
   * Verdicts come before the reconciliation
   * that counts them; a run that dies in between leaves its files uncurated, so the next run redoes them.
   */
  static void write(JobContext ctx, List<Pending> done, Timestamp now, long replaceMaxBytes) {
    SparkSession spark = ctx.spark();
    ctx.stage("write", "silver, quarantine and verdicts of " + done.size() + " source(s); reconcile files");
    List<Supplier<Writes.WriteResult>> writes = new java.util.ArrayList<>();
    for (TableDef target : done.stream().map(d -> Tables.silverFor(d.spec())).distinct().toList()) {
      List<Pending> mine = done.stream().filter(d -> Tables.silverFor(d.spec()).equals(target)).toList();
      Dataset<Row> silver = union(mine.stream().map(Pending::silver).toList());
      if (mine.stream().allMatch(Pending::full)) { // their rows replaced outright, no join with the old rows
        writes.add(timed(ctx, () -> Writes.replace(target, silver, fullScope(mine, null))));
      } else if (replaced(spark, target, mine, replaceMaxBytes)) {
        // an increment: a touched group's winner comes from a new file, or the group has earlier records and its id is
        // named, so its rows replace the new files' rows (an interrupted run's) and those ids' rows with no join with
        // silver (at 9.4 M rows, the MERGE's join of 75,029 new rows took 6 of a 65 s nightly run)
        Column scope = incrementScope(mine, target.keys().get(0), Map::values);
        writes.add(timed(ctx, () -> Writes.replace(target, silver, scope))); // Delta refuses a row outside it
      } else {
        writes.add(timed(ctx, () -> Writes.upsert(target, silver, union(mine.stream().map(Pending::silverDeletes)
            .filter(java.util.Objects::nonNull).toList()), "record_hash", fullScope(mine, null))));
      }
    }
    // the ops tables of sources curated in full are replaced outright (no join with their old rows)
    Column quarantineScope = fullScope(done, col("stage").equalTo(lit("curate")));
    Dataset<Row> quarantine = union(done.stream().map(Pending::quarantine).toList());
    Dataset<Row> verdicts = union(done.stream().map(Pending::verdicts).toList());
    if (done.stream().allMatch(Pending::full)) {
      writes.add(timed(ctx, () -> Writes.replace(Tables.OPS_QUARANTINE, quarantine, quarantineScope)));
      writes.add(timed(ctx, () -> Writes.replace(Tables.OPS_CURATE_VERDICTS, verdicts, fullScope(done, null))));
    } else {
      if (done.stream().noneMatch(Pending::full) && done.stream().allMatch(d -> d.earlier().records() != null)) {
        // increments whose re-ranked earlier records are named: the curate rows of the new files and of those
        // records replaced in one commit (a flag that no longer holds goes), no join with the table (its MERGE was
        // the write stage's longest, 10 of 14 s for 29 rows in the generated data's nightly run)
        Column scope = col("stage").equalTo(lit("curate")).and(done.stream().map(d -> {
          Column rows = col("file_checksum").isin(d.fresh().toArray());
          return col("source").equalTo(d.spec().name()).and(d.earlier().records().isEmpty() ? rows
              : rows.or(d.earlier().named()));
        }).reduce(Column::or).orElseThrow());
        writes.add(timed(ctx, () -> Writes.replace(Tables.OPS_QUARANTINE, quarantine, scope)));
      } else {
        writes.add(timed(ctx, () -> Writes.upsert(Tables.OPS_QUARANTINE, quarantine,
            union(done.stream().map(Pending::unflagged).filter(java.util.Objects::nonNull).toList()), null,
            quarantineScope)));
      }
      if (done.stream().anyMatch(Pending::full)) {
        writes.add(timed(ctx, () -> Writes.upsert(Tables.OPS_CURATE_VERDICTS, verdicts, null, null,
            fullScope(done, null))));
      } else if (replaced(spark, Tables.OPS_CURATE_VERDICTS, done, replaceMaxBytes)) {
        // an increment: the verdicts of the new files (an interrupted run's) and of the re-ranked groups' earlier
        // records replaced in one commit, no join with the table (at 10M verdicts a MERGE of 96k new rows took 24 s)
        Column scope = incrementScope(done, "dedupe_key", Map::keySet);
        writes.add(timed(ctx, () -> Writes.replace(Tables.OPS_CURATE_VERDICTS, verdicts, scope)));
      } else { // the new files' verdicts replaced, then the re-ranked earlier records' MERGEd
        Column fresh = freshScope(done);
        Supplier<Writes.WriteResult> replaced = timed(ctx, () -> Writes.replace(Tables.OPS_CURATE_VERDICTS, verdicts.where(fresh), fresh));
        Supplier<Writes.WriteResult> merged = timed(ctx, () -> Writes.upsert(Tables.OPS_CURATE_VERDICTS, verdicts.where(not(fresh)), null,
            null, null));
        boolean reranks = done.stream().anyMatch(Pending::reranks);
        writes.add(() -> {
          Writes.WriteResult w = replaced.get();
          return reranks ? merged.get() : w;
        });
      }
    }
    Writes.concurrently(writes);
    Map<String, List<String>> touched = new LinkedHashMap<>();
    done.forEach(d -> touched.put(d.spec().name(), d.touched()));
    Reconciliation.manifest(ctx, touched, now);
    Writes.append(Tables.OPS_DQ_RESULTS, spark.createDataFrame(done.stream().flatMap(d -> d.dq().stream()).toList(),
        Tables.OPS_DQ_RESULTS.schema()));
    ctx.stageDone("written");
  }

  /**
   * Whether increments' rows of {@code table} are replaced rather than MERGEd: when no earlier record was re-ranked
   * (only the new files' rows change), or when every source's re-ranked groups are named ({@link #REPLACE_MAX}) and
   * the table is at most {@code replaceMaxBytes}: a replace rewrites every file holding a touched row, a MERGE marks
   * them with deletion vectors but joins the table.
   */
  private static boolean replaced(SparkSession spark, TableDef table, List<Pending> increments, long replaceMaxBytes) {
    if (increments.stream().anyMatch(Pending::full)) {
      return false;
    }
    return increments.stream().noneMatch(Pending::reranks) || increments.stream()
        .allMatch(d -> d.earlier().reranked() != null) && Delta.sizeInBytes(spark, table) <= replaceMaxBytes;
  }

  /** Logs a write's rows and time (the write stage's progress). */
  private static Supplier<Writes.WriteResult> timed(JobContext ctx, Supplier<Writes.WriteResult> write) {
    return () -> {
      long t0 = System.nanoTime();
      Writes.WriteResult w = write.get();
      ctx.info("      {}: version {}, {} rows written, {} deleted ({} s)", w.table().name(), w.version(),
          String.format("%,d", w.rowsWritten()), String.format("%,d", w.rowsDeleted()),
          (System.nanoTime() - t0) / 1_000_000_000);
      return w;
    };
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

  /**
   * The rows of increments' new files and of their re-ranked groups, named by {@code column} (the silver id, or the
   * verdicts' dedupe key) with the values {@code named} takes from {@link Earlier#reranked}.
   */
  private static Column incrementScope(List<Pending> increments, String column,
      java.util.function.Function<Map<String, String>, java.util.Collection<String>> named) {
    return increments.stream().map(d -> {
      Column rows = col("file_checksum").isin(d.fresh().toArray());
      java.util.Collection<String> groups = named.apply(d.earlier().reranked());
      return col("source").equalTo(d.spec().name()).and(groups.isEmpty() ? rows : rows.or(col(column).isin(groups.toArray())));
    }).reduce(Column::or).orElseThrow();
  }

  private static Dataset<Row> union(List<Dataset<Row>> frames) {
    return frames.isEmpty() ? null : frames.stream().reduce(Dataset::unionByName).orElseThrow();
  }
}
