package org.ilp.common.assess;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * Assessment periods. A period is named by its type and its first day ({@code period} in every
 * gold table); its exposure is its number of days, so a 28-day February is compared with a 31-day
 * January as rates per day, not as raw counts.
 */
public enum Periods {
  WEEK(52), MONTH(12), QUARTER(4), YEAR(1);

  /** Periods per year (the seasonal lag of the year-on-year comparison). */
  public final int perYear;

  Periods(int perYear) {
    this.perYear = perYear;
  }

  public static Periods of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("period type must be week, month, quarter or year, got '" + name + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Spark's date_trunc unit for this type. */
  public String truncUnit() {
    return label();
  }

  /** First day of the period containing {@code d}. Weeks start on Monday (ISO 8601). */
  public LocalDate start(LocalDate d) {
    return switch (this) {
      case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> d.withDayOfMonth(1);
      case QUARTER -> d.withMonth(((d.getMonthValue() - 1) / 3) * 3 + 1).withDayOfMonth(1);
      case YEAR -> d.withDayOfYear(1);
    };
  }

  /** First day of the period {@code n} periods after the one starting at {@code start} (n may be negative). */
  public LocalDate plus(LocalDate start, int n) {
    return switch (this) {
      case WEEK -> start.plusWeeks(n);
      case MONTH -> start.plusMonths(n);
      case QUARTER -> start.plusMonths(3L * n);
      case YEAR -> start.plusYears(n);
    };
  }

  /** Number of days of the period starting at {@code start}: the exposure of the rate test. */
  public int days(LocalDate start) {
    return (int) ChronoUnit.DAYS.between(start, plus(start, 1));
  }

  /** The same period one year earlier (52 weeks earlier for weeks). */
  public LocalDate yearAgo(LocalDate start) {
    return plus(start, -perYear);
  }

  /**
   * The period type a text names by its syntax: {@code 2018} a year, {@code 2018-Q4} a quarter,
   * {@code 2018-W52} a week, {@code 2018-12} a month; null for a date ({@code 2018-12-01}), which any
   * type can start with.
   */
  public static Periods namedBy(String text) {
    String t = text.trim();
    if (t.matches("\\d{4}")) {
      return YEAR;
    } else if (t.matches("\\d{4}-[Qq][1-4]")) {
      return QUARTER;
    } else if (t.matches("\\d{4}-[Ww]\\d{2}")) {
      return WEEK;
    } else if (t.matches("\\d{4}-\\d{2}")) {
      return MONTH;
    }
    return null;
  }

  /** The type of a period as written: the one its syntax names, else {@code fallback} (a date). */
  public static Periods typeOf(String text, Periods fallback) {
    Periods named = namedBy(text);
    return named != null ? named : fallback;
  }

  /**
   * Parses a period as users write it: {@code 2018-12} or {@code 2018-12-01} (month),
   * {@code 2018-Q4} (quarter), {@code 2018} (year), {@code 2018-W52} or a date (week); the result is
   * the period's first day and must be one. A text that names another type (a quarter given where a
   * month is expected) is an error, never silently its first month.
   */
  public LocalDate parse(String text) {
    String t = text.trim();
    Periods named = namedBy(t);
    if (named != null && named != this) {
      throw new IllegalArgumentException("'" + text + "' is a " + named.label() + ", not a " + label()
          + (this == MONTH ? " (write a month as 2018-12)" : ""));
    }
    try {
      LocalDate d;
      if (named == YEAR) {
        d = LocalDate.of(Integer.parseInt(t), 1, 1);
      } else if (named == QUARTER) {
        d = LocalDate.of(Integer.parseInt(t.substring(0, 4)), (t.charAt(6) - '1') * 3 + 1, 1);
      } else if (named == WEEK) {
        d = LocalDate.of(Integer.parseInt(t.substring(0, 4)), 1, 4)
            .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(t.substring(6)))
            .with(DayOfWeek.MONDAY);
      } else if (named == MONTH) {
        d = YearMonth.parse(t).atDay(1);
      } else {
        d = LocalDate.parse(t);
      }
      if (!start(d).equals(d)) {
        throw new IllegalArgumentException("'" + text + "' is not the first day of a " + label()
            + " (did you mean " + start(d) + "?)");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("cannot read period '" + text + "' (use 2018-12, 2018-Q4, 2018 or 2018-W52)");
    }
  }

  /** How a period is written back: 2018-12, 2018-Q4, 2018, 2018-W52. */
  public String format(LocalDate start) {
    return switch (this) {
      case WEEK -> start.get(IsoFields.WEEK_BASED_YEAR) + "-W" + String.format(Locale.ROOT, "%02d",
          start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      case MONTH -> YearMonth.from(start).toString();
      case QUARTER -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
      case YEAR -> String.valueOf(start.getYear());
    };
  }
}
