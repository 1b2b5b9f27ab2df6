package org.ilp.jobs.forecast;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.ref.Reference;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.spatial.DistributedSelfExciting;
import org.ilp.common.spatial.ForecastEvaluation;
import org.ilp.common.spatial.GisExports;
import org.ilp.common.spatial.Grid;
import org.ilp.common.spatial.Kde;
import org.ilp.common.spatial.Prospective;
import org.ilp.common.spatial.SelfExciting;
import org.ilp.common.spatial.StudyArea;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Prospective forecasts per grid cell, evaluated on every run by backtests.
 *
 * <p>For each as-of date (the given one and the {@code backtests} horizons before it) and each cell,
 * a score for [as-of, as-of + horizon) from
 * <ol>
 *   <li><b>naive</b>: the count in the last horizon before as-of;</li>
 *   <li><b>kde</b>: quartic kernel density of the last 3 months ({@link Kde#surface});</li>
 *   <li><b>prospective</b>: Bowers, Johnson &amp; Pease (2004), 400 m and 8 weeks ({@link Prospective#risk});</li>
 *   <li><b>sepp</b>: a self-exciting point process per cell (Mohler 2014/2015), fitted by EM on the last
 *       365 days ({@link SelfExciting}) — dated sources only. The fit shares θ and ω over all cells, so
 *       the event times of the year are gathered to the driver (documented limit).</li>
 * </ol>
 * Each as-of is evaluated against what happened by {@link ForecastEvaluation}: hit rate, PAI (Chainey,
 * Tompson &amp; Uhlig 2008) and PEI (Hunt 2016) at 1%, 5% and 10% coverage, ties broken by cell id.
 *
 * <p><b>Inputs:</b> silver.incidents, ref.areas. <b>Outputs:</b> gold.forecasts (scores of every as-of: the latest is
 * the forecast — a window after the data when as-of is, as {@code ilp run} asks, the month after the last complete
 * one: its {@code actual} stays 0 and its evaluation null — the earlier ones the backtests), the latest one's GIS layer ({@code <warehouse>/exports/forecasts/<scope>_<as-of>_<horizon>_<offence>_<cell>m/forecast}
 * {@code .geojson} and {@code .parquet}: {@link GisExports}) and gold.forecast_evaluation (one row per as-of ×
 * method × coverage); re-running the same
 * scope, offence, horizon, cell size and as-of replaces them; unchanged ref versions and silver rows of the
 * scope's jurisdiction (silver's change data feed) make it a no-op.
 * <b>Knobs:</b> --as-of, --horizon, --scope, --offence, --cell, --backtests, ilp.hotspots.kde-bandwidth-m,
 * ilp.forecast.sepp-distributed-min-events.
 */
public final class ForecastJob {
  public static final String JOB = "forecast";
  static final List<TableDef> INPUTS = List.of(Tables.SILVER_INCIDENTS, Tables.REF_AREAS);
  static final List<TableDef> OUTPUTS = List.of(Tables.GOLD_FORECASTS, Tables.GOLD_FORECAST_EVALUATION);
  static final double[] COVERAGES = {0.01, 0.05, 0.10};
  static final List<String> METHODS = List.of("naive", "kde", "prospective", "sepp");

  private ForecastJob() {}

  /** What the core reads: the study area, its located crimes, and whether they carry dates. */
  public record Inputs(StudyArea area, Dataset<Row> incidents, boolean dated, long seppDistributedMinEvents) {}

  public record Outputs(Dataset<Row> forecasts, Dataset<Row> evaluation) {}

  /** The core: scores of every method at every as-of date (the forecast and its backtests), the evaluation. */
  public static Outputs transform(Inputs in, ForecastParams p, String runId, Keep keep) {
    Grid grid = in.area().grid(p.cellM());
    Dataset<Row> cells = keep.apply(grid.cells(in.area().polygons()));
    Column day = coalesce(Reference.localDate(), col("period_month"));
    Dataset<Row> pts = keep.apply(grid.assign(in.incidents().select(day.as("day"), grid.projected(col("geom")).as("_pg"))
            .withColumn("x", expr("ST_X(_pg)")).withColumn("y", expr("ST_Y(_pg)")).drop("_pg"), "x", "y")
        .join(cells.select("cell_id"), "cell_id"));
    Dataset<Row> scored = null;
    for (int b = p.backtests(); b >= 0; b--) {
      LocalDate asOf = p.asOf(b);
      Dataset<Row> actual = pts.where(col("day").geq(lit(Date.valueOf(asOf))).and(col("day").lt(lit(Date.valueOf(p.end(asOf))))))
          .groupBy("cell_id").agg(count(lit(1)).as("actual"));
      Dataset<Row> one = scores(cells, pts, grid, p, asOf, in.dated(), in.seppDistributedMinEvents()).join(actual, new String[] {"cell_id"}, "left")
          .withColumn("actual", coalesce(col("actual"), lit(0L))).withColumn("as_of", lit(Date.valueOf(asOf)));
      scored = scored == null ? one : scored.unionByName(one);
    }
    scored = keep.apply(scored);
    // every as-of's scores: the latest is the forecast, the earlier ones the backtests' maps (and what then happened)
    Dataset<Row> forecasts = stamp(scored, p, runId).withColumn("crs", lit(grid.crs))
        .select(Tables.GOLD_FORECASTS.selection());
    Dataset<Row> evaluation = stamp(ForecastEvaluation.evaluate(scored, METHODS, COVERAGES), p, runId)
        .select(Tables.GOLD_FORECAST_EVALUATION.selection());
    return new Outputs(forecasts, evaluation);
  }

  private static Dataset<Row> stamp(Dataset<Row> d, ForecastParams p, String runId) {
    return d.withColumn("run_id", lit(runId)).withColumn("scope", lit(p.scope())).withColumn("offence", lit(p.offenceLabel()))
        .withColumn("horizon", lit(p.horizon())).withColumn("cell_size_m", lit(p.cellM()));
  }

  /** The shell: read, check, transform, write. */
  public static JobResult run(JobContext ctx, ForecastParams p) {
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("inputs", p.cellM() + " m grid over " + p.scope() + ", " + (p.backtests() + 1) + " as-of dates");
    Delta.require(spark, "`ilp ref`, `ilp ingest` and `ilp curate`", INPUTS.toArray(TableDef[]::new));
    Map<String, Long> inVersions = Delta.versions(spark, INPUTS);
    StudyArea area = Reference.studyArea(spark, ctx.config().raw().getConfig("ilp.hotspots"), p.scope());
    Column rowsRead = Reference.inJurisdictions(List.of(area.jurisdiction()));
    if (!p.force() && ctx.unchangedSince(inVersions, OUTPUTS, Map.of(Tables.SILVER_INCIDENTS, rowsRead))) {
      return ctx.noop(inVersions, "no change to the silver rows of " + area.jurisdiction()
          + " or to ref since this forecast run");
    }
    Dataset<Row> inc = Delta.read(spark, Tables.SILVER_INCIDENTS).where(col("is_crime").and(col("geom").isNotNull())
        .and(rowsRead));
    if (p.offence() != null) {
      inc = inc.where(p.offence().length() == 2 ? col("iccs_l1").equalTo(p.offence()) : col("iccs_l2").equalTo(p.offence()));
    }
    boolean dated = !inc.where(col("time_precision").notEqual("month")).limit(1).isEmpty();
    ctx.stageDone(area.jurisdiction() + (dated ? ": dated records" : ": months only, no prospective/sepp"));

    ctx.stage("write", Tables.GOLD_FORECASTS + " and " + Tables.GOLD_FORECAST_EVALUATION);
    Outputs o = transform(new Inputs(area, inc, dated,
        ctx.config().raw().getLong("ilp.forecast.sepp-distributed-min-events")), p, ctx.runId(), Keep.MATERIALIZE);
    Column scope = col("scope").equalTo(lit(p.scope())).and(col("offence").equalTo(lit(p.offenceLabel())))
        .and(col("horizon").equalTo(lit(p.horizon()))).and(col("cell_size_m").equalTo(lit(p.cellM())));
    List<Writes.Replaced> written = Writes.replaceEach(List.of(
        new Writes.Replacement(Tables.GOLD_FORECAST_EVALUATION, o.evaluation(),
            scope.and(col("as_of").between(lit(Date.valueOf(p.asOf(p.backtests()))), lit(Date.valueOf(p.asOf()))))),
        new Writes.Replacement(Tables.GOLD_FORECASTS, o.forecasts(),
            scope.and(col("as_of").between(lit(Date.valueOf(p.asOf(p.backtests()))), lit(Date.valueOf(p.asOf())))))));
    Writes.WriteResult e = written.get(0).result();
    Writes.WriteResult f = written.get(1).result();
    StringBuilder summary = new StringBuilder(String.format("%s %s %s, %d as-of dates: PAI at 5%% coverage (mean):",
        p.scope(), p.offence() == null ? "all crime" : p.offence(), p.horizon(), p.backtests() + 1));
    for (Row r : Delta.read(spark, Tables.GOLD_FORECAST_EVALUATION).where(scope.and(col("run_id").equalTo(ctx.runId()))
        .and(col("coverage").equalTo(0.05))).groupBy("method").agg(avg("pai").as("pai")).orderBy(col("pai").desc())
        .collectAsList()) {
      summary.append(String.format(" %s %.2f", r.getString(0), r.isNullAt(1) ? Double.NaN : r.getDouble(1)));
    }
    // the map of the latest as-of: what a GIS shows as next period's risk
    Path dir = ctx.config().warehouse().resolve("exports").resolve("forecasts").resolve(p.scope() + "_" + p.asOf() + "_"
        + p.horizon() + "_" + p.offenceLabel() + "_" + (int) p.cellM() + "m");
    GisExports.write(Delta.read(spark, Tables.GOLD_FORECASTS).where(scope.and(col("as_of").equalTo(lit(Date.valueOf(
        p.asOf()))))).withColumn("geom", area.grid(p.cellM()).cellGeometry()), dir, "forecast", area.unitM());
    ctx.stageDone(summary + "; map in " + dir);
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(Tables.GOLD_FORECAST_EVALUATION.name(), e.sourceRows());
    out.put(Tables.GOLD_FORECASTS.name(), f.sourceRows());
    Map<String, Long> outV = new LinkedHashMap<>();
    outV.put(Tables.GOLD_FORECAST_EVALUATION.name(), e.version());
    outV.put(Tables.GOLD_FORECASTS.name(), f.version());
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(), out, 0L, inVersions, outV,
        Duration.between(ctx.startedAt(), Instant.now()), summary.toString());
  }

  /** Scores of the four methods for every cell at one as-of date (prospective and sepp null for month-only data). */
  static Dataset<Row> scores(Dataset<Row> cells, Dataset<Row> pts, Grid grid, ForecastParams p, LocalDate asOf,
      boolean dated, long seppDistributedMinEvents) {
    Date a = Date.valueOf(asOf);
    Dataset<Row> naive = pts.where(col("day").geq(lit(Date.valueOf(p.start(asOf)))).and(col("day").lt(lit(a))))
        .groupBy("cell_id").agg(count(lit(1)).cast("double").as("naive"));
    Dataset<Row> recent = pts.where(col("day").geq(lit(Date.valueOf(asOf.minusMonths(3)))).and(col("day").lt(lit(a))));
    Dataset<Row> kde = Kde.surface(cells.select("cell_id"), recent, grid, p.kdeBandwidthM())
        .select(col("cell_id"), col("density_per_km2").as("kde"));
    Dataset<Row> d = cells.join(naive, new String[] {"cell_id"}, "left").join(kde, new String[] {"cell_id"}, "left")
        .withColumn("naive", coalesce(col("naive"), lit(0.0)));
    if (!dated) {
      return d.withColumn("prospective", lit(null).cast("double")).withColumn("sepp", lit(null).cast("double"));
    }
    return d.join(Prospective.risk(pts, grid, asOf, Prospective.DEFAULT_BAND_M, Prospective.DEFAULT_MAX_AGE_DAYS),
            new String[] {"cell_id"}, "left")
        .join(sepp(pts, asOf, p, seppDistributedMinEvents), new String[] {"cell_id"}, "left")
        .withColumn("prospective", coalesce(col("prospective"), lit(0.0)))
        .withColumn("sepp", coalesce(col("sepp"), lit(0.0))); // no event in a year: no background, no excitation
  }

  /**
   * Self-exciting point process per cell fitted by EM on the 365 days before as-of (the fit shares θ and ω over all
   * cells). From {@code ilp.forecast.sepp-distributed-min-events} events of that year the EM runs as Spark
   * aggregations over the cells ({@link DistributedSelfExciting}: the event times stay on the executors); below it
   * they are gathered in one task and fitted there ({@link SelfExciting#fit}), faster for a city. Both give the same
   * bits (exact sums over cells).
   */
  static Dataset<Row> sepp(Dataset<Row> pts, LocalDate asOf, ForecastParams p, long distributedMinEvents) {
    LocalDate from = asOf.minusDays(365);
    Dataset<Row> year = pts.where(col("day").geq(lit(Date.valueOf(from))).and(col("day").lt(lit(Date.valueOf(asOf)))));
    Dataset<Row> grouped = year.groupBy("cell_id")
        .agg(sort_array(collect_list(datediff(col("day"), lit(Date.valueOf(from))).cast("double"))).as("t"));
    StructType s = new StructType().add("cell_id", DataTypes.LongType).add("sepp", DataTypes.DoubleType);
    double h = ChronoUnit.DAYS.between(asOf, p.end(asOf));
    if (distributedMinEvents <= 0 || year.count() >= distributedMinEvents) {
      JavaRDD<DistributedSelfExciting.Cell> cells = grouped.javaRDD().map(r -> {
        List<Double> t = r.getList(1);
        double[] ts = new double[t.size()];
        for (int j = 0; j < ts.length; j++) {
          ts[j] = t.get(j) + 0.5; // mid-day: days are the resolution
        }
        return new DistributedSelfExciting.Cell(r.getLong(0), ts, 0);
      });
      DistributedSelfExciting.Result fit = DistributedSelfExciting.fit(cells, 365.0, 100, 1e-5);
      double theta = fit.theta();
      double omega = fit.omega();
      Dataset<Row> out = pts.sparkSession().createDataFrame(fit.cells().map(c -> RowFactory.create(c.id,
          SelfExciting.expectedCount(theta, omega, c.mu, c.times, 365.0, h))), s).localCheckpoint();
      fit.cells().unpersist(false);
      return out;
    }
    List<Row> rows = grouped.orderBy("cell_id").collectAsList();
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
      for (int i = 0; i < ids.size(); i++) {
        out.add(RowFactory.create(ids.get(i), SelfExciting.expectedCount(fit, i, times[i], 365.0, h)));
      }
    }
    return pts.sparkSession().createDataFrame(out, s);
  }
}
