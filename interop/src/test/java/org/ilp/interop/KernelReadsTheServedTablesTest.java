package org.ilp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The served tables are readable without Spark: Delta Kernel's default engine (Delta's own Spark-free reader; no Spark
 * class on this module's class path) reads every gold and publish table that the jobs module's
 * {@code GeneratedProductsTest} exported from the generated warehouse, and gets the rows Spark read from the same copy —
 * value by value and in the text Spark's JSON gives it, in any row order. What a BI tool's Delta connector (Power BI's DeltaLake.Table, Trino's delta_lake) relies
 * on: the log, the checkpoints and the Parquet files as Delta's protocol defines them.
 */
class KernelReadsTheServedTablesTest {
  static final Path FIXTURE = Path.of("..", "jobs", "target", "interop-fixture");
  /** Spark's JSON form of a timestamp (session time zone UTC: conf/application.conf) and of a date. */
  static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter TS_NTZ = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

  @Test
  void everyGoldAndPublishTableReadsAsSparkReadsIt() throws Exception {
    assertThat(FIXTURE.resolve("publish.crime_stats"))
        .as("the jobs module's tests export the tables first: run `mvn verify` from the root").isDirectory();
    Engine engine = DefaultEngine.create(new Configuration());
    int tables = 0;
    long rows = 0;
    try (var dirs = Files.list(FIXTURE)) {
      for (Path table : dirs.filter(Files::isDirectory).sorted().toList()) {
        // a map's entries have no order (Spark writes them as stored, the kernel as it reads them): those columns
        // compare with their entries by key, the rest as text
        java.util.Set<String> maps = mapColumns(engine, table.toAbsolutePath().toString());
        List<String> expected = Files.readAllLines(table.resolveSibling(table.getFileName() + ".expected.jsonl")).stream()
            .map(l -> mapsByKey(l, maps)).sorted().toList();
        List<String> actual = read(engine, table.toAbsolutePath().toString()).stream().map(l -> mapsByKey(l, maps))
            .sorted().toList();
        assertThat(actual).as(table.getFileName().toString()).hasSameSizeAs(expected);
        // equal lists, else the first row that differs (a whole-list diff of 75,000 rows costs more than the reading)
        for (int i = 0; i < actual.size() && !actual.equals(expected); i++) {
          assertThat(actual.get(i)).as(table.getFileName() + ", row " + i + " in sorted order").isEqualTo(expected.get(i));
        }
        tables++;
        rows += actual.size();
      }
    }
    assertThat(tables).isGreaterThan(15);
    assertThat(rows).isGreaterThan(1000);
    System.err.printf("delta-kernel read %d tables, %d rows, as Spark did%n", tables, rows);
  }

  static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The table's top-level map columns. */
  static java.util.Set<String> mapColumns(Engine engine, String path) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (StructField f : Table.forPath(engine, path).getLatestSnapshot(engine).getSchema().fields()) {
      if (f.getDataType() instanceof MapType) {
        out.add(f.getName());
      }
    }
    return out;
  }

  /** The JSON row with the entries of the named map columns ordered by key (unchanged when there are none). */
  static String mapsByKey(String json, java.util.Set<String> maps) {
    if (maps.isEmpty()) {
      return json;
    }
    try {
      var row = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
      for (String c : maps) {
        if (row.get(c) instanceof com.fasterxml.jackson.databind.node.ObjectNode m) {
          var sorted = JSON.createObjectNode();
          new java.util.TreeMap<String, com.fasterxml.jackson.databind.JsonNode>(JSON.convertValue(m,
              new com.fasterxml.jackson.core.type.TypeReference<Map<String, com.fasterxml.jackson.databind.JsonNode>>() {}))
              .forEach(sorted::set);
          row.set(c, sorted);
        }
      }
      return JSON.writeValueAsString(row);
    } catch (IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** Every row of the table's latest version, each as the JSON text Spark's {@code toJSON} gives it. */
  static List<String> read(Engine engine, String path) throws IOException {
    Snapshot snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
    Scan scan = snapshot.getScanBuilder().build();
    Row state = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(engine, state);
    List<String> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row file = fileRows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(file);
            CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(single(status), physical, Optional.empty());
            try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, state, file, data)) {
              while (logical.hasNext()) {
                try (CloseableIterator<Row> r = logical.next().getRows()) {
                  while (r.hasNext()) {
                    out.add(json(struct(r.next())));
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  static CloseableIterator<FileStatus> single(FileStatus f) {
    Iterator<FileStatus> it = List.of(f).iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public FileStatus next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  static Map<String, Object> struct(Row r) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    List<StructField> fields = r.getSchema().fields();
    for (int i = 0; i < fields.size(); i++) {
      if (!r.isNullAt(i)) {
        m.put(fields.get(i).getName(), value(r, i, fields.get(i).getDataType()));
      }
    }
    return m;
  }

  static Object value(Row r, int i, DataType t) {
    if (t instanceof StructType) {
      return struct(r.getStruct(i));
    }
    if (t instanceof ArrayType a) {
      return array(r.getArray(i), a.getElementType());
    }
    if (t instanceof MapType mt) {
      return map(r.getMap(i), mt);
    }
    return scalar(t, r, null, i);
  }

  static List<Object> array(ArrayValue a, DataType element) {
    ColumnVector v = a.getElements();
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < a.getSize(); i++) {
      out.add(v.isNullAt(i) ? null : vector(v, i, element));
    }
    return out;
  }

  static Map<String, Object> map(MapValue m, MapType t) {
    Map<String, Object> out = new java.util.TreeMap<>();
    for (int i = 0; i < m.getSize(); i++) {
      out.put(String.valueOf(vector(m.getKeys(), i, t.getKeyType())),
          m.getValues().isNullAt(i) ? null : vector(m.getValues(), i, t.getValueType()));
    }
    return out;
  }

  static Object vector(ColumnVector v, int i, DataType t) {
    if (t instanceof StructType s) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      for (int f = 0; f < s.length(); f++) {
        ColumnVector c = v.getChild(f);
        if (!c.isNullAt(i)) {
          m.put(s.at(f).getName(), vector(c, i, s.at(f).getDataType()));
        }
      }
      return m;
    }
    if (t instanceof ArrayType a) {
      return array(v.getArray(i), a.getElementType());
    }
    if (t instanceof MapType mt) {
      return map(v.getMap(i), mt);
    }
    return scalar(t, null, v, i);
  }

  /** A scalar at {@code i} of a row ({@code r}) or else of a column vector ({@code v}), as Spark's JSON gives it. */
  static Object scalar(DataType t, Row r, ColumnVector v, int i) {
    if (t instanceof StringType) {
      return r != null ? r.getString(i) : v.getString(i);
    }
    if (t instanceof BooleanType) {
      return r != null ? r.getBoolean(i) : v.getBoolean(i);
    }
    if (t instanceof ByteType) {
      return r != null ? r.getByte(i) : v.getByte(i);
    }
    if (t instanceof ShortType) {
      return r != null ? r.getShort(i) : v.getShort(i);
    }
    if (t instanceof IntegerType) {
      return r != null ? r.getInt(i) : v.getInt(i);
    }
    if (t instanceof LongType) {
      return r != null ? r.getLong(i) : v.getLong(i);
    }
    if (t instanceof DoubleType) {
      double d = r != null ? r.getDouble(i) : v.getDouble(i);
      return Double.isFinite(d) ? (Object) d : Double.toString(d); // Spark writes NaN and Infinity as strings
    }
    if (t instanceof FloatType) {
      float f = r != null ? r.getFloat(i) : v.getFloat(i);
      return Float.isFinite(f) ? (Object) f : Float.toString(f);
    }
    if (t instanceof DecimalType) {
      return r != null ? r.getDecimal(i) : v.getDecimal(i);
    }
    if (t instanceof DateType) {
      return LocalDate.ofEpochDay(r != null ? r.getInt(i) : v.getInt(i)).toString();
    }
    if (t instanceof TimestampType || t instanceof TimestampNTZType) {
      long micros = r != null ? r.getLong(i) : v.getLong(i);
      Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
      return t instanceof TimestampType ? TS.format(at) : TS_NTZ.format(at.atOffset(ZoneOffset.UTC));
    }
    if (t instanceof BinaryType) {
      return Base64.getEncoder().encodeToString(r != null ? r.getBinary(i) : v.getBinary(i));
    }
    throw new IllegalArgumentException("no JSON form for " + t);
  }

  /**
   * A value read by the kernel as the JSON text Spark's {@code toJSON} writes (its Jackson generator): members in
   * schema order, null members left out, strings escaped by Jackson's encoder, numbers as Java prints them
   * ({@code Double.toString}, {@code BigDecimal.toString}), dates and timestamps as {@link #scalar} formats them. So
   * the rows compare as text, byte for byte: any difference of value or of form fails.
   */
  static String json(Object v) {
    StringBuilder b = new StringBuilder();
    json(v, b);
    return b.toString();
  }

  private static void json(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getValue() != null) {
          b.append(first ? "" : ",").append(com.fasterxml.jackson.databind.node.TextNode.valueOf((String) e.getKey()))
              .append(':');
          json(e.getValue(), b);
          first = false;
        }
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        b.append(i > 0 ? "," : "");
        json(l.get(i), b);
      }
      b.append(']');
    } else if (v instanceof String str) {
      b.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(str));
    } else {
      b.append(v); // booleans and numbers: Java's own text, as Jackson writes them
    }
  }
}
