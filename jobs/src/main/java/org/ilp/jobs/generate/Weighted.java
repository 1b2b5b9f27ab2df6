package org.ilp.jobs.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/** An immutable discrete distribution over items, sampled by binary search on cumulative weights. */
final class Weighted<T> {
    private final List<T> items;
    private final double[] cum;

    private Weighted(List<T> items, double[] weights) {
        this.items = List.copyOf(items);
        this.cum = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i];
            cum[i] = s;
        }
    }

    static <T> Builder<T> builder() {
        return new Builder<>();
    }

    T pick(SplittableRandom rng) {
        double u = rng.nextDouble() * cum[cum.length - 1];
        int lo = 0, hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return items.get(lo);
    }

    /** Draws until {@code accept} holds (the accepted subset must have positive weight). */
    T pick(SplittableRandom rng, Predicate<T> accept) {
        for (int i = 0; i < 10_000; i++) {
            T t = pick(rng);
            if (accept.test(t)) {
                return t;
            }
        }
        throw new IllegalStateException("no acceptable item");
    }

    double share(Predicate<T> which) {
        double s = 0, prev = 0;
        for (int i = 0; i < cum.length; i++) {
            if (which.test(items.get(i))) {
                s += cum[i] - prev;
            }
            prev = cum[i];
        }
        return s / cum[cum.length - 1];
    }

    List<T> items() {
        return items;
    }

    static final class Builder<T> {
        private final List<T> items = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();

        Builder<T> add(T item, double weight) {
            items.add(item);
            weights.add(weight);
            return this;
        }

        Weighted<T> build() {
            double[] w = new double[weights.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights.get(i);
            }
            return new Weighted<>(items, w);
        }
    }
}
