package org.ilp.jobs.generate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Knobs of one {@link DatasetGenerator} run.
 *
 * @param rows  target number of data records (at least 100), planted rows included, split between the
 *              sources by {@code mix}
 * @param seed  seed of the {@link java.util.SplittableRandom}; the same seed gives byte-identical output
 * @param out   output folder (created if missing; the generator's own sub-folders in it are replaced)
 * @param gzip  write {@code .csv.gz} instead of {@code .csv}
 * @param mix   the sources' shares of {@code rows} ({@link Mix#DEFAULT}: 65% police.uk street, 5% stop-and-search,
 *              30% Chicago)
 */
public record GeneratorParams(long rows, long seed, Path out, boolean gzip, Mix mix) {
    /** Smallest accepted {@link #rows()}. */
    public static final long MIN_ROWS = 100;

    public GeneratorParams {
        if (rows < MIN_ROWS) {
            throw new IllegalArgumentException("rows must be at least " + MIN_ROWS + ", got " + rows);
        }
        Objects.requireNonNull(out, "out must not be null");
        Objects.requireNonNull(mix, "mix must not be null");
    }

    /** The default mix. */
    public GeneratorParams(long rows, long seed, Path out, boolean gzip) {
        this(rows, seed, out, gzip, Mix.DEFAULT);
    }

    /**
     * The sources' weights (relative: 65:5:30 and 0.65:0.05:0.30 are the same mix). Each source draws from its own
     * random stream, so a source's files depend only on the seed and its own row count: two runs that give Chicago
     * the same number of rows write the same Chicago files whatever the other sources get.
     */
    public record Mix(double street, double stopSearch, double chicago) {
        /** 65% police.uk street, 5% stop-and-search, 30% Chicago. */
        public static final Mix DEFAULT = new Mix(65, 5, 30);

        public Mix {
            for (double w : new double[] {street, stopSearch, chicago}) {
                if (!(w > 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("every source's share must be a positive number, got "
                        + street + ":" + stopSearch + ":" + chicago);
                }
            }
        }

        /** {@code STREET:STOP_SEARCH:CHICAGO}, e.g. {@code 65:5:30}. */
        public static Mix parse(String text) {
            String[] p = text.trim().split(":");
            if (p.length != 3) {
                throw new IllegalArgumentException("a mix is STREET:STOP_SEARCH:CHICAGO (e.g. 65:5:30), got " + text);
            }
            try {
                return new Mix(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a mix is three numbers STREET:STOP_SEARCH:CHICAGO, got " + text, e);
            }
        }

        /** As {@link #parse} reads it: {@code 65:5:30} (whole weights without a decimal point). */
        @Override
        public String toString() {
            return weight(street) + ":" + weight(stopSearch) + ":" + weight(chicago);
        }

        private static String weight(double w) {
            return w == Math.rint(w) ? Long.toString((long) w) : Double.toString(w);
        }

        /** The rows of each source, in the order street, stop-and-search, Chicago: Chicago gets the rounding's rest. */
        long[] quotas(long rows) {
            double total = street + stopSearch + chicago;
            // share first, then times rows: the default's shares are the doubles 0.65 and 0.05 (earlier output unchanged)
            long uk = Math.round(rows * (street / total));
            long ss = Math.round(rows * (stopSearch / total));
            return new long[] {uk, ss, rows - uk - ss};
        }
    }
}
