package org.ilp.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.ilp.common.access.AccessLog;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.table.Tables;
import org.ilp.jobs.reidentify.ReidentifyJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reidentify", mixinStandardHelpOptions = true,
    description = {"The clear identifiers behind one pseudonym (vault.person_identities), printed as CSV on stdout,",
        "for a user whose role (ILP_ROLE / ilp.access.role) is in ilp.reidentify.roles. Every request, allowed or",
        "refused, is logged in ops.disclosure_log (who, when, purpose, what was disclosed). Refused: exit 2."})
final class ReidentifyCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--person-key", required = true, paramLabel = "K", description = "The pseudonym (person_key).")
  String personKey;

  @Option(names = "--purpose", required = true, paramLabel = "TEXT", description = "Why (logged), e.g. a case reference.")
  String purpose;

  @Override
  public Integer call() {
    var config = common.load();
    ReidentifyJob.Params p = Runner.params(spec, () -> ReidentifyJob.Params.of(config, personKey, purpose));
    List<Row> disclosed = new ArrayList<>();
    AccessPolicy policy = AccessPolicy.of(config);
    String statement = "reidentify --person-key " + personKey;
    List<String> read = List.of(Tables.VAULT_PERSON_IDENTITIES.name());
    int rc = Runner.run(common, ReidentifyJob.JOB, p.asMap(), ctx -> {
      ReidentifyJob.Disclosure d;
      try {
        d = ReidentifyJob.run(ctx, p);
      } catch (RuntimeException e) { // refused (logged in ops.disclosure_log too) or failed
        AccessLog.write(ctx.spark(), policy, new AccessLog.Entry("reidentify", statement, purpose, read, null, null,
            e instanceof org.ilp.common.spark.UsageError ? AccessLog.REFUSED : AccessLog.FAILED, e.getMessage(),
            ctx.runId()));
        throw e;
      }
      disclosed.addAll(d.identities());
      AccessLog.write(ctx.spark(), policy, new AccessLog.Entry("reidentify", statement, purpose, read,
          (long) d.identities().size(), null, AccessLog.OK, null, ctx.runId()));
      return d.result();
    });
    if (rc == 0) {
      System.out.println("mention_id,source,given_name,family_name,date_of_birth,postcode,national_id,document_number,"
          + "vehicle_registration");
      for (Row r : disclosed) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          cells.add(r.isNullAt(i) ? "" : csv(r.get(i).toString()));
        }
        System.out.println(String.join(",", cells));
      }
    }
    return rc;
  }

  static String csv(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
