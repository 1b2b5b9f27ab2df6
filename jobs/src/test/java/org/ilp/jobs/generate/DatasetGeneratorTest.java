package org.ilp.jobs.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fast checks of {@link DatasetGenerator} (no Spark): determinism, shapes, geometry and every plant. */
class DatasetGeneratorTest {
    /** Resolved from the jobs module directory, like the CLI's default. */
    static final Path CONF = Path.of("../conf");
    static final long ROWS = 60_000; // >= FULL_PLANTS_MIN_ROWS, so the full plant counts are exercised
    static final long SEED = 20240607L;

    @TempDir
    static Path tmp;

    static Path out;
    static GeneratorResult result;
    static JsonNode gt;
    static Areas areas;
    /** relative path -> records (header first). */
    static final Map<String, List<List<String>>> data = new TreeMap<>();
    /** "file#row" of planted malformed rows -> actual field count. */
    static final Map<String, Integer> malformed = new HashMap<>();

    @BeforeAll
    static void generateOnce() throws IOException {
        out = tmp.resolve("main");
        result = DatasetGenerator.generate(new GeneratorParams(ROWS, SEED, out, false), CONF);
        gt = new ObjectMapper().readTree(result.groundTruthFile().toFile());
        areas = Areas.load(CONF);
        for (Path f : result.files()) {
            data.put(rel(out, f), readCsv(f));
        }
        for (JsonNode m : gt.at("/malformed_rows/rows")) {
            malformed.put(m.get("file").asText() + "#" + m.get("row").asLong(), m.get("actual_fields").asInt());
        }
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void sameSeedGivesIdenticalFilesAndOtherSeedDiffers() throws IOException {
        GeneratorParams a = new GeneratorParams(5_000, 7, tmp.resolve("a"), true);
        GeneratorParams b = new GeneratorParams(5_000, 7, tmp.resolve("b"), true);
        GeneratorParams c = new GeneratorParams(5_000, 8, tmp.resolve("c"), true);
        DatasetGenerator.generate(a, CONF);
        DatasetGenerator.generate(b, CONF);
        DatasetGenerator.generate(c, CONF);
        Map<String, String> ha = checksums(a.out()), hb = checksums(b.out()), hc = checksums(c.out());
        assertThat(ha).hasSizeGreaterThan(300).isEqualTo(hb);
        assertThat(ha.keySet()).filteredOn(k -> k.startsWith("/police_uk_street/")).allMatch(k -> k.endsWith(".csv.gz"));
        assertThat(hc).isNotEqualTo(ha);
        long differing = ha.entrySet().stream().filter(e -> !e.getValue().equals(hc.get(e.getKey()))).count();
        assertThat(differing).isGreaterThan(ha.size() / 2);
    }

    /**
     * The mix: 3,250 rows at 30:5:30 give street 1,500, stop-and-search 250 and Chicago 1,500 rows, and Chicago's
     * files (classic and API) are byte for byte those of 5,000 rows at the default 65:5:30 (Chicago 1,500 too): a
     * source's files depend on the seed and its own rows only.
     */
    @Test
    void aSourcesFilesDependOnlyOnTheSeedAndItsOwnRows() throws IOException {
        GeneratorParams a = new GeneratorParams(5_000, 7, tmp.resolve("mix-default"), true);
        GeneratorParams m = new GeneratorParams(3_250, 7, tmp.resolve("mix-30-5-30"), true,
                GeneratorParams.Mix.parse("30:5:30"));
        GeneratorResult ra = DatasetGenerator.generate(a, CONF);
        GeneratorResult rm = DatasetGenerator.generate(m, CONF);
        Map<String, String> ha = checksums(a.out()), hm = checksums(m.out());
        Map<String, String> chicagoA = new TreeMap<>(), chicagoM = new TreeMap<>();
        ha.forEach((k, v) -> { if (k.startsWith("/chicago_crimes")) chicagoA.put(k, v); });
        hm.forEach((k, v) -> { if (k.startsWith("/chicago_crimes")) chicagoM.put(k, v); });
        assertThat(chicagoA).hasSizeGreaterThan(5).isEqualTo(chicagoM);
        assertThat(rm.rowsPerSource().get(ChicagoWriter.SOURCE)).isEqualTo(ra.rowsPerSource().get(ChicagoWriter.SOURCE));
        long streetA = ra.rowsPerSource().get(UkStreetWriter.SOURCE), streetM = rm.rowsPerSource().get(UkStreetWriter.SOURCE);
        assertThat((double) streetM / streetA).isBetween(1_500.0 / 3_250 * 0.9, 1_500.0 / 3_250 * 1.1);
        assertThat(new ObjectMapper().readTree(m.out().resolve(DatasetGenerator.GROUND_TRUTH_JSON).toFile())
                .at("/params/mix").asText()).isEqualTo("30:5:30");
        assertThat(Files.readString(a.out().resolve(DatasetGenerator.GROUND_TRUTH_MD))).contains("mix=65:5:30");
        assertThat(GeneratorParams.Mix.parse("65:5:30").quotas(5_000)).containsExactly(3_250, 250, 1_500);
        assertThat(GeneratorParams.Mix.parse("0.3:0.05:0.3").quotas(3_250)).containsExactly(1_500, 250, 1_500);
        assertThatThrownBy(() -> GeneratorParams.Mix.parse("65:5")).hasMessageContaining("STREET:STOP_SEARCH:CHICAGO");
        assertThatThrownBy(() -> GeneratorParams.Mix.parse("65:0:35")).hasMessageContaining("positive");
    }

    @Test
    void rejectsTooFewRowsAndNullOut() {
        assertThatThrownBy(() -> new GeneratorParams(99, 1, tmp, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> new GeneratorParams(1000, 1, null, false)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void minimumRunWorks() throws IOException {
        GeneratorResult r = DatasetGenerator.generate(new GeneratorParams(100, 3, tmp.resolve("tiny"), false), CONF);
        long sum = 0;
        for (Path f : r.files()) {
            sum += readCsv(f).size() - 1;
        }
        assertThat(sum).isEqualTo(r.rowsWritten());
        assertThat(r.rowsWritten()).isBetween(90L, 400L);
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void rowCountsAddUpAndMatchGroundTruth() {
        long sum = 0;
        Map<String, Long> perSource = new HashMap<>();
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
            long n = e.getValue().size() - 1;
            sum += n;
            perSource.merge(e.getKey().substring(0, e.getKey().indexOf('/')), n, Long::sum);
        }
        assertThat(sum).isEqualTo(result.rowsWritten()).isEqualTo(gt.get("rows_written").asLong());
        assertThat(result.rowsWritten()).isBetween(ROWS - 50, ROWS + 50);
        assertThat(perSource).isEqualTo(result.rowsPerSource());
        for (JsonNode f : gt.get("files")) {
            assertThat(data.get(f.get("path").asText())).as(f.toString()).hasSize(f.get("rows").asInt() + 1);
        }
        assertThat(gt.get("files")).hasSize(result.files().size());
        assertThat(result.rowsPerSource().get("police_uk_street")).isBetween((long) (ROWS * 0.63), (long) (ROWS * 0.67));
        assertThat(result.rowsPerSource().get("chicago_crimes_api")).isEqualTo(300L);
        assertThat(result.files()).allMatch(Files::isRegularFile);
    }

    @Test
    void headersAndFieldCountsAreExactExceptPlantedMalformedRows() {
        int malformedSeen = 0;
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
            String file = e.getKey();
            List<List<String>> recs = e.getValue();
            String header = String.join(",", recs.get(0));
            int expected;
            if (file.startsWith("police_uk_street")) {
                assertThat(header).isEqualTo(UkStreetWriter.HEADER);
                expected = 12;
            } else if (file.startsWith("police_uk_stop_search")) {
                assertThat(header).isEqualTo(StopSearchWriter.HEADER);
                expected = 15;
            } else if (file.startsWith("chicago_crimes_api")) {
                assertThat(header).isEqualTo(ChicagoWriter.API_HEADER);
                expected = 21;
            } else {
                assertThat(header).isEqualTo(ChicagoWriter.HEADER);
                expected = 20;
            }
            for (int r = 1; r < recs.size(); r++) {
                Integer planted = malformed.get(file + "#" + r);
                if (planted == null) {
                    assertThat(recs.get(r)).as(file + " row " + r).hasSize(expected);
                } else {
                    assertThat(recs.get(r)).as(file + " row " + r).hasSize(planted);
                    malformedSeen++;
                }
            }
        }
        // republished copies of malformed rows would be counted twice: none are planted there
        assertThat(malformedSeen).isEqualTo(gt.at("/malformed_rows/count").asInt()).isEqualTo(60);
        assertThat(gt.at("/malformed_rows/by_kind").size()).isEqualTo(8 + 5 + 7);
    }

    @Test
    void chicagoClassicFilesUseCrlfAndValuesLookReal() throws IOException {
        Path f = out.resolve("chicago_crimes/chicago_crimes_2023-05.csv");
        String text = Files.readString(f);
        assertThat(text).startsWith(ChicagoWriter.HEADER + "\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);
        for (List<String> r : data.get("chicago_crimes/chicago_crimes_2023-05.csv").subList(1, 200)) {
            if (r.size() != 20 || r.get(2).startsWith("13/")) {
                continue;
            }
            assertThat(r.get(0)).matches("\\d{8}");
            assertThat(r.get(1)).matches("[A-Z]{2}\\d{6}");
            assertThat(LocalDateTime.parse(r.get(2), fmt).getMonthValue()).isEqualTo(5);
            assertThat(r.get(3)).matches("\\d{3}XX [NSEW] .+");
            assertThat(r.get(4)).matches("[0-9A-Z]{4}");
            assertThat(r.get(8)).isIn("true", "false");
            assertThat(r.get(10)).matches("\\d{4}");
            assertThat(r.get(11)).matches("\\d{3}");
            assertThat(Integer.parseInt(r.get(12))).isBetween(1, 50);
            assertThat(Integer.parseInt(r.get(13))).isBetween(1, 77);
            assertThat(r.get(18)).matches("4\\d\\.\\d{9}");
        }
        for (List<String> r : data.get("police_uk_street/2023-05/2023-05-metropolitan-street.csv").subList(1, 200)) {
            if (r.size() != 12 || malformedRowValue(r)) {
                continue;
            }
            if (r.get(9).equals("Anti-social behaviour")) {
                assertThat(r.get(0)).isEmpty();
                assertThat(r.get(10)).isEmpty();
            } else {
                assertThat(r.get(0)).matches("[0-9a-f]{64}");
                assertThat(r.get(10)).isNotEmpty();
            }
            assertThat(r.get(1)).isEqualTo("2023-05");
            assertThat(r.get(2)).isEqualTo("Metropolitan Police Service").isEqualTo(r.get(3));
            assertThat(r.get(4)).matches("-?\\d+\\.\\d{6}");
            assertThat(r.get(6)).startsWith("On or near ");
            assertThat(r.get(7)).matches("E01\\d{6}");
            assertThat(r.get(8)).matches(".+ \\d{3}[A-E]");
            assertThat(Vocab.UK_CRIME_TYPES.items()).contains(r.get(9));
            assertThat(r.get(11)).isEmpty();
        }
        boolean quotedComma = Files.readString(out.resolve("police_uk_street/2023-05/2023-05-metropolitan-street.csv"))
                .contains(",\"On or near ");
        assertThat(quotedComma).isTrue();
    }

    private static boolean malformedRowValue(List<String> r) {
        return r.get(1).equals("2024-13") || r.get(9).isEmpty() || r.get(9).startsWith("Teleport") || r.get(5).equals("91.500000")
                || r.get(4).equals("200.000000") || r.get(4).equals("0.000000");
    }

    // ------------------------------------------------------------------ geometry

    @Test
    void everyGeocodedRowLiesInItsForceOrBeatPolygon() {
        long ukChecked = 0, chChecked = 0;
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
            String file = e.getKey();
            List<List<String>> recs = e.getValue();
            if (file.startsWith("police_uk_street")) {
                String name = file.substring(file.lastIndexOf('/') + 1);
                String slug = name.substring(8, name.indexOf("-street"));
                for (int r = 1; r < recs.size(); r++) {
                    List<String> row = recs.get(r);
                    if (malformed.containsKey(file + "#" + r) || row.get(4).isEmpty()) {
                        continue;
                    }
                    double lon = Double.parseDouble(row.get(4)), lat = Double.parseDouble(row.get(5));
                    if (slug.equals("btp")) {
                        continue;
                    } else if (slug.equals("northern-ireland")) {
                        assertThat(lon).isBetween(-7.9, -5.5);
                        assertThat(lat).isBetween(54.1, 55.2);
                        assertThat(row.get(7)).isEmpty();
                    } else {
                        GeoArea a = areas.pfaByCode.get(areas.forcesBySlug.get(slug).pfaCode());
                        assertThat(a.contains(lon, lat)).as(file + " row " + r + " " + lon + "," + lat).isTrue();
                        ukChecked++;
                    }
                }
            } else if (file.startsWith("chicago_crimes")) {
                boolean api = file.startsWith("chicago_crimes_api");
                int latI = api ? 19 : 18, lonI = api ? 20 : 19;
                for (int r = 1; r < recs.size(); r++) {
                    List<String> row = recs.get(r);
                    if (malformed.containsKey(file + "#" + r)) {
                        continue;
                    }
                    GeoArea beat = areas.beatsByNum.get(row.get(10));
                    assertThat(beat).as(row.toString()).isNotNull();
                    assertThat(row.get(11)).isEqualTo(String.format("%03d", Integer.parseInt(beat.properties.get("DISTRICT"))));
                    double lat = Double.parseDouble(row.get(latI)), lon = Double.parseDouble(row.get(lonI));
                    assertThat(beat.contains(lon, lat)).as(file + " row " + r).isTrue();
                    chChecked++;
                }
            }
        }
        assertThat(ukChecked).isGreaterThan(30_000);
        assertThat(chChecked).isGreaterThan(17_000);
    }

    @Test
    void pointInPolygonRespectsHoles() {
        GeoArea a = new GeoArea("sq", Map.of());
        a.addPolygon(new double[][] {{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, {4, 4, 6, 4, 6, 6, 4, 6, 4, 4}});
        a.addPolygon(new double[][] {{20, 20, 21, 20, 21, 21, 20, 20}});
        assertThat(a.contains(1, 1)).isTrue();
        assertThat(a.contains(5, 5)).isFalse();
        assertThat(a.contains(20.8, 20.2)).isTrue();
        assertThat(a.contains(20.2, 20.8)).isFalse();
        assertThat(a.contains(15, 15)).isFalse();
        // the City of London is not inside the Metropolitan polygon's hole-free area
        GeoArea met = areas.pfaByCode.get("E23000001");
        GeoArea city = areas.pfaByCode.get("E23000034");
        assertThat(city.contains(-0.0922, 51.5155)).isTrue();
        assertThat(met.contains(-0.0922, 51.5155)).isFalse();
        assertThat(met.contains(-0.1419, 51.5152)).isTrue();
        assertThat(areas.beatsByNum.get("3100").polygonCount()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ plants

    @Test
    void exactDuplicateRowsMatchGroundTruth() {
        long dups = 0;
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
            if (!e.getKey().startsWith("police_uk_street/")) {
                continue;
            }
            Set<List<String>> seen = new HashSet<>();
            for (List<String> r : e.getValue().subList(1, e.getValue().size())) {
                if (!seen.add(r)) {
                    dups++;
                }
            }
        }
        JsonNode s = gt.at("/duplicates/uk_exact_duplicate_rows");
        assertThat(dups).isEqualTo(s.get("count").asLong()).isEqualTo(20);
        for (JsonNode i : s.get("instances")) {
            List<List<String>> recs = data.get(i.get("file").asText());
            assertThat(recs.get(i.get("row").asInt())).isEqualTo(recs.get(i.get("duplicate_row").asInt()));
        }
    }

    @Test
    void noLocationCopiesMatchGroundTruth() {
        long pairs = 0;
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
            if (!e.getKey().startsWith("police_uk_street/") || !e.getKey().contains("avon-and-somerset")) {
                continue;
            }
            Map<String, List<List<String>>> byId = new HashMap<>();
            // exact duplicates (kind a, also planted in this force) are counted by their own test
            for (List<String> r : new java.util.LinkedHashSet<>(e.getValue().subList(1, e.getValue().size()))) {
                if (!r.get(0).isEmpty()) {
                    byId.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r);
                }
            }
            for (List<List<String>> g : byId.values()) {
                if (g.size() == 2) {
                    List<String> geo = g.get(0), noloc = g.get(1);
                    assertThat(noloc.get(6)).isEqualTo("No Location");
                    assertThat(noloc.subList(4, 6)).containsOnly("");
                    assertThat(noloc.subList(7, 9)).containsOnly("");
                    assertThat(geo.get(4)).isNotEmpty();
                    assertThat(noloc.get(10)).isNotEqualTo(geo.get(10));
                    pairs++;
                } else {
                    assertThat(g).hasSize(1);
                }
            }
        }
        assertThat(pairs).isEqualTo(gt.at("/duplicates/uk_no_location_copies/count").asLong()).isEqualTo(15);
    }

    @Test
    void northernIrelandRepeatsMatchGroundTruth() {
        Map<String, List<String>> firstFile = new HashMap<>();
        long repeats = 0;
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) { // TreeMap: months in order
            if (!e.getKey().startsWith("police_uk_street/") || !e.getKey().contains("northern-ireland")) {
                continue;
            }
            // exact duplicates within one file are kind a, not kind c
            for (List<String> r : new java.util.LinkedHashSet<>(e.getValue().subList(1, e.getValue().size()))) {
                if (r.get(0).isEmpty() || r.size() != 12) {
                    continue;
                }
                List<String> prev = firstFile.putIfAbsent(r.get(0), r);
                if (prev != null) {
                    repeats++;
                    assertThat(r.get(1)).isGreaterThan(prev.get(1));
                    assertThat(r.get(10)).isNotEqualTo(prev.get(10));
                    assertThat(r.subList(4, 10)).isEqualTo(prev.subList(4, 10));
                }
            }
        }
        assertThat(repeats).isEqualTo(gt.at("/duplicates/ni_repeated_crime_ids/count").asLong()).isEqualTo(15);
    }

    @Test
    void homicideCaseNumbersAndApiRepublicationsMatchGroundTruth() {
        Map<String, List<List<String>>> byCase = new HashMap<>();
        Map<String, List<String>> byId = new HashMap<>();
        for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
            if (!e.getKey().startsWith("chicago_crimes/")) {
                continue;
            }
            for (List<String> r : e.getValue().subList(1, e.getValue().size())) {
                byCase.computeIfAbsent(r.get(1), k -> new ArrayList<>()).add(r);
                assertThat(byId.put(r.get(0), r)).as("unique ID " + r.get(0)).isNull();
            }
        }
        long groups = 0, extra = 0;
        for (List<List<String>> g : byCase.values()) {
            if (g.size() > 1) {
                groups++;
                extra += g.size() - 1;
                assertThat(g.size()).isBetween(2, 3);
                assertThat(g).allMatch(r -> r.get(4).equals("0110") && r.get(5).equals("HOMICIDE")
                        && r.get(2).equals(g.get(0).get(2)) && r.get(3).equals(g.get(0).get(3)));
            }
        }
        JsonNode hom = gt.at("/duplicates/chicago_homicide_multi_victim");
        assertThat(groups).isEqualTo(hom.get("count").asLong()).isEqualTo(8);
        assertThat(extra).isEqualTo(hom.get("extra_victim_rows").asLong());

        long republished = 0;
        for (List<String> r : data.get("chicago_crimes_api/chicago_crimes_api_2024-12.csv").subList(1, 301)) {
            List<String> classic = byId.get(r.get(0));
            if (classic != null) {
                republished++;
                assertThat(r.get(1)).isEqualTo(classic.get(1));
                assertThat(r.get(8)).isEqualTo(classic.get(8).equals("true") ? "False" : "True");
                LocalDateTime before = LocalDateTime.parse(classic.get(17), DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US));
                assertThat(LocalDateTime.parse(r.get(18))).isAfter(before);
            }
            assertThat(r.get(2)).matches("2024-12-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000");
        }
        assertThat(republished).isEqualTo(gt.at("/duplicates/chicago_api_republished/count").asLong()).isEqualTo(10);
    }

    @Test
    void cityOfLondonRepublicationMatchesGroundTruth() {
        JsonNode s = gt.at("/duplicates/city_of_london_republished");
        List<List<String>> orig = data.get(s.get("original_file").asText());
        List<List<String>> repub = data.get(s.get("republished_file").asText());
        assertThat(repub).hasSameSizeAs(orig);
        Set<String> changed = new HashSet<>();
        for (int r = 1; r < orig.size(); r++) {
            List<String> a = orig.get(r), b = repub.get(r);
            if (!a.equals(b)) {
                assertThat(a.get(10)).isNotEqualTo(b.get(10));
                List<String> a2 = new ArrayList<>(a), b2 = new ArrayList<>(b);
                a2.remove(10);
                b2.remove(10);
                assertThat(a2).isEqualTo(b2);
                changed.add(a.get(0));
            }
        }
        Set<String> recorded = new HashSet<>();
        s.get("instances").forEach(i -> recorded.add(i.get("crime_id").asText()));
        assertThat(changed).hasSize(s.get("count").asInt()).isEqualTo(recorded).hasSize(5);
    }

    @Test
    void trendSeriesCountsMatchGroundTruth() {
        for (JsonNode t : gt.get("trends")) {
            Map<String, Long> counted = new TreeMap<>();
            t.get("monthly_counts").fieldNames().forEachRemaining(m -> counted.put(m, 0L));
            String area = t.get("area").asText();
            for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
                String file = e.getKey();
                for (List<String> r : e.getValue().subList(1, e.getValue().size())) {
                    if (t.get("source").asText().equals("police_uk_street")) {
                        if (file.startsWith("police_uk_street/") && file.endsWith(area + "-street.csv")
                                && r.get(9).equals("Burglary")) {
                            counted.merge(r.get(1), 1L, Long::sum);
                        }
                    } else if (file.startsWith("chicago_crimes/") && r.size() == 20 && r.get(11).equals(area)
                            && r.get(5).equals("BURGLARY")) {
                        counted.merge("20" + r.get(2).substring(8, 10) + "-" + r.get(2).substring(0, 2), 1L, Long::sum);
                    }
                }
            }
            Map<String, Long> expected = new TreeMap<>();
            t.get("monthly_counts").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
            assertThat(counted).as(t.get("id").asText()).isEqualTo(expected);
        }
        JsonNode kent = gt.get("trends").get(0);
        assertThat(kent.at("/monthly_counts/2024-07").asDouble())
                .isCloseTo(kent.at("/monthly_counts/2024-06").asDouble() * 1.6, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void nearRepeatChainsAreTightInSpaceAndTime() {
        JsonNode chains = gt.at("/near_repeat_chains/chains");
        assertThat(chains.size()).isEqualTo(20);
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);
        for (JsonNode c : chains) {
            JsonNode ev = c.get("events");
            assertThat(ev.size()).isBetween(3, 6);
            List<List<String>> recs = data.get(c.get("file").asText());
            for (int i = 0; i < ev.size(); i++) {
                List<String> row = recs.get(ev.get(i).get("row").asInt());
                assertThat(row.get(0)).isEqualTo(ev.get(i).get("id").asText());
                assertThat(row.get(5)).isEqualTo("BURGLARY");
                assertThat(row.get(10)).isEqualTo(c.get("beat").asText());
                for (int j = 0; j < i; j++) {
                    double d = Fmt.haversineM(ev.get(i).get("lon").asDouble(), ev.get(i).get("lat").asDouble(),
                            ev.get(j).get("lon").asDouble(), ev.get(j).get("lat").asDouble());
                    assertThat(d).isLessThanOrEqualTo(200.0);
                    Duration dt = Duration.between(LocalDateTime.parse(ev.get(i).get("date").asText(), fmt),
                            LocalDateTime.parse(ev.get(j).get("date").asText(), fmt)).abs();
                    assertThat(dt).isLessThanOrEqualTo(Duration.ofDays(14));
                }
            }
        }
    }

    @Test
    void hotspotsConcentrateTheirRows() {
        for (JsonNode h : gt.get("hotspots")) {
            double lon = h.get("center_lon").asDouble(), lat = h.get("center_lat").asDouble();
            double radius = h.get("radius_m").asDouble() + 1;
            boolean uk = h.get("source").asText().equals("police_uk_street");
            long inside = 0;
            for (Map.Entry<String, List<List<String>>> e : data.entrySet()) {
                if (uk ? !e.getKey().startsWith("police_uk_street/") || !e.getKey().endsWith(h.get("area").asText() + "-street.csv")
                        : !e.getKey().startsWith("chicago_crimes/")) {
                    continue;
                }
                for (List<String> r : e.getValue().subList(1, e.getValue().size())) {
                    if (r.size() != (uk ? 12 : 20) || (uk ? r.get(4) : r.get(19)).isEmpty()) {
                        continue;
                    }
                    double x = Double.parseDouble(uk ? r.get(4) : r.get(19)), y = Double.parseDouble(uk ? r.get(5) : r.get(18));
                    if (Math.abs(y - lat) < 0.01 && Fmt.haversineM(lon, lat, x, y) <= radius) {
                        inside++;
                    }
                }
            }
            assertThat(inside).as(h.get("id").asText()).isGreaterThanOrEqualTo(h.get("rows").asLong())
                    .isLessThan(h.get("rows").asLong() * 2);
        }
    }

    @Test
    void malformedRowsAndNewlineRowsAreWhereRecorded() {
        for (JsonNode m : gt.at("/malformed_rows/rows")) {
            List<String> r = data.get(m.get("file").asText()).get(m.get("row").asInt());
            String all = String.join(",", r);
            switch (m.get("kind").asText()) {
                case "unparseable_month" -> assertThat(r.get(1)).isEqualTo("2024-13");
                case "unparseable_date" -> assertThat(all).containsAnyOf("13/45/2024 99:00:00 PM", "2024-13-45T99");
                case "latitude_out_of_range" -> assertThat(all).contains("91.5");
                case "longitude_out_of_range" -> assertThat(all).contains("200.000000");
                case "zero_coordinates" -> assertThat(all).containsPattern("(^|,)0\\.0{6,9},0\\.0{6,9}(,|$)");
                case "unknown_crime_type" -> assertThat(r.get(9)).isEqualTo("Teleportation offences");
                case "blank_crime_type" -> assertThat(r.get(9)).isEmpty();
                case "unknown_iucr" -> assertThat(r.subList(4, 6)).containsExactly("9999", "TIME TRAVEL");
                default -> assertThat(r).hasSize(m.get("actual_fields").asInt());
            }
        }
        JsonNode nl = gt.at("/valid_quirks/embedded_newline_rows");
        assertThat(nl.get("count").asInt()).isEqualTo(3);
        for (JsonNode n : nl.get("rows")) {
            List<String> r = data.get(n.get("file").asText()).get(n.get("row").asInt());
            assertThat(r).hasSize(12);
            assertThat(r.get(6)).contains("\n").isEqualTo(n.get("location").asText());
        }
    }

    @Test
    void badFilesAreBrokenAsDocumented() throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        gt.get("bad_files").forEach(b -> byKind.put(b.get("kind").asText(), b));
        assertThat(byKind).containsOnlyKeys("truncated_gzip", "empty_file", "header_only", "unknown_extra_column");
        Path trunc = out.resolve(byKind.get("truncated_gzip").get("path").asText());
        assertThat(trunc.toString()).endsWith(".csv.gz").contains("bad_files/police_uk_street/");
        assertThatThrownBy(() -> readCsv(trunc)).isInstanceOf(IOException.class);
        assertThat(Files.size(out.resolve(byKind.get("empty_file").get("path").asText()))).isZero();
        assertThat(Files.readString(out.resolve(byKind.get("header_only").get("path").asText())))
                .isEqualTo(UkStreetWriter.HEADER + "\n");
        List<List<String>> extra = readCsv(out.resolve(byKind.get("unknown_extra_column").get("path").asText()));
        assertThat(String.join(",", extra.get(0))).isEqualTo(UkStreetWriter.HEADER + ",Extra note");
        assertThat(extra).hasSize(6).allMatch(r -> r.size() == 13);
        assertThat(result.files()).noneMatch(p -> p.toString().contains("bad_files"));
        assertThat(out.resolve(DatasetGenerator.GROUND_TRUTH_MD)).isNotEmptyFile();
    }

    // ------------------------------------------------------------------ helpers

    static String rel(Path root, Path f) {
        return root.relativize(f).toString().replace('\\', '/');
    }

    static Map<String, String> checksums(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                try {
                    byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                    out.put("/" + rel(root, p), java.util.HexFormat.of().formatHex(d));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** Reads a whole (optionally gzip) CSV file into records (header first) with a tiny RFC-4180 parser. */
    static List<List<String>> readCsv(Path f) throws IOException {
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(f);
             InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            in.transferTo(bos);
            bytes = bos.toByteArray();
        }
        return parseCsv(new String(bytes, StandardCharsets.UTF_8));
    }

    static List<List<String>> parseCsv(String s) {
        List<List<String>> records = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == ',') {
                rec.add(cur.toString());
                cur.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                rec.add(cur.toString());
                cur.setLength(0);
                records.add(rec);
                rec = new ArrayList<>();
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0 || !rec.isEmpty()) {
            rec.add(cur.toString());
            records.add(rec);
        }
        return records;
    }
}
