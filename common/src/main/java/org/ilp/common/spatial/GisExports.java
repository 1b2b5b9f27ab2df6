package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * GIS exports with Sedona's writers: GeoJSON (one feature per cell, every column a property, so the
 * run id and parameters travel with each feature) and GeoParquet (WGS84, readable by QGIS ≥ 3.30,
 * GDAL, DuckDB spatial). Written into {@code <dir>/geojson} and {@code <dir>/geoparquet}, replacing
 * an earlier export of the same period, scope, offence and cell size (hotspots, near-repeat alerts).
 */
public final class GisExports {
  private GisExports() {}

  /** Writes the rows (a WKT column {@code geom}; dates written as ISO text) as GeoJSON and GeoParquet. */
  public static List<String> write(Dataset<Row> cells, Path dir) {
    Dataset<Row> g = cells.withColumn("geometry", expr("ST_GeomFromWKT(geom)")).drop("geom");
    for (org.apache.spark.sql.types.StructField f : g.schema().fields()) {
      if (f.dataType() instanceof org.apache.spark.sql.types.DateType) {
        g = g.withColumn(f.name(), col(f.name()).cast("string"));
      }
    }
    g = g.coalesce(1);
    String geojson = dir.resolve("geojson").toString();
    String geoparquet = dir.resolve("geoparquet").toString();
    g.write().mode("overwrite").format("geojson").save(geojson);
    g.write().mode("overwrite").format("geoparquet").save(geoparquet);
    return List.of(geojson, geoparquet);
  }
}
