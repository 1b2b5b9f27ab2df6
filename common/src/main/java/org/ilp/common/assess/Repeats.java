package org.ilp.common.assess;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.ilp.common.spark.Aggregates;
import org.ilp.common.stats.Fdr;
import org.ilp.common.stats.RepeatExpectation;

/**
 * Repeat targets (locations now; victims when persons exist): the targets hit at least twice in a window, the
 * share of incidents they account for, and — per area — whether crime repeats on the same targets more than chance
 * gives ({@link RepeatExpectation}: Poisson counts at the area's rate, a one-sided binomial test of the targets hit,
 * Benjamini–Hochberg q over the areas of one run).
 *
 * <p>Inputs: {@code counts} — one row per target hit in the window: {@code area_code} (the target's area),
 * {@code target_key}, {@code n} (its incidents); {@code atRisk} — {@code area_code, targets_at_risk}, the targets
 * known in each area (at least those of the window).
 */
public final class Repeats {
  /** A target is a repeat target with this many incidents or more. */
  public static final int REPEAT = 2;

  private Repeats() {}

  /**
   * Per area: area_code, targets_at_risk (L), targets_hit (H), incidents (n), repeat_targets, repeat_incidents (at
   * repeat targets), repeat_share (repeat_incidents / n), expected_repeat_targets, repeats (n − H: incidents beyond
   * each target's first), expected_repeats, excess_ratio (repeats / expected_repeats), p_value (of H or fewer targets
   * hit), q_value and exceeds_chance (q ≤ {@code alpha} — only then is an area said to have more repeats than chance).
   */
  public static Dataset<Row> areas(Dataset<Row> counts, Dataset<Row> atRisk, double alpha) {
    Dataset<Row> perArea = counts.groupBy("area_code").agg(
        count(lit(1)).as("targets_hit"), sum("n").as("incidents"),
        count(when(col("n").geq(REPEAT), 1)).as("repeat_targets"),
        coalesce(sum(when(col("n").geq(REPEAT), col("n"))), lit(0L)).as("repeat_incidents"));
    UserDefinedFunction expectedRepeatTargets = udf((UDF2<Long, Long, Double>) RepeatExpectation::expectedRepeatTargets,
        DataTypes.DoubleType);
    UserDefinedFunction expectedRepeats = udf((UDF2<Long, Long, Double>) RepeatExpectation::expectedRepeatIncidents,
        DataTypes.DoubleType);
    UserDefinedFunction p = udf((UDF3<Long, Long, Long, Double>) RepeatExpectation::pValue, DataTypes.DoubleType);
    Column l = col("targets_at_risk");
    Dataset<Row> a = perArea.join(atRisk, "area_code")
        .withColumn("repeat_share", col("repeat_incidents").divide(col("incidents")))
        .withColumn("expected_repeat_targets", expectedRepeatTargets.apply(l, col("incidents")))
        .withColumn("repeats", col("incidents").minus(col("targets_hit")))
        .withColumn("expected_repeats", expectedRepeats.apply(l, col("incidents")))
        .withColumn("excess_ratio", when(col("expected_repeats").gt(0), col("repeats").divide(col("expected_repeats"))))
        .withColumn("p_value", p.apply(l, col("incidents"), col("targets_hit")));
    return Fdr.bh(a, "p_value", "q_value", List.of(), "area_code")
        .withColumn("exceeds_chance", col("q_value").leq(alpha));
  }

  /** A scope's totals over its areas (see {@link #scope}). */
  public record Totals(long targetsAtRisk, long targetsHit, long incidents, long repeatTargets, long repeatIncidents,
      double expectedRepeatTargets, double expectedRepeats, double variance, double pValue, long areasExceeding) {}

  /**
   * The whole scope from its areas: sums of the counts and of the areas' expectations, and the p-value of the total
   * number of targets hit by the normal approximation to a sum of independent binomials (Lyapunov's central limit
   * theorem; variance Σ L h (1 − h), h = 1 − e^(−λ) of each area; continuity-corrected):
   * {@code p = Φ((H + ½ − E[H]) / √V)}. The areas' own rates are kept: pooling them into one λ would count the
   * contrast between busy and quiet areas as repetition.
   */
  public static Totals scope(Dataset<Row> areas) {
    Dataset<Row> h = areas.withColumn("_eh", col("incidents").minus(col("expected_repeats")))
        .withColumn("_h", col("_eh").divide(col("targets_at_risk")));
    // the doubles summed in a fixed order: the same bits however the areas are partitioned
    Row s = h.agg(sum("targets_at_risk"), sum("targets_hit"), sum("incidents"), sum("repeat_targets"),
            sum("repeat_incidents"), Aggregates.fixedOrderSum(col("expected_repeat_targets")),
            Aggregates.fixedOrderSum(col("expected_repeats")), Aggregates.fixedOrderSum(col("_eh")),
            Aggregates.fixedOrderSum(col("targets_at_risk").multiply(col("_h")).multiply(lit(1).minus(col("_h")))),
            count(when(col("exceeds_chance"), 1)))
        .head();
    if (s.isNullAt(0)) {
      return new Totals(0, 0, 0, 0, 0, 0, 0, 0, 1.0, 0);
    }
    long hit = s.getLong(1);
    double v = s.getDouble(8);
    return new Totals(s.getLong(0), hit, s.getLong(2), s.getLong(3), s.getLong(4), s.getDouble(5), s.getDouble(6), v,
        scopePValue(hit, s.getDouble(7), v), s.getLong(9));
  }

  /** {@code Φ((H + ½ − E[H]) / √V)}; 1 when nothing can vary (V = 0: every area's h is 0 or 1, so H = E[H]). */
  public static double scopePValue(long hit, double expectedHit, double variance) {
    if (!(variance > 0)) {
      return 1.0;
    }
    return new NormalDistribution(null, 0, 1).cumulativeProbability((hit + 0.5 - expectedHit) / Math.sqrt(variance));
  }
}
