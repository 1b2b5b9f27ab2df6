package org.ilp.jobs.assess;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.assess.CrimeCounts;
import org.ilp.common.assess.Cube;
import org.ilp.common.assess.Periods;
import org.ilp.common.publish.Suppression;
import org.ilp.common.ref.Reference;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.spark.UsageError;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * National threat assessment for one period: silver.incidents → gold statistics, trends, early
 * warnings and threat ranking, and their disclosure-controlled copies in publish.*.
 *
 * <p><b>Inputs:</b> notifiable crime of silver.incidents through gold.crime_counts ({@link CrimeCounts}: first
 * given silver's changes), ref.areas, ref.population, the harm weights ({@code ilp.assess.harm-weights}), ICCS names.
 *
 * <p><b>Outputs</b> (each replaced atomically for the assessed scope, nothing else touched):
 * gold.crime_stats ({@link CrimeStats}: counts, changes, exact Poisson p, BH q, rates, confidence),
 * gold.threat_assessment ({@link Threat}: harm × volume × significant trend × confidence),
 * gold.crime_trends and gold.early_warnings ({@link Series}: monthly and, for dated sources, weekly
 * series with Mann–Kendall, Sen and the early warning of the last month), and their publish.* copies
 * ({@link Publish}: counts 1..k-1 suppressed, secondary suppression, flagged not dropped). Area
 * attribution: {@link Cube}.
 *
 * <p><b>Scope of a run:</b> the jurisdictions with crime in the period (or those named).
 * crime_stats, threat_assessment and early_warnings rows of (period type, period, jurisdiction) are
 * replaced; crime_trends keeps the series of each assessment ({@code as_of} = the period's last month).
 * When nothing it reads changed since the same assessment last ran (same parameters, same ref versions,
 * and no change to the silver rows of its jurisdictions, read from silver's change data feed), the run is a
 * no-op; {@code --force} recomputes.
 *
 * <p><b>Knobs:</b> {@code ilp.assess.*}: q, fdr-family, series-levels, weekly-trends,
 * early-warning.{alpha, min-years, max-baseline, min-count}, threat.*, disclosure-k, publish-levels.
 */
public final class AssessJob {
  public static final String JOB = "assess";
  static final List<TableDef> INPUTS = List.of(Tables.SILVER_INCIDENTS, Tables.REF_AREAS, Tables.REF_POPULATION);
  static final List<TableDef> OUTPUTS = List.of(Tables.GOLD_CRIME_STATS, Tables.GOLD_THREAT_ASSESSMENT,
      Tables.GOLD_CRIME_TRENDS, Tables.GOLD_EARLY_WARNINGS, Tables.PUBLISH_CRIME_STATS,
      Tables.PUBLISH_THREAT_ASSESSMENT, Tables.PUBLISH_CRIME_TRENDS, Tables.PUBLISH_EARLY_WARNINGS);

  private AssessJob() {}

  /** What one run assesses: the jurisdictions, and the periods of the run's range that have crime data. */
  public record Scope(List<String> jurisdictions, List<LocalDate> periods) {}

  /** What the core reads (the shell reads it: {@link #read}). */
  public record Inputs(Dataset<Row> counts, Dataset<Row> areas, Dataset<Row> population, Dataset<Row> harm,
      Dataset<Row> offenceNames, Map<String, String> jurisdictions) {}

  /** One frame per output table, in {@link #OUTPUTS} order. */
  public record Outputs(List<Dataset<Row>> tables) {
    public Dataset<Row> of(TableDef t) {
      return tables.get(OUTPUTS.indexOf(t));
    }
  }

  /**
   * The pure core: inputs → the eight output frames of the period and jurisdictions. Intermediates read
   * by several outputs go through {@code keep} (the shell materializes them; a test may leave them lazy).
   */
  public static Outputs transform(Inputs in, AssessParams p, Scope scope, String runId, Keep keep) {
    List<String> jurisdictions = scope.jurisdictions();
    Dataset<Row> att = keep.apply(Cube.attributed(in.counts(), in.areas(), in.harm(), in.jurisdictions())
        .where(col("jurisdiction").isin(jurisdictions.toArray())));
    Dataset<Row> names = keep.apply(in.areas().select("area_code", "area_name"));
    List<Date> needed = new java.util.ArrayList<>();
    for (LocalDate d : scope.periods()) {
      AssessParams one = p.only(d);
      needed.addAll(List.of(Date.valueOf(d), Date.valueOf(one.prev()), Date.valueOf(one.yearAgo())));
    }
    LocalDate lastMonth = p.only(scope.periods().get(scope.periods().size() - 1)).lastMonth();
    // the local areas' cells only in the periods their statistics compare (AssessParams.cellsRead)
    Dataset<Row> monthCube = keep.apply(Cube.cube(att, Periods.MONTH).where(col("period").leq(Date.valueOf(lastMonth))
        .and(p.cellsRead(needed))));
    Dataset<Row> cube = Cube.fromMonths(monthCube, p.type()).where(col("period").isin(needed.toArray()));
    cube = p.type() == Periods.MONTH ? cube : keep.apply(cube);
    Dataset<Row> agencies = keep.apply(Cube.agencies(att, p.type()));
    LocalDate lastWeek = Periods.WEEK.start(lastMonth.plusMonths(1)).minusWeeks(1);
    Dataset<Row> weekCube = !p.weekly() ? null : keep.apply(Series.completeWeeks(Cube.cube(att, Periods.WEEK)
        .where(col("period").leq(Date.valueOf(lastWeek)).and(col("level").isin(p.everyMonthLevels().toArray()))), att));
    Dataset<Row> stats = null;
    Dataset<Row> series = null;
    for (LocalDate d : scope.periods()) {
      AssessParams one = p.only(d);
      Dataset<Row> s = CrimeStats.of(cube, agencies, in.population(), names, in.offenceNames(), one, runId);
      stats = stats == null ? s : stats.unionByName(s);
      // each assessed period keeps its own series, as of its last month
      Dataset<Row> t = Series.analyse(monthCube, Periods.MONTH, one, runId);
      if (weekCube != null) {
        t = t.unionByName(Series.analyse(weekCube, Periods.WEEK, one, runId));
      }
      series = series == null ? t : series.unionByName(t);
    }
    stats = keep.apply(stats);
    series = keep.apply(CrimeStats.withNames(series, names, in.offenceNames()));
    Dataset<Row> trends = Series.trendRows(series);
    Dataset<Row> warnings = Series.warningRows(series);
    Dataset<Row> threat = keep.apply(Threat.assess(stats, p));
    Column published = col("level").isin(p.publishLevels().toArray());
    Dataset<Row> pattern = keep.apply(Suppression.patterns(cube.where(published), p.k()));
    Dataset<Row> seriesPattern = Suppression.patterns(monthCube.where(published), p.k());
    if (weekCube != null) {
      seriesPattern = seriesPattern.unionByName(Suppression.patterns(weekCube.where(published), p.k()));
    }
    seriesPattern = keep.apply(seriesPattern);
    return new Outputs(List.of(stats, threat, trends, warnings,
        Publish.crimeStats(stats.where(published), pattern, p), Publish.threat(threat.where(published), pattern, p),
        Publish.trends(trends.where(published), seriesPattern, p.k()), Publish.warnings(warnings.where(published),
            seriesPattern)));
  }

  /** The shell: read, check, transform, write each output's scope in one commit, report. */
  public static JobResult run(JobContext ctx, AssessParams p) {
    SparkSession spark = ctx.spark();
    ctx.stages(3);
    ctx.stage("inputs", "silver.incidents and ref → " + p.type().label() + " " + p.label());
    Delta.require(spark, "`ilp ref`, `ilp ingest` and `ilp curate`", INPUTS.toArray(TableDef[]::new));
    Map<String, Long> inVersions = Delta.versions(spark, INPUTS);
    Column rowsRead = Reference.inJurisdictions(p.jurisdictions());
    if (!p.force() && ctx.unchangedSince(inVersions, OUTPUTS, Map.of(Tables.SILVER_INCIDENTS, rowsRead))) {
      return ctx.noop(inVersions, "no change to the silver rows of " + (p.jurisdictions().isEmpty() ? "any jurisdiction"
          : String.join(", ", p.jurisdictions())) + " or to ref since this assessment last ran");
    }
    ctx.info("      {}", CrimeCounts.refresh(spark, p.force()));
    Inputs in = read(spark, p);
    Scope scope = scopeOf(in.counts(), p);
    ctx.stageDone("jurisdictions " + scope.jurisdictions() + ", periods " + scope.periods());
    ctx.stage("write", "gold.* and publish.* (replace the assessed scope of each)");
    long t0 = System.nanoTime();
    Outputs o = transform(in, p, scope, ctx.runId(), Keep.MATERIALIZE);
    ctx.info("      intermediates computed ({} s)", String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> outVersions = new LinkedHashMap<>(Delta.versions(spark, List.of(Tables.GOLD_CRIME_COUNTS)));
    for (Writes.Replaced r : Writes.replaceEach(OUTPUTS.stream()
        .map(t -> new Writes.Replacement(t, o.of(t), scopeOf(t, p, scope))).toList())) {
      Writes.WriteResult w = r.result();
      out.put(r.table().name(), w.sourceRows());
      outVersions.put(r.table().name(), w.version());
      ctx.info("      {} rows → {} (version {}, {} s)", String.format("%,d", w.sourceRows()), r.table().name(),
          w.version(), String.format("%.1f", r.seconds()));
    }
    ctx.stage("summary", "significant changes, early warnings, suppressed cells");
    Row sig = Delta.read(spark, Tables.GOLD_CRIME_STATS).where(scopeOf(Tables.GOLD_CRIME_STATS, p, scope))
        .agg(count(when(col("significant"), 1)), count(lit(1))).head();
    long alarms = Delta.read(spark, Tables.GOLD_EARLY_WARNINGS).where(scopeOf(Tables.GOLD_EARLY_WARNINGS, p, scope)
        .and(col("alarm"))).count();
    long suppressed = Delta.read(spark, Tables.PUBLISH_CRIME_STATS)
        .where(scopeOf(Tables.PUBLISH_CRIME_STATS, p, scope).and(col("suppressed"))).count();
    String summary = String.format("%s %s, %s: %,d crime_stats rows (%,d significant changes at q=%s), %,d early warnings, "
            + "%,d cells suppressed in publish.crime_stats (k=%d)", p.type().label(), p.label(),
        String.join("+", scope.jurisdictions()), sig.getLong(1), sig.getLong(0), p.q(), alarms, suppressed, p.k());
    ctx.stageDone(summary);
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(), out, 0L, inVersions, outVersions,
        Duration.between(ctx.startedAt(), java.time.Instant.now()), summary);
  }

  /** The shell's reads: crime counts and ref, the harm weights (checked to cover every crime's code), the names. */
  static Inputs read(SparkSession spark, AssessParams p) {
    Dataset<Row> counts = Delta.read(spark, Tables.GOLD_CRIME_COUNTS);
    Dataset<Row> harm = Reference.harmWeights(spark, p.harmWeights());
    Reference.requireHarmCoverage(counts, harm, p.harmWeights());
    return new Inputs(counts, Delta.read(spark, Tables.REF_AREAS), Delta.read(spark, Tables.REF_POPULATION), harm,
        Reference.offenceNames(spark), Reference.jurisdictions());
  }

  /** The rows of an output table that one run of (periods, jurisdictions) replaces. */
  static Column scopeOf(TableDef t, AssessParams p, Scope scope) {
    Column jur = col("jurisdiction").isin(scope.jurisdictions().toArray());
    Object[] lastMonths = scope.periods().stream().map(d -> Date.valueOf(p.only(d).lastMonth())).toArray();
    if (t == Tables.GOLD_CRIME_TRENDS || t == Tables.PUBLISH_CRIME_TRENDS) {
      // each assessment keeps its own series (as_of = its last month): re-running replaces only those
      return col("as_of").isin(lastMonths).and(jur);
    }
    if (t == Tables.GOLD_EARLY_WARNINGS || t == Tables.PUBLISH_EARLY_WARNINGS) {
      return col("period_type").equalTo(lit("month")).and(col("period").isin(lastMonths)).and(jur);
    }
    return col("period_type").equalTo(lit(p.type().label()))
        .and(col("period").isin(scope.periods().stream().map(Date::valueOf).toArray())).and(jur);
  }

  /**
   * What a run assesses (one small query): the jurisdictions named, or all with crime in the range, and
   * the periods of the range in which they have crime (a backfill skips empty periods).
   */
  static Scope scopeOf(Dataset<Row> counts, AssessParams p) {
    Column inRange = col("period_month").between(lit(Date.valueOf(p.period())), lit(Date.valueOf(p.lastMonth())));
    TreeSet<String> with = new TreeSet<>();
    Map<String, TreeSet<LocalDate>> periods = new java.util.HashMap<>();
    for (Row r : counts.where(inRange).select(Reference.jurisdictionOf().as("j"),
        col("period_month")).distinct().collectAsList()) {
      with.add(r.getString(0));
      periods.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(p.type().start(r.getDate(1).toLocalDate()));
    }
    String what = p.type().label() + " " + p.label();
    List<String> js = p.jurisdictions().isEmpty() ? List.copyOf(with) : p.jurisdictions();
    if (js.isEmpty()) {
      throw new UsageError("no crime data for " + what + ": nothing to assess");
    }
    TreeSet<LocalDate> ps = new TreeSet<>();
    for (String j : js) {
      if (!with.contains(j)) {
        throw new UsageError("jurisdiction " + j + " has no crime data in " + what + " (with data: " + with + ")");
      }
      ps.addAll(periods.get(j));
    }
    return new Scope(js, List.copyOf(ps));
  }

  /**
   * The latest complete month of each jurisdiction (what `ilp run` assesses): a month that is over
   * (before the calendar month of {@code asOf}: today, or a scheduler's logical date) and either published whole (police.uk gives months only) or
   * with dated records on at least 90% of its days — so a 3-day API sample is not a "latest month".
   */
  public static Map<String, LocalDate> latestCompleteMonths(SparkSession spark, LocalDate asOf) {
    LocalDate thisMonth = asOf.withDayOfMonth(1);
    List<Row> rows = Delta.read(spark, Tables.SILVER_INCIDENTS).where(col("is_crime"))
        .groupBy(Reference.jurisdictionOf().as("jurisdiction"), col("period_month"))
        .agg(countDistinct(to_date(col("occurred_at"))).as("days"),
            max(when(col("time_precision").notEqual("month"), 1).otherwise(0)).as("dated"))
        .where(col("period_month").lt(lit(Date.valueOf(thisMonth)))
            .and(col("dated").equalTo(0).or(col("days").geq(dayofmonth(last_day(col("period_month"))).multiply(0.9)))))
        .groupBy("jurisdiction").agg(max("period_month").as("latest")).collectAsList();
    Map<String, LocalDate> out = new java.util.TreeMap<>();
    rows.forEach(r -> out.put(r.getString(0), r.getDate(1).toLocalDate()));
    return out;
  }
}
