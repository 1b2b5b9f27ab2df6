package org.ilp.jobs.generate;

/** The 24 generated months, 2023-01 .. 2024-12, by index 0..23. */
final class Months {
    private Months() {}

    static final int COUNT = 24;
    static final int FIRST_YEAR = 2023;
    /** Index of 2024-07, the month the planted trend changes. */
    static final int CHANGE_INDEX = 18;

    static int year(int m) {
        return FIRST_YEAR + m / 12;
    }

    static int month(int m) {
        return m % 12 + 1;
    }

    private static final String[] LABELS = new String[COUNT];

    static {
        for (int m = 0; m < COUNT; m++) {
            LABELS[m] = year(m) + "-" + (month(m) < 10 ? "0" : "") + month(m);
        }
    }

    /** "YYYY-MM" of month index {@code m}. */
    static String label(int m) {
        return LABELS[m];
    }

    static int days(int m) {
        return java.time.YearMonth.of(year(m), month(m)).lengthOfMonth();
    }

    /** Splits {@code total} into {@code parts} near-equal integers (remainder to the first ones). */
    static long share(long total, int parts, int i) {
        return total / parts + (i < total % parts ? 1 : 0);
    }

    /** Largest-remainder apportionment of {@code total} by {@code weights}. */
    static long[] apportion(long total, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        long[] out = new long[weights.length];
        double[] rem = new double[weights.length];
        long used = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = total * weights[i] / sum;
            out[i] = (long) Math.floor(exact);
            rem[i] = exact - out[i];
            used += out[i];
        }
        for (long left = total - used; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < rem.length; i++) {
                if (rem[i] > rem[best]) {
                    best = i;
                }
            }
            out[best]++;
            rem[best] = -1;
        }
        return out;
    }

    /** Picks a stream index with probability proportional to its remaining count, and decrements it. */
    static int pickStream(java.util.SplittableRandom rng, long[] remaining, long total) {
        long r = rng.nextLong(total);
        for (int k = 0; k < remaining.length; k++) {
            if (r < remaining[k]) {
                remaining[k]--;
                return k;
            }
            r -= remaining[k];
        }
        throw new IllegalStateException("stream counts exhausted");
    }
}
