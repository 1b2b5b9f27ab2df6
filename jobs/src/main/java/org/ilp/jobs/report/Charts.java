package org.ilp.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.SimpleDateFormat;
import java.time.ZoneOffset;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.time.Month;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/** Trend charts of the assessment report, drawn with JFreeChart (headless), as PNG bytes. */
final class Charts {
  private Charts() {}

  // colour-blind-safe (Okabe–Ito)
  static final Color BLUE = new Color(0x00, 0x72, 0xB2);
  static final Color ORANGE = new Color(0xE6, 0x9F, 0x00);
  static final Color VERMILION = new Color(0xD5, 0x5E, 0x00);
  static final Color GREY = new Color(0x99, 0x99, 0x99);

  /** A line chart of one series as PNG bytes (headless AWT). */
  public static byte[] png(ReportModel.TrendChart c, int width, int height) {
    System.setProperty("java.awt.headless", "true");
    TimeSeries counts = new TimeSeries("Crimes");
    TimeSeries roll = new TimeSeries("3-month mean");
    TimeSeries expected = new TimeSeries("Expected");
    TimeSeries upper = new TimeSeries("Upper bound");
    TimeSeries alarm = new TimeSeries("Alarm");
    for (int i = 0; i < c.periods().size(); i++) {
      Month mo = new Month(c.periods().get(i).getMonthValue(), c.periods().get(i).getYear());
      add(counts, mo, c.counts(), i);
      add(roll, mo, c.rolling3(), i);
      add(expected, mo, c.expected(), i);
      add(upper, mo, c.upperBound(), i);
      if (c.alarmIndex() != null && c.alarmIndex() == i) {
        add(alarm, mo, c.counts(), i);
      }
    }
    TimeSeriesCollection data = new TimeSeriesCollection();
    data.addSeries(counts);
    data.addSeries(roll);
    data.addSeries(expected);
    data.addSeries(upper);
    data.addSeries(alarm);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, BLUE);
    r.setSeriesStroke(0, new BasicStroke(2.2f));
    r.setSeriesPaint(1, GREY);
    r.setSeriesStroke(1, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    r.setSeriesShapesVisible(1, false);
    r.setSeriesPaint(2, ORANGE);
    r.setSeriesPaint(3, ORANGE);
    r.setSeriesLinesVisible(2, false);
    r.setSeriesLinesVisible(3, false);
    r.setSeriesShape(3, new java.awt.geom.Rectangle2D.Double(-6, -1.5, 12, 3));
    r.setSeriesPaint(4, VERMILION);
    r.setSeriesLinesVisible(4, false);
    r.setSeriesShape(4, new java.awt.geom.Ellipse2D.Double(-7, -7, 14, 14));
    DateAxis x = new DateAxis();
    x.setDateFormatOverride(new SimpleDateFormat("MMM yy", Locale.UK));
    x.setTimeZone(java.util.TimeZone.getTimeZone(ZoneOffset.UTC));
    NumberAxis y = new NumberAxis("crimes");
    y.setAutoRangeIncludesZero(true);
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xE5, 0xE5, 0xE5));
    plot.setRangeGridlinePaint(new Color(0xE5, 0xE5, 0xE5));
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 11), plot, true);
    chart.setTitle(new TextTitle(c.title(), new Font("SansSerif", Font.BOLD, 13)));
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
    BufferedImage img = chart.createBufferedImage(width, height);
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void add(TimeSeries s, Month m, double[] v, int i) {
    if (v != null && i < v.length && !Double.isNaN(v[i])) {
      s.addOrUpdate(m, v[i]);
    }
  }

}
