package org.ilp.jobs.assess;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ilp.common.assess.Cube;
import org.ilp.common.assess.Periods;
import org.ilp.common.publish.Suppression;
import org.ilp.common.ref.CsvConf;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.stats.PoissonRateTest;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * National threat assessment for one period: silver.incidents → gold statistics, trends, early
 * warnings and threat ranking, and their disclosure-controlled copies in publish.*.
 *
 * <p><b>Inputs:</b> silver.incidents (notifiable crime only: {@code is_crime}), ref.areas,
 * ref.population, the harm weight table ({@code ilp.assess.harm-weights}).
 *
 * <p><b>Outputs</b> (each replaced atomically for the assessed scope, nothing else touched):
 * <ul>
 *   <li>{@code gold.crime_stats}: per period × level × area × offence node (all crime, ICCS level 1,
 *       level 2): count, population (nearest year, stated), rate per 100k, harm, harm per 1,000,
 *       previous-period and same-period-last-year counts and changes (null where the area had no
 *       data, never 0), exact two-sided p-values of the changes ({@link PoissonRateTest}: R's
 *       {@code poisson.test(c(x1, x2), c(t1, t2))} with the periods' days as exposure),
 *       Benjamini–Hochberg q-values and {@code significant}, completeness and confidence.</li>
 *   <li>{@code gold.threat_assessment}: (level, area, ICCS level 2) scored on harm, volume, trend and
 *       confidence and ranked, with a generated rationale.</li>
 *   <li>{@code gold.crime_trends}: monthly (and weekly for dated sources) series, rolling 3- and
 *       12-period means, year-on-year change, Mann–Kendall trend and Sen's slope, up to the period.</li>
 *   <li>{@code gold.early_warnings}: every monthly series evaluated at the period's last month, the
 *       method used, expected value, upper bound, excess, since when, and {@code alarm}.</li>
 *   <li>{@code publish.*}: the same with counts 1..k-1 suppressed and secondary suppression
 *       ({@link Suppression}); suppressed cells are flagged, not dropped.</li>
 * </ul>
 *
 * <p><b>Scope of a run:</b> the jurisdictions with data in the period (or those named). crime_stats,
 * threat_assessment and early_warnings rows of (period type, period, jurisdiction) are replaced;
 * crime_trends keeps the series of each assessment ({@code as_of} = the assessed period's last
 * month), so re-running a period replaces only its own series.
 *
 * <p><b>Knobs:</b> {@code ilp.assess.*}: q, fdr-family, series-levels, weekly-trends,
 * early-warning.{alpha, min-years, max-baseline}, threat.*, disclosure-k. Area attribution rules:
 * {@link Cube}.
 */
public final class AssessJob {
  public static final String JOB = "assess";
  static final List<String> STAT_KEYS = List.of("period_type", "period", "level", "area_code", "iccs_l1", "iccs_l2");

  private AssessJob() {}

  public static JobResult run(JobContext ctx, AssessParams p) {
    Instant start = Instant.now();
    SparkSession spark = ctx.spark();
    ctx.stages(7);
    registerUdfs(spark);

    ctx.stage("inputs", "silver.incidents + ref → attributed incidents");
    for (String t : List.of(Tables.SILVER_INCIDENTS, Tables.REF_AREAS, Tables.REF_POPULATION)) {
      if (!Delta.exists(spark, t)) {
        throw new IllegalStateException(t + " does not exist: run `ilp ref`, `ilp ingest` and `ilp curate` first");
      }
    }
    Map<String, Long> inVersions = new LinkedHashMap<>();
    for (String t : List.of(Tables.SILVER_INCIDENTS, Tables.REF_AREAS, Tables.REF_POPULATION)) {
      inVersions.put(t, Delta.version(spark, t));
    }
    Dataset<Row> areas = spark.table(Tables.REF_AREAS);
    Dataset<Row> harm = harmWeights(spark, p.harmWeights());
    Dataset<Row> incidents = spark.table(Tables.SILVER_INCIDENTS);
    checkHarmCoverage(incidents, harm, p.harmWeights());
    Map<String, String[]> sources = new LinkedHashMap<>();
    for (String s : SourceSpec.KNOWN) {
      SourceSpec spec = SourceSpec.load(s);
      sources.put(s, new String[] {spec.jurisdiction(), spec.timezone()});
    }
    Dataset<Row> att = Cube.attributed(incidents, areas, harm, sources).persist(StorageLevel.MEMORY_AND_DISK());
    List<String> scope = scopeJurisdictions(att, p);
    long rowsIn = att.count();
    ctx.stageDone("crimes attributed; jurisdictions in scope: " + scope, rowsIn);
    if (scope.isEmpty()) {
      att.unpersist();
      throw new IllegalArgumentException("no crime data for " + p.type().label() + " " + p.period()
          + (p.jurisdictions().isEmpty() ? "" : " in " + p.jurisdictions()) + ": nothing to assess");
    }
    Dataset<Row> scoped = att.where(col("jurisdiction").isin(scope.toArray()));
    Dataset<Row> names = areaNames(areas);
    Dataset<Row> taxonomy = taxonomyNames(spark);

    ctx.stage("stats", "gold.crime_stats for " + p.type().label() + " " + p.period());
    Dataset<Row> cube = Cube.cube(scoped, p.type())
        .where(col("period").isin(Date.valueOf(p.period()), Date.valueOf(p.prev()), Date.valueOf(p.yearAgo())))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> stats = crimeStats(spark, cube, Cube.agencies(scoped, p.type()), names, taxonomy, p, ctx.runId())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long nStats = stats.count();
    ctx.stageDone("crime_stats rows", nStats);

    ctx.stage("series", "gold.crime_trends and gold.early_warnings (monthly" + (p.weekly() ? " and weekly" : "") + ")");
    Dataset<Row> monthCube = Cube.cube(scoped, Periods.MONTH)
        .where(col("period").leq(Date.valueOf(p.lastMonth()))).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> series = Series.analyse(monthCube, Periods.MONTH, p, ctx.runId());
    Dataset<Row> weekCube = null;
    if (p.weekly()) {
      LocalDate lastWeek = Periods.WEEK.start(p.lastMonth().plusMonths(1)).minusWeeks(1);
      weekCube = Cube.cube(scoped, Periods.WEEK).where(col("period").leq(Date.valueOf(lastWeek)))
          .persist(StorageLevel.MEMORY_AND_DISK());
      weekCube = Series.completeWeeks(weekCube, scoped);
      series = series.unionByName(Series.analyse(weekCube, Periods.WEEK, p, ctx.runId()));
    }
    series = withNames(series, names, taxonomy).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> trends = Series.trendRows(series);
    Dataset<Row> warnings = Series.warningRows(series);
    long nTrends = trends.count();
    long nAlarms = warnings.where(col("alarm")).count();
    ctx.stageDone("trend rows (" + nAlarms + " early warnings)", nTrends);

    ctx.stage("threat", "gold.threat_assessment: harm × volume × likelihood × confidence");
    Dataset<Row> threat = Threat.assess(stats, p).persist(StorageLevel.MEMORY_AND_DISK());
    long nThreat = threat.count();
    ctx.stageDone("threat rows", nThreat);

    ctx.stage("disclosure", "primary (1.." + (p.k() - 1) + ") and secondary suppression for publish.*");
    Column published = col("level").isin(p.publishLevels().toArray());
    Dataset<Row> pattern = Suppression.patterns(cube.where(published), p.k());
    Dataset<Row> monthPattern = Suppression.patterns(monthCube.where(published), p.k());
    if (weekCube != null) {
      monthPattern = monthPattern.unionByName(Suppression.patterns(weekCube.where(published), p.k()));
    }
    pattern = pattern.persist(StorageLevel.MEMORY_AND_DISK());
    monthPattern = monthPattern.persist(StorageLevel.MEMORY_AND_DISK());
    long suppressed = pattern.where(col("status").notEqual("published")).count();
    ctx.stageDone("cells suppressed in the assessed periods", suppressed);

    ctx.stage("gold", "replace the assessed scope in gold.*");
    String inScope = scope.stream().map(j -> "'" + j + "'").reduce((a, b) -> a + ", " + b).orElseThrow();
    String periodScope = "period_type = '" + p.type().label() + "' AND period = DATE'" + p.period() + "' AND jurisdiction IN ("
        + inScope + ")";
    String warnScope = "period_type = 'month' AND period = DATE'" + p.lastMonth() + "' AND jurisdiction IN (" + inScope + ")";
    // each assessment keeps its own series (as_of = its last month): re-running replaces only those
    String trendScope = "as_of = DATE'" + p.lastMonth() + "' AND jurisdiction IN (" + inScope + ")";
    List<String> seriesKeys = List.of("period_type", "level", "area_code", "iccs_l1", "iccs_l2", "period");
    List<String> trendKeys = List.of("as_of", "period_type", "level", "area_code", "iccs_l1", "iccs_l2", "period");
    Delta.replace(spark, stats, Tables.GOLD_CRIME_STATS, STAT_KEYS, periodScope);
    Delta.replace(spark, threat, Tables.GOLD_THREAT_ASSESSMENT, STAT_KEYS, periodScope);
    Delta.replace(spark, trends, Tables.GOLD_CRIME_TRENDS, trendKeys, trendScope);
    Delta.replace(spark, warnings, Tables.GOLD_EARLY_WARNINGS, seriesKeys, warnScope);
    ctx.stageDone("gold tables written", 4);

    ctx.stage("publish", "disclosure-controlled copies in publish.*");
    Dataset<Row> pubStats = Publish.crimeStats(stats.where(published), pattern, p);
    Delta.replace(spark, pubStats, Tables.PUBLISH_CRIME_STATS, STAT_KEYS, periodScope);
    Delta.replace(spark, Publish.threat(threat.where(published), pattern, p), Tables.PUBLISH_THREAT_ASSESSMENT, STAT_KEYS,
        periodScope);
    Delta.replace(spark, Publish.trends(trends.where(published), monthPattern, p.k()), Tables.PUBLISH_CRIME_TRENDS,
        trendKeys, trendScope);
    Delta.replace(spark, Publish.warnings(warnings.where(published), monthPattern), Tables.PUBLISH_EARLY_WARNINGS,
        seriesKeys, warnScope);
    long pubSuppressed = spark.table(Tables.PUBLISH_CRIME_STATS)
        .where(expr(periodScope).and(col("suppressed"))).count();
    ctx.stageDone("publish.crime_stats cells suppressed", pubSuppressed);

    Map<String, Long> outVersions = new LinkedHashMap<>();
    for (String t : List.of(Tables.GOLD_CRIME_STATS, Tables.GOLD_THREAT_ASSESSMENT, Tables.GOLD_CRIME_TRENDS,
        Tables.GOLD_EARLY_WARNINGS, Tables.PUBLISH_CRIME_STATS, Tables.PUBLISH_THREAT_ASSESSMENT,
        Tables.PUBLISH_CRIME_TRENDS, Tables.PUBLISH_EARLY_WARNINGS)) {
      outVersions.put(t, Delta.version(spark, t));
    }
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(Tables.GOLD_CRIME_STATS, nStats);
    out.put(Tables.GOLD_THREAT_ASSESSMENT, nThreat);
    out.put(Tables.GOLD_CRIME_TRENDS, nTrends);
    out.put(Tables.GOLD_EARLY_WARNINGS, warnings.count());
    long sig = stats.where(col("significant")).count();
    for (Dataset<Row> d : List.of(stats, threat, series, cube, monthCube, pattern, monthPattern, att)) {
      d.unpersist();
    }
    if (weekCube != null) {
      weekCube.unpersist();
    }
    String summary = String.format("%s %s, %s: %,d crime_stats rows (%,d significant changes at q=%s), %,d early warnings, "
            + "%,d cells suppressed in publish.crime_stats (k=%d)", p.type().label(), p.period(), String.join("+", scope),
        nStats, sig, p.q(), nAlarms, pubSuppressed, p.k());
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.SILVER_INCIDENTS, rowsIn), out, 0L, inVersions,
        outVersions, Duration.between(start, Instant.now()), summary);
  }

  /**
   * The latest complete month of each jurisdiction (what `ilp run` assesses): a month that is over
   * (before the current calendar month) and either published whole (police.uk gives months only) or
   * with dated records on at least 90% of its days — so a 3-day API sample is not a "latest month".
   */
  public static Map<String, LocalDate> latestCompleteMonths(SparkSession spark) {
    Column jur = Cube.jurisdictionOf();
    LocalDate thisMonth = LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
    List<Row> rows = spark.table(Tables.SILVER_INCIDENTS).where(col("is_crime"))
        .groupBy(jur.as("jurisdiction"), col("period_month"))
        .agg(countDistinct(to_date(col("occurred_at"))).as("days"),
            max(when(col("time_precision").notEqual("month"), 1).otherwise(0)).as("dated"))
        .where(col("period_month").lt(Date.valueOf(thisMonth))
            .and(col("dated").equalTo(0).or(col("days").geq(dayofmonth(last_day(col("period_month"))).multiply(0.9)))))
        .groupBy("jurisdiction").agg(max("period_month").as("latest")).collectAsList();
    Map<String, LocalDate> out = new java.util.TreeMap<>();
    rows.forEach(r -> out.put(r.getString(0), r.getDate(1).toLocalDate()));
    return out;
  }

  static void registerUdfs(SparkSession spark) {
    spark.udf().register("ilp_poisson_p", (UDF4<Long, Integer, Long, Integer, Double>) (x1, t1, x2, t2) ->
        x1 == null || x2 == null || t1 == null || t2 == null ? null : PoissonRateTest.twoSidedP(x1, t1, x2, t2),
        DataTypes.DoubleType);
  }

  /** Jurisdictions assessed: those named, or all with crime in the period. */
  static List<String> scopeJurisdictions(Dataset<Row> att, AssessParams p) {
    Column inPeriod = p.type() == Periods.MONTH ? col("period_month").equalTo(Date.valueOf(p.period()))
        : to_date(date_trunc(p.type().truncUnit(), col("period_month"))).equalTo(Date.valueOf(p.period()));
    Set<String> with = new TreeSet<>();
    att.where(inPeriod).select("jurisdiction").distinct().collectAsList().forEach(r -> with.add(r.getString(0)));
    if (p.jurisdictions().isEmpty()) {
      return List.copyOf(with);
    }
    List<String> out = new ArrayList<>();
    for (String j : p.jurisdictions()) {
      if (!with.contains(j)) {
        throw new IllegalArgumentException("jurisdiction " + j + " has no crime data in " + p.period()
            + " (with data: " + with + ")");
      }
      out.add(j);
    }
    return out;
  }

  /** The harm weight table (iccs_l2, weight, basis) from a path or a name under conf/. */
  public static Dataset<Row> harmTable(SparkSession spark, String path) {
    return harmWeights(spark, path);
  }

  static Dataset<Row> harmWeights(SparkSession spark, String path) {
    List<Map<String, String>> rows;
    java.nio.file.Path f = java.nio.file.Path.of(path);
    if (java.nio.file.Files.isRegularFile(f)) {
      rows = CsvConf.readFile(f);
    } else {
      rows = CsvConf.read(path);
    }
    StructType schema = new StructType().add("iccs_l2", DataTypes.StringType).add("weight", DataTypes.DoubleType)
        .add("basis", DataTypes.StringType);
    List<Row> out = new ArrayList<>();
    for (Map<String, String> r : rows) {
      String w = r.get("weight");
      if (r.get("iccs_l2") == null || w == null) {
        throw new IllegalArgumentException("harm weights " + path + ": every row needs iccs_l2 and weight: " + r);
      }
      double v = Double.parseDouble(w);
      if (!(v >= 0)) {
        throw new IllegalArgumentException("harm weights " + path + ": negative weight for " + r.get("iccs_l2"));
      }
      out.add(RowFactory.create(r.get("iccs_l2"), v, r.get("basis")));
    }
    return spark.createDataFrame(out, schema);
  }

  static void checkHarmCoverage(Dataset<Row> incidents, Dataset<Row> harm, String path) {
    List<String> missing = incidents.where(col("is_crime")).select("iccs_l2").distinct()
        .join(harm, new String[] {"iccs_l2"}, "left_anti").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("harm weights " + path + " have no weight for ICCS codes " + missing);
    }
  }

  /** area_code → area_name, with readable names for the #unallocated remainders. */
  static Dataset<Row> areaNames(Dataset<Row> areas) {
    return areas.select(col("area_code"), col("area_name"));
  }

  static Dataset<Row> taxonomyNames(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    Map<String, String> l1 = new HashMap<>();
    for (Map<String, String> r : CsvConf.read("taxonomy/iccs_categories.csv")) {
      l1.put(r.get("iccs_l1"), r.get("iccs_l1_name"));
      rows.add(RowFactory.create(r.get("iccs_l1"), r.get("iccs_l2"), r.get("iccs_l1_name"), r.get("iccs_l2_name")));
    }
    l1.forEach((k, v) -> rows.add(RowFactory.create(k, null, v, null)));
    rows.add(RowFactory.create(Cube.ALL, null, "All crime", null));
    StructType s = new StructType().add("_tx_l1", DataTypes.StringType).add("_tx_l2", DataTypes.StringType)
        .add("iccs_l1_name", DataTypes.StringType).add("iccs_l2_name", DataTypes.StringType);
    return spark.createDataFrame(rows, s);
  }

  /** Adds area_name (ref.areas, or "Not allocated to a ... area (parent)" for remainders). */
  static Dataset<Row> withNames(Dataset<Row> d, Dataset<Row> names, Dataset<Row> taxonomy) {
    Dataset<Row> parentNames = names.select(col("area_code").as("_pn_code"), col("area_name").as("_pn_name"));
    Column unalloc = col("area_code").endsWith(Cube.UNALLOCATED);
    Column parentOfUnalloc = regexp_replace(col("area_code"), "#unallocated$", "");
    return d.join(broadcast(names), new String[] {"area_code"}, "left")
        .join(broadcast(parentNames), parentOfUnalloc.equalTo(col("_pn_code")), "left")
        .withColumn("area_name", when(unalloc, concat(lit("Not allocated to a "), col("level"),
                lit(" area ("), coalesce(col("_pn_name"), parentOfUnalloc), lit(")")))
            .otherwise(coalesce(col("area_name"), col("area_code"))))
        .drop("_pn_code", "_pn_name")
        .join(broadcast(taxonomy), col("iccs_l2").eqNullSafe(col("_tx_l2")).and(col("iccs_l1").equalTo(col("_tx_l1"))),
            "left")
        .drop("_tx_l1", "_tx_l2");
  }

  /** gold.crime_stats rows of the period (see the class Javadoc for the columns). */
  static Dataset<Row> crimeStats(SparkSession spark, Dataset<Row> cube, Dataset<Row> agencies, Dataset<Row> names,
      Dataset<Row> taxonomy, AssessParams p, String runId) {
    Date cur = Date.valueOf(p.period());
    Date prev = Date.valueOf(p.prev());
    Date yoy = Date.valueOf(p.yearAgo());
    List<String> cell = List.of("jurisdiction", "level", "area_code", "parent_code", "iccs_l1", "iccs_l2");
    // presence: did the area (national) or its regional parent (regional, local) send any data that period?
    Dataset<Row> totals = cube.where(col("iccs_l1").equalTo(Cube.ALL).and(col("level").notEqual("local")))
        .select(col("period").as("_pp"), col("area_code").as("_pa"));
    Column presenceArea = when(col("level").equalTo("local"), col("parent_code")).otherwise(col("area_code"));

    Dataset<Row> keyed = cube.withColumn("_cell", cellKey());
    Dataset<Row> keys = keyed.select(concatCols(cell, "_cell")).dropDuplicates("_cell");
    Dataset<Row> c = keyed.where(col("period").equalTo(cur)).select(col("_cell"), col("count"), col("harm"), col("located"));
    Dataset<Row> pv = keyed.where(col("period").equalTo(prev)).select(col("_cell"), col("count").as("prev_count"));
    Dataset<Row> yv = keyed.where(col("period").equalTo(yoy)).select(col("_cell"), col("count").as("yoy_count"));
    Dataset<Row> d = keys.join(c, "_cell", "left").join(pv, "_cell", "left").join(yv, "_cell", "left").drop("_cell")
        .withColumn("_presence_area", presenceArea);
    d = present(d, totals, cur, "_has_cur");
    d = present(d, totals, prev, "_has_prev");
    d = present(d, totals, yoy, "_has_yoy");
    // a comparison period counts only with the same coverage: at least as many reporting agencies as
    // now (one force's data is not "England and Wales last year"); otherwise it is a gap (null)
    d = agencyCount(d, agencies, cur, "_ag_cur");
    d = agencyCount(d, agencies, prev, "_ag_prev");
    d = agencyCount(d, agencies, yoy, "_ag_yoy");
    d = d.withColumn("_has_prev", col("_has_prev").and(coalesce(col("_ag_prev"), lit(0L)).geq(coalesce(col("_ag_cur"), lit(0L)))))
        .withColumn("_has_yoy", col("_has_yoy").and(coalesce(col("_ag_yoy"), lit(0L)).geq(coalesce(col("_ag_cur"), lit(0L)))))
        .drop("_ag_cur", "_ag_prev", "_ag_yoy");
    int days = p.type().days(p.period());
    int prevDays = p.type().days(p.prev());
    int yoyDays = p.type().days(p.yearAgo());
    d = d.where(col("_has_cur"))
        .withColumn("count", coalesce(col("count"), lit(0L)))
        .withColumn("harm", coalesce(col("harm"), lit(0.0)))
        .withColumn("prev_count", when(col("_has_prev"), coalesce(col("prev_count"), lit(0L))))
        .withColumn("yoy_count", when(col("_has_yoy"), coalesce(col("yoy_count"), lit(0L))))
        .withColumn("period_type", lit(p.type().label()))
        .withColumn("period", lit(cur))
        .withColumn("period_days", lit(days))
        .withColumn("prev_period", lit(prev))
        .withColumn("yoy_period", lit(yoy))
        .withColumn("prev_change", col("count").minus(col("prev_count")))
        .withColumn("prev_change_pct", when(col("prev_count").gt(0),
            col("count").minus(col("prev_count")).multiply(100.0).divide(col("prev_count"))))
        .withColumn("yoy_change", col("count").minus(col("yoy_count")))
        .withColumn("yoy_change_pct", when(col("yoy_count").gt(0),
            col("count").minus(col("yoy_count")).multiply(100.0).divide(col("yoy_count"))))
        .withColumn("p_value_prev", callUDF("ilp_poisson_p", col("count"), lit(days), col("prev_count"), lit(prevDays)))
        .withColumn("p_value_yoy", callUDF("ilp_poisson_p", col("count"), lit(days), col("yoy_count"), lit(yoyDays)));
    // Benjamini–Hochberg q-values per family (R's p.adjust(p, "BH"): q_(i) = min_{j>=i} m p_(j) / j)
    List<String> fam = "level".equals(p.fdrFamily()) ? List.of("level") : List.of();
    d = bh(d, "p_value_prev", "q_value_prev", fam);
    d = bh(d, "p_value_yoy", "q_value_yoy", fam);
    d = d.withColumn("significant_prev", col("q_value_prev").leq(p.q()))
        .withColumn("significant_yoy", col("q_value_yoy").leq(p.q()))
        .withColumn("significant", coalesce(col("significant_yoy"), col("significant_prev")));
    // population: the nearest available year to the period's year (earlier year on a tie)
    int year = p.period().getYear();
    Dataset<Row> pop = spark.table(Tables.REF_POPULATION)
        .withColumn("_rk", row_number().over(Window.partitionBy("area_code")
            .orderBy(abs(col("year").minus(year)), col("year"))))
        .where(col("_rk").equalTo(1))
        .select(col("area_code").as("_pop_code"), col("population"), col("year").as("population_year"),
            col("source").as("population_source"));
    d = d.join(broadcast(pop), col("area_code").equalTo(col("_pop_code")), "left").drop("_pop_code")
        .withColumn("rate_per_100k", col("count").multiply(100000.0).divide(col("population")))
        .withColumn("harm_per_1000", col("harm").multiply(1000.0).divide(col("population")));
    // completeness and confidence: located share of the area's incidents, agencies reporting
    WindowSpec areaW = Window.partitionBy("level", "area_code");
    d = d.withColumn("_area_total", max(when(col("iccs_l1").equalTo(Cube.ALL), col("count"))).over(areaW))
        .withColumn("_area_located", max(when(col("iccs_l1").equalTo(Cube.ALL), col("located"))).over(areaW))
        .withColumn("completeness", when(col("_area_total").gt(0), col("_area_located").divide(col("_area_total"))));
    Dataset<Row> ag = agencies.where(col("period").equalTo(cur))
        .select(col("area_code").as("_ag_area"), col("agencies_reported"), col("agencies_expected"));
    d = d.join(broadcast(ag), col("_presence_area").equalTo(col("_ag_area")), "left").drop("_ag_area");
    Column low = col("completeness").lt(0.8).or(col("agencies_reported").lt(col("agencies_expected")))
        .or(col("count").lt(5));
    Column high = col("completeness").geq(0.95).and(col("count").geq(20));
    d = d.withColumn("confidence", when(low, lit("low")).when(high, lit("high")).otherwise(lit("medium")))
        .withColumn("run_id", lit(runId));
    d = withNames(d, names, taxonomy);
    return d.select("period_type", "period", "period_days", "jurisdiction", "level", "area_code", "area_name",
        "parent_code", "iccs_l1", "iccs_l1_name", "iccs_l2", "iccs_l2_name", "count", "population", "population_year",
        "population_source", "rate_per_100k", "harm", "harm_per_1000", "prev_period", "prev_count", "prev_change",
        "prev_change_pct", "p_value_prev", "q_value_prev", "significant_prev", "yoy_period", "yoy_count", "yoy_change",
        "yoy_change_pct", "p_value_yoy", "q_value_yoy", "significant_yoy", "significant", "completeness",
        "agencies_reported", "agencies_expected", "confidence", "run_id");
  }

  static Dataset<Row> bh(Dataset<Row> d, String pCol, String qCol, List<String> family) {
    Column[] part = family.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    WindowSpec all = Window.partitionBy(part);
    WindowSpec asc = Window.partitionBy(part).orderBy(col(pCol).asc_nulls_last());
    Dataset<Row> r = d.withColumn("_m", count(col(pCol)).over(all))
        .withColumn("_rank", row_number().over(asc))
        .withColumn("_raw", when(col(pCol).isNotNull(), col(pCol).multiply(col("_m")).divide(col("_rank"))));
    WindowSpec desc = Window.partitionBy(part).orderBy(col(pCol).desc_nulls_last(), col("_rank").desc())
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    return r.withColumn(qCol, when(col(pCol).isNotNull(), least(lit(1.0), min(col("_raw")).over(desc))))
        .drop("_m", "_rank", "_raw");
  }

  /** A null-safe string key of a cube cell (jurisdiction, level, area, parent, offence node). */
  static Column cellKey() {
    return concat_ws("|", col("jurisdiction"), col("level"), col("area_code"), coalesce(col("parent_code"), lit("")),
        col("iccs_l1"), coalesce(col("iccs_l2"), lit("")));
  }

  private static Column[] concatCols(List<String> keys, String... more) {
    List<Column> c = new ArrayList<>();
    keys.forEach(k -> c.add(col(k)));
    for (String m : more) {
      c.add(col(m));
    }
    return c.toArray(Column[]::new);
  }

  private static Dataset<Row> agencyCount(Dataset<Row> d, Dataset<Row> agencies, Date period, String name) {
    Dataset<Row> a = agencies.where(col("period").equalTo(period))
        .select(col("area_code").as(name + "_a"), col("agencies_reported").cast("long").as(name));
    return d.join(broadcast(a), col("_presence_area").equalTo(col(name + "_a")), "left").drop(name + "_a");
  }

  private static Dataset<Row> present(Dataset<Row> d, Dataset<Row> totals, Date period, String flag) {
    Dataset<Row> t = totals.where(col("_pp").equalTo(period)).select(col("_pa").as(flag + "_a")).distinct();
    return d.join(broadcast(t), col("_presence_area").equalTo(col(flag + "_a")), "left")
        .withColumn(flag, col(flag + "_a").isNotNull()).drop(flag + "_a");
  }
}
