package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.RealCsv;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Knox} on 1,000 real Chicago burglaries (District 008, 2017; real/README.md): the observed counts of every
 * band equal a plain O(n²) count over all pairs, the null is reproducible for a seed, and the p-value and
 * quantiles follow their definitions.
 */
@ExtendWith(SparkTestSupport.class)
class KnoxTest {
  static final double US_FOOT_M = 1200.0 / 3937.0; // EPSG:3435's unit
  static final StructType EVENTS = new StructType().add("event_id", DataTypes.StringType)
      .add("x_m", DataTypes.DoubleType).add("y_m", DataTypes.DoubleType).add("day", DataTypes.IntegerType);
  static final Knox.Spec SPEC = new Knox.Spec(Knox.parseBands("distance", "0,1-200,201-400,401-600,601-800"),
      Knox.parseBands("time", "0-7,8-14,15-21,22-28,29-35"), Knox.Metric.EUCLIDEAN, 99, 7, 0.05);

  record Event(String id, double x, double y, int day) {}

  static List<Event> burglaries() {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    List<Event> out = new ArrayList<>();
    for (String[] r : RealCsv.records(RealCsv.dir("chicago_burglaries").resolve(
        "chicago_burglaries_2017_district_008.csv.gz"))) {
      out.add(new Event(r[0], Double.parseDouble(r[15]) * US_FOOT_M, Double.parseDouble(r[16]) * US_FOOT_M,
          (int) LocalDate.parse(r[2].substring(0, 10), f).toEpochDay()));
    }
    return out;
  }

  static Dataset<Row> frame(List<Event> events) {
    List<Row> rows = events.stream().map(e -> RowFactory.create(e.id(), e.x(), e.y(), e.day())).toList();
    return SparkTestSupport.spark().createDataFrame(rows, EVENTS).repartition(3);
  }

  /** The brute force: every pair, the same band definitions written out once more. */
  static long[][] bruteForce(List<Event> ev, Knox.Spec s) {
    long[][] n = new long[s.distance().size()][s.time().size()];
    for (int i = 0; i < ev.size(); i++) {
      for (int j = i + 1; j < ev.size(); j++) {
        double dx = ev.get(i).x() - ev.get(j).x();
        double dy = ev.get(i).y() - ev.get(j).y();
        double d = s.metric() == Knox.Metric.EUCLIDEAN ? Math.sqrt(dx * dx + dy * dy) : Math.abs(dx) + Math.abs(dy);
        long metres = (long) Math.ceil(d);
        long days = Math.abs(ev.get(i).day() - ev.get(j).day());
        for (int a = 0; a < n.length; a++) {
          for (int b = 0; b < n[a].length; b++) {
            if (s.distance().get(a).contains(metres) && s.time().get(b).contains(days)) {
              n[a][b]++;
            }
          }
        }
      }
    }
    return n;
  }

  @Test
  void observedCountsEqualABruteForceCountOfAllPairsForEveryBand() {
    List<Event> ev = burglaries();
    assertThat(ev).hasSize(1000);
    for (Knox.Metric metric : Knox.Metric.values()) {
      Knox.Spec s = new Knox.Spec(SPEC.distance(), SPEC.time(), metric, 19, 7, 0.05);
      Knox.Result r = Knox.test(frame(ev), s);
      long[][] want = bruteForce(ev, s);
      assertThat(r.events()).isEqualTo(1000);
      assertThat(r.cells()).hasSize(25);
      long total = 0;
      for (Knox.Cell c : r.cells()) {
        long w = want[s.distance().indexOf(c.distance())][s.time().indexOf(c.time())];
        assertThat(c.observed()).as("%s %s m × %s days", metric, c.distance(), c.time()).isEqualTo(w);
        total += w;
      }
      assertThat(r.pairsInBands()).isEqualTo(total);
      // real data: the same-block band is not empty (Chicago geocodes to the block), so the test bites
      assertThat(r.cells().get(0).observed()).isPositive();
    }
  }

  @Test
  void theNullIsReproducibleForASeedAndPFollowsItsDefinition() {
    List<Event> ev = burglaries();
    Knox.Result a = Knox.test(frame(ev), SPEC);
    // another partitioning, the same seed: the same null, bit for bit
    Knox.Result b = Knox.test(frame(ev).repartition(1), SPEC);
    assertThat(b.cells()).isEqualTo(a.cells());
    Knox.Result other = Knox.test(frame(ev), new Knox.Spec(SPEC.distance(), SPEC.time(), SPEC.metric(), 99, 8, 0.05));
    assertThat(other.cells().stream().map(Knox.Cell::nullMean).toList())
        .isNotEqualTo(a.cells().stream().map(Knox.Cell::nullMean).toList());
    for (Knox.Cell c : a.cells()) {
      // p = (1 + #null >= observed) / (1 + P): a multiple of 1/100 in [0.01, 1]
      double k = c.pValue() * 100;
      assertThat(k).isCloseTo(Math.rint(k), within(1e-9)).isBetween(1.0, 100.0);
      assertThat(c.nullMedian()).isLessThanOrEqualTo(c.nullP95());
      assertThat(c.nullP95()).isLessThanOrEqualTo(c.nullP99());
      if (c.knoxRatio() != null) {
        assertThat(c.knoxRatio()).isCloseTo(c.observed() / c.nullMean(), within(1e-12));
      }
      assertThat(c.significant()).isEqualTo(c.knoxRatio() != null && c.knoxRatio() > 1 && c.pValue() <= 0.05);
    }
    // the near-repeat finding of the literature on real burglaries: same block within a week is raised
    Knox.Cell sameBlockWeek = a.cells().get(0);
    assertThat(sameBlockWeek.knoxRatio()).isGreaterThan(1);
  }

  @Test
  void statisticsFromHandCounts() {
    // two bands, three permutations: counts[k][band]; observed 5 and 2
    Knox.Spec s = new Knox.Spec(List.of(new Knox.Band(0, 100)), Knox.parseBands("time", "0-7,8-14"),
        Knox.Metric.EUCLIDEAN, 3, 1, 0.5);
    long[] counts = {5, 2, /* k=1 */ 1, 2, /* k=2 */ 5, 4, /* k=3 */ 3, 0};
    Knox.Result r = Knox.summarise(counts, 10, s);
    Knox.Cell week = r.cells().get(0);
    assertThat(week.nullMean()).isEqualTo(3.0);
    assertThat(week.nullMedian()).isEqualTo(3.0);
    assertThat(week.knoxRatio()).isCloseTo(5 / 3.0, within(1e-12));
    assertThat(week.pValue()).isEqualTo((1 + 1) / 4.0); // one null (5) >= 5
    assertThat(week.nullP95()).isCloseTo(3 + 0.9 * 2, within(1e-12)); // type 7: h = 1.9 between 3 and 5
    assertThat(week.significant()).isTrue();
    Knox.Cell fortnight = r.cells().get(1);
    assertThat(fortnight.nullMean()).isEqualTo(2.0);
    assertThat(fortnight.pValue()).isEqualTo((1 + 2) / 4.0);
    assertThat(fortnight.significant()).isFalse();
    assertThat(r.pairsInBands()).isEqualTo(7);
  }

  @Test
  void bandsAreParsedAndCheckedWithClearMessages() {
    assertThat(Knox.parseBands("distance", "0, 1-200,201-400")).containsExactly(new Knox.Band(0, 0),
        new Knox.Band(1, 200), new Knox.Band(201, 400));
    assertThatThrownBy(() -> Knox.parseBands("time", "0-7,7-14")).hasMessageContaining("without overlap");
    assertThatThrownBy(() -> Knox.parseBands("time", "0-7,x")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> Knox.parseBands("time", "7-0")).hasMessageContaining("0 <= from <= to");
    assertThatThrownBy(() -> Knox.Metric.parse("chebyshev")).hasMessageContaining("euclidean or manhattan");
  }
}
