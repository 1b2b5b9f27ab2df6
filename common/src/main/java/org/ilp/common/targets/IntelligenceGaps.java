package org.ilp.common.targets;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Intelligence gaps (NIM: the strategic assessment's "intelligence requirement"): per regional area and ICCS
 * section, the harm and volume of recorded crime against the intelligence reports held on it and their grading. A
 * cell's gap is its share of all harm minus its share of all reports, {@code gap = h / Σh − r / Σr}: positive where
 * crime does more harm than the intelligence on it would suggest; ranked from the largest gap (the high-harm,
 * low-intelligence cells first). A report is reliable when its 3×5×2 source evaluation is 1 and its intelligence
 * assessment A or B (College of Policing APP, intelligence management).
 */
public final class IntelligenceGaps {
  private IntelligenceGaps() {}

  /**
   * {@code counts}: gold.crime_counts rows (source_area_code: the recording force or district, iccs_l1, iccs_l2,
   * period_month, incidents); {@code harm}: iccs_l2, weight; {@code mentions}: silver.person_mentions rows with
   * {@code area_code} and iccs_l1. Window [from, to]. Returns area_code, iccs_l1, crimes, harm, harm_share,
   * reports, reliable_reports, report_share, gap, rank.
   */
  public static Dataset<Row> of(Dataset<Row> counts, Dataset<Row> harm, Dataset<Row> mentions, LocalDate from,
      LocalDate to) {
    Dataset<Row> crime = counts.where(col("period_month").between(lit(Date.valueOf(from.withDayOfMonth(1))),
            lit(Date.valueOf(to))).and(col("source_area_code").isNotNull()))
        .join(harm.select("iccs_l2", "weight"), new String[] {"iccs_l2"}, "left")
        .groupBy(col("source_area_code").as("area_code"), col("iccs_l1")).agg(sum("incidents").as("crimes"),
            coalesce(sum(col("incidents").multiply(col("weight"))), lit(0.0)).as("harm"));
    Column reliable = col("source_evaluation").equalTo(1).and(col("intelligence_assessment").isin("A", "B"));
    Dataset<Row> intel = mentions.where(col("source").equalTo(Mentions.INTELLIGENCE).and(Mentions.within(from, to))
            .and(col("area_code").isNotNull()).and(col("iccs_l1").isNotNull()))
        .groupBy("record_id").agg(min("area_code").as("area_code"), min("iccs_l1").as("iccs_l1"),
            max(when(reliable, 1).otherwise(0)).as("_reliable"))
        .groupBy("area_code", "iccs_l1").agg(count(lit(1)).as("reports"), sum("_reliable").as("reliable_reports"));
    return crime.join(intel, new String[] {"area_code", "iccs_l1"}, "full")
        .withColumn("crimes", coalesce(col("crimes"), lit(0L))).withColumn("harm", coalesce(col("harm"), lit(0.0)))
        .withColumn("reports", coalesce(col("reports"), lit(0L)))
        .withColumn("reliable_reports", coalesce(col("reliable_reports"), lit(0L)))
        .withColumn("harm_share", when(sum("harm").over(Window.partitionBy()).gt(0),
            col("harm").divide(sum("harm").over(Window.partitionBy()))).otherwise(lit(0.0)))
        .withColumn("report_share", when(sum("reports").over(Window.partitionBy()).gt(0),
            col("reports").divide(sum("reports").over(Window.partitionBy()))).otherwise(lit(0.0)))
        .withColumn("gap", col("harm_share").minus(col("report_share")))
        .withColumn("rank", row_number().over(Window.orderBy(col("gap").desc(), col("harm").desc(), col("area_code"),
            col("iccs_l1"))));
  }
}
