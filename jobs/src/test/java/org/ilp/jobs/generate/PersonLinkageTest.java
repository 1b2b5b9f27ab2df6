package org.ilp.jobs.generate;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.identity.PersonLinkage;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Identity resolution against planted truth: 1,500 persons (namesakes included), each recorded one to five times by
 * agencies with the errors {@link PersonPool#variant} plants. Pairwise precision and recall of the entities
 * PersonLinkage finds (issue 10's bar: precision ≥ 0.98, recall ≥ 0.95; on 2026-12-04: 0.9952 and 0.9603 — the misses are
 * mostly records without a date of birth at another address, which no rule can tell from a namesake).
 */
@ExtendWith(SparkTestSupport.class)
class PersonLinkageTest {
  static final StructType RECORDS = new StructType().add("record_id", DataTypes.StringType)
      .add("person_id", DataTypes.IntegerType).add("given_name", DataTypes.StringType)
      .add("family_name", DataTypes.StringType).add("dob", DataTypes.StringType).add("sex", DataTypes.StringType)
      .add("postcode", DataTypes.StringType).add("national_id", DataTypes.StringType);

  @Test
  void plantedVariantsAreResolvedWithHighPrecisionAndRecall() {
    Random rng = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (PersonPool.Person p : PersonPool.persons(1500, 11)) {
      int k = 1 + rng.nextInt(5);
      for (int i = 0; i < k; i++) {
        PersonPool.PersonRecord r = PersonPool.variant(p, String.format("r%06d", rows.size()), rng);
        rows.add(RowFactory.create(r.recordId(), r.personId(), r.given(), r.family(), r.dob(), r.sex(), r.postcode(),
            r.nationalId()));
      }
    }
    Dataset<Row> records = SparkTestSupport.spark().createDataFrame(rows, RECORDS);
    PersonLinkage.Result res = PersonLinkage.fromConf().link(records.drop("person_id"));
    Dataset<Row> e = res.entities().join(records.select("record_id", "person_id"), "record_id").cache();
    assertThat(e.count()).isEqualTo(rows.size());
    long predicted = pairs(e.groupBy("entity_id").count());
    long truth = pairs(e.groupBy("person_id").count());
    long both = pairs(e.groupBy("entity_id", "person_id").count());
    double precision = (double) both / predicted;
    double recall = (double) both / truth;
    System.err.printf("person linkage: %,d records of 1,500 persons; %,d true pairs, %,d linked, %,d right: "
        + "precision %.4f, recall %.4f; %,d blocks skipped%n", rows.size(), truth, predicted, both, precision, recall,
        res.blocksSkipped());
    assertThat(precision).isGreaterThanOrEqualTo(0.98);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
    // an entity's id is one of its records
    assertThat(e.where(col("entity_id").gt(col("record_id"))).count()).isZero();
  }

  static long pairs(Dataset<Row> counts) {
    Row r = counts.agg(sum(col("count").multiply(col("count").minus(1)).divide(2))).head();
    return r.isNullAt(0) ? 0 : (long) r.getDouble(0);
  }
}
