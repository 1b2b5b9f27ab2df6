package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Point-in-polygon lookup of the areas of one jurisdiction, row by row: which local, regional and
 * community area contains a point (lon, lat in WGS84). The polygons (a few hundred, from ref.areas)
 * are broadcast once; each executor builds an STR-tree of their envelopes and a prepared (indexed)
 * geometry per polygon, so a point costs a tree query and one or two indexed point-in-polygon tests,
 * and no shuffle is needed (a join with the polygons would group the hits by point and join them back).
 *
 * <p>Predicate: JTS {@code intersects} (the point lies in the polygon's interior or on its boundary),
 * the predicate of Sedona's {@code ST_Intersects}; a point on a boundary shared by two areas of a level
 * takes the smallest code, so the answer does not depend on order.
 */
public final class AreaIndex implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The levels looked up, in the order of the result's fields. */
  public static final List<String> LEVELS = List.of("local", "regional", "community");
  /** The lookup's result: one area code (or null) per level. */
  public static final StructType RESULT = new StructType().add("local", DataTypes.StringType)
      .add("regional", DataTypes.StringType).add("community", DataTypes.StringType);

  private final String[] codes;
  private final int[] levels;
  private final Geometry[] polygons;
  private transient volatile Prepared prepared;

  private record Prepared(STRtree tree, PreparedGeometry[] geometries, GeometryFactory factory) {}

  private AreaIndex(String[] codes, int[] levels, Geometry[] polygons) {
    this.codes = codes;
    this.levels = levels;
    this.polygons = polygons;
  }

  /**
   * The polygons of {@code jurisdiction} at the lookup's levels from a ref.areas frame (area_code, level,
   * jurisdiction, geom); collected to the driver.
   */
  public static AreaIndex of(Dataset<Row> areas, String jurisdiction) {
    List<Row> rows = areas.where(col("jurisdiction").equalTo(jurisdiction).and(col("level").isin(LEVELS.toArray()))
        .and(col("geom").isNotNull())).select("area_code", "level", "geom").collectAsList();
    String[] codes = new String[rows.size()];
    int[] levels = new int[rows.size()];
    Geometry[] polygons = new Geometry[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      codes[i] = rows.get(i).getString(0);
      levels[i] = LEVELS.indexOf(rows.get(i).getString(1));
      polygons[i] = (Geometry) rows.get(i).get(2);
    }
    return new AreaIndex(codes, levels, polygons);
  }

  /** The area code per level ({@link #LEVELS}) of the polygons containing (lon, lat); null where none does. */
  public String[] locate(double lon, double lat) {
    Prepared p = prepared();
    Point pt = p.factory().createPoint(new Coordinate(lon, lat));
    String[] out = new String[LEVELS.size()];
    @SuppressWarnings("unchecked")
    List<Integer> candidates = p.tree().query(new Envelope(lon, lon, lat, lat));
    for (int i : candidates) {
      String have = out[levels[i]];
      if ((have == null || codes[i].compareTo(have) < 0) && p.geometries()[i].intersects(pt)) {
        out[levels[i]] = codes[i];
      }
    }
    return out;
  }

  /**
   * A column of type {@link #RESULT} for the points {@code lon}, {@code lat} (null when either is null):
   * the index is broadcast once per call.
   */
  public Column lookup(org.apache.spark.sql.SparkSession spark, Column lon, Column lat) {
    Broadcast<AreaIndex> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(this);
    UDF2<Double, Double, Row> f = (x, y) -> x == null || y == null ? null : RowFactory.create((Object[]) b.value().locate(x, y));
    // marked non-deterministic only so that the optimizer never inlines it into each field read (3 lookups)
    return udf(f, RESULT).asNondeterministic().apply(lon, lat);
  }

  private Prepared prepared() {
    Prepared p = prepared;
    if (p == null) {
      synchronized (this) {
        p = prepared;
        if (p == null) {
          STRtree tree = new STRtree();
          PreparedGeometry[] prep = new PreparedGeometry[polygons.length];
          for (int i = 0; i < polygons.length; i++) {
            prep[i] = PreparedGeometryFactory.prepare(polygons[i]);
            tree.insert(polygons[i].getEnvelopeInternal(), i);
          }
          tree.build();
          p = new Prepared(tree, prep, new GeometryFactory());
          prepared = p;
        }
      }
    }
    return p;
  }
}
