package org.ilp.common.ref;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.UsageError;
import org.ilp.common.spatial.StudyArea;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;

/**
 * The one reader of the inputs several jobs share: harm weights, offence names, the source →
 * jurisdiction map, and study areas. Job shells call it; job cores receive what it returns.
 */
public final class Reference {
  private Reference() {}

  public static final String ALL = "ALL";

  /** Harm weights (iccs_l2, weight, basis) from a path or a name under conf/ ({@code ilp.assess.harm-weights}). */
  public static Dataset<Row> harmWeights(SparkSession spark, String path) {
    Path f = Path.of(path);
    List<Map<String, String>> rows = Files.isRegularFile(f) ? CsvConf.readFile(f) : CsvConf.read(path);
    StructType schema = new StructType().add("iccs_l2", DataTypes.StringType).add("weight", DataTypes.DoubleType)
        .add("basis", DataTypes.StringType);
    List<Row> out = new ArrayList<>();
    for (Map<String, String> r : rows) {
      String w = r.get("weight");
      if (r.get("iccs_l2") == null || w == null) {
        throw new IllegalArgumentException("harm weights " + path + ": every row needs iccs_l2 and weight: " + r);
      }
      double v = Double.parseDouble(w);
      if (!(v >= 0)) {
        throw new IllegalArgumentException("harm weights " + path + ": negative weight for " + r.get("iccs_l2"));
      }
      out.add(RowFactory.create(r.get("iccs_l2"), v, r.get("basis")));
    }
    return spark.createDataFrame(out, schema);
  }

  /** Fails when a crime's ICCS code has no harm weight (one small query over crimes' {@code iccs_l2}). */
  public static void requireHarmCoverage(Dataset<Row> crimes, Dataset<Row> harm, String path) {
    List<String> missing = crimes.select("iccs_l2").distinct()
        .join(harm, new String[] {"iccs_l2"}, "left_anti").as(Encoders.STRING()).collectAsList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("harm weights " + path + " have no weight for ICCS codes " + missing);
    }
  }

  /**
   * Names of every offence node: (_tx_l1, _tx_l2, iccs_l1_name, iccs_l2_name) for each level-2 code,
   * each level-1 section (_tx_l2 null) and all crime ({@value #ALL}).
   */
  public static Dataset<Row> offenceNames(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    Map<String, String> l1 = new LinkedHashMap<>();
    for (Map<String, String> r : CsvConf.read("taxonomy/iccs_categories.csv")) {
      l1.put(r.get("iccs_l1"), r.get("iccs_l1_name"));
      rows.add(RowFactory.create(r.get("iccs_l1"), r.get("iccs_l2"), r.get("iccs_l1_name"), r.get("iccs_l2_name")));
    }
    l1.forEach((k, v) -> rows.add(RowFactory.create(k, null, v, null)));
    rows.add(RowFactory.create(ALL, null, "All crime", null));
    StructType s = new StructType().add("_tx_l1", DataTypes.StringType).add("_tx_l2", DataTypes.StringType)
        .add("iccs_l1_name", DataTypes.StringType).add("iccs_l2_name", DataTypes.StringType);
    return spark.createDataFrame(rows, s);
  }

  /** Source name → its jurisdiction, from the specs in conf/sources. */
  public static Map<String, String> jurisdictions() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : SourceSpec.KNOWN) {
      out.put(s, SourceSpec.load(s).jurisdiction());
    }
    return out;
  }

  /** The jurisdiction of a silver row as a column (from its {@code source}). */
  public static Column jurisdictionOf() {
    return mapped(jurisdictions(), col("source"), lit(null).cast("string"));
  }

  /**
   * The silver rows of these jurisdictions (every row when none is named), spelt one way for every job: a job's
   * change check is remembered by the predicate's text ({@code Delta.changedRows}), so two jobs reading the same rows
   * share one answer only when they name them alike ({@code = 'uk'}, never also {@code IN ('uk')}).
   */
  public static Column inJurisdictions(List<String> names) {
    return names.isEmpty() ? lit(true) : names.size() == 1 ? jurisdictionOf().equalTo(names.get(0))
        : jurisdictionOf().isin(names.toArray());
  }

  /**
   * The local date of a silver.incidents row, null for a month-only record: its {@code occurred_at} holds the
   * wall-clock time the source recorded (Chicago's local digits, in a timestamp read in the session's UTC), so
   * its date is the local date as it stands; shifting it by the source's zone again would move every crime
   * before 06:00 in Chicago to the day before.
   */
  public static Column localDate() {
    return to_date(col("occurred_at"));
  }

  /** A column mapping the values of {@code key} through {@code m}, else {@code otherwise}. */
  public static Column mapped(Map<String, String> m, Column key, Column otherwise) {
    Column c = otherwise;
    for (Map.Entry<String, String> e : m.entrySet()) {
      c = when(key.equalTo(e.getKey()), lit(e.getValue())).otherwise(c);
    }
    return c;
  }

  /**
   * The study area of a spatial job: a jurisdiction ({@code uk}, {@code chicago}: its regional areas)
   * or an area code of ref.areas (its polygon; for a national area without one, its regional areas).
   * The grid CRS comes from {@code ilp.hotspots.crs.<jurisdiction>}.
   *
   * @throws UsageError for an unknown scope, naming the valid ones
   */
  public static StudyArea studyArea(SparkSession spark, Config hotspots, String scope) {
    Delta.require(spark, "`ilp ref`", Tables.REF_AREAS);
    Dataset<Row> areas = Delta.read(spark, Tables.REF_AREAS);
    String jurisdiction;
    Dataset<Row> polys;
    if (hotspots.hasPath("crs." + scope)) {
      jurisdiction = scope;
      polys = areas.where(col("jurisdiction").equalTo(scope).and(col("level").equalTo("regional"))
          .and(col("geom").isNotNull()));
    } else {
      List<Row> a = areas.where(col("area_code").equalTo(scope)).select("jurisdiction", "geom").collectAsList();
      if (a.isEmpty()) {
        throw new UsageError("unknown scope '" + scope + "': use " + String.join(", ", hotspots.getConfig("crs").root()
            .keySet()) + " or an area code of ref.areas (e.g. CHI-DIST-11, E23000001)");
      }
      jurisdiction = a.get(0).getString(0);
      polys = a.get(0).isNullAt(1)
          ? areas.where(col("parent_code").equalTo(scope).and(col("geom").isNotNull()))
          : areas.where(col("area_code").equalTo(scope));
    }
    if (!hotspots.hasPath("crs." + jurisdiction)) {
      throw new UsageError("no grid CRS for jurisdiction " + jurisdiction + " (ilp.hotspots.crs." + jurisdiction + ")");
    }
    Config c = hotspots.getConfig("crs." + jurisdiction);
    return new StudyArea(scope, jurisdiction, c.getString("crs"), c.getDouble("unit-m"), polys.select("geom"));
  }

  /** area_code → area_name of ref.areas, for labels. */
  public static Map<String, String> areaNames(SparkSession spark) {
    Map<String, String> out = new HashMap<>();
    for (Row r : Delta.read(spark, Tables.REF_AREAS).select("area_code", "area_name").collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }
}
