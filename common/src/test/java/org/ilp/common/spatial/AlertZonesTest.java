package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link NearRepeatAlerts}: the pattern of bands that raise alerts, and the zones and alerts on a hand-drawn grid. */
@ExtendWith(SparkTestSupport.class)
class AlertZonesTest {
  static Knox.Cell cell(int d0, int d1, int t0, int t1, double ratio, boolean significant) {
    return new Knox.Cell(new Knox.Band(d0, d1), new Knox.Band(t0, t1), 1, 1, 1, 1, 1, ratio, ratio, 0.01, significant);
  }

  @Test
  void thePatternIsTheStrongSignificantBandsContiguousFromTheFirstTimeBand() {
    List<Knox.Cell> cells = List.of(
        cell(0, 0, 0, 7, 7.0, true), cell(0, 0, 8, 14, 2.0, true), cell(0, 0, 15, 21, 1.1, true),
        cell(1, 200, 0, 7, 1.3, true), cell(1, 200, 8, 14, 1.5, false), cell(1, 200, 15, 21, 1.4, true),
        cell(201, 400, 0, 7, 1.0, false), cell(201, 400, 8, 14, 1.0, false), cell(201, 400, 15, 21, 1.9, true));
    // 0 × 15-21: ratio below 1.2; 1-200 × 8-14: not significant; 1-200 × 15-21 and 201-400 × 15-21: cut off from
    // the first week by those two
    assertThat(NearRepeatAlerts.pattern(cells, 1.2)).extracting(c -> c.distance() + "/" + c.time())
        .containsExactly("0/0-7", "0/8-14", "1-200/0-7");
    assertThat(NearRepeatAlerts.pattern(cells, 1.0)).extracting(c -> c.distance() + "/" + c.time())
        .containsExactly("0/0-7", "0/8-14", "0/15-21", "1-200/0-7", "1-200/15-21", "201-400/15-21");
    assertThat(NearRepeatAlerts.pattern(List.of(cell(0, 100, 0, 7, 5, false), cell(0, 100, 8, 14, 5, true)), 1.2))
        .isEmpty();
  }

  @Test
  void zonesReachTheCellsWithinTheBandAndAlertsKeepTheLatestDay() {
    // a 100 m grid in metres; one event at (50, 50) on day 10, one at (450, 50) on day 2
    Grid grid = new Grid("EPSG:27700", 1.0, 100);
    var events = SparkTestSupport.spark().createDataFrame(List.of(RowFactory.create("a", 50.0, 50.0, 10),
        RowFactory.create("b", 450.0, 50.0, 2)), KnoxTest.EVENTS);
    List<Knox.Cell> pattern = List.of(cell(0, 100, 0, 7, 3.0, true), cell(101, 160, 0, 3, 1.5, true));
    Map<Long, Integer> zoneA = new TreeMap<>();
    for (Row r : NearRepeatAlerts.zones(events, pattern, Knox.Metric.EUCLIDEAN, grid).where("event_id = 'a'")
        .collectAsList()) {
      zoneA.put(r.<Long>getAs("cell_id"), r.<Integer>getAs("until_day"));
    }
    // nearest point within 100 m: its cell (0 m), the 4 edge neighbours (50 m), the 4 diagonal ones (71 m), until
    // day 17; within 160 m: the cells two away along an axis (150 m) until day 13; (2, 1) is at 158 m, (2, 2) at 212 m
    assertThat(zoneA.get(Grid.cellId(0, 0))).isEqualTo(17);
    assertThat(zoneA.get(Grid.cellId(-1, -1))).isEqualTo(17);
    assertThat(zoneA.get(Grid.cellId(1, 0))).isEqualTo(17);
    assertThat(zoneA.get(Grid.cellId(2, 0))).isEqualTo(13);
    assertThat(zoneA.get(Grid.cellId(-2, 1))).isEqualTo(13);
    assertThat(zoneA).doesNotContainKey(Grid.cellId(2, 2)).hasSize(9 + 4 * 3);
    // on day 10 event b's alert (day 2 + at most 7) has ended: only a's zone is on alert
    List<Row> alerts = NearRepeatAlerts.alerts(events, pattern, Knox.Metric.EUCLIDEAN, 10, grid).collectAsList();
    assertThat(alerts).hasSize(zoneA.size());
    Row own = alerts.stream().filter(r -> r.<Long>getAs("cell_id") == Grid.cellId(0, 0)).findFirst().orElseThrow();
    assertThat(own.<Double>getAs("cell_x")).isEqualTo(50.0);
    assertThat(own.<Double>getAs("nearest_m")).isEqualTo(0.0);
    assertThat(own.<Double>getAs("max_knox_ratio")).isEqualTo(3.0);
    // on day 8 event a has not happened: b's own cell is on alert until day 2 + 7, a's cell is not
    assertThat(NearRepeatAlerts.alerts(events, pattern, Knox.Metric.EUCLIDEAN, 8, grid)
        .where("cell_id = " + Grid.cellId(0, 0)).count()).isZero();
    List<Row> day8 = NearRepeatAlerts.alerts(events, pattern, Knox.Metric.EUCLIDEAN, 8, grid)
        .where("cell_id = " + Grid.cellId(4, 0)).collectAsList();
    assertThat(day8).hasSize(1);
    assertThat(day8.get(0).<Integer>getAs("until_day")).isEqualTo(9);
    assertThat(NearRepeatAlerts.alerts(events, List.of(), Knox.Metric.EUCLIDEAN, 10, grid).count()).isZero();
  }
}
