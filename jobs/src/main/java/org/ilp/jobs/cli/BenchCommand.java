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
        "floor, ilp run (ingest, curate, gold) over all files but the newest ~1%, ilp run again once those have",
        "landed (the increment), and DuckDB parse+dedupe+aggregate of the same files, side by side."})
final class BenchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "WHAT", description = "curate")
  String what;

  @Option(names = "--rows", defaultValue = "1000000", description = "Generated records (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work", defaultValue = "./bench-work", description = "Work folder for data and the bench warehouse.")
  Path work;

  @Override
  public Integer call() throws Exception {
    if (!"curate".equals(what)) {
      throw new IllegalArgumentException("unknown benchmark '" + what + "' (known: curate)");
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

  static String jobs(CurateBenchmark.Run r) {
    return String.join(", ", r.jobs().entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
        .toList());
  }
}
