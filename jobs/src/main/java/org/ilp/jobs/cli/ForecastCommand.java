package org.ilp.jobs.cli;

import java.util.concurrent.Callable;
import org.ilp.jobs.forecast.ForecastJob;
import org.ilp.jobs.forecast.ForecastParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = {"Per-cell forecasts (naive, KDE, prospective, self-exciting) for [as-of, as-of + horizon),",
        "evaluated by backtests: hit rate, PAI and PEI at 1/5/10%% coverage → gold.forecasts, gold.forecast_evaluation.",
        "With unchanged parameters, ref tables and silver rows of its jurisdiction it does nothing (--force recomputes)."})
final class ForecastCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--as-of", required = true, paramLabel = "DATE", description = "Forecast start, e.g. 2017-12-01.")
  String asOf;

  @Option(names = "--horizon", defaultValue = "1m", description = "1w | 1m (default: ${DEFAULT-VALUE}).")
  String horizon;

  @Option(names = "--scope", required = true, paramLabel = "AREA", description = "uk, chicago or an area code.")
  String scope;

  @Option(names = "--offence", paramLabel = "ICCS", description = "ICCS level-1 or level-2 code; default all crime.")
  String offence;

  @Option(names = "--cell", defaultValue = "250m", description = "Cell size (default: ${DEFAULT-VALUE}).")
  String cell;

  @Option(names = "--backtests", defaultValue = "11", description = "Earlier as-of dates evaluated (default: ${DEFAULT-VALUE}).")
  int backtests;

  @Option(names = "--force", description = "Recompute even when no input changed since the same run.")
  boolean force;

  @Override
  public Integer call() {
    var config = common.load();
    ForecastParams p = Runner.params(spec, () -> {
      try {
        return new ForecastParams(java.time.LocalDate.parse(asOf), horizon, scope, offence,
            org.ilp.jobs.hotspots.HotspotParams.metres(cell), backtests,
            config.raw().getDouble("ilp.hotspots.kde-bandwidth-m"), force);
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException("--as-of must be a date such as 2017-12-01: " + asOf);
      }
    });
    return Runner.run(common, ForecastJob.JOB, p.asMap(), ctx -> ForecastJob.run(ctx, p));
  }
}
