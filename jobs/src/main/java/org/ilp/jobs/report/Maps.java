package org.ilp.jobs.report;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTReader;

/** Static maps of grid cells over area boundaries, drawn with Java2D (no tiles, nothing fetched). */
final class Maps {
  private Maps() {}

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

  /** A boundary drawn over the cells: its label and its polygon(s) as WKT in the map's metric CRS. */
  record Boundary(String name, String wkt) {}

  /**
   * Cells as squares coloured by {@code colour}, boundaries on top with their names at an interior point, north up
   * (an arrow), equal scale in x and y, and a scale bar in metres or kilometres ({@code unitM}: metres per CRS unit;
   * EPSG:3435 is in US feet).
   */
  static byte[] draw(List<Row> cells, int classCol, List<Boundary> boundaries, double cellUnits, double unitM,
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
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
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
    List<Object[]> labels = new java.util.ArrayList<>();
    for (Boundary b : boundaries) {
      try {
        Geometry geom = reader.read(b.wkt());
        for (int i = 0; i < geom.getNumGeometries(); i++) {
          Geometry part = geom.getGeometryN(i);
          if (part instanceof Polygon poly) {
            g.draw(path(poly.getExteriorRing().getCoordinates(), x0, y1, s));
          }
        }
        if (b.name() != null && !b.name().isBlank()) {
          Coordinate c = geom.getInteriorPoint().getCoordinate();
          labels.add(new Object[] {b.name(), 20 + (c.x - x0) * s, 20 + (y1 - c.y) * s});
        }
      } catch (org.locationtech.jts.io.ParseException e) {
        // a boundary that does not parse is skipped; the cells still show the study area
      }
    }
    // names after all lines, with a white halo, so no boundary crosses a name
    g.setFont(new Font("SansSerif", Font.PLAIN, 13));
    var fm = g.getFontMetrics();
    for (Object[] l : labels) {
      String text = (String) l[0];
      int tx = (int) ((double) l[1] - fm.stringWidth(text) / 2.0);
      int ty = (int) ((double) l[2] + fm.getAscent() / 2.0);
      g.setColor(new Color(255, 255, 255, 210));
      g.fillRoundRect(tx - 3, ty - fm.getAscent(), fm.stringWidth(text) + 6, fm.getHeight(), 6, 6);
      g.setColor(new Color(0x22, 0x22, 0x22));
      g.drawString(text, tx, ty);
    }
    northArrow(g, width - 48, 24);
    scaleBar(g, 24, height - 24, (maxX - minX) * unitM, s / unitM);
    g.dispose();
    try (ByteArrayOutputStream b = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", b);
      return b.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A north arrow (the grid's CRS is projected with north up) at (x, y), its tip at the top. */
  static void northArrow(Graphics2D g, int x, int y) {
    Path2D.Double arrow = new Path2D.Double();
    arrow.moveTo(x, y);
    arrow.lineTo(x + 10, y + 30);
    arrow.lineTo(x, y + 23);
    arrow.lineTo(x - 10, y + 30);
    arrow.closePath();
    g.setColor(new Color(0x22, 0x22, 0x22));
    g.fill(arrow);
    g.setFont(new Font("SansSerif", Font.BOLD, 14));
    g.drawString("N", x - 5, y + 48);
  }

  /**
   * A scale bar at (x, y) (its bottom left): the round length (1, 2 or 5 × 10^k metres) nearest a fifth of the map's
   * width, in four alternating segments, labelled in m or km.
   *
   * @param widthM the map's width in metres
   * @param pxPerM pixels per metre
   */
  static void scaleBar(Graphics2D g, int x, int y, double widthM, double pxPerM) {
    double target = widthM / 5;
    double pow = Math.pow(10, Math.floor(Math.log10(target)));
    double len = pow;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * pow <= target) {
        len = m * pow;
      }
    }
    int px = (int) Math.round(len * pxPerM);
    g.setColor(new Color(255, 255, 255, 210));
    g.fillRect(x - 6, y - 30, px + 60, 38);
    for (int i = 0; i < 4; i++) {
      g.setColor(i % 2 == 0 ? new Color(0x22, 0x22, 0x22) : Color.WHITE);
      g.fillRect(x + i * px / 4, y - 8, px / 4, 6);
    }
    g.setColor(new Color(0x22, 0x22, 0x22));
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y - 8, px, 6);
    g.setFont(new Font("SansSerif", Font.PLAIN, 13));
    g.drawString("0", x - 3, y - 12);
    g.drawString(len >= 1000 ? String.format(java.util.Locale.UK, "%.0f km", len / 1000)
        : String.format(java.util.Locale.UK, "%.0f m", len), x + px - 8, y - 12);
  }

  static Path2D path(Coordinate[] cs, double x0, double y1, double s) {
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

  static String hex(Color c) {
    return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

}
