package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
   * Everything the accounting needs from one source's curated frames, in three small aggregations: per
   * file and rule (rules and duplicates), per file, area match and location quality (silver).
   */
  record Counts(long checked, Map<String, Long> rules, Map<String, Long> duplicates, Map<String, Long> areaMatch,
      Map<String, Long> locationQuality, Map<String, Long> acceptedByFile, Map<String, Long> quarantinedByFile,
      Map<String, Map<String, Long>> duplicatesByFile) {

    static Counts of(CurateJob.Curated c) {
      long checked = 0;
      Map<String, Long> rules = new java.util.TreeMap<>();
      Map<String, Long> qFile = new HashMap<>();
      for (Row r : c.ruled().groupBy("_file_checksum", "rule").count().collectAsList()) {
        checked += r.getLong(2);
        if (!r.isNullAt(1)) {
          rules.merge(r.getString(1), r.getLong(2), Long::sum);
          qFile.merge(r.getString(0), r.getLong(2), Long::sum);
        }
      }
      Map<String, Long> dups = new java.util.TreeMap<>();
      Map<String, Map<String, Long>> dFile = new HashMap<>();
      for (Row r : c.deduped().where(col(Dedupe.RULE).isNotNull()).groupBy("_file_checksum", Dedupe.RULE).count()
          .collectAsList()) {
        dups.merge(r.getString(1), r.getLong(2), Long::sum);
        dFile.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(1), r.getLong(2));
      }
      Map<String, Long> match = new java.util.TreeMap<>();
      Map<String, Long> quality = new java.util.TreeMap<>();
      Map<String, Long> aFile = new HashMap<>();
      for (Row r : c.silver().groupBy("file_checksum", "area_match", "location_quality").count().collectAsList()) {
        match.merge(r.isNullAt(1) ? "null" : r.getString(1), r.getLong(3), Long::sum);
        quality.merge(r.isNullAt(2) ? "null" : r.getString(2), r.getLong(3), Long::sum);
        aFile.merge(r.getString(0), r.getLong(3), Long::sum);
      }
      return new Counts(checked, rules, dups, match, quality, aFile, qFile, dFile);
    }
  }

  /** Updates every manifest row of the source with accepted / duplicate / quarantined counts and checks they add up. */
  static void manifest(JobContext ctx, SourceSpec spec, Counts n, Timestamp now) {
    SparkSession spark = ctx.spark();
    Map<String, Long> accepted = n.acceptedByFile();
    Map<String, Long> quarantinedCurate = n.quarantinedByFile();
    Map<String, Map<String, Long>> dups = n.duplicatesByFile();
    List<Row> manifest = Delta.read(spark, Tables.OPS_INGEST_MANIFEST).where(col("source").equalTo(spec.name()))
        .select("checksum", "path", "rows_read", "rows_quarantined_ingest").collectAsList();
    StructType schema = new StructType().add("source", DataTypes.StringType).add("checksum", DataTypes.StringType)
        .add("rows_accepted", DataTypes.LongType).add("rows_duplicate", DataTypes.LongType)
        .add("rows_quarantined", DataTypes.LongType)
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
      updates.add(RowFactory.create(spec.name(), sum, a, dn, q, JobContext.scalaMap(d)));
    }
    Map<String, Column> set = new LinkedHashMap<>();
    for (String c : List.of("rows_accepted", "rows_duplicate", "rows_quarantined", "duplicate_rules")) {
      set.put(c, col("s." + c));
    }
    set.put("curated_run_id", lit(ctx.runId()));
    set.put("curated_at", lit(now));
    Writes.update(Tables.OPS_INGEST_MANIFEST, spark.createDataFrame(updates, schema), set);
    if (!broken.isEmpty()) {
      throw new IllegalStateException("reconciliation failed for " + broken.size() + " file(s) of " + spec.name()
          + ": " + broken.subList(0, Math.min(5, broken.size())));
    }
  }

  /** ops.dq_results rows of one source: every quarantine rule, every dedupe rule, location and spatial flags. */
  static void dq(JobContext ctx, String job, SourceSpec spec, String target, long checked, Map<String, Long> rules,
      Map<String, Long> dups, long accepted, Map<String, Long> match, Map<String, Long> quality, Timestamp now) {
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
    Writes.append(Tables.OPS_DQ_RESULTS, ctx.spark().createDataFrame(rows, Tables.OPS_DQ_RESULTS.schema()));
  }
}
