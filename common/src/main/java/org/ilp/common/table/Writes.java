package org.ilp.common.table;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one write path. Every table is created from its contract ({@link TableDef}: schema, column
 * comments, table comment, partitioning) before its first write — never from whatever DataFrame
 * happens to be written first — and every write is checked against it: the frame must have exactly
 * the contract's columns with the contract's types (a mismatch fails with the differences named),
 * and is written in the contract's column order with its comments. MERGE conditions are built from
 * the contract's key, so no job spells a merge key.
 */
public final class Writes {
  private Writes() {}

  /** What a write did: the table's new Delta version and the commit's operation metrics. */
  public record WriteResult(TableDef table, long version, Map<String, Long> metrics) {
    /** Rows the commit wrote (inserted + updated for a MERGE, output rows otherwise). */
    public long rowsWritten() {
      if (metrics.containsKey("numTargetRowsInserted")) {
        return metrics.getOrDefault("numTargetRowsInserted", 0L) + metrics.getOrDefault("numTargetRowsUpdated", 0L);
      }
      return metrics.getOrDefault("numOutputRows", 0L);
    }

    /** Rows of the source frame (a MERGE's numSourceRows; the output rows of an append or overwrite). */
    public long sourceRows() {
      return metrics.getOrDefault("numSourceRows", metrics.getOrDefault("numOutputRows", 0L));
    }

    public long rowsDeleted() {
      return metrics.getOrDefault("numTargetRowsDeleted", metrics.getOrDefault("numDeletedRows", 0L));
    }
  }

  /**
   * Creates the table from its contract when missing. An existing table must have the contract's
   * columns and types; column comments that differ (a warehouse written by an older version) are
   * brought up to date.
   */
  /** Delta's table property for the change data feed ({@link TableDef#changeFeed}). */
  static final String CHANGE_FEED = "delta.enableChangeDataFeed";
  /** Delta's table property for deletion vectors ({@link TableDef#deletionVectors}). */
  static final String DELETION_VECTORS = "delta.enableDeletionVectors";
  /** Delta's table property for the columns with data-skipping statistics ({@link TableDef#statsColumns}). */
  static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  public static void ensure(SparkSession spark, TableDef def) {
    if (!Delta.exists(spark, def)) {
      create(spark, def);
      return;
    }
    StructType actual = spark.table(def.name()).schema();
    List<String> problems = differences(def, actual, false);
    List<StructField> added = added(def, actual);
    if (problems.size() == 1 && !added.isEmpty()) {
      // a warehouse of an older version whose contract has since gained nullable columns at its end: add them
      spark.sql("ALTER TABLE " + def.name() + " ADD COLUMNS (" + String.join(", ", added.stream().map(f -> "`" + f.name()
          + "` " + f.dataType().sql() + " COMMENT '" + f.metadata().getString("comment").replace("'", "\\'") + "'")
          .toList()) + ")");
      actual = spark.table(def.name()).schema();
      problems = differences(def, actual, false);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(def.name() + " in the warehouse does not match its contract (written by another "
          + "version?): " + problems + ". Gold and publish tables can be dropped and recomputed: "
          + "ILP_ROLE=engineer ilp sql \"DROP TABLE " + def.name() + "\"");
    }
    if (def.changeFeed() && !"true".equals(Delta.property(spark, def, CHANGE_FEED))) {
      // a table created before its contract asked for the feed: readers see changes from this version on
      alterProperty(spark, def, CHANGE_FEED, "true");
    }
    String stats = String.join(",", def.statsColumns());
    if (!stats.isEmpty() && !stats.equals(Delta.property(spark, def, STATS_COLUMNS))) {
      alterProperty(spark, def, STATS_COLUMNS, stats); // a table of an older version: files written from now on
    }
    if (def.deletionVectors() && !"true".equals(Delta.property(spark, def, DELETION_VECTORS))) {
      alterProperty(spark, def, DELETION_VECTORS, "true"); // a table of an older version: its next MERGE uses them
    }
    for (StructField f : def.schema().fields()) {
      String want = f.metadata().getString("comment");
      StructField have = actual.apply(f.name());
      if (!have.metadata().contains("comment") || !want.equals(have.metadata().getString("comment"))) {
        spark.sql("ALTER TABLE " + def.name() + " ALTER COLUMN " + f.name() + " COMMENT '" + want.replace("'", "\\'") + "'");
      }
    }
  }

  /**
   * Creates the table from its contract in one metadata-only commit, through the session catalog (Delta's
   * {@code createTable}): the contract's schema with its column comments (every column nullable, as in a table a write
   * creates), the table comment, partitioning and
   * properties.
   * Writing an empty frame ({@code writeTo(...).create()}) gave the same table for a Spark job and a write more: ~3×
   * the time, paid by every table of a fresh warehouse.
   */
  @SuppressWarnings("deprecation") // the StructType form of createTable: Delta's catalog implements it
  static void create(SparkSession spark, TableDef def) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(org.apache.spark.sql.connector.catalog.TableCatalog.PROP_PROVIDER, "delta");
    properties.put(org.apache.spark.sql.connector.catalog.TableCatalog.PROP_COMMENT, def.comment());
    if (!def.statsColumns().isEmpty()) {
      properties.put(STATS_COLUMNS, String.join(",", def.statsColumns()));
    }
    if (def.changeFeed()) {
      properties.put(CHANGE_FEED, "true");
    }
    if (def.deletionVectors()) {
      properties.put(DELETION_VECTORS, "true");
    }
    var partitions = def.partitionBy().stream().map(org.apache.spark.sql.connector.expressions.Expressions::identity)
        .toArray(org.apache.spark.sql.connector.expressions.Transform[]::new);
    var catalog = (org.apache.spark.sql.connector.catalog.TableCatalog) spark.sessionState().catalogManager()
        .catalog("spark_catalog");
    try {
      catalog.createTable(org.apache.spark.sql.connector.catalog.Identifier.of(new String[] {def.database()},
          def.name().substring(def.name().indexOf('.') + 1)), def.schema().asNullable(), partitions, properties);
    } catch (Exception e) {
      if (!Delta.exists(spark, def)) { // created concurrently by another writer: fine
        throw new IllegalStateException("cannot create " + def.name() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Sets a table property ({@link Delta#property} reads it) in a commit of its own. */
  public static WriteResult setProperty(SparkSession spark, TableDef def, String key, String value) {
    ensure(spark, def);
    alterProperty(spark, def, key, value);
    return result(spark, def);
  }

  private static void alterProperty(SparkSession spark, TableDef def, String key, String value) {
    spark.sql("ALTER TABLE " + def.name() + " SET TBLPROPERTIES ('" + key.replace("'", "\\'") + "' = '"
        + value.replace("'", "\\'") + "')");
  }

  /**
   * The frame in the contract's column order, with the contract's comments; fails when a column is
   * missing, extra, or of another type (a {@code NULL} literal takes the contract's type).
   */
  public static Dataset<Row> conform(TableDef def, Dataset<Row> df) {
    List<String> problems = differences(def, df.schema(), true);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("rows for " + def.name() + " do not match its contract: " + problems);
    }
    List<Column> cols = new ArrayList<>();
    for (StructField f : def.schema().fields()) {
      Column c = col("`" + f.name() + "`");
      if (df.schema().apply(f.name()).dataType() instanceof NullType) {
        c = c.cast(f.dataType());
      }
      cols.add(c.as(f.name(), f.metadata()));
    }
    return df.select(cols.toArray(Column[]::new));
  }

  /** Differences between a contract and a schema: missing and extra columns, type mismatches. */
  /**
   * The contract's columns a table lacks when they are nullable and all come after the table's own columns (the
   * only difference a table may be brought up to date from), else none.
   */
  static List<StructField> added(TableDef def, StructType actual) {
    StructField[] want = def.schema().fields();
    StructField[] have = actual.fields();
    if (have.length >= want.length) {
      return List.of();
    }
    for (int i = 0; i < have.length; i++) {
      if (!have[i].name().equals(want[i].name())) {
        return List.of();
      }
    }
    List<StructField> out = java.util.Arrays.asList(want).subList(have.length, want.length);
    return out.stream().allMatch(StructField::nullable) ? List.copyOf(out) : List.of();
  }

  static List<String> differences(TableDef def, StructType actual, boolean allowNull) {
    List<String> out = new ArrayList<>();
    Map<String, StructField> have = new LinkedHashMap<>();
    for (StructField f : actual.fields()) {
      have.put(f.name(), f);
    }
    TreeSet<String> missing = new TreeSet<>();
    for (StructField f : def.schema().fields()) {
      StructField h = have.remove(f.name());
      if (h == null) {
        missing.add(f.name());
      } else if (!(allowNull && h.dataType() instanceof NullType)
          && !h.dataType().catalogString().equals(f.dataType().catalogString())) {
        out.add(f.name() + " is " + h.dataType().catalogString() + ", contract says " + f.dataType().catalogString());
      }
    }
    if (!missing.isEmpty()) {
      out.add("missing " + missing);
    }
    if (!have.isEmpty()) {
      out.add("not in the contract " + new TreeSet<>(have.keySet()));
    }
    return out;
  }

  /** Appends rows (logs and append-only layers). */
  public static WriteResult append(TableDef def, Dataset<Row> rows) {
    Dataset<Row> c = conform(def, rows);
    ensure(c.sparkSession(), def);
    c.write().format("delta").mode("append").saveAsTable(def.name());
    return result(c.sparkSession(), def);
  }

  /**
   * Replaces the whole table's rows (reference tables rebuilt from conf/), keeping its schema and comments: Delta's
   * overwrite of every row ({@code replaceWhere true}), one commit. Not {@code saveAsTable} in overwrite mode: that is
   * a table replacement, whose post-commit hook rewrites the Hive metastore's schema of the table — which Hive refuses
   * (a Delta table's metastore schema is a placeholder), printing a stack trace on stderr per table.
   */
  public static WriteResult overwrite(TableDef def, Dataset<Row> rows) {
    return replace(def, rows, lit(true));
  }

  /**
   * Replaces, in one Delta commit, the rows of the table inside {@code scope} (a condition on the
   * table's columns) with {@code rows}, which must all lie inside the scope (Delta checks it). Rows
   * outside the scope are untouched; a reader sees the old or the new scope, never a mix.
   */
  public static WriteResult replace(TableDef def, Dataset<Row> rows, Column scope) {
    return replace(def, rows, scope, null, -1);
  }

  /**
   * As {@link #replace(TableDef, Dataset, Column)}, and the same commit records that the table now reflects
   * version {@code version} of {@code appId} ({@link Delta#appliedVersion}): a table derived from another by
   * adding its changes cannot add them twice, even after a crash between two writes. Delta's idempotent writes
   * ({@code txnAppId}, {@code txnVersion}): a version at or below the recorded one writes nothing.
   */
  public static WriteResult replace(TableDef def, Dataset<Row> rows, Column scope, String appId, long version) {
    Dataset<Row> c = conform(def, rows);
    SparkSession spark = c.sparkSession();
    ensure(spark, def);
    try {
      // Delta's overwrite by condition (replaceWhere): one atomic commit, and Delta checks that every new
      // row lies inside the scope
      var w = c.writeTo(def.name());
      if (appId != null) {
        w = w.option("txnAppId", appId).option("txnVersion", version);
      }
      w.overwrite(scope);
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(def.name() + " vanished during the write", e);
    }
    return result(spark, def);
  }

  /** One {@link #replace} of a {@link #replaceEach}. */
  public record Replacement(TableDef table, Dataset<Row> rows, Column scope) {}

  /** What one {@link Replacement} did and how long it took. */
  public record Replaced(TableDef table, WriteResult result, double seconds) {}

  /**
   * {@link #replace} of several tables (one commit each), up to four at a time ({@link #concurrently}). Results in
   * the given order.
   */
  public static List<Replaced> replaceEach(List<Replacement> writes) {
    return concurrently(writes.stream().<java.util.function.Supplier<Replaced>>map(r -> () -> {
      long t0 = System.nanoTime();
      WriteResult w = replace(r.table(), r.rows(), r.scope());
      return new Replaced(r.table(), w, (System.nanoTime() - t0) / 1e9);
    }).toList());
  }

  /**
   * Writes to different tables, up to four at a time: a job's small writes cost mostly the driver's commit
   * round-trips (planning, the Delta log, the commit), which overlap. Results in the given order; the first failure
   * is thrown once every write has ended (each table is still all-old or all-new).
   */
  public static <T> List<T> concurrently(List<java.util.function.Supplier<T>> writes) {
    return org.ilp.common.spark.Concurrently.all(4, writes);
  }

  /**
   * As {@link #replace}, but a matched row is rewritten only when {@code changeColumn} differs (silver:
   * an unchanged record makes no new file).
   */
  public static WriteResult merge(TableDef def, Dataset<Row> rows, Column scope, String changeColumn) {
    return upsert(def, rows, null, changeColumn, scope);
  }

  /**
   * One MERGE commit: inserts or updates {@code rows} by the contract's key (a matched row is rewritten only
   * when {@code changeColumn} differs, or always when it is null); deletes the rows whose keys are in
   * {@code deleteKeys} (key columns only; null for none) and not among {@code rows}; and deletes the rows
   * inside {@code scope} (a condition on the table's columns; null for none) that are not among {@code rows}.
   * Other rows are untouched: an increment is {@code scope} null, a replacement of a scope is
   * {@code deleteKeys} null.
   */
  public static WriteResult upsert(TableDef def, Dataset<Row> rows, Dataset<Row> deleteKeys, String changeColumn,
      Column scope) {
    Dataset<Row> c = conform(def, rows);
    SparkSession spark = c.sparkSession();
    ensure(spark, def);
    String del = "_ilp_delete";
    Dataset<Row> source = c.withColumn(del, lit(false));
    if (deleteKeys != null) {
      List<Column> tomb = new ArrayList<>();
      for (StructField f : def.schema().fields()) {
        tomb.add(def.keys().contains(f.name()) ? col("`" + f.name() + "`")
            : lit(null).cast(f.dataType()).as(f.name()));
      }
      tomb.add(lit(true).as(del));
      Seq<String> keys = CollectionConverters.asScala(def.keys()).toSeq();
      source = source.unionByName(deleteKeys.join(c.select(def.keyColumns()), keys, "left_anti")
          .select(tomb.toArray(Column[]::new)));
    }
    Map<String, Column> all = new LinkedHashMap<>();
    def.columns().forEach(n -> all.put("`" + n + "`", col("s.`" + n + "`")));
    Column live = col("s." + del).equalTo(false);
    Column update = changeColumn == null ? live
        : live.and(not(col("t." + changeColumn).eqNullSafe(col("s." + changeColumn))));
    if (source.count() <= BROADCAST_SOURCE_ROWS) {
      source = broadcast(source);
    }
    DeltaMergeBuilder m = DeltaTable.forName(spark, def.name()).as("t").merge(source.as("s"), keyMatch(def))
        .whenMatched(col("s." + del)).delete()
        .whenMatched(update).update(all)
        .whenNotMatched(live).insert(all);
    if (scope != null) {
      m = m.whenNotMatchedBySource(scope).delete();
    }
    withoutAutoBroadcast(spark, m::execute);
    return result(spark, def);
  }

  /** A MERGE source of at most this many rows is broadcast to the target's rows (at most ~100 MB of silver rows). */
  static final long BROADCAST_SOURCE_ROWS = 200_000;

  /**
   * Runs a MERGE with no broadcast but those the plan asks for. Spark sizes a Delta scan by its files' bytes scaled
   * down to the columns read, which for the key column of a large table can fall under the broadcast threshold:
   * MERGE's join of an increment (75,029 rows) with 9.4 M silver rows broadcast the silver side, and a 4 GiB driver
   * spent 30 minutes in full GCs building it. The setting is the session's: MERGEs that overlap ({@link #concurrently})
   * share one change of it, made by the first and undone by the last (each saving and restoring it left the session
   * without broadcasts for good when two overlapped: the second saved the first's -1 and restored it last).
   */
  static void withoutAutoBroadcast(SparkSession spark, Runnable merge) {
    String key = "spark.sql.autoBroadcastJoinThreshold";
    synchronized (MERGES) {
      if (MERGES.merge(spark, 1, Integer::sum) == 1) {
        SAVED_THRESHOLD.put(spark, spark.conf().get(key));
        spark.conf().set(key, "-1");
      }
    }
    try {
      merge.run();
    } finally {
      synchronized (MERGES) {
        if (MERGES.merge(spark, -1, Integer::sum) == 0) {
          MERGES.remove(spark);
          spark.conf().set(key, SAVED_THRESHOLD.remove(spark));
        }
      }
    }
  }

  /** MERGEs running per session, and the broadcast threshold the first of them found. */
  private static final Map<SparkSession, Integer> MERGES = new java.util.IdentityHashMap<>();
  private static final Map<SparkSession, String> SAVED_THRESHOLD = new java.util.IdentityHashMap<>();

  /** Updates columns of existing rows matched on the key: {@code set} maps a column to an expression over s.* (the updates). */
  public static WriteResult update(TableDef def, Dataset<Row> updates, Map<String, Column> set) {
    SparkSession spark = updates.sparkSession();
    ensure(spark, def);
    for (String k : def.keys()) {
      if (!List.of(updates.columns()).contains(k)) {
        throw new IllegalStateException("updates for " + def.name() + " lack its key column " + k);
      }
    }
    Map<String, Column> s = new HashMap<>();
    set.forEach((k, v) -> {
      if (!def.columns().contains(k)) {
        throw new IllegalStateException(def.name() + " has no column " + k);
      }
      s.put(k, v);
    });
    DeltaTable.forName(spark, def.name()).as("t").merge(updates.as("s"), keyMatch(def))
        .whenMatched().update(s).execute();
    return result(spark, def);
  }

  /** Deletes the rows matching {@code condition}. */
  public static WriteResult delete(SparkSession spark, TableDef def, Column condition) {
    ensure(spark, def);
    DeltaTable.forName(spark, def.name()).delete(condition);
    return result(spark, def);
  }

  /** Sets {@code columns} to null on the rows matching {@code condition} (a retention rule's clearing of raw text). */
  public static WriteResult clear(SparkSession spark, TableDef def, Column condition, List<String> columns) {
    ensure(spark, def);
    Map<String, Column> set = new LinkedHashMap<>();
    columns.forEach(c -> set.put("`" + c + "`", lit(null).cast(def.schema().apply(c).dataType())));
    DeltaTable.forName(spark, def.name()).update(condition, set);
    return result(spark, def);
  }

  /** Deletes the rows whose {@code key} is among {@code keys}' (one column, {@code key}): a MERGE that deletes. */
  public static WriteResult deleteKeys(SparkSession spark, TableDef def, Dataset<Row> keys, String key) {
    ensure(spark, def);
    DeltaTable.forName(spark, def.name()).as("t").merge(keys.select(col(key)).distinct().as("s"),
        col("t." + key).equalTo(col("s." + key))).whenMatched().delete().execute();
    return result(spark, def);
  }

  /**
   * Makes deleted rows unrecoverable: rewrites the files whose rows deletion vectors only mark as deleted (REORG ...
   * APPLY (PURGE); the rows are still in those files until then), then removes every file the current version does not
   * use and that is older than {@code retainHours} (VACUUM; 0 = all of them: no time travel to earlier versions).
   */
  public static void purge(SparkSession spark, TableDef def, int retainHours) {
    if ("true".equals(Delta.property(spark, def, DELETION_VECTORS))) {
      spark.sql("REORG TABLE " + def.name() + " APPLY (PURGE)");
    }
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String was = spark.conf().get(check, "true");
    spark.conf().set(check, "false"); // Delta refuses a window under 7 days unless told the erasure means it
    try {
      // LITE: the files to remove from the log's remove actions, without listing the table's folder (Delta 3.3+)
      spark.sql("VACUUM " + def.name() + " LITE RETAIN " + retainHours + " HOURS");
    } finally {
      spark.conf().set(check, was);
    }
  }

  /** t.k <=> s.k for every key column of the contract. */
  static Column keyMatch(TableDef def) {
    if (def.keys().isEmpty()) {
      throw new IllegalStateException(def.name() + " has no key: it can only be appended to");
    }
    Column on = lit(true);
    for (String k : def.keys()) {
      on = on.and(col("t." + k).eqNullSafe(col("s." + k)));
    }
    return on;
  }

  /** The manifest's folder in a table's folder (the name Delta's own generator and the engines reading it use). */
  public static final String MANIFEST_DIR = "_symlink_format_manifest";

  /**
   * Writes {@code <table>/_symlink_format_manifest/manifest}: the absolute URI of every Parquet file of the snapshot,
   * one a line — the format Delta's {@code GENERATE symlink_format_manifest} writes and Hive-style engines read
   * ({@code SymlinkTextInputFormat}). Written here, after each commit of this, the tables' one write path, without a
   * Spark job when it can: the manifest of the version before (its version kept in {@code .version} beside it, a
   * hidden file readers skip) plus the commit's own added and removed files; else (the first time, or a commit made
   * elsewhere in between) from the snapshot's file list. Delta's generator, as a commit hook, costs ~1 s of Spark jobs a
   * commit. Only for unpartitioned tables without deletion vectors ({@link TableDef#symlinkManifest}): each file listed
   * is read whole. Written beside and renamed over the old one, so a reader never sees half a list.
   */
  static void symlinkManifest(org.apache.spark.sql.delta.DeltaLog log, org.apache.spark.sql.delta.Snapshot snapshot) {
    String base = log.dataPath().toString();
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(log.dataPath(), MANIFEST_DIR);
    org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(dir, "manifest");
    org.apache.hadoop.fs.Path versionFile = new org.apache.hadoop.fs.Path(dir, ".version");
    long version = snapshot.version();
    try {
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(log.newDeltaHadoopConf());
      if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c) {
        fs = c.getRawFileSystem(); // no .crc beside the manifest: a stale one would fail Hadoop readers
      }
      java.util.SortedSet<String> files = null;
      if (version > 0 && fs.exists(versionFile) && fs.exists(manifest)
          && Long.toString(version - 1).equals(read(fs, versionFile).trim())) {
        files = new java.util.TreeSet<>(read(fs, manifest).lines().filter(l -> !l.isBlank()).toList());
        var changes = log.getChanges(version, version, false);
        while (changes.hasNext()) {
          for (org.apache.spark.sql.delta.actions.Action a : CollectionConverters.asJava(changes.next()._2())) {
            if (a instanceof org.apache.spark.sql.delta.actions.AddFile add) {
              files.add(org.apache.spark.sql.delta.util.DeltaFileOperations.absolutePath(base, add.path()).toString());
            } else if (a instanceof org.apache.spark.sql.delta.actions.RemoveFile rm) {
              files.remove(org.apache.spark.sql.delta.util.DeltaFileOperations.absolutePath(base, rm.path()).toString());
            }
          }
        }
      }
      if (files == null) {
        files = new java.util.TreeSet<>();
        for (String f : snapshot.allFiles().select("path").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()) {
          files.add(org.apache.spark.sql.delta.util.DeltaFileOperations.absolutePath(base, f).toString());
        }
      }
      write(fs, manifest, String.join("", files.stream().map(f -> f + "\n").toList()));
      write(fs, versionFile, version + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the symlink manifest of " + base, e);
    }
  }

  private static String read(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path f) throws java.io.IOException {
    try (var in = fs.open(f)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Writes beside, then renames over: a reader sees the old text or the new, never half. */
  private static void write(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path f, String text)
      throws java.io.IOException {
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(f.getParent(), "." + f.getName() + ".tmp");
    try (var out = fs.create(tmp, true)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, f)) { // a file system that does not replace on rename
      fs.delete(f, false);
      if (!fs.rename(tmp, f)) {
        throw new java.io.IOException("cannot rename " + tmp + " to " + f);
      }
    }
  }

  static WriteResult result(SparkSession spark, TableDef def) {
    // the latest commit's own file, read directly (a history query would cost a DataFrame and a Spark job on
    // every write, the run log's included)
    org.apache.spark.sql.delta.DeltaLog log = Delta.log(spark, def);
    org.apache.spark.sql.delta.Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
    long version = snapshot.version();
    if (def.symlinkManifest()) {
      symlinkManifest(log, snapshot);
    }
    scala.Option<org.apache.spark.sql.delta.actions.CommitInfo> commit =
        org.apache.spark.sql.delta.DeltaHistoryManager.getCommitInfoOpt(log.store(),
            org.apache.spark.sql.delta.util.FileNames.unsafeDeltaFile(log.logPath(), version), log.newDeltaHadoopConf());
    Map<String, Long> metrics = new LinkedHashMap<>();
    if (commit.isDefined() && commit.get().operationMetrics().isDefined()) {
      Map<String, String> m = CollectionConverters.asJava(commit.get().operationMetrics().get());
      m.forEach((k, v) -> {
        try {
          metrics.put(k, Long.parseLong(v));
        } catch (NumberFormatException ignored) {
          // durations and sizes we do not report
        }
      });
    }
    return new WriteResult(def, version, metrics);
  }
}
