package org.ilp.common.publish;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.ilp.common.publish.DisclosureControl.Cell;
import org.ilp.common.publish.DisclosureControl.Key;
import org.ilp.common.publish.DisclosureControl.Status;

/**
 * Test-side attacker, written independently of {@link DisclosureControl}: knowing every published
 * cell and every "parent = sum of children" relation, what can be said about each suppressed cell?
 * For each one it solves two linear programmes (min and max of the cell subject to the relations,
 * the published values and x &gt;= 0). A cell whose min equals its max is recomputable.
 */
public final class SuppressionAudit {
  private SuppressionAudit() {}

  /** Suppressed keys whose value the published table pins down. */
  public static List<Key> exposed(List<Cell> cells, Map<String, String> areaParent, Map<String, String> offenceParent,
      Map<Key, Status> status) {
    Map<Key, Long> value = new HashMap<>();
    cells.forEach(c -> value.put(new Key(c.area(), c.offence()), c.value()));
    Map<Key, Integer> var = new HashMap<>();
    List<Key> vars = new ArrayList<>();
    for (Cell c : cells) {
      Key k = new Key(c.area(), c.offence());
      if (status.get(k) != Status.PUBLISHED) {
        var.put(k, vars.size());
        vars.add(k);
      }
    }
    if (vars.isEmpty()) {
      return List.of();
    }
    // every relation: parent - sum(children) = 0; published members go to the right-hand side
    Map<Key, List<Key>> children = new HashMap<>();
    for (Key k : value.keySet()) {
      String pa = areaParent.get(k.area());
      if (pa != null) {
        children.computeIfAbsent(new Key(pa, k.offence()), x -> new ArrayList<>()).add(k);
      }
    }
    Map<Key, List<Key>> offChildren = new HashMap<>();
    for (Key k : value.keySet()) {
      String po = offenceParent.get(k.offence());
      if (po != null) {
        offChildren.computeIfAbsent(new Key(k.area(), po), x -> new ArrayList<>()).add(k);
      }
    }
    List<LinearConstraint> cons = new ArrayList<>();
    for (Map<Key, List<Key>> rel : List.of(children, offChildren)) {
      for (Map.Entry<Key, List<Key>> e : rel.entrySet()) {
        double[] coef = new double[vars.size()];
        double rhs = 0;
        boolean any = false;
        List<Key> members = new ArrayList<>(e.getValue());
        members.add(0, e.getKey());
        for (int i = 0; i < members.size(); i++) {
          Key m = members.get(i);
          double sign = i == 0 ? 1 : -1;
          Integer v = var.get(m);
          if (v != null) {
            coef[v] += sign;
            any = true;
          } else {
            rhs -= sign * value.getOrDefault(m, 0L);
          }
        }
        if (any) {
          cons.add(new LinearConstraint(coef, Relationship.EQ, rhs));
        }
      }
    }
    List<Key> out = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      double[] obj = new double[vars.size()];
      obj[i] = 1;
      double lo = solve(obj, cons, GoalType.MINIMIZE);
      double hi = solve(obj, cons, GoalType.MAXIMIZE);
      if (hi - lo < 1e-6) {
        out.add(vars.get(i));
      }
    }
    return out;
  }

  private static double solve(double[] obj, List<LinearConstraint> cons, GoalType goal) {
    try {
      return new SimplexSolver().optimize(new MaxIter(100_000), new LinearObjectiveFunction(obj, 0),
        new LinearConstraintSet(cons), goal, new NonNegativeConstraint(true)).getValue();
    } catch (org.apache.commons.math3.optim.linear.UnboundedSolutionException e) {
      return goal == GoalType.MAXIMIZE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; // not pinned
    }
  }
}
