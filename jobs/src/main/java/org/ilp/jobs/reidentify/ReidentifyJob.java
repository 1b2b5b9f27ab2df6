package org.ilp.jobs.reidentify;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.UsageError;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * The only way back from a pseudonym to a person: the clear identifiers of vault.person_identities for one
 * {@code person_key}, for a stated purpose, to a user acting in an allowed role — and every request, allowed or
 * refused, is a row of ops.disclosure_log (who, when, role, pseudonym, purpose, outcome, and which fields of how many
 * records were disclosed — never the values themselves).
 *
 * <p>A refused request (no role, or a role not in {@code ilp.reidentify.roles}) is logged and then fails as a usage
 * error (exit 2). The role comes from {@code ilp.access.role} (the environment variable ILP_ROLE, set by the
 * deployment for the account): this command is the audited path, not the access control itself — the vault's files
 * are readable by the restricted accounts only (see README, "Persons").
 *
 * <p><b>Inputs:</b> vault.person_identities. <b>Outputs:</b> ops.disclosure_log (one row appended); the identities on
 * stdout (the command prints them). <b>Knobs:</b> ilp.access.role, ilp.reidentify.roles; CLI --person-key, --purpose.
 */
public final class ReidentifyJob {
  public static final String JOB = "reidentify";
  static final List<String> FIELDS = List.of("given_name", "family_name", "date_of_birth", "postcode", "national_id",
      "document_number", "vehicle_registration");

  private ReidentifyJob() {}

  /** @param role the requester's role (null: none); @param allowed the roles that may re-identify */
  public record Params(String personKey, String purpose, String role, List<String> allowed) {
    public Params {
      if (personKey == null || !personKey.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("--person-key must be a pseudonym (64 hex characters): " + personKey);
      }
      if (purpose == null || purpose.strip().length() < 10) {
        throw new IllegalArgumentException("--purpose must say why, in at least 10 characters (it is logged)");
      }
      allowed = List.copyOf(allowed);
    }

    public static Params of(IlpConfig config, String personKey, String purpose) {
      var c = config.raw();
      return new Params(personKey, purpose, c.hasPath("ilp.access.role") ? c.getString("ilp.access.role") : null,
          c.getStringList("ilp.reidentify.roles"));
    }

    public boolean permitted() {
      return role != null && allowed.contains(role);
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("person_key", personKey);
      m.put("purpose", purpose);
      m.put("role", String.valueOf(role));
      return m;
    }
  }

  /** The run's result and the disclosed identities (mention_id, source and the identifier fields). */
  public record Disclosure(JobResult result, List<Row> identities) {}

  /** Logs the request, then discloses or refuses. */
  public static Disclosure run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    ctx.stages(2);
    ctx.stage("check", "role " + p.role() + " against ilp.reidentify.roles");
    if (!p.permitted()) {
      log(ctx, p, "refused", 0, List.of(), List.of());
      throw new UsageError("reidentify refused: role " + (p.role() == null ? "(none: ILP_ROLE / ilp.access.role unset)"
          : p.role()) + " may not re-identify (ilp.reidentify.roles); the request was logged in ops.disclosure_log");
    }
    Delta.require(spark, "`ilp persons`", Tables.VAULT_PERSON_IDENTITIES);
    ctx.stageDone("permitted");
    ctx.stage("disclose", "vault.person_identities of one pseudonym");
    List<Row> rows = Delta.read(spark, Tables.VAULT_PERSON_IDENTITIES).where(col("person_key").equalTo(p.personKey()))
        .select(col("mention_id"), col("source"), col("given_name"), col("family_name"),
            col("date_of_birth").cast("string"), col("postcode"), col("national_id"), col("document_number"),
            col("vehicle_registration")).orderBy("source", "mention_id").collectAsList();
    List<String> fields = FIELDS.stream().filter(f -> rows.stream().anyMatch(r -> !r.isNullAt(r.fieldIndex(f))))
        .toList();
    List<String> sources = rows.stream().map(r -> r.getString(1)).distinct().sorted().toList();
    String outcome = rows.isEmpty() ? "not_found" : "disclosed";
    long version = log(ctx, p, outcome, rows.size(), fields, sources);
    ctx.stageDone(outcome, rows.size());
    String summary = String.format("%s: %d records of person %s…, fields %s, for \"%s\" (logged)", outcome, rows.size(),
        p.personKey().substring(0, 12), fields, p.purpose());
    return new Disclosure(new JobResult(JOB, ctx.runId(), "succeeded",
        Map.of(Tables.VAULT_PERSON_IDENTITIES.name(), (long) rows.size()), Map.of(Tables.OPS_DISCLOSURE_LOG.name(), 1L),
        0L, Map.of(), Map.of(Tables.OPS_DISCLOSURE_LOG.name(), version),
        Duration.between(ctx.startedAt(), Instant.now()), summary), rows);
  }

  /** Appends the request's row to ops.disclosure_log; its version. */
  static long log(JobContext ctx, Params p, String outcome, long records, List<String> fields, List<String> sources) {
    Dataset<Row> row = ctx.spark().createDataFrame(List.of(RowFactory.create(ctx.runId(),
        Timestamp.from(Instant.now()), System.getProperty("user.name"), JobContext.hostName(), p.role(), p.personKey(), p.purpose(),
        outcome, records, scala.jdk.javaapi.CollectionConverters.asScala(fields).toSeq(),
        scala.jdk.javaapi.CollectionConverters.asScala(sources).toSeq())), Tables.OPS_DISCLOSURE_LOG.schema());
    return Writes.append(Tables.OPS_DISCLOSURE_LOG, row).version();
  }
}
