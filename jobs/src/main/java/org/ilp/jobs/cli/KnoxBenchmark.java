package org.ilp.jobs.cli;

import static org.apache.spark.sql.functions.*;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.spatial.Knox;

/**
 * {@code ilp bench nearrepeat}: the Knox test ({@link Knox}, the core of {@code ilp nearrepeat}) on the burglaries of
 * Chicago CSV exports (portal layout: Primary Type, Date, X/Y Coordinate in EPSG:3435 US feet), timed, with the
 * driver's peak heap. {@code --scale K} (K ≥ 2) adds K − 1 generated copies of every burglary, each moved by a
 * uniform offset of up to ±400 m on each axis and ±30 days (seeded): K times the events over the same city, to show
 * how time grows (pairs grow about as K²).
 */
final class KnoxBenchmark {
  private KnoxBenchmark() {}

  record Result(long events, long pairs, double seconds, long peakHeapMb, Knox.Result knox) {}

  static Dataset<Row> burglaries(SparkSession spark, Path input, int scale) {
    double foot = 1200.0 / 3937.0;
    Dataset<Row> raw = spark.read().option("header", "true").option("pathGlobFilter", "*crimes*.csv*")
        .csv(input.toString())
        .where(col("Primary Type").equalTo("BURGLARY").and(col("X Coordinate").cast("double").gt(0))
            .and(col("Date").isNotNull()))
        .select(col("ID").as("event_id"), col("X Coordinate").cast("double").multiply(foot).as("x_m"),
            col("Y Coordinate").cast("double").multiply(foot).as("y_m"),
            datediff(to_date(substring(col("Date"), 1, 10), "MM/dd/yyyy"), lit(java.sql.Date.valueOf("1970-01-01")))
                .as("day"));
    if (scale <= 1) {
      return raw;
    }
    return raw.crossJoin(spark.range(scale).toDF("copy"))
        .select(concat(col("event_id"), lit("#"), col("copy")).as("event_id"),
            when(col("copy").equalTo(0), col("x_m")).otherwise(col("x_m").plus(rand(11).minus(0.5).multiply(800)))
                .as("x_m"),
            when(col("copy").equalTo(0), col("y_m")).otherwise(col("y_m").plus(rand(12).minus(0.5).multiply(800)))
                .as("y_m"),
            when(col("copy").equalTo(0), col("day"))
                .otherwise(col("day").plus(floor(rand(13).multiply(61)).cast("int")).minus(30)).as("day"));
  }

  static Result run(SparkSession spark, Path input, int scale, Knox.Spec spec) {
    Dataset<Row> events = burglaries(spark, input, scale).localCheckpoint();
    long n = events.count();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    Knox.Result r = Knox.test(events, spec);
    double s = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return new Result(n, r.pairsInBands(), s, peak >> 20, r);
  }
}
