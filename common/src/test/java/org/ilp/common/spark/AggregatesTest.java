package org.ilp.common.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
class AggregatesTest {
  /**
   * 2,000 values of very different magnitudes in one group: Spark's sum in two row orders differs in the last bits
   * (the reason for the aggregate), the fixed-order sum is the same bits in every order and partitioning, and equals
   * the values added in ascending order by hand.
   */
  @Test
  void fixedOrderSumIsTheSameBitsInEveryRowOrder() {
    Random r = new Random(7);
    List<Row> rows = new ArrayList<>();
    double[] values = new double[2000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.pow(10, r.nextInt(12) - 6) * r.nextDouble();
      rows.add(RowFactory.create("g", values[i]));
    }
    rows.add(RowFactory.create("g", null)); // skipped
    Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows,
        new StructType().add("g", DataTypes.StringType).add("v", DataTypes.DoubleType));
    Dataset<Row> shuffled = df.repartition(7).orderBy(rand(3));
    Dataset<Row> reversed = df.coalesce(1).orderBy(col("v").desc());

    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double byHand = 0;
    for (double v : sorted) {
      byHand += v;
    }
    for (Dataset<Row> d : List.of(df, shuffled, reversed)) {
      assertThat(d.groupBy("g").agg(Aggregates.fixedOrderSum(col("v"))).head().getDouble(1)).isEqualTo(byHand);
    }
    // what the aggregate fixes: Spark's sum adds in arrival order, and the order changes its last bits
    double ascending = df.orderBy("v").coalesce(1).agg(sum("v")).head().getDouble(0);
    double descending = reversed.agg(sum("v")).head().getDouble(0);
    assertThat(ascending).isNotEqualTo(descending);
  }
}
