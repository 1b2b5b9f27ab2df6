package org.ilp.common.assess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.ilp.common.stats.PoissonRateTest;

/**
 * Disparity in stop and search: searches per 1,000 residents of each ethnic group, per force and period, set against
 * the White group's rate, and the share of searches that end in no further action (a search that finds nothing is
 * the cost a group bears; a higher share for a group searched more often suggests a lower threshold of suspicion).
 *
 * <p>Rate: {@code r_g = 1000 x_g / N_g} with {@code x_g} the group's searches in the period and {@code N_g} its usual
 * residents (Census 2011). Ratio to White: {@code RR = (x_g / N_g) / (x_W / N_W)} with the exact interval and p-value
 * of the conditional binomial test of two Poisson rates ({@link PoissonRateTest#test}: R's
 * {@code poisson.test(c(x_g, x_W), c(N_g, N_W))}); a group's rate is called higher or lower only when the 95% interval
 * excludes 1. No-further-action share: {@code k / x_g} with the exact Clopper–Pearson interval
 * ({@link PoissonRateTest#binomialInterval}). Two bases: self-defined ethnicity (the person's answer in the 18 Census
 * categories, grouped by their prefix; "Not stated" and blanks are Not stated), which the Home Office's statistics use,
 * and officer-defined ethnicity (the officer's perception, four groups; its Other is set against the Mixed and Other
 * residents, as officers record no Mixed group). Searches whose ethnicity is not stated count in
 * {@code searches_all} only: the rates are lower bounds where many are unstated.
 */
public final class Disparity {
  private Disparity() {}

  public static final String WHITE = "White";
  public static final String NOT_STATED = "Not stated";
  public static final List<String> GROUPS = List.of(WHITE, "Black", "Asian", "Mixed", "Other");

  /** The group of a self-defined value ("Black/African/Caribbean/Black British - African" → Black). */
  public static Column selfDefinedGroup(Column v) {
    Column s = lower(v);
    return when(s.startsWith("white"), lit(WHITE)).when(s.startsWith("black"), lit("Black"))
        .when(s.startsWith("asian"), lit("Asian")).when(s.startsWith("mixed"), lit("Mixed"))
        .when(s.contains("not stated"), lit(NOT_STATED)).when(s.startsWith("other"), lit("Other"))
        .otherwise(lit(NOT_STATED));
  }

  /** The group of an officer-defined value (White, Black, Asian, Other; blank: Not stated). */
  public static Column officerDefinedGroup(Column v) {
    Column s = lower(v);
    return when(s.equalTo("white"), lit(WHITE)).when(s.equalTo("black"), lit("Black"))
        .when(s.equalTo("asian"), lit("Asian")).when(s.equalTo("other"), lit("Other")).otherwise(lit(NOT_STATED));
  }

  /** Whether an outcome is no further action ("A no further action disposal", "Nothing found - no further action"). */
  public static Column noFurtherAction(Column outcome) {
    return lower(outcome).contains("no further action");
  }

  /**
   * Searches per (period type, period, force, basis, group) from silver.stop_search rows (columns
   * {@code source_area_code, period_month, self_defined_ethnicity, officer_defined_ethnicity, outcome}): columns
   * period_type, period, area_code, ethnicity_basis, ethnic_group, searches, nfa_searches, months.
   */
  public static Dataset<Row> counts(Dataset<Row> stops) {
    // one scan: each search as four (period type, basis) copies, counted in one aggregation
    Column year = trunc(col("period_month"), "year");
    Column copies = functions.explode(functions.array(
        copy("year", year, "self_defined", selfDefinedGroup(col("self_defined_ethnicity"))),
        copy("year", year, "officer_defined", officerDefinedGroup(col("officer_defined_ethnicity"))),
        copy("month", col("period_month"), "self_defined", selfDefinedGroup(col("self_defined_ethnicity"))),
        copy("month", col("period_month"), "officer_defined", officerDefinedGroup(col("officer_defined_ethnicity")))));
    Dataset<Row> c = stops.select(copies.as("c"), col("source_area_code").as("area_code"),
            noFurtherAction(col("outcome")).as("nfa"))
        .groupBy(col("c.period_type").as("period_type"), col("c.period").as("period"), col("area_code"),
            col("c.ethnicity_basis").as("ethnicity_basis"), col("c.ethnic_group").as("ethnic_group"))
        .agg(count(lit(1)).as("searches"), sum(when(col("nfa"), 1L).otherwise(0L)).as("nfa_searches"));
    // months with searches of the force: a month period has one; a year, as many as it has
    Dataset<Row> months = stops.groupBy(year.as("m_period"), col("source_area_code").as("m_area"))
        .agg(countDistinct(col("period_month")).cast("int").as("year_months"));
    return c.join(months, c.col("period_type").equalTo("year").and(c.col("period").equalTo(months.col("m_period")))
            .and(c.col("area_code").equalTo(months.col("m_area"))), "left")
        .withColumn("months", when(col("period_type").equalTo("month"), lit(1)).otherwise(col("year_months")))
        .select("period_type", "period", "area_code", "ethnicity_basis", "ethnic_group", "searches", "nfa_searches",
            "months");
  }

  private static Column copy(String type, Column period, String basis, Column group) {
    return functions.struct(lit(type).as("period_type"), period.as("period"), lit(basis).as("ethnicity_basis"),
        group.as("ethnic_group"));
  }

  /** Census residents of a force by group (White, Mixed, Asian, Black, Other). */
  public record Population(String areaCode, String areaName, Map<String, Long> byGroup) {
    /** Residents of {@code group} on {@code basis} (officer-defined Other: Mixed + Other); null for Not stated. */
    public Long of(String basis, String group) {
      if (group.equals(NOT_STATED)) {
        return null;
      }
      if (basis.equals("officer_defined") && group.equals("Other")) {
        return byGroup.get("Mixed") + byGroup.get("Other");
      }
      return byGroup.get(group);
    }
  }

  /**
   * The rows of gold.disparity (without run_id) from {@link #counts} collected and the forces' populations: rates,
   * ratios to White with exact intervals, no-further-action shares with exact intervals. Forces without a
   * population are left out (the caller reports them).
   */
  public static List<Row> rates(List<Row> counts, Map<String, Population> populations) {
    // (period type, period, force, basis) → group → {searches, nfa, months}
    Map<List<Object>, Map<String, long[]>> cells = new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (Row r : counts) {
      List<Object> k = List.of(r.getString(0), r.getDate(1), r.getString(2), r.getString(3));
      cells.computeIfAbsent(k, x -> new HashMap<>()).put(r.getString(4),
          new long[] {r.getLong(5), r.getLong(6), r.getInt(7)});
    }
    List<Row> out = new ArrayList<>();
    for (var e : cells.entrySet()) {
      String type = (String) e.getKey().get(0);
      java.sql.Date period = (java.sql.Date) e.getKey().get(1);
      String area = (String) e.getKey().get(2);
      String basis = (String) e.getKey().get(3);
      Population pop = populations.get(area);
      if (pop == null) {
        continue;
      }
      Map<String, long[]> g = e.getValue();
      long all = g.values().stream().mapToLong(v -> v[0]).sum();
      int months = (int) g.values().iterator().next()[2];
      long whiteSearches = g.getOrDefault(WHITE, new long[3])[0];
      long whitePop = pop.of(basis, WHITE);
      List<String> groups = new ArrayList<>(basis.equals("officer_defined") ? List.of(WHITE, "Black", "Asian", "Other")
          : GROUPS);
      groups.add(NOT_STATED);
      for (String group : groups) {
        long[] v = g.getOrDefault(group, new long[3]);
        Long n = pop.of(basis, group);
        Double rate = n == null ? null : 1000.0 * v[0] / n;
        Double ratio = null;
        Double low = null;
        Double high = null;
        Double p = null;
        String difference = null;
        if (n != null && !group.equals(WHITE) && v[0] + whiteSearches > 0) {
          PoissonRateTest.Result t = PoissonRateTest.test(v[0], n, whiteSearches, whitePop);
          ratio = t.rateRatio();
          low = t.ciLow();
          high = t.ciHigh();
          p = t.pValue();
          difference = low > 1 ? "higher" : high < 1 ? "lower" : "not significant";
        } else if (group.equals(WHITE)) {
          ratio = 1.0;
        }
        Double share = v[0] == 0 ? null : (double) v[1] / v[0];
        double[] ci = v[0] == 0 ? null : PoissonRateTest.binomialInterval((int) v[1], (int) v[0], 0.95);
        out.add(RowFactory.create(type, period, months, area, pop.areaName(), basis, group, v[0], all, n, rate, ratio,
            low, high, p, difference, v[1], share, ci == null ? null : ci[0], ci == null ? null : ci[1]));
      }
    }
    return out;
  }
}
