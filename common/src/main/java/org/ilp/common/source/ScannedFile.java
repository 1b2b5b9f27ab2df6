package org.ilp.common.source;

import java.util.List;

/**
 * What the driver learned about one input file before Spark reads it: checksum (SHA-256 of the
 * bytes as stored), size, whether it can be read at all, and its header.
 *
 * @param status {@code ok}, {@code empty} (0 bytes, or nothing after decompression) or
 *     {@code rejected} (unreadable: truncated gzip, header of another source, ...)
 * @param header the file's column names: a CSV file's header record, the keys of a JSON Lines file's objects
 *     (first seen first), a Parquet file's top-level fields
 * @param layout what files read together must share: the header, its encoding, and for Parquet the fields' types too
 * @param encoding the text's character set when it is not the spec's (a UTF-8 source's file in Latin-1), or null
 */
public record ScannedFile(
    String path,
    String fileName,
    String checksum,
    long bytes,
    String status,
    String rule,
    String reason,
    List<String> header,
    String layout,
    String encoding) {

  public ScannedFile {
    header = header == null ? List.of() : List.copyOf(header);
    layout = (layout == null ? String.join("\u0001", header) : layout) + (encoding == null ? "" : "\u0002" + encoding);
  }

  public ScannedFile(String path, String fileName, String checksum, long bytes, String status, String rule,
      String reason, List<String> header, String layout) {
    this(path, fileName, checksum, bytes, status, rule, reason, header, layout, null);
  }

  /** A file whose layout is its header (CSV, JSON Lines). */
  public ScannedFile(String path, String fileName, String checksum, long bytes, String status, String rule, String reason,
      List<String> header) {
    this(path, fileName, checksum, bytes, status, rule, reason, header, null);
  }

  public boolean readable() {
    return "ok".equals(status);
  }
}
