package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.curate.Curation;
import org.ilp.common.curate.Dedupe;
import org.ilp.common.ref.RefData;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.jobs.ref.RefJob;

/**
 * Curate: bronze → silver, for each source: types and rules ({@link Curation}), deduplication
 * ({@link Dedupe}), the ICCS taxonomy, the reporting agency and the area the source names, and
 * area codes at every level from a Sedona point-in-polygon join.
 *
 * <p><b>Inputs</b>: {@code bronze.<source>}, {@code ref.areas}, {@code ref.offence_taxonomy},
 * conf/areas/agencies.csv. <b>Outputs</b>: {@code silver.incidents} (police.uk street + Chicago),
 * {@code silver.stop_search}; {@code ops.quarantine} (stage {@code curate}, replaced per source on
 * each run), {@code ops.ingest_manifest} (rows_accepted / rows_duplicate / rows_quarantined per
 * file, kept up to date), {@code ops.dq_results}.
 *
 * <p><b>How silver changes</b>: the curated state of a source is recomputed from all of its bronze
 * rows and applied with one Delta MERGE per source: changed rows are updated (newer data wins: a
 * later download's outcome replaces the earlier one, whose state stays reachable by time travel),
 * new rows inserted, rows no longer produced deleted. If no input table changed since the last
 * successful curate (same bronze and ref versions), the job does nothing and silver gets no commit.
 *
 * <p><b>Reconciliation</b>: for every file, rows read = accepted + duplicates + quarantined; a file
 * that does not add up fails the job.
 *
 * <p><b>Knobs</b>: {@code --source} (default: all configured), {@code ilp.curate.bounds.*}.
 */
public final class CurateJob {
  public static final String JOB = "curate";

  /** Validated parameters. */
  public record Params(List<SourceSpec> sources, boolean force) {
    public Params {
      if (sources == null || sources.isEmpty()) {
        throw new IllegalArgumentException("curate needs at least one source");
      }
      sources = List.copyOf(sources);
    }

    public static Params of(IlpConfig config, List<String> names, boolean force) {
      List<String> use = names == null || names.isEmpty() ? config.getStringList("ilp.sources") : names;
      return new Params(use.stream().map(SourceSpec::load).toList(), force);
    }

    public Map<String, String> asMap() {
      return Map.of("sources", String.join(",", sources.stream().map(SourceSpec::name).toList()),
          "force", String.valueOf(force));
    }
  }

  private CurateJob() {}

  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    Instant t0 = Instant.now();
    Timestamp now = Timestamp.from(ctx.startedAt());
    if (!Delta.exists(spark, Tables.REF_AREAS) || !Delta.exists(spark, Tables.REF_OFFENCE_TAXONOMY)) {
      RefJob.run(ctx);
    }
    List<SourceSpec> present = p.sources().stream().filter(s -> Delta.exists(spark, s.bronzeTable())).toList();
    Map<String, Long> inVersions = new LinkedHashMap<>();
    for (SourceSpec s : present) {
      inVersions.put(s.bronzeTable(), Delta.version(spark, s.bronzeTable()));
    }
    for (String t : List.of(Tables.REF_AREAS, Tables.REF_OFFENCE_TAXONOMY)) {
      inVersions.put(t, Delta.version(spark, t));
    }
    if (!p.force() && inVersions.equals(lastCuratedVersions(spark)) && silverExists(spark, present)) {
      ctx.info("curate: no input changed since the last curate (bronze and ref versions {}); nothing to do", inVersions);
      return new JobResult(JOB, ctx.runId(), "noop", Map.of(), Map.of(), 0, inVersions, Map.of(),
          Duration.between(t0, Instant.now()), "no input changed");
    }
    ctx.stages(present.size() * 3);
    Delta.createIfMissing(spark, Tables.OPS_QUARANTINE, Tables.QUARANTINE);
    Delta.createIfMissing(spark, Tables.OPS_DQ_RESULTS, Tables.DQ_RESULTS);
    Dataset<Row> areas = spark.table(Tables.REF_AREAS);
    Dataset<Row> taxonomy = spark.table(Tables.REF_OFFENCE_TAXONOMY);
    Dataset<Row> agencies = Curation.agencies(spark, RefData.agencies());

    Map<String, Long> rowsIn = new LinkedHashMap<>();
    Map<String, Long> rowsOut = new LinkedHashMap<>();
    long quarantinedTotal = 0;
    List<String> summaries = new ArrayList<>();
    for (SourceSpec spec : present) {
      String target = "incidents".equals(spec.target()) ? Tables.SILVER_INCIDENTS : Tables.SILVER_STOP_SEARCH;
      String idCol = "incidents".equals(spec.target()) ? "incident_id" : "stop_id";

      ctx.stage(spec.name() + ":rules", "types, rules, taxonomy for " + spec.bronzeTable());
      Dataset<Row> bronze = spark.table(spec.bronzeTable());
      Dataset<Row> canonical = Curation.canonical(bronze, spec);
      Dataset<Row> ruled = Curation.withRules(Curation.withTaxonomy(canonical, spec, taxonomy), spec)
          .persist(StorageLevel.MEMORY_AND_DISK());
      long checked = ruled.count();
      rowsIn.put(spec.bronzeTable(), checked);
      Column rawJson = Curation.rawJson(spec);
      Dataset<Row> quarantine = Tables.quarantineRows(ruled.where(col("rule").isNotNull()), spec.name(), "curate",
          rawJson, col("rule"), col("reason"), "rejected", ctx.runId(), now);
      Map<String, Long> ruleCounts = countBy(ruled.where(col("rule").isNotNull()), "rule");
      long quarantined = ruleCounts.values().stream().mapToLong(Long::longValue).sum();
      quarantinedTotal += quarantined;
      ctx.stageDone("records checked, " + quarantined + " quarantined " + ruleCounts, checked);

      ctx.stage(spec.name() + ":dedupe", "deduplicate (" + spec.dedupe() + " rules), locate, area join");
      Dataset<Row> located = Curation.withLocation(ruled.where(col("rule").isNull()), bounds(ctx.config(), spec));
      Dataset<Row> deduped = Dedupe.apply(located, spec.dedupe(), spec.name()).persist(StorageLevel.MEMORY_AND_DISK());
      // bad coordinates are kept (flagged, never corrected) and also listed in quarantine as 'flagged'
      Dataset<Row> flagged = Tables.quarantineRows(deduped.where(col(Dedupe.RULE).isNull()
              .and(col("location_quality").isin("zero_zero", "out_of_range"))), spec.name(), "curate", rawJson,
          concat(lit("location."), col("location_quality")),
          concat(lit("coordinates ("), coalesce(col("lon").cast("string"), lit("")), lit(", "),
              coalesce(col("lat").cast("string"), lit("")), lit(") are "),
              when(col("location_quality").equalTo("zero_zero"), lit("(0,0), a missing-value placeholder"))
                  .otherwise(lit("outside the " + spec.jurisdiction() + " bounds")),
              lit("; kept as given in silver with location_quality set and no geometry")),
          "flagged", ctx.runId(), now);
      replaceCurateQuarantine(spark, quarantine.unionByName(flagged), spec.name());
      Map<String, Long> dupCounts = countBy(deduped.where(col(Dedupe.RULE).isNotNull()), Dedupe.RULE);
      Dataset<Row> winners = Curation.withAgency(deduped.where(col(Dedupe.RULE).isNull()), spec, agencies);
      boolean sourceLocal = "uk".equals(spec.jurisdiction()) && "incidents".equals(spec.target());
      Dataset<Row> curated = Curation.finish(
              Curation.withAreas(winners, areas, spec.jurisdiction(), "dedupe_key", sourceLocal), spec)
          .persist(StorageLevel.MEMORY_AND_DISK());
      long accepted = curated.count();
      ctx.stageDone("records accepted, duplicates " + dupCounts, accepted);

      ctx.stage(spec.name() + ":merge", "MERGE into " + target + ", reconcile files");
      merge(spark, curated, target, idCol, spec.name());
      rowsOut.put(target + "[" + spec.name() + "]", accepted);
      Map<String, Long> matchCounts = countBy(curated, "area_match");
      Map<String, Long> qualityCounts = countBy(curated, "location_quality");
      reconcileManifest(ctx, spec, curated, deduped, ruled, now);
      writeDq(ctx, spec, target, checked, ruleCounts, dupCounts, accepted, matchCounts, qualityCounts, now);
      long withXY = accepted - matchCounts.getOrDefault("no_coordinates", 0L)
          - matchCounts.getOrDefault("invalid_coordinates", 0L);
      long outside = matchCounts.getOrDefault("outside_all_areas", 0L);
      String s = String.format("%s: %,d read, %,d accepted, %,d duplicates, %,d quarantined; %.1f%% of located "
              + "points outside every area", spec.name(), checked, accepted,
          dupCounts.values().stream().mapToLong(Long::longValue).sum(), quarantined,
          withXY == 0 ? 0.0 : 100.0 * outside / withXY);
      ctx.info("      {}", s);
      summaries.add(s);
      curated.unpersist();
      deduped.unpersist();
      ruled.unpersist();
    }
    Map<String, Long> outVersions = new LinkedHashMap<>();
    for (String t : List.of(Tables.SILVER_INCIDENTS, Tables.SILVER_STOP_SEARCH)) {
      if (Delta.exists(spark, t)) {
        outVersions.put(t, Delta.version(spark, t));
      }
    }
    return new JobResult(JOB, ctx.runId(), "succeeded", rowsIn, rowsOut, quarantinedTotal, inVersions, outVersions,
        Duration.between(t0, Instant.now()), String.join("\n", summaries));
  }

  static boolean silverExists(SparkSession spark, List<SourceSpec> sources) {
    return sources.stream().allMatch(s -> Delta.exists(spark,
        "incidents".equals(s.target()) ? Tables.SILVER_INCIDENTS : Tables.SILVER_STOP_SEARCH));
  }

  /** Input versions recorded by the last successful curate, or an empty map. */
  static Map<String, Long> lastCuratedVersions(SparkSession spark) {
    if (!Delta.exists(spark, Tables.OPS_JOB_RUNS)) {
      return Map.of();
    }
    List<Row> last = spark.table(Tables.OPS_JOB_RUNS)
        .where(col("job").equalTo(JOB).and(col("status").equalTo("succeeded")))
        .orderBy(col("ended_at").desc()).limit(1).select("input_versions").collectAsList();
    if (last.isEmpty() || last.get(0).isNullAt(0)) {
      return Map.of();
    }
    return new HashMap<>(last.get(0).<String, Long>getJavaMap(0));
  }

  static Curation.Bounds bounds(IlpConfig config, SourceSpec spec) {
    String b = "ilp.curate.bounds." + spec.jurisdiction();
    return new Curation.Bounds(config.raw().getDouble(b + ".min-lon"), config.raw().getDouble(b + ".max-lon"),
        config.raw().getDouble(b + ".min-lat"), config.raw().getDouble(b + ".max-lat"));
  }

  static void merge(SparkSession spark, Dataset<Row> curated, String target, String idCol, String source) {
    if (!Delta.exists(spark, target)) {
      curated.limit(0).write().format("delta").saveAsTable(target);
    }
    DeltaTable.forName(spark, target).as("t")
        .merge(curated.as("s"), "t." + idCol + " = s." + idCol)
        .whenMatched("t.record_hash <> s.record_hash").updateAll()
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource("t.source = '" + source + "'").delete()
        .execute();
  }

  /**
   * Replaces this source's curate-stage quarantine rows in one atomic MERGE (a MERGE rather than an
   * overwrite with replaceWhere, which makes the Hive metastore log a spurious schema-alter failure).
   */
  static void replaceCurateQuarantine(SparkSession spark, Dataset<Row> rows, String source) {
    DeltaTable.forName(spark, Tables.OPS_QUARANTINE).as("t")
        .merge(rows.as("s"), "t.stage = 'curate' AND t.source = s.source AND t.source_file = s.source_file "
            + "AND t.row_number = s.row_number AND t.rule = s.rule")
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource("t.stage = 'curate' AND t.source = '" + source + "'").delete()
        .execute();
  }

  static Map<String, Long> countBy(Dataset<Row> df, String column) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Row r : df.groupBy(column).count().orderBy(column).collectAsList()) {
      out.put(r.isNullAt(0) ? "null" : r.get(0).toString(), r.getLong(1));
    }
    return out;
  }

  /** Updates every manifest row of the source with accepted / duplicate / quarantined counts and checks they add up. */
  static void reconcileManifest(JobContext ctx, SourceSpec spec, Dataset<Row> curated, Dataset<Row> deduped,
      Dataset<Row> ruled, Timestamp now) {
    SparkSession spark = ctx.spark();
    Map<String, Long> accepted = countBy(curated, "file_checksum");
    Map<String, Long> quarantinedCurate = countBy(ruled.where(col("rule").isNotNull()), "_file_checksum");
    Map<String, Map<String, Long>> dups = new HashMap<>();
    for (Row r : deduped.where(col(Dedupe.RULE).isNotNull()).groupBy("_file_checksum", Dedupe.RULE).count()
        .collectAsList()) {
      dups.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(1), r.getLong(2));
    }
    List<Row> manifest = spark.table(Tables.OPS_INGEST_MANIFEST).where(col("source").equalTo(spec.name()))
        .select("checksum", "path", "rows_read", "rows_quarantined_ingest").collectAsList();
    StructType schema = new StructType().add("checksum", DataTypes.StringType).add("rows_accepted", DataTypes.LongType)
        .add("rows_duplicate", DataTypes.LongType).add("rows_quarantined", DataTypes.LongType)
        .add("duplicate_rules", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));
    List<Row> updates = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    for (Row m : manifest) {
      String sum = m.getString(0);
      long a = accepted.getOrDefault(sum, 0L);
      Map<String, Long> d = dups.getOrDefault(sum, Map.of());
      long dn = d.values().stream().mapToLong(Long::longValue).sum();
      long q = quarantinedCurate.getOrDefault(sum, 0L) + m.getLong(3);
      if (a + dn + q != m.getLong(2)) {
        broken.add(m.getString(1) + ": read " + m.getLong(2) + " ≠ accepted " + a + " + duplicates " + dn
            + " + quarantined " + q);
      }
      updates.add(RowFactory.create(sum, a, dn, q, JobContext.scalaMap(d)));
    }
    Dataset<Row> u = spark.createDataFrame(updates, schema);
    DeltaTable.forName(spark, Tables.OPS_INGEST_MANIFEST).as("m")
        .merge(u.as("u"), "m.source = '" + spec.name() + "' AND m.checksum = u.checksum")
        .whenMatched().updateExpr(Map.of(
            "rows_accepted", "u.rows_accepted", "rows_duplicate", "u.rows_duplicate",
            "rows_quarantined", "u.rows_quarantined", "duplicate_rules", "u.duplicate_rules",
            "curated_run_id", "'" + ctx.runId() + "'", "curated_at", "timestamp'" + now + "'"))
        .execute();
    if (!broken.isEmpty()) {
      throw new IllegalStateException("reconciliation failed for " + broken.size() + " file(s) of " + spec.name()
          + ": " + broken.subList(0, Math.min(5, broken.size())));
    }
  }

  static void writeDq(JobContext ctx, SourceSpec spec, String target, long checked, Map<String, Long> rules,
      Map<String, Long> dups, long accepted, Map<String, Long> match, Map<String, Long> quality, Timestamp now) {
    List<Row> rows = new ArrayList<>();
    List<String> allRules = new ArrayList<>(spec.mustParse().keySet().stream().map(f -> "parse." + f).toList());
    spec.required().forEach(f -> allRules.add("required." + f));
    if (spec.taxonomy() != null) {
      allRules.add("taxonomy.unmapped");
    }
    for (String r : allRules) {
      rows.add(RowFactory.create(ctx.runId(), JOB, target, spec.name(), r, "quarantine rule", checked,
          rules.getOrDefault(r, 0L), now));
    }
    long valid = checked - rules.values().stream().mapToLong(Long::longValue).sum();
    for (Map.Entry<String, Long> e : dups.entrySet()) {
      rows.add(RowFactory.create(ctx.runId(), JOB, target, spec.name(), e.getKey(), "duplicate rule (row kept out of silver)",
          valid, e.getValue(), now));
    }
    for (Map.Entry<String, Long> e : quality.entrySet()) {
      if (!"ok".equals(e.getKey())) {
        rows.add(RowFactory.create(ctx.runId(), JOB, target, spec.name(), "location." + e.getKey(),
            "flag: coordinates kept as given, no geometry", accepted, e.getValue(), now));
      }
    }
    rows.add(RowFactory.create(ctx.runId(), JOB, target, spec.name(), "spatial.outside_all_areas",
        "flag: located point in no area polygon (area codes null)", accepted - match.getOrDefault("no_coordinates", 0L)
            - match.getOrDefault("invalid_coordinates", 0L), match.getOrDefault("outside_all_areas", 0L), now));
    Delta.append(ctx.spark().createDataFrame(rows, Tables.DQ_RESULTS), Tables.OPS_DQ_RESULTS);
  }
}
