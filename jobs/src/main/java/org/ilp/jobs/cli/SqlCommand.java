package org.ilp.jobs.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `ilp sql`: one query (or a file of statements) on the warehouse tables; the rows on stdout (or {@code --output}),
 * everything else on stderr, so {@code ilp sql "..." --format json | python3 -m json.tool} and
 * {@code --format csv | wc -l} work. A result cut at {@code --limit} is said on stderr. Every statement is checked
 * against the account's role before it runs (an analyst's SQL is read-only: {@link org.ilp.common.access.SqlGuard})
 * and logged in ops.access_log; a refused one exits 2.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Query the warehouse tables by name, e.g. ilp sql \"SELECT iccs_l1, count(*) FROM silver.incidents GROUP BY 1\".",
        "Rows go to stdout (or --output), messages to stderr. With -f, the file's statements (separated by ;) run in",
        "order and the rows of the last one are printed (earlier ones set up: views, settings)."})
final class SqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "Spark SQL (Sedona functions available).")
  String query;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run the statements of this file instead of QUERY.")
  Path file;

  @Option(names = "--format", defaultValue = "table",
      description = "table | csv | json (one array) | jsonl (one object per line) (default: ${DEFAULT-VALUE}).")
  ResultPrinter.Format format;

  @Option(names = "--limit", defaultValue = "1000",
      description = "At most this many rows, 0 for all (default: ${DEFAULT-VALUE}); a cut result is said on stderr.")
  int limit;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the rows to this file instead of stdout.")
  Path output;

  @Option(names = "--purpose", paramLabel = "TEXT",
      description = "Why (logged in ops.access_log); needed for restricted tables (ilp.access.purpose-required).")
  String purpose;

  @Override
  public Integer call() {
    List<String> statements = Runner.params(spec, this::statements);
    Runner.params(spec, () -> {
      if (limit < 0) {
        throw new IllegalArgumentException("--limit must be 0 (all rows) or more, got " + limit);
      }
      return limit;
    });
    AccessPolicy policy = AccessPolicy.of(common.load());
    boolean shared = Runner.sessionRunning();
    SparkSession spark = Runner.readOnlySession(common, policy);
    String where = output == null ? null : output.toAbsolutePath().toString();
    try {
      // every statement is checked and logged; the rows of the last one are printed
      for (String s : statements.subList(0, statements.size() - 1)) {
        Consult.statement(spark, policy, "sql", s, purpose, null, rows -> new ResultPrinter.Printed(0, false));
      }
      String last = statements.get(statements.size() - 1);
      ResultPrinter.Printed printed;
      if (output == null) {
        printed = Consult.statement(spark, policy, "sql", last, purpose, null,
            rows -> ResultPrinter.print(rows, format, limit, System.out));
      } else {
        try (PrintStream out = new PrintStream(new FileOutputStream(output.toFile()), false, StandardCharsets.UTF_8)) {
          printed = Consult.statement(spark, policy, "sql", last, purpose, where,
              rows -> ResultPrinter.print(rows, format, limit, out));
        } catch (IOException e) {
          throw new UncheckedIOException("ilp sql: cannot write " + output, e);
        }
        System.err.println("ilp sql: rows written to " + output.toAbsolutePath());
      }
      if (printed.cut()) {
        System.err.println("ilp sql: output cut at " + limit + " rows (--limit N for more, --limit 0 for all)");
      }
      return 0;
    } finally {
      Runner.release(spark, shared);
    }
  }

  private List<String> statements() {
    if ((query == null) == (file == null)) {
      throw new IllegalArgumentException("give a QUERY or -f FILE (one of them)");
    }
    if (file == null) {
      return List.of(query);
    }
    try {
      List<String> s = split(Files.readString(file));
      if (s.isEmpty()) {
        throw new IllegalArgumentException("no statement in " + file);
      }
      return s;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The statements of a SQL script: split at each {@code ;} outside quotes ('...', "...", `...`) and comments
   * ({@code -- ...} to the end of the line, {@code /* ... *}{@code /}); blank statements dropped.
   */
  static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = script.length();
    for (int i = 0; i < n; i++) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int j = i + 1;
        while (j < n && script.charAt(j) != c) {
          j += script.charAt(j) == '\\' && c != '`' ? 2 : 1;
        }
        cur.append(script, i, Math.min(j + 1, n));
        i = j;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int j = script.indexOf('\n', i);
        i = j < 0 ? n : j - 1;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int j = script.indexOf("*/", i + 2);
        i = j < 0 ? n : j + 1;
        cur.append(' ');
      } else if (c == ';') {
        add(out, cur);
      } else {
        cur.append(c);
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }
}
