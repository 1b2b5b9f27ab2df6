package org.ilp.jobs.generate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Knobs of one {@link DatasetGenerator} run.
 *
 * @param rows  target number of data records (at least 100); split ~65% police.uk street,
 *              ~5% stop-and-search, ~30% Chicago, planted rows included
 * @param seed  seed of the {@link java.util.SplittableRandom}; the same seed gives byte-identical output
 * @param out   output folder (created if missing; the generator's own sub-folders in it are replaced)
 * @param gzip  write {@code .csv.gz} instead of {@code .csv}
 */
public record GeneratorParams(long rows, long seed, Path out, boolean gzip) {
    /** Smallest accepted {@link #rows()}. */
    public static final long MIN_ROWS = 100;

    public GeneratorParams {
        if (rows < MIN_ROWS) {
            throw new IllegalArgumentException("rows must be at least " + MIN_ROWS + ", got " + rows);
        }
        Objects.requireNonNull(out, "out must not be null");
    }
}
