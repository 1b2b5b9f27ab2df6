package org.ilp.jobs.targets;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StringType;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10 on the generated warehouse, which `ilp run` built with the person sources (CSV, JSON Lines, Parquet): the
 * planted truth of GROUND_TRUTH.md is recovered through ingest, identity resolution, pseudonyms and the targets, and
 * no clear identifier of the raw person records (nor the key) is anywhere outside bronze and the vault.
 */
@ExtendWith(SparkTestSupport.class)
@Order(25)
class PersonTargetsTest {
  static SparkSession spark;
  static JsonNode planted;
  /** mention id → true person (person_truth.csv); true person → its pseudonym (the key most of its mentions got). */
  static final Map<String, String> truth = new HashMap<>();
  static final Map<String, String> keyOf = new HashMap<>();
  static final Map<String, String> found = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    spark = Warehouses.generated();
    planted = Warehouses.truth().get("person_sources");
    List<String> lines = Files.readAllLines(Warehouses.landing().resolve("person_truth.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      truth.put(f[1], f[2]);
    }
    Delta.read(spark, Tables.SILVER_PERSON_MENTIONS).select("mention_id", "person_key").collectAsList()
        .forEach(r -> found.put(r.getString(0), r.getString(1)));
    Map<String, Map<String, Integer>> votes = new HashMap<>();
    truth.forEach((m, p) -> votes.computeIfAbsent(p, k -> new HashMap<>()).merge(found.get(m), 1, Integer::sum));
    votes.forEach((p, v) -> keyOf.put(p, v.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
  }

  static List<String> keys(JsonNode ids) {
    List<String> out = new ArrayList<>();
    ids.forEach(n -> out.add(keyOf.get(n.asText())));
    return out;
  }

  /** Every person file reconciled (rows read = rows in bronze = rows written), nothing quarantined at any stage. */
  @Test
  void personSourcesIngestReconciledAndResolve() {
    for (String name : SourceSpec.PERSON_SOURCES) {
      Row m = spark.sql("SELECT count(*), sum(rows_read), sum(rows_bronze), sum(rows_quarantined) FROM "
          + "ops.ingest_manifest WHERE source = '" + name + "' AND status = 'ok'").head();
      assertThat(m.getLong(0)).as(name).isEqualTo(1);
      assertThat(m.getLong(1)).as(name).isEqualTo(m.getLong(2)).isEqualTo(planted.get("rows").get(name).asLong());
      assertThat(m.getLong(3)).as(name).isZero();
    }
    assertThat(spark.sql("SELECT count(*) FROM ops.quarantine WHERE source IN ('police_persons', "
        + "'intelligence_reports', 'border_crossings', 'prison_releases')").head().getLong(0)).isZero();
    assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(truth.keySet());
    long both = 0, predicted = 0, actual = 0;
    List<String> ids = new ArrayList<>(truth.keySet());
    for (int i = 0; i < ids.size(); i++) {
      for (int j = i + 1; j < ids.size(); j++) {
        boolean t = truth.get(ids.get(i)).equals(truth.get(ids.get(j)));
        boolean p = found.get(ids.get(i)).equals(found.get(ids.get(j)));
        actual += t ? 1 : 0;
        predicted += p ? 1 : 0;
        both += t && p ? 1 : 0;
      }
    }
    double precision = (double) both / predicted;
    double recall = (double) both / actual;
    System.err.printf("persons: %,d mentions, %,d true pairs, %,d linked, %,d both: precision %.4f, recall %.4f%n",
        ids.size(), actual, predicted, both, precision, recall);
    assertThat(precision).isGreaterThanOrEqualTo(0.98);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  /** The planted group is one network and its planted broker the person of highest betweenness in it, flagged. */
  @Test
  void theOrganisedGroupIsOneNetworkAndItsBrokerHasTheHighestBetweenness() {
    List<String> group = new ArrayList<>(keys(planted.at("/organised_group/clique_a")));
    group.addAll(keys(planted.at("/organised_group/clique_b")));
    String broker = keyOf.get(planted.at("/organised_group/broker").asText());
    group.add(broker);
    Dataset<Row> persons = Delta.read(spark, Tables.GOLD_NETWORK_PERSONS);
    List<Row> members = persons.where(col("person_key").isin(group.toArray())).collectAsList();
    assertThat(members).hasSize(group.size());
    Set<String> components = new HashSet<>();
    members.forEach(r -> components.add(r.getAs("component_id")));
    assertThat(components).hasSize(1);
    Row top = persons.where(col("component_id").equalTo(components.iterator().next()))
        .orderBy(col("betweenness").desc()).head();
    assertThat(top.<String>getAs("person_key")).isEqualTo(broker);
    assertThat(top.<Boolean>getAs("broker")).isTrue();
    assertThat(top.<Boolean>getAs("cut_point")).isTrue();
    Row profile = Delta.read(spark, Tables.GOLD_SUBJECT_PROFILES).where(col("person_key").equalTo(broker)).head();
    assertThat(profile.<String>getAs("network_id")).isEqualTo(components.iterator().next());
    assertThat(profile.<Long>getAs("associates")).isEqualTo(top.<Integer>getAs("degree").longValue());
    assertThat(profile.<Long>getAs("border_crossings")).isPositive(); // planted: crosses with part of clique B
    // planted: each member of clique A is named in two reports (with the next member and with the previous one)
    Row member = Delta.read(spark, Tables.GOLD_SUBJECT_PROFILES).where(col("person_key").equalTo(group.get(0))).head();
    assertThat(member.<Long>getAs("intelligence_reports")).isEqualTo(2L);
    assertThat(member.<Long>getAs("offences")).isPositive();
    // intelligence gaps: the reports (located, themed) set against the crimes of both jurisdictions
    Row gaps = spark.sql("SELECT count(*), sum(reports), min(rank), max(rank), sum(harm_share) FROM "
        + "gold.intelligence_gaps").head();
    assertThat(gaps.getLong(1)).isPositive();
    assertThat(gaps.getInt(2)).isEqualTo(1);
    assertThat((long) gaps.getInt(3)).isEqualTo(gaps.getLong(0));
    assertThat(gaps.getDouble(4)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    System.err.printf("network: the planted group is network %s of %d persons; broker betweenness %.1f (normalised "
            + "%.3f)%n", top.getAs("component_id"), top.<Long>getAs("component_size"), top.<Double>getAs("betweenness"),
        top.<Double>getAs("betweenness_normalised"));
  }

  /** At least 90% of the planted prolific offenders are in the national top N by RFG (N = how many were planted). */
  @Test
  void plantedProlificOffendersLeadTheNationalRanking() {
    List<String> prolific = keys(planted.get("prolific_offenders"));
    List<String> top = Delta.read(spark, Tables.GOLD_PROLIFIC_OFFENDERS).where(col("level").equalTo("national")
            .and(col("rank").leq(prolific.size()))).select("person_key")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    long in = prolific.stream().filter(top::contains).count();
    System.err.printf("prolific: %d of %d planted prolific offenders in the national top %d%n", in, prolific.size(),
        prolific.size());
    assertThat((double) in / prolific.size()).isGreaterThanOrEqualTo(0.9);
  }

  /** Every planted repeat victim is in gold.repeat_victims, and (P/R) no one else: the others were victims once. */
  @Test
  void everyPlantedRepeatVictimIsFound() {
    List<String> planted = keys(PersonTargetsTest.planted.get("repeat_victims"));
    List<String> victims = Delta.read(spark, Tables.GOLD_REPEAT_VICTIMS).select("person_key")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(victims).containsExactlyInAnyOrderElementsOf(planted);
    Row national = Delta.read(spark, Tables.GOLD_REPEAT_VICTIM_AREAS).where(col("level").equalTo("national")).head();
    assertThat(national.<Long>getAs("repeat_victims")).isEqualTo(planted.size());
  }

  /**
   * Acceptance 3: `ilp reidentify` without the role is refused (exit 2, nothing on stdout) and logged; with it, the
   * vault's identifiers of that pseudonym are printed and the disclosure logged — field names and counts, no values.
   */
  @Test
  void reidentifyIsRefusedWithoutTheRoleAndEveryRequestIsLogged() {
    String broker = keyOf.get(planted.at("/organised_group/broker").asText());
    String wh = SparkTestSupport.warehouse().toString();
    String purpose = "case 2024/117: identify the broker of network A";
    String[] refused = org.ilp.jobs.cli.IlpCommandTestAccess.execute("reidentify", "--person-key", broker,
        "--purpose", purpose, "--warehouse", wh);
    assertThat(refused[0]).isEqualTo("2");
    assertThat(refused[1]).isEmpty();
    String[] allowed = org.ilp.jobs.cli.IlpCommandTestAccess.execute("reidentify", "--person-key", broker,
        "--purpose", purpose, "--warehouse", wh, "--set", "ilp.access.role=disclosure-officer",
        "--set", "ilp.reidentify.roles=[disclosure-officer]");
    assertThat(allowed[0]).as(allowed[2]).isEqualTo("0");
    List<Row> vault = Delta.read(spark, Tables.VAULT_PERSON_IDENTITIES).where(col("person_key").equalTo(broker))
        .collectAsList();
    String[] lines = allowed[1].split("\n");
    assertThat(lines).hasSize(vault.size() + 1);
    assertThat(lines[0]).startsWith("mention_id,source,given_name,family_name,date_of_birth");
    vault.forEach(r -> assertThat(allowed[1]).contains(r.<String>getAs("mention_id"), r.<String>getAs("family_name")));
    List<Row> log = spark.sql("SELECT outcome, role, purpose, user, records_disclosed, fields_disclosed FROM "
        + "ops.disclosure_log WHERE person_key = '" + broker + "' ORDER BY requested_at").collectAsList();
    assertThat(log).hasSize(2);
    assertThat(log.get(0).getString(0)).isEqualTo("refused");
    assertThat(log.get(0).getString(1)).as("an account without ILP_ROLE").isEqualTo("analyst");
    assertThat(log.get(0).getLong(4)).isZero();
    assertThat(log.get(1).getString(0)).isEqualTo("disclosed");
    assertThat(log.get(1).getString(1)).isEqualTo("disclosure-officer");
    assertThat(log.get(1).getString(2)).isEqualTo(purpose);
    assertThat(log.get(1).getString(3)).isEqualTo(System.getProperty("user.name"));
    assertThat(log.get(1).getLong(4)).isEqualTo(vault.size());
    assertThat(log.get(1).<String>getList(5)).contains("given_name", "family_name");
    assertThat(spark.sql("SELECT status, error FROM ops.job_runs WHERE job = 'reidentify' ORDER BY started_at")
        .collectAsList()).extracting(r -> r.getString(0)).containsExactly("failed", "succeeded");
    // and in the access log, each linked to its run
    assertThat(spark.sql("SELECT a.outcome, a.purpose, a.rows_returned, j.status FROM ops.access_log a JOIN "
        + "ops.job_runs j ON j.run_id = a.run_id WHERE a.command = 'reidentify' ORDER BY a.accessed_at").collectAsList())
        .extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.get(2) + " " + r.getString(3))
        .containsExactly("refused " + purpose + " null failed", "ok " + purpose + " " + vault.size() + " succeeded");
  }

  /**
   * What the scan looks for in an upper-cased text: an identifier as a whole token (a date of birth, national
   * identifier or document number), a full name anywhere ("GIVEN FAMILY": a single name alone is an ordinary word, a
   * family name such as White a category value), the key anywhere.
   */
  record Scan(Set<String> ids, Set<String> fullNames, String key) implements java.io.Serializable {
    /** Runs of letters, digits and hyphens (a hand loop: a regex split per cell dominated the scan's time). */
    static String[] tokens(String upper) {
      List<String> out = new ArrayList<>();
      int start = -1;
      for (int i = 0; i <= upper.length(); i++) {
        boolean part = i < upper.length() && (Character.isLetterOrDigit(upper.charAt(i)) || upper.charAt(i) == '-');
        if (part && start < 0) {
          start = i;
        } else if (!part && start >= 0) {
          out.add(upper.substring(start, i));
          start = -1;
        }
      }
      return out.toArray(String[]::new);
    }

    /** A name as the scan compares it: its tokens joined by one space. */
    static String name(String upper) {
      return String.join(" ", tokens(upper)).trim();
    }

    List<String> hits(String upper) {
      List<String> out = new ArrayList<>();
      if (upper.contains(key.toUpperCase(Locale.ROOT))) {
        out.add("the key");
      }
      String[] t = tokens(upper);
      for (int i = 0; i < t.length; i++) {
        if (ids.contains(t[i])) {
          out.add(t[i]);
        }
        StringBuilder run = new StringBuilder(t[i]);
        for (int j = i + 1; j < Math.min(t.length, i + 5); j++) { // names of up to five words
          run.append(' ').append(t[j]);
          if (fullNames.contains(run.toString())) {
            out.add(run.toString());
          }
        }
      }
      return out;
    }
  }

  static Scan identifiers;

  /** The clear identifiers of the raw person records (as recorded: the vault's values) and the key, once per class. */
  static synchronized Scan scan() throws IOException {
    if (identifiers != null) {
      return identifiers;
    }
    Set<String> fullNames = new HashSet<>(); // "GIVEN FAMILY" (a single name alone is an ordinary word in a file)
    Set<String> ids = new HashSet<>(); // dates of birth, national identifiers, document numbers
    for (Row r : Delta.read(spark, Tables.VAULT_PERSON_IDENTITIES)
        .select("given_name", "family_name", "date_of_birth", "national_id", "document_number").collectAsList()) {
      for (int k = 0; k < r.size(); k++) {
        if (!r.isNullAt(k)) {
          String v = String.valueOf(r.get(k)).toUpperCase(Locale.ROOT);
          if (k >= 2) {
            ids.add(v);
          }
        }
      }
      if (!r.isNullAt(0) && !r.isNullAt(1)) {
        fullNames.add(Scan.name((r.getString(0) + " " + r.getString(1)).toUpperCase(Locale.ROOT)));
      }
    }
    assertThat(ids).hasSizeGreaterThan(500);
    assertThat(fullNames).hasSizeGreaterThan(500);
    String key = Files.readString(Path.of(SparkTestSupport.config().raw().getString("ilp.secrets.pseudonym-key-file")))
        .trim();
    identifiers = new Scan(ids, fullNames, key);
    return identifiers;
  }

  /**
   * `ilp report intelligence` (the products' report section): the page of the latest targets window lists the national
   * top offenders by pseudonym in RFG order, the planted network's broker, repeat victimisation as its test calls it and
   * the first intelligence gap, in HTML and its Markdown twin, without a clear identifier or the key; a window never
   * computed is a usage error naming those that were.
   */
  @Test
  void theIntelligenceReportShowsTheTargetsByPseudonymOnly() throws IOException {
    Path wh = SparkTestSupport.warehouse();
    // person-level tables: the report needs a purpose (refused and logged without one), and is logged with it
    String[] refused = org.ilp.jobs.cli.IlpCommandTestAccess.execute("report", "intelligence", "--top", "10",
        "--warehouse", wh.toString());
    assertThat(refused[0]).isEqualTo("2");
    assertThat(refused[2]).contains("--purpose");
    String purpose = "tasking meeting 2026-12-07: top offenders";
    String[] r = org.ilp.jobs.cli.IlpCommandTestAccess.execute("report", "intelligence", "--top", "10", "--warehouse",
        wh.toString(), "--purpose", purpose);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<Row> access = spark.sql("SELECT a.outcome, a.purpose, a.tables_read, a.output, j.job FROM ops.access_log a "
        + "LEFT JOIN ops.job_runs j ON j.run_id = a.run_id WHERE a.command = 'report' ORDER BY a.accessed_at")
        .collectAsList();
    assertThat(access).hasSize(2);
    assertThat(access.get(0).getString(0)).isEqualTo("refused");
    assertThat(access.get(1).getString(0)).isEqualTo("ok");
    assertThat(access.get(1).getString(1)).isEqualTo(purpose);
    assertThat(access.get(1).<String>getList(2)).contains(Tables.GOLD_PROLIFIC_OFFENDERS.name());
    assertThat(access.get(1).getString(3)).isEqualTo(r[1].strip());
    assertThat(access.get(1).getString(4)).as("linked to its job run").isEqualTo("report");
    // no engine outside the platform gets a manifest of the person-level tables (it would read them unlogged)
    for (org.ilp.common.table.TableDef t : Tables.PERSONS) {
      assertThat(wh.resolve(t.database()).resolve(t.table()).resolve(org.ilp.common.table.Writes.MANIFEST_DIR))
          .as(t.name()).doesNotExist();
    }
    Row w = Delta.read(spark, Tables.GOLD_PROLIFIC_OFFENDERS).select("period", "period_end").head();
    String base = "reports/intelligence_" + java.time.YearMonth.from(w.getDate(0).toLocalDate()) + "_"
        + java.time.YearMonth.from(w.getDate(1).toLocalDate());
    String page = Files.readString(wh.resolve(base + ".html"));
    String md = Files.readString(wh.resolve(base + ".md"));
    List<String> top = Delta.read(spark, Tables.GOLD_PROLIFIC_OFFENDERS).where(col("level").equalTo("national"))
        .orderBy("rank").limit(10).select("person_key").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(top).hasSize(10);
    int at = page.indexOf("Prolific offenders");
    for (String k : top) { // in rank order, each once in the table
      int i = page.indexOf(k, at);
      assertThat(i).as(k).isGreaterThan(at);
      at = i;
    }
    assertThat(md).contains(top.get(0), "## Criminal networks");
    assertThat(page).contains(keyOf.get(planted.at("/organised_group/broker").asText()));
    Row national = Delta.read(spark, Tables.GOLD_REPEAT_VICTIM_AREAS).where(col("level").equalTo("national")).head();
    assertThat(page).contains(String.format(Locale.UK, "%,d of %,d victims were victimised more than once",
        national.<Long>getAs("repeat_victims"), national.<Long>getAs("victims_hit")));
    assertThat(page).contains(national.<Boolean>getAs("exceeds_chance") ? "observed: more than chance"
        : "observed: not more than chance");
    Row gap = Delta.read(spark, Tables.GOLD_INTELLIGENCE_GAPS).where(col("gap").gt(0)).orderBy("rank").head();
    assertThat(page).contains("<td>" + gap.<String>getAs("area_code") + " ");
    assertThat(scan().hits(page.toUpperCase(Locale.ROOT))).isEmpty();
    assertThat(scan().hits(md.toUpperCase(Locale.ROOT))).isEmpty();
    String[] none = org.ilp.jobs.cli.IlpCommandTestAccess.execute("report", "intelligence", "--period", "1999-01",
        "--warehouse", wh.toString(), "--purpose", purpose);
    assertThat(none[0]).isEqualTo("2");
    // the usage error as the run log holds it (the console log goes to the test log)
    assertThat(spark.sql("SELECT error FROM ops.job_runs WHERE job = 'report' AND status = 'failed' ORDER BY started_at "
        + "DESC LIMIT 1").head().getString(0)).contains("no targets window ends 1999-01-01")
        .contains(w.getDate(1).toString());
  }

  /**
   * Acceptance 2: every string of every silver, gold, publish and ops table, every file under the warehouse's _logs/
   * (effective configs, the run's console log), exports/ and reports/, holds no clear name, date of birth, document
   * number or national identifier of the raw person records (as recorded: the vault's values), nor the key.
   */
  @Test
  void noClearIdentifierOrKeyOutsideBronzeAndTheVault() throws IOException {
    Scan scan = scan();
    // every string cell of every table but bronze, vault and ref, in one Spark job; the check runs where the rows are
    List<Dataset<Row>> cells = new ArrayList<>();
    int columns = 0;
    for (TableDef t : Tables.all()) {
      if (List.of("bronze", "vault", "ref").contains(t.database()) || !Delta.exists(spark, t)) {
        continue;
      }
      List<String> stack = new ArrayList<>();
      for (var f : t.schema().fields()) {
        if (f.dataType() instanceof StringType) {
          stack.add("'" + t.name() + "." + f.name() + "', `" + f.name() + "`");
        }
      }
      if (!stack.isEmpty()) { // one read of the table: every string cell as (table.column, value)
        columns += stack.size();
        cells.add(Delta.read(spark, t).selectExpr("stack(" + stack.size() + ", " + String.join(", ", stack)
            + ") AS (cell, v)").where(col("v").isNotNull()));
      }
    }
    assertThat(columns).isGreaterThan(200);
    String anId = scan.ids().iterator().next();
    String aName = scan.fullNames().iterator().next();
    assertThat(scan.hits("NOTE: " + anId + "; SEEN WITH " + aName + ".")).containsExactly(anId, aName); // it can fail
    org.apache.spark.sql.expressions.UserDefinedFunction hit = functions.udf(
        (org.apache.spark.sql.api.java.UDF1<String, Boolean>) v -> !scan.hits(v.toUpperCase(Locale.ROOT)).isEmpty(),
        org.apache.spark.sql.types.DataTypes.BooleanType);
    List<String> hits = new ArrayList<>();
    cells.stream().reduce(Dataset::union).orElseThrow().where(hit.apply(col("v"))).limit(20).collectAsList()
        .forEach(r -> hits.add(r.getString(0) + "=" + r.getString(1)));
    int files = 0;
    Path wh = SparkTestSupport.warehouse();
    for (String dir : List.of("_logs", "exports", "reports")) {
      if (!Files.isDirectory(wh.resolve(dir))) {
        continue;
      }
      try (Stream<Path> s = Files.walk(wh.resolve(dir))) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          files++;
          String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
          scan.hits(text.toUpperCase(Locale.ROOT)).forEach(h -> hits.add(f + ": " + h));
        }
      }
    }
    assertThat(Files.exists(wh.resolve("_logs/console.log"))).isTrue();
    System.err.printf("identifier scan: %,d identifiers and %,d full names, %d string columns, %d files: %d hits%n",
        scan.ids().size(), scan.fullNames().size(), columns, files, hits.size());
    assertThat(hits).isEmpty();
  }
}
