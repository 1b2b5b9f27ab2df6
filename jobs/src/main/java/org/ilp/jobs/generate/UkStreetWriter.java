package org.ilp.jobs.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes {@code police_uk_street/YYYY-MM/YYYY-MM-<force>-street.csv[.gz]} (the police.uk street
 * format), the re-published City of London month under {@code police_uk_street_republished/}, and
 * records the UK plants (hotspots, Burglary trend + control, duplicates of kinds a/b/c/e,
 * malformed rows, embedded-newline rows) in the ground truth.
 */
final class UkStreetWriter {
    static final String SOURCE = "police_uk_street";
    static final String REPUBLISHED_SOURCE = "police_uk_street_republished";
    static final String HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
            + "LSOA code,LSOA name,Crime type,Last outcome category,Context";
    static final int FIELDS = 12;
    static final int POOL_SIZE = 2000;

    static final String TREND_FORCE = "kent";
    static final String CONTROL_FORCE = "essex";
    static final double TREND_FACTOR = 1.6;
    static final String AVON = "avon-and-somerset";
    static final String CITY = "city-of-london";
    static final String NI = "northern-ireland";
    static final int REPUBLISHED_MONTH = 14; // 2024-03
    static final double HOTSPOT_SHARE = 0.03;
    static final double HOTSPOT_RADIUS_M = 300;

    /** (slug, weight, local authorities, lsoa base, lsoa range); alphabetical by slug = file order. */
    private static final Object[][] FORCE_DEFS = {
            {AVON, 6.0, List.of("Bristol", "North Somerset", "Bath and North East Somerset", "South Gloucestershire", "Somerset West and Taunton", "Mendip", "Sedgemoor", "South Somerset"), 14_000, 2_000},
            {"btp", 2.0, List.of(), 0, 1},
            {CITY, 1.0, List.of("City of London"), 1, 6},
            {CONTROL_FORCE, 6.0, List.of("Chelmsford", "Colchester", "Basildon", "Southend-on-Sea", "Thurrock", "Braintree", "Harlow", "Epping Forest", "Tendring", "Brentwood"), 21_000, 2_000},
            {"greater-manchester", 10.0, List.of("Manchester", "Salford", "Bolton", "Wigan", "Stockport", "Oldham", "Rochdale", "Tameside", "Trafford", "Bury"), 5_000, 3_000},
            {"hampshire", 6.0, List.of("Southampton", "Portsmouth", "Winchester", "Basingstoke and Deane", "Isle of Wight", "Eastleigh", "Havant", "Fareham", "New Forest"), 17_000, 2_000},
            {TREND_FORCE, 7.0, List.of("Maidstone", "Canterbury", "Medway", "Dartford", "Gravesham", "Thanet", "Ashford", "Swale", "Dover", "Folkestone and Hythe", "Sevenoaks", "Tonbridge and Malling", "Tunbridge Wells"), 23_500, 2_000},
            {"metropolitan", 26.0, List.of("Westminster", "Camden", "Hackney", "Tower Hamlets", "Southwark", "Lambeth", "Newham", "Croydon", "Barnet", "Ealing", "Brent", "Islington", "Haringey", "Lewisham", "Wandsworth"), 1_000, 3_900},
            {NI, 5.0, List.of(), 0, 1},
            {"south-wales", 5.0, List.of("Cardiff", "Swansea", "Rhondda Cynon Taf", "Bridgend", "Neath Port Talbot", "Vale of Glamorgan", "Merthyr Tydfil"), 700, 900},
            {"west-midlands", 9.0, List.of("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"), 9_000, 2_500},
            {"west-yorkshire", 9.0, List.of("Leeds", "Bradford", "Kirklees", "Wakefield", "Calderdale"), 11_000, 2_500},
    };

    /** UK hotspots: force, centre lon, centre lat, category (null = mixed). */
    private static final Object[][] HOTSPOT_DEFS = {
            {"metropolitan", -0.141900, 51.515200, "Shoplifting"},        // Oxford Circus
            {"west-midlands", -1.899800, 52.477800, null},                // Birmingham New Street
            {"greater-manchester", -2.236700, 53.481000, "Violence and sexual offences"}, // Piccadilly Gardens
    };

    /** Malformed kinds planted in the street files. */
    static final String[] MALFORMED_KINDS = {"too_few_fields", "too_many_fields", "unparseable_month",
            "latitude_out_of_range", "longitude_out_of_range", "zero_coordinates", "unknown_crime_type",
            "blank_crime_type"};

    private enum FlagKind { DUP, NO_LOCATION, NI_REPEAT, REPUBLISH_CHANGE }

    private record Flag(FlagKind kind, int targetMonth) {}

    private record Insert(long pos, String kind) {}

    private record Hotspot(int force, double lon, double lat, String category) {}

    private record PendingNi(String[] fields, String file, long row) {}

    private final GenContext ctx;
    private final SplittableRandom rng;
    private final long quota;
    private final List<UkForce> forces = new ArrayList<>();
    private final List<Hotspot> hotspots = new ArrayList<>();
    private final double[] pt = new double[2];
    private final Weighted<UkForce> btpHosts;

    UkStreetWriter(GenContext ctx, Areas areas, SplittableRandom geoRng, SplittableRandom rng, long quota) {
        this.ctx = ctx;
        this.rng = rng;
        this.quota = quota;
        Weighted.Builder<UkForce> hosts = Weighted.builder();
        for (Object[] d : FORCE_DEFS) {
            String slug = (String) d[0];
            Areas.ForceName name = areas.forcesBySlug.get(slug);
            if (name == null) {
                throw new IllegalStateException("force " + slug + " missing from " + Areas.UK_CROSSWALK);
            }
            UkForce.Kind kind = slug.equals("btp") ? UkForce.Kind.BTP
                    : slug.equals(NI) ? UkForce.Kind.NORTHERN_IRELAND : UkForce.Kind.POLYGON;
            @SuppressWarnings("unchecked") List<String> las = (List<String>) d[2];
            UkForce f = new UkForce(slug, name.fallsWithin(), name.pfaCode().isEmpty() ? null : name.pfaCode(),
                    kind, (Double) d[1], las, (Integer) d[3], (Integer) d[4]);
            if (kind == UkForce.Kind.POLYGON) {
                GeoArea a = areas.pfaByCode.get(f.pfaCode);
                if (a == null) {
                    throw new IllegalStateException("no polygon " + f.pfaCode + " for " + slug);
                }
                f.buildPool(a, POOL_SIZE, geoRng);
                hosts.add(f, f.weight);
            }
            forces.add(f);
        }
        btpHosts = hosts.build();
        for (Object[] h : HOTSPOT_DEFS) {
            int fi = index((String) h[0]);
            UkForce f = forces.get(fi);
            double lon = (Double) h[1], lat = (Double) h[2];
            if (!f.area.contains(lon, lat)) { // fall back to a pool point (never for the shipped boundaries)
                lon = f.pool.lon[0];
                lat = f.pool.lat[0];
            }
            hotspots.add(new Hotspot(fi, lon, lat, (String) h[3]));
        }
    }

    /** Polygon forces with a point pool, for reuse by other writers (stop and search, bad files). */
    UkForce force(String slug) {
        return forces.get(index(slug));
    }

    private int index(String slug) {
        for (int i = 0; i < forces.size(); i++) {
            if (forces.get(i).slug.equals(slug)) {
                return i;
            }
        }
        throw new IllegalArgumentException(slug);
    }

    void run() throws IOException {
        final int nf = forces.size();
        final int months = Months.COUNT;
        final int kent = index(TREND_FORCE), essex = index(CONTROL_FORCE), city = index(CITY), avon = index(AVON),
                ni = index(NI), btp = index("btp");
        final double pBurg = Vocab.UK_CRIME_TYPES.share(Vocab.BURGLARY::equals);

        int nDup = ctx.plants(20, 2), nNoLoc = ctx.plants(15, 2), nNi = ctx.plants(15, 2);
        int nRepub = ctx.plants(5, 2), nMal = ctx.plants(3, 1), nNewline = ctx.plants(3, 1);
        long hotspotRows = Math.round(HOTSPOT_SHARE * quota);
        double[] weights = new double[nf];
        double wsum = 0;
        for (int i = 0; i < nf; i++) {
            weights[i] = forces.get(i).weight;
            wsum += weights[i];
        }
        long fixedExtras = hotspotRows * hotspots.size() + nDup + nNoLoc + nNi
                + (long) nMal * MALFORMED_KINDS.length + nNewline;
        long regular = Math.max(0, quota - fixedExtras);
        // the trend's extra rows and the republished file are estimated from the regular volume
        long floor = ctx.full ? GenContext.TREND_MIN_PER_MONTH : 0;
        long bEst = Math.max(floor, Math.round(regular * weights[kent] / wsum / months * pBurg));
        long trendExtra = (months - Months.CHANGE_INDEX) * (Math.round(bEst * TREND_FACTOR) - bEst);
        long repubEst = Math.round(regular * weights[city] / wsum / months);
        regular = Math.max(0, regular - trendExtra - repubEst);
        long[] perForce = Months.apportion(regular, weights);

        // ---- base stream counts per slot: [regular, burglary series, hotspot 0..2]
        int streams = 2 + hotspots.size();
        long[][] base = new long[months * nf][streams];
        long[] burglaryBase = new long[nf];
        for (int f : new int[] {kent, essex}) {
            burglaryBase[f] = Math.max(floor, Math.round((double) perForce[f] / months * pBurg));
        }
        for (int m = 0; m < months; m++) {
            for (int f = 0; f < nf; f++) {
                long a = Months.share(perForce[f], months, m);
                long[] s = base[m * nf + f];
                if (f == kent || f == essex) {
                    long b = Math.min(a, burglaryBase[f]);
                    s[0] = a - b;
                    s[1] = (f == kent && m >= Months.CHANGE_INDEX) ? Math.round(b * TREND_FACTOR) : b;
                } else {
                    s[0] = a;
                }
            }
            for (int h = 0; h < hotspots.size(); h++) {
                base[m * nf + hotspots.get(h).force][2 + h] = Months.share(hotspotRows, months, m);
            }
        }
        recordTrend("uk-burglary-kent", "treatment", kent, TREND_FACTOR, base, nf);
        recordTrend("uk-burglary-essex-control", "control", essex, 1.0, base, nf);
        for (int h = 0; h < hotspots.size(); h++) {
            Hotspot hs = hotspots.get(h);
            ObjectNode n = ctx.gt.hotspots.addObject();
            n.put("id", "uk-hotspot-" + (h + 1)).put("source", SOURCE).put("area_type", "force")
                    .put("area", forces.get(hs.force).slug).put("center_lon", hs.lon).put("center_lat", hs.lat)
                    .put("radius_m", HOTSPOT_RADIUS_M);
            if (hs.category == null) {
                n.putNull("category");
            } else {
                n.put("category", hs.category);
            }
            n.put("rows", hotspotRows).put("months", "all 24, evenly");
        }

        // ---- plants
        List<Integer> plantForces = new ArrayList<>();
        for (int f = 0; f < nf; f++) {
            if (forces.get(f).kind == UkForce.Kind.POLYGON && f != kent && f != essex) {
                plantForces.add(f);
            }
        }
        Map<Integer, List<Insert>> inserts = new HashMap<>();
        Map<Integer, Map<Long, Flag>> flags = new HashMap<>();
        int repubSlot = REPUBLISHED_MONTH * nf + city;
        for (String kind : MALFORMED_KINDS) {
            for (int i = 0; i < nMal; i++) {
                int slot = randomSlot(plantForces, nf, repubSlot);
                inserts.computeIfAbsent(slot, k -> new ArrayList<>()).add(new Insert(rng.nextLong(total(base[slot]) + 1), kind));
            }
        }
        for (int i = 0; i < nNewline; i++) {
            int slot = randomSlot(plantForces, nf, repubSlot);
            inserts.computeIfAbsent(slot, k -> new ArrayList<>()).add(new Insert(rng.nextLong(total(base[slot]) + 1), "newline"));
        }
        List<Integer> dupForces = new ArrayList<>(plantForces);
        dupForces.add(ni);
        dupForces.add(btp);
        for (int i = 0; i < nDup; i++) {
            flag(flags, base, dupForces, nf, repubSlot, months, new Flag(FlagKind.DUP, -1));
        }
        for (int i = 0; i < nNoLoc; i++) {
            flag(flags, base, List.of(avon), nf, repubSlot, months, new Flag(FlagKind.NO_LOCATION, -1));
        }
        for (int i = 0; i < nNi; i++) {
            int m = flag(flags, base, List.of(ni), nf, repubSlot, months - 3, null);
            if (m >= 0) {
                Map<Long, Flag> fl = flags.get(m * nf + ni);
                // flag() stored a placeholder; replace it with the NI flag carrying its repeat month
                for (Map.Entry<Long, Flag> e : fl.entrySet()) {
                    if (e.getValue() == null) {
                        e.setValue(new Flag(FlagKind.NI_REPEAT, m + 1 + rng.nextInt(3)));
                    }
                }
            }
        }
        long repubTotal = total(base[repubSlot]);
        Map<Long, Flag> repubFlags = flags.computeIfAbsent(repubSlot, k -> new HashMap<>());
        for (int i = 0; i < nRepub && repubFlags.size() < repubTotal; i++) {
            long pos;
            do {
                pos = rng.nextLong(repubTotal);
            } while (repubFlags.containsKey(pos));
            repubFlags.put(pos, new Flag(FlagKind.REPUBLISH_CHANGE, -1));
        }

        ObjectNode dupA = ctx.gt.dupSection("uk_exact_duplicate_rows",
                "police.uk street rows repeated identically in every column within the same month file (the copy is a later record of the same file)");
        ObjectNode dupB = ctx.gt.dupSection("uk_no_location_copies",
                "avon-and-somerset: the same Crime ID twice in one month file, once geocoded and once with blank Longitude/Latitude/LSOA code/LSOA name, Location 'No Location' and a different Last outcome category");
        ObjectNode dupC = ctx.gt.dupSection("ni_repeated_crime_ids",
                "northern-ireland: a Crime ID re-appearing in a later month's file (Month = that later month, same location and crime type, updated outcome)");
        ObjectNode dupE = ctx.gt.dupSection("city_of_london_republished",
                "a City of London month re-published under police_uk_street_republished/: identical rows except 'changed' ones whose Last outcome category differs; count = changed rows");

        // ---- write, month-major
        List<List<PendingNi>> pendingNi = new ArrayList<>();
        for (int m = 0; m <= months; m++) {
            pendingNi.add(new ArrayList<>());
        }
        for (int m = 0; m < months; m++) {
            String ml = Months.label(m);
            for (int f = 0; f < nf; f++) {
                UkForce force = forces.get(f);
                int slot = m * nf + f;
                String rel = SOURCE + "/" + ml + "/" + ml + "-" + force.slug + "-street" + ctx.ext();
                CsvSink sink = ctx.sink(SOURCE, rel, HEADER, "\n");
                CsvSink mirror = null;
                String mirrorRel = null;
                if (slot == repubSlot) {
                    mirrorRel = REPUBLISHED_SOURCE + "/" + ml + "/" + ml + "-" + force.slug + "-street" + ctx.ext();
                    mirror = ctx.sink(REPUBLISHED_SOURCE, mirrorRel, HEADER, "\n");
                }
                List<Insert> ins = inserts.getOrDefault(slot, new ArrayList<>());
                ins.sort(Comparator.comparingLong(Insert::pos));
                Map<Long, Flag> fl = flags.getOrDefault(slot, Map.of());
                long[] remaining = base[slot].clone();
                long total = total(remaining);
                int next = 0;
                List<String[]> endCopies = new ArrayList<>(); // {line, kind, original row, crime id, outcomes}
                boolean excludeBurglary = f == kent || f == essex;
                for (long i = 0; i < total; i++) {
                    while (next < ins.size() && ins.get(next).pos() == i) {
                        writeInsert(sink, mirror, f, m, ins.get(next++).kind(), rel, excludeBurglary);
                    }
                    int stream = Months.pickStream(rng, remaining, total - i);
                    Flag flag = fl.get(i);
                    boolean needsId = flag != null && flag.kind() != FlagKind.DUP;
                    String[] row = row(f, m, stream, needsId, excludeBurglary);
                    String line = Fmt.csvLine(row);
                    long rowNum = sink.nextRow();
                    sink.write(line);
                    if (flag == null) {
                        if (mirror != null) {
                            mirror.write(line);
                        }
                        continue;
                    }
                    switch (flag.kind()) {
                        case DUP -> {
                            if (mirror != null) {
                                mirror.write(line);
                            }
                            endCopies.add(new String[] {line, "dup", Long.toString(rowNum), row[0]});
                        }
                        case NO_LOCATION -> {
                            String[] copy = row.clone();
                            copy[4] = "";
                            copy[5] = "";
                            copy[6] = "No Location";
                            copy[7] = "";
                            copy[8] = "";
                            copy[10] = otherOutcome(row[10], m);
                            endCopies.add(new String[] {Fmt.csvLine(copy), "noloc", Long.toString(rowNum), row[0], row[10], copy[10]});
                        }
                        case NI_REPEAT -> pendingNi.get(flag.targetMonth()).add(new PendingNi(row, rel, rowNum));
                        case REPUBLISH_CHANGE -> {
                            String[] copy = row.clone();
                            copy[10] = otherOutcome(row[10], Months.COUNT - 1);
                            mirror.write(Fmt.csvLine(copy));
                            ctx.gt.dupInstance(dupE).put("crime_id", row[0]).put("row", rowNum)
                                    .put("old_outcome", row[10]).put("new_outcome", copy[10]);
                        }
                    }
                }
                while (next < ins.size()) {
                    writeInsert(sink, mirror, f, m, ins.get(next++).kind(), rel, excludeBurglary);
                }
                if (f == ni) {
                    for (PendingNi p : pendingNi.get(m)) {
                        String[] copy = p.fields().clone();
                        copy[1] = ml;
                        copy[10] = otherOutcome(p.fields()[10], m);
                        long rowNum = sink.nextRow();
                        sink.write(Fmt.csvLine(copy));
                        ctx.gt.dupInstance(dupC).put("crime_id", copy[0]).put("first_file", p.file())
                                .put("first_row", p.row()).put("first_outcome", p.fields()[10])
                                .put("repeat_file", rel).put("repeat_row", rowNum).put("repeat_outcome", copy[10]);
                    }
                }
                for (String[] c : endCopies) {
                    long rowNum = sink.nextRow();
                    sink.write(c[0]);
                    if (mirror != null) {
                        mirror.write(c[0]);
                    }
                    if (c[1].equals("dup")) {
                        ctx.gt.dupInstance(dupA).put("file", rel).put("row", Long.parseLong(c[2]))
                                .put("duplicate_row", rowNum).put("crime_id", c[3]);
                    } else {
                        ctx.gt.dupInstance(dupB).put("file", rel).put("crime_id", c[3])
                                .put("geocoded_row", Long.parseLong(c[2])).put("no_location_row", rowNum)
                                .put("geocoded_outcome", c[4]).put("no_location_outcome", c[5]);
                    }
                }
                ctx.finish(sink);
                if (mirror != null) {
                    ctx.finish(mirror);
                    if (mirror.opened()) {
                        dupE.put("original_file", rel).put("republished_file", mirrorRel).put("rows", mirror.records());
                    }
                }
            }
        }
    }

    private void recordTrend(String id, String role, int f, double factor, long[][] base, int nf) {
        ObjectNode t = ctx.gt.trends.addObject();
        t.put("id", id).put("role", role).put("source", SOURCE).put("area_type", "force")
                .put("area", forces.get(f).slug).put("category", Vocab.BURGLARY)
                .put("change_month", Months.label(Months.CHANGE_INDEX)).put("factor", factor)
                .put("note", "Burglary is excluded from this force's ordinary rows; these are all its Burglary rows");
        ObjectNode mc = t.putObject("monthly_counts");
        for (int m = 0; m < Months.COUNT; m++) {
            mc.put(Months.label(m), base[m * nf + f][1]);
        }
    }

    private static long total(long[] s) {
        long t = 0;
        for (long v : s) {
            t += v;
        }
        return t;
    }

    private int randomSlot(List<Integer> eligible, int nf, int excluded) {
        while (true) {
            int slot = rng.nextInt(Months.COUNT) * nf + eligible.get(rng.nextInt(eligible.size()));
            if (slot != excluded) {
                return slot;
            }
        }
    }

    /** Flags one not-yet-flagged base row in a random slot of the given forces; returns its month or -1. */
    private int flag(Map<Integer, Map<Long, Flag>> flags, long[][] base, List<Integer> forcesIdx, int nf,
                     int excluded, int monthLimit, Flag flag) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int m = rng.nextInt(monthLimit);
            int slot = m * nf + forcesIdx.get(rng.nextInt(forcesIdx.size()));
            long t = total(base[slot]);
            if (slot == excluded || t == 0) {
                continue;
            }
            long pos = rng.nextLong(t);
            Map<Long, Flag> fl = flags.computeIfAbsent(slot, k -> new HashMap<>());
            if (fl.containsKey(pos)) {
                continue;
            }
            fl.put(pos, flag);
            return m;
        }
        return -1;
    }

    private String otherOutcome(String old, int m) {
        Weighted<String> w = m >= 20 ? Vocab.UK_OUTCOMES_RECENT : Vocab.UK_OUTCOMES;
        return w.pick(rng, o -> !o.equals(old));
    }

    private void writeInsert(CsvSink sink, CsvSink mirror, int f, int m, String kind, String rel,
                             boolean excludeBurglary) throws IOException {
        String[] row = row(f, m, 0, false, excludeBurglary);
        long rowNum = sink.nextRow();
        String line;
        String detail;
        int fields = FIELDS;
        switch (kind) {
            case "newline" -> {
                row[6] = "On or near Station Approach\nPlatform " + (1 + rng.nextInt(9));
                line = Fmt.csvLine(row);
                sink.write(line);
                ctx.gt.newlineRow(SOURCE, rel, rowNum, row[6]);
                return;
            }
            case "too_few_fields" -> {
                fields = 9;
                line = Fmt.csvLine(java.util.Arrays.copyOf(row, fields));
                detail = "last 3 fields missing";
            }
            case "too_many_fields" -> {
                fields = 13;
                String[] r = java.util.Arrays.copyOf(row, fields);
                r[12] = "unexpected extra value";
                line = Fmt.csvLine(r);
                detail = "one extra trailing field";
            }
            case "unparseable_month" -> {
                row[1] = "2024-13";
                line = Fmt.csvLine(row);
                detail = "Month=2024-13";
            }
            case "latitude_out_of_range" -> {
                row[5] = "91.500000";
                line = Fmt.csvLine(row);
                detail = "Latitude=91.5";
            }
            case "longitude_out_of_range" -> {
                row[4] = "200.000000";
                line = Fmt.csvLine(row);
                detail = "Longitude=200";
            }
            case "zero_coordinates" -> {
                row[4] = "0.000000";
                row[5] = "0.000000";
                line = Fmt.csvLine(row);
                detail = "Longitude=0, Latitude=0";
            }
            case "unknown_crime_type" -> {
                row[9] = "Teleportation offences";
                line = Fmt.csvLine(row);
                detail = "Crime type=Teleportation offences";
            }
            case "blank_crime_type" -> {
                row[9] = "";
                line = Fmt.csvLine(row);
                detail = "Crime type blank";
            }
            default -> throw new IllegalStateException(kind);
        }
        sink.write(line);
        if (mirror != null) {
            mirror.write(line);
        }
        ctx.gt.malformed(SOURCE, rel, rowNum, kind, FIELDS, fields, detail);
    }

    /**
     * One valid street row. {@code stream}: 0 ordinary, 1 Burglary series, 2+ hotspot index+2.
     * {@code needsId}: never Anti-social behaviour (so the row has a Crime ID unless BTP).
     */
    String[] row(int f, int m, int stream, boolean needsId, boolean excludeBurglary) {
        UkForce force = forces.get(f);
        String type;
        String lsoaCode, lsoaName, location;
        if (stream == 1) {
            type = Vocab.BURGLARY;
        } else if (stream >= 2 && hotspots.get(stream - 2).category != null) {
            type = hotspots.get(stream - 2).category;
        } else {
            type = Vocab.UK_CRIME_TYPES.pick(rng, t -> !(needsId && t.equals(Vocab.ASB))
                    && !(excludeBurglary && t.equals(Vocab.BURGLARY)));
        }
        if (stream >= 2) {
            Hotspot h = hotspots.get(stream - 2);
            force.pool.inDisc(rng, h.lon, h.lat, HOTSPOT_RADIUS_M, pt);
            int n = force.lsoaNumber(pt[0], pt[1]);
            lsoaCode = force.lsoaCode(n);
            lsoaName = force.lsoaName(n);
            location = UkForce.location(pt[0], pt[1]);
        } else if (force.kind == UkForce.Kind.NORTHERN_IRELAND) {
            pt[0] = Fmt.round(UkForce.NI_MIN_LON + rng.nextDouble() * (UkForce.NI_MAX_LON - UkForce.NI_MIN_LON), 6);
            pt[1] = Fmt.round(UkForce.NI_MIN_LAT + rng.nextDouble() * (UkForce.NI_MAX_LAT - UkForce.NI_MIN_LAT), 6);
            lsoaCode = "";
            lsoaName = "";
            location = UkForce.location(pt[0], pt[1]);
        } else {
            UkForce host = force.kind == UkForce.Kind.BTP ? btpHosts.pick(rng) : force;
            int idx = rng.nextInt(host.pool.size());
            host.pool.jittered(rng, idx, pt);
            lsoaCode = host.poolLsoaCode[idx];
            lsoaName = host.poolLsoaName[idx];
            location = host.poolLocation[idx];
        }
        boolean asb = type.equals(Vocab.ASB);
        String id = asb || force.kind == UkForce.Kind.BTP ? "" : Fmt.hex64(rng);
        String outcome = asb ? "" : (m >= 20 ? Vocab.UK_OUTCOMES_RECENT : Vocab.UK_OUTCOMES).pick(rng);
        return new String[] {id, Months.label(m), force.fallsWithin, force.fallsWithin,
                Fmt.fixed(pt[0], 6), Fmt.fixed(pt[1], 6), location, lsoaCode, lsoaName, type, outcome, ""};
    }
}
