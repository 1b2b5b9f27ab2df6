package org.ilp.common.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ilp.common.table.TableDef.col;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.source.SourceSpec;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry and the one write path, on a contract of its own (a table in the ops database). */
@ExtendWith(SparkTestSupport.class)
class WritesTest {
  static final TableDef T = TableDef.of("ops.writes_test", "one row per (period, area) of a test", List.of("period",
          "area"),
      col("period", DataTypes.StringType, "the period"), col("area", DataTypes.StringType, "the area"),
      col("n", DataTypes.LongType, "a count"), col("h", DataTypes.StringType, "a change-detection hash"));
  static final StructType S = T.schema();

  static Dataset<Row> rows(Object[]... r) {
    Row[] out = new Row[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = row(r[i]);
    }
    return frame(S, out);
  }

  static Map<String, Long> content(SparkSession spark) {
    Map<String, Long> m = new HashMap<>();
    Delta.read(spark, T).collectAsList().forEach(r -> m.put(r.getString(0) + "|" + r.getString(1), r.getLong(2)));
    return m;
  }

  @Test
  void everyContractHasAKeyInItsSchemaAndACommentOnEveryColumn() {
    List<TableDef> all = Tables.all();
    assertThat(all).hasSizeGreaterThanOrEqualTo(25);
    assertThat(all.stream().map(TableDef::name).distinct().count()).isEqualTo(all.size());
    for (TableDef t : all) {
      assertThat(Tables.DATABASES).contains(t.database());
      assertThat(t.comment()).as(t.name()).isNotBlank();
      t.columns().forEach(c -> assertThat(t.commentOf(c)).as(t.name() + "." + c).isNotBlank());
      assertThat(Tables.byName(t.name())).isEqualTo(t);
    }
    // a contract without a comment, or with a key it does not hold, is refused when declared
    assertThatThrownBy(() -> new TableDef("ops.x", "c", new StructType().add("a", DataTypes.StringType), List.of(),
        List.of())).hasMessageContaining("ops.x.a has no comment");
    assertThatThrownBy(() -> TableDef.of("ops.x", "c", List.of("b"), col("a", DataTypes.StringType, "a")))
        .hasMessageContaining("key column b");
    // statistics only on columns of the schema that Delta can keep min/max of
    assertThatThrownBy(() -> TableDef.of("ops.x", "c", List.of(), col("a", DataTypes.BooleanType, "a")).withStatsOn("a"))
        .hasMessageContaining("no min/max statistics of a");
    assertThatThrownBy(() -> TableDef.of("ops.x", "c", List.of(), col("a", DataTypes.StringType, "a")).withStatsOn("b"))
        .hasMessageContaining("statistics column b");
    // bronze contracts follow the source spec: its raw columns, then the lineage (the only columns with statistics)
    TableDef b = Tables.bronze(SourceSpec.load("police_uk_street"));
    assertThat(b.columns()).startsWith("crime_id", "month").endsWith("_ingest_run_id", "_ingested_at");
    assertThat(b.statsColumns()).containsExactly("_file_checksum", "_row_number", "_ingest_run_id");
  }

  @Test
  void aTableIsCreatedFromItsContractWithItsComments() {
    SparkSession spark = SparkTestSupport.spark();
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}));
    Map<String, String> comments = new HashMap<>();
    for (Row r : spark.sql("DESCRIBE TABLE " + T.name()).collectAsList()) {
      comments.put(r.getString(0), r.getString(2));
    }
    for (String c : T.columns()) {
      assertThat(comments.get(c)).as(c).isEqualTo(T.commentOf(c));
    }
    String tableComment = spark.sql("DESCRIBE TABLE EXTENDED " + T.name()).where(col("col_name").equalTo("Comment"))
        .head().getString(1);
    assertThat(tableComment).isEqualTo(T.comment());
  }

  /**
   * Delta keeps min/max statistics on a contract's key columns unless it names others (each statistic costs every
   * write); a table created by an older version with statistics on every column is brought to its contract.
   */
  @Test
  void statisticsAreKeptOnTheKeyColumnsOnly() throws Exception {
    SparkSession spark = SparkTestSupport.spark();
    assertThat(T.statsColumns()).containsExactly("period", "area");
    assertThat(Tables.GOLD_CRIME_TRENDS.statsColumns()).containsExactlyElementsOf(java.util.stream.Stream.concat(
        Tables.GOLD_CRIME_TRENDS.keys().stream(), java.util.stream.Stream.of("jurisdiction")).toList());
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}));
    assertThat(statisticsOfLastFile(spark)).containsExactlyInAnyOrder("period", "area");
    // an older table: statistics on every column
    spark.sql("ALTER TABLE " + T.name() + " SET TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'period,area,n,h')");
    Writes.append(T, rows(new Object[] {"2024-02", "a", 2L, "y"}));
    assertThat(Delta.property(spark, T, "delta.dataSkippingStatsColumns")).isEqualTo("period,area");
    assertThat(statisticsOfLastFile(spark)).containsExactlyInAnyOrder("period", "area");
  }

  /** The columns with a minimum in the statistics of the last file added to {@link #T}. */
  static List<String> statisticsOfLastFile(SparkSession spark) throws java.io.IOException {
    java.nio.file.Path log = java.nio.file.Path.of(java.net.URI.create(spark.sql("DESCRIBE DETAIL " + T.name())
        .head().getAs("location") + "/_delta_log"));
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> columns = null;
    try (var files = java.nio.file.Files.list(log)) {
      for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        for (String line : java.nio.file.Files.readAllLines(f)) {
          var add = mapper.readTree(line).path("add");
          if (!add.isMissingNode()) {
            List<String> names = new java.util.ArrayList<>();
            mapper.readTree(add.path("stats").asText()).path("minValues").fieldNames().forEachRemaining(names::add);
            columns = names;
          }
        }
      }
    }
    return columns;
  }

  @Test
  void aFrameThatDoesNotMatchTheContractIsRefusedWithTheDifferences() {
    Dataset<Row> ok = rows(new Object[] {"2024-01", "a", 1L, "x"});
    assertThatThrownBy(() -> Writes.conform(T, ok.drop("h"))).hasMessageContaining("missing [h]");
    assertThatThrownBy(() -> Writes.conform(T, ok.withColumn("extra", lit(1))))
        .hasMessageContaining("not in the contract [extra]");
    assertThatThrownBy(() -> Writes.conform(T, ok.withColumn("n", col("n").cast("int"))))
        .hasMessageContaining("n is int, contract says bigint");
    // column order does not matter, a NULL literal takes the contract's type, and the comments come along
    Dataset<Row> c = Writes.conform(T, ok.select(col("h"), col("n"), lit(null).as("area"), col("period")));
    assertThat(c.columns()).containsExactly("period", "area", "n", "h");
    assertThat(c.schema().apply("area").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(c.schema().apply("n").metadata().getString("comment")).isEqualTo("a count");
  }

  /** A table of an older contract that lacked nullable columns at its end gets them (and keeps its rows). */
  @Test
  void aTableGainsTheNullableColumnsItsContractAddedAtTheEnd() {
    SparkSession spark = SparkTestSupport.spark();
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    TableDef older = TableDef.of(T.name(), T.comment(), T.keys(), S.fields()[0], S.fields()[1], S.fields()[2]);
    Writes.append(older, frame(older.schema(), row("2024-01", "a", 1L)));
    Writes.append(T, rows(new Object[] {"2024-02", "b", 2L, "x"}));
    assertThat(spark.table(T.name()).columns()).containsExactly("period", "area", "n", "h");
    assertThat(content(spark)).containsOnly(Map.entry("2024-01|a", 1L), Map.entry("2024-02|b", 2L));
    assertThat(spark.table(T.name()).schema().apply("h").metadata().getString("comment"))
        .isEqualTo("a change-detection hash");
  }

  @Test
  void replaceSwapsTheScopeAndNothingElseInOneCommit() {
    SparkSession spark = SparkTestSupport.spark();
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}, new Object[] {"2024-01", "b", 2L, "x"},
        new Object[] {"2024-02", "a", 3L, "x"}));
    long v = Delta.version(spark, T);
    Writes.WriteResult w = Writes.replace(T, rows(new Object[] {"2024-01", "a", 10L, "y"},
        new Object[] {"2024-01", "c", 30L, "y"}), col("period").equalTo("2024-01"));
    assertThat(w.version()).isEqualTo(v + 1);
    // 2024-01: a replaced, b gone, c new; 2024-02 untouched
    assertThat(content(spark)).containsOnly(Map.entry("2024-01|a", 10L), Map.entry("2024-01|c", 30L),
        Map.entry("2024-02|a", 3L));
    // a row outside the scope is refused: a replace can never touch another scope
    assertThatThrownBy(() -> Writes.replace(T, rows(new Object[] {"2024-03", "a", 1L, "z"}),
        col("period").equalTo("2024-01"))).isInstanceOf(Exception.class);
    assertThat(Delta.version(spark, T)).isEqualTo(v + 1);
  }

  /**
   * With Delta's checksum files on (the product's default; the tests' session writes none), a table's rows are read
   * from the latest version's checksum file without a query, deletes included; without one there is no answer.
   */
  @Test
  void rowsAreReadFromTheChecksumWhenThereIsOne() {
    SparkSession spark = SparkTestSupport.spark();
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}));
    // as a new JVM (ilp tables) finds the table: no checksum file, no answer (the writer's in-memory one is gone)
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    assertThat(Delta.rowsFromChecksum(spark, T)).isNull();
    String key = "spark.databricks.delta.writeChecksumFile.enabled";
    String was = spark.conf().get(key);
    spark.conf().set(key, "true");
    try {
      Writes.append(T, rows(new Object[] {"2024-01", "b", 2L, "x"}, new Object[] {"2024-02", "a", 3L, "x"}));
      assertThat(Delta.rowsFromChecksum(spark, T)).isEqualTo(3L);
      Writes.delete(spark, T, col("area").equalTo("b"));
      org.apache.spark.sql.delta.DeltaLog.clearCache();
      assertThat(Delta.rowsFromChecksum(spark, T)).isEqualTo(2L).isEqualTo(Delta.read(spark, T).count());
    } finally {
      spark.conf().set(key, was);
    }
  }

  /** The write of a table derived by adding another's changes records that table's version in its own commit. */
  @Test
  void aReplaceAsOfAVersionRecordsItAtomicallyAndIsNeverAppliedTwice() {
    SparkSession spark = SparkTestSupport.spark();
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    assertThat(Delta.appliedVersion(spark, T, "feed-1")).isEqualTo(-1);
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}));
    long v = Delta.version(spark, T);
    Writes.replace(T, rows(new Object[] {"2024-01", "a", 2L, "x"}), col("period").equalTo("2024-01"), "feed-1", 7);
    assertThat(Delta.version(spark, T)).isEqualTo(v + 1);
    assertThat(Delta.appliedVersion(spark, T, "feed-1")).isEqualTo(7);
    assertThat(Delta.appliedVersion(spark, T, "feed-2")).isEqualTo(-1);
    // the same version again (a retry after a crash): nothing is written
    Writes.replace(T, rows(new Object[] {"2024-01", "a", 3L, "x"}), col("period").equalTo("2024-01"), "feed-1", 7);
    assertThat(content(spark)).containsOnly(Map.entry("2024-01|a", 2L));
    // no rows changed: a commit that records the version only
    Writes.replace(T, rows(), lit(false), "feed-1", 9);
    assertThat(Delta.appliedVersion(spark, T, "feed-1")).isEqualTo(9);
    assertThat(content(spark)).containsOnly(Map.entry("2024-01|a", 2L));
  }

  @Test
  void mergeRewritesOnlyChangedRowsAndUpdateSetsColumnsByKey() {
    SparkSession spark = SparkTestSupport.spark();
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}, new Object[] {"2024-01", "b", 2L, "x"}));
    Writes.WriteResult w = Writes.merge(T, rows(new Object[] {"2024-01", "a", 1L, "x"}, new Object[] {"2024-01", "b", 5L,
        "changed"}), col("period").equalTo("2024-01"), "h");
    assertThat(w.metrics().get("numTargetRowsUpdated")).isEqualTo(1L);
    assertThat(content(spark)).containsOnly(Map.entry("2024-01|a", 1L), Map.entry("2024-01|b", 5L));
    StructType u = new StructType().add("period", DataTypes.StringType).add("area", DataTypes.StringType)
        .add("n", DataTypes.LongType);
    Writes.update(T, frame(u, row("2024-01", "a", 7L)), Map.of("n", col("s.n")));
    assertThat(content(spark)).containsOnly(Map.entry("2024-01|a", 7L), Map.entry("2024-01|b", 5L));
    assertThatThrownBy(() -> Writes.update(T, frame(u, row("2024-01", "a", 7L)).drop("area"), Map.of("n", col("s.n"))))
        .hasMessageContaining("lack its key column area");
  }

  /**
   * Deletion vectors: switched on for a table made before its contract asked for them; a MERGE that changes one row
   * then marks it in a deletion vector and copies none of the rows around it.
   */
  @Test
  void aMergeIntoATableWithDeletionVectorsCopiesNoUnchangedRow() {
    SparkSession spark = SparkTestSupport.spark();
    TableDef plain = TableDef.of("ops.writes_test_dv", T.comment(), T.keys(), S.fields());
    TableDef dv = plain.withDeletionVectors();
    spark.sql("DROP TABLE IF EXISTS " + dv.name());
    Writes.append(plain, rows(new Object[] {"2024-01", "a", 1L, "x"}, new Object[] {"2024-01", "b", 2L, "x"},
        new Object[] {"2024-01", "c", 3L, "x"}).coalesce(1));
    assertThat(Delta.property(spark, dv, "delta.enableDeletionVectors")).isNull();
    Writes.WriteResult w = Writes.upsert(dv, rows(new Object[] {"2024-01", "b", 5L, "changed"},
        new Object[] {"2024-01", "c", 3L, "x"}, new Object[] {"2024-02", "d", 4L, "x"}), null, "h", null);
    assertThat(Delta.property(spark, dv, "delta.enableDeletionVectors")).isEqualTo("true");
    assertThat(w.metrics()).containsEntry("numTargetRowsUpdated", 1L).containsEntry("numTargetRowsInserted", 1L)
        .containsEntry("numTargetRowsCopied", 0L).containsEntry("numTargetDeletionVectorsAdded", 1L);
    Map<String, Long> m = new HashMap<>();
    Delta.read(spark, dv).collectAsList().forEach(r -> m.put(r.getString(0) + "|" + r.getString(1), r.getLong(2)));
    assertThat(m).containsOnly(Map.entry("2024-01|a", 1L), Map.entry("2024-01|b", 5L), Map.entry("2024-01|c", 3L),
        Map.entry("2024-02|d", 4L));
  }

  /**
   * The change feed answers "did the rows a reader selects change?": a replace that puts back the same rows is no
   * change; a change in one period is none to a reader of another; a table without the feed always says changed.
   */
  @Test
  void changedRowsNetsRewritesAndLooksOnlyAtTheRowsRead() {
    SparkSession spark = SparkTestSupport.spark();
    // as silver: the feed on a table with deletion vectors (its MERGEs mark rows instead of copying files)
    TableDef fed = TableDef.of("ops.writes_test_feed", T.comment(), T.keys(), S.fields()).withChangeFeed()
        .withDeletionVectors();
    spark.sql("DROP TABLE IF EXISTS " + fed.name());
    Writes.append(fed, rows(new Object[] {"2024-01", "a", 1L, "x"}, new Object[] {"2024-02", "a", 2L, "x"}));
    long v0 = Delta.version(spark, fed);
    org.apache.spark.sql.Column jan = col("period").equalTo("2024-01");
    org.apache.spark.sql.Column feb = col("period").equalTo("2024-02");
    // the same rows written again (as a full re-curate does): a new version, no change
    Writes.replace(fed, rows(new Object[] {"2024-01", "a", 1L, "x"}, new Object[] {"2024-02", "a", 2L, "x"}), lit(true));
    long v1 = Delta.version(spark, fed);
    assertThat(v1).isGreaterThan(v0);
    assertThat(Delta.changedRows(spark, fed, v0, v1, lit(true))).isFalse();
    // January changes: a change to January's readers, none to February's
    Writes.merge(fed, rows(new Object[] {"2024-01", "a", 5L, "y"}), jan, "h");
    long v2 = Delta.version(spark, fed);
    assertThat(Delta.changedRows(spark, fed, v1, v2, jan)).isTrue();
    assertThat(Delta.changedRows(spark, fed, v0, v2, feb)).isFalse();
    // ... and changed back: no net change over both versions, a change over the last one
    Writes.merge(fed, rows(new Object[] {"2024-01", "a", 1L, "x"}), jan, "h");
    long v3 = Delta.version(spark, fed);
    assertThat(Delta.changedRows(spark, fed, v1, v3, jan)).isFalse();
    assertThat(Delta.changedRows(spark, fed, v2, v3, jan)).isTrue();
    assertThat(Delta.changedRows(spark, fed, v3, v3, jan)).isFalse();
    // a value moved to another column, the rest null: the same values in the same order, still a change (the netting
    // hashes each column's null flag too)
    org.apache.spark.sql.Column mar = col("period").equalTo("2024-03");
    Writes.replace(fed, rows(new Object[] {"2024-03", "a", null, null}), mar);
    long v4 = Delta.version(spark, fed);
    Writes.replace(fed, rows(new Object[] {"2024-03", null, null, "a"}), mar);
    assertThat(Delta.changedRows(spark, fed, v4, Delta.version(spark, fed), mar)).isTrue();
    // no feed: every new version may have changed anything
    spark.sql("DROP TABLE IF EXISTS " + T.name());
    Writes.append(T, rows(new Object[] {"2024-01", "a", 1L, "x"}));
    Writes.append(T, rows(new Object[] {"2024-02", "b", 1L, "x"}));
    assertThat(Delta.changedRows(spark, T, Delta.version(spark, T) - 1, Delta.version(spark, T), jan)).isTrue();
  }

  /**
   * Two MERGEs that overlap (concurrent writes of one job) leave the session's broadcast threshold as they found it,
   * also when the first ends before the second: each saving and restoring it had left the session without broadcasts.
   */
  @Test
  void overlappingMergesRestoreTheBroadcastThreshold() throws Exception {
    SparkSession spark = SparkTestSupport.spark();
    String key = "spark.sql.autoBroadcastJoinThreshold";
    String before = spark.conf().get(key);
    java.util.concurrent.CountDownLatch firstIn = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch secondIn = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch firstOut = new java.util.concurrent.CountDownLatch(1);
    java.util.List<String> during = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread first = new Thread(() -> Writes.withoutAutoBroadcast(spark, () -> {
      firstIn.countDown();
      await(secondIn);
      during.add(spark.conf().get(key));
    }));
    Thread second = new Thread(() -> {
      await(firstIn);
      Writes.withoutAutoBroadcast(spark, () -> {
        secondIn.countDown();
        await(firstOut);
        during.add(spark.conf().get(key)); // the first has ended: still no broadcast for this one
      });
    });
    first.start();
    second.start();
    first.join();
    firstOut.countDown();
    second.join();
    assertThat(during).containsExactly("-1", "-1");
    assertThat(spark.conf().get(key)).isEqualTo(before).isNotEqualTo("-1");
  }

  static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * An answer holds for its range and rows: asked again (the gold steps of one scheduled run ask alike), it is not
   * computed again. The check can fail: with the table's files gone, computing it would answer "changed".
   */
  @Test
  void aChangeCheckIsAnsweredOncePerRangeAndRows() throws Exception {
    SparkSession spark = SparkTestSupport.spark();
    TableDef fed = TableDef.of("ops.writes_test_feed_once", T.comment(), T.keys(), S.fields()).withChangeFeed();
    spark.sql("DROP TABLE IF EXISTS " + fed.name());
    Writes.append(fed, rows(new Object[] {"2024-01", "a", 1L, "x"}));
    long v0 = Delta.version(spark, fed);
    Writes.replace(fed, rows(new Object[] {"2024-01", "a", 1L, "x"}), lit(true));
    long v1 = Delta.version(spark, fed);
    assertThat(Delta.changedRows(spark, fed, v0, v1, lit(true))).isFalse();
    java.nio.file.Path dir = java.nio.file.Path.of(java.net.URI.create(Delta.location(spark, fed)));
    try (var files = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log"))
          .toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    assertThat(Delta.changedRows(spark, fed, v0, v1, lit(true))).isFalse();
    assertThat(Delta.changedRows(spark, fed, v0, v1, col("period").equalTo("2024-01"))).isTrue();
    spark.sql("DROP TABLE IF EXISTS " + fed.name());
  }
}
