package org.ilp.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "tables", mixinStandardHelpOptions = true,
    description = "List the warehouse tables: name, rows, Delta version, location.")
final class TablesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    SparkSession spark = Runner.session(common);
    try {
      System.out.print(String.join("\n", describe(spark)) + "\n");
      return 0;
    } finally {
      spark.stop();
    }
  }

  static List<String> describe(SparkSession spark) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-30s %14s %8s  %s", "table", "rows", "version", "location"));
    for (String db : Tables.DATABASES) {
      for (Row r : spark.sql("SHOW TABLES IN " + db).orderBy("tableName").collectAsList()) {
        String name = db + "." + r.getString(1);
        long rows = spark.table(name).count();
        String location = spark.sql("DESCRIBE DETAIL " + name).select("location").head().getString(0);
        lines.add(String.format("%-30s %,14d %8d  %s", name, rows, Delta.version(spark, name), location));
      }
    }
    return lines;
  }
}
