package org.ilp.common.table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The read side: whether a table exists, its Delta version, its rows. Writes go through {@link Writes}. */
public final class Delta {
  private Delta() {}

  public static boolean exists(SparkSession spark, TableDef table) {
    return spark.catalog().tableExists(table.name());
  }

  /** Latest Delta version of a table, or -1 when it does not exist. */
  public static long version(SparkSession spark, TableDef table) {
    if (!exists(spark, table)) {
      return -1L;
    }
    // the log's latest version from a listing of _delta_log (no query over the history, no Spark job): every
    // job reads the versions of its inputs and outputs, and a scheduled run of no-ops is mostly that
    return log(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).version();
  }

  /** The table's Delta log (Delta's own handle; cached by Delta per table path). */
  static org.apache.spark.sql.delta.DeltaLog log(SparkSession spark, TableDef table) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, new org.apache.spark.sql.catalyst.TableIdentifier(
        table.table(), scala.Option.apply(table.database())));
  }

  /** Versions of several tables (−1 for a missing one), in the given order: a job's input or output versions. */
  public static Map<String, Long> versions(SparkSession spark, List<TableDef> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    tables.forEach(t -> out.put(t.name(), version(spark, t)));
    return out;
  }

  /** The table's current rows. */
  public static Dataset<Row> read(SparkSession spark, TableDef table) {
    return spark.table(table.name());
  }

  /** The table's rows, or an empty frame of its contract when it does not exist yet. */
  public static Dataset<Row> readOrEmpty(SparkSession spark, TableDef table) {
    return exists(spark, table) ? read(spark, table) : spark.createDataFrame(List.of(), table.schema());
  }

  /** Fails with a message naming the job that builds a missing input. */
  public static void require(SparkSession spark, String builtBy, TableDef... tables) {
    for (TableDef t : tables) {
      if (!exists(spark, t)) {
        throw new IllegalStateException(t.name() + " does not exist: run " + builtBy + " first");
      }
    }
  }
}
