package org.ilp.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Suppression#patterns}: the Spark side of disclosure control on a hand-made cube of two periods.
 * One table per (period type, period, jurisdiction); each must equal {@link DisclosureControl#suppress}
 * on its own cells.
 * <pre>
 *   Jan:        ALL  05  0501  0502          Feb: every count ≥ 3 → nothing suppressed
 *   N (nation)   9    9    4     5
 *   A            5    5    1     4      A × 0501 = 1 is primary; its relations need partners:
 *   B            4    4    3     1      B × 0502 = 1 is primary too — together they protect each other
 * </pre>
 */
@ExtendWith(SparkTestSupport.class)
class SuppressionTest {
  static final StructType CUBE = new StructType().add("period_type", DataTypes.StringType)
      .add("period", DataTypes.DateType).add("jurisdiction", DataTypes.StringType).add("level", DataTypes.StringType)
      .add("area_code", DataTypes.StringType).add("parent_code", DataTypes.StringType)
      .add("iccs_l1", DataTypes.StringType).add("iccs_l2", DataTypes.StringType).add("count", DataTypes.LongType);

  @Test
  void eachPeriodIsOneTableAndSmallCountsAreNeverPublished() {
    Date jan = Date.valueOf("2024-01-01");
    Date feb = Date.valueOf("2024-02-01");
    Object[][] jan0 = {{"N", null, 9, 9, 4, 5}, {"A", "N", 5, 5, 1, 4}, {"B", "N", 4, 4, 3, 1}};
    Object[][] feb0 = {{"N", null, 12, 12, 6, 6}, {"A", "N", 6, 6, 3, 3}, {"B", "N", 6, 6, 3, 3}};
    java.util.List<Row> rows = new java.util.ArrayList<>();
    for (Object[][] t : List.of(jan0, feb0)) {
      Date d = t == jan0 ? jan : feb;
      for (Object[] r : t) {
        String level = r[1] == null ? "national" : "regional";
        rows.add(row("month", d, "uk", level, r[0], r[1], "ALL", null, ((Integer) r[2]).longValue()));
        rows.add(row("month", d, "uk", level, r[0], r[1], "05", null, ((Integer) r[3]).longValue()));
        rows.add(row("month", d, "uk", level, r[0], r[1], "05", "0501", ((Integer) r[4]).longValue()));
        rows.add(row("month", d, "uk", level, r[0], r[1], "05", "0502", ((Integer) r[5]).longValue()));
      }
    }
    Map<String, String> status = new HashMap<>();
    for (Row r : Suppression.patterns(frame(CUBE, rows.toArray(Row[]::new)), 3).collectAsList()) {
      status.put(r.getDate(1) + "|" + r.getString(3) + "|" + (r.isNullAt(5) ? r.getString(4) : r.getString(5)),
          r.getString(6));
    }
    assertThat(status).hasSize(24);
    assertThat(status).containsEntry("2024-01-01|A|0501", "primary").containsEntry("2024-01-01|B|0502", "primary");
    // every relation that holds a suppressed cell holds at least two (A 0501 + A 0502 in A's offence tree, A 0501 +
    // B 0501 in the area tree, ...): nothing suppressed can be recomputed from a parent and its published siblings
    assertThat(status.get("2024-01-01|A|0502")).isNotEqualTo("published");
    assertThat(status.get("2024-01-01|B|0501")).isNotEqualTo("published");
    // February has no small count: all published, whatever January needed
    assertThat(status.entrySet()).filteredOn(e -> e.getKey().startsWith("2024-02")).allMatch(e -> e.getValue()
        .equals("published"));
    // no count in 1..2 is published
    assertThat(status).doesNotContainEntry("2024-01-01|A|0501", "published");
  }
}
