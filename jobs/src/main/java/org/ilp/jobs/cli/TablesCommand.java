package org.ilp.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
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
    for (TableDef t : Tables.all()) {
      if (Delta.exists(spark, t)) {
        long rows = Delta.read(spark, t).count();
        String location = spark.sql("DESCRIBE DETAIL " + t.name()).select("location").head().getString(0);
        lines.add(String.format("%-30s %,14d %8d  %s", t.name(), rows, Delta.version(spark, t), location));
      }
    }
    return lines;
  }
}
