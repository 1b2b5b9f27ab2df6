package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.awt.Color;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * The hotspot page's forecast map: the scope's latest forecast (gold.forecasts, the grid of the hotspot run) drawn as
 * the cells the KDE method ranks in its top 1 %, 5 % and 10 %, with the method's backtest PAI at those coverages
 * (gold.forecast_evaluation of the same run), so the reader sees how far to trust the map. Nothing when the scope has
 * no forecast.
 */
final class ForecastSection {
  static final Color[] BANDS = {new Color(0xB2, 0x18, 0x2B), new Color(0xEF, 0x8A, 0x62), new Color(0xFD, 0xDB, 0xC7)};
  static final double[] COVERAGE = {0.01, 0.05, 0.10};

  private ForecastSection() {}

  /** The section's HTML and its map (PNG; null when there is no forecast). */
  record Section(String html, byte[] map, String markdown) {}

  static Section of(SparkSession spark, String scope, double cellM, List<Maps.Boundary> boundaries, double unitM) {
    if (!Delta.exists(spark, Tables.GOLD_FORECASTS)) {
      return new Section("", null, "");
    }
    var mine = Delta.read(spark, Tables.GOLD_FORECASTS).where(col("scope").equalTo(scope)
        .and(col("cell_size_m").equalTo(cellM)));
    List<Row> latest = mine.agg(max("as_of"), max("horizon")).collectAsList();
    if (latest.isEmpty() || latest.get(0).isNullAt(0)) {
      return new Section("", null, "");
    }
    java.sql.Date asOf = latest.get(0).getDate(0);
    // cells by KDE score, best first (ties by cell id, as the evaluation ranks them)
    List<Row> cells = mine.where(col("as_of").equalTo(lit(asOf))).orderBy(col("kde").desc(), col("cell_id"))
        .select("cell_x", "cell_y", "kde", "run_id", "horizon").collectAsList();
    int n = cells.size();
    java.util.Map<Row, Integer> rank = new java.util.IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      rank.put(cells.get(i), i);
    }
    byte[] map = Maps.draw(cells, 2, boundaries, cellM / unitM, unitM, r -> {
      int i = rank.get(r);
      for (int b = 0; b < COVERAGE.length; b++) {
        if (i < Math.ceil(COVERAGE[b] * n - 1e-9)) {
          return BANDS[b];
        }
      }
      return new Color(0xF4, 0xF4, 0xF4);
    });
    StringBuilder pai = new StringBuilder();
    StringBuilder md = new StringBuilder();
    if (Delta.exists(spark, Tables.GOLD_FORECAST_EVALUATION)) {
      for (Row e : Delta.read(spark, Tables.GOLD_FORECAST_EVALUATION).where(col("run_id").equalTo(cells.get(0).getString(3))
          .and(col("method").equalTo("kde"))).groupBy("coverage").agg(avg("pai"), count(lit(1))).orderBy("coverage")
          .collectAsList()) {
        pai.append(String.format(Locale.UK, "%s%.0f%%: %.1f", pai.isEmpty() ? "" : ", ", e.getDouble(0) * 100,
            e.isNullAt(1) ? Double.NaN : e.getDouble(1)));
      }
    }
    String title = "Forecast: the " + ("1w".equals(cells.get(0).getString(4)) ? "week" : "month") + " from " + asOf;
    String sub = String.format(Locale.UK, "Kernel density of the last 3 months' located crimes on the %.0f m grid; the "
        + "cells KDE ranks in its top 1%% (dark), 5%% and 10%%. Backtests (the same method on earlier windows whose "
        + "outcome is known) caught this many times the crime per area searched that chance would (PAI, mean): %s. A "
        + "forecast says where to look, not what will happen.", cellM, pai.isEmpty() ? "no backtest" : pai);
    String html = "<h2>" + ReportRenderer.esc(title) + "</h2><p class=\"sub\">" + ReportRenderer.esc(sub)
        + "</p><div class=\"map\"><img alt=\"forecast\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(map) + "\"></div>";
    md.append("## ").append(title).append("\n\n").append(sub).append("\n\n");
    return new Section(html, map, md.toString());
  }
}
