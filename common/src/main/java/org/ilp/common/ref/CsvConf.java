package org.ilp.common.ref;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilp.common.config.ConfFiles;

/** Reads a small CSV under conf/ into maps keyed by the header (values trimmed, blank = null). */
public final class CsvConf {
  private CsvConf() {}

  /** Reads a CSV file given by path (a user's replacement of a conf table). */
  public static List<Map<String, String>> readFile(java.nio.file.Path file) {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      return parse(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static List<Map<String, String>> read(String relative) {
    try (InputStream in = ConfFiles.open(relative)) {
      return parse(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Map<String, String>> parse(InputStream in) {
    CsvParserSettings s = new CsvParserSettings();
    s.getFormat().setLineSeparator("\n");
    s.setHeaderExtractionEnabled(true);
    s.setMaxCharsPerColumn(1 << 20);
    CsvParser parser = new CsvParser(s);
    List<Map<String, String>> out = new ArrayList<>();
    parser.beginParsing(new InputStreamReader(in, StandardCharsets.UTF_8));
    String[] header = parser.getContext().parsedHeaders();
    String[] row;
    while ((row = parser.parseNext()) != null) {
      if (header == null) {
        header = parser.getContext().parsedHeaders();
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        String v = i < row.length ? row[i] : null;
        v = v == null ? null : v.trim();
        m.put(header[i].trim(), v == null || v.isEmpty() ? null : v);
      }
      out.add(m);
    }
    parser.stopParsing();
    return out;
  }
}
