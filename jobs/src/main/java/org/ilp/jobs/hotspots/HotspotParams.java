package org.ilp.jobs.hotspots;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ilp.common.assess.Periods;
import org.ilp.common.config.IlpConfig;

/**
 * Parameters of {@link HotspotsJob}, validated when built (CLI options over {@code ilp.hotspots}).
 *
 * @param period       the (first) month analysed
 * @param periodEnd    the last month analysed (= period for one month; e.g. 2016-01 .. 2017-12)
 * @param scope        a jurisdiction (uk, chicago) or an area code of ref.areas (e.g. CHI-DIST-11)
 * @param offence      optional ICCS level-1 or level-2 code (e.g. 0501 burglary); null = all crime
 * @param cellM        cell size in metres (H3: the resolution's average edge length)
 * @param h3           H3 resolution of hexagonal cells ({@code --cell h3:9}), or -1 for square cells
 * @param h3KRing      H3 Gi* neighbourhood: the k-ring ({@code ilp.hotspots.h3-k-ring})
 * @param bandM        Gi* distance band in metres (cell size × √2 when 0)
 * @param permutations conditional permutations per cell (0 = analytic p only)
 * @param seed         permutation seed (results are reproducible per seed)
 * @param kdeBandwidthM quartic kernel bandwidth in metres
 * @param emergingMonths Gi* time slices (months up to the period) for emerging hotspots; 0 = skip
 * @param export       write GeoJSON and GeoParquet files under {@code <warehouse>/exports/hotspots/}
 * @param harmWeights  harm weight table (path or name under conf/) for the cells' harm
 * @param force        recompute even when no input changed since the same run
 */
public record HotspotParams(LocalDate period, LocalDate periodEnd, String scope, String offence, double cellM, int h3,
    int h3KRing, double bandM,
    int permutations, long seed, double kdeBandwidthM, int emergingMonths, boolean export, String harmWeights,
    boolean force) {

  public HotspotParams {
    if (periodEnd == null) {
      periodEnd = period;
    }
    if (periodEnd.isBefore(period)) {
      throw new IllegalArgumentException("--to " + periodEnd + " is before --period " + period);
    }
    if (scope == null || scope.isBlank()) {
      throw new IllegalArgumentException("--scope is required (uk, chicago or an area code)");
    }
    if (h3 < -1 || h3 > 13) {
      throw new IllegalArgumentException("H3 resolution must be in 0..13 (h3:9 = ~200 m edges): " + h3);
    }
    if (h3 >= 0 && (h3KRing < 1 || h3KRing > 10)) {
      throw new IllegalArgumentException("ilp.hotspots.h3-k-ring must be in 1..10: " + h3KRing);
    }
    if (!(cellM >= 1)) {
      throw new IllegalArgumentException("cell size must be at least 1 m: " + cellM);
    }
    if (h3 < 0 && !(cellM >= 10)) {
      throw new IllegalArgumentException("cell size must be at least 10 m: " + cellM);
    }
    if (h3 < 0 && (bandM < 0 || (bandM > 0 && bandM < cellM))) {
      throw new IllegalArgumentException("band must be 0 (8 neighbours) or at least the cell size: " + bandM);
    }
    if (permutations < 0 || permutations > 99_999) {
      throw new IllegalArgumentException("permutations must be in 0..99999: " + permutations);
    }
    if (!(kdeBandwidthM >= cellM) && h3 < 0) {
      throw new IllegalArgumentException("KDE bandwidth must be at least the cell size");
    }
    if (emergingMonths < 0 || emergingMonths > 120) {
      throw new IllegalArgumentException("emerging months must be in 0..120: " + emergingMonths);
    }
    if (offence != null && !offence.matches("\\d{2}|\\d{4}")) {
      throw new IllegalArgumentException("--offence must be an ICCS level-1 (05) or level-2 (0501) code: " + offence);
    }
  }

  /** The H3 resolution of "h3:9", or -1 for a square cell size. */
  public static int h3Resolution(String cell) {
    if (cell == null || !cell.trim().toLowerCase(java.util.Locale.ROOT).startsWith("h3")) {
      return -1;
    }
    String r = cell.trim().substring(2).replaceFirst("^[:=]", "");
    try {
      return Integer.parseInt(r);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an H3 cell: '" + cell + "' (use h3:9)");
    }
  }

  /** How the cells are written in cell_grid: square or h3:N. */
  public String gridLabel() {
    return h3 >= 0 ? "h3:" + h3 : "square";
  }

  /** Parses "250m", "250" or "0.25km". */
  public static double metres(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("km")) {
        return Double.parseDouble(t.substring(0, t.length() - 2)) * 1000;
      }
      return Double.parseDouble(t.endsWith("m") ? t.substring(0, t.length() - 1) : t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a distance: '" + s + "' (use 250m)");
    }
  }

  public static HotspotParams of(IlpConfig config, String period, String to, String scope, String offence, String cell,
      Integer permutations, Long seed, boolean export, boolean force) {
    var c = config.raw().getConfig("ilp.hotspots");
    int h3 = h3Resolution(cell);
    return new HotspotParams(Periods.MONTH.parse(period), to == null ? null : Periods.MONTH.parse(to), scope, offence,
        h3 >= 0 ? org.ilp.common.spatial.H3Grid.averageEdgeM(h3) : cell == null ? c.getDouble("cell-m") : metres(cell),
        h3, c.getInt("h3-k-ring"), h3 >= 0 ? 0 : c.getDouble("band-m"),
        permutations == null ? c.getInt("permutations") : permutations, seed == null ? c.getLong("seed") : seed,
        c.getDouble("kde-bandwidth-m"), c.getInt("emerging-months"), export,
        config.getString("ilp.assess.harm-weights"), force);
  }

  /** The offence as written in the tables: the ICCS code or "all". */
  public String offenceLabel() {
    return offence == null ? "all" : offence;
  }

  /** Band actually used, in metres (H3: 0, the neighbours are the k-ring). */
  public double effectiveBandM() {
    if (h3 >= 0) {
      return 0;
    }
    return bandM <= 0 ? cellM * Math.sqrt(2) : bandM;
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("period", period.toString());
    m.put("period_end", periodEnd.toString());
    m.put("scope", scope);
    m.put("offence", offence == null ? "all" : offence);
    m.put("cell_m", String.valueOf(cellM));
    if (h3 >= 0) {
      m.put("cell_grid", gridLabel());
      m.put("h3_k_ring", String.valueOf(h3KRing));
    }
    m.put("band_m", String.valueOf(effectiveBandM()));
    m.put("permutations", String.valueOf(permutations));
    m.put("seed", String.valueOf(seed));
    m.put("kde_bandwidth_m", String.valueOf(kdeBandwidthM));
    m.put("emerging_months", String.valueOf(emergingMonths));
    m.put("export", String.valueOf(export));
    m.put("harm_weights_sha256", org.ilp.common.config.ConfFiles.sha256(harmWeights));
    m.put("force", String.valueOf(force));
    return m;
  }
}
