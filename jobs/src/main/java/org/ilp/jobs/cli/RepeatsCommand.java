package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.repeats.RepeatParams;
import org.ilp.jobs.repeats.RepeatsJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "repeats", mixinStandardHelpOptions = true,
    description = {"silver.incidents of a window → gold.repeat_locations (locations with two or more crimes, most first)",
        "and gold.repeat_location_areas (per local area and for the scope: repeat locations, their share of crime,",
        "and whether there are more than chance gives: Poisson at the area's rate, binomial test, BH q).",
        "With unchanged parameters and silver rows of its jurisdiction it does nothing (--force recomputes)."})
final class RepeatsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "P", description = "Last month of the window, e.g. 2017-12.")
  String to;

  @Option(names = "--months", paramLabel = "N", description = "Window in months (default ilp.repeats.window-months).")
  Integer months;

  @Option(names = "--scope", required = true, paramLabel = "JURISDICTION", description = "uk or chicago.")
  String scope;

  @Option(names = "--offence", paramLabel = "ICCS", description = "ICCS level-1 or level-2 code (e.g. 0501 burglary); default all crime.")
  String offence;

  @Option(names = "--force", description = "Recompute even when no input changed since the same run.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    RepeatParams p = Runner.params(spec, () -> RepeatParams.of(config, to, months, scope, offence, force));
    return Runner.run(common, RepeatsJob.JOB, p.asMap(), ctx -> RepeatsJob.run(ctx, p));
  }
}
