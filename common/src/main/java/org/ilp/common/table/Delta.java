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

  public static void overwrite(Dataset<Row> df, String table) {
    df.write().format("delta").mode("overwrite").option("overwriteSchema", "true").saveAsTable(table);
  }
}
