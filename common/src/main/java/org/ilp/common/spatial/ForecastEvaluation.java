package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Hit rate, Predictive Accuracy Index (PAI) and Predictive Efficiency Index (PEI) of a grid
 * hotspot forecast, for equal-area cells.
 *
 * <pre>
 *   k        = ⌈c · N⌉ cells with the highest predicted score (ties: lower cell id first)
 *   hitRate  = n / N_events                     (events in the k cells / all events)
 *   PAI      = hitRate / (k / N)                (Chainey, Tompson &amp; Uhlig 2008, Security
 *                                                Journal 21:4–28: (n/N)/(a/A) with equal areas)
 *   PAI*     = (n* / N_events) / (k / N)        n* = largest possible hits with k cells
 *                                                (the k largest observed counts)
 *   PEI      = PAI / PAI* = n / n*              (Hunt 2016, "Do crime hot spots move? …",
 *                                                PhD diss., American University; used as the
 *                                                "Prediction Efficiency Index" of the NIJ
 *                                                Real-Time Crime Forecasting Challenge, 2017)
 * </pre>
 * {@link #evaluate(long[], double[], long[], double)} is the one implementation; Spark calls it
 * once per (as-of, method) group through {@link #evaluate(Dataset, List, double[])} — each group's N
 * cells in one task, O(N log N) time and O(N) memory.
 * NOTE: "PAI*" here is the maximum attainable PAI; it is unrelated to the "PEI*" of White, Hunt
 * &amp; Green (2023, Security Journal), which changes the denominator.
 */
public final class ForecastEvaluation {

    private ForecastEvaluation() {
    }

    /**
     * Evaluation result. {@code hitRate}, {@code pai}, {@code pei} are NaN when
     * {@code totalEvents == 0}.
     *
     * @param coverage      requested coverage fraction c
     * @param cellsSelected k = ⌈c·N⌉
     * @param hits          events in the selected cells
     * @param totalEvents   all events in the evaluation window
     * @param hitRate       hits / totalEvents
     * @param pai           hitRate / (k/N)
     * @param pei           PAI / PAI* = hits / best possible hits with k cells
     */
    public record Result(double coverage, int cellsSelected, long hits, long totalEvents,
                         double hitRate, double pai, double pei) implements Serializable {
    }

    /**
     * {@link #evaluate(long[], double[], long[], double)} with cell id = array index.
     *
     * @param scores   predicted score per cell
     * @param counts   observed events per cell in the evaluation window (≥ 0)
     * @param coverage c in (0, 1]
     * @return the result
     */
    public static Result evaluate(double[] scores, long[] counts, double coverage) {
        long[] ids = new long[scores.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return evaluate(ids, scores, counts, coverage);
    }

    /**
     * Hit rate, PAI (Chainey, Tompson &amp; Uhlig 2008) and PEI (Hunt 2016) at coverage c: cells are
     * ranked by score descending, ties by cell id ascending (NaN scores rank last), the top
     * k = ⌈c·N⌉ are selected. k is computed on the decimal value of c
     * ({@code new BigDecimal(Double.toString(c))}) so that e.g. c = 0.07, N = 100 gives 7, not 8
     * (0.07·100 = 7.000000000000001 in binary floating point).
     *
     * @param cellIds  distinct cell identifiers (tie-break key)
     * @param scores   predicted score per cell
     * @param counts   observed events per cell (≥ 0)
     * @param coverage c in (0, 1]
     * @return the result
     * @throws IllegalArgumentException on length mismatch, no cells, a negative count or c
     *                                  outside (0, 1]
     */
    public static Result evaluate(long[] cellIds, double[] scores, long[] counts, double coverage) {
        final int n = scores.length;
        if (cellIds.length != n || counts.length != n) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        if (n == 0) {
            throw new IllegalArgumentException("no cells");
        }
        if (!(coverage > 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage must be in (0, 1]: " + coverage);
        }
        final int k = selectedCells(coverage, n);
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count");
            }
            total += c;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            double sa = Double.isNaN(scores[a]) ? Double.NEGATIVE_INFINITY : scores[a];
            double sb = Double.isNaN(scores[b]) ? Double.NEGATIVE_INFINITY : scores[b];
            int cmp = Double.compare(sb, sa);            // descending score
            if (cmp == 0 && Double.isNaN(scores[a]) != Double.isNaN(scores[b])) {
                cmp = Double.isNaN(scores[a]) ? 1 : -1;  // NaN after a genuine -Infinity
            }
            return cmp != 0 ? cmp : Long.compare(cellIds[a], cellIds[b]);
        });
        long hits = 0;
        for (int r = 0; r < k; r++) {
            hits += counts[order[r]];
        }
        long[] sortedCounts = counts.clone();
        Arrays.sort(sortedCounts);
        long best = 0;
        for (int r = 0; r < k; r++) {
            best += sortedCounts[n - 1 - r];
        }
        if (total == 0) {
            return new Result(coverage, k, 0, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        double hitRate = (double) hits / total;
        double areaShare = (double) k / n;
        double pai = hitRate / areaShare;
        double pei = (double) hits / best;    // = PAI / PAI*, best > 0 since total > 0, k ≥ 1
        return new Result(coverage, k, hits, total, hitRate, pai, pei);
    }

    /**
     * k = ⌈c · N⌉ evaluated on the decimal representation of c.
     *
     * @param coverage c in (0, 1]
     * @param nCells   N
     * @return k, at least 1
     */
    static int selectedCells(double coverage, int nCells) {
        BigDecimal k = new BigDecimal(Double.toString(coverage))
                .multiply(BigDecimal.valueOf(nCells))
                .setScale(0, RoundingMode.CEILING);
        return Math.max(1, Math.min(nCells, k.intValueExact()));
    }

    /** Rows of {@link #evaluate(Dataset, List, double[])}. */
    public static final StructType EVALUATION = new StructType()
            .add("as_of", DataTypes.DateType).add("method", DataTypes.StringType)
            .add("coverage", DataTypes.DoubleType).add("cells_selected", DataTypes.LongType)
            .add("hits", DataTypes.LongType).add("total_events", DataTypes.LongType)
            .add("hit_rate", DataTypes.DoubleType).add("pai", DataTypes.DoubleType).add("pei", DataTypes.DoubleType);

    /**
     * Hit rate, PAI and PEI of every method column at every coverage, per as-of date, computed by
     * {@link #evaluate(long[], double[], long[], double)} on each (as-of, method) group of cells. A
     * method with no score in a group (null everywhere: not applicable to month-only sources) yields
     * no rows; a null score ranks last. hit_rate, PAI and PEI are null when no event happened.
     *
     * @param scored  as_of, cell_id, actual (observed events) and one score column per method
     * @param methods the score columns
     */
    public static Dataset<Row> evaluate(Dataset<Row> scored, List<String> methods, double[] coverages) {
        List<Column> stacked = new ArrayList<>();
        for (String m : methods) {
            stacked.add(struct(lit(m).as("method"), col(m).cast("double").as("score")));
        }
        Dataset<Row> longForm = scored.select(col("as_of"), col("cell_id"), col("actual"),
                explode(array(stacked.toArray(Column[]::new))).as("_m"))
            .select(col("as_of"), col("_m.method").as("method"), col("cell_id"), col("_m.score").as("score"),
                col("actual"));
        double[] cov = coverages.clone();
        return longForm.groupByKey((MapFunction<Row, String>) r -> r.getDate(0) + "|" + r.getString(1), Encoders.STRING())
            .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, it) -> group(it, cov), Encoders.row(EVALUATION));
    }

    private static Iterator<Row> group(Iterator<Row> it, double[] coverages) {
        List<Row> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        int n = rows.size();
        long[] ids = new long[n];
        double[] scores = new double[n];
        long[] counts = new long[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            ids[i] = r.getLong(2);
            scores[i] = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
            counts[i] = r.getLong(4);
            any |= !r.isNullAt(3);
        }
        List<Row> out = new ArrayList<>();
        if (!any) {
            return out.iterator();
        }
        for (double c : coverages) {
            Result e = evaluate(ids, scores, counts, c);
            out.add(RowFactory.create(rows.get(0).getDate(0), rows.get(0).getString(1), c, (long) e.cellsSelected(),
                e.hits(), e.totalEvents(), nan(e.hitRate()), nan(e.pai()), nan(e.pei())));
        }
        return out.iterator();
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
