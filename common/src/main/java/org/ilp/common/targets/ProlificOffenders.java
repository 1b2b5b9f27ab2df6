package org.ilp.common.targets;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Prolific offenders by recency, frequency and gravity (RFG), the matrix Integrated Offender Management uses to
 * select its cohort (Home Office &amp; Ministry of Justice, "Integrated Offender Management: key principles", 2015;
 * the RFG scoring of the Metropolitan Police's IOM matrix): the offenders who offend most recently, most often and
 * most harmfully.
 *
 * <p>For each offender (a suspect or arrestee of a police incident in the window, one offence per incident) and
 * scope (national, and each regional area for the offences in it):
 * <ul>
 *   <li><b>R</b>ecency: days from the latest offence to the window's last day;
 *   <li><b>F</b>requency: offences (distinct incidents);
 *   <li><b>G</b>ravity: the sum of the offences' harm weights (the harm index of {@code ilp.assess.harm-weights}, by
 *       ICCS level 2).
 * </ul>
 * Each component is scaled to 0..1 so the three share one scale whatever their units: {@code R = 1 − d / D} (d days
 * since the latest offence, D the window's days: 1 = on its last day), {@code F = f / max f} and {@code G = g / max g}
 * (the maxima of the scope's offenders), and {@code RFG = R + F + G} (0..3). Scaled by the maximum, not ranked: a
 * rank would put an offender of four offences level with one of fifteen whenever few offend more than once; nor fixed
 * bands, which suit one force's volumes and not another's. Every component stays visible in the output.
 */
public final class ProlificOffenders {
  private ProlificOffenders() {}

  /**
   * {@code mentions}: silver.person_mentions rows with {@code area_code}; {@code harm}: iccs_l2, weight. Returns the
   * top {@code top} of each scope: level, area_code, person_key, incidents, last_date, days_since_last, gravity,
   * recency_score, frequency_score, gravity_score, rfg_score, rank, offenders.
   */
  public static Dataset<Row> rank(Dataset<Row> mentions, Dataset<Row> harm, LocalDate from, LocalDate to, int top) {
    if (top < 1) {
      throw new IllegalArgumentException("top must be at least 1: " + top);
    }
    Dataset<Row> offences = Mentions.incidents(mentions.where(Mentions.within(from, to)), "suspect", "arrestee")
        .join(harm.select("iccs_l2", "weight"), new String[] {"iccs_l2"}, "left");
    Dataset<Row> scoped = offences.withColumn("level", lit("national")).withColumn("area_code", lit("national"))
        .unionByName(offences.where(col("area_code").isNotNull()).withColumn("level", lit("area")));
    Dataset<Row> per = scoped.groupBy("level", "area_code", "person_key").agg(count(lit(1)).as("incidents"),
            max("event_date").as("last_date"), coalesce(sum("weight"), lit(0.0)).as("gravity"))
        .withColumn("days_since_last", datediff(lit(Date.valueOf(to)), col("last_date")));
    WindowSpec scope = Window.partitionBy("level", "area_code");
    double days = java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
    return per
        .withColumn("recency_score", lit(1.0).minus(col("days_since_last").divide(lit(days))))
        .withColumn("frequency_score", col("incidents").divide(max("incidents").over(scope)))
        .withColumn("gravity_score", when(max("gravity").over(scope).gt(0),
            col("gravity").divide(max("gravity").over(scope))).otherwise(lit(0.0)))
        .withColumn("rfg_score", col("recency_score").plus(col("frequency_score")).plus(col("gravity_score")))
        .withColumn("rank", row_number().over(scope.orderBy(col("rfg_score").desc(), col("incidents").desc(),
            col("gravity").desc(), col("person_key"))))
        .withColumn("offenders", count(lit(1)).over(scope))
        .where(col("rank").leq(top));
  }
}
