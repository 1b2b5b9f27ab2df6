package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.disparity.DisparityJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "disparity", mixinStandardHelpOptions = true,
    description = {"silver.stop_search + Census 2011 residents by ethnic group → gold.disparity: searches per 1,000",
        "residents by group, force and period, the ratio to White with an exact 95%% interval, the no-further-action",
        "share. `ilp report disparity` renders it."})
final class DisparityCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--force", description = "Recompute even when the inputs are unchanged.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    DisparityJob.Params p = Runner.params(spec, () -> DisparityJob.Params.of(config, force));
    return Runner.run(common, DisparityJob.JOB, p.asMap(), ctx -> DisparityJob.run(ctx, p));
  }
}
