package org.ilp.common.source;

import java.util.List;

/**
 * What the driver learned about one input file before Spark reads it: checksum (SHA-256 of the
 * bytes as stored), size, whether it can be read at all, and its header.
 *
 * @param status {@code ok}, {@code empty} (0 bytes, or nothing after decompression) or
 *     {@code rejected} (unreadable: truncated gzip, header of another source, ...)
 */
public record ScannedFile(
    String path,
    String fileName,
    String checksum,
    long bytes,
    String status,
    String rule,
    String reason,
    List<String> header) {

  public ScannedFile {
    header = header == null ? List.of() : List.copyOf(header);
  }

  public boolean readable() {
    return "ok".equals(status);
  }
}
