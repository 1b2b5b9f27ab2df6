package org.ilp.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.SessionFactory;
import org.ilp.common.table.Tables;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real local SparkSession per test JVM ({@code local[2]}, 2 shuffle partitions, UI off, Delta +
 * Sedona + a Derby metastore in a temp warehouse), held in the JUnit root store so it is really
 * closed when the JVM's tests end.
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
    SparkSession spark = spark();
    for (String db : Tables.DATABASES) {
      for (org.apache.spark.sql.Row r : spark.sql("SHOW TABLES IN " + db).collectAsList()) {
        spark.sql("DROP TABLE IF EXISTS " + db + "." + r.getString(1));
      }
    }
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
      config = IlpConfig.load(null, List.of(
          "ilp.spark.master=\"local[2]\"", "ilp.spark.shuffle-partitions=2", "ilp.spark.ui=false"),
          Map.of("ilp.warehouse", warehouse.toString(), "ilp.landing", warehouse.resolve("landing").toString()));
      spark = SessionFactory.create(config);
    }

    @Override
    public void close() {
      spark.stop();
    }
  }
}
