package org.ilp.jobs.report;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.UsageError;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;

/**
 * The intelligence page of a targets window (`ilp report intelligence`): the person-centred products for a tasking
 * meeting — prolific offenders (national RFG top N with its components), repeat victimisation against chance, criminal
 * networks with their brokers, and the intelligence gaps — in one self-contained HTML page and its Markdown twin.
 *
 * <p><b>Inputs:</b> gold.prolific_offenders, gold.repeat_victim_areas, gold.offender_network, gold.network_persons,
 * gold.intelligence_gaps of one window (the latest when none is named), ref.areas and ref.offence_taxonomy for names.
 * <b>Outputs:</b> {@code <warehouse>/reports/intelligence_<first month>_<last month>.html} and {@code .md}. RESTRICTED: persons appear
 * only by pseudonym (the way back is `ilp reidentify`, role-checked and logged); nothing of it goes to publish.*.
 * A repeat-victimisation figure is called more than chance only when its test says so (q or p ≤ ilp.targets.alpha).
 *
 * <p><b>Knobs:</b> CLI --period (the window's last month), --top (rows per table).
 */
public final class IntelligenceReport {
  public static final String JOB = "report";
  static final List<TableDef> INPUTS = List.of(Tables.GOLD_PROLIFIC_OFFENDERS, Tables.GOLD_REPEAT_VICTIM_AREAS,
      Tables.GOLD_OFFENDER_NETWORK, Tables.GOLD_NETWORK_PERSONS, Tables.GOLD_INTELLIGENCE_GAPS);

  private IntelligenceReport() {}

  /** @param periodEnd the window's last month, its first day (null: the latest window of gold.prolific_offenders) */
  public record Params(LocalDate periodEnd, int top) {
    public Params {
      if (top < 1) {
        throw new IllegalArgumentException("--top must be at least 1");
      }
    }
  }

  /** A table of the page: header and rows of cells, rendered to HTML and Markdown alike; {@code numeric}: right-aligned. */
  record Table(List<String> header, boolean[] numeric, List<List<String>> rows) {}

  public static JobResult run(JobContext ctx, Params p) {
    Instant start = Instant.now();
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("read", "gold person tables of the targets window");
    Delta.require(spark, "`ilp targets`", INPUTS.toArray(TableDef[]::new));
    List<Row> windows = Delta.read(spark, Tables.GOLD_PROLIFIC_OFFENDERS).select("period", "period_end").distinct()
        .orderBy(col("period_end").desc()).collectAsList();
    Row window = windows.stream().filter(w -> p.periodEnd() == null || w.getDate(1).toLocalDate().equals(p.periodEnd()))
        .findFirst().orElseThrow(() -> new UsageError("no targets window ends " + p.periodEnd() + ": run `ilp targets "
            + "--to " + p.periodEnd() + "` first. Windows: " + windows.stream().map(w -> w.getDate(0) + ".." + w.getDate(1))
            .toList()));
    Column in = col("period").equalTo(lit(window.getDate(0))).and(col("period_end").equalTo(lit(window.getDate(1))));
    Map<String, String> names = new java.util.HashMap<>(org.ilp.common.ref.Reference.areaNames(spark));
    Delta.read(spark, Tables.REF_OFFENCE_TAXONOMY).select("iccs_l1", "iccs_l1_name").distinct().collectAsList()
        .forEach(r -> names.putIfAbsent("iccs:" + r.getString(0), r.getString(1)));
    double alpha = ctx.config().raw().getDouble("ilp.targets.alpha");

    Dataset<Row> prolific = Delta.read(spark, Tables.GOLD_PROLIFIC_OFFENDERS).where(in.and(col("level").equalTo("national")));
    List<Row> top = prolific.orderBy("rank").limit(p.top()).collectAsList();
    List<Row> victims = Delta.read(spark, Tables.GOLD_REPEAT_VICTIM_AREAS).where(in)
        .orderBy(col("level").desc(), col("exceeds_chance").desc(), col("repeat_victims").desc(), col("area_code"))
        .collectAsList();
    Dataset<Row> persons = Delta.read(spark, Tables.GOLD_NETWORK_PERSONS).where(in);
    Dataset<Row> links = Delta.read(spark, Tables.GOLD_OFFENDER_NETWORK).where(in).groupBy("component_id").agg(
        count(lit(1)).as("links"), sum(when(col("co_offending").gt(0), 1).otherwise(0)).as("co_offending"),
        sum(when(col("intelligence").gt(0), 1).otherwise(0)).as("intelligence"),
        sum(when(col("co_travel").gt(0), 1).otherwise(0)).as("co_travel"));
    Dataset<Row> brokers = persons.where(col("broker")).select(col("component_id"), col("person_key").as("broker"),
        col("betweenness_normalised"));
    // one row per network is one per criminal group of a country: counted where they are, only the top N collected
    Dataset<Row> byNetwork = persons.groupBy("component_id").agg(max("component_size").as("persons"))
        .join(links, "component_id").join(brokers, new String[] {"component_id"}, "left");
    Row counted = byNetwork.agg(count(lit(1)), count(col("broker"))).head();
    List<Row> networks = byNetwork.orderBy(col("persons").desc(), col("links").desc(), col("component_id"))
        .limit(p.top()).collectAsList();
    List<Row> gaps = Delta.read(spark, Tables.GOLD_INTELLIGENCE_GAPS).where(in.and(col("gap").gt(0))).orderBy("rank")
        .limit(p.top()).collectAsList();
    ctx.stageDone("window " + window.getDate(0) + ".." + window.getDate(1), top.size() + victims.size() + networks.size()
        + gaps.size());

    ctx.stage("render", "HTML and Markdown");
    String months = java.time.YearMonth.from(window.getDate(0).toLocalDate()) + " to "
        + java.time.YearMonth.from(window.getDate(1).toLocalDate());
    String title = "Intelligence: targets of " + months;
    Row national = victims.stream().filter(r -> "national".equals(r.getAs("level"))).findFirst().orElse(null);
    List<String[]> cards = List.of(
        new String[] {"offenders ranked (national)", top.isEmpty() ? "0" : fmt(top.get(0).<Long>getAs("offenders"))},
        new String[] {"repeat victims", national == null ? "0" : fmt(national.<Long>getAs("repeat_victims"))},
        new String[] {"networks", fmt(counted.getLong(0))},
        new String[] {"networks with a broker", fmt(counted.getLong(1))});
    Map<String, Object> sections = new LinkedHashMap<>(); // heading → a paragraph (String) or a Table
    sections.put("Prolific offenders (national top " + p.top() + ")", new Table(List.of("Rank", "Person (pseudonym)",
        "Incidents", "Days since last", "Gravity", "R", "F", "G", "RFG"), new boolean[] {true, false, true, true, true,
        true, true, true, true}, top.stream().map(r -> List.of(fmt(r.<Integer>getAs("rank")), r.<String>getAs("person_key"),
            fmt(r.<Long>getAs("incidents")), fmt(r.<Integer>getAs("days_since_last")), dec(r, "gravity", 1),
            dec(r, "recency_score", 2), dec(r, "frequency_score", 2), dec(r, "gravity_score", 2), dec(r, "rfg_score", 2)))
            .toList()));
    sections.put("Repeat victimisation", national == null ? "No victimisation recorded in the window."
        : String.format(Locale.UK, "%s of %s victims were victimised more than once in the window; their %s "
            + "victimisations are %.1f%% of all %s. Chance alone (each victim of an area equally likely) gives %.1f "
            + "repeats against %s observed: %s (p = %s, alpha %.2f).", fmt(national.<Long>getAs("repeat_victims")),
            fmt(national.<Long>getAs("victims_hit")), fmt(national.<Long>getAs("repeat_incidents")),
            100 * dbl(national, "repeat_share"), fmt(national.<Long>getAs("incidents")), dbl(national, "expected_repeats"),
            fmt(national.<Long>getAs("repeats")), Boolean.TRUE.equals(national.getAs("exceeds_chance"))
                ? "more than chance" : "not more than chance (no evidence of repeat targeting beyond chance)",
            pv(national, "p_value"), alpha));
    sections.put("Repeat victimisation by area", new Table(List.of("Area", "Victims", "Repeat victims", "Repeat share",
        "Repeats", "Expected", "q", "Against chance"), new boolean[] {false, true, true, true, true, true, true, false},
        victims.stream().filter(r -> "area".equals(r.getAs("level"))).limit(p.top()).map(r -> List.of(
            area(names, r.getAs("area_code")), fmt(r.<Long>getAs("victims_hit")), fmt(r.<Long>getAs("repeat_victims")),
            pct(r, "repeat_share"), fmt(r.<Long>getAs("repeats")), dec(r, "expected_repeats", 1), pv(r, "q_value"),
            Boolean.TRUE.equals(r.getAs("exceeds_chance")) ? "more than chance" : "not more than chance")).toList()));
    sections.put("Criminal networks (largest " + p.top() + ")", new Table(List.of("Network", "Persons", "Links",
        "Co-offending", "Intelligence", "Co-travel", "Broker (pseudonym)", "Broker betweenness"), new boolean[] {false,
        true, true, true, true, true, false, true}, networks.stream().map(r -> List.of(
            r.<String>getAs("component_id").substring(0, 12) + "\u2026", fmt(r.<Long>getAs("persons")),
            fmt(r.<Long>getAs("links")), fmt(r.<Long>getAs("co_offending")), fmt(r.<Long>getAs("intelligence")),
            fmt(r.<Long>getAs("co_travel")), r.isNullAt(r.fieldIndex("broker")) ? "\u2014" : r.<String>getAs("broker"),
            dec(r, "betweenness_normalised", 3))).toList()));
    sections.put("Intelligence gaps (high harm, little intelligence)", new Table(List.of("Rank", "Area", "ICCS section",
        "Crimes", "Harm share", "Reports", "Reliable (1, A/B)", "Report share", "Gap"), new boolean[] {true, false,
        false, true, true, true, true, true, true}, gaps.stream().map(r -> List.of(fmt(r.<Integer>getAs("rank")),
            area(names, r.getAs("area_code")), r.<String>getAs("iccs_l1") + " " + names.getOrDefault("iccs:"
                + r.getAs("iccs_l1"), ""), fmt(r.<Long>getAs("crimes")), pct(r, "harm_share"), fmt(r.<Long>getAs("reports")),
            fmt(r.<Long>getAs("reliable_reports")), pct(r, "report_share"), String.format(Locale.UK, "%+.1f pp",
                100 * dbl(r, "gap")))).toList()));
    sections.put("How to read this", "Persons are shown by pseudonym only (a keyed HMAC of the resolved identity); "
        + "`ilp reidentify --person-key K --purpose ...` is the only way back, allowed to configured roles and logged. "
        + "RFG = recency + frequency + gravity, each scaled to 0..1 within the window (gravity from the harm weights). "
        + "Repeat victimisation is tested against what chance gives at each area's rate (Poisson; BH q over areas): a share "
        + "that is not significant is not called a repeat problem. A broker is the cut point of highest betweenness of a "
        + "network of three or more. A gap is an area's share of the window's harm minus its share of the intelligence "
        + "reports: where intelligence collection could be tasked. Targets are for tasking and problem-solving, not proof.");
    Path dir = ctx.config().warehouse().resolve("reports");
    String base = "intelligence_" + months.replace(" to ", "_");
    String runs = String.join(", ", prolific.select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList());
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(base + ".html"), html(title, cards, sections, runs, ctx.runId()), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(base + ".md"), markdown(title, cards, sections, runs, ctx.runId()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path out = dir.resolve(base + ".html");
    ctx.stageDone("file written: " + out, 2);
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.GOLD_PROLIFIC_OFFENDERS.name(), (long) top.size()),
        Map.of(), 0L, Delta.versions(spark, INPUTS), Map.of(),
        Duration.between(start, Instant.now()), "report " + out);
  }

  static String html(String title, List<String[]> cards, Map<String, Object> sections, String runs, String runId) {
    StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(ReportRenderer.esc(title)).append("</title><style>").append(Style.CSS).append(".key{font-family:monospace;"
            + "font-size:11px;word-break:break-all}</style></head><body><div class=\"page\"><div class=\"banner\">RESTRICTED "
            + "\u2014 gold tier, persons by pseudonym only</div><h1>").append(ReportRenderer.esc(title)).append("</h1>")
        .append("<div class=\"cards\">");
    cards.forEach(c -> h.append("<div class=\"card\"><div class=\"lab\">").append(ReportRenderer.esc(c[0]))
        .append("</div><div class=\"val\">").append(c[1]).append("</div></div>"));
    h.append("</div>");
    sections.forEach((heading, body) -> {
      h.append("<h2>").append(ReportRenderer.esc(heading)).append("</h2>");
      if (body instanceof Table t) {
        h.append("<table><thead><tr>");
        for (int i = 0; i < t.header().size(); i++) {
          h.append(t.numeric()[i] ? "<th class=\"n\">" : "<th>").append(ReportRenderer.esc(t.header().get(i))).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (List<String> row : t.rows()) {
          h.append("<tr>");
          for (int i = 0; i < row.size(); i++) {
            boolean key = row.get(i).length() == 64 && row.get(i).matches("[0-9a-f]+");
            h.append(t.numeric()[i] ? "<td class=\"n\">" : key ? "<td class=\"key\">" : "<td>")
                .append(ReportRenderer.esc(row.get(i))).append("</td>");
          }
          h.append("</tr>");
        }
        h.append(t.rows().isEmpty() ? "<tr><td colspan=\"" + t.header().size() + "\">none</td></tr>" : "")
            .append("</tbody></table>");
      } else {
        h.append("<p>").append(ReportRenderer.esc((String) body)).append("</p>");
      }
    });
    return h.append("<h2>Provenance</h2><table class=\"prov\"><tr><th>Targets run</th><td>").append(ReportRenderer.esc(runs))
        .append("</td></tr><tr><th>Report run</th><td>").append(runId).append("</td></tr><tr><th>Generated</th><td>")
        .append(Instant.now()).append("</td></tr></table></div></body></html>\n").toString();
  }

  static String markdown(String title, List<String[]> cards, Map<String, Object> sections, String runs, String runId) {
    StringBuilder m = new StringBuilder("**RESTRICTED \u2014 gold tier, persons by pseudonym only**\n\n# ").append(title)
        .append("\n\n");
    cards.forEach(c -> m.append("- ").append(c[0]).append(": **").append(c[1]).append("**\n"));
    sections.forEach((heading, body) -> {
      m.append("\n## ").append(heading).append("\n\n");
      if (body instanceof Table t) {
        m.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
        for (boolean n : t.numeric()) {
          m.append(n ? " ---: |" : " --- |");
        }
        m.append('\n');
        t.rows().forEach(r -> m.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|"))
            .toList())).append(" |\n"));
        m.append(t.rows().isEmpty() ? "| none |\n" : "");
      } else {
        m.append(body).append('\n');
      }
    });
    return m.append("\n## Provenance\n\n- Targets run: ").append(runs).append("\n- Report run: ").append(runId)
        .append("\n- Generated: ").append(Instant.now()).append('\n').toString();
  }

  static String area(Map<String, String> names, String code) {
    return code + (names.containsKey(code) ? " " + names.get(code) : "");
  }

  static String fmt(Number n) {
    return n == null ? "\u2014" : String.format(Locale.UK, "%,d", n.longValue());
  }

  static double dbl(Row r, String c) {
    return r.isNullAt(r.fieldIndex(c)) ? Double.NaN : r.getDouble(r.fieldIndex(c));
  }

  static String dec(Row r, String c, int places) {
    return r.isNullAt(r.fieldIndex(c)) ? "\u2014" : String.format(Locale.UK, "%,." + places + "f", dbl(r, c));
  }

  static String pct(Row r, String c) {
    return r.isNullAt(r.fieldIndex(c)) ? "\u2014" : String.format(Locale.UK, "%.1f%%", 100 * dbl(r, c));
  }

  static String pv(Row r, String c) {
    return r.isNullAt(r.fieldIndex(c)) ? "\u2014" : dbl(r, c) < 0.001 ? "<0.001" : String.format(Locale.UK, "%.3f", dbl(r, c));
  }

}
