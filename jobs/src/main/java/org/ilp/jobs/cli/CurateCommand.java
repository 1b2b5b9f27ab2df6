package org.ilp.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ilp.jobs.curate.CurateJob;
import java.util.Map;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.jobs.ref.RefJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "curate", mixinStandardHelpOptions = true,
    description = {"bronze → silver.incidents and silver.stop_search: types, rules, dedupe, ICCS taxonomy, areas.",
        "Incremental: only files not curated yet, re-ranked with the earlier records of the groups they touch.",
        "Does nothing when no bronze or ref table changed since the last curate (--full recomputes everything)."})
final class CurateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--source", paramLabel = "NAME", description = "Only these sources (default: ilp.sources).")
  List<String> sources;

  @Option(names = {"--full", "--force"}, description = "Recompute every source from all of its bronze records "
      + "(also when no input changed); --force is the older name.")
  boolean full;

  @Override
  public Integer call() {
    var config = common.load();
    CurateJob.Params p = Runner.params(spec, () -> CurateJob.Params.of(config, sources, full));
    // curate needs the reference tables: build them first when missing (a no-op when they are up to date)
    return Runner.run(common, CurateJob.JOB, p.asMap(), ctx -> {
      if (!Delta.exists(ctx.spark(), Tables.REF_AREAS) || !Delta.exists(ctx.spark(), Tables.REF_OFFENCE_TAXONOMY)) {
        int rc = Runner.run(ctx.spark(), ctx.config(), false, RefJob.JOB, Map.of(), RefJob::run);
        if (rc != 0) {
          throw new IllegalStateException("building the reference tables failed");
        }
      }
      return CurateJob.run(ctx, p);
    });
  }
}
