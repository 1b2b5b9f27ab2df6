package org.ilp.jobs.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape the developers' guide asks for, checked on the sources (no Spark): jobs do not import
 * each other, job classes stay small, table names live only in the registry, and only the one write
 * path writes tables.
 */
class ArchitectureTest {
  static final Path JOBS = Path.of("src/main/java/org/ilp/jobs");
  static final Path COMMON = Path.of("../common/src/main/java/org/ilp/common");
  /** Packages under org.ilp.jobs that are not jobs: the CLI orchestrates jobs, the generator makes data. */
  static final List<String> NOT_JOBS = List.of("cli", "generate");

  static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  static String pkgOf(Path file) {
    return JOBS.relativize(file).getName(0).toString();
  }

  @Test
  void noJobImportsAnotherJobsPackage() throws IOException {
    Pattern use = Pattern.compile("org\\.ilp\\.jobs\\.([a-z]+)\\.[A-Z]");
    List<String> violations = new ArrayList<>();
    for (Path f : sources(JOBS)) {
      String pkg = pkgOf(f);
      if (NOT_JOBS.contains(pkg)) {
        continue;
      }
      Matcher m = use.matcher(Files.readString(f));
      while (m.find()) {
        if (!m.group(1).equals(pkg)) {
          violations.add(f + " uses org.ilp.jobs." + m.group(1));
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void everyJobClassIsUnder250Lines() throws IOException {
    List<Path> jobs = sources(JOBS).stream().filter(p -> p.getFileName().toString().endsWith("Job.java")).toList();
    assertThat(jobs).hasSizeGreaterThanOrEqualTo(7);
    for (Path f : jobs) {
      assertThat(Files.readAllLines(f)).as(f.toString()).hasSizeLessThan(250);
    }
  }

  @Test
  void tableNamesAreWrittenOnlyInTheRegistry() throws IOException {
    Pattern literal = Pattern.compile("\"(bronze|silver|gold|publish|ops|ref)\\.[a-z_]+\"");
    List<String> violations = new ArrayList<>();
    for (Path f : outsideTheRegistry()) {
      Matcher m = literal.matcher(Files.readString(f));
      while (m.find()) {
        violations.add(f + ": " + m.group());
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void onlyTheWritePathWritesTables() throws IOException {
    Pattern write = Pattern.compile("saveAsTable|DeltaTable|insertInto\\(|\\.writeTo\\(|format\\(\"delta\"\\)");
    List<String> violations = new ArrayList<>();
    for (Path f : outsideTheRegistry()) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        if (write.matcher(lines.get(i)).find()) {
          violations.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** Main sources of both modules but the registry and write path (common/table). */
  static List<Path> outsideTheRegistry() throws IOException {
    List<Path> all = new ArrayList<>(sources(JOBS));
    all.addAll(sources(COMMON));
    return all.stream().filter(f -> !f.toString().replace('\\', '/').contains("/common/table/")).toList();
  }
}
