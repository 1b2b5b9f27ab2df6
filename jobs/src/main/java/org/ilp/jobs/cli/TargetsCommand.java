package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.targets.TargetsJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "targets", mixinStandardHelpOptions = true,
    description = {"silver.person_mentions of a window → the person-centred targets of ILP, by pseudonym:",
        "gold.prolific_offenders (recency, frequency, gravity), gold.repeat_victims and gold.repeat_victim_areas",
        "(repeats against chance), gold.offender_network and gold.network_persons (components, betweenness, brokers).",
        "With unchanged inputs and parameters it does nothing (--force recomputes)."})
final class TargetsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--to", paramLabel = "P", description = "Last month of the window, e.g. 2024-12 (default: the latest month of the person records).")
  String to;

  @Option(names = "--months", paramLabel = "N", description = "Window in months (default ilp.targets.window-months).")
  Integer months;

  @Option(names = "--top", paramLabel = "N", description = "Offenders kept per area and nationally (default ilp.targets.prolific.top).")
  Integer top;

  @Option(names = "--force", description = "Recompute even when no input changed since the same run.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    TargetsJob.Params p = Runner.params(spec, () -> TargetsJob.Params.of(config, to, months, top, force));
    return Runner.run(common, TargetsJob.JOB, p.asMap(), ctx -> TargetsJob.run(ctx, p));
  }
}
