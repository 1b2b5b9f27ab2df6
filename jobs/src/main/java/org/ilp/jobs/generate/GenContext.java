package org.ilp.jobs.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared state of one generator run: output root, format knobs, file registry, ground truth. */
final class GenContext {
    final Path out;
    final boolean gzip;
    /** true for "full" plant counts (rows >= {@link DatasetGenerator#FULL_PLANTS_MIN_ROWS}). */
    final boolean full;
    /**
     * Full-plant runs give each planted trend series (treated and control) at least this many rows a
     * month before the change, so a 1.6× rise is detectable at any size from FULL_PLANTS_MIN_ROWS up.
     */
    static final long TREND_MIN_PER_MONTH = 12;
    final GroundTruth gt;
    final List<Path> files = new ArrayList<>();
    final Map<String, Long> rowsPerSource = new LinkedHashMap<>();

    GenContext(Path out, boolean gzip, boolean full, GroundTruth gt) {
        this.out = out;
        this.gzip = gzip;
        this.full = full;
        this.gt = gt;
    }

    String ext() {
        return gzip ? ".csv.gz" : ".csv";
    }

    CsvSink sink(String source, String rel, String header, String eol) {
        return new CsvSink(out, source, rel, header, eol, gzip);
    }

    /** Closes a sink and, when it received records, registers it as a data file of its source. */
    void finish(CsvSink sink) throws IOException {
        sink.close();
        if (sink.opened()) {
            files.add(sink.path);
            rowsPerSource.merge(sink.source, sink.records(), Long::sum);
            gt.file(sink.rel, sink.source, sink.records());
        }
    }

    /** Picks a count: the full value for large runs, the small one otherwise. */
    int plants(int fullCount, int smallCount) {
        return full ? fullCount : smallCount;
    }
}
