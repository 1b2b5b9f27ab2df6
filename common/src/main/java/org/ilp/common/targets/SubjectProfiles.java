package org.ilp.common.targets;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The subject profile of the National Intelligence Model (NIM; ACPO/NCPE, "Guidance on the National Intelligence
 * Model", 2005: a subject profile gathers what is known of a person of interest) for every pseudonymous person: one
 * row with their offences by ICCS section, victimisations, areas, timeline, associates, border movements, prison
 * releases and the intelligence reports naming them with their 3×5×2 grading — every agency's records of the person
 * side by side, by pseudonym only.
 *
 * <p>Whole history (any date): a profile is a person's record, not a window's count.
 */
public final class SubjectProfiles {
  private SubjectProfiles() {}

  /**
   * {@code mentions}: silver.person_mentions rows with {@code area_code}; {@code network}: the window's links
   * (person_a, person_b, component_id: {@link OffenderNetwork#components}). Returns one row per person: person_key,
   * sources, first_seen, last_seen, offences, offences_by_iccs_l1, victimisations, areas, associates,
   * associate_keys, network_id, border_crossings, last_crossing, crossing_points, releases, last_release,
   * supervision_end, intelligence_reports, last_report, best_source_evaluation, best_assessment.
   */
  public static Dataset<Row> of(Dataset<Row> mentions, Dataset<Row> network) {
    Dataset<Row> offences = Mentions.incidents(mentions, "suspect", "arrestee");
    Dataset<Row> byGroup = offences.withColumn("iccs_l1", substring(col("iccs_l2"), 1, 2))
        .groupBy("person_key", "iccs_l1").agg(count(lit(1)).as("n"))
        .groupBy("person_key").agg(count(lit(1)).as("_groups"), sum("n").as("offences"),
            map_from_entries(array_sort(collect_list(struct(coalesce(col("iccs_l1"), lit("??")), col("n")))))
                .as("offences_by_iccs_l1"));
    Dataset<Row> victim = Mentions.incidents(mentions, "victim").groupBy("person_key")
        .agg(count(lit(1)).as("victimisations"));
    Column isBorder = col("source").equalTo(Mentions.BORDER);
    Column isRelease = col("source").equalTo("prison_releases");
    Column isIntel = col("source").equalTo(Mentions.INTELLIGENCE);
    Dataset<Row> all = mentions.groupBy("person_key").agg(
        array_sort(collect_set("source")).as("sources"), min("event_date").as("first_seen"),
        max("event_date").as("last_seen"), array_sort(collect_set("area_code")).as("areas"),
        count(when(isBorder, 1)).as("border_crossings"), max(when(isBorder, col("event_date"))).as("last_crossing"),
        array_sort(collect_set(when(isBorder, col("crossing_point")))).as("crossing_points"),
        count(when(isRelease, 1)).as("releases"), max(when(isRelease, col("event_date"))).as("last_release"),
        max(when(isRelease, col("supervision_end"))).as("supervision_end"),
        count_distinct(when(isIntel, col("record_id"))).as("intelligence_reports"),
        max(when(isIntel, col("event_date"))).as("last_report"),
        min(when(isIntel, col("source_evaluation"))).as("best_source_evaluation"),
        min(when(isIntel, col("intelligence_assessment"))).as("best_assessment"));
    Dataset<Row> links = network.select(col("person_a").as("person_key"), col("person_b").as("other"),
            col("component_id"))
        .union(network.select(col("person_b").as("person_key"), col("person_a").as("other"), col("component_id")))
        .groupBy("person_key").agg(count_distinct(col("other")).as("associates"),
            array_sort(collect_set("other")).as("associate_keys"), min("component_id").as("network_id"));
    return all.join(byGroup, new String[] {"person_key"}, "left").join(victim, new String[] {"person_key"}, "left")
        .join(links, new String[] {"person_key"}, "left")
        .withColumn("offences", coalesce(col("offences"), lit(0L)))
        .withColumn("victimisations", coalesce(col("victimisations"), lit(0L)))
        .withColumn("associates", coalesce(col("associates"), lit(0L)))
        .drop("_groups");
  }
}
