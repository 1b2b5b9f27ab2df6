package org.ilp.jobs.ref;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.ref.RefData;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Reference data: conf/areas, conf/population, conf/taxonomy → {@code ref.areas},
 * {@code ref.population}, {@code ref.offence_taxonomy}.
 *
 * <p>Each table carries {@code conf_version}, the SHA-256 of the conf files it was built from; the
 * job rewrites a table only when that changes, so a scheduled run writes nothing when conf/ is
 * unchanged (and curation sees the same ref versions). The hash is also kept as the table property
 * {@value #CONF_VERSION}, which the check reads from the Delta log instead of querying the table (the first
 * query of a scheduled run's JVM costs seconds). Knobs: none (edit the conf files).
 */
public final class RefJob {
  public static final String JOB = "ref";
  /** The table property holding the conf hash a reference table was built from. */
  static final String CONF_VERSION = "ilp.conf_version";

  static final Map<TableDef, List<String>> INPUTS = Map.of(
      Tables.REF_AREAS, List.of("areas/uk_police_force_areas_dec2020.geojson.gz",
          "areas/chicago_police_beats_dec2012.geojson.gz", "areas/chicago_police_districts_dec2012.geojson.gz",
          "areas/chicago_community_areas.geojson.gz"),
      Tables.REF_POPULATION, List.of("population/uk_pfa_population_census2011.csv",
          "population/uk_pfa_population_midyear_2009_2019.csv",
          "population/chicago_community_area_population_2010_2020.csv"),
      Tables.REF_OFFENCE_TAXONOMY, List.of("taxonomy/iccs_categories.csv", "taxonomy/police_uk_crime_type.csv",
          "taxonomy/chicago_primary_type.csv", "taxonomy/chicago_iucr_overrides.csv"));

  private RefJob() {}

  public static JobResult run(JobContext ctx) {
    SparkSession spark = ctx.spark();
    Instant t0 = Instant.now();
    List<TableDef> tables = List.of(Tables.REF_AREAS, Tables.REF_POPULATION, Tables.REF_OFFENCE_TAXONOMY);
    ctx.stages(1);
    ctx.stage("tables", "build " + tables.stream().map(TableDef::name).toList() + " from conf/ when changed");
    List<TableDef> stale = new ArrayList<>();
    List<java.util.function.Supplier<Writes.WriteResult>> builds = new ArrayList<>();
    for (TableDef table : tables) {
      String hash = hash(INPUTS.get(table));
      if (Delta.exists(spark, table) && hash.equals(currentHash(spark, table))) {
        ctx.info("      {} is up to date", table);
        continue;
      }
      stale.add(table);
      builds.add(() -> {
        Dataset<Row> df = table == Tables.REF_AREAS ? RefData.areas(spark)
            : table == Tables.REF_POPULATION ? RefData.population(spark) : RefData.taxonomy(spark);
        Writes.WriteResult w = Writes.overwrite(table, df.withColumn("conf_version", lit(hash)));
        // after the rows: a run stopped in between leaves the old property, and the next run rebuilds
        Writes.setProperty(spark, table, CONF_VERSION, hash);
        return w;
      });
    }
    // concurrently: each build is mostly the driver's planning and commits, which leave the cores idle
    List<Writes.WriteResult> written = Writes.concurrently(builds);
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < stale.size(); i++) {
      out.put(stale.get(i).name(), written.get(i).rowsWritten());
      ctx.info("      {} rows → {}", String.format("%,d", written.get(i).rowsWritten()), stale.get(i));
    }
    Map<String, Long> versions = new LinkedHashMap<>();
    for (TableDef table : tables) {
      versions.put(table.name(), Delta.version(spark, table));
    }
    if (!stale.isEmpty()) {
      ctx.stageDone("rebuilt " + out.keySet());
    }
    return new JobResult(JOB, ctx.runId(), out.isEmpty() ? "noop" : "succeeded", Map.of(), out, 0, Map.of(),
        versions, Duration.between(t0, Instant.now()),
        out.isEmpty() ? "reference tables up to date" : "rebuilt " + out.keySet());
  }

  /** The conf hash the table was built from: its property, or (a table written before there was one) its rows'. */
  static String currentHash(SparkSession spark, TableDef table) {
    String property = Delta.property(spark, table, CONF_VERSION);
    if (property != null) {
      return property;
    }
    List<Row> r = Delta.read(spark, table).select("conf_version").limit(1).collectAsList();
    return r.isEmpty() ? null : r.get(0).getString(0);
  }

  static String hash(List<String> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String f : files) {
        try (InputStream in = ConfFiles.open(f)) {
          md.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
