package org.ilp.jobs.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.access.SqlGuard;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.cli.IlpCommandTestAccess;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, acceptance 1–3: an analyst's SQL is read-only, checked on Spark's plans (statements, file paths,
 * functions that reach the JVM, tables behind CTEs and subqueries), an engineer can still run maintenance, restricted
 * tables need a purpose, every consultation — allowed, refused or failed — is a row of ops.access_log; retention
 * erases what is past its time from the current version and, vacuumed, from time travel and the files.
 */
@ExtendWith(SparkTestSupport.class)
@Order(3)
class SafeguardsTest {
  static SparkSession spark;
  static AccessPolicy analyst;
  static AccessPolicy engineer;
  static String wh;

  @BeforeAll
  static void warehouse() {
    spark = Warehouses.scratch();
    wh = SparkTestSupport.warehouse().toString();
    for (TableDef t : List.of(Tables.GOLD_PROLIFIC_OFFENDERS, Tables.VAULT_PERSON_IDENTITIES)) {
      Writes.ensure(spark, t);
    }
    analyst = AccessPolicy.of(SparkTestSupport.config());
    engineer = AccessPolicy.of(withRole("engineer"));
  }

  static IlpConfig withRole(String role) {
    return IlpConfig.load(null, List.of("ilp.access.role=" + role), Map.of("ilp.warehouse", wh));
  }

  static String reason(String sql, AccessPolicy policy) {
    try {
      SqlGuard.run(spark, sql, policy, null);
      return null;
    } catch (SqlGuard.Refused e) {
      return e.getMessage();
    }
  }

  @Test
  void anAnalystReadsTablesAndNothingElse() {
    assertThat(analyst.role()).as("an account without ILP_ROLE").isEqualTo("analyst");
    long version = Delta.version(spark, Tables.REF_POPULATION);
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    for (String sql : List.of(
        "DROP TABLE ref.population",
        "DELETE FROM ref.population WHERE true",
        "INSERT INTO ref.population SELECT * FROM ref.population",
        "UPDATE ref.population SET population = 0",
        "MERGE INTO ref.population t USING ref.population s ON false WHEN NOT MATCHED THEN INSERT *",
        "ALTER TABLE ref.population SET TBLPROPERTIES ('x' = 'y')",
        "CREATE TABLE ref.mine (a INT) USING delta",
        "CREATE TEMPORARY VIEW v AS SELECT 1",
        "SET spark.sql.runSQLOnFiles = true",
        "VACUUM ref.population",
        "ADD JAR '/tmp/x.jar'",
        "CACHE TABLE ref.areas",
        "SELECT * FROM csv.`/etc/passwd`",
        "SELECT * FROM text.`/etc/passwd`",
        "SELECT * FROM delta.`" + wh + "/vault/person_identities`",
        "SELECT * FROM parquet.`" + wh + "/ref/areas`",
        "WITH x AS (SELECT * FROM json.`/etc`) SELECT * FROM x",
        "SELECT * FROM IDENTIFIER('csv.`/etc/passwd`')",
        "SELECT reflect('java.lang.System', 'getenv', 'ILP_PSEUDONYM_KEY')",
        "SELECT java_method('java.lang.System', 'getProperty', 'user.home')",
        "SELECT try_reflect('java.lang.System', 'getenv', 'PATH')",
        "SELECT area_code FROM ref.areas WHERE area_code IN (SELECT reflect('java.lang.System', 'getenv', 'HOME'))",
        "EXPLAIN SELECT reflect('java.lang.System', 'getenv', 'HOME')",
        "SELECT TRANSFORM(area_code) USING 'cat' AS (a) FROM ref.areas",
        "SELECT * FROM vault.person_identities",
        "SELECT count(*) FROM (SELECT person_key FROM vault.person_identities)",
        "SELECT * FROM gold.prolific_offenders")) {
      refused.put(sql, reason(sql, analyst));
    }
    assertThat(refused).allSatisfy((sql, why) -> assertThat(why).as(sql).isNotNull());
    assertThat(refused.get("DROP TABLE ref.population")).contains("not allowed to the analyst role");
    assertThat(refused.get("SELECT * FROM csv.`/etc/passwd`")).contains("never file paths");
    assertThat(refused.get("SELECT * FROM IDENTIFIER('csv.`/etc/passwd`')")).contains("not a warehouse table");
    assertThat(refused.get("SELECT reflect('java.lang.System', 'getenv', 'ILP_PSEUDONYM_KEY')")).contains("reflect()");
    assertThat(refused.get("SELECT * FROM vault.person_identities")).contains("may not read vault.person_identities");
    assertThat(refused.get("SELECT * FROM gold.prolific_offenders")).contains("--purpose");
    // nothing ran: the tables are as they were
    assertThat(Delta.version(spark, Tables.REF_POPULATION)).isEqualTo(version);
    assertThat(spark.catalog().tableExists("ref.mine")).isFalse();

    for (String sql : List.of("SELECT count(*) FROM ref.areas",
        "WITH a AS (SELECT area_code FROM ref.areas) SELECT * FROM a JOIN ref.population p ON p.area_code = a.area_code",
        "SELECT level, count(*) FROM ref.areas GROUP BY level ORDER BY 2 DESC LIMIT 2",
        "DESCRIBE TABLE ref.areas", "SHOW TABLES IN ref", "EXPLAIN SELECT * FROM ref.areas",
        "SELECT * FROM range(3)", "VALUES (1, 'a')", "SELECT ST_AsText(ST_Point(1.0, 2.0))",
        "SELECT count(*) FROM ref.areas VERSION AS OF 0")) {
      assertThat(reason(sql, analyst)).as(sql).isNull();
    }
    SqlGuard.Checked c = SqlGuard.run(spark, "WITH a AS (SELECT * FROM ref.areas) SELECT count(*) FROM a "
        + "WHERE area_code IN (SELECT area_code FROM ref.population)", analyst, null);
    assertThat(c.tables()).containsExactly("ref.areas", "ref.population");
    // a restricted table with a purpose
    assertThat(SqlGuard.run(spark, "SELECT * FROM gold.prolific_offenders", analyst, "case 2026/117 weekly tasking")
        .tables()).containsExactly("gold.prolific_offenders");
  }

  @Test
  void anEngineerRunsMaintenanceButNeverReachesTheJvm() {
    assertThat(engineer.readOnly()).isFalse();
    assertThat(reason("VACUUM ref.population RETAIN 168 HOURS", engineer)).isNull();
    assertThat(reason("DESCRIBE HISTORY ref.population", engineer)).isNull();
    assertThat(reason("OPTIMIZE ref.population", engineer)).isNull();
    assertThat(reason("SELECT reflect('java.lang.System', 'getenv', 'ILP_PSEUDONYM_KEY')", engineer)).contains("JVM");
    assertThat(reason("SELECT TRANSFORM(area_code) USING 'cat' AS (a) FROM ref.areas", engineer)).isNotNull();
    assertThat(reason("SELECT * FROM vault.person_identities", engineer)).contains("may not read");
    assertThatThrownBy(() -> AccessPolicy.of(withRole("superuser"))).hasMessageContaining("unknown role 'superuser'");
  }

  /** Through the CLI (in this JVM): the two statements of the issue exit 2 with nothing on stdout, and all is logged. */
  @Test
  void everyConsultationIsLoggedWithItsPurpose() throws java.io.IOException {
    String[] key = IlpCommandTestAccess.execute("sql", "SELECT reflect('java.lang.System', 'getenv', 'ILP_PSEUDONYM_KEY')",
        "--warehouse", wh);
    assertThat(key[0]).isEqualTo("2");
    assertThat(key[1]).isEmpty();
    assertThat(key[2]).contains("refused: reflect() reaches the JVM").contains("logged in ops.access_log");
    String[] passwd = IlpCommandTestAccess.execute("sql", "SELECT * FROM csv.`/etc/passwd`", "--warehouse", wh);
    assertThat(passwd[0]).isEqualTo("2");
    assertThat(passwd[1]).isEmpty();
    String[] ok = IlpCommandTestAccess.execute("sql", "SELECT count(*) AS n FROM ref.areas", "--format", "csv",
        "--warehouse", wh);
    assertThat(ok[0]).as(ok[2]).isEqualTo("0");
    String purpose = "case 2026/117: weekly tasking";
    // an export (-o): the file is in the log
    java.nio.file.Path out = java.nio.file.Path.of(wh, "export.csv");
    String[] restricted = IlpCommandTestAccess.execute("sql", "SELECT count(*) FROM gold.prolific_offenders",
        "--purpose", purpose, "--warehouse", wh, "--format", "csv", "-o", out.toString());
    assertThat(restricted[0]).as(restricted[2]).isEqualTo("0");
    assertThat(java.nio.file.Files.readAllLines(out)).hasSize(2);
    String[] tables = IlpCommandTestAccess.execute("tables", "--warehouse", wh, "--purpose", purpose);
    assertThat(tables[0]).as(tables[2]).isEqualTo("0");
    // the shell: each statement a row, the session's purpose on each
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    java.io.PrintStream p = new java.io.PrintStream(sink, true);
    new org.ilp.jobs.cli.ShellTestAccess(spark, analyst, purpose, p).run("SELECT 1 AS one;\nDROP TABLE ref.areas;\n");

    List<Row> log = spark.sql("SELECT command, statement, outcome, reason, purpose, tables_read, rows_returned, user, "
        + "role, role_origin FROM ops.access_log ORDER BY accessed_at").collectAsList();
    assertThat(log).extracting(r -> r.getString(0) + " " + r.getString(2)).containsExactly("sql refused",
        "sql refused", "sql ok", "sql ok", "tables ok", "shell ok", "shell refused");
    assertThat(log.get(0).getString(1)).contains("ILP_PSEUDONYM_KEY");
    assertThat(log.get(0).getString(3)).contains("reflect");
    assertThat(log.get(2).<String>getList(5)).containsExactly("ref.areas");
    assertThat(log.get(2).getLong(6)).isEqualTo(1L);
    assertThat(log.get(3).getString(4)).isEqualTo(purpose);
    assertThat(log.get(3).<String>getList(5)).containsExactly("gold.prolific_offenders");
    assertThat(spark.sql("SELECT output FROM ops.access_log WHERE output IS NOT NULL").head().getString(0))
        .isEqualTo(out.toAbsolutePath().toString());
    assertThat(log.get(4).<String>getList(5)).contains("ref.areas", "ops.access_log");
    assertThat(log.get(4).getString(4)).isEqualTo(purpose);
    assertThat(log.get(5).getString(4)).isEqualTo(purpose);
    assertThat(log.get(6).getString(1)).isEqualTo("DROP TABLE ref.areas");
    assertThat(log).allSatisfy(r -> {
      assertThat(r.getString(7)).isEqualTo(System.getProperty("user.name"));
      assertThat(r.getString(8)).isEqualTo("analyst");
      assertThat(r.getString(9)).isNotBlank();
    });
    assertThat(spark.catalog().tableExists("ref.areas")).isTrue();
  }

  static Row rowOf(TableDef def, Map<String, Object> values) {
    Object[] v = new Object[def.schema().size()];
    values.forEach((k, x) -> v[def.schema().fieldIndex(k)] = x);
    return org.apache.spark.sql.RowFactory.create(v);
  }

  static void write(TableDef def, List<Map<String, Object>> rows) {
    Writes.append(def, spark.createDataFrame(rows.stream().map(r -> rowOf(def, r)).toList(), def.schema()));
  }

  /** Whether any file under the table's folder (data, deletion vectors, log, checkpoints) holds {@code text}. */
  static boolean filesHold(TableDef def, String text) throws java.io.IOException {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(wh, def.database(), def.table()))) {
      for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        String hay = new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (hay.contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Acceptance 3: rows past retention in bronze, the quarantine's raw text, person records and the vault's identities
   * of those records; a dry run counts and changes nothing; the run deletes (or clears), and after
   * it neither the current version, nor time travel to the version before, nor any file of the tables holds them.
   */
  @Test
  void retentionErasesWhatIsPastItsTimeAndNoTimeTravelBringsItBack() throws Exception {
    java.sql.Timestamp old = java.sql.Timestamp.valueOf("2023-01-10 00:00:00");
    java.sql.Timestamp recent = java.sql.Timestamp.valueOf("2026-11-20 00:00:00");
    TableDef bronze = Tables.bronze(org.ilp.common.source.SourceSpec.load("police_uk_street"));
    String first = bronze.columns().get(0);
    write(bronze, List.of(Map.of(first, "OLD-RAW-ROW-QX", "_file_checksum", "a", "_row_number", 1L, "_ingested_at", old),
        Map.of(first, "recent", "_file_checksum", "b", "_row_number", 1L, "_ingested_at", recent)));
    Map<String, Object> q = Map.of("source", "police_uk_street", "stage", "ingest", "rule", "parse.lon", "reason", "r",
        "disposition", "rejected", "run_id", "x");
    Map<String, Object> qOld = new java.util.HashMap<>(q);
    qOld.putAll(Map.of("raw_text", "OLD-RAW-TEXT-QX", "quarantined_at", old, "row_number", 1L));
    Map<String, Object> qNew = new java.util.HashMap<>(q);
    qNew.putAll(Map.of("raw_text", "new raw text", "quarantined_at", recent, "row_number", 2L));
    write(Tables.OPS_QUARANTINE, List.of(qOld, qNew));
    write(Tables.SILVER_PERSON_MENTIONS, List.of(
        Map.of("mention_id", "m-old", "person_key", "k1", "source", "police_persons", "event_date",
            java.sql.Date.valueOf("2019-03-01")),
        Map.of("mention_id", "m-new", "person_key", "k2", "source", "police_persons", "event_date",
            java.sql.Date.valueOf("2026-10-01"))));
    write(Tables.VAULT_PERSON_IDENTITIES, List.of(
        Map.of("mention_id", "m-old", "person_key", "k1", "source", "police_persons", "family_name", "OLDNAME-XYZZY"),
        Map.of("mention_id", "m-new", "person_key", "k2", "source", "police_persons", "family_name", "Newname")));
    // (the person targets' rule is the person records' on another date column; its table stays empty here)
    List<TableDef> touched = List.of(bronze, Tables.OPS_QUARANTINE, Tables.SILVER_PERSON_MENTIONS,
        Tables.VAULT_PERSON_IDENTITIES);
    Map<String, Long> before = new java.util.HashMap<>();
    touched.forEach(t -> before.put(t.name(), Delta.version(spark, t)));
    // the check can fail: the files hold the old values now
    assertThat(filesHold(Tables.VAULT_PERSON_IDENTITIES, "OLDNAME-XYZZY")).isTrue();
    assertThat(filesHold(Tables.OPS_QUARANTINE, "OLD-RAW-TEXT-QX")).isTrue();
    assertThat(filesHold(bronze, "OLD-RAW-ROW-QX")).isTrue();

    // an analyst may not erase
    String[] analystRun = IlpCommandTestAccess.execute("retention", "--warehouse", wh);
    assertThat(analystRun[0]).isEqualTo("2");
    assertThat(analystRun[2]).contains("maintenance role");

    java.time.LocalDate asOf = java.time.LocalDate.of(2026, 12, 1);
    var dry = org.ilp.jobs.retention.RetentionJob.Params.of(SparkTestSupport.config(), asOf, true);
    Warehouses.run(org.ilp.jobs.retention.RetentionJob.JOB, dry.asMap(),
        ctx -> org.ilp.jobs.retention.RetentionJob.run(ctx, dry));
    touched.forEach(t -> assertThat(Delta.version(spark, t)).as(t.name()).isEqualTo(before.get(t.name())));

    var p = org.ilp.jobs.retention.RetentionJob.Params.of(SparkTestSupport.config(), asOf, false);
    Warehouses.run(org.ilp.jobs.retention.RetentionJob.JOB, p.asMap(),
        ctx -> org.ilp.jobs.retention.RetentionJob.run(ctx, p));
    assertThat(spark.sql("SELECT " + first + " FROM " + bronze.name()).collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("recent");
    assertThat(spark.sql("SELECT row_number, raw_text FROM ops.quarantine ORDER BY row_number").collectAsList())
        .extracting(r -> r.getLong(0) + " " + r.getString(1)).containsExactly("1 null", "2 new raw text");
    assertThat(spark.sql("SELECT mention_id FROM silver.person_mentions").collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("m-new");
    assertThat(spark.sql("SELECT mention_id FROM vault.person_identities").collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("m-new");
    // time travel to the version before: its files are gone (or, were any left, they would not hold the rows)
    for (TableDef t : List.of(Tables.VAULT_PERSON_IDENTITIES, Tables.SILVER_PERSON_MENTIONS)) {
      List<Row> back;
      try {
        back = spark.sql("SELECT mention_id FROM " + t.name() + " VERSION AS OF " + before.get(t.name())
            + " WHERE mention_id = 'm-old'").collectAsList();
      } catch (Exception gone) {
        back = List.of();
      }
      assertThat(back).as(t.name() + " at version " + before.get(t.name())).isEmpty();
    }
    assertThat(filesHold(Tables.VAULT_PERSON_IDENTITIES, "OLDNAME-XYZZY")).isFalse();
    assertThat(filesHold(Tables.OPS_QUARANTINE, "OLD-RAW-TEXT-QX")).isFalse();
    assertThat(filesHold(bronze, "OLD-RAW-ROW-QX")).isFalse();

    List<Row> log = spark.sql("SELECT rule, table_name, dry_run, rows_before, rows_erased, rows_after, vacuumed "
        + "FROM ops.erasure_log WHERE rows_erased > 0 OR table_name = 'vault.person_identities' ").collectAsList();
    assertThat(log).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getBoolean(2) + " " + r.getLong(3)
        + "/" + r.getLong(4) + "/" + r.getLong(5) + " " + r.getBoolean(6)).containsExactlyInAnyOrder(
        "bronze-raw bronze.police_uk_street true 2/1/2 false",
        "quarantine-raw-text ops.quarantine true 2/1/2 false",
        "person-records silver.person_mentions true 2/1/2 false",
        "person-identities vault.person_identities true 2/0/2 false",
        "bronze-raw bronze.police_uk_street false 2/1/1 true",
        "quarantine-raw-text ops.quarantine false 2/1/2 true",
        "person-records silver.person_mentions false 2/1/1 true",
        "person-identities vault.person_identities false 2/1/1 true");
  }
}
