package org.ilp.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ilp sql` and `ilp shell` for pipes and people: stdout carries only rows (a JSON document a JSON parser takes
 * whole, CSV lines), a cut result is said on stderr, a missing warehouse is refused before Spark starts.
 */
@ExtendWith(SparkTestSupport.class)
class SqlAndShellTest {
  @TempDir Path dir;

  static final String QUERY = "SELECT id, concat('a,\"', id) AS text, array(id, id * 2) AS pair, "
      + "named_struct('k', id) AS s, CAST(NULL AS STRING) AS nothing FROM range(1500)";

  static String print(String query, ResultPrinter.Format format, int limit, boolean[] cut) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8)) {
      cut[0] = ResultPrinter.print(SparkTestSupport.spark().sql(query), format, limit, p).cut();
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void formatsCutAtTheLimitAndSayIt() throws Exception {
    boolean[] cut = new boolean[1];
    // CSV: a header and 1,000 records (the default limit), cut; quotes doubled, nested values as JSON, null empty
    String csv = print(QUERY, ResultPrinter.Format.csv, 1000, cut);
    List<String> lines = csv.lines().toList();
    assertThat(cut[0]).isTrue();
    assertThat(lines).hasSize(1001);
    assertThat(lines.get(0)).isEqualTo("id,text,pair,s,nothing");
    assertThat(lines.get(1)).isEqualTo("0,\"a,\"\"0\",\"[0,0]\",\"{\"\"k\"\":0}\",");
    // limit 0: every row, nothing cut
    assertThat(print(QUERY, ResultPrinter.Format.csv, 0, cut).lines().count()).isEqualTo(1501);
    assertThat(cut[0]).isFalse();
    // JSON: one array, nested values nested
    JsonNode json = new ObjectMapper().readTree(print(QUERY, ResultPrinter.Format.json, 3, cut));
    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(3);
    assertThat(json.get(2).get("pair").get(1).asInt()).isEqualTo(4);
    assertThat(json.get(2).get("s").get("k").asInt()).isEqualTo(2);
    assertThat(new ObjectMapper().readTree(print("SELECT 1 AS a WHERE false", ResultPrinter.Format.json, 10, cut)))
        .isEmpty();
    // JSON Lines: one object a line
    List<String> jl = print(QUERY, ResultPrinter.Format.jsonl, 2, cut).lines().toList();
    assertThat(jl).hasSize(2);
    assertThat(new ObjectMapper().readTree(jl.get(1)).get("id").asInt()).isEqualTo(1);
    // table: aligned, NULL shown, a row count
    String table = print(QUERY, ResultPrinter.Format.table, 2, cut);
    assertThat(table.lines().toList()).hasSize(7).last().isEqualTo("(2 rows)");
    assertThat(table).contains("|id|text| pair|").contains("| 1|a,\"1|[1,2]|{\"k\":1}|   NULL|");
  }

  @Test
  void aScriptSplitsAtSemicolonsOutsideQuotesAndComments() {
    assertThat(SqlCommand.split("CREATE TEMP VIEW v AS SELECT 'a;b' AS x; -- a comment; not a statement\n"
        + "/* ; */ SELECT `c;d`, \"e;f\" FROM v;\n\n;"))
        .containsExactly("CREATE TEMP VIEW v AS SELECT 'a;b' AS x", "SELECT `c;d`, \"e;f\" FROM v");
  }

  @Test
  void theShellRunsStatementsOverLinesAndKeepsGoingAfterAnError() throws Exception {
    String input = String.join("\n", "SELECT 1 AS one", "  , 2 AS two;", "SELECT * FROM no_such_table;", ".format csv",
        ".limit 1", "SELECT id FROM range(5);", ".limit -3", ".quit", "SELECT 'never';") + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int ran;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      ran = new ShellCommand.Session(SparkTestSupport.spark(), org.ilp.common.access.AccessPolicy.of(
          SparkTestSupport.config()), null, ResultPrinter.Format.table, 1000, o, e)
          .loop(ShellCommand.Lines.of(new java.io.BufferedReader(new java.io.StringReader(input))));
    }
    assertThat(ran).as(err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("|one|two|").contains("|  1|  2|")
        .contains("id\n0\n").doesNotContain("never");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: ").contains("no_such_table")
        .contains("cut at 1 rows").contains("error: .limit N");
  }

  /**
   * The CLI as a pipe sees it: another JVM runs `ilp sql --format json --limit 0` (1,200 rows, more than the default
   * limit), and stdout parses as one JSON document holding every row (Spark's and Hadoop's start-up lines go to stderr); a mistyped
   * --warehouse is refused with exit 2 before Spark starts.
   */
  @Test
  void stdoutOfTheCliIsOnlyData() throws Exception {
    Path wh = Files.createDirectories(dir.resolve("wh"));
    Proc sql = cli(wh, "sql", "SELECT id, concat('r', id) AS name FROM range(1200) ORDER BY id", "--format", "json",
        "--limit", "0");
    assertThat(sql.rc).as(sql.err).isZero();
    JsonNode rows = new ObjectMapper().readTree(sql.out);
    assertThat(rows).hasSize(1200);
    assertThat(rows.get(1199).get("name").asText()).isEqualTo("r1199");

    Proc missing = cli(dir.resolve("mistyped"), "tables");
    assertThat(missing.rc).isEqualTo(2);
    assertThat(missing.out).isEmpty();
    assertThat(missing.err).contains("no warehouse at " + dir.resolve("mistyped"));
    assertThat(dir.resolve("mistyped")).doesNotExist();
  }

  record Proc(int rc, String out, String err) {}

  /** Runs `ilp ARGS` in a new JVM on this test's class path (no metastore, one core). */
  static Proc cli(Path warehouse, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // the test JVM's --add-opens and GC flags
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+Use") || a.startsWith("-Djdk.reflect")
            || a.startsWith("-Dio.netty"))
        .forEach(cmd::add);
    // the product's class path: without the test classes and their log configuration
    String cp = java.util.Arrays.stream(System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")).split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
        .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    // C1 only: a short-lived JVM starts Spark sooner without the C2 compiler's work; and the class path's ~24,000
    // classes loaded without bytecode verification (our own build's jars: 9.1 s against 10.8 s to the JSON's end)
    cmd.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UnlockDiagnosticVMOptions",
        "-XX:-BytecodeVerificationRemote", "-cp", cp, IlpCommand.class.getName()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--warehouse", warehouse.toString(), "--master", "local[1]", "--set", "ilp.spark.metastore=none"));
    File out = File.createTempFile("ilp-cli", ".out");
    File err = File.createTempFile("ilp-cli", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ilp " + args[0] + " ends").isTrue();
      return new Proc(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    } finally {
      out.delete();
      err.delete();
    }
  }
}
