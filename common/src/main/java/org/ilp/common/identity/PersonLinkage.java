package org.ilp.common.identity;

import static org.apache.spark.sql.functions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.graph.ConnectedComponents;
import org.ilp.common.spark.Keep;

/**
 * Which person records, from every agency, are the same person: Fellegi–Sunter record linkage (Fellegi &amp; Sunter
 * 1969, "A theory for record linkage", JASA 64(328)) in the form Splink uses, with the rules and weights of
 * {@code conf/identity/person_linkage.conf} (documented there).
 *
 * <ol>
 *   <li><b>Normalise</b>: names in upper-case ASCII letters (accents stripped, punctuation to spaces), the date of
 *       birth as {@code yyyy-MM-dd} (null when missing or not a date), sex M/F, postcode upper-case with one space.
 *   <li><b>Block</b>: candidate pairs share a blocking key ({@link #blockingKeys}); keys shared by more than
 *       {@code max-block-size} records are left out and counted.
 *   <li><b>Compare</b>: each field's level (names exact or Jaro–Winkler-similar in either order, date of birth exact,
 *       day/month swapped, same year, missing; sex; postcode exact or same district; national identifier); the match
 *       weight is the sum of {@code log2(m / u)} over the fields.
 *   <li><b>Link</b> pairs at or above {@code threshold-bits}, and <b>cluster</b> the links into entities: connected
 *       components (GraphX). An entity's id is the smallest record id in it.
 * </ol>
 *
 * <p>Input columns: {@code record_id} (unique), {@code given_name}, {@code family_name}, {@code dob} (string, ISO
 * date), {@code sex}, {@code postcode}, {@code national_id}, and optionally {@code document_number} (a travel
 * document); any may be null but the id.
 */
public final class PersonLinkage implements Serializable {
  private static final long serialVersionUID = 1L;
  static final List<String> FIELDS = List.of("name", "dob", "sex", "postcode", "national_id", "document");

  private final Map<String, Map<String, Double>> weights;
  private final double fuzzyThreshold;
  private final double thresholdBits;
  private final int maxBlockSize;

  PersonLinkage(Map<String, Map<String, Double>> weights, double fuzzyThreshold, double thresholdBits, int maxBlockSize) {
    this.weights = weights;
    this.fuzzyThreshold = fuzzyThreshold;
    this.thresholdBits = thresholdBits;
    this.maxBlockSize = maxBlockSize;
  }

  /** The rules of {@code conf/identity/person_linkage.conf}. */
  public static PersonLinkage fromConf() {
    return of(ConfigFactory.parseString(ConfFiles.readString("identity/person_linkage.conf")).getConfig("linkage"));
  }

  static PersonLinkage of(Config c) {
    Map<String, Map<String, Double>> w = new LinkedHashMap<>();
    for (String field : FIELDS) {
      Map<String, Double> levels = new LinkedHashMap<>();
      Config f = c.getConfig("levels." + field);
      for (String level : f.root().keySet()) {
        double m = f.getDouble(level + ".m");
        double u = f.getDouble(level + ".u");
        if (!(m > 0 && m <= 1 && u > 0 && u <= 1)) {
          throw new IllegalArgumentException("person_linkage.conf: " + field + "." + level + " needs 0 < m, u <= 1");
        }
        levels.put(level, Math.log(m / u) / Math.log(2));
      }
      w.put(field, levels);
    }
    return new PersonLinkage(w, c.getDouble("fuzzy-threshold"), c.getDouble("threshold-bits"), c.getInt("max-block-size"));
  }

  /** The weight in bits of a field's level. */
  public double bits(String field, String level) {
    Double b = weights.get(field).get(level);
    if (b == null) {
      throw new IllegalArgumentException("no level " + field + "." + level);
    }
    return b;
  }

  public double thresholdBits() {
    return thresholdBits;
  }

  /** The result: every record with its entity, the scored candidate pairs, and the blocks left out. */
  public record Result(Dataset<Row> entities, Dataset<Row> pairs, long blocksSkipped) {}

  /** Links {@code records} (see the class comment): record_id → entity_id, and the scored pairs. */
  public Result link(Dataset<Row> records) {
    Dataset<Row> n = Keep.MATERIALIZE.apply(normalise(records));
    Dataset<Row> keys = n.select(col("record_id"), explode(blockingKeys()).as("block"));
    Dataset<Row> sizes = keys.groupBy("block").agg(count(lit(1)).as("_size"));
    long skipped = sizes.where(col("_size").gt(maxBlockSize)).count();
    Dataset<Row> kept = keys.join(sizes.where(col("_size").between(2, maxBlockSize)).select("block"), "block");
    Dataset<Row> candidates = kept.as("a").join(kept.as("b"),
            col("a.block").equalTo(col("b.block")).and(col("a.record_id").lt(col("b.record_id"))))
        .select(col("a.record_id").as("id_l"), col("b.record_id").as("id_r")).distinct();
    Dataset<Row> pairs = Keep.MATERIALIZE.apply(score(candidates, n));
    Dataset<Row> links = pairs.where(col("match_bits").geq(thresholdBits));
    return new Result(ConnectedComponents.of(n.select("record_id"), links), pairs, skipped);
  }

  /** Adds the normalised fields used by the keys and comparisons (columns prefixed {@code n_}). */
  static Dataset<Row> normalise(Dataset<Row> r) {
    if (!java.util.Arrays.asList(r.columns()).contains("document_number")) { // a travel document: optional input
      r = r.withColumn("document_number", lit(null).cast("string"));
    }
    UserDefinedFunction name = udf((UDF1<String, String>) PersonLinkage::normaliseName, DataTypes.StringType);
    Column ng = name.apply(col("given_name"));
    Column nf = name.apply(col("family_name"));
    return r.withColumn("n_given", ng).withColumn("n_family", nf)
        .withColumn("n_name_lo", least(col("n_given"), col("n_family")))
        .withColumn("n_name_hi", greatest(col("n_given"), col("n_family")))
        .withColumn("n_dob", expr("CAST(try_to_timestamp(trim(dob), 'yyyy-MM-dd') AS DATE)"))
        .withColumn("n_dob_y", year(col("n_dob")))
        .withColumn("n_dob_dm", when(col("n_dob").isNotNull(), concat_ws("-",
            least(month(col("n_dob")), dayofmonth(col("n_dob"))).cast("string"),
            greatest(month(col("n_dob")), dayofmonth(col("n_dob"))).cast("string"))))
        .withColumn("n_sex", when(upper(trim(col("sex"))).isin("M", "MALE"), "M")
            .when(upper(trim(col("sex"))).isin("F", "FEMALE"), "F"))
        .withColumn("n_postcode", nullif(regexp_replace(upper(trim(col("postcode"))), "\\s+", " "), lit("")))
        .withColumn("n_district", split_part(col("n_postcode"), lit(" "), lit(1)))
        .withColumn("n_national_id", nullif(regexp_replace(upper(col("national_id")), "[^A-Z0-9]", ""), lit("")))
        .withColumn("n_document", nullif(regexp_replace(upper(col("document_number")), "[^A-Z0-9]", ""), lit("")));
  }

  /** Upper-case ASCII letters and single spaces; null when nothing is left. */
  static String normaliseName(String s) {
    if (s == null) {
      return null;
    }
    String t = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toUpperCase(java.util.Locale.ROOT)
        .replaceAll("[^A-Z]+", " ").trim();
    return t.isEmpty() ? null : t;
  }

  /** The blocking keys of a normalised record (see conf/identity/person_linkage.conf); nulls dropped. */
  static Column blockingKeys() {
    Column names = concat_ws("|", soundex(col("n_name_lo")), soundex(col("n_name_hi")));
    Column bothNames = col("n_name_lo").isNotNull().and(col("n_name_hi").isNotNull());
    return filter(array(
        when(col("n_national_id").isNotNull(), concat(lit("id|"), col("n_national_id"))),
        when(col("n_document").isNotNull(), concat(lit("doc|"), col("n_document"))),
        when(col("n_dob").isNotNull().and(bothNames),
            concat_ws("|", lit("dn"), col("n_dob_y").cast("string"), col("n_dob_dm"), names)),
        when(col("n_dob").isNotNull().and(col("n_given").isNotNull()),
            concat_ws("|", lit("dg"), col("n_dob").cast("string"), soundex(col("n_given")))),
        when(col("n_dob").isNotNull().and(col("n_family").isNotNull()),
            concat_ws("|", lit("df"), col("n_dob").cast("string"), soundex(col("n_family")))),
        when(col("n_district").isNotNull().and(bothNames), concat_ws("|", lit("nd"), names, col("n_district")))),
        x -> x.isNotNull());
  }

  /** Each candidate pair's comparison levels and match weight. */
  Dataset<Row> score(Dataset<Row> candidates, Dataset<Row> n) {
    Dataset<Row> l = n.select(prefixed(n, "l_"));
    Dataset<Row> r = n.select(prefixed(n, "r_"));
    Dataset<Row> j = candidates.join(l, col("id_l").equalTo(col("l_record_id")))
        .join(r, col("id_r").equalTo(col("r_record_id")));
    double ft = fuzzyThreshold;
    UserDefinedFunction names = udf((UDF4<String, String, String, String, String>) (g1, f1, g2, f2) ->
        nameLevel(g1, f1, g2, f2, ft), DataTypes.StringType);
    Dataset<Row> lv = j
        .withColumn("name_level", names.apply(col("l_n_given"), col("l_n_family"), col("r_n_given"), col("r_n_family")))
        .withColumn("dob_level", when(col("l_n_dob").isNull().or(col("r_n_dob").isNull()), "missing")
            .when(col("l_n_dob").equalTo(col("r_n_dob")), "exact")
            .when(col("l_n_dob_y").equalTo(col("r_n_dob_y")).and(col("l_n_dob_dm").equalTo(col("r_n_dob_dm"))), "swapped")
            .when(col("l_n_dob_y").equalTo(col("r_n_dob_y")), "year").otherwise("other"))
        .withColumn("sex_level", when(col("l_n_sex").isNull().or(col("r_n_sex").isNull()), "missing")
            .when(col("l_n_sex").equalTo(col("r_n_sex")), "same").otherwise("other"))
        .withColumn("postcode_level", when(col("l_n_postcode").isNull().or(col("r_n_postcode").isNull()), "missing")
            .when(col("l_n_postcode").equalTo(col("r_n_postcode")), "exact")
            .when(col("l_n_district").equalTo(col("r_n_district")), "district").otherwise("other"))
        .withColumn("national_id_level", when(col("l_n_national_id").isNull().or(col("r_n_national_id").isNull()), "missing")
            .when(col("l_n_national_id").equalTo(col("r_n_national_id")), "exact").otherwise("other"))
        .withColumn("document_level", when(col("l_n_document").isNull().or(col("r_n_document").isNull()), "missing")
            .when(col("l_n_document").equalTo(col("r_n_document")), "exact").otherwise("other"));
    Column bits = lit(0.0);
    for (String f : FIELDS) {
      bits = bits.plus(weightOf(f, col(f + "_level")));
    }
    return lv.withColumn("match_bits", bits).select(col("id_l"), col("id_r"), col("name_level"), col("dob_level"),
        col("sex_level"), col("postcode_level"), col("national_id_level"), col("document_level"), col("match_bits"));
  }

  private Column weightOf(String field, Column level) {
    Column c = null;
    for (Map.Entry<String, Double> e : weights.get(field).entrySet()) {
      c = c == null ? when(level.equalTo(e.getKey()), e.getValue()) : c.when(level.equalTo(e.getKey()), e.getValue());
    }
    return c.otherwise(lit(null).cast("double"));
  }

  private static Column[] prefixed(Dataset<Row> d, String p) {
    List<Column> out = new ArrayList<>();
    for (String c : d.columns()) {
      if (c.equals("record_id") || c.startsWith("n_")) {
        out.add(col(c).as(p + c));
      }
    }
    return out.toArray(Column[]::new);
  }

  /**
   * exact (same names, either order), fuzzy (each name within one edit or Jaro–Winkler ≥ threshold of its
   * counterpart, either order: Jaro–Winkler alone misses a slip in a three-letter name), other; null → other.
   */
  static String nameLevel(String g1, String f1, String g2, String f2, double threshold) {
    if (g1 == null || f1 == null || g2 == null || f2 == null) {
      return "other";
    }
    if ((g1.equals(g2) && f1.equals(f2)) || (g1.equals(f2) && f1.equals(g2))) {
      return "exact";
    }
    return (similar(g1, g2, threshold) && similar(f1, f2, threshold))
        || (similar(g1, f2, threshold) && similar(f1, g2, threshold)) ? "fuzzy" : "other";
  }

  private static final JaroWinklerSimilarity JW = new JaroWinklerSimilarity();
  private static final LevenshteinDistance ONE_EDIT = new LevenshteinDistance(1);

  static boolean similar(String a, String b, double threshold) {
    return ONE_EDIT.apply(a, b) >= 0 || JW.apply(a, b) >= threshold;
  }
}
