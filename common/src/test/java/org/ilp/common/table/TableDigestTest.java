package org.ilp.common.table;

import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ilp.common.testing.SparkTestSupport.frame;
import static org.ilp.common.testing.SparkTestSupport.row;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Equal content, equal digest: whatever the row order, the run that wrote it, a map's entry order. */
@ExtendWith(SparkTestSupport.class)
class TableDigestTest {
  static final StructType S = new StructType()
      .add("id", DataTypes.StringType).add("occurred_at", DataTypes.TimestampType)
      .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("lon", DataTypes.DoubleType).add("lat", DataTypes.DoubleType)
      .add("run_id", DataTypes.StringType).add("ingested_at", DataTypes.TimestampType)
      .add("record_hash", DataTypes.StringType);

  static Map<String, Long> map(String k1, long v1, String k2, long v2) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  static Row r(String id, String occurred, Map<String, Long> counts, String runId, String at) {
    return row(id, Timestamp.valueOf(occurred), counts, -87.6, 41.8, runId, Timestamp.valueOf(at), runId + at);
  }

  static Dataset<Row> withGeom(Dataset<Row> df) {
    return df.withColumn("geom", expr("ST_Point(lon, lat)"));
  }

  @Test
  void equalContentGivesEqualDigests() {
    Dataset<Row> a = withGeom(frame(S,
        r("a", "2024-01-01 10:00:00", map("x", 1, "y", 2), "ingest-1", "2026-01-01 00:00:00"),
        r("b", "2024-01-02 10:00:00", map("x", 3, "y", 4), "ingest-1", "2026-01-01 00:00:00")));
    // another run: other run ids and times, other row order and partitioning, maps built the other way round
    Dataset<Row> b = withGeom(frame(S,
        r("b", "2024-01-02 10:00:00", map("y", 4, "x", 3), "ingest-2", "2026-02-02 00:00:00"),
        r("a", "2024-01-01 10:00:00", map("y", 2, "x", 1), "ingest-2", "2026-02-02 00:00:00")).repartition(3));
    TableDigest da = TableDigest.of(a);
    TableDigest db = TableDigest.of(b);
    assertThat(da.rows()).isEqualTo(2);
    assertThat(da.hash()).isEqualTo(db.hash());
    assertThat(da.columns()).containsExactly("id", "occurred_at", "counts", "lon", "lat", "geom");
  }

  @Test
  void anyContentChangeChangesTheDigest() {
    Dataset<Row> a = frame(S, r("a", "2024-01-01 10:00:00", map("x", 1, "y", 2), "r", "2026-01-01 00:00:00"));
    Dataset<Row> when = frame(S, r("a", "2024-01-01 10:00:01", map("x", 1, "y", 2), "r", "2026-01-01 00:00:00"));
    Dataset<Row> count = frame(S, r("a", "2024-01-01 10:00:00", map("x", 1, "y", 3), "r", "2026-01-01 00:00:00"));
    String h = TableDigest.of(a).hash();
    assertThat(TableDigest.of(when).hash()).isNotEqualTo(h);
    assertThat(TableDigest.of(count).hash()).isNotEqualTo(h);
    // a duplicated row is another multiset
    assertThat(TableDigest.of(a.union(a)).hash()).isNotEqualTo(h);
    assertThat(TableDigest.of(a.limit(0)).rows()).isZero();
    assertThat(TableDigest.of(a.limit(0)).hash()).isEqualTo("0");
    // several frames in one query: each its own digest, in the order given, frames of other schemas among them
    List<TableDigest> each = TableDigest.ofEach(List.of(when, a.limit(0), a.select("id"), count));
    assertThat(each).extracting(TableDigest::hash).containsExactly(TableDigest.of(when).hash(), "0",
        TableDigest.of(a.select("id")).hash(), TableDigest.of(count).hash());
    assertThat(each).extracting(TableDigest::rows).containsExactly(1L, 0L, 1L, 1L);
    assertThat(each.get(2).columns()).containsExactly("id");
  }
}
