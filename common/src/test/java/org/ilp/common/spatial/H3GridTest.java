package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * {@link H3Grid} on a hand-drawn example: a resolution-9 hexagon in Chicago, its 1-ring and 2-ring (19 cells) as the
 * study area, counts 9 at the centre, 2 on the first ring, 1 on the second — the hexagonal twin of GiStarTest's
 * 5×5 grid. Gi* with the 1-ring neighbourhood is computed by hand below.
 */
@ExtendWith(SparkTestSupport.class)
class H3GridTest {

  static List<Long> longs(Dataset<Row> d) {
    return d.collectAsList().stream().map(r -> r.getLong(0)).sorted().toList();
  }

  @Test
  void giStarOnTheKRingEqualsTheHandComputedValue() throws Exception {
    SparkSession spark = SparkTestSupport.spark();
    H3Grid h3 = new H3Grid("EPSG:3435", 0.3048006096012192, 9, 1);
    long c0 = spark.sql("SELECT ST_H3CellIDs(ST_Point(-87.65, 41.85), 9, false)[0]").head().getLong(0);
    List<Long> ring1 = longs(spark.sql("SELECT explode(ST_H3KRing(" + c0 + "L, 1, false))"));
    List<Long> ring2 = longs(spark.sql("SELECT explode(ST_H3KRing(" + c0 + "L, 2, false))"));
    assertThat(ring1).hasSize(7);
    assertThat(ring2).hasSize(19);

    // the study area: the 19 hexagons dissolved into one polygon (JTS, on the driver)
    String ids = String.join(", ", ring2.stream().map(i -> i + "L").toList());
    WKTReader wkt = new WKTReader();
    List<Geometry> hexes = new ArrayList<>();
    for (Row r : spark.sql("SELECT ST_AsText(g) FROM (SELECT explode(ST_H3ToGeom(array(" + ids + "))) AS g)")
        .collectAsList()) {
      hexes.add(wkt.read(r.getString(0)));
    }
    String area = UnaryUnionOp.union(hexes).toText();
    Dataset<Row> cells = h3.cells(spark.sql("SELECT ST_GeomFromWKT('" + area + "') AS geom"));
    // every cell whose centre lies in the study area, and no other
    assertThat(longs(cells.select("cell_id"))).isEqualTo(ring2);

    Dataset<Row> grid = cells.withColumn("count", when(col("cell_id").equalTo(lit(c0)), 9L)
        .when(col("cell_id").isin(ring1.toArray()), 2L).otherwise(1L));
    Dataset<Row> nb = h3.neighbourhood(grid, "count", 0, List.of());
    Row centre = GiStar.compute(nb, List.of(), 0, 1L).where(col("cell_id").equalTo(lit(c0)))
        .select("nb_w", "nb_sum", "gi_z").head();
    // by hand: n = 19, Σx = 9 + 6·2 + 12·1 = 33, Σx² = 81 + 24 + 12 = 117, x̄ = 33/19, S = √(Σx²/n − x̄²);
    // the centre's 1-ring: W = 7 cells, Σ w·x = 9 + 6·2 = 21;
    // Gi* = (Σ w·x − x̄ W) / (S √((n W − W²) / (n − 1)))  (Ord & Getis 1995, binary weights, the cell included)
    double n = 19;
    double mean = 33 / n;
    double s = Math.sqrt(117 / n - mean * mean);
    double z = (21 - mean * 7) / (s * Math.sqrt((n * 7 - 49) / (n - 1)));
    assertThat(centre.getInt(0)).isEqualTo(7);
    assertThat(centre.getDouble(1)).isEqualTo(21.0);
    assertThat(centre.getDouble(2)).isCloseTo(z, within(1e-12));
    assertThat(z).isCloseTo(2.3094, within(1e-4));
    // neighbours outside the study area do not exist: the centre and the first ring have all 6 (W = 7), the six
    // corners of the second ring 3 (W = 4), its six edge cells 4 (W = 5): Σ W = 7·7 + 6·4 + 6·5 = 103
    assertThat(nb.agg(org.apache.spark.sql.functions.sum("nb_w")).head().getLong(0)).isEqualTo(103);
  }

  @Test
  void pointsFallInTheirHexagonAndKernelNeighboursLieWithinTheRadius() {
    SparkSession spark = SparkTestSupport.spark();
    H3Grid h3 = new H3Grid("EPSG:3435", 0.3048006096012192, 9, 1);
    Dataset<Row> pts = spark.sql("SELECT 'p' AS id, ST_Point(-87.65, 41.85) AS g")
        .withColumn("_pg", h3.projected(col("g")))
        .selectExpr("id", "g", "ST_X(_pg) AS x", "ST_Y(_pg) AS y");
    Row p = h3.assign(pts, "x", "y", "g").head();
    assertThat(p.<Long>getAs("cell_id")).isEqualTo(
        spark.sql("SELECT ST_H3CellIDs(ST_Point(-87.65, 41.85), 9, false)[0]").head().getLong(0));
    List<Row> near = h3.near(h3.assign(pts, "x", "y", "g"), 500, "id").collectAsList();
    // res 9: ~174 m edges, ~300 m between centres: within 500 m lie the cell and its 1-ring, part of the 2-ring
    assertThat(near).hasSizeBetween(7, 19);
    assertThat(near).allSatisfy(r -> assertThat(r.<Double>getAs("d_m")).isBetween(0.0, 500.0));
    assertThat(h3.cellM()).isCloseTo(174.38, within(0.01)); // H3's average edge length at resolution 9
  }
}
