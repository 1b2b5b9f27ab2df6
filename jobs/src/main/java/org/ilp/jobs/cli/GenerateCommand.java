package org.ilp.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ilp.common.config.ConfFiles;
import org.ilp.jobs.generate.DatasetGenerator;
import org.ilp.jobs.generate.GeneratorParams;
import org.ilp.jobs.generate.GeneratorResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Write realistic raw dumps (police.uk street + stop-and-search, Chicago classic + API layouts)",
        "with planted, documented ground truth (GROUND_TRUTH.md, ground_truth.json). Deterministic per seed; streams."})
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--rows", required = true, paramLabel = "N", description = "Number of data records (≥ 100).")
  long rows;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (a landing folder).")
  Path out;

  @Option(names = "--gzip", description = "Write .csv.gz instead of .csv.")
  boolean gzip;

  @Override
  public Integer call() throws Exception {
    GeneratorResult r = generate(rows, seed, out, gzip);
    System.out.printf("generated %,d records in %d files under %s; ground truth: %s%n", r.rowsWritten(),
        r.files().size(), out.toAbsolutePath(), r.groundTruthFile());
    r.rowsPerSource().forEach((k, v) -> System.out.printf("  %-28s %,12d%n", k, v));
    return 0;
  }

  static GeneratorResult generate(long rows, long seed, Path out, boolean gzip) throws java.io.IOException {
    Path conf = ConfFiles.confDir();
    if (conf == null) {
      throw new IllegalArgumentException("generate needs the conf/ folder (boundaries); run from the checkout or set ILP_CONF_DIR");
    }
    return DatasetGenerator.generate(new GeneratorParams(rows, seed, out, gzip), conf);
  }
}
