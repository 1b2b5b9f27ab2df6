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

  @Test
  void anExceptionInALaneIsThrownOnceTheOtherLanesHaveEnded() {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    assertThatThrownBy(() -> Lanes.run(2, List.of(new Lanes.Lane("a", () -> {
      throw new IllegalStateException("broken lane");
    }), new Lanes.Lane("b", () -> {
      sleep(200);
      seen.add("b");
      return 0;
    })))).isInstanceOf(IllegalStateException.class).hasMessage("broken lane");
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
