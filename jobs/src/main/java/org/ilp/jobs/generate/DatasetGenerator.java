package org.ilp.jobs.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Deterministic, streaming generator of realistic raw police data dumps with planted, documented
 * ground truth (used by {@code ./ilp generate --rows N --seed S --out DIR}, the demo, the tests and
 * the benchmark).
 *
 * <h2>What it writes</h2>
 * Under {@code out/} ({@code .csv.gz} names when {@link GeneratorParams#gzip()}, else {@code .csv}):
 * <pre>
 * police_uk_street/YYYY-MM/YYYY-MM-&lt;force&gt;-street.csv              police.uk street format, LF
 * police_uk_street_republished/2024-03/2024-03-city-of-london-street.csv  a re-published month
 * police_uk_stop_search/YYYY-MM/YYYY-MM-&lt;force&gt;-stop-and-search.csv  city-of-london, metropolitan, LF
 * chicago_crimes/chicago_crimes_YYYY-MM.csv                           classic portal layout, CRLF
 * chicago_crimes_api/chicago_crimes_api_2024-12.csv                   newer API layout, LF
 * bad_files/police_uk_street/2024-0[1-4]/2024-0M-cheshire-street.csv[.gz]  broken files (not counted)
 * ground_truth.json, GROUND_TRUTH.md                                  every plant, with counts and row numbers
 * </pre>
 * Months 2023-01..2024-12. Street forces: avon-and-somerset, btp, city-of-london, essex,
 * greater-manchester, hampshire, kent, metropolitan, northern-ireland, south-wales, west-midlands,
 * west-yorkshire ("Reported by" = "Falls within" = the crosswalk's police_uk_falls_within). Points
 * are uniform inside the force polygon (conf/areas/uk_police_force_areas_dec2020.geojson.gz; NI:
 * uniform in lon -7.9..-5.5, lat 54.1..55.2 with blank LSOA; BTP: anywhere in the other forces, no
 * Crime ID). Chicago points are uniform inside a beat polygon (conf/areas/chicago_police_beats_dec2012)
 * and Beat/District are that beat's BEAT_NUM/DISTRICT. Rows are split ~65% street, ~5% stop and
 * search, ~30% Chicago by default ({@link GeneratorParams.Mix}; the API file is a fixed 300-row slice, 30 rows below {@value #FULL_PLANTS_MIN_ROWS}); every planted row is part of that
 * budget, so {@code rowsWritten} is within a few rows of {@code rows}.
 *
 * <h2>Planted ground truth</h2>
 * All recorded in {@code ground_truth.json} (keys in brackets) and {@code GROUND_TRUTH.md}; row numbers
 * are 1-based data-row numbers (records after the header). Counts are for rows &ge;
 * {@value #FULL_PLANTS_MIN_ROWS}; smaller runs plant 1-2 of each kind.
 * <ul>
 *   <li>[hotspots] 3 UK hotspots (metropolitan/Oxford Circus: Shoplifting; west-midlands/New Street:
 *       mixed; greater-manchester/Piccadilly Gardens: Violence and sexual offences), 300 m radius,
 *       3% of the street budget each; 2 Chicago hotspots (the beats containing State &amp; Madison:
 *       mixed, and 63rd &amp; Halsted: NARCOTICS), 250 m, 3% of the Chicago budget each.</li>
 *   <li>[trends] Burglary in kent and BURGLARY in Chicago district 011 rise by a factor 1.6 from
 *       2024-07; controls essex / district 004 stay flat; each series has its area's natural share of
 *       burglary, but at least 12 rows a month before the change in full-plant runs. The category is excluded from those areas'
 *       ordinary rows, so the recorded monthly counts are exact.</li>
 *   <li>[near_repeat_chains] 20 Chicago chains of 3-6 BURGLARY rows in one beat, each within 95 m of the
 *       chain centre (pairwise &le; 190 m) and within 14 days.</li>
 *   <li>[duplicates] uk_exact_duplicate_rows (20: a street row repeated identically later in the same
 *       file); uk_no_location_copies (15: avon-and-somerset Crime ID twice, once with blank coordinates/
 *       LSOA, Location "No Location" and another outcome); ni_repeated_crime_ids (15: a northern-ireland
 *       Crime ID repeated in a later month's file with the later Month and an updated outcome);
 *       chicago_homicide_multi_victim (8 groups of 2-3 rows sharing Case Number, Date and place, one ID
 *       per victim); city_of_london_republished (2024-03 re-published with 5 outcomes changed);
 *       chicago_api_republished (10 classic 2024-12 rows repeated in the API file with a later
 *       updated_on and flipped Arrest).</li>
 *   <li>[malformed_rows] 3 of each kind. Street: too_few_fields, too_many_fields, unparseable_month
 *       (2024-13), latitude_out_of_range (91.5), longitude_out_of_range (200), zero_coordinates,
 *       unknown_crime_type (Teleportation offences), blank_crime_type. Stop and search: too_few_fields,
 *       too_many_fields, unparseable_date, latitude_out_of_range, zero_coordinates. Chicago:
 *       too_few_fields, too_many_fields, unparseable_date (13/45/2024 99:00:00 PM),
 *       latitude_out_of_range, longitude_out_of_range, zero_coordinates, unknown_iucr (9999 TIME TRAVEL).
 *       Malformed rows are never planted in kent, essex or the re-published month.</li>
 *   <li>[valid_quirks] 3 VALID street rows whose quoted Location contains an embedded newline; Location
 *       values with a comma occur naturally and are quoted.</li>
 *   <li>[bad_files] a truncated gzip, an empty 0-byte CSV, a header-only CSV, a CSV with an unknown
 *       extra column ("Extra note").</li>
 * </ul>
 *
 * <h2>Knobs and guarantees</h2>
 * {@link GeneratorParams}: rows, seed, out, gzip. One {@link SplittableRandom} seeded with the seed is
 * split per concern, so the same seed gives byte-identical files. Generation streams: memory is O(1)
 * in rows (fixed point pools of 2,000 points per force and 1,000 per beat, bounded plant lists), rows
 * are written through 64 KiB buffered writers (gzip at the fastest level).
 *
 * <p>Measured once by hand (idle 2-core container, OpenJDK 17.0.15, default heap, seed 1): 1,000,000 rows
 * took 5.3 s wall as plain CSV (214 MB) and 7.9 s with gzip=true (61 MB), each including ~1 s of JVM
 * start and boundary loading, i.e. roughly 200,000 rows/s; a 3,000,000-row gzip run completed in
 * {@code -Xmx64m}. 10,000,000 rows therefore take on the order of 50 s (plain) to 75 s (gzip).
 */
public final class DatasetGenerator {
    /** Runs with at least this many rows get the full plant counts; smaller runs plant 1-2 of each. */
    public static final long FULL_PLANTS_MIN_ROWS = 50_000;
    public static final String GROUND_TRUTH_JSON = "ground_truth.json";
    public static final String GROUND_TRUTH_MD = "GROUND_TRUTH.md";
    /** Folders and files under out/ that a run owns (replaced on every run). */
    static final List<String> OWNED = List.of(UkStreetWriter.SOURCE, UkStreetWriter.REPUBLISHED_SOURCE,
            StopSearchWriter.SOURCE, ChicagoWriter.SOURCE, ChicagoWriter.API_SOURCE, "bad_files",
            PersonSourcesWriter.POLICE, PersonSourcesWriter.INTEL, PersonSourcesWriter.BORDER,
            PersonSourcesWriter.PRISONS, PersonSourcesWriter.TRUTH_CSV, GROUND_TRUTH_JSON, GROUND_TRUTH_MD);

    private DatasetGenerator() {}

    /**
     * Generates the dataset described in the class comment.
     *
     * @param p       rows, seed, output folder, gzip
     * @param confDir the repository's {@code conf} folder (boundaries are read from {@code confDir/areas})
     */
    public static GeneratorResult generate(GeneratorParams p, Path confDir) throws IOException {
        Objects.requireNonNull(p, "params");
        Objects.requireNonNull(confDir, "confDir");
        Areas areas = Areas.load(confDir);
        Path out = p.out();
        Files.createDirectories(out);
        for (String owned : OWNED) {
            deleteRecursively(out.resolve(owned));
        }

        SplittableRandom root = new SplittableRandom(p.seed());
        SplittableRandom geo = root.split();
        SplittableRandom ukRng = root.split();
        SplittableRandom ssRng = root.split();
        SplittableRandom chRng = root.split();
        SplittableRandom badRng = root.split();
        long personsSeed = root.split().nextLong();

        long[] quotas = p.mix().quotas(p.rows());
        long quotaUk = quotas[0];
        long quotaSs = quotas[1];
        long quotaCh = quotas[2];

        GroundTruth gt = new GroundTruth(p);
        GenContext ctx = new GenContext(out, p.gzip(), p.rows() >= FULL_PLANTS_MIN_ROWS, gt);
        for (String s : List.of(UkStreetWriter.SOURCE, UkStreetWriter.REPUBLISHED_SOURCE, StopSearchWriter.SOURCE,
                ChicagoWriter.SOURCE, ChicagoWriter.API_SOURCE)) {
            ctx.rowsPerSource.put(s, 0L);
        }
        UkStreetWriter uk = new UkStreetWriter(ctx, areas, geo, ukRng, quotaUk);
        ChicagoWriter chicago = new ChicagoWriter(ctx, areas, geo, chRng, quotaCh);
        BadFilesWriter bad = new BadFilesWriter(ctx, areas, geo, badRng);

        uk.run();
        new StopSearchWriter(ctx, uk, ssRng, quotaSs).run();
        chicago.run();
        bad.run();
        new PersonSourcesWriter(ctx, personsSeed).run(); // outside the rows budget (see its class comment)

        long total = 0;
        for (long v : ctx.rowsPerSource.values()) {
            total += v;
        }
        gt.finish(total, ctx.rowsPerSource);
        Path json = out.resolve(GROUND_TRUTH_JSON);
        gt.write(json, out.resolve(GROUND_TRUTH_MD));
        return new GeneratorResult(total, Collections.unmodifiableMap(new LinkedHashMap<>(ctx.rowsPerSource)),
                List.copyOf(ctx.files), json);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(p)) {
            s.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path q : all) {
            Files.delete(q);
        }
    }

    /** Manual entry point: {@code DatasetGenerator ROWS SEED OUT [gzip] [CONF]} (prints the result). */
    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        GeneratorParams p = new GeneratorParams(Long.parseLong(args[0]), Long.parseLong(args[1]), Path.of(args[2]),
                args.length > 3 && Boolean.parseBoolean(args[3]));
        GeneratorResult r = generate(p, Path.of(args.length > 4 ? args[4] : "conf"));
        System.out.printf("rows=%d perSource=%s files=%d in %.2fs%n", r.rowsWritten(), r.rowsPerSource(),
                r.files().size(), (System.nanoTime() - t0) / 1e9);
    }
}
