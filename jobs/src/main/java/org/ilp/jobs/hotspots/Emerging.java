package org.ilp.jobs.hotspots;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.spatial.EmergingHotspots;
import org.ilp.common.spatial.GiStar;
import org.ilp.common.spatial.Tessellation;
import org.ilp.common.stats.MannKendall;

/**
 * Emerging hot spots (ArcGIS "Emerging Hot Spot Analysis"): the Gi* class of every cell in every
 * month of the window, computed by {@link GiStar#compute} — the same statistic, null distribution,
 * FDR and class thresholds as the month's map, each month over its own cells — then the
 * Mann–Kendall trend of each cell's z series and {@link EmergingHotspots#classify}. A slice is "hot"
 * exactly when the map of that month shows the cell as a hot spot (any confidence: q &lt; 0.10), so
 * a "new" or "consecutive" hot spot is hot on the final month's map by construction.
 */
final class Emerging {
  private Emerging() {}

  static final StructType RESULT = new StructType().add("slices", DataTypes.IntegerType)
      .add("hot_slices", DataTypes.IntegerType).add("cold_slices", DataTypes.IntegerType)
      .add("final_class", DataTypes.StringType).add("trend_z", DataTypes.DoubleType).add("trend_p", DataTypes.DoubleType)
      .add("pattern", DataTypes.StringType);

  static final UserDefinedFunction CLASSIFY = udf((UDF1<scala.collection.Seq<Row>, Row>) Emerging::classify, RESULT);

  /**
   * @param cells  the grid (cell_id, ix, iy, cell_x, cell_y)
   * @param pts    located incidents with period_month and cell_id, over the window's months
   * @param months number of monthly slices ending at {@code to}
   * @return cell_id, cell_x, cell_y and {@link #RESULT}'s columns
   */
  static Dataset<Row> of(Dataset<Row> cells, Dataset<Row> pts, Tessellation grid, double bandM, LocalDate to, int months) {
    LocalDate from = to.minusMonths(months - 1L);
    Dataset<Row> monthList = cells.sparkSession().range(months)
        .select(add_months(lit(Date.valueOf(from)), col("id").cast("int")).as("month"));
    Dataset<Row> counts = pts.groupBy(col("period_month").as("month"), col("cell_id")).agg(count(lit(1)).as("count"));
    Dataset<Row> cube = cells.crossJoin(monthList).join(counts, new String[] {"month", "cell_id"}, "left")
        .withColumn("count", coalesce(col("count"), lit(0L)));
    Dataset<Row> gi = GiStar.compute(grid.neighbourhood(cube, "count", bandM, List.of("month")), List.of("month"), 0, 0L);
    return gi.groupBy("cell_id", "cell_x", "cell_y")
        .agg(collect_list(struct(col("month"), col("gi_z"), col("class"))).as("_series"))
        .withColumn("_e", CLASSIFY.apply(col("_series")))
        .select(col("cell_id"), col("cell_x"), col("cell_y"), col("_e.*"));
  }

  /** One cell's slices (month, gi_z, class), in any order → the RESULT row. */
  static Row classify(scala.collection.Seq<Row> seq) {
    List<Row> rows = new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(seq));
    rows.sort(Comparator.comparing(r -> r.<Date>getAs("month")));
    int n = rows.size();
    double[] zs = new double[n];
    boolean[] hot = new boolean[n];
    boolean[] cold = new boolean[n];
    int hots = 0;
    int colds = 0;
    for (int i = 0; i < n; i++) {
      Double z = rows.get(i).getAs("gi_z");
      String cls = rows.get(i).getAs("class");
      zs[i] = z == null ? 0.0 : z;
      hot[i] = GiStar.isHot(cls);
      cold[i] = GiStar.isCold(cls);
      hots += hot[i] ? 1 : 0;
      colds += cold[i] ? 1 : 0;
    }
    MannKendall.Result mk = n >= 3 ? MannKendall.test(zs) : null;
    double tz = mk == null || Double.isNaN(mk.z()) ? 0 : mk.z();
    double tp = mk == null || Double.isNaN(mk.pValue()) ? 1 : mk.pValue();
    EmergingHotspots.Pattern pattern = EmergingHotspots.classify(hot, cold, tz, tp, EmergingHotspots.DEFAULT_TREND_ALPHA);
    return RowFactory.create(n, hots, colds, rows.get(n - 1).<String>getAs("class"), mk == null ? null : tz,
        mk == null ? null : tp, pattern.label());
  }
}
