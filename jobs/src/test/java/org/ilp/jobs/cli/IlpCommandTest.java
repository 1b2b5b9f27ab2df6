package org.ilp.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Parsing-level checks of the CLI (job execution is covered by the job tests on the shared session). */
class IlpCommandTest {
  static int run(ByteArrayOutputStream out, String... args) {
    PrintStream old = System.out;
    PrintStream oldErr = System.err;
    try (PrintStream p = new PrintStream(out, true)) {
      System.setOut(p);
      System.setErr(p);
      return IlpCommand.execute(args);
    } finally {
      System.setOut(old);
      System.setErr(oldErr);
    }
  }

  @Test
  void versionAndHelpExitZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(out, "--version")).isZero();
    assertThat(out.toString()).contains("ilp-lakehouse").contains("Spark 4.0.1");
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    assertThat(run(help, "ingest", "--help")).isZero();
    assertThat(help.toString()).contains("--source").contains("--input").contains("--warehouse");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run(new ByteArrayOutputStream(), "ingest", "--input", "x")).isEqualTo(2); // no --source
    assertThat(run(new ByteArrayOutputStream(), "frobnicate")).isEqualTo(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(out, "ingest", "--source", "border_force", "--input", "x")).isEqualTo(2);
    assertThat(out.toString()).contains("unknown source 'border_force'");
  }
}
