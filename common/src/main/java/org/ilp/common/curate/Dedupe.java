package org.ilp.common.curate;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Deduplication rules: one silver row per real-world record. Each rule is named; a row that loses
 * keeps its rule name in {@code dup_rule} (counted per file in the manifest and per rule in
 * ops.dq_results). The winner of a group is {@code dup_rule IS NULL}.
 *
 * <h2>police.uk street ({@code police_uk})</h2>
 * <ul>
 *   <li>Rows with a Crime ID: one incident per Crime ID (IDs are 64-hex hashes, unique nationally).
 *       Winner: has coordinates, then the latest month, then the latest ingest (newer data wins),
 *       then the last file and row. {@code period_month} of the incident is the <em>first</em>
 *       month it was published (Northern Ireland republishes crimes in later months with updated
 *       outcomes; the first month is the occurrence month). Losers are named:
 *       <ul>
 *         <li>{@code dup.no_location_copy}: the loser has no coordinates and the winner has (Avon &amp;
 *             Somerset publish a geocoded row and a "No Location" copy of the same crime);</li>
 *         <li>{@code dup.crime_id_other_month}: the same Crime ID republished in another month;</li>
 *         <li>{@code dup.republished_copy}: the same record from another file of the same month (a
 *             second download);</li>
 *         <li>{@code dup.crime_id_same_file}: the Crime ID repeats inside one file.</li>
 *       </ul></li>
 *   <li>Rows without a Crime ID (all anti-social behaviour, all BTP): there is no key, and identical
 *       rows in one file are distinct incidents (coordinates are snapped to shared points). Key =
 *       content fingerprint + the row's ordinal among identical rows of its file; so a second
 *       download of the same month collapses onto the first ({@code dup.republished_copy}) while
 *       identical rows within a file all survive.</li>
 * </ul>
 *
 * <h2>Chicago ({@code chicago})</h2>
 * <ul>
 *   <li>Same {@code ID} more than once (a re-export, the API layout, an update): the latest
 *       {@code Updated On}, then the latest ingest, wins; losers {@code dup.republished_copy}.</li>
 *   <li>Same {@code Case Number} with different IDs: homicide cases have one row per victim. One
 *       incident per case: the lowest ID is kept, {@code victim_count} = the number of IDs, the
 *       others are {@code dup.case_number_per_victim}.</li>
 * </ul>
 *
 * <h2>Content ({@code content}, stop-and-search)</h2>
 * No record id: key = content fingerprint + ordinal among identical rows of its file, as above.
 */
public final class Dedupe {
  public static final String RULE = "dup_rule";

  private Dedupe() {}

  /**
   * Adds {@code dedupe_key} (the natural key; the incident id is derived from it), {@code dup_rule}
   * and for Chicago {@code victim_count}. Expects canonical columns plus lineage
   * ({@code _source_file, _row_number, _ingested_at}) and {@code content_hash}.
   */
  public static Dataset<Row> apply(Dataset<Row> df, String strategy, String sourceFamily) {
    return rank(keys(df, strategy, sourceFamily), strategy);
  }

  /**
   * Step 1, per record: its group key {@code dedupe_key}. It depends only on the record and, for content
   * keys, on the other records of its own file, never on other files: a file's keys are computed once,
   * when it is new, and stay valid (an incremental curate keeps them in ops.curate_verdicts).
   */
  public static Dataset<Row> keys(Dataset<Row> df, String strategy, String family) {
    return switch (strategy) {
      // only the rows without an id need the window of the content key (a shuffle): they go apart
      case "police_uk" -> df.where(col("source_record_id").isNotNull())
          .withColumn("dedupe_key", concat(lit(family + ":id:"), col("source_record_id")))
          .unionByName(df.where(col("source_record_id").isNull()).withColumn("dedupe_key", contentKey(family)));
      // one incident per case number (a record without one is its own case)
      case "chicago" -> df.withColumn("dedupe_key", when(col("case_number").isNotNull(),
              concat(lit(family + ":case:"), col("case_number")))
          .otherwise(concat(lit(family + ":id:"), col("source_record_id"))));
      case "content" -> df.withColumn("dedupe_key", contentKey(family));
      default -> throw new IllegalArgumentException("unknown dedupe strategy '" + strategy + "'");
    };
  }

  /**
   * Step 2, per group: the winner and the named rule of every loser. Needs every record of each group it
   * ranks (for Chicago, every record of each record id whose records touch the group) — a full run has
   * them all; an incremental one gathers them ({@link Increment}).
   */
  public static Dataset<Row> rank(Dataset<Row> keyed, String strategy) {
    return switch (strategy) {
      case "police_uk" -> policeUk(keyed);
      case "chicago" -> chicago(keyed);
      case "content" -> content(keyed);
      default -> throw new IllegalArgumentException("unknown dedupe strategy '" + strategy + "'");
    };
  }

  /** Whether a strategy keys some records by their content ({@code content_hash}): all but Chicago's. */
  public static boolean keysByContent(String strategy) {
    return !"chicago".equals(strategy);
  }

  static Column contentKey(String family) {
    WindowSpec same = Window.partitionBy("_source_file", "content_hash").orderBy("_row_number");
    return concat(lit(family + ":content:"), col("content_hash"), lit(":"), row_number().over(same).cast("string"));
  }

  /**
   * police.uk: most groups are one record (46 duplicates in 6.4 M generated records; 32,036 in 1.77 M real ones),
   * and a one-record group is its own winner. Only the records that may share their group go through the window, a
   * shuffle and sort of whole rows; the others keep their place. They are found by one narrow aggregation of a
   * 64-bit hash of the id, or of the content hash for a record without one, over columns the content key's window
   * does not make (so it runs without that window): a hash seen more than once. That is a superset of the shared
   * groups (a content key's records share its content hash; two values hashing alike only send more records through
   * the window, which ranks a one-record group as its own winner). The hashes are broadcast when at most
   * {@link Increment#FEW}; above that, every record goes through the window.
   */
  static Dataset<Row> policeUk(Dataset<Row> keyed) {
    Column route = when(col("source_record_id").isNotNull(), xxhash64(lit("id"), col("source_record_id")))
        .otherwise(xxhash64(lit("content"), col("content_hash")));
    Dataset<Row> shared = keyed.groupBy(route.as("_shared")).count().where(col("count").gt(1)).select("_shared");
    java.util.List<Row> keys = shared.limit((int) Increment.FEW + 1).collectAsList();
    if (keys.size() > Increment.FEW) {
      return policeUkRanked(keyed);
    }
    Dataset<Row> few = broadcast(keyed.sparkSession().createDataFrame(keys, shared.schema()));
    Column in = route.equalTo(col("_shared"));
    Dataset<Row> alone = keyed.join(few, in, "left_anti")
        .withColumn(RULE, lit(null).cast("string"))
        .withColumn("victim_count", lit(null).cast("int"));
    return alone.unionByName(policeUkRanked(keyed.join(few, in, "left_semi")));
  }

  /** police.uk's ranking of the records of shared groups: the winner and the named rule of each loser. */
  static Dataset<Row> policeUkRanked(Dataset<Row> keyed) {
    Column hasXY = col("lon").isNotNull().and(col("lat").isNotNull());
    WindowSpec order = Window.partitionBy("dedupe_key").orderBy(
        hasXY.desc(), col("period_month").desc(), col("_ingested_at").desc(), col("_source_file").desc(),
        col("_row_number").desc());
    // one window operator: the winner is the first row of the order, read over the whole group
    WindowSpec group = order.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> ranked = keyed.select(col("*"), row_number().over(order).as("_rank"),
        min("period_month").over(group).as("_first_month"), first(hasXY).over(group).as("_w_xy"),
        first("period_month").over(group).as("_w_month"), first("_source_file").over(group).as("_w_file"));
    Column rule = when(col("_rank").equalTo(1), lit(null).cast("string"))
        .when(col("_w_xy").and(not(hasXY)), lit("dup.no_location_copy"))
        .when(col("period_month").notEqual(col("_w_month")), lit("dup.crime_id_other_month"))
        .when(col("_source_file").notEqual(col("_w_file")), lit("dup.republished_copy"))
        .otherwise(lit("dup.crime_id_same_file"));
    return ranked.withColumn(RULE, rule)
        .withColumn("period_month", col("_first_month"))
        .withColumn("victim_count", lit(null).cast("int"))
        .drop("_rank", "_first_month", "_w_xy", "_w_month", "_w_file");
  }

  /**
   * Chicago: most records share neither their ID nor their case number with another record (22 duplicates in 3 M
   * generated records) and are their own winners, one victim each. Only the records of a shared ID or a shared case
   * (found by one narrow aggregation, broadcast when at most {@link Increment#FEW}; above that, every record) go
   * through the windows ({@link #chicagoRanked}): every ID group and case group there is whole.
   */
  static Dataset<Row> chicago(Dataset<Row> df) {
    Column id = col("source_record_id");
    Column key = col("dedupe_key");
    // one narrow aggregation finds both: an ID or a case key seen more than once
    Dataset<Row> seen = df.select(concat(lit("id:"), id).as("_s"))
        .unionByName(df.select(concat(lit("key:"), key).as("_s"))).where(col("_s").isNotNull())
        .groupBy("_s").count().where(col("count").gt(1)).select("_s");
    java.util.List<Row> shared = seen.limit((int) Increment.FEW + 1).collectAsList();
    if (shared.size() > Increment.FEW) {
      return chicagoRanked(df);
    }
    Dataset<Row> s = broadcast(df.sparkSession().createDataFrame(shared, seen.schema()));
    Column sharedId = concat(lit("id:"), id).equalTo(col("_s"));
    Column sharedKey = concat(lit("key:"), key).equalTo(col("_s"));
    Dataset<Row> keyed = df.where(id.isNotNull().and(key.isNotNull()));
    Dataset<Row> notSharedId = keyed.join(s, sharedId, "left_anti");
    Dataset<Row> alone = notSharedId.join(s, sharedKey, "left_anti")
        .withColumn("victim_count", lit(1))
        .withColumn(RULE, lit(null).cast("string"));
    Dataset<Row> ranked = df.where(id.isNull().or(key.isNull()))
        .unionByName(keyed.join(s, sharedId, "left_semi"))
        .unionByName(notSharedId.join(s, sharedKey, "left_semi"));
    return alone.unionByName(chicagoRanked(ranked));
  }

  /** Chicago's ranking: the newest record of each ID, then one incident per case number among the ID winners. */
  static Dataset<Row> chicagoRanked(Dataset<Row> df) {
    // 1) one row per ID: newest update, then newest ingest
    WindowSpec byId = Window.partitionBy("source_record_id").orderBy(
        col("updated_at").desc_nulls_last(), col("_ingested_at").desc(), col("_source_file").desc(),
        col("_row_number").desc());
    Dataset<Row> r1 = df.withColumn("_rank_id", row_number().over(byId));
    // 2) one incident per case number (dedupe_key) among the ID winners: lowest ID wins
    Column idNum = coalesce(col("source_record_id").cast("long"), lit(Long.MAX_VALUE));
    WindowSpec byCase = Window.partitionBy("dedupe_key").orderBy(col("_rank_id"), idNum, col("source_record_id"));
    WindowSpec caseGroup = Window.partitionBy("dedupe_key");
    Dataset<Row> r2 = r1
        .withColumn("_rank_case", row_number().over(byCase))
        .withColumn("victim_count", size(collect_set(col("source_record_id")).over(caseGroup)).cast("int"));
    Column rule = when(col("_rank_id").gt(1), lit("dup.republished_copy"))
        .when(col("_rank_case").gt(1), lit("dup.case_number_per_victim"))
        .otherwise(lit(null).cast("string"));
    return r2.withColumn(RULE, rule).drop("_rank_id", "_rank_case");
  }

  static Dataset<Row> content(Dataset<Row> keyed) {
    WindowSpec order = Window.partitionBy("dedupe_key").orderBy(
        col("_ingested_at").desc(), col("_source_file").desc(), col("_row_number").desc());
    return keyed.withColumn("_rank", row_number().over(order))
        .withColumn(RULE, when(col("_rank").gt(1), lit("dup.republished_copy")).otherwise(lit(null).cast("string")))
        .withColumn("victim_count", lit(null).cast("int"))
        .drop("_rank");
  }
}
