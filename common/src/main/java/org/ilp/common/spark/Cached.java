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
 *
 * <p>While the rows fit the heap with room, building the cache costs more than it saves: {@link #forInput} checkpoints
 * those frames instead ({@link Keep#MATERIALIZE}). Measured side by side: the generated warehouse's two curates
 * 20 → 14 s and 24 → 20 s; the real police.uk files (1.8 M records, 8 GiB) within this machine's noise (102 and 115 s
 * cached, 105 and 98 s checkpointed).
 */
public final class Cached implements Keep, AutoCloseable {
  private static final long serialVersionUID = 1L;
  /**
   * Bytes of kept rows per byte of the Parquet files they come from (the real police.uk files: 127 MB of bronze,
   * 521 MB of compressed column batches, about 1.3 GB as rows).
   */
  static final long ROWS_PER_STORED_BYTE = 10;
  private final transient List<Dataset<Row>> kept = new ArrayList<>();
  private final boolean columnar;

  /** Every frame into the columnar cache. */
  public Cached() {
    this(true);
  }

  private Cached(boolean columnar) {
    this.columnar = columnar;
  }

  /**
   * For a run over {@code storedBytes} of input files: checkpointed rows while they would take at most a quarter of
   * the heap ({@link #ROWS_PER_STORED_BYTE}), the columnar cache beyond.
   */
  public static Cached forInput(long storedBytes) {
    return new Cached(storedBytes > Runtime.getRuntime().maxMemory() / 4 / ROWS_PER_STORED_BYTE);
  }

  /** Whether frames go to the columnar cache (else they are checkpointed). */
  public boolean columnar() {
    return columnar;
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> d) {
    if (!columnar) {
      return Keep.MATERIALIZE.apply(d);
    }
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
