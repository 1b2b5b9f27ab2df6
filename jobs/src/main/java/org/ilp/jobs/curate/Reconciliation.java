package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
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
import org.ilp.common.curate.Curation;
import org.ilp.common.curate.Dedupe;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * The curate job's accounting: per file, rows read = accepted + duplicates + quarantined (written to
 * ops.ingest_manifest, and a file that does not add up fails the job), and per rule the rows checked
 * and failed (ops.dq_results).
 */
final class Reconciliation {
  private Reconciliation() {}

  /**
   * What one run checked, for its ops.dq_results rows and summary, in two small aggregations: per rule
   * (the new records), and per dedupe rule, area match and location quality (the ranked records).
   */
  record Counts(long checked, Map<String, Long> rules, Map<String, Long> duplicates, long accepted,
      Map<String, Long> areaMatch, Map<String, Long> locationQuality) {

    /** @param fresh the run's new files (null: all; an increment counts its new files' records only) */
    static Counts of(CurateJob.Curated c, List<String> fresh) {
      long checked = 0;
      long accepted = 0;
      Map<String, Long> rules = new java.util.TreeMap<>();
      Map<String, Long> dups = new java.util.TreeMap<>();
      Map<String, Long> match = new java.util.TreeMap<>();
      Map<String, Long> quality = new java.util.TreeMap<>();
      Column mine = fresh == null ? lit(true) : col("_file_checksum").isin(fresh.toArray());
      // one small aggregation (a few dozen groups at most) over the run's one kept frame
      for (Row r : c.records().where(mine).groupBy(col("rule"), col(Dedupe.RULE), col("area_match"),
          col("location_quality")).count().collectAsList()) {
        long n = r.getLong(4);
        checked += n;
        if (!r.isNullAt(0)) {
          rules.merge(r.getString(0), n, Long::sum);
        } else if (!r.isNullAt(1)) {
          dups.merge(r.getString(1), n, Long::sum);
        } else {
          match.merge(r.isNullAt(2) ? "null" : r.getString(2), n, Long::sum);
          quality.merge(r.isNullAt(3) ? "null" : r.getString(3), n, Long::sum);
          accepted += n;
        }
      }
      return new Counts(checked, rules, dups, accepted, match, quality);
    }

    long quarantined() {
      return rules.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The source's line in the run summary. */
    String summary(SourceSpec spec, boolean full, long earlierRows) {
      long withXY = accepted - areaMatch.getOrDefault("no_coordinates", 0L)
          - areaMatch.getOrDefault("invalid_coordinates", 0L);
      return String.format("%s (%s): %,d read, %,d accepted, %,d duplicates, %,d quarantined; %.1f%% of located "
              + "points outside every area%s", spec.name(), full ? "full" : "incremental", checked, accepted,
          duplicates.values().stream().mapToLong(Long::longValue).sum(), quarantined(),
          withXY == 0 ? 0.0 : 100.0 * areaMatch.getOrDefault("outside_all_areas", 0L) / withXY,
          full ? "" : String.format("; %,d earlier records re-ranked", earlierRows));
    }
  }

  /** The source's files that no curate has reconciled yet (an increment's new files). */
  static List<String> uncurated(SparkSession spark, SourceSpec spec) {
    return Delta.read(spark, Tables.OPS_INGEST_MANIFEST)
        .where(col("source").equalTo(spec.name()).and(col("curated_run_id").isNull())).select("checksum")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /**
   * Updates, in one commit, the manifest rows of the touched files of each source ({@code files}: source name →
   * file checksums, null for all of its files) with the accepted / duplicate / quarantined counts of their
   * records' verdicts (ops.curate_verdicts), and checks they add up.
   */
  static void manifest(JobContext ctx, Map<String, List<String>> files, Timestamp now) {
    SparkSession spark = ctx.spark();
    Column which = lit(false);
    Column whichManifest = lit(false);
    for (Map.Entry<String, List<String>> e : files.entrySet()) {
      Column source = col("source").equalTo(e.getKey());
      which = which.or(e.getValue() == null ? source : source.and(col("file_checksum").isin(e.getValue().toArray())));
      whichManifest = whichManifest.or(e.getValue() == null ? source
          : source.and(col("checksum").isin(e.getValue().toArray())));
    }
    Map<String, Long> accepted = new HashMap<>();
    Map<String, Long> quarantinedCurate = new HashMap<>();
    Map<String, Map<String, Long>> dups = new HashMap<>();
    for (Row r : Delta.read(spark, Tables.OPS_CURATE_VERDICTS).where(which)
        .groupBy("source", "file_checksum", "verdict", "rule").count().collectAsList()) {
      String file = r.getString(0) + "/" + r.getString(1);
      switch (r.getString(2)) {
        case "accepted" -> accepted.merge(file, r.getLong(4), Long::sum);
        case "duplicate" -> dups.computeIfAbsent(file, k -> new java.util.TreeMap<>()).put(r.getString(3), r.getLong(4));
        default -> quarantinedCurate.merge(file, r.getLong(4), Long::sum);
      }
    }
    List<Row> manifest = Delta.read(spark, Tables.OPS_INGEST_MANIFEST).where(whichManifest)
        .select("source", "checksum", "path", "rows_read", "rows_quarantined_ingest").collectAsList();
    StructType schema = new StructType().add("source", DataTypes.StringType).add("checksum", DataTypes.StringType)
        .add("rows_accepted", DataTypes.LongType).add("rows_duplicate", DataTypes.LongType)
        .add("rows_quarantined", DataTypes.LongType)
        .add("duplicate_rules", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));
    List<Row> updates = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    for (Row m : manifest) {
      String file = m.getString(0) + "/" + m.getString(1);
      long a = accepted.getOrDefault(file, 0L);
      Map<String, Long> d = dups.getOrDefault(file, Map.of());
      long dn = d.values().stream().mapToLong(Long::longValue).sum();
      long q = quarantinedCurate.getOrDefault(file, 0L) + m.getLong(4);
      if (a + dn + q != m.getLong(3)) {
        broken.add(m.getString(2) + ": read " + m.getLong(3) + " ≠ accepted " + a + " + duplicates " + dn
            + " + quarantined " + q);
      }
      updates.add(RowFactory.create(m.getString(0), m.getString(1), a, dn, q, JobContext.scalaMap(d)));
    }
    Map<String, Column> set = new LinkedHashMap<>();
    for (String c : List.of("rows_accepted", "rows_duplicate", "rows_quarantined", "duplicate_rules")) {
      set.put(c, col("s." + c));
    }
    set.put("curated_run_id", lit(ctx.runId()));
    set.put("curated_at", lit(now));
    Writes.update(Tables.OPS_INGEST_MANIFEST, spark.createDataFrame(updates, schema), set);
    if (!broken.isEmpty()) {
      throw new IllegalStateException("reconciliation failed for " + broken.size() + " file(s): "
          + broken.subList(0, Math.min(5, broken.size())));
    }
  }

  /** ops.dq_results rows of one source (the caller appends every source's in one commit): every quarantine rule, every dedupe rule, location and spatial flags. */
  static List<Row> dq(JobContext ctx, String job, SourceSpec spec, String target, Counts n, Timestamp now) {
    long checked = n.checked();
    Map<String, Long> rules = n.rules();
    Map<String, Long> dups = n.duplicates();
    long accepted = n.accepted();
    Map<String, Long> match = n.areaMatch();
    Map<String, Long> quality = n.locationQuality();
    List<Row> rows = new ArrayList<>();
    List<String> allRules = new ArrayList<>(spec.mustParse().keySet().stream().map(f -> "parse." + f).toList());
    spec.required().forEach(f -> allRules.add("required." + f));
    if (spec.taxonomy() != null) {
      allRules.add("taxonomy.unmapped");
    }
    for (String r : allRules) {
      rows.add(RowFactory.create(ctx.runId(), job, target, spec.name(), r, "quarantine rule", checked,
          rules.getOrDefault(r, 0L), now));
    }
    long valid = checked - rules.values().stream().mapToLong(Long::longValue).sum();
    for (Map.Entry<String, Long> e : dups.entrySet()) {
      rows.add(RowFactory.create(ctx.runId(), job, target, spec.name(), e.getKey(),
          "duplicate rule (row kept out of silver)", valid, e.getValue(), now));
    }
    for (Map.Entry<String, Long> e : quality.entrySet()) {
      if (!"ok".equals(e.getKey())) {
        rows.add(RowFactory.create(ctx.runId(), job, target, spec.name(), "location." + e.getKey(),
            "flag: coordinates kept as given, no geometry", accepted, e.getValue(), now));
      }
    }
    rows.add(RowFactory.create(ctx.runId(), job, target, spec.name(), "spatial.outside_all_areas",
        "flag: located point in no area polygon (area codes null)", accepted - match.getOrDefault("no_coordinates", 0L)
            - match.getOrDefault("invalid_coordinates", 0L), match.getOrDefault("outside_all_areas", 0L), now));
    return rows;
  }

  /** ops.curate_verdicts rows: every new record that broke a rule, and every ranked record's dedupe verdict. */
  static Dataset<Row> verdicts(CurateJob.Curated c, SourceSpec spec, String with, String runId) {
    Dataset<Row> r = c.records();
    Column id = List.of(r.columns()).contains("source_record_id") ? col("source_record_id") : lit(null).cast("string");
    Column passed = col("rule").isNull();
    return r.select(lit(spec.name()).as("source"), col("_file_checksum").as("file_checksum"),
        col("_row_number").as("row_number"), col("dedupe_key"), id.as("source_record_id"),
        when(not(passed), lit("quarantined")).when(col(Dedupe.RULE).isNull(), lit("accepted"))
            .otherwise(lit("duplicate")).as("verdict"),
        coalesce(col("rule"), col(Dedupe.RULE)).as("rule"),
        when(passed, Curation.silverId(col("dedupe_key"))).as("silver_id"), lit(with).as("curated_with"),
        lit(runId).as("run_id"));
  }

  /** Records kept in silver whose coordinates are flagged (never corrected). */
  private static final Column FLAGGED = col("location_quality").isin("zero_zero", "out_of_range");

  /**
   * The source's curate-stage quarantine rows, in one pass: records that broke a rule (rejected) and records
   * kept in silver with bad coordinates (flagged, never corrected).
   */
  static Dataset<Row> quarantine(JobContext ctx, SourceSpec spec, CurateJob.Curated c, Timestamp now) {
    Column rejected = col("rule").isNotNull();
    Column flagRule = concat(lit("location."), col("location_quality"));
    Column flagReason = concat(lit("coordinates ("), coalesce(col("lon").cast("string"), lit("")), lit(", "),
        coalesce(col("lat").cast("string"), lit("")), lit(") are "),
        when(col("location_quality").equalTo("zero_zero"), lit("(0,0), a missing-value placeholder"))
            .otherwise(lit("outside the " + spec.jurisdiction() + " bounds")),
        lit("; kept as given in silver with location_quality set and no geometry"));
    return Tables.quarantineRows(c.records().where(rejected.or(Curation.WINNER.and(FLAGGED))), spec.name(),
        "curate", col(Curation.RAW_JSON), when(rejected, col("rule")).otherwise(flagRule),
        when(rejected, col("reason")).otherwise(flagReason),
        when(rejected, lit("rejected")).otherwise(lit("flagged")), ctx.runId(), now);
  }

  /**
   * Keys of flagged quarantine rows that no longer hold: ranked records with bad coordinates that lost
   * their group (an increment's deletes; a winner's flag is among {@link #quarantine}'s rows).
   */
  static Dataset<Row> unflagged(JobContext ctx, SourceSpec spec, CurateJob.Curated c, Timestamp now) {
    return Tables.quarantineRows(c.records().where(col("rule").isNull().and(col(Dedupe.RULE).isNotNull())
            .and(FLAGGED)), spec.name(), "curate", lit(null), concat(lit("location."), col("location_quality")),
        lit(""), lit("flagged"), ctx.runId(), now)
        .select(Tables.OPS_QUARANTINE.keyColumns());
  }

  /**
   * Whether a source's earlier verdicts can be built on: they exist and were all computed with this
   * spec and these ref tables ({@code with}); otherwise the source is curated in full.
   */
  static String fullBecause(SparkSession spark, SourceSpec spec, String with) {
    if (!Delta.exists(spark, Tables.OPS_CURATE_VERDICTS)) {
      return "no earlier verdicts";
    }
    List<String> seen = Delta.read(spark, Tables.OPS_CURATE_VERDICTS).where(col("source").equalTo(spec.name()))
        .select("curated_with").distinct().limit(3).collectAsList().stream().map(r -> r.getString(0)).toList();
    if (seen.isEmpty()) {
      return "no earlier verdicts";
    }
    return seen.equals(List.of(with)) ? null : "spec or ref tables changed (verdicts computed with " + seen + ")";
  }
}
