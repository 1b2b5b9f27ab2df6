package org.ilp.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ilp.common.source.SourceSpec;
import org.ilp.jobs.ingest.IngestJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Raw dumps of one source → bronze.<source>, with ops.ingest_manifest and ops.quarantine.",
        "Files already ingested (same checksum) are skipped; a changed file is a new version."})
final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--source", required = true, paramLabel = "NAME",
      description = "Source spec in conf/sources: police_uk_street, police_uk_stop_search, chicago_crimes.")
  String source;

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
      description = "Files or folders (read recursively) of .csv / .csv.gz.")
  List<String> inputs;

  @Override
  public Integer call() {
    IngestJob.Params p = Runner.params(spec, () -> new IngestJob.Params(SourceSpec.load(source), inputs));
    return Runner.run(common, IngestJob.JOB, p.asMap(), ctx -> IngestJob.run(ctx, p));
  }
}
