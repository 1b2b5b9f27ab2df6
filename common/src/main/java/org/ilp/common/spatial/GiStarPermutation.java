package org.ilp.common.spatial;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ilp.common.stats.GetisOrd;

/**
 * The conditional-permutation pseudo p-value of Getis–Ord Gi* with binary weights (the cell itself
 * included); the statistic itself is {@link GetisOrd#z}.
 *
 * <p>Inference: conditional randomisation (Anselin 1995, "Local indicators of spatial
 * association — LISA", Geogr. Anal. 27(2):93–115, §"conditional randomization"; as in PySAL
 * {@code esda.G_Local(star=True, permutations=R)}): x<sub>i</sub> is held fixed and the W<sub>i</sub>−1
 * neighbour values are drawn without replacement from the other n−1 values.
 *
 * <p>All methods are pure and thread-safe; {@link ValueHistogram} and {@link PermResult} are
 * immutable and {@link Serializable} so they can be broadcast to / returned from Spark executors.
 */
public final class GiStarPermutation {

    private GiStarPermutation() {
    }

    /**
     * Expected value of the conditional-permutation z (x<sub>i</sub> fixed, W−1 values drawn
     * without replacement from the other n−1): since E[Σ draws] = (W−1)(Σx − x<sub>i</sub>)/(n−1),
     * <pre>  E[z_perm] = (n − W)(x_i − x̄) / ((n − 1) · S · sqrt((nW − W²)/(n − 1)))</pre>
     * which is 0 only when x<sub>i</sub> = x̄ (derivation: x_i + (W−1)(n x̄ − x_i)/(n−1) − W x̄
     * = (n−W)(x_i − x̄)/(n−1)). Returns NaN under the same conditions as {@link GetisOrd#z}.
     *
     * @param xi   the value of the cell itself
     * @param wi   W_i (cell included)
     * @param mean x̄
     * @param s    S (population form)
     * @param n    number of cells
     * @return E[z_perm]
     */
    public static double conditionalMean(double xi, int wi, double mean, double s, long n) {
        double denom = GetisOrd.denominator(wi, s, n);
        return Double.isNaN(denom) ? Double.NaN : (n - wi) * (xi - mean) / ((n - 1.0) * denom);
    }

    /**
     * Result of {@link #permute}.
     *
     * @param z        observed Gi* z-score ({@link GetisOrd#z})
     * @param pseudoP  (1 + #{|z_perm| ≥ |z_obs|}) / (R + 1), two-sided on |z| (Hope 1968;
     *                 Anselin 1995); NaN if z is NaN or R &lt; 1
     * @param zPermMean mean of the R permutation z-scores
     * @param zPermSd  sample standard deviation (divisor R − 1) of the permutation z-scores;
     *                 NaN when R &lt; 2
     */
    public record PermResult(double z, double pseudoP, double zPermMean, double zPermSd)
            implements Serializable {
    }

    /**
     * Conditional-permutation inference for Gi* at one cell (Anselin 1995; PySAL esda
     * {@code G_Local(star=True)}): x<sub>i</sub> is held fixed at the cell, W<sub>i</sub>−1 neighbour
     * values are drawn WITHOUT replacement from the multiset of all n values minus one copy of
     * x<sub>i</sub>, z is recomputed (x̄, S and n unchanged — they are permutation invariant), R
     * times. Pseudo p = (1 + #{|z_perm| ≥ |z_obs|}) / (R + 1).
     *
     * <p>Sampling: Floyd's algorithm (Bentley &amp; Floyd 1987, "Programming pearls: a sample of
     * brilliance", CACM 30(9):754–757) draws W−1 distinct indices from 0..n−2 exactly uniformly;
     * each index is mapped to a value through the cumulative frequency array with one copy of
     * x<sub>i</sub> removed ({@link ValueHistogram#valueAtExcluding}). Cost per permutation:
     * O(W · log D) with D distinct values (the membership test is an O(1) hash probe), memory
     * O(W); no dependence on n.
     *
     * <p>Random stream: SplitMix64 (Steele, Lea &amp; Flood 2014, OOPSLA) seeded with
     * {@link #mix mix(globalSeed, cellId)}, so the result depends only on the arguments
     * (reproducible, independent of partitioning and evaluation order).
     *
     * <p>The |z_perm| ≥ |z_obs| comparison is done exactly in integer arithmetic as
     * |n·S_perm − Σx·W| ≥ |n·S_obs − Σx·W| whenever the observed sum is integral and nothing can
     * overflow (ties are common for count data); otherwise on doubles with a 1e-12 relative
     * tolerance in favour of "extreme" (conservative).
     *
     * <p>Differences from PySAL to keep in mind: (1) PySAL's {@code p_sim} is one-sided and
     * folded to the nearer tail, (1 + min(#{G_perm ≥ G_obs}, R − #{G_perm ≥ G_obs}))/(R + 1),
     * roughly half of the two-sided value returned here; (2) under conditional randomisation the
     * null distribution of z is NOT standard normal — its mean is {@link #conditionalMean}
     * (non-zero unless x<sub>i</sub> = x̄) and its variance is about (W−1)/W — so pseudo p should
     * not be expected to equal 2(1 − Φ(|z|)).
     *
     * @param xi               value of the cell itself (must occur in {@code h})
     * @param sumNeighbourhood observed Σ_j w_ij x_j (cell included)
     * @param wi               W_i, neighbourhood size including the cell
     * @param h                histogram of all n cell values
     * @param permutations     R (e.g. 999)
     * @param globalSeed       run-wide seed
     * @param cellId           stable cell identifier
     * @return z, pseudo p and the mean / sd of the permutation z-scores; all-NaN except z when
     *         z is NaN (see {@link GetisOrd#z}) or R &lt; 1
     * @throws IllegalArgumentException if {@code xi} is not a value of {@code h}
     */
    public static PermResult permute(long xi, double sumNeighbourhood, int wi, ValueHistogram h,
                                     int permutations, long globalSeed, long cellId) {
        Objects.requireNonNull(h, "h");
        final long n = h.n();
        final double mean = h.mean();
        final double s = h.s();
        final double zObs = GetisOrd.z(sumNeighbourhood, wi, mean, s, n);
        if (Double.isNaN(zObs) || permutations < 1) {
            return new PermResult(zObs, Double.NaN, Double.NaN, Double.NaN);
        }
        final int removed = h.indexOf(xi);
        if (removed < 0) {
            throw new IllegalArgumentException("x_i=" + xi + " is not a value of the histogram");
        }
        final int k = wi - 1;          // neighbours to draw; wi < n so k <= n - 2
        final long m = n - 1;          // size of the multiset without x_i

        // Exact-comparison setup: D(S) = n*S - T*W, extreme iff |D(S_perm)| >= |D(S_obs)|.
        boolean exact = false;
        long tw = 0;
        long absDObs = 0;
        if (h.totalIsExact() && sumNeighbourhood == Math.rint(sumNeighbourhood)
                && Math.abs(sumNeighbourhood) < 0x1p53) {
            try {
                tw = Math.multiplyExact(h.total(), (long) wi);
                long dObs = Math.subtractExact(Math.multiplyExact(n, (long) sumNeighbourhood), tw);
                long sMax = Math.addExact(Math.abs(xi), Math.multiplyExact((long) k, h.maxAbs()));
                Math.addExact(Math.multiplyExact(n, sMax), Math.abs(tw)); // |D(S_perm)| bound
                absDObs = Math.abs(dObs);
                exact = dObs != Long.MIN_VALUE;
            } catch (ArithmeticException overflow) {
                exact = false;
            }
        }
        final double absZObsTol = Math.abs(zObs) * (1.0 - 1e-12);

        final SplitMix64 rng = new SplitMix64(mix(globalSeed, cellId));
        final IndexSet set = new IndexSet(Math.max(k, 1));
        long extreme = 0;
        double runMean = 0.0;
        double m2 = 0.0;
        for (int r = 0; r < permutations; r++) {
            long sum = xi + drawSum(h, removed, m, k, rng, set);
            double zp = GetisOrd.z(sum, wi, mean, s, n);
            boolean isExtreme = exact
                    ? Math.abs(n * sum - tw) >= absDObs
                    : Math.abs(zp) >= absZObsTol;
            if (isExtreme) {
                extreme++;
            }
            double delta = zp - runMean;           // Welford (1962) running mean / variance
            runMean += delta / (r + 1);
            m2 += delta * (zp - runMean);
        }
        double pseudoP = (1.0 + extreme) / (permutations + 1.0);
        double sd = permutations > 1 ? Math.sqrt(m2 / (permutations - 1)) : Double.NaN;
        return new PermResult(zObs, pseudoP, runMean, sd);
    }

    /**
     * Sum of {@code k} values drawn without replacement from the histogram minus one copy of the
     * value with index {@code removed}: Floyd's algorithm over indices 0..m−1 (m = n − 1), each
     * selected index mapped to its value by {@link ValueHistogram#valueAtExcluding}.
     */
    static long drawSum(ValueHistogram h, int removed, long m, int k, SplitMix64 rng, IndexSet set) {
        set.clear();
        long sum = 0;
        for (long j = m - k; j < m; j++) {
            long t = rng.nextLong(j + 1);          // uniform on 0..j
            long chosen;
            if (set.add(t)) {
                chosen = t;
            } else {                               // Floyd: t taken => j is new (all others < j)
                set.add(j);
                chosen = j;
            }
            sum += h.valueAtExcluding(chosen, removed);
        }
        return sum;
    }

    /**
     * Fills {@code out[0..k)} with k distinct indices drawn uniformly from 0..m−1 by Floyd's
     * algorithm (Bentley &amp; Floyd 1987). Package-private, for tests.
     */
    static void floydSample(SplitMix64 rng, long m, int k, long[] out, IndexSet set) {
        set.clear();
        int idx = 0;
        for (long j = m - k; j < m; j++) {
            long t = rng.nextLong(j + 1);
            if (set.add(t)) {
                out[idx++] = t;
            } else {
                set.add(j);
                out[idx++] = j;
            }
        }
    }

    /**
     * Per-cell seed: {@code mix(g, c) = fmix64(g ^ fmix64(c + γ))} with fmix64 the SplitMix64
     * output finaliser (Steele, Lea &amp; Flood 2014; variant 13 of Stafford's mixers) and γ =
     * 0x9E3779B97F4A7C15 (golden-ratio increment). fmix64 is a bijection, so for a fixed global
     * seed distinct cells always get distinct seeds.
     *
     * @param globalSeed run-wide seed
     * @param cellId     cell identifier
     * @return the seed of the cell's random stream
     */
    public static long mix(long globalSeed, long cellId) {
        return SplitMix64.fmix64(globalSeed ^ SplitMix64.fmix64(cellId + SplitMix64.GAMMA));
    }

    /**
     * Compact multiset of all n cell values as sorted distinct values with cumulative
     * frequencies; built once (driver), broadcast to executors. Immutable and Serializable.
     * Footprint O(D) for D distinct values, independent of n.
     */
    public static final class ValueHistogram implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Distinct values, ascending. */
        private final long[] values;
        /** cumEnd[k] = Σ_{j≤k} freq_j, the exclusive end of block k in the sorted multiset. */
        private final long[] cumEnd;
        /** Number of cells. */
        private final long n;
        /** x̄. */
        private final double mean;
        /** S (population form). */
        private final double s;
        /** Σx, exact when {@link #totalIsExact}. */
        private final long total;
        /** Whether Σx fitted in a long. */
        private final boolean totalIsExact;
        /** max |x|. */
        private final long maxAbs;

        private ValueHistogram(long[] values, long[] freq) {
            int d = values.length;
            if (d == 0) {
                throw new IllegalArgumentException("empty histogram");
            }
            this.values = values;
            this.cumEnd = new long[d];
            long acc = 0;
            long tot = 0;
            boolean exactTot = true;
            double sum = 0.0;
            long mx = 0;
            for (int k = 0; k < d; k++) {
                acc = Math.addExact(acc, freq[k]);
                cumEnd[k] = acc;
                sum += (double) freq[k] * values[k];
                mx = Math.max(mx, values[k] == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(values[k]));
                if (exactTot) {
                    try {
                        tot = Math.addExact(tot, Math.multiplyExact(freq[k], values[k]));
                    } catch (ArithmeticException e) {
                        exactTot = false;
                    }
                }
            }
            this.n = acc;
            this.mean = exactTot ? (double) tot / acc : sum / acc;
            double ss = 0.0;                           // two-pass variance (population)
            for (int k = 0; k < d; k++) {
                double dev = values[k] - mean;
                ss += freq[k] * dev * dev;
            }
            this.s = Math.sqrt(ss / acc);
            this.total = exactTot ? tot : 0L;
            this.totalIsExact = exactTot;
            this.maxAbs = mx;
        }

        /**
         * Histogram of the given cell values (one entry per cell).
         *
         * @param cellValues the n values; not modified
         * @return the histogram
         * @throws IllegalArgumentException if empty
         */
        public static ValueHistogram of(long[] cellValues) {
            long[] sorted = cellValues.clone();
            Arrays.sort(sorted);
            int d = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    d++;
                }
            }
            long[] vals = new long[d];
            long[] freq = new long[d];
            int k = -1;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    vals[++k] = sorted[i];
                }
                freq[k]++;
            }
            return new ValueHistogram(vals, freq);
        }

        /**
         * Histogram from a value → frequency map (e.g. the result of a Spark
         * {@code groupBy(value).count()} collected on the driver). Zero frequencies are dropped.
         *
         * @param freq value → number of cells with that value
         * @return the histogram
         * @throws IllegalArgumentException on a negative frequency or an empty total
         */
        public static ValueHistogram of(Map<Long, Long> freq) {
            TreeMap<Long, Long> sorted = new TreeMap<>();
            for (Map.Entry<Long, Long> e : freq.entrySet()) {
                long f = Objects.requireNonNull(e.getValue(), "frequency");
                if (f < 0) {
                    throw new IllegalArgumentException("negative frequency for " + e.getKey());
                }
                if (f > 0) {
                    sorted.merge(Objects.requireNonNull(e.getKey(), "value"), f, Long::sum);
                }
            }
            long[] vals = new long[sorted.size()];
            long[] fr = new long[sorted.size()];
            int k = 0;
            for (Map.Entry<Long, Long> e : sorted.entrySet()) {
                vals[k] = e.getKey();
                fr[k++] = e.getValue();
            }
            return new ValueHistogram(vals, fr);
        }

        /** @return n, the number of cells */
        public long n() {
            return n;
        }

        /** @return x̄ = Σx / n */
        public double mean() {
            return mean;
        }

        /** @return S = sqrt(Σ(x − x̄)²/n) = sqrt(Σx²/n − x̄²) (population form, as in Gi*) */
        public double s() {
            return s;
        }

        /** @return Σx (meaningful only when {@link #totalIsExact()}) */
        public long total() {
            return total;
        }

        /** @return whether Σx fitted in a long, so {@link #total()} is exact */
        public boolean totalIsExact() {
            return totalIsExact;
        }

        /** @return max |x| */
        public long maxAbs() {
            return maxAbs;
        }

        /** @return D, the number of distinct values */
        public int distinct() {
            return values.length;
        }

        /**
         * @param k index of a distinct value, 0..D−1 (ascending)
         * @return the k-th smallest distinct value
         */
        public long value(int k) {
            return values[k];
        }

        /**
         * @param k index of a distinct value
         * @return its frequency
         */
        public long frequency(int k) {
            return k == 0 ? cumEnd[0] : cumEnd[k] - cumEnd[k - 1];
        }

        /**
         * Binary search for a value, O(log D).
         *
         * @param value a cell value
         * @return its distinct-value index, or −1 if absent
         */
        public int indexOf(long value) {
            int k = Arrays.binarySearch(values, value);
            return k >= 0 ? k : -1;
        }

        /**
         * Value at sorted position {@code rank} of the full multiset (0 ≤ rank &lt; n):
         * the block k with cumEnd[k−1] ≤ rank &lt; cumEnd[k], found by binary search, O(log D).
         *
         * @param rank position in the sorted multiset
         * @return the value there
         */
        public long valueAt(long rank) {
            int k = Arrays.binarySearch(cumEnd, rank);
            k = k >= 0 ? k + 1 : -k - 1;
            return values[k];
        }

        /**
         * Value at position {@code idx} (0 ≤ idx &lt; n−1) of the sorted multiset with ONE copy of
         * the value with distinct index {@code removed} deleted: positions at or after the last
         * copy of that value shift by one (idx' = idx + 1 if idx ≥ cumEnd[removed] − 1).
         *
         * @param idx     position in the reduced multiset
         * @param removed distinct-value index of the removed copy
         * @return the value there
         */
        public long valueAtExcluding(long idx, int removed) {
            return valueAt(idx >= cumEnd[removed] - 1 ? idx + 1 : idx);
        }
    }

    /**
     * SplitMix64 generator (Steele, Lea &amp; Flood 2014, "Fast splittable pseudorandom number
     * generators", OOPSLA; same constants as {@code java.util.SplittableRandom}). Not shared
     * between threads: one instance per {@link #permute} call.
     */
    static final class SplitMix64 {
        static final long GAMMA = 0x9E3779B97F4A7C15L;
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        static long fmix64(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        long nextLong() {
            state += GAMMA;
            return fmix64(state);
        }

        /** Uniform on 0..bound−1 (bound &gt; 0), unbiased rejection as in SplittableRandom. */
        long nextLong(long bound) {
            long r = nextLong() >>> 1;
            long mx = bound - 1;
            if ((bound & mx) == 0L) {
                return r & mx;
            }
            for (long u = r; u - (r = u % bound) + mx < 0L; u = nextLong() >>> 1) {
                // reject the incomplete top block
            }
            return r;
        }
    }

    /**
     * Tiny open-addressing set of longs with O(1) clear (generation stamps), used for Floyd's
     * membership test so that each permutation is O(W) probes, not O(W²).
     */
    static final class IndexSet {
        private final long[] keys;
        private final int[] stamp;
        private final int mask;
        private int gen = 1;

        IndexSet(int maxSize) {
            int cap = Integer.highestOneBit(Math.max(8, maxSize * 4) - 1) << 1;
            keys = new long[cap];
            stamp = new int[cap];
            mask = cap - 1;
        }

        void clear() {
            if (++gen == Integer.MAX_VALUE) {
                Arrays.fill(stamp, 0);
                gen = 1;
            }
        }

        /** @return true if added, false if already present */
        boolean add(long key) {
            int h = (int) SplitMix64.fmix64(key) & mask;
            while (stamp[h] == gen) {
                if (keys[h] == key) {
                    return false;
                }
                h = (h + 1) & mask;
            }
            stamp[h] = gen;
            keys[h] = key;
            return true;
        }
    }
}
