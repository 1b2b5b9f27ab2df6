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
import org.ilp.jobs.hotspots.HotspotsJob;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTReader;

/**
 * The hotspot page: static maps drawn with Java2D (no web tiles, nothing fetched) of the Gi* classes
 * and of the emerging-hotspot patterns over the area boundaries, in the grid's metric CRS, embedded
 * as PNG in a self-contained HTML page with the class counts, the top hot cells and the run's
 * parameters. Reads gold.hotspot_cells / gold.emerging_hotspots of one run (period, scope, offence,
 * cell size) and ref.areas; writes {@code <warehouse>/reports/hotspots_<scope>_<period>_<offence>_<cell>m.html}.
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
    if (!Delta.exists(spark, HotspotsJob.CELLS)) {
      throw new IllegalStateException(HotspotsJob.CELLS + " does not exist: run `ilp hotspots` first");
    }
    String off = p.offence() == null ? "all" : p.offence();
    String where = "period = DATE'" + p.period() + "' AND scope = '" + p.scope() + "' AND offence = '" + off
        + "' AND cell_size_m = " + p.cellM();
    Dataset<Row> cells = spark.table(HotspotsJob.CELLS).where(expr(where));
    List<Row> rows = cells.select("cell_x", "cell_y", "class", "count", "gi_z", "gi_q", "crs", "run_id", "band_m",
        "permutations", "seed", "period_end").collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no hotspot run for " + where + ": run `ilp hotspots` first");
    }
    String crs = rows.get(0).getString(6);
    var hc = ctx.config().raw().getConfig("ilp.hotspots");
    var area = HotspotsJob.scopeOf(spark, hc, p.scope());
    double unitM = area.unitM();
    List<String> boundaries = spark.table(Tables.REF_AREAS)
        .where(col("jurisdiction").equalTo(area.jurisdiction()).and(col("level").equalTo("regional"))
            .and(col("geom").isNotNull()))
        .select(expr("ST_AsText(ST_Transform(geom, 'EPSG:4326', '" + crs + "'))")).as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    List<Row> emerging = Delta.exists(spark, HotspotsJob.EMERGING)
        ? spark.table(HotspotsJob.EMERGING).where(expr(where)).select("cell_x", "cell_y", "pattern").collectAsList()
        : List.of();
    ctx.stageDone("cells", rows.size());

    ctx.stage("render", "maps and HTML");
    double cellUnits = p.cellM() / unitM;
    byte[] map = draw(rows, 2, boundaries, cellUnits, r -> CLASS_COLOURS.getOrDefault(r.getString(2), Color.MAGENTA));
    Map<String, Long> classCounts = new LinkedHashMap<>();
    CLASS_COLOURS.keySet().forEach(k -> classCounts.put(k, 0L));
    rows.forEach(r -> classCounts.merge(r.getString(2), 1L, Long::sum));
    Map<String, Color> patternColours = patternColours();
    byte[] emap = emerging.isEmpty() ? null : draw(emerging, 2, boundaries, cellUnits,
        r -> patternColours.getOrDefault(r.getString(2), new Color(0xF4, 0xF4, 0xF4)));
    Map<String, Long> patternCounts = new LinkedHashMap<>();
    emerging.forEach(r -> patternCounts.merge(r.getString(2), 1L, Long::sum));
    List<Row> top = cells.orderBy(col("gi_z").desc_nulls_last()).limit(10)
        .select("cell_id", "count", "gi_z", "gi_p", "gi_p_perm", "gi_q", "class", "geom").collectAsList();
    Row any = rows.get(0);
    String title = "Hotspots: " + p.scope() + " \u2014 " + p.period() + (any.getDate(11).toLocalDate().equals(p.period())
        ? "" : " to " + any.getDate(11)) + " \u2014 " + ("all".equals(off) ? "all crime" : "ICCS " + off);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(ReportRenderer.esc(title))
        .append("</title><style>").append(ReportRenderer.CSS).append(".map img{width:100%;border:1px solid #dde2e8}"
            + ".sw{display:inline-block;width:12px;height:12px;border:1px solid #999;margin-right:6px;vertical-align:middle}")
        .append("</style></head><body><div class=\"page\"><div class=\"banner\">RESTRICTED \u2014 gold tier</div><h1>")
        .append(ReportRenderer.esc(title)).append("</h1><p class=\"sub\">Getis\u2013Ord Gi* on a ")
        .append(String.format(Locale.UK, "%.0f", p.cellM())).append(" m grid (").append(crs).append("), band ")
        .append(String.format(Locale.UK, "%.0f", any.getDouble(8))).append(" m, ").append(any.getInt(9))
        .append(" conditional permutations (seed ").append(any.getLong(10))
        .append("), classes after Benjamini\u2013Hochberg FDR. Boundaries: regional areas.</p>");
    h.append("<div class=\"cards\">");
    for (String k : List.of("hot 99%", "hot 95%", "hot 90%", "cold 90%", "cold 95%", "cold 99%")) {
      h.append("<div class=\"card\"><div class=\"lab\"><span class=\"sw\" style=\"background:").append(hex(CLASS_COLOURS.get(k)))
          .append("\"></span>").append(k).append("</div><div class=\"val\">").append(String.format(Locale.UK, "%,d",
              classCounts.getOrDefault(k, 0L))).append("</div></div>");
    }
    h.append("</div><h2>Hot and cold spots</h2><div class=\"map\"><img alt=\"Gi* classes\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(map)).append("\"></div>");
    h.append("<h2>Hottest cells</h2><table><thead><tr><th>Cell</th><th class=\"n\">Crimes</th><th class=\"n\">Gi* z</th>"
        + "<th class=\"n\">p (normal)</th><th class=\"n\">p (permutation)</th><th class=\"n\">q (FDR)</th><th>Class</th>"
        + "<th>Centre (lon, lat)</th></tr></thead><tbody>");
    WKTReader wkt = new WKTReader();
    for (Row r : top) {
      String centre = "";
      try {
        Coordinate c = wkt.read(r.getString(7)).getCentroid().getCoordinate();
        centre = String.format(Locale.UK, "%.5f, %.5f", c.x, c.y);
      } catch (Exception e) {
        centre = "\u2014";
      }
      h.append("<tr><td>").append(r.getLong(0)).append("</td><td class=\"n\">").append(r.getLong(1))
          .append("</td><td class=\"n\">").append(dec(r, 2)).append("</td><td class=\"n\">").append(pv(r, 3))
          .append("</td><td class=\"n\">").append(pv(r, 4)).append("</td><td class=\"n\">").append(pv(r, 5))
          .append("</td><td>").append(ReportRenderer.esc(r.getString(6))).append("</td><td>").append(centre).append("</td></tr>");
    }
    h.append("</tbody></table>");
    if (emap != null) {
      h.append("<h2>Emerging hot spots (monthly Gi*, Mann\u2013Kendall trend)</h2><div class=\"cards small\">");
      patternCounts.entrySet().stream().filter(e -> !"no pattern detected".equals(e.getKey()))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> h.append("<div class=\"card\"><div class=\"lab\">")
              .append("<span class=\"sw\" style=\"background:").append(hex(patternColours.getOrDefault(e.getKey(), Color.GRAY)))
              .append("\"></span>").append(ReportRenderer.esc(e.getKey())).append("</div><div class=\"val\">")
              .append(String.format(Locale.UK, "%,d", e.getValue())).append("</div></div>"));
      h.append("</div><div class=\"map\"><img alt=\"emerging hotspots\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(emap)).append("\"></div>");
    }
    h.append("<h2>How to read this</h2><p>A hot spot is a cell whose neighbourhood (the cell and the cells within the band) "
        + "holds more crime than the study-area average would give by chance; the class says at what confidence after "
        + "controlling the false discovery rate over all cells. A cold spot is the opposite. Cells are counted where "
        + "incidents were located; incidents without a usable location are not on the map. The maps are for targeting "
        + "problem-solving and patrols, not for labelling places; check the counts before acting.</p>");
    h.append("<h2>Provenance</h2><table class=\"prov\"><tr><th>Hotspot run</th><td>").append(ReportRenderer.esc(any.getString(7)))
        .append("</td></tr><tr><th>Report run</th><td>").append(ctx.runId()).append("</td></tr><tr><th>Generated</th><td>")
        .append(Instant.now()).append("</td></tr></table></div></body></html>\n");
    Path dir = ctx.config().warehouse().resolve("reports");
    Path out = dir.resolve("hotspots_" + p.scope() + "_" + p.period() + "_" + off + "_" + (int) p.cellM() + "m.html");
    try {
      Files.createDirectories(dir);
      Files.writeString(out, h.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.stageDone("file written: " + out, 1);
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(HotspotsJob.CELLS, (long) rows.size()), Map.of(), 0L,
        Map.of(HotspotsJob.CELLS, Delta.version(spark, HotspotsJob.CELLS)), Map.of(), Duration.between(start, Instant.now()),
        "report " + out);
  }

  static Map<String, Color> patternColours() {
    Map<String, Color> m = new LinkedHashMap<>();
    m.put("new hot spot", new Color(0x67, 0x00, 0x0D));
    m.put("consecutive hot spot", new Color(0xA5, 0x0F, 0x15));
    m.put("intensifying hot spot", new Color(0xCB, 0x18, 0x1D));
    m.put("persistent hot spot", new Color(0xEF, 0x3B, 0x2C));
    m.put("diminishing hot spot", new Color(0xFB, 0x6A, 0x4A));
    m.put("sporadic hot spot", new Color(0xFC, 0x92, 0x72));
    m.put("oscillating hot spot", new Color(0xFC, 0xBB, 0xA1));
    m.put("historical hot spot", new Color(0xFE, 0xE0, 0xD2));
    m.put("new cold spot", new Color(0x08, 0x30, 0x6B));
    m.put("consecutive cold spot", new Color(0x08, 0x51, 0x9C));
    m.put("intensifying cold spot", new Color(0x21, 0x71, 0xB5));
    m.put("persistent cold spot", new Color(0x42, 0x92, 0xC6));
    m.put("diminishing cold spot", new Color(0x6B, 0xAE, 0xD6));
    m.put("sporadic cold spot", new Color(0x9E, 0xCA, 0xE1));
    m.put("oscillating cold spot", new Color(0xC6, 0xDB, 0xEF));
    m.put("historical cold spot", new Color(0xDE, 0xEB, 0xF7));
    return m;
  }

  /** Cells as squares coloured by {@code colour}, boundaries on top, north up, equal scale in x and y. */
  static byte[] draw(List<Row> cells, int classCol, List<String> boundaries, double cellUnits,
      java.util.function.Function<Row, Color> colour) {
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (Row r : cells) {
      minX = Math.min(minX, r.getDouble(0) - cellUnits / 2);
      maxX = Math.max(maxX, r.getDouble(0) + cellUnits / 2);
      minY = Math.min(minY, r.getDouble(1) - cellUnits / 2);
      maxY = Math.max(maxY, r.getDouble(1) + cellUnits / 2);
    }
    int width = 1400;
    double scale = (width - 40) / (maxX - minX);
    int height = (int) Math.min(2400, Math.ceil((maxY - minY) * scale) + 40);
    scale = Math.min(scale, (height - 40) / (maxY - minY));
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    final double s = scale;
    final double x0 = minX;
    final double y1 = maxY;
    for (Row r : cells) {
      g.setColor(colour.apply(r));
      double px = 20 + (r.getDouble(0) - cellUnits / 2 - x0) * s;
      double py = 20 + (y1 - r.getDouble(1) - cellUnits / 2) * s;
      g.fill(new Rectangle2D.Double(px, py, Math.max(1, cellUnits * s + 0.5), Math.max(1, cellUnits * s + 0.5)));
    }
    g.setColor(new Color(0x33, 0x33, 0x33));
    g.setStroke(new BasicStroke(1.2f));
    WKTReader reader = new WKTReader();
    for (String w : boundaries) {
      try {
        Geometry geom = reader.read(w);
        for (int i = 0; i < geom.getNumGeometries(); i++) {
          Geometry part = geom.getGeometryN(i);
          if (part instanceof Polygon poly) {
            g.draw(path(poly.getExteriorRing().getCoordinates(), x0, y1, s));
          }
        }
      } catch (org.locationtech.jts.io.ParseException e) {
        // a boundary that does not parse is skipped; the cells still show the study area
      }
    }
    g.setFont(new Font("SansSerif", Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString("N \u2191", width - 50, 30);
    g.dispose();
    try (ByteArrayOutputStream b = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", b);
      return b.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path2D path(Coordinate[] cs, double x0, double y1, double s) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < cs.length; i++) {
      double px = 20 + (cs[i].x - x0) * s;
      double py = 20 + (y1 - cs[i].y) * s;
      if (i == 0) {
        p.moveTo(px, py);
      } else {
        p.lineTo(px, py);
      }
    }
    p.closePath();
    return p;
  }

  private static String hex(Color c) {
    return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  private static String dec(Row r, int i) {
    return r.isNullAt(i) ? "\u2014" : String.format(Locale.UK, "%.2f", r.getDouble(i));
  }

  private static String pv(Row r, int i) {
    return r.isNullAt(i) ? "\u2014" : r.getDouble(i) < 0.001 ? "<0.001" : String.format(Locale.UK, "%.3f", r.getDouble(i));
  }
}
