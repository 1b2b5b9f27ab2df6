package org.ilp.jobs.cli;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessLog;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.access.SqlGuard;

/**
 * One consultation of `ilp sql` or `ilp shell`: the statement checked against the account's {@link AccessPolicy}
 * ({@link SqlGuard}: refused before anything is read), its rows printed, and a row of ops.access_log written whatever
 * the outcome (ok, refused, failed).
 */
final class Consult {
  private Consult() {}

  /** Prints a checked statement's rows. */
  interface Printer {
    ResultPrinter.Printed print(Dataset<Row> rows);
  }

  /**
   * Checks, runs, prints and logs {@code sql}.
   *
   * @param output the file the rows go to, or null for the terminal (logged)
   * @throws SqlGuard.Refused when the policy refuses it (logged first)
   */
  static ResultPrinter.Printed statement(SparkSession spark, AccessPolicy policy, String command, String sql,
      String purpose, String output, Printer printer) {
    List<String> tables = List.of();
    try {
      SqlGuard.Checked c = SqlGuard.run(spark, sql, policy, purpose);
      tables = c.tables();
      ResultPrinter.Printed p = printer.print(c.rows());
      AccessLog.write(spark, policy, new AccessLog.Entry(command, sql, purpose, tables, p.rows(), output, AccessLog.OK,
          null, null));
      return p;
    } catch (SqlGuard.Refused e) {
      AccessLog.write(spark, policy, new AccessLog.Entry(command, sql, purpose, tables, null, output,
          AccessLog.REFUSED, e.getMessage(), null));
      throw e;
    } catch (Exception e) { // Spark's AnalysisException is checked in Scala's eyes only
      AccessLog.write(spark, policy, new AccessLog.Entry(command, sql, purpose, tables, null, output, AccessLog.FAILED,
          Runner.rootMessage(e).lines().findFirst().orElse(""), null));
      throw e;
    }
  }
}
