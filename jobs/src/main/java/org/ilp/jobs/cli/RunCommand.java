package org.ilp.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.privacy.Pseudonyms;
import org.ilp.common.spark.RunLock;
import org.ilp.common.spark.RunLog;
import org.ilp.common.spark.SessionFactory;
import org.ilp.jobs.assess.AssessJob;
import org.ilp.jobs.assess.AssessParams;
import org.ilp.jobs.curate.CurateJob;
import org.ilp.jobs.ingest.IngestJob;
import org.ilp.jobs.ref.RefJob;
import java.time.LocalDate;
import org.ilp.common.ref.Reference;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.jobs.forecast.ForecastJob;
import org.ilp.jobs.forecast.ForecastParams;
import org.ilp.jobs.hotspots.HotspotParams;
import org.ilp.jobs.hotspots.HotspotsJob;
import org.ilp.jobs.nearrepeat.NearRepeatJob;
import org.ilp.jobs.nearrepeat.NearRepeatParams;
import org.ilp.jobs.repeats.RepeatParams;
import org.ilp.jobs.repeats.RepeatsJob;
import org.ilp.jobs.persons.PersonsJob;
import org.ilp.jobs.targets.TargetsJob;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The scheduled entry point: ref → ingest every configured source from the landing folder → curate →
 * assess the latest complete month of each jurisdiction → repeat locations of each jurisdiction
 * ({@code ilp.run.repeats}, window {@code ilp.repeats.window-months}) → hotspots of the configured scopes
 * ({@code ilp.run.hotspot-scopes}) at that month and forecasts ({@code ilp.run.forecast-scopes}) of the month after
 * it → near repeat of the configured scope:offence pairs ({@code ilp.run.nearrepeat}, window {@code ilp.nearrepeat.window-months}) → with a pseudonymisation
 * key, the person sources: ingest, {@code persons}, {@code targets} ({@code ilp.run.persons}). Idempotent:
 * on unchanged inputs every step is a no-op (no new commit anywhere). Incremental: ingest takes only new files,
 * curate only their records, and each gold step (one per jurisdiction or scope) is a no-op unless the silver rows
 * of its jurisdiction changed (silver's change data feed says which). Each step is its own job in
 * ops.job_runs. After curate the gold steps run in lanes ({@link Lanes}, {@code ilp.run.lanes} at a time):
 * the assessments; the person sources and {@code persons}; repeat locations, hotspots, forecasts and near repeat;
 * and {@code targets}, which reads the first two and starts when both are done. A failing step stops its lane
 * (before curate: the run; a failed assessment or person lane: the targets),
 * the other lanes finish, and the run exits 1. Runs on one warehouse never overlap: a run
 * that finds another holding the warehouse's {@link RunLock} is refused at once (exit 3, naming the holder).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Scheduled pipeline: ref → ingest (all sources, from the landing folder) → curate → assess (each",
        "jurisdiction's latest complete month) → repeat locations (ilp.run.repeats) → hotspots (ilp.run.hotspot-scopes) and",
        "forecasts of the month after it (forecast-scopes)",
        "→ near repeat (ilp.run.nearrepeat: scope:offence pairs over ilp.nearrepeat.window-months)",
        "→ with a pseudonymisation key: person sources, persons, targets (ilp.run.persons).",
        "On unchanged inputs every step is a no-op. One run per warehouse at a time: while another holds it",
        "(<warehouse>/_logs/run.lock), a run is refused with exit code 3 and a message naming the holder.",
        "Landing layout: <landing>/<source landing-subdir>*/ (e.g. landing/police_uk_street/, landing/chicago_crimes_api/)."})
final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--landing", paramLabel = "DIR", description = "Landing folder (default: ilp.landing = ./landing).")
  Path landing;

  @Option(names = "--as-of", paramLabel = "DATE", description = {"The schedule's logical date (default: today, UTC), as a",
      "scheduler passes it to re-run a past night: each jurisdiction's products are of its last complete month before",
      "DATE's month (the targets' window ends there), so a re-run of 2025-01-05 assesses 2024-12 even in March."})
  LocalDate asOf;

  @Override
  public Integer call() {
    IlpConfig config = common.load();
    // one run per warehouse
    return Runner.locked(config.warehouse(), "ilp run", () -> {
      SparkSession spark = SessionFactory.create(config);
      try {
        return pipeline(spark, config, common.verbose, landing == null ? config.landing() : landing, List.of(), asOf);
      } finally {
        spark.stop();
      }
    });
  }

  /**
   * The steps, in order; the run-log rows of no-op steps are appended together ({@link RunLog#holdNoops}): a run of
   * no-ops is one commit to ops.job_runs.
   */
  static int pipeline(SparkSession spark, IlpConfig config, boolean verbose, Path landing,
      List<Map.Entry<String, String>> extraInputs) {
    return pipeline(spark, config, verbose, landing, extraInputs, null);
  }

  /** The run as of a logical date ({@code null}: today, UTC, and the targets' window at the latest data). */
  static int pipeline(SparkSession spark, IlpConfig config, boolean verbose, Path landing,
      List<Map.Entry<String, String>> extraInputs, LocalDate asOf) {
    try (RunLog.Holding held = RunLog.of(spark).holdNoops()) {
      return steps(spark, config, verbose, landing, extraInputs, asOf);
    }
  }

  /** ref, ingest of each source's landing folders (plus {@code extraInputs} per source name), curate, gold. */
  private static int steps(SparkSession spark, IlpConfig config, boolean verbose, Path landing,
      List<Map.Entry<String, String>> extraInputs, LocalDate asOf) {
    int rc = Runner.run(spark, config, verbose, RefJob.JOB, Map.of(), RefJob::run);
    if (rc != 0) {
      return rc;
    }
    for (String source : config.getStringList("ilp.sources")) {
      SourceSpec spec = SourceSpec.load(source);
      List<String> inputs = new ArrayList<>(landingFolders(landing, spec.landingSubdir()));
      extraInputs.stream().filter(e -> e.getKey().equals(source)).forEach(e -> inputs.add(e.getValue()));
      if (inputs.isEmpty()) {
        LoggerFactory.getLogger("org.ilp.progress").info("run: no landing folder for {} under {} (looked for {}*)",
            source, landing, spec.landingSubdir());
        continue;
      }
      IngestJob.Params p = new IngestJob.Params(spec, inputs);
      rc = Runner.run(spark, config, verbose, IngestJob.JOB, p.asMap(), ctx -> IngestJob.run(ctx, p));
      if (rc != 0) {
        return rc;
      }
    }
    CurateJob.Params cp = CurateJob.Params.of(config, List.of(), false);
    rc = Runner.run(spark, config, verbose, CurateJob.JOB, cp.asMap(), ctx -> CurateJob.run(ctx, cp));
    if (rc != 0 || !Delta.exists(spark, Tables.SILVER_INCIDENTS)) {
      return rc;
    }
    Map<String, LocalDate> latest = AssessJob.latestCompleteMonths(spark,
        asOf != null ? asOf : LocalDate.now(java.time.ZoneOffset.UTC));
    // three lanes that read silver and write tables no other lane reads, and the targets once the assessments (the
    // crime counts) and the person sources are done: ilp.run.lanes of them at a time (see Lanes). In this order two
    // lanes start the assessments and the person sources; the shorter's slot goes to the place products, the
    // other's to the targets, which then run beside the place products instead of after them.
    return Lanes.run(config.getInt("ilp.run.lanes"), List.of(
        new Lanes.Lane("assess", () -> assessments(spark, config, verbose, latest)),
        new Lanes.Lane("persons", () -> personSources(spark, config, verbose, landing)),
        new Lanes.Lane("places", () -> placeProducts(spark, config, verbose, latest)),
        new Lanes.Lane("targets", List.of("assess", "persons"), () -> targets(spark, config, verbose, asOf))));
  }

  /**
   * The assessment of each jurisdiction's latest complete month (re-running replaces that month's rows), one run per
   * jurisdiction: a night that brings one jurisdiction's records leaves the others' no-ops. Keeps gold.crime_counts,
   * which the targets read.
   */
  private static int assessments(SparkSession spark, IlpConfig config, boolean verbose, Map<String, LocalDate> latest) {
    for (Map.Entry<String, LocalDate> e : new java.util.TreeMap<>(latest).entrySet()) {
      AssessParams ap = AssessParams.of(config, "month", e.getValue().toString(), List.of(e.getKey()), false);
      int rc = Runner.run(spark, config, verbose, AssessJob.JOB, ap.asMap(), ctx -> AssessJob.run(ctx, ap));
      if (rc != 0) {
        return rc;
      }
    }
    return 0;
  }

  /** Repeat locations, hotspots, forecasts and near repeat: silver's incidents → their own gold tables. */
  private static int placeProducts(SparkSession spark, IlpConfig config, boolean verbose, Map<String, LocalDate> latest) {
    int rc;
    // repeat locations of each jurisdiction over the window ending at its latest complete month
    if (config.raw().getBoolean("ilp.run.repeats")) {
      for (Map.Entry<String, LocalDate> e : new java.util.TreeMap<>(latest).entrySet()) {
        RepeatParams rp = RepeatParams.of(config, e.getValue().toString(), null, e.getKey(), null, false);
        rc = Runner.run(spark, config, verbose, RepeatsJob.JOB, rp.asMap(), ctx -> RepeatsJob.run(ctx, rp));
        if (rc != 0) {
          return rc;
        }
      }
    }
    // hotspots of the configured scopes at their jurisdiction's latest complete month, forecasts of the month after it
    var hc = config.raw().getConfig("ilp.hotspots");
    for (String scope : config.getStringList("ilp.run.hotspot-scopes")) {
      LocalDate month = latest.get(Reference.studyArea(spark, hc, scope).jurisdiction());
      if (month == null) {
        continue;
      }
      var hp = HotspotParams.of(config, month.toString(), null, scope, null, null, null, null, true, false);
      rc = Runner.run(spark, config, verbose, HotspotsJob.JOB, hp.asMap(), ctx -> HotspotsJob.run(ctx, hp));
      if (rc != 0) {
        return rc;
      }
    }
    for (String scope : config.getStringList("ilp.run.forecast-scopes")) {
      LocalDate month = latest.get(Reference.studyArea(spark, hc, scope).jurisdiction());
      if (month == null) {
        continue;
      }
      // the month after the latest complete one: what an analyst plans for; the backtests end with the latest complete
      // month, the last window whose outcome is known
      var fp = new ForecastParams(month.plusMonths(1), "1m", scope, null, hc.getDouble("cell-m"),
          config.getInt("ilp.run.forecast-backtests"), hc.getDouble("kde-bandwidth-m"), false);
      rc = Runner.run(spark, config, verbose, ForecastJob.JOB, fp.asMap(), ctx -> ForecastJob.run(ctx, fp));
      if (rc != 0) {
        return rc;
      }
    }
    // near repeat of the configured scope:offence pairs over the window ending at the latest complete month
    for (String so : config.getStringList("ilp.run.nearrepeat")) {
      String[] parts = so.split(":", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("ilp.run.nearrepeat entries are scope:offence (chicago:0501): " + so);
      }
      LocalDate month = latest.get(Reference.studyArea(spark, hc, parts[0]).jurisdiction());
      if (month == null) {
        continue;
      }
      LocalDate from = month.minusMonths(config.getInt("ilp.nearrepeat.window-months") - 1L);
      var np = NearRepeatParams.of(config, from.toString().substring(0, 7), month.toString().substring(0, 7), parts[0],
          parts[1], null, null, null, null, null, false);
      rc = Runner.run(spark, config, verbose, NearRepeatJob.JOB, np.asMap(), ctx -> NearRepeatJob.run(ctx, np));
      if (rc != 0) {
        return rc;
      }
    }
    return 0;
  }

  /**
   * The person sources of the person-centred half ({@code ilp.run.persons}): ingest each one's landing folders, then
   * resolve and pseudonymise the persons. Needs the pseudonymisation key: without one the person sources are left in
   * the landing folder, with a warning (the rest of the run is unaffected).
   */
  private static int personSources(SparkSession spark, IlpConfig config, boolean verbose, Path landing) {
    var log = LoggerFactory.getLogger("org.ilp.progress");
    if (!persons(config)) {
      if (config.raw().getBoolean("ilp.run.persons")) {
        log.warn("run: person sources not processed: no pseudonymisation key (ILP_PSEUDONYM_KEY or "
            + "ilp.secrets.pseudonym-key-file; make one with `ilp keygen`)");
      }
      return 0;
    }
    for (String source : SourceSpec.PERSON_SOURCES) {
      SourceSpec spec = SourceSpec.load(source);
      List<String> inputs = landingFolders(landing, spec.landingSubdir());
      if (inputs.isEmpty()) {
        continue;
      }
      IngestJob.Params p = new IngestJob.Params(spec, inputs);
      int rc = Runner.run(spark, config, verbose, IngestJob.JOB, p.asMap(), ctx -> IngestJob.run(ctx, p));
      if (rc != 0) {
        return rc;
      }
    }
    PersonsJob.Params pp = PersonsJob.Params.of(config);
    return Runner.run(spark, config, verbose, PersonsJob.JOB, pp.asMap(), ctx -> PersonsJob.run(ctx, pp));
  }

  /** Whether this run takes the person-centred half: asked for, and a pseudonymisation key configured. */
  private static boolean persons(IlpConfig config) {
    return config.raw().getBoolean("ilp.run.persons") && Pseudonyms.configured(config.raw().getConfig("ilp.secrets"));
  }

  /**
   * The targets of the latest window, once the persons are resolved and the crime counts kept (the lanes above): as
   * of a date, the window ends with the month before it; else at the latest person record.
   */
  private static int targets(SparkSession spark, IlpConfig config, boolean verbose, LocalDate asOf) {
    if (!persons(config) || !Delta.exists(spark, Tables.SILVER_PERSON_MENTIONS)) {
      return 0;
    }
    TargetsJob.Params tp = TargetsJob.Params.of(config,
        asOf == null ? null : asOf.withDayOfMonth(1).minusMonths(1).toString().substring(0, 7), null, null, false);
    return Runner.run(spark, config, verbose, TargetsJob.JOB, tp.asMap(), ctx -> TargetsJob.run(ctx, tp));
  }

  static List<String> landingFolders(Path landing, String prefix) {
    if (!Files.isDirectory(landing)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(landing)) {
      return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith(prefix))
          .map(p -> p.toAbsolutePath().toString()).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
