package org.ilp.jobs.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One output CSV file, opened lazily on the first record (a slot that receives no record leaves no
 * file), written through a 64 KiB {@link BufferedWriter}, optionally gzip (fastest level; the gzip
 * header carries no timestamp, so output is byte-reproducible). Counts data records, so callers can
 * learn the 1-based data-row number a record gets before writing it ({@link #nextRow()}).
 */
final class CsvSink implements Closeable {
    final String source;
    final String rel;
    final Path path;
    private final String header;
    private final String eol;
    private final boolean gzip;
    private Writer writer;
    private long records;

    CsvSink(Path outRoot, String source, String rel, String header, String eol, boolean gzip) {
        this.source = source;
        this.rel = rel;
        this.path = outRoot.resolve(rel);
        this.header = header;
        this.eol = eol;
        this.gzip = gzip;
    }

    static OutputStream fastGzip(OutputStream raw) throws IOException {
        return new GZIPOutputStream(raw, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    private void open() throws IOException {
        Files.createDirectories(path.getParent());
        OutputStream raw = Files.newOutputStream(path);
        OutputStream os = gzip ? fastGzip(raw) : raw;
        writer = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
        if (header != null) {
            writer.write(header);
            writer.write(eol);
        }
    }

    /** The 1-based data-row number the next record will get. */
    long nextRow() {
        return records + 1;
    }

    long records() {
        return records;
    }

    boolean opened() {
        return writer != null;
    }

    /** Writes one record; {@code line} is the CSV text without the terminator. */
    void write(String line) throws IOException {
        if (writer == null) {
            open();
        }
        writer.write(line);
        writer.write(eol);
        records++;
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
