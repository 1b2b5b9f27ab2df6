package org.ilp.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.spark.UsageError;
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

  @Option(names = "--mix", defaultValue = "65:5:30", paramLabel = "STREET:STOP_SEARCH:CHICAGO",
      description = "The sources' shares of the rows (default: ${DEFAULT-VALUE}). A source's files depend only on the "
          + "seed and its own rows: the same Chicago rows give the same Chicago files whatever the mix.")
  String mix;

  @Override
  public Integer call() throws Exception {
    GeneratorParams.Mix m;
    try {
      m = GeneratorParams.Mix.parse(mix);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    GeneratorResult r = generate(rows, seed, out, gzip, m);
    System.out.printf("generated %,d records in %d files under %s; ground truth: %s%n", r.rowsWritten(),
        r.files().size(), out.toAbsolutePath(), r.groundTruthFile());
    r.rowsPerSource().forEach((k, v) -> System.out.printf("  %-28s %,12d%n", k, v));
    return 0;
  }

  static GeneratorResult generate(long rows, long seed, Path out, boolean gzip) throws java.io.IOException {
    return generate(rows, seed, out, gzip, GeneratorParams.Mix.DEFAULT);
  }

  static GeneratorResult generate(long rows, long seed, Path out, boolean gzip, GeneratorParams.Mix mix)
      throws java.io.IOException {
    Path conf = ConfFiles.confDir();
    if (conf == null) {
      throw new IllegalArgumentException("generate needs the conf/ folder (boundaries); run from the checkout or set ILP_CONF_DIR");
    }
    return DatasetGenerator.generate(new GeneratorParams(rows, seed, out, gzip, mix), conf);
  }
}
