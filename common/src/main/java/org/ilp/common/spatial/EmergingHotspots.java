package org.ilp.common.spatial;

/**
 * Emerging Hot Spot Analysis categories of ArcGIS Pro (Space Time Pattern Mining → "How Emerging
 * Hot Spot Analysis works",
 * https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm),
 * computed from the per-slice Gi* significance of one location (oldest slice first) and the
 * Mann–Kendall trend test of its Gi* z-score series.
 *
 * <p>Documented definitions (paraphrased; "hot" = statistically significant hot-spot bin,
 * "final" = the last time step, "≥ 90 %" = at least 90 % of ALL time steps):
 * <ul>
 * <li>No pattern detected — none of the patterns below.</li>
 * <li>New hot spot — hot in the final step and never hot before.</li>
 * <li>Consecutive hot spot — a single uninterrupted run of at least two hot bins ending in the
 *     final step, never hot before that run, and fewer than 90 % of all bins hot.</li>
 * <li>Intensifying hot spot — hot in ≥ 90 % of the steps including the final one, and the
 *     clustering intensity increases with a statistically significant trend.</li>
 * <li>Persistent hot spot — hot in ≥ 90 % of the steps with no discernible trend in intensity.</li>
 * <li>Diminishing hot spot — hot in ≥ 90 % of the steps including the final one, and the
 *     intensity decreases with a statistically significant trend.</li>
 * <li>Sporadic hot spot — hot in the final step, an on-again/off-again history, fewer than 90 %
 *     of the steps hot and none cold.</li>
 * <li>Oscillating hot spot — hot in the final step, cold at some prior step, fewer than 90 % of
 *     the steps hot.</li>
 * <li>Historical hot spot — not hot in the most recent step, but hot in ≥ 90 % of the steps.</li>
 * <li>Cold variants: the same with hot ↔ cold, "increasing intensity" meaning a significantly
 *     decreasing (more negative) z trend for Intensifying cold and a significantly increasing
 *     one for Diminishing cold.</li>
 * </ul>
 *
 * <p>Where the documented rules overlap, this implementation resolves them deterministically
 * (ArcGIS does not document an order; choices below agree with the R package sfdep where it
 * is unambiguous):
 * <ol>
 * <li>The family is decided by the final slice: final hot → hot family, final cold → cold
 *     family; otherwise Historical hot / Historical cold (≥ 90 % hot / cold) or No pattern.
 *     So a location hot in ≥ 90 % of the steps but COLD in the final one is an Oscillating cold
 *     spot, not a Historical hot spot.</li>
 * <li>Within a family: a series of length 1 that is hot is New; else ≥ 90 % hot →
 *     Intensifying / Diminishing (trend p &lt; α in the corresponding direction) or Persistent;
 *     else any earlier cold → Oscillating (precedence over New / Consecutive, i.e. a location
 *     that was cold and is now hot "oscillates"); else only the final step hot → New; else all
 *     hot steps form one final run → Consecutive; else Sporadic.</li>
 * <li>A NaN trend z or p (e.g. constant or too short series) counts as "no significant
 *     trend".</li>
 * </ol>
 * Pure, stateless; the enum is Serializable.
 */
public final class EmergingHotspots {

    /** Default significance level for the Mann–Kendall trend (two-sided p &lt; 0.05). */
    public static final double DEFAULT_TREND_ALPHA = 0.05;
    /** Default bin significance: ArcGIS hot/cold bins are significant at ≥ 90 % confidence. */
    public static final double DEFAULT_BIN_ALPHA = 0.10;

    private EmergingHotspots() {
    }

    /** The 17 ArcGIS Emerging Hot Spot Analysis categories. */
    public enum Pattern {
        /** None of the hot or cold spot patterns below. */
        NO_PATTERN("no pattern detected"),
        /** Hot in the final step; never hot before. */
        NEW_HOT("new hot spot"),
        /** One uninterrupted run of ≥ 2 hot bins ending in the final step, never hot before the run, &lt; 90 % hot. */
        CONSECUTIVE_HOT("consecutive hot spot"),
        /** Hot in ≥ 90 % of steps incl. the final one; significant increasing trend in intensity. */
        INTENSIFYING_HOT("intensifying hot spot"),
        /** Hot in ≥ 90 % of steps; no significant trend in intensity. */
        PERSISTENT_HOT("persistent hot spot"),
        /** Hot in ≥ 90 % of steps incl. the final one; significant decreasing trend in intensity. */
        DIMINISHING_HOT("diminishing hot spot"),
        /** Hot in the final step; on-again/off-again hot; &lt; 90 % hot; never cold. */
        SPORADIC_HOT("sporadic hot spot"),
        /** Hot in the final step; cold at some earlier step; &lt; 90 % hot. */
        OSCILLATING_HOT("oscillating hot spot"),
        /** Not hot in the final step, but hot in ≥ 90 % of all steps. */
        HISTORICAL_HOT("historical hot spot"),
        /** Cold in the final step; never cold before. */
        NEW_COLD("new cold spot"),
        /** One uninterrupted run of ≥ 2 cold bins ending in the final step, never cold before the run, &lt; 90 % cold. */
        CONSECUTIVE_COLD("consecutive cold spot"),
        /** Cold in ≥ 90 % of steps incl. the final one; significant trend towards colder (z decreasing). */
        INTENSIFYING_COLD("intensifying cold spot"),
        /** Cold in ≥ 90 % of steps; no significant trend in intensity. */
        PERSISTENT_COLD("persistent cold spot"),
        /** Cold in ≥ 90 % of steps incl. the final one; significant trend towards less cold (z increasing). */
        DIMINISHING_COLD("diminishing cold spot"),
        /** Cold in the final step; on-again/off-again cold; &lt; 90 % cold; never hot. */
        SPORADIC_COLD("sporadic cold spot"),
        /** Cold in the final step; hot at some earlier step; &lt; 90 % cold. */
        OSCILLATING_COLD("oscillating cold spot"),
        /** Not cold in the final step, but cold in ≥ 90 % of all steps. */
        HISTORICAL_COLD("historical cold spot");

        private final String label;

        Pattern(String label) {
            this.label = label;
        }

        /** @return the lower-case ArcGIS pattern name, e.g. "new hot spot" */
        public String label() {
            return label;
        }
    }

    /** Family-relative outcome, mapped to the hot or cold constant. */
    private enum Kind { NEW, CONSECUTIVE, INTENSIFYING, PERSISTENT, DIMINISHING, SPORADIC, OSCILLATING }

    /**
     * Classification with the default trend significance α = 0.05 (see class Javadoc for the
     * rules, quoted from the ArcGIS documentation).
     *
     * @param hot    per slice (oldest first): significant hot-spot bin
     * @param cold   per slice: significant cold-spot bin (never both with {@code hot})
     * @param trendZ Mann–Kendall z of the Gi* z series (sign = trend direction)
     * @param trendP Mann–Kendall two-sided p-value
     * @return the pattern
     */
    public static Pattern classify(boolean[] hot, boolean[] cold, double trendZ, double trendP) {
        return classify(hot, cold, trendZ, trendP, DEFAULT_TREND_ALPHA);
    }

    /**
     * Classification from per-slice Gi* z and p: a bin is hot if z &gt; 0 and p &lt; binAlpha,
     * cold if z &lt; 0 and p &lt; binAlpha (ArcGIS: 90 % confidence, binAlpha = 0.10).
     *
     * @param giZ        Gi* z per slice, oldest first
     * @param giP        Gi* p per slice
     * @param binAlpha   bin significance level
     * @param trendZ     Mann–Kendall z
     * @param trendP     Mann–Kendall p
     * @param trendAlpha trend significance level
     * @return the pattern
     */
    public static Pattern classify(double[] giZ, double[] giP, double binAlpha, double trendZ,
                                   double trendP, double trendAlpha) {
        if (giZ.length != giP.length) {
            throw new IllegalArgumentException("z and p series differ in length");
        }
        boolean[] hot = new boolean[giZ.length];
        boolean[] cold = new boolean[giZ.length];
        for (int t = 0; t < giZ.length; t++) {
            boolean sig = giP[t] < binAlpha;
            hot[t] = sig && giZ[t] > 0;
            cold[t] = sig && giZ[t] < 0;
        }
        return classify(hot, cold, trendZ, trendP, trendAlpha);
    }

    /**
     * ArcGIS Emerging Hot Spot Analysis classification of one location (rules and tie-breaking
     * in the class Javadoc).
     *
     * @param hot        per slice (oldest first): significant hot-spot bin
     * @param cold       per slice: significant cold-spot bin
     * @param trendZ     Mann–Kendall z of the Gi* z series
     * @param trendP     Mann–Kendall two-sided p-value
     * @param trendAlpha the trend is significant when trendP &lt; trendAlpha
     * @return the pattern
     * @throws IllegalArgumentException on empty or mismatched series, or a slice both hot and
     *                                  cold
     */
    public static Pattern classify(boolean[] hot, boolean[] cold, double trendZ, double trendP,
                                   double trendAlpha) {
        final int n = hot.length;
        if (n == 0 || cold.length != n) {
            throw new IllegalArgumentException("need two non-empty series of equal length");
        }
        int hotCount = 0;
        int coldCount = 0;
        for (int t = 0; t < n; t++) {
            if (hot[t] && cold[t]) {
                throw new IllegalArgumentException("slice " + t + " is both hot and cold");
            }
            hotCount += hot[t] ? 1 : 0;
            coldCount += cold[t] ? 1 : 0;
        }
        boolean trendSig = trendP < trendAlpha && !Double.isNaN(trendZ);
        if (hot[n - 1]) {
            Kind k = family(hot, cold, hotCount, trendSig && trendZ > 0,
                    trendSig && trendZ < 0);
            return toHot(k);
        }
        if (cold[n - 1]) {
            Kind k = family(cold, hot, coldCount, trendSig && trendZ < 0,
                    trendSig && trendZ > 0);
            return toCold(k);
        }
        if (atLeast90(hotCount, n)) {
            return Pattern.HISTORICAL_HOT;
        }
        if (atLeast90(coldCount, n)) {
            return Pattern.HISTORICAL_COLD;
        }
        return Pattern.NO_PATTERN;
    }

    /** Pattern of a series whose final slice is significant in direction "same". */
    private static Kind family(boolean[] same, boolean[] opposite, int sameCount,
                               boolean trendTowards, boolean trendAway) {
        final int n = same.length;
        if (n == 1) {
            return Kind.NEW;
        }
        if (atLeast90(sameCount, n)) {
            if (trendTowards) {
                return Kind.INTENSIFYING;
            }
            if (trendAway) {
                return Kind.DIMINISHING;
            }
            return Kind.PERSISTENT;
        }
        for (int t = 0; t < n - 1; t++) {
            if (opposite[t]) {
                return Kind.OSCILLATING;
            }
        }
        if (sameCount == 1) {
            return Kind.NEW;
        }
        int run = 0;
        for (int t = n - 1; t >= 0 && same[t]; t--) {
            run++;
        }
        return run == sameCount ? Kind.CONSECUTIVE : Kind.SPORADIC;
    }

    /** count / n ≥ 0.9, in integers (10·count ≥ 9·n). */
    private static boolean atLeast90(int count, int n) {
        return 10L * count >= 9L * n;
    }

    private static Pattern toHot(Kind k) {
        return switch (k) {
            case NEW -> Pattern.NEW_HOT;
            case CONSECUTIVE -> Pattern.CONSECUTIVE_HOT;
            case INTENSIFYING -> Pattern.INTENSIFYING_HOT;
            case PERSISTENT -> Pattern.PERSISTENT_HOT;
            case DIMINISHING -> Pattern.DIMINISHING_HOT;
            case SPORADIC -> Pattern.SPORADIC_HOT;
            case OSCILLATING -> Pattern.OSCILLATING_HOT;
        };
    }

    private static Pattern toCold(Kind k) {
        return switch (k) {
            case NEW -> Pattern.NEW_COLD;
            case CONSECUTIVE -> Pattern.CONSECUTIVE_COLD;
            case INTENSIFYING -> Pattern.INTENSIFYING_COLD;
            case PERSISTENT -> Pattern.PERSISTENT_COLD;
            case DIMINISHING -> Pattern.DIMINISHING_COLD;
            case SPORADIC -> Pattern.SPORADIC_COLD;
            case OSCILLATING -> Pattern.OSCILLATING_COLD;
        };
    }
}
