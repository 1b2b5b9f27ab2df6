package org.ilp.jobs.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Steps of `ilp run` in lanes, some at a time on the run's one session: a lane is a sequence of jobs whose tables no
 * other lane writes, and that reads no table another lane writes unless it names that lane in {@code after} (the
 * assessments, the place products, the person sources all read silver and write their own gold tables; the targets
 * read what the assessments and the person sources wrote). A Spark job of one lane then runs while another lane's
 * driver plans, commits or waits on a small task: where steps are small (the suite, the demo) their time is planning
 * and Delta commits, not rows, and a core would sit idle; at 10 M rows each step keeps both cores busy alone and two at
 * a time take as long as in sequence (BENCHMARKS.md, twenty-first session).
 *
 * <p>Scheduling: whenever fewer than {@code width} lanes run, the first lane in the given order whose {@code after}
 * lanes have all succeeded starts — so a lane that waits on others does not hold a slot while it waits, and a short
 * lane's slot goes to the next. A lane whose {@code after} lane failed does not run (a warning says why). Each lane's
 * log lines carry its name ({@code [assess]}); a failing step stops its lane, the other lanes finish, and the run's
 * exit code is the first lane's (in the given order) that failed. {@code ilp.run.lanes = 1} runs them one after
 * another, in order, and stops at the first failure.
 */
final class Lanes {
  /**
   * A named sequence of steps that starts once the lanes named in {@code after} (earlier in the list) have succeeded;
   * {@code steps} returns the exit code of its first failing step, or 0.
   */
  record Lane(String name, List<String> after, IntSupplier steps) {
    Lane(String name, IntSupplier steps) {
      this(name, List.of(), steps);
    }
  }

  private Lanes() {}

  /** Runs the lanes, {@code width} at a time (see the class comment); the first non-zero exit code in lane order, or 0. */
  static int run(int width, List<Lane> lanes) {
    if (width < 1) {
      throw new IllegalArgumentException("ilp.run.lanes must be at least 1, got " + width);
    }
    java.util.Set<String> earlier = new java.util.HashSet<>();
    for (Lane l : lanes) {
      for (String a : l.after()) {
        if (!earlier.contains(a)) {
          throw new IllegalArgumentException("lane " + l.name() + " comes after " + a + ", which is not an earlier lane");
        }
      }
      earlier.add(l.name());
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
    // ended lanes: exit code (-1: an exception); written by the lanes' threads
    Map<String, Integer> codes = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Throwable> thrown = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Set<String> skipped = new java.util.HashSet<>(); // not run: a lane they come after failed
    List<Lane> waiting = new ArrayList<>(lanes);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(width, lanes.size()));
    ExecutorCompletionService<String> done = new ExecutorCompletionService<>(pool);
    int running = 0; // lanes started and not yet taken from done
    try {
      while (!waiting.isEmpty() || running > 0) {
        for (Iterator<Lane> it = waiting.iterator(); it.hasNext() && running < width; ) {
          Lane l = it.next();
          List<String> failed = l.after().stream()
              .filter(a -> skipped.contains(a) || (codes.containsKey(a) && codes.get(a) != 0)).toList();
          if (!failed.isEmpty()) {
            it.remove();
            skipped.add(l.name());
            LoggerFactory.getLogger("org.ilp.progress").warn("lane {} not run: {} failed", l.name(), failed);
            continue;
          }
          if (l.after().stream().allMatch(codes::containsKey)) {
            it.remove();
            running++;
            done.submit(() -> {
              MDC.put("lane", l.name());
              try {
                codes.put(l.name(), l.steps().getAsInt()); // (read by this loop only after take())
              } catch (RuntimeException | Error e) { // (an Error too: its lane has ended, and failed)
                thrown.put(l.name(), e);
                codes.put(l.name(), -1);
              } finally {
                MDC.remove("lane");
              }
              return l.name();
            });
          }
        }
        if (running == 0) {
          break; // (cannot happen: a lane comes after earlier lanes only, which ran or were skipped)
        }
        done.take();
        running--;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the run's lanes", e);
    } finally {
      pool.shutdown();
    }
    // the first failure in lane order: an exception (the others suppressed in it), else the first non-zero code
    Throwable failure = null;
    for (Lane l : lanes) {
      Throwable e = thrown.get(l.name());
      if (e != null) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    return lanes.stream().map(l -> codes.getOrDefault(l.name(), 0)).filter(rc -> rc != 0).findFirst().orElse(0);
  }
}
