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
 * (SQL functions, Kryo), and the catalog. Databases bronze/silver/gold/publish/ops/ref live at
 * {@code <warehouse>/<db>}, every table in its database's folder. The catalog ({@code ilp.spark.metastore}):
 * <ul>
 *   <li>{@code derby} (the embedded default): a Hive metastore on embedded Derby inside the warehouse
 *       ({@code <warehouse>/_metastore}), so table names survive the JVM. Embedded Derby lets one JVM at
 *       a time open it: a second JVM (an {@code ilp sql} during a run) fails to start its session.</li>
 *   <li>{@code derby-server}: the same metastore database, {@code <warehouse>/_metastore}, served by a
 *       Derby network server ({@code org.apache.derby.drda.NetworkServerControl}, at
 *       {@code ilp.spark.metastore-server} = host:port) and reached through the Derby client driver, which
 *       the jar carries. Any number of JVMs share it: the driver of a cluster run, an {@code ilp sql} or
 *       {@code ilp tables} beside it, a BI tool's Spark. Only drivers talk to the metastore; executors
 *       read and write the Delta files under the warehouse, a path every node sees. The database files
 *       are the embedded mode's, so a warehouse moves between the two modes (one at a time).</li>
 *   <li>{@code none}: Spark's in-memory catalog; bring your own (Unity, Glue, a remote Hive metastore)
 *       through {@code ilp.spark.extra}.</li>
 * </ul>
 * Why a shared metastore rather than path-based tables: every job names its tables (writes through
 * {@code Writes}, reads by name, {@code DESCRIBE DETAIL}, {@code VERSION AS OF}), the names BI tools and
 * notebooks use; keeping the catalog means the cluster runs the very code the embedded default runs.
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
        .config("spark.ui.showConsoleProgress", "false")
        // file: without a forked process per chmod, readlink and ls (LocalFileSystem)
        .config("spark.hadoop.fs.file.impl", LocalFileSystem.class.getName())
        .config("spark.hadoop.fs.AbstractFileSystem.file.impl", LocalFileSystem.Fs.class.getName());
    String master = config.getString("ilp.spark.master");
    if (!master.isBlank() && !"cluster".equals(master)) {
      b.master(master);
    }
    Map<String, String> catalog = catalogSettings(config.getString("ilp.spark.metastore"),
        config.getString("ilp.spark.metastore-server"), warehouse);
    catalog.forEach(b::config);
    if (!catalog.isEmpty()) {
      b.enableHiveSupport();
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

  /**
   * The Spark settings of a metastore mode (empty for {@code none}: no Hive support).
   *
   * @param metastore {@code derby}, {@code derby-server} or {@code none}
   * @param server host:port of the Derby network server ({@code derby-server} only)
   */
  static Map<String, String> catalogSettings(String metastore, String server, Path warehouse) {
    Path db = warehouse.resolve("_metastore");
    Map<String, String> out = new java.util.LinkedHashMap<>();
    switch (metastore) {
      case "derby" -> out.put("spark.hadoop.javax.jdo.option.ConnectionURL",
          "jdbc:derby:;databaseName=" + db + ";create=true");
      case "derby-server" -> {
        if (!server.matches("[^:/;\\s]+:\\d{1,5}")) {
          throw new IllegalArgumentException("ilp.spark.metastore-server must be host:port, got '" + server + "'");
        }
        // the database is a path on the server's machine: the warehouse's own, absolute
        out.put("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby://" + server + "/" + db + ";create=true");
        out.put("spark.hadoop.javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.ClientDriver");
      }
      case "none" -> {
        return out;
      }
      default -> throw new IllegalArgumentException(
          "ilp.spark.metastore must be derby, derby-server or none, got '" + metastore + "'");
    }
    out.put("spark.hadoop.hive.metastore.warehouse.dir", warehouse.toUri().toString());
    return out;
  }
}
