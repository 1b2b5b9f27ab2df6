package org.ilp.common.spark;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What a job's shell needs: the session, the config, a run id, named stages (shown in the Spark UI
 * as job group/description and on the console as {@code [2/5] stage: ...}), and the audit record
 * written to {@code ops.job_runs} when the job ends — on success and on failure.
 */
public final class JobContext {
  private static final Logger LOG = LoggerFactory.getLogger("org.ilp.progress");
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private static final int PARAMETERS = Tables.OPS_JOB_RUNS.schema().fieldIndex("parameters");
  private static final int STATUS = Tables.OPS_JOB_RUNS.schema().fieldIndex("status");
  private static final int INPUT_VERSIONS = Tables.OPS_JOB_RUNS.schema().fieldIndex("input_versions");

  private final SparkSession spark;
  private final IlpConfig config;
  private final String job;
  private final String runId;
  private final Instant startedAt;
  private final Map<String, String> parameters;
  private int totalStages = 1;
  private int stage = 0;
  private Instant stageStart = Instant.now();
  private long stageJobs;

  public JobContext(SparkSession spark, IlpConfig config, String job, Map<String, String> parameters) {
    this.spark = spark;
    this.config = config;
    this.job = job;
    this.startedAt = Instant.now();
    this.runId = newRunId(job, startedAt);
    this.parameters = new LinkedHashMap<>(parameters);
    this.stageJobs = SparkJobs.started(spark, runId);
    // the run's checks before its first stage are its Spark jobs too (the job group is this thread's)
    spark.sparkContext().setJobGroup(runId + ":checks", job + ": checks", false);
  }

  /**
   * Spark jobs started in this JVM's SparkContext per run, counted by one listener from each job's group (the run
   * id: {@link #stage}; runs of `ilp run`'s lanes overlap): a stage's log line says how many it ran, since on small
   * inputs a job run's time is mostly the fixed cost of each Spark job (planning, code generation, scheduling), not rows.
   */
  static final class SparkJobs extends org.apache.spark.scheduler.SparkListener {
    private static SparkJobs installed;
    private static org.apache.spark.SparkContext on;
    private final Map<String, java.util.concurrent.atomic.AtomicLong> byRun =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** Spark jobs of {@code runId} so far. */
    static synchronized long started(SparkSession spark, String runId) {
      if (on != spark.sparkContext()) {
        on = spark.sparkContext();
        installed = new SparkJobs();
        on.addSparkListener(installed);
      }
      var n = installed.byRun.get(runId);
      return n == null ? 0 : n.get();
    }

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
      String group = jobStart.properties() == null ? null
          : jobStart.properties().getProperty("spark.jobGroup.id");
      if (group != null) {
        int c = group.indexOf(':');
        byRun.computeIfAbsent(c < 0 ? group : group.substring(0, c), k -> new java.util.concurrent.atomic.AtomicLong())
            .incrementAndGet();
      }
    }
  }

  /** Spark jobs this run has started so far (see {@link SparkJobs}). */
  public long sparkJobs() {
    return SparkJobs.started(spark, runId);
  }

  public static String newRunId(String job, Instant at) {
    return job + "-" + RUN_ID_TIME.format(at) + "-"
        + String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
  }

  public SparkSession spark() {
    return spark;
  }

  public IlpConfig config() {
    return config;
  }

  public String job() {
    return job;
  }

  public String runId() {
    return runId;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Map<String, String> parameters() {
    return Map.copyOf(parameters);
  }

  public void stages(int total) {
    this.totalStages = total;
    this.stage = 0;
  }

  /** Names the next stage in the Spark UI and on the console. */
  public void stage(String name, String description) {
    stage++;
    stageStart = Instant.now();
    stageJobs = SparkJobs.started(spark, runId);
    String label = "[" + stage + "/" + totalStages + "] " + job + " " + name;
    spark.sparkContext().setJobGroup(runId + ":" + name, label + ": " + description, false);
    spark.sparkContext().setJobDescription(label + ": " + description);
    LOG.info("{}: {}", label, description);
  }

  /** Logs the end of the current stage with a row count. */
  public void stageDone(String what, long rows) {
    long secs = Duration.between(stageStart, Instant.now()).toSeconds();
    LOG.info("      {} {} ({} s, {} Spark jobs)", String.format("%,d", rows), what, secs, stageJobs());
  }

  /** Logs the end of the current stage. */
  public void stageDone(String what) {
    long secs = Duration.between(stageStart, Instant.now()).toSeconds();
    LOG.info("      {} ({} s, {} Spark jobs)", what, secs, stageJobs());
  }

  private long stageJobs() {
    return SparkJobs.started(spark, runId) - stageJobs;
  }

  public void info(String fmt, Object... args) {
    LOG.info(fmt, args);
  }

  /**
   * Whether this run would repeat the last one: the latest run of this job with the same parameters
   * (a {@code force} or {@code full} parameter aside) succeeded or was a no-op, read exactly these input versions,
   * and every output table still exists. A scheduled job then does nothing (status {@code noop}).
   */
  public boolean unchangedSince(Map<String, Long> inputVersions, List<TableDef> outputs) {
    return unchangedSince(inputVersions, outputs, Map.of());
  }

  /**
   * As {@link #unchangedSince(Map, List)}, where an input named in {@code rowsRead} may also have new versions,
   * provided none of them changed the rows the run reads ({@link Delta#changedRows}): a gold job of one
   * jurisdiction then skips a night that brought only another jurisdiction's records. Sound by induction: each
   * no-op records the versions it checked, so the rows are those of the last run that computed.
   */
  public boolean unchangedSince(Map<String, Long> inputVersions, List<TableDef> outputs,
      Map<TableDef, org.apache.spark.sql.Column> rowsRead) {
    if (outputs.stream().anyMatch(t -> !Delta.exists(spark, t))) {
      return false;
    }
    Map<String, String> mine = new LinkedHashMap<>(parameters);
    mine.remove("force");
    mine.remove("full");
    List<Row> runs = RunLog.of(spark).runs(job);
    for (Row r : runs) {
      Map<String, String> p = r.isNullAt(PARAMETERS) ? Map.of()
          : new LinkedHashMap<>(r.<String, String>getJavaMap(PARAMETERS));
      p.remove("force");
      p.remove("full");
      if (!p.equals(mine)) {
        continue;
      }
      boolean ok = "succeeded".equals(r.getString(STATUS)) || "noop".equals(r.getString(STATUS));
      if (!ok || r.isNullAt(INPUT_VERSIONS)) {
        return false;
      }
      Map<String, Long> last = new java.util.HashMap<>(r.<String, Long>getJavaMap(INPUT_VERSIONS));
      if (!last.keySet().equals(inputVersions.keySet())) {
        return false;
      }
      for (Map.Entry<String, Long> e : inputVersions.entrySet()) {
        long was = last.get(e.getKey());
        if (was == e.getValue()) {
          continue;
        }
        var read = rowsRead.entrySet().stream().filter(t -> t.getKey().name().equals(e.getKey())).findFirst();
        if (read.isEmpty() || Delta.changedRows(spark, read.get().getKey(), was, e.getValue(), read.get().getValue())) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** The result of a run that found nothing to do. */
  public JobResult noop(Map<String, Long> inputVersions, String why) {
    LOG.info("{}: {}; nothing to do (use --force to recompute)", job, why);
    return new JobResult(job, runId, "noop", Map.of(), Map.of(), 0, inputVersions, Map.of(),
        Duration.between(startedAt, Instant.now()), why);
  }

  /**
   * Records the ops.job_runs row for this run ({@link RunLog}: appended now, or a no-op's held for the scheduled
   * run's next commit). Never throws (audit failure must not mask the job's).
   */
  public void audit(JobResult result, Throwable error) {
    try {
      Instant end = Instant.now();
      String status = error != null ? "failed" : result != null ? result.status() : "succeeded";
      RunLog.of(spark).record(
          runId, job, scalaMap(parameters), Timestamp.from(startedAt), Timestamp.from(end),
          Duration.between(startedAt, end).toMillis(), status,
          error == null ? null : String.valueOf(error.getMessage()),
          result == null ? null : scalaMap(result.rowsIn()),
          result == null ? null : scalaMap(result.rowsOut()),
          result == null ? null : result.rowsQuarantined(),
          result == null ? null : scalaMap(result.inputVersions()),
          result == null ? null : scalaMap(result.outputVersions()),
          System.getProperty("user.name"), hostName(), AppVersion.get());
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(JobContext.class).error("Could not write ops.job_runs for {}: {}", runId, e.toString());
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  public static <K, V> scala.collection.immutable.Map<K, V> scalaMap(Map<K, V> map) {
    return scala.collection.immutable.Map.from(CollectionConverters.asScala(map));
  }

  /** This machine's host name ("unknown" when it cannot be resolved), as the run logs record it. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
