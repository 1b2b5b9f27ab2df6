package org.ilp.jobs.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.ilp.jobs.ref.RefJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ref", mixinStandardHelpOptions = true,
    description = "conf/areas, conf/population, conf/taxonomy → ref.areas, ref.population, ref.offence_taxonomy (only when changed).")
final class RefCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    return Runner.run(common, RefJob.JOB, Map.of(), RefJob::run);
  }
}
