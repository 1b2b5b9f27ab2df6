package org.ilp.common.table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** The read side: whether a table exists, its Delta version, its rows. Writes go through {@link Writes}. */
public final class Delta {
  private Delta() {}

  public static boolean exists(SparkSession spark, TableDef table) {
    return spark.catalog().tableExists(table.name());
  }

  /** The bytes of the table's current data files, from its log (no Spark job); 0 when it does not exist. */
  public static long sizeInBytes(SparkSession spark, TableDef table) {
    return exists(spark, table) ? log(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).sizeInBytes()
        : 0L;
  }

  /** Latest Delta version of a table, or -1 when it does not exist. */
  /**
   * The table's rows at its latest version read from that version's checksum file ({@code _delta_log/<v>.crc}: Delta
   * lists every file with its statistics there while the table has few files), without a query or a Spark job; null
   * when the checksum cannot say (no checksum file, too many files to list, a file without statistics).
   */
  public static Long rowsFromChecksum(SparkSession spark, TableDef table) {
    var checksum = log(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).checksumOpt();
    if (checksum.isEmpty() || checksum.get().allFiles().isEmpty()) {
      return null;
    }
    long rows = 0;
    for (org.apache.spark.sql.delta.actions.AddFile f
        : scala.jdk.javaapi.CollectionConverters.asJava(checksum.get().allFiles().get())) {
      scala.Option<Object> n = f.numLogicalRecords(); // deletion vectors' rows already taken off
      if (n.isEmpty()) {
        return null;
      }
      rows += (Long) n.get();
    }
    return rows;
  }

  public static long version(SparkSession spark, TableDef table) {
    if (!exists(spark, table)) {
      return -1L;
    }
    // the log's latest version from a listing of _delta_log (no query over the history, no Spark job): every
    // job reads the versions of its inputs and outputs, and a scheduled run of no-ops is mostly that
    return log(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).version();
  }

  /**
   * The table's identity and latest version, {@code <Delta table id>@<version>}, from the log (no query), or null
   * when it does not exist: equal identities mean the same rows, even across a drop and re-create.
   */
  public static String identity(SparkSession spark, TableDef table) {
    if (!exists(spark, table)) {
      return null;
    }
    var snapshot = log(spark, table).update(false, scala.Option.empty(), scala.Option.empty());
    return snapshot.metadata().id() + "@" + snapshot.version();
  }

  /** Where the table's files are (from its Delta log: no query). */
  public static String location(SparkSession spark, TableDef table) {
    return log(spark, table).dataPath().toString();
  }

  /** The table's Delta log (Delta's own handle; cached by Delta per table path). */
  static org.apache.spark.sql.delta.DeltaLog log(SparkSession spark, TableDef table) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, new org.apache.spark.sql.catalyst.TableIdentifier(
        table.table(), scala.Option.apply(table.database())));
  }

  /**
   * A table property from the latest version's metadata, or null when the table or the property does not exist.
   * Read from the Delta log (its checksum file when there is one), without a query over the table's files.
   */
  public static String property(SparkSession spark, TableDef table, String key) {
    if (!exists(spark, table)) {
      return null;
    }
    return log(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).metadata().configuration()
        .get(key).getOrElse(() -> null);
  }

  /**
   * The version last recorded for {@code appId} by {@link Writes#replace(TableDef, Dataset, Column, String, long)}
   * (Delta's idempotent writes: the commit that wrote the rows also recorded it), or -1 when none was.
   */
  public static long appliedVersion(SparkSession spark, TableDef table, String appId) {
    if (!exists(spark, table)) {
      return -1L;
    }
    Object v = log(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).transactions().get(appId)
        .getOrElse(() -> null);
    return v == null ? -1L : ((Number) v).longValue();
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

  /** The table's rows at {@code version} (time travel). */
  public static Dataset<Row> readAt(SparkSession spark, TableDef table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).table(table.name());
  }

  /**
   * The table's change data feed from version {@code from} to {@code to} (both inclusive): its rows with
   * {@code _change_type} (insert, delete, update_preimage, update_postimage), {@code _commit_version} and
   * {@code _commit_timestamp}. Fails, when read, for a range the feed does not cover.
   */
  public static Dataset<Row> changes(SparkSession spark, TableDef table, long from, long to) {
    return spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", from)
        .option("endingVersion", to).table(table.name());
  }

  /** The table's rows, or an empty frame of its contract when it does not exist yet. */
  public static Dataset<Row> readOrEmpty(SparkSession spark, TableDef table) {
    return exists(spark, table) ? read(spark, table) : spark.createDataFrame(List.of(), table.schema());
  }

  /**
   * Whether any row of {@code table} that {@code rowsRead} selects changed between version {@code from}
   * (exclusive) and {@code to} (inclusive), read from the table's change data feed: the changes are netted per row
   * content (every column but geometries, which their coordinates determine), so a rewrite that puts back the same
   * rows — a full re-curate, a MERGE that updates a row to itself — is no change. True whenever the feed cannot
   * answer: a table without it ({@link TableDef#changeFeed}), a range from before it was switched on, or change
   * files removed by VACUUM. Readers use it to skip work whose input rows are the same ({@code JobContext}).
   */
  public static boolean changedRows(SparkSession spark, TableDef table, long from, long to, Column rowsRead) {
    if (to <= from) {
      return to != from;
    }
    if (!table.changeFeed()) {
      return true;
    }
    // the feed of one table's versions never changes, so an answer holds for the JVM: the gold steps of a scheduled
    // run check the same range with the same rows (one jurisdiction's), and after a full re-curate each check reads
    // and nets the whole feed (2-4 s per step on the test warehouse)
    String key;
    try {
      key = location(spark, table) + " " + log(spark, table).update(false, scala.Option.empty(), scala.Option.empty())
          .metadata().id() + " " + from + ".." + to + " " + rowsRead;
    } catch (Exception e) {
      return true;
    }
    // one computation per key: the lanes of a scheduled run ask the same question at the same time, and the later
    // askers wait for the first one's answer
    java.util.concurrent.CompletableFuture<Boolean> answer;
    java.util.concurrent.CompletableFuture<Boolean> mine = null;
    synchronized (CHANGED) {
      answer = CHANGED.get(key);
      if (answer == null) {
        mine = new java.util.concurrent.CompletableFuture<>();
        CHANGED.put(key, mine);
        answer = mine;
      }
    }
    if (mine != null) {
      try {
        mine.complete(nettedChange(spark, table, from, to, rowsRead));
      } finally {
        if (!mine.isDone()) { // an Error: forget the question, tell the waiters
          synchronized (CHANGED) {
            CHANGED.remove(key);
          }
          mine.complete(true);
        }
      }
    }
    return answer.join();
  }

  /**
   * Answers of {@link #changedRows}: table location, Delta table id, range and rows read → changed (the latest 256),
   * each computed once.
   */
  private static final Map<String, java.util.concurrent.CompletableFuture<Boolean>> CHANGED =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, java.util.concurrent.CompletableFuture<Boolean>> eldest) {
          return size() > 256;
        }
      };

  private static boolean nettedChange(SparkSession spark, TableDef table, long from, long to, Column rowsRead) {
    try {
      Column[] content = java.util.Arrays.stream(table.schema().fields())
          .filter(f -> !(f.dataType() instanceof org.apache.spark.sql.types.UserDefinedType<?>))
          .map(f -> functions.col(f.name())).toArray(Column[]::new);
      Column sign = functions.when(functions.col("_change_type").isin("insert", "update_postimage"), 1).otherwise(-1);
      // netted per content by two independent hashes of it (xxHash64 and Murmur3, 96 bits): a full rewrite's feed holds
      // every row twice, and grouping it by ~40 columns cost seconds per 100,000 rows; two rows of different content
      // that collide in both hashes (~2^-96 a pair) would be taken for one. Spark's hashes skip nulls, so each
      // column's null flag is hashed too: (null, 'x') and ('x', null) differ
      Column[] hashed = java.util.stream.Stream.concat(java.util.Arrays.stream(content), java.util.Arrays.stream(content)
          .map(Column::isNull)).toArray(Column[]::new);
      return !changes(spark, table, from + 1, to).where(rowsRead)
          .groupBy(functions.xxhash64(hashed).as("_h1"), functions.hash(hashed).as("_h2"))
          .agg(functions.sum(sign).as("_net")).where(functions.col("_net").notEqual(0)).limit(1).isEmpty();
    } catch (Exception e) { // no feed for (part of) the range: assume a change
      return true;
    }
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
