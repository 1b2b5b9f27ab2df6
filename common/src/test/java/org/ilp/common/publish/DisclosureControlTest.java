package org.ilp.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ilp.common.publish.DisclosureControl.Cell;
import org.ilp.common.publish.DisclosureControl.Key;
import org.ilp.common.publish.DisclosureControl.Status;
import org.ilp.common.publish.DisclosureControl.Tree;
import org.junit.jupiter.api.Test;

class DisclosureControlTest {

  /** Region R with local areas A, B; offences ALL = X + Y. */
  static final Tree AREAS = new Tree(Map.of("A", "R", "B", "R"));
  static final Tree OFFENCES = new Tree(Map.of("X", "ALL", "Y", "ALL"));

  static List<Cell> table(long ax, long ay, long bx, long by) {
    return List.of(new Cell("A", "X", ax), new Cell("A", "Y", ay), new Cell("B", "X", bx), new Cell("B", "Y", by),
        new Cell("A", "ALL", ax + ay), new Cell("B", "ALL", bx + by), new Cell("R", "X", ax + bx),
        new Cell("R", "Y", ay + by), new Cell("R", "ALL", ax + ay + bx + by));
  }

  @Test
  void oneSmallCellGetsPartnersInItsRowAndColumnAndTheCrossing() {
    // A×X = 1 is primary. Row A: X + Y = ALL -> partner A×Y (10); column X: A + B = R -> partner B×X (20);
    // then row B (B×X alone) -> B×Y (30) and column Y (A×Y alone) -> B×Y: the 2×2 rectangle, totals published.
    var r = DisclosureControl.suppress(table(1, 10, 20, 30), AREAS, OFFENCES, 3);
    assertThat(r.status().get(new Key("A", "X"))).isEqualTo(Status.PRIMARY);
    assertThat(r.status().get(new Key("A", "Y"))).isEqualTo(Status.SECONDARY);
    assertThat(r.status().get(new Key("B", "X"))).isEqualTo(Status.SECONDARY);
    assertThat(r.status().get(new Key("B", "Y"))).isEqualTo(Status.SECONDARY);
    assertThat(r.status().get(new Key("R", "ALL"))).isEqualTo(Status.PUBLISHED);
    assertThat(r.status().get(new Key("A", "ALL"))).isEqualTo(Status.PUBLISHED);
    assertThat(r.primary()).isEqualTo(1);
    assertThat(r.secondary()).isEqualTo(3);
    // nothing below k and no zeros suppressed
    assertThat(DisclosureControl.suppress(table(0, 10, 20, 30), AREAS, OFFENCES, 3).secondary()).isZero();
  }

  @Test
  void inconsistentTablesAreRejected() {
    List<Cell> bad = new ArrayList<>(table(1, 10, 20, 30));
    bad.set(8, new Cell("R", "ALL", 99));
    assertThatThrownBy(() -> DisclosureControl.suppress(bad, AREAS, OFFENCES, 3))
        .hasMessageContaining("inconsistent table: R × ALL");
  }

  @Test
  void randomTablesAreProtectedAndDeterministic() {
    Random rnd = new Random(7);
    for (int t = 0; t < 150; t++) {
      int regions = 1 + rnd.nextInt(3);
      int locals = 1 + rnd.nextInt(3);
      int groups = 1 + rnd.nextInt(3);
      int codes = 1 + rnd.nextInt(3);
      Map<String, String> ap = new HashMap<>();
      Map<String, String> op = new HashMap<>();
      Map<String, Long> leaf = new HashMap<>();
      List<String> leafAreas = new ArrayList<>();
      List<String> leafOff = new ArrayList<>();
      for (int r = 0; r < regions; r++) {
        ap.put("R" + r, "N");
        for (int l = 0; l < locals; l++) {
          ap.put("L" + r + l, "R" + r);
          leafAreas.add("L" + r + l);
        }
      }
      for (int g = 0; g < groups; g++) {
        op.put("G" + g, "ALL");
        for (int c = 0; c < codes; c++) {
          op.put("C" + g + c, "G" + g);
          leafOff.add("C" + g + c);
        }
      }
      Map<Key, Long> sums = new HashMap<>();
      for (String a : leafAreas) {
        for (String o : leafOff) {
          long v = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(rnd.nextBoolean() ? 4 : 30);
          for (String aa = a; aa != null; aa = ap.get(aa)) {
            for (String oo = o; oo != null; oo = op.get(oo)) {
              sums.merge(new Key(aa, oo), v, Long::sum);
            }
          }
        }
      }
      List<Cell> cells = new ArrayList<>();
      sums.forEach((k, v) -> cells.add(new Cell(k.area(), k.offence(), v)));
      var res = DisclosureControl.suppress(cells, new Tree(ap), new Tree(op), 3);
      for (Cell c : cells) {
        Status s = res.status().get(new Key(c.area(), c.offence()));
        if (s == Status.PUBLISHED) {
          assertThat(c.value() >= 1 && c.value() <= 2).as("published %s", c).isFalse();
        }
      }
      // no suppressed cell is recomputable: an independent LP (min and max over x >= 0) per cell
      assertThat(SuppressionAudit.exposed(cells, ap, op, res.status())).as("table %d", t).isEmpty();
      List<Cell> shuffled = new ArrayList<>(cells);
      Collections.shuffle(shuffled, new Random(t));
      assertThat(DisclosureControl.suppress(shuffled, new Tree(ap), new Tree(op), 3).status()).isEqualTo(res.status());
    }
  }

  @Test
  void aCellIsDeterminedExactlyWhenTheNullSpaceIsZeroThere() {
    // by hand: x0 - x1 - x2 = 0 pins nothing; with x1 - x2 = 0 added still nothing; with x2 = 0 (a row of
    // published members) all three
    assertThat(DisclosureControl.fixedColumns(new double[][] {{1, -1, -1}}, 3)).containsExactly(false, false, false);
    assertThat(DisclosureControl.fixedColumns(new double[][] {{1, -1, -1}, {0, 1, -1}}, 3))
        .containsExactly(false, false, false);
    assertThat(DisclosureControl.fixedColumns(new double[][] {{1, -1, -1}, {0, 1, -1}, {0, 0, 1}}, 3))
        .containsExactly(true, true, true);
    // x0 - x1 = 0 and x2 = 0: only x2
    assertThat(DisclosureControl.fixedColumns(new double[][] {{1, -1, 0}, {0, 0, 1}}, 3)).containsExactly(false, false, true);
    // random {-1, 0, 1} systems against an independent oracle: the null space from commons-math's SVD
    Random rnd = new Random(11);
    for (int t = 0; t < 500; t++) {
      int rows = 1 + rnd.nextInt(9);
      int cols = 1 + rnd.nextInt(9);
      double[][] a = new double[Math.max(rows, cols)][cols]; // SVD returns min(rows, cols) vectors: pad
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          a[i][j] = rnd.nextInt(3) == 0 ? rnd.nextInt(3) - 1 : 0;
        }
      }
      var svd = new org.apache.commons.math3.linear.SingularValueDecomposition(
          new org.apache.commons.math3.linear.Array2DRowRealMatrix(a));
      var v = svd.getV();
      boolean[] expected = new boolean[cols];
      for (int i = 0; i < cols; i++) {
        double norm = 0;
        for (int j = svd.getRank(); j < cols; j++) {
          norm += v.getEntry(i, j) * v.getEntry(i, j);
        }
        expected[i] = norm < 1e-12;
      }
      double[][] copy = new double[rows][];
      for (int i = 0; i < rows; i++) {
        copy[i] = a[i].clone();
      }
      assertThat(DisclosureControl.fixedColumns(copy, cols)).as("system %d", t).isEqualTo(expected);
    }
  }
}
