package org.ilp.common.identity;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.privacy.Pseudonyms;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.table.Tables;

/**
 * Person mentions: every person record of every person source in one layout, resolved to persons and split into the
 * pseudonymous rows of {@code silver.person_mentions} and the clear identifiers of {@code vault.person_identities}.
 *
 * <p>A mention is one person in one record: a person row of an incident, a subject of an intelligence report (a
 * report naming three persons is three mentions, {@code <report id>#1..3}), a traveller of a border crossing, a
 * released prisoner. Each source's spec gives the canonical fields ({@code conf/sources/*.conf}); a field a source
 * does not have is null.
 */
public final class PersonMentions {
  private PersonMentions() {}

  /** The working layout of a mention (clear identifiers included): name and type, in order. */
  public static final StructType LAYOUT = new StructType()
      .add("mention_id", DataTypes.StringType).add("source", DataTypes.StringType)
      .add("record_id", DataTypes.StringType).add("agency_code", DataTypes.StringType)
      .add("agency_level", DataTypes.StringType).add("event_date", DataTypes.DateType)
      .add("role", DataTypes.StringType).add("given_name", DataTypes.StringType)
      .add("family_name", DataTypes.StringType).add("date_of_birth", DataTypes.DateType)
      .add("sex", DataTypes.StringType).add("postcode", DataTypes.StringType)
      .add("national_id", DataTypes.StringType).add("document_number", DataTypes.StringType)
      .add("vehicle_registration", DataTypes.StringType).add("incident_ref", DataTypes.StringType)
      .add("source_category", DataTypes.StringType).add("iccs_l1", DataTypes.StringType)
      .add("iccs_l2", DataTypes.StringType).add("lon", DataTypes.DoubleType).add("lat", DataTypes.DoubleType)
      .add("source_evaluation", DataTypes.IntegerType).add("intelligence_assessment", DataTypes.StringType)
      .add("handling_code", DataTypes.StringType).add("crossing_point", DataTypes.StringType)
      .add("direction", DataTypes.StringType).add("co_travellers", DataTypes.createArrayType(DataTypes.StringType))
      .add("establishment", DataTypes.StringType).add("sentence_months", DataTypes.IntegerType)
      .add("supervision_end", DataTypes.DateType).add("source_file", DataTypes.StringType)
      .add("source_row_number", DataTypes.LongType).add("file_checksum", DataTypes.StringType);

  /** Clear identifiers: only in vault.person_identities (and the raw bronze records they came from). */
  public static final Set<String> IDENTIFIERS = Set.of("given_name", "family_name", "date_of_birth", "postcode",
      "national_id", "document_number", "vehicle_registration");

  /**
   * The mentions of one source's records that passed its rules (canonical columns and bronze lineage): one row per
   * record, or per subject of an intelligence report ({@code subjects}: array of given_name, family_name,
   * date_of_birth, role).
   */
  public static Dataset<Row> of(Dataset<Row> records, SourceSpec spec) {
    Set<String> has = Set.of(records.columns());
    Dataset<Row> d = records.withColumn("source", lit(spec.name()))
        .withColumn("source_file", col("_source_file")).withColumn("source_row_number", col("_row_number"))
        .withColumn("file_checksum", col("_file_checksum"));
    if (has.contains("subjects")) {
      d = d.select(col("*"), posexplode(col("subjects")).as(new String[] {"_pos", "_subject"}))
          .withColumn("mention_id", concat(col("record_id"), lit("#"), col("_pos").plus(1).cast("string")))
          .withColumn("given_name", col("_subject.given_name")).withColumn("family_name", col("_subject.family_name"))
          .withColumn("date_of_birth", expr("to_date(try_to_timestamp(_subject.date_of_birth, 'yyyy-MM-dd'))"))
          .withColumn("role", lower(col("_subject.role")));
    } else {
      d = d.withColumn("mention_id", col("record_id"));
    }
    Set<String> now = Set.of(d.columns());
    List<Column> out = new ArrayList<>();
    for (StructField f : LAYOUT.fields()) {
      out.add((now.contains(f.name()) ? col(f.name()).cast(f.dataType()) : lit(null).cast(f.dataType())).as(f.name()));
    }
    return d.select(out.toArray(Column[]::new));
  }

  /** The input of {@link PersonLinkage#link}: one row per mention. */
  public static Dataset<Row> linkageInput(Dataset<Row> mentions) {
    return mentions.select(col("mention_id").as("record_id"), col("given_name"), col("family_name"),
        date_format(col("date_of_birth"), "yyyy-MM-dd").as("dob"), col("sex"), col("postcode"), col("national_id"), col("document_number"));
  }

  /**
   * The mentions with their person: {@code person_key} = the pseudonym of the entity the linkage found (namespace
   * {@code person}), and {@code match_bits}, the strongest link of the mention.
   */
  public static Dataset<Row> resolved(Dataset<Row> mentions, PersonLinkage.Result linked, double thresholdBits,
      Pseudonyms pseudonyms) {
    Dataset<Row> links = linked.pairs().where(col("match_bits").geq(thresholdBits));
    Dataset<Row> best = links.select(col("id_l").as("mention_id"), col("match_bits"))
        .union(links.select(col("id_r").as("mention_id"), col("match_bits")))
        .groupBy("mention_id").agg(max("match_bits").as("match_bits"));
    return mentions.join(linked.entities().withColumnRenamed("record_id", "mention_id"), "mention_id")
        .withColumn("person_key", pseudonym(pseudonyms, "person").apply(col("entity_id")))
        .join(best, new String[] {"mention_id"}, "left");
  }

  /** The rows of silver.person_mentions: pseudonyms and coarsened fields only. */
  public static Dataset<Row> silver(Dataset<Row> resolved, Pseudonyms pseudonyms, String runId) {
    Column pc = regexp_replace(upper(col("postcode")), "\\s+", "");
    return resolved
        .withColumn("birth_year", year(col("date_of_birth")))
        // the outward code: all but the inward code's three characters (whatever the spacing as recorded)
        .withColumn("postcode_district", when(length(pc).gt(3), pc.substr(lit(1), length(pc).minus(3))))
        .withColumn("document_key", pseudonym(pseudonyms, "document").apply(col("document_number")))
        .withColumn("vehicle_key", pseudonym(pseudonyms, "vehicle").apply(col("vehicle_registration")))
        .withColumn("run_id", lit(runId))
        .select(Tables.SILVER_PERSON_MENTIONS.selection());
  }

  /** The rows of vault.person_identities. */
  public static Dataset<Row> vault(Dataset<Row> resolved, String runId) {
    return resolved.withColumn("run_id", lit(runId)).select(Tables.VAULT_PERSON_IDENTITIES.selection());
  }

  static UserDefinedFunction pseudonym(Pseudonyms p, String namespace) {
    return udf((UDF1<String, String>) v -> p.of(namespace, v), DataTypes.StringType);
  }
}
