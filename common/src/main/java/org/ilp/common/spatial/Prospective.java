package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.ilp.common.spark.Aggregates;

/**
 * Prospective hotspotting (Bowers, Johnson &amp; Pease 2004, "Prospective hot-spotting: the future
 * of crime mapping?", British Journal of Criminology 44(5):641–658).
 *
 * <p>Risk of the cell with centre c at time T:
 * <pre>
 *   risk(c, T) = Σ_{e : d(c,e) ≤ D, 0 ≤ age(e) ≤ Tmax}  1/(1 + d_cells) · 1/(1 + t_weeks)
 *   d_cells = d(c,e) / cellSize      (distance expressed in cell widths)
 *   t_weeks = ⌊age(e) / 7⌋           (age in whole weeks)
 * </pre>
 * with the paper's defaults D = 400 m and Tmax = 8 weeks (56 days); the paper used 50 m cells.
 * Both bounds are inclusive. Events with negative age (after T) carry no weight.
 */
public final class Prospective {

    /** Default spatial bandwidth D in metres (Bowers et al. 2004). */
    public static final double DEFAULT_BAND_M = 400.0;
    /** Default maximum age Tmax in days (8 weeks; Bowers et al. 2004). */
    public static final double DEFAULT_MAX_AGE_DAYS = 56.0;
    /** Cell size used by Bowers et al. (2004), metres. */
    public static final double DEFAULT_CELL_SIZE_M = 50.0;

    private Prospective() {
    }

    /**
     * Weight of one past event for one cell centre (Bowers, Johnson &amp; Pease 2004):
     * {@code 1/(1 + d/cellSize) · 1/(1 + ⌊age/7⌋)} if {@code 0 ≤ d ≤ band} and
     * {@code 0 ≤ age ≤ maxAge}, else 0.
     *
     * @param distanceM  distance from the cell centre to the event, metres (≥ 0)
     * @param ageDays    T − event time, days (negative: event after T, weight 0)
     * @param cellSizeM  cell width, metres (&gt; 0)
     * @param bandM      spatial bandwidth D, metres (≥ 0)
     * @param maxAgeDays temporal bandwidth Tmax, days (≥ 0)
     * @return the weight in [0, 1]; NaN if distance or age is NaN
     * @throws IllegalArgumentException on a negative distance, non-positive cell size or a
     *                                  negative / NaN bandwidth
     */
    public static double weight(double distanceM, double ageDays, double cellSizeM, double bandM,
                                double maxAgeDays) {
        if (!(cellSizeM > 0) || !(bandM >= 0) || !(maxAgeDays >= 0)) {
            throw new IllegalArgumentException("need cellSize > 0, band >= 0, maxAge >= 0");
        }
        if (Double.isNaN(distanceM) || Double.isNaN(ageDays)) {
            return Double.NaN;
        }
        if (distanceM < 0) {
            throw new IllegalArgumentException("negative distance: " + distanceM);
        }
        if (distanceM > bandM || ageDays < 0 || ageDays > maxAgeDays) {
            return 0.0;
        }
        double dCells = distanceM / cellSizeM;
        double tWeeks = Math.floor(ageDays / 7.0);
        return 1.0 / ((1.0 + dCells) * (1.0 + tWeeks));
    }

    /**
     * {@link #weight} with the paper's bandwidths D = 400 m, Tmax = 56 days.
     *
     * @param distanceM distance, metres
     * @param ageDays   age, days
     * @param cellSizeM cell width, metres
     * @return the weight
     */
    public static double weight(double distanceM, double ageDays, double cellSizeM) {
        return weight(distanceM, ageDays, cellSizeM, DEFAULT_BAND_M, DEFAULT_MAX_AGE_DAYS);
    }

    /**
     * Prospective risk of every cell with a recent event nearby at {@code asOf}, as Spark work:
     * Σ {@link #weight} over the events of the {@code maxAgeDays} days before as-of within {@code bandM}
     * of the cell centre (Spark finds the pairs with {@link Grid#near}; the weight is this class's
     * formula, called per pair). Only events before as-of are known, so age ≥ 1 day.
     *
     * @param pts points with day (date), x, y, ix, iy ({@link Grid#assign})
     * @return cell_id, prospective (cells without a recent event nearby are absent: risk 0)
     */
    public static Dataset<Row> risk(Dataset<Row> pts, Grid grid, LocalDate asOf, double bandM, double maxAgeDays) {
        Date a = Date.valueOf(asOf);
        double cellM = grid.cellM;
        UserDefinedFunction w = udf((UDF2<Double, Integer, Double>) (d, age) -> weight(d, age, cellM, bandM, maxAgeDays),
            DataTypes.DoubleType);
        Dataset<Row> recent = pts.where(col("day").lt(a).and(col("day").geq(Date.valueOf(asOf.minusDays((long) maxAgeDays)))))
            .withColumn("age", datediff(lit(a), col("day")));
        return grid.near(recent, bandM, "age").groupBy("cell_id").agg(Aggregates.fixedOrderSum(w.apply(col("d_m"), col("age"))).as("prospective"));
    }
}
