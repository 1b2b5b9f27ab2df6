package org.ilp.common.access;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobContext;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes {@link Tables#OPS_ACCESS_LOG}: one row per consultation (LED Art. 25: who, when, what, why), allowed or
 * refused, appended before the command returns. A consultation whose row cannot be written fails (exit 1): nothing is
 * consulted unlogged, though rows already printed cannot be taken back.
 */
public final class AccessLog {
  private AccessLog() {}

  /** Outcomes. */
  public static final String OK = "ok";
  public static final String REFUSED = "refused";
  public static final String FAILED = "failed";

  /** Longest statement text kept (a pasted script is cut, with its length said). */
  static final int MAX_STATEMENT = 20_000;

  /**
   * One consultation.
   *
   * @param command   sql | shell | tables | report | reidentify
   * @param statement the SQL or the command's arguments
   * @param purpose   the purpose given, or null
   * @param tables    tables read
   * @param rows      rows printed or written (null when refused or failed)
   * @param output    file written (null: the terminal)
   * @param outcome   {@link #OK}, {@link #REFUSED} or {@link #FAILED}
   * @param reason    why refused or failed (null when ok)
   * @param runId     the job run of a consultation that is a job, else null
   */
  public record Entry(String command, String statement, String purpose, List<String> tables, Long rows, String output,
      String outcome, String reason, String runId) {
    public Entry {
      tables = tables == null ? List.of() : List.copyOf(tables);
    }
  }

  /** Appends {@code e} for {@code policy}'s user and role; the new version of the log. */
  public static long write(SparkSession spark, AccessPolicy policy, Entry e) {
    String statement = e.statement() == null || e.statement().length() <= MAX_STATEMENT ? e.statement()
        : e.statement().substring(0, MAX_STATEMENT) + " … (" + e.statement().length() + " characters)";
    var row = RowFactory.create(UUID.randomUUID().toString(), Timestamp.from(Instant.now()), policy.user(),
        JobContext.hostName(), policy.role(), policy.roleOrigin(), e.command(), statement, e.purpose(),
        CollectionConverters.asScala(e.tables()).toSeq(), e.rows(), e.output(), e.outcome(),
        e.reason(), e.runId());
    return Writes.append(Tables.OPS_ACCESS_LOG, spark.createDataFrame(List.of(row), Tables.OPS_ACCESS_LOG.schema()))
        .version();
  }
}
