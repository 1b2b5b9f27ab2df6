package org.ilp.jobs.nearrepeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.UsageError;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link NearRepeatJob} on the real warehouse: Chicago's 2017 burglaries (the real sample) are tested, the job's
 * pairs agree with Sedona's own distances, the alerts run from the latest event, a second run is a no-op, and
 * police.uk's month-only records are refused.
 */
@ExtendWith(SparkTestSupport.class)
@Order(11)
class NearRepeatRealDataTest {

  static JobResult nearRepeat(String scope, String from, String to, boolean force) {
    var p = NearRepeatParams.of(SparkTestSupport.config(), from, to, scope, "0501", null, null, 99, null,
        null, force);
    return Warehouses.run(NearRepeatJob.JOB, p.asMap(), ctx -> NearRepeatJob.run(ctx, p));
  }

  @Test
  void chicagoBurglariesAreTestedAndMonthOnlyRecordsRefused() throws Exception {
    SparkSession spark = Warehouses.real();
    JobResult r = nearRepeat("chicago", "2017-01", "2017-12", false);
    assertThat(r.status()).isEqualTo("succeeded");
    String burglaries = "FROM silver.incidents WHERE source LIKE 'chicago%' AND is_crime AND iccs_l2 = '0501' "
        + "AND period_month BETWEEN DATE'2017-01-01' AND DATE'2017-12-01'";
    Row n = spark.sql("SELECT count(*), count(CASE WHEN geom IS NOT NULL AND occurred_at IS NOT NULL THEN 1 END), "
        + "max(CASE WHEN geom IS NOT NULL THEN to_date(occurred_at) END) " + burglaries).head();
    List<Row> table = spark.sql("SELECT * FROM gold.near_repeat ORDER BY distance_from_m, time_from_days").collectAsList();
    assertThat(table).hasSize(25);
    Row first = table.get(0);
    assertThat(first.<Long>getAs("events")).isEqualTo(n.getLong(1)).isGreaterThan(50);
    assertThat(first.<Long>getAs("excluded_events")).isEqualTo(n.getLong(0) - n.getLong(1));
    assertThat(first.<Integer>getAs("permutations")).isEqualTo(99);
    assertThat(first.<String>getAs("metric")).isEqualTo("euclidean");
    assertThat(first.<Integer>getAs("distance_to_m")).isZero();
    assertThat(table.get(24).<Integer>getAs("distance_to_m")).isEqualTo(800);
    assertThat(table.get(24).<Integer>getAs("time_to_days")).isEqualTo(35);
    // every pair within 800 m and 35 days, counted by Sedona's own distance in the state plane (US feet → m)
    long pairs = spark.sql("WITH e AS (SELECT incident_id, to_date(occurred_at) AS d, "
        + "ST_Transform(geom, 'EPSG:4326', 'EPSG:3435') AS g " + burglaries
        + " AND geom IS NOT NULL AND occurred_at IS NOT NULL) SELECT count(*) FROM e a JOIN e b "
        + "ON a.incident_id < b.incident_id WHERE ceil(ST_Distance(a.g, b.g) * 0.3048006096012192) <= 800 "
        + "AND abs(datediff(a.d, b.d)) <= 35").head().getLong(0);
    assertThat(table.stream().mapToLong(x -> x.<Long>getAs("observed")).sum()).isEqualTo(pairs);
    for (Row x : table) {
      double p = x.<Double>getAs("p_value");
      assertThat(p).isBetween(0.01, 1.0);
      Double ratio = x.getAs("knox_ratio");
      assertThat(x.<Boolean>getAs("significant")).isEqualTo(ratio != null && ratio > 1 && p <= 0.05);
    }

    // alerts: cells around the events still "running" on the latest event day, never ended before it
    List<Row> alerts = spark.sql("SELECT as_of, alert_until, last_event_date, nearest_m, geom FROM gold.near_repeat_alerts")
        .collectAsList();
    boolean anySignificant = table.stream().anyMatch(x -> x.<Boolean>getAs("significant"));
    assertThat(alerts.isEmpty()).isEqualTo(!anySignificant);
    for (Row a : alerts) {
      assertThat(a.getDate(0).toLocalDate()).isEqualTo(n.getDate(2).toLocalDate());
      assertThat(a.getDate(1)).isAfterOrEqualTo(a.getDate(0));
      assertThat(a.getDate(2)).isBeforeOrEqualTo(a.getDate(0));
      assertThat(a.getString(4)).startsWith("POLYGON");
    }
    Path export = SparkTestSupport.warehouse().resolve("exports/nearrepeat/chicago_2017-01-01_2017-12-31_0501");
    long alertCells = spark.sql("SELECT count(*) FROM gold.near_repeat_alerts WHERE scope = 'chicago'").head().getLong(0);
    assertThat(org.ilp.jobs.testing.GisLayer.geojson(export.resolve("near_repeat_alerts.geojson"), "cell_size_m").features())
        .isEqualTo(alertCells);
    assertThat(org.ilp.jobs.testing.GisLayer.geoparquet(export.resolve("near_repeat_alerts.parquet"), "cell_size_m")
        .features()).isEqualTo(alertCells);

    // the same question over unchanged silver rows: nothing to do
    assertThat(nearRepeat("chicago", "2017-01", "2017-12", false).status()).isEqualTo("noop");
    // police.uk publishes months only: day bands would pretend a precision the data lacks
    assertThatThrownBy(() -> nearRepeat("uk", "2018-10", "2018-11", false)).isInstanceOf(UsageError.class)
        .hasMessageContaining("month only").hasMessageContaining("police.uk");
  }
}
