package org.ilp.jobs.generate;

import java.util.SplittableRandom;

/** Allocation-light formatting helpers (fixed decimals, zero padding, hex ids, CSV quoting). */
final class Fmt {
    private Fmt() {}

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
            10_000_000L, 100_000_000L, 1_000_000_000L};
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Rounds to {@code dp} decimals; the result parses back identically from {@link #fixed}. */
    static double round(double v, int dp) {
        return Math.round(v * POW10[dp]) / (double) POW10[dp];
    }

    /** Appends {@code v} with exactly {@code dp} decimals (half-up on the scaled value). */
    static StringBuilder fixed(StringBuilder sb, double v, int dp) {
        long k = Math.round(v * POW10[dp]);
        if (k < 0) {
            sb.append('-');
            k = -k;
        }
        sb.append(k / POW10[dp]);
        if (dp > 0) {
            sb.append('.');
            pad(sb, k % POW10[dp], dp);
        }
        return sb;
    }

    static String fixed(double v, int dp) {
        return fixed(new StringBuilder(16), v, dp).toString();
    }

    /** Appends a non-negative number zero-padded to {@code width} digits. */
    static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    static String pad(long v, int width) {
        return pad(new StringBuilder(width), v, width).toString();
    }

    /** 64 lowercase hex chars drawn from the RNG (a police.uk-style Crime ID). */
    static String hex64(SplittableRandom rng) {
        char[] c = new char[64];
        for (int w = 0; w < 4; w++) {
            long x = rng.nextLong();
            for (int i = 0; i < 16; i++) {
                c[w * 16 + i] = HEX[(int) (x >>> (60 - 4 * i)) & 0xF];
            }
        }
        return new String(c);
    }

    /** Appends one CSV field, RFC-4180 quoted when it holds a comma, quote, CR or LF. */
    static void csvField(StringBuilder sb, String s) {
        boolean quote = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                sb.append('"');
            }
            sb.append(ch);
        }
        sb.append('"');
    }

    /** Joins fields into one CSV record (without line terminator). */
    static String csvLine(String[] fields) {
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            csvField(sb, fields[i]);
        }
        return sb.toString();
    }

    /** Splits one physical CSV line (no embedded newlines) honouring double quotes. */
    static String[] parseSimpleLine(String line) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQ = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (inQ) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        inQ = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                inQ = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    /** Great-circle distance in metres. */
    static double haversineM(double lon1, double lat1, double lon2, double lat2) {
        double r = 6_371_008.8;
        double dLat = Math.toRadians(lat2 - lat1), dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Uniform point in a disc of {@code radiusM} metres around (lon, lat), rounded. */
    static double[] discPoint(SplittableRandom rng, double lon, double lat, double radiusM, int dp) {
        double r = radiusM * Math.sqrt(rng.nextDouble());
        double t = 2 * Math.PI * rng.nextDouble();
        double dLat = r * Math.cos(t) / 111_320.0;
        double dLon = r * Math.sin(t) / (111_320.0 * Math.cos(Math.toRadians(lat)));
        return new double[] {round(lon + dLon, dp), round(lat + dLat, dp)};
    }
}
