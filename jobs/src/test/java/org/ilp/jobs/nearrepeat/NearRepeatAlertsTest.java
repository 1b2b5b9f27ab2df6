package org.ilp.jobs.nearrepeat;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.ref.Reference;
import org.ilp.common.spatial.Grid;
import org.ilp.common.spatial.Knox;
import org.ilp.common.spatial.NearRepeatAlerts;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Near-repeat alerts on the generated warehouse, whose Chicago burglaries hold planted near-repeat chains (3–6
 * burglaries within 190 m and 14 days of each other, ground_truth.json): the Knox test finds the raised risk at short
 * range, and the alerts raised after each chain burglary cover the chain's next burglary far more often than they
 * cover the other burglaries of the following fortnight (the control; a one-sided binomial test of the chains' hits
 * at the control's rate).
 */
@ExtendWith(SparkTestSupport.class)
@Order(26)
class NearRepeatAlertsTest {
  record Event(String id, double x, double y, int day) {}

  @Test
  void alertsAfterEachChainBurglaryCoverItsNextOneMoreOftenThanAControl() {
    SparkSession spark = Warehouses.generated();
    var p = NearRepeatParams.of(SparkTestSupport.config(), "2024-01", "2024-12", "chicago", "0501", null, null, null,
        null, null, false);
    // `ilp run` computed this window (ilp.run.nearrepeat): the same question over unchanged silver is a no-op
    var result = Warehouses.run(NearRepeatJob.JOB, p.asMap(), ctx -> NearRepeatJob.run(ctx, p));
    assertThat(result.status()).isEqualTo("noop");
    List<Knox.Cell> cells = new ArrayList<>();
    for (Row r : spark.sql("SELECT distance_from_m, distance_to_m, time_from_days, time_to_days, observed, null_mean, "
        + "null_median, null_p95, null_p99, knox_ratio, knox_ratio_median, p_value, significant FROM gold.near_repeat "
        + "WHERE scope = 'chicago' ORDER BY distance_from_m, time_from_days").collectAsList()) {
      cells.add(new Knox.Cell(new Knox.Band(r.getInt(0), r.getInt(1)), new Knox.Band(r.getInt(2), r.getInt(3)),
          r.getLong(4), r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8),
          r.isNullAt(9) ? null : r.getDouble(9), r.isNullAt(10) ? null : r.getDouble(10), r.getDouble(11),
          r.getBoolean(12)));
    }
    assertThat(cells).hasSize(25);
    // the planted chains: raised risk within 200 m in the first week, the start of the alert pattern
    List<Knox.Cell> pattern = NearRepeatAlerts.pattern(cells, p.alertMinRatio());
    assertThat(pattern).anyMatch(c -> c.distance().to() <= 200 && c.time().from() == 0);
    assertThat(spark.sql("SELECT count(*) FROM gold.near_repeat_alerts WHERE scope = 'chicago'").head().getLong(0))
        .isPositive();

    Grid grid = Reference.studyArea(spark, SparkTestSupport.config().raw().getConfig("ilp.hotspots"), "chicago")
        .grid(p.alertCellM());
    Dataset<Row> rows = spark.table("silver.incidents").where(col("source").startsWith("chicago").and(col("is_crime"))
        .and(col("iccs_l2").equalTo("0501")).and(col("geom").isNotNull()).and(col("occurred_at").isNotNull()));
    Dataset<Row> events = NearRepeatJob.events(rows, grid).localCheckpoint();
    Map<String, String> incidentOf = new HashMap<>();
    rows.select("source_record_id", "incident_id").collectAsList().forEach(r -> incidentOf.put(r.getString(0), r.getString(1)));
    Map<String, Event> byId = new HashMap<>();
    events.collectAsList().forEach(r -> byId.put(r.getString(0),
        new Event(r.getString(0), r.getDouble(1), r.getDouble(2), r.getInt(3))));
    // every burglary's alert zone under the pattern, once (the shipped code), indexed by cell
    Map<Long, List<Row>> zonesByCell = new HashMap<>();
    NearRepeatAlerts.zones(events, pattern, Knox.Metric.EUCLIDEAN, grid)
        .select("cell_id", "event_id", "day", "until_day").collectAsList()
        .forEach(r -> zonesByCell.computeIfAbsent(r.getLong(0), k -> new ArrayList<>()).add(r));

    List<List<Event>> chains = new ArrayList<>();
    Set<String> inChains = new HashSet<>();
    for (JsonNode c : Warehouses.truth().at("/near_repeat_chains/chains")) {
      List<Event> chain = new ArrayList<>();
      for (JsonNode e : c.get("events")) {
        Event ev = byId.get(incidentOf.get(e.get("id").asText()));
        if (ev != null) { // a chain burglary the generator also made a bad row of is not in silver
          chain.add(ev);
          inChains.add(ev.id());
        }
      }
      chain.sort(java.util.Comparator.comparingInt(Event::day).thenComparing(Event::id));
      if (chain.size() >= 2) {
        chains.add(chain);
      }
    }
    assertThat(chains).hasSizeGreaterThanOrEqualTo(10);

    // after each chain burglary (as of its day), is the chain's next burglary on alert? and the other burglaries of
    // the following fortnight (the control)?
    int chainNext = 0;
    int chainHit = 0;
    int controlNext = 0;
    int controlHit = 0;
    for (List<Event> chain : chains) {
      for (int k = 0; k + 1 < chain.size(); k++) {
        int asOf = chain.get(k).day();
        chainNext++;
        chainHit += covered(chain.get(k + 1), asOf, zonesByCell, grid) ? 1 : 0;
        for (Event e : byId.values()) {
          if (!inChains.contains(e.id()) && e.day() > asOf && e.day() <= asOf + 14) {
            controlNext++;
            controlHit += covered(e, asOf, zonesByCell, grid) ? 1 : 0;
          }
        }
      }
    }
    double chainRate = (double) chainHit / chainNext;
    double controlRate = (double) controlHit / controlNext;
    System.err.printf("near-repeat alerts: pattern %s; %d of %d next chain burglaries on alert (%.1f%%), %d of %d "
        + "control burglaries (%.1f%%)%n", pattern.stream().map(c -> c.distance() + " m × " + c.time() + " d").toList(),
        chainHit, chainNext, 100 * chainRate, controlHit, controlNext, 100 * controlRate);
    assertThat(controlNext).isGreaterThan(100);
    assertThat(chainRate).isGreaterThanOrEqualTo(0.6);
    // more often than the control, beyond chance: P(X >= chain hits) for X ~ Binomial(chain burglaries, control rate)
    double pHits = 1 - new org.apache.commons.math3.distribution.BinomialDistribution(chainNext, controlRate)
        .cumulativeProbability(chainHit - 1);
    assertThat(chainRate).isGreaterThan(controlRate);
    assertThat(pHits).as("binomial p of the chains' coverage at the control's rate").isLessThan(0.001);
  }

  @Test
  void theHotspotPageShowsTheKnoxTableAndTheAlerts() throws Exception {
    Warehouses.generated();
    String[] r = org.ilp.jobs.cli.IlpCommandTestAccess.execute("report", "hotspots", "--period", "2024-12", "--scope",
        "chicago", "--warehouse", SparkTestSupport.warehouse().toString());
    assertThat(r[0]).isEqualTo("0");
    // stdout: the page's path only
    assertThat(r[1].strip()).isEqualTo(SparkTestSupport.warehouse().resolve(
        "reports/hotspots_chicago_2024-12-01_all_250m.html").toString());
    String html = java.nio.file.Files.readString(SparkTestSupport.warehouse().resolve(
        "reports/hotspots_chicago_2024-12-01_all_250m.html"));
    assertThat(html).contains("<h2>Near repeat: ICCS 0501, 2024-01-01 to 2024-12-31</h2>")
        .contains("<td>1\u2013200 m</td><td class=\"n\"><b>") // the planted chains' band, significant
        .contains("Alerts on ").contains("alt=\"near-repeat alerts\"");
    // the latest forecast's map, and the hottest cells named by the district holding them (not a bare id)
    assertThat(html).contains("<h2>Forecast: the month from 2025-01-01</h2>").contains("alt=\"forecast\"");
    String firstRow = html.substring(html.indexOf("<h2>Hottest cells</h2>"));
    firstRow = firstRow.substring(firstRow.indexOf("<tbody><tr><td>") + 15);
    assertThat(firstRow.substring(0, firstRow.indexOf("</td>"))).isNotEqualTo("\u2014").doesNotMatch("\\d+");
    // the Markdown twin with its maps beside it
    java.nio.file.Path reports = SparkTestSupport.warehouse().resolve("reports");
    String md = java.nio.file.Files.readString(reports.resolve("hotspots_chicago_2024-12-01_all_250m.md"));
    assertThat(md).startsWith("# Hotspots: chicago").contains("| Area | Centre (lat, lon) |")
        .contains("![Gi* classes](hotspots_chicago_2024-12-01_all_250m_classes.png)").contains("## Forecast: the month from 2025-01-01");
    assertThat(reports.resolve("hotspots_chicago_2024-12-01_all_250m_classes.png")).isNotEmptyFile();
    assertThat(reports.resolve("hotspots_chicago_2024-12-01_all_250m_forecast.png")).isNotEmptyFile();
  }

  /**
   * Whether the burglary was on alert as of day {@code asOf}: in the zone of an earlier-or-same-day burglary (not
   * itself) whose alert ran on asOf and still runs on the burglary's day.
   */
  static boolean covered(Event e, int asOf, Map<Long, List<Row>> zonesByCell, Grid grid) {
    double c = grid.cellUnits();
    long cell = Grid.cellId((long) Math.floor(e.x() / grid.unitM / c), (long) Math.floor(e.y() / grid.unitM / c));
    for (Row z : zonesByCell.getOrDefault(cell, List.of())) {
      if (!z.getString(1).equals(e.id()) && z.getInt(2) <= asOf && z.getInt(3) >= asOf && z.getInt(3) >= e.day()) {
        return true;
      }
    }
    return false;
  }
}
