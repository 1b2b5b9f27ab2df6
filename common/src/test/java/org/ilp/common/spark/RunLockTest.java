package org.ilp.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse run lock: refused while held (in this JVM and from another process), granted after release. */
class RunLockTest {
  @Test
  void secondLockInTheSameJvmIsRefusedUntilTheFirstIsReleased(@TempDir Path warehouse) {
    RunLock first = RunLock.acquire(warehouse, "ilp run");
    try {
      assertThat(first.file()).isEqualTo(warehouse.resolve("_logs/run.lock"));
      // the same folder spelled differently is the same warehouse
      assertThatThrownBy(() -> RunLock.acquire(warehouse.resolve("x/.."), "ilp run"))
          .isInstanceOf(RunLock.Busy.class)
          .hasMessageContaining("is in use by another run")
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("(ilp run, user ");
    } finally {
      first.close();
    }
    try (RunLock again = RunLock.acquire(warehouse, "ilp run")) {
      assertThat(again.file()).exists();
    }
  }

  @Test
  void lockHeldByAnotherProcessIsRefusedAndGrantedOnceItExits(@TempDir Path warehouse) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Holder.class.getName(), warehouse.toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> RunLock.acquire(warehouse, "ilp run"))
          .isInstanceOf(RunLock.Busy.class)
          .hasMessageContaining("pid " + child.pid())
          .hasMessageContaining("(child holder, user ")
          .satisfies(e -> assertThat(((RunLock.Busy) e).holder()).startsWith("pid " + child.pid() + " on "));
      child.getOutputStream().close(); // the holder releases by exiting: the OS drops its lock
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    try (RunLock mine = RunLock.acquire(warehouse, "ilp run")) {
      assertThat(RunLock.readHolder(mine.file())).startsWith("pid " + ProcessHandle.current().pid() + " on ");
    }
  }

  /** Takes the lock, says so, and holds it until its standard input closes. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      RunLock lock = RunLock.acquire(Path.of(args[0]), "child holder");
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
      // exit without close(): the OS releases the lock with the process
      lock.file();
    }
  }
}
