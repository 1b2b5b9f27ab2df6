package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.stats.Fdr;
import org.ilp.common.stats.GetisOrd;

/**
 * Gi* hot and cold spots of a grid, as Spark work: the one code path behind the hotspot map and the
 * monthly slices of the emerging-hotspot analysis, so a cell is "hot" by exactly the same rule in both.
 *
 * <p>Input: one row per grid cell and slice (a slice is e.g. one month; the map is one slice) with
 * {@code cell_id}, {@code count} (x_i), {@code nb_sum} (Σ_j w_ij x_j, the cell included) and
 * {@code nb_w} (W_i) from {@link Grid#neighbourhood}. Per slice, over its n cells:
 * <ul>
 *   <li>{@code gi_z} = {@link GetisOrd#z} with that slice's x̄ and S;</li>
 *   <li>{@code gi_p} = its two-sided normal p ({@link GetisOrd#twoSidedP});</li>
 *   <li>{@code gi_p_perm} = the conditional-permutation pseudo-p ({@link GiStarPermutation#permute},
 *       seeded per cell, so reproducible and independent of partitioning; null when R = 0);</li>
 *   <li>{@code gi_p_sim} = the exact randomisation p, the R → ∞ limit of the pseudo-p
 *       ({@link NeighbourSumNull#twoSidedAbout}) — fine enough for an FDR over 10⁴–10⁶ cells, where a
 *       pseudo-p cannot go below 1/(R + 1), and without the normal approximation that is
 *       anti-conservative for sparse counts;</li>
 *   <li>{@code gi_q} = Benjamini–Hochberg q of gi_p_sim over the slice's cells ({@link Fdr#bh});</li>
 *   <li>{@code class} = hot|cold 99% / 95% / 90% for q &lt; 0.01 / 0.05 / 0.10 (sign of z), else
 *       "not significant"; "no neighbours" (W_i &lt; 2) and "no variance" (S = 0) get null statistics,
 *       never a division by zero.</li>
 * </ul>
 * Only the histogram of cell values per slice (one entry per distinct count) reaches the driver.
 */
public final class GiStar {
  private GiStar() {}

  /** Classes in order of strength; a cell is "hot" iff its class starts with "hot". */
  public static final double[] LEVELS = {0.01, 0.05, 0.10};

  /** The per-slice null distributions, broadcast to the executors (a class, not a record: Kryo 4 cannot build records). */
  static final class SliceNull implements Serializable {
    private static final long serialVersionUID = 1L;
    private final GiStarPermutation.ValueHistogram hist;
    private final NeighbourSumNull nul;

    SliceNull(GiStarPermutation.ValueHistogram hist, NeighbourSumNull nul) {
      this.hist = hist;
      this.nul = nul;
    }

    GiStarPermutation.ValueHistogram hist() {
      return hist;
    }

    NeighbourSumNull nul() {
      return nul;
    }
  }

  /**
   * Adds gi_z, gi_p, gi_p_perm, gi_p_sim, gi_q and class to a neighbourhood frame.
   *
   * @param nb           cell_id, count, nb_sum, nb_w and the slice columns
   * @param slices       columns naming a slice (empty: the frame is one slice)
   * @param permutations R (0: no pseudo-p)
   * @param seed         run-wide permutation seed
   */
  public static Dataset<Row> compute(Dataset<Row> nb, List<String> slices, int permutations, long seed) {
    Column sliceKey = slices.isEmpty() ? lit("") : concat_ws("|", slices.stream()
        .map(s -> col(s).cast("string")).toArray(Column[]::new));
    Dataset<Row> keyed = nb.withColumn("_gi_slice", sliceKey);
    Map<String, Map<Long, Long>> freq = new HashMap<>();
    Map<String, Integer> maxW = new HashMap<>();
    for (Row r : keyed.groupBy("_gi_slice", "count").agg(count(lit(1)), max("nb_w")).collectAsList()) {
      freq.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getLong(1), r.getLong(2));
      maxW.merge(r.getString(0), r.isNullAt(3) ? 1 : r.getInt(3), Math::max);
    }
    Map<String, SliceNull> nulls = new HashMap<>();
    freq.forEach((k, f) -> nulls.put(k, new SliceNull(GiStarPermutation.ValueHistogram.of(f),
        NeighbourSumNull.of(f, Math.max(1, maxW.get(k) - 1)))));
    Broadcast<HashMap<String, SliceNull>> b = JavaSparkContext.fromSparkContext(nb.sparkSession().sparkContext())
        .broadcast(new HashMap<>(nulls));
    StructType out = new StructType().add("z", DataTypes.DoubleType).add("p", DataTypes.DoubleType)
        .add("p_perm", DataTypes.DoubleType).add("p_sim", DataTypes.DoubleType);
    UDF5<String, Long, Long, Double, Integer, Row> f = (slice, id, x, sum, w) ->
        statistics(b.value().get(slice), id, x, sum, w, permutations, seed);
    Dataset<Row> d = keyed.withColumn("_gi", udf(f, out).apply(col("_gi_slice"), col("cell_id"), col("count"),
            col("nb_sum"), col("nb_w")))
        .withColumn("gi_z", col("_gi.z")).withColumn("gi_p", col("_gi.p"))
        .withColumn("gi_p_perm", col("_gi.p_perm")).withColumn("gi_p_sim", col("_gi.p_sim")).drop("_gi");
    d = Fdr.bh(d, "gi_p_sim", "gi_q", List.of("_gi_slice"), "cell_id");
    return d.withColumn("class", classOf()).drop("_gi_slice");
  }

  /** z, normal p, pseudo-p and exact randomisation p of one cell (nulls where Gi* is undefined). */
  static Row statistics(SliceNull sn, long id, long x, double sum, Integer w, int permutations, long seed) {
    GiStarPermutation.ValueHistogram h = sn.hist();
    if (w == null || w < 2) {
      return RowFactory.create(null, null, null, null);
    }
    double z = GetisOrd.z(sum, w, h.mean(), h.s(), h.n());
    if (Double.isNaN(z)) {
      return RowFactory.create(null, null, null, null);
    }
    Double pPerm = permutations == 0 ? null
        : GiStarPermutation.permute(x, sum, w, h, permutations, seed, id).pseudoP();
    // neighbour sum t = Σ w_ij x_j − x_i of k = W − 1 neighbours; z = 0 at t0 = x̄ W − x_i
    double pSim = sn.nul().twoSidedAbout(w - 1, Math.round(sum) - x, h.mean() * w - x);
    return RowFactory.create(z, GetisOrd.twoSidedP(z), pPerm, pSim);
  }

  /** The class of a cell from gi_z, gi_q and nb_w (see the class comment). */
  public static Column classOf() {
    Column side = when(col("gi_z").gt(0), lit("hot")).otherwise(lit("cold"));
    return when(col("nb_w").isNull().or(col("nb_w").lt(2)), lit("no neighbours"))
        .when(col("gi_z").isNull(), lit("no variance"))
        .when(col("gi_q").lt(LEVELS[0]), concat(side, lit(" 99%")))
        .when(col("gi_q").lt(LEVELS[1]), concat(side, lit(" 95%")))
        .when(col("gi_q").lt(LEVELS[2]), concat(side, lit(" 90%")))
        .otherwise(lit("not significant"));
  }

  /** Whether a class is a hot spot / a cold spot (any confidence). */
  public static boolean isHot(String cls) {
    return cls != null && cls.startsWith("hot");
  }

  public static boolean isCold(String cls) {
    return cls != null && cls.startsWith("cold");
  }

  /** The classes a map legend shows, strongest hot first. */
  public static List<String> classes() {
    List<String> out = new ArrayList<>();
    for (String side : List.of("hot", "cold")) {
      for (String l : List.of("99%", "95%", "90%")) {
        out.add(side + " " + l);
      }
    }
    return out;
  }
}
