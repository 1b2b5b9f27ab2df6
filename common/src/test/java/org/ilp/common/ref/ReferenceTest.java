package org.ilp.common.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
class ReferenceTest {
  /**
   * Silver rows of three sources (two UK, one Chicago): the predicate picks a jurisdiction's rows, every row when none
   * is named, both jurisdictions' when two are; and one jurisdiction is spelt as the single-name form every gold job
   * uses, so their change checks share an answer.
   */
  @Test
  void jurisdictionsAreSelectedAndSpeltOneWay() {
    SparkSession spark = SparkTestSupport.spark();
    Dataset<Row> rows = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("police_uk_street"),
        org.apache.spark.sql.RowFactory.create("police_uk_stop_search"), org.apache.spark.sql.RowFactory.create("chicago_crimes")),
        new org.apache.spark.sql.types.StructType().add("source", "string"));
    assertThat(rows.where(Reference.inJurisdictions(List.of("uk"))).count()).isEqualTo(2);
    assertThat(rows.where(Reference.inJurisdictions(List.of("chicago"))).count()).isEqualTo(1);
    assertThat(rows.where(Reference.inJurisdictions(List.of())).count()).isEqualTo(3);
    assertThat(rows.where(Reference.inJurisdictions(List.of("uk", "chicago"))).count()).isEqualTo(3);
    assertThat(Reference.inJurisdictions(List.of("uk")).toString())
        .isEqualTo(Reference.jurisdictionOf().equalTo("uk").toString())
        .isNotEqualTo(Reference.jurisdictionOf().isin("uk").toString());
  }
}
