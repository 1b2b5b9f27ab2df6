package org.ilp.common.spatial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DistributedSelfExciting}: the EM as Spark aggregations gives the driver-side {@link SelfExciting#fit} bit for
 * bit (θ, ω, every μ_n, the iterations and the log-likelihood), on any partitioning of the cells.
 */
@ExtendWith(SparkTestSupport.class)
class DistributedSelfExcitingTest {

  @Test
  void theDistributedFitEqualsTheLocalFitBitForBit() {
    double[] mu = new double[120];
    for (int c = 0; c < mu.length; c++) {
      mu[c] = 0.005 + 0.025 * c / (mu.length - 1);
    }
    double[][] times = SelfExcitingTest.simulate(mu, 0.3, 0.1, 1000, 42);
    SelfExciting.Fit local = SelfExciting.fit(times, 1000, 200, 1e-7);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext());
    for (int partitions : new int[] {1, 5}) {
      List<DistributedSelfExciting.Cell> cells = new ArrayList<>();
      for (int c = 0; c < times.length; c++) {
        cells.add(new DistributedSelfExciting.Cell(1000 + c, times[c], 0));
      }
      DistributedSelfExciting.Result d = DistributedSelfExciting.fit(jsc.parallelize(cells, partitions), 1000, 200, 1e-7);
      assertThat(d.theta()).as("theta, %d partitions", partitions).isEqualTo(local.theta());
      assertThat(d.omega()).isEqualTo(local.omega());
      assertThat(d.iterations()).isEqualTo(local.iterations());
      assertThat(d.logLik()).isEqualTo(local.logLik());
      Map<Long, Double> byCell = new TreeMap<>();
      d.cells().collect().forEach(c -> byCell.put(c.id, c.mu));
      for (int c = 0; c < times.length; c++) {
        assertThat(byCell.get(1000L + c)).as("mu of cell %d", c).isEqualTo(local.mu()[c]);
      }
      d.cells().unpersist(false);
    }
    assertThat(local.iterations()).isGreaterThan(1); // a real EM, not a first-step exit
  }
}
