package org.ilp.common.spark;

import java.io.Serializable;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How a job core keeps an intermediate frame it reads more than once. The core only marks them; the
 * shell decides: {@link #MATERIALIZE} computes each once, in order, and cuts its lineage
 * ({@code localCheckpoint}), so the many branches of a deep plan neither recompute it nor race to fill
 * a lazy cache; {@link #LAZY} keeps the plan as it is (tests of a core on small frames).
 */
public interface Keep extends UnaryOperator<Dataset<Row>>, Serializable {
  /** Computed once, now, and read back from the block manager; lineage truncated. */
  Keep MATERIALIZE = d -> d.localCheckpoint(true);

  /** Left as a plan (no action). */
  Keep LAZY = d -> d;
}
