package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;

/**
 * GIS layers as files a GIS opens without asking anything: one named file per layer and format in the run's export
 * folder, replacing an earlier export of the same run key.
 * <ul>
 *   <li>{@code <layer>.geojson}: one GeoJSON FeatureCollection (RFC 7946: coordinates in OGC:CRS84, lon/lat, which
 *       is why it carries no {@code crs} member), every column a property (explicit nulls, dates as ISO text), so the
 *       run id and parameters travel with each feature;</li>
 *   <li>{@code <layer>.parquet}: GeoParquet 1.1 (Sedona's writer) with the geometry as WKB, its bounding box and
 *       geometry types, and the CRS as PROJJSON ({@value #CRS84_RESOURCE}: OGC:CRS84) instead of the {@code null}
 *       ("unknown") a plain write leaves, which made QGIS ask for one.</li>
 * </ul>
 * The grid's own coordinates (cell centres in the metric CRS of the scope) are kept as properties named with their unit
 * ({@code cell_x_m}/{@code cell_y_m} in EPSG:27700, {@code cell_x_usft}/{@code cell_y_usft} in EPSG:3435, whose unit is
 * the US survey foot), so an analyst can join or label in the national grid without reprojecting.
 */
public final class GisExports {
  /** The PROJJSON of OGC:CRS84 written into every GeoParquet file (the GeoParquet specification's own example). */
  public static final String CRS84_RESOURCE = "/org/ilp/common/spatial/crs84.projjson";

  private GisExports() {}

  /**
   * Writes one layer as {@code <dir>/<layer>.geojson} and {@code <dir>/<layer>.parquet}.
   *
   * @param rows  the features: a WKT column {@code geom} in WGS84 (lon/lat), any other columns become properties
   * @param unitM metres per unit of the rows' metric CRS ({@code cell_x}/{@code cell_y} are renamed after it)
   * @return the two files
   */
  public static List<String> write(Dataset<Row> rows, Path dir, String layer, double unitM) {
    if (!layer.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("layer names are snake_case: " + layer);
    }
    Dataset<Row> g = rows;
    String unit = unitSuffix(unitM);
    for (String c : List.of("cell_x", "cell_y")) {
      if (List.of(g.columns()).contains(c)) {
        g = g.withColumnRenamed(c, c + "_" + unit);
      }
    }
    for (StructField f : g.schema().fields()) {
      if (f.dataType() instanceof DateType) {
        g = g.withColumn(f.name(), col(f.name()).cast("string"));
      }
    }
    g = g.withColumn("geometry", expr("ST_GeomFromWKT(geom)")).drop("geom");
    try {
      Files.createDirectories(dir);
      Path geojson = dir.resolve(layer + ".geojson");
      writeGeoJson(g, layer, geojson);
      Path parquet = dir.resolve(layer + ".parquet");
      writeGeoParquet(g, parquet);
      return List.of(geojson.toString(), parquet.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export " + layer + " to " + dir, e);
    }
  }

  /** {@code m} for metres, {@code usft} for the US survey foot (EPSG:3435), else the unit in millimetres. */
  static String unitSuffix(double unitM) {
    if (Math.abs(unitM - 1.0) < 1e-12) {
      return "m";
    }
    if (Math.abs(unitM - 1200.0 / 3937.0) < 1e-12) {
      return "usft";
    }
    return "u" + Math.round(unitM * 1000) + "mm";
  }

  /** A FeatureCollection streamed feature by feature (a layer of a national grid need not fit in one string). */
  private static void writeGeoJson(Dataset<Row> g, String layer, Path file) throws IOException {
    List<Column> props = new ArrayList<>();
    for (String c : g.columns()) {
      if (!c.equals("geometry")) {
        props.add(col("`" + c + "`"));
      }
    }
    // streamed a partition at a time: a national grid's layer never sits whole on the driver
    Dataset<Row> features = g.select(expr("ST_AsGeoJSON(geometry)").as("g"),
        to_json(struct(props.toArray(Column[]::new)), Map.of("ignoreNullFields", "false")).as("p"));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("{\"type\":\"FeatureCollection\",\"name\":\"" + layer + "\",\"features\":[");
      boolean first = true;
      Iterator<Row> it = features.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        w.write(first ? "\n" : ",\n");
        w.write("{\"type\":\"Feature\",\"geometry\":" + (r.isNullAt(0) ? "null" : r.getString(0)) + ",\"properties\":"
            + r.getString(1) + "}");
        first = false;
      }
      w.write("\n]}\n");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Sedona writes a folder of part files; its one part becomes the layer's file. */
  private static void writeGeoParquet(Dataset<Row> g, Path file) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".spark");
    g.coalesce(1).write().mode("overwrite").format("geoparquet")
        .option("geoparquet.version", "1.1.0")
        .option("geoparquet.crs", crs84())
        .save(tmp.toString());
    Path part;
    try (Stream<Path> s = Files.list(tmp)) {
      part = s.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow(() -> new IOException("Sedona wrote no Parquet file into " + tmp));
    }
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String crs84() {
    try (var in = GisExports.class.getResourceAsStream(CRS84_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + CRS84_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
