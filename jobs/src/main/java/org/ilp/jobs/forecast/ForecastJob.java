package org.ilp.jobs.forecast;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spatial.Grid;
import org.ilp.common.spatial.SelfExciting;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * Prospective forecasts per grid cell, evaluated on every run by backtests.
 *
 * <p>For each as-of date (the given one and the {@code backtests} months before it) and each cell, a
 * predicted intensity for [as-of, as-of + horizon) from
 * <ol>
 *   <li><b>naive</b>: the count in the last horizon before as-of;</li>
 *   <li><b>kde</b>: quartic kernel density of the last 3 months (bandwidth ilp.hotspots.kde-bandwidth-m);</li>
 *   <li><b>prospective</b>: Bowers, Johnson &amp; Pease (2004): Σ 1/(1 + d/cell)·1/(1 + t_weeks) over
 *       events within 400 m and 8 weeks ({@link org.ilp.common.spatial.Prospective});</li>
 *   <li><b>sepp</b>: a self-exciting point process per cell (Mohler 2014/2015; λ_n(t) = μ_n +
 *       Σ θω e^{−ω(t − t_i)}), fitted by EM on the last 365 days, expected count over the horizon
 *       ({@link SelfExciting}) — dated sources only.</li>
 * </ol>
 * and the evaluation of each as-of against what happened: for coverage 1%, 5%, 10% of the cells, the
 * hit rate, PAI = hit rate / area share (Chainey, Tompson &amp; Uhlig 2008) and PEI = PAI / the PAI of
 * the best possible selection of as many cells (Hunt 2016). Ties in the score are broken by cell id.
 *
 * <p><b>Outputs:</b> gold.forecasts (scores of the latest as-of) and gold.forecast_evaluation (one row
 * per as-of × method × coverage); re-running the same scope, offence, horizon and as-of replaces them.
 */
public final class ForecastJob {
  public static final String JOB = "forecast";
  public static final String FORECASTS = "gold.forecasts";
  public static final String EVALUATION = "gold.forecast_evaluation";
  static final double[] COVERAGES = {0.01, 0.05, 0.10};

  private ForecastJob() {}

  public record Params(LocalDate asOf, String horizon, String scope, String offence, double cellM, int backtests,
      double kdeBandwidthM) {
    public Params {
      if (!List.of("1w", "1m").contains(horizon)) {
        throw new IllegalArgumentException("--horizon must be 1w or 1m: " + horizon);
      }
      if (backtests < 0 || backtests > 60) {
        throw new IllegalArgumentException("--backtests must be in 0..60");
      }
      if (offence != null && !offence.matches("\\d{2}|\\d{4}")) {
        throw new IllegalArgumentException("--offence must be an ICCS level-1 or level-2 code: " + offence);
      }
    }

    LocalDate end(LocalDate from) {
      return "1w".equals(horizon) ? from.plusWeeks(1) : from.plusMonths(1);
    }

    LocalDate start(LocalDate to) {
      return "1w".equals(horizon) ? to.minusWeeks(1) : to.minusMonths(1);
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("as_of", asOf.toString());
      m.put("horizon", horizon);
      m.put("scope", scope);
      m.put("offence", offence == null ? "all" : offence);
      m.put("cell_m", String.valueOf(cellM));
      m.put("backtests", String.valueOf(backtests));
      return m;
    }
  }

  public static JobResult run(JobContext ctx, Params p) {
    Instant start = Instant.now();
    SparkSession spark = ctx.spark();
    var hc = ctx.config().raw().getConfig("ilp.hotspots");
    ctx.stages(3);
    ctx.stage("grid", p.cellM() + " m grid over " + p.scope());
    var sc = org.ilp.jobs.hotspots.HotspotsJob.scopeOf(spark, hc, p.scope());
    Grid grid = new Grid(sc.crs(), sc.unitM(), p.cellM());
    Dataset<Row> cells = grid.cells(spark, sc.polygons()).persist(StorageLevel.MEMORY_AND_DISK());
    long n = cells.count();
    Column jur = org.ilp.common.assess.Cube.jurisdictionOf();
    Dataset<Row> inc = spark.table(Tables.SILVER_INCIDENTS).where(col("is_crime").and(col("geom").isNotNull()))
        .where(jur.equalTo(sc.jurisdiction()));
    if (p.offence() != null) {
      inc = inc.where(p.offence().length() == 2 ? col("iccs_l1").equalTo(p.offence()) : col("iccs_l2").equalTo(p.offence()));
    }
    String tz = "chicago".equals(sc.jurisdiction()) ? "America/Chicago" : "Europe/London";
    Dataset<Row> pts = grid.assign(inc.select(
            coalesce(to_date(from_utc_timestamp(col("occurred_at"), tz)), col("period_month")).as("day"),
            col("time_precision"), grid.projected(col("geom")).as("_pg"))
        .withColumn("x", expr("ST_X(_pg)")).withColumn("y", expr("ST_Y(_pg)")).drop("_pg"), "x", "y")
        .join(cells.select("cell_id"), "cell_id")
        .persist(StorageLevel.MEMORY_AND_DISK());
    boolean dated = pts.where(col("time_precision").notEqual("month")).limit(1).count() > 0;
    ctx.stageDone("cells; incidents " + pts.count() + (dated ? " (dated)" : " (months only: no prospective/sepp)"), n);

    ctx.stage("backtests", (p.backtests() + 1) + " as-of dates × methods");
    List<Dataset<Row>> evals = new ArrayList<>();
    Dataset<Row> latest = null;
    for (int b = p.backtests(); b >= 0; b--) {
      LocalDate asOf = "1w".equals(p.horizon()) ? p.asOf().minusWeeks(b) : p.asOf().minusMonths(b);
      Dataset<Row> scores = scores(spark, cells, pts, grid, p, asOf, dated);
      Dataset<Row> actual = pts.where(col("day").geq(Date.valueOf(asOf)).and(col("day").lt(Date.valueOf(p.end(asOf)))))
          .groupBy("cell_id").agg(count(lit(1)).as("actual"));
      Dataset<Row> joined = scores.join(actual, new String[] {"cell_id"}, "left")
          .withColumn("actual", coalesce(col("actual"), lit(0L))).persist(StorageLevel.MEMORY_AND_DISK());
      evals.add(evaluate(joined, n, asOf));
      if (b == 0) {
        latest = joined.withColumn("as_of", lit(Date.valueOf(asOf)));
      } else {
        joined.unpersist();
      }
    }
    Dataset<Row> eval = evals.get(0);
    for (int i = 1; i < evals.size(); i++) {
      eval = eval.unionByName(evals.get(i));
    }
    String runId = ctx.runId();
    eval = eval.withColumn("run_id", lit(runId)).withColumn("scope", lit(p.scope()))
        .withColumn("offence", lit(p.offence() == null ? "all" : p.offence())).withColumn("horizon", lit(p.horizon()))
        .withColumn("cell_size_m", lit(p.cellM())).persist(StorageLevel.MEMORY_AND_DISK());
    long nEval = eval.count();
    ctx.stageDone("evaluation rows", nEval);

    ctx.stage("write", FORECASTS + " and " + EVALUATION);
    String where = "scope = '" + p.scope() + "' AND offence = '" + (p.offence() == null ? "all" : p.offence())
        + "' AND horizon = '" + p.horizon() + "' AND cell_size_m = " + p.cellM();
    Delta.replace(spark, eval.select("run_id", "scope", "offence", "horizon", "cell_size_m", "as_of", "method", "coverage",
            "cells_selected", "hits", "total_events", "hit_rate", "pai", "pei"), EVALUATION,
        List.of("scope", "offence", "horizon", "cell_size_m", "as_of", "method", "coverage"),
        where + " AND as_of BETWEEN DATE'" + ("1w".equals(p.horizon()) ? p.asOf().minusWeeks(p.backtests())
            : p.asOf().minusMonths(p.backtests())) + "' AND DATE'" + p.asOf() + "'");
    Dataset<Row> fc = latest.withColumn("run_id", lit(runId)).withColumn("scope", lit(p.scope()))
        .withColumn("offence", lit(p.offence() == null ? "all" : p.offence())).withColumn("horizon", lit(p.horizon()))
        .withColumn("cell_size_m", lit(p.cellM())).withColumn("crs", lit(grid.crs))
        .select("run_id", "scope", "offence", "horizon", "cell_size_m", "as_of", "cell_id", "cell_x", "cell_y", "crs",
            "naive", "kde", "prospective", "sepp", "actual");
    Delta.replace(spark, fc, FORECASTS, List.of("scope", "offence", "horizon", "cell_size_m", "as_of", "cell_id"),
        where + " AND as_of = DATE'" + p.asOf() + "'");
    StringBuilder summary = new StringBuilder(String.format("%s %s %s, %d backtests: PAI at 5%% coverage (mean):",
        p.scope(), p.offence() == null ? "all crime" : p.offence(), p.horizon(), p.backtests() + 1));
    for (Row r : eval.where(col("coverage").equalTo(0.05)).groupBy("method").agg(avg("pai"))
        .orderBy(col("avg(pai)").desc()).collectAsList()) {
      summary.append(String.format(" %s %.2f", r.getString(0), r.isNullAt(1) ? Double.NaN : r.getDouble(1)));
    }
    ctx.stageDone("rows written", nEval + n);
    for (Dataset<Row> d : List.of(cells, pts, eval, latest)) {
      d.unpersist();
    }
    return new JobResult(JOB, runId, "succeeded", Map.of(Tables.SILVER_INCIDENTS, n), Map.of(EVALUATION, nEval, FORECASTS, n),
        0L, Map.of(Tables.SILVER_INCIDENTS, Delta.version(spark, Tables.SILVER_INCIDENTS)),
        Map.of(EVALUATION, Delta.version(spark, EVALUATION), FORECASTS, Delta.version(spark, FORECASTS)),
        Duration.between(start, Instant.now()), summary.toString());
  }

  /** Scores of the four methods for every cell at one as-of date. */
  static Dataset<Row> scores(SparkSession spark, Dataset<Row> cells, Dataset<Row> pts, Grid grid, Params p, LocalDate asOf,
      boolean dated) {
    Date a = Date.valueOf(asOf);
    Dataset<Row> naive = pts.where(col("day").geq(Date.valueOf(p.start(asOf))).and(col("day").lt(a)))
        .groupBy("cell_id").agg(count(lit(1)).cast("double").as("naive"));
    Dataset<Row> recent = pts.where(col("day").geq(Date.valueOf(asOf.minusMonths(3))).and(col("day").lt(a)));
    Dataset<Row> kde = org.ilp.jobs.hotspots.HotspotsJob.kde(cells, recent, grid, p.kdeBandwidthM())
        .select(col("cell_id"), col("density_per_km2").as("kde"));
    Dataset<Row> d = cells.join(naive, new String[] {"cell_id"}, "left").join(kde, new String[] {"cell_id"}, "left");
    if (dated) {
      d = d.join(prospective(pts, grid, asOf), new String[] {"cell_id"}, "left")
          .join(sepp(spark, pts, asOf, p), new String[] {"cell_id"}, "left");
    } else {
      d = d.withColumn("prospective", lit(null).cast("double")).withColumn("sepp", lit(null).cast("double"));
    }
    return d.withColumn("naive", coalesce(col("naive"), lit(0.0))).withColumn("kde", coalesce(col("kde"), lit(0.0)))
        .withColumn("prospective", dated ? coalesce(col("prospective"), lit(0.0)) : col("prospective"))
        .withColumn("sepp", col("sepp"));
  }

  /** Bowers, Johnson & Pease (2004) risk: events within 400 m and 8 weeks before as-of. */
  static Dataset<Row> prospective(Dataset<Row> pts, Grid grid, LocalDate asOf) {
    double c = grid.cellUnits();
    double band = 400.0 / grid.unitM;
    int r = (int) Math.ceil(band / c) + 1;
    Dataset<Row> off = pts.sparkSession().range(-r, r + 1).toDF("dx").crossJoin(pts.sparkSession().range(-r, r + 1).toDF("dy"));
    Date a = Date.valueOf(asOf);
    return pts.where(col("day").geq(Date.valueOf(asOf.minusDays(56))).and(col("day").lt(a)))
        .select(col("x"), col("y"), col("ix"), col("iy"), floor(datediff(lit(a), col("day")).divide(7)).as("weeks"))
        .crossJoin(broadcast(off))
        .withColumn("tx", col("ix").plus(col("dx"))).withColumn("ty", col("iy").plus(col("dy")))
        .withColumn("d", sqrt(pow(col("tx").plus(0.5).multiply(c).minus(col("x")), 2)
            .plus(pow(col("ty").plus(0.5).multiply(c).minus(col("y")), 2))))
        .where(col("d").leq(band))
        .withColumn("w", lit(1.0).divide(lit(1.0).plus(col("d").divide(c))).divide(lit(1.0).plus(col("weeks"))))
        .groupBy(col("tx").multiply(10_000_000L).plus(col("ty")).as("cell_id")).agg(sum("w").as("prospective"));
  }

  /**
   * Self-exciting point process per cell fitted by EM on the 365 days before as-of; the event times
   * of the cells with events (days) are gathered in one task — the fit shares θ and ω over all cells.
   */
  static Dataset<Row> sepp(SparkSession spark, Dataset<Row> pts, LocalDate asOf, Params p) {
    LocalDate from = asOf.minusDays(365);
    List<Row> rows = pts.where(col("day").geq(Date.valueOf(from)).and(col("day").lt(Date.valueOf(asOf))))
        .groupBy("cell_id").agg(sort_array(collect_list(datediff(col("day"), lit(Date.valueOf(from))).cast("double")))
            .as("t")).collectAsList();
    List<Long> ids = new ArrayList<>();
    double[][] times = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      ids.add(rows.get(i).getLong(0));
      List<Double> t = rows.get(i).getList(1);
      times[i] = new double[t.size()];
      for (int j = 0; j < t.size(); j++) {
        times[i][j] = t.get(j) + 0.5; // mid-day: days are the resolution
      }
    }
    List<Row> out = new ArrayList<>();
    if (!ids.isEmpty()) {
      SelfExciting.Fit fit = SelfExciting.fit(times, 365.0, 100, 1e-5);
      double h = ChronoUnit.DAYS.between(asOf, p.end(asOf));
      for (int i = 0; i < ids.size(); i++) {
        out.add(RowFactory.create(ids.get(i), SelfExciting.expectedCount(fit, i, times[i], 365.0, h)));
      }
    }
    StructType s = new StructType().add("cell_id", DataTypes.LongType).add("sepp", DataTypes.DoubleType);
    return spark.createDataFrame(out, s);
  }

  /** Hit rate, PAI and PEI of each method at each coverage (ranking by score, ties by cell id). */
  static Dataset<Row> evaluate(Dataset<Row> joined, long n, LocalDate asOf) {
    long total = joined.agg(sum("actual")).head().getLong(0);
    List<Dataset<Row>> parts = new ArrayList<>();
    Dataset<Row> best = joined.withColumn("_r", row_number().over(Window.orderBy(col("actual").desc(), col("cell_id"))));
    for (String m : List.of("naive", "kde", "prospective", "sepp")) {
      Dataset<Row> ranked = joined.where(col(m).isNotNull())
          .withColumn("_r", row_number().over(Window.orderBy(col(m).desc(), col("cell_id"))));
      for (double cov : COVERAGES) {
        long k = (long) Math.ceil(cov * n - 1e-9);
        Dataset<Row> sel = ranked.where(col("_r").leq(k)).agg(sum("actual").as("hits"), count(lit(1)).as("cells"));
        Dataset<Row> opt = best.where(col("_r").leq(k)).agg(sum("actual").as("best_hits"));
        parts.add(sel.crossJoin(opt).select(lit(Date.valueOf(asOf)).as("as_of"), lit(m).as("method"), lit(cov).as("coverage"),
            col("cells").as("cells_selected"), coalesce(col("hits"), lit(0L)).as("hits"), lit(total).as("total_events"),
            col("best_hits")));
      }
    }
    Dataset<Row> e = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      e = e.unionByName(parts.get(i));
    }
    Column share = col("cells_selected").divide(lit((double) n));
    return e.withColumn("hit_rate", when(col("total_events").gt(0), col("hits").divide(col("total_events"))))
        .withColumn("pai", when(col("total_events").gt(0).and(col("cells_selected").gt(0)), col("hit_rate").divide(share)))
        .withColumn("pei", when(col("best_hits").gt(0), col("hits").divide(col("best_hits"))))
        .where(col("cells_selected").gt(0)).drop("best_hits");
  }
}
