package org.ilp.jobs.hotspots;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spatial.GiStarPermutation;
import org.ilp.common.spatial.Grid;
import org.ilp.common.spatial.Kde;
import org.ilp.common.stats.GetisOrd;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * Spatial hotspots of one month: silver.incidents → gold.hotspot_cells (Getis–Ord Gi* with
 * conditional-permutation inference and Benjamini–Hochberg FDR), gold.hotspot_kde (quartic kernel
 * density) and GeoJSON/GeoParquet exports.
 *
 * <p><b>Gi*</b> (Getis &amp; Ord 1992; Ord &amp; Getis 1995), binary weights w_ij = 1 for cells whose
 * centres are within the band (the cell itself included):
 * <pre>  z_i = (Σ_j w_ij x_j − x̄ W_i) / ( S · sqrt((n W_i − W_i²)/(n − 1)) ),  W_i = Σ_j w_ij,
 *  x̄ and S = sqrt(Σx²/n − x̄²) over all n grid cells</pre>
 * {@code gi_p} = two-sided normal p of z; {@code gi_p_perm} = two-sided conditional-permutation
 * pseudo-p (hold x_i, draw the W_i − 1 neighbours without replacement from the other cells;
 * (1 + #{|z_perm| ≥ |z|})/(R + 1); seeded per cell, so reproducible and independent of
 * partitioning; {@link GiStarPermutation}); {@code gi_p_sim} = the same randomisation p computed
 * exactly (the R → ∞ limit, {@link org.ilp.common.spatial.NeighbourSumNull}); {@code gi_q} = BH q of
 * gi_p_sim — a pseudo-p cannot go below 1/(R+1), too coarse for an FDR over thousands of cells, and
 * the normal p is anti-conservative for sparse counts; {@code class} = hot/cold 99/95/90 when q &lt; 0.01/0.05/0.10, else "not significant";
 * a cell with no neighbour in the grid (W_i = 1) or a grid without variance gets class
 * "no neighbours"/"no variance" and null statistics, never a division by zero.
 *
 * <p><b>Distributed:</b> the grid is enumerated with spark.range and clipped to the study area by a
 * broadcast point-in-polygon join; neighbour sums are an explode-and-aggregate; permutations run in a
 * UDF per cell. Only n, mean, S and the histogram of cell values (one entry per distinct count) reach
 * the driver.
 *
 * <p><b>KDE:</b> density at cell centres, Σ K(d) over incidents within the bandwidth h, K = the quartic
 * kernel 3/(πh²)(1 − d²/h²)² ({@link Kde}); reported per km².
 *
 * <p><b>Knobs:</b> ilp.hotspots.{cell-m, band-m, permutations, seed, kde-bandwidth-m}, the metric CRS per
 * jurisdiction (ilp.hotspots.crs). Re-running the same period, scope, offence and cell size replaces
 * those rows in one commit per table.
 */
public final class HotspotsJob {
  public static final String JOB = "hotspots";
  public static final String CELLS = "gold.hotspot_cells";
  public static final String KDE = "gold.hotspot_kde";
  public static final String EMERGING = "gold.emerging_hotspots";

  private HotspotsJob() {}

  /** Study area and its grid settings. */
  record Scope(String jurisdiction, Grid grid, Dataset<Row> polygons) {}

  /** The study area of a scope: jurisdiction, metric CRS, metres per CRS unit and WGS84 polygons. */
  public record StudyArea(String jurisdiction, String crs, double unitM, Dataset<Row> polygons) {}

  public static StudyArea scopeOf(SparkSession spark, com.typesafe.config.Config hc, String scope) {
    Scope s = scope(spark, hc, scope);
    return new StudyArea(s.jurisdiction(), s.grid().crs, s.grid().unitM, s.polygons());
  }

  static Scope scope(SparkSession spark, com.typesafe.config.Config hc, String scope) {
    Dataset<Row> areas = spark.table(Tables.REF_AREAS);
    String jurisdiction;
    Dataset<Row> polys;
    if (hc.hasPath("crs." + scope)) {
      jurisdiction = scope;
      polys = areas.where(col("jurisdiction").equalTo(scope).and(col("level").equalTo("regional"))
          .and(col("geom").isNotNull()));
    } else {
      List<Row> a = areas.where(col("area_code").equalTo(scope)).select("jurisdiction", "level").collectAsList();
      if (a.isEmpty()) {
        throw new IllegalArgumentException("unknown scope '" + scope + "': use uk, chicago or an area code of ref.areas");
      }
      jurisdiction = a.get(0).getString(0);
      polys = areas.where(col("area_code").equalTo(scope).and(col("geom").isNotNull()));
      if (polys.isEmpty()) { // a national area without its own polygon: its regional areas
        polys = areas.where(col("parent_code").equalTo(scope).and(col("geom").isNotNull()));
      }
    }
    var c = hc.getConfig("crs." + jurisdiction);
    return new Scope(jurisdiction, new Grid(c.getString("crs"), c.getDouble("unit-m"), 1), polys.select("geom"));
  }

  public static JobResult run(JobContext ctx, HotspotParams p) {
    Instant start = Instant.now();
    SparkSession spark = ctx.spark();
    ctx.stages((p.export() ? 6 : 5) + (p.emergingMonths() > 0 ? 1 : 0));
    var hc = ctx.config().raw().getConfig("ilp.hotspots");
    ctx.stage("grid", p.cellM() + " m grid over " + p.scope());
    Scope sc = scope(spark, hc, p.scope());
    Grid grid = new Grid(sc.grid().crs, sc.grid().unitM, p.cellM());
    Dataset<Row> cells = grid.cells(spark, sc.polygons()).persist(StorageLevel.MEMORY_AND_DISK());
    long n = cells.count();
    ctx.stageDone("cells in the study area", n);
    if (n < 2) {
      throw new IllegalArgumentException("the study area of " + p.scope() + " holds fewer than 2 cells of " + p.cellM() + " m");
    }

    ctx.stage("counts", "incidents of " + p.period() + (p.periodEnd().equals(p.period()) ? "" : " .. " + p.periodEnd())
        + " per cell");
    Dataset<Row> harm = org.ilp.jobs.assess.AssessJob.harmTable(spark, ctx.config().getString("ilp.assess.harm-weights"));
    Dataset<Row> pts = points(spark, sc, grid, p, harm, p.period(), p.periodEnd()).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> counts = pts.groupBy("cell_id").agg(count(lit(1)).as("count"), sum("harm_weight").as("harm"));
    Dataset<Row> grided = cells.join(counts, new String[] {"cell_id"}, "left")
        .withColumn("count", coalesce(col("count"), lit(0L))).withColumn("harm", coalesce(col("harm"), lit(0.0)));
    long events = pts.count();
    ctx.stageDone("incidents located in the grid", events);

    ctx.stage("gi", "Gi* z, " + p.permutations() + " conditional permutations, BH q");
    Dataset<Row> gi = giStar(spark, grid.neighbourhood(grided, "count", p.effectiveBandM()), p)
        .persist(StorageLevel.MEMORY_AND_DISK());
    String runId = ctx.runId();
    Dataset<Row> out = gi.withColumn("run_id", lit(runId)).withColumn("period", lit(Date.valueOf(p.period())))
        .withColumn("period_end", lit(Date.valueOf(p.periodEnd())))
        .withColumn("scope", lit(p.scope())).withColumn("offence", lit(p.offence() == null ? "all" : p.offence()))
        .withColumn("crs", lit(grid.crs)).withColumn("cell_size_m", lit(p.cellM()))
        .withColumn("band_m", lit(p.effectiveBandM())).withColumn("permutations", lit(p.permutations()))
        .withColumn("seed", lit(p.seed()))
        .withColumn("geom", cellGeometry(grid))
        .select("run_id", "period", "period_end", "scope", "offence", "cell_id", "cell_x", "cell_y", "crs", "cell_size_m",
            "band_m", "count", "harm", "nb_w", "gi_z", "gi_p", "gi_p_perm", "gi_p_sim", "gi_q", "class", "permutations", "seed",
            "geom");
    long hot = gi.where(col("class").startsWith("hot")).count();
    ctx.stageDone("hot cells (q < 0.10)", hot);

    ctx.stage("kde", "quartic kernel density, bandwidth " + p.kdeBandwidthM() + " m");
    Dataset<Row> kde = kde(cells, pts, grid, p.kdeBandwidthM()).withColumn("run_id", lit(runId))
        .withColumn("period", lit(Date.valueOf(p.period()))).withColumn("period_end", lit(Date.valueOf(p.periodEnd())))
        .withColumn("scope", lit(p.scope()))
        .withColumn("offence", lit(p.offence() == null ? "all" : p.offence())).withColumn("crs", lit(grid.crs))
        .withColumn("cell_size_m", lit(p.cellM())).withColumn("bandwidth_m", lit(p.kdeBandwidthM()))
        .withColumn("geom", cellGeometry(grid))
        .select("run_id", "period", "period_end", "scope", "offence", "cell_id", "cell_x", "cell_y", "crs", "cell_size_m",
            "bandwidth_m",
            "density_per_km2", "geom");
    ctx.stageDone("cells with a density", n);

    Dataset<Row> emerging = null;
    if (p.emergingMonths() > 0) {
      LocalDate from = p.periodEnd().minusMonths(p.emergingMonths() - 1L);
      ctx.stage("emerging", "Gi* per month " + from + " .. " + p.periodEnd() + ", Mann-Kendall of each cell's z series");
      Dataset<Row> mpts = points(spark, sc, grid, p, harm, from, p.periodEnd());
      emerging = emerging(spark, cells, mpts, grid, p, from).withColumn("run_id", lit(runId))
          .withColumn("period", lit(Date.valueOf(p.period()))).withColumn("period_end", lit(Date.valueOf(p.periodEnd())))
          .withColumn("scope", lit(p.scope()))
          .withColumn("offence", lit(p.offence() == null ? "all" : p.offence())).withColumn("crs", lit(grid.crs))
          .withColumn("cell_size_m", lit(p.cellM())).withColumn("geom", cellGeometry(grid))
          .select("run_id", "period", "period_end", "scope", "offence", "cell_id", "cell_x", "cell_y", "crs", "cell_size_m", "slices",
              "hot_slices", "cold_slices", "trend_z", "trend_p", "pattern", "geom")
          .persist(StorageLevel.MEMORY_AND_DISK());
      ctx.stageDone("cells classified (" + emerging.where(col("pattern").notEqual("no pattern detected")).count()
          + " with a pattern)", n);
    }

    ctx.stage("write", "replace this period, scope, offence and cell size in " + CELLS + " and " + KDE);
    String where = "period = DATE'" + p.period() + "' AND period_end = DATE'" + p.periodEnd() + "' AND scope = '" + p.scope() + "' AND offence = '"
        + (p.offence() == null ? "all" : p.offence()) + "' AND cell_size_m = " + p.cellM();
    Delta.replace(spark, out, CELLS, List.of("period", "period_end", "scope", "offence", "cell_size_m", "cell_id"), where);
    Delta.replace(spark, kde, KDE, List.of("period", "period_end", "scope", "offence", "cell_size_m", "cell_id"), where);
    if (emerging != null) {
      Delta.replace(spark, emerging, EMERGING, List.of("period", "period_end", "scope", "offence", "cell_size_m", "cell_id"), where);
      emerging.unpersist();
    }
    ctx.stageDone("rows written", n * 2);

    List<String> files = new ArrayList<>();
    if (p.export()) {
      ctx.stage("export", "GeoJSON and GeoParquet of the hotspot cells");
      Path dir = ctx.config().warehouse().resolve("exports").resolve("hotspots")
          .resolve(p.scope() + "_" + p.period() + (p.periodEnd().equals(p.period()) ? "" : "_" + p.periodEnd()) + "_" + (p.offence() == null ? "all" : p.offence()) + "_" + (int) p.cellM() + "m");
      files = new ArrayList<>(Exports.write(spark.table(CELLS).where(expr(where)), dir));
      if (emerging != null) {
        files.addAll(Exports.write(spark.table(EMERGING).where(expr(where)), dir.resolve("emerging")));
      }
      ctx.stageDone("export folders " + files, files.size());
    }
    for (Dataset<Row> d : List.of(cells, pts, gi)) {
      d.unpersist();
    }
    Map<String, Long> outV = new LinkedHashMap<>();
    outV.put(CELLS, Delta.version(spark, CELLS));
    outV.put(KDE, Delta.version(spark, KDE));
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.SILVER_INCIDENTS, events), Map.of(CELLS, n, KDE, n),
        0L, Map.of(Tables.SILVER_INCIDENTS, Delta.version(spark, Tables.SILVER_INCIDENTS)), outV,
        Duration.between(start, Instant.now()), String.format("%s %s %s: %,d cells of %.0f m, %,d incidents, %,d hot cells%s",
            p.scope(), p.period(), p.offence() == null ? "all crime" : p.offence(), n, p.cellM(), events, hot,
            files.isEmpty() ? "" : ", exported to " + files.get(0)));
  }

  /** Located crimes of the scope's jurisdiction in [from, to] (months), projected and assigned to cells. */
  static Dataset<Row> points(SparkSession spark, Scope sc, Grid grid, HotspotParams p, Dataset<Row> harm, LocalDate from,
      LocalDate to) {
    Column jur = org.ilp.common.assess.Cube.jurisdictionOf();
    Dataset<Row> inc = spark.table(Tables.SILVER_INCIDENTS).where(col("is_crime").and(col("geom").isNotNull())
            .and(col("period_month").between(Date.valueOf(from), Date.valueOf(to))))
        .where(jur.equalTo(sc.jurisdiction()));
    if (p.offence() != null) {
      inc = inc.where(p.offence().length() == 2 ? col("iccs_l1").equalTo(p.offence()) : col("iccs_l2").equalTo(p.offence()));
    }
    Dataset<Row> proj = inc.select(col("incident_id"), col("period_month"), col("occurred_at"), col("iccs_l2"),
            grid.projected(col("geom")).as("_pg"))
        .withColumn("x", expr("ST_X(_pg)")).withColumn("y", expr("ST_Y(_pg)")).drop("_pg")
        .join(broadcast(harm.select(col("iccs_l2").as("_h"), col("weight").as("harm_weight"))),
            col("iccs_l2").equalTo(col("_h")), "left").drop("_h");
    return grid.assign(proj, "x", "y");
  }

  /** Gi* statistics for every cell of a grid with nb_sum and nb_w (see the class Javadoc). */
  static Dataset<Row> giStar(SparkSession spark, Dataset<Row> nb, HotspotParams p) {
    Row g = nb.agg(count(lit(1)), avg(col("count").cast("double")), avg(col("count").multiply(col("count")).cast("double")))
        .head();
    long n = g.getLong(0);
    double mean = g.getDouble(1);
    double s = Math.sqrt(Math.max(0, g.getDouble(2) - mean * mean));
    Map<Long, Long> freq = new HashMap<>();
    for (Row r : nb.groupBy("count").count().collectAsList()) {
      freq.put(r.getLong(0), r.getLong(1));
    }
    Broadcast<GiStarPermutation.ValueHistogram> hist = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(GiStarPermutation.ValueHistogram.of(freq));
    Row maxW = nb.agg(max("nb_w")).head(); // one pass, not two
    int maxK = maxW.isNullAt(0) ? 1 : Math.max(1, maxW.getInt(0) - 1);
    Broadcast<org.ilp.common.spatial.NeighbourSumNull> nul = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(org.ilp.common.spatial.NeighbourSumNull.of(freq, maxK));
    final int perms = p.permutations();
    final long seed = p.seed();
    StructType st = new StructType().add("z", DataTypes.DoubleType).add("p_perm", DataTypes.DoubleType)
        .add("p_zsim", DataTypes.DoubleType);
    spark.udf().register("ilp_gi_perm", (UDF4<Long, Long, Double, Integer, Row>) (id, x, sum, w) -> {
      if (w == null || w < 2 || s == 0) {
        return RowFactory.create(null, null, null);
      }
      double z = GiStarPermutation.z(sum, w, mean, s, n);
      if (Double.isNaN(z)) {
        return RowFactory.create(null, null, null);
      }
      if (perms == 0) {
        return RowFactory.create(z, null, nul.value().twoSidedAbout(w - 1, Math.round(sum) - x, mean * w - x));
      }
      GiStarPermutation.PermResult r = GiStarPermutation.permute(x, sum, w, hist.value(), perms, seed, id);
      // the exact randomisation p (R -> infinity limit of the pseudo-p), fine enough for the FDR
      double pc = nul.value().twoSidedAbout(w - 1, Math.round(sum) - x, mean * w - x);
      return RowFactory.create(z, r.pseudoP(), pc);
    }, st);
    spark.udf().register("ilp_norm_p", (org.apache.spark.sql.api.java.UDF1<Double, Double>) z ->
        z == null ? null : GetisOrd.twoSidedP(z), DataTypes.DoubleType);
    Dataset<Row> d = nb.withColumn("_gi", callUDF("ilp_gi_perm", col("cell_id"), col("count"), col("nb_sum"), col("nb_w")))
        .withColumn("gi_z", col("_gi.z")).withColumn("gi_p_perm", col("_gi.p_perm"))
        .withColumn("gi_p_sim", col("_gi.p_zsim")).drop("_gi")
        .withColumn("gi_p", callUDF("ilp_norm_p", col("gi_z")));
    // FDR needs p-values finer than 1/(R+1) (with 10^4 cells even R = 999 cannot reach q < 0.05 from a
    // pseudo-p) and not the normal approximation (anti-conservative for sparse counts): BH runs on the
    // exact randomisation p (gi_p_sim, NeighbourSumNull); gi_p_perm, its Monte Carlo estimate, is reported
    Column pForFdr = col("gi_p_sim");
    d = d.withColumn("_pf", pForFdr);
    // Benjamini–Hochberg over all cells with a test (R p.adjust "BH")
    WindowSpec all = Window.partitionBy();
    d = d.withColumn("_m", count(col("_pf")).over(all))
        .withColumn("_rank", row_number().over(Window.orderBy(col("_pf").asc_nulls_last(), col("cell_id"))))
        .withColumn("_raw", when(col("_pf").isNotNull(), col("_pf").multiply(col("_m")).divide(col("_rank"))))
        .withColumn("gi_q", when(col("_pf").isNotNull(), least(lit(1.0), min("_raw").over(Window.orderBy(
            col("_pf").desc_nulls_last(), col("_rank").desc()).rowsBetween(Window.unboundedPreceding(), Window.currentRow())))))
        .drop("_m", "_rank", "_raw", "_pf");
    Column side = when(col("gi_z").gt(0), lit("hot")).otherwise(lit("cold"));
    return d.withColumn("class", when(col("nb_w").isNull().or(col("nb_w").lt(2)), lit("no neighbours"))
        .when(col("gi_z").isNull(), lit("no variance"))
        .when(col("gi_q").lt(0.01), concat(side, lit(" 99%")))
        .when(col("gi_q").lt(0.05), concat(side, lit(" 95%")))
        .when(col("gi_q").lt(0.10), concat(side, lit(" 90%")))
        .otherwise(lit("not significant")));
  }

  /**
   * Emerging hot spots (ArcGIS "Emerging Hot Spot Analysis"): Gi* z and p of every cell in every month
   * (analytic, binary band weights, each month's own mean and S), then the Mann–Kendall trend of each
   * cell's z series and {@link org.ilp.common.spatial.EmergingHotspots#classify} (bins significant at
   * 90%; the rule of each class is in its Javadoc).
   */
  static Dataset<Row> emerging(SparkSession spark, Dataset<Row> cells, Dataset<Row> pts, Grid grid, HotspotParams p,
      LocalDate from) {
    Dataset<Row> months = spark.range(p.emergingMonths()).select(expr("add_months(DATE'" + from + "', cast(id AS int))")
        .as("month"));
    Dataset<Row> counts = pts.groupBy(col("period_month").as("month"), col("cell_id")).agg(count(lit(1)).as("count"));
    Dataset<Row> cube = cells.crossJoin(months).join(counts, new String[] {"month", "cell_id"}, "left")
        .withColumn("count", coalesce(col("count"), lit(0L)));
    Dataset<Row> nb = grid.neighbourhood(cube, "count", p.effectiveBandM(), List.of("month"));
    Dataset<Row> stats = cube.groupBy("month").agg(count(lit(1)).as("_n"), avg(col("count").cast("double")).as("_mean"),
        avg(col("count").multiply(col("count")).cast("double")).as("_m2"));
    Dataset<Row> z = nb.join(broadcast(stats), "month")
        .withColumn("_s", sqrt(greatest(lit(0.0), col("_m2").minus(col("_mean").multiply(col("_mean"))))))
        .withColumn("gi_z", when(col("nb_w").geq(2).and(col("_s").gt(0)).and(col("nb_w").lt(col("_n"))),
            col("nb_sum").minus(col("_mean").multiply(col("nb_w"))).divide(col("_s").multiply(sqrt(
                col("_n").multiply(col("nb_w")).minus(col("nb_w").multiply(col("nb_w"))).divide(col("_n").minus(1)))))));
    StructType out = new StructType().add("slices", DataTypes.IntegerType).add("hot_slices", DataTypes.IntegerType)
        .add("cold_slices", DataTypes.IntegerType).add("trend_z", DataTypes.DoubleType).add("trend_p", DataTypes.DoubleType)
        .add("pattern", DataTypes.StringType);
    spark.udf().register("ilp_emerging", (org.apache.spark.sql.api.java.UDF1<scala.collection.Seq<Row>, Row>) seq -> {
      List<Row> rows = new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(seq));
      rows.sort(java.util.Comparator.comparing(r -> r.<Date>getAs("month")));
      double[] zs = new double[rows.size()];
      double[] ps = new double[rows.size()];
      int hot = 0;
      int cold = 0;
      for (int i = 0; i < zs.length; i++) {
        Double v = rows.get(i).getAs("gi_z");
        zs[i] = v == null ? 0.0 : v;
        ps[i] = v == null ? 1.0 : GetisOrd.twoSidedP(v);
        hot += zs[i] > 0 && ps[i] < 0.10 ? 1 : 0;
        cold += zs[i] < 0 && ps[i] < 0.10 ? 1 : 0;
      }
      org.ilp.common.stats.MannKendall.Result mk = zs.length >= 3 ? org.ilp.common.stats.MannKendall.test(zs) : null;
      double tz = mk == null || Double.isNaN(mk.z()) ? 0 : mk.z();
      double tp = mk == null || Double.isNaN(mk.pValue()) ? 1 : mk.pValue();
      var pattern = org.ilp.common.spatial.EmergingHotspots.classify(zs, ps, 0.10, tz, tp,
          org.ilp.common.spatial.EmergingHotspots.DEFAULT_TREND_ALPHA);
      return RowFactory.create(zs.length, hot, cold, mk == null ? null : tz, mk == null ? null : tp, pattern.label());
    }, out);
    return z.groupBy("cell_id", "cell_x", "cell_y").agg(collect_list(struct(col("month"), col("gi_z"))).as("_series"))
        .withColumn("_e", callUDF("ilp_emerging", col("_series")))
        .select(col("cell_id"), col("cell_x"), col("cell_y"), col("_e.*"));
  }

  /** Quartic KDE at every grid cell centre, per km² (contributions sent from each point to cells within h). */
  public static Dataset<Row> kde(Dataset<Row> cells, Dataset<Row> pts, Grid grid, double bandwidthM) {
    double c = grid.cellUnits();
    double h = bandwidthM / grid.unitM;
    int r = (int) Math.ceil(h / c) + 1;
    Dataset<Row> off = pts.sparkSession().range(-r, r + 1).toDF("dx").crossJoin(
        pts.sparkSession().range(-r, r + 1).toDF("dy"));
    Dataset<Row> contrib = pts.select("x", "y", "ix", "iy").crossJoin(broadcast(off))
        .withColumn("tx", col("ix").plus(col("dx"))).withColumn("ty", col("iy").plus(col("dy")))
        .withColumn("d", sqrt(pow(col("tx").plus(0.5).multiply(c).minus(col("x")), 2)
            .plus(pow(col("ty").plus(0.5).multiply(c).minus(col("y")), 2))))
        .where(col("d").lt(h))
        .withColumn("k", lit(3.0 / (Math.PI * h * h)).multiply(pow(lit(1.0).minus(col("d").multiply(col("d")).divide(h * h)), 2)))
        .groupBy(col("tx").as("ix"), col("ty").as("iy")).agg(sum("k").as("_k"));
    double perKm2 = 1e6 / (grid.unitM * grid.unitM); // density per CRS unit² → per km²
    return cells.join(contrib, new String[] {"ix", "iy"}, "left")
        .withColumn("density_per_km2", coalesce(col("_k"), lit(0.0)).multiply(perKm2)).drop("_k");
  }

  /** The cell square as WKT in WGS84 (lon/lat), for BI tools and GIS. */
  static Column cellGeometry(Grid grid) {
    double c = grid.cellUnits();
    return expr("ST_AsText(ST_Transform(ST_PolygonFromEnvelope(cell_x - " + c / 2 + ", cell_y - " + c / 2 + ", cell_x + "
        + c / 2 + ", cell_y + " + c / 2 + "), '" + grid.crs + "', 'EPSG:4326'))");
  }
}
