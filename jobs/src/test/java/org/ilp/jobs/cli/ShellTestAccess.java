package org.ilp.jobs.cli;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessPolicy;

/** Lets tests in other packages drive `ilp shell`'s loop (package-private in the CLI) from a string. */
public final class ShellTestAccess {
  private final ShellCommand.Session session;

  public ShellTestAccess(SparkSession spark, AccessPolicy policy, String purpose, PrintStream out) {
    session = new ShellCommand.Session(spark, policy, purpose, ResultPrinter.Format.table, 100, out, out);
  }

  /** Runs the lines; the statements that ran without error. */
  public int run(String lines) {
    return session.loop(ShellCommand.Lines.of(new java.io.BufferedReader(new java.io.StringReader(lines))));
  }
}
