package org.ilp.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.access.SqlGuard;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.RunLock;
import org.ilp.common.spark.SessionFactory;
import org.ilp.common.spark.UsageError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The shared runner behind every job command: config (logged, secrets masked), one session, a run
 * id, the job, its ops.job_runs row (also on failure), a one-line result, and the exit code
 * (0 ok, 1 failure, 2 usage: picocli's parse errors, invalid parameters, and a {@link UsageError} — a
 * request that does not fit the warehouse).
 */
public final class Runner {
  private static final Logger LOG = LoggerFactory.getLogger("org.ilp.progress");
  static final int USAGE = 2;

  private Runner() {}

  /**
   * Validated parameters, or a picocli usage error (exit 2) carrying the validation message: the one
   * place a command turns an invalid option into a usage error.
   */
  static <P> P params(CommandLine.Model.CommandSpec spec, Supplier<P> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** A session for commands that are not jobs. */
  public static SparkSession session(CommonOptions o) {
    IlpConfig config = o.load();
    logConfig(config, o.verbose, null);
    return SessionFactory.create(config);
  }

  /**
   * A session for a command that only reads (sql, tables, shell): refused with a usage error (exit 2) when the
   * warehouse folder does not exist, before Spark starts — a mistyped --warehouse would otherwise get a new empty
   * warehouse and a "table not found" that says nothing about the path.
   */
  static SparkSession readOnlySession(CommonOptions o) {
    IlpConfig config = o.load();
    requireWarehouse(config.warehouse());
    logConfig(config, o.verbose, null);
    return SessionFactory.create(config);
  }

  /**
   * {@link #readOnlySession(CommonOptions)} for a consultation in {@code policy}'s role: a read-only role's session
   * also has Spark's SQL over file paths switched off ({@link SqlGuard#READ_ONLY_CONF}).
   */
  static SparkSession readOnlySession(CommonOptions o, AccessPolicy policy) {
    SparkSession spark = readOnlySession(o);
    if (policy.readOnly()) {
      SqlGuard.READ_ONLY_CONF.forEach((k, v) -> spark.conf().set(k, v));
    }
    LOG.info("acting as {} in the {} role (consultations are logged in ops.access_log)", policy.user(), policy.role());
    return spark;
  }

  /**
   * Runs {@code body} holding the warehouse's run lock ({@link RunLock}: one run at a time), taken before Spark starts
   * so that a refused run costs nothing; refused: a line on stderr and {@link RunLock#EXIT_BUSY}.
   */
  static int locked(java.nio.file.Path warehouse, String command, java.util.function.IntSupplier body) {
    RunLock lock;
    try {
      lock = RunLock.acquire(warehouse, command);
    } catch (RunLock.Busy e) {
      System.err.println(command + ": refused: " + e.getMessage());
      return RunLock.EXIT_BUSY;
    }
    try (lock) {
      return body.getAsInt();
    }
  }

  /** Whether this JVM already has a session (a test's, or the one `ilp run` chains jobs on). */
  static boolean sessionRunning() {
    return SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
  }

  /**
   * Ends a consultation's session: stopped, unless it was the JVM's already ({@code shared}), which gets back the
   * settings {@link #readOnlySession(CommonOptions, AccessPolicy)} changed.
   */
  static void release(SparkSession spark, boolean shared) {
    if (shared) {
      SqlGuard.READ_ONLY_CONF.keySet().forEach(k -> spark.conf().unset(k));
    } else {
      spark.stop();
    }
  }

  /** A {@link UsageError} (exit 2) naming the path when {@code warehouse} is not a folder. */
  static void requireWarehouse(Path warehouse) {
    if (!Files.isDirectory(warehouse)) {
      throw new UsageError("no warehouse at " + warehouse.toAbsolutePath()
          + " (make one with `ilp run --landing DIR` or `ilp demo`, or name another with --warehouse DIR)");
    }
  }

  /** Runs a job in a session of its own (stopped afterwards unless one was already running in this JVM). */
  public static int run(CommonOptions o, String job, Map<String, String> params, Function<JobContext, JobResult> body) {
    IlpConfig config = o.load();
    boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SessionFactory.create(config);
    try {
      return run(spark, config, o.verbose, job, params, body);
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }

  /** Runs one job on an existing session (used by `run` and `demo` to chain jobs). */
  public static int run(SparkSession spark, IlpConfig config, boolean verbose, String job, Map<String, String> params,
      Function<JobContext, JobResult> body) {
    JobContext ctx = new JobContext(spark, config, job, params);
    logConfig(config, verbose, ctx);
    LOG.info("{} run {} (warehouse {})", job, ctx.runId(), config.warehouse());
    try {
      JobResult r = body.apply(ctx);
      ctx.audit(r, null);
      LOG.info("{} {} in {} s ({} Spark jobs): {}", job, r.status(), r.duration().toSeconds(), ctx.sparkJobs(),
          r.summary());
      return 0;
    } catch (UsageError e) {
      ctx.audit(null, e);
      LOG.error("{}: {}", job, e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      ctx.audit(null, e);
      LOG.error("{} failed (run {}): {}", job, ctx.runId(), rootMessage(e));
      LoggerFactory.getLogger(Runner.class).debug("stack trace", e);
      return 1;
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String first = String.valueOf(e.getMessage());
    return t == e ? first : first + " (cause: " + t + ")";
  }

  static void logConfig(IlpConfig config, boolean verbose, JobContext ctx) {
    String text = String.join("\n", config.describe());
    if (verbose) {
      LOG.info("effective configuration (secrets masked):\n{}", text);
    }
    if (ctx != null) {
      try {
        Path dir = config.warehouse().resolve("_logs");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ctx.runId() + ".conf"), text + "\n");
      } catch (IOException e) {
        LOG.warn("could not write the effective config to the warehouse log folder: {}", e.getMessage());
      }
    }
  }
}
