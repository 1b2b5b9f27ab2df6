package org.ilp.common.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The contract of one table: its catalog name, a one-line description, the schema (every column
 * with its type and a one-line comment, written as Delta column comments so BI tools show them),
 * the key that identifies a row (what a MERGE matches on), and its partition columns.
 * Declared once, in {@link Tables}; {@link Writes} is the only code that writes a table and it
 * checks every write against this contract.
 *
 * @param name        {@code database.table}
 * @param comment     what a row is, in one line (the Delta table comment)
 * @param schema      columns in order, each with a {@code comment} in its metadata
 * @param keys        the columns that identify a row (null-safe equality); empty for append-only logs
 * @param partitionBy partition columns (empty: unpartitioned)
 * @param statsColumns the columns Delta keeps min/max statistics of for data skipping: those declared where a wide
 *                    table is filtered on a few columns only, else the key columns and the jurisdiction (those a
 *                    write's scope and a reader's lookup name; Delta's own default, the first 32 columns, only for a
 *                    table without either). The statistics cost every write: 12 % of the Java threads' CPU samples
 *                    of the generated pipeline went to Delta's statistics tracker when every gold table kept them on
 *                    all its columns
 * @param changeFeed  whether Delta records the table's row changes (its change data feed): set on the tables
 *                    whose readers skip work when the rows they read did not change ({@link Delta#changedRows})
 * @param deletionVectors whether a MERGE, UPDATE or DELETE marks the rows it replaces in a deletion vector instead
 *                    of copying every other row of their files: set on the tables that curate MERGEs a few rows
 *                    into (at 1.8 M rows, a MERGE whose matched rows were all unchanged copied every row again)
 */
public record TableDef(String name, String comment, StructType schema, List<String> keys, List<String> partitionBy,
    List<String> statsColumns, boolean changeFeed, boolean deletionVectors) {

  public TableDef(String name, String comment, StructType schema, List<String> keys, List<String> partitionBy) {
    this(name, comment, schema, keys, partitionBy, List.of(), false, false);
  }

  public TableDef {
    if (!name.matches("[a-z]+\\.[a-z0-9_]+")) {
      throw new IllegalArgumentException("table name must be database.table in snake_case: " + name);
    }
    keys = List.copyOf(keys);
    partitionBy = List.copyOf(partitionBy);
    List<String> cols = Arrays.asList(schema.fieldNames());
    for (StructField f : schema.fields()) {
      if (!f.metadata().contains("comment") || f.metadata().getString("comment").isBlank()) {
        throw new IllegalArgumentException(name + "." + f.name() + " has no comment");
      }
    }
    for (String k : keys) {
      if (!cols.contains(k)) {
        throw new IllegalArgumentException(name + ": key column " + k + " is not in the schema");
      }
    }
    for (String p : partitionBy) {
      if (!cols.contains(p)) {
        throw new IllegalArgumentException(name + ": partition column " + p + " is not in the schema");
      }
    }
    if (name.startsWith("publish.") && (!partitionBy.isEmpty() || deletionVectors)) {
      // its symlink manifest lists whole files (#symlinkManifest)
      throw new IllegalArgumentException(name + ": a publish table is unpartitioned and has no deletion vectors");
    }
    if (statsColumns.isEmpty()) {
      // the keys, and the jurisdiction: every assessment replaces its jurisdiction's rows, which is not a key
      List<String> stats = new java.util.ArrayList<>(keys);
      if (cols.contains("jurisdiction") && !stats.contains("jurisdiction")) {
        stats.add("jurisdiction");
      }
      statsColumns = stats.stream().filter(k -> hasStatistics(schema.apply(k).dataType())).toList();
    }
    statsColumns = List.copyOf(statsColumns);
    for (String c : statsColumns) {
      if (!cols.contains(c)) {
        throw new IllegalArgumentException(name + ": statistics column " + c + " is not in the schema");
      }
      DataType t = schema.apply(c).dataType();
      if (!hasStatistics(t)) {
        throw new IllegalArgumentException(name + ": Delta keeps no min/max statistics of " + c + " (" + t.simpleString()
            + ")");
      }
    }
  }

  /** Whether Delta keeps min/max statistics of a column of this type. */
  static boolean hasStatistics(DataType t) {
    return t instanceof NumericType || t instanceof StringType || t instanceof DateType || t instanceof TimestampType;
  }

  /** A declaration: {@code TableDef.of("gold.x", "one row per ...", keys, columns...)}. */
  public static TableDef of(String name, String comment, List<String> keys, StructField... columns) {
    return new TableDef(name, comment, new StructType(columns), keys, List.of());
  }

  public String database() {
    return name.substring(0, name.indexOf('.'));
  }

  /**
   * Whether the table keeps a symlink manifest ({@code _symlink_format_manifest/manifest}: the Parquet files of the
   * current version, one URI a line), rewritten by {@link Writes} after every commit: for engines that read Parquet but
   * not Delta (Athena, Presto and Trino's Hive connector, DuckDB without its Delta extension, the notebooks). The
   * publish tables (meant for tools outside the platform: docs/bi.md), the gold tables but the person-level ones (read
   * only through the CLI, which logs each consultation) and the run, file and rule logs of ops have one, when
   * unpartitioned and without deletion vectors (each listed file is read whole; a publish table must be so).
   */
  public boolean symlinkManifest() {
    // never the person-level tables: a manifest is read by engines outside the platform, without the access log
    return (database().equals("publish") || database().equals("gold") || Tables.OPS_WITH_MANIFEST.contains(this))
        && partitionBy.isEmpty() && !deletionVectors && !Tables.PERSONS.contains(this);
  }

  /** The table's name within its database. */
  public String table() {
    return name.substring(name.indexOf('.') + 1);
  }

  public List<String> columns() {
    return Arrays.asList(schema.fieldNames());
  }

  /** The contract's columns, in order, for {@code df.select(def.selection())}: a transform's final projection. */
  public org.apache.spark.sql.Column[] selection() {
    return columns().stream().map(c -> org.apache.spark.sql.functions.col("`" + c + "`"))
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  /** The key columns, for {@code df.select(def.keyColumns())}. */
  public org.apache.spark.sql.Column[] keyColumns() {
    return keys.stream().map(c -> org.apache.spark.sql.functions.col("`" + c + "`"))
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  public String commentOf(String column) {
    return schema.apply(column).metadata().getString("comment");
  }

  /** This contract under another name with more columns after its own (e.g. a publish.* copy). */
  public TableDef extend(String newName, String newComment, StructField... more) {
    List<StructField> all = new ArrayList<>(Arrays.asList(schema.fields()));
    all.addAll(Arrays.asList(more));
    return new TableDef(newName, newComment, new StructType(all.toArray(StructField[]::new)), keys, partitionBy,
        statsColumns, changeFeed, deletionVectors);
  }

  /** The same contract partitioned by {@code columns}. */
  public TableDef partitionedBy(String... columns) {
    return new TableDef(name, comment, schema, keys, List.of(columns), statsColumns, changeFeed, deletionVectors);
  }

  /** The same contract with data-skipping statistics on {@code columns} only (see {@link #statsColumns}). */
  public TableDef withStatsOn(String... columns) {
    return new TableDef(name, comment, schema, keys, partitionBy, List.of(columns), changeFeed, deletionVectors);
  }

  /** The schema of the named columns, in that order (rows built by hand for some of a table's columns). */
  public StructType fields(String... names) {
    return new StructType(Arrays.stream(names).map(schema::apply).toArray(StructField[]::new));
  }

  /** The same contract with Delta's change data feed on (see {@link #changeFeed}). */
  public TableDef withChangeFeed() {
    return new TableDef(name, comment, schema, keys, partitionBy, statsColumns, true, deletionVectors);
  }

  /** The same contract with deletion vectors on (see {@link #deletionVectors}). */
  public TableDef withDeletionVectors() {
    return new TableDef(name, comment, schema, keys, partitionBy, statsColumns, changeFeed, true);
  }

  /** A nullable column with its comment. */
  public static StructField col(String name, DataType type, String comment) {
    return new StructField(name, type, true, comment(comment));
  }

  /** A column that may never be null (Delta enforces it on every write). */
  public static StructField required(String name, DataType type, String comment) {
    return new StructField(name, type, false, comment(comment));
  }

  static Metadata comment(String text) {
    return new MetadataBuilder().putString("comment", text).build();
  }

  @Override
  public String toString() {
    return name;
  }
}
