package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.curate.Curation;
import org.ilp.common.curate.Dedupe;
import org.ilp.common.ref.RefData;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Curate: bronze → silver, for each source: types and rules ({@link Curation}), deduplication
 * ({@link Dedupe}), the ICCS taxonomy, the reporting agency and the area the source names, and
 * area codes at every level from a Sedona point-in-polygon join.
 *
 * <p><b>Inputs</b>: {@code bronze.<source>}, {@code ref.areas}, {@code ref.offence_taxonomy} (run
 * {@code ilp ref} first; {@code ilp curate} and {@code ilp run} do), conf/areas/agencies.csv.
 * <b>Outputs</b>: {@code silver.incidents} (police.uk street + Chicago), {@code silver.stop_search};
 * {@code ops.quarantine} (stage {@code curate}, replaced per source on each run),
 * {@code ops.ingest_manifest} (rows_accepted / rows_duplicate / rows_quarantined per file),
 * {@code ops.dq_results}.
 *
 * <p><b>How silver changes</b>: the curated state of a source is recomputed from all of its bronze
 * rows ({@link #transform}) and applied with one Delta MERGE per source: changed rows are updated (newer
 * data wins: a later download's outcome replaces the earlier one, whose state stays reachable by time
 * travel), new rows inserted, rows no longer produced deleted. If no input table changed since the last
 * successful curate of the same sources (same bronze and ref versions), the job does nothing.
 *
 * <p><b>Reconciliation</b>: for every file, rows read = accepted + duplicates + quarantined; a file
 * that does not add up fails the job ({@link Reconciliation}).
 *
 * <p><b>One source's failure</b> (a broken bronze table, a bug in its dedupe) does not stop the others:
 * they are curated and reconciled, then the run fails naming that source (exit 1), and the next run,
 * no no-op after a failure, tries it again.
 *
 * <p><b>Knobs</b>: {@code --source} (default: all configured), {@code --force}, {@code ilp.curate.bounds.*}.
 */
public final class CurateJob {
  public static final String JOB = "curate";

  /** Validated parameters. */
  public record Params(List<SourceSpec> sources, boolean force, Map<String, Curation.Bounds> bounds) {
    public Params {
      if (sources == null || sources.isEmpty()) {
        throw new IllegalArgumentException("curate needs at least one source");
      }
      sources = List.copyOf(sources);
      bounds = Map.copyOf(bounds);
    }

    public static Params of(IlpConfig config, List<String> names, boolean force) {
      List<String> use = names == null || names.isEmpty() ? config.getStringList("ilp.sources") : names;
      List<SourceSpec> specs = use.stream().map(SourceSpec::load).toList();
      Map<String, Curation.Bounds> b = new LinkedHashMap<>();
      for (SourceSpec s : specs) {
        String k = "ilp.curate.bounds." + s.jurisdiction();
        b.put(s.jurisdiction(), new Curation.Bounds(config.raw().getDouble(k + ".min-lon"),
            config.raw().getDouble(k + ".max-lon"), config.raw().getDouble(k + ".min-lat"),
            config.raw().getDouble(k + ".max-lat")));
      }
      return new Params(specs, force, b);
    }

    public Map<String, String> asMap() {
      return Map.of("sources", String.join(",", sources.stream().map(SourceSpec::name).toList()),
          "bounds", new java.util.TreeMap<>(bounds).toString(), "force", String.valueOf(force));
    }
  }

  /** One source's curated frames: the rule verdicts, the dedupe verdicts and the silver rows. */
  public record Curated(Dataset<Row> ruled, Dataset<Row> deduped, Dataset<Row> silver) {}

  private CurateJob() {}

  /**
   * The pure core for one source: bronze rows → rules → dedupe → agency → areas → silver columns.
   * {@code ruled} carries {@code rule}/{@code reason} (null when the row passes), {@code deduped} the
   * named dedupe rule ({@link Dedupe#RULE}) of every passing row.
   */
  public static Curated transform(Dataset<Row> bronze, SourceSpec spec, Dataset<Row> areas, Dataset<Row> taxonomy,
      Dataset<Row> agencies, Curation.Bounds bounds, Keep keep) {
    Dataset<Row> ruled = keep.apply(Curation.withRules(Curation.withTaxonomy(Curation.canonical(bronze, spec), spec,
        taxonomy), spec));
    Dataset<Row> located = Curation.withLocation(ruled.where(col("rule").isNull()), bounds);
    Dataset<Row> deduped = keep.apply(Dedupe.apply(located, spec.dedupe(), spec.name()));
    Dataset<Row> winners = Curation.withAgency(deduped.where(col(Dedupe.RULE).isNull()), spec, agencies);
    boolean sourceLocal = "uk".equals(spec.jurisdiction()) && "incidents".equals(spec.target());
    Dataset<Row> silver = keep.apply(Curation.finish(Curation.withAreas(winners, areas, spec.jurisdiction(), "dedupe_key",
        sourceLocal), spec));
    return new Curated(ruled, deduped, silver);
  }

  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    Instant t0 = Instant.now();
    Timestamp now = Timestamp.from(ctx.startedAt());
    Delta.require(spark, "`ilp ref`", Tables.REF_AREAS, Tables.REF_OFFENCE_TAXONOMY);
    List<SourceSpec> present = p.sources().stream().filter(s -> Delta.exists(spark, Tables.bronze(s))).toList();
    List<TableDef> inputs = new ArrayList<>(present.stream().map(Tables::bronze).toList());
    inputs.addAll(List.of(Tables.REF_AREAS, Tables.REF_OFFENCE_TAXONOMY));
    Map<String, Long> inVersions = Delta.versions(spark, inputs);
    List<TableDef> outputs = present.stream().map(Tables::silverFor).distinct().toList();
    if (!p.force() && ctx.unchangedSince(inVersions, outputs)) {
      return ctx.noop(inVersions, "no bronze or ref table changed since the last curate");
    }
    ctx.stages(present.size() * 2);
    Dataset<Row> areas = Delta.read(spark, Tables.REF_AREAS);
    Dataset<Row> taxonomy = Delta.read(spark, Tables.REF_OFFENCE_TAXONOMY);
    Dataset<Row> agencies = Curation.agencies(spark, RefData.agencies());
    Map<String, Long> rowsIn = new LinkedHashMap<>();
    Map<String, Long> rowsOut = new LinkedHashMap<>();
    List<String> summaries = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    long quarantined = 0;
    for (SourceSpec spec : present) {
      // one source's failure (a broken bronze table, a bug in its dedupe) never stops the others; the run
      // still ends failed, so the next run (not a no-op then) tries that source again
      try {
        SourceOutcome one = curateOne(ctx, p, spec, areas, taxonomy, agencies, now, rowsIn, rowsOut);
        summaries.add(one.summary());
        quarantined += one.quarantined();
      } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown unchecked
        String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        failed.put(spec.name(), why);
        ctx.stageDone("FAILED " + spec.name() + " (the other sources go on): " + why);
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("curate failed for " + failed.keySet() + " (the other sources were curated): "
          + failed);
    }
    return new JobResult(JOB, ctx.runId(), "succeeded", rowsIn, rowsOut, quarantined, inVersions,
        Delta.versions(spark, outputs), Duration.between(t0, Instant.now()), String.join("\n", summaries));
  }

  /** One source's outcome: its summary line and its quarantined records. */
  private record SourceOutcome(String summary, long quarantined) {}

  /** Curates one source into its silver table (its rows in and out go into the maps). */
  private static SourceOutcome curateOne(JobContext ctx, Params p, SourceSpec spec, Dataset<Row> areas, Dataset<Row> taxonomy,
      Dataset<Row> agencies, Timestamp now, Map<String, Long> rowsIn, Map<String, Long> rowsOut) {
    SparkSession spark = ctx.spark();
    TableDef target = Tables.silverFor(spec);
    ctx.stage(spec.name() + ":curate", "rules, dedupe (" + spec.dedupe() + "), taxonomy, area join of "
        + Tables.bronze(spec));
    Curated c = transform(Delta.read(spark, Tables.bronze(spec)), spec, areas, taxonomy, agencies,
        p.bounds().get(spec.jurisdiction()), Keep.MATERIALIZE);
    Reconciliation.Counts n = Reconciliation.Counts.of(c);
    long checked = n.checked();
    rowsIn.put(Tables.bronze(spec).name(), checked);
    Map<String, Long> ruleCounts = n.rules();
    Map<String, Long> dupCounts = n.duplicates();
    long quarantined = ruleCounts.values().stream().mapToLong(Long::longValue).sum();
    ctx.stageDone(String.format("%,d records checked, %,d quarantined %s, duplicates %s", checked, quarantined,
        ruleCounts, dupCounts));

    ctx.stage(spec.name() + ":merge", "MERGE into " + target + ", quarantine, reconcile files");
    Writes.WriteResult w = Writes.merge(target, c.silver(), col("source").equalTo(lit(spec.name())), "record_hash");
    long accepted = w.sourceRows();
    rowsOut.put(target.name() + "[" + spec.name() + "]", accepted);
    Writes.replace(Tables.OPS_QUARANTINE, quarantine(ctx, spec, c, now),
        col("stage").equalTo(lit("curate")).and(col("source").equalTo(lit(spec.name()))));
    Map<String, Long> matchCounts = n.areaMatch();
    Map<String, Long> qualityCounts = n.locationQuality();
    Reconciliation.manifest(ctx, spec, n, now);
    Reconciliation.dq(ctx, JOB, spec, target.name(), checked, ruleCounts, dupCounts, accepted, matchCounts,
        qualityCounts, now);
    long withXY = accepted - matchCounts.getOrDefault("no_coordinates", 0L)
        - matchCounts.getOrDefault("invalid_coordinates", 0L);
    String s = String.format("%s: %,d read, %,d accepted, %,d duplicates, %,d quarantined; %.1f%% of located "
            + "points outside every area", spec.name(), checked, accepted,
        dupCounts.values().stream().mapToLong(Long::longValue).sum(), quarantined,
        withXY == 0 ? 0.0 : 100.0 * matchCounts.getOrDefault("outside_all_areas", 0L) / withXY);
    ctx.stageDone(s);
    return new SourceOutcome(s, quarantined);
  }

  /**
   * The source's curate-stage quarantine rows: records that broke a rule (rejected) and records kept
   * in silver with bad coordinates (flagged, never corrected).
   */
  static Dataset<Row> quarantine(JobContext ctx, SourceSpec spec, Curated c, Timestamp now) {
    Column rawJson = Curation.rawJson(spec);
    Dataset<Row> rejected = Tables.quarantineRows(c.ruled().where(col("rule").isNotNull()), spec.name(), "curate",
        rawJson, col("rule"), col("reason"), "rejected", ctx.runId(), now);
    Dataset<Row> flagged = Tables.quarantineRows(c.deduped().where(col(Dedupe.RULE).isNull()
            .and(col("location_quality").isin("zero_zero", "out_of_range"))), spec.name(), "curate", rawJson,
        concat(lit("location."), col("location_quality")),
        concat(lit("coordinates ("), coalesce(col("lon").cast("string"), lit("")), lit(", "),
            coalesce(col("lat").cast("string"), lit("")), lit(") are "),
            when(col("location_quality").equalTo("zero_zero"), lit("(0,0), a missing-value placeholder"))
                .otherwise(lit("outside the " + spec.jurisdiction() + " bounds")),
            lit("; kept as given in silver with location_quality set and no geometry")),
        "flagged", ctx.runId(), now);
    return rejected.unionByName(flagged);
  }
}
