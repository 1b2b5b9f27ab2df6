package org.ilp.jobs.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a (gzip) GeoJSON FeatureCollection of Polygon/MultiPolygon features into {@link GeoArea}s
 * keyed by one property (features sharing a key are merged). Parsing uses Jackson's tree model.
 */
final class GeoJsonAreas {
    private GeoJsonAreas() {}

    static Map<String, GeoArea> load(Path file, String keyProperty) throws IOException {
        JsonNode root;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            root = new ObjectMapper().readTree(in);
        }
        Map<String, GeoArea> areas = new LinkedHashMap<>();
        JsonNode features = root.path("features");
        if (!features.isArray()) {
            throw new IOException("not a GeoJSON FeatureCollection: " + file);
        }
        for (JsonNode f : features) {
            JsonNode props = f.path("properties");
            JsonNode keyNode = props.get(keyProperty);
            if (keyNode == null || keyNode.isNull()) {
                throw new IOException("feature without property " + keyProperty + " in " + file);
            }
            String key = keyNode.asText();
            GeoArea area = areas.get(key);
            if (area == null) {
                Map<String, String> p = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    p.put(e.getKey(), e.getValue().asText());
                }
                area = new GeoArea(key, p);
                areas.put(key, area);
            }
            JsonNode geom = f.path("geometry");
            String type = geom.path("type").asText();
            JsonNode coords = geom.path("coordinates");
            switch (type) {
                case "Polygon" -> area.addPolygon(rings(coords));
                case "MultiPolygon" -> {
                    for (JsonNode poly : coords) {
                        area.addPolygon(rings(poly));
                    }
                }
                default -> throw new IOException("unsupported geometry " + type + " in " + file);
            }
        }
        return areas;
    }

    private static double[][] rings(JsonNode polygon) {
        double[][] rings = new double[polygon.size()][];
        for (int r = 0; r < polygon.size(); r++) {
            JsonNode ring = polygon.get(r);
            double[] xy = new double[ring.size() * 2];
            for (int i = 0; i < ring.size(); i++) {
                xy[2 * i] = ring.get(i).get(0).asDouble();
                xy[2 * i + 1] = ring.get(i).get(1).asDouble();
            }
            rings[r] = xy;
        }
        return rings;
    }
}
