package org.ilp.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilp.common.config.IlpConfig;
import picocli.CommandLine.Option;

/** Options every command takes. Precedence: these CLI options > --set > --conf > conf/application.conf. */
public final class CommonOptions {
  @Option(names = "--warehouse", paramLabel = "DIR", description = "Lakehouse root (default: ilp.warehouse = ./warehouse).")
  Path warehouse;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file overriding conf/application.conf.")
  Path conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key (repeatable), e.g. --set ilp.spark.shuffle-partitions=4.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: ilp.spark.master = local[*]).")
  String master;

  @Option(names = {"-v", "--verbose"}, description = "Print the effective configuration (secrets masked).")
  boolean verbose;

  public IlpConfig load() {
    Map<String, Object> cli = new LinkedHashMap<>();
    if (warehouse != null) {
      cli.put("ilp.warehouse", warehouse.toAbsolutePath().toString());
    }
    if (master != null) {
      cli.put("ilp.spark.master", master);
    }
    return IlpConfig.load(conf, sets, cli);
  }
}
