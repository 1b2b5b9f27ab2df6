package org.ilp.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.privacy.Pseudonyms;
import org.ilp.common.spark.SessionFactory;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.jobs.generate.GeneratorResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The demo: generate a small realistic national data set into the landing folder (once per
 * rows/seed), run the scheduled pipeline over it (the generator's bad files included, to show they
 * are recorded, not fatal), and print what was built and where.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate a small national data set, run the pipeline on the embedded default, print a summary.")
final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--rows", defaultValue = "60000", description = "Generated records (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!Pseudonyms.configured(common.load().raw().getConfig("ilp.secrets"))) {
      // the demo's persons need a key: one made for the demo, outside the repository and the warehouse
      Path key = Path.of(System.getProperty("user.home"), ".ilp", "demo-pseudonym.key");
      if (!Files.exists(key)) {
        KeygenCommand.write(key);
      }
      System.err.println("[demo] pseudonymisation key: the demo's own, " + key + " (production: ILP_PSEUDONYM_KEY or "
          + "ilp.secrets.pseudonym-key-file)");
      common.sets.add("ilp.secrets.pseudonym-key-file=\"" + key + "\"");
    }
    IlpConfig config = common.load();
    Path landing = config.landing().resolve("demo-" + rows + "-seed" + seed);
    if (!Files.isRegularFile(landing.resolve("ground_truth.json"))) {
      System.err.printf("[demo] generating %,d records into %s%n", rows, landing);
      GeneratorResult g = GenerateCommand.generate(rows, seed, landing, true);
      System.err.printf("[demo] %,d records in %d files%n", g.rowsWritten(), g.files().size());
    } else {
      System.err.printf("[demo] reusing generated data in %s%n", landing);
    }
    SparkSession spark = SessionFactory.create(config);
    try {
      int rc = RunCommand.pipeline(spark, config, common.verbose, landing,
          List.of(Map.entry("police_uk_street", landing.resolve("bad_files").toString())));
      if (rc != 0) {
        return rc;
      }
      summary(spark, config, landing);
      return 0;
    } finally {
      spark.stop();
    }
  }

  static void summary(SparkSession spark, IlpConfig config, Path landing) {
    System.out.println();
    System.out.println("=== ilp-lakehouse demo: what was built ===");
    System.out.println("warehouse: " + config.warehouse());
    System.out.println("raw dumps: " + landing + " (planted ground truth: " + landing.resolve("GROUND_TRUTH.md") + ")");
    System.out.println();
    TablesCommand.describe(spark).forEach(System.out::println);
    System.out.println();
    System.out.println("Every file reconciled (rows read = accepted + duplicates + quarantined):");
    spark.sql("SELECT source, count(*) AS files, sum(rows_read) AS read, sum(rows_accepted) AS accepted, "
        + "sum(rows_duplicate) AS duplicates, sum(rows_quarantined) AS quarantined, "
        + "sum(CASE WHEN status <> 'ok' THEN 1 ELSE 0 END) AS bad_files FROM " + Tables.OPS_INGEST_MANIFEST
        + " GROUP BY source ORDER BY source")
        .show(20, 0, false);
    System.out.println("Quarantine by rule (rejected: kept out of silver; flagged: kept in silver with a flag):");
    spark.sql("SELECT source, stage, disposition, rule, count(*) AS n FROM " + Tables.OPS_QUARANTINE
            + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4")
        .show(50, 0, false);
    System.out.println("Incidents by level-1 offence group (ICCS) and source:");
    spark.sql("SELECT i.iccs_l1, first(t.iccs_l1_name) AS name, "
        + "sum(CASE WHEN source = 'police_uk_street' THEN 1 ELSE 0 END) AS uk, "
        + "sum(CASE WHEN source = 'chicago_crimes' THEN 1 ELSE 0 END) AS chicago FROM " + Tables.SILVER_INCIDENTS + " i "
        + "JOIN " + Tables.REF_OFFENCE_TAXONOMY + " t ON t.scheme = 'iccs' AND t.iccs_l2 = i.iccs_l2 GROUP BY 1 ORDER BY 1")
        .show(20, 60, false);
    Row m = spark.sql("SELECT avg(CASE WHEN area_match = 'matched' THEN 1.0 ELSE 0.0 END) FROM " + Tables.SILVER_INCIDENTS
        + " WHERE geom IS NOT NULL").head();
    System.out.printf("Located incidents matched to an area: %.1f%%%n", m.isNullAt(0) ? 0.0 : m.getDecimal(0).doubleValue() * 100);
    System.out.println();
    if (Delta.exists(spark, Tables.GOLD_PROLIFIC_OFFENDERS)) {
      System.out.println("Person targets (pseudonyms only): prolific offenders, repeat victims, networks:");
      spark.sql("SELECT (SELECT count(DISTINCT person_key) FROM " + Tables.SILVER_PERSON_MENTIONS + ") AS persons, "
          + "(SELECT count(*) FROM " + Tables.GOLD_PROLIFIC_OFFENDERS + " WHERE level = 'national') AS ranked_offenders, "
          + "(SELECT count(*) FROM " + Tables.GOLD_REPEAT_VICTIMS + ") AS repeat_victims, "
          + "(SELECT count(DISTINCT component_id) FROM " + Tables.GOLD_NETWORK_PERSONS + ") AS networks, "
          + "(SELECT count(*) FROM " + Tables.GOLD_NETWORK_PERSONS + " WHERE broker) AS brokers").show(false);
    }
    System.out.println("Next: ./ilp sql \"SELECT area_regional, iccs_l1, count(*) FROM silver.incidents GROUP BY 1, 2\"");
    System.out.println("      ./ilp tables      ./ilp sql \"SELECT * FROM ops.job_runs\" --format csv");
    System.out.println("      ./ilp report assessment --period 2024-12 --jurisdiction uk      ./ilp report intelligence");
  }
}
