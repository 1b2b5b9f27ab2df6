package org.ilp.jobs.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.Tables;
import org.ilp.common.testing.SparkTestSupport;
import org.ilp.jobs.testing.Warehouses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSupport.class)
@Order(1)
class RefJobTest {
  @Test
  void buildsHierarchyPopulationAndTaxonomyOnceThenNoop() {
    SparkSession spark = SparkTestSupport.spark();
    SparkTestSupport.resetWarehouse();
    Warehouses.invalidate();
    JobResult first = RefJob.run(new JobContext(spark, SparkTestSupport.config(), "ref", Map.of()));
    assertThat(first.status()).isEqualTo("succeeded");

    Map<String, Long> byLevel = new java.util.HashMap<>();
    for (Row r : spark.sql("SELECT jurisdiction || ':' || level, count(*) FROM ref.areas GROUP BY 1").collectAsList()) {
      byLevel.put(r.getString(0), r.getLong(1));
    }
    assertThat(byLevel).containsEntry("uk:regional", 43L).containsEntry("uk:national", 2L)
        .containsEntry("chicago:local", 275L) // 277 features: beat 3100 comes in three pieces
        .containsEntry("chicago:regional", 23L) // 22 districts + 31 dissolved
        .containsEntry("chicago:community", 77L).containsEntry("chicago:national", 1L);
    // the geometry survives the Delta round trip as a Sedona geometry: Leeds city centre is in West Yorkshire
    List<Row> hit = spark.sql("SELECT area_code FROM ref.areas WHERE level = 'regional' AND "
        + "ST_Contains(geom, ST_Point(-1.5491, 53.8008))").collectAsList();
    assertThat(hit).extracting(r -> r.getString(0)).containsExactly("E23000010");
    // every beat's parent district exists
    assertThat(spark.sql("SELECT count(*) FROM ref.areas b LEFT JOIN ref.areas d ON b.parent_code = d.area_code "
        + "WHERE b.level = 'local' AND d.area_code IS NULL").head().getLong(0)).isZero();
    // Chicago city population 2010 equals the official census total
    assertThat(spark.sql("SELECT population FROM ref.population WHERE area_code = 'CHI' AND year = 2010")
        .head().getLong(0)).isEqualTo(2_695_598L);
    // every mapping row has an ICCS code with names
    assertThat(spark.sql("SELECT count(*) FROM ref.offence_taxonomy WHERE iccs_l2 IS NULL OR iccs_l2_name IS NULL "
        + "OR iccs_l1_name IS NULL").head().getLong(0)).isZero();

    // the no-op check reads the conf hash from the log: the same hash the rows carry
    for (var t : List.of(Tables.REF_AREAS, Tables.REF_POPULATION, Tables.REF_OFFENCE_TAXONOMY)) {
      assertThat(Delta.property(spark, t, RefJob.CONF_VERSION)).as(t.name()).hasSize(64)
          .isEqualTo(spark.table(t.name()).select("conf_version").distinct().as(org.apache.spark.sql.Encoders.STRING())
              .collectAsList().get(0));
    }
    long v = Delta.version(spark, Tables.REF_AREAS);
    JobResult second = RefJob.run(new JobContext(spark, SparkTestSupport.config(), "ref", Map.of()));
    assertThat(second.status()).isEqualTo("noop");
    assertThat(Delta.version(spark, Tables.REF_AREAS)).isEqualTo(v);
  }
}
