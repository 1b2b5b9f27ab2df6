package org.ilp.common.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceSpecTest {
  @Test
  void everyShippedSpecLoadsAndAcceptsItsOwnFileNames() {
    assertThat(SourceSpec.load("police_uk_street").accepts("2018-10-kent-street.csv.gz")).isTrue();
    assertThat(SourceSpec.load("police_uk_street").accepts("manifest.csv")).isFalse();
    assertThat(SourceSpec.load("police_uk_stop_search").accepts("2018-10-metropolitan-stop-and-search.csv")).isTrue();
    SourceSpec chicago = SourceSpec.load("chicago_crimes");
    assertThat(chicago.accepts("chicago_crimes_2016-01.csv.gz")).isTrue();
    assertThat(chicago.accepts("iucr_codes.csv")).isFalse();
    assertThat(chicago.bronzeColumns()).contains("case_number", "x_coordinate", "updated_on");
  }

  @Test
  void snakeCaseMapsBothChicagoLayoutsToTheSameColumns() {
    assertThat(SourceSpec.snake("Case Number")).isEqualTo(SourceSpec.snake("case_number"));
    assertThat(SourceSpec.snake(":@computed_region_awaf_s7ux")).isEqualTo("computed_region_awaf_s7ux");
    assertThat(SourceSpec.snake("location.latitude")).isEqualTo("location_latitude");
  }

  @Test
  void unknownSourceListsTheKnownOnes() {
    assertThatThrownBy(() -> SourceSpec.load("border_force")).hasMessageContaining("unknown source 'border_force'")
        .hasMessageContaining("police_uk_street");
  }
}
