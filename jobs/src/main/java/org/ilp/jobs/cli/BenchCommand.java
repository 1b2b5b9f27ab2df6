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
        "floor, ilp ingest+curate, and DuckDB parse+dedupe+aggregate on the same files, side by side; then",
        "the increment: the newest ~1% of the files, held out of the first load, ingested and curated incrementally."})
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
    CurateBenchmark.Result r = CurateBenchmark.run(config, data, wh, rows);
    Runtime rt = Runtime.getRuntime();
    System.out.println();
    System.out.printf("bench curate: %,d generated records, %,.1f MB uncompressed, %d cores, driver heap max %,d MB%n",
        r.rows(), r.bytes() / 1e6, rt.availableProcessors(), rt.maxMemory() / (1 << 20));
    System.out.printf("  %-34s %9s %14s %8s%n", "step", "seconds", "records/s", "ratio");
    System.out.printf("  %-34s %9.1f %,14.0f %8.2f%n", "read bytes (floor, 1 thread)", r.floorSeconds(), r.rows() / r.floorSeconds(), r.floorSeconds() / r.duckdbSeconds());
    double all = r.ilpSeconds() + r.incrementIngestSeconds() + r.incrementCurateSeconds();
    System.out.printf("  %-34s %9.1f %,14.0f %8.2f%n", "ilp ingest + curate (all files)", all, r.rows() / all,
        all / r.duckdbSeconds());
    System.out.printf("  %-34s %9.1f %14s %8s%n", "  first load (~99%): ingest", r.ingestSeconds(), "", "");
    System.out.printf("  %-34s %9.1f %14s %8s%n", "  first load (~99%): curate", r.curateSeconds(), "", "");
    System.out.printf("  %-34s %9.1f %,14.0f %8.2f%n", "DuckDB parse + dedupe + aggregate", r.duckdbSeconds(), r.rows() / r.duckdbSeconds(), 1.0);
    double full = r.ilpSeconds();
    double inc = r.incrementIngestSeconds() + r.incrementCurateSeconds();
    System.out.printf("  %-34s %9.1f %14s %8s%n", "increment: ingest + curate", inc, "", "");
    System.out.printf("    (%d newest police.uk files, %,.1f MB on disk, ~1%%; ingest %.1f s, curate %.1f s: %.1f%% of the "
        + "first load)%n", r.incrementFiles(), r.incrementBytes() / 1e6, r.incrementIngestSeconds(),
        r.incrementCurateSeconds(), 100 * inc / full);
    System.out.printf("  silver.incidents rows: %,d; DuckDB groups: %,d; bench warehouse: %s%n", r.silverRows(), r.duckdbGroups(), wh);
    return 0;
  }
}
