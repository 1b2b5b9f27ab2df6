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

  /**
   * Every command's help renders: a description is a format string (picocli), so a bare "%" (e.g. "~1%, ilp",
   * "95% interval") printed a warning and the raw text with its "%n" instead of the help.
   */
  @Test
  void everyCommandsHelpRenders() {
    picocli.CommandLine cli = new picocli.CommandLine(new IlpCommand());
    assertThat(cli.getSubcommands()).hasSizeGreaterThan(15);
    for (var e : cli.getSubcommands().entrySet()) {
      ByteArrayOutputStream help = new ByteArrayOutputStream();
      assertThat(run(help, e.getKey(), "--help")).as(e.getKey()).isZero();
      assertThat(help.toString()).as(e.getKey()).contains("Usage: ilp " + e.getKey()).doesNotContain("%n")
          .doesNotContain("Could not format");
    }
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run(new ByteArrayOutputStream(), "ingest", "--input", "x")).isEqualTo(2); // no --source
    assertThat(run(new ByteArrayOutputStream(), "frobnicate")).isEqualTo(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(out, "ingest", "--source", "border_force", "--input", "x")).isEqualTo(2);
    assertThat(out.toString()).contains("unknown source 'border_force'");
  }

  /**
   * `ilp keygen`: a 64-hex-digit key in a new file readable by its owner only, which Pseudonyms accepts; the path on
   * stdout, never the key; a second call refuses to overwrite (exit 2) and leaves the key as it was.
   */
  @Test
  void keygenWritesAnOwnerOnlyKeyAndNeverOverwrites(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path key = dir.resolve("secrets").resolve("pseudonym.key");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(out, "keygen", "--out", key.toString())).isZero();
    String written = java.nio.file.Files.readString(key).trim();
    assertThat(written).matches("[0-9a-f]{64}");
    assertThat(out.toString().trim()).isEqualTo(key.toAbsolutePath().toString()).doesNotContain(written);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(org.ilp.common.privacy.Pseudonyms.fromFile(key).of("person", "x")).hasSize(64);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertThat(run(again, "keygen", "--out", key.toString())).isEqualTo(2);
    assertThat(again.toString()).contains("exists");
    assertThat(java.nio.file.Files.readString(key).trim()).isEqualTo(written);
  }
}
