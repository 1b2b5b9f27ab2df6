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
  /** Computed once, now, and read back from the block manager; lineage truncated; planned by its measured size. */
  Keep MATERIALIZE = d -> measured(d.localCheckpoint(true));

  /** Left as a plan (no action). */
  Keep LAZY = d -> d;

  /**
   * A checkpointed frame whose size, for the planner, is the bytes its blocks hold. A {@code localCheckpoint} keeps
   * the size its origin plan was estimated at — for a join, the product of its inputs' sizes — so every join of two
   * kept frames was planned as a sort-merge join (two shuffle stages, each a Spark job) that adaptive execution turned
   * into a broadcast only after both had run; with its measured size a small kept frame is broadcast from the start.
   * The frame unchanged when its blocks cannot be found.
   */
  static Dataset<Row> measured(Dataset<Row> kept) {
    if (!(kept.queryExecution().logical() instanceof org.apache.spark.sql.execution.LogicalRDD lr)) {
      return kept;
    }
    long bytes = -1;
    for (org.apache.spark.storage.RDDInfo info : kept.sparkSession().sparkContext().getRDDStorageInfo()) {
      if (info.id() == lr.rdd().id()) {
        bytes = info.memSize() + info.diskSize();
      }
    }
    if (bytes < 0) {
      return kept;
    }
    var session = (org.apache.spark.sql.classic.SparkSession) kept.sparkSession();
    var stats = new org.apache.spark.sql.catalyst.plans.logical.Statistics(scala.math.BigInt.apply(Math.max(bytes, 1L)),
        scala.Option.empty(), org.apache.spark.sql.catalyst.expressions.AttributeMap$.MODULE$.empty(), false);
    var sized = lr.copy(lr.output(), lr.rdd(), lr.outputPartitioning(), lr.outputOrdering(), lr.isStreaming(), lr.stream(),
        session, scala.Option.apply(stats), scala.Option.empty());
    return org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(session, sized);
  }
}
