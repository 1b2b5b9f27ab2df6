package org.ilp.jobs.assess;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.ilp.common.table.Tables;

/**
 * The publish.* copies: gold rows with every count that {@link org.ilp.common.publish.Suppression}
 * suppresses blanked (null) and flagged, and every figure that would let it be recomputed (rates,
 * harm, changes, p- and q-values, rolling means over a suppressed period) blanked with it.
 * Suppressed cells are kept as rows ({@code suppressed = true}), never dropped, so a dashboard can
 * show "suppressed" rather than a misleading absence. Rolling means whose window total is itself
 * 1..k-1 are blanked too (a 3-month total of 2 is a small count).
 */
final class Publish {
  private Publish() {}

  static Column key() {
    return concat_ws("|", col("jurisdiction"), col("area_code"), col("iccs_l1"), coalesce(col("iccs_l2"), lit("")));
  }

  private static Dataset<Row> withStatus(Dataset<Row> d, Dataset<Row> pattern, Column periodType, Column period,
      String name) {
    Dataset<Row> pt = pattern.select(key().as("_pk_" + name), col("period_type").as("_pt_" + name),
        col("period").as("_pd_" + name), col("status").as(name));
    return d.join(pt, key().equalTo(col("_pk_" + name)).and(periodType.equalTo(col("_pt_" + name)))
            .and(period.equalTo(col("_pd_" + name))), "left")
        .drop("_pk_" + name, "_pt_" + name, "_pd_" + name)
        .withColumn(name, coalesce(col(name), lit("published")));
  }

  private static Column hidden(String status) {
    return col(status).notEqual("published");
  }

  private static Dataset<Row> blank(Dataset<Row> d, Column when, String... cols) {
    for (String c : cols) {
      d = d.withColumn(c, when(when, lit(null).cast(d.schema().apply(c).dataType())).otherwise(col(c)));
    }
    return d;
  }

  static Dataset<Row> crimeStats(Dataset<Row> stats, Dataset<Row> pattern, AssessParams p) {
    Dataset<Row> d = withStatus(stats, pattern, col("period_type"), col("period"), "_st_cur");
    d = withStatus(d, pattern, col("period_type"), col("prev_period"), "_st_prev");
    d = withStatus(d, pattern, col("period_type"), col("yoy_period"), "_st_yoy");
    Column sup = hidden("_st_cur");
    Column psup = hidden("_st_prev");
    Column ysup = hidden("_st_yoy");
    d = d.withColumn("suppressed", sup)
        .withColumn("suppression", when(sup, col("_st_cur")))
        .withColumn("prev_suppressed", psup)
        .withColumn("yoy_suppressed", ysup);
    d = blank(d, sup, "count", "rate_per_100k", "harm", "harm_per_1000");
    d = blank(d, psup, "prev_count");
    d = blank(d, ysup, "yoy_count");
    d = blank(d, sup.or(psup), "prev_change", "prev_change_pct", "p_value_prev", "q_value_prev", "significant_prev");
    d = blank(d, sup.or(ysup), "yoy_change", "yoy_change_pct", "p_value_yoy", "q_value_yoy", "significant_yoy");
    d = d.withColumn("significant", coalesce(col("significant_yoy"), col("significant_prev")));
    return d.select(Tables.PUBLISH_CRIME_STATS.selection());
  }

  static Dataset<Row> threat(Dataset<Row> threat, Dataset<Row> pattern, AssessParams p) {
    int step = switch (p.type()) {
      case MONTH -> 1;
      case QUARTER -> 3;
      default -> 12;
    };
    Column basePeriod = when(col("trend_basis").equalTo("last year"), add_months(col("period"), -12))
        .otherwise(add_months(col("period"), -step));
    Dataset<Row> d = withStatus(threat, pattern, col("period_type"), col("period"), "_st_cur");
    d = withStatus(d, pattern, col("period_type"), basePeriod, "_st_base");
    Column sup = hidden("_st_cur").or(hidden("_st_base"));
    d = d.withColumn("suppressed", sup);
    d = blank(d, hidden("_st_cur"), "count", "harm", "rate_per_100k", "harm_score", "volume_score");
    d = blank(d, hidden("_st_base"), "base_count");
    d = blank(d, sup, "change_pct", "change_p", "change_q");
    d = d.withColumn("rationale", when(sup, concat(lit("figures suppressed (disclosure control); trend: "),
        col("trend_class"))).otherwise(col("rationale")));
    return d.select(Tables.PUBLISH_THREAT_ASSESSMENT.selection());
  }

  static Dataset<Row> trends(Dataset<Row> trends, Dataset<Row> pattern, int k) {
    Dataset<Row> d = withStatus(trends, pattern, col("period_type"), col("period"), "_st");
    WindowSpec series = Window.partitionBy("period_type", "jurisdiction", "level", "area_code", "iccs_l1", "iccs_l2")
        .orderBy("period");
    Column supInt = when(hidden("_st"), 1).otherwise(0);
    d = d.withColumn("_sup", supInt)
        .withColumn("_sup3", max("_sup").over(series.rowsBetween(-2, 0)))
        .withColumn("_sup12", max("_sup").over(series.rowsBetween(-11, 0)))
        .withColumn("_supyoy", when(col("period_type").equalTo("week"), lag("_sup", 52).over(series))
            .otherwise(lag("_sup", 12).over(series)));
    Column small3 = col("rolling_3").multiply(3).between(0.5, k - 0.5);
    Column small12 = col("rolling_12").multiply(12).between(0.5, k - 0.5);
    d = d.withColumn("suppressed", hidden("_st"));
    d = blank(d, hidden("_st"), "count");
    d = blank(d, col("_sup3").equalTo(1).or(small3), "rolling_3");
    d = blank(d, col("_sup12").equalTo(1).or(small12), "rolling_12");
    d = blank(d, coalesce(col("_supyoy").equalTo(1), lit(false)), "yoy_count");
    d = blank(d, coalesce(col("_supyoy").equalTo(1), lit(false)).or(hidden("_st")), "yoy_change_pct");
    return d.select(Tables.PUBLISH_CRIME_TRENDS.selection());
  }

  static Dataset<Row> warnings(Dataset<Row> warnings, Dataset<Row> pattern) {
    Dataset<Row> d = withStatus(warnings, pattern, col("period_type"), col("period"), "_st");
    d = d.withColumn("suppressed", hidden("_st"));
    d = blank(d, hidden("_st"), "observed", "excess");
    return d.select(Tables.PUBLISH_EARLY_WARNINGS.selection());
  }
}
