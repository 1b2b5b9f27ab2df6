package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.common.assess.Periods;
import org.ilp.jobs.report.AssessmentReportJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes a self-contained HTML report to <warehouse>/reports/.",
        "Kinds: assessment (gold tables of an assessed period, with a Markdown twin), hotspots (maps of a hotspot run),",
        "intelligence (prolific offenders, repeat victims, networks, intelligence gaps of a targets window, by pseudonym;",
        "HTML and Markdown).",
        "A period, jurisdiction, level or area that was not assessed is a usage error (exit 2) listing what was."})
final class ReportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "assessment | hotspots | intelligence")
  String kind;

  @Option(names = "--period", paramLabel = "P",
      description = {"assessment: the assessed period, 2019-02 (month), 2024-Q4 (quarter) or 2024 (year); hotspots: the "
          + "run's month;", "intelligence: the targets window's last month (default: the latest window)."})
  String period;

  @Option(names = "--level", defaultValue = "regional", description = "national | regional | local (default: ${DEFAULT-VALUE}).")
  String level;

  @Option(names = "--area", paramLabel = "CODE", description = "Only this area and its child areas.")
  String area;

  @Option(names = "--scope", paramLabel = "AREA", description = "hotspots: the run's scope (uk, chicago or an area code).")
  String scope;

  @Option(names = "--offence", paramLabel = "ICCS", description = "hotspots: the run's offence code (default all).")
  String offence;

  @Option(names = "--cell", defaultValue = "250m", description = "hotspots: the run's cell size (default: ${DEFAULT-VALUE}).")
  String cell;

  @Option(names = "--jurisdiction", paramLabel = "J", description = "uk | chicago (needed when several were assessed).")
  String jurisdiction;

  @Option(names = "--top", defaultValue = "15",
      description = "Threat rows (assessment), rows per table (intelligence) (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    if ("intelligence".equals(kind)) {
      var ip = Runner.params(spec, () -> new org.ilp.jobs.report.IntelligenceReport.Params(period == null ? null
          : Periods.MONTH.parse(period), top));
      return Runner.run(common, org.ilp.jobs.report.IntelligenceReport.JOB, java.util.Map.of("kind", "intelligence",
          "period", String.valueOf(period)), printingPath(ctx -> org.ilp.jobs.report.IntelligenceReport.run(ctx, ip)));
    }
    if (period == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "report " + kind + " needs --period");
    }
    if ("hotspots".equals(kind)) {
      if (scope == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "report hotspots needs --scope");
      }
      var hp = Runner.params(spec, () -> new org.ilp.jobs.report.HotspotMapReport.Params(Periods.MONTH.parse(period),
          scope, offence, org.ilp.jobs.hotspots.HotspotParams.metres(cell)));
      return Runner.run(common, org.ilp.jobs.report.HotspotMapReport.JOB, java.util.Map.of("kind", "hotspots",
          "period", period, "scope", scope), printingPath(ctx -> org.ilp.jobs.report.HotspotMapReport.run(ctx, hp)));
    }
    if (!"assessment".equals(kind)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown report kind '" + kind + "' (assessment, hotspots, intelligence)");
    }
    AssessmentReportJob.Params p = Runner.params(spec, () -> AssessmentReportJob.Params.of(period, level, area,
        jurisdiction, top));
    return Runner.run(common, AssessmentReportJob.JOB, p.asMap(), printingPath(ctx -> AssessmentReportJob.run(ctx, p)));
  }

  /** The report's path on stdout (data: a script opens or mails it), everything else on stderr. */
  private static java.util.function.Function<org.ilp.common.spark.JobContext, org.ilp.common.spark.JobResult> printingPath(
      java.util.function.Function<org.ilp.common.spark.JobContext, org.ilp.common.spark.JobResult> body) {
    return ctx -> {
      org.ilp.common.spark.JobResult r = body.apply(ctx);
      if (r.summary().startsWith("report ")) {
        System.out.println(r.summary().substring("report ".length()));
      }
      return r;
    };
  }
}
