package org.ilp.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

/**
 * Renders a {@link ReportModel} as a self-contained HTML page (inline CSS, charts as PNG data URIs
 * drawn with JFreeChart, no scripts, no network) and a Markdown twin whose charts are PNG files
 * beside it. Every text is HTML-escaped; missing values are shown as a dash, never as 0.
 */
public final class ReportRenderer {
  private ReportRenderer() {}

  static final String DASH = "\u2014";
  // colour-blind-safe (Okabe–Ito)
  static final Color BLUE = new Color(0x00, 0x72, 0xB2);
  static final Color ORANGE = new Color(0xE6, 0x9F, 0x00);
  static final Color VERMILION = new Color(0xD5, 0x5E, 0x00);
  static final Color GREY = new Color(0x99, 0x99, 0x99);

  public static List<Path> write(ReportModel m, Path dir, String baseName) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    Path html = dir.resolve(baseName + ".html");
    Files.writeString(html, html(m), StandardCharsets.UTF_8);
    out.add(html);
    Path md = dir.resolve(baseName + ".md");
    Files.writeString(md, markdown(m, baseName + "_chart_"), StandardCharsets.UTF_8);
    out.add(md);
    for (int i = 0; i < m.trends().size(); i++) {
      Path png = dir.resolve(baseName + "_chart_" + (i + 1) + ".png");
      Files.write(png, chartPng(m.trends().get(i), 640, 300));
      out.add(png);
    }
    return out;
  }

  public static String html(ReportModel m) {
    StringBuilder h = new StringBuilder(64_000);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(m.title()))
        .append("</title><style>").append(CSS).append("</style></head><body><div class=\"page\">");
    h.append("<div class=\"banner\">").append(esc(m.handling())).append("</div>");
    h.append("<h1>").append(esc(m.title())).append("</h1><p class=\"sub\">").append(esc(m.subtitle())).append("</p>");
    h.append("<div class=\"cards\">");
    for (ReportModel.Headline x : m.headlines()) {
      h.append("<div class=\"card\"><div class=\"lab\">").append(esc(x.label())).append("</div><div class=\"val\">")
          .append(esc(x.value())).append("</div>");
      if (x.note() != null) {
        h.append("<div class=\"note\">").append(esc(x.note())).append("</div>");
      }
      h.append("</div>");
    }
    h.append("</div><h2>Key judgements</h2><ul class=\"kj\">");
    for (String j : judgements(m)) {
      h.append("<li>").append(esc(j)).append("</li>");
    }
    h.append("</ul><h2>Ranked threats</h2><table><thead><tr><th>#</th><th>Area</th><th>Offence</th><th class=\"n\">Crimes</th>"
        + "<th class=\"n\">Last year</th><th class=\"n\">Change</th><th class=\"n\">p</th><th class=\"n\">Harm</th>"
        + "<th class=\"n\">Rate /100k</th><th>Trend</th><th>Confidence</th><th>Rationale</th></tr></thead><tbody>");
    for (ReportModel.ThreatRow r : m.threats()) {
      String cls = r.significant() && r.changePct() != null ? (r.changePct() >= 0 ? "up" : "down") : "";
      h.append("<tr><td>").append(r.rank()).append("</td><td>").append(esc(r.area())).append("</td><td>")
          .append(esc(r.offence())).append("</td><td class=\"n\">").append(num(r.count())).append("</td><td class=\"n\">")
          .append(r.yoyCount() != null ? num(r.yoyCount()) : DASH).append("</td><td class=\"n ").append(cls).append("\">")
          .append(arrow(r)).append(pct(r.changePct())).append("</td><td class=\"n\">").append(p(r.pValue()))
          .append("</td><td class=\"n\">").append(String.format(Locale.UK, "%,.0f", r.harm())).append("</td><td class=\"n\">")
          .append(r.ratePer100k() == null ? DASH : String.format(Locale.UK, "%.1f", r.ratePer100k()))
          .append("</td><td>").append(esc(r.trend())).append("</td><td>").append(esc(r.confidence()))
          .append("</td><td class=\"why\">").append(esc(r.rationale())).append("</td></tr>");
    }
    h.append("</tbody></table>");
    if (!m.trends().isEmpty()) {
      h.append("<h2>Trends for the top threats</h2><p class=\"sub\">Monthly counts (blue), 3-month mean (dashed), "
          + "expected value and upper bound of the latest month (orange), alarm in red.</p><div class=\"grid\">");
      for (ReportModel.TrendChart c : m.trends()) {
        h.append("<figure><img alt=\"").append(esc(c.title())).append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(chartPng(c, 640, 300))).append("\"></figure>");
      }
      h.append("</div>");
    }
    h.append("<h2>Early warnings</h2>");
    if (m.warnings().isEmpty()) {
      h.append("<p>No series exceeded its expected band.</p>");
    } else {
      h.append("<table><thead><tr><th>Area</th><th>Offence</th><th>Month</th><th class=\"n\">Observed</th>"
          + "<th class=\"n\">Expected</th><th class=\"n\">Upper bound</th><th class=\"n\">Excess</th><th>Since</th>"
          + "<th>Method</th></tr></thead><tbody>");
      for (ReportModel.WarningRow w : m.warnings()) {
        h.append("<tr><td>").append(esc(w.area())).append("</td><td>").append(esc(w.offence())).append("</td><td>")
            .append(w.period()).append("</td><td class=\"n\">").append(w.observed() == null ? DASH : num(w.observed()))
            .append("</td><td class=\"n\">").append(dec(w.expected())).append("</td><td class=\"n\">").append(dec(w.upperBound()))
            .append("</td><td class=\"n\">").append(dec(w.excess())).append("</td><td>")
            .append(w.since() == null ? DASH : w.since().toString()).append("</td><td>").append(esc(w.method()))
            .append("</td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<h2>Data completeness and confidence</h2><div class=\"cards small\">");
    for (ReportModel.Headline x : m.completeness()) {
      h.append("<div class=\"card\"><div class=\"lab\">").append(esc(x.label())).append("</div><div class=\"val\">")
          .append(esc(x.value())).append("</div><div class=\"note\">").append(esc(x.note() == null ? "" : x.note()))
          .append("</div></div>");
    }
    h.append("</div><h2>Methods and caveats</h2>");
    for (ReportModel.Section s : m.methods()) {
      h.append("<h3>").append(esc(s.heading())).append("</h3>");
      for (String para : s.paragraphs()) {
        h.append("<p>").append(esc(para)).append("</p>");
      }
    }
    h.append("<h2>Provenance</h2><table class=\"prov\">");
    for (Map.Entry<String, String> e : m.provenance().entrySet()) {
      h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue())).append("</td></tr>");
    }
    h.append("</table></div></body></html>\n");
    return h.toString();
  }

  /** Plain-English judgements from the top threats and the warnings; honest about non-significance. */
  static List<String> judgements(ReportModel m) {
    List<String> out = new ArrayList<>();
    for (ReportModel.ThreatRow r : m.threats().subList(0, Math.min(3, m.threats().size()))) {
      String what = r.offence() + " in " + r.area();
      if (r.changePct() == null) {
        out.add(String.format(Locale.UK, "%s: %,d crimes; no comparable earlier period.", what, r.count()));
      } else if (r.significant()) {
        out.add(String.format(Locale.UK, "%s %s %.0f%% (%s); the change is statistically significant after correction "
            + "for multiple testing.", what, r.changePct() >= 0 ? "rose" : "fell", Math.abs(r.changePct()), p(r.pValue())));
      } else {
        out.add(String.format(Locale.UK, "%s changed by %s (%s): not statistically significant \u2014 within what chance "
            + "alone would produce.", what, pct(r.changePct()), p(r.pValue())));
      }
    }
    if (m.warnings().isEmpty()) {
      out.add("No offence series exceeded its expected band this month.");
    } else {
      ReportModel.WarningRow w = m.warnings().get(0);
      out.add(String.format(Locale.UK, "%d early warning%s; the largest excess is %s in %s (%s observed, %.1f expected%s).",
          m.warnings().size(), m.warnings().size() == 1 ? "" : "s", w.offence(), w.area(),
          w.observed() == null ? DASH : num(w.observed()), w.expected() == null ? Double.NaN : w.expected(),
          w.since() == null ? "" : ", above its band since " + w.since()));
    }
    return out;
  }

  public static String markdown(ReportModel m, String chartPrefix) {
    StringBuilder s = new StringBuilder();
    s.append("> ").append(m.handling()).append("\n\n# ").append(m.title()).append("\n\n_").append(m.subtitle()).append("_\n\n");
    for (ReportModel.Headline x : m.headlines()) {
      s.append("- **").append(x.label()).append(":** ").append(x.value()).append(x.note() == null ? "" : " (" + x.note() + ")")
          .append('\n');
    }
    s.append("\n## Key judgements\n\n");
    judgements(m).forEach(j -> s.append("- ").append(j).append('\n'));
    s.append("\n## Ranked threats\n\n| # | Area | Offence | Crimes | Last year | Change | p | Harm | Trend | Confidence |\n"
        + "|---|---|---|---:|---:|---:|---:|---:|---|---|\n");
    for (ReportModel.ThreatRow r : m.threats()) {
      s.append("| ").append(r.rank()).append(" | ").append(md(r.area())).append(" | ").append(md(r.offence())).append(" | ")
          .append(num(r.count())).append(" | ").append(r.yoyCount() == null ? DASH : num(r.yoyCount())).append(" | ")
          .append(pct(r.changePct())).append(" | ").append(p(r.pValue())).append(" | ")
          .append(String.format(Locale.UK, "%,.0f", r.harm())).append(" | ").append(r.trend()).append(" | ")
          .append(r.confidence()).append(" |\n");
    }
    s.append("\n## Trends for the top threats\n\n");
    for (int i = 0; i < m.trends().size(); i++) {
      s.append("![").append(md(m.trends().get(i).title())).append("](").append(chartPrefix).append(i + 1).append(".png)\n\n");
    }
    s.append("## Early warnings\n\n");
    if (m.warnings().isEmpty()) {
      s.append("No series exceeded its expected band.\n\n");
    } else {
      s.append("| Area | Offence | Observed | Expected | Upper bound | Since | Method |\n|---|---|---:|---:|---:|---|---|\n");
      for (ReportModel.WarningRow w : m.warnings()) {
        s.append("| ").append(md(w.area())).append(" | ").append(md(w.offence())).append(" | ")
            .append(w.observed() == null ? DASH : num(w.observed())).append(" | ").append(dec(w.expected())).append(" | ")
            .append(dec(w.upperBound())).append(" | ").append(w.since() == null ? DASH : w.since()).append(" | ")
            .append(w.method()).append(" |\n");
      }
      s.append('\n');
    }
    s.append("## Data completeness and confidence\n\n");
    m.completeness().forEach(x -> s.append("- **").append(x.label()).append(":** ").append(x.value())
        .append(x.note() == null ? "" : " (" + x.note() + ")").append('\n'));
    s.append("\n## Methods and caveats\n\n");
    for (ReportModel.Section sec : m.methods()) {
      s.append("### ").append(sec.heading()).append("\n\n");
      sec.paragraphs().forEach(para -> s.append(para).append("\n\n"));
    }
    s.append("## Provenance\n\n| | |\n|---|---|\n");
    m.provenance().forEach((k, v) -> s.append("| ").append(md(k)).append(" | ").append(md(v)).append(" |\n"));
    return s.toString();
  }

  /** A line chart of one series as PNG bytes (headless AWT). */
  public static byte[] chartPng(ReportModel.TrendChart c, int width, int height) {
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

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  private static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|");
  }

  static String num(long v) {
    return String.format(Locale.UK, "%,d", v);
  }

  static String dec(Double v) {
    return v == null || v.isNaN() ? DASH : String.format(Locale.UK, "%,.1f", v);
  }

  /** "+38.2%" / "−4.1%" (a real minus sign) / dash. */
  static String pct(Double v) {
    return v == null ? DASH : String.format(Locale.UK, "%s%.1f%%", v >= 0 ? "+" : "\u2212", Math.abs(v));
  }

  /** "<0.001", else three decimals; dash when there is no test. */
  static String p(Double v) {
    return v == null ? DASH : v < 0.001 ? "p<0.001" : String.format(Locale.UK, "p=%.3f", v);
  }

  private static String arrow(ReportModel.ThreatRow r) {
    if (r.changePct() == null || !r.significant()) {
      return "";
    }
    return r.changePct() >= 0 ? "\u25b2 " : "\u25bc ";
  }

  static final String CSS = "body{margin:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
      + "Arial,sans-serif;color:#1d2733;font-size:14px;line-height:1.45}"
      + ".page{max-width:1100px;margin:0 auto;background:#fff;padding:28px 40px 40px}"
      + ".banner{background:#7a1f1f;color:#fff;font-weight:600;letter-spacing:.03em;padding:6px 12px;font-size:12px;"
      + "text-transform:uppercase}"
      + "h1{font-size:26px;margin:18px 0 4px}h2{font-size:18px;margin:30px 0 10px;border-bottom:2px solid #0072B2;"
      + "padding-bottom:4px}h3{font-size:15px;margin:16px 0 4px}.sub{color:#5a6572;margin:0 0 12px}"
      + ".cards{display:flex;gap:12px;flex-wrap:wrap;margin:18px 0}.card{flex:1 1 200px;border:1px solid #dde2e8;"
      + "border-radius:6px;padding:12px 14px;background:#fafbfc}.lab{font-size:12px;color:#5a6572;text-transform:uppercase;"
      + "letter-spacing:.04em}.val{font-size:26px;font-weight:700;margin:4px 0}.small .val{font-size:20px}"
      + ".note{font-size:12px;color:#5a6572}.kj li{margin:4px 0}"
      + "table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0}th{background:#eef1f5;text-align:left;"
      + "font-weight:600;padding:6px}td{padding:5px 6px;border-bottom:1px solid #e6e9ee;vertical-align:top}"
      + ".n{text-align:right;white-space:nowrap}.up{color:#b34700;font-weight:700}.down{color:#0072B2;font-weight:700}"
      + ".why{color:#3d4853;font-size:12px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:10px}"
      + "figure{margin:0;border:1px solid #e6e9ee}figure img{width:100%;display:block}"
      + ".prov th{width:30%;background:#f6f7f9;color:#5a6572}.prov td{color:#5a6572;font-family:monospace;font-size:12px}"
      + "@media print{body{background:#fff}.page{padding:0}.grid{grid-template-columns:1fr 1fr}h2{break-after:avoid}"
      + "tr,figure{break-inside:avoid}}";
}
