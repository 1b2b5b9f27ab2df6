package org.ilp.common.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Tasks on one session, some at a time: each ends before this returns, so a failure never leaves another task
 * running behind the caller's back.
 */
public final class Concurrently {
  private Concurrently() {}

  /**
   * Runs the tasks, {@code width} at a time, and returns their results in the given order; the first failure (in that
   * order, the others suppressed in it) is thrown once every task has ended.
   */
  public static <T> List<T> all(int width, List<Supplier<T>> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(width, tasks.size()));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Supplier<T> t : tasks) {
        futures.add(pool.submit(t::get));
      }
      List<T> out = new ArrayList<>();
      RuntimeException failure = null;
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          RuntimeException re = e.getCause() instanceof RuntimeException x ? x : new IllegalStateException(e.getCause());
          if (failure == null) {
            failure = re;
          } else {
            failure.addSuppressed(re);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for concurrent tasks", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }
}
