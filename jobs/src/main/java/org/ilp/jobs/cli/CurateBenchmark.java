package org.ilp.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.SessionFactory;

/**
 * {@code ilp bench curate}: the same generated files, timed three ways in one run —
 * <ol>
 *   <li>the floor: reading (and gunzipping) every byte once, single-threaded;</li>
 *   <li>ilp: {@code ilp run} (ref, ingest with bronze, manifest and quarantine, curate with rules, dedupe,
 *       taxonomy, area lookup and silver, then the gold steps) on a fresh warehouse over a landing folder that holds
 *       all files but the newest ~1%; then {@code ilp run} again once those have landed (the increment);</li>
 *   <li>DuckDB (in-process, all cores): parse the CSVs, dedupe with the same key rules (Crime ID,
 *       Chicago case number), and aggregate counts by area × month × category.</li>
 * </ol>
 * DuckDB does much less (no lineage, no quarantine, no spatial join, no ACID tables), so the ratio (ingest + curate
 * of all files ÷ DuckDB) is an upper bound on what the extra guarantees cost, not a like-for-like race. Step times
 * come from ops.job_runs.
 */
public final class CurateBenchmark {
  private CurateBenchmark() {}

  /** Seconds per job (ref, ingest, curate, assess, hotspots, forecast) of one {@code ilp run}, and its wall time. */
  public record Run(Map<String, Double> jobs, double seconds) {
    double of(String... names) {
      double t = 0;
      for (String n : names) {
        t += jobs.getOrDefault(n, 0.0);
      }
      return t;
    }
  }

  /** The timings; the increment is the newest ~1% of the bytes, held out of the first load. */
  public record Result(long rows, long bytes, double floorSeconds, Run first, Run increment, double duckdbSeconds,
      long duckdbGroups, long silverRows, int incrementFiles, long incrementBytes) {
    /** ilp's ingest + curate of all files (the first load and the increment). */
    double ilpSeconds() {
      return first.of("ingest", "curate") + increment.of("ingest", "curate");
    }
  }

  public static Result run(IlpConfig base, Path data, Path work, Path warehouse, long rows) throws Exception {
    List<Path> files = files(data);
    long t0 = System.nanoTime();
    long bytes = 0;
    for (Path f : files) {
      try (InputStream raw = Files.newInputStream(f);
          InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          bytes += n;
        }
      }
    }
    double floor = secs(t0);

    // the increment: the newest police.uk files (as a nightly run brings them), ~1% of the bytes, held out
    // of the first load; the landing folder gets links to the files as they "arrive"
    List<Path> increment = increment(data, files);
    Path landing = work.resolve("landing-" + System.currentTimeMillis()).toAbsolutePath();
    land(data, files.stream().filter(f -> !increment.contains(f)).toList(), landing);
    IlpConfig config = IlpConfig.load(null, List.of(), Map.of("ilp.warehouse", warehouse.toString(),
        "ilp.spark.master", base.getString("ilp.spark.master"),
        "ilp.spark.shuffle-partitions", base.getInt("ilp.spark.shuffle-partitions")));
    SparkSession spark = SessionFactory.create(config);
    Run first;
    Run inc;
    long silver;
    try {
      first = run(spark, config, landing);
      silver = org.ilp.common.table.Delta.read(spark, org.ilp.common.table.Tables.SILVER_INCIDENTS).count();
      System.err.printf("bench: the increment, %d file(s)%n", increment.size());
      land(data, increment, landing);
      inc = run(spark, config, landing);
    } finally {
      spark.stop();
    }

    long t3 = System.nanoTime();
    long groups = duckdb(data);
    double duck = secs(t3);
    long incBytes = 0;
    for (Path f : increment) {
      incBytes += Files.size(f);
    }
    return new Result(rows, bytes, floor, first, inc, duck, groups, silver, increment.size(), incBytes);
  }

  /** One {@code ilp run} over the landing folder, timed, with its jobs' times from ops.job_runs. */
  static Run run(SparkSession spark, IlpConfig config, Path landing) {
    java.sql.Timestamp from = new java.sql.Timestamp(System.currentTimeMillis());
    long t0 = System.nanoTime();
    int rc = RunCommand.pipeline(spark, config, false, landing, List.of());
    double wall = secs(t0);
    if (rc != 0) {
      throw new IllegalStateException("ilp run failed (exit " + rc + "): see the log above");
    }
    Map<String, Double> jobs = new java.util.LinkedHashMap<>();
    for (var r : spark.sql("SELECT job, sum(duration_ms) / 1e3 FROM ops.job_runs WHERE started_at >= TIMESTAMP '" + from
        + "' GROUP BY job").collectAsList()) {
      jobs.put(r.getString(0), r.getDouble(1));
    }
    return new Run(jobs, wall);
  }

  /** Hard links (copies where links are refused) of the files into the landing folder, same relative paths. */
  static void land(Path data, List<Path> files, Path landing) throws IOException {
    for (Path f : files) {
      Path to = landing.resolve(data.relativize(f).toString());
      Files.createDirectories(to.getParent());
      try {
        Files.createLink(to, f);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(f, to);
      }
    }
  }

  /** The newest police.uk street and stop-and-search files (by month folder), ~1% of the files' bytes on disk. */
  static List<Path> increment(Path data, List<Path> files) throws IOException {
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    long all = 0;
    List<Path> uk = files.stream().filter(f -> !data.relativize(f).toString().startsWith("chicago_crimes/"))
        .sorted(java.util.Comparator.comparing((Path f) -> f.getParent().getFileName().toString()).reversed()
            .thenComparing(Path::toString)).toList();
    List<Path> out = new java.util.ArrayList<>();
    long budget = total / 100; // 1% of the files' bytes
    for (Path f : uk) {
      long n = Files.size(f);
      if (all + n > budget && !out.isEmpty()) {
        break;
      }
      out.add(f);
      all += n;
    }
    return List.copyOf(out);
  }

  static long duckdb(Path data) throws Exception {
    Class.forName("org.duckdb.DuckDBDriver");
    String street = data.resolve("police_uk_street").toString() + "/*/*.csv*";
    String chicago = data.resolve("chicago_crimes").toString() + "/*.csv*";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE street AS SELECT * FROM read_csv('" + street + "', header = true, all_varchar = true, "
          + "filename = true, ignore_errors = true, null_padding = true, union_by_name = true)");
      st.execute("CREATE TABLE chicago AS SELECT * FROM read_csv('" + chicago + "', header = true, all_varchar = true, "
          + "filename = true, ignore_errors = true, null_padding = true, union_by_name = true)");
      st.execute("CREATE TABLE agg AS "
          + "WITH s AS (SELECT \"Falls within\" AS area, \"Month\" AS month, \"Crime type\" AS category, "
          + "  coalesce(\"Crime ID\", md5(concat_ws('|', filename, \"Month\", \"Longitude\", \"Latitude\", \"Location\", \"Crime type\")) "
          + "  || row_number() OVER (PARTITION BY filename, \"Month\", \"Longitude\", \"Latitude\", \"Location\", \"Crime type\")) AS k, "
          + "  (\"Longitude\" IS NOT NULL) AS has_xy FROM street), "
          + "s1 AS (SELECT * FROM s QUALIFY row_number() OVER (PARTITION BY k ORDER BY has_xy DESC, month DESC) = 1), "
          + "c AS (SELECT \"District\" AS area, substr(\"Date\", 7, 4) || '-' || substr(\"Date\", 1, 2) AS month, "
          + "  \"Primary Type\" AS category, coalesce(\"Case Number\", \"ID\") AS k, try_cast(\"ID\" AS BIGINT) AS id FROM chicago), "
          + "c1 AS (SELECT * FROM c QUALIFY row_number() OVER (PARTITION BY k ORDER BY id) = 1) "
          + "SELECT area, month, category, count(*) AS n FROM s1 GROUP BY ALL "
          + "UNION ALL SELECT area, month, category, count(*) FROM c1 GROUP BY ALL");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM agg")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static List<Path> files(Path data) throws IOException {
    try (Stream<Path> s = Files.walk(data)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.csv(\\.gz)?$"))
          .filter(p -> {
            String r = data.relativize(p).toString();
            return r.startsWith("police_uk_street/") || r.startsWith("police_uk_stop_search/") || r.startsWith("chicago_crimes/");
          }).sorted().toList();
    }
  }

  /** Seconds a step takes. */
  static double timed(Runnable step) {
    long t0 = System.nanoTime();
    step.run();
    return secs(t0);
  }

  static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
