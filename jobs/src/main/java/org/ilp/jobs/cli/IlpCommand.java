package org.ilp.jobs.cli;

import org.ilp.common.spark.AppVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ilp}: the command line of ilp-lakehouse. One subcommand per job, plus tools to look at
 * the warehouse. Exit codes: 0 ok, 1 failure, 2 usage, 3 refused: another {@code ilp run} holds the
 * warehouse ({@link org.ilp.common.spark.RunLock}).
 */
@Command(name = "ilp", mixinStandardHelpOptions = true, versionProvider = IlpCommand.Version.class,
    description = "ilp-lakehouse: raw police dumps → bronze → silver → gold, on Spark + Delta + Sedona.",
    subcommands = {
        IngestCommand.class, CurateCommand.class, RefCommand.class, RunCommand.class, GenerateCommand.class,
        AssessCommand.class, ReportCommand.class, HotspotsCommand.class, ForecastCommand.class, RepeatsCommand.class, NearRepeatCommand.class, PersonsCommand.class, TargetsCommand.class, ReidentifyCommand.class, KeygenCommand.class, DemoCommand.class, SqlCommand.class, ShellCommand.class, TablesCommand.class, RetentionCommand.class, DisparityCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class IlpCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new IlpCommand());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof org.ilp.common.access.SqlGuard.Refused) { // not a mistake in the command line: no help hint
        cmd.getErr().println("ilp " + cmd.getCommandName() + ": refused: " + ex.getMessage()
            + " (logged in ops.access_log)");
        return 2;
      }
      if (ex instanceof IllegalArgumentException) {
        cmd.getErr().println("ilp " + cmd.getCommandName() + ": " + ex.getMessage());
        cmd.getErr().println("Try 'ilp " + cmd.getCommandName() + " --help'.");
        return 2;
      }
      cmd.getErr().println("ilp " + cmd.getCommandName() + ": failed: " + Runner.rootMessage(ex));
      return 1;
    });
    return cl.execute(args);
  }

  /** The version from the build. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ilp-lakehouse " + AppVersion.get() + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
          + ", Delta 4.0.1, Sedona 1.8.0, Java " + System.getProperty("java.version") + ")"};
    }
  }
}
