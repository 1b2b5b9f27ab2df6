package org.ilp.common.spark;

import java.time.Duration;
import java.util.Map;

/**
 * The immutable outcome of one job run (after Iceberg's action results): rows read, written and
 * quarantined per table, the Delta versions read and written, and the duration.
 */
public record JobResult(
    String job,
    String runId,
    String status,
    Map<String, Long> rowsIn,
    Map<String, Long> rowsOut,
    long rowsQuarantined,
    Map<String, Long> inputVersions,
    Map<String, Long> outputVersions,
    Duration duration,
    String summary) {

  public JobResult {
    rowsIn = Map.copyOf(rowsIn);
    rowsOut = Map.copyOf(rowsOut);
    inputVersions = Map.copyOf(inputVersions);
    outputVersions = Map.copyOf(outputVersions);
  }

  public long rowsWritten() {
    return rowsOut.values().stream().mapToLong(Long::longValue).sum();
  }

  public long rowsRead() {
    return rowsIn.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean noop() {
    return "noop".equals(status);
  }
}
