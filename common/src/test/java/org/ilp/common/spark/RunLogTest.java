package org.ilp.common.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The run log of a session: rows appended when a job ends, no-op rows held inside a scope and appended in one
 * commit, and reads that see every writer's rows (another writer's append, a dropped and re-created table).
 */
@ExtendWith(SparkTestSupport.class)
class RunLogTest {
  final SparkSession spark = SparkTestSupport.spark();
  final RunLog log = RunLog.of(spark);
  long t = 1_000_000L;

  @BeforeEach
  void empty() {
    spark.sql("DROP TABLE IF EXISTS ops.job_runs");
  }

  Object[] run(String id, String job, String status) {
    t += 1000;
    return new Object[] {id, job, JobContext.scalaMap(Map.of("source", "x")), new Timestamp(t), new Timestamp(t + 1),
        1L, status, null, null, null, null, null, null, "u", "h", "v"};
  }

  List<String> ids(String job) {
    return log.runs(job).stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void aRowIsAppendedWhenItsJobEndsOutsideAScope() {
    log.record(run("a1", "ingest", "noop"));
    long v = Delta.version(spark, Tables.OPS_JOB_RUNS);
    log.record(run("a2", "ingest", "succeeded"));
    assertThat(Delta.version(spark, Tables.OPS_JOB_RUNS)).isEqualTo(v + 1);
    assertThat(ids("ingest")).containsExactly("a2", "a1");
    assertThat(spark.table("ops.job_runs").count()).isEqualTo(2);
  }

  @Test
  void noopRowsAreHeldInAScopeAndAppendedInOneCommit() {
    log.record(run("first", "ref", "succeeded"));
    long v = Delta.version(spark, Tables.OPS_JOB_RUNS);
    try (RunLog.Holding h = log.holdNoops()) {
      log.record(run("n1", "ingest", "noop"));
      log.record(run("n2", "ingest", "noop"));
      // held, yet the next step's no-op check sees them
      assertThat(Delta.version(spark, Tables.OPS_JOB_RUNS)).isEqualTo(v);
      assertThat(ids("ingest")).containsExactly("n2", "n1");
      log.record(run("c1", "curate", "succeeded")); // a run that did something: all three in one commit
      assertThat(Delta.version(spark, Tables.OPS_JOB_RUNS)).isEqualTo(v + 1);
      log.record(run("n3", "assess", "noop"));
      log.record(run("f1", "assess", "failed"));
      log.record(run("n4", "hotspots", "noop"));
      assertThat(Delta.version(spark, Tables.OPS_JOB_RUNS)).isEqualTo(v + 2);
    }
    assertThat(Delta.version(spark, Tables.OPS_JOB_RUNS)).isEqualTo(v + 3);
    assertThat(spark.table("ops.job_runs").count()).isEqualTo(7);
    assertThat(ids("assess")).containsExactly("f1", "n3");
    assertThat(ids("hotspots")).containsExactly("n4");
  }

  @Test
  void readsSeeOtherWritersAndARecreatedTable() {
    log.record(run("mine", "curate", "succeeded"));
    assertThat(ids("curate")).containsExactly("mine");
    // another process appends: the kept rows are of an older version, so the log is read again
    Writes.append(Tables.OPS_JOB_RUNS, spark.createDataFrame(List.of((Row) new org.apache.spark.sql.catalyst
        .expressions.GenericRowWithSchema(run("theirs", "curate", "noop"), Tables.OPS_JOB_RUNS.schema())),
        Tables.OPS_JOB_RUNS.schema()));
    assertThat(ids("curate")).containsExactly("theirs", "mine");
    // dropped and created again at the same version: another table, not the kept rows
    spark.sql("DROP TABLE ops.job_runs");
    assertThat(log.runs("curate")).isEmpty();
    log.record(run("new1", "ref", "succeeded"));
    log.record(run("new2", "ref", "succeeded"));
    assertThat(ids("curate")).isEmpty();
    assertThat(ids("ref")).containsExactly("new2", "new1");
  }
}
