package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.stats.GetisOrd;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link GiStar#compute} — the code behind the hotspot map and the emerging slices — on the hand-built
 * 5×5 grid (border 1s, inner ring 2s, centre 9; n = 25, x̄ = 1.64, S² = 2.4704) with the queen
 * neighbourhood {@link Grid#neighbourhood} builds from a 100 m grid and the default band (100·√2 m).
 */
@ExtendWith(SparkTestSupport.class)
class GiStarTest {
  static final Grid GRID = new Grid("EPSG:27700", 1.0, 100);
  static final StructType CELLS = new StructType().add("month", DataTypes.StringType).add("cell_id", DataTypes.LongType)
      .add("ix", DataTypes.LongType).add("iy", DataTypes.LongType).add("count", DataTypes.LongType);
  static final int[][] HOT = {{1, 1, 1, 1, 1}, {1, 2, 2, 2, 1}, {1, 2, 9, 2, 1}, {1, 2, 2, 2, 1}, {1, 1, 1, 1, 1}};

  static List<Row> grid(String month, int[][] values) {
    List<Row> rows = new ArrayList<>();
    for (int x = 0; x < values.length; x++) {
      for (int y = 0; y < values[x].length; y++) {
        rows.add(row(month, Grid.cellId(x, y), (long) x, (long) y, (long) values[x][y]));
      }
    }
    return rows;
  }

  static Map<Long, Row> compute(Dataset<Row> cells, List<String> slices, int permutations, long seed) {
    Dataset<Row> nb = GRID.neighbourhood(cells, "count", 0, slices);
    Map<Long, Row> out = new HashMap<>();
    for (Row r : GiStar.compute(nb, slices, permutations, seed)
        .select("month", "cell_id", "nb_w", "gi_z", "gi_p", "gi_p_perm", "gi_p_sim", "gi_q", "class").collectAsList()) {
      out.put(r.getLong(1) + ("b".equals(r.getString(0)) ? 1_000_000_000L : 0), r);
    }
    return out;
  }

  @Test
  void zScoresOfTheHandBuiltGridEqualTheHandComputation() {
    Map<Long, Row> r = compute(frame(CELLS, grid("a", HOT).toArray(Row[]::new)), List.of(), 0, 1);
    // centre: neighbourhood 8·2 + 9 = 25, W = 9: (25 − 14.76) / sqrt(2.4704 · (225 − 81)/24) = 64/√579
    Row centre = r.get(Grid.cellId(2, 2));
    assertThat(centre.getInt(2)).isEqualTo(9);
    assertThat(centre.getDouble(3)).isCloseTo(64 / Math.sqrt(579), within(1e-12));
    assertThat(centre.getDouble(4)).isCloseTo(0.007819884981521879, within(1e-12));
    // corner: 1 + 1 + 1 + 2 = 5, W = 4: −1.56 / sqrt(2.4704 · 3.5) = −39/√5404
    assertThat(r.get(Grid.cellId(0, 0)).getDouble(3)).isCloseTo(-39 / Math.sqrt(5404), within(1e-12));
    assertThat(r.get(Grid.cellId(4, 4)).getDouble(3)).isCloseTo(-39 / Math.sqrt(5404), within(1e-12));
    // edge middle: 1+1+1 + 2+2+2 = 9, W = 6: −0.84 / sqrt(2.4704 · 114/24) = −0.24521602148139593
    assertThat(r.get(Grid.cellId(0, 2)).getDouble(3)).isCloseTo(-0.24521602148139593, within(1e-12));
    // inner ring (1,1): 20, W = 9: 5.24 / sqrt(14.8224) = 1.3610435521870392
    assertThat(r.get(Grid.cellId(1, 1)).getDouble(3)).isCloseTo(1.3610435521870392, within(1e-12));
    // the same formula as GetisOrd.z, cell by cell; no pseudo-p without permutations
    for (Row c : r.values()) {
      assertThat(c.isNullAt(5)).isTrue();
      assertThat(c.getDouble(6)).isBetween(0.0, 1.0);
    }
    // gi_q is the BH q of gi_p_sim over the 25 cells: q_i = min over p_j ≥ p_i of 25·p_j / rank_j
    // (under conditional randomisation the centre's own 9 is held fixed: its neighbours, 8 × 2, are what is
    // tested, which is why it is not the most significant cell)
    List<Double> ps = new ArrayList<>();
    r.values().forEach(c -> ps.add(c.getDouble(6)));
    ps.sort(null);
    for (Row c : r.values()) {
      double q = 1;
      for (int j = 0; j < 25; j++) {
        if (ps.get(j) >= c.getDouble(6)) {
          int rank = j + 1;
          while (rank < 25 && ps.get(rank).equals(ps.get(j))) {
            rank++;
          }
          q = Math.min(q, 25 * ps.get(j) / rank);
        }
      }
      assertThat(c.getDouble(7)).isCloseTo(q, within(1e-12));
    }
  }

  @Test
  void classesFollowTheFdrThresholdsAndDegenerateCellsAreFlaggedNotDivided() {
    // 7x7 background of 0s with a 3x3 block of 6s: the block's centre is hot; an isolated cell far away has no neighbours
    int[][] v = new int[7][7];
    for (int x = 2; x <= 4; x++) {
      for (int y = 2; y <= 4; y++) {
        v[x][y] = 6;
      }
    }
    List<Row> rows = grid("a", v);
    rows.add(row("a", Grid.cellId(100, 100), 100L, 100L, 0L));
    Map<Long, Row> r = compute(frame(CELLS, rows.toArray(Row[]::new)), List.of(), 0, 1);
    Row hot = r.get(Grid.cellId(3, 3));
    assertThat(hot.getDouble(7)).isLessThan(0.01);
    assertThat(hot.getString(8)).isEqualTo("hot 99%");
    Row lone = r.get(Grid.cellId(100, 100));
    assertThat(lone.getInt(2)).isEqualTo(1);
    assertThat(lone.getString(8)).isEqualTo("no neighbours");
    assertThat(lone.isNullAt(3)).isTrue();
    for (Row c : r.values()) {
      String expected = c.getInt(2) < 2 ? "no neighbours" : c.getDouble(7) < 0.01 ? (c.getDouble(3) > 0 ? "hot 99%" : "cold 99%")
          : c.getDouble(7) < 0.05 ? (c.getDouble(3) > 0 ? "hot 95%" : "cold 95%")
          : c.getDouble(7) < 0.10 ? (c.getDouble(3) > 0 ? "hot 90%" : "cold 90%") : "not significant";
      assertThat(c.getString(8)).as("cell %d", c.getLong(1)).isEqualTo(expected);
    }
    // every cell equal: S = 0, no variance, never a division by zero
    Map<Long, Row> flat = compute(frame(CELLS, grid("a", new int[][] {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}}).toArray(Row[]::new)),
        List.of(), 9, 1);
    assertThat(flat.values()).allSatisfy(c -> {
      assertThat(c.getString(8)).isEqualTo("no variance");
      assertThat(c.isNullAt(3)).isTrue();
    });
  }

  @Test
  void slicesAreTestedSeparatelyWithTheirOwnMeanAndSpread() {
    // slice a = the hot grid; slice b = the same grid with every value doubled: z is scale-free, so equal
    int[][] doubled = new int[5][5];
    for (int x = 0; x < 5; x++) {
      for (int y = 0; y < 5; y++) {
        doubled[x][y] = 2 * HOT[x][y];
      }
    }
    List<Row> rows = grid("a", HOT);
    rows.addAll(grid("b", doubled));
    Map<Long, Row> r = compute(frame(CELLS, rows.toArray(Row[]::new)), List.of("month"), 0, 1);
    assertThat(r).hasSize(50);
    assertThat(r.get(Grid.cellId(2, 2) + 1_000_000_000L).getDouble(3)).isCloseTo(64 / Math.sqrt(579), within(1e-12));
    assertThat(r.get(Grid.cellId(2, 2)).getDouble(3)).isCloseTo(64 / Math.sqrt(579), within(1e-12));
    // a slice is one BH family of 25 tests: q = min over j ≥ rank of 25 p_(j) / j, as in a one-slice run
    Map<Long, Row> alone = compute(frame(CELLS, grid("a", HOT).toArray(Row[]::new)), List.of(), 0, 1);
    for (long id : alone.keySet()) {
      assertThat(r.get(id).getDouble(7)).isCloseTo(alone.get(id).getDouble(7), within(1e-15));
    }
  }

  @Test
  void pseudoPIsReproduciblePerSeedWhateverThePartitioning() {
    List<Row> rows = grid("a", HOT);
    Dataset<Row> cells = frame(CELLS, rows.toArray(Row[]::new));
    Map<Long, Row> a = compute(cells, List.of(), 199, 7);
    Map<Long, Row> b = compute(cells.repartition(5), List.of(), 199, 7);
    Map<Long, Row> c = compute(cells, List.of(), 199, 8);
    boolean differs = false;
    for (long id : a.keySet()) {
      double p = a.get(id).getDouble(5);
      assertThat(p).isBetween(1.0 / 200, 1.0);
      assertThat(b.get(id).getDouble(5)).isEqualTo(p);
      differs |= c.get(id).getDouble(5) != p;
    }
    assertThat(differs).as("another seed gives other draws").isTrue();
    assertThat(GetisOrd.z(25, 9, 1.64, Math.sqrt(2.4704), 25)).isCloseTo(a.get(Grid.cellId(2, 2)).getDouble(3), within(1e-12));
  }
}
