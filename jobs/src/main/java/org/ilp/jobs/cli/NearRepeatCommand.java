package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.nearrepeat.NearRepeatJob;
import org.ilp.jobs.nearrepeat.NearRepeatParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nearrepeat", mixinStandardHelpOptions = true,
    description = {"silver.incidents of a period → gold.near_repeat: the Knox test of near repeat (per distance band ×",
        "time band: event pairs observed, the Monte Carlo null of permuted dates, Knox ratio, pseudo p-value), and",
        "gold.near_repeat_alerts: the cells around the latest events where a significant band raises the risk, and",
        "until when (also GeoJSON/GeoParquet under <warehouse>/exports/nearrepeat/). Month-only sources (police.uk)",
        "are refused. With unchanged parameters and silver rows it does nothing (--force recomputes)."})
final class NearRepeatCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "P", description = "First month, e.g. 2016-01.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "P2", description = "Last month, e.g. 2017-12.")
  String to;

  @Option(names = "--scope", required = true, paramLabel = "AREA", description = "chicago, uk or an area code (CHI-DIST-8).")
  String scope;

  @Option(names = "--offence", required = true, paramLabel = "ICCS", description = "ICCS code, e.g. 0501 (burglary).")
  String offence;

  @Option(names = "--distance-bands", paramLabel = "BANDS",
      description = "Inclusive whole metres, e.g. 0,1-200,201-400 (default ilp.nearrepeat.distance-bands).")
  String distanceBands;

  @Option(names = "--time-bands", paramLabel = "BANDS",
      description = "Inclusive calendar days between the two dates, e.g. 0-7,8-14 (default ilp.nearrepeat.time-bands).")
  String timeBands;

  @Option(names = "--permutations", paramLabel = "N", description = "Monte Carlo permutations (default 999).")
  Integer permutations;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the permutations (default ilp.nearrepeat.seed).")
  Long seed;

  @Option(names = "--metric", paramLabel = "M", description = "euclidean (default) or manhattan.")
  String metric;

  @Option(names = "--force", description = "Recompute even when no input changed since the same run.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    NearRepeatParams p = Runner.params(spec, () -> NearRepeatParams.of(config, from, to, scope, offence, distanceBands,
        timeBands, permutations, seed, metric, force));
    return Runner.run(common, NearRepeatJob.JOB, p.asMap(), ctx -> NearRepeatJob.run(ctx, p));
  }
}
