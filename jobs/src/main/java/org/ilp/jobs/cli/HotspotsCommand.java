package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.hotspots.HotspotParams;
import org.ilp.jobs.hotspots.HotspotsJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hotspots", mixinStandardHelpOptions = true,
    description = {"silver.incidents of one month (or --to a window) → gold.hotspot_cells (Gi* with permutation",
        "inference and FDR), gold.hotspot_kde (kernel density), gold.emerging_hotspots (monthly Gi* slices,",
        "same significance rule as the map) and GeoJSON/GeoParquet exports under <warehouse>/exports/hotspots/.",
        "With unchanged parameters, ref tables and silver rows of its jurisdiction it does nothing (--force recomputes)."})
final class HotspotsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--period", required = true, paramLabel = "P", description = "Month, e.g. 2017-12.")
  String period;

  @Option(names = "--to", paramLabel = "P2", description = "Last month of a multi-month window (default: the period).")
  String to;

  @Option(names = "--scope", required = true, paramLabel = "AREA", description = "uk, chicago or an area code (e.g. CHI-DIST-11).")
  String scope;

  @Option(names = "--offence", paramLabel = "ICCS", description = "ICCS level-1 or level-2 code (e.g. 0501 burglary); default all crime.")
  String offence;

  @Option(names = "--cell", paramLabel = "SIZE", description = "Cell size, e.g. 250m (default ilp.hotspots.cell-m), or H3 hexagons, e.g. h3:9 (Gi* neighbours: the k-ring, ilp.hotspots.h3-k-ring).")
  String cell;

  @Option(names = "--permutations", paramLabel = "R", description = "Conditional permutations (default ilp.hotspots.permutations).")
  Integer permutations;

  @Option(names = "--seed", description = "Permutation seed (default ilp.hotspots.seed).")
  Long seed;

  @Option(names = "--no-export", description = "Do not write the GeoJSON/GeoParquet files.")
  boolean noExport;

  @Option(names = "--force", description = "Recompute even when no input changed since the same run.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    HotspotParams p = Runner.params(spec, () -> HotspotParams.of(config, period, to, scope, offence, cell, permutations,
        seed, !noExport, force));
    return Runner.run(common, HotspotsJob.JOB, p.asMap(), ctx -> HotspotsJob.run(ctx, p));
  }
}
