package org.ilp.common.curate;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.source.BronzeReader;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spatial.AreaIndex;

/**
 * The pure curation core: bronze rows of one source → typed canonical rows with a rule verdict,
 * a dedupe verdict and, for the winners, taxonomy codes, location quality and area codes.
 * No file or table IO here; {@code CurateJob} is the shell.
 *
 * <h2>Rules (in this order; a row fails on the first rule it breaks and goes to quarantine)</h2>
 * <ol>
 *   <li>Trimming: every raw value is trimmed; empty strings become null.</li>
 *   <li>{@code parse.<field>}: a non-blank raw value that does not parse (a month like
 *       {@code 2024-13}, a date like {@code 13/45/2024}, a longitude {@code abc}).</li>
 *   <li>{@code required.<field>}: a field the spec requires is blank (no month, no crime type).</li>
 *   <li>{@code taxonomy.unmapped}: the source category has no row in the spec's taxonomy file.</li>
 * </ol>
 * Coordinates are never corrected: missing, (0,0) and out-of-range points are kept as given,
 * flagged in {@code location_quality} ({@code missing | zero_zero | out_of_range | ok}), and get no
 * geometry; only {@code ok} points enter the spatial join.
 */
public final class Curation {
  private Curation() {}

  /** Coordinate bounds of a jurisdiction (from {@code ilp.curate.bounds.<jurisdiction>}). */
  public record Bounds(double minLon, double maxLon, double minLat, double maxLat) {
    /** {@code ilp.curate.bounds.<jurisdiction>} of the config. */
    public static Bounds of(com.typesafe.config.Config config, String jurisdiction) {
      com.typesafe.config.Config b = config.getConfig("ilp.curate.bounds." + jurisdiction);
      return new Bounds(b.getDouble("min-lon"), b.getDouble("max-lon"), b.getDouble("min-lat"), b.getDouble("max-lat"));
    }
  }

  /** Prefix of the raw (trimmed) bronze columns carried next to the canonical ones. */
  public static final String RAW = "raw__";

  /**
   * Step 1–2: trim, drop corrupt records (already quarantined at ingest), evaluate the spec's
   * canonical expressions. The raw values stay alongside as {@code raw__<column>} (for the parse
   * rules and the quarantine's raw text).
   */
  public static Dataset<Row> canonical(Dataset<Row> bronze, SourceSpec spec) {
    List<String> lineage = List.of("_source_file", "_file_checksum", "_row_number", "_ingest_run_id", "_ingested_at");
    List<Column> cleaned = new ArrayList<>();
    for (String c : spec.bronzeColumns()) {
      cleaned.add(nullif(trim(col(c)), lit("")).as(c));
    }
    lineage.forEach(c -> cleaned.add(col(c)));
    Dataset<Row> clean = bronze.where(col(BronzeReader.CORRUPT).isNull()).select(cleaned.toArray(Column[]::new));
    List<Column> out = new ArrayList<>();
    for (String c : spec.bronzeColumns()) {
      out.add(col(c).as(RAW + c));
    }
    lineage.forEach(c -> out.add(col(c)));
    for (Map.Entry<String, String> e : spec.canonical().entrySet()) {
      out.add(expr(e.getValue()).as(e.getKey()));
    }
    Column[] raw = spec.bronzeColumns().stream().map(c -> coalesce(col(c), lit("\u0000"))).toArray(Column[]::new);
    // the content fingerprint keys only the records without an id (a SHA-256 per record is not free): none of a
    // source whose records all have one (Chicago), police.uk's rows without a Crime ID, all of stop-and-search's
    Column hash = sha2(concat_ws("\u0001", raw), 256);
    String id = spec.canonical().get("source_record_id");
    out.add((!Dedupe.keysByContent(spec.dedupe()) ? lit(null).cast("string")
        : id == null ? hash : when(expr(id).isNull(), hash)).as("content_hash"));
    return clean.select(out.toArray(Column[]::new));
  }

  /** The raw values of the rows bound for ops.quarantine, as JSON with the bronze column names ({@link #withoutRaw}). */
  public static final String RAW_JSON = "_raw_json";

  /**
   * Step 5b, after the rules and the location quality: the raw values, as JSON, of the rows bound for
   * ops.quarantine (a broken rule, or coordinates flagged {@code zero_zero | out_of_range}) in
   * {@link #RAW_JSON}, null for the others; the {@code raw__} columns are dropped (the rows that go on to
   * dedupe and silver are half as wide).
   */
  public static Dataset<Row> withoutRaw(Dataset<Row> df, SourceSpec spec) {
    Column json = to_json(struct(spec.bronzeColumns().stream().map(c -> col(RAW + c).as(c)).toArray(Column[]::new)));
    return df.withColumn(RAW_JSON, when(col("rule").isNotNull()
            .or(col("location_quality").isin("zero_zero", "out_of_range")), json))
        .drop(spec.bronzeColumns().stream().map(c -> RAW + c).toArray(String[]::new));
  }

  /**
   * Step 3: taxonomy. Adds iccs_l1, iccs_l2, is_crime. {@code taxonomy} is ref.offence_taxonomy;
   * the spec's override scheme (keyed by {@code source_code}) wins over its category scheme.
   */
  public static Dataset<Row> withTaxonomy(Dataset<Row> df, SourceSpec spec, Dataset<Row> taxonomy) {
    if (spec.taxonomy() == null) {
      return df;
    }
    // categories match whatever their case and spacing ("  bURGLARY " is Burglary): agencies' exports vary in both
    Dataset<Row> byCat = taxonomy.where(col("scheme").equalTo(scheme(spec.taxonomy())))
        .select(categoryKey(col("source_category")).as("_t_cat"), col("iccs_l1").as("_c_l1"), col("iccs_l2").as("_c_l2"),
            col("is_crime").as("_c_crime"));
    Dataset<Row> j = df.join(broadcast(byCat), categoryKey(df.col("source_category")).equalTo(byCat.col("_t_cat")),
        "left");
    if (spec.taxonomyOverrides() != null) {
      Dataset<Row> byCode = taxonomy.where(col("scheme").equalTo(scheme(spec.taxonomyOverrides())))
          .select(col("source_category").as("_t_code"), col("iccs_l1").as("_o_l1"), col("iccs_l2").as("_o_l2"),
              col("is_crime").as("_o_crime"));
      j = j.join(broadcast(byCode), j.col("source_code").equalTo(byCode.col("_t_code")), "left")
          .withColumn("iccs_l1", coalesce(col("_o_l1"), col("_c_l1")))
          .withColumn("iccs_l2", coalesce(col("_o_l2"), col("_c_l2")))
          .withColumn("is_crime", when(col("_o_l2").isNotNull(), col("_o_crime")).otherwise(col("_c_crime")))
          .drop("_t_code", "_o_l1", "_o_l2", "_o_crime");
    } else {
      j = j.withColumn("iccs_l1", col("_c_l1")).withColumn("iccs_l2", col("_c_l2")).withColumn("is_crime", col("_c_crime"));
    }
    return j.drop("_t_cat", "_c_l1", "_c_l2", "_c_crime");
  }

  /** A category as the taxonomy matches it: trimmed, inner spaces single, lower case. */
  static Column categoryKey(Column c) {
    return lower(regexp_replace(trim(c), "\\s+", " "));
  }

  /** The ref.offence_taxonomy scheme name of a taxonomy file: its base name. */
  public static String scheme(String file) {
    String base = file.substring(file.lastIndexOf('/') + 1);
    return base.endsWith(".csv") ? base.substring(0, base.length() - 4) : base;
  }

  /** The longest field a record may have (characters): a longer one is a broken export, not data. */
  public static final int MAX_FIELD_CHARS = 10_000;

  /**
   * Step 4: the first rule each row breaks → {@code rule}, {@code reason} (null when it passes). Before the spec's
   * own rules, those every dump can break: a field holding NUL characters (binary data in a text field), a field longer
   * than {@link #MAX_FIELD_CHARS}; after them, a month after the current one (a date that cannot have happened yet)
   * and, for police.uk, a force the agency list (conf/areas/agencies.csv) does not know.
   */
  public static Dataset<Row> withRules(Dataset<Row> df, SourceSpec spec) {
    List<Column[]> rules = new ArrayList<>(); // {condition, rule, reason}
    // one condition each over every raw field; which field, only for the rows that break it (the reason)
    List<String> raws = spec.bronzeColumns();
    // contains, not instr: instr compares at every character position (and counts characters), contains scans bytes
    Column nul = raws.stream().map(c -> col(RAW + c).contains("\u0000")).reduce(Column::or).orElseThrow();
    Column nulField = lit(null).cast("string");
    for (int i = raws.size() - 1; i >= 0; i--) {
      nulField = when(col(RAW + raws.get(i)).contains("\u0000"), lit(raws.get(i))).otherwise(nulField);
    }
    rules.add(new Column[] {nul, lit("parse.control_characters"), concat(lit("field '"), nulField,
        lit("' holds NUL characters (binary data in a text field): a broken export"))});
    Column longest = functions.greatest(raws.stream().map(c -> coalesce(functions.length(col(RAW + c)), lit(0)))
        .toArray(Column[]::new));
    // characters are counted only in a record with a field of more bytes than that (a character is 1-4 bytes): a byte
    // length is known, a character count reads the field
    Column longestBytes = functions.greatest(raws.stream().map(c -> coalesce(functions.octet_length(col(RAW + c)),
        lit(0))).toArray(Column[]::new));
    rules.add(new Column[] {longestBytes.gt(MAX_FIELD_CHARS).and(longest.gt(MAX_FIELD_CHARS)), lit("parse.field_too_long"),
        concat(lit("a field is "), longest.cast("string"), lit(" characters long (at most " + MAX_FIELD_CHARS
            + "): a broken export (an unclosed quote?)"))});
    for (Map.Entry<String, String> e : spec.mustParse().entrySet()) {
      String field = e.getKey();
      String raw = e.getValue();
      rules.add(new Column[] {col(RAW + raw).isNotNull().and(col(field).isNull()), lit("parse." + field),
          concat(lit("cannot parse " + raw + " value '"), col(RAW + raw), lit("' as " + field))});
    }
    for (String field : spec.required()) {
      rules.add(new Column[] {col(field).isNull(), lit("required." + field),
          lit("required field " + field + " is blank")});
    }
    if (spec.taxonomy() != null) {
      rules.add(new Column[] {col("iccs_l2").isNull(), lit("taxonomy.unmapped"),
          concat(lit("category '"), coalesce(col("source_category"), lit("")), lit("'"),
              when(col("source_code").isNotNull(), concat(lit(" (code "), col("source_code"), lit(")"))).otherwise(lit("")),
              lit(" has no mapping in conf/" + spec.taxonomy() + "; add a row there"))});
    }
    if (Arrays.asList(df.columns()).contains("period_month")) {
      rules.add(new Column[] {col("period_month").gt(functions.trunc(functions.current_date(), "month")),
          lit("range.period_month"), concat(lit("month "), functions.date_format(col("period_month"), "yyyy-MM"),
              lit(" is after the current month: a date that cannot have happened yet"))});
    }
    Column agencyKnown = agencyKnown(spec);
    if (agencyKnown != null) {
      rules.add(new Column[] {functions.not(agencyKnown), lit("agency.unknown"),
          concat(lit("force '"), coalesce(col("police_uk_force_slug".equals(spec.sourceAreaMap()) ? "force_slug"
              : "reporting_agency"), lit("")), lit("' is not in conf/areas/agencies.csv: add it there"))});
    }
    // each condition is evaluated once (the rule); the reason is picked by the rule's name, for the rows that broke one
    Column rule = lit(null).cast("string");
    Column reason = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      Column[] r = rules.get(i);
      rule = when(r[0], r[1]).otherwise(rule);
      reason = when(col("rule").equalTo(r[1]), r[2]).otherwise(reason);
    }
    return df.withColumn("rule", rule).withColumn("reason", reason);
  }

  /** Whether the record's force is a known agency (police.uk sources), or null for sources without a force column. */
  static Column agencyKnown(SourceSpec spec) {
    List<Map<String, String>> agencies = org.ilp.common.ref.RefData.agencies();
    return switch (spec.sourceAreaMap()) {
      case "police_uk_force" -> col("reporting_agency").isin(agencies.stream().map(a -> a.get("agency_name")).toArray());
      case "police_uk_force_slug" -> col("force_slug").isin(agencies.stream().map(a -> a.get("agency_code")).toArray());
      default -> null;
    };
  }

  /** Step 5: location quality and the point geometry (only for {@code ok} points). */
  public static Dataset<Row> withLocation(Dataset<Row> df, Bounds b) {
    Column q = when(col("lon").isNull().or(col("lat").isNull()), lit("missing"))
        .when(col("lon").equalTo(0).and(col("lat").equalTo(0)), lit("zero_zero"))
        .when(col("lon").lt(b.minLon()).or(col("lon").gt(b.maxLon())).or(col("lat").lt(b.minLat()))
            .or(col("lat").gt(b.maxLat())), lit("out_of_range"))
        .otherwise(lit("ok"));
    return df.withColumn("location_quality", q)
        .withColumn("geom", when(col("location_quality").equalTo("ok"), expr("ST_Point(lon, lat)")));
  }

  /**
   * Step 7: area codes by point in polygon against ref.areas of the jurisdiction ({@link AreaIndex}: the
   * polygons broadcast and indexed, each point looked up in its row, no shuffle). Adds area_local (Chicago
   * beat; for police.uk the source's LSOA code, marked {@code area_local_method = 'source'}),
   * area_regional, area_community, area_national (the parent of the regional area) and area_match
   * ({@code matched | outside_all_areas | no_coordinates | invalid_coordinates}). Only {@code ok} points are
   * looked up. A point on a shared boundary takes the smallest code, so the result is deterministic.
   */
  public static Dataset<Row> withAreas(Dataset<Row> df, Dataset<Row> areas, String jurisdiction, boolean sourceLocal) {
    AreaIndex index = AreaIndex.of(areas, jurisdiction);
    Dataset<Row> parents = areas.where(col("level").equalTo("regional"))
        .select(col("area_code").as("_r_code"), col("parent_code").as("_r_parent"));
    Dataset<Row> j = df.withColumn("_pip", when(col("location_quality").equalTo("ok"),
            index.lookup(df.sparkSession(), col("lon"), col("lat"))))
        .join(broadcast(parents), col("_pip.regional").equalTo(col("_r_code")), "left");
    Column local = sourceLocal ? col("source_local_area") : col("_pip.local");
    return j
        .withColumn("area_local", local)
        .withColumn("area_local_method", when(local.isNull(), lit(null).cast("string"))
            .otherwise(lit(sourceLocal ? "source" : "spatial")))
        .withColumn("area_regional", col("_pip.regional"))
        .withColumn("area_national", col("_r_parent"))
        .withColumn("area_community", col("_pip.community"))
        .withColumn("area_match", when(col("location_quality").equalTo("missing"), lit("no_coordinates"))
            .when(col("location_quality").notEqual("ok"), lit("invalid_coordinates"))
            .when(col("_pip.regional").isNull(), lit("outside_all_areas"))
            .otherwise(lit("matched")))
        .drop("_pip", "_r_code", "_r_parent");
  }

  /** Agencies as a DataFrame: agency_code, agency_name, agency_level, agency_area_code. */
  public static Dataset<Row> agencies(SparkSession spark, List<Map<String, String>> rows) {
    StructType schema = new StructType().add("agency_code", DataTypes.StringType).add("agency_name", DataTypes.StringType)
        .add("agency_level", DataTypes.StringType).add("agency_area_code", DataTypes.StringType);
    List<Row> out = new ArrayList<>();
    for (Map<String, String> r : rows) {
      out.add(RowFactory.create(r.get("agency_code"), r.get("agency_name"), r.get("agency_level"), r.get("area_code")));
    }
    return spark.createDataFrame(out, schema);
  }

  /**
   * Step 6: who reported it and the area the source itself names, mapped to our codes
   * ({@code source_area_code}): police.uk "Falls within" → the force's PFA code; the stop-and-search
   * file name's force slug → PFA code; Chicago "District" → CHI-DIST-n.
   */
  public static Dataset<Row> withAgency(Dataset<Row> df, SourceSpec spec, Dataset<Row> agencies) {
    switch (spec.sourceAreaMap()) {
      case "police_uk_force": {
        Dataset<Row> a = agencies.select(col("agency_name").as("_ag_name"), col("agency_code"), col("agency_level"),
            col("agency_area_code").as("source_area_code"));
        return df.join(broadcast(a), df.col("reporting_agency").equalTo(a.col("_ag_name")), "left").drop("_ag_name");
      }
      case "police_uk_force_slug": {
        Dataset<Row> a = agencies.select(col("agency_code").as("_ag_code"), col("agency_name").as("reporting_agency"),
            col("agency_level"), col("agency_area_code").as("source_area_code"));
        return df.join(broadcast(a), df.col("force_slug").equalTo(a.col("_ag_code")), "left")
            .withColumn("agency_code", col("force_slug")).drop("_ag_code");
      }
      case "chicago_district":
        return df.withColumn("agency_code", lit("chicago-police")).withColumn("agency_level", lit("national"))
            .withColumn("source_area_code", when(col("source_area_name").rlike("^[0-9]+$"),
                concat(lit("CHI-DIST-"), col("source_area_name").cast("int").cast("string"))));
      default:
        throw new IllegalArgumentException("source " + spec.name() + ": unknown source-area-map '" + spec.sourceAreaMap() + "'");
    }
  }

  /** Steps 1–5 in order: canonical values, taxonomy, rules, location quality, the raw values dropped. */
  public static Dataset<Row> ruled(Dataset<Row> bronze, SourceSpec spec, Dataset<Row> taxonomy, Bounds bounds) {
    return withoutRaw(withLocation(withRules(withTaxonomy(canonical(bronze, spec), spec, taxonomy), spec), bounds), spec);
  }

  /** The records that passed the rules and won their dedupe group ({@link Dedupe#RULE}): silver's rows. */
  public static final Column WINNER = col("rule").isNull().and(col(Dedupe.RULE).isNull());

  /** Columns of silver.incidents, in order (fixed names BI tools and checks rely on). */
  public static final List<String> INCIDENT_COLUMNS = List.of(
      "incident_id", "source", "source_record_id", "case_number", "victim_count", "reporting_agency", "agency_code",
      "agency_level", "source_area_code", "source_area_name", "period_month", "occurred_at", "time_precision",
      "iccs_l1", "iccs_l2", "is_crime", "source_category", "source_subcategory", "source_code", "outcome", "arrest",
      "domestic", "location_text", "lon", "lat", "geom", "location_quality", "area_local", "area_local_method",
      "area_regional", "area_national", "area_community", "area_match", "updated_at", "source_file",
      "source_row_number", "file_checksum", "ingest_run_id", "ingested_at", "record_hash");

  /** Columns of silver.stop_search, in order. */
  public static final List<String> STOP_SEARCH_COLUMNS = List.of(
      "stop_id", "source", "reporting_agency", "agency_code", "agency_level", "source_area_code", "period_month",
      "occurred_at", "search_type", "part_of_operation", "policing_operation", "gender", "age_range",
      "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "object_of_search", "outcome",
      "outcome_linked_to_object", "removal_of_more_than_outer_clothing", "lon", "lat", "geom", "location_quality",
      "area_regional", "area_national", "area_match", "source_file", "source_row_number", "file_checksum",
      "ingest_run_id", "ingested_at", "record_hash");

  /** The silver row id of a dedupe group: the first 32 hex digits of SHA-256 of its natural key. */
  public static Column silverId(Column dedupeKey) {
    return substring(sha2(dedupeKey, 256), 1, 32);
  }

  /** Step 8: final silver columns, stable id and a hash of everything (lineage included) for change detection. */
  public static Dataset<Row> finish(Dataset<Row> df, SourceSpec spec) {
    boolean incidents = "incidents".equals(spec.target());
    Dataset<Row> d = df
        .withColumn(incidents ? "incident_id" : "stop_id", silverId(col("dedupe_key")))
        .withColumn("source", lit(spec.name()))
        .withColumn("source_file", col("_source_file"))
        .withColumn("source_row_number", col("_row_number"))
        .withColumn("file_checksum", col("_file_checksum"))
        .withColumn("ingest_run_id", col("_ingest_run_id"))
        .withColumn("ingested_at", col("_ingested_at"));
    if (incidents) {
      d = d.withColumn("time_precision", when(col("occurred_at").isNull(), lit("month"))
          .when(date_format(col("occurred_at"), "HH:mm:ss").equalTo("00:00:00"), lit("day"))
          .otherwise(lit("minute")));
      if (!List.of(d.columns()).contains("case_number")) {
        d = d.withColumn("case_number", lit(null).cast("string"));
      }
    } else {
      d = d.withColumn("period_month", to_date(date_trunc("MONTH", from_utc_timestamp(col("occurred_at"), spec.timezone()))));
    }
    List<String> cols = incidents ? INCIDENT_COLUMNS : STOP_SEARCH_COLUMNS;
    List<Column> sel = new ArrayList<>();
    List<Column> hashParts = new ArrayList<>();
    for (String c : cols) {
      if ("record_hash".equals(c)) {
        continue;
      }
      sel.add(col(c));
      if (!"geom".equals(c)) { // the point is lon, lat and location_quality, hashed already (no WKT per row)
        hashParts.add(coalesce(col(c).cast("string"), lit("\u0000")));
      }
    }
    sel.add(sha2(concat_ws("\u0001", hashParts.toArray(Column[]::new)), 256).as("record_hash"));
    return d.select(sel.toArray(Column[]::new));
  }
}
