package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A square grid in a metric CRS over a study area, as distributed Spark work.
 *
 * <p>Cell (ix, iy) covers [ix·c, (ix+1)·c) × [iy·c, (iy+1)·c) in CRS units, c = cell size in metres /
 * metres per unit (EPSG:3435 is in US survey feet); its id is {@code ix · 10^7 + iy}. The grid holds
 * every cell whose centre lies in the study area, with or without incidents: Gi* needs the zeros.
 */
public final class Grid implements Tessellation {
  public final String crs;
  public final double unitM;
  public final double cellM;

  public Grid(String crs, double unitM, double cellM) {
    if (!(cellM > 0) || !(unitM > 0)) {
      throw new IllegalArgumentException("cell size and unit must be > 0");
    }
    this.crs = crs;
    this.unitM = unitM;
    this.cellM = cellM;
  }

  @Override
  public String crs() {
    return crs;
  }

  @Override
  public double unitM() {
    return unitM;
  }

  @Override
  public double cellM() {
    return cellM;
  }

  @Override
  public String label() {
    return "square";
  }

  @Override
  public Dataset<Row> assign(Dataset<Row> pts, String x, String y, String wgs84) {
    return assign(pts, x, y);
  }

  /** Cell size in CRS units. */
  public double cellUnits() {
    return cellM / unitM;
  }

  public static long cellId(long ix, long iy) {
    return ix * 10_000_000L + iy;
  }

  /** Point geometry (WGS84 lon/lat) → x, y in the grid CRS. */
  @Override
  public Column projected(Column wgs84) {
    return expr("ST_Transform(" + wgs84 + ", 'EPSG:4326', '" + crs + "')");
  }

  /** The square of the cell whose centre is (cell_x, cell_y) as WKT in WGS84 (lon/lat), for BI tools and GIS. */
  @Override
  public Column cellGeometry() {
    double c = cellUnits();
    return expr("ST_AsText(ST_Transform(ST_PolygonFromEnvelope(cell_x - " + c / 2 + ", cell_y - " + c / 2 + ", cell_x + "
        + c / 2 + ", cell_y + " + c / 2 + "), '" + crs + "', 'EPSG:4326'))");
  }

  /** Adds ix, iy, cell_id from x, y columns. */
  public Dataset<Row> assign(Dataset<Row> pts, String x, String y) {
    double c = cellUnits();
    return pts.withColumn("ix", floor(col(x).divide(c)).cast("long"))
        .withColumn("iy", floor(col(y).divide(c)).cast("long"))
        .withColumn("cell_id", col("ix").multiply(10_000_000L).plus(col("iy")));
  }

  /**
   * Every cell whose centre is inside the study area (WGS84 polygons, column {@code geom}): the
   * bounding box is enumerated with spark.range (distributed), centres are tested with a broadcast
   * ST_Intersects join. Columns: cell_id, ix, iy, cell_x, cell_y (centre, CRS units).
   */
  @Override
  public Dataset<Row> cells(Dataset<Row> studyArea) {
    SparkSession spark = studyArea.sparkSession();
    double c = cellUnits();
    Dataset<Row> area = studyArea.select(expr("ST_Transform(geom, 'EPSG:4326', '" + crs + "')").as("_area"));
    Row box = area.select(expr("min(ST_XMin(_area))"), expr("min(ST_YMin(_area))"), expr("max(ST_XMax(_area))"),
        expr("max(ST_YMax(_area))")).head();
    long x0 = (long) Math.floor(box.getDouble(0) / c);
    long y0 = (long) Math.floor(box.getDouble(1) / c);
    long nx = (long) Math.floor(box.getDouble(2) / c) - x0 + 1;
    long ny = (long) Math.floor(box.getDouble(3) / c) - y0 + 1;
    Dataset<Row> raw = spark.range(nx * ny).select(
        col("id").divide(ny).cast("long").plus(x0).as("ix"), pmod(col("id"), lit(ny)).plus(y0).as("iy"))
        .withColumn("cell_x", col("ix").plus(0.5).multiply(c))
        .withColumn("cell_y", col("iy").plus(0.5).multiply(c))
        .withColumn("_centre", expr("ST_Point(cell_x, cell_y)"));
    return raw.join(broadcast(area), expr("ST_Intersects(_area, _centre)"), "left_semi")
        .withColumn("cell_id", col("ix").multiply(10_000_000L).plus(col("iy")))
        .select("cell_id", "ix", "iy", "cell_x", "cell_y");
  }

  /**
   * Every (point, cell) pair whose distance from the point to the cell centre is at most
   * {@code radiusM}: the neighbour search behind kernel surfaces (a point contributes to the cells near
   * it). Distributed: each point is crossed with the broadcast block of cell offsets that can lie within
   * the radius. Needs the point columns x, y, ix, iy ({@link #assign}); returns {@code carry} + cell_id,
   * d_m (metres).
   */
  @Override
  public Dataset<Row> near(Dataset<Row> pts, double radiusM, String... carry) {
    double c = cellUnits();
    double radius = radiusM / unitM;
    int r = (int) Math.ceil(radius / c) + 1;
    SparkSession spark = pts.sparkSession();
    Dataset<Row> off = spark.range(-r, r + 1).toDF("_dx").crossJoin(spark.range(-r, r + 1).toDF("_dy"));
    List<Column> out = new ArrayList<>();
    for (String k : carry) {
      out.add(col(k));
    }
    out.add(col("_tx").multiply(10_000_000L).plus(col("_ty")).as("cell_id"));
    out.add(col("_d").multiply(unitM).as("d_m"));
    return pts.crossJoin(broadcast(off))
        .withColumn("_tx", col("ix").plus(col("_dx"))).withColumn("_ty", col("iy").plus(col("_dy")))
        .withColumn("_d", sqrt(pow(col("_tx").plus(0.5).multiply(c).minus(col("x")), 2)
            .plus(pow(col("_ty").plus(0.5).multiply(c).minus(col("y")), 2))))
        .where(col("_d").leq(radius))
        .select(out.toArray(Column[]::new));
  }

  /** Neighbour offsets (dx, dy) of a binary distance band incl. the cell itself (centre distance ≤ band). */
  public List<int[]> offsets(double bandM) {
    double band = (bandM <= 0 ? cellM * Math.sqrt(2) : bandM) / cellM;
    int r = (int) Math.floor(band + 1e-9);
    List<int[]> out = new ArrayList<>();
    for (int dx = -r; dx <= r; dx++) {
      for (int dy = -r; dy <= r; dy++) {
        if (Math.sqrt(dx * dx + dy * dy) <= band + 1e-9) {
          out.add(new int[] {dx, dy});
        }
      }
    }
    return out;
  }

  /**
   * For every grid cell: the sum of {@code value} over its neighbours in the band (itself included)
   * and their number w_i — neighbours outside the grid do not exist. Distributed: each cell sends its
   * value to its neighbours (explode of the offsets) and the receivers aggregate.
   */
  @Override
  public Dataset<Row> neighbourhood(Dataset<Row> grid, String value, double bandM) {
    return neighbourhood(grid, value, bandM, List.of());
  }

  /** As {@link #neighbourhood(Dataset, String, double)}, separately for each value of the key columns (e.g. month). */
  @Override
  public Dataset<Row> neighbourhood(Dataset<Row> grid, String value, double bandM, List<String> keys) {
    List<int[]> off = offsets(bandM);
    StringBuilder arr = new StringBuilder("array(");
    for (int i = 0; i < off.size(); i++) {
      arr.append(i == 0 ? "" : ", ").append("named_struct('dx', ").append(off.get(i)[0]).append(", 'dy', ")
          .append(off.get(i)[1]).append(")");
    }
    arr.append(")");
    List<Column> sel = new ArrayList<>();
    keys.forEach(k -> sel.add(col(k)));
    sel.add(col("ix"));
    sel.add(col("iy"));
    sel.add(col(value).as("_v"));
    sel.add(explode(expr(arr.toString())).as("_o"));
    List<Column> sel2 = new ArrayList<>();
    keys.forEach(k -> sel2.add(col(k)));
    sel2.add(col("ix").plus(col("_o.dx")).as("_tx"));
    sel2.add(col("iy").plus(col("_o.dy")).as("_ty"));
    sel2.add(col("_v"));
    Dataset<Row> sent = grid.select(sel.toArray(Column[]::new)).select(sel2.toArray(Column[]::new));
    List<String> joinKeys = new ArrayList<>(keys);
    joinKeys.add("_tx");
    joinKeys.add("_ty");
    List<Column> target = new ArrayList<>();
    keys.forEach(k -> target.add(col(k)));
    target.add(col("ix").as("_tx"));
    target.add(col("iy").as("_ty"));
    Dataset<Row> got = sent.join(grid.select(target.toArray(Column[]::new)), joinKeys.toArray(String[]::new))
        .groupBy(joinKeys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(sum("_v").cast("double").as("nb_sum"), count(lit(1)).cast("int").as("nb_w"))
        .withColumnRenamed("_tx", "ix").withColumnRenamed("_ty", "iy");
    List<String> all = new ArrayList<>(keys);
    all.add("ix");
    all.add("iy");
    return grid.join(got, all.toArray(String[]::new), "left");
  }
}
