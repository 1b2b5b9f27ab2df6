package org.ilp.jobs.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.UsageError;
import org.ilp.jobs.retention.RetentionJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "retention", mixinStandardHelpOptions = true,
    description = {"Erase what is past retention (ilp.retention.rules): rows deleted or raw text cleared, the files",
        "vacuumed so no time travel reaches them, counts per table in ops.erasure_log. A maintenance role's job",
        "(ILP_ROLE=engineer or admin); it takes the warehouse's run lock (exit 3 while `ilp run` holds it)."})
final class RetentionCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--dry-run", description = "Count what is past retention, per table; change nothing (logged too).")
  boolean dryRun;

  @Option(names = "--as-of", paramLabel = "DATE", description = "The day retention is counted back from (default: today, UTC).")
  LocalDate asOf;

  @Override
  public Integer call() {
    IlpConfig config = common.load();
    AccessPolicy policy = AccessPolicy.of(config);
    if (!policy.maintenance() && !dryRun) {
      throw new UsageError("the " + policy.role() + " role may not erase data: `ilp retention` needs a maintenance role "
          + "(ilp.access.roles.<role>.maintenance; --dry-run only counts)");
    }
    RetentionJob.Params p = Runner.params(spec, () -> RetentionJob.Params.of(config, asOf, dryRun));
    Runner.requireWarehouse(config.warehouse());
    // VACUUM with a 0-hour window must not run beside a writer: the run lock keeps `ilp run` out
    return Runner.locked(config.warehouse(), "ilp retention",
        () -> Runner.run(common, RetentionJob.JOB, p.asMap(), ctx -> RetentionJob.run(ctx, p)));
  }
}
