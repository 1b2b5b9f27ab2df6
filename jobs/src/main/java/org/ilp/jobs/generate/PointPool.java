package org.ilp.jobs.generate;

import java.util.SplittableRandom;

/**
 * A cached pool of points sampled uniformly inside one {@link GeoArea}; rows draw a pool point and
 * add a small jitter that is re-checked against the polygon (falling back to the pool point, which
 * is inside by construction). This keeps per-row cost at one point-in-polygon test.
 */
final class PointPool {
    final GeoArea area;
    final double[] lon;
    final double[] lat;
    final int decimals;
    private final double jitter;
    /** Per pool point, a safe radius (degrees) inside which every point is inside the area too. */
    private final double[] clearance;

    PointPool(GeoArea area, int size, SplittableRandom rng, int decimals, double maxJitterDeg) {
        this.area = area;
        this.decimals = decimals;
        this.lon = new double[size];
        this.lat = new double[size];
        for (int i = 0; i < size; i++) {
            double[] p = area.samplePoint(rng, decimals);
            lon[i] = p[0];
            lat[i] = p[1];
        }
        this.jitter = Math.min(maxJitterDeg, area.minSide() * 0.02);
        this.clearance = new double[size];
        java.util.Arrays.fill(clearance, Double.NaN); // computed on first use (no randomness involved)
    }

    int size() {
        return lon.length;
    }

    /**
     * Writes a jittered point near pool point {@code idx} into {@code dst}; always inside the area
     * once rounded to {@link #decimals}.
     */
    void jittered(SplittableRandom rng, int idx, double[] dst) {
        double clear = clearance[idx];
        if (Double.isNaN(clear)) {
            // a segment shorter than the distance to the nearest edge crosses no edge, so parity is kept
            clear = area.distanceToBoundary(lon[idx], lat[idx]) * 0.999 - 1e-9;
            clearance[idx] = clear;
        }
        for (int attempt = 0; attempt < 6; attempt++) {
            double j = jitter / (1 << attempt);
            double x = Fmt.round(lon[idx] + (rng.nextDouble() * 2 - 1) * j, decimals);
            double y = Fmt.round(lat[idx] + (rng.nextDouble() * 2 - 1) * j, decimals);
            double dx = x - lon[idx], dy = y - lat[idx];
            if (dx * dx + dy * dy < clear * clear || area.contains(x, y)) {
                dst[0] = x;
                dst[1] = y;
                return;
            }
        }
        dst[0] = lon[idx];
        dst[1] = lat[idx];
    }

    /** A point uniform in a disc around (cLon, cLat) that lies inside the area (or the nearest pool fallback). */
    void inDisc(SplittableRandom rng, double cLon, double cLat, double radiusM, double[] dst) {
        for (int attempt = 0; attempt < 200; attempt++) {
            double[] p = Fmt.discPoint(rng, cLon, cLat, radiusM, decimals);
            if (area.contains(p[0], p[1])) {
                dst[0] = p[0];
                dst[1] = p[1];
                return;
            }
        }
        if (area.contains(cLon, cLat)) {
            dst[0] = cLon;
            dst[1] = cLat;
            return;
        }
        throw new IllegalStateException("disc around " + cLon + "," + cLat + " does not meet area " + area.id);
    }
}
