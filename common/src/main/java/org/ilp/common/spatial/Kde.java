package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.ilp.common.spark.Aggregates;

/**
 * Quartic (biweight) kernel density estimation on a grid.
 *
 * <p>Kernel (Silverman 1986, "Density Estimation for Statistics and Data Analysis", Chapman &amp;
 * Hall, §4.2.3 eq. 4.5, bivariate biweight K₂(x) = 3π⁻¹(1 − xᵀx)² for xᵀx &lt; 1, scaled by the
 * bandwidth h as h⁻²K₂(d/h); identical to the kernel of ArcGIS "Kernel Density", which follows
 * Silverman 1986 p. 76 eq. 4.5):
 * <pre>  K(d) = 3 / (π h²) · (1 − d²/h²)²  for 0 ≤ d &lt; h,  else 0</pre>
 * It integrates to 1 over the plane: ∫₀ʰ 2πr · 3/(πh²)(1 − r²/h²)² dr = (6/h²) · h²/6 = 1, so
 * a density is in events per unit area of the coordinate system (e.g. per m² for metric
 * coordinates; multiply by 10⁶ for per km²).
 *
 * <p>{@link #surface} is the one density computation: Spark pairs each point with the cells
 * within h and sums {@link #quartic} over the pairs (tested against hand-computed values).
 */
public final class Kde {

    private Kde() {
    }

    /**
     * Quartic kernel value K(d) = 3/(πh²)·(1 − d²/h²)² for d &lt; h, else 0 (Silverman 1986,
     * eq. 4.5; ArcGIS Kernel Density).
     *
     * @param d distance (≥ 0; the sign is ignored)
     * @param h bandwidth / search radius (&gt; 0)
     * @return the kernel value in 1/area units; NaN if h is not &gt; 0 or an argument is NaN
     */
    public static double quartic(double d, double h) {
        if (!(h > 0) || Double.isNaN(d)) {
            return Double.NaN;
        }
        return quarticSq(d * d, h * h);
    }

    /** K as a function of d² and h² (no square root): 3/(πh²)(1 − d²/h²)² for d² &lt; h². */
    private static double quarticSq(double d2, double h2) {
        if (d2 >= h2) {
            return 0.0;
        }
        double u = 1.0 - d2 / h2;
        return 3.0 / (Math.PI * h2) * u * u;
    }

    /**
     * The density surface of a grid, as Spark work: for every cell of {@code cells}, Σ K(d) over the
     * points within the bandwidth, K = {@link #quartic} (the only kernel formula; Spark finds the
     * point–cell pairs with {@link Grid#near} and calls it per pair), reported per km²
     * (K is per m² with d and h in metres).
     *
     * @param cells      the grid cells (cell_id, ...)
     * @param pts        points with x, y, ix, iy in the grid CRS ({@link Grid#assign})
     * @param grid       the grid
     * @param bandwidthM h in metres
     * @return cells + density_per_km2 (0 where no point is within h)
     */
    public static Dataset<Row> surface(Dataset<Row> cells, Dataset<Row> pts, Tessellation grid, double bandwidthM) {
        UserDefinedFunction k = udf((UDF1<Double, Double>) d -> quartic(d, bandwidthM), DataTypes.DoubleType);
        Dataset<Row> contrib = grid.near(pts, bandwidthM).groupBy("cell_id").agg(Aggregates.fixedOrderSum(k.apply(col("d_m"))).as("_k"));
        return cells.join(contrib, new String[] {"cell_id"}, "left")
            .withColumn("density_per_km2", coalesce(col("_k"), lit(0.0)).multiply(1e6)).drop("_k");
    }
}
