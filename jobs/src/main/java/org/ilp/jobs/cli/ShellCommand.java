package org.ilp.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.table.Tables;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ilp shell`: an interactive SQL prompt on one SparkSession, so an analyst pays the JVM and Spark start once rather
 * than per query. Statements end with {@code ;} and may span lines; line editing and a history kept across sessions
 * (JLine; {@code ~/.ilp_history}); dot commands: {@code .tables}, {@code .format table|csv|json|jsonl},
 * {@code .limit N} (0: all), {@code .help}, {@code .quit} (or Ctrl-D). A failing statement prints its error and the
 * prompt comes back. Rows are printed as by `ilp sql`; every statement is checked against the account's role and
 * logged in ops.access_log as `ilp sql`'s are ({@link Consult}).
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = {"Interactive SQL on the warehouse (one Spark session for many queries).",
        "End statements with ';'. Dot commands: .tables  .format table|csv|json|jsonl  .limit N  .help  .quit"})
final class ShellCommand implements Callable<Integer> {
  static final String PROMPT = "ilp> ";
  static final String MORE = "  -> ";

  @Mixin CommonOptions common;

  @Option(names = "--format", defaultValue = "table", description = "Initial output format (default: ${DEFAULT-VALUE}).")
  ResultPrinter.Format format;

  @Option(names = "--limit", defaultValue = "1000", description = "Initial row limit, 0 for all (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--history", paramLabel = "FILE", description = "History file (default: ~/.ilp_history).")
  Path history;

  @Option(names = "--purpose", paramLabel = "TEXT",
      description = "Why (logged with every statement); needed for restricted tables. .purpose TEXT changes it.")
  String purpose;

  @Override
  public Integer call() {
    AccessPolicy policy = AccessPolicy.of(common.load());
    boolean shared = Runner.sessionRunning();
    SparkSession spark = Runner.readOnlySession(common, policy);
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("ilp")
          .variable(LineReader.HISTORY_FILE, history != null ? history
              : Path.of(System.getProperty("user.home"), ".ilp_history"))
          .build();
      System.err.println("ilp shell: warehouse " + common.load().warehouse() + "; end statements with ';', .help for more");
      new Session(spark, policy, purpose, format, limit, System.out, System.err).loop(Lines.of(reader));
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("ilp shell: no terminal", e);
    } finally {
      Runner.release(spark, shared);
    }
  }

  /** Where the lines come from: JLine at a terminal, any reader in a test. */
  interface Lines {
    /** Returned for Ctrl-C: the statement being typed is dropped. */
    String CANCEL = new String("^C");

    /** The next line, {@link #CANCEL}, or null at the end of input. */
    String next(String prompt);

    static Lines of(LineReader reader) {
      return prompt -> {
        try {
          return reader.readLine(prompt);
        } catch (UserInterruptException e) {
          return CANCEL;
        } catch (EndOfFileException e) {
          return null;
        }
      };
    }

    static Lines of(java.io.BufferedReader reader) {
      return prompt -> {
        try {
          return reader.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }
  }

  /** The prompt's state and loop; package-visible so a test can drive it from a stream. */
  static final class Session {
    private final SparkSession spark;
    private final AccessPolicy policy;
    private String purpose;
    private final PrintStream out;
    private final PrintStream err;
    private ResultPrinter.Format format;
    private int limit;
    private int statements;

    Session(SparkSession spark, AccessPolicy policy, String purpose, ResultPrinter.Format format, int limit,
        PrintStream out, PrintStream err) {
      this.spark = spark;
      this.policy = policy;
      this.purpose = purpose;
      this.format = format;
      this.limit = limit;
      this.out = out;
      this.err = err;
    }

    /** Reads and runs statements until .quit or end of input; returns how many statements ran without error. */
    int loop(Lines lines) {
      StringBuilder pending = new StringBuilder();
      while (true) {
        String line = lines.next(pending.isEmpty() ? PROMPT : MORE);
        if (line == null) {
          return statements;
        }
        if (line == Lines.CANCEL) {
          pending.setLength(0); // Ctrl-C drops the statement being typed
          continue;
        }
        String t = line.strip();
        if (pending.isEmpty() && t.startsWith(".")) {
          if (!dot(t)) {
            return statements;
          }
          continue;
        }
        pending.append(line).append('\n');
        // a statement is complete when its last line ends with ';' (SqlCommand.split finds the ';' outside quotes)
        if (!t.endsWith(";")) {
          continue;
        }
        List<String> parts = SqlCommand.split(pending.toString());
        pending.setLength(0);
        for (String sql : parts) {
          run(sql);
        }
      }
    }

    private void run(String sql) {
      long t0 = System.nanoTime();
      try {
        boolean cut = Consult.statement(spark, policy, "shell", sql, purpose, null,
            rows -> ResultPrinter.print(rows, format, limit, out)).cut();
        statements++;
        err.printf("(%.1f s)%s%n", (System.nanoTime() - t0) / 1e9,
            cut ? " cut at " + limit + " rows (.limit N for more, .limit 0 for all)" : "");
      } catch (Exception e) { // Spark's AnalysisException is checked in Scala's eyes only
        err.println("error: " + Runner.rootMessage(e).lines().findFirst().orElse(""));
      }
    }

    /** Runs a dot command; false for .quit. */
    private boolean dot(String cmd) {
      String[] w = cmd.split("\\s+");
      switch (w[0]) {
        case ".quit", ".exit", ".q" -> {
          return false;
        }
        case ".tables" -> {
          for (String db : Tables.DATABASES) {
            for (Row r : spark.sql("SHOW TABLES IN " + db).collectAsList()) {
              out.println(db + "." + r.getString(1));
            }
          }
        }
        case ".format" -> {
          try {
            format = ResultPrinter.Format.valueOf(w.length > 1 ? w[1] : "");
          } catch (IllegalArgumentException e) {
            err.println("error: .format table|csv|json|jsonl");
          }
        }
        case ".limit" -> {
          try {
            int n = Integer.parseInt(w.length > 1 ? w[1] : "");
            if (n < 0) {
              throw new NumberFormatException();
            }
            limit = n;
          } catch (NumberFormatException e) {
            err.println("error: .limit N (0 for all rows)");
          }
        }
        case ".purpose" -> {
          purpose = cmd.length() > w[0].length() ? cmd.substring(w[0].length()).strip() : null;
          err.println(purpose == null ? "no purpose" : "purpose: " + purpose);
        }
        case ".help" -> help();
        default -> {
          err.println("error: unknown command " + w[0]);
          help();
        }
      }
      return true;
    }

    private void help() {
      err.println(String.join("\n",
            "SQL statements end with ';' (Spark SQL, Sedona's ST_ functions; tables by name, e.g. gold.crime_stats)",
            ".tables                        list the warehouse tables",
            ".format table|csv|json|jsonl   output format (now " + format + ")",
            ".limit N                       at most N rows, 0 for all (now " + limit + ")",
            ".purpose TEXT                  why (logged with each statement; restricted tables need one)",
            ".quit                          leave (or Ctrl-D)"));
    }
  }
}
