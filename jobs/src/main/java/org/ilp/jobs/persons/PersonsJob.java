package org.ilp.jobs.persons;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.ilp.common.config.ConfFiles;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.curate.Curation;
import org.ilp.common.identity.PersonLinkage;
import org.ilp.common.identity.PersonMentions;
import org.ilp.common.privacy.Pseudonyms;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * Persons from every agency, resolved and pseudonymised: bronze.&lt;person source&gt; → silver.person_mentions (one row
 * per person record, identified only by the keyed pseudonym of its person) and vault.person_identities (the clear
 * identifiers, restricted).
 *
 * <ol>
 *   <li><b>Rules</b>: each source's spec (canonical values, taxonomy, must-parse and required fields), as curate
 *       applies them; a record that breaks one goes to ops.quarantine with its rule and file row, its values withheld
 *       (a person record's raw text stays in bronze). Records of the same content are one record (the first kept).
 *   <li><b>Mentions</b> ({@link PersonMentions}): one per person in a record (an intelligence report's subjects each).
 *   <li><b>Identity</b> ({@link PersonLinkage}, rules and thresholds in {@code conf/identity/person_linkage.conf}):
 *       blocking, Fellegi–Sunter scores, connected components: one entity per person.
 *   <li><b>Pseudonyms</b> ({@link Pseudonyms}): {@code person_key} = HMAC-SHA-256 of the entity (its smallest
 *       mention id); document numbers and vehicle registrations likewise. Birth dates are reduced to the year and
 *       postcodes to the district in silver; the clear values go to the vault only.
 * </ol>
 *
 * <p><b>Inputs:</b> the bronze tables of the person sources ({@code SourceSpec.PERSON_SOURCES}) that exist, ref.offence_taxonomy. <b>Outputs:</b> silver.person_mentions, vault.person_identities (each
 * rewritten whole: identity is resolved over all records at once, so a new record can join two persons), the person
 * sources' curate rows of ops.quarantine (replaced). Unchanged inputs, rules and key: a no-op.
 *
 * <p><b>Knobs:</b> ilp.secrets.pseudonym-key or pseudonym-key-file (the key: never logged);
 * conf/identity/person_linkage.conf.
 */
public final class PersonsJob {
  public static final String JOB = "persons";
  static final List<TableDef> OUTPUTS = List.of(Tables.SILVER_PERSON_MENTIONS, Tables.VAULT_PERSON_IDENTITIES);
  static final String LINKAGE_CONF = "identity/person_linkage.conf";

  private PersonsJob() {}

  /**
   * The person sources to read and the key's fingerprint ({@link Pseudonyms#fingerprint}; "none" without a key,
   * which the run refuses when there are person records): a new key changes every pseudonym, so a run with another
   * key is no repeat of the last one.
   */
  public record Params(List<SourceSpec> sources, String keyFingerprint) {
    public Params {
      sources = List.copyOf(sources);
    }

    /** Every person source ({@link SourceSpec#PERSON_SOURCES}; those ingested are read). */
    public static Params of(IlpConfig config) {
      var secrets = config.raw().getConfig("ilp.secrets");
      return new Params(SourceSpec.PERSON_SOURCES.stream().map(SourceSpec::load).toList(),
          Pseudonyms.configured(secrets) ? Pseudonyms.fromConfig(secrets).fingerprint() : "none");
    }

    public Map<String, String> asMap() {
      return Map.of("sources", String.join(",", sources.stream().map(SourceSpec::name).toList()),
          "linkage_rules", ConfFiles.sha256(LINKAGE_CONF).substring(0, 16), "pseudonym_key", keyFingerprint);
    }
  }

  /** The outputs of the pure core. */
  public record Outputs(Dataset<Row> silver, Dataset<Row> vault, Dataset<Row> quarantine, long duplicates,
      long blocksSkipped) {}

  /** The pure core: each source's bronze rows → the output frames (see the class comment). */
  public static Outputs transform(Map<SourceSpec, Dataset<Row>> bronze, Dataset<Row> taxonomy, PersonLinkage linkage,
      Pseudonyms pseudonyms, String runId, Timestamp at) {
    List<Dataset<Row>> mentions = new ArrayList<>();
    List<Dataset<Row>> quarantine = new ArrayList<>();
    long duplicates = 0;
    for (Map.Entry<SourceSpec, Dataset<Row>> e : bronze.entrySet()) {
      SourceSpec spec = e.getKey();
      Dataset<Row> ruled = Keep.MATERIALIZE.apply(Curation.withRules(Curation.withTaxonomy(Curation.canonical(
          e.getValue(), spec), spec, taxonomy), spec));
      quarantine.add(Tables.quarantineRows(ruled.where(col("rule").isNotNull()), spec.name(), "curate",
          lit(null).cast("string"), col("rule"), concat(lit("rule "), col("rule"),
              lit(" broken; values withheld (a person record: its raw values are in bronze at this file row)")),
          lit("rejected"), runId, at));
      // the same content twice (a file exported again under another name) is one record: the first is kept
      Dataset<Row> passed = Keep.MATERIALIZE.apply(ruled.where(col("rule").isNull()).withColumn("_n", row_number().over(
          Window.partitionBy("content_hash").orderBy("_file_checksum", "_row_number"))));
      duplicates += passed.where(col("_n").gt(1)).count();
      mentions.add(PersonMentions.of(passed.where(col("_n").equalTo(1)), spec));
    }
    Dataset<Row> all = Keep.MATERIALIZE.apply(mentions.stream().reduce(Dataset::unionByName).orElseThrow());
    PersonLinkage.Result linked = linkage.link(PersonMentions.linkageInput(all));
    Dataset<Row> resolved = Keep.MATERIALIZE.apply(PersonMentions.resolved(all, linked, linkage.thresholdBits(),
        pseudonyms));
    return new Outputs(PersonMentions.silver(resolved, pseudonyms, runId), PersonMentions.vault(resolved, runId),
        quarantine.stream().reduce(Dataset::unionByName).orElseThrow(), duplicates, linked.blocksSkipped());
  }

  /** The shell: read, check, transform, write. */
  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    ctx.stages(3);
    ctx.stage("read", "the person sources' bronze tables");
    Map<SourceSpec, TableDef> present = new LinkedHashMap<>();
    p.sources().stream().filter(s -> Delta.exists(spark, Tables.bronze(s))).forEach(s -> present.put(s, Tables.bronze(s)));
    List<TableDef> inputs = new ArrayList<>(present.values());
    inputs.add(Tables.REF_OFFENCE_TAXONOMY);
    Map<String, Long> inVersions = new LinkedHashMap<>(Delta.versions(spark, inputs));
    if (present.isEmpty()) {
      return ctx.noop(inVersions, "no person source ingested (of " + p.asMap().get("sources") + ")");
    }
    Pseudonyms pseudonyms = Pseudonyms.fromConfig(ctx.config().raw().getConfig("ilp.secrets"));
    if (ctx.unchangedSince(inVersions, OUTPUTS)) {
      return ctx.noop(inVersions, "no new person records, rules or key since the last persons run");
    }
    Map<SourceSpec, Dataset<Row>> bronze = new LinkedHashMap<>();
    Map<String, Long> rowsIn = new LinkedHashMap<>();
    for (Map.Entry<SourceSpec, TableDef> e : present.entrySet()) {
      Dataset<Row> b = Delta.read(spark, e.getValue());
      bronze.put(e.getKey(), b);
      rowsIn.put(e.getValue().name(), b.count());
    }
    ctx.stageDone(present.size() + " sources", rowsIn.values().stream().mapToLong(Long::longValue).sum());

    ctx.stage("resolve", "rules, mentions, identity resolution, pseudonyms");
    Outputs o = transform(bronze, Delta.read(spark, Tables.REF_OFFENCE_TAXONOMY), PersonLinkage.fromConf(), pseudonyms,
        ctx.runId(), Timestamp.from(ctx.startedAt()));
    ctx.stageDone("mentions resolved");

    ctx.stage("write", "silver.person_mentions, vault.person_identities, ops.quarantine");
    Writes.WriteResult silver = Writes.overwrite(Tables.SILVER_PERSON_MENTIONS, o.silver());
    Writes.WriteResult vault = Writes.overwrite(Tables.VAULT_PERSON_IDENTITIES, o.vault());
    Writes.WriteResult q = Writes.replace(Tables.OPS_QUARANTINE, o.quarantine(), col("stage").equalTo("curate")
        .and(col("source").isin(present.keySet().stream().map(SourceSpec::name).toArray())));
    Row counts = Delta.read(spark, Tables.SILVER_PERSON_MENTIONS)
        .agg(count(lit(1)), countDistinct("person_key")).head();
    long quarantined = o.quarantine().count(); // not the write's metric: a replace rewrites other rows too
    ctx.stageDone("written");
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(Tables.SILVER_PERSON_MENTIONS.name(), silver.sourceRows());
    out.put(Tables.VAULT_PERSON_IDENTITIES.name(), vault.sourceRows());
    Map<String, Long> outV = new LinkedHashMap<>();
    outV.put(Tables.SILVER_PERSON_MENTIONS.name(), silver.version());
    outV.put(Tables.VAULT_PERSON_IDENTITIES.name(), vault.version());
    outV.put(Tables.OPS_QUARANTINE.name(), q.version());
    String summary = String.format("%,d person records → %,d mentions of %,d persons; %,d quarantined, %,d duplicate "
            + "records; %,d oversized blocks left out", rowsIn.values().stream().mapToLong(Long::longValue).sum(),
        counts.getLong(0), counts.getLong(1), quarantined, o.duplicates(), o.blocksSkipped());
    return new JobResult(JOB, ctx.runId(), "succeeded", rowsIn, out, quarantined, inVersions, outV,
        Duration.between(ctx.startedAt(), Instant.now()), summary);
  }
}
