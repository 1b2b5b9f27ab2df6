package org.ilp.common.testing;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Independent reading of the real-data slices in plain Java (univocity directly, not Spark), so
 * tests can compare what the pipeline built with a count written a different way.
 */
public final class RealCsv {
  /** The real-data slices shipped in common's test resources (see real/README.md). */
  public static final Path ROOT = locate();

  private RealCsv() {}

  private static Path locate() {
    for (Path p : new Path[] {Path.of("src/test/resources/real"), Path.of("../common/src/test/resources/real")}) {
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("real-data slices not found from " + Path.of("").toAbsolutePath());
  }

  public static Path dir(String name) {
    return ROOT.resolve(name);
  }

  /** Data records (header excluded) of one .csv or .csv.gz file. */
  public static List<String[]> records(Path file) {
    CsvParserSettings s = new CsvParserSettings();
    s.setHeaderExtractionEnabled(true);
    s.setLineSeparatorDetectionEnabled(true);
    s.setMaxCharsPerColumn(1 << 20);
    s.setNullValue(null);
    s.setEmptyValue("");
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      List<String[]> out = new ArrayList<>(new CsvParser(s).parseAll(new InputStreamReader(in, StandardCharsets.UTF_8)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every .csv / .csv.gz under a folder, sorted. */
  public static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".csv.gz")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean blank(String s) {
    return s == null || s.trim().isEmpty();
  }
}
