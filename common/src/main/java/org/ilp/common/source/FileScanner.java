package org.ilp.common.source;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists input files (recursively, through Hadoop's FileSystem so local, HDFS and object stores
 * work alike) and scans each one on the driver before Spark reads it: SHA-256 of the stored bytes
 * (the manifest key: an unchanged file is not ingested twice), full decompression of {@code .gz}
 * (a truncated archive is rejected with a reason instead of failing the Spark job), and the header
 * (to pick the column layout and catch a file of another source): a CSV file's first record, the keys of a JSON
 * Lines file's objects, a Parquet file's footer schema (a file without a readable footer is rejected).
 */
public final class FileScanner {
  private FileScanner() {}

  /**
   * Files under the given paths that the spec accepts, sorted by path; the others (but those its exclude-pattern names:
   * known non-data files) in {@code skipped}.
   */
  public static List<String> list(Configuration hadoop, List<String> inputs, SourceSpec spec, List<String> skipped)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String input : inputs) {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("input not found: " + input + " (looked at " + fs.makeQualified(p) + ")");
      }
      FileStatus st = fs.getFileStatus(p);
      if (st.isFile()) {
        out.add(fs.makeQualified(p).toString());
        continue;
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String name = f.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        if (spec.accepts(name)) {
          out.add(f.getPath().toString());
        } else if (!spec.excludes(name)) {
          skipped.add(f.getPath().toString());
        }
      }
    }
    // a file reached twice (through a symlinked folder, a symlink loop) is one file: kept under its shortest path
    List<String> sorted = out.stream().distinct()
        .sorted(java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder()))
        .toList();
    java.util.Set<String> real = new java.util.HashSet<>();
    List<String> once = new ArrayList<>();
    for (String f : sorted) {
      if (real.add(realPath(f))) {
        once.add(f);
      }
    }
    skipped.removeIf(f -> !real.add(realPath(f)));
    return once.stream().sorted().toList();
  }

  /** A local file's path with symlinks resolved (other file systems: as given). */
  static String realPath(String file) {
    try {
      java.net.URI u = new java.net.URI(file);
      if (u.getScheme() == null || "file".equals(u.getScheme())) {
        return java.nio.file.Path.of(u.getScheme() == null ? file : u.getPath()).toRealPath().toString();
      }
    } catch (java.net.URISyntaxException | IOException | RuntimeException e) {
      // not a local path we can resolve: as given
    }
    return file;
  }

  /**
   * Scans one file. Never throws for a bad file: a file that cannot be read at all (gone, no
   * permission, an I/O error) is {@code rejected} with rule {@code file.unreadable}, and one whose
   * compression is broken (not gzip at all, truncated, corrupt) with {@code file.unreadable_compression},
   * so one bad file never stops the others. An unreadable file has no content checksum; its manifest
   * key is {@code unreadable:} + SHA-256 of its path, size and modification time, so it is recorded once
   * and scanned again when it changes (e.g. its permissions are fixed and it is re-sent).
   */
  /**
   * The file's modification time (epoch ms) and size as {@code "time|bytes"}, or null when it cannot be read: with
   * the path, what tells a scheduled run that a file it ingested before is unchanged, without reading it.
   */
  public static String stamp(Configuration hadoop, String file) {
    try {
      Path p = new Path(file);
      FileStatus st = p.getFileSystem(hadoop).getFileStatus(p);
      return st.getModificationTime() + "|" + st.getLen();
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /**
   * A file whose name is not one of the source's: listed in the manifest, not read. Its key is {@code unrecognised:} +
   * SHA-256 of its path and stamp, so it is listed once, and again when it changes.
   */
  public static ScannedFile unrecognised(String file, String stamp, SourceSpec spec) {
    Path p = new Path(file);
    MessageDigest key = sha256();
    key.update((p + "|" + stamp).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long bytes = stamp == null ? 0 : Long.parseLong(stamp.substring(stamp.indexOf('|') + 1));
    return new ScannedFile(p.toString(), p.getName(), "unrecognised:" + HexFormat.of().formatHex(key.digest()), bytes,
        "unrecognised", null, "the name is not one of source " + spec.name() + "'s (file-pattern " + spec.filePattern()
            + "): not read; a file of another source or a misnamed one? Rename it, or ingest it with its source",
        null);
  }

  /** {@code s} as a copy of a file already ingested (or seen earlier in this run) as {@code original}: not read twice. */
  public static ScannedFile duplicate(ScannedFile s, String original) {
    MessageDigest key = sha256();
    key.update((s.path() + "|" + s.checksum()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new ScannedFile(s.path(), s.fileName(), "duplicate:" + HexFormat.of().formatHex(key.digest()), s.bytes(),
        "duplicate", null, "the same bytes (SHA-256 " + s.checksum().substring(0, Math.min(12, s.checksum().length()))
            + "…) as " + original + ": its records are counted once, under that file", s.header());
  }

  public static ScannedFile scan(Configuration hadoop, String file, SourceSpec spec) {
    Path p = new Path(file);
    String name = p.getName();
    long bytes = -1;
    long modified = 0;
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus st = fs.getFileStatus(p);
      bytes = st.getLen();
      modified = st.getModificationTime();
      return read(fs, p, bytes, spec);
    } catch (IOException | java.io.UncheckedIOException | SecurityException e) {
      MessageDigest key = sha256();
      key.update((p + "|" + bytes + "|" + modified).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new ScannedFile(p.toString(), name, "unreadable:" + HexFormat.of().formatHex(key.digest()), Math.max(bytes, 0),
          "rejected", "file.unreadable", "cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage()
              + "); check that it exists and that the job may read it", null);
    }
  }

  private static ScannedFile read(FileSystem fs, Path p, long bytes, SourceSpec spec) throws IOException {
    return "parquet".equals(spec.format()) ? readParquet(fs, p, bytes, spec) : readText(fs, p, bytes, spec);
  }

  /** CSV and JSON Lines, plain or gzip: checksum, full decompression, header. */
  private static ScannedFile readText(FileSystem fs, Path p, long bytes, SourceSpec spec) throws IOException {
    String name = p.getName();
    boolean jsonLines = "jsonl".equals(spec.format());
    MessageDigest sha = sha256();
    List<String> header = null;
    String rule = null;
    String reason = null;
    String status = "ok";
    long uncompressed = 0;
    long replaced = 0;
    try (InputStream raw = new java.io.BufferedInputStream(new DigestInputStream(fs.open(p), sha), 1 << 16)) {
      try {
        raw.mark(2);
        boolean gzipBytes = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        if (gzipBytes && !name.endsWith(".gz")) {
          throw new MisnamedCompression();
        }
        // inside the try: a file that is not gzip at all fails here, in the constructor
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        // a CSV header is the first record (no header spans lines in any known source)
        BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.forName(spec.encoding())), 1 << 16);
        if (jsonLines) {
          // the header of a JSON Lines file: every key of its objects, first seen first (a key that only some
          // records carry is a column all the same); a line that is not a JSON object is left to the reader,
          // which quarantines it
          java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
          long objects = 0;
          long lines = 0;
          String line;
          while ((line = r.readLine()) != null) {
            uncompressed += line.length() + 1;
            if (!line.isBlank()) {
              lines++;
              objects += objectKeys(line, keys) ? 1 : 0;
            }
          }
          header = new ArrayList<>(keys);
          if (lines > 0 && objects == 0) {
            status = "rejected";
            rule = "file.header_mismatch";
            reason = "no line is a JSON object: not a JSON Lines file of source " + spec.name() + " (binary or another format?)";
          }
        } else {
          String first = r.readLine();
          if (first != null) {
            uncompressed += first.length();
            replaced += first.chars().filter(c -> c == 0xFFFD).count();
            try {
              header = parseHeader(first, spec.delimiter());
            } catch (RuntimeException e) { // e.g. a binary file: no CSV record at all
              status = "rejected";
              rule = "file.header_mismatch";
              reason = "the first record is not a CSV header of source " + spec.name() + " (binary or another format?): "
                  + e.getClass().getSimpleName();
            }
            char[] buf = new char[1 << 16];
            int n;
            while ((n = r.read(buf)) > 0) {
              uncompressed += n;
              for (int i = 0; i < n; i++) {
                replaced += buf[i] == '\uFFFD' ? 1 : 0; // bytes that are not UTF-8 (see below)
              }
            }
          }
        }
      } catch (MisnamedCompression e) {
        status = "rejected";
        rule = "file.misnamed_compression";
        reason = "gzip-compressed data in a file not named .gz: rename it " + name + ".gz (or ask the agency to send it so)";
      } catch (EOFException | ZipException e) {
        status = "rejected";
        rule = "file.unreadable_compression";
        reason = "compressed file is not gzip, truncated or corrupt (" + e.getMessage() + ") after " + uncompressed
            + " characters; ask the agency to resend it";
      }
      // drain so the checksum covers the whole stored file even when decompression stopped early
      raw.transferTo(OutputStreamNull.INSTANCE);
    }
    String checksum = HexFormat.of().formatHex(sha.digest());
    if ("ok".equals(status) && (header == null || header.isEmpty() || uncompressed == 0)) {
      status = "empty";
      reason = "file has no content";
    } else if ("ok".equals(status)) {
      String mismatch = headerMismatch(header, spec);
      if (mismatch != null) {
        status = "rejected";
        rule = "file.header_mismatch";
        reason = mismatch;
      }
    }
    // a UTF-8 source's file with bytes that are not UTF-8 is read as Latin-1 (ISO-8859-1, what older agency systems
    // export; the one single-byte set Spark's CSV reader takes): its accented letters kept, not replaced by U+FFFD
    String encoding = replaced > 0 && "UTF-8".equalsIgnoreCase(spec.encoding()) && "ok".equals(status)
        ? "iso-8859-1" : null;
    return new ScannedFile(p.toString(), name, checksum, bytes, status, rule, reason, header, null, encoding);
  }

  /** Gzip bytes in a file whose name does not say so. */
  private static final class MisnamedCompression extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Parquet: checksum of the stored bytes, then the footer (a file that is not Parquet or is cut short has none and
   * is rejected with {@code file.unreadable_format}); the header is the top-level fields, the layout their types too.
   */
  private static ScannedFile readParquet(FileSystem fs, Path p, long bytes, SourceSpec spec) throws IOException {
    String name = p.getName();
    MessageDigest sha = sha256();
    try (InputStream raw = new DigestInputStream(fs.open(p), sha)) {
      raw.transferTo(OutputStreamNull.INSTANCE);
    }
    String checksum = HexFormat.of().formatHex(sha.digest());
    if (bytes == 0) {
      return new ScannedFile(p.toString(), name, checksum, 0, "empty", null, "file has no content", null);
    }
    List<String> header = new ArrayList<>();
    List<String> layout = new ArrayList<>();
    try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(p, fs.getConf()))) {
      for (org.apache.parquet.schema.Type t : r.getFooter().getFileMetaData().getSchema().getFields()) {
        header.add(t.getName());
        layout.add(t.toString());
      }
    } catch (IOException | RuntimeException e) {
      return new ScannedFile(p.toString(), name, checksum, bytes, "rejected", "file.unreadable_format",
          "not a Parquet file, or truncated or corrupt (" + e.getClass().getSimpleName() + ": " + printable(String.valueOf(
              e.getMessage())) + "); ask the agency to resend it", null);
    }
    String mismatch = header.isEmpty() ? "the Parquet file has no columns" : headerMismatch(header, spec);
    return new ScannedFile(p.toString(), name, checksum, bytes, mismatch == null ? "ok" : "rejected",
        mismatch == null ? null : "file.header_mismatch", mismatch, header, String.join("\u0001", layout));
  }

  /**
   * Why a header is not one of the source's, or null when it is: a CSV or Parquet file must have at least half the
   * source's columns; a JSON Lines file at least one of them (its records may leave out keys they have no value for).
   */
  static String headerMismatch(List<String> header, SourceSpec spec) {
    List<String> expected = spec.bronzeColumns();
    long known = header.stream().map(SourceSpec::snake).filter(expected::contains).count();
    if ("jsonl".equals(spec.format()) ? known > 0 : known * 2 >= expected.size()) {
      return null;
    }
    String text = String.join(",", header);
    if (text.codePoints().anyMatch(c -> (Character.isISOControl(c) && c != '\t') || c == 0xFFFD)) {
      return "binary content, not a text file of source " + spec.name() + " (a wrong or corrupt export?)";
    }
    for (String sep : List.of(";", "\t", "|")) {
      if (!sep.equals(spec.delimiter()) && header.size() == 1 && text.contains(sep)
          && Arrays.stream(text.split(java.util.regex.Pattern.quote(sep))).map(SourceSpec::snake)
              .filter(expected::contains).count() * 2 >= expected.size()) {
        return "fields are separated by '" + (sep.equals("\t") ? "\\t" : sep) + "', not '" + spec.delimiter()
            + "': ask the agency for the agreed format (or add a source spec for it)";
      }
    }
    return "header does not look like source " + spec.name() + ": found " + printable(header.toString()) + ", expected "
        + spec.rawColumns();
  }

  /** Adds the top-level keys of a JSON object on one line; false when the line is not a JSON object. */
  static boolean objectKeys(String line, java.util.Set<String> keys) {
    try (com.fasterxml.jackson.core.JsonParser jp = JSON.createParser(line)) {
      if (jp.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      java.util.List<String> found = new ArrayList<>();
      com.fasterxml.jackson.core.JsonToken t;
      while ((t = jp.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        found.add(jp.currentName());
        jp.nextToken();
        jp.skipChildren();
      }
      if (t != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
        return false;
      }
      keys.addAll(found);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  /** At most 300 characters, control and replacement characters as '?': a binary file's "header" in a log line. */
  static String printable(String s) {
    String t = s.codePoints().map(c -> Character.isISOControl(c) || c == 0xFFFD ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return t.length() <= 300 ? t : t.substring(0, 300) + "…";
  }

  static List<String> parseHeader(String line, String delimiter) {
    CsvParserSettings s = new CsvParserSettings();
    s.getFormat().setDelimiter(delimiter.charAt(0));
    s.getFormat().setQuote('"');
    s.getFormat().setQuoteEscape('"');
    s.setHeaderExtractionEnabled(false);
    String l = line.startsWith("\uFEFF") ? line.substring(1) : line;
    String[] cells = new CsvParser(s).parseLine(l);
    return cells == null ? List.of() : Arrays.stream(cells).map(c -> c == null ? "" : c.trim()).toList();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
