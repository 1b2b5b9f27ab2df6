package org.ilp.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ilp.common.config.IlpConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmarks (not tests). 'bench curate --rows N': generate N rows once, then time the byte-read",
        "floor, ilp run (ingest, curate, gold) over all files but the newest ~1%%, ilp run again once those have",
        "landed (the increment), and DuckDB parse+dedupe+aggregate of the same files, side by side.",
        "'bench nearrepeat --input DIR [--scale K]': the Knox test (ilp nearrepeat's core, default bands, 999",
        "permutations) on the burglaries of Chicago CSV exports, K times the events (generated copies), timed, with",
        "the driver's peak heap (run with ILP_DRIVER_MEMORY=2g to show it does not grow with the pairs)."})
final class BenchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "WHAT", description = "curate | nearrepeat")
  String what;

  @Option(names = "--rows", defaultValue = "1000000", description = "Generated records (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work", defaultValue = "./bench-work", description = "Work folder for data and the bench warehouse.")
  Path work;

  @Option(names = "--input", description = "nearrepeat: folder of Chicago CSV(.gz) exports (portal layout).")
  Path input;

  @Option(names = "--scale", defaultValue = "1", description = "nearrepeat: K times the events (default: 1).")
  int scale;

  @Option(names = "--permutations", defaultValue = "999", description = "nearrepeat: permutations (default: 999).")
  int permutations;

  @Override
  public Integer call() throws Exception {
    if ("nearrepeat".equals(what)) {
      return nearRepeat(common.load());
    }
    if (!"curate".equals(what)) {
      throw new IllegalArgumentException("unknown benchmark '" + what + "' (known: curate, nearrepeat)");
    }
    IlpConfig config = common.load();
    Path data = work.resolve("data-" + rows + "-seed" + seed).toAbsolutePath();
    if (!Files.isRegularFile(data.resolve("ground_truth.json"))) {
      System.err.printf("bench: generating %,d records into %s%n", rows, data);
      GenerateCommand.generate(rows, seed, data, true);
    }
    Path wh = work.resolve("warehouse-" + System.currentTimeMillis()).toAbsolutePath();
    CurateBenchmark.Result r = CurateBenchmark.run(config, data, work, wh, rows);
    Runtime rt = Runtime.getRuntime();
    System.out.println();
    System.out.printf("bench curate: %,d generated records, %,.1f MB uncompressed, %d cores, driver heap max %,d MB%n",
        r.rows(), r.bytes() / 1e6, rt.availableProcessors(), rt.maxMemory() / (1 << 20));
    System.out.printf("  %-34s %9s %14s %8s%n", "step", "seconds", "records/s", "ratio");
    System.out.printf("  %-34s %9.1f %,14.0f %8.2f%n", "read bytes (floor, 1 thread)", r.floorSeconds(),
        r.rows() / r.floorSeconds(), r.floorSeconds() / r.duckdbSeconds());
    double all = r.ilpSeconds();
    System.out.printf("  %-34s %9.1f %,14.0f %8.2f%n", "ilp ingest + curate (all files)", all, r.rows() / all,
        all / r.duckdbSeconds());
    System.out.printf("  %-34s %9.1f %,14.0f %8.2f%n", "DuckDB parse + dedupe + aggregate", r.duckdbSeconds(),
        r.rows() / r.duckdbSeconds(), 1.0);
    CurateBenchmark.Run f = r.first();
    CurateBenchmark.Run i = r.increment();
    System.out.printf("  %-34s %9.1f   (%s)%n", "ilp run, first load (~99%)", f.seconds(), jobs(f));
    System.out.printf("  %-34s %9.1f   (%s)%n", "ilp run, increment (~1%)", i.seconds(), jobs(i));
    System.out.printf("    increment: %d newest police.uk files, %,.1f MB on disk; its ilp run took %.1f%% of the first "
        + "load's (ingest + curate: %.1f%%)%n", r.incrementFiles(), r.incrementBytes() / 1e6,
        100 * i.seconds() / f.seconds(), 100 * i.of("ingest", "curate") / f.of("ingest", "curate"));
    System.out.printf("  silver.incidents rows: %,d; DuckDB groups: %,d; bench warehouse: %s%n", r.silverRows(),
        r.duckdbGroups(), wh);
    return 0;
  }

  int nearRepeat(IlpConfig config) {
    if (input == null || !Files.isDirectory(input)) {
      throw new IllegalArgumentException("bench nearrepeat needs --input DIR (a folder of Chicago CSV exports)");
    }
    var c = config.raw().getConfig("ilp.nearrepeat");
    var spec = new org.ilp.common.spatial.Knox.Spec(
        org.ilp.common.spatial.Knox.parseBands("distance", c.getString("distance-bands")),
        org.ilp.common.spatial.Knox.parseBands("time", c.getString("time-bands")),
        org.ilp.common.spatial.Knox.Metric.parse(c.getString("metric")), permutations, c.getLong("seed"),
        c.getDouble("alpha"));
    var spark = org.ilp.common.spark.SessionFactory.create(config);
    try {
      KnoxBenchmark.Result r = KnoxBenchmark.run(spark, input, scale, spec);
      Runtime rt = Runtime.getRuntime();
      System.out.printf("bench nearrepeat: %,d events (scale %d), %,d pairs in the bands, %d permutations: %.1f s; "
              + "%d cores, driver heap max %,d MB, peak used %,d MB%n", r.events(), scale, r.pairs(), permutations,
          r.seconds(), rt.availableProcessors(), rt.maxMemory() / (1 << 20), r.peakHeapMb());
      System.out.printf("  %-10s %-8s %10s %10s %8s %8s %s%n", "metres", "days", "observed", "null mean", "ratio", "p",
          "");
      for (var cell : r.knox().cells()) {
        System.out.printf("  %-10s %-8s %,10d %10.1f %8s %8.3f %s%n", cell.distance(), cell.time(), cell.observed(),
            cell.nullMean(), cell.knoxRatio() == null ? "-" : String.format("%.2f", cell.knoxRatio()), cell.pValue(),
            cell.significant() ? "significant" : "");
      }
    } finally {
      spark.stop();
    }
    return 0;
  }

  static String jobs(CurateBenchmark.Run r) {
    return String.join(", ", r.jobs().entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
        .toList());
  }
}
