package org.ilp.common.ref;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.config.ConfFiles;

/**
 * Reference data built from conf/: the area hierarchy with Sedona geometries, populations, and the
 * offence taxonomy. Pure builders (conf files in, DataFrames out); {@code RefJob} writes them.
 *
 * <p>Area codes: UK regional = ONS PFA20CD, UK national = K04000001 (England and Wales, the union of
 * the force areas) and N92000002 (Northern Ireland, no polygon); Chicago local = CHI-BEAT-nnnn,
 * regional = CHI-DIST-n (features with the same number dissolved), national-equivalent = CHI (the
 * union of the districts), community = CHI-CA-n.
 */
public final class RefData {
  public static final String UK_EW = "K04000001";
  public static final String UK_NI = "N92000002";
  public static final String CHICAGO = "CHI";

  static final StructType RAW_AREA = new StructType()
      .add("area_code", DataTypes.StringType, false)
      .add("area_name", DataTypes.StringType, false)
      .add("level", DataTypes.StringType, false)
      .add("parent_code", DataTypes.StringType, true)
      .add("jurisdiction", DataTypes.StringType, false)
      .add("geometry_source", DataTypes.StringType, false)
      .add("boundary_source", DataTypes.StringType, true)
      .add("geojson", DataTypes.StringType, true);

  /** {@link #RAW_AREA} with the geometry as EWKB instead of GeoJSON. */
  static final StructType AREA_EWKB = new StructType(java.util.Arrays.stream(RAW_AREA.fields())
      .filter(f -> !f.name().equals("geojson")).toArray(org.apache.spark.sql.types.StructField[]::new))
      .add("ewkb", DataTypes.BinaryType, true);

  private RefData() {}

  /**
   * The areas of {@code parts} (rows of {@link #AREA_EWKB}) with the features sharing all their attributes
   * dissolved into one geometry, in area-code order, then the {@code national} rows ({@link #RAW_AREA}; geometry
   * source {@code union}: the union of their jurisdiction's regional areas, else none). A union is JTS's
   * {@code OverlayNGRobust.union}, what Sedona's {@code ST_Union_Aggr} computes, over the pieces in area-code order
   * (the aggregate's order is the rows' arrival order); run on the driver because the aggregate does not run under
   * Spark's interpreted expression mode, and a few hundred polygons need no cluster.
   */
  static List<Row> dissolve(List<Row> parts, List<Row> national) {
    org.locationtech.jts.io.WKBReader reader = new org.locationtech.jts.io.WKBReader();
    Map<List<Object>, List<org.locationtech.jts.geom.Geometry>> groups = new java.util.TreeMap<>(
        java.util.Comparator.comparing((List<Object> k) -> (String) k.get(0)).thenComparing(Object::toString));
    for (Row r : parts) {
      List<Object> key = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        key.add(r.get(i));
      }
      try {
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(reader.read((byte[]) r.get(7)));
      } catch (org.locationtech.jts.io.ParseException e) {
        throw new IllegalStateException("area " + r.get(0) + ": geometry does not read back", e);
      }
    }
    List<Row> out = new ArrayList<>();
    Map<String, List<org.locationtech.jts.geom.Geometry>> regional = new HashMap<>();
    for (Map.Entry<List<Object>, List<org.locationtech.jts.geom.Geometry>> g : groups.entrySet()) {
      org.locationtech.jts.geom.Geometry u = union(g.getValue());
      List<Object> v = new ArrayList<>(g.getKey());
      v.add(ewkb(u));
      out.add(RowFactory.create(v.toArray()));
      if ("regional".equals(g.getKey().get(2))) {
        regional.computeIfAbsent((String) g.getKey().get(4), k -> new ArrayList<>()).add(u);
      }
    }
    for (Row n : national) {
      List<org.locationtech.jts.geom.Geometry> pieces = regional.get(n.getString(4));
      byte[] geom = "union".equals(n.getString(5)) && pieces != null ? ewkb(union(pieces)) : null;
      out.add(RowFactory.create(n.get(0), n.get(1), n.get(2), n.get(3), n.get(4), n.get(5), n.get(6), geom));
    }
    return out;
  }

  private static org.locationtech.jts.geom.Geometry union(List<org.locationtech.jts.geom.Geometry> pieces) {
    org.locationtech.jts.geom.Geometry u = org.locationtech.jts.operation.overlayng.OverlayNGRobust.union(pieces);
    u.setSRID(pieces.get(0).getSRID());
    return u;
  }

  private static byte[] ewkb(org.locationtech.jts.geom.Geometry g) {
    return new org.locationtech.jts.io.WKBWriter(2, g.getSRID() != 0).write(g);
  }

  /** ref.areas: area_code, area_name, level, parent_code, jurisdiction, geometry_source, boundary_source, geom. */
  public static Dataset<Row> areas(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    String pfa = "ONS Police Force Areas Dec 2020 (generalised), OGL v3.0";
    for (JsonNode f : features("areas/uk_police_force_areas_dec2020.geojson.gz")) {
      JsonNode p = f.get("properties");
      rows.add(RowFactory.create(p.get("PFA20CD").asText(), p.get("PFA20NM").asText(), "regional", UK_EW, "uk",
          "polygon", pfa, f.get("geometry").toString()));
    }
    String beats = "City of Chicago PoliceBeatDec2012";
    for (JsonNode f : features("areas/chicago_police_beats_dec2012.geojson.gz")) {
      JsonNode p = f.get("properties");
      String beat = pad(p.get("BEAT_NUM").asText(), 4);
      rows.add(RowFactory.create("CHI-BEAT-" + beat, "Beat " + beat, "local",
          "CHI-DIST-" + Integer.parseInt(p.get("DISTRICT").asText().trim()), "chicago", "polygon", beats,
          f.get("geometry").toString()));
    }
    for (JsonNode f : features("areas/chicago_police_districts_dec2012.geojson.gz")) {
      JsonNode p = f.get("properties");
      int d = Integer.parseInt(p.get("DIST_NUM").asText().trim());
      rows.add(RowFactory.create("CHI-DIST-" + d, "District " + d, "regional", CHICAGO, "chicago", "polygon",
          "City of Chicago PoliceDistrictDec2012", f.get("geometry").toString()));
    }
    for (JsonNode f : features("areas/chicago_community_areas.geojson.gz")) {
      JsonNode p = f.get("properties");
      int n = Integer.parseInt(p.get("area_numbe").asText().trim());
      rows.add(RowFactory.create("CHI-CA-" + n, titleCase(p.get("community").asText()), "community", CHICAGO,
          "chicago", "polygon", "City of Chicago Community Areas (current)", f.get("geometry").toString()));
    }
    // parse and repair in Sedona, then dissolve on the driver (a few hundred polygons): features sharing a code
    // (Chicago district 31 comes as three pieces), and the national areas as unions of their regional areas
    List<Row> parts = spark.createDataFrame(rows, RAW_AREA)
        .select(col("area_code"), col("area_name"), col("level"), col("parent_code"), col("jurisdiction"),
            col("geometry_source"), col("boundary_source"),
            expr("ST_AsEWKB(ST_MakeValid(ST_GeomFromGeoJSON(geojson)))").as("ewkb"))
        .collectAsList();
    List<Row> national = List.of(
        RowFactory.create(UK_EW, "England and Wales", "national", null, "uk", "union", "union of the force areas", null),
        RowFactory.create(UK_NI, "Northern Ireland", "national", null, "uk", "none", "no polygon in the boundary data", null),
        RowFactory.create(CHICAGO, "City of Chicago", "national", null, "chicago", "union", "union of the districts", null));
    List<Row> areas = dissolve(parts, national);
    Dataset<Row> dissolved = spark.createDataFrame(areas, AREA_EWKB)
        .withColumn("geom", expr("ST_GeomFromEWKB(ewkb)")).drop("ewkb");
    return dissolved
        .withColumn("area_sq_km", expr("CASE WHEN geom IS NULL THEN NULL ELSE ST_AreaSpheroid(geom) / 1e6 END"))
        .orderBy("jurisdiction", "level", "area_code");
  }

  /** ref.population: area_code, year, population, source, note. National rows are sums of their parts. */
  public static Dataset<Row> population(SparkSession spark) {
    StructType schema = new StructType()
        .add("area_code", DataTypes.StringType, false).add("year", DataTypes.IntegerType, false)
        .add("population", DataTypes.LongType, false).add("source", DataTypes.StringType, false)
        .add("note", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    long ew = 0;
    for (Map<String, String> r : CsvConf.read("population/uk_pfa_population_census2011.csv")) {
      long pop = Long.parseLong(r.get("usual_residents_2011"));
      ew += pop;
      rows.add(RowFactory.create(r.get("pfa20cd"), 2011, pop, "ONS Census 2011 usual residents", null));
    }
    rows.add(RowFactory.create(UK_EW, 2011, ew, "ONS Census 2011 usual residents", "sum of the 43 force areas"));
    for (Map<String, String> r : CsvConf.read("population/uk_pfa_population_midyear_2009_2019.csv")) {
      rows.add(RowFactory.create(r.get("pfa20cd"), Integer.parseInt(r.get("year")), Long.parseLong(r.get("population")),
          "ONS mid-year estimates aggregated to forces (approximate)",
          "England only; third-party LA-to-force aggregation, off by up to 13% for some forces"));
    }
    Map<Integer, Long> chicago = new HashMap<>();
    for (Map<String, String> r : CsvConf.read("population/chicago_community_area_population_2010_2020.csv")) {
      String code = "CHI-CA-" + Integer.parseInt(r.get("community_area"));
      long p10 = Long.parseLong(r.get("pop_2010_census"));
      long p20 = Long.parseLong(r.get("pop_2020_census_via_wikipedia"));
      rows.add(RowFactory.create(code, 2010, p10, "US Census 2010", null));
      rows.add(RowFactory.create(code, 2020, p20, "US Census 2020 (via Wikipedia)", null));
      chicago.merge(2010, p10, Long::sum);
      chicago.merge(2020, p20, Long::sum);
    }
    chicago.forEach((y, p) -> rows.add(RowFactory.create(CHICAGO, y, p,
        y == 2010 ? "US Census 2010" : "US Census 2020 (via Wikipedia)", "sum of the 77 community areas")));
    return spark.createDataFrame(rows, schema);
  }

  /**
   * ref.offence_taxonomy: the ICCS spine ({@code scheme = 'iccs'}) and every source mapping
   * (named after the conf file: {@code police_uk_crime_type}, {@code chicago_primary_type}, {@code chicago_iucr_overrides}) in one table:
   * scheme, source_category, iccs_l1, iccs_l1_name, iccs_l2, iccs_l2_name, is_crime, note.
   */
  public static Dataset<Row> taxonomy(SparkSession spark) {
    StructType schema = new StructType()
        .add("scheme", DataTypes.StringType, false).add("source_category", DataTypes.StringType, false)
        .add("iccs_l1", DataTypes.StringType, false).add("iccs_l2", DataTypes.StringType, false)
        .add("is_crime", DataTypes.BooleanType, false).add("note", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    Map<String, String[]> iccs = new HashMap<>();
    for (Map<String, String> r : CsvConf.read("taxonomy/iccs_categories.csv")) {
      iccs.put(r.get("iccs_l2"), new String[] {r.get("iccs_l1"), r.get("iccs_l1_name"), r.get("iccs_l2_name")});
      rows.add(RowFactory.create("iccs", r.get("iccs_l2"), r.get("iccs_l1"), r.get("iccs_l2"), true, null));
    }
    addMapping(rows, iccs, "police_uk_crime_type", "taxonomy/police_uk_crime_type.csv", "source_category");
    addMapping(rows, iccs, "chicago_primary_type", "taxonomy/chicago_primary_type.csv", "source_category");
    addMapping(rows, iccs, "chicago_iucr_overrides", "taxonomy/chicago_iucr_overrides.csv", "iucr");
    Dataset<Row> names = spark.createDataFrame(iccs.entrySet().stream()
        .map(e -> RowFactory.create(e.getKey(), e.getValue()[1], e.getValue()[2])).toList(),
        new StructType().add("l2", DataTypes.StringType).add("iccs_l1_name", DataTypes.StringType)
            .add("iccs_l2_name", DataTypes.StringType));
    Dataset<Row> t = spark.createDataFrame(rows, schema);
    return t.join(names, t.col("iccs_l2").equalTo(names.col("l2")), "left").drop("l2")
        .select("scheme", "source_category", "iccs_l1", "iccs_l1_name", "iccs_l2", "iccs_l2_name", "is_crime", "note");
  }

  private static void addMapping(List<Row> rows, Map<String, String[]> iccs, String scheme, String file, String keyCol) {
    for (Map<String, String> r : CsvConf.read(file)) {
      String l2 = r.get("iccs_l2");
      String[] known = iccs.get(l2);
      if (known == null || !known[0].equals(r.get("iccs_l1"))) {
        throw new IllegalStateException("conf/" + file + ": '" + r.get(keyCol) + "' maps to ICCS " + r.get("iccs_l1")
            + "/" + l2 + ", which is not in conf/taxonomy/iccs_categories.csv");
      }
      String key = "chicago_iucr_overrides".equals(scheme) ? pad(r.get(keyCol).toUpperCase(), 4) : r.get(keyCol);
      boolean isCrime = r.get("is_crime") == null || Boolean.parseBoolean(r.get("is_crime"));
      rows.add(RowFactory.create(scheme, key, r.get("iccs_l1"), l2, isCrime, r.get("note")));
    }
  }

  /** Agencies: agency_code, agency_name, agency_level, area_code. */
  public static List<Map<String, String>> agencies() {
    return CsvConf.read("areas/agencies.csv");
  }

  static List<JsonNode> features(String relative) {
    try (InputStream in = ConfFiles.open(relative)) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<JsonNode> out = new ArrayList<>();
      root.get("features").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read conf/" + relative + ": " + e.getMessage(), e);
    }
  }

  static String pad(String s, int n) {
    String t = s.trim();
    return t.length() >= n ? t : "0".repeat(n - t.length()) + t;
  }

  static String titleCase(String s) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (char c : s.toLowerCase().toCharArray()) {
      b.append(up ? Character.toUpperCase(c) : c);
      up = c == ' ' || c == '-' || c == '\'';
    }
    return b.toString();
  }
}
