package org.ilp.common.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesAnalysisTest {
  static final SeriesAnalysis.WarningSettings WS = new SeriesAnalysis.WarningSettings(0.01, 3, 12, 5);

  static List<SeriesAnalysis.Point> monthly(LocalDate first, Long... counts) {
    List<SeriesAnalysis.Point> p = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      LocalDate d = first.plusMonths(i);
      p.add(new SeriesAnalysis.Point(d, counts[i], d.lengthOfMonth()));
    }
    return p;
  }

  @Test
  void rollingMeansAndYearOnYearByHand() {
    Long[] c = new Long[14];
    for (int i = 0; i < 14; i++) {
      c[i] = (long) (i + 1); // 1..14
    }
    var r = SeriesAnalysis.analyse(monthly(LocalDate.of(2023, 1, 1), c), 12, 0.05, WS);
    var last = r.points().get(13);
    assertThat(r.points().get(0).rolling3()).isNull();
    assertThat(r.points().get(2).rolling3()).isEqualTo(2.0);          // (1+2+3)/3
    assertThat(last.rolling3()).isEqualTo(13.0);                      // (12+13+14)/3
    assertThat(last.rolling12()).isEqualTo(8.5);                      // (3+...+14)/12 = 102/12
    assertThat(last.yoyCount()).isEqualTo(2L);                        // 2023-02
    assertThat(last.yoyChangePct()).isCloseTo(600.0, within(1e-9));   // (14-2)/2
    assertThat(r.points().get(11).yoyCount()).isNull();
    assertThat(r.trend().direction()).isEqualTo("increasing");
  }

  @Test
  void gapsStayNullAndAreNeverZero() {
    var r = SeriesAnalysis.analyse(monthly(LocalDate.of(2018, 10, 1), 5L, null, 7L, 8L, 9L), 12, 0.05, WS);
    assertThat(r.points().get(1).count()).isNull();
    assertThat(r.points().get(2).rolling3()).isNull();
    assertThat(r.points().get(4).rolling3()).isEqualTo(8.0);
    // the early warning uses the gap-free tail 7, 8, 9 only: 2 points before the last < 3
    assertThat(r.alarm().method()).isEqualTo("insufficient-history");
    assertThat(r.alarm().alarm()).isFalse();
  }

  @Test
  void shortSeriesUsePhaseOneAndLongSeriesNoufaily() {
    // 24 months: 12 at 100 a month, then a step to 160 from month 18 -> phase-I alarm since month 18
    Long[] c = new Long[24];
    for (int i = 0; i < 24; i++) {
      c[i] = i < 18 ? 100L : 160L;
    }
    var r = SeriesAnalysis.analyse(monthly(LocalDate.of(2023, 1, 1), c), 12, 0.05, WS);
    assertThat(r.alarm().method()).isEqualTo("quasi-poisson-phase1");
    assertThat(r.alarm().alarm()).isTrue();
    assertThat(r.alarm().since()).isEqualTo(LocalDate.of(2024, 7, 1));
    assertThat(r.alarm().baselinePoints()).isEqualTo(12);
    // a flat series does not alarm
    Long[] flat = new Long[24];
    java.util.Arrays.fill(flat, 100L);
    assertThat(SeriesAnalysis.analyse(monthly(LocalDate.of(2023, 1, 1), flat), 12, 0.05, WS).alarm().alarm()).isFalse();
    // 5 years of monthly history: the improved Farrington method
    Long[] longer = new Long[61];
    for (int i = 0; i < 61; i++) {
      longer[i] = 50L + (i % 3);
    }
    longer[60] = 120L;
    var l = SeriesAnalysis.analyse(monthly(LocalDate.of(2019, 1, 1), longer), 12, 0.05, WS);
    assertThat(l.alarm().method()).startsWith("noufaily");
    assertThat(l.alarm().alarm()).isTrue();
  }

  @Test
  void noAlarmBelowTheMinimumCount() {
    // 12 months of zeros then 3: far above a zero baseline, but fewer than 5 crimes is not a warning
    Long[] c = new Long[13];
    java.util.Arrays.fill(c, 0L);
    c[12] = 3L;
    var r = SeriesAnalysis.analyse(monthly(LocalDate.of(2023, 1, 1), c), 12, 0.05, WS);
    assertThat(r.alarm().alarm()).isFalse();
    assertThat(r.alarm().since()).isNull();
    c[12] = 6L;
    assertThat(SeriesAnalysis.analyse(monthly(LocalDate.of(2023, 1, 1), c), 12, 0.05, WS).alarm().alarm()).isTrue();
  }

  @Test
  void periodsParseAndCountDays() {
    assertThat(Periods.MONTH.parse("2019-02")).isEqualTo(LocalDate.of(2019, 2, 1));
    assertThat(Periods.MONTH.days(LocalDate.of(2019, 2, 1))).isEqualTo(28);
    assertThat(Periods.QUARTER.parse("2018-Q4")).isEqualTo(LocalDate.of(2018, 10, 1));
    assertThat(Periods.QUARTER.days(LocalDate.of(2018, 10, 1))).isEqualTo(92);
    assertThat(Periods.YEAR.days(Periods.YEAR.parse("2016"))).isEqualTo(366);
    assertThat(Periods.WEEK.parse("2017-W01")).isEqualTo(LocalDate.of(2017, 1, 2));
    assertThat(Periods.MONTH.yearAgo(LocalDate.of(2017, 12, 1))).isEqualTo(LocalDate.of(2016, 12, 1));
    assertThat(Periods.MONTH.plus(LocalDate.of(2017, 1, 1), -1)).isEqualTo(LocalDate.of(2016, 12, 1));
    assertThatThrownBy(() -> Periods.MONTH.parse("2019-02-15")).hasMessageContaining("first day");
    assertThatThrownBy(() -> Periods.of("fortnight")).hasMessageContaining("week, month");
  }
}
