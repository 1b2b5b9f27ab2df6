package org.ilp.common.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.table.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a SparkSession is built: Delta Lake (SQL extension + catalog), Apache Sedona
 * (SQL functions, Kryo), and the catalog. In the embedded default the catalog is a Hive metastore
 * on Derby stored inside the warehouse ({@code <warehouse>/_metastore}), so table names survive
 * the JVM; databases bronze/silver/gold/publish/ops/ref live at {@code <warehouse>/<db>}.
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private SessionFactory() {}

  public static SparkSession create(IlpConfig config) {
    Path warehouse = config.warehouse();
    try {
      Files.createDirectories(warehouse.resolve("_logs"));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create warehouse folder " + warehouse + ": " + e.getMessage(), e);
    }
    // Derby writes derby.log into the working directory unless told otherwise.
    System.setProperty("derby.stream.error.file", warehouse.resolve("_logs/derby.log").toString());

    SparkSession.Builder b = SparkSession.builder()
        .appName(config.getString("ilp.spark.app-name"))
        .config("spark.sql.extensions",
            "io.delta.sql.DeltaSparkSessionExtension,org.apache.sedona.sql.SedonaSqlExtensions")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "org.apache.sedona.core.serde.SedonaKryoRegistrator")
        .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
        .config("spark.sql.shuffle.partitions", String.valueOf(config.getInt("ilp.spark.shuffle-partitions")))
        .config("spark.ui.enabled", String.valueOf(config.getBoolean("ilp.spark.ui")))
        .config("spark.ui.showConsoleProgress", "false");
    String master = config.getString("ilp.spark.master");
    if (!master.isBlank() && !"cluster".equals(master)) {
      b.master(master);
    }
    String metastore = config.getString("ilp.spark.metastore");
    if ("derby".equals(metastore)) {
      b.config("spark.hadoop.javax.jdo.option.ConnectionURL",
              "jdbc:derby:;databaseName=" + warehouse.resolve("_metastore") + ";create=true")
          .config("spark.hadoop.hive.metastore.warehouse.dir", warehouse.toUri().toString())
          .enableHiveSupport();
    } else if (!"none".equals(metastore)) {
      throw new IllegalArgumentException("ilp.spark.metastore must be derby or none, got '" + metastore + "'");
    }
    for (Map.Entry<String, String> e : config.sparkExtra().entrySet()) {
      b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = SedonaContext.create(b.getOrCreate());
    spark.sparkContext().setLogLevel("WARN");
    Tables.ensureDatabases(spark, warehouse);
    LOG.debug("SparkSession ready: master={}, warehouse={}", spark.sparkContext().master(), warehouse);
    return spark;
  }
}
