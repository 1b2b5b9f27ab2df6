package org.ilp.jobs.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes {@code police_uk_stop_search/YYYY-MM/YYYY-MM-<force>-stop-and-search.csv[.gz]} for
 * city-of-london and metropolitan (police.uk stop-and-search format), plus planted malformed rows.
 */
final class StopSearchWriter {
    static final String SOURCE = "police_uk_stop_search";
    static final String HEADER = "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,"
            + "Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
            + "Outcome,Outcome linked to object of search,Removal of more than just outer clothing";
    static final int FIELDS = 15;
    static final String[] FORCES = {"city-of-london", "metropolitan"};
    static final double[] WEIGHTS = {0.08, 0.92};
    static final String[] MALFORMED_KINDS = {"too_few_fields", "too_many_fields", "unparseable_date",
            "latitude_out_of_range", "zero_coordinates"};

    private final GenContext ctx;
    private final SplittableRandom rng;
    private final long quota;
    private final UkForce[] forces;
    private final double[] pt = new double[2];

    StopSearchWriter(GenContext ctx, UkStreetWriter uk, SplittableRandom rng, long quota) {
        this.ctx = ctx;
        this.rng = rng;
        this.quota = quota;
        this.forces = new UkForce[FORCES.length];
        for (int i = 0; i < FORCES.length; i++) {
            forces[i] = uk.force(FORCES[i]);
        }
    }

    private record Insert(long pos, String kind) {}

    void run() throws IOException {
        int nf = FORCES.length, months = Months.COUNT;
        int nMal = ctx.plants(3, 1);
        long regular = Math.max(0, quota - (long) nMal * MALFORMED_KINDS.length);
        long[] perForce = Months.apportion(regular, WEIGHTS);
        Map<Integer, List<Insert>> inserts = new HashMap<>();
        for (String kind : MALFORMED_KINDS) {
            for (int i = 0; i < nMal; i++) {
                int m = rng.nextInt(months), f = 1; // metropolitan
                int slot = m * nf + f;
                long count = Months.share(perForce[f], months, m);
                inserts.computeIfAbsent(slot, k -> new ArrayList<>()).add(new Insert(rng.nextLong(count + 1), kind));
            }
        }
        for (int m = 0; m < months; m++) {
            String ml = Months.label(m);
            for (int f = 0; f < nf; f++) {
                int slot = m * nf + f;
                String rel = SOURCE + "/" + ml + "/" + ml + "-" + FORCES[f] + "-stop-and-search" + ctx.ext();
                CsvSink sink = ctx.sink(SOURCE, rel, HEADER, "\n");
                List<Insert> ins = inserts.getOrDefault(slot, new ArrayList<>());
                ins.sort(Comparator.comparingLong(Insert::pos));
                long count = Months.share(perForce[f], months, m);
                int next = 0;
                for (long i = 0; i <= count; i++) {
                    while (next < ins.size() && ins.get(next).pos() == i) {
                        writeMalformed(sink, f, m, ins.get(next++).kind(), rel);
                    }
                    if (i < count) {
                        sink.write(Fmt.csvLine(row(f, m)));
                    }
                }
                ctx.finish(sink);
            }
        }
    }

    private void writeMalformed(CsvSink sink, int f, int m, String kind, String rel) throws IOException {
        String[] row = row(f, m);
        int fields = FIELDS;
        String detail;
        switch (kind) {
            case "too_few_fields" -> {
                fields = 10;
                row = java.util.Arrays.copyOf(row, fields);
                detail = "last 5 fields missing";
            }
            case "too_many_fields" -> {
                fields = 16;
                row = java.util.Arrays.copyOf(row, fields);
                row[15] = "unexpected extra value";
                detail = "one extra trailing field";
            }
            case "unparseable_date" -> {
                row[1] = "2024-13-45T99:00:00+00:00";
                detail = "Date=2024-13-45T99:00:00+00:00";
            }
            case "latitude_out_of_range" -> {
                row[4] = "91.500000";
                row[5] = row[5].isEmpty() ? "-0.100000" : row[5];
                detail = "Latitude=91.5";
            }
            case "zero_coordinates" -> {
                row[4] = "0.000000";
                row[5] = "0.000000";
                detail = "Latitude=0, Longitude=0";
            }
            default -> throw new IllegalStateException(kind);
        }
        long rowNum = sink.nextRow();
        sink.write(Fmt.csvLine(row));
        ctx.gt.malformed(SOURCE, rel, rowNum, kind, FIELDS, fields, detail);
    }

    private String[] row(int f, int m) {
        UkForce force = forces[f];
        String type = Vocab.SS_TYPE.pick(rng);
        StringBuilder date = new StringBuilder(25);
        date.append(Months.label(m)).append('-');
        Fmt.pad(date, 1 + rng.nextInt(Months.days(m)), 2).append('T');
        Fmt.pad(date, rng.nextInt(24), 2).append(':');
        Fmt.pad(date, rng.nextInt(60), 2).append(":00+00:00");
        double u = rng.nextDouble();
        String partOf = f == 1 ? (u < 0.30 ? "" : u < 0.95 ? "False" : "True") : (u < 0.95 ? "False" : "True");
        String operation = partOf.equals("True") && rng.nextBoolean() ? "Operation Sceptre" : "";
        String lat = "", lon = "";
        if (rng.nextDouble() >= 0.08) {
            force.pool.jittered(rng, rng.nextInt(force.pool.size()), pt);
            lon = Fmt.fixed(pt[0], 6);
            lat = Fmt.fixed(pt[1], 6);
        }
        boolean vehicleOnly = type.equals("Vehicle search");
        String gender = vehicleOnly ? "" : Vocab.SS_GENDER.pick(rng);
        String age = vehicleOnly ? "" : Vocab.SS_AGE.pick(rng);
        String[] eth = vehicleOnly ? new String[] {"", ""} : Vocab.SS_ETHNICITY.pick(rng);
        String[] grounds = Vocab.SS_GROUNDS.pick(rng);
        boolean drugs = grounds[1].equals("Controlled drugs");
        String outcome = Vocab.SS_OUTCOME.pick(rng, o -> drugs || !o.equals("Khat or Cannabis warning"));
        String linked = outcome.equals("A no further action disposal")
                ? (rng.nextDouble() < 0.7 ? "False" : "")
                : (rng.nextDouble() < 0.6 ? "True" : "False");
        double r = rng.nextDouble();
        String removal = vehicleOnly ? "" : r < 0.03 ? "True" : r < 0.88 ? "False" : "";
        return new String[] {type, date.toString(), partOf, operation, lat, lon, gender, age, eth[0], eth[1],
                grounds[0], grounds[1], outcome, linked, removal};
    }
}
