package org.ilp.common.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Benjamini–Hochberg false-discovery-rate adjustment ("BH" q-values, identical to R's
 * {@code p.adjust(p, method = "BH")}), as Spark window work over a frame: the one implementation,
 * used by the assessment (per period table or per level) and the hotspot map (per run and slice).
 *
 * <p>Source: Benjamini, Y. &amp; Hochberg, Y. (1995), "Controlling the false discovery rate: a practical
 * and powerful approach to multiple testing", <i>J. R. Statist. Soc. B</i> 57(1):289–300. With m the
 * number of non-null p-values of a family and p_(1) ≤ … ≤ p_(m) sorted,
 * <pre>  q_(i) = min_{j ≥ i} min(1, m · p_(j) / j)</pre>
 * A hypothesis is rejected at FDR level q iff its q-value is ≤ q. Null p-values are not counted in m
 * and get a null q; tied p-values get equal q-values. Worked example (the paper's §4, 15 p-values):
 * the four smallest get 0.0015, 0.003, 0.0095, 0.035625 and the fifth 0.0603, so exactly four are
 * rejected at 0.05 — tested in {@code FdrTest}.
 *
 * <p>Each family is one window partition (an unpartitioned window for a single family): Spark moves a
 * family to one task, which holds its p-values sorted — fine for the 10⁵–10⁶ tests of one period or
 * one grid.
 */
public final class Fdr {
  private Fdr() {}

  /**
   * Adds {@code qCol}, the BH q-value of {@code pCol} within each family.
   *
   * @param family   columns whose values define a family (empty: the whole frame is one family)
   * @param tieBreak columns that make the order of equal p-values deterministic (does not change q)
   */
  public static Dataset<Row> bh(Dataset<Row> d, String pCol, String qCol, List<String> family, String... tieBreak) {
    Column[] part = family.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    List<Column> asc = new ArrayList<>(List.of(col(pCol).asc_nulls_last()));
    for (String t : tieBreak) {
      asc.add(col(t).asc());
    }
    WindowSpec all = Window.partitionBy(part);
    WindowSpec up = Window.partitionBy(part).orderBy(asc.toArray(Column[]::new));
    Column p = when(col(pCol).isNotNull().and(col(pCol).lt(0).or(col(pCol).gt(1))),
        raise_error(concat(lit("p-values must be in [0, 1]: " + pCol + " = "), col(pCol).cast("string"))))
        .otherwise(col(pCol));
    Dataset<Row> r = d.withColumn("_bh_p", p)
        .withColumn("_bh_m", count(col("_bh_p")).over(all))
        .withColumn("_bh_rank", row_number().over(up))
        .withColumn("_bh_raw", when(col("_bh_p").isNotNull(), col("_bh_p").multiply(col("_bh_m")).divide(col("_bh_rank"))));
    // running minimum from the largest p down (ties: the higher rank first, so tied p-values get equal q)
    WindowSpec down = Window.partitionBy(part).orderBy(col("_bh_p").desc_nulls_last(), col("_bh_rank").desc())
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    return r.withColumn(qCol, when(col("_bh_p").isNotNull(), least(lit(1.0), min(col("_bh_raw")).over(down))))
        .drop("_bh_p", "_bh_m", "_bh_rank", "_bh_raw");
  }
}
