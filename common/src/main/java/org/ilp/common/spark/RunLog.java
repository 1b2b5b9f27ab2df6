package org.ilp.common.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * {@code ops.job_runs} as the jobs of one session read and write it.
 *
 * <p>Reads: the latest {@link #RECENT} rows are read once and kept while the table is the one this session last
 * saw, at the version it last saw (its own appends included); a row written by another process, or a table dropped
 * and created again, makes the next read query the table again. A scheduled run of nine steps, each asking for
 * its job's last run (no-op detection), then queries the log once instead of nine times.
 *
 * <p>Writes: a row is appended when its job ends, except inside {@link #holdNoops} (the scheduled `ilp run`):
 * there the rows of no-op runs are held and appended with the next row of a run that did something, or when
 * the scope closes, also after a failure. A run of no-ops is then one commit instead of one per step (each
 * commit ~1 s on a small machine, and every tenth a Delta checkpoint). Only a JVM killed inside the scope
 * loses held rows: runs that wrote nothing.
 */
public final class RunLog {
  /** How many of the latest rows are kept: a job whose last run with the same parameters is older runs again. */
  static final int RECENT = 5_000;
  private static final Map<SparkSession, RunLog> SESSIONS = Collections.synchronizedMap(new WeakHashMap<>());

  private final SparkSession spark;
  private String seen; // "<table id>@<version>" the kept rows are of; null: read again
  private List<Row> rows = List.of(); // newest first
  private final List<Row> held = new ArrayList<>();
  private int holding;

  private RunLog(SparkSession spark) {
    this.spark = spark;
  }

  /** The run log of a session (one per session). */
  public static RunLog of(SparkSession spark) {
    return SESSIONS.computeIfAbsent(spark, RunLog::new);
  }

  /** The latest runs of one job, newest first, held rows included; rows have the columns of ops.job_runs. */
  public synchronized List<Row> runs(String job) {
    List<Row> all = new ArrayList<>(held);
    String now = Delta.identity(spark, Tables.OPS_JOB_RUNS);
    if (now != null && !now.equals(seen)) {
      rows = Delta.read(spark, Tables.OPS_JOB_RUNS).select(Tables.OPS_JOB_RUNS.selection())
          .orderBy(col("started_at").desc()).limit(RECENT).collectAsList();
      seen = now;
    }
    if (now != null) {
      all.addAll(rows);
    }
    int j = Tables.OPS_JOB_RUNS.schema().fieldIndex("job");
    int started = Tables.OPS_JOB_RUNS.schema().fieldIndex("started_at");
    return all.stream().filter(r -> job.equals(r.getString(j)))
        .sorted(Comparator.comparing((Row r) -> r.getTimestamp(started)).reversed()).toList();
  }

  /** Records a run's row (the values of ops.job_runs in contract order): appended now, or held (a no-op in scope). */
  public synchronized void record(Object... values) {
    Row row = new GenericRowWithSchema(values, Tables.OPS_JOB_RUNS.schema());
    held.add(row);
    if (holding == 0 || !"noop".equals(row.getString(Tables.OPS_JOB_RUNS.schema().fieldIndex("status")))) {
      flush();
    }
  }

  /** Appends the held rows in one commit; the kept rows stay valid when that commit is the only new one. */
  public synchronized void flush() {
    if (held.isEmpty()) {
      return;
    }
    List<Row> batch = List.copyOf(held);
    held.clear(); // written or failed: never written twice (a failed append wrote nothing; the caller logs it)
    String before = Delta.identity(spark, Tables.OPS_JOB_RUNS);
    Writes.append(Tables.OPS_JOB_RUNS, spark.createDataFrame(batch, Tables.OPS_JOB_RUNS.schema()));
    String after = Delta.identity(spark, Tables.OPS_JOB_RUNS);
    if (before != null && before.equals(seen) && after.equals(next(before))) { // our commit is the only new one
      List<Row> newer = new ArrayList<>(batch);
      Collections.reverse(newer);
      newer.addAll(rows);
      rows = newer.size() > RECENT ? List.copyOf(newer.subList(0, RECENT)) : newer;
      seen = after;
    } else {
      seen = null;
    }
  }

  /** The identity of the next version of the same table. */
  private static String next(String identity) {
    int at = identity.lastIndexOf('@');
    return identity.substring(0, at + 1) + (Long.parseLong(identity.substring(at + 1)) + 1);
  }

  /**
   * A scope in which no-op runs' rows are held (see the class comment); closing it appends them. Scopes nest.
   */
  public synchronized Holding holdNoops() {
    holding++;
    return new Holding();
  }

  /** The scope of {@link #holdNoops}. */
  public final class Holding implements AutoCloseable {
    private boolean closed;

    private Holding() {}

    @Override
    public void close() {
      synchronized (RunLog.this) {
        if (closed) {
          return;
        }
        closed = true;
        holding--;
        if (holding == 0) {
          flush();
        }
      }
    }
  }
}
