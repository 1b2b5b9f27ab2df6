package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Grid} on hand-made geometry. To keep the arithmetic by hand, the grid "CRS" is WGS84 itself
 * with 1-unit cells (the projection is then the identity; the jobs use metric CRSs).
 */
@ExtendWith(SparkTestSupport.class)
class GridTest {
  static final Grid DEG = new Grid("EPSG:4326", 1.0, 1.0);

  static Dataset<Row> polygon(String wkt) {
    return frame(new StructType().add("wkt", DataTypes.StringType), row(wkt)).select(expr("ST_GeomFromWKT(wkt)").as("geom"));
  }

  @Test
  void theGridHoldsEveryCellWhoseCentreIsInTheStudyAreaEmptyOrNot() {
    // a right triangle (0,0)-(4,0)-(0,4): centres (x+0.5, y+0.5) are in it when x + y + 1 ≤ 4 (a centre on
    // the hypotenuse counts: ST_Intersects includes the boundary) → 4 + 3 + 2 + 1 = 10 of the 16 cells of the box
    TreeSet<Long> cells = new TreeSet<>();
    DEG.cells(polygon("POLYGON((0 0, 4 0, 0 4, 0 0))")).collectAsList().forEach(r -> cells.add(r.getLong(0)));
    TreeSet<Long> expected = new TreeSet<>();
    for (int x = 0; x < 4; x++) {
      for (int y = 0; x + y <= 3; y++) {
        expected.add(Grid.cellId(x, y));
      }
    }
    assertThat(cells).hasSize(10).isEqualTo(expected);
  }

  @Test
  void pointsAreAssignedByFloorAlsoBelowZero() {
    Dataset<Row> pts = frame(new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType),
        row(0.0, 0.0), row(0.99, 2.5), row(-0.1, -1.0));
    List<Row> a = new Grid("EPSG:27700", 1.0, 250).assign(pts.withColumn("x", expr("x * 250")).withColumn("y",
        expr("y * 250")), "x", "y").select("ix", "iy", "cell_id").collectAsList();
    assertThat(a.get(0).getLong(0)).isZero();
    assertThat(a.get(1).getLong(1)).isEqualTo(2);
    assertThat(a.get(2).getLong(0)).isEqualTo(-1);
    assertThat(a.get(2).getLong(1)).isEqualTo(-1);
    assertThat(a.get(1).getLong(2)).isEqualTo(Grid.cellId(0, 2));
    // US feet: 250 m cells are 820.2 ft
    assertThat(new Grid("EPSG:3435", 0.3048006096012192, 250).cellUnits()).isCloseTo(820.208, within(1e-3));
  }

  @Test
  void neighbourhoodSumsTheCellAndItsEightNeighboursThatExist() {
    // 3x3 grid, values v(x, y) = 3x + y: the centre sees all 9 (sum 36), a corner 4, an edge 6
    StructType s = new StructType().add("ix", DataTypes.LongType).add("iy", DataTypes.LongType)
        .add("v", DataTypes.LongType);
    Row[] rows = new Row[9];
    for (int i = 0; i < 9; i++) {
      rows[i] = row((long) (i / 3), (long) (i % 3), (long) (3 * (i / 3) + i % 3));
    }
    Map<String, Row> nb = new HashMap<>();
    new Grid("EPSG:27700", 1.0, 100).neighbourhood(frame(s, rows), "v", 0).collectAsList()
        .forEach(r -> nb.put(r.getLong(0) + "," + r.getLong(1), r));
    assertThat(nb.get("1,1").<Double>getAs("nb_sum")).isEqualTo(36.0);
    assertThat(nb.get("1,1").<Integer>getAs("nb_w")).isEqualTo(9);
    assertThat(nb.get("0,0").<Double>getAs("nb_sum")).isEqualTo(0 + 1 + 3 + 4.0);
    assertThat(nb.get("0,0").<Integer>getAs("nb_w")).isEqualTo(4);
    assertThat(nb.get("0,1").<Double>getAs("nb_sum")).isEqualTo(0 + 1 + 2 + 3 + 4 + 5.0);
    // a band of one cell (the 4 rook neighbours): the centre sees 5 cells
    assertThat(new Grid("EPSG:27700", 1.0, 100).offsets(100)).hasSize(5);
    assertThat(new Grid("EPSG:27700", 1.0, 100).offsets(0)).hasSize(9);
  }

  @Test
  void nearPairsEachPointWithTheCellsWithinTheRadius() {
    // 100 m grid, a point at (50, 50) = the centre of cell (0,0): radius 100 m reaches the 4 rook
    // neighbours (centres 100 m away) but not the diagonal ones (141 m)
    Dataset<Row> pts = new Grid("EPSG:27700", 1.0, 100).assign(frame(new StructType().add("x", DataTypes.DoubleType)
        .add("y", DataTypes.DoubleType), row(50.0, 50.0)), "x", "y");
    Map<Long, Double> d = new HashMap<>();
    new Grid("EPSG:27700", 1.0, 100).near(pts, 100).collectAsList().forEach(r -> d.put(r.getLong(0), r.getDouble(1)));
    assertThat(d).hasSize(5).containsEntry(Grid.cellId(0, 0), 0.0).containsEntry(Grid.cellId(1, 0), 100.0)
        .containsEntry(Grid.cellId(-1, 0), 100.0).containsEntry(Grid.cellId(0, 1), 100.0);
  }
}
