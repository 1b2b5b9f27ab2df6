package org.ilp.jobs.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A named (Multi)Polygon in WGS84 lon/lat with holes, plus the point-in-polygon test and the
 * uniform rejection sampler the generator uses.
 *
 * <p>Rings are stored as interleaved {@code [x0, y0, x1, y1, ...]} arrays. Containment uses
 * the even-odd ray-casting rule per polygon (outer ring and its holes together), so a point in a
 * hole is outside; a multipolygon contains a point when any of its polygons does. Features of a
 * GeoJSON file that share an id (e.g. the three Chicago beat-3100 features) are merged into one
 * area.
 */
final class GeoArea {
    final String id;
    final Map<String, String> properties;
    private final List<double[][]> polygons = new ArrayList<>(); // polygon -> rings
    private final List<double[]> polyBoxes = new ArrayList<>();  // minX,minY,maxX,maxY
    double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;

    GeoArea(String id, Map<String, String> properties) {
        this.id = id;
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** Adds one polygon (first ring outer, others holes), each ring interleaved x,y. */
    void addPolygon(double[][] rings) {
        double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] outer = rings[0];
        for (int i = 0; i < outer.length; i += 2) {
            box[0] = Math.min(box[0], outer[i]);
            box[1] = Math.min(box[1], outer[i + 1]);
            box[2] = Math.max(box[2], outer[i]);
            box[3] = Math.max(box[3], outer[i + 1]);
        }
        polygons.add(rings);
        polyBoxes.add(box);
        minX = Math.min(minX, box[0]);
        minY = Math.min(minY, box[1]);
        maxX = Math.max(maxX, box[2]);
        maxY = Math.max(maxY, box[3]);
    }

    int polygonCount() {
        return polygons.size();
    }

    /** Even-odd ray casting, respecting holes. */
    boolean contains(double x, double y) {
        if (x < minX || x > maxX || y < minY || y > maxY) {
            return false;
        }
        for (int p = 0; p < polygons.size(); p++) {
            double[] b = polyBoxes.get(p);
            if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) {
                continue;
            }
            boolean inside = false;
            for (double[] ring : polygons.get(p)) {
                int n = ring.length;
                for (int i = 0, j = n - 2; i < n; j = i, i += 2) {
                    double xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
                    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                        inside = !inside;
                    }
                }
            }
            if (inside) {
                return true;
            }
        }
        return false;
    }

    /** Planar (degree-space) distance from (x, y) to the nearest edge of any ring. */
    double distanceToBoundary(double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        for (double[][] poly : polygons) {
            for (double[] ring : poly) {
                for (int i = 0; i + 3 < ring.length; i += 2) {
                    double ax = ring[i], ay = ring[i + 1], bx = ring[i + 2], by = ring[i + 3];
                    double dx = bx - ax, dy = by - ay;
                    double len2 = dx * dx + dy * dy;
                    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
                    double ex = ax + t * dx - x, ey = ay + t * dy - y;
                    best = Math.min(best, ex * ex + ey * ey);
                }
            }
        }
        return Math.sqrt(best);
    }

    /**
     * A point drawn uniformly inside the area by rejection sampling in its bounding box, rounded
     * to {@code decimals} places before the containment test (so the written text is inside too).
     */
    double[] samplePoint(SplittableRandom rng, int decimals) {
        for (int attempt = 0; attempt < 1_000_000; attempt++) {
            double x = Fmt.round(minX + rng.nextDouble() * (maxX - minX), decimals);
            double y = Fmt.round(minY + rng.nextDouble() * (maxY - minY), decimals);
            if (contains(x, y)) {
                return new double[] {x, y};
            }
        }
        throw new IllegalStateException("could not sample a point inside area " + id);
    }

    /** Approximate area-free "size": the smaller bbox side in degrees. */
    double minSide() {
        return Math.min(maxX - minX, maxY - minY);
    }
}
