package org.ilp.common.spatial;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The study area of a spatial analysis: the jurisdiction whose incidents it uses, the metric CRS of
 * its grid (and metres per CRS unit: EPSG:3435 is in US survey feet) and its WGS84 polygons
 * (column {@code geom}). Built by {@link org.ilp.common.ref.Reference#studyArea}.
 */
public record StudyArea(String scope, String jurisdiction, String crs, double unitM, Dataset<Row> polygons) {

  /** The grid of this study area with cells of {@code cellM} metres. */
  public Grid grid(double cellM) {
    return new Grid(crs, unitM, cellM);
  }

  /** The H3 hexagons of this study area at a resolution; Gi* neighbours = the k-ring. */
  public H3Grid h3(int resolution, int kRing) {
    return new H3Grid(crs, unitM, resolution, kRing);
  }
}
