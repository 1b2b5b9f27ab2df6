package org.ilp.jobs.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Prints a query's rows for `ilp sql` and `ilp shell`: an aligned table for people, CSV (RFC 4180, a header
 * line) or JSON (one array of objects, parseable as a whole: {@code python3 -m json.tool}) for pipes, or JSON
 * Lines (one object per line) for streaming tools. Nested values (structs, arrays, maps) are printed as JSON in
 * every format. At most {@code limit} rows (0: all, streamed partition by partition rather than collected);
 * when rows were left out, {@link #print} says so by returning true, and the caller says it on stderr.
 */
final class ResultPrinter {
  /** Output formats. */
  enum Format { table, csv, json, jsonl }

  /** Widest cell of the table format; longer values are cut with "...". */
  static final int MAX_CELL = 60;

  private ResultPrinter() {}

  /** What was printed: rows, and whether the result had more than the limit and was cut. */
  record Printed(long rows, boolean cut) {}

  /** Prints {@code df} to {@code out}. */
  static Printed print(Dataset<Row> df, Format format, int limit, PrintStream out) {
    if (df.columns().length == 0) {
      return new Printed(0, false); // a statement without a result (DDL, SET)
    }
    long[] printed = {0};
    Dataset<Row> flat = nestedAsJson(df);
    // one row more than asked tells whether the result was cut, without counting it
    Dataset<Row> rows = limit > 0 ? flat.limit(limit + 1) : flat;
    String[] cols = flat.columns();
    boolean cut;
    switch (format) {
      case csv -> {
        out.println(csvLine(List.of((Object[]) cols)));
        cut = take(printed, rows.toLocalIterator(), limit, r -> out.println(csvLine(values(r))));
      }
      case json, jsonl -> {
        // nested values stay nested in JSON
        Iterator<String> js = (limit > 0 ? df.limit(limit + 1) : df).toJSON().toLocalIterator();
        boolean array = format == Format.json;
        int[] n = {0};
        out.print(array ? "[" : "");
        cut = take(printed, js, limit, j -> {
          out.print(array ? (n[0]++ == 0 ? "\n" : ",\n") + j : j + "\n");
        });
        out.print(array ? (n[0] == 0 ? "]\n" : "\n]\n") : "");
      }
      default -> {
        List<List<Object>> body = new ArrayList<>();
        cut = take(printed, rows.toLocalIterator(), limit, r -> body.add(values(r)));
        table(cols, body, out);
      }
    }
    out.flush();
    return new Printed(printed[0], cut);
  }

  /** Feeds at most {@code limit} items (0: all) to {@code each}; true when there were more. */
  private static <T> boolean take(long[] printed, Iterator<T> it, int limit, java.util.function.Consumer<T> each) {
    int n = 0;
    while (it.hasNext()) {
      T x = it.next();
      if (limit > 0 && n == limit) {
        return true;
      }
      each.accept(x);
      n++;
      printed[0] = n;
    }
    return false;
  }

  /** Structs, arrays and maps as JSON strings (a CSV cell or a table cell can hold them; JSON keeps them too). */
  static Dataset<Row> nestedAsJson(Dataset<Row> df) {
    StructType schema = df.schema();
    boolean nested = false;
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = df.col("`" + f.name().replace("`", "``") + "`");
      if (f.dataType() instanceof StructType || f.dataType() instanceof ArrayType || f.dataType() instanceof MapType) {
        cols.add(functions.to_json(c).as(f.name()));
        nested = true;
      } else {
        cols.add(c);
      }
    }
    return nested ? df.select(cols.toArray(Column[]::new)) : df;
  }

  private static List<Object> values(Row r) {
    List<Object> v = new ArrayList<>(r.length());
    for (int i = 0; i < r.length(); i++) {
      v.add(r.get(i));
    }
    return v;
  }

  /** One CSV record (RFC 4180): a value with a comma, quote, CR or LF quoted, quotes doubled; null is empty. */
  static String csvLine(List<Object> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object v = values.get(i);
      if (v != null) {
        String s = v.toString();
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        b.append(quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
      }
    }
    return b.toString();
  }

  /** An aligned table: +---+ borders, values right-aligned as Spark's show() does, NULL for null. */
  static void table(String[] cols, List<List<Object>> rows, PrintStream out) {
    int[] w = new int[cols.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < cols.length; i++) {
      w[i] = cell(cols[i]).length();
    }
    for (List<Object> r : rows) {
      String[] c = new String[cols.length];
      for (int i = 0; i < cols.length; i++) {
        c[i] = cell(r.get(i) == null ? "NULL" : r.get(i).toString());
        w[i] = Math.max(w[i], c[i].length());
      }
      cells.add(c);
    }
    StringBuilder sep = new StringBuilder("+");
    for (int x : w) {
      sep.append("-".repeat(x)).append('+');
    }
    out.println(sep);
    out.println(line(cols, w));
    out.println(sep);
    for (String[] c : cells) {
      out.println(line(c, w));
    }
    out.println(sep);
    out.println(rows.size() == 1 ? "(1 row)" : "(" + rows.size() + " rows)");
  }

  private static String line(String[] c, int[] w) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < c.length; i++) {
      b.append(" ".repeat(w[i] - cell(c[i]).length())).append(cell(c[i])).append('|');
    }
    return b.toString();
  }

  private static String cell(String s) {
    String one = s.replace("\n", "\\n").replace("\r", "\\r");
    return one.length() > MAX_CELL ? one.substring(0, MAX_CELL - 3) + "..." : one;
  }
}
