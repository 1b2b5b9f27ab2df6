package org.ilp.common.spark;

import java.util.ArrayList;
import java.util.List;
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
  private final transient List<Dataset<Row>> kept = new ArrayList<>();

  @Override
  public Dataset<Row> apply(Dataset<Row> d) {
    Dataset<Row> c = d.persist(StorageLevel.MEMORY_AND_DISK());
    c.count(); // fills the cache, in order: the many branches of a later plan read it, none races to fill it
    kept.add(c);
    return c;
  }

  /** Releases every frame kept. */
  @Override
  public void close() {
    kept.forEach(d -> d.unpersist(false));
    kept.clear();
  }
}
