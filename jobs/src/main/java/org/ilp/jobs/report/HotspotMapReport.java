package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.ref.Reference;
import org.ilp.common.spark.UsageError;
import org.apache.spark.sql.Column;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTReader;

/**
 * The hotspot page: static maps drawn with Java2D (no web tiles, nothing fetched) of the Gi* classes
 * and of the emerging-hotspot patterns over the area boundaries, in the grid's metric CRS, embedded
 * as PNG in a self-contained HTML page with the class counts, the top hot cells and the run's
 * parameters, and the scope's latest near-repeat run ({@link NearRepeatSection}: its Knox table and alert cells).
 * Reads gold.hotspot_cells / gold.emerging_hotspots of one run (period, scope, offence, cell size), gold.near_repeat,
 * gold.near_repeat_alerts, gold.forecasts / gold.forecast_evaluation ({@link ForecastSection}: the latest forecast map) and
 * ref.areas; writes {@code <warehouse>/reports/hotspots_<scope>_<period>_<offence>_<cell>m.html} and its Markdown twin
 * ({@code .md}, the maps as PNG files beside it). Maps: north arrow, scale bar, regional areas named; cells named by the
 * area holding their centre and its coordinates.
 */
public final class HotspotMapReport {
  public static final String JOB = "report";
  static final Map<String, Color> CLASS_COLOURS = new LinkedHashMap<>();

  static {
    CLASS_COLOURS.put("hot 99%", new Color(0xB2, 0x18, 0x2B));
    CLASS_COLOURS.put("hot 95%", new Color(0xEF, 0x8A, 0x62));
    CLASS_COLOURS.put("hot 90%", new Color(0xFD, 0xDB, 0xC7));
    CLASS_COLOURS.put("not significant", new Color(0xF4, 0xF4, 0xF4));
    CLASS_COLOURS.put("cold 90%", new Color(0xD1, 0xE5, 0xF0));
    CLASS_COLOURS.put("cold 95%", new Color(0x67, 0xA9, 0xCF));
    CLASS_COLOURS.put("cold 99%", new Color(0x21, 0x66, 0xAC));
    CLASS_COLOURS.put("no neighbours", new Color(0xBB, 0xBB, 0xBB));
    CLASS_COLOURS.put("no variance", new Color(0xBB, 0xBB, 0xBB));
  }

  private HotspotMapReport() {}

  public record Params(java.time.LocalDate period, String scope, String offence, double cellM) {}

  public static JobResult run(JobContext ctx, Params p) {
    Instant start = Instant.now();
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("read", "hotspot cells of " + p.scope() + " " + p.period());
    if (!Delta.exists(spark, Tables.GOLD_HOTSPOT_CELLS)) {
      throw new UsageError(Tables.GOLD_HOTSPOT_CELLS + " does not exist: run `ilp hotspots` first");
    }
    String off = p.offence() == null ? "all" : p.offence();
    Column where = col("period").equalTo(lit(java.sql.Date.valueOf(p.period()))).and(col("scope").equalTo(p.scope()))
        .and(col("offence").equalTo(off)).and(col("cell_size_m").equalTo(p.cellM()));
    Dataset<Row> cells = Delta.read(spark, Tables.GOLD_HOTSPOT_CELLS).where(where);
    List<Row> rows = cells.select("cell_x", "cell_y", "class", "count", "gi_z", "gi_q", "crs", "run_id", "band_m",
        "permutations", "seed", "period_end").collectAsList();
    if (rows.isEmpty()) {
      List<String> runs = new java.util.ArrayList<>();
      Delta.read(spark, Tables.GOLD_HOTSPOT_CELLS).select("period", "scope", "offence", "cell_size_m").distinct()
          .orderBy("period", "scope").collectAsList().forEach(r -> runs.add(r.getDate(0) + " " + r.getString(1) + " "
              + r.getString(2) + " " + (int) r.getDouble(3) + "m"));
      throw new UsageError("no hotspot run for " + p.period() + " " + p.scope() + " " + off + " " + (int) p.cellM()
          + "m: run `ilp hotspots` first. Runs: " + runs);
    }
    String crs = rows.get(0).getString(6);
    var area = Reference.studyArea(spark, ctx.config().raw().getConfig("ilp.hotspots"), p.scope());
    double unitM = area.unitM();
    List<Maps.Boundary> boundaries = Delta.read(spark, Tables.REF_AREAS)
        .where(col("jurisdiction").equalTo(area.jurisdiction()).and(col("level").equalTo("regional"))
            .and(col("geom").isNotNull()))
        .select(col("area_name"), expr("ST_AsText(ST_Transform(geom, 'EPSG:4326', '" + crs + "'))")).collectAsList()
        .stream().map(r -> new Maps.Boundary(r.getString(0), r.getString(1))).toList();
    List<Row> emerging = Delta.exists(spark, Tables.GOLD_EMERGING_HOTSPOTS)
        ? Delta.read(spark, Tables.GOLD_EMERGING_HOTSPOTS).where(where).select("cell_x", "cell_y", "pattern").collectAsList()
        : List.of();
    ctx.stageDone("cells", rows.size());

    ctx.stage("render", "maps and HTML");
    double cellUnits = p.cellM() / unitM;
    byte[] map = Maps.draw(rows, 2, boundaries, cellUnits, unitM,
        r -> CLASS_COLOURS.getOrDefault(r.getString(2), Color.MAGENTA));
    Map<String, Long> classCounts = new LinkedHashMap<>();
    CLASS_COLOURS.keySet().forEach(k -> classCounts.put(k, 0L));
    rows.forEach(r -> classCounts.merge(r.getString(2), 1L, Long::sum));
    Map<String, Color> patternColours = Maps.patternColours();
    byte[] emap = emerging.isEmpty() ? null : Maps.draw(emerging, 2, boundaries, cellUnits, unitM,
        r -> patternColours.getOrDefault(r.getString(2), new Color(0xF4, 0xF4, 0xF4)));
    Map<String, Long> patternCounts = new LinkedHashMap<>();
    emerging.forEach(r -> patternCounts.merge(r.getString(2), 1L, Long::sum));
    List<Row> top = cells.orderBy(col("gi_z").desc_nulls_last()).limit(10)
        .select("cell_id", "count", "gi_z", "gi_p", "gi_p_perm", "gi_q", "class", "geom", "cell_x", "cell_y").collectAsList();
    ForecastSection.Section forecast = ForecastSection.of(spark, p.scope(), p.cellM(), boundaries, unitM);
    Row any = rows.get(0);
    String title = "Hotspots: " + p.scope() + " \u2014 " + p.period() + (any.getDate(11).toLocalDate().equals(p.period())
        ? "" : " to " + any.getDate(11)) + " \u2014 " + ("all".equals(off) ? "all crime" : "ICCS " + off);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(ReportRenderer.esc(title))
        .append("</title><style>").append(Style.CSS).append(".map img{width:100%;border:1px solid #dde2e8}"
            + ".sw{display:inline-block;width:12px;height:12px;border:1px solid #999;margin-right:6px;vertical-align:middle}")
        .append("</style></head><body><div class=\"page\"><div class=\"banner\">RESTRICTED \u2014 gold tier</div><h1>")
        .append(ReportRenderer.esc(title)).append("</h1><p class=\"sub\">Getis\u2013Ord Gi* on a ")
        .append(String.format(Locale.UK, "%.0f", p.cellM())).append(" m grid (").append(crs).append("), band ")
        .append(String.format(Locale.UK, "%.0f", any.getDouble(8))).append(" m, ").append(any.getInt(9))
        .append(" conditional permutations (seed ").append(any.getLong(10))
        .append("), classes after Benjamini\u2013Hochberg FDR. Boundaries: regional areas.</p>");
    h.append("<div class=\"cards\">");
    for (String k : List.of("hot 99%", "hot 95%", "hot 90%", "cold 90%", "cold 95%", "cold 99%")) {
      h.append("<div class=\"card\"><div class=\"lab\"><span class=\"sw\" style=\"background:").append(Maps.hex(CLASS_COLOURS.get(k)))
          .append("\"></span>").append(k).append("</div><div class=\"val\">").append(String.format(Locale.UK, "%,d",
              classCounts.getOrDefault(k, 0L))).append("</div></div>");
    }
    h.append("</div><h2>Hot and cold spots</h2><div class=\"map\"><img alt=\"Gi* classes\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(map)).append("\"></div>");
    h.append("<h2>Hottest cells</h2><table><thead><tr><th>Area</th><th>Centre (lat, lon)</th><th class=\"n\">Crimes</th>"
        + "<th class=\"n\">Gi* z</th><th class=\"n\">p (normal)</th><th class=\"n\">p (permutation)</th>"
        + "<th class=\"n\">q (FDR)</th><th>Class</th><th>Cell</th></tr></thead><tbody>");
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    md.append("| Area | Centre (lat, lon) | Crimes | Gi* z | q (FDR) | Class |\n|---|---|---:|---:|---:|---|\n");
    for (Row r : top) {
      String centre = centre(r.getString(7));
      String areaName = areaOf(boundaries, r.getDouble(8), r.getDouble(9));
      h.append("<tr><td>").append(ReportRenderer.esc(areaName)).append("</td><td>").append(centre)
          .append("</td><td class=\"n\">").append(r.getLong(1))
          .append("</td><td class=\"n\">").append(dec(r, 2)).append("</td><td class=\"n\">").append(pv(r, 3))
          .append("</td><td class=\"n\">").append(pv(r, 4)).append("</td><td class=\"n\">").append(pv(r, 5))
          .append("</td><td>").append(ReportRenderer.esc(r.getString(6))).append("</td><td>").append(r.getLong(0))
          .append(String.format(Locale.UK, " (%.0f, %.0f %s)", r.getDouble(8), r.getDouble(9), crs)).append("</td></tr>");
      md.append("| ").append(areaName).append(" | ").append(centre).append(" | ").append(r.getLong(1)).append(" | ")
          .append(dec(r, 2)).append(" | ").append(pv(r, 5)).append(" | ").append(r.getString(6)).append(" |\n");
    }
    h.append("</tbody></table>");
    if (emap != null) {
      h.append("<h2>Emerging hot spots (monthly Gi*, Mann\u2013Kendall trend)</h2><p class=\"sub\">Each month is tested "
          + "exactly as the map above (same Gi*, exact randomisation p and FDR, hot = q < 0.10), so a new or consecutive "
          + "hot spot is a hot spot on the map of the last month"
          + (any.getDate(11).toLocalDate().equals(p.period()) ? "" : " (this map covers several months; the slices are single "
              + "months ending " + any.getDate(11) + ")") + ".</p><div class=\"cards small\">");
      patternCounts.entrySet().stream().filter(e -> !"no pattern detected".equals(e.getKey()))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> h.append("<div class=\"card\"><div class=\"lab\">")
              .append("<span class=\"sw\" style=\"background:").append(Maps.hex(patternColours.getOrDefault(e.getKey(), Color.GRAY)))
              .append("\"></span>").append(ReportRenderer.esc(e.getKey())).append("</div><div class=\"val\">")
              .append(String.format(Locale.UK, "%,d", e.getValue())).append("</div></div>"));
      h.append("</div><div class=\"map\"><img alt=\"emerging hotspots\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(emap)).append("\"></div>");
    }
    h.append(forecast.html());
    h.append(NearRepeatSection.html(spark, p.scope(), crs, boundaries, unitM));
    h.append("<h2>How to read this</h2><p>A hot spot is a cell whose neighbourhood (the cell and the cells within the band) "
        + "holds more crime than the study-area average would give by chance; the class says at what confidence after "
        + "controlling the false discovery rate over all cells. A cold spot is the opposite. Cells are counted where "
        + "incidents were located; incidents without a usable location are not on the map. The maps are for targeting "
        + "problem-solving and patrols, not for labelling places; check the counts before acting.</p>");
    h.append("<h2>Provenance</h2><table class=\"prov\"><tr><th>Hotspot run</th><td>").append(ReportRenderer.esc(any.getString(7)))
        .append("</td></tr><tr><th>Report run</th><td>").append(ctx.runId()).append("</td></tr><tr><th>Generated</th><td>")
        .append(Instant.now()).append("</td></tr></table></div></body></html>\n");
    Path dir = ctx.config().warehouse().resolve("reports");
    String stem = "hotspots_" + p.scope() + "_" + p.period() + "_" + off + "_" + (int) p.cellM() + "m";
    Path out = dir.resolve(stem + ".html");
    try {
      Files.createDirectories(dir);
      Files.writeString(out, h.toString(), StandardCharsets.UTF_8);
      // the Markdown twin: the same facts, its maps as PNG files beside it
      StringBuilder twin = new StringBuilder(md.substring(0, md.indexOf("| Area")));
      twin.append(String.format(Locale.UK, "Getis\u2013Ord Gi* on a %.0f m grid (%s), classes after Benjamini\u2013Hochberg "
          + "FDR. Cells: %,d; hot 99%%/95%%/90%%: %d/%d/%d; cold: %d.%n%n![Gi* classes](%s_classes.png)%n%n## Hottest cells%n%n",
          p.cellM(), crs, rows.size(), classCounts.get("hot 99%"), classCounts.get("hot 95%"), classCounts.get("hot 90%"),
          classCounts.get("cold 90%") + classCounts.get("cold 95%") + classCounts.get("cold 99%"), stem));
      twin.append(md.substring(md.indexOf("| Area"))).append("\n");
      Files.write(dir.resolve(stem + "_classes.png"), map);
      if (emap != null) {
        Files.write(dir.resolve(stem + "_emerging.png"), emap);
        twin.append("## Emerging hot spots\n\n![emerging hot spots](").append(stem).append("_emerging.png)\n\n");
      }
      if (forecast.map() != null) {
        Files.write(dir.resolve(stem + "_forecast.png"), forecast.map());
        twin.append(forecast.markdown()).append("![forecast](").append(stem).append("_forecast.png)\n\n");
      }
      twin.append("Hotspot run ").append(any.getString(7)).append("; report run ").append(ctx.runId()).append(".\n");
      Files.writeString(dir.resolve(stem + ".md"), twin.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.stageDone("files written: " + out + " and its Markdown twin " + stem + ".md", 1);
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.GOLD_HOTSPOT_CELLS.name(), (long) rows.size()),
        Map.of(), 0L, Map.of(Tables.GOLD_HOTSPOT_CELLS.name(), Delta.version(spark, Tables.GOLD_HOTSPOT_CELLS)), Map.of(),
        Duration.between(start, Instant.now()), "report " + out);
  }

  /** The centroid of a WKT polygon (WGS84) as "lat, lon". */
  private static String centre(String wkt) {
    try {
      Coordinate c = new WKTReader().read(wkt).getCentroid().getCoordinate();
      return String.format(Locale.UK, "%.5f, %.5f", c.y, c.x);
    } catch (org.locationtech.jts.io.ParseException e) {
      return "\u2014";
    }
  }

  /** The name of the boundary holding the point (x, y in the map's CRS), or a dash. */
  static String areaOf(List<Maps.Boundary> boundaries, double x, double y) {
    var point = new org.locationtech.jts.geom.GeometryFactory().createPoint(new Coordinate(x, y));
    WKTReader reader = new WKTReader();
    for (Maps.Boundary b : boundaries) {
      try {
        if (reader.read(b.wkt()).covers(point)) {
          return b.name();
        }
      } catch (org.locationtech.jts.io.ParseException e) {
        // an unreadable boundary names nothing
      }
    }
    return "\u2014";
  }

  private static String dec(Row r, int i) {
    return r.isNullAt(i) ? "\u2014" : String.format(Locale.UK, "%.2f", r.getDouble(i));
  }

  private static String pv(Row r, int i) {
    return r.isNullAt(i) ? "\u2014" : r.getDouble(i) < 0.001 ? "<0.001" : String.format(Locale.UK, "%.3f", r.getDouble(i));
  }
}
