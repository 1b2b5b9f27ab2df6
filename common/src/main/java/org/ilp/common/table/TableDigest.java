package org.ilp.common.table;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * An order-independent digest of a table's rows: the row count and the sum of a 64-bit hash of each
 * row (as JSON, maps with their entries sorted). Two runs of the same inputs give the same digests
 * whatever the partitioning, the order of the rows or the machine (a cluster or one JVM), once the
 * columns that say which run wrote a row and when ({@link #RUN_COLUMNS}) are left out. Columns of the
 * data's own time ({@code occurred_at}, {@code updated_at}) stay in, and so do ids derived from the
 * content (checksums, cell ids, area codes).
 */
public final class TableDigest {
  /**
   * Run ids, run times, durations, the host and user of a run: different on every run by design; and
   * silver's {@code record_hash}, a change-detection hash over its row's columns, the ingest run id and
   * time included.
   */
  public static final Set<String> RUN_COLUMNS = Set.of(
      "run_id", "ingest_run_id", "_ingest_run_id", "curated_run_id",
      "ingested_at", "_ingested_at", "curated_at", "quarantined_at", "checked_at", "started_at", "ended_at",
      "duration_ms", "host", "user", "record_hash");

  private final long rows;
  private final BigDecimal hash;
  private final List<String> columns;

  private TableDigest(long rows, BigDecimal hash, List<String> columns) {
    this.rows = rows;
    this.hash = hash;
    this.columns = columns;
  }

  /** The digest of a frame's rows, without {@link #RUN_COLUMNS}. */
  public static TableDigest of(Dataset<Row> rows) {
    return ofEach(List.of(rows)).get(0);
  }

  /**
   * The digests of several frames (e.g. every table of a warehouse) in one query, in the given order: one Spark job
   * for all of them instead of one per frame. (On the cluster check's 31-table warehouse
   * {@code ilp tables --digest} took as long either way, within this machine's spread; the query count is what it
   * saves.)
   */
  public static List<TableDigest> ofEach(List<Dataset<Row>> frames) {
    List<List<String>> names = new ArrayList<>();
    Dataset<Row> all = null;
    for (int i = 0; i < frames.size(); i++) {
      Dataset<Row> rows = frames.get(i);
      List<Column> cols = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      for (StructField f : rows.schema().fields()) {
        if (RUN_COLUMNS.contains(f.name())) {
          continue;
        }
        Column c = col("`" + f.name() + "`");
        // a map's entries come in the order they were built: sorted, equal maps hash the same
        cols.add((f.dataType() instanceof MapType ? array_sort(map_entries(c)) : c).as(f.name()));
        kept.add(f.name());
      }
      names.add(List.copyOf(kept));
      Dataset<Row> one = rows.select(xxhash64(to_json(struct(cols.toArray(Column[]::new)))).as("h"))
          .agg(count(lit(1)).as("n"), sum(col("h").cast("decimal(38,0)")).as("s"))
          .select(lit(i).as("i"), col("n"), col("s"));
      all = all == null ? one : all.unionAll(one);
    }
    TableDigest[] out = new TableDigest[frames.size()];
    if (all != null) {
      for (Row r : all.collectAsList()) {
        int i = r.getInt(0);
        out[i] = new TableDigest(r.getLong(1), r.isNullAt(2) ? BigDecimal.ZERO : r.getDecimal(2), names.get(i));
      }
    }
    return List.of(out);
  }

  public long rows() {
    return rows;
  }

  /** The row hashes' sum, as hex (sign first): equal multisets of rows, equal strings. */
  public String hash() {
    return hash.toBigIntegerExact().toString(16);
  }

  /** The columns that went into the hash, in table order. */
  public List<String> columns() {
    return columns;
  }
}
