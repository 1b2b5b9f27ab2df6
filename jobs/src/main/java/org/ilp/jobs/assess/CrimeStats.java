package org.ilp.jobs.assess;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.ilp.common.assess.Cube;
import org.ilp.common.stats.Fdr;
import org.ilp.common.stats.PoissonRateTest;
import org.ilp.common.table.Tables;

/**
 * gold.crime_stats of one period, a pure function of the cube: counts, comparisons with the previous
 * period and the same period last year (null, never 0, when the area sent no data then or fewer
 * agencies reported than now), exact Poisson rate tests ({@link PoissonRateTest}, R's poisson.test with
 * the periods' days as exposure), Benjamini–Hochberg q-values ({@link Fdr}), population and rates
 * (nearest population year), completeness and confidence.
 */
final class CrimeStats {
  private CrimeStats() {}

  static final UserDefinedFunction POISSON_P = udf((UDF4<Long, Integer, Long, Integer, Double>) (x1, t1, x2, t2) ->
      x1 == null || x2 == null || t1 == null || t2 == null ? null : PoissonRateTest.twoSidedP(x1, t1, x2, t2),
      DataTypes.DoubleType);

  /**
   * @param cube       the cube of the period type, holding at least the period, the previous one and last year's
   * @param agencies   {@link Cube#agencies} of the period type
   * @param population ref.population (area_code, year, population, source)
   * @param names      area_code → area_name; offence names ({@code Reference.offenceNames})
   */
  static Dataset<Row> of(Dataset<Row> cube, Dataset<Row> agencies, Dataset<Row> population, Dataset<Row> names,
      Dataset<Row> offenceNames, AssessParams p, String runId) {
    Date cur = Date.valueOf(p.period());
    Date prev = Date.valueOf(p.prev());
    Date yoy = Date.valueOf(p.yearAgo());
    // presence: did the area (national) or its regional parent (regional, local) send any data that period?
    Dataset<Row> totals = cube.where(col("iccs_l1").equalTo(Cube.ALL).and(col("level").notEqual("local")))
        .select(col("period").as("_pp"), col("area_code").as("_pa"));
    Column presenceArea = when(col("level").equalTo("local"), col("parent_code")).otherwise(col("area_code"));

    // the cells of this period, the previous one and last year's: the same rows whatever else the cube holds
    Dataset<Row> keyed = cube.where(col("period").isin(cur, prev, yoy)).withColumn("_cell", cellKey());
    Dataset<Row> keys = keyed.select(col("jurisdiction"), col("level"), col("area_code"), col("parent_code"),
        col("iccs_l1"), col("iccs_l2"), col("_cell")).dropDuplicates("_cell");
    Dataset<Row> c = keyed.where(col("period").equalTo(cur)).select(col("_cell"), col("count"), col("harm"), col("located"));
    Dataset<Row> pv = keyed.where(col("period").equalTo(prev)).select(col("_cell"), col("count").as("prev_count"));
    Dataset<Row> yv = keyed.where(col("period").equalTo(yoy)).select(col("_cell"), col("count").as("yoy_count"));
    Dataset<Row> d = keys.join(c, "_cell", "left").join(pv, "_cell", "left").join(yv, "_cell", "left").drop("_cell")
        .withColumn("_presence_area", presenceArea);
    d = present(d, totals, cur, "_has_cur");
    d = present(d, totals, prev, "_has_prev");
    d = present(d, totals, yoy, "_has_yoy");
    // a comparison period counts only with the same coverage: at least as many reporting agencies as
    // now (one force's data is not "England and Wales last year"); otherwise it is a gap (null)
    d = agencyCount(d, agencies, cur, "_ag_cur");
    d = agencyCount(d, agencies, prev, "_ag_prev");
    d = agencyCount(d, agencies, yoy, "_ag_yoy");
    Column agNow = coalesce(col("_ag_cur"), lit(0L));
    d = d.withColumn("_has_prev", col("_has_prev").and(coalesce(col("_ag_prev"), lit(0L)).geq(agNow)))
        .withColumn("_has_yoy", col("_has_yoy").and(coalesce(col("_ag_yoy"), lit(0L)).geq(agNow)))
        .drop("_ag_cur", "_ag_prev", "_ag_yoy");
    int days = p.type().days(p.period());
    int prevDays = p.type().days(p.prev());
    int yoyDays = p.type().days(p.yearAgo());
    d = d.where(col("_has_cur"))
        .withColumn("count", coalesce(col("count"), lit(0L)))
        .withColumn("harm", coalesce(col("harm"), lit(0.0)))
        .withColumn("prev_count", when(col("_has_prev"), coalesce(col("prev_count"), lit(0L))))
        .withColumn("yoy_count", when(col("_has_yoy"), coalesce(col("yoy_count"), lit(0L))))
        .withColumn("period_type", lit(p.type().label()))
        .withColumn("period", lit(cur))
        .withColumn("period_days", lit(days))
        .withColumn("prev_period", lit(prev))
        .withColumn("yoy_period", lit(yoy))
        .withColumn("prev_change", col("count").minus(col("prev_count")))
        .withColumn("prev_change_pct", pct(col("count"), col("prev_count")))
        .withColumn("yoy_change", col("count").minus(col("yoy_count")))
        .withColumn("yoy_change_pct", pct(col("count"), col("yoy_count")))
        .withColumn("p_value_prev", POISSON_P.apply(col("count"), lit(days), col("prev_count"), lit(prevDays)))
        .withColumn("p_value_yoy", POISSON_P.apply(col("count"), lit(days), col("yoy_count"), lit(yoyDays)));
    List<String> family = "level".equals(p.fdrFamily()) ? List.of("level") : List.of();
    d = Fdr.bh(d, "p_value_prev", "q_value_prev", family, "level", "area_code", "iccs_l1", "iccs_l2");
    d = Fdr.bh(d, "p_value_yoy", "q_value_yoy", family, "level", "area_code", "iccs_l1", "iccs_l2");
    d = d.withColumn("significant_prev", col("q_value_prev").leq(p.q()))
        .withColumn("significant_yoy", col("q_value_yoy").leq(p.q()))
        .withColumn("significant", coalesce(col("significant_yoy"), col("significant_prev")));
    d = withPopulation(d, population, p.period().getYear());
    d = withConfidence(d, agencies, cur);
    d = withNames(d.withColumn("run_id", lit(runId)), names, offenceNames);
    return d.select(Tables.GOLD_CRIME_STATS.selection());
  }

  /** Change in %, null without a (positive) base. */
  static Column pct(Column now, Column base) {
    return when(base.gt(0), now.minus(base).multiply(100.0).divide(base));
  }

  /** Population of the nearest available year (the earlier on a tie), rates per 100k and harm per 1,000. */
  static Dataset<Row> withPopulation(Dataset<Row> d, Dataset<Row> population, int year) {
    Dataset<Row> pop = population
        .withColumn("_rk", row_number().over(Window.partitionBy("area_code")
            .orderBy(abs(col("year").minus(year)), col("year"), col("source"))))
        .where(col("_rk").equalTo(1))
        .select(col("area_code").as("_pop_code"), col("population"), col("year").as("population_year"),
            col("source").as("population_source"));
    return d.join(broadcast(pop), col("area_code").equalTo(col("_pop_code")), "left").drop("_pop_code")
        .withColumn("rate_per_100k", col("count").multiply(100000.0).divide(col("population")))
        .withColumn("harm_per_1000", col("harm").multiply(1000.0).divide(col("population")));
  }

  /** Completeness (located share of the area's crimes), agencies and confidence (high | medium | low). */
  static Dataset<Row> withConfidence(Dataset<Row> d, Dataset<Row> agencies, Date cur) {
    WindowSpec areaW = Window.partitionBy("level", "area_code");
    d = d.withColumn("_area_total", max(when(col("iccs_l1").equalTo(Cube.ALL), col("count"))).over(areaW))
        .withColumn("_area_located", max(when(col("iccs_l1").equalTo(Cube.ALL), col("located"))).over(areaW))
        .withColumn("completeness", when(col("_area_total").gt(0), col("_area_located").divide(col("_area_total"))));
    Dataset<Row> ag = agencies.where(col("period").equalTo(cur))
        .select(col("area_code").as("_ag_area"), col("agencies_reported"), col("agencies_expected"));
    d = d.join(broadcast(ag), col("_presence_area").equalTo(col("_ag_area")), "left").drop("_ag_area");
    Column low = col("completeness").lt(0.8).or(col("agencies_reported").lt(col("agencies_expected")))
        .or(col("count").lt(5));
    Column high = col("completeness").geq(0.95).and(col("count").geq(20));
    return d.withColumn("confidence", when(low, lit("low")).when(high, lit("high")).otherwise(lit("medium")));
  }

  /** Adds area_name (ref.areas, or "Not allocated to a ... area (parent)" for remainders) and offence names. */
  static Dataset<Row> withNames(Dataset<Row> d, Dataset<Row> names, Dataset<Row> offenceNames) {
    Dataset<Row> parentNames = names.select(col("area_code").as("_pn_code"), col("area_name").as("_pn_name"));
    Column unalloc = col("area_code").endsWith(Cube.UNALLOCATED);
    Column parentOfUnalloc = regexp_replace(col("area_code"), "#unallocated$", "");
    return d.join(broadcast(names.select("area_code", "area_name")), new String[] {"area_code"}, "left")
        .join(broadcast(parentNames), parentOfUnalloc.equalTo(col("_pn_code")), "left")
        .withColumn("area_name", when(unalloc, concat(lit("Not allocated to a "), col("level"),
                lit(" area ("), coalesce(col("_pn_name"), parentOfUnalloc), lit(")")))
            .otherwise(coalesce(col("area_name"), col("area_code"))))
        .drop("_pn_code", "_pn_name")
        .join(broadcast(offenceNames), col("iccs_l2").eqNullSafe(col("_tx_l2")).and(col("iccs_l1").equalTo(col("_tx_l1"))),
            "left")
        .drop("_tx_l1", "_tx_l2");
  }

  /** A null-safe string key of a cube cell (jurisdiction, level, area, parent, offence node). */
  static Column cellKey() {
    return concat_ws("|", col("jurisdiction"), col("level"), col("area_code"), coalesce(col("parent_code"), lit("")),
        col("iccs_l1"), coalesce(col("iccs_l2"), lit("")));
  }

  private static Dataset<Row> agencyCount(Dataset<Row> d, Dataset<Row> agencies, Date period, String name) {
    Dataset<Row> a = agencies.where(col("period").equalTo(period))
        .select(col("area_code").as(name + "_a"), col("agencies_reported").cast("long").as(name));
    return d.join(broadcast(a), col("_presence_area").equalTo(col(name + "_a")), "left").drop(name + "_a");
  }

  private static Dataset<Row> present(Dataset<Row> d, Dataset<Row> totals, Date period, String flag) {
    Dataset<Row> t = totals.where(col("_pp").equalTo(period)).select(col("_pa").as(flag + "_a")).distinct();
    return d.join(broadcast(t), col("_presence_area").equalTo(col(flag + "_a")), "left")
        .withColumn(flag, col(flag + "_a").isNotNull()).drop(flag + "_a");
  }
}
