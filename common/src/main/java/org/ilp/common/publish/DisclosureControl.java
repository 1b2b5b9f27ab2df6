package org.ilp.common.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statistical disclosure control for a crossed hierarchical count table (area tree × offence tree),
 * after Hundepool et al., <i>Statistical Disclosure Control</i> (Wiley 2012), ch. 4–5:
 * <ol>
 *   <li><b>Primary suppression</b> (threshold rule): a count in 1..k−1 is suppressed. Zero is
 *       public (a missing cell is a zero).</li>
 *   <li><b>Secondary suppression</b>: every additive relation (a parent cell = the sum of its child
 *       cells, along either tree) must hold 0 or at least 2 suppressed members, otherwise the lone
 *       one is its parent minus the published rest. Greedy: while a relation has exactly one,
 *       suppress its smallest positive published member (children before the parent; ties by key),
 *       a work-queue fixed point.</li>
 *   <li><b>Audit</b>: pairs are necessary, not sufficient — chains of relations can still pin a
 *       value. For every connected group of suppressed cells the equations the published cells
 *       leave form {@code A x = b}; a suppressed cell i is determined iff the unit vector e_i lies in
 *       the row space of A, i.e. iff row i of a null-space basis of A is zero: in the reduced row echelon form of A
 *       (Gauss–Jordan elimination with partial pivoting; Golub &amp; Van Loan, <i>Matrix Computations</i>,
 *       4th ed., §3.2), iff column i holds a pivot whose row is zero in every free column. Any determined
 *       cell gets one more partner in one of its relations, and the audit repeats.</li>
 * </ol>
 * The result is a deterministic function of the cells (input order does not matter), so a period's
 * pattern is the same wherever that period is published.
 */
public final class DisclosureControl {
  private DisclosureControl() {}

  public record Cell(String area, String offence, long value) {}

  public record Key(String area, String offence) {}

  /** A tree given by child → parent (roots absent). */
  public record Tree(Map<String, String> parentOf) {}

  public enum Status { PUBLISHED, PRIMARY, SECONDARY }

  public record Result(Map<Key, Status> status, int primary, int secondary) {}

  public static Result suppress(List<Cell> input, Tree areas, Tree offences, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
    List<Cell> cells = new ArrayList<>(input);
    cells.sort(Comparator.comparing(Cell::area).thenComparing(Cell::offence));
    int n = cells.size();
    Map<Key, Integer> index = new HashMap<>(n * 2);
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      if (c.value() < 0) {
        throw new IllegalArgumentException("negative count at " + c);
      }
      if (index.put(new Key(c.area(), c.offence()), i) != null) {
        throw new IllegalArgumentException("duplicate cell " + c.area() + " × " + c.offence());
      }
      v[i] = c.value();
    }
    List<int[]> relations = relations(cells, index, v, areas, offences);
    List<List<Integer>> relOf = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      relOf.add(new ArrayList<>(2));
    }
    for (int r = 0; r < relations.size(); r++) {
      for (int m : relations.get(r)) {
        relOf.get(m).add(r);
      }
    }
    Status[] st = new Status[n];
    Arrays.fill(st, Status.PUBLISHED);
    int primary = 0;
    for (int i = 0; i < n; i++) {
      if (v[i] >= 1 && v[i] <= k - 1) {
        st[i] = Status.PRIMARY;
        primary++;
      }
    }
    Deque<Integer> queue = new ArrayDeque<>();
    for (int r = 0; r < relations.size(); r++) {
      queue.add(r);
    }
    int[] secondary = {0};
    fixPoint(relations, relOf, v, st, queue, secondary, cells);
    // audit until no suppressed cell is determined by the published ones; a round changes one or a few
    // components, so the verdicts of the others are remembered (a component's equations depend only on
    // its set of suppressed cells)
    Map<List<Integer>, List<Integer>> verdicts = new HashMap<>();
    for (int round = 0; round < 10_000; round++) {
      List<Integer> exposed = determined(relations, relOf, st, verdicts);
      if (exposed.isEmpty()) {
        break;
      }
      int cell = exposed.get(0);
      boolean added = false;
      // a partner in the exposed cell's own relations, else in the relations of its suppressed
      // neighbourhood (breadth-first), nearest first
      Deque<Integer> bfs = new ArrayDeque<>(List.of(cell));
      java.util.Set<Integer> seen = new java.util.HashSet<>(List.of(cell));
      while (!bfs.isEmpty() && !added) {
        int x = bfs.poll();
        for (int r : relOf.get(x)) {
          int pick = candidate(relations.get(r), v, st, cells);
          if (pick >= 0) {
            st[pick] = Status.SECONDARY;
            secondary[0]++;
            queue.addAll(relOf.get(pick));
            added = true;
            break;
          }
          for (int m : relations.get(r)) {
            if (st[m] != Status.PUBLISHED && seen.add(m)) {
              bfs.add(m);
            }
          }
        }
      }
      if (!added) {
        throw new IllegalStateException("cannot protect " + cells.get(cell) + ": no published positive cell left in its relations");
      }
      fixPoint(relations, relOf, v, st, queue, secondary, cells);
    }
    Map<Key, Status> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(new Key(cells.get(i).area(), cells.get(i).offence()), st[i]);
    }
    return new Result(out, primary, secondary[0]);
  }

  /** Relations as member index arrays, parent first; validated (parent = sum of children). */
  static List<int[]> relations(List<Cell> cells, Map<Key, Integer> index, long[] v, Tree areas, Tree offences) {
    Map<String, List<String>> areaKids = children(areas);
    Map<String, List<String>> offKids = children(offences);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      addRelation(out, i, v, areaKids.get(c.area()), a -> index.get(new Key(a, c.offence())), c, "area");
      addRelation(out, i, v, offKids.get(c.offence()), o -> index.get(new Key(c.area(), o)), c, "offence");
    }
    return out;
  }

  private static void addRelation(List<int[]> out, int parent, long[] v, List<String> kids,
      java.util.function.Function<String, Integer> find, Cell c, String dim) {
    if (kids == null) {
      return;
    }
    List<Integer> members = new ArrayList<>();
    members.add(parent);
    long sum = 0;
    for (String kid : kids) {
      Integer j = find.apply(kid);
      if (j != null) {
        members.add(j);
        sum += v[j];
      }
    }
    if (members.size() == 1) {
      if (v[parent] != 0) {
        throw new IllegalArgumentException("inconsistent table: " + c.area() + " × " + c.offence() + " = " + v[parent]
            + " but it has no " + dim + " children");
      }
      return;
    }
    if (sum != v[parent]) {
      throw new IllegalArgumentException("inconsistent table: " + c.area() + " × " + c.offence() + " = " + v[parent]
          + " but its " + dim + " children sum to " + sum);
    }
    out.add(members.stream().mapToInt(Integer::intValue).toArray());
  }

  private static Map<String, List<String>> children(Tree t) {
    Map<String, List<String>> kids = new HashMap<>();
    t.parentOf().forEach((child, parent) -> {
      if (parent != null) {
        kids.computeIfAbsent(parent, x -> new ArrayList<>()).add(child);
      }
    });
    kids.values().forEach(l -> l.sort(null));
    return kids;
  }

  private static void fixPoint(List<int[]> relations, List<List<Integer>> relOf, long[] v, Status[] st,
      Deque<Integer> queue, int[] secondary, List<Cell> cells) {
    while (!queue.isEmpty()) {
      int[] rel = relations.get(queue.poll());
      int sup = 0;
      for (int m : rel) {
        sup += st[m] != Status.PUBLISHED ? 1 : 0;
      }
      if (sup != 1) {
        continue;
      }
      int pick = candidate(rel, v, st, cells);
      if (pick < 0) {
        throw new IllegalStateException("cannot protect a relation: no published positive member left");
      }
      st[pick] = Status.SECONDARY;
      secondary[0]++;
      queue.addAll(relOf.get(pick));
    }
  }

  /** Smallest published positive member, children first (ties: cell order, i.e. key order); -1 if none. */
  private static int candidate(int[] rel, long[] v, Status[] st, List<Cell> cells) {
    int best = -1;
    for (int idx = 1; idx < rel.length; idx++) {
      int m = rel[idx];
      if (st[m] == Status.PUBLISHED && v[m] > 0 && (best < 0 || v[m] < v[best] || (v[m] == v[best] && m < best))) {
        best = m;
      }
    }
    if (best < 0 && st[rel[0]] == Status.PUBLISHED && v[rel[0]] > 0) {
      best = rel[0];
    }
    return best;
  }

  /**
   * Suppressed cells whose value the published cells determine (linear algebra on each component);
   * {@code verdicts} remembers each component's answer by its sorted cells.
   */
  static List<Integer> determined(List<int[]> relations, List<List<Integer>> relOf, Status[] st,
      Map<List<Integer>, List<Integer>> verdicts) {
    int n = st.length;
    int[] comp = new int[n];
    Arrays.fill(comp, -1);
    List<Integer> out = new ArrayList<>();
    int next = 0;
    for (int s = 0; s < n; s++) {
      if (st[s] == Status.PUBLISHED || comp[s] >= 0) {
        continue;
      }
      // flood the component of suppressed cells linked through relations
      List<Integer> vars = new ArrayList<>();
      List<Integer> rels = new ArrayList<>();
      java.util.Set<Integer> seenRel = new java.util.HashSet<>();
      Deque<Integer> dq = new ArrayDeque<>();
      dq.add(s);
      comp[s] = next;
      while (!dq.isEmpty()) {
        int x = dq.poll();
        vars.add(x);
        for (int r : relOf.get(x)) {
          if (seenRel.add(r)) {
            rels.add(r);
            for (int m : relations.get(r)) {
              if (st[m] != Status.PUBLISHED && comp[m] < 0) {
                comp[m] = next;
                dq.add(m);
              }
            }
          }
        }
      }
      next++;
      List<Integer> key = new ArrayList<>(vars);
      key.sort(null);
      List<Integer> known = verdicts.get(key);
      if (known != null) {
        out.addAll(known);
        continue;
      }
      List<Integer> found = new ArrayList<>();
      Map<Integer, Integer> col = new HashMap<>();
      for (int i = 0; i < vars.size(); i++) {
        col.put(vars.get(i), i);
      }
      // A x = b: parent - sum(children) = 0, published members moved to b (b is not needed for the test)
      double[][] a = new double[rels.size()][vars.size()];
      for (int r = 0; r < rels.size(); r++) {
        int[] rel = relations.get(rels.get(r));
        for (int idx = 0; idx < rel.length; idx++) {
          Integer c = col.get(rel[idx]);
          if (c != null) {
            a[r][c] += idx == 0 ? 1 : -1;
          }
        }
      }
      boolean[] fixed = fixedColumns(a, vars.size());
      for (int i = 0; i < vars.size(); i++) {
        if (fixed[i]) {
          found.add(vars.get(i));
        }
      }
      verdicts.put(key, found);
      out.addAll(found);
    }
    out.sort(null);
    return out;
  }

  private static final double EPS = 1e-9;

  /**
   * Columns of {@code a} (rows × cols; the rows are overwritten) whose unit vector lies in the row space of
   * {@code a}: the pivot columns of its reduced row echelon form whose row is zero in every free column
   * (a free column's null-space vector is 1 there and minus that row entry at each pivot).
   */
  static boolean[] fixedColumns(double[][] a, int cols) {
    int rows = a.length;
    int[] pivotCol = new int[Math.min(rows, cols)];
    boolean[] isPivot = new boolean[cols];
    int r = 0;
    for (int c = 0; c < cols && r < rows; c++) {
      int best = r;
      for (int i = r + 1; i < rows; i++) {
        if (Math.abs(a[i][c]) > Math.abs(a[best][c])) {
          best = i;
        }
      }
      if (Math.abs(a[best][c]) < EPS) {
        continue; // a free column
      }
      double[] t = a[r];
      a[r] = a[best];
      a[best] = t;
      double[] pr = a[r];
      double inv = 1 / pr[c];
      for (int j = c; j < cols; j++) {
        pr[j] = Math.abs(pr[j] * inv) < EPS ? 0 : pr[j] * inv;
      }
      for (int i = 0; i < rows; i++) {
        double f = a[i][c];
        if (i != r && f != 0) {
          double[] ri = a[i];
          for (int j = c; j < cols; j++) {
            double x = ri[j] - f * pr[j];
            ri[j] = Math.abs(x) < EPS ? 0 : x;
          }
        }
      }
      pivotCol[r++] = c;
      isPivot[c] = true;
    }
    boolean[] fixed = new boolean[cols];
    for (int i = 0; i < r; i++) {
      boolean zero = true;
      for (int f = 0; f < cols && zero; f++) {
        zero = isPivot[f] || Math.abs(a[i][f]) < EPS;
      }
      fixed[pivotCol[i]] = zero;
    }
    return fixed;
  }
}
