package org.ilp.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An exported GIS layer as readers other than Spark and Sedona see it: the GeoJSON file through a plain JSON parser
 * (Jackson), the GeoParquet file through DuckDB (its own Parquet reader; the {@code geo} metadata from
 * {@code parquet_kv_metadata}). What QGIS and GDAL rely on: the FeatureCollection, CRS84 coordinates, the GeoParquet
 * metadata's version, encoding, geometry types, CRS and bounding box.
 *
 * @param features the features (GeoJSON) or rows (GeoParquet)
 * @param sum      the sum of the named numeric property over all features
 * @param bbox     [xmin, ymin, xmax, ymax]: of the coordinates (GeoJSON), from the metadata (GeoParquet)
 * @param meta     the FeatureCollection without its features (GeoJSON), the {@code geo} metadata (GeoParquet)
 * @param first    the first feature's properties (GeoJSON) or null
 */
public record GisLayer(long features, double sum, double[] bbox, JsonNode meta, JsonNode first) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a GeoJSON FeatureCollection; fails on anything else. */
  public static GisLayer geojson(Path file, String property) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    if (!"FeatureCollection".equals(root.path("type").asText())) {
      throw new IllegalStateException(file + " is not a FeatureCollection: " + root.path("type"));
    }
    double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    double sum = 0;
    JsonNode features = root.get("features");
    for (JsonNode f : features) {
      extend(box, f.path("geometry").path("coordinates"));
      sum += f.path("properties").path(property).asDouble();
    }
    JsonNode meta = ((com.fasterxml.jackson.databind.node.ObjectNode) root.deepCopy()).without("features");
    return new GisLayer(features.size(), sum, box, meta, features.isEmpty() ? null : features.get(0).get("properties"));
  }

  private static void extend(double[] box, JsonNode coords) {
    if (coords.isArray() && coords.size() >= 2 && coords.get(0).isNumber()) {
      box[0] = Math.min(box[0], coords.get(0).asDouble());
      box[1] = Math.min(box[1], coords.get(1).asDouble());
      box[2] = Math.max(box[2], coords.get(0).asDouble());
      box[3] = Math.max(box[3], coords.get(1).asDouble());
    } else {
      coords.forEach(c -> extend(box, c));
    }
  }

  /** Reads a GeoParquet file with DuckDB. */
  public static GisLayer geoparquet(Path file, String property) throws SQLException, IOException {
    String f = file.toAbsolutePath().toString().replace("'", "''");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      long rows;
      double sum;
      try (ResultSet r = s.executeQuery("SELECT count(*), sum(\"" + property + "\") FROM read_parquet('" + f + "')")) {
        r.next();
        rows = r.getLong(1);
        sum = r.getDouble(2);
      }
      JsonNode geo;
      try (ResultSet r = s.executeQuery("SELECT decode(value) FROM parquet_kv_metadata('" + f + "') "
          + "WHERE decode(key) = 'geo'")) {
        if (!r.next()) {
          throw new IllegalStateException(file + " has no GeoParquet metadata");
        }
        geo = JSON.readTree(r.getString(1));
      }
      JsonNode b = geo.path("columns").path(geo.path("primary_column").asText()).path("bbox");
      double[] box = {b.path(0).asDouble(), b.path(1).asDouble(), b.path(2).asDouble(), b.path(3).asDouble()};
      return new GisLayer(rows, sum, box, geo, null);
    }
  }
}
