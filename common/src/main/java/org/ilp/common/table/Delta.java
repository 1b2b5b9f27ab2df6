package org.ilp.common.table;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Thin helpers over Delta's API for catalog tables. */
public final class Delta {
  private Delta() {}

  public static boolean exists(SparkSession spark, String table) {
    return spark.catalog().tableExists(table);
  }

  /** Latest Delta version of a table, or -1 when it does not exist. */
  public static long version(SparkSession spark, String table) {
    if (!exists(spark, table)) {
      return -1L;
    }
    Row last = DeltaTable.forName(spark, table).history(1).select("version").head();
    return last.getLong(0);
  }

  /** Creates an empty Delta table with the given schema when missing. */
  public static void createIfMissing(SparkSession spark, String table, StructType schema) {
    if (!exists(spark, table)) {
      spark.createDataFrame(java.util.List.of(), schema).write().format("delta").mode("ignore").saveAsTable(table);
    }
  }

  public static void append(Dataset<Row> df, String table) {
    df.write().format("delta").mode("append").saveAsTable(table);
  }

  /**
   * Replaces, in one Delta commit, the rows of {@code table} that match {@code scope} (a SQL condition
   * on the table's columns, e.g. {@code period_type = 'month' AND period = DATE'2018-12-01'}) with
   * {@code rows}: one MERGE keyed null-safely on {@code keys} that updates matches, inserts new rows
   * and deletes the scope's rows that are not in {@code rows}. Rows outside the scope are untouched,
   * and a reader sees either the old or the new scope, never a mix. Creates the table when missing.
   * (A MERGE rather than overwrite+replaceWhere: the latter logs spurious metastore errors on
   * Hive-registered Delta tables.)
   */
  public static void replace(SparkSession spark, Dataset<Row> rows, String table, java.util.List<String> keys,
      String scope) {
    if (!exists(spark, table)) {
      rows.write().format("delta").mode("errorifexists").saveAsTable(table);
      return;
    }
    String on = keys.stream().map(k -> "t.`" + k + "` <=> s.`" + k + "`")
        .collect(java.util.stream.Collectors.joining(" AND "));
    DeltaTable.forName(spark, table).as("t").merge(rows.as("s"), on)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource(scope).delete()
        .execute();
  }

  public static void overwrite(Dataset<Row> df, String table) {
    df.write().format("delta").mode("overwrite").option("overwriteSchema", "true").saveAsTable(table);
  }
}
