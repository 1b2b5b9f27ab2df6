package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.ilp.common.spatial.EmergingHotspots.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Series are written oldest → newest, one character per time slice: H = significant hot,
 * C = significant cold, . = not significant. With 10 slices "≥ 90 %" means ≥ 9 slices.
 * Trend arguments are the Mann–Kendall z and p of the Gi* z series; α = 0.05.
 */
class EmergingHotspotsTest {

    private static final double NO_TREND_Z = 0.4;
    private static final double NO_TREND_P = 0.69;
    private final Set<Pattern> seen = EnumSet.noneOf(Pattern.class);

    private Pattern classify(String series, double trendZ, double trendP) {
        boolean[] hot = new boolean[series.length()];
        boolean[] cold = new boolean[series.length()];
        for (int t = 0; t < series.length(); t++) {
            hot[t] = series.charAt(t) == 'H';
            cold[t] = series.charAt(t) == 'C';
        }
        Pattern p = EmergingHotspots.classify(hot, cold, trendZ, trendP);
        seen.add(p);
        return p;
    }

    private Pattern classify(String series) {
        return classify(series, NO_TREND_Z, NO_TREND_P);
    }

    @Test
    void oneSeriesPerHotClass() {
        // hot only in the final slice, never before
        assertThat(classify(".........H")).isEqualTo(Pattern.NEW_HOT);
        // single final run of 3 ≥ 2 hot bins, never hot before, 3/10 < 90 %
        assertThat(classify(".......HHH")).isEqualTo(Pattern.CONSECUTIVE_HOT);
        // 9/10 hot incl. final, significant increasing trend (z = 3.1, p = 0.002)
        assertThat(classify(".HHHHHHHHH", 3.1, 0.002)).isEqualTo(Pattern.INTENSIFYING_HOT);
        // 10/10 hot, no significant trend
        assertThat(classify("HHHHHHHHHH")).isEqualTo(Pattern.PERSISTENT_HOT);
        // 9/10 hot incl. final, significant decreasing trend (z = −2.6, p = 0.009)
        assertThat(classify("HHHH.HHHHH", -2.6, 0.009)).isEqualTo(Pattern.DIMINISHING_HOT);
        // hot in final, on-again/off-again, 4/10 hot, never cold
        assertThat(classify("H..H...H.H")).isEqualTo(Pattern.SPORADIC_HOT);
        // hot in final, cold earlier, 3/10 hot
        assertThat(classify("CC...H..HH")).isEqualTo(Pattern.OSCILLATING_HOT);
        // final not hot, 9/10 = 90 % hot
        assertThat(classify("HHHHHHHHH.")).isEqualTo(Pattern.HISTORICAL_HOT);
    }

    @Test
    void oneSeriesPerColdClass() {
        assertThat(classify(".........C")).isEqualTo(Pattern.NEW_COLD);
        assertThat(classify("........CC")).isEqualTo(Pattern.CONSECUTIVE_COLD);
        // cold intensifies = z trend significantly DEcreasing
        assertThat(classify(".CCCCCCCCC", -3.1, 0.002)).isEqualTo(Pattern.INTENSIFYING_COLD);
        assertThat(classify("CCCCCCCCCC")).isEqualTo(Pattern.PERSISTENT_COLD);
        // cold diminishes = z trend significantly INcreasing
        assertThat(classify("CCCC.CCCCC", 2.6, 0.009))
                .isEqualTo(Pattern.DIMINISHING_COLD);
        assertThat(classify("C.C..C.C.C")).isEqualTo(Pattern.SPORADIC_COLD);
        assertThat(classify("H..H....CC")).isEqualTo(Pattern.OSCILLATING_COLD);
        assertThat(classify("CCCCCCCCC.")).isEqualTo(Pattern.HISTORICAL_COLD);
    }

    @Test
    void noPatternAndEdgeCases() {
        assertThat(classify("..........")).isEqualTo(Pattern.NO_PATTERN);      // nothing significant
        assertThat(classify("HHH.......")).isEqualTo(Pattern.NO_PATTERN);      // hot in the past only
        assertThat(classify("HHHHHHHH..")).isEqualTo(Pattern.NO_PATTERN);      // 8/10 < 90 %, final not hot
        // length 1
        assertThat(classify("H")).isEqualTo(Pattern.NEW_HOT);
        assertThat(classify("C")).isEqualTo(Pattern.NEW_COLD);
        assertThat(classify(".")).isEqualTo(Pattern.NO_PATTERN);
        // length 2, both hot: 100 % → persistent (trend undefined: NaN)
        assertThat(classify("HH", Double.NaN, Double.NaN)).isEqualTo(Pattern.PERSISTENT_HOT);
        // 90 % boundary with 20 slices: 18/20 hot → persistent; 17/20 in one final run → consecutive
        assertThat(classify(".H.HHHHHHHHHHHHHHHHH")).isEqualTo(Pattern.PERSISTENT_HOT);
        assertThat(classify("...HHHHHHHHHHHHHHHHH")).isEqualTo(Pattern.CONSECUTIVE_HOT);
        // historical counts 90 % of ALL slices (ArcGIS wording): 9 of the 11 → 81.8 % → none
        assertThat(classify("HHHHHHHHH..")).isEqualTo(Pattern.NO_PATTERN);
        // p exactly α is not significant → persistent, not intensifying
        assertThat(classify("HHHHHHHHHH", 2.0, 0.05)).isEqualTo(Pattern.PERSISTENT_HOT);
        // significant trend irrelevant below 90 %
        assertThat(classify(".......HHH", 3.0, 0.001)).isEqualTo(Pattern.CONSECUTIVE_HOT);
        // precedence: cold earlier + only the final hot → oscillating, not new
        assertThat(classify("C........H")).isEqualTo(Pattern.OSCILLATING_HOT);
        // precedence: 90 % hot but cold in the final slice → oscillating cold, not historical hot
        assertThat(classify("HHHHHHHHHC")).isEqualTo(Pattern.OSCILLATING_COLD);
        // hot before the final run → sporadic, not consecutive
        assertThat(classify("H.....HHHH")).isEqualTo(Pattern.SPORADIC_HOT);
    }

    @Test
    void zAndPOverload() {
        // bin significant iff p < 0.10: z>0 → hot, z<0 → cold
        double[] z = {0.5, -2.0, 1.2, 0.1, 0.3, 0.0, 0.2, 0.9, 2.1, 2.5};
        double[] p = {0.6, 0.04, 0.23, 0.9, 0.7, 1.0, 0.8, 0.36, 0.035, 0.012};
        // series ".C......HH": cold earlier, hot final run → oscillating hot
        assertThat(EmergingHotspots.classify(z, p, 0.10, 1.0, 0.3, 0.05))
                .isEqualTo(Pattern.OSCILLATING_HOT);
        p[1] = 0.15; // slice 1 no longer significant → "........HH" → consecutive
        assertThat(EmergingHotspots.classify(z, p, 0.10, 1.0, 0.3, 0.05))
                .isEqualTo(Pattern.CONSECUTIVE_HOT);
    }

    @Test
    void invalidInput() {
        assertThatThrownBy(() -> EmergingHotspots.classify(new boolean[] {true},
                new boolean[] {true}, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmergingHotspots.classify(new boolean[0], new boolean[0], 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmergingHotspots.classify(new boolean[2], new boolean[3], 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyPatternReachableAndLabelled() {
        oneSeriesPerHotClass();
        oneSeriesPerColdClass();
        noPatternAndEdgeCases();
        assertThat(seen).isEqualTo(EnumSet.allOf(Pattern.class));
        Set<String> labels = new HashSet<>();
        for (Pattern p : Pattern.values()) {
            labels.add(p.label());
        }
        assertThat(labels).hasSize(17);
        assertThat(Pattern.NEW_HOT.label()).isEqualTo("new hot spot");
        assertThat(Pattern.NO_PATTERN.label()).isEqualTo("no pattern detected");
        assertThat(Pattern.OSCILLATING_COLD.label()).isEqualTo("oscillating cold spot");
    }
}
