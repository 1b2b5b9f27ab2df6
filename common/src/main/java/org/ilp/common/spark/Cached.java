package org.ilp.common.spark;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A {@link Keep} for wide frames read many times for a few columns each (curate's records: counted, filtered
 * for quarantine, projected for verdicts, written to silver): each is computed once, now, into Spark's columnar
 * cache — compressed column batches that a later read takes column by column, skipping batches whose
 * statistics rule a filter out — where a {@code localCheckpoint} keeps whole rows that every read deserialises
 * (at 10 M rows and a 4 GiB driver, a tenth of curate's time went to reading them back and to the collector).
 * The frames stay in the cache until {@link #close}, which a job calls when its writes are done.
 */
public final class Cached implements Keep, AutoCloseable {
  private static final long serialVersionUID = 1L;
  private final transient Map<Dataset<Row>, Long> kept = new IdentityHashMap<>();

  @Override
  public Dataset<Row> apply(Dataset<Row> d) {
    Dataset<Row> c = d.persist(StorageLevel.MEMORY_AND_DISK());
    // fills the cache, in order: the many branches of a later plan read it, none races to fill it
    kept.put(c, c.count());
    return c;
  }

  @Override
  public long rows(Dataset<Row> frame) {
    return kept.getOrDefault(frame, -1L);
  }

  /** Releases every frame kept. */
  @Override
  public void close() {
    kept.keySet().forEach(d -> d.unpersist(false));
    kept.clear();
  }
}
