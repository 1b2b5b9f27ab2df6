package org.ilp.jobs.curate;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.curate.Curation;
import org.ilp.common.curate.Dedupe;
import org.ilp.common.curate.Increment;
import org.ilp.common.ref.RefData;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.Cached;
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
 * {@code ilp ref} first; {@code ilp curate} and {@code ilp run} do), conf/areas/agencies.csv,
 * {@code ops.ingest_manifest} (which files are new), {@code ops.curate_verdicts} (earlier verdicts).
 * <b>Outputs</b>: {@code silver.incidents} (police.uk street + Chicago), {@code silver.stop_search};
 * {@code ops.curate_verdicts} (one row per bronze record: the silver row it became or lost to, or its
 * quarantine rule), {@code ops.quarantine} (stage {@code curate}), {@code ops.ingest_manifest}
 * (rows_accepted / rows_duplicate / rows_quarantined per file), {@code ops.dq_results}.
 *
 * <p><b>Incremental by default</b>: only the records of files not curated yet go through the rules; the
 * groups they touch are re-ranked with their earlier records (found through ops.curate_verdicts, read back
 * from bronze: {@link Increment}), so every verdict and silver row is a full run's; only those groups' rows
 * are written ({@link CurateState#write}) and only the touched files reconciled again. A <b>full</b> run ({@code --full}; automatically the first time, and
 * whenever the source's spec or a ref table changed since its verdicts were computed) recomputes the
 * source from all of its bronze records and replaces its silver rows, verdicts and quarantine rows.
 * If no input table changed since the last successful curate, the job does nothing.
 *
 * <p><b>Reconciliation</b>: per file, read = accepted + duplicates + quarantined (its verdicts), or the job fails.
 *
 * <p><b>One source's failure</b> (a broken bronze table, a bug in its dedupe) does not stop the others:
 * they are curated and reconciled, then the run fails naming that source (exit 1), and the next run,
 * no no-op after a failure, tries it again (its files are still new).
 *
 * <p><b>Knobs</b>: {@code --source} (default: all configured), {@code --full}, {@code ilp.curate.bounds.*},
 * {@code ilp.curate.increment-replace-max-bytes}.
 */
public final class CurateJob {
  public static final String JOB = "curate";

  /**
   * Validated parameters; {@code full} recomputes every source from all of its bronze records; {@code replaceMaxBytes}:
   * an increment replaces silver or verdict rows of tables up to this size, and MERGEs into larger ones ({@link
   * CurateState#write}).
   */
  public record Params(List<SourceSpec> sources, boolean full, Map<String, Curation.Bounds> bounds,
      long replaceMaxBytes) {
    public Params {
      if (sources == null || sources.isEmpty()) {
        throw new IllegalArgumentException("curate needs at least one source");
      }
      sources = List.copyOf(sources);
      bounds = Map.copyOf(bounds);
    }

    public static Params of(IlpConfig config, List<String> names, boolean full) {
      List<SourceSpec> specs = (names == null || names.isEmpty() ? config.getStringList("ilp.sources").stream()
          .map(SourceSpec::load).filter(SourceSpec::curatedBySilver) : names.stream().map(SourceSpec::load)).toList();
      specs.forEach(SourceSpec::requireSilver);
      Map<String, Curation.Bounds> b = new LinkedHashMap<>();
      specs.forEach(s -> b.put(s.jurisdiction(), Curation.Bounds.of(config.raw(), s.jurisdiction())));
      return new Params(specs, full, b, config.raw().getBytes("ilp.curate.increment-replace-max-bytes"));
    }

    public Params withReplaceMaxBytes(long bytes) {
      return new Params(sources, full, bounds, bytes);
    }

    public Map<String, String> asMap() {
      return Map.of("sources", String.join(",", sources.stream().map(SourceSpec::name).toList()),
          "bounds", new java.util.TreeMap<>(bounds).toString(), "full", String.valueOf(full));
    }
  }

  /** New records after the row rules: every record with its rule verdict, and those that passed, keyed. */
  public record Prepared(Dataset<Row> ruled, Dataset<Row> keyed) {}

  /**
   * One source's frames: every record of the run (new, and earlier ones re-ranked with them) with its rule verdict and,
   * if it passed, its dedupe verdict, location and areas (counts, verdicts and quarantine read it); the silver rows.
   */
  public record Curated(Dataset<Row> records, Dataset<Row> silver) {}

  private CurateJob() {}

  /** The whole pure core for one source (a full run): bronze rows → rules → dedupe → agency → areas → silver. */
  public static Curated transform(Dataset<Row> bronze, SourceSpec spec, Dataset<Row> areas, Dataset<Row> taxonomy,
      Dataset<Row> agencies, Curation.Bounds bounds, Keep keep) {
    return resolve(prepare(bronze, spec, taxonomy, bounds, keep), null, null, spec, areas, agencies, keep);
  }

  /**
   * Core, part 1: the rules and location quality of (new) bronze records, kept (one read of bronze), and the
   * dedupe keys of those that passed.
   */
  public static Prepared prepare(Dataset<Row> bronze, SourceSpec spec, Dataset<Row> taxonomy, Curation.Bounds bounds,
      Keep keep) {
    Dataset<Row> ruled = keep.apply(Curation.ruled(bronze, spec, taxonomy, bounds));
    return new Prepared(ruled, Dedupe.keys(ruled.where(col("rule").isNull()), spec.dedupe(), spec.name()));
  }

  /**
   * Earlier records to re-rank, as {@link Prepared#keyed} rows: their bronze rows through the same rules,
   * with the {@code dedupe_key} they got when their file was new ({@code keys}: file_checksum, row_number,
   * dedupe_key).
   */
  public static Dataset<Row> earlier(Dataset<Row> bronze, Dataset<Row> keys, SourceSpec spec, Dataset<Row> taxonomy,
      Curation.Bounds bounds) {
    Dataset<Row> k = keys.select(col("file_checksum").as("_file_checksum"), col("row_number").as("_row_number"),
        col("dedupe_key"));
    return Curation.ruled(bronze, spec, taxonomy, bounds).where(col("rule").isNull())
        .join(k, JavaConverters.asScalaBuffer(List.of("_file_checksum", "_row_number")).toSeq());
  }

  /**
   * Core, part 2: ranks the new records with the {@code earlier} ones of their groups and builds the silver
   * rows. {@code groups} (dedupe_key) limits the verdicts and silver rows to the touched groups; null for a
   * full run (all groups, and {@code earlier} null).
   */
  public static Curated resolve(Prepared n, Dataset<Row> earlier, Dataset<Row> groups, SourceSpec spec,
      Dataset<Row> areas, Dataset<Row> agencies, Keep keep) {
    Dataset<Row> ranked = Dedupe.rank(earlier == null ? n.keyed() : n.keyed().unionByName(earlier), spec.dedupe());
    boolean sourceLocal = "uk".equals(spec.jurisdiction()) && "incidents".equals(spec.target());
    // every ranked record is located (a row lookup); the records that broke a rule join them in the one kept frame
    // the counts, verdicts, quarantine and silver rows are read from
    Dataset<Row> records = keep.apply(Curation.withAreas(groups == null ? ranked : ranked.join(groups, "dedupe_key"),
        areas, spec.jurisdiction(), sourceLocal).unionByName(n.ruled().where(col("rule").isNotNull()), true));
    Dataset<Row> silver = Curation.finish(Curation.withAgency(records.where(Curation.WINNER), spec, agencies), spec);
    return new Curated(records, silver);
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
    if (!p.full() && ctx.unchangedSince(inVersions, outputs)) {
      return ctx.noop(inVersions, "no bronze or ref table changed since the last curate");
    }
    ctx.stages(present.size() + 1);
    Dataset<Row> areas = Delta.read(spark, Tables.REF_AREAS);
    Dataset<Row> taxonomy = Delta.read(spark, Tables.REF_OFFENCE_TAXONOMY);
    Dataset<Row> agencies = Curation.agencies(spark, RefData.agencies());
    String refs = Tables.REF_AREAS.name() + "@" + inVersions.get(Tables.REF_AREAS.name()) + ", "
        + Tables.REF_OFFENCE_TAXONOMY.name() + "@" + inVersions.get(Tables.REF_OFFENCE_TAXONOMY.name());
    Map<String, Long> rowsIn = new LinkedHashMap<>(), rowsOut = new LinkedHashMap<>();
    List<CurateState.Pending> done = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    // the sources' frames stay kept until the run's writes are done (columnar cache for a large input)
    try (Cached keep = Cached.forInput(present.stream().mapToLong(s -> Delta.sizeInBytes(spark, Tables.bronze(s))).sum())) {
      for (SourceSpec spec : present) {
        // one source's failure (a broken bronze table, a bug in its dedupe) never stops the others; the run
        // still ends failed, so the next run (not a no-op then) tries that source again
        try {
          String with = "spec " + ConfFiles.sha256("sources/" + spec.name() + ".conf").substring(0, 12) + ", " + refs;
          CurateState.Pending one = curateOne(ctx, p, spec, with, areas, taxonomy, agencies, now, keep);
          if (one != null) {
            done.add(one);
            rowsIn.put(Tables.bronze(spec).name(), one.counts().checked());
            rowsOut.put(Tables.silverFor(spec).name() + "[" + spec.name() + "]", one.counts().accepted());
          }
        } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown unchecked
          String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
          failed.put(spec.name(), why);
          ctx.stageDone("FAILED " + spec.name() + " (the other sources go on): " + why);
        }
      }
      if (!done.isEmpty()) {
        CurateState.write(ctx, done, now, p.replaceMaxBytes());
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("curate failed for " + failed.keySet() + " (the other sources were curated): "
          + failed);
    }
    return new JobResult(JOB, ctx.runId(), "succeeded", rowsIn, rowsOut,
        done.stream().mapToLong(d -> d.counts().quarantined()).sum(), inVersions, Delta.versions(spark, outputs),
        Duration.between(t0, Instant.now()), done.isEmpty() ? "no new files"
            : String.join("\n", done.stream().map(CurateState.Pending::summary).toList()));
  }

  /** Curates one source: its rows for the run's writes, or null when an increment finds no new file. */
  private static CurateState.Pending curateOne(JobContext ctx, Params p, SourceSpec spec, String with, Dataset<Row> areas,
      Dataset<Row> taxonomy, Dataset<Row> agencies, Timestamp now, Keep keep) {
    SparkSession spark = ctx.spark();
    TableDef target = Tables.silverFor(spec);
    Curation.Bounds bounds = p.bounds().get(spec.jurisdiction());
    Dataset<Row> bronze = Delta.read(spark, Tables.bronze(spec));
    String why = p.full() ? "--full" : Reconciliation.fullBecause(spark, spec, with);
    boolean full = why != null;
    List<String> fresh = full ? null : Reconciliation.uncurated(spark, spec);
    if (fresh != null && fresh.isEmpty()) {
      ctx.info("      {}: no new files", spec.name());
      return null;
    }

    ctx.stage(spec.name(), (full ? "full (" + why + ")" : "incremental: " + fresh.size() + " new file(s)")
        + ": rules, dedupe (" + spec.dedupe() + "), taxonomy, area join of " + Tables.bronze(spec));
    Prepared n = prepare(full ? bronze : bronze.where(col("_file_checksum").isin(fresh.toArray())), spec, taxonomy,
        bounds, keep);
    Curated c;
    CurateState.Earlier e = null; // what an increment re-ranks (null: a full run)
    if (full) {
      c = resolve(n, null, null, spec, areas, agencies, keep);
    } else {
      n = new Prepared(n.ruled(), keep.apply(n.keyed()));
      e = CurateState.earlier(spark, spec, n.keyed(), fresh);
      Dataset<Row> earlier = e.files().isEmpty() ? null
          : earlier(bronze.where(col("_file_checksum").isin(e.files().toArray())),
              e.rows() <= Increment.FEW ? broadcast(e.keys()) : e.keys().hint("merge"), spec, taxonomy, bounds);
      c = resolve(n, earlier, e.groups(), spec, areas, agencies, keep);
    }
    Reconciliation.Counts counts = Reconciliation.Counts.of(c, fresh);
    String s = counts.summary(spec, full, e == null ? 0 : e.rows());
    ctx.stageDone(s);
    return new CurateState.Pending(spec, e, c.silver(), Reconciliation.quarantine(ctx, spec, c, now),
        full ? null : Reconciliation.unflagged(ctx, spec, c, now), Reconciliation.verdicts(c, spec, with, ctx.runId()),
        fresh, counts, Reconciliation.dq(ctx, JOB, spec, target.name(), counts, now), s);
  }
}
