package org.ilp.common.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.ilp.common.table.TableDef.col;
import static org.ilp.common.table.TableDef.required;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sedona_sql.UDT.GeometryUDT;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.source.SourceSpec;

/**
 * The registry: every table of every layer, declared once — name, schema, key, partitioning and a
 * one-line comment per column (written as Delta column comments, so a BI tool shows them). Code
 * names tables only through these constants; {@link Writes} checks every write against them.
 *
 * <pre>
 * raw → bronze.&lt;source&gt; → silver.incidents, silver.stop_search → gold.* → publish.*
 *       ops.* (every run, file and row accounted for)   ref.* (areas, population, taxonomy)
 * </pre>
 */
public final class Tables {
  private Tables() {}

  public static final List<String> DATABASES = List.of("bronze", "silver", "gold", "publish", "ops", "ref", "vault");

  private static final DataType GEOMETRY = new GeometryUDT();
  private static final DataType STRING_MAP = createMapType(StringType, StringType);
  private static final DataType LONG_MAP = createMapType(StringType, LongType);

  // ---- columns shared by several tables (one comment each) ----------------------------------------
  static final StructField RUN_ID = col("run_id", StringType, "id of the job run that wrote the row (ops.job_runs.run_id)");
  static final StructField PERIOD_TYPE = col("period_type", StringType, "week | month | quarter | year");
  static final StructField PERIOD = col("period", DateType, "first day of the period");
  static final StructField PERIOD_DAYS = col("period_days", IntegerType,
      "days in the period: the exposure of rate tests, so a 28-day February is not read as a fall");
  static final StructField JURISDICTION = col("jurisdiction", StringType, "uk | chicago: the source family's country or city");
  static final StructField LEVEL = col("level", StringType,
      "area level: national (nation / city), regional (police force area / district), local (LSOA / beat)");
  static final StructField AREA_CODE = col("area_code", StringType,
      "area code (ONS, CHI-DIST-n, CHI-BEAT-nnnn); <parent>#unallocated = crimes the parent could not place lower");
  static final StructField AREA_NAME = col("area_name", StringType, "area name, or 'Not allocated to a ... area (parent)'");
  static final StructField PARENT_CODE = col("parent_code", StringType, "the area one level up (null for national)");
  static final StructField ICCS_L1 = col("iccs_l1", StringType, "ICCS 2015 level-1 section (01..11), or ALL for all crime");
  static final StructField ICCS_L1_NAME = col("iccs_l1_name", StringType, "name of the ICCS level-1 section");
  static final StructField ICCS_L2 = col("iccs_l2", StringType, "ICCS 2015 level-2 code (e.g. 0501 burglary); null on level-1 and ALL rows");
  static final StructField ICCS_L2_NAME = col("iccs_l2_name", StringType, "name of the ICCS level-2 group");
  static final StructField COUNT = col("count", LongType, "notifiable crimes recorded in the period");
  static final StructField HARM = col("harm", DoubleType, "crimes weighted by harm (sum of conf/harm weights, crime-severity days)");
  static final StructField RATE = col("rate_per_100k", DoubleType, "crimes per 100,000 residents (population year stated)");
  static final StructField SUPPRESSED = col("suppressed", BooleanType,
      "true when disclosure control withheld this row's small figures (shown as null, never as 0)");
  static final StructField SCOPE = col("scope", StringType, "study area: uk, chicago or an area code of ref.areas");
  static final StructField OFFENCE = col("offence", StringType, "ICCS level-1 or level-2 code analysed, or 'all'");
  static final StructField CELL_ID = col("cell_id", LongType, "grid cell id = ix * 10^7 + iy (ix, iy = floor(x / cell), floor(y / cell))");
  static final StructField CELL_X = col("cell_x", DoubleType, "x of the cell centre in the grid CRS (units of crs)");
  static final StructField CELL_Y = col("cell_y", DoubleType, "y of the cell centre in the grid CRS (units of crs)");
  static final StructField CRS = col("crs", StringType, "metric CRS of the grid (EPSG:27700 metres, EPSG:3435 US feet)");
  static final StructField CELL_SIZE = col("cell_size_m", DoubleType, "cell side in metres");
  static final StructField CELL_GEOM = col("geom", StringType, "the cell square as WKT in WGS84 (lon/lat)");
  static final StructField CELL_GRID = col("cell_grid", StringType,
      "square (cells of cell_size_m in crs) | h3:<resolution> (H3 hexagons, cell_id = the H3 index, cell_size_m = the "
          + "resolution's average edge length, geom the hexagon); null on rows written before H3 = square");
  static final StructField PERIOD_START_MONTH = col("period", DateType, "first month analysed");
  static final StructField PERIOD_END_MONTH = col("period_end", DateType, "last month analysed (= period for one month)");
  static final StructField SOURCE = col("source", StringType, "source spec name (conf/sources/<source>.conf)");

  // ---- ops -----------------------------------------------------------------------------------------
  public static final TableDef OPS_JOB_RUNS = TableDef.of("ops.job_runs",
      "one row per job run: parameters, status, rows and the Delta versions read and written", List.of("run_id"),
      required("run_id", StringType, "<job>-<UTC start yyyyMMddTHHmmss>-<random hex>"),
      required("job", StringType, "job name: ref, ingest, curate, assess, hotspots, forecast, report"),
      col("parameters", STRING_MAP, "validated parameters of the run (seed included), as text"),
      required("started_at", TimestampType, "start (UTC)"),
      col("ended_at", TimestampType, "end (UTC)"),
      col("duration_ms", LongType, "wall time in milliseconds"),
      required("status", StringType, "succeeded | noop (inputs unchanged, nothing written) | failed"),
      col("error", StringType, "the error message of a failed run"),
      col("rows_in", LONG_MAP, "rows read per input"),
      col("rows_out", LONG_MAP, "rows written per output table"),
      col("rows_quarantined", LongType, "records quarantined by the run"),
      col("input_versions", LONG_MAP, "Delta version of every input table when read (no-op detection uses it)"),
      col("output_versions", LONG_MAP, "Delta version of every output table after the run"),
      col("user", StringType, "OS user that ran the job"),
      col("host", StringType, "host name"),
      col("app_version", StringType, "ilp-lakehouse version"));

  // no deletion vectors here (a small table): Delta 4.0.1's update-only MERGE into a table with them fails
  // (AMBIGUOUS_REFERENCE `filePath` in its bitmap step), and the reconciliation is such a MERGE
  public static final TableDef OPS_INGEST_MANIFEST = TableDef.of("ops.ingest_manifest",
      "one row per ingested file version: checksum, status and the reconciliation rows_read = accepted + duplicate"
          + " + quarantined", List.of("source", "checksum"),
      required("source", StringType, SOURCE.metadata().getString("comment")),
      required("path", StringType, "absolute path of the file when ingested"),
      required("file_name", StringType, "file name"),
      required("checksum", StringType, "SHA-256 of the file bytes: the file version's identity"),
      required("bytes", LongType, "file size in bytes"),
      required("status", StringType, "ok | empty | rejected | duplicate (the same bytes as a file ingested under another "
          + "name: not read twice) | unrecognised (its name is not one of the source's: listed, not read)"),
      col("status_reason", StringType, "why a file is empty or rejected"),
      col("header_columns", StringType, "the header as found, comma-separated"),
      col("extra_columns", StringType, "columns not in the source spec (kept in bronze _extra)"),
      col("missing_columns", StringType, "columns of the spec the file lacks (null in bronze)"),
      required("rows_read", LongType, "records read (a quoted newline is one record)"),
      required("rows_bronze", LongType, "records written to bronze that parsed"),
      col("rows_accepted", LongType, "records that became silver rows (known after curate)"),
      col("rows_duplicate", LongType, "records that lost a named dedupe rule (known after curate)"),
      required("rows_quarantined", LongType, "records quarantined at ingest and curate"),
      required("rows_quarantined_ingest", LongType, "records quarantined at ingest (unparseable)"),
      col("duplicate_rules", LONG_MAP, "duplicates per dedupe rule"),
      required("run_id", StringType, "ingest run"),
      required("ingested_at", TimestampType, "ingest time (UTC)"),
      col("curated_run_id", StringType, "last curate run that reconciled the file"),
      col("curated_at", TimestampType, "time of that curate run (UTC)"),
      col("modified_at", TimestampType, "the file's modification time when ingested: a file at the same path with "
          + "the same size and time is taken as unchanged without reading it again"));

  public static final TableDef OPS_QUARANTINE = TableDef.of("ops.quarantine",
      "one row per record that failed a rule (or was flagged) and per rejected file, with the rule and a reason",
      List.of("stage", "source", "source_file", "file_checksum", "row_number", "rule"),
      required("source", StringType, SOURCE.metadata().getString("comment")),
      required("stage", StringType, "ingest | curate"),
      col("source_file", StringType, "path of the file"),
      col("file_checksum", StringType, "SHA-256 of the file (ops.ingest_manifest.checksum)"),
      col("row_number", LongType, "1-based record number after the header; null for a whole rejected file"),
      col("raw_text", StringType, "the record as read (raw text, or its fields as JSON)"),
      required("rule", StringType, "rule broken, e.g. parse.lon, required.period_month, taxonomy.unmapped, location.zero_zero"),
      required("reason", StringType, "what was wrong, in words"),
      required("disposition", StringType, "rejected (kept out of silver) | flagged (kept in silver with a flag)"),
      required("run_id", StringType, "run that quarantined it"),
      required("quarantined_at", TimestampType, "time (UTC)"))
      // statistics never on raw_text: a commit's statistics stay in the log after the text is cleared (retention)
      .withStatsOn("source", "stage", "file_checksum", "rule", "quarantined_at").withDeletionVectors();

  public static final TableDef OPS_CURATE_VERDICTS = TableDef.of("ops.curate_verdicts",
      "one row per bronze record that curate has seen: the silver row it became or lost to, or the rule that quarantined"
          + " it; lets an incremental curate find the earlier records of the groups new files touch, and gives each"
          + " file's reconciliation", List.of("source", "file_checksum", "row_number"),
      required("source", StringType, SOURCE.metadata().getString("comment")),
      required("file_checksum", StringType, "SHA-256 of the raw file (ops.ingest_manifest.checksum)"),
      required("row_number", LongType, "1-based record number after the header (bronze _row_number)"),
      col("dedupe_key", StringType, "the record's dedupe group (natural key); null when quarantined"),
      col("source_record_id", StringType, "the source's record id (Chicago ID groups span case numbers)"),
      required("verdict", StringType, "accepted (the group's silver row) | duplicate | quarantined"),
      col("rule", StringType, "the dedupe rule it lost (dup.*) or the quarantine rule it broke; null when accepted"),
      col("silver_id", StringType, "incident_id / stop_id of its group's silver row (null when quarantined)"),
      required("curated_with", StringType, "the source spec and ref table versions the verdict was computed with; "
          + "a change makes the next curate a full one"),
      required("run_id", StringType, "curate run that last set the verdict")).withStatsOn("source", "file_checksum")
      .withDeletionVectors();

  public static final TableDef OPS_DQ_RESULTS = TableDef.of("ops.dq_results",
      "one row per run, table and data-quality rule: rows checked and rows failing",
      List.of("run_id", "table_name", "source", "rule"),
      required("run_id", StringType, RUN_ID.metadata().getString("comment")),
      required("job", StringType, "job that checked"),
      required("table_name", StringType, "table the rule guards"),
      col("source", StringType, SOURCE.metadata().getString("comment")),
      required("rule", StringType, "rule name (quarantine, dedupe, location or spatial rule)"),
      col("description", StringType, "what the rule checks and what happens to a failing row"),
      required("rows_checked", LongType, "rows the rule was applied to"),
      required("rows_failed", LongType, "rows that failed it"),
      required("checked_at", TimestampType, "time (UTC)"));

  /** The ops tables an analyst's data-quality and lineage notebook reads: they keep manifests, as gold does. */
  static final java.util.Set<TableDef> OPS_WITH_MANIFEST = java.util.Set.of(OPS_JOB_RUNS, OPS_INGEST_MANIFEST,
      OPS_DQ_RESULTS);

  // ---- ref -----------------------------------------------------------------------------------------
  static final StructField CONF_VERSION = col("conf_version", StringType, "SHA-256 of the conf files the table was built from");

  public static final TableDef REF_AREAS = TableDef.of("ref.areas",
      "the area hierarchy (local → regional → national, plus Chicago community areas) with boundaries",
      List.of("area_code"),
      AREA_CODE, AREA_NAME,
      col("level", StringType, "local | regional | national | community"),
      PARENT_CODE, JURISDICTION,
      col("geometry_source", StringType, "polygon | union (of the children) | none"),
      col("boundary_source", StringType, "boundary data set and licence"),
      col("geom", GEOMETRY, "boundary in WGS84 (Sedona geometry); null where no polygon exists (Northern Ireland)"),
      col("area_sq_km", DoubleType, "area on the WGS84 spheroid, km²"),
      CONF_VERSION);

  public static final TableDef REF_POPULATION = TableDef.of("ref.population",
      "resident population per area and year with its source", List.of("area_code", "year", "source"),
      col("area_code", StringType, "area code (ref.areas)"),
      col("year", IntegerType, "reference year"),
      col("population", LongType, "residents"),
      col("source", StringType, "census or estimate the figure comes from"),
      col("note", StringType, "caveats (e.g. approximate aggregation to force areas)"),
      CONF_VERSION);

  public static final TableDef REF_OFFENCE_TAXONOMY = TableDef.of("ref.offence_taxonomy",
      "the ICCS 2015 spine (scheme iccs) and every source category mapped onto it", List.of("scheme", "source_category"),
      col("scheme", StringType, "iccs, or the mapping file's name (police_uk_crime_type, chicago_primary_type, ...)"),
      col("source_category", StringType, "the source's category or code (the ICCS code itself for scheme iccs)"),
      ICCS_L1, ICCS_L1_NAME, ICCS_L2, ICCS_L2_NAME,
      col("is_crime", BooleanType, "false for non-criminal categories (anti-social behaviour, NON-CRIMINAL)"),
      col("note", StringType, "mapping note"),
      CONF_VERSION);

  // ---- bronze --------------------------------------------------------------------------------------
  /** Lineage columns every bronze table carries after the source's own columns. */
  public static final List<StructField> BRONZE_LINEAGE = List.of(
      col("_extra", STRING_MAP, "columns the spec does not know, name → raw value"),
      col("_corrupt_record", StringType, "a record that did not split into the header's fields, whole (quarantined)"),
      col("_source_file", StringType, "path of the raw file"),
      col("_file_checksum", StringType, "SHA-256 of the raw file"),
      col("_row_number", LongType, "1-based record number after the header"),
      col("_ingest_run_id", StringType, "ingest run that wrote the row"),
      col("_ingested_at", TimestampType, "ingest time (UTC)"));

  /** bronze.&lt;source&gt;: the spec's raw columns as strings + lineage, append-only. */
  public static TableDef bronze(SourceSpec spec) {
    List<StructField> fields = new ArrayList<>();
    List<String> raw = spec.rawColumns();
    for (int i = 0; i < raw.size(); i++) {
      fields.add(col(spec.bronzeColumns().get(i), StringType, "raw '" + raw.get(i) + "' as published, a string"));
    }
    fields.addAll(BRONZE_LINEAGE);
    // read whole, or by file (an increment): statistics on the lineage only, not on every raw string
    return TableDef.of("bronze." + spec.name(), spec.description() + ": raw records as strings with lineage (append-only)",
        List.of("_file_checksum", "_row_number"), fields.toArray(StructField[]::new))
        .withStatsOn("_file_checksum", "_row_number", "_ingest_run_id");
  }

  // ---- silver --------------------------------------------------------------------------------------
  static final List<StructField> SILVER_LINEAGE = List.of(
      col("source_file", StringType, "raw file of the kept record"),
      col("source_row_number", LongType, "its record number in that file"),
      col("file_checksum", StringType, "SHA-256 of that file"),
      col("ingest_run_id", StringType, "ingest run of that file"),
      col("ingested_at", TimestampType, "ingest time (UTC)"),
      col("record_hash", StringType, "SHA-256 of every other column (the point through lon, lat and location_quality): "
          + "a MERGE updates a row only when it changed"));

  static final StructField LON = col("lon", DoubleType, "longitude as given (WGS84); never corrected");
  static final StructField LAT = col("lat", DoubleType, "latitude as given (WGS84); never corrected");
  static final StructField POINT = col("geom", GEOMETRY, "point (Sedona geometry) when location_quality = ok, else null");
  static final StructField LOCATION_QUALITY = col("location_quality", StringType, "ok | missing | zero_zero | out_of_range");
  static final StructField AREA_MATCH = col("area_match", StringType,
      "matched | outside_all_areas | no_coordinates | invalid_coordinates");

  public static final TableDef SILVER_INCIDENTS = TableDef.of("silver.incidents",
      "one row per distinct recorded incident, typed, deduplicated, in the ICCS taxonomy and the area hierarchy",
      List.of("incident_id"), concat(List.of(
      col("incident_id", StringType, "stable id: SHA-256 (first 32 hex) of the natural key"),
      SOURCE,
      col("source_record_id", StringType, "the source's record id (police.uk Crime ID, Chicago ID)"),
      col("case_number", StringType, "Chicago case number (one incident per case)"),
      col("victim_count", IntegerType, "Chicago: records (victims) collapsed into the case; null elsewhere"),
      col("reporting_agency", StringType, "agency that recorded it, as published"),
      col("agency_code", StringType, "our agency code (conf/areas/agencies.csv)"),
      col("agency_level", StringType, "local | regional | national: the level of the recording agency"),
      col("source_area_code", StringType, "the area the source names (its recording force or district), in our codes"),
      col("source_area_name", StringType, "that area as the source spells it"),
      col("period_month", DateType, "first day of the month of the offence (police.uk: first month published)"),
      col("occurred_at", TimestampType, "date and time when the source gives it (Chicago wall-clock time); null = month only"),
      col("time_precision", StringType, "month | day | minute"),
      ICCS_L1, ICCS_L2,
      col("is_crime", BooleanType, "notifiable crime (false: anti-social behaviour, non-criminal records)"),
      col("source_category", StringType, "the source's category (police.uk Crime type, Chicago Primary Type)"),
      col("source_subcategory", StringType, "the source's sub-category (Chicago Description)"),
      col("source_code", StringType, "the source's offence code (Chicago IUCR)"),
      col("outcome", StringType, "latest outcome as published"),
      col("arrest", BooleanType, "Chicago: arrest made"),
      col("domestic", BooleanType, "Chicago: domestic incident"),
      col("location_text", StringType, "location description as published (snapped street, block)"),
      LON, LAT, POINT, LOCATION_QUALITY,
      col("area_local", StringType, "local area: the LSOA police.uk gives, or the Chicago beat the point lies in"),
      col("area_local_method", StringType, "source (named by the record) | spatial (point in polygon)"),
      col("area_regional", StringType, "regional area the point lies in (force area, district)"),
      col("area_national", StringType, "national area: the parent of area_regional"),
      col("area_community", StringType, "Chicago community area the point lies in"),
      AREA_MATCH,
      col("updated_at", TimestampType, "Chicago 'Updated On' (newest wins)")), SILVER_LINEAGE))
      // the columns gold jobs and analysts filter on (statistics on all 40 would cost every write)
      .withStatsOn("source", "period_month", "occurred_at", "iccs_l2", "area_regional", "file_checksum")
      .withDeletionVectors()
      // gold jobs of one jurisdiction skip a night that changed only another's rows
      .withChangeFeed();

  public static final TableDef SILVER_STOP_SEARCH = TableDef.of("silver.stop_search",
      "one row per published stop-and-search record, typed, with force and area codes", List.of("stop_id"),
      concat(List.of(
      col("stop_id", StringType, "stable id: SHA-256 (first 32 hex) of content and position in its file"),
      SOURCE,
      col("reporting_agency", StringType, "force that published it"),
      col("agency_code", StringType, "our agency code (the file name's force slug)"),
      col("agency_level", StringType, "level of that agency"),
      col("source_area_code", StringType, "the force's area code"),
      col("period_month", DateType, "first day of the month in UK local time"),
      col("occurred_at", TimestampType, "the search's instant (UTC)"),
      col("search_type", StringType, "person search | vehicle search | person and vehicle search"),
      col("part_of_operation", BooleanType, "part of a policing operation"),
      col("policing_operation", StringType, "operation name"),
      col("gender", StringType, "as published"),
      col("age_range", StringType, "as published"),
      col("self_defined_ethnicity", StringType, "ethnicity the person gave"),
      col("officer_defined_ethnicity", StringType, "ethnicity the officer recorded"),
      col("legislation", StringType, "power used"),
      col("object_of_search", StringType, "what was searched for"),
      col("outcome", StringType, "outcome as published"),
      col("outcome_linked_to_object", BooleanType, "outcome linked to the object of search"),
      col("removal_of_more_than_outer_clothing", BooleanType, "more than outer clothing removed"),
      LON, LAT, POINT, LOCATION_QUALITY,
      col("area_regional", StringType, "force area the point lies in"),
      col("area_national", StringType, "nation of that force area"),
      AREA_MATCH), SILVER_LINEAGE))
      .withStatsOn("source", "period_month", "occurred_at", "area_regional", "file_checksum")
      .withDeletionVectors();

  // ---- gold: assessment ----------------------------------------------------------------------------
  static final List<String> STAT_KEYS = List.of("period_type", "period", "level", "area_code", "iccs_l1", "iccs_l2");
  static final List<String> SERIES_KEYS = List.of("period_type", "level", "area_code", "iccs_l1", "iccs_l2", "period");
  static final List<String> TREND_KEYS = List.of("as_of", "period_type", "level", "area_code", "iccs_l1", "iccs_l2",
      "period");

  /** Read by every assessment instead of silver.incidents; kept from silver's change feed (CrimeCounts). */
  public static final TableDef GOLD_CRIME_COUNTS = TableDef.of("gold.crime_counts",
      "notifiable crime of silver.incidents counted per source, month (and local date), recording agency and area, "
          + "area match and ICCS code, before area attribution: what assessments read; a night's changes are added "
          + "to it from silver's change data feed", List.of("source", "period_month", "occurred_date",
          "time_precision", "agency_code", "source_area_code", "area_local", "area_national", "area_match", "iccs_l1",
          "iccs_l2"),
      // silver's own columns, with silver's comments (the counts group by them)
      silver("source"), silver("period_month"),
      col("occurred_date", DateType, "local date of the offence in the source's time zone; null for month-only records"),
      silver("time_precision"), silver("agency_code"), silver("source_area_code"), silver("area_local"),
      silver("area_national"), silver("area_match"), silver("iccs_l1"), silver("iccs_l2"),
      col("incidents", LongType, "silver.incidents rows of notifiable crime in the group (never 0)"))
      .withStatsOn("source", "period_month")
      // its readers outside the assessment (ilp targets' intelligence gaps) skip a run whose new versions changed no
      // count (a refresh records silver's version it is at, a commit without changed rows)
      .withChangeFeed();

  private static StructField silver(String column) {
    return SILVER_INCIDENTS.schema().apply(column);
  }

  public static final TableDef GOLD_CRIME_STATS = TableDef.of("gold.crime_stats",
      "notifiable crime per period × area × offence node with changes, exact Poisson tests and BH q-values",
      STAT_KEYS,
      PERIOD_TYPE, PERIOD, PERIOD_DAYS, JURISDICTION, LEVEL, AREA_CODE, AREA_NAME, PARENT_CODE, ICCS_L1, ICCS_L1_NAME,
      ICCS_L2, ICCS_L2_NAME, COUNT,
      col("population", LongType, "residents (ref.population, nearest year)"),
      col("population_year", IntegerType, "year of that population figure"),
      col("population_source", StringType, "source of that figure"),
      RATE, HARM,
      col("harm_per_1000", DoubleType, "harm per 1,000 residents"),
      col("prev_period", DateType, "the previous period"),
      col("prev_count", LongType, "crimes in the previous period; null when the area sent no data then (never 0)"),
      col("prev_change", LongType, "count − prev_count"),
      col("prev_change_pct", DoubleType, "change on the previous period, %"),
      col("p_value_prev", DoubleType, "exact two-sided Poisson rate test of the change, days as exposure (R poisson.test)"),
      col("q_value_prev", DoubleType, "Benjamini–Hochberg q of p_value_prev over the period's table"),
      col("significant_prev", BooleanType, "q_value_prev ≤ ilp.assess.q"),
      col("yoy_period", DateType, "the same period last year"),
      col("yoy_count", LongType, "crimes in the same period last year; null when not comparable"),
      col("yoy_change", LongType, "count − yoy_count"),
      col("yoy_change_pct", DoubleType, "change on last year, %"),
      col("p_value_yoy", DoubleType, "exact two-sided Poisson rate test of the change on last year"),
      col("q_value_yoy", DoubleType, "Benjamini–Hochberg q of p_value_yoy"),
      col("significant_yoy", BooleanType, "q_value_yoy ≤ ilp.assess.q"),
      col("significant", BooleanType, "significant_yoy, else significant_prev: the change a product may call a rise or fall"),
      col("completeness", DoubleType, "share of the area's crimes located in a known area"),
      col("agencies_reported", LongType, "agencies that sent data for the area in the period"),
      col("agencies_expected", LongType, "agencies that ever sent data for the area"),
      col("confidence", StringType, "high | medium | low (completeness, agencies, volume)"),
      RUN_ID);

  public static final TableDef GOLD_THREAT_ASSESSMENT = TableDef.of("gold.threat_assessment",
      "threat ranking per period × area × ICCS level-2 group: harm, volume, significant trend, confidence",
      STAT_KEYS,
      PERIOD_TYPE, PERIOD, JURISDICTION, LEVEL, AREA_CODE, AREA_NAME, PARENT_CODE, ICCS_L1, ICCS_L1_NAME, ICCS_L2,
      ICCS_L2_NAME, COUNT,
      col("base_count", LongType, "count of the comparison period (last year, else the previous period)"),
      col("trend_basis", StringType, "last year | previous period | null (nothing comparable)"),
      col("change_pct", DoubleType, "change on the comparison period, %"),
      col("change_p", DoubleType, "exact Poisson p of the change"),
      col("change_q", DoubleType, "BH q of the change"),
      col("change_significant", BooleanType, "change_q ≤ ilp.assess.q"),
      col("trend_class", StringType,
          "significant-increase | stable | significant-decrease | no comparison; a change that is not significant is stable"),
      HARM, RATE,
      col("harm_score", DoubleType, "percent rank of harm within the level (1 = most harmful)"),
      col("volume_score", DoubleType, "percent rank of count within the level"),
      col("likelihood", DoubleType, "weight of the trend class (ilp.assess.threat.likelihood)"),
      col("confidence", StringType, "high | medium | low (from gold.crime_stats)"),
      col("confidence_factor", DoubleType, "weight of the confidence (ilp.assess.threat.confidence)"),
      col("threat_score", DoubleType, "(w_harm · harm_score + w_volume · volume_score) · likelihood · confidence_factor"),
      col("harm_rank", IntegerType, "rank of harm within the level (1 = most harmful)"),
      col("threat_rank", IntegerType, "rank of threat_score within the level (1 = highest)"),
      col("rationale", StringType, "the ranking in words: change, significance, harm rank, count"),
      RUN_ID);

  public static final TableDef GOLD_CRIME_TRENDS = TableDef.of("gold.crime_trends",
      "monthly and weekly count series of each assessment with rolling means, Mann–Kendall trend and Sen's slope",
      TREND_KEYS,
      PERIOD_TYPE, PERIOD, PERIOD_DAYS, JURISDICTION, LEVEL, AREA_CODE, AREA_NAME, PARENT_CODE, ICCS_L1, ICCS_L1_NAME,
      ICCS_L2, ICCS_L2_NAME,
      col("count", LongType, "crimes in the period; null = the area sent no data (a gap, never 0)"),
      col("rolling_3", DoubleType, "mean of the last 3 periods (null unless all present)"),
      col("rolling_12", DoubleType, "mean of the last 12 periods (null unless all present)"),
      col("yoy_count", LongType, "count one year earlier"),
      col("yoy_change_pct", DoubleType, "change on one year earlier, %"),
      col("mk_n", IntegerType, "periods in the Mann–Kendall test"),
      col("mk_tau", DoubleType, "Kendall's tau of the series"),
      col("mk_z", DoubleType, "Mann–Kendall z (tie-corrected)"),
      col("mk_p", DoubleType, "two-sided Mann–Kendall p"),
      col("sen_slope", DoubleType, "Sen's slope, crimes per period (day-adjusted)"),
      col("sen_low", DoubleType, "lower 95% bound of Sen's slope"),
      col("sen_high", DoubleType, "upper 95% bound of Sen's slope"),
      col("trend", StringType, "increasing | decreasing (Mann–Kendall p < 0.05) | no trend"),
      col("as_of", DateType, "last month of the assessment this series belongs to"),
      RUN_ID);

  public static final TableDef GOLD_EARLY_WARNINGS = TableDef.of("gold.early_warnings",
      "every monthly series evaluated at the assessed month: expected value, upper bound, alarm and method",
      SERIES_KEYS,
      PERIOD_TYPE, PERIOD, JURISDICTION, LEVEL, AREA_CODE, AREA_NAME, PARENT_CODE, ICCS_L1, ICCS_L1_NAME, ICCS_L2,
      ICCS_L2_NAME,
      col("observed", LongType, "crimes in the evaluated month"),
      col("alarm", BooleanType, "observed above the upper bound, or a CUSUM signal"),
      col("method", StringType, "noufaily-2013 | quasi-poisson-phase1(+cusum) | insufficient-history | no-data"),
      col("expected", DoubleType, "expected count of the month"),
      col("upper_bound", DoubleType, "one-sided upper limit at ilp.assess.early-warning.alpha"),
      col("excess", DoubleType, "observed − upper_bound"),
      col("since", DateType, "first month of the current excursion"),
      col("baseline_points", IntegerType, "months in the baseline"),
      col("dispersion", DoubleType, "quasi-Poisson dispersion of the baseline"),
      col("trend", StringType, "Mann–Kendall trend of the series"),
      RUN_ID);

  // ---- publish: disclosure-controlled copies ---------------------------------------------------------
  public static final TableDef PUBLISH_CRIME_STATS = GOLD_CRIME_STATS.extend("publish.crime_stats",
      "gold.crime_stats of national and regional areas under disclosure control: counts 1..k-1 and what reveals them withheld",
      SUPPRESSED,
      col("suppression", StringType, "primary (a count 1..k-1) | secondary (withheld so a primary cannot be recomputed)"),
      col("prev_suppressed", BooleanType, "the previous period's count is withheld"),
      col("yoy_suppressed", BooleanType, "last year's count is withheld"));
  public static final TableDef PUBLISH_THREAT_ASSESSMENT = GOLD_THREAT_ASSESSMENT.extend("publish.threat_assessment",
      "gold.threat_assessment under disclosure control", SUPPRESSED);
  public static final TableDef PUBLISH_CRIME_TRENDS = GOLD_CRIME_TRENDS.extend("publish.crime_trends",
      "gold.crime_trends under disclosure control (rolling means over a withheld period blanked too)", SUPPRESSED);
  public static final TableDef PUBLISH_EARLY_WARNINGS = GOLD_EARLY_WARNINGS.extend("publish.early_warnings",
      "gold.early_warnings under disclosure control", SUPPRESSED);

  // ---- gold: hotspots and forecasts --------------------------------------------------------------------
  static final List<String> CELL_KEYS = List.of("period", "period_end", "scope", "offence", "cell_size_m", "cell_id");

  public static final TableDef GOLD_HOTSPOT_CELLS = TableDef.of("gold.hotspot_cells",
      "one row per grid cell of a hotspot run: count, Getis–Ord Gi* z, p-values, FDR q and hot/cold class", CELL_KEYS,
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, SCOPE, OFFENCE, CELL_ID, CELL_X, CELL_Y, CRS, CELL_SIZE,
      col("band_m", DoubleType, "Gi* distance band in metres (cell centres within it are neighbours)"),
      col("count", LongType, "located crimes in the cell"),
      HARM,
      col("nb_w", IntegerType, "W_i: cells in the neighbourhood, the cell included"),
      col("gi_z", DoubleType, "Gi* z-score (Ord & Getis 1995); null without neighbours or variance"),
      col("gi_p", DoubleType, "two-sided normal p of gi_z"),
      col("gi_p_perm", DoubleType, "conditional-permutation pseudo-p (1 + #extreme) / (R + 1), seeded per cell"),
      col("gi_p_sim", DoubleType, "exact randomisation p (the R → ∞ limit of gi_p_perm)"),
      col("gi_q", DoubleType, "Benjamini–Hochberg q of gi_p_sim over all cells of the run"),
      col("class", StringType, "hot|cold 99% (q < 0.01), 95%, 90%, not significant, no neighbours, no variance"),
      col("permutations", IntegerType, "R, the permutations per cell"),
      col("seed", LongType, "permutation seed"),
      CELL_GEOM,
      CELL_GRID);

  public static final TableDef GOLD_HOTSPOT_KDE = TableDef.of("gold.hotspot_kde",
      "quartic kernel density of located crimes at every grid cell centre", CELL_KEYS,
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, SCOPE, OFFENCE, CELL_ID, CELL_X, CELL_Y, CRS, CELL_SIZE,
      col("bandwidth_m", DoubleType, "kernel bandwidth in metres"),
      col("density_per_km2", DoubleType, "crimes per km² (quartic kernel, Silverman 1986 eq. 4.5)"),
      CELL_GEOM,
      CELL_GRID);

  public static final TableDef GOLD_EMERGING_HOTSPOTS = TableDef.of("gold.emerging_hotspots",
      "emerging hot spot class of every cell from monthly Gi* slices (same significance rule as the map)", CELL_KEYS,
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, SCOPE, OFFENCE, CELL_ID, CELL_X, CELL_Y, CRS, CELL_SIZE,
      col("slices", IntegerType, "monthly slices ending at period_end"),
      col("hot_slices", IntegerType, "slices in which the cell is a hot spot (q < 0.10)"),
      col("cold_slices", IntegerType, "slices in which the cell is a cold spot (q < 0.10)"),
      col("final_class", StringType, "the cell's class in the final slice (as on the month's map)"),
      col("trend_z", DoubleType, "Mann–Kendall z of the cell's Gi* z series"),
      col("trend_p", DoubleType, "Mann–Kendall p of that series"),
      col("pattern", StringType, "ArcGIS emerging hot spot category (new, consecutive, intensifying, ... hot/cold spot)"),
      CELL_GEOM,
      CELL_GRID);

  static final StructField HORIZON = col("horizon", StringType, "1w | 1m: the forecast window after as_of");
  static final StructField AS_OF = col("as_of", DateType, "forecast start: only events before it are used");

  public static final TableDef GOLD_FORECASTS = TableDef.of("gold.forecasts",
      "per-cell scores of each forecast method for [as_of, as_of + horizon) and what then happened",
      List.of("scope", "offence", "horizon", "cell_size_m", "as_of", "cell_id"),
      RUN_ID, SCOPE, OFFENCE, HORIZON, CELL_SIZE, AS_OF, CELL_ID, CELL_X, CELL_Y, CRS,
      col("naive", DoubleType, "crimes in the last horizon before as_of"),
      col("kde", DoubleType, "quartic kernel density of the last 3 months, per km²"),
      col("prospective", DoubleType, "Bowers–Johnson–Pease risk (400 m, 8 weeks); null for month-only sources"),
      col("sepp", DoubleType, "self-exciting point process expected count; null for month-only sources"),
      col("actual", LongType, "crimes that then happened in the window (0 for a future window)"));

  public static final TableDef GOLD_FORECAST_EVALUATION = TableDef.of("gold.forecast_evaluation",
      "backtest of each method and as-of date at 1/5/10% coverage: hit rate, PAI and PEI",
      List.of("scope", "offence", "horizon", "cell_size_m", "as_of", "method", "coverage"),
      RUN_ID, SCOPE, OFFENCE, HORIZON, CELL_SIZE, AS_OF,
      col("method", StringType, "naive | kde | prospective | sepp"),
      col("coverage", DoubleType, "share of cells flagged (0.01, 0.05, 0.10)"),
      col("cells_selected", LongType, "k = ceil(coverage · cells)"),
      col("hits", LongType, "crimes in the flagged cells"),
      col("total_events", LongType, "crimes in the window"),
      col("hit_rate", DoubleType, "hits / total_events"),
      col("pai", DoubleType, "hit rate / area share (Chainey, Tompson & Uhlig 2008)"),
      col("pei", DoubleType, "hits / the best possible hits with k cells (Hunt 2016)"));

  // ---- repeats (Repeats, RepeatExpectation) --------------------------------------------------------

  public static final TableDef GOLD_REPEAT_LOCATIONS = TableDef.of("gold.repeat_locations",
      "one row per location with two or more crimes in the window (repeat locations, most crimes first)",
      List.of("period", "period_end", "scope", "offence", "location_key"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, SCOPE, OFFENCE,
      col("location_key", StringType, "the location as its source identifies it (conf/sources location-key: "
          + "police.uk's snapped point, Chicago's block)"),
      col("location_text", StringType, "the location as published (one of its records' text)"),
      col("lon", DoubleType, "longitude (WGS84): mean of the location's records"),
      col("lat", DoubleType, "latitude (WGS84): mean of the location's records"),
      col("area_code", StringType, "the location's local area (LSOA, beat): the one most of its records name"),
      col("area_regional", StringType, "the regional area (force area, district) of that local area"),
      col("incidents", LongType, "crimes at the location in the window"),
      col("first_month", DateType, "month of its first crime in the window"),
      col("last_month", DateType, "month of its last crime in the window"),
      col("rank", IntegerType, "1 = most crimes in the scope (ties share a rank)"),
      col("share_of_scope", DoubleType, "its crimes / all located crimes of the scope and window"));

  public static final TableDef GOLD_REPEAT_LOCATION_AREAS = TableDef.of("gold.repeat_location_areas",
      "per local area and for the whole scope: repeat locations, their share of crime, and whether crime repeats at "
          + "locations more than chance gives (Poisson at the area's rate, one-sided binomial test, BH q)",
      List.of("period", "period_end", "scope", "offence", "level", "area_code"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, SCOPE, OFFENCE,
      col("level", StringType, "local (one area) | scope (all areas of the jurisdiction)"),
      col("area_code", StringType, "local area code (LSOA, beat), or the scope"),
      col("locations_at_risk", LongType, "locations ever recorded in the area (any month, any record): the targets L"),
      col("locations_hit", LongType, "locations with at least one crime in the window: H"),
      col("incidents", LongType, "located crimes of the window in the area: n"),
      col("repeat_locations", LongType, "locations with two or more crimes in the window"),
      col("repeat_incidents", LongType, "crimes at repeat locations"),
      col("repeat_share", DoubleType, "repeat_incidents / incidents: the share of crime at repeat locations"),
      col("expected_repeat_locations", DoubleType, "repeat locations chance gives: L (1 − e^−λ (1 + λ)), λ = n / L"),
      col("repeats", LongType, "n − H: crimes beyond the first at their location (incidence − prevalence)"),
      col("expected_repeats", DoubleType, "repeats chance gives: n − L (1 − e^−λ)"),
      col("excess_ratio", DoubleType, "repeats / expected_repeats"),
      col("p_value", DoubleType, "one-sided p of H or fewer locations hit by chance (binomial; scope: normal "
          + "approximation of the areas' sum)"),
      col("q_value", DoubleType, "Benjamini–Hochberg q over the run's local areas (null on the scope row)"),
      col("exceeds_chance", BooleanType, "true only when significant: q ≤ ilp.repeats.alpha (scope row: p ≤ alpha)"),
      col("unlocated_incidents", LongType, "scope row: crimes of the window without a location, left out; null on areas"));

  // ---- near repeat (Knox, NearRepeatAlerts) ----------------------------------------------------------------
  static final StructField NR_FROM = col("period_from", DateType, "first day of the period analysed (its first month)");
  static final StructField NR_TO = col("period_to", DateType, "last day of the period analysed (its last month's end)");
  static final StructField NR_METRIC = col("metric", StringType, "euclidean | manhattan: how distances were measured");

  public static final TableDef GOLD_NEAR_REPEAT = TableDef.of("gold.near_repeat",
      "the Knox test of space-time interaction (near repeat) of one scope, offence and period: per distance band x "
          + "time band, the event pairs observed against a Monte Carlo null of permuted dates (NRC / NearRepeat layout)",
      List.of("scope", "offence", "period_from", "period_to", "metric", "distance_from_m", "time_from_days"),
      RUN_ID, SCOPE, OFFENCE, NR_FROM, NR_TO, NR_METRIC,
      col("events", LongType, "events analysed: crimes of the period with a point and a day"),
      col("excluded_events", LongType, "crimes of the period left out: no usable point or no day (month-only dates)"),
      col("distance_from_m", IntegerType, "band's lower bound, whole metres, inclusive (0-0 = the same point)"),
      col("distance_to_m", IntegerType, "band's upper bound, whole metres, inclusive: a pair is in the band when the "
          + "ceiling of its distance is within [from, to]"),
      col("time_from_days", IntegerType, "band's lower bound in whole calendar days between the two dates, inclusive"),
      col("time_to_days", IntegerType, "band's upper bound in calendar days, inclusive"),
      col("observed", LongType, "event pairs in this distance and time band"),
      col("null_mean", DoubleType, "mean pairs of the band over the permutations (dates shuffled among the events)"),
      col("null_median", DoubleType, "median of the null (R type-7 quantile)"),
      col("null_p95", DoubleType, "95th percentile of the null: observed above it is significant at 5%"),
      col("null_p99", DoubleType, "99th percentile of the null"),
      col("knox_ratio", DoubleType, "observed / null_mean (null when the null mean is 0): above 1 = more pairs than chance"),
      col("knox_ratio_median", DoubleType, "observed / null_median (NearRepeat's knox_ratio_median)"),
      col("p_value", DoubleType, "pseudo p-value (1 + permutations with at least the observed pairs) / (1 + permutations)"),
      col("significant", BooleanType, "true only when knox_ratio > 1 and p_value <= ilp.nearrepeat.alpha: a raised "
          + "near-repeat risk; false is never a finding of 'no risk', only of no evidence"),
      col("permutations", IntegerType, "Monte Carlo permutations of the null"),
      col("seed", LongType, "seed of the permutations (the same seed gives the same null)"));

  public static final TableDef GOLD_NEAR_REPEAT_ALERTS = TableDef.of("gold.near_repeat_alerts",
      "grid cells near the latest events of a near-repeat run where the Knox test found a raised risk, and until when: "
          + "one row per cell, for patrol planning (exported as GeoJSON / GeoParquet)",
      List.of("scope", "offence", "period_from", "period_to", "cell_id"),
      RUN_ID, SCOPE, OFFENCE, NR_FROM, NR_TO,
      col("as_of", DateType, "the latest event date of the period: the alerts still running on that day"),
      CELL_ID, CELL_X, CELL_Y, CRS, CELL_SIZE, CELL_GEOM,
      col("source_events", LongType, "recent events whose near-repeat zone reaches this cell (the pattern: significant "
          + "bands with a Knox ratio of at least ilp.nearrepeat.alert-min-ratio, contiguous from the first time band)"),
      col("last_event_date", DateType, "date of the latest of those events"),
      col("nearest_m", DoubleType, "distance in metres from the nearest of those events to the cell (0 = in it)"),
      col("alert_until", DateType, "last day of raised risk: an event's date + the longest pattern time band "
          + "whose distance band reaches the cell"),
      col("max_knox_ratio", DoubleType, "the highest Knox ratio among the pattern bands that reach the cell"));

  // ---- persons (PersonsJob, TargetsJob): pseudonyms only, clear identifiers in vault.* ---------------------
  static final StructField PERSON_KEY = col("person_key", StringType,
      "the person's keyed pseudonym: HMAC-SHA-256 (hex) of the resolved entity; the same person in every table");
  static final StructField MENTION_ID = col("mention_id", StringType,
      "the person record: <source record id>, or <report id>#<n> for the n-th subject of an intelligence report");

  public static final TableDef SILVER_PERSON_MENTIONS = TableDef.of("silver.person_mentions",
      "one row per person record of every person source (incident roles, intelligence subjects, border crossings, "
          + "prison releases), resolved to one pseudonymous person; no clear identifier (those are in vault.*)",
      List.of("mention_id"),
      MENTION_ID, PERSON_KEY, SOURCE,
      col("record_id", StringType, "the agency's record id (incident person, report, crossing, release)"),
      col("agency_code", StringType, "agency that recorded it"),
      col("agency_level", StringType, "local | regional | national"),
      col("event_date", DateType, "date of the incident, report, crossing or release"),
      col("role", StringType, "suspect | arrestee | victim | witness | subject | traveller | released"),
      col("sex", StringType, "M | F | null"),
      col("birth_year", IntegerType, "year of birth (the date itself stays in the vault)"),
      col("postcode_district", StringType, "outward code of the address postcode (the full postcode stays in the vault)"),
      col("incident_ref", StringType, "the police incident reference (police_persons)"),
      col("source_category", StringType, "offence or theme as the source names it"),
      ICCS_L1, ICCS_L2,
      col("lon", DoubleType, "longitude of the incident or report location (WGS84)"),
      col("lat", DoubleType, "latitude of the incident or report location (WGS84)"),
      col("source_evaluation", IntegerType, "intelligence: 3x5x2 source evaluation 1-3"),
      col("intelligence_assessment", StringType, "intelligence: A-E"),
      col("handling_code", StringType, "intelligence: P (lawful sharing permitted) | C (conditions apply)"),
      col("crossing_point", StringType, "border: port of the crossing"),
      col("direction", StringType, "border: inbound | outbound"),
      col("document_key", StringType, "border: pseudonym of the travel document number"),
      col("vehicle_key", StringType, "border: pseudonym of the vehicle registration"),
      col("co_travellers", createArrayType(StringType), "border: mention ids of the others crossing in the same party"),
      col("establishment", StringType, "prisons: releasing establishment"),
      col("sentence_months", IntegerType, "prisons: sentence length in months"),
      col("supervision_end", DateType, "prisons: end of supervision on licence"),
      col("match_bits", DoubleType, "strongest link weight (bits) of this record to another of its person; null alone"),
      col("source_file", StringType, "raw file of the record"),
      col("source_row_number", LongType, "its record number in that file"),
      col("file_checksum", StringType, "SHA-256 of that file"),
      RUN_ID)
      .withStatsOn("mention_id", "person_key", "source", "event_date");

  public static final TableDef VAULT_PERSON_IDENTITIES = TableDef.of("vault.person_identities",
      "RESTRICTED: the clear identifiers of every person record, by pseudonym; read only through `ilp reidentify`",
      List.of("mention_id"),
      MENTION_ID, PERSON_KEY, SOURCE,
      col("given_name", StringType, "given name as recorded"),
      col("family_name", StringType, "family name as recorded"),
      col("date_of_birth", DateType, "date of birth as recorded"),
      col("postcode", StringType, "address postcode as recorded"),
      col("national_id", StringType, "national identifier as recorded"),
      col("document_number", StringType, "travel document number as recorded"),
      col("vehicle_registration", StringType, "vehicle registration as recorded"),
      RUN_ID)
      // statistics (min/max values in the Delta log) on the keys only: no identifier outlives its erasure in the log
      .withStatsOn("mention_id", "person_key", "source");

  // ---- ILP's person targets (TargetsJob): pseudonyms only; never published -----------------------------------
  static final StructField WINDOW_LEVEL = col("level", StringType,
      "national (every offender or victim of the window) | area (those of one regional area: the force area the "
          + "incident lies in)");
  static final StructField WINDOW_AREA = col("area_code", StringType, "regional area code, or 'national'");

  public static final TableDef GOLD_PROLIFIC_OFFENDERS = TableDef.of("gold.prolific_offenders",
      "the top offenders of a window by recency-frequency-gravity (RFG), nationally and per area, with every "
          + "component visible; suspects and arrestees of police incidents, by pseudonym",
      List.of("period", "period_end", "level", "area_code", "person_key"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, WINDOW_LEVEL, WINDOW_AREA, PERSON_KEY,
      col("incidents", LongType, "frequency: distinct incidents the person is a suspect or arrestee of in the window"),
      col("last_date", DateType, "date of the latest of those incidents"),
      col("days_since_last", IntegerType, "recency: days from last_date to the window's last day"),
      col("gravity", DoubleType, "gravity: sum of the harm weights (conf harm weights, by ICCS level 2) of those incidents"),
      col("recency_score", DoubleType, "1 - days_since_last / days of the window (1 = an offence on its last day)"),
      col("frequency_score", DoubleType, "incidents / the most incidents of an offender of the level and area"),
      col("gravity_score", DoubleType, "gravity / the highest gravity of an offender of the level and area"),
      col("rfg_score", DoubleType, "recency_score + frequency_score + gravity_score (0..3)"),
      col("rank", IntegerType, "1 = highest rfg_score (ties: more incidents, more gravity, then pseudonym order)"),
      col("offenders", LongType, "offenders of the level and area in the window (those ranked)"));

  public static final TableDef GOLD_REPEAT_VICTIMS = TableDef.of("gold.repeat_victims",
      "persons recorded as the victim of two or more police incidents in a window, by pseudonym, most first",
      List.of("period", "period_end", "person_key"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, PERSON_KEY,
      col("area_code", StringType, "regional area of most of the person's victimisations (ties: the smallest code)"),
      col("incidents", LongType, "distinct incidents the person is a victim of in the window"),
      col("first_date", DateType, "first of them"),
      col("last_date", DateType, "latest of them"),
      col("rank", IntegerType, "1 = most incidents"),
      col("share_of_victimisation", DoubleType, "incidents / all victimisations of the window (national)"));

  public static final TableDef GOLD_REPEAT_VICTIM_AREAS = TableDef.of("gold.repeat_victim_areas",
      "per regional area and nationally: repeat victims, their share of victimisation, and whether victimisation "
          + "repeats on the same persons more than chance gives (Poisson at the area's rate, binomial test, BH q)",
      List.of("period", "period_end", "level", "area_code"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH,
      col("level", StringType, "area | national"), WINDOW_AREA,
      col("victims_at_risk", LongType, "persons ever recorded as a victim in the area (any date): the targets L"),
      col("victims_hit", LongType, "persons victimised at least once in the window: H"),
      col("incidents", LongType, "victimisations of the window in the area: n"),
      col("repeat_victims", LongType, "persons victimised two or more times in the window"),
      col("repeat_incidents", LongType, "victimisations of repeat victims"),
      col("repeat_share", DoubleType, "repeat_incidents / incidents"),
      col("expected_repeat_victims", DoubleType, "repeat victims chance gives: L (1 - e^-lambda (1 + lambda)), lambda = n / L"),
      col("repeats", LongType, "n - H: victimisations beyond each victim's first"),
      col("expected_repeats", DoubleType, "repeats chance gives: n - L (1 - e^-lambda)"),
      col("excess_ratio", DoubleType, "repeats / expected_repeats"),
      col("p_value", DoubleType, "one-sided p of H or fewer victims hit by chance (national: normal approximation)"),
      col("q_value", DoubleType, "Benjamini-Hochberg q over the areas (null on the national row)"),
      col("exceeds_chance", BooleanType, "true only when significant: q <= ilp.targets.alpha (national: p <= alpha)"));

  public static final TableDef GOLD_OFFENDER_NETWORK = TableDef.of("gold.offender_network",
      "links between persons of a window: co-offending (suspects or arrestees of one incident), intelligence "
          + "reports naming them together, crossing a border in one party; by pseudonym",
      List.of("period", "period_end", "person_a", "person_b"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH,
      col("person_a", StringType, "pseudonym of one person (the smaller of the two)"),
      col("person_b", StringType, "pseudonym of the other"),
      col("co_offending", LongType, "incidents both are suspects or arrestees of"),
      col("intelligence", LongType, "intelligence reports naming both"),
      col("co_travel", LongType, "border crossings in one party"),
      col("links", LongType, "co_offending + intelligence + co_travel"),
      col("first_date", DateType, "first linking event"),
      col("last_date", DateType, "latest linking event"),
      col("component_id", StringType, "the network (connected component) of the link: its smallest pseudonym"));

  public static final TableDef GOLD_NETWORK_PERSONS = TableDef.of("gold.network_persons",
      "every linked person of a window's network: component, degree, betweenness, cut point, broker; by pseudonym",
      List.of("period", "period_end", "person_key"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH, PERSON_KEY,
      col("component_id", StringType, "the person's network: its smallest pseudonym"),
      col("component_size", LongType, "persons in that network"),
      col("degree", IntegerType, "persons the person is linked to"),
      col("betweenness", DoubleType, "shortest paths between others of the network through the person (Brandes; "
          + "JGraphT, unweighted, undirected); null when the network exceeds ilp.targets.network.max-betweenness-persons"),
      col("betweenness_normalised", DoubleType, "betweenness / ((n-1)(n-2)/2), n = component_size: 0..1"),
      col("cut_point", BooleanType, "removing the person splits the network (an articulation point); null when too large"),
      col("broker", BooleanType, "the cut point of highest betweenness in a network of three or more"),
      col("rank_in_component", IntegerType, "1 = highest betweenness of the network (ties: degree, then pseudonym)"));

  public static final TableDef GOLD_SUBJECT_PROFILES = TableDef.of("gold.subject_profiles",
      "the NIM subject profile of every person, by pseudonym: offences, victimisations, areas, timeline, associates, "
          + "border movements, releases and intelligence with its grading, from every agency's records (any date)",
      List.of("person_key"),
      RUN_ID, col("as_of", DateType, "last day of the targets run's window"), PERSON_KEY,
      col("sources", createArrayType(StringType), "person sources naming the person"),
      col("first_seen", DateType, "earliest record of the person"),
      col("last_seen", DateType, "latest record of the person"),
      col("offences", LongType, "police incidents as suspect or arrestee"),
      col("offences_by_iccs_l1", LONG_MAP, "those incidents per ICCS level-1 section"),
      col("victimisations", LongType, "police incidents as victim"),
      col("areas", createArrayType(StringType), "regional areas of the person's located records"),
      col("associates", LongType, "persons linked to the person in the window's network"),
      col("associate_keys", createArrayType(StringType), "their pseudonyms"),
      col("network_id", StringType, "the person's network (gold.network_persons.component_id); null if unlinked"),
      col("border_crossings", LongType, "border crossings"),
      col("last_crossing", DateType, "latest crossing"),
      col("crossing_points", createArrayType(StringType), "ports crossed at"),
      col("releases", LongType, "prison releases"),
      col("last_release", DateType, "latest release"),
      col("supervision_end", DateType, "latest end of supervision on licence"),
      col("intelligence_reports", LongType, "intelligence reports naming the person"),
      col("last_report", DateType, "latest of them"),
      col("best_source_evaluation", IntegerType, "best (lowest) 3x5x2 source evaluation of them: 1 reliable"),
      col("best_assessment", StringType, "best intelligence assessment of them (A known directly .. E suspected false)"));

  public static final TableDef GOLD_INTELLIGENCE_GAPS = TableDef.of("gold.intelligence_gaps",
      "per regional area and ICCS section of a window: the harm and volume of recorded crime against the intelligence "
          + "reports held on it and their grading; the high-harm, low-intelligence cells ranked first",
      List.of("period", "period_end", "area_code", "iccs_l1"),
      RUN_ID, PERIOD_START_MONTH, PERIOD_END_MONTH,
      col("area_code", StringType, "regional area: the recording force or district of the crimes, the area the "
          + "report's location lies in"),
      col("iccs_l1", StringType, "ICCS level-1 section of the crimes and of the reports' offence theme"),
      col("crimes", LongType, "notifiable crimes recorded (gold.crime_counts)"),
      col("harm", DoubleType, "sum of their harm weights (ilp.assess.harm-weights)"),
      col("harm_share", DoubleType, "harm / all harm of the window"),
      col("reports", LongType, "intelligence reports on the area and section"),
      col("reliable_reports", LongType, "of those, graded source evaluation 1 and intelligence assessment A or B"),
      col("report_share", DoubleType, "reports / all reports of the window"),
      col("gap", DoubleType, "harm_share - report_share: positive where harm outweighs the intelligence held"),
      col("rank", IntegerType, "1 = the largest gap (ties: more harm)"));

  public static final TableDef OPS_DISCLOSURE_LOG = TableDef.of("ops.disclosure_log",
      "one row per request to re-identify a person (`ilp reidentify`), allowed or refused: who, when, why and what was "
          + "disclosed (field names and counts, never the values)",
      List.of("run_id"),
      RUN_ID,
      col("requested_at", TimestampType, "when (UTC)"),
      col("user", StringType, "OS user that asked"),
      col("host", StringType, "host name"),
      col("role", StringType, "the role the request was made in (ilp.access.role); null when none"),
      col("person_key", StringType, "the pseudonym asked about"),
      col("purpose", StringType, "the purpose given (--purpose)"),
      col("outcome", StringType, "disclosed | refused (role not allowed) | not_found (no such pseudonym)"),
      col("records_disclosed", LongType, "person records whose identifiers were disclosed"),
      col("fields_disclosed", createArrayType(StringType), "identifier fields disclosed"),
      col("sources", createArrayType(StringType), "sources of the records disclosed"));

  // ---- gold: disparity (DisparityJob): is the data itself biased? -------------------------------------------
  public static final TableDef GOLD_DISPARITY = TableDef.of("gold.disparity",
      "stop-and-search by ethnic group per force and period: searches per 1,000 residents (Census 2011), the rate "
          + "ratio to the White group with its exact 95% interval, and the share of searches ending in no further action",
      List.of("period_type", "period", "area_code", "ethnicity_basis", "ethnic_group"),
      RUN_ID, PERIOD_TYPE, PERIOD,
      col("months", IntegerType, "months of the period with searches of the force (a year of fewer than 12 is partial)"),
      col("area_code", StringType, "police force area code (the force that searched)"),
      col("area_name", StringType, "police force area name"),
      col("ethnicity_basis", StringType, "self_defined (the person's own answer, the Home Office's basis) | "
          + "officer_defined (the officer's perception: White, Black, Asian, Other)"),
      col("ethnic_group", StringType, "White | Black | Asian | Mixed | Other (Census 2011 high-level groups; officers "
          + "record no Mixed group, so officer-defined Other is set against Mixed + Other residents) | Not stated"),
      col("searches", LongType, "searches of the group in the period"),
      col("searches_all", LongType, "all searches of the force in the period, stated or not"),
      col("population", LongType, "usual residents of the group in the force area, Census 2011 (null for Not stated)"),
      col("rate_per_1000", DoubleType, "searches per 1,000 residents of the group in the period"),
      col("ratio_to_white", DoubleType, "rate_per_1000 / the White group's rate (1 for White itself)"),
      col("ratio_ci_low", DoubleType, "exact 95% lower limit of the ratio (conditional binomial, R's poisson.test)"),
      col("ratio_ci_high", DoubleType, "exact 95% upper limit of the ratio"),
      col("ratio_p_value", DoubleType, "exact two-sided p-value of rate = White rate"),
      col("difference", StringType, "higher | lower (the interval excludes 1) | not significant; null for White and "
          + "Not stated: a ratio whose interval holds 1 is never called a difference"),
      col("nfa_searches", LongType, "searches of the group with the outcome 'no further action'"),
      col("nfa_share", DoubleType, "nfa_searches / searches"),
      col("nfa_ci_low", DoubleType, "exact 95% lower limit of nfa_share (Clopper-Pearson)"),
      col("nfa_ci_high", DoubleType, "exact 95% upper limit of nfa_share"));

  public static final TableDef OPS_ACCESS_LOG = TableDef.of("ops.access_log",
      "one row per consultation of the warehouse (LED Art. 25): every `ilp sql` and `ilp shell` statement, allowed or "
          + "refused, every `ilp tables`, `ilp report` and `ilp reidentify`: who, when, in which role, why, which tables, "
          + "how many rows",
      List.of("access_id"),
      col("access_id", StringType, "id of the consultation (a UUID)"),
      col("accessed_at", TimestampType, "when (UTC)"),
      col("user", StringType, "who: ilp.access.user (ILP_ANALYST_ID) or else the OS user"),
      col("host", StringType, "host name"),
      col("role", StringType, "the role the statement ran in (ilp.access.role)"),
      col("role_origin", StringType, "where the role came from (the config file and line, or the environment)"),
      col("command", StringType, "sql | shell | tables | report | reidentify"),
      col("statement", StringType, "the SQL statement, or the command's arguments"),
      col("purpose", StringType, "the purpose given (--purpose); null when none"),
      col("tables_read", createArrayType(StringType), "warehouse tables the statement reads (from its analysed plan)"),
      col("rows_returned", LongType, "rows printed or written; null when refused or failed"),
      col("output", StringType, "file the rows were written to (--output), or null for the terminal"),
      col("outcome", StringType, "ok | refused (not allowed to this role, or no purpose) | failed"),
      col("reason", StringType, "why it was refused or failed"),
      col("run_id", StringType, "the job run of a consultation that is a job (report, reidentify): ops.job_runs.run_id"));

  public static final TableDef OPS_ERASURE_LOG = TableDef.of("ops.erasure_log",
      "one row per table and retention rule of each `ilp retention` run: what was past retention, how much was "
          + "deleted, and whether the files were vacuumed (the rows unrecoverable)",
      List.of("run_id", "table_name", "rule"),
      RUN_ID,
      col("erased_at", TimestampType, "when (UTC)"),
      col("table_name", StringType, "the table (database.table)"),
      col("rule", StringType, "the retention rule: ilp.retention.<key>"),
      col("cutoff", DateType, "rows dated before this day were past retention"),
      col("date_column", StringType, "the column the cutoff is compared with"),
      col("rows_before", LongType, "rows of the table before the run"),
      col("rows_erased", LongType, "rows past retention: deleted (or, in a dry run, that would be)"),
      col("rows_after", LongType, "rows of the table after the run"),
      col("dry_run", BooleanType, "true when nothing was deleted (--dry-run)"),
      col("vacuumed", BooleanType, "true when the deleted rows' files were removed (VACUUM): no time travel to them"),
      col("version_before", LongType, "table version before the run"),
      col("version_after", LongType, "table version after the delete (the job run's version)"));

  /**
   * Tables written on request, not by `ilp run`: the disclosure log (`ilp reidentify`), the access log (every
   * consultation), the erasure log (`ilp retention`) and the disparity table (`ilp disparity`).
   */
  public static final List<TableDef> ON_REQUEST = List.of(OPS_DISCLOSURE_LOG, OPS_ACCESS_LOG, OPS_ERASURE_LOG,
      GOLD_DISPARITY);

  /** Every table with a fixed schema (bronze tables come from the source specs: {@link #bronze}). */
  public static final List<TableDef> ALL = List.of(
      OPS_JOB_RUNS, OPS_INGEST_MANIFEST, OPS_QUARANTINE, OPS_CURATE_VERDICTS, OPS_DQ_RESULTS,
      REF_AREAS, REF_POPULATION, REF_OFFENCE_TAXONOMY,
      SILVER_INCIDENTS, SILVER_STOP_SEARCH,
      GOLD_CRIME_COUNTS, GOLD_CRIME_STATS, GOLD_THREAT_ASSESSMENT, GOLD_CRIME_TRENDS, GOLD_EARLY_WARNINGS,
      PUBLISH_CRIME_STATS, PUBLISH_THREAT_ASSESSMENT, PUBLISH_CRIME_TRENDS, PUBLISH_EARLY_WARNINGS,
      GOLD_HOTSPOT_CELLS, GOLD_HOTSPOT_KDE, GOLD_EMERGING_HOTSPOTS, GOLD_FORECASTS, GOLD_FORECAST_EVALUATION,
      GOLD_REPEAT_LOCATIONS, GOLD_REPEAT_LOCATION_AREAS, GOLD_NEAR_REPEAT, GOLD_NEAR_REPEAT_ALERTS,
      SILVER_PERSON_MENTIONS, VAULT_PERSON_IDENTITIES,
      GOLD_PROLIFIC_OFFENDERS, GOLD_REPEAT_VICTIMS, GOLD_REPEAT_VICTIM_AREAS, GOLD_OFFENDER_NETWORK, GOLD_NETWORK_PERSONS,
      GOLD_SUBJECT_PROFILES, GOLD_INTELLIGENCE_GAPS, OPS_DISCLOSURE_LOG, OPS_ACCESS_LOG, OPS_ERASURE_LOG,
      GOLD_DISPARITY);

  /** The person tables ({@code ilp persons}, {@code ilp targets}): person-level, never published. */
  public static final List<TableDef> PERSONS = List.of(SILVER_PERSON_MENTIONS, VAULT_PERSON_IDENTITIES,
      GOLD_PROLIFIC_OFFENDERS, GOLD_REPEAT_VICTIMS, GOLD_REPEAT_VICTIM_AREAS, GOLD_OFFENDER_NETWORK, GOLD_NETWORK_PERSONS,
      GOLD_SUBJECT_PROFILES, GOLD_INTELLIGENCE_GAPS);

  /** Every table: the fixed ones and the bronze table of every known source. */
  public static List<TableDef> all() {
    List<TableDef> out = new ArrayList<>();
    SourceSpec.KNOWN.forEach(s -> out.add(bronze(SourceSpec.load(s))));
    SourceSpec.PERSON_SOURCES.forEach(s -> out.add(bronze(SourceSpec.load(s))));
    out.addAll(ALL);
    return out;
  }

  /** The contract of a table by its name (bronze names resolve through the source specs). */
  public static TableDef byName(String name) {
    Map<String, TableDef> m = all().stream().collect(Collectors.toMap(TableDef::name, Function.identity()));
    TableDef d = m.get(name);
    if (d == null) {
      throw new IllegalArgumentException("no table " + name + " in the registry");
    }
    return d;
  }

  /** The silver table a source's spec targets. */
  public static TableDef silverFor(SourceSpec spec) {
    return "incidents".equals(spec.requireSilver().target()) ? SILVER_INCIDENTS : SILVER_STOP_SEARCH;
  }

  /**
   * Rows of {@link #OPS_QUARANTINE} for records of a bronze-derived frame (one with the lineage columns
   * {@code _source_file, _file_checksum, _row_number}): the one place the quarantine layout is built.
   *
   * @param disposition {@code rejected} (kept out of silver) or {@code flagged} (kept, with a flag), per row
   */
  public static Dataset<Row> quarantineRows(Dataset<Row> records, String source, String stage, Column rawText,
      Column rule, Column reason, Column disposition, String runId, java.sql.Timestamp at) {
    return records.select(
        lit(source).as("source"), lit(stage).as("stage"), col("_source_file").as("source_file"),
        col("_file_checksum").as("file_checksum"), col("_row_number").as("row_number"), rawText.as("raw_text"),
        rule.as("rule"), reason.as("reason"), disposition.as("disposition"), lit(runId).as("run_id"),
        lit(at).as("quarantined_at"));
  }

  /** Creates the lakehouse databases under the warehouse folder. */
  public static void ensureDatabases(SparkSession spark, Path warehouse) {
    for (String db : DATABASES) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + db + " LOCATION '" + warehouse.resolve(db).toUri() + "'");
    }
  }

  private static StructField[] concat(List<StructField> a, List<StructField> b) {
    List<StructField> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(StructField[]::new);
  }

  /** The schema of a list of fields (for code that builds rows of a contract by hand). */
  public static StructType schemaOf(TableDef def) {
    return def.schema();
  }
}
