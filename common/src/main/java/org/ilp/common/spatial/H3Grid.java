package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * H3 hexagons of one resolution (Uber's hierarchical grid, bundled with Sedona) over a study area, as
 * distributed Spark work with Sedona's H3 functions.
 *
 * <p>The cells of the study area are H3's polygon fill of its polygons ({@code ST_H3CellIDs(geom, res, false)}:
 * every cell whose centre lies inside, as for square cells); a point's cell is {@code ST_H3CellIDs(point, res,
 * false)[0]}; a cell's neighbours for Gi* are its k-ring ({@code ST_H3KRing(cell, k, false)}, the cell included,
 * k = {@code ilp.hotspots.h3-k-ring}); its centre (cell_x, cell_y) is the centroid of {@code ST_H3ToGeom} projected
 * into the jurisdiction's metric CRS, where kernel distances are measured. cell_id is the H3 index.
 */
public final class H3Grid implements Tessellation {
  private final String crs;
  private final double unitM;
  private final int resolution;
  private final int kRing;
  private final double edgeM;

  public H3Grid(String crs, double unitM, int resolution, int kRing) {
    if (resolution < 0 || resolution > 15) {
      throw new IllegalArgumentException("H3 resolution must be in 0..15: " + resolution);
    }
    if (kRing < 1 || kRing > 10) {
      throw new IllegalArgumentException("H3 k-ring must be in 1..10: " + kRing);
    }
    this.crs = crs;
    this.unitM = unitM;
    this.resolution = resolution;
    this.kRing = kRing;
    this.edgeM = averageEdgeM(resolution);
  }

  /** H3's average hexagon edge length of a resolution, in metres (H3Core). */
  public static double averageEdgeM(int resolution) {
    try {
      return com.uber.h3core.H3Core.newInstance().getHexagonEdgeLengthAvg(resolution, com.uber.h3core.LengthUnit.m);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("H3 library not loadable: " + e.getMessage(), e);
    }
  }

  public int resolution() {
    return resolution;
  }

  public int kRing() {
    return kRing;
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
    return edgeM;
  }

  @Override
  public String label() {
    return "h3:" + resolution;
  }

  /** The centre of the H3 cell in column {@code cell} as a point in the CRS. */
  private Column centre(String cell) {
    return expr("ST_Transform(ST_Centroid(ST_H3ToGeom(array(" + cell + "))[0]), 'EPSG:4326', '" + crs + "')");
  }

  @Override
  public Dataset<Row> cells(Dataset<Row> studyArea) {
    return studyArea.select(explode(expr("ST_H3CellIDs(geom, " + resolution + ", false)")).as("cell_id")).distinct()
        .withColumn("_c", centre("cell_id"))
        .select(col("cell_id"), expr("ST_X(_c)").as("cell_x"), expr("ST_Y(_c)").as("cell_y"));
  }

  @Override
  public Dataset<Row> assign(Dataset<Row> pts, String x, String y, String wgs84) {
    return pts.withColumn("cell_id", expr("ST_H3CellIDs(" + wgs84 + ", " + resolution + ", false)[0]"));
  }

  @Override
  public Dataset<Row> near(Dataset<Row> pts, double radiusM, String... carry) {
    // adjacent centres are √3 × edge apart at the average; the smallest hexagons of a resolution are about half
    // the average, so the ring reaches every centre within the radius
    int k = (int) Math.ceil(radiusM / (Math.sqrt(3) * edgeM * 0.5)) + 1;
    List<Column> out = new ArrayList<>();
    for (String c : carry) {
      out.add(col(c));
    }
    out.add(col("_t").as("cell_id"));
    out.add(col("_d").multiply(unitM).as("d_m"));
    return pts.withColumn("_t", explode(expr("ST_H3KRing(cell_id, " + k + ", false)")))
        .withColumn("_tc", centre("_t"))
        .withColumn("_d", sqrt(pow(expr("ST_X(_tc)").minus(col("x")), 2).plus(pow(expr("ST_Y(_tc)").minus(col("y")), 2))))
        .where(col("_d").leq(radiusM / unitM))
        .select(out.toArray(Column[]::new));
  }

  @Override
  public Dataset<Row> neighbourhood(Dataset<Row> grid, String value, double bandM, List<String> keys) {
    List<Column> sent = new ArrayList<>();
    keys.forEach(k -> sent.add(col(k)));
    sent.add(explode(expr("ST_H3KRing(cell_id, " + kRing + ", false)")).as("_t"));
    sent.add(col(value).as("_v"));
    List<Column> target = new ArrayList<>();
    keys.forEach(k -> target.add(col(k)));
    target.add(col("cell_id").as("_t"));
    List<String> joinKeys = new ArrayList<>(keys);
    joinKeys.add("_t");
    Dataset<Row> got = grid.select(sent.toArray(Column[]::new))
        .join(grid.select(target.toArray(Column[]::new)), joinKeys.toArray(String[]::new))
        .groupBy(joinKeys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(sum("_v").cast("double").as("nb_sum"), count(lit(1)).cast("int").as("nb_w"))
        .withColumnRenamed("_t", "cell_id");
    List<String> all = new ArrayList<>(keys);
    all.add("cell_id");
    return grid.join(got, all.toArray(String[]::new), "left");
  }

  @Override
  public Column cellGeometry() {
    return expr("ST_AsText(ST_H3ToGeom(array(cell_id))[0])");
  }
}
