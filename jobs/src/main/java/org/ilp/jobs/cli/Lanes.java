package org.ilp.jobs.cli;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.ilp.common.spark.Concurrently;
import org.slf4j.MDC;

/**
 * Steps of `ilp run` in lanes, some at a time on the run's one session: a lane is a sequence of jobs whose tables no
 * other lane writes or reads (the assessments, the place products, the person sources all read silver and write their
 * own gold tables). A Spark job of one lane then runs while another lane's driver plans, commits or waits on a
 * small task: where steps are small (the suite, the demo) their time is planning and Delta commits, not rows, and a
 * core would sit idle; at 10 M rows each step keeps both cores busy alone and two at a time take as long as in
 * sequence (BENCHMARKS.md, twenty-first session). Each lane's log lines carry its name ({@code [assess]}); a failing step stops its
 * lane, the other lanes finish, and the run's exit code is the first lane's (in the given order) that failed.
 * {@code ilp.run.lanes = 1} runs them one after another, in order, as before.
 */
final class Lanes {
  /** A named sequence of steps; {@code steps} returns the exit code of its first failing step, or 0. */
  record Lane(String name, IntSupplier steps) {}

  private Lanes() {}

  /** Runs the lanes, {@code width} at a time; the first non-zero exit code in lane order, or 0. */
  static int run(int width, List<Lane> lanes) {
    if (width < 1) {
      throw new IllegalArgumentException("ilp.run.lanes must be at least 1, got " + width);
    }
    if (width == 1 || lanes.size() < 2) {
      for (Lane l : lanes) {
        int rc = l.steps().getAsInt();
        if (rc != 0) {
          return rc;
        }
      }
      return 0;
    }
    List<Supplier<Integer>> named = lanes.stream().<Supplier<Integer>>map(l -> () -> {
      MDC.put("lane", l.name());
      try {
        return l.steps().getAsInt();
      } finally {
        MDC.remove("lane");
      }
    }).toList();
    // every lane ends before the run does; the first failing lane's code, in lane order
    return Concurrently.all(width, named).stream().filter(rc -> rc != 0).findFirst().orElse(0);
  }
}
