package org.ilp.jobs.repeats;

import static org.apache.spark.sql.functions.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.ilp.common.assess.Repeats;
import org.ilp.common.ref.Reference;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.Aggregates;
import org.ilp.common.spark.Cached;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Repeat locations of one jurisdiction and window: silver.incidents → gold.repeat_locations (every location with
 * two or more crimes, most first, with its share of the scope's crime) and gold.repeat_location_areas (per local
 * area and for the scope: repeat locations and their share of crime, against the number chance gives —
 * {@link Repeats}, {@link org.ilp.common.stats.RepeatExpectation}).
 *
 * <p><b>Locations</b> are what each source's spec names ({@code location-key}): police.uk's snapped map points,
 * Chicago's blocks. A location belongs to the local area (LSOA, beat) most of its records name; the locations at
 * risk of an area are those ever recorded there (any month, any record, anti-social behaviour included), the best
 * count of targets the data holds (it misses places never recorded, which makes the test conservative). Crimes of
 * the window without a location are counted on the scope row and left out.
 *
 * <p><b>Inputs:</b> silver.incidents (the scope's rows). <b>Outputs:</b> the two tables above, whose rows of
 * (period, period_end, scope, offence) are replaced in one commit each; a repeat with the same parameters and
 * silver rows of the jurisdiction is a no-op ({@code --force} recomputes). Nothing goes to publish.*: a repeat
 * location's address is operational detail for accredited analysts.
 *
 * <p><b>Knobs:</b> ilp.repeats.{window-months, alpha}; CLI --to, --months, --scope, --offence; the specs'
 * {@code location-key}.
 */
public final class RepeatsJob {
  public static final String JOB = "repeats";
  static final List<TableDef> INPUTS = List.of(Tables.SILVER_INCIDENTS);
  static final List<TableDef> OUTPUTS = List.of(Tables.GOLD_REPEAT_LOCATIONS, Tables.GOLD_REPEAT_LOCATION_AREAS);

  private RepeatsJob() {}

  /** The two output frames. */
  public record Outputs(Dataset<Row> locations, Dataset<Row> areas, Repeats.Totals totals, long unlocated) {}

  /**
   * The pure core: the scope's silver rows (any month; {@code location_key} added) → the output frames. Frames read
   * more than once go through {@code keep}.
   */
  public static Outputs transform(Dataset<Row> rows, RepeatParams p, String runId, Keep keep) {
    Dataset<Row> located = rows.where(col("location_key").isNotNull());
    // each location's area: the local area most of its records name (ties: the smallest code)
    Dataset<Row> byArea = located.groupBy("location_key", "area_local", "area_regional").agg(count(lit(1)).as("_n"));
    Dataset<Row> home = keep.apply(byArea.withColumn("_r", row_number().over(Window.partitionBy("location_key")
            .orderBy(col("_n").desc(), col("area_local").asc_nulls_last(), col("area_regional").asc_nulls_last())))
        .where(col("_r").equalTo(1))
        .select(col("location_key"), coalesce(col("area_local"), lit("unassigned")).as("area_code"), col("area_regional")));
    Dataset<Row> atRisk = home.groupBy("area_code").agg(count(lit(1)).as("targets_at_risk"));
    Dataset<Row> window = rows.where(col("is_crime")
        .and(col("period_month").between(lit(Date.valueOf(p.period())), lit(Date.valueOf(p.periodEnd())))));
    if (p.offence() != null) {
      window = window.where(p.offence().length() == 2 ? col("iccs_l1").equalTo(p.offence()) : col("iccs_l2").equalTo(p.offence()));
    }
    // one row per location hit in the window (never one per crime: a national window is millions of them)
    Dataset<Row> hit = keep.apply(window.where(col("location_key").isNotNull()).groupBy("location_key").agg(
            count(lit(1)).as("incidents"), min("period_month").as("first_month"), max("period_month").as("last_month"),
            min("location_text").as("location_text"),
            // means in a fixed order: the same bits wherever the rows are (the cluster check compares digests)
            try_divide(Aggregates.fixedOrderSum(col("lon")), count(col("lon"))).as("lon"),
            try_divide(Aggregates.fixedOrderSum(col("lat")), count(col("lat"))).as("lat"))
        .join(home, "location_key"));
    Dataset<Row> areas = keep.apply(Repeats.areas(hit.select(col("area_code"), col("location_key").as("target_key"),
        col("incidents").as("n")), atRisk, p.alpha()));
    Repeats.Totals t = Repeats.scope(areas);
    long unlocated = window.where(col("location_key").isNull()).count();
    Dataset<Row> scopeRow = rows.sparkSession().createDataFrame(List.of(RowFactory.create("scope", p.scope(),
        t.targetsAtRisk(), t.targetsHit(), t.incidents(), t.repeatTargets(), t.repeatIncidents(),
        t.incidents() == 0 ? null : (double) t.repeatIncidents() / t.incidents(), t.expectedRepeatTargets(),
        t.incidents() - t.targetsHit(), t.expectedRepeats(),
        t.expectedRepeats() > 0 ? (t.incidents() - t.targetsHit()) / t.expectedRepeats() : null, t.pValue(), null,
        t.pValue() <= p.alpha(), unlocated)), Tables.GOLD_REPEAT_LOCATION_AREAS.fields("level",
        "area_code", "locations_at_risk", "locations_hit", "incidents", "repeat_locations", "repeat_incidents",
        "repeat_share", "expected_repeat_locations", "repeats", "expected_repeats", "excess_ratio", "p_value", "q_value",
        "exceeds_chance", "unlocated_incidents"));
    Dataset<Row> areaRows = areas.withColumn("level", lit("local"))
        .withColumnRenamed("targets_at_risk", "locations_at_risk").withColumnRenamed("targets_hit", "locations_hit")
        .withColumnRenamed("repeat_targets", "repeat_locations")
        .withColumnRenamed("expected_repeat_targets", "expected_repeat_locations")
        .withColumn("unlocated_incidents", lit(null).cast("long"));
    Dataset<Row> areaOut = stamp(areaRows.unionByName(scopeRow), p, runId)
        .select(Tables.GOLD_REPEAT_LOCATION_AREAS.selection());

    long total = t.incidents();
    Dataset<Row> locations = hit.where(col("incidents").geq(Repeats.REPEAT))
        .withColumn("rank", rank().over(Window.orderBy(col("incidents").desc())))
        .withColumn("share_of_scope", col("incidents").divide(lit((double) Math.max(total, 1))));
    return new Outputs(stamp(locations, p, runId).select(Tables.GOLD_REPEAT_LOCATIONS.selection()), areaOut, t,
        unlocated);
  }

  static Dataset<Row> stamp(Dataset<Row> d, RepeatParams p, String runId) {
    return d.withColumn("run_id", lit(runId)).withColumn("period", lit(Date.valueOf(p.period())))
        .withColumn("period_end", lit(Date.valueOf(p.periodEnd()))).withColumn("scope", lit(p.scope()))
        .withColumn("offence", lit(p.offenceLabel()));
  }

  /** The location key of a silver.incidents row: its source spec's {@code location-key}. */
  public static Column locationKey() {
    Column c = null;
    for (String s : SourceSpec.KNOWN) {
      SourceSpec spec = SourceSpec.load(s);
      if (!"incidents".equals(spec.target())) {
        continue;
      }
      Column e = expr(spec.locationKey()).cast("string");
      c = c == null ? when(col("source").equalTo(s), e) : c.when(col("source").equalTo(s), e);
    }
    return c == null ? lit(null).cast("string") : c;
  }

  /** SHA-256 of the specs' location keys: a run whose keys changed is not a no-op. */
  static String locationKeysHash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String s : SourceSpec.KNOWN) {
        md.update((s + "=" + SourceSpec.load(s).locationKey() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shell: read, check, transform, write. */
  public static JobResult run(JobContext ctx, RepeatParams p) {
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("repeat locations", p.scope() + ", " + p.period() + " .. " + p.periodEnd() + ", "
        + (p.offence() == null ? "all crime" : p.offence()));
    Delta.require(spark, "`ilp ingest` and `ilp curate`", INPUTS.toArray(TableDef[]::new));
    Map<String, Long> inVersions = Delta.versions(spark, INPUTS);
    Column rowsRead = Reference.inJurisdictions(List.of(p.scope()));
    if (!p.force() && ctx.unchangedSince(inVersions, OUTPUTS, Map.of(Tables.SILVER_INCIDENTS, rowsRead))) {
      return ctx.noop(inVersions, "no change to the silver rows of " + p.scope() + " since this repeats run");
    }
    Dataset<Row> rows = Delta.read(spark, Tables.SILVER_INCIDENTS).where(rowsRead)
        .select(col("incident_id"), col("source"), col("period_month"), col("is_crime"), col("iccs_l1"), col("iccs_l2"),
            col("location_text"), col("lon"), col("lat"), col("area_local"), col("area_regional"))
        .withColumn("location_key", locationKey());
    // the kept frames in the columnar cache (compressed, spilled to disk): one row per location of a country does
    // not fit a small driver's heap as the whole rows a localCheckpoint keeps
    try (Cached keep = new Cached()) {
      return write(ctx, p, transform(rows, p, ctx.runId(), keep), inVersions);
    }
  }

  /** Replaces the window's rows in both tables; the run's result. */
  static JobResult write(JobContext ctx, RepeatParams p, Outputs o, Map<String, Long> inVersions) {
    ctx.stageDone("locations and areas");

    ctx.stage("write", "replace this window, scope and offence in the repeat tables");
    Column scope = col("period").equalTo(lit(Date.valueOf(p.period())))
        .and(col("period_end").equalTo(lit(Date.valueOf(p.periodEnd()))))
        .and(col("scope").equalTo(lit(p.scope()))).and(col("offence").equalTo(lit(p.offenceLabel())));
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> outV = new LinkedHashMap<>();
    for (Writes.Replaced r : Writes.replaceEach(List.of(
        new Writes.Replacement(Tables.GOLD_REPEAT_LOCATIONS, o.locations(), scope),
        new Writes.Replacement(Tables.GOLD_REPEAT_LOCATION_AREAS, o.areas(), scope)))) {
      out.put(r.table().name(), r.result().sourceRows());
      outV.put(r.table().name(), r.result().version());
      ctx.info("      {} rows → {} (version {})", String.format("%,d", r.result().sourceRows()), r.table().name(),
          r.result().version());
    }
    Repeats.Totals t = o.totals();
    long repeats = t.incidents() - t.targetsHit();
    String summary = String.format("%s %s..%s %s: %,d of %,d located crimes (%.1f%%) at %,d repeat locations; "
            + "%,d repeats against %,.0f by chance (%s, p %.2g); %,d local areas with more than chance; %,d crimes "
            + "without a location", p.scope(), p.period(), p.periodEnd(), p.offenceLabel(), t.repeatIncidents(),
        t.incidents(), t.incidents() == 0 ? 0.0 : 100.0 * t.repeatIncidents() / t.incidents(), t.repeatTargets(),
        repeats, t.expectedRepeats(), t.pValue() <= p.alpha() ? "more than chance" : "not more than chance",
        t.pValue(), t.areasExceeding(), o.unlocated());
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(), out, 0L, inVersions, outV,
        Duration.between(ctx.startedAt(), Instant.now()), summary);
  }
}
