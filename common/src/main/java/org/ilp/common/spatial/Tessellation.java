package org.ilp.common.spatial;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The cells a spatial analysis counts in: square cells in a metric CRS ({@link Grid}) or H3 hexagons
 * ({@link H3Grid}). Both give every cell of the study area (empty ones included: Gi* needs the zeros), a cell id
 * per point, the cells near a point (kernel surfaces) and the neighbourhood sums of Gi*; cell centres (cell_x,
 * cell_y) are in the metric CRS, so distances are metres × {@link #unitM}.
 */
public interface Tessellation extends Serializable {
  /** The metric CRS of cell_x, cell_y and of the points' x, y. */
  String crs();

  /** Metres per CRS unit (EPSG:3435 is in US survey feet). */
  double unitM();

  /** The nominal cell size in metres: the square's side, the hexagon's average edge length. */
  double cellM();

  /** How the cells are written in the tables' {@code cell_grid}: {@code square} or {@code h3:<resolution>}. */
  String label();

  /** Point geometry (WGS84 lon/lat) → the same point in {@link #crs}. */
  default Column projected(Column wgs84) {
    return org.apache.spark.sql.functions.expr("ST_Transform(" + wgs84 + ", 'EPSG:4326', '" + crs() + "')");
  }

  /** Every cell of the study area (WGS84 polygons, column {@code geom}): cell_id, cell_x, cell_y (+ ix, iy). */
  Dataset<Row> cells(Dataset<Row> studyArea);

  /** Adds cell_id (and ix, iy for squares) to points with x, y in the CRS and their WGS84 point {@code wgs84}. */
  Dataset<Row> assign(Dataset<Row> pts, String x, String y, String wgs84);

  /**
   * Every (point, cell) pair whose distance from the point to the cell centre is at most {@code radiusM}: points
   * with x, y and their cell ({@link #assign}) → {@code carry} + cell_id, d_m (metres).
   */
  Dataset<Row> near(Dataset<Row> pts, double radiusM, String... carry);

  /**
   * For every cell of {@code grid} (its cells with {@code value}, and the {@code keys} naming a slice): the sum of
   * {@code value} over its neighbours (itself included) that are cells of the grid, nb_sum, and their number nb_w.
   * Squares: the centres within {@code bandM}; H3: the k-ring.
   */
  Dataset<Row> neighbourhood(Dataset<Row> grid, String value, double bandM, List<String> keys);

  /** As {@link #neighbourhood(Dataset, String, double, List)} over one slice. */
  default Dataset<Row> neighbourhood(Dataset<Row> grid, String value, double bandM) {
    return neighbourhood(grid, value, bandM, List.of());
  }

  /** The cell's outline as WKT in WGS84 (lon/lat), from the row's cell_x, cell_y or cell_id. */
  Column cellGeometry();
}
