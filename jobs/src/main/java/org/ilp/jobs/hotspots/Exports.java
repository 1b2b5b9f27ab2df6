package org.ilp.jobs.hotspots;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * GIS exports with Sedona's writers: GeoJSON (one feature per cell, every column a property, so the
 * run id and parameters travel with each feature) and GeoParquet (WGS84, readable by QGIS ≥ 3.30,
 * GDAL, DuckDB spatial). Written into {@code <dir>/geojson} and {@code <dir>/geoparquet}, replacing
 * an earlier export of the same period, scope, offence and cell size.
 */
final class Exports {
  private Exports() {}

  static List<String> write(Dataset<Row> cells, Path dir) {
    Dataset<Row> g = cells.withColumn("geometry", expr("ST_GeomFromWKT(geom)")).drop("geom")
        .withColumn("period", col("period").cast("string")).coalesce(1);
    String geojson = dir.resolve("geojson").toString();
    String geoparquet = dir.resolve("geoparquet").toString();
    g.write().mode("overwrite").format("geojson").save(geojson);
    g.write().mode("overwrite").format("geoparquet").save(geoparquet);
    return List.of(geojson, geoparquet);
  }
}
