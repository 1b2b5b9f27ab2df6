package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.persons.PersonsJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "persons", mixinStandardHelpOptions = true,
    description = {"Person sources' bronze tables → silver.person_mentions (every person record, resolved to one",
        "person across agencies and identified only by a keyed pseudonym) and vault.person_identities (the clear",
        "identifiers, restricted). Needs the pseudonymisation key (ILP_PSEUDONYM_KEY or ilp.secrets.pseudonym-key-file;",
        "make one with `ilp keygen`). Rules: conf/identity/person_linkage.conf. Unchanged inputs: nothing to do."})
final class PersonsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var config = common.load();
    PersonsJob.Params p = Runner.params(spec, () -> PersonsJob.Params.of(config));
    return Runner.run(common, PersonsJob.JOB, p.asMap(), ctx -> PersonsJob.run(ctx, p));
  }
}
