package org.ilp.common.source;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.ilp.common.config.ConfFiles;

/**
 * A declarative source: {@code conf/sources/<name>.conf}. It names the file format and accepted
 * file names, the raw columns, the coordinate system and time zone, the canonical fields as Spark
 * SQL expressions over the bronze columns, the parse and presence rules, the dedupe strategy, the
 * taxonomy mapping, how the source names its areas and what identifies a location ({@code location-key}: a Spark SQL
 * expression over silver.incidents' columns, default {@code location_text}; repeat locations count by it). Adding another agency's dump of a known
 * shape is a new spec file, not new code.
 */
public record SourceSpec(
    String name,
    String description,
    String jurisdiction,
    String target,
    String format,
    Pattern filePattern,
    Pattern excludePattern,
    boolean multiline,
    String delimiter,
    String encoding,
    List<String> rawColumns,
    String crs,
    String timezone,
    Map<String, String> canonical,
    Map<String, String> mustParse,
    List<String> required,
    String dedupe,
    String taxonomy,
    String taxonomyOverrides,
    String sourceAreaMap,
    String landingSubdir,
    String locationKey) {

  public static final List<String> KNOWN = List.of("police_uk_street", "police_uk_stop_search", "chicago_crimes");

  /**
   * The person-level sources (target {@code persons}): records that name persons, ingested into bronze like any
   * source, never curated by {@code ilp curate} (their silver rows carry pseudonyms only: identity resolution).
   */
  public static final List<String> PERSON_SOURCES = List.of("police_persons", "intelligence_reports",
      "border_crossings", "prison_releases");

  /**
   * incidents → silver.incidents, stop_search → silver.stop_search (both by {@code ilp curate}); persons: a
   * person-level source (see {@link #PERSON_SOURCES}).
   */
  public static final List<String> TARGETS = List.of("incidents", "stop_search", "persons");

  /** Whether {@code ilp curate} curates this source (persons sources are resolved to pseudonyms instead). */
  public boolean curatedBySilver() {
    return !"persons".equals(target);
  }

  /** Refuses (a usage error) a person-level source where an incident or search source is expected. */
  public SourceSpec requireSilver() {
    if (!curatedBySilver()) {
      throw new org.ilp.common.spark.UsageError("source " + name + " names persons (target " + target + "): `ilp "
          + "curate` curates incident and search sources only; its bronze rows wait for identity resolution");
    }
    return this;
  }

  public SourceSpec {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("source name must be snake_case, got '" + name + "'");
    }
    if (!TARGETS.contains(target)) {
      throw new IllegalArgumentException("source " + name + ": target must be one of " + TARGETS + ", got '" + target
          + "'");
    }
    if (!List.of("csv", "jsonl", "parquet").contains(format)) {
      throw new IllegalArgumentException("source " + name + ": format must be csv (csv, csv.gz), jsonl (JSON Lines, "
          + ".jsonl or .jsonl.gz) or parquet, got '" + format + "'");
    }
    if (!List.of("police_uk", "chicago", "content").contains(dedupe)) {
      throw new IllegalArgumentException("source " + name + ": dedupe must be police_uk, chicago or content, got '" + dedupe + "'");
    }
    rawColumns = List.copyOf(rawColumns);
    canonical = Map.copyOf(canonical);
    mustParse = Map.copyOf(mustParse);
    required = List.copyOf(required);
  }

  /** Loads {@code conf/sources/<name>.conf}; the error lists the known names. */
  public static SourceSpec load(String name) {
    String rel = "sources/" + name + ".conf";
    if (!ConfFiles.exists(rel)) {
      throw new IllegalArgumentException("unknown source '" + name + "': no conf/" + rel + " (known: " + KNOWN + ")");
    }
    return parse(ConfigFactory.parseString(ConfFiles.readString(rel)).resolve().getConfig("source"));
  }

  /** A spec from its HOCON text (the {@code source} block), as {@link #load} reads a file. */
  public static SourceSpec parse(String hocon) {
    return parse(ConfigFactory.parseString(hocon).resolve().getConfig("source"));
  }

  static SourceSpec parse(Config c) {
    Map<String, String> canonical = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : c.getObject("canonical").entrySet()) {
      canonical.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
    }
    Map<String, String> mustParse = new LinkedHashMap<>();
    if (c.hasPath("must-parse")) {
      for (Map.Entry<String, ConfigValue> e : c.getObject("must-parse").entrySet()) {
        mustParse.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return new SourceSpec(
        c.getString("name"),
        c.getString("description"),
        c.getString("jurisdiction"),
        c.getString("target"),
        c.getString("format"),
        Pattern.compile(c.getString("file-pattern")),
        c.hasPath("exclude-pattern") ? Pattern.compile(c.getString("exclude-pattern")) : null,
        !c.hasPath("csv.multiline") || c.getBoolean("csv.multiline"),
        c.hasPath("csv.delimiter") ? c.getString("csv.delimiter") : ",",
        c.hasPath("csv.encoding") ? c.getString("csv.encoding") : "UTF-8",
        c.getStringList("columns"),
        c.getString("crs"),
        c.getString("timezone"),
        canonical,
        mustParse,
        c.hasPath("required") ? c.getStringList("required") : List.of(),
        c.getString("dedupe"),
        c.hasPath("taxonomy") ? c.getString("taxonomy") : null,
        c.hasPath("taxonomy-overrides") ? c.getString("taxonomy-overrides") : null,
        c.getString("source-area-map"),
        c.hasPath("landing-subdir") ? c.getString("landing-subdir") : c.getString("name"),
        c.hasPath("location-key") ? c.getString("location-key") : "location_text");
  }

  /** Bronze column names: the raw header in snake_case. */
  public List<String> bronzeColumns() {
    List<String> out = new ArrayList<>();
    for (String raw : rawColumns) {
      out.add(snake(raw));
    }
    return out;
  }

  /** Whether the spec names the file as a known non-data file of the folder (exclude-pattern: code lists, manifests). */
  public boolean excludes(String fileName) {
    return excludePattern != null && excludePattern.matcher(fileName).matches();
  }

  public boolean accepts(String fileName) {
    if (excludePattern != null && excludePattern.matcher(fileName).matches()) {
      return false;
    }
    return filePattern.matcher(fileName).matches();
  }

  /** "Crime ID" → crime_id, ":@computed_region_x" → computed_region_x, "location.latitude" → location_latitude. */
  public static String snake(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    s = s.replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "column" : s;
  }
}
