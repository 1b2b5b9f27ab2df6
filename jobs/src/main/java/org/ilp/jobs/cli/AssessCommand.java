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
        "Re-running a period replaces that period's rows (per jurisdiction) atomically, nothing else."})
final class AssessCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--period", required = true, paramLabel = "P",
      description = "Period: 2018-12 (month), 2018-Q4 (quarter), 2018 (year), or its first day.")
  String period;

  @Option(names = "--period-type", defaultValue = "month", paramLabel = "TYPE",
      description = "month | quarter | year (default: ${DEFAULT-VALUE}).")
  String periodType;

  @Option(names = "--jurisdiction", paramLabel = "J", split = ",",
      description = "Only these jurisdictions (uk, chicago); default: every one with data in the period.")
  List<String> jurisdictions;

  @Override
  public Integer call() {
    var config = common.load();
    AssessParams p;
    try {
      p = AssessParams.of(config, periodType, period, jurisdictions);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    return Runner.run(common, AssessJob.JOB, p.asMap(), ctx -> AssessJob.run(ctx, p));
  }
}
