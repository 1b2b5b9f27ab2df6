package org.ilp.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ilp.jobs.assess.AssessJob;
import org.ilp.jobs.assess.AssessParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "assess", mixinStandardHelpOptions = true,
    description = {"silver.incidents → gold.crime_stats, gold.threat_assessment, gold.crime_trends, gold.early_warnings",
        "and their disclosure-controlled copies in publish.*, for one period.",
        "Re-running a period replaces that period's rows (per jurisdiction) atomically, nothing else;",
        "with unchanged ref tables and silver rows of its jurisdictions it does nothing (--force recomputes)."})
final class AssessCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--period", required = true, paramLabel = "P",
      description = "Period: 2018-12 (month), 2018-Q4 (quarter), 2018 (year), or its first day.")
  String period;

  @Option(names = "--to", paramLabel = "P2",
      description = "Last period of a backfill: every period from --period to P2 is assessed in one run.")
  String to;

  @Option(names = "--period-type", paramLabel = "TYPE",
      description = "month | quarter | year (default: the type --period names: 2018-12 month, 2018-Q4 quarter, 2018 year).")
  String periodType;

  @Option(names = "--force", description = "Recompute even when no input changed since this assessment last ran.")
  boolean force;

  @Option(names = "--jurisdiction", paramLabel = "J", split = ",",
      description = "Only these jurisdictions (uk, chicago); default: every one with data in the period.")
  List<String> jurisdictions;

  @Override
  public Integer call() {
    var config = common.load();
    AssessParams p = Runner.params(spec, () -> AssessParams.of(config, periodType, period, to, jurisdictions, force));
    return Runner.run(common, AssessJob.JOB, p.asMap(), ctx -> AssessJob.run(ctx, p));
  }
}
