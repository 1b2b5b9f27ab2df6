package org.ilp.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.SessionFactory;
import org.ilp.common.table.Tables;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real local SparkSession per test JVM ({@code local[2]}, 2 shuffle partitions, UI off, Delta +
 * Sedona, in a temp warehouse), held in the JUnit root store so it is really closed when the JVM's
 * tests end.
 *
 * <p>Test settings, none of which changes what a test asserts: the in-memory catalog instead of the
 * embedded Derby metastore (no test needs table names to survive the JVM; every Delta table is still
 * a real Delta table on disk), no Delta checksum
 * files, no whole-stage code generation (each query's operators run as they are instead of being
 * compiled first: on test-sized data compiling costs more than it saves; results are the same), a
 * cache of 5,000 compiled expressions instead of 100 (the suite runs the same jobs' queries again and
 * again; measured 13 % faster on the ingest/curate classes), 99
 * hotspot permutations instead of 999 (the FDR runs on the exact randomisation p, which does not
 * depend on them), 6 emerging-hotspot months instead of 12, 2 forecast backtests. More settings can be
 * tried without editing code: {@code -Dilp.test.set="key=value;key=value"}; {@code -Dilp.test.rule-times=true} prints,
 * when the session closes, the time each of Spark's analyzer and optimizer rules took in the JVM. A module may have expressions
 * evaluated without generated code ({@code -Dilp.test.codegen-factory=NO_CODEGEN}, Spark's
 * {@code spark.sql.codegen.factoryMode}): both modules do — each query's generated classes cost more to generate,
 * compile, load and JIT-compile than they save on test-sized data (common 76 s → 63 s; the jobs classes, side by side
 * on one clean clone on 2026-12-07, 568 → 545 s, user CPU 16:03 → 14:24).
 */
public final class SparkTestSupport implements BeforeAllCallback {
  private static final String KEY = "ilp.spark";

  public static SparkSession spark() {
    return Holder.resource().spark;
  }

  public static IlpConfig config() {
    return Holder.resource().config;
  }

  public static Path warehouse() {
    return Holder.resource().warehouse;
  }

  /** Drops every table in every lakehouse database, so a shell test starts from empty. */
  public static void resetWarehouse() {
    reset(false);
  }

  /**
   * Drops every table but the reference tables (built from conf/, the same for every test; `ilp ref`
   * leaves them alone when conf/ is unchanged).
   */
  public static void resetKeepingReference() {
    reset(true);
  }

  private static void reset(boolean keepRef) {
    SparkSession spark = spark();
    for (String db : Tables.DATABASES) {
      if (keepRef && "ref".equals(db)) {
        continue;
      }
      for (Row r : spark.sql("SHOW TABLES IN " + db).collectAsList()) {
        spark.sql("DROP TABLE IF EXISTS " + db + "." + r.getString(1));
      }
    }
  }

  /** A frame built inline: {@code frame(schema, row(...), row(...))}. */
  public static Dataset<Row> frame(StructType schema, Row... rows) {
    return spark().createDataFrame(List.of(rows), schema);
  }

  public static Row row(Object... values) {
    return RowFactory.create(values);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KEY, k -> Holder.resource(), Resource.class);
  }

  static final class Holder {
    private static Resource resource;

    static synchronized Resource resource() {
      if (resource == null) {
        resource = new Resource();
      }
      return resource;
    }
  }

  static final class Resource implements ExtensionContext.Store.CloseableResource {
    final Path warehouse;
    final IlpConfig config;
    final SparkSession spark;

    Resource() {
      try {
        warehouse = Files.createTempDirectory("ilp-test-warehouse");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      java.util.List<String> sets = new java.util.ArrayList<>(List.of(
          "ilp.spark.master=\"local[2]\"", "ilp.spark.shuffle-partitions=2", "ilp.spark.ui=false",
          "ilp.spark.metastore=none",
          "ilp.spark.extra.\"spark.default.parallelism\"=2", "ilp.spark.extra.\"spark.databricks.delta.writeChecksumFile.enabled\"=false",
          "ilp.spark.extra.\"spark.sql.codegen.wholeStage\"=false",
          "ilp.spark.extra.\"spark.sql.codegen.cache.maxEntries\"=5000",
          "ilp.hotspots.permutations=99", "ilp.hotspots.emerging-months=6", "ilp.run.forecast-backtests=2"));
      // a module whose tests run small queries only evaluates expressions as they are (common's pom): no code is
      // generated, compiled and JIT-compiled per query; same results (Spark's own suites run both modes)
      String factory = System.getProperty("ilp.test.codegen-factory");
      if (factory != null && !factory.isBlank()) {
        sets.add("ilp.spark.extra.\"spark.sql.codegen.factoryMode\"=" + factory);
      }
      // the pseudonymisation key: random per JVM, in a 0600 file outside the warehouse (as in production)
      sets.add("ilp.secrets.pseudonym-key-file=\"" + keyFile() + "\"");
      String extra = System.getProperty("ilp.test.set");
      if (extra != null && !extra.isBlank()) {
        sets.addAll(List.of(extra.split(";")));
      }
      config = IlpConfig.load(null, sets,
          Map.of("ilp.warehouse", warehouse.toString(), "ilp.landing", warehouse.resolve("landing").toString()));
      spark = SessionFactory.create(config);
    }

    static byte[] randomKey() {
      byte[] b = new byte[32];
      new java.security.SecureRandom().nextBytes(b);
      return b;
    }

    static Path keyFile() {
      try {
        Path f = Files.createTempDirectory("ilp-test-key").resolve("pseudonym.key");
        Files.createFile(f, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, java.util.HexFormat.of().formatHex(randomKey()));
        return f;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      if (Boolean.getBoolean("ilp.test.rule-times")) { // where the driver's planning goes: time per analyzer/optimizer rule
        System.err.println(org.apache.spark.sql.catalyst.rules.RuleExecutor$.MODULE$.dumpTimeSpent());
      }
      spark.stop();
    }
  }
}
