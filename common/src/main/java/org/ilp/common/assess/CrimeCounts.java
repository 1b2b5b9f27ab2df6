package org.ilp.common.assess;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * gold.crime_counts kept equal to {@link Cube#counts} of silver.incidents, at the cost of silver's changes.
 *
 * <p>Every assessment needs every month of its jurisdiction (its series, baselines and the local areas' parents),
 * so reading silver would make a night's new month cost all of history. Instead, a refresh reads silver's change
 * data feed since the version the table reflects, counts the changed rows with signs (+1 insert and update
 * post-image, −1 delete and update pre-image: incremental view maintenance of a COUNT, e.g. Gupta &amp; Mumick,
 * "Maintenance of materialized views", IEEE Data Eng. Bull. 18(2), 1995), adds them to the months they touch and
 * replaces those months in one commit. That commit also records the silver version it reflects (Delta's
 * idempotent-write transaction, {@link Delta#appliedVersion}), so a change is never added twice.
 *
 * <p>It counts all of silver again (one pass) when there is no recorded version for this silver table and this
 * {@link #DEFINITION} (first run, silver dropped and re-created, the count's definition changed), when the feed cannot give the range
 * (vacuumed), when a group would go negative (the table was changed by hand), when more than {@value #MONTHS_MAX}
 * source-months changed, or when asked ({@code full}).
 */
public final class CrimeCounts {
  /** Beyond this many changed (source, month) pairs, one count of silver is cheaper than the month-by-month scope. */
  static final int MONTHS_MAX = 120;

  private CrimeCounts() {}

  /** What a refresh did: {@code current} (nothing to add), {@code increment} or {@code full}. */
  public record Refresh(String how, long silverVersion, int months, String why) {
    @Override
    public String toString() {
      return "gold.crime_counts " + how + " at silver.incidents version " + silverVersion
          + (how.equals("increment") ? " (" + months + " source-months)" : "") + (why == null ? "" : ": " + why);
    }
  }

  /** Brings gold.crime_counts to silver.incidents' latest version (see the class comment). */
  public static Refresh refresh(SparkSession spark, boolean full) {
    String identity = Delta.identity(spark, Tables.SILVER_INCIDENTS);
    if (identity == null) {
      throw new IllegalStateException(Tables.SILVER_INCIDENTS.name() + " does not exist: run `ilp curate` first");
    }
    long version = Long.parseLong(identity.substring(identity.lastIndexOf('@') + 1));
    String appId = appId(identity.substring(0, identity.lastIndexOf('@')));
    long applied = Delta.appliedVersion(spark, Tables.GOLD_CRIME_COUNTS, appId);
    if (!full && applied == version) {
      return new Refresh("current", version, 0, null);
    }
    String why = full ? "asked for" : applied < 0 ? "no version recorded for this silver table and this count"
        : applied > version ? "it is ahead of silver" : null;
    if (why == null) {
      try {
        Dataset<Row> feed = Delta.changes(spark, Tables.SILVER_INCIDENTS, applied + 1, version);
        Column sign = when(col("_change_type").isin("insert", "update_postimage"), 1).otherwise(-1);
        Dataset<Row> changes = Cube.counts(feed, sign).persist();
        try {
          List<Row> months = changes.select("source", "period_month").distinct().collectAsList();
          if (months.isEmpty()) { // changes that move no crime between groups: only the version is recorded
            Writes.replace(Tables.GOLD_CRIME_COUNTS, changes.limit(0), lit(false), appId, version);
            return new Refresh("increment", version, 0, null);
          }
          if (months.size() <= MONTHS_MAX) {
            Column scope = lit(false);
            for (Row m : months) {
              scope = scope.or(col("source").equalTo(m.getString(0)).and(col("period_month").eqNullSafe(lit(m.get(1)))));
            }
            Column[] keys = Cube.COUNT_KEYS.stream().map(c -> col(c)).toArray(Column[]::new);
            Dataset<Row> now = Keep.MATERIALIZE.apply(Delta.read(spark, Tables.GOLD_CRIME_COUNTS).where(scope)
                .unionByName(changes).groupBy(keys).agg(sum("incidents").cast("long").as("incidents"))
                .where(col("incidents").notEqual(0)));
            if (now.where(col("incidents").lt(0)).isEmpty()) {
              Writes.replace(Tables.GOLD_CRIME_COUNTS, now, scope, appId, version);
              return new Refresh("increment", version, months.size(), null);
            }
            why = "a group would go below zero (the table was changed outside this refresh)";
          } else {
            why = months.size() + " source-months changed";
          }
        } finally {
          changes.unpersist();
        }
      } catch (Exception e) { // Spark's analysis and task failures are not declared
        why = "silver's change feed cannot give versions " + (applied + 1) + ".." + version + " (" + e.getMessage() + ")";
      }
    }
    Dataset<Row> silver = Delta.readAt(spark, Tables.SILVER_INCIDENTS, version);
    Writes.replace(Tables.GOLD_CRIME_COUNTS, Cube.counts(silver, lit(1)), lit(true), appId, version);
    return new Refresh("full", version, 0, why);
  }

  /**
   * What the counts are: a change of this name makes the next refresh count all of silver again (it became
   * "local-dates" when the counts stopped shifting Chicago's wall-clock times by its zone a second time).
   */
  static final String DEFINITION = "local-dates";

  /** The transaction id of a silver table's counts: its Delta table id and {@link #DEFINITION}. */
  static String appId(String silverTableId) {
    return "crime_counts:" + silverTableId + ":" + DEFINITION;
  }
}
