package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.UsageError;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * `ilp report disparity`: the stop-and-search disparity page (reports/disparity.html and its Markdown twin) from
 * gold.disparity: per force and year, on each ethnicity basis, searches per 1,000 residents by group, the ratio to
 * the White group with its 95% interval — called higher or lower only when the interval excludes 1 — and the share of
 * searches that ended in no further action; partial years and unstated ethnicity said in words.
 *
 * <p><b>Inputs:</b> gold.disparity. <b>Outputs:</b> the two files; the page's path on stdout.
 */
public final class DisparityReport {
  private DisparityReport() {}

  public static JobResult run(JobContext ctx) {
    Instant start = Instant.now();
    if (!Delta.exists(ctx.spark(), Tables.GOLD_DISPARITY)) {
      throw new UsageError(Tables.GOLD_DISPARITY.name() + " does not exist: run `ilp disparity` first");
    }
    ctx.stages(1);
    ctx.stage("render", "disparity tables per force and year");
    List<Row> rows = Delta.read(ctx.spark(), Tables.GOLD_DISPARITY).where(col("period_type").equalTo("year"))
        .orderBy("area_name", "ethnicity_basis", "period", "ethnic_group").collectAsList();
    StringBuilder h = new StringBuilder();
    StringBuilder md = new StringBuilder();
    String title = "Stop and search: disparity by ethnic group";
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(title)
        .append("</title><style>").append(Style.CSS).append("</style></head><body><div class=\"page\">")
        .append("<div class=\"banner\">OFFICIAL \u2014 gold tier</div><h1>").append(title).append("</h1>")
        .append("<p class=\"sub\">").append(ReportRenderer.esc(METHOD)).append("</p>");
    md.append("# ").append(title).append("\n\n").append(METHOD).append("\n");
    String current = null;
    for (Row r : rows) {
      String key = r.<String>getAs("area_name") + " \u2014 " + r.<String>getAs("ethnicity_basis").replace('_', '-')
          + " ethnicity";
      if (!key.equals(current)) {
        if (current != null) {
          h.append("</table>");
        }
        current = key;
        h.append("<h2>").append(ReportRenderer.esc(key)).append("</h2><table><tr><th>year</th><th>months</th>"
            + "<th>group</th><th>searches</th><th>per 1,000</th><th>ratio to White (95% CI)</th><th>reading</th>"
            + "<th>no further action (95% CI)</th></tr>");
        md.append("\n## ").append(key).append("\n\n| year | months | group | searches | per 1,000 | ratio to White (95% CI) "
            + "| reading | no further action (95% CI) |\n|---|---:|---|---:|---:|---|---|---|\n");
      }
      String[] cells = cells(r);
      h.append("<tr>");
      for (String c : cells) {
        h.append("<td>").append(ReportRenderer.esc(c)).append("</td>");
      }
      h.append("</tr>");
      md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    if (current != null) {
      h.append("</table>");
    }
    h.append("</div></body></html>\n");
    Path dir = ctx.config().warehouse().resolve("reports");
    Path page = dir.resolve("disparity.html");
    try {
      Files.createDirectories(dir);
      Files.writeString(page, h.toString());
      Files.writeString(dir.resolve("disparity.md"), md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + page, e);
    }
    ctx.stageDone("rows", rows.size());
    return new JobResult("report", ctx.runId(), "succeeded", Map.of(Tables.GOLD_DISPARITY.name(), (long) rows.size()),
        Map.of(), 0, Map.of(), Map.of(), Duration.between(start, Instant.now()), "report " + page);
  }

  static final String METHOD = "Searches per 1,000 usual residents of each group (Census 2011) in the force area, by "
      + "calendar year; the ratio to the White group's rate with its exact 95% interval (conditional binomial test of two "
      + "Poisson rates); a ratio is called higher or lower only when the interval excludes 1. Self-defined ethnicity is "
      + "the person's own answer (the Home Office's basis); officer-defined is the officer's perception (no Mixed group: "
      + "its Other is set against Mixed and Other residents). Searches with no stated ethnicity are left out of the "
      + "rates, which are therefore lower bounds; the 2011 population is the only complete denominator and does not "
      + "count visitors, commuters or growth since 2011.";

  static String[] cells(Row r) {
    Double rate = r.getAs("rate_per_1000");
    Double ratio = r.getAs("ratio_to_white");
    String group = r.getAs("ethnic_group");
    String ratioText = ratio == null || rate == null ? "" : group.equals("White") ? "1 (reference)"
        : String.format(Locale.UK, "%.2f (%.2f\u2013%.2f)", ratio, r.<Double>getAs("ratio_ci_low"),
            r.<Double>getAs("ratio_ci_high"));
    String reading = r.isNullAt(r.fieldIndex("difference")) ? "" : r.getAs("difference");
    Double share = r.getAs("nfa_share");
    String nfa = share == null ? "" : String.format(Locale.UK, "%.1f%% (%.1f\u2013%.1f%%)", 100 * share,
        100 * r.<Double>getAs("nfa_ci_low"), 100 * r.<Double>getAs("nfa_ci_high"));
    return new String[] {r.<java.sql.Date>getAs("period").toString().substring(0, 4),
        String.valueOf(r.<Integer>getAs("months")), group, String.format(Locale.UK, "%,d", r.<Long>getAs("searches")),
        rate == null ? "" : String.format(Locale.UK, "%.2f", rate), ratioText, reading, nfa};
  }
}
