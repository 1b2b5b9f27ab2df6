package org.ilp.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ilp.jobs.curate.CurateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "curate", mixinStandardHelpOptions = true,
    description = {"bronze → silver.incidents and silver.stop_search: types, rules, dedupe, ICCS taxonomy, areas.",
        "Does nothing when no bronze or ref table changed since the last curate (use --force to redo)."})
final class CurateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--source", paramLabel = "NAME", description = "Only these sources (default: ilp.sources).")
  List<String> sources;

  @Option(names = "--force", description = "Recompute even when no input changed.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    CurateJob.Params p = CurateJob.Params.of(config, sources, force);
    return Runner.run(common, CurateJob.JOB, p.asMap(), ctx -> CurateJob.run(ctx, p));
  }
}
