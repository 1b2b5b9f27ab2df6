package org.ilp.jobs.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes {@code chicago_crimes/chicago_crimes_YYYY-MM.csv[.gz]} (classic Chicago portal layout,
 * CRLF) and {@code chicago_crimes_api/chicago_crimes_api_2024-12.csv[.gz]} (newer API layout, LF),
 * and records the Chicago plants: 2 beat hotspots, the district-011 BURGLARY trend with its
 * district-004 control, near-repeat burglary chains, multi-victim homicides sharing a Case Number,
 * API re-publications of classic rows, and malformed rows.
 */
final class ChicagoWriter {
    static final String SOURCE = "chicago_crimes";
    static final String API_SOURCE = "chicago_crimes_api";
    static final String HEADER = "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,"
            + "Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Updated On,"
            + "Latitude,Longitude";
    static final String API_HEADER = "id,case_number,date,block,iucr,primary_type,description,location_description,"
            + "arrest,domestic,beat,district,ward,community_area,fbi_code,x_coordinate,y_coordinate,year,updated_on,"
            + "latitude,longitude";
    static final int FIELDS = 20;
    static final int API_FIELDS = 21;
    static final int POOL_SIZE = 1000;
    static final String TREND_DISTRICT = "011";
    static final String CONTROL_DISTRICT = "004";
    static final double TREND_FACTOR = 1.6;
    static final double HOTSPOT_SHARE = 0.03;
    static final double HOTSPOT_RADIUS_M = 250;
    static final double CHAIN_RADIUS_M = 95; // every event within 95 m of the chain centre => pairwise <= 190 m
    static final int CHAIN_DAYS = 14;
    static final String[] MALFORMED_KINDS = {"too_few_fields", "too_many_fields", "unparseable_date",
            "latitude_out_of_range", "longitude_out_of_range", "zero_coordinates", "unknown_iucr"};

    /** Hotspot centres: lon, lat, primary type (null = mixed). */
    private static final Object[][] HOTSPOT_DEFS = {
            {-87.627800, 41.882000, null},        // the Loop, State & Madison
            {-87.644600, 41.779700, "NARCOTICS"}, // Englewood, 63rd & Halsted
    };

    static final class Beat {
        final String num;
        final String district;
        final PointPool pool;
        final int ward;
        final int community;

        Beat(String num, String district, PointPool pool, int ward, int community) {
            this.num = num;
            this.district = district;
            this.pool = pool;
            this.ward = ward;
            this.community = community;
        }
    }

    static final class Row {
        long id;
        String caseNumber;
        LocalDateTime date;
        LocalDateTime updatedOn;
        String block;
        Vocab.Iucr iucr;
        String locationDescription;
        boolean arrest;
        boolean domestic;
        Beat beat;
        double lon;
        double lat;
    }

    private record Insert(long pos, String kind, int index) {}

    private record Hotspot(Beat beat, double lon, double lat, String primaryType) {}

    private final GenContext ctx;
    private final SplittableRandom rng;
    private final long quota;
    private final List<Beat> beats = new ArrayList<>();
    private final Weighted<Beat> beatWeights;
    private final List<Hotspot> hotspots = new ArrayList<>();
    private final double[] pt = new double[2];
    private long nextId;
    private long caseSeq;

    ChicagoWriter(GenContext ctx, Areas areas, SplittableRandom geoRng, SplittableRandom rng, long quota) {
        this.ctx = ctx;
        this.rng = rng;
        this.quota = quota;
        Weighted.Builder<Beat> w = Weighted.builder();
        for (GeoArea a : areas.beats()) {
            String district = Fmt.pad(Long.parseLong(a.properties.get("DISTRICT")), 3);
            Beat b = new Beat(Fmt.pad(Long.parseLong(a.id), 4), district,
                    new PointPool(a, POOL_SIZE, geoRng, 9, 0.0015), 1 + geoRng.nextInt(50), 1 + geoRng.nextInt(77));
            beats.add(b);
            w.add(b, Math.exp(0.6 * geoRng.nextGaussian()));
        }
        beatWeights = w.build();
        for (Object[] h : HOTSPOT_DEFS) {
            double lon = (Double) h[0], lat = (Double) h[1];
            Beat found = null;
            for (Beat b : beats) {
                if (b.pool.area.contains(lon, lat)) {
                    found = b;
                    break;
                }
            }
            if (found == null || trendOrControl(found)) { // never for the shipped boundaries
                found = beats.get(hotspots.size());
                lon = found.pool.lon[0];
                lat = found.pool.lat[0];
            }
            hotspots.add(new Hotspot(found, lon, lat, (String) h[2]));
        }
        nextId = 12_950_000L + rng.nextInt(10_000);
        caseSeq = rng.nextInt(50_000);
    }

    private static boolean trendOrControl(Beat b) {
        return b.district.equals(TREND_DISTRICT) || b.district.equals(CONTROL_DISTRICT);
    }

    void run() throws IOException {
        int months = Months.COUNT;
        int nApi = ctx.plants(300, 30), nApiRepub = ctx.plants(10, 2), nChains = ctx.plants(20, 2);
        int nHom = ctx.plants(8, 1), nMal = ctx.plants(3, 1);
        long hotspotRows = Math.round(HOTSPOT_SHARE * quota);

        // plan chains and homicide groups first (their sizes are part of the budget)
        int[] chainSize = new int[nChains];
        int chainRows = 0;
        for (int c = 0; c < nChains; c++) {
            chainSize[c] = 3 + rng.nextInt(4);
            chainRows += chainSize[c];
        }
        int[] homSize = new int[nHom];
        int homRows = 0;
        for (int h = 0; h < nHom; h++) {
            homSize[h] = 2 + rng.nextInt(2);
            homRows += homSize[h];
        }
        double pBurg = Vocab.IUCR.share(i -> i.primaryType().equals(Vocab.CH_BURGLARY));
        double share11 = beatWeights.share(b -> b.district.equals(TREND_DISTRICT));
        double share04 = beatWeights.share(b -> b.district.equals(CONTROL_DISTRICT));
        long regular = Math.max(0, quota - nApi - hotspotRows * hotspots.size() - chainRows - homRows
                - (long) nMal * MALFORMED_KINDS.length);
        long floor = ctx.full ? GenContext.TREND_MIN_PER_MONTH : 0;
        long b11 = Math.max(floor, Math.round((double) regular / months * share11 * pBurg));
        long b04 = Math.max(floor, Math.round((double) regular / months * share04 * pBurg));
        long trendExtra = (months - Months.CHANGE_INDEX) * (Math.round(b11 * TREND_FACTOR) - b11);
        regular = Math.max(0, regular - trendExtra);

        long[][] base = new long[months][];
        for (int m = 0; m < months; m++) {
            long a = Months.share(regular, months, m);
            long t = Math.min(b11, a);
            long c = Math.min(b04, a - t);
            long t2 = m >= Months.CHANGE_INDEX ? Math.round(t * TREND_FACTOR) : t;
            long hs = Months.share(hotspotRows, months, m);
            base[m] = new long[] {a - t - c, t2, c, hs, hs};
        }
        recordTrend("chicago-burglary-011", "treatment", TREND_DISTRICT, TREND_FACTOR, base, 1);
        recordTrend("chicago-burglary-004-control", "control", CONTROL_DISTRICT, 1.0, base, 2);
        for (int h = 0; h < hotspots.size(); h++) {
            Hotspot hs = hotspots.get(h);
            ObjectNode n = ctx.gt.hotspots.addObject();
            n.put("id", "chicago-hotspot-" + (h + 1)).put("source", SOURCE).put("area_type", "beat")
                    .put("area", hs.beat.num).put("district", hs.beat.district)
                    .put("center_lon", hs.lon).put("center_lat", hs.lat).put("radius_m", HOTSPOT_RADIUS_M);
            if (hs.primaryType == null) {
                n.putNull("category");
            } else {
                n.put("category", hs.primaryType);
            }
            n.put("rows", hotspotRows).put("months", "all 24, evenly");
        }

        Map<Integer, List<Insert>> inserts = new HashMap<>();
        for (int c = 0; c < nChains; c++) {
            int m = rng.nextInt(months);
            for (int e = 0; e < chainSize[c]; e++) {
                inserts.computeIfAbsent(m, k -> new ArrayList<>()).add(new Insert(rng.nextLong(total(base[m]) + 1), "chain", c));
            }
        }
        for (int h = 0; h < nHom; h++) {
            int m = rng.nextInt(months);
            inserts.computeIfAbsent(m, k -> new ArrayList<>()).add(new Insert(rng.nextLong(total(base[m]) + 1), "homicide", h));
        }
        for (String kind : MALFORMED_KINDS) {
            for (int i = 0; i < nMal; i++) {
                int m = rng.nextInt(months);
                inserts.computeIfAbsent(m, k -> new ArrayList<>()).add(new Insert(rng.nextLong(total(base[m]) + 1), kind, i));
            }
        }
        // chains: beat, centre, start (resolved lazily when the chain's first event is written)
        List<Beat> chainBeats = new ArrayList<>();
        for (Beat b : beats) {
            if (!trendOrControl(b) && b != hotspots.get(0).beat && b != hotspots.get(1).beat) {
                chainBeats.add(b);
            }
        }
        Beat[] chainBeat = new Beat[nChains];
        double[][] chainCentre = new double[nChains][];
        LocalDateTime[] chainStart = new LocalDateTime[nChains];
        ObjectNode[] chainNode = new ObjectNode[nChains];
        for (int c = 0; c < nChains; c++) {
            chainBeat[c] = chainBeats.get(rng.nextInt(chainBeats.size()));
            int idx = rng.nextInt(chainBeat[c].pool.size());
            chainCentre[c] = new double[] {chainBeat[c].pool.lon[idx], chainBeat[c].pool.lat[idx]};
        }
        ObjectNode nr = (ObjectNode) ctx.gt.root.get("near_repeat_chains");
        nr.put("max_distance_m", 2 * CHAIN_RADIUS_M).put("max_days", CHAIN_DAYS)
                .put("description", "BURGLARY rows planted in chains of 3-6 in one beat; every event lies within "
                        + CHAIN_RADIUS_M + " m of the chain centre and within " + CHAIN_DAYS + " days of the chain start");
        // API re-publication: flag base rows of the last month
        long lastTotal = total(base[months - 1]);
        Map<Long, Integer> apiFlags = new HashMap<>();
        for (int i = 0; i < nApiRepub && apiFlags.size() < lastTotal; i++) {
            long pos;
            do {
                pos = rng.nextLong(lastTotal);
            } while (apiFlags.containsKey(pos));
            apiFlags.put(pos, i);
        }
        List<Row> apiRepub = new ArrayList<>();
        List<long[]> apiRepubRows = new ArrayList<>();
        String lastRel = null;
        ObjectNode homSection = ctx.gt.dupSection("chicago_homicide_multi_victim",
                "Chicago homicides with several victims: one Case Number, same Date/Block/location, a distinct ID per victim; count = groups");
        long extraVictims = 0;

        for (int m = 0; m < months; m++) {
            String rel = SOURCE + "/chicago_crimes_" + Months.label(m) + ctx.ext();
            CsvSink sink = ctx.sink(SOURCE, rel, HEADER, "\r\n");
            List<Insert> ins = inserts.getOrDefault(m, new ArrayList<>());
            ins.sort(Comparator.comparingLong(Insert::pos));
            long[] remaining = base[m].clone();
            long total = total(remaining);
            int next = 0;
            for (long i = 0; i <= total; i++) {
                while (next < ins.size() && ins.get(next).pos() == i) {
                    Insert in = ins.get(next++);
                    switch (in.kind()) {
                        case "chain" -> {
                            int c = in.index();
                            if (chainStart[c] == null) {
                                chainStart[c] = LocalDateTime.of(Months.year(m), Months.month(m), 1 + rng.nextInt(14),
                                        rng.nextInt(24), rng.nextInt(60), 0);
                                chainNode[c] = ctx.gt.chain();
                                chainNode[c].put("id", String.format("chain-%02d", c + 1)).put("beat", chainBeat[c].num)
                                        .put("district", chainBeat[c].district).put("file", rel)
                                        .put("center_lon", chainCentre[c][0]).put("center_lat", chainCentre[c][1]);
                                chainNode[c].putArray("events");
                            }
                            Row r = newRow(m, chainBeat[c], Vocab.CH_BURGLARY);
                            r.iucr = Vocab.iucr(rng.nextDouble() < 0.7 ? "0610" : "0620");
                            r.locationDescription = rng.nextBoolean() ? "RESIDENCE" : "APARTMENT";
                            chainBeat[c].pool.inDisc(rng, chainCentre[c][0], chainCentre[c][1], CHAIN_RADIUS_M, pt);
                            r.lon = pt[0];
                            r.lat = pt[1];
                            r.date = chainStart[c].plusSeconds(rng.nextLong((long) CHAIN_DAYS * 86_400 - 3_600));
                            r.updatedOn = r.date.plusDays(1 + rng.nextInt(30));
                            long rowNum = sink.nextRow();
                            sink.write(classic(r));
                            ((ArrayNode) chainNode[c].get("events")).addObject().put("row", rowNum).put("id", r.id)
                                    .put("case_number", r.caseNumber).put("date", classicDate(r.date))
                                    .put("lon", r.lon).put("lat", r.lat);
                        }
                        case "homicide" -> {
                            Row r = newRow(m, beatWeights.pick(rng), null);
                            r.iucr = Vocab.iucr(Vocab.HOMICIDE_IUCR);
                            r.locationDescription = "STREET";
                            r.domestic = false;
                            ObjectNode inst = ctx.gt.dupInstance(homSection).put("case_number", r.caseNumber).put("file", rel);
                            ArrayNode ids = inst.putArray("ids");
                            ArrayNode rows = inst.putArray("rows");
                            for (int v = 0; v < homSize[in.index()]; v++) {
                                if (v > 0) {
                                    r.id = newId();
                                    extraVictims++;
                                }
                                rows.add(sink.nextRow());
                                ids.add(r.id);
                                sink.write(classic(r));
                            }
                        }
                        default -> writeMalformed(sink, m, in.kind(), rel);
                    }
                }
                if (i == total) {
                    break;
                }
                int stream = Months.pickStream(rng, remaining, total - i);
                Row r = switch (stream) {
                    case 0 -> regularRow(m);
                    case 1 -> newRow(m, pickBeat(TREND_DISTRICT), Vocab.CH_BURGLARY);
                    case 2 -> newRow(m, pickBeat(CONTROL_DISTRICT), Vocab.CH_BURGLARY);
                    default -> hotspotRow(m, hotspots.get(stream - 3));
                };
                long rowNum = sink.nextRow();
                sink.write(classic(r));
                if (m == months - 1 && apiFlags.containsKey(i)) {
                    apiRepub.add(r);
                    apiRepubRows.add(new long[] {rowNum});
                    lastRel = rel;
                }
            }
            ctx.finish(sink);
        }
        homSection.put("extra_victim_rows", extraVictims);

        // ---- the API-layout file: new rows of 2024-12 plus re-published classic rows
        int m = months - 1;
        String rel = API_SOURCE + "/chicago_crimes_api_" + Months.label(m) + ctx.ext();
        CsvSink api = ctx.sink(API_SOURCE, rel, API_HEADER, "\n");
        ObjectNode repubSection = ctx.gt.dupSection("chicago_api_republished",
                "classic Chicago rows re-published in the API-layout file with the same id, a later updated_on and a flipped Arrest value");
        int newRows = Math.max(0, nApi - apiRepub.size());
        long totalApi = newRows + apiRepub.size();
        Map<Long, Integer> repubAt = new HashMap<>();
        for (int k = 0; k < apiRepub.size(); k++) {
            long pos;
            do {
                pos = rng.nextLong(totalApi);
            } while (repubAt.containsKey(pos));
            repubAt.put(pos, k);
        }
        for (long i = 0; i < totalApi; i++) {
            Integer k = repubAt.get(i);
            if (k == null) {
                api.write(apiLine(regularRow(m)));
                continue;
            }
            Row r = apiRepub.get(k);
            boolean arrestBefore = r.arrest;
            LocalDateTime updatedBefore = r.updatedOn;
            r.arrest = !r.arrest;
            r.updatedOn = r.updatedOn.plusDays(10 + rng.nextInt(30));
            long rowNum = api.nextRow();
            api.write(apiLine(r));
            ctx.gt.dupInstance(repubSection).put("id", r.id).put("classic_file", lastRel)
                    .put("classic_row", apiRepubRows.get(k)[0]).put("api_file", rel).put("api_row", rowNum)
                    .put("arrest_before", arrestBefore).put("arrest_after", r.arrest)
                    .put("updated_on_before", classicDate(updatedBefore)).put("updated_on_after", classicDate(r.updatedOn));
        }
        ctx.finish(api);
    }

    private void recordTrend(String id, String role, String district, double factor, long[][] base, int stream) {
        ObjectNode t = ctx.gt.trends.addObject();
        t.put("id", id).put("role", role).put("source", SOURCE).put("area_type", "district").put("area", district)
                .put("category", Vocab.CH_BURGLARY).put("change_month", Months.label(Months.CHANGE_INDEX))
                .put("factor", factor)
                .put("note", "BURGLARY is excluded from this district's ordinary rows (classic and API files) and no chain is planted there; "
                        + "these are all its BURGLARY rows in chicago_crimes/");
        ObjectNode mc = t.putObject("monthly_counts");
        for (int m = 0; m < Months.COUNT; m++) {
            mc.put(Months.label(m), base[m][stream]);
        }
    }

    private static long total(long[] s) {
        long t = 0;
        for (long v : s) {
            t += v;
        }
        return t;
    }

    private Beat pickBeat(String district) {
        return beatWeights.pick(rng, b -> b.district.equals(district));
    }

    private long newId() {
        nextId += 1 + rng.nextInt(3);
        return nextId;
    }

    private String newCase() {
        long s = caseSeq++;
        int prefix = (int) (s / 900_000) + 6; // JG, JH, JI, ...
        char first = (char) ('J' + prefix / 26);
        char second = (char) ('A' + prefix % 26);
        return "" + first + second + (100_000 + s % 900_000);
    }

    /** A row with identity, time, beat and point filled; primary type restricts the IUCR draw when non-null. */
    private Row newRow(int m, Beat beat, String primaryType) {
        Row r = new Row();
        r.id = newId();
        r.caseNumber = newCase();
        r.date = LocalDateTime.of(Months.year(m), Months.month(m), 1 + rng.nextInt(Months.days(m)),
                rng.nextInt(24), rng.nextInt(60), rng.nextInt(4) * 15);
        r.updatedOn = r.date.plusDays(1 + rng.nextInt(60)).withHour(15).withMinute(40).withSecond(56);
        r.block = Fmt.pad(rng.nextInt(130), 3) + "XX " + Vocab.CH_STREETS.get(rng.nextInt(Vocab.CH_STREETS.size()));
        boolean excludeBurglary = trendOrControl(beat);
        r.iucr = Vocab.IUCR.pick(rng, i -> (primaryType == null || i.primaryType().equals(primaryType))
                && !(primaryType == null && excludeBurglary && i.primaryType().equals(Vocab.CH_BURGLARY)));
        r.locationDescription = r.iucr.locations().get(rng.nextInt(r.iucr.locations().size()));
        r.arrest = rng.nextDouble() < r.iucr.arrestP();
        r.domestic = rng.nextDouble() < r.iucr.domesticP();
        r.beat = beat;
        beat.pool.jittered(rng, rng.nextInt(beat.pool.size()), pt);
        r.lon = pt[0];
        r.lat = pt[1];
        return r;
    }

    private Row regularRow(int m) {
        return newRow(m, beatWeights.pick(rng), null);
    }

    private Row hotspotRow(int m, Hotspot h) {
        Row r = newRow(m, h.beat, h.primaryType);
        h.beat.pool.inDisc(rng, h.lon, h.lat, HOTSPOT_RADIUS_M, pt);
        r.lon = pt[0];
        r.lat = pt[1];
        return r;
    }

    private void writeMalformed(CsvSink sink, int m, String kind, String rel) throws IOException {
        Row r = regularRow(m);
        String[] f = classicFields(r);
        int fields = FIELDS;
        String detail;
        switch (kind) {
            case "too_few_fields" -> {
                fields = 16;
                f = java.util.Arrays.copyOf(f, fields);
                detail = "last 4 fields missing";
            }
            case "too_many_fields" -> {
                fields = 21;
                f = java.util.Arrays.copyOf(f, fields);
                f[20] = "(41.0, -87.0)";
                detail = "one extra trailing field";
            }
            case "unparseable_date" -> {
                f[2] = "13/45/2024 99:00:00 PM";
                detail = "Date=13/45/2024 99:00:00 PM";
            }
            case "latitude_out_of_range" -> {
                f[18] = "91.500000000";
                detail = "Latitude=91.5";
            }
            case "longitude_out_of_range" -> {
                f[19] = "200.000000000";
                detail = "Longitude=200";
            }
            case "zero_coordinates" -> {
                f[15] = "0";
                f[16] = "0";
                f[18] = "0.000000000";
                f[19] = "0.000000000";
                detail = "X/Y Coordinate=0, Latitude=0, Longitude=0";
            }
            case "unknown_iucr" -> {
                f[4] = "9999";
                f[5] = "TIME TRAVEL";
                f[6] = "TEMPORAL DISPLACEMENT";
                detail = "IUCR=9999, Primary Type=TIME TRAVEL";
            }
            default -> throw new IllegalStateException(kind);
        }
        long rowNum = sink.nextRow();
        sink.write(Fmt.csvLine(f));
        ctx.gt.malformed(SOURCE, rel, rowNum, kind, FIELDS, fields, detail);
    }

    static long xCoord(double lon) {
        return Math.round(1_176_517 + (lon + 87.62744) * 273_000);
    }

    static long yCoord(double lat) {
        return Math.round(1_895_340 + (lat - 41.868165) * 364_000);
    }

    static String classicDate(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(22);
        Fmt.pad(sb, t.getMonthValue(), 2).append('/');
        Fmt.pad(sb, t.getDayOfMonth(), 2).append('/').append(t.getYear()).append(' ');
        int h = t.getHour() % 12;
        Fmt.pad(sb, h == 0 ? 12 : h, 2).append(':');
        Fmt.pad(sb, t.getMinute(), 2).append(':');
        Fmt.pad(sb, t.getSecond(), 2).append(t.getHour() < 12 ? " AM" : " PM");
        return sb.toString();
    }

    static String isoDate(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(23);
        sb.append(t.getYear()).append('-');
        Fmt.pad(sb, t.getMonthValue(), 2).append('-');
        Fmt.pad(sb, t.getDayOfMonth(), 2).append('T');
        Fmt.pad(sb, t.getHour(), 2).append(':');
        Fmt.pad(sb, t.getMinute(), 2).append(':');
        Fmt.pad(sb, t.getSecond(), 2).append(".000");
        return sb.toString();
    }

    private static String[] classicFields(Row r) {
        return new String[] {Long.toString(r.id), r.caseNumber, classicDate(r.date), r.block, r.iucr.code(),
                r.iucr.primaryType(), r.iucr.description(), r.locationDescription, r.arrest ? "true" : "false",
                r.domestic ? "true" : "false", r.beat.num, r.beat.district, Integer.toString(r.beat.ward),
                Integer.toString(r.beat.community), r.iucr.fbiCode(), Long.toString(xCoord(r.lon)),
                Long.toString(yCoord(r.lat)), classicDate(r.updatedOn), Fmt.fixed(r.lat, 9), Fmt.fixed(r.lon, 9)};
    }

    private static String classic(Row r) {
        return Fmt.csvLine(classicFields(r));
    }

    private static String apiLine(Row r) {
        return Fmt.csvLine(new String[] {Long.toString(r.id), r.caseNumber, isoDate(r.date), r.block, r.iucr.code(),
                r.iucr.primaryType(), r.iucr.description(), r.locationDescription, r.arrest ? "True" : "False",
                r.domestic ? "True" : "False", r.beat.num, r.beat.district, Integer.toString(r.beat.ward),
                Integer.toString(r.beat.community), r.iucr.fbiCode(), Long.toString(xCoord(r.lon)),
                Long.toString(yCoord(r.lat)), Integer.toString(r.date.getYear()), isoDate(r.updatedOn),
                Fmt.fixed(r.lat, 9), Fmt.fixed(r.lon, 9)});
    }
}
