package org.ilp.common.spatial;

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
 * <p>{@link #densityAt} is the naive O(centres × points) evaluation, meant for one partition or
 * for tests: the Spark side does the neighbour search (e.g. bucket points into cells of side h
 * and join each grid centre with the 3×3 block of buckets around it) and then sums
 * {@link #quartic} over the candidate pairs. No square roots are needed (the kernel depends on
 * d² only). Pure and allocation-free apart from the result array.
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
     * Naive kernel density at each centre c: f(c) = Σ_e w_e · K(|c − p_e|, h) (Silverman 1986,
     * eq. 4.5 without the 1/n normalisation, i.e. an intensity — expected events per unit area —
     * as in ArcGIS Kernel Density with a population field).
     *
     * @param cx      centre x coordinates
     * @param cy      centre y coordinates (same length as cx)
     * @param px      point x coordinates
     * @param py      point y coordinates (same length as px)
     * @param weights point weights (same length as px), or {@code null} for 1 each
     * @param h       bandwidth (&gt; 0)
     * @return density at each centre (new array)
     * @throws IllegalArgumentException on length mismatch or h not &gt; 0
     */
    public static double[] densityAt(double[] cx, double[] cy, double[] px, double[] py,
                                     double[] weights, double h) {
        if (cx.length != cy.length || px.length != py.length
                || (weights != null && weights.length != px.length)) {
            throw new IllegalArgumentException("coordinate / weight arrays differ in length");
        }
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("bandwidth must be positive and finite: " + h);
        }
        final double h2 = h * h;
        double[] out = new double[cx.length];
        for (int c = 0; c < cx.length; c++) {
            double acc = 0.0;
            for (int e = 0; e < px.length; e++) {
                double dx = cx[c] - px[e];
                double dy = cy[c] - py[e];
                double d2 = dx * dx + dy * dy;
                if (d2 < h2) {
                    acc += (weights == null ? 1.0 : weights[e]) * quarticSq(d2, h2);
                }
            }
            out[c] = acc;
        }
        return out;
    }
}
