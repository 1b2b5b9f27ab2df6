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
}
