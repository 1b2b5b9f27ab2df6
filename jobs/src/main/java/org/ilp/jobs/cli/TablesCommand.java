package org.ilp.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessLog;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.TableDigest;
import org.ilp.common.table.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tables", mixinStandardHelpOptions = true,
    description = {"List the warehouse tables: name, rows, Delta version, location.",
        "With --digest: name, rows and an order-independent digest of the rows, without run ids and run times,",
        "so two warehouses built from the same inputs (a cluster's and a local run's) print the same lines",
        "(the access, disclosure and erasure logs left out: they record who used a warehouse)."})
final class TablesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--digest", description = "Print a content digest per table instead of version and location.")
  boolean digest;

  @Option(names = "--purpose", paramLabel = "TEXT", description = "Why (logged in ops.access_log).")
  String purpose;

  @Override
  public Integer call() {
    AccessPolicy policy = AccessPolicy.of(common.load());
    boolean shared = Runner.sessionRunning();
    SparkSession spark = Runner.readOnlySession(common, policy);
    try {
      List<String> lines = digest ? digests(spark) : describe(spark);
      System.out.print(String.join("\n", lines) + "\n");
      // a digest reads every row of every table; the listing reads the logs' statistics: both are consultations
      AccessLog.write(spark, policy, new AccessLog.Entry("tables", digest ? "tables --digest" : "tables", purpose,
          lines.stream().skip(1).map(l -> l.split(" +")[0]).toList(), (long) lines.size() - 1, null, AccessLog.OK, null,
          null));
      return 0;
    } finally {
      Runner.release(spark, shared);
    }
  }

  /** One line per existing table: name, rows, {@link TableDigest} (run ids and run times left out). */
  static List<String> digests(SparkSession spark) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-30s %14s  %s", "table", "rows", "digest (without " + String.join(", ",
        new java.util.TreeSet<>(TableDigest.RUN_COLUMNS)) + ")"));
    // the logs of who consulted or erased what are not made from the inputs: two warehouses of the same inputs
    // differ there by design
    List<TableDef> read = Tables.all().stream().filter(t -> Delta.exists(spark, t)
        && !List.of(Tables.OPS_ACCESS_LOG, Tables.OPS_DISCLOSURE_LOG, Tables.OPS_ERASURE_LOG).contains(t)).toList();
    List<TableDigest> d = TableDigest.ofEach(read.stream().map(t -> Delta.read(spark, t)).toList());
    for (int i = 0; i < read.size(); i++) {
      lines.add(String.format("%-30s %,14d  %s", read.get(i).name(), d.get(i).rows(), d.get(i).hash()));
    }
    return lines;
  }

  static List<String> describe(SparkSession spark) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-30s %14s %8s  %s", "table", "rows", "version", "location"));
    List<TableDef> present = Tables.all().stream().filter(t -> Delta.exists(spark, t)).toList();
    if (present.isEmpty()) {
      return lines;
    }
    // rows from each version's checksum file where it lists the files (no query); the other tables' count(*) in one
    // query, rows in the order of its branches: Delta answers a bare count(*) from the files' statistics (no data file
    // read; a projection beside it, even a literal, would make it scan); the version and location are the log's
    java.util.Map<String, Long> rows = new java.util.HashMap<>();
    List<TableDef> toCount = new ArrayList<>();
    for (TableDef t : present) {
      Long n = Delta.rowsFromChecksum(spark, t);
      if (n == null) {
        toCount.add(t);
      } else {
        rows.put(t.name(), n);
      }
    }
    if (!toCount.isEmpty()) {
      List<Row> counts = spark.sql(String.join(" UNION ALL ",
          toCount.stream().map(t -> "SELECT count(*) FROM " + t.name()).toList())).collectAsList();
      for (int i = 0; i < toCount.size(); i++) {
        rows.put(toCount.get(i).name(), counts.get(i).getLong(0));
      }
    }
    for (TableDef t : present) {
      lines.add(String.format("%-30s %,14d %8d  %s", t.name(), rows.get(t.name()), Delta.version(spark, t),
          Delta.location(spark, t)));
    }
    return lines;
  }
}
