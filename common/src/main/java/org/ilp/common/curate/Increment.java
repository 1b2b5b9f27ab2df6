package org.ilp.common.curate;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What an incremental curate must re-rank so that its verdicts equal a full run's: the dedupe groups
 * the new records touch, and the earlier records ({@code ops.curate_verdicts}) that {@link Dedupe#rank}
 * needs to rank those groups exactly as a full run would.
 *
 * <ul>
 *   <li>police.uk and content keys: a group is its {@code dedupe_key}; the groups are the new records'
 *       keys, the earlier records are those with the same keys (an incident republished in a later
 *       month or another download).</li>
 *   <li>Chicago ranks twice: per record id (the newest update), then per case number among the id
 *       winners. A new record of id {@code i} can move the id's winner from one case to another, so the
 *       groups are the new records' cases plus every case an earlier record of a new id belongs to; and to
 *       rank a case every record of every id with a record in that case is needed (collected here, ranked,
 *       then only the groups' verdicts are kept).</li>
 * </ul>
 * Records quarantined by a rule never enter a group. Pure: frames in, frames out.
 */
public final class Increment {
  private Increment() {}

  /**
   * @param groups  the touched groups ({@code dedupe_key}); only their verdicts and silver rows change
   * @param earlier earlier records to re-rank with the new ones: {@code file_checksum, row_number,
   *                dedupe_key}
   */
  public record Scope(Dataset<Row> groups, Dataset<Row> earlier) {}

  /**
   * @param keyedNew the new records that passed the rules, with {@code dedupe_key} and
   *                 {@code source_record_id}
   * @param verdicts the source's earlier verdicts (ops.curate_verdicts rows of files curated before)
   */
  public static Scope of(Dataset<Row> keyedNew, Dataset<Row> verdicts, String strategy) {
    return of(keyedNew, verdicts, strategy, false);
  }

  /**
   * As {@link #of(Dataset, Dataset, String)}; {@code fewNew}: the new records are few enough (see
   * {@link #FEW}) for their keys to be broadcast to the earlier verdicts. Otherwise the joins are sort-merge joins:
   * never a broadcast of the verdicts, which Spark may otherwise pick (a Delta scan's estimate is its files'
   * compressed bytes; a checkpointed frame has no estimate) and which does not fit a driver at 10M records.
   */
  public static Scope of(Dataset<Row> keyedNew, Dataset<Row> verdicts, String strategy, boolean fewNew) {
    java.util.function.UnaryOperator<Dataset<Row>> small = d -> fewNew ? functions.broadcast(d) : d.hint("merge");
    Dataset<Row> old = verdicts.where(col("verdict").notEqual("quarantined"))
        .select("file_checksum", "row_number", "dedupe_key", "source_record_id");
    Dataset<Row> newKeys = keyedNew.select("dedupe_key").distinct();
    if (!"chicago".equals(strategy)) {
      return new Scope(newKeys, old.join(small.apply(newKeys), "dedupe_key")
          .select("file_checksum", "row_number", "dedupe_key"));
    }
    Dataset<Row> newIds = keyedNew.select("source_record_id").distinct();
    Dataset<Row> groups = newKeys.union(old.join(small.apply(newIds), "source_record_id").select("dedupe_key"))
        .distinct();
    Dataset<Row> ids = old.join(small.apply(groups), "dedupe_key").select("source_record_id").union(newIds).distinct();
    return new Scope(groups, old.join(small.apply(ids), "source_record_id")
        .select("file_checksum", "row_number", "dedupe_key"));
  }

  /** At most this many new records (or earlier ones to re-rank) count as few: their keys are broadcast. */
  public static final long FEW = 500_000;
}
