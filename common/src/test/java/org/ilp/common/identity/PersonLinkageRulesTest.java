package org.ilp.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The comparison rules and weights without Spark (the linkage on planted data: jobs' PersonLinkageTest). */
class PersonLinkageRulesTest {
  @Test
  void namesAreComparedInEitherOrderAndWithTypos() {
    assertThat(PersonLinkage.nameLevel("JOHN", "SMITH", "SMITH", "JOHN", 0.9)).isEqualTo("exact");
    assertThat(PersonLinkage.nameLevel("JOHN", "SMITH", "JOHN", "SMTIH", 0.9)).isEqualTo("fuzzy");
    assertThat(PersonLinkage.nameLevel("JOHN", "SMITH", "SMTIH", "JOHN", 0.9)).isEqualTo("fuzzy");
    assertThat(PersonLinkage.nameLevel("JOHN", "SMITH", "PAUL", "SMITH", 0.9)).isEqualTo("other");
    assertThat(PersonLinkage.nameLevel(null, "SMITH", "JOHN", "SMITH", 0.9)).isEqualTo("other");
  }

  @Test
  void namesAreNormalisedToAsciiLetters() {
    assertThat(PersonLinkage.normaliseName("  José-María  O'Brien ")).isEqualTo("JOSE MARIA O BRIEN");
    assertThat(PersonLinkage.normaliseName("Łukasz")).isEqualTo("UKASZ"); // Ł has no decomposition: dropped, as in most indexes
    assertThat(PersonLinkage.normaliseName(" - ")).isNull();
  }

  /** Weights are log2(m / u) of conf/identity/person_linkage.conf, e.g. the exact date of birth: log2(0.83 / 0.000034). */
  @Test
  void weightsAreLogLikelihoodRatiosInBits() {
    PersonLinkage l = PersonLinkage.fromConf();
    assertThat(l.bits("dob", "exact")).isCloseTo(Math.log(0.83 / 0.000034) / Math.log(2), within(1e-12));
    assertThat(l.bits("dob", "missing")).isZero();
    assertThat(l.bits("name", "other")).isNegative();
    // the same names and date of birth alone link; the same names alone do not
    assertThat(l.bits("name", "exact") + l.bits("dob", "exact")).isGreaterThan(l.thresholdBits());
    assertThat(l.bits("name", "exact") + l.bits("dob", "missing") + l.bits("sex", "same")).isLessThan(l.thresholdBits());
  }
}
