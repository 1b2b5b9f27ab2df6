package org.ilp.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.testing.SparkTestSupport;

/** Lets tests in other packages run the scheduled pipeline (package-private in the CLI). */
public final class IlpCommandTestAccess {
  private IlpCommandTestAccess() {}

  public static int pipeline(SparkSession spark, Path landing) {
    return pipeline(spark, landing, List.of());
  }

  public static int pipeline(SparkSession spark, Path landing, List<Map.Entry<String, String>> extraInputs) {
    return RunCommand.pipeline(spark, SparkTestSupport.config(), false, landing, extraInputs);
  }

  /** Runs the CLI in this JVM: exit code, stdout, stderr. */
  public static String[] execute(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream o = System.out;
    java.io.PrintStream e = System.err;
    int rc;
    try (java.io.PrintStream po = new java.io.PrintStream(out, true);
        java.io.PrintStream pe = new java.io.PrintStream(err, true)) {
      System.setOut(po);
      System.setErr(pe);
      rc = IlpCommand.execute(args);
    } finally {
      System.setOut(o);
      System.setErr(e);
    }
    return new String[] {String.valueOf(rc), out.toString(), err.toString()};
  }
}
