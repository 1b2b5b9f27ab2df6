package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Near-repeat alerts: the grid cells around recent events where a {@link Knox} test found a raised risk, and the
 * day until which it lasts (Johnson &amp; Bowers' prospective use of the near-repeat finding: after a burglary the
 * homes within the significant distance are at raised risk for the significant time).
 *
 * <p><b>The pattern</b> ({@link #pattern}): the bands that are significant, whose Knox ratio is at least
 * {@code minRatio} (on large data tiny excesses are significant; a patrol needs a real one), and that connect, band
 * to adjacent band, to such a band of the first time band: the risk runs on from the event without a gap. An isolated
 * significant band far out (one in twenty bands is significant at 5% by chance alone) raises no alert.
 *
 * <p><b>Zones</b> ({@link #zones}): a pattern band (distance d, time t) puts the cells within d.to metres of an event
 * (from the event to the nearest point of the cell, rounded up to whole metres as the Knox bands are: 0 for the cell
 * the event lies in) on alert until the event's day + t.to; a cell reached by several bands keeps the latest day.
 * <b>Alerts</b> ({@link #alerts}) on a day: the zones of the events whose alert still runs that day, per cell.
 * Distributed: each event is crossed with the broadcast block of cell offsets within the pattern's largest distance
 * (as {@link Grid#near}).
 */
public final class NearRepeatAlerts {
  private NearRepeatAlerts() {}

  /** The bands that raise alerts: significant, ratio ≥ minRatio, connected to such a band of the first time band. */
  public static List<Knox.Cell> pattern(List<Knox.Cell> cells, double minRatio) {
    java.util.Map<Knox.Band, Integer> di = new java.util.HashMap<>();
    java.util.Map<Knox.Band, Integer> ti = new java.util.HashMap<>();
    cells.forEach(c -> di.putIfAbsent(c.distance(), di.size()));
    cells.forEach(c -> ti.putIfAbsent(c.time(), ti.size()));
    Knox.Cell[][] grid = new Knox.Cell[di.size()][ti.size()];
    for (Knox.Cell c : cells) {
      if (c.significant() && c.knoxRatio() != null && c.knoxRatio() >= minRatio) {
        grid[di.get(c.distance())][ti.get(c.time())] = c;
      }
    }
    boolean[][] seen = new boolean[di.size()][ti.size()];
    java.util.ArrayDeque<int[]> todo = new java.util.ArrayDeque<>();
    for (int a = 0; a < grid.length; a++) {
      if (grid[a].length > 0 && grid[a][0] != null) {
        seen[a][0] = true;
        todo.add(new int[] {a, 0});
      }
    }
    while (!todo.isEmpty()) {
      int[] x = todo.poll();
      for (int[] d : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
        int a = x[0] + d[0];
        int b = x[1] + d[1];
        if (a >= 0 && a < grid.length && b >= 0 && b < grid[a].length && grid[a][b] != null && !seen[a][b]) {
          seen[a][b] = true;
          todo.add(new int[] {a, b});
        }
      }
    }
    List<Knox.Cell> out = new java.util.ArrayList<>();
    for (Knox.Cell c : cells) {
      if (seen[di.get(c.distance())][ti.get(c.time())]) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Each event's alert zone under the pattern: events (columns event_id, x_m, y_m — metres in {@code grid}'s CRS —
   * and day: days since 1970-01-01) → event_id, day, cell_id, ix, iy, nearest_m (whole metres), until_day,
   * knox_ratio (the highest of the pattern bands reaching the cell). Empty for an empty pattern.
   */
  public static Dataset<Row> zones(Dataset<Row> events, List<Knox.Cell> pattern, Knox.Metric metric, Grid grid) {
    SparkSession spark = events.sparkSession();
    int maxM = pattern.stream().mapToInt(c -> c.distance().to()).max().orElse(0);
    // a step function of the distance: for each reach D (ascending), the longest time and the highest ratio among
    // the pattern bands that reach at least D
    TreeSet<Integer> reaches = new TreeSet<>();
    pattern.forEach(c -> reaches.add(c.distance().to()));
    Column longest = lit(null).cast("int");
    Column ratio = lit(null).cast("double");
    for (Integer d : reaches.descendingSet()) {
      int t = pattern.stream().filter(c -> c.distance().to() >= d).mapToInt(c -> c.time().to()).max().orElseThrow();
      double r = pattern.stream().filter(c -> c.distance().to() >= d).mapToDouble(Knox.Cell::knoxRatio).max()
          .orElseThrow();
      longest = when(col("nearest_m").leq(d), lit(t)).otherwise(longest);
      ratio = when(col("nearest_m").leq(d), lit(r)).otherwise(ratio);
    }
    double c = grid.cellUnits();
    int r = pattern.isEmpty() ? 0 : (int) Math.ceil(maxM / grid.cellM) + 1;
    Dataset<Row> off = spark.range(-r, r + 1).toDF("_dx").crossJoin(spark.range(-r, r + 1).toDF("_dy"));
    Dataset<Row> pts = events.select(col("event_id"), col("day"), col("x_m").divide(grid.unitM).as("_x"),
            col("y_m").divide(grid.unitM).as("_y"))
        .withColumn("_ix", floor(col("_x").divide(c)).cast("long"))
        .withColumn("_iy", floor(col("_y").divide(c)).cast("long"));
    // from the event to the nearest point of the cell [ix·c, (ix+1)·c] × [iy·c, (iy+1)·c]
    Column gx = greatest(col("ix").multiply(c).minus(col("_x")), lit(0.0), col("_x").minus(col("ix").plus(1).multiply(c)));
    Column gy = greatest(col("iy").multiply(c).minus(col("_y")), lit(0.0), col("_y").minus(col("iy").plus(1).multiply(c)));
    Dataset<Row> near = pts.crossJoin(broadcast(off))
        .withColumn("ix", col("_ix").plus(col("_dx"))).withColumn("iy", col("_iy").plus(col("_dy")))
        .withColumn("nearest_m", ceil(metric.column(gx, gy).multiply(grid.unitM)).cast("int"))
        .where(col("nearest_m").leq(maxM).and(lit(!pattern.isEmpty())));
    return near.select(col("event_id"), col("day"), col("ix").multiply(10_000_000L).plus(col("iy")).as("cell_id"),
        col("ix"), col("iy"), col("nearest_m"), col("day").plus(longest).as("until_day"), ratio.as("knox_ratio"));
  }

  /**
   * The alert cells of {@code events} on day {@code asOf}: the zones of the events of that day or before whose alert
   * still runs, per cell. Columns: cell_id, cell_x, cell_y (grid CRS units), source_events, last_event_day,
   * nearest_m, until_day, max_knox_ratio. Empty when the pattern is.
   */
  public static Dataset<Row> alerts(Dataset<Row> events, List<Knox.Cell> pattern, Knox.Metric metric, int asOf,
      Grid grid) {
    int maxDays = pattern.stream().mapToInt(x -> x.time().to()).max().orElse(0);
    double c = grid.cellUnits();
    Dataset<Row> recent = events.where(col("day").leq(asOf).and(col("day").plus(maxDays).geq(asOf)));
    return zones(recent, pattern, metric, grid).where(col("until_day").geq(asOf))
        .groupBy("ix", "iy").agg(count(lit(1)).as("source_events"), max("day").as("last_event_day"),
            min(col("nearest_m").cast("double")).as("nearest_m"), max("until_day").as("until_day"),
            max("knox_ratio").as("max_knox_ratio"))
        .select(col("ix").multiply(10_000_000L).plus(col("iy")).as("cell_id"),
            col("ix").plus(0.5).multiply(c).as("cell_x"), col("iy").plus(0.5).multiply(c).as("cell_y"),
            col("source_events"), col("last_event_day").cast("int").as("last_event_day"), col("nearest_m"),
            col("until_day").cast("int").as("until_day"), col("max_knox_ratio"));
  }
}
