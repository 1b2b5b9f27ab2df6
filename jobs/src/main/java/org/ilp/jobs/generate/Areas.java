package org.ilp.jobs.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The boundary data the generator (and its tests) read from the repository's {@code conf/areas}:
 * police force areas keyed by PFA20CD, the police.uk force-name crosswalk keyed by slug, and
 * Chicago police beats keyed by BEAT_NUM (the beat's district is its DISTRICT property).
 */
final class Areas {
    static final String UK_PFA = "areas/uk_police_force_areas_dec2020.geojson.gz";
    static final String UK_CROSSWALK = "areas/uk_force_name_crosswalk.csv";
    static final String CHICAGO_BEATS = "areas/chicago_police_beats_dec2012.geojson.gz";
    static final String CHICAGO_DISTRICTS = "areas/chicago_police_districts_dec2012.geojson.gz";

    /** One crosswalk row. */
    record ForceName(String slug, String fallsWithin, String pfaCode, String pfaName) {}

    final Map<String, GeoArea> pfaByCode;
    final Map<String, ForceName> forcesBySlug;
    final Map<String, GeoArea> beatsByNum;

    private Areas(Map<String, GeoArea> pfa, Map<String, ForceName> forces, Map<String, GeoArea> beats) {
        this.pfaByCode = pfa;
        this.forcesBySlug = forces;
        this.beatsByNum = beats;
    }

    static Areas load(Path confDir) throws IOException {
        Map<String, GeoArea> pfa = GeoJsonAreas.load(confDir.resolve(UK_PFA), "PFA20CD");
        Map<String, GeoArea> beats = GeoJsonAreas.load(confDir.resolve(CHICAGO_BEATS), "BEAT_NUM");
        return new Areas(pfa, crosswalk(confDir.resolve(UK_CROSSWALK)), beats);
    }

    static Map<String, ForceName> crosswalk(Path csv) throws IOException {
        Map<String, ForceName> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException("empty crosswalk " + csv);
            }
            List<String> cols = List.of(Fmt.parseSimpleLine(header));
            int iSlug = cols.indexOf("police_uk_force_slug"), iFalls = cols.indexOf("police_uk_falls_within");
            int iCd = cols.indexOf("pfa20cd"), iNm = cols.indexOf("pfa20nm");
            if (iSlug < 0 || iFalls < 0 || iCd < 0 || iNm < 0) {
                throw new IOException("crosswalk " + csv + " lacks expected columns: " + header);
            }
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = Fmt.parseSimpleLine(line);
                out.put(f[iSlug], new ForceName(f[iSlug], f[iFalls], f[iCd], f[iNm]));
            }
        }
        return out;
    }

    /** Chicago beats as a list in file order (for deterministic iteration). */
    List<GeoArea> beats() {
        return new ArrayList<>(beatsByNum.values());
    }
}
