package org.ilp.jobs.generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the deliberately broken files under {@code bad_files/police_uk_street/YYYY-MM/}: a truncated
 * gzip, an empty 0-byte CSV, a header-only CSV and a CSV whose header has an unknown extra column.
 * They hold cheshire rows (a force absent from the main tree) so including them cannot disturb any
 * other planted fact. They are not counted in rowsWritten.
 */
final class BadFilesWriter {
    static final String DIR = "bad_files/" + UkStreetWriter.SOURCE;
    static final String FORCE = "cheshire";

    private final GenContext ctx;
    private final SplittableRandom rng;
    private final UkForce force;
    private final double[] pt = new double[2];

    BadFilesWriter(GenContext ctx, Areas areas, SplittableRandom geoRng, SplittableRandom rng) {
        this.ctx = ctx;
        this.rng = rng;
        Areas.ForceName name = areas.forcesBySlug.get(FORCE);
        force = new UkForce(FORCE, name.fallsWithin(), name.pfaCode(), UkForce.Kind.POLYGON, 1,
                List.of("Cheshire East", "Cheshire West and Chester", "Warrington", "Halton"), 3_000, 1_500);
        force.buildPool(areas.pfaByCode.get(name.pfaCode()), 500, geoRng);
    }

    void run() throws IOException {
        // 1. truncated gzip: a complete gzip of valid rows, cut to its first two thirds
        int rows = ctx.plants(400, 40);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(CsvSink.fastGzip(buf), StandardCharsets.UTF_8)) {
            w.write(UkStreetWriter.HEADER + "\n");
            for (int i = 0; i < rows; i++) {
                w.write(Fmt.csvLine(row(0)) + "\n");
            }
        }
        byte[] full = buf.toByteArray();
        int cut = full.length * 2 / 3;
        String truncated = path(0, ".csv.gz");
        write(truncated, java.util.Arrays.copyOf(full, cut));
        ctx.gt.badFiles.addObject().put("path", truncated).put("kind", "truncated_gzip")
                .put("rows_before_truncation", rows).put("bytes_complete", full.length).put("bytes_written", cut)
                .put("note", "valid gzip of " + rows + " rows cut to its first 2/3: reading fails with an unexpected end of ZLIB/gzip stream");

        // 2. empty 0-byte csv
        String empty = path(1, ".csv");
        write(empty, new byte[0]);
        ctx.gt.badFiles.addObject().put("path", empty).put("kind", "empty_file").put("rows", 0)
                .put("note", "0 bytes, no header");

        // 3. header only
        String headerOnly = path(2, ".csv");
        write(headerOnly, (UkStreetWriter.HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        ctx.gt.badFiles.addObject().put("path", headerOnly).put("kind", "header_only").put("rows", 0)
                .put("note", "the exact street header and no data rows");

        // 4. unknown extra column
        int extraRows = 5;
        StringBuilder sb = new StringBuilder(UkStreetWriter.HEADER).append(",Extra note\n");
        for (int i = 0; i < extraRows; i++) {
            String[] r = java.util.Arrays.copyOf(row(3), 13);
            r[12] = i % 2 == 0 ? "checked" : "";
            sb.append(Fmt.csvLine(r)).append('\n');
        }
        String extra = path(3, ".csv");
        write(extra, sb.toString().getBytes(StandardCharsets.UTF_8));
        ctx.gt.badFiles.addObject().put("path", extra).put("kind", "unknown_extra_column").put("rows", extraRows)
                .put("note", "header is the street header plus 'Extra note' (13 columns); rows otherwise valid");
    }

    private String path(int monthIndex, String ext) {
        String ml = Months.label(12 + monthIndex);
        return DIR + "/" + ml + "/" + ml + "-" + FORCE + "-street" + ext;
    }

    private void write(String rel, byte[] bytes) throws IOException {
        Path p = ctx.out.resolve(rel);
        Files.createDirectories(p.getParent());
        try (OutputStream os = Files.newOutputStream(p)) {
            os.write(bytes);
        }
    }

    private String[] row(int monthOffset) {
        int m = 12 + monthOffset;
        int idx = rng.nextInt(force.pool.size());
        force.pool.jittered(rng, idx, pt);
        String type = Vocab.UK_CRIME_TYPES.pick(rng);
        boolean asb = type.equals(Vocab.ASB);
        return new String[] {asb ? "" : Fmt.hex64(rng), Months.label(m), force.fallsWithin, force.fallsWithin,
                Fmt.fixed(pt[0], 6), Fmt.fixed(pt[1], 6), force.poolLocation[idx], force.poolLsoaCode[idx],
                force.poolLsoaName[idx], type, asb ? "" : Vocab.UK_OUTCOMES.pick(rng), ""};
    }
}
