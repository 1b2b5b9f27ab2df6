package org.ilp.jobs.disparity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobResult;
import org.ilp.common.stats.PoissonRateTest;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.cli.IlpCommandTestAccess;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, point 4 on the real stop-and-search slice (Metropolitan and City of London, 2018-10): every figure of
 * gold.disparity recomputed by hand from silver.stop_search and the Census 2011 file — counts by the group's prefix,
 * rates per 1,000, the ratio to White, the no-further-action share — and its intervals those of the exact tests.
 */
@ExtendWith(SparkTestSupport.class)
@Order(11)
class DisparityRealDataTest {
  // Census 2011 usual residents of the Metropolitan Police area (conf/population/uk_pfa_ethnicity_census2011.csv)
  static final long MET_WHITE = 4_881_636;
  static final long MET_BLACK = 1_088_447;
  static final long MET_MIXED = 404_990;
  static final long MET_OTHER = 280_887;

  static long count(SparkSession spark, String where) {
    return spark.sql("SELECT count(*) FROM silver.stop_search WHERE source_area_code = 'E23000001' AND " + where)
        .head().getLong(0);
  }

  @Test
  void ratesRatiosAndSharesAreThoseComputedByHand() throws Exception {
    SparkSession spark = Warehouses.real();
    var p = DisparityJob.Params.of(SparkTestSupport.config(), false);
    JobResult r = Warehouses.run(DisparityJob.JOB, p.asMap(), ctx -> DisparityJob.run(ctx, p));
    assertThat(r.status()).isEqualTo("succeeded");

    long black = count(spark, "lower(self_defined_ethnicity) LIKE 'black%'");
    long white = count(spark, "lower(self_defined_ethnicity) LIKE 'white%'");
    long blackNfa = count(spark, "lower(self_defined_ethnicity) LIKE 'black%' AND lower(outcome) LIKE '%no further action%'");
    long all = count(spark, "true");
    assertThat(black).isGreaterThan(20);
    assertThat(white).isGreaterThan(20);
    Row b = spark.sql("SELECT searches, population, rate_per_1000, ratio_to_white, ratio_ci_low, ratio_ci_high, "
        + "difference, nfa_searches, nfa_share, nfa_ci_low, nfa_ci_high, searches_all, months, area_name FROM gold.disparity "
        + "WHERE period_type = 'year' AND area_code = 'E23000001' AND ethnicity_basis = 'self_defined' "
        + "AND ethnic_group = 'Black'").head();
    assertThat(b.getLong(0)).isEqualTo(black);
    assertThat(b.getLong(1)).isEqualTo(MET_BLACK);
    assertThat(b.getDouble(2)).isCloseTo(1000.0 * black / MET_BLACK, within(1e-12));
    double ratio = ((double) black / MET_BLACK) / ((double) white / MET_WHITE);
    assertThat(b.getDouble(3)).isCloseTo(ratio, within(1e-12));
    PoissonRateTest.Result exact = PoissonRateTest.test(black, MET_BLACK, white, MET_WHITE);
    assertThat(b.getDouble(4)).isEqualTo(exact.ciLow());
    assertThat(b.getDouble(5)).isEqualTo(exact.ciHigh());
    assertThat(b.getString(6)).isEqualTo(exact.ciLow() > 1 ? "higher" : exact.ciHigh() < 1 ? "lower" : "not significant");
    assertThat(b.getLong(7)).isEqualTo(blackNfa);
    assertThat(b.getDouble(8)).isCloseTo((double) blackNfa / black, within(1e-15));
    double[] ci = PoissonRateTest.binomialInterval((int) blackNfa, (int) black, 0.95);
    assertThat(b.getDouble(9)).isEqualTo(ci[0]);
    assertThat(b.getDouble(10)).isEqualTo(ci[1]);
    assertThat(b.getLong(11)).isEqualTo(all);
    assertThat(b.getInt(12)).as("one month of 2018: a partial year, said").isEqualTo(1);
    assertThat(b.getString(13)).isEqualTo("Metropolitan");

    // officer-defined: no Mixed group, its Other against Mixed + Other residents; the groups and Not stated add up
    List<Row> officer = spark.sql("SELECT ethnic_group, searches, population FROM gold.disparity WHERE period_type = "
        + "'month' AND area_code = 'E23000001' AND ethnicity_basis = 'officer_defined' ORDER BY ethnic_group").collectAsList();
    assertThat(officer).extracting(x -> x.getString(0)).containsExactly("Asian", "Black", "Not stated", "Other", "White");
    assertThat(officer.get(3).getLong(2)).isEqualTo(MET_MIXED + MET_OTHER);
    assertThat(officer.get(2).isNullAt(2)).isTrue();
    assertThat(officer.stream().mapToLong(x -> x.getLong(1)).sum()).isEqualTo(all);
    assertThat(officer.get(1).getLong(1)).isEqualTo(count(spark, "officer_defined_ethnicity = 'Black'"));
    // no ratio is called a difference unless its interval excludes 1
    assertThat(spark.sql("SELECT count(*) FROM gold.disparity WHERE (difference = 'higher' AND ratio_ci_low <= 1) OR "
        + "(difference = 'lower' AND ratio_ci_high >= 1) OR (difference = 'not significant' AND (ratio_ci_low > 1 OR "
        + "ratio_ci_high < 1))").head().getLong(0)).isZero();
    // both forces, both bases, year and month
    assertThat(spark.sql("SELECT count(DISTINCT area_code), count(DISTINCT ethnicity_basis), count(DISTINCT period_type) "
        + "FROM gold.disparity").head()).extracting(x -> x.getLong(0) + " " + x.getLong(1) + " " + x.getLong(2))
        .isEqualTo("2 2 2");

    // unchanged inputs: a no-op; the page, with the Metropolitan ratio as the table holds it
    assertThat(Warehouses.run(DisparityJob.JOB, p.asMap(), ctx -> DisparityJob.run(ctx, p)).status()).isEqualTo("noop");
    String[] page = IlpCommandTestAccess.execute("report", "disparity", "--warehouse",
        SparkTestSupport.warehouse().toString());
    assertThat(page[0]).as(page[2]).isEqualTo("0");
    String html = Files.readString(java.nio.file.Path.of(page[1].strip()));
    assertThat(html).contains("Metropolitan \u2014 self-defined ethnicity")
        .contains(String.format(java.util.Locale.UK, "%.2f (%.2f\u2013%.2f)", ratio, exact.ciLow(), exact.ciHigh()));
  }
}
