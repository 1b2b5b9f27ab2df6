package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.awt.Color;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * The near-repeat section of the hotspot page: the latest {@code ilp nearrepeat} run of the scope — its Knox table
 * (ratio and p per distance × time band; only the significant bands are findings, drawn bold) and its alert cells
 * (a map in the grid's CRS and the cells most events put on alert, with the day the alert ends). Empty when the scope
 * has no near-repeat run.
 */
final class NearRepeatSection {
  private NearRepeatSection() {}

  static String html(SparkSession spark, String scope, String crs, List<Maps.Boundary> boundaries, double unitM) {
    if (!Delta.exists(spark, Tables.GOLD_NEAR_REPEAT)) {
      return "";
    }
    List<Row> latest = Delta.read(spark, Tables.GOLD_NEAR_REPEAT).where(col("scope").equalTo(scope))
        .select("offence", "period_from", "period_to", "run_id").distinct()
        .orderBy(col("period_to").desc(), col("offence")).limit(1).collectAsList();
    if (latest.isEmpty()) {
      return "";
    }
    Row run = latest.get(0);
    List<Row> bands = Delta.read(spark, Tables.GOLD_NEAR_REPEAT).where(col("run_id").equalTo(run.getString(3)))
        .orderBy("distance_from_m", "time_from_days").select("distance_from_m", "distance_to_m", "time_from_days",
            "time_to_days", "observed", "null_mean", "knox_ratio", "p_value", "significant", "events", "excluded_events",
            "permutations", "metric").collectAsList();
    StringBuilder h = new StringBuilder("<h2>Near repeat: ").append(ReportRenderer.esc("ICCS " + run.getString(0)))
        .append(", ").append(run.getDate(1)).append(" to ").append(run.getDate(2)).append("</h2>");
    Row b0 = bands.get(0);
    h.append(String.format(Locale.UK, "<p class=\"sub\">Knox test of %,d events (%,d without a point or a day left out), "
            + "%s distances, %d permutations of the dates. Each band: Knox ratio (observed pairs / the mean of the null) "
            + "and pseudo p. <b>Bold</b> = significant (ratio above 1, p within alpha): a raised risk; the other bands "
            + "are not findings, neither of risk nor of its absence.</p>", b0.getLong(9), b0.getLong(10),
        b0.getString(12), b0.getInt(11)));
    Map<String, Map<String, Row>> grid = new LinkedHashMap<>();
    List<String> times = new java.util.ArrayList<>();
    for (Row r : bands) {
      String d = r.getInt(0) == r.getInt(1) ? r.getInt(0) + " m" : r.getInt(0) + "\u2013" + r.getInt(1) + " m";
      String t = r.getInt(2) + "\u2013" + r.getInt(3) + " days";
      if (!times.contains(t)) {
        times.add(t);
      }
      grid.computeIfAbsent(d, k -> new LinkedHashMap<>()).put(t, r);
    }
    h.append("<table><thead><tr><th>Distance</th>");
    times.forEach(t -> h.append("<th class=\"n\">").append(t).append("</th>"));
    h.append("</tr></thead><tbody>");
    grid.forEach((d, row) -> {
      h.append("<tr><td>").append(d).append("</td>");
      for (String t : times) {
        Row r = row.get(t);
        String cell = r == null || r.isNullAt(6) ? "\u2014" : String.format(Locale.UK, "%.2f (p %s)", r.getDouble(6),
            r.getDouble(7) < 0.001 ? "<0.001" : String.format(Locale.UK, "%.3f", r.getDouble(7)));
        boolean sig = r != null && r.getBoolean(8);
        h.append("<td class=\"n\">").append(sig ? "<b>" + cell + "</b>" : cell).append("</td>");
      }
      h.append("</tr>");
    });
    h.append("</tbody></table>");

    if (!Delta.exists(spark, Tables.GOLD_NEAR_REPEAT_ALERTS)) {
      return h.toString();
    }
    var alerts = Delta.read(spark, Tables.GOLD_NEAR_REPEAT_ALERTS).where(col("run_id").equalTo(run.getString(3)));
    List<Row> cells = alerts.select("cell_x", "cell_y", "source_events", "cell_size_m", "crs").collectAsList();
    if (cells.isEmpty()) {
      return h.append("<p>No alert: no band of the near-repeat pattern (significant, ratio at least "
          + "ilp.nearrepeat.alert-min-ratio, contiguous from the first time band).</p>").toString();
    }
    Row a0 = alerts.agg(min("as_of"), max("alert_until"), count(lit(1))).head();
    h.append(String.format(Locale.UK, "<p>Alerts on %s: <b>%,d</b> cells of %.0f m in the zone of a recent event, the "
        + "last running until %s.</p>", a0.getDate(0), a0.getLong(2), cells.get(0).getDouble(3), a0.getDate(1)));
    if (crs.equals(cells.get(0).getString(4))) {
      byte[] map = Maps.draw(cells, 2, boundaries, cells.get(0).getDouble(3) / unitM, unitM,
          r -> r.getLong(2) >= 3 ? new Color(0xB2, 0x18, 0x2B) : r.getLong(2) == 2 ? new Color(0xEF, 0x8A, 0x62)
              : new Color(0xFD, 0xDB, 0xC7));
      h.append("<div class=\"map\"><img alt=\"near-repeat alerts\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(map)).append("\"></div><p class=\"sub\">Darker: more recent "
              + "events put the cell on alert (1, 2, 3 or more).</p>");
    }
    h.append("<table><thead><tr><th>Cell centre (lat, lon)</th><th class=\"n\">Events</th><th class=\"n\">Nearest m</th>"
        + "<th>Alert until</th><th class=\"n\">Knox ratio</th></tr></thead><tbody>");
    for (Row r : alerts.orderBy(col("source_events").desc(), col("alert_until").desc(), col("cell_id")).limit(10)
        .select(expr("ST_Y(ST_Centroid(ST_GeomFromWKT(geom)))"), expr("ST_X(ST_Centroid(ST_GeomFromWKT(geom)))"),
            col("source_events"), col("nearest_m"), col("alert_until"), col("max_knox_ratio")).collectAsList()) {
      h.append(String.format(Locale.UK, "<tr><td>%.5f, %.5f</td><td class=\"n\">%d</td><td class=\"n\">%.0f</td>"
          + "<td>%s</td><td class=\"n\">%.2f</td></tr>", r.getDouble(0), r.getDouble(1), r.getLong(2), r.getDouble(3),
          r.getDate(4), r.getDouble(5)));
    }
    return h.append("</tbody></table>").toString();
  }
}
