package org.ilp.common.targets;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.ilp.common.assess.Repeats;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Tables;

/**
 * Repeat victims: persons recorded as the victim of two or more police incidents in a window, their share of all
 * victimisation, and per area whether victimisation repeats on the same persons more than chance gives — the test of
 * {@link Repeats} (Poisson at the area's rate, binomial test of the victims hit, Benjamini–Hochberg q), with persons
 * as the targets. Each victim belongs to one area, where most of their victimisations lie (so areas add up to the
 * nation). The targets at risk of an area are the persons ever recorded as a victim there (any date): the
 * platform knows no resident population of persons, and, as for locations, a target never victimised cannot be told
 * from one that does not exist.
 */
public final class RepeatVictims {
  private RepeatVictims() {}

  /**
   * The result: {@code victims} (person_key, area_code, incidents, first_date, last_date, rank,
   * share_of_victimisation), {@code areas} (the per-area columns of {@link Repeats#areas}, level "area") and the
   * national totals.
   */
  public record Result(Dataset<Row> victims, Dataset<Row> areas, Repeats.Totals national) {
    /**
     * The rows of gold.repeat_victim_areas (window and run columns aside): the areas (level "area") and the national
     * row from {@link #national} (its p from the normal approximation, no q; exceeds_chance when p ≤ alpha).
     */
    public Dataset<Row> areaRows(double alpha) {
      StructType schema = Tables.GOLD_REPEAT_VICTIM_AREAS.fields(Tables.GOLD_REPEAT_VICTIM_AREAS.columns().stream()
          .filter(c -> !List.of("run_id", "period", "period_end").contains(c)).toArray(String[]::new));
      Repeats.Totals t = national;
      Dataset<Row> row = areas.sparkSession().createDataFrame(List.of(RowFactory.create("national", "national",
          t.targetsAtRisk(), t.targetsHit(), t.incidents(), t.repeatTargets(), t.repeatIncidents(),
          t.incidents() == 0 ? null : (double) t.repeatIncidents() / t.incidents(), t.expectedRepeatTargets(),
          t.incidents() - t.targetsHit(), t.expectedRepeats(),
          t.expectedRepeats() > 0 ? (t.incidents() - t.targetsHit()) / t.expectedRepeats() : null, t.pValue(), null,
          t.pValue() <= alpha)), schema);
      return areas.withColumnRenamed("targets_at_risk", "victims_at_risk").withColumnRenamed("targets_hit", "victims_hit")
          .withColumnRenamed("repeat_targets", "repeat_victims")
          .withColumnRenamed("expected_repeat_targets", "expected_repeat_victims").selectExpr(row.columns()).unionByName(row);
    }
  }

  /** {@code mentions}: silver.person_mentions rows (any date) with {@code area_code}; window [from, to]. */
  public static Result of(Dataset<Row> mentions, LocalDate from, LocalDate to, double alpha, Keep keep) {
    Dataset<Row> all = keep.apply(Mentions.incidents(mentions, "victim"));
    // each victim is one target of one area: where most of their victimisations (any date) lie, ties the smallest
    // code; a victim without a located incident is "unassigned" (so the areas add up to the nation)
    Dataset<Row> home = keep.apply(all.groupBy("person_key", "area_code").agg(count(lit(1)).as("_n"))
        .withColumn("_r", row_number().over(Window.partitionBy("person_key")
            .orderBy(col("_n").desc(), col("area_code").asc_nulls_last())))
        .where(col("_r").equalTo(1))
        .select(col("person_key"), coalesce(col("area_code"), lit("unassigned")).as("area_code")));
    Dataset<Row> atRisk = home.groupBy("area_code").agg(count(lit(1)).as("targets_at_risk"));
    Dataset<Row> window = all.where(Mentions.within(from, to));
    Dataset<Row> hit = keep.apply(window.groupBy("person_key").agg(count(lit(1)).as("incidents"),
        min("event_date").as("first_date"), max("event_date").as("last_date")).join(home, "person_key"));
    Dataset<Row> areas = keep.apply(Repeats.areas(hit.select(col("area_code"), col("person_key").as("target_key"),
        col("incidents").as("n")), atRisk, alpha).withColumn("level", lit("area")));
    Repeats.Totals national = Repeats.scope(areas);
    long total = national.incidents();
    Dataset<Row> victims = hit.where(col("incidents").geq(Repeats.REPEAT))
        .withColumn("rank", rank().over(Window.orderBy(col("incidents").desc())))
        .withColumn("share_of_victimisation", col("incidents").divide(lit((double) Math.max(total, 1))));
    return new Result(victims, areas, national);
  }
}
