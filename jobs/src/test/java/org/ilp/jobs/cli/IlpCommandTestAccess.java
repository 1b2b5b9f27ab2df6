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
}
