package org.ilp.jobs.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One police.uk force the generator writes: its slug and "Falls within" name from the crosswalk,
 * its polygon and point pool (absent for Northern Ireland and BTP), its share of rows, and the
 * local-authority names its LSOA names use. LSOAs are synthetic but spatially coherent: a point's
 * LSOA is a hash of a ~2 km grid cell, and the LSOA name is a function of the code.
 */
final class UkForce {
    enum Kind { POLYGON, NORTHERN_IRELAND, BTP }

    static final double NI_MIN_LON = -7.9, NI_MAX_LON = -5.5, NI_MIN_LAT = 54.1, NI_MAX_LAT = 55.2;

    final String slug;
    final String fallsWithin;
    final String pfaCode;
    final Kind kind;
    final double weight;
    final List<String> localAuthorities;
    final boolean welsh;
    final int lsoaBase;
    final int lsoaRange;
    GeoArea area;
    PointPool pool;
    String[] poolLsoaCode;
    String[] poolLsoaName;
    String[] poolLocation;

    UkForce(String slug, String fallsWithin, String pfaCode, Kind kind, double weight,
            List<String> localAuthorities, int lsoaBase, int lsoaRange) {
        this.slug = slug;
        this.fallsWithin = fallsWithin;
        this.pfaCode = pfaCode;
        this.kind = kind;
        this.weight = weight;
        this.localAuthorities = localAuthorities;
        this.welsh = pfaCode != null && pfaCode.startsWith("W");
        this.lsoaBase = lsoaBase;
        this.lsoaRange = lsoaRange;
    }

    void buildPool(GeoArea area, int size, SplittableRandom rng) {
        this.area = area;
        this.pool = new PointPool(area, size, rng, 6, 0.004);
        poolLsoaCode = new String[size];
        poolLsoaName = new String[size];
        poolLocation = new String[size];
        for (int i = 0; i < size; i++) {
            int n = lsoaNumber(pool.lon[i], pool.lat[i]);
            poolLsoaCode[i] = lsoaCode(n);
            poolLsoaName[i] = lsoaName(n);
            poolLocation[i] = location(pool.lon[i], pool.lat[i]);
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    int lsoaNumber(double lon, double lat) {
        long cx = (long) Math.floor(lon / 0.03), cy = (long) Math.floor(lat / 0.02);
        long h = mix(cx * 0x9E3779B97F4A7C15L + cy + slug.hashCode());
        return lsoaBase + (int) Math.floorMod(h, (long) lsoaRange);
    }

    String lsoaCode(int n) {
        return (welsh ? "W01" : "E01") + Fmt.pad(n, 6);
    }

    String lsoaName(int n) {
        int la = localAuthorities.size();
        return localAuthorities.get(n % la) + " " + Fmt.pad(1 + (n / la) % 240, 3) + (char) ('A' + (n % 5));
    }

    /** "On or near ..." derived from a ~150 m cell, so nearby rows share a snap point name. */
    static String location(double lon, double lat) {
        long cx = (long) Math.floor(lon / 0.002), cy = (long) Math.floor(lat / 0.0015);
        long h = mix(cx * 0x632BE59BD9B4E019L + cy);
        return "On or near " + Vocab.UK_PLACES.get((int) Math.floorMod(h, (long) Vocab.UK_PLACES.size()));
    }
}
