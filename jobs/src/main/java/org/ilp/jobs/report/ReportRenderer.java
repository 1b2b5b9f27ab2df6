package org.ilp.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ReportModel} as a self-contained HTML page (inline CSS, charts as PNG data URIs
 * drawn with JFreeChart, no scripts, no network) and a Markdown twin whose charts are PNG files
 * beside it. Every text is HTML-escaped; missing values are shown as a dash, never as 0.
 */
public final class ReportRenderer {
  private ReportRenderer() {}

  static final String DASH = "\u2014";

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
      Files.write(png, Charts.png(m.trends().get(i), 640, 300));
      out.add(png);
    }
    return out;
  }

  public static String html(ReportModel m) {
    StringBuilder h = new StringBuilder(64_000);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(m.title()))
        .append("</title><style>").append(Style.CSS).append("</style></head><body><div class=\"page\">");
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
    h.append("</ul>");
    if (!m.context().isEmpty()) {
      h.append("<h2>").append(esc(m.contextHeading())).append("</h2><table class=\"context\"><thead><tr><th>Area</th>"
          + "<th class=\"n\">Crimes</th><th class=\"n\">Compared with</th><th class=\"n\">Change</th><th class=\"n\">p</th>"
          + "<th class=\"n\">q (FDR)</th><th>Reading</th></tr></thead><tbody>");
      for (ReportModel.ContextRow c : m.context()) {
        String cls = c.significant() && c.changePct() != null ? (c.changePct() >= 0 ? "up" : "down") : "";
        h.append("<tr><td>").append(esc(c.area())).append("</td><td class=\"n\">").append(num(c.count()))
            .append("</td><td class=\"n\">").append(c.baseCount() == null ? DASH : num(c.baseCount()) + " (" + esc(c.basis()) + ")")
            .append("</td><td class=\"n ").append(cls).append("\">").append(pct(c.changePct())).append("</td><td class=\"n\">")
            .append(p(c.pValue())).append("</td><td class=\"n\">").append(c.qValue() == null ? DASH
                : String.format(Locale.UK, "%.3g", c.qValue())).append("</td><td>").append(esc(reading(c))).append("</td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<h2>Ranked threats</h2><p class=\"sub\">").append(String.format(Locale.UK, "Top %d of %,d offence groups "
        + "× areas; %d significant rises, %d significant falls.", m.threats().size(), m.threatsTotal(),
        m.significantRises(), m.significantFalls())).append("</p><table><thead><tr><th>#</th><th>Area</th><th>Offence</th><th class=\"n\">Crimes</th>"
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
            .append(Base64.getEncoder().encodeToString(Charts.png(c, 640, 300))).append("\"></figure>");
      }
      h.append("</div>");
    }
    h.append("<h2>Early warnings</h2>");
    if (m.warnings().isEmpty()) {
      h.append("<p>No series exceeded its expected band.</p>");
    } else {
      h.append("<p class=\"sub\">").append(warningsShown(m)).append("</p><table><thead><tr><th>Area</th><th>Offence</th><th>Month</th><th class=\"n\">Observed</th>"
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

  /** "25 of 27 early warnings shown, largest excess first." */
  static String warningsShown(ReportModel m) {
    return m.warnings().size() == m.warningsTotal()
        ? String.format(Locale.UK, "All %d early warnings, largest excess first.", m.warningsTotal())
        : String.format(Locale.UK, "The %d largest of %d early warnings, largest excess first.", m.warnings().size(),
            m.warningsTotal());
  }

  /** "+39.6% (significant)" or "−15.9% (not significant)": a change is only called a rise or fall when significant. */
  static String change(ReportModel.ContextRow c) {
    return pct(c.changePct()) + (c.pValue() == null ? "" : c.significant() ? " (significant)" : " (not significant)");
  }

  /** How a context row's change reads: a significant rise or fall, or no significant change. */
  static String reading(ReportModel.ContextRow c) {
    if (c.baseCount() == null) {
      return "no comparable earlier period";
    }
    if (!c.significant() || c.changePct() == null) {
      return "no significant change";
    }
    return c.changePct() >= 0 ? "significant rise" : "significant fall";
  }

  /** Plain-English judgements: the level above, the top threats and the warnings; honest about non-significance. */
  static List<String> judgements(ReportModel m) {
    List<String> out = new ArrayList<>();
    for (ReportModel.ContextRow c : m.context().subList(0, Math.min(3, m.context().size()))) {
      if (c.baseCount() == null) {
        out.add(String.format(Locale.UK, "%s: %,d crimes; no comparable earlier period.", c.area(), c.count()));
      } else if (c.significant()) {
        out.add(String.format(Locale.UK, "%s: %,d crimes, %s %.1f%% on %s (%s); the change is statistically significant "
            + "after correction for multiple testing.", c.area(), c.count(), c.changePct() >= 0 ? "up" : "down",
            Math.abs(c.changePct()), c.basis(), p(c.pValue())));
      } else {
        out.add(String.format(Locale.UK, "%s: %,d crimes, %s on %s (%s): not statistically significant \u2014 within "
            + "what chance alone would produce.", c.area(), c.count(), pct(c.changePct()), c.basis(), p(c.pValue())));
      }
    }
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
          m.warningsTotal(), m.warningsTotal() == 1 ? "" : "s", w.offence(), w.area(),
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
    if (!m.context().isEmpty()) {
      s.append("\n## ").append(m.contextHeading()).append("\n\n| Area | Crimes | Compared with | Change | p | Reading |\n"
          + "|---|---:|---:|---:|---:|---|\n");
      for (ReportModel.ContextRow c : m.context()) {
        s.append("| ").append(md(c.area())).append(" | ").append(num(c.count())).append(" | ")
            .append(c.baseCount() == null ? DASH : num(c.baseCount())).append(" | ").append(pct(c.changePct())).append(" | ")
            .append(p(c.pValue())).append(" | ").append(reading(c)).append(" |\n");
      }
    }
    s.append(String.format(Locale.UK, "\n## Ranked threats\n\nTop %d of %,d offence groups \u00d7 areas; %d significant "
        + "rises, %d significant falls.\n\n", m.threats().size(), m.threatsTotal(), m.significantRises(),
        m.significantFalls()));
    s.append("| # | Area | Offence | Crimes | Last year | Change | p | Harm | Trend | Confidence |\n"
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
      s.append(warningsShown(m)).append("\n\n");
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
}
