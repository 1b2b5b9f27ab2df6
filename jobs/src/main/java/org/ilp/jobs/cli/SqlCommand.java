package org.ilp.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Query the warehouse tables by name, e.g. ilp sql \"SELECT iccs_l1, count(*) FROM silver.incidents GROUP BY 1\".")
final class SqlCommand implements Callable<Integer> {
  enum Format { table, csv, json }

  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "QUERY", description = "Spark SQL (Sedona functions available).")
  String query;

  @Option(names = "--format", defaultValue = "table", description = "table | csv | json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--limit", defaultValue = "1000", description = "At most this many rows (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    SparkSession spark = Runner.session(common);
    try {
      Dataset<Row> df = spark.sql(query);
      List<Row> rows = df.limit(limit).collectAsList();
      String[] cols = df.columns();
      switch (format) {
        case csv -> {
          System.out.println(String.join(",", cols));
          rows.forEach(r -> System.out.println(csvLine(r)));
        }
        case json -> df.limit(limit).toJSON().collectAsList().forEach(System.out::println);
        default -> df.limit(limit).show(limit, 60, false);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  static String csvLine(Row r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object v = r.get(i);
      if (v != null) {
        String s = v.toString();
        b.append(s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
      }
    }
    return b.toString();
  }
}
