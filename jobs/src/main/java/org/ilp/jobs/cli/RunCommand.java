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
import org.ilp.common.spark.SessionFactory;
import org.ilp.jobs.assess.AssessJob;
import org.ilp.jobs.assess.AssessParams;
import org.ilp.jobs.curate.CurateJob;
import org.ilp.jobs.ingest.IngestJob;
import org.ilp.jobs.ref.RefJob;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The scheduled entry point: ref → ingest every configured source from the landing folder →
 * curate → assess the latest complete month of each jurisdiction. Idempotent: on unchanged inputs every step is a no-op and silver gets no new commit.
 * Each step is its own job in ops.job_runs; the first failing step stops the run (exit 1).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Scheduled pipeline: ref → ingest (all sources, from the landing folder) → curate → assess",
        "(each jurisdiction's latest complete month).",
        "Landing layout: <landing>/<source landing-subdir>*/ (e.g. landing/police_uk_street/, landing/chicago_crimes_api/)."})
final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--landing", paramLabel = "DIR", description = "Landing folder (default: ilp.landing = ./landing).")
  Path landing;

  @Override
  public Integer call() {
    IlpConfig config = common.load();
    SparkSession spark = SessionFactory.create(config);
    try {
      return pipeline(spark, config, common.verbose, landing == null ? config.landing() : landing, List.of());
    } finally {
      spark.stop();
    }
  }

  /** ref, ingest of each source's landing folders (plus {@code extraInputs} per source name), curate. */
  static int pipeline(SparkSession spark, IlpConfig config, boolean verbose, Path landing,
      List<Map.Entry<String, String>> extraInputs) {
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
    if (rc != 0 || !org.ilp.common.table.Delta.exists(spark, org.ilp.common.table.Tables.SILVER_INCIDENTS)) {
      return rc;
    }
    // the assessment of each jurisdiction's latest complete month (re-running replaces that month's rows)
    for (Map.Entry<String, java.time.LocalDate> e : AssessJob.latestCompleteMonths(spark).entrySet()) {
      AssessParams ap = AssessParams.of(config, "month", e.getValue().toString(), List.of(e.getKey()));
      rc = Runner.run(spark, config, verbose, AssessJob.JOB, ap.asMap(), ctx -> AssessJob.run(ctx, ap));
      if (rc != 0) {
        return rc;
      }
    }
    // hotspots and forecasts of the configured scopes, at their jurisdiction's latest complete month
    Map<String, java.time.LocalDate> latest = AssessJob.latestCompleteMonths(spark);
    var hc = config.raw().getConfig("ilp.hotspots");
    for (String scope : config.getStringList("ilp.run.hotspot-scopes")) {
      var area = org.ilp.jobs.hotspots.HotspotsJob.scopeOf(spark, hc, scope);
      java.time.LocalDate month = latest.get(area.jurisdiction());
      if (month == null) {
        continue;
      }
      var hp = org.ilp.jobs.hotspots.HotspotParams.of(config, month.toString(), null, scope, null, null, null, null, true);
      rc = Runner.run(spark, config, verbose, org.ilp.jobs.hotspots.HotspotsJob.JOB, hp.asMap(),
          ctx -> org.ilp.jobs.hotspots.HotspotsJob.run(ctx, hp));
      if (rc != 0) {
        return rc;
      }
    }
    for (String scope : config.getStringList("ilp.run.forecast-scopes")) {
      var area = org.ilp.jobs.hotspots.HotspotsJob.scopeOf(spark, hc, scope);
      java.time.LocalDate month = latest.get(area.jurisdiction());
      if (month == null) {
        continue;
      }
      // forecast the month after the latest complete one; its evaluation covers the months before
      var fp = new org.ilp.jobs.forecast.ForecastJob.Params(month, "1m", scope, null, hc.getDouble("cell-m"),
          config.getInt("ilp.run.forecast-backtests"), hc.getDouble("kde-bandwidth-m"));
      rc = Runner.run(spark, config, verbose, org.ilp.jobs.forecast.ForecastJob.JOB, fp.asMap(),
          ctx -> org.ilp.jobs.forecast.ForecastJob.run(ctx, fp));
      if (rc != 0) {
        return rc;
      }
    }
    return 0;
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
