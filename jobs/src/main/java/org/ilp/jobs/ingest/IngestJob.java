package org.ilp.jobs.ingest;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.source.BronzeReader;
import org.ilp.common.source.FileScanner;
import org.ilp.common.source.ScannedFile;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Ingest: raw dumps of one source → {@code bronze.<source>}, with a manifest row per file and a
 * quarantine row per record that could not be parsed.
 *
 * <p><b>Inputs</b>: files or folders (read recursively) in the source spec's {@code format}: CSV or JSON Lines
 * (plain or .gz) or Parquet; only names matching the spec's {@code file-pattern} are taken, the rest are listed as
 * skipped.
 * <b>Outputs</b>: {@code bronze.<source>} (append-only: raw strings, {@code _extra},
 * {@code _corrupt_record}, lineage), {@code ops.ingest_manifest} (one row per file: checksum,
 * status, rows read / in bronze / quarantined), {@code ops.quarantine} (stage {@code ingest}).
 *
 * <p><b>Idempotence</b>: a file whose (source, SHA-256) is already in the manifest is skipped, so
 * re-running on the same inputs writes nothing; a changed file with the same name is a new version
 * and is ingested and counted. Bronze rows are written before their manifest rows; rows of a run
 * that died before writing its manifest ("orphans") are deleted at the start of the next run, so a
 * killed run followed by a clean one leaves the same tables as one clean run.
 *
 * <p><b>Bad files never fail the run</b> (exit 0, one log line per bad file): an empty file is recorded
 * with status {@code empty}; a .gz that is not gzip, truncated or corrupt, a binary file or a header of
 * another source, and a file that cannot be read at all (gone, no permission) with status
 * {@code rejected}, a reason, and a quarantine row (so is a Parquet file without a readable footer); an unknown
 * extra column is kept in {@code _extra}
 * and named in the manifest.
 *
 * <p><b>Knobs</b>: {@code --source}, {@code --input}; {@code ilp.ingest.*} in conf.
 */
public final class IngestJob {
  public static final String JOB = "ingest";

  /** Validated parameters. */
  public record Params(SourceSpec spec, List<String> inputs) {
    public Params {
      if (inputs == null || inputs.isEmpty()) {
        throw new IllegalArgumentException("ingest needs at least one --input PATH (file or folder)");
      }
      inputs = List.copyOf(inputs);
    }

    public Map<String, String> asMap() {
      return Map.of("source", spec.name(), "inputs", String.join(",", inputs));
    }
  }

  private IngestJob() {}

  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    SourceSpec spec = p.spec();
    TableDef bronze = Tables.bronze(spec);
    Instant t0 = Instant.now();
    Timestamp now = Timestamp.from(ctx.startedAt());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    ctx.stages(4);

    ctx.stage("scan", "list and checksum " + spec.name() + " files under " + (p.inputs().size() <= 3 ? p.inputs()
        : p.inputs().subList(0, 3) + " and " + (p.inputs().size() - 3) + " more"));
    List<String> skipped = new ArrayList<>();
    List<String> files;
    try {
      files = FileScanner.list(hadoop, p.inputs(), spec, skipped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> known = new HashMap<>();
    Set<String> knownPaths = new HashSet<>();
    Set<String> stamped = new HashSet<>();
    IngestState.knownFiles(spark, spec.name(), known, knownPaths, stamped);
    List<ScannedFile> scanned = new ArrayList<>();
    Map<String, String> stamps = new HashMap<>();
    Map<String, String> thisRun = new HashMap<>();
    for (String f : files) {
      String stamp = FileScanner.stamp(hadoop, f);
      if (stamp != null && stamped.contains(BronzeReader.normalise(f) + "|" + stamp)) {
        continue; // the path, time and size of a file ingested before: unchanged, not read again
      }
      ScannedFile s = FileScanner.scan(hadoop, f, spec); // a bad file comes back rejected, never thrown
      String earlier = thisRun.get(s.checksum());
      if (earlier == null && known.containsKey(s.checksum())) {
        if (knownPaths.contains(BronzeReader.normalise(s.path()))) {
          continue; // a file ingested before, its time touched: the same bytes, nothing to do
        }
        earlier = known.get(s.checksum()) + " (ingested before)";
      }
      if (earlier != null) {
        s = FileScanner.duplicate(s, earlier); // the same bytes under another name: listed, not read twice
      } else {
        thisRun.put(s.checksum(), s.fileName());
      }
      scanned.add(s);
      stamps.put(s.path(), stamp);
    }
    for (String f : skipped) { // names that are not the source's: listed once (and again when changed), not read
      String stamp = FileScanner.stamp(hadoop, f);
      if (stamp == null || !stamped.contains(BronzeReader.normalise(f) + "|" + stamp)) {
        ScannedFile u = FileScanner.unrecognised(f, stamp, spec);
        if (!known.containsKey(u.checksum())) {
          scanned.add(u);
          stamps.put(u.path(), stamp);
        }
      }
    }
    ctx.stageDone("new file(s) of " + files.size() + " found", scanned.size());

    long orphans = IngestState.deleteOrphans(ctx, spec);
    Map<String, Long> inVersions = new LinkedHashMap<>();
    inVersions.put(bronze.name(), Delta.version(spark, bronze));
    if (scanned.isEmpty()) {
      ctx.info("      nothing new to ingest for {}", spec.name());
      return new JobResult(JOB, ctx.runId(), orphans > 0 ? "succeeded" : "noop", Map.of(), Map.of(), 0,
          inVersions, Map.of(bronze.name(), Delta.version(spark, bronze)), Duration.between(t0, Instant.now()),
          "no new files");
    }

    ctx.stage("bronze", "parse " + scanned.size() + " file(s) into " + bronze);
    Map<String, List<ScannedFile>> byLayout = scanned.stream().filter(ScannedFile::readable)
        .collect(Collectors.groupingBy(ScannedFile::layout, LinkedHashMap::new, Collectors.toList()));
    for (List<ScannedFile> group : byLayout.values()) {
      Dataset<Row> rows = BronzeReader.read(spark, spec, group, ctx.runId(), now);
      Writes.append(bronze, rows);
    }
    // only unreadable files so far: the empty table still exists, so downstream jobs find it
    Writes.ensure(spark, bronze);

    ctx.stage("quarantine", "count every file's records; record unparseable records and rejected files");
    Dataset<Row> thisRunRows = Delta.read(spark, bronze).where(col("_ingest_run_id").equalTo(ctx.runId()));
    Map<String, long[]> counts = new HashMap<>();
    long corrupt = 0;
    for (Row r : thisRunRows.groupBy("_source_file").agg(count(lit(1)).as("n"),
        sum(when(col(BronzeReader.CORRUPT).isNotNull(), 1).otherwise(0)).as("bad")).collectAsList()) {
      counts.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
      corrupt += r.getLong(2);
    }
    List<Row> fileRows = new ArrayList<>();
    for (ScannedFile s : scanned) {
      if ("rejected".equals(s.status())) {
        fileRows.add(RowFactory.create(spec.name(), "ingest", BronzeReader.normalise(s.path()), s.checksum(),
            null, null, s.rule(), s.reason(), "rejected", ctx.runId(), now));
      }
    }
    if (corrupt > 0 || !fileRows.isEmpty()) { // the usual clean batch costs no second read and no empty commit
      Dataset<Row> quarantine = Tables.quarantineRows(thisRunRows.where(col(BronzeReader.CORRUPT).isNotNull()),
          spec.name(), "ingest", col(BronzeReader.CORRUPT), lit("parse.malformed_record"),
          lit("jsonl".equals(spec.format()) ? "line is not a JSON object (malformed JSON, or a value that is not an object)"
              : "record does not split into the " + spec.rawColumns().size()
                  + " fields of the header (unbalanced quotes or wrong number of delimiters)"),
          lit("rejected"), ctx.runId(), now);
      Writes.append(Tables.OPS_QUARANTINE, quarantine.unionByName(spark.createDataFrame(fileRows,
          Tables.OPS_QUARANTINE.schema())));
    } else {
      Writes.ensure(spark, Tables.OPS_QUARANTINE); // readers find the (empty) table
    }

    ctx.stage("manifest", "reconcile every file");
    List<Row> manifest = new ArrayList<>();
    long read = 0;
    long bad = 0;
    for (ScannedFile s : scanned) {
      String path = BronzeReader.normalise(s.path());
      long[] c = counts.getOrDefault(path, new long[] {0, 0});
      read += c[0];
      bad += c[1];
      List<String> expected = spec.bronzeColumns();
      List<String> fileCols = BronzeReader.uniqueSnake(s.header());
      String extra = fileCols.stream().filter(x -> !expected.contains(x)).collect(Collectors.joining(","));
      String missing = s.header().isEmpty() ? null
          : expected.stream().filter(x -> !fileCols.contains(x)).collect(Collectors.joining(","));
      long quarantined = c[1] + ("rejected".equals(s.status()) ? 1 : 0);
      manifest.add(RowFactory.create(spec.name(), path, s.fileName(), s.checksum(), s.bytes(), s.status(),
          s.reason(), s.header().isEmpty() ? null : String.join(",", s.header()),
          extra.isEmpty() ? null : extra, missing == null || missing.isEmpty() ? null : missing,
          c[0], c[0] - c[1], null, null, c[1], c[1], null, ctx.runId(), now, null, null,
          IngestState.modifiedAt(stamps.get(s.path()))));
      if (!"ok".equals(s.status())) {
        ctx.info("      {} {}: {}", s.status(), s.fileName(), s.reason());
      } else if (!extra.isEmpty()) {
        ctx.info("      {}: unknown column(s) kept in _extra: {}", s.fileName(), extra);
      }
    }
    Writes.append(Tables.OPS_INGEST_MANIFEST, spark.createDataFrame(manifest, Tables.OPS_INGEST_MANIFEST.schema()));
    ctx.stageDone("records read from " + scanned.size() + " file(s), " + bad + " quarantined", read);

    Map<String, Long> out = new LinkedHashMap<>();
    out.put(bronze.name(), read);
    out.put(Tables.OPS_INGEST_MANIFEST.name(), (long) manifest.size());
    out.put(Tables.OPS_QUARANTINE.name(), bad + fileRows.size());
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of("files", (long) scanned.size(), "records", read),
        out, bad + fileRows.size(), inVersions,
        Map.of(bronze.name(), Delta.version(spark, bronze), Tables.OPS_INGEST_MANIFEST.name(),
            Delta.version(spark, Tables.OPS_INGEST_MANIFEST)),
        Duration.between(t0, Instant.now()),
        String.format("%,d records from %d file(s) → %s (%,d quarantined)", read, scanned.size(), bronze, bad));
  }

}
