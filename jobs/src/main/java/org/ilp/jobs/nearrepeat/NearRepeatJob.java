package org.ilp.jobs.nearrepeat;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.ref.Reference;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.spark.UsageError;
import org.ilp.common.spatial.GisExports;
import org.ilp.common.spatial.Grid;
import org.ilp.common.spatial.Knox;
import org.ilp.common.spatial.NearRepeatAlerts;
import org.ilp.common.spatial.StudyArea;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Near repeat of one scope, offence and period: silver.incidents → gold.near_repeat (the {@link Knox} test: per
 * distance band × time band, the event pairs observed against a Monte Carlo null of permuted dates) and
 * gold.near_repeat_alerts (the cells around the latest events where a significant band raises the risk, and until
 * when: {@link NearRepeatAlerts}), exported as GeoJSON and GeoParquet under
 * {@code <warehouse>/exports/nearrepeat/<scope>_<from>_<to>_<offence>/near_repeat_alerts.geojson} (and {@code .parquet}).
 *
 * <p><b>Events</b> are the scope's crimes of the offence in the period with a point (projected into the
 * jurisdiction's metric CRS, {@code ilp.hotspots.crs}) and a day ({@link Reference#localDate}); the others are
 * counted in {@code excluded_events} and left out. A scope whose records carry months only (police.uk) is refused
 * as a usage error: day bands over month-only dates would pretend a precision the data lacks.
 *
 * <p><b>Inputs:</b> silver.incidents, ref.areas (the scope). <b>Outputs:</b> the two tables above, whose rows of
 * (scope, offence, period) are replaced in one commit each; the same parameters over unchanged silver rows of the
 * jurisdiction are a no-op ({@code --force} recomputes). Nothing goes to publish.*.
 *
 * <p><b>Knobs:</b> ilp.nearrepeat.{distance-bands, time-bands, permutations, seed, metric, alpha, alert-cell-m,
 * alert-min-ratio};
 * CLI --from, --to, --scope, --offence, --distance-bands, --time-bands, --permutations, --seed, --metric.
 */
public final class NearRepeatJob {
  public static final String JOB = "nearrepeat";
  static final List<TableDef> INPUTS = List.of(Tables.SILVER_INCIDENTS, Tables.REF_AREAS);
  static final List<TableDef> OUTPUTS = List.of(Tables.GOLD_NEAR_REPEAT, Tables.GOLD_NEAR_REPEAT_ALERTS);

  private NearRepeatJob() {}

  /** The test and the alerts (alert cells: {@link NearRepeatAlerts#alerts} columns). */
  public record Outputs(Knox.Result knox, long excluded, LocalDate asOf, Dataset<Row> alerts) {}

  /**
   * The scope's events of the period: event_id, x_m, y_m, day (null x_m or day = not usable), from silver rows
   * already filtered to the scope, offence and period.
   */
  public static Dataset<Row> events(Dataset<Row> rows, Grid grid) {
    return rows.select(col("incident_id").as("event_id"), grid.projected(col("geom")).as("_pg"),
            datediff(Reference.localDate(), lit(Date.valueOf("1970-01-01"))).as("day"))
        .select(col("event_id"), expr("ST_X(_pg)").multiply(grid.unitM).as("x_m"),
            expr("ST_Y(_pg)").multiply(grid.unitM).as("y_m"), col("day"));
  }

  /**
   * The pure core: events (see {@link #events}) → the Knox result and the alert cells on the latest event day.
   *
   * @throws UsageError when no event has a day but some have a point (month-only records: police.uk)
   */
  public static Outputs transform(Dataset<Row> events, NearRepeatParams p, Grid alertGrid) {
    Column ok = col("x_m").isNotNull().and(col("day").isNotNull());
    Row n = events.agg(count(lit(1)), count(when(ok, 1)), count(when(col("x_m").isNotNull().and(col("day").isNull()), 1)),
        max(when(ok, col("day")))).head();
    if (n.getLong(1) == 0 && n.getLong(2) > 0) {
      throw new UsageError(String.format("%s has no %s crime with a day in %s .. %s: its %,d located records carry the "
          + "month only (police.uk publishes months, not days), and day bands over month-only dates would pretend a "
          + "precision the data lacks; near repeat needs a source with dates (e.g. chicago)", p.scope(), p.offence(),
          p.from(), p.periodTo(), n.getLong(2)));
    }
    Dataset<Row> usable = Keep.MATERIALIZE.apply(events.where(ok));
    long excluded = n.getLong(0) - n.getLong(1);
    Knox.Result r = Knox.test(usable, p.knox());
    if (n.isNullAt(3)) {
      return new Outputs(r, excluded, null, NearRepeatAlerts.alerts(usable, List.of(), p.knox().metric(), 0, alertGrid));
    }
    int asOf = n.getInt(3);
    return new Outputs(r, excluded, LocalDate.ofEpochDay(asOf), NearRepeatAlerts.alerts(usable,
        NearRepeatAlerts.pattern(r.cells(), p.alertMinRatio()), p.knox().metric(), asOf, alertGrid));
  }

  /** The shell: read, check, transform, write, export. */
  public static JobResult run(JobContext ctx, NearRepeatParams p) {
    SparkSession spark = ctx.spark();
    ctx.stages(3);
    ctx.stage("events", p.scope() + " " + p.offence() + ", " + p.from() + " .. " + p.periodTo());
    Delta.require(spark, "`ilp ref`, `ilp ingest` and `ilp curate`", INPUTS.toArray(TableDef[]::new));
    Map<String, Long> inVersions = Delta.versions(spark, INPUTS);
    StudyArea area = Reference.studyArea(spark, ctx.config().raw().getConfig("ilp.hotspots"), p.scope());
    Column rowsRead = Reference.inJurisdictions(List.of(area.jurisdiction()));
    if (!p.force() && ctx.unchangedSince(inVersions, OUTPUTS, Map.of(Tables.SILVER_INCIDENTS, rowsRead))) {
      return ctx.noop(inVersions, "no change to the silver rows of " + area.jurisdiction() + " since this near-repeat run");
    }
    Column where = rowsRead.and(col("is_crime"))
        .and(col("period_month").between(lit(Date.valueOf(p.from())), lit(Date.valueOf(p.to()))))
        .and(p.offence().length() == 2 ? col("iccs_l1").equalTo(p.offence()) : col("iccs_l2").equalTo(p.offence()));
    if (!p.scope().equals(area.jurisdiction())) {
      String s = p.scope();
      where = where.and(col("area_local").equalTo(s).or(col("area_regional").equalTo(s))
          .or(col("area_national").equalTo(s)).or(col("area_community").equalTo(s)));
    }
    Dataset<Row> rows = Delta.read(spark, Tables.SILVER_INCIDENTS).where(where);
    Grid alertGrid = area.grid(p.alertCellM());
    Outputs o = transform(events(rows, alertGrid), p, alertGrid);
    ctx.stageDone(String.format("%,d events, %,d excluded, %,d pairs in the bands", o.knox().events(), o.excluded(),
        o.knox().pairsInBands()));

    ctx.stage("write", "replace this scope, offence and period in gold.near_repeat and gold.near_repeat_alerts");
    Column scope = col("scope").equalTo(lit(p.scope())).and(col("offence").equalTo(lit(p.offence())))
        .and(col("period_from").equalTo(lit(Date.valueOf(p.from()))))
        .and(col("period_to").equalTo(lit(Date.valueOf(p.periodTo()))));
    Dataset<Row> alerts = stamp(o.alerts(), p, ctx.runId())
        .withColumn("as_of", lit(o.asOf() == null ? null : Date.valueOf(o.asOf())).cast("date"))
        .withColumn("crs", lit(alertGrid.crs)).withColumn("cell_size_m", lit(alertGrid.cellM))
        .withColumn("geom", alertGrid.cellGeometry())
        .withColumn("last_event_date", date_add(lit(Date.valueOf("1970-01-01")), col("last_event_day")))
        .withColumn("alert_until", date_add(lit(Date.valueOf("1970-01-01")), col("until_day")))
        .select(Tables.GOLD_NEAR_REPEAT_ALERTS.selection());
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> outV = new LinkedHashMap<>();
    for (Writes.Replaced r : Writes.replaceEach(List.of(
        new Writes.Replacement(Tables.GOLD_NEAR_REPEAT, table(spark, o, p, ctx.runId()), scope),
        new Writes.Replacement(Tables.GOLD_NEAR_REPEAT_ALERTS, alerts, scope)))) {
      out.put(r.table().name(), r.result().sourceRows());
      outV.put(r.table().name(), r.result().version());
      ctx.info("      {} rows → {} (version {})", String.format("%,d", r.result().sourceRows()), r.table().name(),
          r.result().version());
    }

    ctx.stage("export", "GeoJSON and GeoParquet of the alert cells");
    Path dir = ctx.config().warehouse().resolve("exports").resolve("nearrepeat")
        .resolve(p.scope() + "_" + p.from() + "_" + p.periodTo() + "_" + p.offence());
    List<String> files = GisExports.write(Delta.read(spark, Tables.GOLD_NEAR_REPEAT_ALERTS).where(scope), dir,
        "near_repeat_alerts", area.unitM());
    ctx.stageDone("export files " + files);
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of("events", o.knox().events(), "excluded", o.excluded()),
        out, 0L, inVersions, outV, Duration.between(ctx.startedAt(), Instant.now()), summary(o, p));
  }

  /** One sentence per run: the significant bands, or that none is. */
  static String summary(Outputs o, NearRepeatParams p) {
    List<String> sig = new ArrayList<>();
    for (Knox.Cell c : o.knox().cells()) {
      if (c.significant()) {
        sig.add(String.format("%s m × %s days (ratio %.2f, p %.3f)", c.distance(), c.time(), c.knoxRatio(), c.pValue()));
      }
    }
    return String.format("%s %s %s..%s: %,d events (%,d excluded), %,d pairs in the bands, %d permutations; %s",
        p.scope(), p.offence(), p.from(), p.periodTo(), o.knox().events(), o.excluded(), o.knox().pairsInBands(),
        p.knox().permutations(), sig.isEmpty() ? "no band with more pairs than chance (alpha " + p.knox().alpha() + ")"
            : "raised risk in " + String.join("; ", sig));
  }

  /** gold.near_repeat's rows of one run. */
  static Dataset<Row> table(SparkSession spark, Outputs o, NearRepeatParams p, String runId) {
    List<Row> rows = new ArrayList<>();
    for (Knox.Cell c : o.knox().cells()) {
      rows.add(RowFactory.create(c.distance().from(), c.distance().to(), c.time().from(), c.time().to(), c.observed(),
          c.nullMean(), c.nullMedian(), c.nullP95(), c.nullP99(), c.knoxRatio(), c.knoxRatioMedian(), c.pValue(),
          c.significant()));
    }
    Dataset<Row> d = spark.createDataFrame(rows, Tables.GOLD_NEAR_REPEAT.fields("distance_from_m", "distance_to_m",
        "time_from_days", "time_to_days", "observed", "null_mean", "null_median", "null_p95", "null_p99", "knox_ratio",
        "knox_ratio_median", "p_value", "significant"));
    return stamp(d, p, runId).withColumn("metric", lit(p.knox().metric().label()))
        .withColumn("events", lit(o.knox().events())).withColumn("excluded_events", lit(o.excluded()))
        .withColumn("permutations", lit(p.knox().permutations())).withColumn("seed", lit(p.knox().seed()))
        .select(Tables.GOLD_NEAR_REPEAT.selection());
  }

  static Dataset<Row> stamp(Dataset<Row> d, NearRepeatParams p, String runId) {
    return d.withColumn("run_id", lit(runId)).withColumn("scope", lit(p.scope())).withColumn("offence", lit(p.offence()))
        .withColumn("period_from", lit(Date.valueOf(p.from()))).withColumn("period_to", lit(Date.valueOf(p.periodTo())));
  }
}
