package org.ilp.common.spark;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/** Aggregates whose result does not depend on the order in which Spark feeds a group's rows. */
public final class Aggregates {
  private Aggregates() {}

  /**
   * The sum of a double column, added in one fixed order (ascending values), so that a group's sum is the same bits
   * whatever the partitioning and row order. Spark's {@code sum} adds in arrival order and floating-point addition
   * is not associative: a standalone cluster and a local run of the same job differed in the last bits of
   * gold.hotspot_kde and gold.forecasts. A group's values are held as one array (a cell's kernel contributions:
   * the events within the bandwidth). Nulls are skipped; a group without values sums to 0.
   */
  public static Column fixedOrderSum(Column x) {
    return aggregate(array_sort(collect_list(x.cast("double"))), lit(0.0), (acc, v) -> acc.plus(v));
  }
}
