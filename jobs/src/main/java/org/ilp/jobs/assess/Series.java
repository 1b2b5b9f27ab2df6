package org.ilp.jobs.assess;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.assess.Cube;
import org.ilp.common.assess.Periods;
import org.ilp.common.assess.SeriesAnalysis;
import org.ilp.common.table.Tables;

/**
 * Builds the count series of every (level, area, offence node) from the cube — zero-filled for periods
 * in which the area sent data, null (a gap) where it sent nothing — and runs {@link SeriesAnalysis}
 * on each, distributed with {@code groupByKey/flatMapGroups} (one series per call; nothing is
 * collected to the driver).
 */
final class Series {
  private Series() {}

  static final StructType SCHEMA = new StructType()
      .add("period_type", DataTypes.StringType).add("jurisdiction", DataTypes.StringType)
      .add("level", DataTypes.StringType).add("area_code", DataTypes.StringType)
      .add("parent_code", DataTypes.StringType).add("iccs_l1", DataTypes.StringType)
      .add("iccs_l2", DataTypes.StringType).add("period", DataTypes.DateType)
      .add("period_days", DataTypes.IntegerType).add("count", DataTypes.LongType)
      .add("rolling_3", DataTypes.DoubleType).add("rolling_12", DataTypes.DoubleType)
      .add("yoy_count", DataTypes.LongType).add("yoy_change_pct", DataTypes.DoubleType)
      .add("mk_n", DataTypes.IntegerType).add("mk_tau", DataTypes.DoubleType).add("mk_z", DataTypes.DoubleType)
      .add("mk_p", DataTypes.DoubleType).add("sen_slope", DataTypes.DoubleType)
      .add("sen_low", DataTypes.DoubleType).add("sen_high", DataTypes.DoubleType)
      .add("trend", DataTypes.StringType).add("is_last", DataTypes.BooleanType)
      .add("alarm", DataTypes.BooleanType).add("method", DataTypes.StringType)
      .add("expected", DataTypes.DoubleType).add("upper_bound", DataTypes.DoubleType)
      .add("excess", DataTypes.DoubleType).add("since", DataTypes.DateType)
      .add("baseline_points", DataTypes.IntegerType).add("dispersion", DataTypes.DoubleType)
      .add("as_of", DataTypes.DateType).add("run_id", DataTypes.StringType);

  /**
   * Series rows (trend and warning columns) for the cube's period type up to its last period.
   * The evaluated (last) period is the last month of the assessed period, or for weeks the last
   * complete week before its end.
   */
  static Dataset<Row> analyse(Dataset<Row> cube, Periods type, AssessParams p, String runId) {
    Dataset<Row> c = cube.where(col("level").isin(p.seriesLevels().toArray()));
    LocalDate last = type == Periods.MONTH ? p.lastMonth()
        : Periods.WEEK.start(p.lastMonth().plusMonths(1)).minusWeeks(1);
    Dataset<Row> presence = c.where(col("iccs_l1").equalTo(Cube.ALL).and(col("level").notEqual("local")))
        .select(col("area_code").as("_pa"), col("period").as("_pp")).distinct();
    Column presenceArea = when(col("level").equalTo("local"), col("parent_code")).otherwise(col("area_code"));
    Dataset<Row> keys = c.select("period_type", "jurisdiction", "level", "area_code", "parent_code", "iccs_l1", "iccs_l2")
        .withColumn("_cell", CrimeStats.cellKey()).dropDuplicates("_cell");
    Dataset<Row> grid = keys.join(presence, presenceArea.equalTo(col("_pa")))
        .select(col("_cell"), col("period_type"), col("jurisdiction"), col("level"), col("area_code"), col("parent_code"),
            col("iccs_l1"), col("iccs_l2"), col("_pp").as("period"));
    Dataset<Row> counts = c.withColumn("_cell", CrimeStats.cellKey()).select(col("_cell").as("_c2"),
        col("period").as("_p2"), col("count"));
    Dataset<Row> filled = grid.join(counts, col("_cell").equalTo(col("_c2")).and(col("period").equalTo(col("_p2"))), "left")
        .drop("_c2", "_p2").withColumn("count", coalesce(col("count"), lit(0L)));

    final int perYear = type.perYear;
    final String typeLabel = type.label();
    final Date lastDate = Date.valueOf(last);
    final Date asOf = Date.valueOf(p.lastMonth());
    final SeriesAnalysis.WarningSettings ws = p.warnings();
    final boolean warn = type == Periods.MONTH;
    return filled.groupByKey((MapFunction<Row, String>) r -> r.getAs("_cell"), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, it) ->
            one(it, type, perYear, typeLabel, lastDate, asOf, ws, warn, runId), Encoders.row(SCHEMA));
  }

  private static Iterator<Row> one(Iterator<Row> it, Periods type, int perYear, String typeLabel, Date lastDate,
      Date asOf, SeriesAnalysis.WarningSettings ws, boolean warn, String runId) {
    TreeMap<LocalDate, Long> obs = new TreeMap<>();
    Row any = null;
    while (it.hasNext()) {
      Row r = it.next();
      any = r;
      obs.put(((Date) r.getAs("period")).toLocalDate(), r.getAs("count"));
    }
    List<Row> out = new ArrayList<>();
    LocalDate last = lastDate.toLocalDate();
    if (any == null || obs.firstKey().isAfter(last)) {
      return out.iterator();
    }
    List<SeriesAnalysis.Point> pts = new ArrayList<>();
    for (LocalDate d = obs.firstKey(); !d.isAfter(last); d = type.plus(d, 1)) {
      pts.add(new SeriesAnalysis.Point(d, obs.get(d), type.days(d)));
    }
    SeriesAnalysis.Result res = SeriesAnalysis.analyse(pts, perYear, 0.05, ws);
    SeriesAnalysis.Trend t = res.trend();
    SeriesAnalysis.Alarm a = warn ? res.alarm() : null;
    for (int i = 0; i < res.points().size(); i++) {
      SeriesAnalysis.TrendPoint tp = res.points().get(i);
      boolean isLast = i == res.points().size() - 1;
      SeriesAnalysis.Alarm aa = isLast ? a : null;
      out.add(RowFactory.create(typeLabel, any.getAs("jurisdiction"), any.getAs("level"), any.getAs("area_code"),
          any.getAs("parent_code"), any.getAs("iccs_l1"), any.getAs("iccs_l2"), Date.valueOf(tp.period()), tp.days(),
          tp.count(), tp.rolling3(), tp.rolling12(), tp.yoyCount(), tp.yoyChangePct(), t.n(), t.tau(), t.z(),
          t.pValue(), t.senSlope(), t.senLow(), t.senHigh(), t.direction(), isLast,
          aa == null ? null : aa.alarm(), aa == null ? null : aa.method(), aa == null ? null : aa.expected(),
          aa == null ? null : aa.upperBound(), aa == null ? null : aa.excess(),
          aa == null || aa.since() == null ? null : Date.valueOf(aa.since()),
          aa == null ? null : aa.baselinePoints(), aa == null ? null : aa.dispersion(), asOf, runId));
    }
    return out.iterator();
  }

  /** Drops weekly cells of weeks that start before the jurisdiction's first dated record (partial weeks). */
  static Dataset<Row> completeWeeks(Dataset<Row> weekCube, Dataset<Row> attributed) {
    Dataset<Row> first = attributed.where(col("occurred_date").isNotNull()).groupBy(col("jurisdiction").as("_fj"))
        .agg(min("occurred_date").as("_first"));
    return weekCube.join(broadcast(first), col("jurisdiction").equalTo(col("_fj")))
        .where(col("period").geq(col("_first"))).drop("_fj", "_first");
  }

  static Dataset<Row> trendRows(Dataset<Row> series) {
    return series.select(Tables.GOLD_CRIME_TRENDS.selection());
  }

  static Dataset<Row> warningRows(Dataset<Row> series) {
    return series.where(col("is_last").and(col("period_type").equalTo("month")))
        .select(col("period_type"), col("period"), col("jurisdiction"), col("level"), col("area_code"),
            col("area_name"), col("parent_code"), col("iccs_l1"), col("iccs_l1_name"), col("iccs_l2"),
            col("iccs_l2_name"), col("count").as("observed"), col("alarm"), col("method"), col("expected"),
            col("upper_bound"), col("excess"), col("since"), col("baseline_points"), col("dispersion"),
            col("trend"), col("run_id"))
        .select(Tables.GOLD_EARLY_WARNINGS.selection());
  }
}
