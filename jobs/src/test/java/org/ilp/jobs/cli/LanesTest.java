package org.ilp.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** `ilp run`'s lanes without Spark: overlap, exit codes in lane order, the other lanes finishing, names in the log. */
class LanesTest {
  @Test
  void lanesOverlapAndTheFirstFailingLaneInOrderGivesTheExitCode() {
    CountDownLatch bothStarted = new CountDownLatch(2);
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    Lanes.Lane a = new Lanes.Lane("a", () -> {
      bothStarted.countDown();
      seen.add("a:" + MDC.get("lane") + ":" + await(bothStarted)); // waits for b: only if the two run at once
      return 0;
    });
    Lanes.Lane b = new Lanes.Lane("b", () -> {
      bothStarted.countDown();
      seen.add("b:" + MDC.get("lane") + ":" + await(bothStarted));
      return 4;
    });
    Lanes.Lane c = new Lanes.Lane("c", () -> {
      seen.add("c:" + MDC.get("lane"));
      return 1;
    });
    // b's code: the first failing lane in the given order (c failed too)
    assertThat(Lanes.run(2, List.of(a, b, c))).isEqualTo(4);
    assertThat(seen).containsExactlyInAnyOrder("a:a:true", "b:b:true", "c:c"); // c ran although b had failed
    assertThat(MDC.get("lane")).isNull();
  }

  @Test
  void oneAtATimeRunsTheLanesInOrderAndStopsAtTheFirstFailure() {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    int rc = Lanes.run(1, List.of(new Lanes.Lane("a", () -> {
      seen.add("a");
      return 0;
    }), new Lanes.Lane("b", () -> {
      seen.add("b");
      return 1;
    }), new Lanes.Lane("c", () -> {
      seen.add("c");
      return 0;
    })));
    assertThat(rc).isEqualTo(1);
    assertThat(seen).containsExactly("a", "b");
    assertThatThrownBy(() -> Lanes.run(0, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ilp.run.lanes");
  }

  /**
   * `ilp run`'s shape, two at a time: a (long) and p (short) start; when p ends its slot goes to l, not to t, which
   * comes after a and p; when a ends t starts and runs beside l. A lane after a failed one does not run, nor one after
   * that; a lane may only come after earlier lanes.
   */
  @Test
  void aLaneStartsWhenTheLanesItComesAfterHaveSucceededAndHoldsNoSlotBefore() {
    CountDownLatch pEnded = new CountDownLatch(1);
    CountDownLatch tStarted = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    int rc = Lanes.run(2, List.of(
        new Lanes.Lane("a", () -> {
          seen.add("a starts");
          await(pEnded); // a outlasts p
          seen.add("a ends");
          return 0;
        }),
        new Lanes.Lane("p", () -> {
          seen.add("p");
          pEnded.countDown();
          return 0;
        }),
        new Lanes.Lane("l", () -> {
          seen.add("l starts");
          seen.add("l saw t start: " + await(tStarted)); // only if t runs beside l
          return 0;
        }),
        new Lanes.Lane("t", List.of("a", "p"), () -> {
          seen.add("t:" + MDC.get("lane"));
          tStarted.countDown();
          return 0;
        })));
    assertThat(rc).isZero();
    assertThat(seen).contains("l saw t start: true", "t:t");
    List<String> order = List.copyOf(seen);
    assertThat(order.indexOf("t:t")).isGreaterThan(order.indexOf("a ends")).isGreaterThan(order.indexOf("p"))
        .isGreaterThan(order.indexOf("l starts"));

    ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
    int failed = Lanes.run(2, List.of(
        new Lanes.Lane("a", () -> {
          ran.add("a");
          return 5;
        }),
        new Lanes.Lane("p", () -> {
          ran.add("p");
          return 0;
        }),
        new Lanes.Lane("t", List.of("a", "p"), () -> {
          ran.add("t");
          return 0;
        }),
        new Lanes.Lane("u", List.of("t"), () -> {
          ran.add("u");
          return 0;
        })));
    assertThat(failed).isEqualTo(5);
    assertThat(ran).containsExactlyInAnyOrder("a", "p");
    assertThatThrownBy(() -> Lanes.run(2, List.of(new Lanes.Lane("t", List.of("a"), () -> 0),
        new Lanes.Lane("a", () -> 0)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earlier lane");
  }

  @Test
  void anExceptionInALaneIsThrownOnceTheOtherLanesHaveEnded() {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    assertThatThrownBy(() -> Lanes.run(2, List.of(new Lanes.Lane("a", () -> {
      throw new IllegalStateException("broken lane");
    }), new Lanes.Lane("b", () -> {
      sleep(200);
      seen.add("b");
      return 0;
    }), new Lanes.Lane("c", List.of("a"), () -> {
      seen.add("c");
      return 0;
    })))).isInstanceOf(IllegalStateException.class).hasMessage("broken lane");
    assertThat(seen).containsExactly("b"); // c comes after a, which failed: not run
    // an Error ends its lane too (its dependants not run) and is thrown once the others have ended
    assertThatThrownBy(() -> Lanes.run(2, List.of(new Lanes.Lane("a", () -> {
      throw new AssertionError("an error");
    }), new Lanes.Lane("b", () -> 0), new Lanes.Lane("c", List.of("a"), () -> {
      seen.add("c");
      return 0;
    })))).isInstanceOf(AssertionError.class).hasMessage("an error");
    assertThat(seen).containsExactly("b");
  }

  static boolean await(CountDownLatch l) {
    try {
      return l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
