package org.ilp.common.targets;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ilp.common.spatial.AreaIndex;

/**
 * The person mentions the ILP targets are computed from (silver.person_mentions rows and an {@code area_code}): which
 * are offences, victimisations, and linking events.
 */
public final class Mentions {
  /** The source whose rows are persons of police incidents (roles suspect, arrestee, victim, witness). */
  public static final String POLICE = "police_persons";
  public static final String INTELLIGENCE = "intelligence_reports";
  public static final String BORDER = "border_crossings";

  private Mentions() {}

  /**
   * Adds {@code area_code}: the regional area (force area, police district) containing the mention's location, by
   * point in polygon ({@link AreaIndex}); null where the record has no location (border, prisons) or lies outside.
   */
  public static Dataset<Row> withArea(Dataset<Row> mentions, AreaIndex index) {
    return mentions.withColumn("_areas", index.lookup(mentions.sparkSession(), col("lon"), col("lat")))
        .withColumn("area_code", col("_areas.regional")).drop("_areas");
  }

  /** Rows dated within [from, to] (inclusive days). */
  static Column within(LocalDate from, LocalDate to) {
    return col("event_date").between(lit(Date.valueOf(from)), lit(Date.valueOf(to)));
  }

  /**
   * One row per person and police incident in a role: person_key, incident_ref, event_date, iccs_l2, area_code (a
   * person recorded twice in one incident, as suspect and as arrestee, offended once).
   */
  static Dataset<Row> incidents(Dataset<Row> mentions, String... roles) {
    return mentions.where(col("source").equalTo(POLICE).and(col("role").isin((Object[]) roles))
            .and(col("incident_ref").isNotNull()).and(col("person_key").isNotNull()))
        .groupBy("person_key", "incident_ref").agg(min("event_date").as("event_date"), min("iccs_l2").as("iccs_l2"),
            min("area_code").as("area_code"));
  }
}
