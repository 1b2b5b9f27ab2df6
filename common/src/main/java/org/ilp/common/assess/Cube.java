package org.ilp.common.assess;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.ilp.common.ref.Reference;

/**
 * Area attribution and the count cube behind every assessment table.
 *
 * <h2>Attribution (recording, as official police-recorded crime statistics)</h2>
 * An incident counts for the area of the agency that recorded it, not for where its point falls:
 * <ul>
 *   <li>regional = {@code source_area_code} when that is a regional area (police.uk "Falls within"
 *       force, Chicago's "District"); otherwise {@code <national>#unallocated} (PSNI, which polices a
 *       whole nation; BTP, a national body without territory; a Chicago row without a district);</li>
 *   <li>national = the parent of that regional area, or the source area when it is national (PSNI),
 *       or else the point-in-polygon national area (BTP), or else {@code <jurisdiction>#unallocated};</li>
 *   <li>local = {@code area_local} (police.uk's LSOA, Chicago's beat from the point-in-polygon join)
 *       when the local area belongs to the incident's regional area, else {@code <regional>#unallocated}.
 *       A local area belongs to the regional area that recorded most of its incidents (ties: smallest
 *       code), so every local area has exactly one parent and the hierarchy is a tree.</li>
 * </ul>
 * The {@code #unallocated} rows make every total the exact sum of its parts, which both the
 * completeness figures and disclosure control rely on.
 *
 * <h2>Cube</h2>
 * One row per (period_type, period, jurisdiction, level, area, offence node) with count, harm and the
 * number of incidents whose point lies in a known area ({@code located}). Offence nodes: all crime
 * ({@code iccs_l1 = 'ALL'}, {@code iccs_l2} null), ICCS level 1 ({@code iccs_l2} null) and level 2.
 * Only notifiable crime counts ({@code is_crime}); anti-social behaviour and Chicago's non-criminal
 * records are excluded.
 */
public final class Cube {
  public static final String ALL = Reference.ALL;
  public static final String UNALLOCATED = "#unallocated";

  /** A cube's columns, in order. */
  private static final Column[] COLUMNS = java.util.stream.Stream.of("period_type", "period", "jurisdiction", "level",
      "area_code", "parent_code", "iccs_l1", "iccs_l2", "count", "harm", "located").map(c -> col(c)).toArray(Column[]::new);

  private Cube() {}

  /** The columns of {@link #counts} that identify a group of incidents (gold.crime_counts' key). */
  public static final List<String> COUNT_KEYS = org.ilp.common.table.Tables.GOLD_CRIME_COUNTS.keys();

  /**
   * Notifiable crime counted per group of what attribution and the cubes read ({@link #COUNT_KEYS}): the
   * assessment's one pass over silver, kept as gold.crime_counts so that a new month costs a count of its changes,
   * not a re-read of every month. Rows must have the silver columns; each weighs {@code weight} (1 for silver's
   * rows, ±1 for a change feed's inserts and deletes) and groups that sum to 0 are dropped.
   */
  public static Dataset<Row> counts(Dataset<Row> incidents, Column weight) {
    return incidents.where(col("is_crime"))
        .withColumn("occurred_date", when(col("time_precision").notEqual("month"), Reference.localDate()))
        .groupBy(COUNT_KEYS.stream().map(c -> col(c)).toArray(Column[]::new))
        .agg(sum(weight).cast("long").as("incidents"))
        .where(col("incidents").notEqual(0));
  }

  /**
   * Counted incidents ({@link #counts}) with their attributed areas and harm weight; each row still weighs
   * {@code incidents}.
   *
   * @param counts    {@link #counts} of silver.incidents (gold.crime_counts)
   * @param areas     ref.areas (area_code, level, parent_code)
   * @param harm      iccs_l2, weight
   * @param jurisdictions source name → jurisdiction ({@link Reference#jurisdictions})
   */
  public static Dataset<Row> attributed(Dataset<Row> counts, Dataset<Row> areas, Dataset<Row> harm,
      Map<String, String> jurisdictions) {
    Column jur = Reference.mapped(jurisdictions, col("source"), lit(null).cast("string"));
    Dataset<Row> lv = areas.select(col("area_code").as("_s_code"), col("level").as("_s_level"),
        col("parent_code").as("_s_parent"));
    Dataset<Row> d = counts
        .select(col("source"), jur.as("jurisdiction"), col("agency_code"), col("source_area_code"),
            col("area_local"), col("area_national").as("_pip_national"), col("area_match"), col("iccs_l1"),
            col("iccs_l2"), col("period_month"), col("time_precision"), col("occurred_date"), col("incidents"))
        .join(broadcast(lv), col("source_area_code").equalTo(col("_s_code")), "left");
    Column national = coalesce(when(col("_s_level").equalTo("regional"), col("_s_parent")),
        when(col("_s_level").equalTo("national"), col("source_area_code")), col("_pip_national"));
    d = d.withColumn("national", coalesce(national, concat(col("jurisdiction"), lit(UNALLOCATED))))
        .withColumn("regional", when(col("_s_level").equalTo("regional"), col("source_area_code"))
            .when(national.isNotNull(), concat(national, lit(UNALLOCATED))))
        .drop("_s_code", "_s_level", "_s_parent", "_pip_national");
    // each local area's parent: the regional area that recorded most of its incidents
    Dataset<Row> parent = d.where(col("area_local").isNotNull().and(not(col("regional").endsWith(UNALLOCATED))))
        .groupBy(col("area_local").as("_l_code"), col("regional").as("_l_parent")).agg(sum("incidents").as("count"))
        .withColumn("_rk", row_number().over(Window.partitionBy("_l_code")
            .orderBy(col("count").desc(), col("_l_parent"))))
        .where(col("_rk").equalTo(1)).drop("_rk", "count");
    Dataset<Row> w = harm.select(col("iccs_l2").as("_h_l2"), col("weight").cast("double").as("harm_weight"));
    return d.join(parent, col("area_local").equalTo(col("_l_code")), "left")
        .withColumn("local", when(col("regional").isNull().or(col("regional").endsWith(UNALLOCATED)), lit(null))
            .when(col("_l_parent").equalTo(col("regional")), col("area_local"))
            .otherwise(concat(col("regional"), lit(UNALLOCATED))))
        .drop("_l_code", "_l_parent")
        .join(broadcast(w), col("iccs_l2").equalTo(col("_h_l2")), "left").drop("_h_l2");
  }

  /**
   * The cube for one period type. Weeks use the local-time date and only dated sources (police.uk
   * gives months only, so it has no weekly cells).
   *
   * <p>One aggregation: each (period, area, offence) group of incidents is fanned out to the nine cells
   * it counts in (3 area levels × all crime, ICCS level 1, ICCS level 2) and the cells are summed in one
   * shuffle, instead of one shuffle per cell kind.
   */
  public static Dataset<Row> cube(Dataset<Row> attributed, Periods type) {
    Column period = switch (type) {
      case WEEK -> to_date(date_trunc("week", col("occurred_date")));
      case MONTH -> col("period_month");
      default -> to_date(date_trunc(type.truncUnit(), col("period_month")));
    };
    Dataset<Row> src = type == Periods.WEEK ? attributed.where(col("occurred_date").isNotNull()) : attributed;
    Dataset<Row> base = src.withColumn("period", period)
        .groupBy("period", "jurisdiction", "national", "regional", "local", "iccs_l1", "iccs_l2")
        .agg(sum("incidents").as("count"), sum(col("harm_weight").multiply(col("incidents"))).as("harm"),
            sum(when(col("area_match").equalTo("matched"), col("incidents")).otherwise(0)).cast("long").as("located"));
    String[][] levels = {{"national", "national", null}, {"regional", "regional", "national"},
        {"local", "local", "regional"}};
    List<Column> cells = new ArrayList<>();
    for (String[] l : levels) {
      Column parentCol = l[2] == null ? lit(null).cast("string") : col(l[2]);
      for (int o = 0; o < 3; o++) {
        Column l1 = o == 0 ? lit(ALL) : col("iccs_l1");
        Column l2 = o == 2 ? col("iccs_l2") : lit(null).cast("string");
        cells.add(struct(lit(l[0]).as("level"), col(l[1]).as("area_code"), parentCol.as("parent_code"), l1.as("iccs_l1"),
            l2.as("iccs_l2")));
      }
    }
    return summed(base.withColumn("_cell", explode(array(cells.toArray(Column[]::new))))
        .where(col("_cell.area_code").isNotNull())
        .groupBy(col("period"), col("jurisdiction"), col("_cell.level").as("level"), col("_cell.area_code").as("area_code"),
            col("_cell.parent_code").as("parent_code"), col("_cell.iccs_l1").as("iccs_l1"),
            col("_cell.iccs_l2").as("iccs_l2")), type);
  }

  /**
   * The cube of a longer period type (quarter, year) from the month cube: its cells are sums of the
   * months' cells (counts, harm and located are all additive).
   */
  public static Dataset<Row> fromMonths(Dataset<Row> monthCube, Periods type) {
    if (type == Periods.MONTH) {
      return monthCube;
    }
    if (type == Periods.WEEK) {
      throw new IllegalArgumentException("weeks do not nest in months");
    }
    return summed(monthCube.withColumn("period", to_date(date_trunc(type.truncUnit(), col("period"))))
        .groupBy("period", "jurisdiction", "level", "area_code", "parent_code", "iccs_l1", "iccs_l2"), type);
  }

  /** A cube's cells from their groups: counts, harm and located summed. */
  private static Dataset<Row> summed(org.apache.spark.sql.RelationalGroupedDataset cells, Periods type) {
    return cells.agg(sum("count").cast("long").as("count"), sum("harm").as("harm"),
            sum("located").cast("long").as("located"))
        .withColumn("period_type", lit(type.label())).select(COLUMNS);
  }

  /** Agencies that reported (any incident) per period and area (national and regional), and over all periods. */
  public static Dataset<Row> agencies(Dataset<Row> attributed, Periods type) {
    Column period = type == Periods.MONTH ? col("period_month")
        : to_date(date_trunc(type == Periods.WEEK ? "week" : type.truncUnit(),
            type == Periods.WEEK ? col("occurred_date") : col("period_month")));
    Dataset<Row> nat = attributed.select(period.as("period"), col("national").as("area_code"), col("agency_code"));
    Dataset<Row> reg = attributed.where(col("regional").isNotNull())
        .select(period.as("period"), col("regional").as("area_code"), col("agency_code"));
    Dataset<Row> u = nat.unionByName(reg).where(col("period").isNotNull());
    Dataset<Row> expected = u.groupBy("area_code").agg(countDistinct("agency_code").as("agencies_expected"));
    return u.groupBy("period", "area_code").agg(countDistinct("agency_code").as("agencies_reported"))
        .join(expected, "area_code");
  }

  /** Offence node of a cube row (level-2 code, level-1 code or ALL) and its parent node. */
  public static Column offenceNode() {
    return coalesce(col("iccs_l2"), col("iccs_l1"));
  }

  public static Column offenceParent() {
    return when(col("iccs_l2").isNotNull(), col("iccs_l1")).when(col("iccs_l1").notEqual(ALL), lit(ALL));
  }
}
