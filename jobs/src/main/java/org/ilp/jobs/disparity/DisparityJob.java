package org.ilp.jobs.disparity;

import static org.apache.spark.sql.functions.lit;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.assess.Disparity;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.ref.CsvConf;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * `ilp disparity`: is the data itself biased? Stop-and-search per 1,000 residents by ethnic group, per force, year
 * and month, its ratio to the White group with an exact interval, and the share of searches with no further action
 * ({@link Disparity}: formulas and the two ethnicity bases).
 *
 * <p><b>Inputs:</b> silver.stop_search; the Census 2011 residents by ethnic group per force area
 * ({@code ilp.disparity.population}, a CSV under conf/). <b>Outputs:</b> gold.disparity, replaced whole (a no-op when
 * silver.stop_search and the population file are unchanged). <b>Knobs:</b> ilp.disparity.population; CLI --force.
 */
public final class DisparityJob {
  public static final String JOB = "disparity";

  private DisparityJob() {}

  /** Validated parameters: the population file (relative to conf/) and its checksum (a change recomputes). */
  public record Params(String population, String populationSha256, boolean force) {
    public static Params of(IlpConfig config, boolean force) {
      String file = config.getString("ilp.disparity.population");
      if (!ConfFiles.exists(file)) {
        throw new IllegalArgumentException("ilp.disparity.population: no file " + file + " under conf/");
      }
      return new Params(file, ConfFiles.sha256(file), force);
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("population", population);
      m.put("population_sha256", populationSha256);
      m.put("force", String.valueOf(force));
      return m;
    }
  }

  /** The forces' residents by group, from the population file. */
  static Map<String, Disparity.Population> populations(String file) {
    Map<String, Disparity.Population> out = new HashMap<>();
    for (Map<String, String> r : CsvConf.read(file)) {
      Map<String, Long> g = new HashMap<>();
      for (String group : Disparity.GROUPS) {
        g.put(group, Long.parseLong(r.get(group.toLowerCase(java.util.Locale.ROOT))));
      }
      out.put(r.get("area_code"), new Disparity.Population(r.get("area_code"), r.get("area_name"), g));
    }
    return out;
  }

  /**
   * The pure core: silver.stop_search rows → gold.disparity rows (without run id). The counts are collected: a row per
   * force, period, basis and group (a few thousand nationally), on which the exact tests run on the driver.
   */
  public static Rates transform(Dataset<Row> stops, Map<String, Disparity.Population> pop) {
    List<Row> counts = Disparity.counts(stops).collectAsList();
    List<String> unknown = counts.stream().map(r -> r.getString(2)).filter(a -> a != null && !pop.containsKey(a))
        .distinct().sorted().toList();
    return new Rates(Disparity.rates(counts, pop), unknown);
  }

  /** The rows, and the forces with searches but no population (left out). */
  public record Rates(List<Row> rows, List<String> unknownForces) {}

  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    Delta.require(spark, "`ilp curate --source police_uk_stop_search`", Tables.SILVER_STOP_SEARCH);
    Map<String, Long> in = Map.of(Tables.SILVER_STOP_SEARCH.name(), Delta.version(spark, Tables.SILVER_STOP_SEARCH));
    if (!p.force() && ctx.unchangedSince(in, List.of(Tables.GOLD_DISPARITY))) {
      return ctx.noop(in, "no change to silver.stop_search or the population since the last disparity run");
    }
    ctx.stages(2);
    ctx.stage("rates", "searches per 1,000 residents by ethnic group, ratios to White, no-further-action shares");
    Map<String, Disparity.Population> pop = populations(p.population());
    Rates rates = transform(Delta.read(spark, Tables.SILVER_STOP_SEARCH), pop);
    if (!rates.unknownForces().isEmpty()) {
      ctx.info("no Census 2011 population for {} in {}: their searches are left out", rates.unknownForces(),
          p.population());
    }
    List<Row> rows = rates.rows();
    List<String> forces = rows.stream().map(r -> r.getString(3)).distinct().sorted().toList();
    ctx.stageDone("rows for forces " + forces, rows.size());
    ctx.stage("write", "gold.disparity (replaced whole)");
    long version = Writes.overwrite(Tables.GOLD_DISPARITY, spark.createDataFrame(rows, Tables.GOLD_DISPARITY.fields(
            "period_type", "period", "months", "area_code", "area_name", "ethnicity_basis", "ethnic_group", "searches",
            "searches_all", "population", "rate_per_1000", "ratio_to_white", "ratio_ci_low", "ratio_ci_high",
            "ratio_p_value", "difference", "nfa_searches", "nfa_share", "nfa_ci_low", "nfa_ci_high"))
        .withColumn("run_id", lit(ctx.runId())).select(Tables.GOLD_DISPARITY.selection())).version();
    long n = rows.size();
    ctx.stageDone("written", n);
    // the force-year with the most searches of Black residents, for the summary line
    Row met = rows.stream().filter(r -> "year".equals(r.getString(0)) && "self_defined".equals(r.getString(5))
        && "Black".equals(r.getString(6))).max(java.util.Comparator.comparingLong(r -> r.getLong(7))).orElse(null);
    String summary = String.format("%,d rows for %d forces%s", n, forces.size(), met == null || met.isNullAt(11) ? ""
        : String.format("; %s %s: Black residents searched %.1f times as often as White (95%% CI %.1f-%.1f)",
            met.getString(4), met.getDate(1).toString().substring(0, 4), met.getDouble(11), met.getDouble(12),
            met.getDouble(13)));
    return new JobResult(JOB, ctx.runId(), "succeeded", in, Map.of(Tables.GOLD_DISPARITY.name(), n), 0L, in,
        Map.of(Tables.GOLD_DISPARITY.name(), version), Duration.between(ctx.startedAt(), Instant.now()), summary);
  }
}
