package org.ilp.common.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
class KeepTest {
  /**
   * A frame whose plan is estimated far above Spark's broadcast threshold (a join of 1,000 × 1,000 rows: the product
   * of their sizes, 64 MB) but holds 1,000 rows: once kept, the planner sees the bytes its blocks hold, and a join with
   * it is a broadcast from the start; the frame left as a plan is planned as a sort-merge join. Same rows either way.
   */
  @Test
  void aKeptFrameIsPlannedByItsMeasuredSize() {
    SparkSession spark = SparkTestSupport.spark();
    Dataset<Row> pairs = spark.range(1000).toDF("a").crossJoin(spark.range(1000).toDF("b")).where(col("a").equalTo(col("b")));
    long threshold = ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().conf().autoBroadcastJoinThreshold();
    assertThat(pairs.queryExecution().optimizedPlan().stats().sizeInBytes().longValue()).isGreaterThan(threshold);

    Dataset<Row> kept = Keep.MATERIALIZE.apply(pairs);
    long measured = kept.queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
    assertThat(measured).isPositive().isLessThan(threshold);

    // another such frame: 1,000 even numbers 0..1,998 out of a join estimated at 64 MB
    Dataset<Row> evens = spark.range(0, 2000, 2).toDF("a").crossJoin(spark.range(1000).toDF("z"))
        .where(col("z").equalTo(0));
    Dataset<Row> joined = kept.join(Keep.MATERIALIZE.apply(evens), "a");
    assertThat(joined.queryExecution().executedPlan().toString()).contains("BroadcastHashJoin")
        .doesNotContain("SortMergeJoin");
    Dataset<Row> unkept = pairs.join(evens, "a");
    assertThat(unkept.queryExecution().executedPlan().toString()).contains("SortMergeJoin");
    assertThat(joined.count()).isEqualTo(500L).isEqualTo(unkept.count());
  }

  /**
   * A run's frames go to the columnar cache when its input files would make rows taking more than a quarter of the
   * heap, and are checkpointed (measured) below that; the same rows either way.
   */
  @Test
  void aSmallInputIsCheckpointedALargeOneCached() {
    SparkSession spark = SparkTestSupport.spark();
    Dataset<Row> rows = spark.range(100).toDF("a");
    long heapQuarter = Runtime.getRuntime().maxMemory() / 4 / Cached.ROWS_PER_STORED_BYTE;
    try (Cached small = Cached.forInput(heapQuarter); Cached large = Cached.forInput(heapQuarter + 1)) {
      assertThat(small.columnar()).isFalse();
      assertThat(large.columnar()).isTrue();
      Dataset<Row> checkpointed = small.apply(rows);
      Dataset<Row> cached = large.apply(rows);
      assertThat(checkpointed.queryExecution().logical()).isInstanceOf(org.apache.spark.sql.execution.LogicalRDD.class);
      assertThat(cached.storageLevel().useMemory()).isTrue();
      assertThat(checkpointed.storageLevel().useMemory()).isFalse();
      assertThat(checkpointed.collectAsList()).isEqualTo(cached.collectAsList()).hasSize(100);
    }
  }
}
