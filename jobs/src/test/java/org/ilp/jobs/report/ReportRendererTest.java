package org.ilp.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRendererTest {

  static ReportModel sample() {
    List<LocalDate> months = new ArrayList<>();
    double[] c = new double[12];
    double[] r = new double[12];
    double[] e = new double[12];
    double[] u = new double[12];
    for (int i = 0; i < 12; i++) {
      months.add(LocalDate.of(2017, 1, 1).plusMonths(i));
      c[i] = 100 + i;
      r[i] = i < 2 ? Double.NaN : 100 + i - 1;
      e[i] = Double.NaN;
      u[i] = Double.NaN;
    }
    e[11] = 90;
    u[11] = 105;
    return new ReportModel("Threat <script>alert('x')</script> & \"co\"", "sub", "RESTRICTED",
        List.of(new ReportModel.Headline("Recorded crimes", "1,234", null)), "All crime, national level",
        List.of(new ReportModel.ContextRow("City of Chicago", 20_993, 15_038L, "the same period last year", 39.6, 1e-9,
            1.3e-8, true)),
        List.of(new ReportModel.ThreatRow(1, "Kent", "Burglary", 160, null, 100L, 60.0, 0.0001, true, 32000, 8.5, 0.9,
                "significant increase", "high", "+60.0% on last year"),
            new ReportModel.ThreatRow(2, "Essex", "Robbery", 40, null, null, null, null, false, 18000, null, 0.5, "stable",
                "medium", "no earlier period to compare"),
            new ReportModel.ThreatRow(3, "Surrey", "Drugs", 52, 50L, 50L, 4.0, 0.21, false, 2080, 4.3, 0.4, "stable",
                "high", "+4.0% on last year")), 30, 1, 0,
        List.of(new ReportModel.TrendChart("Burglary \u2014 Kent", months, c, r, e, u, 11),
            new ReportModel.TrendChart("single", List.of(LocalDate.of(2017, 1, 1)), new double[] {3}, null, null, null, null)),
        List.of(new ReportModel.WarningRow("Kent", "Burglary", LocalDate.of(2017, 12, 1), 111L, 90.0, 105.0, 21.0,
            "quasi-poisson-phase1", LocalDate.of(2017, 11, 1))), 27,
        List.of(new ReportModel.Headline("Agencies", "44 of 44", null)),
        List.of(new ReportModel.Section("Methods", List.of("a < b"))), Map.of("Run", "assess-1"));
  }

  @Test
  void htmlIsEscapedSelfContainedAndShowsDashesNotZeros() {
    String h = ReportRenderer.html(sample());
    assertThat(h).contains("Threat &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;")
        .doesNotContain("<script>").contains("Kent").contains("Essex").contains("a &lt; b");
    assertThat(h.split("data:image/png;base64,", -1)).hasSize(3); // one per chart
    assertThat(h).doesNotContain("http://").doesNotContain("https://");
    // Essex has no earlier data: its last-year cell and change are dashes, never 0
    String essex = h.substring(h.indexOf("Essex"), h.indexOf("</tr>", h.indexOf("Essex")));
    assertThat(essex).contains("\u2014").doesNotContain(">0<");
    assertThat(h).contains("p&lt;0.001").contains("\u25b2");
    assertThat(ReportRenderer.judgements(sample())).anyMatch(j -> j.contains("not statistically significant")
        && j.contains("Surrey"));
  }

  @Test
  void theLevelAboveIsShownAboveTheTableAndEveryCountIsTheModelsOwn() {
    ReportModel m = sample();
    String h = ReportRenderer.html(m);
    // the city-wide row, with its significance, before the ranked table
    int city = h.indexOf("City of Chicago", h.indexOf("<table class=\"context\">"));
    assertThat(h.indexOf("<table class=\"context\">")).isPositive();
    assertThat(city).isPositive().isLessThan(h.indexOf("Ranked threats</h2>"));
    assertThat(h.substring(city, h.indexOf("</tr>", city))).contains("+39.6%").contains("significant rise");
    // the judgements state the city-wide change as significant and count all 27 warnings, not the 1 listed
    List<String> j = ReportRenderer.judgements(m);
    assertThat(j.get(0)).contains("City of Chicago").contains("statistically significant").doesNotContain("not statistically");
    assertThat(j).anyMatch(s -> s.startsWith("27 early warnings"));
    assertThat(h).contains("The 1 largest of 27 early warnings").contains("Top 3 of 30 offence groups")
        .contains("1 significant rises");
    assertThat(ReportRenderer.markdown(m, "c")).contains("| City of Chicago | 20,993 |").contains("significant rise");
  }

  @Test
  void chartsAreValidPngs() throws Exception {
    for (ReportModel.TrendChart c : sample().trends()) {
      byte[] png = Charts.png(c, 640, 300);
      assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(img.getWidth()).isEqualTo(640);
      assertThat(img.getHeight()).isEqualTo(300);
    }
  }

  @Test
  void writeCreatesHtmlMarkdownAndTheChartsTheMarkdownNames(@TempDir Path dir) throws Exception {
    List<Path> out = ReportRenderer.write(sample(), dir, "r");
    assertThat(out.get(0)).hasFileName("r.html");
    String md = Files.readString(dir.resolve("r.md"));
    assertThat(md).contains("](r_chart_1.png)").contains("](r_chart_2.png)").contains("| 1 | Kent | Burglary |");
    assertThat(dir.resolve("r_chart_1.png")).exists();
    assertThat(dir.resolve("r_chart_2.png")).exists();
  }
}
