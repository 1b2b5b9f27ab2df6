package org.ilp.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.testing.RealCsv;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.assess.AssessJob;
import org.ilp.jobs.assess.AssessParams;
import org.ilp.jobs.cli.IlpCommandTestAccess;
import org.ilp.jobs.curate.CurateJob;
import org.ilp.jobs.generate.DatasetGenerator;
import org.ilp.jobs.generate.GeneratorParams;
import org.ilp.jobs.ingest.IngestJob;
import org.ilp.jobs.ref.RefJob;

/**
 * The two warehouses the pipeline test classes share, each built once per test JVM (the session has
 * one catalog, so one is loaded at a time; test classes are ordered so that each is built once —
 * {@code junit-platform.properties} — and a class run alone builds what it needs):
 * <ul>
 *   <li>{@link #real()}: the real-data slices (police.uk street, stop-and-search, Chicago) ingested and
 *       curated, and the police.uk months 2018-10, 2018-11 and 2019-01 assessed (one backfill run);</li>
 *   <li>{@link #generated()}: the generator's data set at full plant size ({@value #GENERATED_ROWS}
 *       rows, seed {@value #GENERATED_SEED}, its bad files included; {@link #GENERATED_MIX}), arriving in two parts as files do
 *       over days: a random third of the files ({@link #firstDays}) ingested and curated, then `ilp run` over
 *       the whole landing: ref, ingest of the rest, an incremental curate, the assessment of 2024-12,
 *       hotspots and forecasts for Chicago.</li>
 * </ul>
 * Tests read them; a test that writes must leave the same content (e.g. a forced re-run).
 */
public final class Warehouses {
  public static final long GENERATED_ROWS = 50_000;
  public static final long GENERATED_SEED = 5;
  /**
   * The sources' shares: Chicago's 30,000 rows and stop-and-search's 5,000 are those of 100,000 rows at the default mix
   * (so Chicago's and stop-and-search's files — Chicago's planted hot spots, chains and trends the tests find — are byte
   * for byte the same), the street files 15,000 rows instead of 65,000 (each planted kind still at full count, and
   * the street trends at least 12 rows a month): the warehouse's build reads, curates and assesses half the rows.
   */
  public static final String GENERATED_MIX = "15:5:30";

  private enum Loaded { NONE, REAL, GENERATED }

  private static Loaded loaded = Loaded.NONE;
  private static Path landing;
  private static JsonNode truth;
  private static int pipelineExitCode;

  private Warehouses() {}

  /** Marks the shared warehouse as gone (a test reset it). */
  public static synchronized void invalidate() {
    loaded = Loaded.NONE;
  }

  /**
   * An empty warehouse with the reference tables (built from conf/ on first use, then kept): for tests
   * of a job shell on data of their own.
   */
  public static synchronized SparkSession scratch() {
    SparkTestSupport.resetKeepingReference();
    loaded = Loaded.NONE;
    run(RefJob.JOB, Map.of(), RefJob::run);
    return SparkTestSupport.spark();
  }

  /** The real-data warehouse (built on first use). */
  public static synchronized SparkSession real() {
    SparkSession spark = SparkTestSupport.spark();
    if (loaded != Loaded.REAL) {
      SparkTestSupport.resetKeepingReference();
      loaded = Loaded.NONE;
      run(RefJob.JOB, Map.of(), RefJob::run);
      ingest("police_uk_street", RealCsv.dir("police_uk_street"), RealCsv.dir("police_uk_street_pip_2019-01"));
      ingest("police_uk_stop_search", RealCsv.dir("police_uk_stop_search"));
      ingest("chicago_crimes", RealCsv.dir("chicago_crimes"), RealCsv.dir("chicago_crimes_api"));
      var cp = CurateJob.Params.of(SparkTestSupport.config(), List.of(), false);
      run(CurateJob.JOB, cp.asMap(), ctx -> CurateJob.run(ctx, cp));
      // one backfill run assesses 2018-10, 2018-11 and 2019-01 (2018-12 has no data and is skipped)
      assess(REAL_FROM, REAL_TO, false);
      loaded = Loaded.REAL;
    }
    return spark;
  }

  /** The generated warehouse (built on first use): see the class comment. */
  public static synchronized SparkSession generated() {
    SparkSession spark = SparkTestSupport.spark();
    if (loaded != Loaded.GENERATED) {
      SparkTestSupport.resetKeepingReference();
      loaded = Loaded.NONE;
      try {
        if (landing == null) {
          landing = Files.createTempDirectory("ilp-generated-landing");
          DatasetGenerator.generate(new GeneratorParams(GENERATED_ROWS, GENERATED_SEED, landing, true,
              GeneratorParams.Mix.parse(GENERATED_MIX)), Path.of("../conf"));
          truth = new ObjectMapper().readTree(landing.resolve(DatasetGenerator.GROUND_TRUTH_JSON).toFile());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      run(RefJob.JOB, Map.of(), RefJob::run); // the first days' curate needs it (a no-op when kept)
      firstDays(landing, GENERATED_SEED);
      // the run's console log kept as a file under _logs/ (the identifier scan reads every log)
      capturingLogs(SparkTestSupport.warehouse().resolve("_logs/console.log"), () -> pipelineExitCode =
          IlpCommandTestAccess.pipeline(spark, landing,
              List.of(Map.entry("police_uk_street", landing.resolve("bad_files").toString()))));
      assertThat(pipelineExitCode).as("ilp run on the generated landing").isZero();
      loaded = Loaded.GENERATED;
    }
    return spark;
  }

  /** The generated landing folder (raw files and ground truth). */
  public static Path landing() {
    generated();
    return landing;
  }

  /** The generator's ground_truth.json. */
  public static JsonNode truth() {
    generated();
    return truth;
  }

  /** The months the real warehouse assesses, in one run. */
  public static final String REAL_FROM = "2018-10";
  public static final String REAL_TO = "2019-01";

  /** Assesses a month of the current warehouse (audited); force = recompute even when unchanged. */
  public static JobResult assess(String month, boolean force) {
    return assess(month, month, force);
  }

  /** Assesses the months from..to of the current warehouse in one run (audited). */
  public static JobResult assess(String from, String to, boolean force) {
    AssessParams p = AssessParams.of(SparkTestSupport.config(), "month", from, to, List.of(), force);
    return run(AssessJob.JOB, p.asMap(), ctx -> AssessJob.run(ctx, p));
  }

  /** Runs a job as the CLI does (audited in ops.job_runs) and returns its result. */
  public static JobResult run(String job, Map<String, String> params,
      java.util.function.Function<JobContext, JobResult> body) {
    JobContext ctx = new JobContext(SparkTestSupport.spark(), SparkTestSupport.config(), job, params);
    try {
      JobResult r = body.apply(ctx);
      ctx.audit(r, null);
      ctx.info("{} {} in {} s ({} Spark jobs)", job, r.status(), r.duration().toSeconds(), ctx.sparkJobs());
      return r;
    } catch (RuntimeException e) {
      ctx.audit(null, e);
      throw e;
    }
  }

  /**
   * The first days' files: each file of the landing (bad files aside) with probability 1/3 (seeded),
   * ingested per source and curated, before the scheduled run brings the rest.
   */
  static void firstDays(Path landing, long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<Path> files;
    try (java.util.stream.Stream<Path> s = Files.walk(landing)) {
      files = s.filter(Files::isRegularFile).filter(f -> !landing.relativize(f).startsWith("bad_files")).sorted()
          .toList().stream().filter(f -> random.nextInt(3) == 0).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String source : SparkTestSupport.config().getStringList("ilp.sources")) {
      SourceSpec spec = SourceSpec.load(source);
      List<String> mine = files.stream().filter(f -> landing.relativize(f).toString().startsWith(spec.landingSubdir()))
          .filter(f -> spec.filePattern().matcher(f.getFileName().toString()).matches()).map(Path::toString).toList();
      if (!mine.isEmpty()) {
        var p = new IngestJob.Params(spec, mine);
        run(IngestJob.JOB, p.asMap(), ctx -> IngestJob.run(ctx, p));
      }
    }
    var cp = CurateJob.Params.of(SparkTestSupport.config(), List.of(), false);
    run(CurateJob.JOB, cp.asMap(), ctx -> CurateJob.run(ctx, cp));
  }

  /** Runs {@code body} with every log line (as the console prints it) also appended to {@code file}. */
  static void capturingLogs(Path file, Runnable body) {
    var context = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    java.io.StringWriter text = new java.io.StringWriter();
    var appender = org.apache.logging.log4j.core.appender.WriterAppender.newBuilder().setName("ilp-test-capture")
        .setTarget(text).setLayout(org.apache.logging.log4j.core.layout.PatternLayout.newBuilder()
            .withPattern("%m%n").build()).build();
    appender.start();
    var root = context.getConfiguration().getRootLogger();
    root.addAppender(appender, null, null);
    context.updateLoggers();
    try {
      body.run();
    } finally {
      root.removeAppender(appender.getName());
      context.updateLoggers();
      appender.stop();
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.toString(), java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static void ingest(String source, Path... dirs) {
    var p = new IngestJob.Params(SourceSpec.load(source), Arrays.stream(dirs).map(Path::toString).toList());
    run(IngestJob.JOB, p.asMap(), ctx -> IngestJob.run(ctx, p));
  }
}
