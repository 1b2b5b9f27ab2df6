package org.ilp.jobs.assess;

import static org.apache.spark.sql.functions.*;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.ilp.common.assess.Cube;
import org.ilp.common.table.Tables;

/**
 * gold.threat_assessment: a MoRiLE-style score (Modelling Risk in Law Enforcement: harm × likelihood ×
 * confidence) for every (level, area, ICCS level-2 group) of the period.
 * <pre>
 *   harm_score   = percent_rank of harm within the period's level (0 = least, 1 = most harmful cell)
 *   volume_score = percent_rank of count within the period's level
 *   likelihood   = by trend class of the change on last year (else on the previous period):
 *                  significant-increase | stable | significant-decrease (significant = BH q &lt;= q;
 *                  weights in ilp.assess.threat.likelihood). A change that is not significant is
 *                  "stable" whatever its sign — the data cannot tell it from chance, so it neither
 *                  raises nor lowers a threat; "no comparison" (no comparable earlier period) is
 *                  weighted as stable.
 *   confidence   = factor of the crime_stats confidence (high | medium | low)
 *   threat_score = (w_harm · harm_score + w_volume · volume_score) · likelihood · confidence
 * </pre>
 * ranked within the period's level ({@code threat_rank} 1 = highest; a backfill's periods each ranked alone),
 * with a generated rationale such as "+38.2% on last year (p<0.001, significant); harm rank 2 of 630; 1,234 crimes".
 * Unallocated remainders are not ranked (they are not places).
 */
final class Threat {
  private Threat() {}

  /** The trend class of a cell with no comparable earlier period. */
  static final String NO_COMPARISON = "no comparison";

  /** The trend classes the likelihood weights must name (ilp.assess.threat.likelihood). */
  static final java.util.List<String> CLASSES = java.util.List.of("significant-increase", "stable", "significant-decrease");

  static final UserDefinedFunction RATIONALE = udf(
      (UDF7<Double, String, Double, Boolean, Integer, Long, Long, String>) Threat::rationale, DataTypes.StringType);

  static Dataset<Row> assess(Dataset<Row> stats, AssessParams p) {
    AssessParams.ThreatWeights w = p.threat();
    Dataset<Row> d = stats.where(col("iccs_l2").isNotNull().and(not(col("area_code").endsWith(Cube.UNALLOCATED))));
    // a backfill assesses several periods in one run: each period's cells are ranked among themselves, as when
    // assessed alone (the percentiles, ranks and "harm rank k of n" of one month never depend on the others)
    WindowSpec lvl = Window.partitionBy("period_type", "period", "level");
    Column useYoy = col("yoy_count").isNotNull();
    d = d.withColumn("trend_basis", when(useYoy, lit("last year")).when(col("prev_count").isNotNull(),
            lit("previous period")))
        .withColumn("base_count", when(useYoy, col("yoy_count")).otherwise(col("prev_count")))
        .withColumn("change_pct", when(useYoy, col("yoy_change_pct")).otherwise(col("prev_change_pct")))
        .withColumn("change_p", when(useYoy, col("p_value_yoy")).otherwise(col("p_value_prev")))
        .withColumn("change_q", when(useYoy, col("q_value_yoy")).otherwise(col("q_value_prev")))
        .withColumn("change_significant", coalesce(col("change_q").leq(p.q()), lit(false)));
    Column up = col("count").gt(col("base_count"));
    Column down = col("count").lt(col("base_count"));
    d = d.withColumn("trend_class", when(col("base_count").isNull(), lit(NO_COMPARISON))
            .when(up.and(col("change_significant")), lit("significant-increase"))
            .when(down.and(col("change_significant")), lit("significant-decrease"))
            .otherwise(lit("stable")))
        .withColumn("harm_score", percent_rank().over(lvl.orderBy("harm")))
        .withColumn("volume_score", percent_rank().over(lvl.orderBy("count")))
        .withColumn("likelihood", mapLookup(w.likelihood(), when(col("trend_class").equalTo(NO_COMPARISON), lit("stable"))
            .otherwise(col("trend_class"))))
        .withColumn("confidence_factor", mapLookup(w.confidence(), col("confidence")))
        .withColumn("threat_score", col("harm_score").multiply(w.harm()).plus(col("volume_score").multiply(w.volume()))
            .multiply(col("likelihood")).multiply(col("confidence_factor")))
        .withColumn("harm_rank", rank().over(lvl.orderBy(col("harm").desc())))
        .withColumn("cells_in_level", count(lit(1)).over(lvl))
        .withColumn("threat_rank", row_number().over(lvl.orderBy(col("threat_score").desc(), col("harm").desc(),
            col("area_code"), col("iccs_l2"))));
    d = d.withColumn("rationale", RATIONALE.apply(col("change_pct"), col("trend_basis"), col("change_p"),
        col("change_significant"), col("harm_rank"), col("cells_in_level"), col("count")));
    return d.select(Tables.GOLD_THREAT_ASSESSMENT.selection());
  }

  private static Column mapLookup(Map<String, Double> m, Column key) {
    Column c = lit(null).cast("double");
    for (Map.Entry<String, Double> e : m.entrySet()) {
      c = when(key.equalTo(e.getKey()), lit(e.getValue())).otherwise(c);
    }
    return c;
  }

  /** "+38.2% on last year (p<0.001, significant); harm rank 2 of 630; 1,234 crimes". */
  static String rationale(Double changePct, String basis, Double p, Boolean significant, Integer harmRank, Long cells,
      Long count) {
    StringBuilder s = new StringBuilder();
    if (basis == null) {
      s.append("no earlier period to compare");
    } else if (changePct == null) {
      s.append(count != null && count > 0 ? "new since " : "none, as in ").append(basis);
    } else {
      s.append(String.format(Locale.ROOT, "%s%.1f%% on %s", changePct >= 0 ? "+" : "\u2212", Math.abs(changePct), basis));
    }
    if (p != null) {
      s.append(" (").append(formatP(p)).append(Boolean.TRUE.equals(significant) ? ", significant)" : ", not significant)");
    }
    if (harmRank != null) {
      s.append(String.format(Locale.ROOT, "; harm rank %d of %,d", harmRank, cells));
    }
    if (count != null) {
      s.append(String.format(Locale.ROOT, "; %,d crime%s", count, count == 1 ? "" : "s"));
    }
    return s.toString();
  }

  static String formatP(double p) {
    return p < 0.001 ? "p<0.001" : String.format(Locale.ROOT, "p=%.3f", p);
  }
}
