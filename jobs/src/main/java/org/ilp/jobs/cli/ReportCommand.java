package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.common.assess.Periods;
import org.ilp.jobs.report.AssessmentReportJob;
import org.ilp.common.access.AccessLog;
import org.ilp.common.access.AccessPolicy;
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

  @Parameters(index = "0", paramLabel = "KIND", description = "assessment | hotspots | intelligence | disparity")
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

  @Option(names = "--purpose", paramLabel = "TEXT",
      description = "Why (logged in ops.access_log); needed for the person-level intelligence report.")
  String purpose;

  /** The person-level tables the intelligence report reads (each needs a purpose: ilp.access.purpose-required). */
  static final java.util.List<String> INTELLIGENCE_INPUTS = java.util.List.of(
      org.ilp.common.table.Tables.GOLD_PROLIFIC_OFFENDERS.name(), org.ilp.common.table.Tables.GOLD_REPEAT_VICTIMS.name(),
      org.ilp.common.table.Tables.GOLD_OFFENDER_NETWORK.name(), org.ilp.common.table.Tables.GOLD_NETWORK_PERSONS.name(),
      org.ilp.common.table.Tables.GOLD_SUBJECT_PROFILES.name(), org.ilp.common.table.Tables.GOLD_INTELLIGENCE_GAPS.name());

  @Override
  public Integer call() {
    AccessPolicy policy = AccessPolicy.of(common.load());
    if ("intelligence".equals(kind)) {
      for (String t : INTELLIGENCE_INPUTS) {
        if (policy.denies(t) || (policy.needsPurpose(t) && AccessPolicy.purpose(purpose) == null)) {
          String why = policy.denies(t) ? "the " + policy.role() + " role may not read " + t
              : "the intelligence report reads " + t + ", which is restricted: say why with --purpose \"...\"";
          var spark = Runner.session(common);
          AccessLog.write(spark, policy, new AccessLog.Entry("report", "report intelligence", purpose,
              INTELLIGENCE_INPUTS, null, null, AccessLog.REFUSED, why, null));
          throw new org.ilp.common.spark.UsageError(why + " (logged in ops.access_log)");
        }
      }
      var ip = Runner.params(spec, () -> new org.ilp.jobs.report.IntelligenceReport.Params(period == null ? null
          : Periods.MONTH.parse(period), top));
      return Runner.run(common, org.ilp.jobs.report.IntelligenceReport.JOB, java.util.Map.of("kind", "intelligence",
          "period", String.valueOf(period)), logged(policy, "report intelligence",
          ctx -> org.ilp.jobs.report.IntelligenceReport.run(ctx, ip)));
    }
    if ("disparity".equals(kind)) {
      return Runner.run(common, "report", java.util.Map.of("kind", "disparity"), logged(policy, "report disparity",
          org.ilp.jobs.report.DisparityReport::run));
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
          "period", period, "scope", scope), logged(policy, "report hotspots --period " + period + " --scope " + scope,
          ctx -> org.ilp.jobs.report.HotspotMapReport.run(ctx, hp)));
    }
    if (!"assessment".equals(kind)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown report kind '" + kind + "' (assessment, hotspots, intelligence, disparity)");
    }
    AssessmentReportJob.Params p = Runner.params(spec, () -> AssessmentReportJob.Params.of(period, level, area,
        jurisdiction, top));
    return Runner.run(common, AssessmentReportJob.JOB, p.asMap(), logged(policy, "report assessment " + p.asMap(),
        ctx -> AssessmentReportJob.run(ctx, p)));
  }

  /**
   * The report's path on stdout (data: a script opens or mails it), everything else on stderr; the consultation (the
   * tables the report read, the job run that made it) in ops.access_log.
   */
  private java.util.function.Function<org.ilp.common.spark.JobContext, org.ilp.common.spark.JobResult> logged(
      AccessPolicy policy, String statement,
      java.util.function.Function<org.ilp.common.spark.JobContext, org.ilp.common.spark.JobResult> body) {
    return ctx -> {
      org.ilp.common.spark.JobResult r = body.apply(ctx);
      String page = r.summary().startsWith("report ") ? r.summary().substring("report ".length()) : null;
      AccessLog.write(ctx.spark(), policy, new AccessLog.Entry("report", statement, purpose,
          new java.util.TreeSet<>(r.rowsIn().keySet()).stream().toList(), r.rowsRead(), page, AccessLog.OK, null,
          ctx.runId()));
      if (page != null) {
        System.out.println(page);
      }
      return r;
    };
  }
}
