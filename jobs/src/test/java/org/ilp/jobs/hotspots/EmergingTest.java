package org.ilp.jobs.hotspots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.spatial.GiStar;
import org.ilp.common.spatial.Grid;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Emerging} on a 12×12 grid of 100 m cells over four months: background incidents spread evenly,
 * and a block of cells that turns hot only in the last month. The last slice is tested exactly as the
 * month's map: same statistic, same exact p, same FDR, same thresholds.
 */
@ExtendWith(SparkTestSupport.class)
class EmergingTest {
  static final Grid GRID = new Grid("EPSG:27700", 1.0, 100);

  @Test
  void aNewOrConsecutiveHotSpotIsHotOnTheMapOfTheLastMonthAndEverySliceUsesTheMapsRule() {
    StructType cs = new StructType().add("cell_id", DataTypes.LongType).add("ix", DataTypes.LongType)
        .add("iy", DataTypes.LongType).add("cell_x", DataTypes.DoubleType).add("cell_y", DataTypes.DoubleType);
    List<Row> cells = new ArrayList<>();
    for (int x = 0; x < 12; x++) {
      for (int y = 0; y < 12; y++) {
        cells.add(row(Grid.cellId(x, y), (long) x, (long) y, x * 100 + 50.0, y * 100 + 50.0));
      }
    }
    StructType ps = new StructType().add("period_month", DataTypes.DateType).add("cell_id", DataTypes.LongType);
    List<Row> pts = new ArrayList<>();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    LocalDate to = LocalDate.of(2024, 4, 1);
    for (int m = 0; m < 4; m++) {
      Date d = Date.valueOf(to.minusMonths(3 - m));
      for (int i = 0; i < 150; i++) {
        pts.add(row(d, Grid.cellId(rnd.nextInt(12), rnd.nextInt(12))));
      }
      if (m == 3) { // April: a 3x3 block around (8, 8) with 12 incidents a cell
        for (int x = 7; x <= 9; x++) {
          for (int y = 7; y <= 9; y++) {
            for (int k = 0; k < 12; k++) {
              pts.add(row(d, Grid.cellId(x, y)));
            }
          }
        }
      }
    }
    Dataset<Row> cellFrame = frame(cs, cells.toArray(Row[]::new));
    Dataset<Row> ptFrame = frame(ps, pts.toArray(Row[]::new));
    Map<Long, Row> e = new HashMap<>();
    Emerging.of(cellFrame, ptFrame, GRID, GRID.cellM * Math.sqrt(2), to, 4).collectAsList()
        .forEach(r -> e.put(r.getLong(0), r));
    assertThat(e).hasSize(144);
    // the map of April alone, with the hotspot job's Gi*
    Dataset<Row> april = ptFrame.where(ptFrame.col("period_month").equalTo(Date.valueOf(to))).groupBy("cell_id").count();
    Dataset<Row> grided = cellFrame.join(april, new String[] {"cell_id"}, "left").na().fill(0L, new String[] {"count"});
    Map<Long, String> map = new HashMap<>();
    GiStar.compute(GRID.neighbourhood(grided, "count", 0), List.of(), 0, 1L).collectAsList()
        .forEach(r -> map.put(r.getAs("cell_id"), r.getAs("class")));
    int newHot = 0;
    for (Row r : e.values()) {
      String pattern = r.getAs("pattern");
      String finalClass = r.getAs("final_class");
      assertThat(finalClass).as("cell %d", r.getLong(0)).isEqualTo(map.get(r.getLong(0)));
      if (pattern.equals("new hot spot") || pattern.equals("consecutive hot spot")) {
        assertThat(GiStar.isHot(map.get(r.getLong(0)))).as("cell %d is %s", r.getLong(0), pattern).isTrue();
        newHot++;
      }
      assertThat(r.<Integer>getAs("slices")).isEqualTo(4);
    }
    assertThat(e.get(Grid.cellId(8, 8)).<String>getAs("pattern")).isEqualTo("new hot spot");
    assertThat(newHot).isGreaterThanOrEqualTo(1);
  }
}
