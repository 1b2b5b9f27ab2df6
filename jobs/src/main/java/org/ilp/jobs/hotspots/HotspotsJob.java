package org.ilp.jobs.hotspots;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.ref.Reference;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.spatial.GiStar;
import org.ilp.common.spatial.Tessellation;
import org.ilp.common.spatial.Kde;
import org.ilp.common.spatial.GisExports;
import org.ilp.common.spatial.StudyArea;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Spatial hotspots of one month (or a window of months): silver.incidents → gold.hotspot_cells
 * (Getis–Ord Gi* with permutation inference and Benjamini–Hochberg FDR: {@link GiStar}),
 * gold.hotspot_kde (quartic kernel density: {@link Kde#surface}), gold.emerging_hotspots (monthly
 * Gi* slices classified as ArcGIS does: {@link Emerging}) and GIS layers of the three
 * ({@code <warehouse>/exports/hotspots/<scope>_<period>_<offence>_<cell>m/} {@code hotspot_cells}, {@code kde},
 * {@code emerging_hotspots}, each {@code .geojson} and {@code .parquet}: {@link GisExports}).
 *
 * <p><b>Grid</b> ({@link Tessellation}): square cells in the jurisdiction's metric CRS ({@code --cell 250m},
 * {@link org.ilp.common.spatial.Grid}) or H3 hexagons ({@code --cell h3:9}, {@link org.ilp.common.spatial.H3Grid}),
 * every cell whose centre lies in the study area, empty ones included (Gi* needs the zeros). Neighbours: squares,
 * the binary distance band ({@code band-m}; 0 = the 8 surrounding cells); H3, the k-ring ({@code h3-k-ring}); the
 * cell itself included.
 *
 * <p><b>Inputs:</b> silver.incidents (located crimes of the scope's jurisdiction in the window, of the
 * offence), ref.areas (the study area), the harm weights. <b>Outputs:</b> the three tables above,
 * whose rows of (period, period_end, scope, offence, cell size) are replaced in one commit each; a
 * repeat with the same parameters, ref versions and silver rows of the scope's jurisdiction (silver's change
 * data feed) is a no-op ({@code --force} recomputes).
 *
 * <p><b>Knobs:</b> ilp.hotspots.{cell-m, band-m, h3-k-ring, permutations, seed, kde-bandwidth-m, emerging-months,
 * crs.*}; CLI --period, --to, --scope, --offence, --cell, --permutations, --seed, --no-export.
 */
public final class HotspotsJob {
  public static final String JOB = "hotspots";
  static final List<TableDef> INPUTS = List.of(Tables.SILVER_INCIDENTS, Tables.REF_AREAS);
  static final List<TableDef> OUTPUTS = List.of(Tables.GOLD_HOTSPOT_CELLS, Tables.GOLD_HOTSPOT_KDE,
      Tables.GOLD_EMERGING_HOTSPOTS);

  private HotspotsJob() {}

  /** What the core reads: the study area, the jurisdiction's located crimes (any month) and the harm weights. */
  public record Inputs(StudyArea area, Dataset<Row> incidents, Dataset<Row> harm) {}

  /** The output frames (emerging null when no slices were asked for). */
  public record Outputs(Dataset<Row> cells, Dataset<Row> kde, Dataset<Row> emerging) {}

  /** The pure core (see the class comment); frames read more than once go through {@code keep}. */
  public static Outputs transform(Inputs in, HotspotParams p, String runId, Keep keep) {
    Tessellation grid = p.h3() >= 0 ? in.area().h3(p.h3(), p.h3KRing()) : in.area().grid(p.cellM());
    Dataset<Row> cells = keep.apply(grid.cells(in.area().polygons()));
    Dataset<Row> pts = keep.apply(points(in.incidents(), grid, p, in.harm(), p.period(), p.periodEnd()));
    Dataset<Row> counts = pts.groupBy("cell_id").agg(count(lit(1)).as("count"), sum("harm_weight").as("harm"));
    Dataset<Row> grided = cells.join(counts, new String[] {"cell_id"}, "left")
        .withColumn("count", coalesce(col("count"), lit(0L))).withColumn("harm", coalesce(col("harm"), lit(0.0)));
    Dataset<Row> gi = GiStar.compute(grid.neighbourhood(grided, "count", p.effectiveBandM()), List.of(),
        p.permutations(), p.seed());
    Dataset<Row> out = stamp(gi, p, grid, runId).withColumn("band_m", lit(p.effectiveBandM()))
        .withColumn("permutations", lit(p.permutations())).withColumn("seed", lit(p.seed()))
        .select(Tables.GOLD_HOTSPOT_CELLS.selection());
    Dataset<Row> kde = stamp(Kde.surface(cells, pts, grid, p.kdeBandwidthM()), p, grid, runId)
        .withColumn("bandwidth_m", lit(p.kdeBandwidthM())).select(Tables.GOLD_HOTSPOT_KDE.selection());
    Dataset<Row> emerging = null;
    if (p.emergingMonths() > 0) {
      LocalDate from = p.periodEnd().minusMonths(p.emergingMonths() - 1L);
      Dataset<Row> monthly = points(in.incidents(), grid, p, in.harm(), from, p.periodEnd());
      emerging = stamp(Emerging.of(cells, monthly, grid, p.effectiveBandM(), p.periodEnd(), p.emergingMonths()), p,
          grid, runId).select(Tables.GOLD_EMERGING_HOTSPOTS.selection());
    }
    return new Outputs(out, kde, emerging);
  }

  /** The run's constant columns: run id, window, scope, offence, CRS, cell size, the cell's WGS84 square. */
  static Dataset<Row> stamp(Dataset<Row> d, HotspotParams p, Tessellation grid, String runId) {
    return d.withColumn("run_id", lit(runId)).withColumn("period", lit(Date.valueOf(p.period())))
        .withColumn("period_end", lit(Date.valueOf(p.periodEnd()))).withColumn("scope", lit(p.scope()))
        .withColumn("offence", lit(p.offenceLabel())).withColumn("crs", lit(grid.crs()))
        .withColumn("cell_size_m", lit(p.cellM())).withColumn("geom", grid.cellGeometry())
        .withColumn("cell_grid", lit(grid.label()));
  }

  /** The shell: read, check, transform, write, export. */
  public static JobResult run(JobContext ctx, HotspotParams p) {
    SparkSession spark = ctx.spark();
    ctx.stages(p.export() ? 3 : 2);
    ctx.stage("inputs", p.cellM() + " m grid over " + p.scope() + ", " + p.period()
        + (p.periodEnd().equals(p.period()) ? "" : " .. " + p.periodEnd()));
    Delta.require(spark, "`ilp ref`, `ilp ingest` and `ilp curate`", INPUTS.toArray(TableDef[]::new));
    Map<String, Long> inVersions = Delta.versions(spark, INPUTS);
    List<TableDef> outputs = p.emergingMonths() > 0 ? OUTPUTS : OUTPUTS.subList(0, 2);
    StudyArea area = Reference.studyArea(spark, ctx.config().raw().getConfig("ilp.hotspots"), p.scope());
    Column rowsRead = Reference.inJurisdictions(List.of(area.jurisdiction()));
    if (!p.force() && ctx.unchangedSince(inVersions, outputs, Map.of(Tables.SILVER_INCIDENTS, rowsRead))) {
      return ctx.noop(inVersions, "no change to the silver rows of " + area.jurisdiction()
          + " or to ref since this hotspot run");
    }
    Dataset<Row> incidents = Delta.read(spark, Tables.SILVER_INCIDENTS).where(col("is_crime").and(col("geom").isNotNull())
        .and(rowsRead));
    Outputs o = transform(new Inputs(area, incidents, Reference.harmWeights(spark, p.harmWeights())), p, ctx.runId(),
        Keep.MATERIALIZE);
    ctx.stageDone("study area of " + area.jurisdiction() + " in " + area.crs());

    ctx.stage("write", "replace this period, scope, offence and cell size in the hotspot tables");
    Column scope = scopeOf(p);
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> outV = new LinkedHashMap<>();
    List<Writes.Replacement> writes = new ArrayList<>(List.of(
        new Writes.Replacement(Tables.GOLD_HOTSPOT_CELLS, o.cells(), scope),
        new Writes.Replacement(Tables.GOLD_HOTSPOT_KDE, o.kde(), scope)));
    if (o.emerging() != null) {
      writes.add(new Writes.Replacement(Tables.GOLD_EMERGING_HOTSPOTS, o.emerging(), scope));
    }
    for (Writes.Replaced r : Writes.replaceEach(writes)) {
      out.put(r.table().name(), r.result().sourceRows());
      outV.put(r.table().name(), r.result().version());
      ctx.info("      {} rows → {} (version {})", String.format("%,d", r.result().sourceRows()), r.table().name(),
          r.result().version());
    }
    Row summary = Delta.read(spark, Tables.GOLD_HOTSPOT_CELLS).where(scope)
        .agg(count(lit(1)), sum("count"), count(when(col("class").startsWith("hot"), 1))).head();
    List<String> files = new ArrayList<>();
    if (p.export()) {
      ctx.stage("export", "GeoJSON and GeoParquet layers: hotspot cells, KDE, emerging classes");
      Path dir = ctx.config().warehouse().resolve("exports").resolve("hotspots").resolve(p.scope() + "_" + p.period()
          + (p.periodEnd().equals(p.period()) ? "" : "_" + p.periodEnd()) + "_" + p.offenceLabel() + "_"
          + (int) p.cellM() + "m");
      files.addAll(GisExports.write(Delta.read(spark, Tables.GOLD_HOTSPOT_CELLS).where(scope), dir, "hotspot_cells",
          area.unitM()));
      files.addAll(GisExports.write(Delta.read(spark, Tables.GOLD_HOTSPOT_KDE).where(scope), dir, "kde", area.unitM()));
      if (o.emerging() != null) {
        files.addAll(GisExports.write(Delta.read(spark, Tables.GOLD_EMERGING_HOTSPOTS).where(scope), dir,
            "emerging_hotspots", area.unitM()));
      }
      ctx.stageDone(files.size() + " files in " + dir);
    }
    String s = String.format("%s %s %s: %,d cells of %.0f m, %,d incidents, %,d hot cells%s", p.scope(), p.period(),
        p.offence() == null ? "all crime" : p.offence(), summary.getLong(0), p.cellM(),
        summary.isNullAt(1) ? 0 : summary.getLong(1), summary.getLong(2),
        files.isEmpty() ? "" : ", exported to " + files.get(0));
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(), out, 0L, inVersions, outV,
        Duration.between(ctx.startedAt(), Instant.now()), s);
  }

  /** The rows of a hotspot table that one run replaces. */
  public static Column scopeOf(HotspotParams p) {
    return col("period").equalTo(lit(Date.valueOf(p.period()))).and(col("period_end").equalTo(lit(Date.valueOf(p.periodEnd()))))
        .and(col("scope").equalTo(lit(p.scope()))).and(col("offence").equalTo(lit(p.offenceLabel())))
        .and(col("cell_size_m").equalTo(lit(p.cellM())))
        // rows written before H3 have no cell_grid: squares (a condition Delta's overwrite can translate)
        .and(p.h3() >= 0 ? col("cell_grid").equalTo(lit(p.gridLabel()))
            : col("cell_grid").equalTo(lit("square")).or(col("cell_grid").isNull()));
  }

  /** Located crimes of the months [from, to] (and the offence), projected and assigned to cells, with harm weights. */
  static Dataset<Row> points(Dataset<Row> incidents, Tessellation grid, HotspotParams p, Dataset<Row> harm, LocalDate from,
      LocalDate to) {
    Dataset<Row> inc = incidents.where(col("period_month").between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
    if (p.offence() != null) {
      inc = inc.where(p.offence().length() == 2 ? col("iccs_l1").equalTo(p.offence()) : col("iccs_l2").equalTo(p.offence()));
    }
    Dataset<Row> proj = inc.select(col("incident_id"), col("period_month"), col("occurred_at"), col("iccs_l2"),
            grid.projected(col("geom")).as("_pg"), col("geom").as("_wgs84"))
        .withColumn("x", expr("ST_X(_pg)")).withColumn("y", expr("ST_Y(_pg)")).drop("_pg")
        .join(broadcast(harm.select(col("iccs_l2").as("_h"), col("weight").as("harm_weight"))),
            col("iccs_l2").equalTo(col("_h")), "left").drop("_h");
    return grid.assign(proj, "x", "y", "_wgs84").drop("_wgs84");
  }
}
