package org.ilp.common.source;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads files of one layout into bronze rows — CSV (plain or gzip), JSON Lines (plain or gzip: one JSON object per
 * line) or Parquet, as the source spec's {@code format} says: every source column as a string (a JSON object or
 * array as its JSON text, a Parquet value as Spark casts it to a string, a nested Parquet value as JSON), unknown
 * columns kept in {@code _extra} (a map), a record that does not parse kept whole in {@code _corrupt_record}
 * (open-source Spark ignores {@code badRecordsPath}, so we capture it ourselves; a Parquet file either has a footer
 * or is rejected whole when scanned), and lineage: {@code _source_file, _file_checksum, _row_number,
 * _ingest_run_id, _ingested_at}. {@code _row_number} is the 1-based record number: after the header in a CSV file
 * (a record whose quoted field holds a newline counts once), among the non-blank lines of a JSON Lines file, in
 * file order in a Parquet file.
 */
public final class BronzeReader {
  public static final String CORRUPT = "_corrupt_record";

  private BronzeReader() {}

  /** Reads files sharing one layout ({@link ScannedFile#layout}). The header decides the columns. */
  public static Dataset<Row> read(SparkSession spark, SourceSpec spec, List<ScannedFile> files,
      String runId, Timestamp ingestedAt) {
    List<String> header = files.get(0).header();
    List<String> fileCols = uniqueSnake(header);
    String[] paths = files.stream().map(ScannedFile::path).toArray(String[]::new);
    Dataset<Row> raw = switch (spec.format()) {
      case "jsonl" -> jsonLines(spark, spec, header, fileCols, paths);
      case "parquet" -> parquet(spark, header, fileCols, paths);
      default -> csv(spark, spec, files.get(0).encoding() == null ? spec.encoding() : files.get(0).encoding(), fileCols,
          paths);
    };
    Dataset<Row> withFile = raw
        .withColumn("_source_file", normalisedPath(col("_metadata.file_path")))
        .withColumn("_mono", monotonically_increasing_id());

    List<Row> infoRows = new ArrayList<>();
    for (ScannedFile f : files) {
      infoRows.add(RowFactory.create(normalise(f.path()), f.checksum()));
    }
    Dataset<Row> info = spark.createDataFrame(infoRows, new StructType()
        .add("_info_file", DataTypes.StringType).add("_file_checksum", DataTypes.StringType));

    return toBronze(withFile.join(broadcast(info), col("_source_file").equalTo(col("_info_file")), "left"),
        spec, fileCols, runId, ingestedAt);
  }

  private static Dataset<Row> csv(SparkSession spark, SourceSpec spec, String encoding, List<String> fileCols,
      String[] paths) {
    StructType schema = new StructType();
    for (String c : fileCols) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType, true);
    return spark.read().format("csv")
        .schema(schema)
        .option("header", "true")
        .option("multiLine", String.valueOf(spec.multiline()))
        .option("sep", spec.delimiter())
        .option("quote", "\"")
        .option("escape", "\"")
        .option("encoding", encoding)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .load(paths);
  }

  /**
   * JSON Lines: every key a string column (Spark's JSON reader gives a nested object or array as its JSON text when
   * the schema says string), read by its own name and renamed to the bronze name; a line that is not a JSON object
   * goes to {@code _corrupt_record}.
   */
  private static Dataset<Row> jsonLines(SparkSession spark, SourceSpec spec, List<String> header, List<String> fileCols,
      String[] paths) {
    StructType schema = new StructType();
    for (String k : header) {
      schema = schema.add(k, DataTypes.StringType, true);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType, true);
    Dataset<Row> df = spark.read().format("json")
        .schema(schema)
        .option("multiLine", "false")
        .option("encoding", spec.encoding())
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .load(paths);
    List<Column> select = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      select.add(raw(header.get(i)).as(fileCols.get(i)));
    }
    select.add(col(CORRUPT));
    select.add(col("_metadata"));
    return df.select(select.toArray(Column[]::new));
  }

  /** Parquet: each column as a string (nested values as JSON), renamed to the bronze name; no corrupt records. */
  private static Dataset<Row> parquet(SparkSession spark, List<String> header, List<String> fileCols, String[] paths) {
    Dataset<Row> df = spark.read().parquet(paths);
    List<Column> select = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      org.apache.spark.sql.types.DataType t = df.schema().apply(header.get(i)).dataType();
      Column c = raw(header.get(i));
      Column s = t instanceof org.apache.spark.sql.types.StructType || t instanceof org.apache.spark.sql.types.ArrayType
          || t instanceof org.apache.spark.sql.types.MapType ? to_json(c)
          : t instanceof org.apache.spark.sql.types.BinaryType ? base64(c)
          : c.cast(DataTypes.StringType);
      select.add(s.as(fileCols.get(i)));
    }
    select.add(lit(null).cast(DataTypes.StringType).as(CORRUPT));
    select.add(col("_metadata"));
    return df.select(select.toArray(Column[]::new));
  }

  /** A column by its name as the file spells it (dots, spaces and backticks included). */
  private static Column raw(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /**
   * The pure part: maps a parsed frame (columns {@code fileCols} + {@code _corrupt_record} +
   * {@code _source_file, _file_checksum, _mono}) onto the bronze layout of {@code spec}.
   */
  public static Dataset<Row> toBronze(Dataset<Row> parsed, SourceSpec spec, List<String> fileCols,
      String runId, Timestamp ingestedAt) {
    List<String> bronzeCols = spec.bronzeColumns();
    Set<String> fileSet = new HashSet<>(fileCols);
    List<Column> select = new ArrayList<>();
    for (String c : bronzeCols) {
      select.add(fileSet.contains(c) ? col(c).as(c) : lit(null).cast("string").as(c));
    }
    List<Column> extraKV = new ArrayList<>();
    for (String c : fileCols) {
      if (!bronzeCols.contains(c)) {
        extraKV.add(lit(c));
        extraKV.add(col(c));
      }
    }
    select.add(extraKV.isEmpty()
        ? lit(null).cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)).as("_extra")
        : map(extraKV.toArray(Column[]::new)).as("_extra"));
    select.add(col(CORRUPT));
    select.add(col("_source_file"));
    select.add(col("_file_checksum"));
    select.add(row_number().over(Window.partitionBy("_source_file").orderBy("_mono")).cast("long").as("_row_number"));
    select.add(lit(runId).as("_ingest_run_id"));
    select.add(lit(ingestedAt).as("_ingested_at"));
    return parsed.select(select.toArray(Column[]::new));
  }

  /** Column names for a header: snake_case, made unique with a numeric suffix. */
  public static List<String> uniqueSnake(List<String> header) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (String h : header) {
      String s = SourceSpec.snake(h);
      int n = seen.merge(s, 1, Integer::sum);
      out.add(n == 1 ? s : s + "_" + n);
    }
    return out;
  }

  /** One spelling of a path for both Java and Spark: {@code file:///x} and {@code file:/x} become {@code /x}. */
  public static String normalise(String path) {
    return path.startsWith("file:") ? "/" + path.substring(5).replaceFirst("^/+", "") : path;
  }

  static Column normalisedPath(Column c) {
    return regexp_replace(c, "^file:/+", "/");
  }
}
