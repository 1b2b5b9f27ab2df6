package org.ilp.jobs.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.GisLayer;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Early warnings on the generator's planted trend change (ground_truth.json): Burglary in Kent and
 * BURGLARY in Chicago district 011 rise by a factor 1.6 from 2024-07; Essex and district 004 stay
 * flat. Assessed at 2024-12, the warning must fire on the treated series and not on the controls.
 */
@ExtendWith(SparkTestSupport.class)
@Order(21)
class AssessGeneratedDataTest {
  static SparkSession spark;
  static JsonNode truth;

  @BeforeAll
  static void pipeline() {
    spark = Warehouses.generated();
    truth = Warehouses.truth();
    // `ilp run` assesses each jurisdiction's latest complete month: 2024-12 for both
    java.time.LocalDate dec = java.time.LocalDate.of(2024, 12, 1);
    assertThat(AssessJob.latestCompleteMonths(spark, java.time.LocalDate.now())).containsEntry("uk", dec)
        .containsEntry("chicago", dec);
    // a scheduler's logical date (`ilp run --as-of`): the last complete month before the date's month
    assertThat(AssessJob.latestCompleteMonths(spark, java.time.LocalDate.of(2025, 1, 5))).containsEntry("uk", dec)
        .containsEntry("chicago", dec);
    assertThat(AssessJob.latestCompleteMonths(spark, java.time.LocalDate.of(2024, 12, 31)))
        .containsEntry("uk", dec.minusMonths(1)).containsEntry("chicago", dec.minusMonths(1));
  }

  static Row warning(String area, String l2) {
    List<Row> r = spark.sql("SELECT alarm, method, since, observed, expected, upper_bound FROM gold.early_warnings "
        + "WHERE period = DATE'2024-12-01' AND area_code = '" + area + "' AND iccs_l2 = '" + l2 + "'").collectAsList();
    assertThat(r).as(area + " " + l2).hasSize(1);
    return r.get(0);
  }

  @Test
  void theWarningFiresOnThePlantedTrendsAndNotOnTheControls() {
    for (JsonNode t : truth.get("trends")) {
      String area = "police_uk_street".equals(t.get("source").asText())
          ? spark.sql("SELECT area_code FROM ref.areas WHERE lower(area_name) = '" + t.get("area").asText() + "'")
              .head().getString(0)
          : "CHI-DIST-" + Integer.parseInt(t.get("area").asText());
      Row w = warning(area, "0501");
      boolean treated = "treatment".equals(t.get("role").asText());
      System.out.printf("early warning %s %s: alarm=%s method=%s since=%s observed=%s expected=%.1f bound=%s%n",
          t.get("id").asText(), area, w.get(0), w.get(1), w.get(2), w.get(3), w.getDouble(4), w.get(5));
      assertThat(w.getBoolean(0)).as(t.get("id").asText()).isEqualTo(treated);
      if (treated) {
        // the excursion starts at the planted change (2024-07) or within two months of it
        assertThat(w.getDate(2).toLocalDate()).isBetween(java.time.LocalDate.of(2024, 7, 1),
            java.time.LocalDate.of(2024, 9, 1));
      }
    }
    // the method is stated: 24 months are too short for the improved Farrington method
    assertThat(spark.sql("SELECT DISTINCT method FROM gold.early_warnings").collectAsList())
        .extracting(r -> r.getString(0)).allMatch(m -> m.startsWith("quasi-poisson-phase1") || m.equals("insufficient-history")
            || m.equals("no-data"));
    long series = spark.sql("SELECT count(*) FROM gold.early_warnings WHERE level = 'regional' AND iccs_l2 IS NOT NULL")
        .head().getLong(0);
    long alarms = spark.sql("SELECT count(*) FROM gold.early_warnings WHERE level = 'regional' AND iccs_l2 IS NOT NULL "
        + "AND alarm").head().getLong(0);
    System.out.printf("regional level-2 series: %d, alarms: %d (%.1f%%)%n", series, alarms, 100.0 * alarms / series);
  }

  @Test
  void theTrendTableShowsTheRise() {
    Row kent = spark.sql("SELECT t.trend, t.sen_slope FROM gold.crime_trends t JOIN ref.areas a ON t.area_code = a.area_code "
        + "WHERE lower(a.area_name) = 'kent' AND t.iccs_l2 = '0501' AND t.period_type = 'month' "
        + "AND t.period = DATE'2024-12-01'").head();
    assertThat(kent.getString(0)).isEqualTo("increasing");
    assertThat(kent.getDouble(1)).isGreaterThan(0);
    Map<String, Long> weekly = Map.of("weeks", spark.sql("SELECT count(*) FROM gold.crime_trends WHERE period_type = 'week'")
        .head().getLong(0));
    assertThat(weekly.get("weeks")).isGreaterThan(100);
  }

  /** A repeat of the hotspot run `ilp run` made (Chicago, 2024-12, test settings). */
  static org.ilp.common.spark.JobResult hotspots() {
    var p = org.ilp.jobs.hotspots.HotspotParams.of(SparkTestSupport.config(), "2024-12", null, "chicago", null, null,
        null, null, true, false);
    return Warehouses.run(org.ilp.jobs.hotspots.HotspotsJob.JOB, p.asMap(), ctx -> org.ilp.jobs.hotspots.HotspotsJob.run(ctx, p));
  }

  @Test
  void theSelfExcitingForecastFittedAsSparkAggregationsEqualsTheOneFittedInOneTask() {
    var hc = SparkTestSupport.config().raw().getConfig("ilp.hotspots");
    var area = org.ilp.common.ref.Reference.studyArea(spark, hc, "chicago");
    var p = new org.ilp.jobs.forecast.ForecastParams(java.time.LocalDate.parse("2024-12-01"), "1m", "chicago", null,
        hc.getDouble("cell-m"), 0, hc.getDouble("kde-bandwidth-m"), false);
    var inc = spark.table("silver.incidents").where("is_crime AND geom IS NOT NULL AND source LIKE 'chicago%'");
    List<List<Object>> seen = new java.util.ArrayList<>();
    for (long threshold : new long[] {Long.MAX_VALUE, 0}) { // in one task; distributed
      var o = org.ilp.jobs.forecast.ForecastJob.transform(new org.ilp.jobs.forecast.ForecastJob.Inputs(area, inc, true,
          threshold), p, "t", org.ilp.common.spark.Keep.MATERIALIZE);
      seen.add(o.forecasts().orderBy("cell_id").select("cell_id", "sepp").collectAsList().stream()
          .map(r -> (Object) (r.getLong(0) + "=" + r.getDouble(1))).toList());
    }
    assertThat(seen.get(0)).hasSizeGreaterThan(5000);
    assertThat(seen.get(1)).isEqualTo(seen.get(0)); // bit for bit
    assertThat(seen.get(0).stream().filter(x -> !x.toString().endsWith("=0.0")).count()).isGreaterThan(100);
  }

  @Test
  void onH3CellsThePlantedHotspotsStandOutAndTheSquareMapIsUntouched() {
    String month = " period = DATE'2024-12-01' AND scope = 'chicago' ";
    List<Row> squares = spark.sql("SELECT cell_id, gi_z FROM gold.hotspot_cells WHERE" + month
        + "AND coalesce(cell_grid, 'square') = 'square' ORDER BY cell_id").collectAsList();
    var p = org.ilp.jobs.hotspots.HotspotParams.of(SparkTestSupport.config(), "2024-12", null, "chicago", null, "h3:9",
        null, null, false, false);
    try {
      assertThat(Warehouses.run(org.ilp.jobs.hotspots.HotspotsJob.JOB, p.asMap(),
          ctx -> org.ilp.jobs.hotspots.HotspotsJob.run(ctx, p)).status()).isEqualTo("succeeded");
      String h3 = month + "AND cell_grid = 'h3:9' ";
      Row grid = spark.sql("SELECT count(*), sum(count), min(nb_w), max(nb_w), min(cell_size_m), max(geom) "
          + "FROM gold.hotspot_cells WHERE" + h3).head();
      assertThat(grid.getLong(0)).isGreaterThan(1000); // the city's hexagons, empty ones included
      assertThat(grid.getInt(3)).isEqualTo(7); // an inner hexagon and its 6 neighbours
      assertThat(grid.getDouble(4)).isCloseTo(174.38, org.assertj.core.api.Assertions.within(0.01));
      assertThat(grid.getString(5)).startsWith("POLYGON").satisfies(g -> assertThat(g.split(",")).hasSize(7));
      for (JsonNode h : truth.get("hotspots")) {
        if (!"chicago_crimes".equals(h.get("source").asText())) {
          continue;
        }
        String pt = "ST_Point(" + h.get("center_lon").asDouble() + ", " + h.get("center_lat").asDouble() + ")";
        Row c = spark.sql("SELECT class, gi_q, count, nb_w, gi_z, gi_p_sim FROM gold.hotspot_cells WHERE" + h3
            + "AND cell_id = ST_H3CellIDs(" + pt + ", 9, false)[0]").head();
        System.out.printf("h3 hotspot %s: %s%n", h.get("id").asText(), c);
        // at resolution 9 (174 m edges) most of a 250 m-radius cluster falls in one hexagon: its Gi* z is among the
        // grid's highest and its exact randomisation p small, but the conditional permutation asks whether the
        // neighbours are high given the cell itself, and FDR over the city's hexagons may not call it (README)
        long higher = spark.sql("SELECT count(*) FROM gold.hotspot_cells WHERE" + h3 + "AND gi_z > " + c.getDouble(4))
            .head().getLong(0);
        assertThat(higher).as("h3 " + h.get("id").asText() + ": hexagons with a higher z").isLessThan(grid.getLong(0) / 100);
        assertThat(c.getDouble(5)).as("h3 " + h.get("id").asText() + ": exact randomisation p").isLessThan(0.01);
      }
      assertThat(spark.sql("SELECT count(*) FROM gold.hotspot_kde WHERE" + h3 + "AND density_per_km2 > 0").head()
          .getLong(0)).isPositive();
      assertThat(spark.sql("SELECT count(DISTINCT pattern) FROM gold.emerging_hotspots WHERE" + h3).head().getLong(0))
          .isPositive();
      // the square map of the same month is another grid: untouched
      assertThat(spark.sql("SELECT cell_id, gi_z FROM gold.hotspot_cells WHERE" + month
          + "AND coalesce(cell_grid, 'square') = 'square' ORDER BY cell_id").collectAsList()).isEqualTo(squares);
    } finally { // the shared warehouse as it was: the H3 rows go
      for (var t : List.of(org.ilp.common.table.Tables.GOLD_HOTSPOT_CELLS, org.ilp.common.table.Tables.GOLD_HOTSPOT_KDE,
          org.ilp.common.table.Tables.GOLD_EMERGING_HOTSPOTS)) {
        org.ilp.common.table.Writes.delete(spark, t, org.apache.spark.sql.functions.col("cell_grid").equalTo("h3:9"));
      }
    }
  }
  @Test
  void plantedHotspotsAreFoundReproduciblyAndExportedFiles() throws Exception {
    // `ilp run` wrote the latest month (2024-12) with the configured seed and permutations (squares)
    String month = " period = DATE'2024-12-01' AND coalesce(cell_grid, 'square') = 'square' ";
    long cells = spark.sql("SELECT count(*) FROM gold.hotspot_cells WHERE" + month).head().getLong(0);
    assertThat(cells).isGreaterThan(5000);
    // every planted Chicago hotspot: the cell holding its centre is hot with q < 0.05
    long outside = 0;
    StringBuilder far = new StringBuilder("period = DATE'2024-12-01'");
    for (JsonNode h : truth.get("hotspots")) {
      if (!"chicago_crimes".equals(h.get("source").asText())) {
        continue;
      }
      String pt = "ST_Point(" + h.get("center_lon").asDouble() + ", " + h.get("center_lat").asDouble() + ")";
      Row c = spark.sql("SELECT class, gi_q, count FROM gold.hotspot_cells WHERE" + month + "AND ST_Intersects("
          + "ST_GeomFromWKT(geom), " + pt + ")").head();
      System.out.printf("hotspot %s: class=%s q=%s count=%s%n", h.get("id").asText(), c.get(0), c.get(1), c.get(2));
      assertThat(c.getString(0)).as(h.get("id").asText()).startsWith("hot");
      assertThat(c.getDouble(1)).isLessThan(0.05);
      far.append(" AND ST_DistanceSphere(ST_Centroid(ST_GeomFromWKT(geom)), ").append(pt).append(") > ")
          .append(h.get("radius_m").asDouble() + 600);
    }
    spark.sql("SELECT class, count(*), sum(count) FROM gold.hotspot_cells WHERE " + far + " GROUP BY 1 ORDER BY 1").show(false);
    long farCells = spark.sql("SELECT count(*) FROM gold.hotspot_cells WHERE " + far).head().getLong(0);
    long farHot = spark.sql("SELECT count(*) FROM gold.hotspot_cells WHERE class LIKE 'hot%' AND " + far).head().getLong(0);
    System.out.printf("cells away from the planted hotspots: %d, called hot: %d (%.3f%%)%n", farCells, farHot,
        100.0 * farHot / farCells);
    assertThat((double) farHot / farCells).isLessThan(0.01);
    // unchanged inputs: a repeat is a no-op. (A forced repeat giving the same pseudo-p is the per-cell seed's
    // property, GiStarPermutationTest.reproducibleAndSeedSensitive; the same rows from another partitioning, .ci/cluster's
    // digests of a cluster run against a local one; a replaced scope without duplicates, WritesTest.)
    assertThat(hotspots().status()).isEqualTo("noop");
    assertThat(spark.sql("SELECT count(*) FROM gold.hotspot_cells WHERE" + month).head().getLong(0)).isEqualTo(cells);
    // cells without neighbours are flagged, not divided by zero
    assertThat(spark.sql("SELECT count(*) FROM gold.hotspot_cells WHERE gi_z IS NULL AND class NOT IN "
        + "('no neighbours', 'no variance')").head().getLong(0)).isZero();
    // the GIS layers, read without Spark or Sedona (GeoJSON by a JSON parser, GeoParquet by DuckDB), equal the table
    java.nio.file.Path dir = SparkTestSupport.warehouse().resolve("exports/hotspots/chicago_2024-12-01_all_250m");
    long total = spark.sql("SELECT sum(count) FROM gold.hotspot_cells WHERE" + month).head().getLong(0);
    GisLayer gj = GisLayer.geojson(dir.resolve("hotspot_cells.geojson"), "count");
    GisLayer gp = GisLayer.geoparquet(dir.resolve("hotspot_cells.parquet"), "count");
    System.out.println("hotspot_cells.geojson: " + gj.features() + " features, bbox " + java.util.Arrays.toString(gj.bbox())
        + "; hotspot_cells.parquet: " + gp.meta());
    assertThat(gj.meta().get("name").asText()).isEqualTo("hotspot_cells");
    assertThat(gj.meta().has("crs")).as("RFC 7946: CRS84 implied, no crs member").isFalse();
    for (GisLayer l : List.of(gj, gp)) {
      assertThat(l.features()).isEqualTo(cells);
      assertThat(l.sum()).isEqualTo((double) total);
      // lon/lat of Chicago, not feet of EPSG:3435
      assertThat(l.bbox()[0]).isBetween(-88.0, -87.5);
      assertThat(l.bbox()[2]).isBetween(-88.0, -87.5);
      assertThat(l.bbox()[1]).isBetween(41.6, 42.1);
      assertThat(l.bbox()[3]).isBetween(41.6, 42.1);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(gp.bbox()[i]).as("GeoParquet bbox = the GeoJSON's extent").isCloseTo(gj.bbox()[i], within(1e-6));
    }
    com.fasterxml.jackson.databind.JsonNode col = gp.meta().path("columns").path(gp.meta().path("primary_column").asText());
    assertThat(gp.meta().path("version").asText()).isEqualTo("1.1.0");
    assertThat(col.path("encoding").asText()).isEqualTo("WKB");
    assertThat(col.path("geometry_types").toString()).isEqualTo("[\"Polygon\"]");
    assertThat(col.path("crs").path("id").path("authority").asText() + ":" + col.path("crs").path("id").path("code")
        .asText()).isEqualTo("OGC:CRS84");
    // the grid's own coordinates named with their unit (EPSG:3435: US survey feet)
    Row one = spark.sql("SELECT cell_x FROM gold.hotspot_cells WHERE" + month + "AND cell_id = "
        + gj.first().get("cell_id").asLong()).head();
    assertThat(gj.first().get("cell_x_usft").asDouble()).isEqualTo(one.getDouble(0));
    assertThat(gj.first().has("cell_x")).isFalse();
    for (String layer : List.of("kde", "emerging_hotspots")) {
      assertThat(GisLayer.geojson(dir.resolve(layer + ".geojson"), "cell_size_m").features()).as(layer)
          .isEqualTo(GisLayer.geoparquet(dir.resolve(layer + ".parquet"), "cell_size_m").features()).isPositive();
    }
  }

  @Test
  void forecastsAreEvaluatedByHitRatePaiAndPei() throws Exception {
    // `ilp run` forecasts Chicago for 2025-01, the month after its data, with 2 backtests (as-of 2024-11, 2024-12)
    String mine = " run_id = '" + spark.sql("SELECT run_id FROM ops.job_runs WHERE job = 'forecast' AND status = "
        + "'succeeded' ORDER BY started_at DESC LIMIT 1").head().getString(0) + "' ";
    // 3 as-of dates x 4 methods x 3 coverages
    assertThat(spark.sql("SELECT count(*) FROM gold.forecast_evaluation WHERE" + mine).head().getLong(0)).isEqualTo(36);
    assertThat(spark.sql("SELECT count(*) FROM gold.forecast_evaluation WHERE pei > 1.000001 OR hit_rate > 1")
        .head().getLong(0)).isZero();
    // recompute the naive method's hits at 1% for the last backtest (the latest window with an outcome) from
    // gold.forecasts, independently
    List<Row> f = spark.sql("SELECT cell_id, naive, actual FROM gold.forecasts WHERE" + mine + "AND as_of = "
        + "DATE'2024-12-01' ORDER BY naive DESC, cell_id").collectAsList();
    long k = (long) Math.ceil(0.01 * f.size() - 1e-9);
    long hits = 0;
    long total = 0;
    for (int i = 0; i < f.size(); i++) {
      total += f.get(i).getLong(2);
      if (i < k) {
        hits += f.get(i).getLong(2);
      }
    }
    Row e = spark.sql("SELECT hits, total_events, pai FROM gold.forecast_evaluation WHERE" + mine + "AND method = 'naive' "
        + "AND coverage = 0.01 AND as_of = DATE'2024-12-01'").head();
    assertThat(e.getLong(0)).isEqualTo(hits);
    assertThat(e.getLong(1)).isEqualTo(total);
    assertThat(e.getDouble(2)).isCloseTo(((double) hits / total) / ((double) k / f.size()), org.assertj.core.api.Assertions.within(1e-9));
    // the planted hotspots make last month a good predictor: PAI well above 1 at 1% coverage
    assertThat(e.getDouble(2)).isGreaterThan(2.0);
    // the forecast itself: the month after the data, every cell scored, nothing happened yet, no evaluation to claim
    List<Row> next = spark.sql("SELECT cell_id, naive, actual FROM gold.forecasts WHERE" + mine + "AND as_of = "
        + "DATE'2025-01-01'").collectAsList();
    assertThat(next).hasSize(f.size()).allSatisfy(r -> assertThat(r.getLong(2)).isZero());
    assertThat(spark.sql("SELECT count(*) FROM gold.forecast_evaluation WHERE" + mine + "AND as_of = DATE'2025-01-01' "
        + "AND total_events = 0 AND pai IS NULL").head().getLong(0)).isEqualTo(12);
    // its map: one feature per cell, its scores as properties
    java.nio.file.Path fdir = SparkTestSupport.warehouse().resolve("exports/forecasts/chicago_2025-01-01_1m_all_250m");
    GisLayer map = GisLayer.geojson(fdir.resolve("forecast.geojson"), "naive");
    assertThat(map.features()).isEqualTo(next.size());
    assertThat(map.sum()).isEqualTo(next.stream().mapToDouble(r -> r.getDouble(1)).sum(), within(1e-6));
    assertThat(GisLayer.geoparquet(fdir.resolve("forecast.parquet"), "naive").features()).isEqualTo(next.size());
    spark.sql("SELECT method, coverage, avg(pai) pai, avg(pei) pei FROM gold.forecast_evaluation WHERE" + mine
        + "GROUP BY 1, 2 ORDER BY 2, 1")
        .show(20, false);
  }
}
